// Two dataset versions compared with each other on Monitor (no model involved): the comparison running, its result, and drift.json to download.
import { dataClient } from '../workers-client/data-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import { driftJson } from '../pipeline/drift/json.ts';
import type { VersionComparison } from '../contracts/monitor.ts';

export class VersionCompareState {
  #result = $state.raw<VersionComparison | null>(null);
  #running = $state(false);
  #error = $state<string | null>(null);
  #asked = 0;

  get result(): VersionComparison | null {
    return this.#result;
  }
  get running(): boolean {
    return this.#running;
  }
  get error(): string | null {
    return this.#error;
  }

  dismissError(): void {
    this.#error = null;
  }

  /** Compares `currentId` (only its appended rows unless `whole`) with `referenceId`; a later call's answer wins. */
  async compare(referenceId: number, currentId: number, whole: boolean): Promise<void> {
    const asked = ++this.#asked;
    this.#running = true;
    this.#error = null;
    try {
      const result = await dataClient().compareVersions(referenceId, currentId, !whole);
      if (asked === this.#asked) this.#result = result;
    } catch (error) {
      if (asked === this.#asked) this.#error = userMessage(error);
    } finally {
      if (asked === this.#asked) this.#running = false;
    }
  }

  /** The result as drift.json (the CLI's format), with a file name naming both sides. */
  download(): { blob: Blob; fileName: string } | null {
    const result = this.#result;
    if (!result) return null;
    const blob = new Blob([JSON.stringify(driftJson(result.report), null, 2) + '\n'], { type: 'application/json' });
    const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '');
    return { blob, fileName: `drift-${slug(result.reference)}-vs-${slug(result.current)}.json` };
  }
}
