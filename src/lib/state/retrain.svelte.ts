// Retrains for the whole studio: one running at a time with progress and Cancel, its outcome, approving a waiting challenger, and the monitoring schedule checked while the studio is open.
import { dataClient } from '../workers-client/data-client.ts';
import { mlClient } from '../workers-client/ml-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { RetrainOutcome, RetrainProgress } from '../contracts/monitor.ts';
import type { Trigger } from '../pipeline/monitor/policy.ts';

const phaseWords: Record<RetrainProgress['phase'], string> = {
  preparing: 'Preparing the data',
  training: 'Training the candidate',
  reviewing: 'Reviewing it against the champion',
  deciding: 'Registering the decision',
  done: 'Done',
};

/** How often the schedule is looked at while the studio is open. */
const SCHEDULE_EVERY_MS = 60_000;

interface Job {
  modelName: string;
  runId: string;
  scheduled: boolean;
}

export class RetrainState {
  #job = $state<Job | null>(null);
  #progress = $state<RetrainProgress | null>(null);
  #outcome = $state.raw<RetrainOutcome | null>(null);
  #error = $state<string | null>(null);
  #timer: ReturnType<typeof setInterval> | undefined;
  #alive = true;

  get running(): boolean {
    return this.#job !== null;
  }
  /** The model name being retrained, and whether the schedule started it. */
  get job(): Readonly<Job> | null {
    return this.#job;
  }
  get outcome(): RetrainOutcome | null {
    return this.#outcome;
  }
  get error(): string | null {
    return this.#error;
  }
  get fraction(): number {
    return this.#progress?.fraction ?? 0;
  }
  get caption(): string {
    const p = this.#progress;
    if (!p) return 'Starting…';
    const epoch = p.phase === 'training' && p.epochs ? ` (${p.model === 'gbdt' ? 'round' : 'epoch'} ${p.epoch} of ${p.epochs})` : '';
    return `${phaseWords[p.phase]}${epoch}…`;
  }

  dismiss(): void {
    this.#error = null;
    this.#outcome = null;
  }

  /** Retrains `modelName` for `triggers` (a drift report's, the schedule's, or the person's); one retrain at a time. */
  async run(modelName: string, triggers: Trigger[], reportId: number | null, scheduled = false): Promise<void> {
    if (this.#job) return;
    const runId = crypto.randomUUID();
    this.#job = { modelName, runId, scheduled };
    this.#progress = null;
    this.#error = null;
    this.#outcome = null;
    try {
      const outcome = await mlClient().retrain({ modelName, triggers, reportId, runId }, (p) => {
        if (this.#alive && this.#job?.runId === p.runId) this.#progress = p;
      });
      if (this.#alive) this.#outcome = outcome;
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
    } finally {
      if (this.#alive) {
        this.#job = null;
        this.#progress = null;
      }
    }
  }

  /** Stops the running retrain; it then ends as 'cancelled' with nothing registered. */
  cancel(): void {
    if (this.#job) void mlClient().cancel(this.#job.runId);
  }

  /** Approves a waiting challenger: `version` of `name` becomes the champion, if the champion is still `from`. */
  async promote(name: string, version: number, from: number | null, note: string): Promise<boolean> {
    this.#error = null;
    try {
      await dataClient().promote(name, version, 'champion', note, { expectedFrom: from });
      if (this.#alive && this.#outcome?.modelName === name && this.#outcome.candidateVersion === version) {
        this.#outcome = { ...this.#outcome, decision: 'promoted', summary: `${name} v${version} replaced v${from ?? '?'} as champion (approved)` };
      }
      return true;
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
      return false;
    }
  }

  /** Looks at the schedule now (a run missed while the studio was closed starts at once) and then every minute; due retrains run one after another. */
  startSchedule(every = SCHEDULE_EVERY_MS): void {
    if (this.#timer !== undefined) return;
    void this.checkSchedule();
    this.#timer = setInterval(() => void this.checkSchedule(), every);
  }

  /** Runs the retrains whose schedule is due (skipped while one runs: the next look catches them). */
  async checkSchedule(): Promise<void> {
    if (this.#job) return;
    try {
      for (const due of await mlClient().dueSchedules()) {
        if (!this.#alive) return;
        await this.run(due.modelName, [due.trigger], null, true);
      }
    } catch (error) {
      if (this.#alive) this.#error = `The monitoring schedule could not be checked: ${userMessage(error)}`;
    }
  }

  destroy(): void {
    this.#alive = false;
    if (this.#timer !== undefined) clearInterval(this.#timer);
  }
}
