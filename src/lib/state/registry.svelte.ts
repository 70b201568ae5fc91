// The registry's actions for the Models view: promote, roll back and delete through the data worker, and each version's lineage.
import { dataClient } from '../workers-client/data-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { ModelLineage } from '../contracts/store.ts';

/** What an action left to say: an error in the person's words, or null when it worked. */
export type Outcome = string | null;

export class RegistryState {
  /** Model name → what the last action did ("champion of penguins now points at v2"). */
  #notices = $state<Record<string, string>>({});
  #busy = $state(false);
  #lineage = $state<Record<number, ModelLineage | { error: string }>>({});
  /** Versions whose lineage was asked for (not reactive: reading a lineage must not write state). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- deliberately not reactive
  #asked = new Set<number>();
  #alive = true;
  /** Told the runs a deletion removed (the shown result may be one of them). */
  readonly #onRunsDeleted: ((runIds: string[]) => void) | undefined;

  constructor(onRunsDeleted?: (runIds: string[]) => void) {
    this.#onRunsDeleted = onRunsDeleted;
  }

  get busy(): boolean {
    return this.#busy;
  }

  notice(name: string): string | undefined {
    return this.#notices[name];
  }

  /** Notices of model names no longer listed (their last version was deleted): the view shows them above the list. */
  noticesBeyond(listed: readonly string[]): string[] {
    return Object.entries(this.#notices)
      .filter(([name]) => !listed.includes(name))
      .map(([, text]) => text);
  }

  /** Points `alias` at `version`; `expectedFrom` is where the page saw the alias point (another tab may have moved it). */
  promote(name: string, version: number, alias: string, note: string, override: boolean, expectedFrom: number | null): Promise<Outcome> {
    return this.#act(name, async () => {
      const move = await dataClient().promote(name, version, alias, note, { override, expectedFrom });
      const from = move.from === null ? '' : ` (was v${move.from})`;
      return `${move.alias} of ${name} now points at v${move.to}${from}${move.override ? ', overriding the failed review' : ''}.`;
    });
  }

  /** Moves `alias` back to the version it held before the one the page shows (`expectedFrom`). */
  rollback(name: string, alias: string, note: string, expectedFrom: number): Promise<Outcome> {
    return this.#act(name, async () => {
      const move = await dataClient().rollback(name, alias, note, expectedFrom);
      return `${move.alias} of ${name} rolled back from v${move.from ?? '?'} to v${move.to}.`;
    });
  }

  /** Deletes a version, with its run when `withRun` (refused, naming the alias, while one points at it). */
  deleteVersion(name: string, version: number, withRun = false): Promise<Outcome> {
    return this.#act(name, async () => {
      const { runIds } = await dataClient().deleteModelVersion(name, version, { withRun });
      if (runIds.length > 0) {
        this.#onRunsDeleted?.(runIds);
        return `Deleted ${name} v${version} and its training run.`;
      }
      const kept = withRun ? 'its training run stays (another version was saved from it)' : 'its training run stays under Evaluate › Compare runs';
      return `Deleted ${name} v${version}; ${kept}.`;
    });
  }

  /** A version's lineage: undefined until the data worker answered (asked once per version; it never changes). */
  lineage(modelId: number): ModelLineage | { error: string } | undefined {
    if (!this.#asked.has(modelId)) {
      this.#asked.add(modelId);
      void this.#loadLineage(modelId);
    }
    return this.#lineage[modelId];
  }

  async #loadLineage(modelId: number): Promise<void> {
    try {
      const lineage = await dataClient().modelLineage(modelId);
      if (this.#alive) this.#lineage[modelId] = lineage;
    } catch (error) {
      if (this.#alive) this.#lineage[modelId] = { error: userMessage(error) };
    }
  }

  async #act(name: string, work: () => Promise<string>): Promise<Outcome> {
    this.#busy = true;
    try {
      const notice = await work();
      if (this.#alive) this.#notices[name] = notice;
      return null;
    } catch (error) {
      return userMessage(error);
    } finally {
      this.#busy = false;
    }
  }

  destroy(): void {
    this.#alive = false;
  }
}
