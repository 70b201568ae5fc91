// A run's drift reference: the columns the model reads and its target over its training rows, and its predictions on its test rows, sketched.
import type { Predictor } from '../predictor.ts';
import type { ReferenceRecord } from '../../contracts/monitor.ts';
import { sketchTable } from '../../pipeline/drift/sketch.ts';
import { featureSourceColumns } from '../../pipeline/features/inputs.ts';
import { gatherColumn } from '../../pipeline/recipe/columns.ts';
import { applyTransforms, encodeTarget } from '../../pipeline/transforms.ts';
import { fitCalibration } from '../../pipeline/monitor/performance.ts';
import type { Column, DataTable, TransformBundle } from '../../pipeline/types.ts';
import { predictTable } from '../predict.ts';

/** The name of the one column of a predictions sketch. */
export const PREDICTION_COLUMN = 'prediction';

/** Rows transformed and predicted at a time. */
const CHUNK_ROWS = 65_536;

/** The columns a model's batches are compared on: its inputs' source columns, then its target. */
export function monitoredColumns(bundle: TransformBundle): string[] {
  const inputs = featureSourceColumns(bundle.features).filter((c) => c !== bundle.target);
  return [...inputs, bundle.target];
}

/** The model's outputs on `rows` of `table` (all rows when absent): n × k class probabilities (binary: k = 2), or n values. */
export async function modelOutputs(network: Predictor, table: DataTable, bundle: TransformBundle, rows?: Int32Array): Promise<Float32Array> {
  const n = rows ? rows.length : table.rowCount;
  const k = outputWidth(bundle);
  const outputs = new Float32Array(n * k);
  // A chunk at a time into one reused matrix: a million-row batch never holds its whole feature matrix.
  const matrix = new Float32Array(Math.min(n, CHUNK_ROWS) * bundle.width);
  const chunk = new Int32Array(Math.min(n, CHUNK_ROWS));
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    const m = Math.min(CHUNK_ROWS, n - start);
    const picked = chunk.subarray(0, m);
    for (let i = 0; i < m; i++) picked[i] = rows ? (rows[start + i] as number) : start + i;
    const x = applyTransforms(table, bundle, picked, matrix);
    outputs.set(await predictTable(network, x, m, bundle.width, bundle.task), start * k);
  }
  return outputs;
}

/** Outputs per row: the class count (2 for binary), or 1 for regression. */
export function outputWidth(bundle: TransformBundle): number {
  return bundle.task === 'regression' ? 1 : (bundle.classes ?? []).length;
}

/**
 * The outputs as one column: P(the last class) for a binary model, the most likely class for a multiclass one, the
 * value for regression.
 */
export function predictionColumn(outputs: Float32Array, bundle: TransformBundle): Column {
  const k = outputWidth(bundle);
  const n = outputs.length / k;
  if (bundle.task === 'regression') return { name: PREDICTION_COLUMN, type: 'number', values: Float64Array.from(outputs) };
  if (bundle.task === 'binary') {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = outputs[2 * i + 1] as number;
    return { name: PREDICTION_COLUMN, type: 'number', values };
  }
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if ((outputs[i * k + c] as number) > (outputs[i * k + best] as number)) best = c;
    codes[i] = best;
  }
  return { name: PREDICTION_COLUMN, type: 'category', codes, levels: [...(bundle.classes ?? [])] };
}

/** The rows `rows` of the named columns of `table` that it has. */
export function pickRows(table: DataTable, names: readonly string[], rows: Int32Array): DataTable {
  const wanted = new Set(names);
  return { rowCount: rows.length, columns: table.columns.filter((c) => wanted.has(c.name)).map((c) => gatherColumn(c, rows)) };
}

/**
 * Sketches a run's reference from the table it trained on (after its recipe) and its split: the monitored columns
 * over the training rows, the predictions over the test rows.
 */
export async function makeReference(
  runId: string,
  network: Predictor,
  table: DataTable,
  bundle: TransformBundle,
  splitRows: { train: Int32Array; test: Int32Array },
  madeAt: ReferenceRecord['madeAt'],
): Promise<ReferenceRecord> {
  const data = sketchTable(pickRows(table, monitoredColumns(bundle), splitRows.train));
  const outputs = await modelOutputs(network, table, bundle, splitRows.test);
  const predictions = sketchTable({ rowCount: splitRows.test.length, columns: [predictionColumn(outputs, bundle)] });
  // The test rows' outputs and labels, and the calibration the label-free performance estimate applies (fitted on them).
  const k = outputWidth(bundle);
  const labels = encodeTarget(table, bundle, splitRows.test);
  const calibration = bundle.task === 'regression' || splitRows.test.length === 0 ? null : fitCalibration({ n: splitRows.test.length, k, probabilities: outputs }, Int32Array.from(labels), { positive: k - 1 });
  return { runId, data, predictions, test: { outputs, k, labels }, calibration, createdAt: new Date().toISOString(), madeAt };
}
