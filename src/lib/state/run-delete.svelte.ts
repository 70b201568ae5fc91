// Deleting a stored run from the run list: the person confirms one run, the data worker deletes it (refused naming the models saved from it).
import { dataClient } from '../workers-client/data-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { RunSummary } from '../contracts/training.ts';
import { runLabel } from '../pipeline/run-label.ts';

export class RunDeleteState {
  /** The run waiting for its confirmation. */
  #pending = $state<{ id: string; label: string } | null>(null);
  #busy = $state(false);
  #error = $state<string | null>(null);
  #notice = $state<string | null>(null);

  get pending(): { id: string; label: string } | null {
    return this.#pending;
  }
  get busy(): boolean {
    return this.#busy;
  }
  /** Why the last deletion was refused, in the person's words. */
  get error(): string | null {
    return this.#error;
  }
  /** What the last deletion removed. */
  get notice(): string | null {
    return this.#notice;
  }

  ask(run: RunSummary): void {
    this.#pending = { id: run.id, label: `${runLabel(run)} → ${run.target}` };
    this.#error = null;
    this.#notice = null;
  }

  cancel(): void {
    this.#pending = null;
    this.#error = null;
  }

  /** Deletes the pending run (and a search's trials); the ids deleted, or null when nothing was. */
  async confirm(): Promise<string[] | null> {
    const pending = this.#pending;
    if (!pending || this.#busy) return null;
    this.#busy = true;
    this.#error = null;
    try {
      const { runIds } = await dataClient().deleteRun(pending.id);
      const trials = runIds.length - 1;
      this.#notice = `Deleted run ${pending.label}${trials > 0 ? ` and its ${trials} search trial${trials === 1 ? '' : 's'}` : ''}.`;
      this.#pending = null;
      return runIds;
    } catch (error) {
      this.#error = userMessage(error);
      return null;
    } finally {
      this.#busy = false;
    }
  }
}
