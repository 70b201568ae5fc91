// One training run end to end, shared by the ML worker and the CLI: plan, split, features, (search, CV), train, evaluate.
import type { EpochRecord, RunCheckpoint, SearchCheckpoint, SearchRefit, TrainCheckpoint, TreesCheckpoint, TrialParams, TrialRecord } from '../contracts/training.ts';
import { AppError } from '../pipeline/errors.ts';
import { featureSetFromPlan, planFromFeatureSet } from '../pipeline/features/fit.ts';
import type { FeatureSet } from '../pipeline/features/types.ts';
import { parseFeatureSet } from '../pipeline/features/validate.ts';
import { planFeatures, rowsWithTarget } from '../pipeline/plan.ts';
import { profileTable } from '../pipeline/profile.ts';
import { checkPolicyColumns } from '../pipeline/review/policy.ts';
import { resolveModelKind, resolveParams, runSearchOf } from '../pipeline/spec/resolve.ts';
import type { PipelineSpec } from '../pipeline/spec/types.ts';

export { resolveModelKind, resolveParams };
import { getColumn } from '../pipeline/table.ts';
import { inferTask } from '../pipeline/task.ts';
import type { DataTable, Evaluation, FeaturePlan, ModelKind, TaskKind, TransformBundle } from '../pipeline/types.ts';
import { crossValidate, type CvResult } from './cv.ts';
import { evaluateModel } from './evaluate.ts';
import { runSearch, type SearchHooks } from './search.ts';
import { makeSplitter, type SplitKind } from './split-plan.ts';
import { fitBundle, runTrial, type TrialContext } from './trial.ts';
import type { Predictor } from './predictor.ts';

export type { RunCheckpoint };

/** Share of the rows kept aside for the test split. */
export const TEST_FRACTION = 0.2;
/** The largest seed: numpy's RandomState takes 0…2³²−1, and the splits replay numpy's draws (see split.ts). */
export const MAX_SEED = 0xffffffff;
/** The seed of a derived split (validation slice, folds): the run's seed plus `offset`, wrapped into 0…MAX_SEED. */
const derivedSeed = (seed: number, offset: number) => (seed + offset) % (MAX_SEED + 1);
/** Share of the training split a search scores its trials on. */
export const VALIDATION_FRACTION = 0.2;

/**
 * The rows a finished run was evaluated with, divided again exactly as `runPipeline` divides them: the test rows,
 * and the rows its final model and the dummy were fitted on: the training split, or for a search whose best
 * trial was not refitted (`refit` absent or false: older runs, cancelled searches) the split less its validation
 * slice. `task` is the run's plan's task; `table` the table it trained on (after its recipe and privacy steps).
 */
export function evaluationRows(
  table: DataTable,
  spec: Pick<RunSpec, 'target' | 'split' | 'model'>,
  task: TaskKind,
  refit?: Pick<SearchRefit, 'refitted'>,
): { train: Int32Array; test: Int32Array } {
  const { seed } = spec.split;
  const splitter = makeSplitter(table, spec.target, task, spec.split.kind === 'auto' ? undefined : spec.split.kind, spec.split.timeColumn ?? undefined);
  const { train, test } = splitter.split(rowsWithTarget(table, spec.target), TEST_FRACTION, seed);
  const slice = runSearchOf(spec.model, task) && !refit?.refitted;
  return { train: slice ? splitter.split(train, VALIDATION_FRACTION, derivedSeed(seed, 1)).train : train, test };
}

/** The parts of a pipeline spec that training reads. */
export type RunSpec = Pick<PipelineSpec, 'target' | 'task' | 'features' | 'split' | 'model'> & Partial<Pick<PipelineSpec, 'review'>>;

export interface RunHooks extends SearchHooks {
  /**
   * The state of a run after an epoch (throttled; always the last epoch before a cancel), and for a
   * search also after each finished trial.
   */
  onRunCheckpoint?(checkpoint: RunCheckpoint): Promise<void> | void;
  /** Called when a stage starts. */
  onPhase?(phase: 'profiling' | 'planning' | 'transforming' | 'searching' | 'refitting' | 'cross-validating' | 'training' | 'evaluating'): void;
}

export interface RunOutput {
  plan: FeaturePlan;
  bundle: TransformBundle;
  model: Predictor;
  /** The model actually trained ('auto' resolved) and its hidden layers (empty for linear). */
  modelKind: ModelKind;
  hidden: number[];
  /** Why 'auto' chose `modelKind`, or that it was asked for (or that a search picked it). */
  modelReason: string;
  /** Every hyper-parameter of the final model. */
  params: TrialParams;
  evaluation: Evaluation;
  history: EpochRecord[];
  epochMs: number[];
  bestEpoch: number;
  /** Row counts: train (what the model was fitted on), test, and the search's validation slice. */
  split: { train: number; test: number; validation?: number };
  splitKind: SplitKind;
  /** The table rows in each split. */
  splitRows: { train: Int32Array; test: Int32Array };
  /** The feature set fitted: the one given, or the automatic plan's equivalent. */
  featureSet: FeatureSet;
  leaderboard?: TrialRecord[];
  /** A search: its best trial's parameters refitted on the whole training split (not when it was cancelled). */
  refit?: SearchRefit;
  searchMs?: number;
  cv?: CvResult;
  durationMs: number;
  cancelled: boolean;
}

/**
 * The plan without the sensitive columns the review policy keeps out of the model ("for review only"): the
 * automatic plan drops them with that reason; a feature set that reads one is refused, naming it.
 */
function withoutReviewOnly(plan: FeaturePlan, featureSet: FeatureSet, spec: RunSpec): { plan: FeaturePlan; featureSet: FeatureSet } {
  const reviewOnly = new Set((spec.review?.sensitive ?? []).filter((s) => s.reviewOnly).map((s) => s.column));
  const read = plan.features.filter((column) => reviewOnly.has(column));
  if (read.length === 0) return { plan, featureSet };
  if (spec.features) {
    throw new AppError('bad-argument', `Feature set "${spec.features.name}" reads "${read[0]}", which the review policy keeps for review only`, { column: read[0] });
  }
  return {
    plan: {
      ...plan,
      features: plan.features.filter((column) => !reviewOnly.has(column)),
      dropped: [...plan.dropped, ...read.map((column) => ({ column, reason: 'is for review only (a sensitive column the model must not use)' }))],
    },
    featureSet: { ...featureSet, features: featureSet.features.filter((def) => !reviewOnly.has(def.column) && !('column2' in def && reviewOnly.has(def.column2))) },
  };
}

const MODEL_WORDS: Record<string, string> = { linear: 'the linear model', mlp: 'the MLP', gbdt: 'gradient-boosted trees' };

/** Why 'auto' kept its model: the two trials' validation scores, e.g. "auto: gradient-boosted trees scored … ". */
function autoReason(leaderboard: TrialRecord[], refitted: string): string {
  const [best, other] = leaderboard;
  if (!best) return 'auto';
  const score = (t: TrialRecord) => (Number.isFinite(t.score) ? t.score.toFixed(4) : 'n/a');
  const against = other ? ` than ${MODEL_WORDS[other.params.kind]} (${score(other)})` : '';
  return `auto: ${MODEL_WORDS[best.params.kind]} scored better on the validation slice by ${best.metric} (${score(best)})${against}${refitted}`;
}

/**
 * Runs the pipeline on a table. The TF.js backend must already be chosen by the caller. With `resume` (a
 * checkpoint of the same request on the same table) the stored split and bundle are used and training
 * continues from the checkpoint's epoch, reaching the same result as a run that never stopped.
 */
export async function runPipeline(table: DataTable, spec: RunSpec, allHooks: RunHooks = {}, resume?: RunCheckpoint): Promise<RunOutput> {
  const started = performance.now() - (resume?.elapsedMs ?? 0);
  const { onRunCheckpoint, onCheckpoint: _unused, ...hooks } = allHooks;
  if (!table.columns.some((column) => column.name === spec.target)) {
    const names = table.columns.map((column) => `"${column.name}"`).join(', ');
    throw new AppError('unknown-column', `Unknown target column "${spec.target}"; the columns are ${names}`, {
      column: spec.target,
    });
  }
  checkPolicyColumns(spec.review ?? null, table.columns);
  let plan: FeaturePlan;
  let featureSet: FeatureSet;
  if (spec.features) {
    featureSet = parseFeatureSet(spec.features, `Feature set "${spec.features.name ?? ''}"`);
    hooks.onPhase?.('planning');
    const task = spec.task ?? inferTask(getColumn(table, spec.target));
    plan = planFromFeatureSet(table, featureSet, spec.target, task);
  } else {
    hooks.onPhase?.('profiling');
    const profile = profileTable(table);
    hooks.onPhase?.('planning');
    plan = planFeatures(table, profile, spec.target, spec.task ?? undefined);
    featureSet = featureSetFromPlan(plan, profile);
  }
  ({ plan, featureSet } = withoutReviewOnly(plan, featureSet, spec));
  const rows = rowsWithTarget(table, spec.target);
  if (rows.length < 10) {
    throw new AppError('too-few-rows', `Only ${rows.length} rows have a value in "${spec.target}"; at least 10 are needed`, {
      column: spec.target,
    });
  }
  const { seed } = spec.split;
  const splitter = makeSplitter(table, spec.target, plan.task, spec.split.kind === 'auto' ? undefined : spec.split.kind, spec.split.timeColumn ?? undefined);
  const { train, test } = resume?.splitRows ?? splitter.split(rows, TEST_FRACTION, seed);

  const context: TrialContext = { table, plan, featureSet, seed };
  const resolved = resolveParams(spec.model, plan.task);
  let params: TrialParams = resolved.params;
  const search = runSearchOf(spec.model, plan.task);
  if (resume && !search !== !resume.search) {
    throw new AppError('bad-argument', `The checkpoint is ${resume.search ? "a search's" : "a plain run's"}, the spec ${search ? 'a search' : 'a plain run'}`);
  }

  let model: Predictor;
  let bundle: TransformBundle;
  let history: EpochRecord[];
  let epochMs: number[];
  let bestEpoch: number;
  let cancelled: boolean;
  let modelReason = resolved.reason;
  let fitRows = train;
  let leaderboard: TrialRecord[] | undefined;
  let searchMs: number | undefined;
  let validation: number | undefined;
  let refit: SearchRefit | undefined;
  if (search) {
    hooks.onPhase?.('searching');
    const inner = splitter.split(train, VALIDATION_FRACTION, derivedSeed(seed, 1));
    const searchHooks: SearchHooks = onRunCheckpoint
      ? {
          ...hooks,
          onSearchCheckpoint: (search: SearchCheckpoint) =>
            onRunCheckpoint({ splitRows: { train, test }, search, elapsedMs: performance.now() - started }),
        }
      : hooks;
    const result = await runSearch(context, params, search, inner.train, inner.test, searchHooks, resume?.search);
    ({ leaderboard, durationMs: searchMs, cancelled } = result);
    ({ model, bundle } = result.best);
    ({ params, history, bestEpoch } = result.best.record);
    epochMs = history.map(() => result.best.record.meanEpochMs);
    fitRows = inner.train;
    validation = inner.test.length;
    const best = result.best.record.trial;
    const rowsOf = { trialRows: inner.train.length, validationRows: inner.test.length };
    if (cancelled) {
      const note = `The search was cancelled, so trial ${best}'s own model (fitted on ${inner.train.length} rows, the training split less the validation slice) is kept, not refitted`;
      refit = { trial: best, refitted: false, rows: inner.train.length, ...rowsOf, note };
    } else {
      // refit=True: the best trial's parameters fitted again on the whole training split, as a plain run would be.
      hooks.onPhase?.('refitting');
      result.best.model.dispose();
      const final = await runTrial(context, params, train, null, hooks);
      ({ bundle, outcome: { model, history, epochMs, bestEpoch, cancelled } } = final);
      fitRows = train;
      const stopped = cancelled ? `; the refit was cancelled after ${history.length} epochs` : '';
      const note = `Trial ${best}'s parameters refitted on all ${train.length} training rows (the trials were fitted on ${inner.train.length} and scored on the other ${inner.test.length})${stopped}`;
      refit = { trial: best, refitted: true, rows: train.length, ...rowsOf, note };
    }
    const refitted = refit.refitted ? `, refitted on all ${train.length} training rows` : ', not refitted (cancelled)';
    modelReason = spec.model.search ? `search: best of ${leaderboard.length} ${search.strategy} trials by validation ${result.best.record.metric}${refitted}` : autoReason(leaderboard, refitted);
  } else {
    hooks.onPhase?.('training');
    const fitted = resume?.bundle ?? fitBundle(context, train, params.kind);
    const trainHooks = onRunCheckpoint
      ? {
          ...hooks,
          onCheckpoint: (state: TrainCheckpoint | TreesCheckpoint) =>
            onRunCheckpoint({ splitRows: { train, test }, bundle: fitted, train: state, elapsedMs: performance.now() - started }),
        }
      : hooks;
    const trial = await runTrial(context, params, train, null, trainHooks, { bundle: fitted, ...(resume?.train ? { train: resume.train } : {}) });
    ({ bundle, outcome: { model, history, epochMs, bestEpoch, cancelled } } = trial);
  }

  let cv: CvResult | undefined;
  const folds = spec.split.folds;
  if (folds && !cancelled) {
    hooks.onPhase?.('cross-validating');
    cv = await crossValidate(context, params, splitter.folds(train, folds, derivedSeed(seed, 2)), splitter.kind, hooks);
  }

  hooks.onPhase?.('evaluating');
  const evaluation = await evaluateModel(model, table, bundle, fitRows, test);
  return {
    plan,
    bundle,
    model,
    modelKind: params.kind,
    hidden: params.hidden,
    modelReason,
    params,
    evaluation,
    history,
    epochMs,
    bestEpoch,
    split: validation === undefined ? { train: fitRows.length, test: test.length } : { train: fitRows.length, test: test.length, validation },
    splitKind: splitter.kind,
    splitRows: { train: fitRows, test },
    featureSet,
    ...(leaderboard ? { leaderboard, searchMs } : {}),
    ...(refit ? { refit } : {}),
    ...(cv ? { cv } : {}),
    durationMs: performance.now() - started,
    cancelled,
  };
}
