// A trained run reviewed on its test rows, the same for the ML worker and the CLI: predictions, the evaluation report and permutation importance.
import type * as tf from '@tensorflow/tfjs';
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

/**
 * Scores the test rows once (timing it for the latency check), builds the evaluation report against the
 * dummy fitted on the training rows, and the permutation importance; seeded by the spec's seed.
 */
export async function reviewRun(
  model: tf.LayersModel,
  table: DataTable,
  bundle: TransformBundle,
  splitRows: { train: Int32Array; test: Int32Array },
  spec: Pick<PipelineSpec, 'review' | 'split'>,
  options: { sourceRows?: Int32Array | null; bytes: number },
): Promise<RunReview> {
  const { train, test } = splitRows;
  const started = performance.now();
  const predictions = await testPredictions(model, table, bundle, test, options.sourceRows ?? null);
  const msPer1000Rows = ((performance.now() - started) / Math.max(1, test.length)) * 1000;
  const evaluation = evaluationReport({
    task: bundle.task,
    classes: bundle.classes ?? [],
    actual: predictions.actual,
    outputs: predictions.outputs,
    baselineOutputs: baselineOutputs(table, bundle, train, test.length),
    policy: spec.review,
    sensitive: (spec.review?.sensitive ?? []).map((sensitive) => ({ spec: sensitive, column: getColumn(table, sensitive.column), rows: test })),
    bytes: options.bytes,
    msPer1000Rows,
    bootstrap: { seed: spec.split.seed },
  });
  const importance = await permutationImportance(model, table, bundle, test, { seed: spec.split.seed });
  return { predictions, evaluation, importance };
}
