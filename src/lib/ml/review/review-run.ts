// A trained run reviewed on its test rows, the same for the ML worker and the CLI: predictions, the evaluation report (against the champion too) and permutation importance.
import { isTrees, type Predictor } from '../predictor.ts';
import { treeGainImportance } from '../trees/tree-importance.ts';
import type { PipelineSpec } from '../../pipeline/spec/types.ts';
import { evaluationReport, type EvaluationReport } from '../../pipeline/review/report.ts';
import { getColumn } from '../../pipeline/table.ts';
import type { DataTable, TransformBundle } from '../../pipeline/types.ts';
import { permutationImportance, type PermutationImportance } from './importance.ts';
import { baselineOutputs, testPredictions, type TestPredictions } from './predictions.ts';

export interface RunReview {
  predictions: TestPredictions;
  evaluation: EvaluationReport;
  importance: PermutationImportance;
}

export interface EvaluateOptions {
  /** Maps table rows to the records of the input file (null: the same). */
  sourceRows?: Int32Array | null;
  /** The model's weights in bytes (the size check). */
  bytes: number;
  /** The champion's outputs on the same test rows, in the run's class order (see champion.ts). */
  championOutputs?: Float32Array | undefined;
  /** A latency measured before (a report recomputed later keeps it); else the scoring here is timed. */
  msPer1000Rows?: number | undefined;
}

/**
 * Scores the test rows once (timing it for the latency check) and builds the evaluation report against the dummy
 * fitted on the training rows, and against the champion when its outputs are given; seeded by the spec's seed.
 */
export async function evaluateRun(
  model: Predictor,
  table: DataTable,
  bundle: TransformBundle,
  splitRows: { train: Int32Array; test: Int32Array },
  spec: Pick<PipelineSpec, 'review' | 'split'>,
  options: EvaluateOptions,
): Promise<{ predictions: TestPredictions; evaluation: EvaluationReport }> {
  const { train, test } = splitRows;
  const started = performance.now();
  const predictions = await testPredictions(model, table, bundle, test, options.sourceRows ?? null);
  const msPer1000Rows = options.msPer1000Rows ?? ((performance.now() - started) / Math.max(1, test.length)) * 1000;
  const evaluation = evaluationReport({
    task: bundle.task,
    classes: bundle.classes ?? [],
    actual: predictions.actual,
    outputs: predictions.outputs,
    baselineOutputs: baselineOutputs(table, bundle, train, test.length),
    championOutputs: options.championOutputs,
    policy: spec.review,
    sensitive: (spec.review?.sensitive ?? []).map((sensitive) => ({ spec: sensitive, column: getColumn(table, sensitive.column), rows: test })),
    bytes: options.bytes,
    msPer1000Rows,
    bootstrap: { seed: spec.split.seed },
  });
  return { predictions, evaluation };
}

/** `evaluateRun` and then the permutation importance of each source column on the test rows. */
export async function reviewRun(
  model: Predictor,
  table: DataTable,
  bundle: TransformBundle,
  splitRows: { train: Int32Array; test: Int32Array },
  spec: Pick<PipelineSpec, 'review' | 'split'>,
  options: EvaluateOptions,
): Promise<RunReview> {
  const { predictions, evaluation } = await evaluateRun(model, table, bundle, splitRows, spec, options);
  const permutation = await permutationImportance(model, table, bundle, splitRows.test, { seed: spec.split.seed });
  // Trees also say how much each column's splits reduced the loss in training (gain importance).
  const importance = isTrees(model) ? { ...permutation, gain: treeGainImportance(model) } : permutation;
  return { predictions, evaluation, importance };
}
