// Training setup (target, task, model, epochs or rounds, seed), the live run with its loss curve, and saving the result.
import { dataClient } from '../workers-client/data-client.ts';
import { Channel, isStale } from '../workers-client/latest.ts';
import { mlClient } from '../workers-client/ml-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import { AppError } from '../pipeline/errors.ts';
import { makeSpec } from '../pipeline/spec/build.ts';
import type { PipelineSpec } from '../pipeline/spec/types.ts';
import type { FeaturePlan, ModelKind, TaskKind } from '../pipeline/types.ts';
import type { FeatureSet } from '../pipeline/features/types.ts';
import { LiveProgress, type LossPoint } from './live-progress.svelte.ts';
import { TrainOptions } from './train-options.svelte.ts';
import { ReviewOptions } from './review-options.svelte.ts';
import { MonitorOptions } from './monitor-options.svelte.ts';
import { planWithoutReviewOnly } from './review-words.ts';

export type { LossPoint };
import type { BackendInfo, ResumableRun, RunDetail, TrainProgress, TrainRequest, TrainResult } from '../contracts/training.ts';

export type TrainStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/** How a run names its features: the set's name and version, or "automatic". */
export function featureSetLabel(set: FeatureSet | undefined): string {
  if (!set) return 'automatic';
  return set.version ? `${set.name} v${set.version}` : set.name;
}

/** Lives as long as the App, so a run keeps going while the person looks at other stages. */
export class TrainingState {
  #versionId = $state<number | null>(null);
  #target = $state('');
  #task = $state<TaskKind | ''>('');
  #plan = $state.raw<FeaturePlan | null>(null);
  #planError = $state<string | null>(null);
  /** A newer plan (another version, target or task) supersedes one still on its way. */
  #plans = new Channel('feature plan');
  /** The stored run to show: a newer choice supersedes one still being read. */
  #shown = new Channel('shown run');
  #backend = $state.raw<BackendInfo | null>(null);

  /** Split, seed, cross-validation, every hyper-parameter and the search. */
  readonly options = new TrainOptions();
  /** Sensitive columns, positive class and the review policy: the spec's `review`. */
  readonly review = new ReviewOptions();
  /** When the saved model retrains itself: the spec's `monitor`. */
  readonly monitor = new MonitorOptions();
  /** The feature set to fit instead of the automatic plan; null keeps the automatic plan. */
  featureSet = $state.raw<FeatureSet | null>(null);

  #status = $state<TrainStatus>('idle');
  #runId: string | null = null;
  /** The live run's progress, curve and trial. */
  readonly #live = new LiveProgress();
  #result = $state.raw<TrainResult | null>(null);
  #resultLabel = $state<string | null>(null);
  #resultDataset = $state('');
  #resultFeatureSet = $state('');
  #error = $state<string | null>(null);
  #saved = $state.raw<{ name: string; version: number } | null>(null);
  #saving = $state(false);
  #search = $state.raw<{ runId: string; leaderboard: NonNullable<TrainResult['leaderboard']>; cv?: TrainResult['cv'] } | null>(null);
  #cv = $state.raw<TrainResult['cv'] | null>(null);
  /** The model the curve on screen is of (undefined: not known yet, e.g. 'auto' before its first report). */
  #curveKind = $state<ModelKind | undefined>(undefined);

  get versionId(): number | null {
    return this.#versionId;
  }
  get target(): string {
    return this.#target;
  }
  get task(): TaskKind | '' {
    return this.#task;
  }
  get plan(): FeaturePlan | null {
    return this.#plan;
  }
  /** The plan as the model gets it: columns marked "for review only" dropped. */
  get modelPlan(): FeaturePlan | null {
    return this.#plan && planWithoutReviewOnly(this.#plan, this.review.reviewOnly);
  }
  get planError(): string | null {
    return this.#planError;
  }
  get backend(): BackendInfo | null {
    return this.#backend;
  }
  get status(): TrainStatus {
    return this.#status;
  }
  get running(): boolean {
    return this.#status === 'running';
  }
  get progress(): TrainProgress | null {
    return this.#live.progress;
  }
  /** 0..100 for the progress bar. */
  get percent(): number {
    const p = this.#live.progress;
    return p && p.epochs > 0 ? Math.round((100 * p.epoch) / p.epochs) : 0;
  }
  get curve(): LossPoint[] {
    return this.#live.curve;
  }
  /**
   * The model the progress and curve are of: the running trial's as its progress says (trees count rounds, networks
   * epochs), else the shown run's. Undefined while that is not known yet ('auto' before its first report).
   */
  get modelKind(): ModelKind | undefined {
    return (this.running ? this.#live.progress?.model : undefined) ?? this.#curveKind;
  }
  get result(): TrainResult | null {
    return this.#result;
  }
  /** "penguins v1 → Species", for the evaluation heading. */
  get resultLabel(): string | null {
    return this.#resultLabel;
  }
  /** Name of the dataset the shown result was trained on (for the default model name). */
  get resultDataset(): string {
    return this.#resultDataset;
  }
  /** The last search's run id and leaderboard; kept while the person reviews its trials. */
  get search(): { runId: string; leaderboard: NonNullable<TrainResult['leaderboard']> } | null {
    return this.#search;
  }
  /** Cross-validation of the last run (mean ± std), when asked for. */
  get cv(): TrainResult['cv'] | null {
    return this.#cv;
  }
  /** During a search: the trial being trained, from 1, as the run reports it (trials beyond the budget are the final scoring). */
  get trial(): number {
    return this.#live.trial;
  }
  /** During a search: the trials it runs at most, as the run reports it (undefined under a time budget). */
  get trials(): number | undefined {
    return this.#live.trials;
  }
  /** The run in progress is a search: started as one, resumed as one, or reporting trials. */
  get searching(): boolean {
    return this.#live.searching;
  }
  /** The id of the run in progress (a search stores its trials as `${runId}/trial-N`). */
  get runId(): string | null {
    return this.#runId;
  }
  /** "penguin features v1", or "automatic", for the shown result. */
  get resultFeatureSet(): string {
    return this.#resultFeatureSet;
  }
  get error(): string | null {
    return this.#error;
  }
  get saved(): { name: string; version: number } | null {
    return this.#saved;
  }
  get saving(): boolean {
    return this.#saving;
  }

  /** Asks the ML worker which backend it would use and why (once). */
  async loadBackend(): Promise<void> {
    if (this.#backend) return;
    try {
      this.#backend = await mlClient().backendInfo('auto');
    } catch (error) {
      this.#backend = { backend: 'unknown', reason: userMessage(error) };
    }
  }

  /** Switches the dataset version; the target is kept when the new version has that column. */
  useVersion(versionId: number | null, columns: string[]): void {
    if (versionId === this.#versionId) return;
    this.#versionId = versionId;
    const keep = columns.includes(this.#target) ? this.#target : '';
    this.#task = '';
    this.#plan = null;
    void this.setTarget(keep);
  }

  async setTarget(target: string): Promise<void> {
    this.#target = target;
    this.#task = '';
    await this.#replan();
  }

  async setTask(task: TaskKind): Promise<void> {
    this.#task = task;
    await this.#replan();
  }

  async #replan(): Promise<void> {
    this.#planError = null;
    if (this.#versionId === null || !this.#target) {
      this.#plans.supersede();
      this.#plan = null;
      return;
    }
    const versionId = this.#versionId;
    const target = this.#target;
    const task = this.#task || undefined;
    try {
      const plan = await this.#plans.latest(() => dataClient().planFeatures(versionId, target, task));
      this.#plan = plan;
      this.#task = plan.task;
    } catch (error) {
      if (isStale(error)) return;
      this.#plan = null;
      this.#planError = userMessage(error);
    }
  }

  /** The pipeline spec of the current setup (the ML worker fills in its input and Check stage); throws naming a bad field. */
  spec(): PipelineSpec {
    const plan = this.#plan;
    if (!plan) throw new AppError('bad-argument', 'Choose a target column first');
    const review = this.review.policy({ target: plan.target, task: plan.task });
    const reviewOnly = this.review.reviewOnly;
    const read = this.featureSet?.features.flatMap((f) => ('column2' in f ? [f.column, f.column2] : [f.column])).find((c) => reviewOnly.includes(c));
    if (this.featureSet && read) {
      throw new AppError('bad-argument', `Feature set "${this.featureSet.name}" reads "${read}", which is for review only: remove its features or untick "For review only"`, { column: read });
    }
    return makeSpec({
      target: plan.target,
      task: plan.task,
      features: this.featureSet ? ($state.snapshot(this.featureSet) as FeatureSet) : null,
      ...this.options.specParts(),
      review,
      monitor: this.monitor.policy(),
    });
  }

  /** Takes a pipeline spec's target, task, features, split and model into the form (Use pipeline…). */
  async applySpec(spec: PipelineSpec): Promise<void> {
    if (this.running) return;
    this.featureSet = spec.features ? structuredClone(spec.features) : null;
    this.options.load(spec);
    this.review.load(spec.review);
    this.monitor.load(spec.monitor);
    await this.setTarget(spec.target);
    if (spec.task && spec.task !== this.#task) await this.setTask(spec.task);
  }

  /** Trains on the current setup; resolves when the run is done, cancelled or failed. */
  async train(label: string, datasetName: string): Promise<void> {
    const versionId = this.#versionId;
    if (this.running || versionId === null || !this.#plan) return;
    // Chosen here so "Cancel" works even before the first epoch reports back.
    const runId = crypto.randomUUID();
    this.#begin(runId, this.options.params.kind === 'auto' ? undefined : this.options.params.kind);
    let spec: PipelineSpec;
    try {
      spec = this.spec();
    } catch (error) {
      this.#status = 'failed';
      this.#error = userMessage(error);
      return;
    }
    const search = spec.model.search;
    this.#live.expect(search !== null, search?.trials ?? undefined);
    const request: TrainRequest = { runId, versionId, spec, backend: 'auto' };
    await this.#execute((onProgress) => mlClient().train(request, onProgress), label, datasetName, spec.features ?? undefined);
  }

  /** Continues a run that was cancelled or cut off by a reload, from its last stored epoch. */
  async resume(run: ResumableRun, label: string, datasetName: string): Promise<void> {
    if (this.running) return;
    this.#begin(run.runId, run.model);
    // A resumed search goes on with the trial it stopped in; its progress says so from then on.
    this.#live.start({ epoch: run.epoch, trial: run.trial, trials: run.trials, searching: run.trial !== undefined });
    await this.#execute((onProgress) => mlClient().resume(run.runId, onProgress), label, datasetName, undefined);
  }

  #begin(runId: string, kind: ModelKind | undefined): void {
    this.#shown.supersede();
    this.#curveKind = kind;
    this.#status = 'running';
    this.#runId = runId;
    this.#live.start();
    this.#error = null;
    this.#saved = null;
    this.#search = null;
    this.#cv = null;
  }

  async #execute(
    start: (onProgress: (p: TrainProgress) => void) => Promise<TrainResult>,
    label: string,
    datasetName: string,
    featureSet: FeatureSet | undefined,
  ): Promise<void> {
    try {
      const result = await start((p) => this.#live.report(p));
      this.#live.flush();
      this.#curveKind = result.cancelled ? (this.#live.progress?.model ?? this.#curveKind) : result.params.kind;
      this.#status = result.cancelled ? 'cancelled' : 'done';
      if (!result.cancelled) {
        this.#result = result;
        this.#resultLabel = label;
        this.#resultDataset = datasetName;
        this.#resultFeatureSet = featureSetLabel(featureSet);
        if (result.history.length) this.#live.showCurve(result.history);
        if (result.leaderboard) this.#search = { runId: result.runId, leaderboard: result.leaderboard };
        this.#cv = result.cv ?? null;
      }
    } catch (error) {
      this.#live.drop();
      this.#curveKind = this.#live.progress?.model ?? this.#curveKind;
      this.#status = 'failed';
      this.#error = userMessage(error);
    }
  }

  /**
   * Shows a stored run (e.g. after a reload, or a search trial) as the current result, so it can be reviewed and
   * saved: the whole run is read from the data worker; a later choice supersedes one still being read.
   */
  async showRun(runId: string, label: string, datasetName: string): Promise<void> {
    if (this.running) return;
    let run: RunDetail;
    try {
      run = await this.#shown.latest(() => dataClient().getRun(runId));
    } catch (error) {
      if (!isStale(error)) this.#error = userMessage(error);
      return;
    }
    if (this.running || !run.evaluation) return;
    this.#result = {
      runId: run.id,
      backend: run.backend,
      plan: run.plan,
      bundle: run.bundle,
      evaluation: run.evaluation,
      split: run.split,
      history: run.history,
      durationMs: run.durationMs,
      params: run.params,
      spec: run.spec,
      cancelled: false,
      ...(run.refit ? { refit: run.refit } : {}),
    };
    this.#resultLabel = label;
    this.#resultDataset = datasetName;
    this.#resultFeatureSet = featureSetLabel(run.spec.features ?? undefined);
    this.#live.showCurve(run.history);
    this.#curveKind = run.params.kind;
    this.#saved = null;
    this.#error = null;
  }

  /** Drops the shown result when its run was deleted (nothing is left to review or save). */
  forgetRuns(runIds: readonly string[]): void {
    const shown = this.#result?.runId;
    if (this.running || shown === undefined || !runIds.includes(shown)) return;
    this.#result = null;
    this.#resultLabel = null;
    this.#saved = null;
    this.#search = null;
    this.#status = 'idle';
    this.#curveKind = undefined;
    this.#live.showCurve([]);
  }

  cancel(): void {
    if (!this.running) return;
    if (this.#runId !== null) void mlClient().cancel(this.#runId);
  }

  /** Saves the shown run as the next version of `name`; a binary model keeps the decision threshold picked in Evaluate. */
  async save(name: string, threshold?: number): Promise<void> {
    const result = this.#result;
    if (!result || this.#saving || !name.trim()) return;
    this.#saving = true;
    this.#error = null;
    try {
      const { version } = await mlClient().saveModel(result.runId, name.trim(), threshold === undefined ? undefined : { threshold });
      this.#saved = { name: name.trim(), version };
    } catch (error) {
      this.#error = userMessage(error);
    } finally {
      this.#saving = false;
    }
  }

  destroy(): void {
    this.#live.drop();
    this.cancel();
    this.#plans.supersede();
    this.#shown.supersede();
  }
}
