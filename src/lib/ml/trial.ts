// One training of resolved parameters on given rows: fit the features, train, evaluate; shared by runs, search and CV.
import type { HeadlineKey, TrialParams } from '../contracts/training.ts';
import type { FeatureDef, FeatureSet } from '../pipeline/features/types.ts';
import { TREE_LEVELS } from './trees/tree-input.ts';
import { fitFeatureSet } from '../pipeline/features/fit.ts';
import { normalizeHyperParams } from '../pipeline/spec/hyperparams.ts';
import { applyTransforms, encodeTarget } from '../pipeline/transforms.ts';
import type { DataTable, Evaluation, FeaturePlan, Metrics, ModelKind, TaskKind, TransformBundle } from '../pipeline/types.ts';
import { evaluateModel } from './evaluate.ts';
import { balancedClassWeights, trainModel, type TrainHooks, type TrainOutcome } from './train.ts';
import type { TrainCheckpoint, TreesCheckpoint } from '../contracts/training.ts';
import { trainTrees } from './trees/train-trees.ts';

export type { HeadlineKey, TrialParams };

/** A trial whose bundle is already fitted, and (to continue a run) the checkpoint its training resumes from. */
export interface TrialStart {
  bundle: TransformBundle;
  train?: TrainCheckpoint | TreesCheckpoint;
}

/** What stays the same across the trainings of a run. */
export interface TrialContext {
  table: DataTable;
  plan: FeaturePlan;
  /** The features fitted on each training's rows (the plan's automatic features when the spec names none). */
  featureSet: FeatureSet;
  seed: number;
}

export interface TrialOutcome {
  bundle: TransformBundle;
  outcome: TrainOutcome;
  /** Metrics on the evaluation rows next to the dummy baseline (absent when there were none to evaluate on). */
  evaluation?: Evaluation;
  durationMs: number;
}

/** Parameters with linear models' unused knobs cleared, so equal models compare equal. */
export function normalizeParams(params: TrialParams): TrialParams {
  return normalizeHyperParams(params);
}

/**
 * Fits the transform bundle of the run's feature set on `rows`. For trees, missing numbers stay missing (each
 * split learns where they go) and a one-hot feature keeps every level up to TREE_LEVELS, the most frequent (the
 * rest share "other"): the trees read it as one native categorical column with a bin per level.
 */
export function fitBundle(context: TrialContext, rows: Int32Array, kind: ModelKind): TransformBundle {
  const { table, plan, featureSet } = context;
  const native = (def: FeatureDef): FeatureDef => (def.transform === 'onehot' ? { ...def, params: { ...def.params, minCount: 1, maxLevels: TREE_LEVELS } } : def);
  const set = kind === 'gbdt' ? { ...featureSet, features: featureSet.features.map(native) } : featureSet;
  const bundle = fitFeatureSet(table, set, rows, { target: plan.target, task: plan.task });
  return kind === 'gbdt' ? { ...bundle, keepMissing: true } : bundle;
}

/**
 * Fits the features on `trainRows` only, trains with `params` and evaluates on `evalRows` (null: no
 * evaluation). The caller owns (and must dispose) `outcome.model`. With `start`, its bundle is used as
 * is and training continues from its checkpoint, if any.
 */
export async function runTrial(
  context: TrialContext,
  params: TrialParams,
  trainRows: Int32Array,
  evalRows: Int32Array | null,
  hooks: TrainHooks = {},
  start?: TrialStart,
): Promise<TrialOutcome> {
  const started = performance.now();
  const { table, plan } = context;
  const p = normalizeParams(params);
  hooks.onModel?.(p);
  const bundle = start?.bundle ?? fitBundle(context, trainRows, p.kind);
  const x = applyTransforms(table, bundle, trainRows);
  const y = encodeTarget(table, bundle, trainRows);
  const classCount = bundle.classes?.length ?? 0;
  const resume = start?.train;
  if (resume && (resume.kind === 'trees') !== (p.kind === 'gbdt')) throw new Error(`The checkpoint is not of a ${p.kind} model`);
  const outcome = p.kind === 'gbdt'
    ? await trainTrees({ x, y, n: trainRows.length, task: plan.task, bundle, params: p, seed: context.seed, ...(resume?.kind === 'trees' ? { resume } : {}) }, hooks)
    : await trainModel(
    x,
    y,
    trainRows.length,
    bundle.width,
    plan.task,
    classCount,
    {
      model: p.kind,
      epochs: p.epochs,
      learningRate: p.learningRate,
      hidden: p.hidden,
      seed: context.seed,
      l2: p.l2,
      dropout: p.dropout,
      activation: p.activation,
      ...(p.batchSize !== null ? { batchSize: p.batchSize } : {}),
      ...(p.classWeights === 'balanced' && plan.task !== 'regression' ? { classWeights: balancedClassWeights(y, classCount) } : {}),
      // Without early stopping the budget is fixed: every training row is fitted (no validation slice) and the
      // step size decays to 0, so a linear model lands on its optimum (scikit-learn's Ridge/LogisticRegression
      // with the matching L2) instead of wherever Adam's noise leaves it.
      ...(p.earlyStopping ? {} : { validationFraction: 0, decay: 'linear' as const }),
      ...(resume && resume.kind !== 'trees' ? { resume } : {}),
    },
    hooks,
  );
  const evaluation = evalRows ? await evaluateModel(outcome.model, table, bundle, trainRows, evalRows) : undefined;
  return { bundle, outcome, ...(evaluation ? { evaluation } : {}), durationMs: performance.now() - started };
}

const HEADLINE_KEYS: readonly HeadlineKey[] = ['accuracy', 'macroF1', 'rocAuc', 'logLoss', 'rmse', 'mae', 'r2'];

/** The headline numbers of a metrics object (the keys that apply to its task), without curves or samples. */
export function headlineMetrics(metrics: Metrics): Partial<Record<HeadlineKey, number>> {
  const out: Partial<Record<HeadlineKey, number>> = {};
  for (const key of HEADLINE_KEYS) {
    const value = (metrics as unknown as Record<string, unknown>)[key];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}

/** The metric a task is ranked by, the tie-breaker, and which way is better. */
export function primaryMetric(task: TaskKind): { key: HeadlineKey; tieBreak: HeadlineKey; higherIsBetter: boolean } {
  if (task === 'regression') return { key: 'rmse', tieBreak: 'mae', higherIsBetter: false };
  if (task === 'binary') return { key: 'rocAuc', tieBreak: 'logLoss', higherIsBetter: true };
  return { key: 'accuracy', tieBreak: 'logLoss', higherIsBetter: true };
}
