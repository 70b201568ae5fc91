// Shuffle scoring state: the first layer's pre-activation kept once, and the logits with one column's slots shifted.
import * as tf from '@tensorflow/tfjs';
import { isStringColumn } from '../../pipeline/table.ts';
import { applyTransforms, fittedFeatureNames } from '../../pipeline/transforms.ts';
import type { Column, DataTable, TransformBundle } from '../../pipeline/types.ts';
import type { DenseWeights } from '../model.ts';
import { PREDICT_CHUNK_ROWS } from '../predict.ts';
import { logitsFromFirst, type FeatureSlots } from './network.ts';

/** The same column restricted to (and reordered by) `rows`. */
function gatherColumn(column: Column, rows: Int32Array): Column {
  if (isStringColumn(column)) return { ...column, codes: Int32Array.from(rows, (r) => column.codes[r] ?? -1) };
  return { ...column, values: Float64Array.from(rows, (r) => column.values[r] ?? NaN) };
}

function slotsOf(features: FeatureSlots[]): number[] {
  return features.flatMap(({ start, end }) => Array.from({ length: end - start }, (_, j) => start + j));
}

/**
 * The scoring state shared by every shuffle: the matrix, and the first layer's pre-activation x·W₁ + b₁ of every
 * row, computed once and kept on the backend in chunks (as predict.ts scores: pre-sliced, never whole).
 */
export interface Scoring {
  layers: DenseWeights[];
  x: Float32Array;
  width: number;
  n: number;
  units: number;
  chunks: { start: number; rows: number; z1: tf.Tensor2D }[];
}

export function startScoring(layers: DenseWeights[], x: Float32Array, n: number, width: number): Scoring {
  const first = layers[0] as DenseWeights;
  const units = layers[layers.length - 1]!.kernel.shape[1] as number;
  const chunks: Scoring['chunks'] = [];
  for (let start = 0; start < n; start += PREDICT_CHUNK_ROWS) {
    const rows = Math.min(PREDICT_CHUNK_ROWS, n - start);
    const input = x.subarray(start * width, (start + rows) * width);
    chunks.push({ start, rows, z1: tf.tidy(() => tf.fused.matMul({ a: tf.tensor2d(input, [rows, width]), b: first.kernel as tf.Tensor2D, bias: first.bias }) as tf.Tensor2D) });
  }
  return { layers, x, width, n, units, chunks };
}

/**
 * What shuffling one column changes: the slots of the features that read it. The slots of features reading only
 * that column move with the rows (`block`, rows × their count, copied out of the matrix once); the slots of
 * features that also read another column (ratio, difference) are recomputed per shuffle. `kernel` holds the
 * first layer's kernel rows of all those slots, `delta` the new − old values of a shuffle (reused).
 */
export interface ColumnShift {
  column: string;
  moved: number;
  block: Float32Array;
  recomputed: FeatureSlots[];
  kernel: tf.Tensor2D;
  delta: Float32Array;
}

export function columnShift(s: Scoring, column: string, features: FeatureSlots[]): ColumnShift {
  const { n, x, width } = s;
  const movedSlots = slotsOf(features.filter((f) => f.columns.length === 1));
  const recomputed = features.filter((f) => f.columns.length > 1);
  const slots = [...movedSlots, ...slotsOf(recomputed)];
  const moved = movedSlots.length;
  const block = new Float32Array(n * moved);
  for (let i = 0; i < n; i++) for (let j = 0; j < moved; j++) block[i * moved + j] = x[i * width + (movedSlots[j] as number)] as number;
  const kernel = tf.gather(s.layers[0]!.kernel, slots) as tf.Tensor2D;
  return { column, moved, block, recomputed, kernel, delta: new Float32Array(n * slots.length) };
}

/** Fills `shift.delta` with the new − old slot values when the column is shuffled by `order` (row i takes row order[i]'s value). */
export function fillDelta(s: Scoring, table: DataTable, bundle: TransformBundle, used: Int32Array, shift: ColumnShift, order: Int32Array): void {
  const { n, x, width } = s;
  const { moved, block, delta, recomputed, column } = shift;
  const k = delta.length / n;
  if (k === 1 && moved === 1) {
    // One numeric slot (the common case): a plain gather.
    for (let i = 0; i < n; i++) delta[i] = (block[order[i] as number] as number) - (block[i] as number);
    return;
  }
  for (let i = 0; i < n; i++) {
    const from = (order[i] as number) * moved;
    for (let j = 0; j < moved; j++) delta[i * k + j] = (block[from + j] as number) - (block[i * moved + j] as number);
  }
  if (recomputed.length === 0) return;
  const shuffled = Int32Array.from(order, (i) => used[i] as number);
  let o = moved;
  for (const { feature, start, end, columns } of recomputed) {
    const w = end - start;
    const gathered: DataTable = {
      rowCount: n,
      columns: table.columns.filter((c) => columns.includes(c.name)).map((c) => gatherColumn(c, c.name === column ? shuffled : used)),
    };
    const names = fittedFeatureNames(feature);
    const values = applyTransforms(gathered, { ...bundle, features: [feature], featureNames: names, width: names.length });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < w; j++) delta[i * k + o + j] = (values[i * w + j] as number) - (x[i * width + start + j] as number);
    }
    o += w;
  }
}

/**
 * The logits (n × units) with the matrix changed by `shift.delta` (no shift: as it is). The first layer is
 * linear, so its new pre-activation is the stored one plus delta · W₁[the column's slots]: a shuffle costs a
 * narrow matMul and the layers after the first, not the whole model again.
 */
export async function shiftedLogits(s: Scoring, shift?: ColumnShift): Promise<Float32Array> {
  const out = new Float32Array(s.n * s.units);
  const k = shift ? shift.delta.length / s.n : 0;
  for (const { start, rows, z1 } of s.chunks) {
    const z = tf.tidy(() => {
      const moved = shift ? tf.add(z1, tf.matMul(tf.tensor2d(shift.delta.subarray(start * k, (start + rows) * k), [rows, k]), shift.kernel)) : z1;
      return logitsFromFirst(s.layers, moved as tf.Tensor2D);
    });
    out.set((await z.data()) as Float32Array, start * s.units);
    if (z !== z1) z.dispose();
  }
  return out;
}
