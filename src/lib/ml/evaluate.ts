// Test-split evaluation of a trained model next to the dummy baseline on the same split.
import type { Predictor } from './predictor.ts';
import {
  classificationMetrics,
  dummyClassification,
  dummyRegression,
  regressionMetrics,
} from '../pipeline/metrics.ts';
import { applyTransforms, encodeTarget } from '../pipeline/transforms.ts';
import type { DataTable, Evaluation, TransformBundle } from '../pipeline/types.ts';
import { predictTable } from './predict.ts';

/** Keeps the rows whose encoded class is known (encodeTarget gives -1 for a class unseen in training). */
function knownClassRows(labels: Float32Array): Int32Array {
  const keep: number[] = [];
  labels.forEach((label, i) => {
    if (label >= 0) keep.push(i);
  });
  return Int32Array.from(keep);
}

/** Metrics on `test` and the dummy baseline (majority class or training mean) fitted on `train`. */
export async function evaluateModel(
  model: Predictor,
  table: DataTable,
  bundle: TransformBundle,
  train: Int32Array,
  test: Int32Array,
): Promise<Evaluation> {
  const yTrain = encodeTarget(table, bundle, train);
  const yTestAll = encodeTarget(table, bundle, test);
  if (bundle.task === 'regression') {
    const x = applyTransforms(table, bundle, test);
    const predicted = await predictTable(model, x, test.length, bundle.width, bundle.task);
    return {
      task: bundle.task,
      metrics: regressionMetrics(yTestAll, predicted),
      baseline: dummyRegression(yTrain, yTestAll),
    };
  }
  const classes = bundle.classes ?? [];
  const known = knownClassRows(yTestAll);
  const testRows = Int32Array.from(known, (i) => test[i]!);
  const x = applyTransforms(table, bundle, testRows);
  const probs = await predictTable(model, x, testRows.length, bundle.width, bundle.task);
  const yTest = Int32Array.from(known, (i) => yTestAll[i]!);
  const trainLabels = Int32Array.from(knownClassRows(yTrain), (i) => yTrain[i]!);
  return {
    task: bundle.task,
    metrics: classificationMetrics(yTest, probs, classes),
    baseline: dummyClassification(trainLabels, yTest, classes),
  };
}
