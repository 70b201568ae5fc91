// Runs that stopped before their last epoch or round (cancelled, or cut off by a reload) and can be resumed.
import { mlClient } from '../workers-client/ml-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { ResumableRun } from '../contracts/training.ts';
import { stepUnit } from './model-words.ts';

/** Where a run stopped: "epoch 12 of 30" (trees: "round 40 of 100"), or for a search "trial 3 of 6, epoch 12 of 30". */
export function stoppedAt(run: ResumableRun): string {
  const epoch = `${stepUnit(run.model)} ${run.epoch} of ${run.epochs}`;
  if (run.trial === undefined) return epoch;
  return `trial ${run.trial}${run.trials !== undefined ? ` of ${run.trials}` : ''}, ${epoch}`;
}

export class ResumableRunsState {
  #runs = $state.raw<ResumableRun[]>([]);
  #error = $state<string | null>(null);
  #alive = true;

  get runs(): ResumableRun[] {
    return this.#runs;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Reads the stored checkpoints again (after a run ends, or on opening the view). */
  async refresh(): Promise<void> {
    try {
      const runs = await mlClient().listResumable();
      if (this.#alive) this.#runs = runs;
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
    }
  }

  /** Forgets a checkpoint: the run stays as it was stored when it stopped. */
  async discard(runId: string): Promise<void> {
    try {
      await mlClient().discardCheckpoint(runId);
      await this.refresh();
    } catch (error) {
      this.#error = userMessage(error);
    }
  }

  destroy(): void {
    this.#alive = false;
  }
}
