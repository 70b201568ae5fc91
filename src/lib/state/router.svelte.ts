// Hash router for the stages: #/data, #/check, #/train, #/evaluate, #/models, #/monitor, #/audit.

export type Route = 'data' | 'check' | 'train' | 'evaluate' | 'models' | 'monitor' | 'audit';

const routes: readonly Route[] = ['data', 'check', 'train', 'evaluate', 'models', 'monitor', 'audit'];

function parse(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (routes as readonly string[]).includes(name) ? (name as Route) : 'data';
}

/** The current stage, kept in sync with `location.hash`; `destroy()` removes the listener. */
export class RouterState {
  #route = $state<Route>(parse(location.hash));
  #onHashChange = () => {
    this.#route = parse(location.hash);
    window.scrollTo({ top: 0 });
  };

  constructor() {
    window.addEventListener('hashchange', this.#onHashChange);
  }

  get route(): Route {
    return this.#route;
  }

  go(route: Route): void {
    location.hash = `#/${route}`;
  }

  destroy(): void {
    window.removeEventListener('hashchange', this.#onHashChange);
  }
}
