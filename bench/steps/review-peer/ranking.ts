// Rank-based binary metrics (ROC AUC, average precision, ROC and precision-recall curves) from one sort of the scores, [bench peer: src/lib/pipeline/review/ranking.ts as of commit 623ec30, before the review speed work]
// and the small numeric helpers the other review metrics share (numpy's linear quantile, curve thinning, checks).
//
// The scores are sorted once (`rankScores`). A metric on all rows, a subset or a bootstrap resample then only sums the
// rows' weights (how often each row is in the resample: `multiplicity`) over each run of equal scores, walking the
// sorted order once (`countByGroup`, sequential), and derives everything from the positives and negatives at each
// distinct score — scikit-learn's `_binary_clf_curve` with integer sample weights.
import { AppError } from '../../../src/lib/pipeline/errors.ts';

/** A score column sorted once: the rows from the highest score down, cut into runs of equal scores. */
export interface RankedScores {
  /** Row indices, highest score first; equal scores are adjacent. */
  order: Int32Array;
  /** Group g (the g-th highest distinct score) holds positions ends[g−1] … ends[g]−1 of `order`. */
  ends: Int32Array;
  /** The distinct scores, highest first. */
  values: Float64Array;
  /** Per position of `order`: 1 positive, 0 negative, −1 left out. */
  label: Int8Array;
}

/** A point of a ROC curve. */
export interface RocPoint {
  fpr: number;
  tpr: number;
}

/** A point of a precision-recall curve. */
export interface PrPoint {
  precision: number;
  recall: number;
}

export type Scores = Float32Array | Float64Array;
export type Labels01 = Uint8Array | Int8Array | Int32Array;

/**
 * Sorts the scores of `n` rows (row i at `scores[offset + i * stride]`, e.g. one class's column of an n × k
 * probability matrix), highest first, with each row's class: `classOf[i]` 1 (positive), 0 (negative) or −1 (leave the
 * row out). Float32 scores are sorted by an LSD radix sort of their bits (linear time); −0 and +0 are one value.
 * Scores must not be NaN (the callers refuse them first).
 */
export function rankScores(scores: Scores, classOf: Labels01, n = scores.length, stride = 1, offset = 0): RankedScores {
  const ascending = scores instanceof Float32Array ? radixOrderF32(scores, n, stride, offset) : comparatorOrder(scores, n, stride, offset);
  const order = new Int32Array(n);
  const label = new Int8Array(n);
  const ends = new Int32Array(n);
  const values = new Float64Array(n);
  let groups = 0;
  let previous = NaN;
  for (let j = 0; j < n; j++) {
    const row = ascending[n - 1 - j] as number;
    order[j] = row;
    label[j] = classOf[row] as number;
    const value = scores[offset + row * stride] as number;
    if (value !== previous) {
      if (j > 0) ends[groups - 1] = j;
      values[groups++] = value === 0 ? 0 : value;
      previous = value;
    }
  }
  if (n > 0) ends[groups - 1] = n;
  return { order, ends: ends.slice(0, groups), values: values.slice(0, groups), label };
}

/** Row indices in ascending order of their float32 score: three 11-bit passes over order-preserving keys. */
function radixOrderF32(scores: Float32Array, n: number, stride: number, offset: number): Int32Array {
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, scores.length);
  let keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let b = bits[offset + i * stride] as number;
    if (b === 0x80000000) b = 0; // −0 sorts with +0
    keys[i] = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
  }
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let keysOut = new Uint32Array(n);
  let orderOut = new Int32Array(n);
  const counts = new Int32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const d = ((keys[i] as number) >>> shift) & 2047;
      counts[d] = (counts[d] as number) + 1;
    }
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[d] as number;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = keys[i] as number;
      const d = (key >>> shift) & 2047;
      const at = counts[d] as number;
      counts[d] = at + 1;
      keysOut[at] = key;
      orderOut[at] = order[i] as number;
    }
    [keys, keysOut] = [keysOut, keys];
    [order, orderOut] = [orderOut, order];
  }
  return order;
}

function comparatorOrder(scores: Float64Array, n: number, stride: number, offset: number): Int32Array {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = scores[offset + i * stride] as number;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => (values[a] as number) - (values[b] as number));
}

/**
 * How many times each of the `n` rows occurs in `rows` (a bootstrap resample: indices with repeats), written into
 * `into` when given (it is cleared first). Refuses an empty resample and indices outside 0…n−1.
 */
export function multiplicity(rows: Int32Array, n: number, into?: Int32Array): Int32Array {
  if (rows.length === 0) throw new AppError('bad-argument', 'The resample has no rows');
  const counts = into && into.length === n ? into.fill(0) : new Int32Array(n);
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j] as number;
    if (!(i >= 0 && i < n)) throw new AppError('bad-argument', `Resample row ${i} is outside 0…${n - 1}`);
    counts[i] = (counts[i] as number) + 1;
  }
  return counts;
}

/**
 * The positives and negatives at each distinct score, weighting each row by `weights[row]` (its multiplicity in a
 * resample) or 1 when `weights` is null; left-out rows count nowhere. Writes `pos` and `neg` (one slot per distinct
 * score, highest first). One sequential walk of the sorted order.
 */
export function countByGroup(ranked: RankedScores, weights: Int32Array | null, pos: Float64Array, neg: Float64Array): void {
  const { order, ends, label } = ranked;
  let j = 0;
  for (let g = 0; g < ends.length; g++) {
    const end = ends[g] as number;
    let p = 0;
    let q = 0;
    if (weights) {
      for (; j < end; j++) {
        const w = weights[order[j] as number] as number;
        const y = label[j] as number;
        if (y === 1) p += w;
        else if (y === 0) q += w;
      }
    } else {
      for (; j < end; j++) {
        const y = label[j] as number;
        if (y === 1) p++;
        else if (y === 0) q++;
      }
    }
    pos[g] = p;
    neg[g] = q;
  }
}

/**
 * ROC AUC from the counts per distinct score (highest first): the share of (positive, negative) pairs ordered
 * correctly, ties counting half (Mann–Whitney U), which is the area under scikit-learn's `roc_curve`.
 * NaN when there are no positives or no negatives (scikit-learn raises).
 */
export function aucFromCounts(pos: Float64Array, neg: Float64Array): number {
  return rankMetricsFromCounts(pos, neg).auc;
}

/**
 * Average precision as scikit-learn's `average_precision_score`: Σ (Rₙ − Rₙ₋₁) · Pₙ over the distinct scores from the
 * highest down (no interpolation). NaN when there are no positives (scikit-learn 1.2 warns and returns 0).
 */
export function averagePrecisionFromCounts(pos: Float64Array, neg: Float64Array): number {
  return rankMetricsFromCounts(pos, neg).ap;
}

/** ROC AUC and average precision (see above) in one walk of the counts. */
export function rankMetricsFromCounts(pos: Float64Array, neg: Float64Array): { auc: number; ap: number } {
  let tp = 0;
  let fp = 0;
  let area = 0; // Σ over groups of neg_g · (2 · positives above + pos_g): twice the ordered pairs, in integers
  let precisionSum = 0; // Σ over groups of pos_g · precision_g; divided by the positives, the AP
  for (let g = 0; g < pos.length; g++) {
    const p = pos[g] as number;
    const q = neg[g] as number;
    area += q * (2 * tp + p);
    tp += p;
    fp += q;
    if (p > 0) precisionSum += (p * tp) / (tp + fp);
  }
  return { auc: tp === 0 || fp === 0 ? NaN : area / 2 / tp / fp, ap: tp === 0 ? NaN : precisionSum / tp };
}

/** The cumulative (fp, tp) at each distinct score present in the rows, highest first: `_binary_clf_curve`. */
function cumulative(pos: Float64Array, neg: Float64Array): { fps: Float64Array; tps: Float64Array } {
  const fps = new Float64Array(pos.length);
  const tps = new Float64Array(pos.length);
  let tp = 0;
  let fp = 0;
  let count = 0;
  for (let g = 0; g < pos.length; g++) {
    const p = pos[g] as number;
    const q = neg[g] as number;
    if (p === 0 && q === 0) continue;
    tp += p;
    fp += q;
    tps[count] = tp;
    fps[count] = fp;
    count++;
  }
  return { fps: fps.subarray(0, count), tps: tps.subarray(0, count) };
}

/** The indices 0 … count−1, or `max` of them evenly spaced (first and last kept) when there are more. */
export function thinIndices(count: number, max: number): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const step = (count - 1) / (max - 1);
  return Array.from({ length: max }, (_, k) => Math.round(k * step));
}

/** At most `max` points of a curve, evenly spaced by index, always keeping the first and the last. */
export function thinPoints<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  return thinIndices(points.length, max).map((i) => points[i] as T);
}

/**
 * scikit-learn's `roc_curve(..., drop_intermediate=True)`: from (0, 0), one point per corner of the curve (collinear
 * points dropped), to (1, 1); then at most `maxPoints` of them, evenly thinned. Empty when there are no positives or
 * no negatives.
 */
export function rocPointsFromCounts(pos: Float64Array, neg: Float64Array, maxPoints = Infinity): RocPoint[] {
  const { fps, tps } = cumulative(pos, neg);
  const last = fps.length - 1;
  if (last < 0 || fps[last] === 0 || tps[last] === 0) return [];
  const fpTotal = fps[last] as number;
  const tpTotal = tps[last] as number;
  const kept = new Int32Array(last + 2); // positions in fps/tps; −1 is the added (0, 0)
  kept[0] = -1;
  let count = 1;
  for (let j = 0; j <= last; j++) {
    const keep =
      last < 2 ||
      j === 0 ||
      j === last ||
      (fps[j - 1] as number) - 2 * (fps[j] as number) + (fps[j + 1] as number) !== 0 ||
      (tps[j - 1] as number) - 2 * (tps[j] as number) + (tps[j + 1] as number) !== 0;
    if (keep) kept[count++] = j;
  }
  return thinIndices(count, maxPoints).map((k) => {
    const j = kept[k] as number;
    return j < 0 ? { fpr: 0, tpr: 0 } : { fpr: (fps[j] as number) / fpTotal, tpr: (tps[j] as number) / tpTotal };
  });
}

/**
 * scikit-learn 1.2's `precision_recall_curve`, in its order: from the lowest threshold (recall 1) to the highest, then
 * the end point (precision 1, recall 0); then at most `maxPoints` of them, evenly thinned. Precision is 0 where
 * nothing is selected. Empty when there are no positives (scikit-learn then sets recall to 1 everywhere).
 */
export function prPointsFromCounts(pos: Float64Array, neg: Float64Array, maxPoints = Infinity): PrPoint[] {
  const { fps, tps } = cumulative(pos, neg);
  const last = tps.length - 1;
  if (last < 0 || tps[last] === 0) return [];
  const tpTotal = tps[last] as number;
  return thinIndices(last + 2, maxPoints).map((k) => {
    if (k === last + 1) return { precision: 1, recall: 0 };
    const j = last - k;
    const tp = tps[j] as number;
    const selected = tp + (fps[j] as number);
    return { precision: selected ? tp / selected : 0, recall: tp / tpTotal };
  });
}

/** Sorted 0/1 labels and scores with their counts per distinct score, over all rows or a resample. */
export function binaryCounts(labels01: Labels01, scores: Scores, rows?: Int32Array): { values: Float64Array; pos: Float64Array; neg: Float64Array } {
  checkBinaryInputs(labels01, scores);
  const weights = rows ? multiplicity(rows, scores.length) : null;
  const ranked = rankScores(scores, labels01);
  const pos = new Float64Array(ranked.values.length);
  const neg = new Float64Array(ranked.values.length);
  countByGroup(ranked, weights, pos, neg);
  return { values: ranked.values, pos, neg };
}

/** Binary ROC AUC of `scores` for `labels01` (1 = positive), optionally over a bootstrap resample `rows`. */
export function rocAucOf(labels01: Labels01, scores: Scores, rows?: Int32Array): number {
  const { pos, neg } = binaryCounts(labels01, scores, rows);
  return aucFromCounts(pos, neg);
}

/** Binary average precision of `scores` for `labels01` (1 = positive), optionally over a bootstrap resample `rows`. */
export function averagePrecisionOf(labels01: Labels01, scores: Scores, rows?: Int32Array): number {
  const { pos, neg } = binaryCounts(labels01, scores, rows);
  return averagePrecisionFromCounts(pos, neg);
}

/** Refuses 0/1 labels and scores of different lengths, labels other than 0 and 1, and scores that are not numbers. */
export function checkBinaryInputs(labels01: Labels01, scores: Scores): void {
  if (labels01.length !== scores.length) {
    throw new AppError('bad-argument', `Got ${scores.length} scores for ${labels01.length} labels`);
  }
  if (scores.length === 0) throw new AppError('bad-argument', 'There are no rows to evaluate');
  for (let i = 0; i < labels01.length; i++) {
    const y = labels01[i] as number;
    if (y !== 0 && y !== 1) throw new AppError('bad-argument', `Label ${y} in row ${i + 1} is not 0 or 1`, { row: i + 1 });
    const s = scores[i] as number;
    if (!Number.isFinite(s)) throw new AppError('bad-argument', `Score ${s} in row ${i + 1} is not a number`, { row: i + 1 });
  }
}

/**
 * numpy's `quantile(sorted, q)` with the default linear method, the sorted values given by position (bit for bit:
 * virtual index (n − 1)·q, and numpy's two-sided lerp).
 */
export function quantileAt(n: number, at: (position: number) => number, q: number): number {
  const index = (n - 1) * q;
  if (index >= n - 1) return at(n - 1);
  if (index < 0) return at(0);
  const below = Math.floor(index);
  const a = at(below);
  const b = at(below + 1);
  const t = index - below;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** numpy's `quantile(sorted, q)` (linear) of values already sorted ascending. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  return quantileAt(sorted.length, (i) => sorted[i] as number, q);
}

/** numpy's `linspace(0, 1, count + 1)`: i · (1 / count), the last exactly 1. */
export function unitEdges(count: number): Float64Array {
  const edges = new Float64Array(count + 1);
  const step = 1 / count;
  for (let i = 0; i < count; i++) edges[i] = i * step;
  edges[count] = 1;
  return edges;
}

/** numpy's `searchsorted(edges[1:-1], value)` (side left): the number of inner edges below the value. */
export function binOf(edges: Float64Array, value: number): number {
  let lo = 1;
  let hi = edges.length - 1; // inner edges are edges[1 … length−2]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Refuses a resample that is empty or names a row outside 0…n−1. */
export function checkRows(rows: Int32Array, n: number): void {
  if (rows.length === 0) throw new AppError('bad-argument', 'The resample has no rows');
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j] as number;
    if (!(i >= 0 && i < n)) throw new AppError('bad-argument', `Resample row ${i} is outside 0…${n - 1}`);
  }
}

/** The class with the highest probability in row i of the n × k row-major `probs` (the first on ties, as numpy's argmax). */
export function argmaxRow(probs: Float32Array, i: number, k: number): number {
  let best = 0;
  let top = probs[i * k] as number;
  for (let c = 1; c < k; c++) {
    const p = probs[i * k + c] as number;
    if (p > top) {
      top = p;
      best = c;
    }
  }
  return best;
}
