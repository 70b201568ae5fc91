// One training run end to end, shared by the ML worker and the CLI: plan, split, transform, train, evaluate.
import type * as tf from '@tensorflow/tfjs';
import { AppError } from '../pipeline/errors.ts';
import { profileTable } from '../pipeline/profile.ts';
import { planFeatures, rowsWithTarget } from '../pipeline/plan.ts';
import { splitRows } from '../pipeline/split.ts';
import { getColumn } from '../pipeline/table.ts';
import { applyTransforms, encodeTarget, fitTransforms } from '../pipeline/transforms.ts';
import type { DataTable, FeaturePlan, ModelKind, TaskKind, TransformBundle, Evaluation } from '../pipeline/types.ts';
import { evaluateModel } from './evaluate.ts';
import { DEFAULT_HIDDEN } from './model.ts';
import { trainModel, type EpochRecord, type TrainHooks } from './train.ts';

/** Share of the rows kept aside for the test split. */
export const TEST_FRACTION = 0.2;

export interface RunOptions {
  target: string;
  task?: TaskKind;
  /** 'auto' picks by task and size; see `resolveModelKind`. */
  model: ModelKind | 'auto';
  seed: number;
  epochs: number;
  learningRate?: number;
  /** Default true; false trains every epoch asked for. */
  earlyStopping?: boolean;
  hidden?: number[];
}

export interface RunHooks extends TrainHooks {
  /** Called when a stage starts, e.g. 'profiling', 'training', 'evaluating'. */
  onPhase?(phase: 'profiling' | 'planning' | 'transforming' | 'training' | 'evaluating'): void;
}

export interface RunOutput {
  plan: FeaturePlan;
  bundle: TransformBundle;
  model: tf.Sequential;
  /** The model actually trained ('auto' resolved) and its hidden layers (empty for linear). */
  modelKind: ModelKind;
  hidden: number[];
  /** Why 'auto' chose `modelKind`, or that it was asked for. */
  modelReason: string;
  evaluation: Evaluation;
  history: EpochRecord[];
  epochMs: number[];
  bestEpoch: number;
  /** Row counts of the two splits. */
  split: { train: number; test: number };
  /** The table rows in each split. */
  splitRows: { train: Int32Array; test: Int32Array };
  durationMs: number;
  cancelled: boolean;
}

/**
 * 'auto': a linear model for classification (strong on tabular data, fast, easy to read); an MLP with one
 * hidden layer of 32 for regression, where targets often bend against their inputs (mpg against weight).
 */
export function resolveModelKind(requested: ModelKind | 'auto', task: TaskKind): { kind: ModelKind; reason: string } {
  if (requested !== 'auto') return { kind: requested, reason: `${requested} requested` };
  return task === 'regression'
    ? { kind: 'mlp', reason: 'auto: an MLP for regression, where the target may bend against its inputs' }
    : { kind: 'linear', reason: 'auto: a linear (logistic/softmax) model for classification' };
}

/** Stratum of each row in `rows`: the index of its target value, so both splits keep the class balance. */
function targetStrata(table: DataTable, target: string, rows: Int32Array): Int32Array {
  const column = getColumn(table, target);
  if ('codes' in column) return Int32Array.from(rows, (row) => column.codes[row]!);
  const seen = new Map<number, number>();
  return Int32Array.from(rows, (row) => {
    const value = column.values[row]!;
    let index = seen.get(value);
    if (index === undefined) seen.set(value, (index = seen.size));
    return index;
  });
}

/** Runs the pipeline on a table. The TF.js backend must already be chosen by the caller. */
export async function runPipeline(table: DataTable, options: RunOptions, hooks: RunHooks = {}): Promise<RunOutput> {
  const started = performance.now();
  if (!table.columns.some((column) => column.name === options.target)) {
    const names = table.columns.map((column) => `"${column.name}"`).join(', ');
    throw new AppError('unknown-column', `Unknown target column "${options.target}"; the columns are ${names}`, {
      column: options.target,
    });
  }
  hooks.onPhase?.('profiling');
  const profile = profileTable(table);
  hooks.onPhase?.('planning');
  const plan = planFeatures(table, profile, options.target, options.task);
  const rows = rowsWithTarget(table, options.target);
  if (rows.length < 10) {
    throw new AppError('too-few-rows', `Only ${rows.length} rows have a value in "${options.target}"; at least 10 are needed`, {
      column: options.target,
    });
  }
  const classification = plan.task !== 'regression';
  const strata = classification ? targetStrata(table, options.target, rows) : undefined;
  const { train, test } = splitRows(rows, TEST_FRACTION, options.seed, strata);

  hooks.onPhase?.('transforming');
  const bundle = fitTransforms(table, plan, train);
  const x = applyTransforms(table, bundle, train);
  const y = encodeTarget(table, bundle, train);
  const classCount = bundle.classes?.length ?? 0;

  hooks.onPhase?.('training');
  const { kind, reason } = resolveModelKind(options.model, plan.task);
  const hidden = kind === 'mlp' ? (options.hidden?.length ? options.hidden : DEFAULT_HIDDEN) : [];
  const outcome = await trainModel(
    x,
    y,
    train.length,
    bundle.width,
    plan.task,
    classCount,
    {
      model: kind,
      epochs: options.epochs,
      learningRate: options.learningRate,
      hidden,
      seed: options.seed,
      ...(options.earlyStopping === false ? { patience: Infinity } : {}),
    },
    hooks,
  );

  hooks.onPhase?.('evaluating');
  const evaluation = await evaluateModel(outcome.model, table, bundle, train, test);
  return {
    plan,
    bundle,
    model: outcome.model,
    modelKind: kind,
    hidden,
    modelReason: reason,
    evaluation,
    history: outcome.history,
    epochMs: outcome.epochMs,
    bestEpoch: outcome.bestEpoch,
    split: { train: train.length, test: test.length },
    splitRows: { train, test },
    durationMs: performance.now() - started,
    cancelled: outcome.cancelled,
  };
}
