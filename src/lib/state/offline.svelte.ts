// Offline status for the sidebar: whether the service worker is active and whether the browser is online.

/** App-lifetime singleton: main.ts marks it ready when the service worker activates. */
class OfflineState {
  #ready = $state(false);
  #online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  #failure = $state<string | null>(null);

  constructor() {
    if (typeof window === 'undefined') return;
    window.addEventListener('online', () => (this.#online = true));
    window.addEventListener('offline', () => (this.#online = false));
  }

  /** The service worker is active: the app shell and demo data are cached. */
  get ready(): boolean {
    return this.#ready;
  }
  get online(): boolean {
    return this.#online;
  }
  /** Why registration failed, if it did. */
  get failure(): string | null {
    return this.#failure;
  }

  markReady(): void {
    this.#ready = true;
  }
  markFailed(error: unknown): void {
    this.#failure = error instanceof Error ? error.message : String(error);
  }
}

export const offline = new OfflineState();
