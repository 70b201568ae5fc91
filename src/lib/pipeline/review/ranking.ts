// Rank-based binary metrics (ROC AUC, average precision, ROC and precision-recall curves) from one sort of the scores,
// and the small numeric helpers the other review metrics share (numpy's linear quantile, curve thinning, checks).
//
// The scores are sorted once (`rankScores`); a metric on any subset or bootstrap resample of the rows then only counts
// the positives and negatives at each distinct score (`countByGroup`, O(rows)) and walks the distinct scores from the
// highest down, which is scikit-learn's `_binary_clf_curve` with integer sample weights.
import { AppError } from '../errors.ts';

/** The distinct scores of a column, highest first, and each row's place among them. */
export interface ScoreRanks {
  /** Row i's score is `values[group[i]]`; group 0 holds the highest score. */
  group: Int32Array;
  /** The distinct scores, descending. */
  values: Float64Array;
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
export type Labels01 = Uint8Array | Int32Array;

/**
 * Sorts the scores of `n` rows (row i at `scores[offset + i * stride]`, e.g. one class's column of an n × k
 * probability matrix) and returns their distinct values and each row's group. Float32 scores are sorted by an LSD radix
 * sort of their bits (linear time); −0 and +0 are one value. Scores must not be NaN (the callers refuse them first).
 */
export function rankScores(scores: Scores, n = scores.length, stride = 1, offset = 0): ScoreRanks {
  const order = scores instanceof Float32Array ? radixOrderF32(scores, n, stride, offset) : comparatorOrder(scores, n, stride, offset);
  const group = new Int32Array(n);
  const distinct: number[] = [];
  let previous = NaN;
  // `order` is ascending: walk it from the end so that group 0 is the highest score.
  for (let j = n - 1; j >= 0; j--) {
    const row = order[j] as number;
    const value = scores[offset + row * stride] as number;
    if (value !== previous) {
      distinct.push(value === 0 ? 0 : value);
      previous = value;
    }
    group[row] = distinct.length - 1;
  }
  return { group, values: Float64Array.from(distinct) };
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
 * Adds one to `pos[g]` or `neg[g]` for each row (each occurrence of it in `rows`, a bootstrap resample, or every row
 * when `rows` is undefined), g being the row's score group; positive means `labels[i] === positive`, and rows whose
 * label is negative are left out. `pos` and `neg` (one slot per distinct score) are cleared first.
 */
export function countByGroup(
  ranks: ScoreRanks,
  labels: Labels01,
  positive: number,
  rows: Int32Array | undefined,
  pos: Float64Array,
  neg: Float64Array,
): void {
  pos.fill(0);
  neg.fill(0);
  const group = ranks.group;
  const m = rows ? rows.length : group.length;
  for (let j = 0; j < m; j++) {
    const i = rows ? (rows[j] as number) : j;
    const y = labels[i] as number;
    if (y < 0) continue;
    const g = group[i] as number;
    if (y === positive) pos[g] = (pos[g] as number) + 1;
    else neg[g] = (neg[g] as number) + 1;
  }
}

/**
 * ROC AUC from the counts per distinct score (highest first): the share of (positive, negative) pairs ordered
 * correctly, ties counting half (Mann–Whitney U), which is the area under scikit-learn's `roc_curve`.
 * NaN when there are no positives or no negatives (scikit-learn raises).
 */
export function aucFromCounts(pos: Float64Array, neg: Float64Array): number {
  let tp = 0;
  let fp = 0;
  let area = 0; // Σ over groups of neg_g · (positives above + pos_g / 2), kept in integers × 2
  for (let g = 0; g < pos.length; g++) {
    const p = pos[g] as number;
    const q = neg[g] as number;
    area += q * (2 * tp + p);
    tp += p;
    fp += q;
  }
  if (tp === 0 || fp === 0) return NaN;
  return area / 2 / tp / fp;
}

/**
 * Average precision as scikit-learn's `average_precision_score`: Σ (Rₙ − Rₙ₋₁) · Pₙ over the distinct scores from the
 * highest down (no interpolation). NaN when there are no positives (scikit-learn 1.2 warns and returns 0).
 */
export function averagePrecisionFromCounts(pos: Float64Array, neg: Float64Array): number {
  let total = 0;
  for (let g = 0; g < pos.length; g++) total += pos[g] as number;
  if (total === 0) return NaN;
  let tp = 0;
  let fp = 0;
  let sum = 0;
  for (let g = 0; g < pos.length; g++) {
    const p = pos[g] as number;
    tp += p;
    fp += neg[g] as number;
    if (p > 0) sum += (p / total) * (tp / (tp + fp));
  }
  return sum;
}

/** The cumulative (fp, tp) at each distinct score present in the rows, highest first: `_binary_clf_curve`. */
function cumulative(pos: Float64Array, neg: Float64Array): { fps: number[]; tps: number[] } {
  const fps: number[] = [];
  const tps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let g = 0; g < pos.length; g++) {
    const p = pos[g] as number;
    const q = neg[g] as number;
    if (p === 0 && q === 0) continue;
    tp += p;
    fp += q;
    tps.push(tp);
    fps.push(fp);
  }
  return { fps, tps };
}

/**
 * scikit-learn's `roc_curve(..., drop_intermediate=True)`: from (0, 0), one point per corner of the curve (collinear
 * points dropped), to (1, 1). Empty when there are no positives or no negatives.
 */
export function rocPointsFromCounts(pos: Float64Array, neg: Float64Array): RocPoint[] {
  const { fps, tps } = cumulative(pos, neg);
  const last = fps.length - 1;
  if (last < 0 || fps[last] === 0 || tps[last] === 0) return [];
  const fpTotal = fps[last] as number;
  const tpTotal = tps[last] as number;
  const points: RocPoint[] = [{ fpr: 0, tpr: 0 }];
  for (let j = 0; j <= last; j++) {
    const keep =
      last < 2 ||
      j === 0 ||
      j === last ||
      (fps[j - 1] as number) - 2 * (fps[j] as number) + (fps[j + 1] as number) !== 0 ||
      (tps[j - 1] as number) - 2 * (tps[j] as number) + (tps[j + 1] as number) !== 0;
    if (keep) points.push({ fpr: (fps[j] as number) / fpTotal, tpr: (tps[j] as number) / tpTotal });
  }
  return points;
}

/**
 * scikit-learn 1.2's `precision_recall_curve`, in its order: from the lowest threshold (recall 1) to the highest,
 * then the end point (precision 1, recall 0). Precision is 0 where nothing is selected. Empty when there are no
 * positives (scikit-learn then sets recall to 1 everywhere).
 */
export function prPointsFromCounts(pos: Float64Array, neg: Float64Array): PrPoint[] {
  const { fps, tps } = cumulative(pos, neg);
  const last = tps.length - 1;
  if (last < 0 || tps[last] === 0) return [];
  const tpTotal = tps[last] as number;
  const points: PrPoint[] = [];
  for (let j = last; j >= 0; j--) {
    const tp = tps[j] as number;
    const selected = tp + (fps[j] as number);
    points.push({ precision: selected ? tp / selected : 0, recall: tp / tpTotal });
  }
  points.push({ precision: 1, recall: 0 });
  return points;
}

/** At most `max` points of a curve, evenly spaced by index, always keeping the first and the last. */
export function thinPoints<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, k) => points[Math.round(k * step)] as T);
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

function binaryCounts(labels01: Labels01, scores: Scores, rows?: Int32Array): { pos: Float64Array; neg: Float64Array } {
  checkBinaryInputs(labels01, scores);
  if (rows) checkRows(rows, scores.length);
  const ranks = rankScores(scores);
  const pos = new Float64Array(ranks.values.length);
  const neg = new Float64Array(ranks.values.length);
  countByGroup(ranks, labels01, 1, rows, pos, neg);
  return { pos, neg };
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

/** Refuses a resample that is empty or names a row outside 0…n−1. */
export function checkRows(rows: Int32Array, n: number): void {
  if (rows.length === 0) throw new AppError('bad-argument', 'The resample has no rows');
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j] as number;
    if (!(i >= 0 && i < n)) throw new AppError('bad-argument', `Resample row ${i} is outside 0…${n - 1}`);
  }
}

/**
 * numpy's `quantile(sorted, q)` with the default linear method, on values already sorted ascending (bit for bit:
 * virtual index (n − 1)·q, and numpy's two-sided lerp).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const index = (n - 1) * q;
  if (index >= n - 1) return sorted[n - 1] as number;
  if (index < 0) return sorted[0] as number;
  const below = Math.floor(index);
  const a = sorted[below] as number;
  const b = sorted[below + 1] as number;
  const t = index - below;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
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
