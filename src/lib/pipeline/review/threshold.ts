// The decision threshold of a binary model: the threshold view (precision, recall, F1 and selection rate at each
// threshold), the check of a chosen threshold, and the decisions it gives at scoring.
import { AppError } from '../errors.ts';
import { argmaxRow, binaryCounts, type Labels01, type Scores } from './ranking.ts';

/** The default decision threshold on the positive class's probability. */
export const DEFAULT_THRESHOLD = 0.5;

/** One row of the threshold view: the metrics when a row is predicted positive at score ≥ threshold. */
export interface ThresholdRow {
  threshold: number;
  /** TP / (TP + FP); 0 when nothing is selected (scikit-learn's zero_division=0). */
  precision: number;
  /** TP / P; 0 when there are no positives. */
  recall: number;
  /** 2·precision·recall / (precision + recall); 0 when both are 0. */
  f1: number;
  /** The share of rows predicted positive. */
  selectionRate: number;
}

/** Refuses a decision threshold that is not a number in [0, 1], naming it. */
export function checkThreshold(threshold: number): number {
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
    throw new AppError('bad-argument', `The decision threshold must be a number from 0 to 1, got ${String(threshold)}`);
  }
  return threshold;
}

/** The thresholds of the threshold view: 0, 0.01, … 1 (i / 100, 101 points). */
export function defaultThresholds(): Float64Array {
  return Float64Array.from({ length: 101 }, (_, i) => i / 100);
}

/**
 * The threshold view: at each threshold (default `defaultThresholds()`), the precision, recall, F1 and selection rate of
 * predicting positive when score ≥ threshold, as scikit-learn's precision_score, recall_score and f1_score with
 * zero_division=0 on `scores >= threshold`. Optionally over a bootstrap resample `rows`. Sorts the scores once.
 */
export function thresholdTable(labels01: Labels01, scores: Scores, options: { thresholds?: ArrayLike<number>; rows?: Int32Array } = {}): ThresholdRow[] {
  const thresholds = options.thresholds ?? defaultThresholds();
  for (let t = 0; t < thresholds.length; t++) checkThreshold(thresholds[t] as number);
  const { values, pos, neg } = binaryCounts(labels01, scores, options.rows);
  return thresholdTableFromCounts(values, pos, neg, thresholds);
}

/** The threshold view from the positives and negatives at each distinct score (`values`, highest first; see ranking.ts). */
export function thresholdTableFromCounts(values: Float64Array, pos: Float64Array, neg: Float64Array, thresholds: ArrayLike<number> = defaultThresholds()): ThresholdRow[] {
  const groups = values.length;
  // above[g]: the positives (negatives) scoring higher than values[g].
  const posAbove = new Float64Array(groups + 1);
  const negAbove = new Float64Array(groups + 1);
  for (let g = 0; g < groups; g++) {
    posAbove[g + 1] = (posAbove[g] as number) + (pos[g] as number);
    negAbove[g + 1] = (negAbove[g] as number) + (neg[g] as number);
  }
  const nPos = posAbove[groups] as number;
  const m = nPos + (negAbove[groups] as number);
  const table: ThresholdRow[] = [];
  for (let t = 0; t < thresholds.length; t++) {
    const threshold = checkThreshold(thresholds[t] as number);
    // The groups scoring ≥ threshold are 0 … g−1: g is the first value below it.
    let lo = 0;
    let hi = groups;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((values[mid] as number) >= threshold) lo = mid + 1;
      else hi = mid;
    }
    const tp = posAbove[lo] as number;
    const fp = negAbove[lo] as number;
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = nPos ? tp / nPos : 0;
    table.push({ threshold, precision, recall, f1: f1Of(precision, recall), selectionRate: (tp + fp) / m });
  }
  return table;
}

/** F1 from precision and recall as scikit-learn 1.2 computes it: 0 when both are 0. */
export function f1Of(precision: number, recall: number): number {
  const denominator = precision + recall;
  return denominator === 0 ? 0 : (2 * precision * recall) / denominator;
}

/**
 * The decisions at a threshold: 1 where score ≥ threshold (scikit-learn's FixedThresholdClassifier convention),
 * else 0. Refuses a threshold outside [0, 1] or NaN, naming it.
 */
export function decideAt(scores: Scores, threshold: number): Uint8Array {
  checkThreshold(threshold);
  const out = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = (scores[i] as number) >= threshold ? 1 : 0;
  return out;
}

/**
 * The predicted class of each row of an n × k probability matrix: for two classes, `positive` when its probability is
 * ≥ `threshold` (so at exactly 0.5 the positive class wins, where an argmax would take the first class), else the
 * other class; for more classes the argmax, the first class on ties (numpy's argmax). `positive` defaults to the last
 * class (scikit-learn's convention for sorted labels) and `threshold` to 0.5; both are ignored for more than two classes.
 */
export function predictedClasses(probs: Float32Array, k: number, options: { positive?: number; threshold?: number } = {}): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new AppError('bad-argument', `Classification needs at least two classes, got ${k}`);
  if (probs.length % k !== 0) throw new AppError('bad-argument', `Got ${probs.length} probabilities, not a multiple of ${k} classes`);
  const n = probs.length / k;
  const out = new Int32Array(n);
  if (k === 2) {
    const positive = checkPositive(options.positive ?? 1, 2);
    const threshold = checkThreshold(options.threshold ?? DEFAULT_THRESHOLD);
    for (let i = 0; i < n; i++) out[i] = (probs[i * 2 + positive] as number) >= threshold ? positive : 1 - positive;
    return out;
  }
  for (let i = 0; i < n; i++) {
    out[i] = argmaxRow(probs, i, k);
  }
  return out;
}

/** Refuses a positive class index outside 0…k−1. */
export function checkPositive(positive: number, k: number): number {
  if (!(Number.isInteger(positive) && positive >= 0 && positive < k)) {
    throw new AppError('bad-argument', `The positive class must be a class index from 0 to ${k - 1}, got ${String(positive)}`);
  }
  return positive;
}
