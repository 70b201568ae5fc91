// The model's predictions on the test rows, through the scoring path, with the row of the input file each came from.
import type { Predictor } from '../predictor.ts';
import { toCsv, formatFloat32 } from '../../pipeline/csv-write.ts';
import { getColumn, cellValue } from '../../pipeline/table.ts';
import { applyTransforms, encodeTarget } from '../../pipeline/transforms.ts';
import type { DataTable, TransformBundle } from '../../pipeline/types.ts';
import { predictTable } from '../predict.ts';

/** Test-split predictions: for classification `labels` are class indices (-1: a class unseen in training) and `probs` n × k. */
export interface TestPredictions {
  /** Rows of the table the model was trained on. */
  rows: Int32Array;
  /** 0-based index of each row's record in the input file (before the recipe dropped or filtered any). */
  sourceRows: Int32Array;
  task: TransformBundle['task'];
  classes: string[];
  /** Class index (-1: a class unseen in training) or value of each row's target. */
  actual: Float32Array;
  /** Classification: each row's target as written (a class the model never saw included); null when missing. */
  actualLabels: (string | null)[];
  /** Regression: the predicted values; classification: n × k probabilities. */
  outputs: Float32Array;
}

/** Scores `rows` of `table` with the model; `sourceRows` maps table rows to input records (null: the same). */
export async function testPredictions(
  model: Predictor,
  table: DataTable,
  bundle: TransformBundle,
  rows: Int32Array,
  sourceRows: Int32Array | null,
): Promise<TestPredictions> {
  const x = applyTransforms(table, bundle, rows);
  const outputs = await predictTable(model, x, rows.length, bundle.width, bundle.task);
  return {
    rows,
    sourceRows: sourceRows ? Int32Array.from(rows, (r) => sourceRows[r]!) : Int32Array.from(rows),
    task: bundle.task,
    classes: bundle.classes ?? [],
    actual: encodeTarget(table, bundle, rows),
    actualLabels: bundle.task === 'regression' ? [] : Array.from(rows, (r) => {
      const value = cellValue(getColumn(table, bundle.target), r);
      return value === null ? null : String(value);
    }),
    outputs,
  };
}

/** The predicted class index of row i (the most probable; ties go to the lower index). */
export function predictedClass(outputs: Float32Array, k: number, i: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (outputs[i * k + c]! > outputs[i * k + best]!) best = c;
  return best;
}

/**
 * test-predictions.csv: `row` (0-based index of the record in the input file), `actual`, `predicted`, and for
 * classification one `p_<class>` column per class. Rows are in file order.
 */
export function testPredictionsCsv(p: TestPredictions): string {
  const order = Int32Array.from(p.sourceRows.keys()).sort((a, b) => p.sourceRows[a]! - p.sourceRows[b]!);
  const k = p.classes.length;
  const classification = p.task !== 'regression';
  const header = ['row', 'actual', 'predicted', ...(classification ? p.classes.map((c) => `p_${c}`) : [])];
  return toCsv(header, order.length, (r, col) => {
    const i = order[r]!;
    if (col === 0) return p.sourceRows[i]!;
    if (!classification) return formatFloat32(col === 1 ? p.actual[i]! : p.outputs[i]!);
    if (col === 1) return p.actualLabels[i] ?? null;
    if (col === 2) return p.classes[predictedClass(p.outputs, k, i)] ?? null;
    return formatFloat32(p.outputs[i * k + (col - 3)]!);
  });
}

/**
 * The dummy baseline's outputs on `n` test rows, fitted on the training rows as the run's baseline is: the
 * training class frequencies as every row's probabilities (scikit-learn's DummyClassifier "prior"), or the
 * training mean (DummyRegressor "mean").
 */
export function baselineOutputs(table: DataTable, bundle: TransformBundle, trainRows: Int32Array, n: number): Float32Array {
  const y = encodeTarget(table, bundle, trainRows);
  if (bundle.task === 'regression') {
    let sum = 0;
    let count = 0;
    for (const v of y) {
      if (v !== v) continue;
      sum += v;
      count++;
    }
    return new Float32Array(n).fill(count ? sum / count : 0);
  }
  const k = bundle.classes?.length ?? 0;
  const freq = new Float64Array(k);
  let total = 0;
  for (const label of y) {
    if (label < 0) continue;
    freq[label]! += 1;
    total++;
  }
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] = total ? freq[c]! / total : 1 / k;
  return out;
}
