// Batch scoring: a saved model and its transform bundle applied to a new table.
import type * as tf from '@tensorflow/tfjs';
import { applyTransforms } from '../pipeline/transforms.ts';
import type { DataTable, TransformBundle } from '../pipeline/types.ts';
import { predictTable } from './predict.ts';

/** One output column of a scoring run. */
export interface PredictionColumn {
  name: string;
  values: string[] | Float32Array;
}

/**
 * Predictions for every row of `table`: for classification the predicted label and one
 * `probability_<class>` column per class; for regression the predicted value.
 */
export async function scoreTable(
  model: tf.LayersModel,
  bundle: TransformBundle,
  table: DataTable,
): Promise<PredictionColumn[]> {
  const n = table.rowCount;
  const x = applyTransforms(table, bundle);
  const out = await predictTable(model, x, n, bundle.width, bundle.task);
  const predictedName = `predicted_${bundle.target}`;
  if (bundle.task === 'regression') return [{ name: predictedName, values: out }];
  const classes = bundle.classes ?? [];
  const k = classes.length;
  const labels: string[] = new Array<string>(n);
  const probabilities = classes.map(() => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    let bestClass = 0;
    for (let c = 0; c < k; c++) {
      const p = out[i * k + c]!;
      probabilities[c]![i] = p;
      if (p > out[i * k + bestClass]!) bestClass = c;
    }
    labels[i] = classes[bestClass] ?? '';
  }
  return [
    { name: predictedName, values: labels },
    ...classes.map((label, c) => ({ name: `probability_${label}`, values: probabilities[c]! })),
  ];
}
