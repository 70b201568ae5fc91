// Permutation importance per source column: how much the task's metric drops when one column's values are shuffled.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../pipeline/errors.ts';
import { NumpyRandomState } from '../../pipeline/numpy-random.ts';
import { isStringColumn } from '../../pipeline/table.ts';
import { applyTransforms, encodeTarget, fittedFeatureNames } from '../../pipeline/transforms.ts';
import type { Column, DataTable, TaskKind, TransformBundle } from '../../pipeline/types.ts';
import type { DenseWeights } from '../model.ts';
import { PREDICT_CHUNK_ROWS } from '../predict.ts';
import { featureSlots, logitsFromFirst, modelLayers, sourceColumns, type FeatureSlots } from './network.ts';

/** Shuffles per column, as scikit-learn's `permutation_importance(n_repeats=5)`. */
export const DEFAULT_REPEATS = 5;
/** The most repeats a call may ask for. */
export const MAX_REPEATS = 100;

/** The metrics importance can be measured in, the tasks each applies to, and which way is better. */
export const IMPORTANCE_METRICS = {
  accuracy: { higherIsBetter: true, tasks: ['binary', 'multiclass'] },
  rocAuc: { higherIsBetter: true, tasks: ['binary', 'multiclass'] },
  logLoss: { higherIsBetter: false, tasks: ['binary', 'multiclass'] },
  r2: { higherIsBetter: true, tasks: ['regression'] },
  rmse: { higherIsBetter: false, tasks: ['regression'] },
  mae: { higherIsBetter: false, tasks: ['regression'] },
} as const satisfies Record<string, { higherIsBetter: boolean; tasks: readonly TaskKind[] }>;

export type ImportanceMetric = keyof typeof IMPORTANCE_METRICS;

/**
 * The metric importance is measured in by default: the task's headline metric (ROC AUC for binary, accuracy for
 * multiclass, as runs are ranked), with R² instead of RMSE for regression (scikit-learn's default scorer for
 * regressors: scale-free, so drops compare across targets). scikit-learn's default for every classifier is
 * accuracy; pass `metric: 'accuracy'` to match it on a binary task (a 0.5 threshold hides columns that only
 * reorder the scores, which AUC sees).
 */
export function defaultImportanceMetric(task: TaskKind): ImportanceMetric {
  return task === 'regression' ? 'r2' : task === 'binary' ? 'rocAuc' : 'accuracy';
}

export interface PermutationOptions {
  /** Shuffles per column (default 5). */
  repeats?: number;
  /** Seed of the shuffles, 0 … 2³²−1 (default 0): every column gets the same sequence of shuffles. */
  seed?: number;
  /** Default: `defaultImportanceMetric(bundle.task)`. */
  metric?: ImportanceMetric;
  /** Called after each column with the number of columns done and their count. */
  onProgress?(done: number, total: number): void;
}

/** One source column's importance: the drops of the metric over the repeats. */
export interface ColumnImportance {
  column: string;
  /** The names of the features that read the column (they all saw the same shuffle). */
  features: string[];
  /** Mean and population standard deviation (numpy's np.std, as scikit-learn reports it) of `importances`. */
  mean: number;
  std: number;
  /** Per repeat: the baseline score minus the shuffled score (the reverse for lower-is-better metrics), so > 0 means the column matters. */
  importances: number[];
  /** Per repeat: the metric with the column shuffled. */
  scores: number[];
}

export interface PermutationImportance {
  metric: ImportanceMetric;
  higherIsBetter: boolean;
  /** The metric on the rows as they are. */
  baseline: number;
  /** Rows scored: those given whose target is known (a class seen in training, or a value). */
  rows: number;
  repeats: number;
  seed: number;
  /** Highest mean first. */
  columns: ColumnImportance[];
  durationMs: number;
}

/** Refuses an empty row set and any row index outside the table, naming it. */
export function checkRows(table: DataTable, rows: Int32Array): void {
  if (rows.length === 0) throw new AppError('too-few-rows', 'There are no rows to review: the row set is empty');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as number;
    if (row < 0 || row >= table.rowCount) {
      throw new AppError('bad-argument', `Row ${row} (entry ${i} of the row set) is out of range: the table has ${table.rowCount} rows`);
    }
  }
}

/**
 * Sorts float32 values ascending by LSD radix on their bits (3 passes of 11 bits: a few ms for 200k values, where
 * Array/TypedArray sort takes 15–25 ms). Keys map sign-magnitude floats to unsigned order; no NaN expected.
 */
export function radixSortFloat32(values: Float32Array): Float32Array {
  const n = values.length;
  let keys = new Uint32Array(n);
  const bits = new Uint32Array(values.buffer, values.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const b = bits[i] as number;
    keys[i] = (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
  }
  let other = new Uint32Array(n);
  const counts = new Uint32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((keys[i] as number) >>> shift) & 2047]!++;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[d] as number;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = keys[i] as number;
      other[counts[(key >>> shift) & 2047]!++] = key;
    }
    [keys, other] = [other, keys];
  }
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    keys[i] = (k & 0x80000000 ? k & 0x7fffffff : ~k) >>> 0;
  }
  return new Float32Array(keys.buffer);
}

/**
 * ROC AUC by the Mann–Whitney U with ties counting half (as metrics.ts's rocAuc), from the two groups' sorted
 * scores merged in one pass: float32 scores are radix-sorted, others with the typed-array sort.
 */
export function fastRocAuc(scores: Float32Array | Float64Array, positive: Uint8Array): number {
  const n = scores.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += positive[i] ? 1 : 0;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  const make = (size: number) => (scores instanceof Float32Array ? new Float32Array(size) : new Float64Array(size));
  let pos: Float32Array | Float64Array = make(nPos);
  let neg: Float32Array | Float64Array = make(nNeg);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    if (positive[i]) pos[p++] = scores[i] as number;
    else neg[q++] = scores[i] as number;
  }
  if (pos instanceof Float32Array && neg instanceof Float32Array) {
    pos = radixSortFloat32(pos);
    neg = radixSortFloat32(neg);
  } else {
    pos.sort();
    neg.sort();
  }
  let below = 0;
  let atOrBelow = 0;
  let u = 0;
  for (let i = 0; i < nPos; i++) {
    const s = pos[i] as number;
    while (below < nNeg && (neg[below] as number) < s) below++;
    if (atOrBelow < below) atOrBelow = below;
    while (atOrBelow < nNeg && (neg[atOrBelow] as number) <= s) atOrBelow++;
    u += below + (atOrBelow - below) / 2;
  }
  return u / (nPos * nNeg);
}

const EPS = 1e-15;

/** Softmax of each row of logits (n × k), in float64. */
function softmaxRows(z: Float32Array, k: number): Float64Array {
  const p = new Float64Array(z.length);
  for (let o = 0; o < z.length; o += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, z[o + c] as number);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += p[o + c] = Math.exp((z[o + c] as number) - max);
    for (let c = 0; c < k; c++) p[o + c] = (p[o + c] as number) / sum;
  }
  return p;
}

/**
 * A function giving the metric of the model's logits (n × units; values for regression) against `target`
 * (class indices, or values), with what depends only on the targets worked out once. Accuracy and binary AUC
 * read the logits directly (the sigmoid and softmax keep their order).
 */
export function scorer(metric: ImportanceMetric, task: TaskKind, target: Float64Array, classCount: number): (z: Float32Array) => number {
  const n = target.length;
  if (task === 'regression') {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += target[i] as number;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += ((target[i] as number) - mean) ** 2;
    return (z) => {
      let se = 0;
      let ae = 0;
      for (let i = 0; i < n; i++) {
        const d = (target[i] as number) - (z[i] as number);
        se += d * d;
        ae += Math.abs(d);
      }
      if (metric === 'rmse') return Math.sqrt(se / n);
      if (metric === 'mae') return ae / n;
      return ss > 0 ? 1 - se / ss : se === 0 ? 1 : 0;
    };
  }
  const k = task === 'binary' ? 2 : classCount;
  const positives = Array.from({ length: k }, (_, c) => {
    const flags = new Uint8Array(n);
    for (let i = 0; i < n; i++) flags[i] = target[i] === c ? 1 : 0;
    return flags;
  });
  if (metric === 'accuracy') {
    return (z) => {
      let right = 0;
      for (let i = 0; i < n; i++) {
        let best = 0;
        if (task === 'binary') best = (z[i] as number) > 0 ? 1 : 0;
        else for (let c = 1; c < k; c++) if ((z[i * k + c] as number) > (z[i * k + best] as number)) best = c;
        if (best === target[i]) right++;
      }
      return right / n;
    };
  }
  if (metric === 'rocAuc' && task === 'binary') return (z) => fastRocAuc(z, positives[1] as Uint8Array);
  const probabilities = (z: Float32Array) => (task === 'binary' ? Float64Array.from(z, (v) => 1 / (1 + Math.exp(-v))) : softmaxRows(z, k));
  if (metric === 'logLoss') {
    return (z) => {
      const p = probabilities(z);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const y = target[i] as number;
        const py = task === 'binary' ? (y === 1 ? (p[i] as number) : 1 - (p[i] as number)) : (p[i * k + y] as number);
        loss -= Math.log(Math.min(1 - EPS, Math.max(EPS, py)));
      }
      return loss / n;
    };
  }
  // Multiclass ROC AUC: the macro one-vs-rest mean over the classes present, as metrics.ts computes it.
  const scores = new Float64Array(n);
  return (z) => {
    const p = probabilities(z);
    let sum = 0;
    let count = 0;
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < n; i++) scores[i] = p[i * k + c] as number;
      const auc = fastRocAuc(scores, positives[c] as Uint8Array);
      if (!Number.isNaN(auc)) {
        sum += auc;
        count++;
      }
    }
    return count ? sum / count : NaN;
  };
}

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
interface Scoring {
  layers: DenseWeights[];
  x: Float32Array;
  width: number;
  n: number;
  units: number;
  chunks: { start: number; rows: number; z1: tf.Tensor2D }[];
}

function startScoring(layers: DenseWeights[], x: Float32Array, n: number, width: number): Scoring {
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
interface ColumnShift {
  column: string;
  moved: number;
  block: Float32Array;
  recomputed: FeatureSlots[];
  kernel: tf.Tensor2D;
  delta: Float32Array;
}

function columnShift(s: Scoring, column: string, features: FeatureSlots[]): ColumnShift {
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
function fillDelta(s: Scoring, table: DataTable, bundle: TransformBundle, used: Int32Array, shift: ColumnShift, order: Int32Array): void {
  const { n, x, width } = s;
  const { moved, block, delta, recomputed, column } = shift;
  const k = delta.length / n;
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
async function shiftedLogits(s: Scoring, shift?: ColumnShift): Promise<Float32Array> {
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

function meanAndStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/**
 * Permutation importance of every source column the bundle reads, on `rows` of `table` (the test split): the
 * column's values are shuffled among the rows `repeats` times (numpy's RandomState(seed).shuffle of the row
 * positions, restarted for each column as scikit-learn does) and each time the model is scored again; the
 * importance is the drop of the metric. A column is shuffled once for all the features that read it (its
 * one-hot slots together; a ratio or difference of two columns sees the shuffle of either), so importances
 * are per source column, never per one-hot slot. Rows whose target is missing or a class unseen in training
 * are left out, as the evaluation leaves them out.
 *
 * Speed: x·W₁ + b₁ is computed once (kept on the backend: rows × first-layer units floats) and a shuffle only
 * adds delta · W₁ for the column's slots before the rest of the network; measured on 200k test rows of the
 * benchmark table (87 inputs, 86→64→32→1-like MLP, 15 columns × 5 repeats, WASM, a loaded 2-core machine):
 * 106 ms a shuffle including ROC AUC, against 460 ms for copying the matrix and running the whole model.
 */
export async function permutationImportance(
  model: tf.LayersModel,
  table: DataTable,
  bundle: TransformBundle,
  rows: Int32Array,
  options: PermutationOptions = {},
): Promise<PermutationImportance> {
  const started = performance.now();
  const repeats = options.repeats ?? DEFAULT_REPEATS;
  const seed = options.seed ?? 0;
  const metric = options.metric ?? defaultImportanceMetric(bundle.task);
  if (!(Number.isInteger(repeats) && repeats >= 1 && repeats <= MAX_REPEATS)) {
    throw new AppError('bad-argument', `Permutation importance needs a whole number of repeats from 1 to ${MAX_REPEATS}, got ${repeats}`);
  }
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    throw new AppError('bad-argument', `The seed must be a whole number from 0 to 4294967295, got ${seed}`);
  }
  const spec = Object.hasOwn(IMPORTANCE_METRICS, metric) ? (IMPORTANCE_METRICS[metric] as { higherIsBetter: boolean; tasks: readonly TaskKind[] }) : undefined;
  if (!spec) throw new AppError('bad-argument', `Unknown importance metric "${metric}"; the metrics are ${Object.keys(IMPORTANCE_METRICS).join(', ')}`);
  if (!spec.tasks.includes(bundle.task)) throw new AppError('bad-argument', `The metric "${metric}" does not apply to a ${bundle.task} task`);
  checkRows(table, rows);
  const slots = featureSlots(bundle);
  const layers = modelLayers(model, bundle);

  const encoded = encodeTarget(table, bundle, rows);
  const keep: number[] = [];
  encoded.forEach((y, i) => {
    if (bundle.task === 'regression' ? Number.isFinite(y) : y >= 0) keep.push(i);
  });
  if (keep.length === 0) {
    const what = bundle.task === 'regression' ? 'a value' : 'a class seen in training';
    throw new AppError('too-few-rows', `None of the ${rows.length} rows has ${what} in "${bundle.target}"`, { column: bundle.target });
  }
  const used = Int32Array.from(keep, (i) => rows[i] as number);
  const target = Float64Array.from(keep, (i) => encoded[i] as number);
  const classCount = bundle.classes?.length ?? 0;
  const n = used.length;
  const x = applyTransforms(table, bundle, used);
  const scoring = startScoring(layers, x, n, bundle.width);
  const results: ColumnImportance[] = [];
  let baseline: number;
  try {
    const score = scorer(metric, bundle.task, target, classCount);
    baseline = score(await shiftedLogits(scoring));
    const sign = spec.higherIsBetter ? 1 : -1;
    const columns = sourceColumns(bundle);
    for (const column of columns) {
      const reading = slots.filter((s) => s.columns.includes(column));
      const shift = columnShift(scoring, column, reading);
      const random = new NumpyRandomState(seed);
      const order = Int32Array.from({ length: n }, (_, i) => i);
      const scores: number[] = [];
      try {
        for (let r = 0; r < repeats; r++) {
          random.shuffle(order);
          fillDelta(scoring, table, bundle, used, shift, order);
          scores.push(score(await shiftedLogits(scoring, shift)));
        }
      } finally {
        shift.kernel.dispose();
      }
      const importances = scores.map((s) => sign * (baseline - s));
      results.push({ column, features: reading.map((s) => s.name), ...meanAndStd(importances), importances, scores });
      options.onProgress?.(results.length, columns.length);
    }
  } finally {
    for (const chunk of scoring.chunks) chunk.z1.dispose();
  }
  results.sort((a, b) => b.mean - a.mean);
  return { metric, higherIsBetter: spec.higherIsBetter, baseline, rows: n, repeats, seed, columns: results, durationMs: performance.now() - started };
}
