// The calibration curve (scikit-learn's calibration_curve, with the count in each bin) and the expected calibration error. [bench peer: src/lib/pipeline/review/calibration.ts as of commit 623ec30, before the review speed work]
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import { argmaxRow, binaryCounts, checkBinaryInputs, quantileAt, unitEdges, type Labels01, type Scores } from './ranking.ts';

export type BinStrategy = 'uniform' | 'quantile';

export interface CalibrationOptions {
  /** Number of bins (default 10). */
  bins?: number;
  /** 'uniform': equal widths on [0, 1] (default); 'quantile': equal counts, edges at the scores' quantiles. */
  strategy?: BinStrategy;
  /** A bootstrap resample: indices into the arrays, with repeats. */
  rows?: Int32Array;
}

/** One non-empty bin of the calibration curve. */
export interface CalibrationBin {
  /** The bin's edges (the first bin includes its lower edge, every other bin only its upper edge). */
  from: number;
  to: number;
  /** scikit-learn's prob_pred: the mean score in the bin. */
  meanPredicted: number;
  /** scikit-learn's prob_true: the share of positives in the bin. */
  fractionPositive: number;
  count: number;
}

export interface CalibrationCurve {
  strategy: BinStrategy;
  /** The number of bins asked for (empty ones are not in `bins`). */
  binCount: number;
  /** Only the non-empty bins, in increasing order, as scikit-learn returns them. */
  bins: CalibrationBin[];
  /** Rows counted (with repeats, for a resample). */
  n: number;
  /** Expected calibration error: see `expectedCalibrationError`. */
  ece: number;
}

/**
 * scikit-learn's `calibration_curve(labels01, scores, n_bins=bins, strategy=strategy)`: bins of the scores ('uniform':
 * edges i/bins; 'quantile': numpy's `percentile` of the scores at those points, linear interpolation), each score going
 * to the bin numpy's `searchsorted(edges[1:-1], score)` names, so a score on an inner edge belongs to the lower bin.
 * Empty bins are left out. Scores must lie in [0, 1], as scikit-learn requires. Optionally over a bootstrap resample.
 */
export function calibrationCurve(labels01: Labels01, scores: Scores, options: CalibrationOptions = {}): CalibrationCurve {
  const count = checkBins(options.bins ?? 10);
  const strategy = checkStrategy(options.strategy ?? 'uniform');
  checkBinaryInputs(labels01, scores);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    if (s < 0 || s > 1) throw new AppError('bad-argument', `Score ${s} in row ${i + 1} is outside [0, 1]`, { row: i + 1 });
  }
  const { values, pos, neg } = binaryCounts(labels01, scores, options.rows);
  return calibrationFromCounts(values, pos, neg, count, strategy);
}

export function checkBins(count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new AppError('bad-argument', `The number of bins must be a whole number from 1, got ${count}`);
  return count;
}

export function checkStrategy(strategy: BinStrategy): BinStrategy {
  if (strategy !== 'uniform' && strategy !== 'quantile') {
    throw new AppError('bad-argument', `The binning strategy must be uniform or quantile, got ${String(strategy)}`);
  }
  return strategy;
}

/**
 * The calibration curve from the positives and negatives at each distinct score (`values`, highest first; see
 * ranking.ts), the same as `calibrationCurve` on the rows they count. Quantile edges are read off the counts as numpy
 * reads them off the sorted scores.
 */
export function calibrationFromCounts(values: Float64Array, pos: Float64Array, neg: Float64Array, count: number, strategy: BinStrategy): CalibrationCurve {
  const groups = values.length;
  let edges = unitEdges(count);
  if (strategy === 'quantile') {
    const cumulative = cumulativeAscending(pos, neg);
    const m = groups ? (cumulative[groups - 1] as number) : 0;
    // The sorted scores' position p holds the value of the first group (from the lowest) whose cumulative count passes p.
    const at = (position: number): number => {
      let lo = 0;
      let hi = groups - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cumulative[mid] as number) > position) hi = mid;
        else lo = mid + 1;
      }
      return values[groups - 1 - lo] as number;
    };
    // calibration_curve asks numpy for percentile(scores, linspace(0, 1, bins + 1) * 100), which divides by 100 again.
    edges = edges.map((point) => quantileAt(m, at, (point * 100) / 100));
  }
  const sums = new Float64Array(count);
  const trues = new Float64Array(count);
  const totals = new Float64Array(count);
  binCounts(values, pos, neg, edges, sums, trues, totals);
  const bins: CalibrationBin[] = [];
  let m = 0;
  for (let b = 0; b < count; b++) {
    const total = totals[b] as number;
    m += total;
    if (total === 0) continue;
    bins.push({
      from: edges[b] as number,
      to: edges[b + 1] as number,
      meanPredicted: (sums[b] as number) / total,
      fractionPositive: (trues[b] as number) / total,
      count: total,
    });
  }
  return { strategy, binCount: count, bins, n: m, ece: expectedCalibrationError(bins) };
}

/** cumulative[a]: the rows in the a + 1 lowest distinct scores. */
function cumulativeAscending(pos: Float64Array, neg: Float64Array): Float64Array {
  const groups = pos.length;
  const cumulative = new Float64Array(groups);
  let sum = 0;
  for (let a = 0; a < groups; a++) {
    const g = groups - 1 - a;
    sum += (pos[g] as number) + (neg[g] as number);
    cumulative[a] = sum;
  }
  return cumulative;
}

/** Sums each distinct score's rows into its bin (the loop of `calibrationFromCounts`, on its own for V8). */
function binCounts(values: Float64Array, pos: Float64Array, neg: Float64Array, edges: Float64Array, sums: Float64Array, trues: Float64Array, totals: Float64Array): void {
  // The values fall, so their bins do too: step the bin down instead of searching for it (binOf, by hand).
  let b = edges.length - 2;
  for (let g = 0; g < values.length; g++) {
    const p = pos[g] as number;
    const w = p + (neg[g] as number);
    if (w === 0) continue;
    const s = values[g] as number;
    while (b > 0 && !((edges[b] as number) < s)) b--;
    sums[b] = (sums[b] as number) + s * w;
    trues[b] = (trues[b] as number) + p;
    totals[b] = (totals[b] as number) + w;
  }
}

/**
 * Expected calibration error: Σ over the non-empty bins of (count_b / n) · |fractionPositive_b − meanPredicted_b|, n
 * being the rows in all bins (Naeini et al. 2015; Guo et al. 2017). For a multiclass model the review applies it to the
 * top-label confidence and whether the top label is right (`topLabel`): "top-label ECE".
 */
export function expectedCalibrationError(bins: readonly CalibrationBin[]): number {
  let n = 0;
  let sum = 0;
  for (const bin of bins) {
    n += bin.count;
    sum += bin.count * Math.abs(bin.fractionPositive - bin.meanPredicted);
  }
  return n ? sum / n : NaN;
}

/**
 * The top-label view of a multiclass model, for its calibration: each row's highest probability (the first class on
 * ties, as numpy's argmax) and 1 when that class is the row's label. Rows whose label is outside 0…k−1 get label 0 and
 * should be left out by the caller.
 */
export function topLabel(labels: Int32Array, probs: Float32Array, k: number): { correct: Uint8Array; confidence: Float32Array } {
  const n = labels.length;
  if (probs.length !== n * k) throw new AppError('bad-argument', `Got ${probs.length} probabilities for ${n} rows × ${k} classes`);
  const correct = new Uint8Array(n);
  const confidence = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const best = argmaxRow(probs, i, k);
    confidence[i] = probs[i * k + best] as number;
    correct[i] = best === labels[i] ? 1 : 0;
  }
  return { correct, confidence };
}
