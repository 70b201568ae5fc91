// Batch scoring of a file with a saved model: progress and Cancel while it runs, then the download, the rejects file to download and the notices.
import { mlClient } from '../workers-client/ml-client.ts';
import { AppError, userMessage } from '../pipeline/errors.ts';
import type { ModelSummary } from '../contracts/store.ts';
import type { ScoreProgress } from '../contracts/predict.ts';
import { downloadBlob } from './download.svelte.ts';

/** The scoring in progress. */
export interface ScoreJob {
  jobId: string;
  label: string;
  fileName: string;
  progress: ScoreProgress | null;
  cancelling: boolean;
}

const phaseWords: Record<ScoreProgress['phase'], string> = {
  reading: 'Reading the file',
  parsing: 'Reading the file',
  cleaning: 'Applying the recipe',
  scoring: 'Scoring',
  done: 'Writing the file',
};

export class ScoringState {
  #job = $state<ScoreJob | null>(null);
  #rejects = $state<{ blob: Blob; fileName: string; rows: number } | null>(null);
  #notices = $state<string[]>([]);
  #summary = $state<string | null>(null);
  #error = $state<string | null>(null);
  #alive = true;

  get job(): ScoreJob | null {
    return this.#job;
  }
  /** The rows the recipe dropped in the last scoring, ready to download. */
  get rejects(): { fileName: string; rows: number } | null {
    return this.#rejects;
  }
  get notices(): string[] {
    return this.#notices;
  }
  get summary(): string | null {
    return this.#summary;
  }
  get error(): string | null {
    return this.#error;
  }

  /** What the progress bar says, e.g. "Scoring: 131,072 of 1,000,000 rows". */
  get caption(): string {
    const p = this.#job?.progress;
    if (!p) return 'Starting…';
    if (p.phase === 'scoring') return `Scoring: ${p.rowsDone.toLocaleString()} of ${p.rows.toLocaleString()} rows`;
    return `${phaseWords[p.phase]}…`;
  }

  /** Scores `file` with `model` and downloads the result; one scoring at a time. */
  async score(model: ModelSummary, file: File): Promise<void> {
    if (this.#job) return;
    const jobId = crypto.randomUUID();
    const label = `${model.name} v${model.version}`;
    this.#job = { jobId, label, fileName: file.name, progress: null, cancelling: false };
    this.#error = null;
    this.#summary = null;
    this.#notices = [];
    this.#rejects = null;
    try {
      const result = await mlClient().score(model.id, { name: file.name, data: file }, (p) => {
        if (this.#job?.jobId === jobId) this.#job.progress = p;
      }, jobId);
      if (!this.#alive) return;
      downloadBlob(result.csv, result.fileName);
      const rejected = result.rejects ? `; ${result.rejects.rows.toLocaleString()} rows dropped by the recipe are in the rejects file` : '';
      this.#summary = `Scored ${result.rows.toLocaleString()} rows of ${file.name} with ${label}; saved ${result.fileName}${rejected}.`;
      this.#notices = (result.notices ?? []).filter((n) => !/dropped by the recipe/.test(n));
      if (result.rejects) this.#rejects = { blob: result.rejects.csv, fileName: result.rejects.fileName, rows: result.rejects.rows };
    } catch (error) {
      if (!this.#alive) return;
      this.#error = error instanceof AppError && error.code === 'cancelled' ? null : userMessage(error);
      if (error instanceof AppError && error.code === 'cancelled') this.#summary = `Scoring ${file.name} was cancelled; nothing was saved.`;
    } finally {
      if (this.#job?.jobId === jobId) this.#job = null;
    }
  }

  /** Stops the scoring at its next chunk. */
  cancel(): void {
    const job = this.#job;
    if (!job || job.cancelling) return;
    job.cancelling = true;
    void mlClient().cancelScore(job.jobId);
  }

  downloadRejects(): void {
    if (this.#rejects) downloadBlob(this.#rejects.blob, this.#rejects.fileName);
  }

  dismiss(): void {
    this.#error = null;
    this.#summary = null;
    this.#notices = [];
    this.#rejects = null;
  }

  destroy(): void {
    this.#alive = false;
  }
}
