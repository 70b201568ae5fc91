// The evaluation report of the run on show in Evaluate: read from the store, the decision threshold being picked, the champion comparison and the reviewer's approve/reject.
import type { ReviewRecord, RowExplanation } from '../contracts/training.ts';
import { AppError, userMessage } from '../pipeline/errors.ts';
import { checkThreshold, type ThresholdRow } from '../pipeline/review/threshold.ts';
import { dataClient } from '../workers-client/data-client.ts';
import { isStale, Channel } from '../workers-client/latest.ts';
import { mlClient } from '../workers-client/ml-client.ts';

export type Decision = 'approve' | 'reject';

/** The row of a threshold table nearest to `threshold` (the table steps by 0.01). */
export function thresholdRowAt(rows: readonly ThresholdRow[], threshold: number): ThresholdRow | null {
  let best: ThresholdRow | null = null;
  for (const row of rows) if (!best || Math.abs(row.threshold - threshold) < Math.abs(best.threshold - threshold)) best = row;
  return best;
}

/** A threshold typed into the picker: a number in [0, 1], or an error naming what was typed. */
export function parseThreshold(text: string): number {
  const value = Number(text.trim());
  if (!text.trim() || !Number.isFinite(value)) throw new AppError('bad-argument', `The decision threshold must be a number between 0 and 1; got "${text}"`);
  return checkThreshold(value);
}

export class ReviewState {
  #record = $state.raw<ReviewRecord | null>(null);
  #runId = $state<string | null>(null);
  #loading = $state(false);
  #busy = $state<'' | 'champion' | 'decision'>('');
  #error = $state<string | null>(null);
  #missing = $state<string | null>(null);
  /** The decision threshold the person picked (binary); starts at the report's. */
  threshold = $state(0.5);
  #reads = new Channel('evaluation report');
  #explanation = $state.raw<RowExplanation | null>(null);
  #explaining = $state(false);
  #explainError = $state<string | null>(null);
  #explains = new Channel('row explanation');

  get record(): ReviewRecord | null {
    return this.#record;
  }
  get runId(): string | null {
    return this.#runId;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get busy(): '' | 'champion' | 'decision' {
    return this.#busy;
  }
  /** The last action's failure, in words. */
  get error(): string | null {
    return this.#error;
  }
  /** Why the run has no report (older runs, cancelled ones). */
  get missing(): string | null {
    return this.#missing;
  }

  /** The test row explained last, column by column. */
  get explanation(): RowExplanation | null {
    return this.#explanation;
  }
  get explaining(): boolean {
    return this.#explaining;
  }
  get explainError(): string | null {
    return this.#explainError;
  }

  /** Explains test row `number` (1-based, as the person counts); a later call supersedes this one. */
  async explain(number: number): Promise<void> {
    const runId = this.#runId;
    if (!runId) return;
    const rows = this.#record?.report.rows;
    if (!Number.isInteger(number) || number < 1 || (rows !== undefined && number > rows)) {
      this.#explainError = `Choose a test row from 1 to ${rows ?? '…'}; got ${Number.isNaN(number) ? 'nothing' : number}`;
      return;
    }
    this.#explaining = true;
    this.#explainError = null;
    try {
      this.#explanation = await this.#explains.latest(() => mlClient().explainTestRow(runId, number - 1));
      this.#explaining = false;
    } catch (error) {
      if (isStale(error)) return;
      this.#explainError = userMessage(error);
      this.#explaining = false;
    }
  }

  /** Binary reports: the threshold table's row at the picked threshold. */
  get atThreshold(): ThresholdRow | null {
    const rows = this.#record && 'thresholds' in this.#record.report.metrics ? this.#record.report.metrics.thresholds : null;
    return rows ? thresholdRowAt(rows, this.threshold) : null;
  }

  /** The threshold to save with the model: the picked one when it differs from the report's, for binary runs only. */
  get thresholdToSave(): number | undefined {
    const report = this.#record?.report;
    if (!report || report.task !== 'binary') return undefined;
    return this.threshold;
  }

  /** Shows the report of `runId` (a later call supersedes this one). */
  async show(runId: string): Promise<void> {
    if (runId === this.#runId && this.#record) return;
    this.#runId = runId;
    this.#record = null;
    this.#explains.supersede();
    this.#explanation = null;
    this.#explaining = false;
    this.#missing = null;
    this.#error = null;
    this.#loading = true;
    try {
      this.#take(await this.#reads.latest(() => dataClient().getReview(runId)));
    } catch (error) {
      if (isStale(error)) return;
      this.#missing = userMessage(error);
    } finally {
      if (this.#runId === runId) this.#loading = false;
    }
  }

  #take(record: ReviewRecord): void {
    this.#record = record;
    this.threshold = record.report.threshold ?? 0.5;
  }

  /** Scores the newest saved model called `name` on the run's test rows and shows the report with it beside. */
  async compareChampion(name: string): Promise<void> {
    const runId = this.#runId;
    if (!runId || this.#busy) return;
    if (!name.trim()) {
      this.#error = 'Name the model whose champion to compare against (the Model name field)';
      return;
    }
    await this.#act('champion', () => mlClient().compareChampion(runId, name.trim()));
  }

  /** Approves or rejects the candidate with a note; the decision goes into the audit log. */
  async decide(decision: Decision, note: string): Promise<boolean> {
    const runId = this.#runId;
    if (!runId || this.#busy) return false;
    if (!note.trim()) {
      this.#error = `A note is needed to ${decision} the model: say why`;
      return false;
    }
    return this.#act('decision', () => dataClient().decideReview(runId, decision, note.trim()));
  }

  async #act(kind: 'champion' | 'decision', call: () => Promise<ReviewRecord>): Promise<boolean> {
    const runId = this.#runId;
    this.#busy = kind;
    this.#error = null;
    try {
      const record = await this.#reads.latest(call);
      if (record.runId === runId) {
        const threshold = this.threshold;
        this.#take(record);
        this.threshold = threshold;
      }
      return true;
    } catch (error) {
      if (!isStale(error)) this.#error = userMessage(error);
      return false;
    } finally {
      this.#busy = '';
    }
  }

  /** Forgets the shown report (the run changed or a new one is training). */
  clear(): void {
    this.#reads.supersede();
    this.#explains.supersede();
    this.#explanation = null;
    this.#explaining = false;
    this.#runId = null;
    this.#record = null;
    this.#missing = null;
    this.#error = null;
    this.#loading = false;
  }
}
