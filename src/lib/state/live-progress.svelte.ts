// A run's live progress as the screen shows it: the latest report, the loss curve of the current trial, and the trial count; updated at most every 100 ms, and at once when a search's next trial starts.
import type { TrainProgress } from '../contracts/training.ts';

const PROGRESS_INTERVAL_MS = 100;

export interface LossPoint {
  epoch: number;
  loss: number;
  valLoss?: number;
}

/** Buffers progress reports (they can arrive hundreds of times a second) and publishes them in batches. */
export class LiveProgress {
  #progress = $state.raw<TrainProgress | null>(null);
  #curve = $state.raw<LossPoint[]>([]);
  #trial = $state(0);
  #trials = $state<number | undefined>(undefined);
  /** True while the run in progress is a search (started with one, or a resumed search). */
  #searching = $state(false);
  #lastEpoch = 0;
  /** The stretch of epochs the curve shows: a search's trial, or a count that grows when the epochs start over. */
  #segment = 0;
  #pendingSegment = 0;
  #pendingTrial = 0;
  #pendingProgress: TrainProgress | null = null;
  #pendingPoints: LossPoint[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  get progress(): TrainProgress | null {
    return this.#progress;
  }
  get curve(): LossPoint[] {
    return this.#curve;
  }
  get trial(): number {
    return this.#trial;
  }
  get trials(): number | undefined {
    return this.#trials;
  }
  get searching(): boolean {
    return this.#searching;
  }

  /** Starts over for a new run; a resumed one continues from `from` (its last epoch, and a search's trial). */
  start(from: { epoch?: number; trial?: number | undefined; trials?: number | undefined; searching?: boolean } = {}): void {
    this.drop();
    this.#progress = null;
    this.#curve = [];
    this.#trial = this.#pendingTrial = from.trial ?? 1;
    this.#trials = from.trials;
    this.#searching = from.searching ?? false;
    this.#lastEpoch = from.epoch ?? 0;
    this.#segment = this.#pendingSegment = 0;
  }

  /** What the run's spec says before its first report: whether it is a search, and its trial budget. */
  expect(searching: boolean, trials: number | undefined): void {
    this.#searching = searching;
    this.#trials = trials;
  }

  /** Shows a whole curve (a finished or stored run). */
  showCurve(history: LossPoint[]): void {
    this.#curve = history;
  }

  /** Takes a progress report of this run (the ML client drops any other run's). */
  report(p: TrainProgress): void {
    // A search's reports name their trial; the epoch count starting over (a search without trial numbers, folds) also starts a new curve.
    const segment = p.trial ?? (p.epoch <= this.#lastEpoch ? this.#pendingSegment + 1 : this.#pendingSegment);
    if (segment !== this.#pendingSegment) {
      this.#pendingSegment = segment;
      this.#pendingPoints = [];
    }
    if (p.trial !== undefined) this.#pendingTrial = p.trial;
    this.#lastEpoch = p.epoch;
    this.#pendingProgress = p;
    this.#pendingPoints.push({ epoch: p.epoch, loss: p.loss, valLoss: p.valLoss });
    // A trial that starts is shown at once: a short one (trees on a small table) could otherwise start and end
    // between two updates and never be seen.
    if (p.trial !== undefined && p.trial !== this.#trial) this.flush();
    else this.#flushTimer ??= setTimeout(() => this.flush(), PROGRESS_INTERVAL_MS);
  }

  /** Publishes what was buffered. */
  flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const p = this.#pendingProgress;
    if (p) {
      this.#progress = p;
      // The run says whether it is a search and how far it is, whatever the form shows now.
      if (p.trial !== undefined) this.#searching = true;
      if (p.trials !== undefined) this.#trials = p.trials;
    }
    this.#trial = this.#pendingTrial;
    if (this.#pendingSegment !== this.#segment) {
      this.#segment = this.#pendingSegment;
      this.#curve = [];
    }
    if (this.#pendingPoints.length) this.#curve = [...this.#curve, ...this.#pendingPoints];
    this.#pendingProgress = null;
    this.#pendingPoints = [];
  }

  /** Forgets what was buffered (a failed run). */
  drop(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#pendingProgress = null;
    this.#pendingPoints = [];
  }
}
