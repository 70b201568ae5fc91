// Classification metrics of the review, each defined as scikit-learn defines it (1.2, as Debian ships it): accuracy,
// balanced accuracy, precision/recall/F1 per class with macro and weighted averages, ROC AUC, average precision, log
// loss, Brier score, confusion matrix, ROC and precision-recall curves, the calibration curve with its ECE, and (binary)
// the threshold view.
//
// Inputs as the app has them: `labels` are class indices into `classes` (a label outside 0…k−1, an unseen or missing
// class, leaves its row out and is counted in `excluded`), `probs` the n × k probabilities row-major. For two classes
// the positive class defaults to the last one (scikit-learn's convention; the app's classes are sorted by
// `sortClasses`) and a row is predicted positive when P(positive) ≥ the threshold (default 0.5); for more classes the
// prediction is the argmax.
//
// Speed: `prepareClassification` validates the inputs, sorts each scored column once and keeps per-row terms;
// `classificationHeadline(prepared, rows)` then costs O(rows · k) for a bootstrap resample `rows` (indices with
// repeats, never copied), the same numbers scikit-learn gives on the materialized resample.
import { AppError } from '../errors.ts';
import { calibrationCurve, type BinStrategy, type CalibrationCurve } from './calibration.ts';
import {
  aucFromCounts,
  averagePrecisionFromCounts,
  checkRows,
  countByGroup,
  prPointsFromCounts,
  rankScores,
  rocPointsFromCounts,
  thinPoints,
  type PrPoint,
  type RocPoint,
  type ScoreRanks,
} from './ranking.ts';
import { checkPositive, checkThreshold, DEFAULT_THRESHOLD, f1Of, predictedClasses, thresholdTable, type ThresholdRow } from './threshold.ts';

/** float64 machine epsilon: the clipping of scikit-learn 1.2's `log_loss(eps="auto")` for float64 probabilities. */
export const LOG_LOSS_EPS = 2 ** -52;

export interface ClassificationOptions {
  /** Binary: the index of the positive class (default: the last class). Ignored for more classes. */
  positive?: number;
  /** Binary: predict positive when P(positive) ≥ this (default 0.5); refused outside [0, 1]. Ignored for more classes. */
  threshold?: number;
  /** The calibration curve and ECE: 10 uniform bins unless told otherwise. */
  calibration?: { bins?: number; strategy?: BinStrategy };
  /** Most points per ROC or precision-recall curve in the report (default 200), evenly thinned. */
  maxCurvePoints?: number;
  /** Log-loss clipping: probabilities are clipped to [eps, 1 − eps] (default `LOG_LOSS_EPS`). */
  eps?: number;
}

/** The numbers a review policy and the bootstrap look at; named as in POLICY_METRICS (policy.ts). */
export interface ClassificationHeadline {
  /** Rows evaluated (with repeats, for a resample). */
  n: number;
  accuracy: number;
  /** Mean recall over the classes present in the labels (scikit-learn's balanced_accuracy_score). */
  balancedAccuracy: number;
  macroF1: number;
  weightedF1: number;
  /** Binary: of the positive class; multiclass: macro one-vs-rest over the classes with positives and negatives. */
  rocAuc: number;
  /** Binary: of the positive class; multiclass: macro one-vs-rest over the classes present in the labels. */
  averagePrecision: number;
  /** scikit-learn 1.2's log_loss: probabilities clipped to [eps, 1 − eps], each row renormalized to sum 1. */
  logLoss: number;
  /**
   * Binary: scikit-learn's brier_score_loss of the positive class, mean (P(positive) − y)². Multiclass: the mean over
   * rows of Σ_k (p_k − y_k)² (Brier's original definition; for two classes it is twice the binary score).
   */
  brier: number;
  /** Expected calibration error of the calibration curve (binary: positive class; multiclass: top label). */
  ece: number;
}

export interface ClassMetrics {
  class: string;
  /** TP / (TP + FP); 0 when the class is never predicted (scikit-learn's zero_division=0). */
  precision: number;
  /** TP / support; 0 when the class has no rows. */
  recall: number;
  /** 2PR / (P + R); 0 when both are 0. */
  f1: number;
  support: number;
}

export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
}

/** The one-vs-rest curves of a class (binary: only the positive class). */
export interface ClassCurves {
  class: string;
  rocAuc: number;
  averagePrecision: number;
  /** scikit-learn's roc_curve (drop_intermediate), thinned to maxCurvePoints; empty without positives or negatives. */
  roc: RocPoint[];
  /** scikit-learn's precision_recall_curve in its order (recall falling), thinned; empty without positives. */
  pr: PrPoint[];
}

export interface ClassificationReport extends ClassificationHeadline {
  classes: string[];
  /** Binary: the positive class; null for more classes. */
  positive: string | null;
  /** Binary: the decision threshold used for the predictions; null for more classes. */
  threshold: number | null;
  /** Rows left out because their label is not one of the classes. */
  excluded: number;
  perClass: ClassMetrics[];
  /** Unweighted means over the classes present in the labels or the predictions (scikit-learn's default labels). */
  macro: AveragedMetrics;
  /** Means weighted by support. */
  weighted: AveragedMetrics;
  /** confusion[true][predicted], in the order of `classes`. */
  confusion: number[][];
  curves: ClassCurves[];
  calibration: CalibrationCurve;
  /** Binary: the threshold view (thresholds 0, 0.01, … 1); null for more classes. */
  thresholds: ThresholdRow[] | null;
}

/** The inputs checked, with each scored column sorted once and the per-row terms computed; see `prepareClassification`. */
export interface PreparedClassification {
  readonly classes: string[];
  readonly k: number;
  /** Rows in the arrays (including excluded ones). */
  readonly n: number;
  readonly positive: number | null;
  readonly threshold: number | null;
  /** The labels, −1 where the row is left out. */
  readonly labels: Int32Array;
  readonly probs: Float32Array;
  readonly predicted: Int32Array;
  readonly rowLoss: Float64Array;
  readonly rowBrier: Float64Array;
  /** Per row, what the calibration curve bins: binary: y = positive and P(positive); multiclass: top label right and its probability. */
  readonly calibrationLabels: Uint8Array;
  readonly calibrationScores: Float64Array;
  /** The sorted columns: binary the positive class's, multiclass every class's. */
  readonly ranked: { cls: number; ranks: ScoreRanks; pos: Float64Array; neg: Float64Array }[];
  readonly excluded: number;
  readonly bins: number;
  readonly strategy: BinStrategy;
  readonly maxCurvePoints: number;
}

/**
 * Checks the inputs and does the work every resample shares. Refuses: fewer than two classes, probabilities that do
 * not fill n × k, no rows, probabilities outside [0, 1] or NaN (naming row and class), a positive class or threshold
 * out of range, and inputs where no row has a label among the classes.
 */
export function prepareClassification(
  labels: Int32Array,
  probs: Float32Array,
  classes: string[],
  options: ClassificationOptions = {},
): PreparedClassification {
  const k = classes.length;
  if (k < 2) throw new AppError('bad-argument', `Classification needs at least two classes, got ${k}`);
  const n = labels.length;
  if (probs.length !== n * k) throw new AppError('bad-argument', `Got ${probs.length} probabilities for ${n} rows × ${k} classes`);
  if (n === 0) throw new AppError('bad-argument', 'There are no rows to evaluate');
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const p = probs[i * k + c] as number;
      if (!(p >= 0 && p <= 1)) {
        throw new AppError('bad-argument', `Probability ${p} of class "${classes[c]}" in row ${i + 1} is not in [0, 1]`, { row: i + 1 });
      }
    }
  }
  const binary = k === 2;
  const positive = binary ? checkPositive(options.positive ?? k - 1, k) : null;
  const threshold = binary ? checkThreshold(options.threshold ?? DEFAULT_THRESHOLD) : null;
  const eps = options.eps ?? LOG_LOSS_EPS;
  if (!(eps >= 0 && eps < 0.5)) throw new AppError('bad-argument', `The log-loss clipping must be in [0, 0.5), got ${eps}`);
  const maxCurvePoints = options.maxCurvePoints ?? 200;
  if (!(Number.isInteger(maxCurvePoints) && maxCurvePoints >= 2)) {
    throw new AppError('bad-argument', `The most curve points must be a whole number from 2, got ${maxCurvePoints}`);
  }
  const bins = options.calibration?.bins ?? 10;
  const strategy = options.calibration?.strategy ?? 'uniform';
  if (!Number.isInteger(bins) || bins < 1) throw new AppError('bad-argument', `The number of bins must be a whole number from 1, got ${bins}`);
  if (strategy !== 'uniform' && strategy !== 'quantile') {
    throw new AppError('bad-argument', `The binning strategy must be uniform or quantile, got ${String(strategy)}`);
  }

  const kept = new Int32Array(n);
  let excluded = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number;
    if (y >= 0 && y < k) kept[i] = y;
    else {
      kept[i] = -1;
      excluded++;
    }
  }
  if (excluded === n) throw new AppError('bad-argument', `None of the ${n} rows has a label among the ${k} classes`);

  const predicted = predictedClasses(probs, k, binary ? { positive: positive as number, threshold: threshold as number } : {});
  const rowLoss = new Float64Array(n);
  const rowBrier = new Float64Array(n);
  const calibrationLabels = new Uint8Array(n);
  const calibrationScores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = kept[i] as number;
    let sum = 0;
    let brier = 0;
    for (let c = 0; c < k; c++) {
      const p = probs[i * k + c] as number;
      sum += Math.min(1 - eps, Math.max(eps, p));
      const d = p - (c === y ? 1 : 0);
      brier += d * d;
    }
    if (y >= 0) rowLoss[i] = -Math.log(Math.min(1 - eps, Math.max(eps, probs[i * k + y] as number)) / sum);
    if (binary) {
      const p = probs[i * 2 + (positive as number)] as number;
      const d = p - (y === positive ? 1 : 0);
      rowBrier[i] = d * d;
      calibrationLabels[i] = y === positive ? 1 : 0;
      calibrationScores[i] = p;
    } else {
      rowBrier[i] = brier;
      const top = predicted[i] as number;
      calibrationLabels[i] = top === y ? 1 : 0;
      calibrationScores[i] = probs[i * k + top] as number;
    }
  }
  const columns = binary ? [positive as number] : Array.from({ length: k }, (_, c) => c);
  const ranked = columns.map((cls) => {
    const ranks = rankScores(probs, n, k, cls);
    return { cls, ranks, pos: new Float64Array(ranks.values.length), neg: new Float64Array(ranks.values.length) };
  });
  return {
    classes: classes.slice(),
    k,
    n,
    positive,
    threshold,
    labels: kept,
    probs,
    predicted,
    rowLoss,
    rowBrier,
    calibrationLabels,
    calibrationScores,
    ranked,
    excluded,
    bins,
    strategy,
    maxCurvePoints,
  };
}

interface Tally {
  m: number;
  confusion: Float64Array;
  loss: number;
  brier: number;
  calLabels: Uint8Array;
  calScores: Float64Array;
}

/** One pass over the rows (or the resample): the confusion matrix, loss sums and the calibration pairs. */
function tally(prep: PreparedClassification, rows: Int32Array | undefined): Tally {
  const { k, labels, predicted, rowLoss, rowBrier, calibrationLabels, calibrationScores } = prep;
  if (rows) checkRows(rows, prep.n);
  const total = rows ? rows.length : prep.n;
  const confusion = new Float64Array(k * k);
  const calLabels = new Uint8Array(total);
  const calScores = new Float64Array(total);
  let m = 0;
  let loss = 0;
  let brier = 0;
  for (let j = 0; j < total; j++) {
    const i = rows ? (rows[j] as number) : j;
    const y = labels[i] as number;
    if (y < 0) continue;
    const cell = y * k + (predicted[i] as number);
    confusion[cell] = (confusion[cell] as number) + 1;
    loss += rowLoss[i] as number;
    brier += rowBrier[i] as number;
    calLabels[m] = calibrationLabels[i] as number;
    calScores[m] = calibrationScores[i] as number;
    m++;
  }
  if (m === 0) throw new AppError('bad-argument', 'None of the resampled rows has a label among the classes');
  return { m, confusion, loss, brier, calLabels: calLabels.subarray(0, m), calScores: calScores.subarray(0, m) };
}

interface Averages {
  perClass: ClassMetrics[];
  macro: AveragedMetrics;
  weighted: AveragedMetrics;
  accuracy: number;
  balancedAccuracy: number;
}

/** Per-class precision, recall and F1 with their averages, from the confusion matrix (scikit-learn, zero_division=0). */
function averages(prep: PreparedClassification, t: Tally): Averages {
  const { k, classes } = prep;
  const perClass: ClassMetrics[] = [];
  const macro = { precision: 0, recall: 0, f1: 0 };
  const weighted = { precision: 0, recall: 0, f1: 0 };
  let present = 0;
  let inTruth = 0;
  let recallSum = 0;
  let correct = 0;
  for (let c = 0; c < k; c++) {
    const tp = t.confusion[c * k + c] as number;
    correct += tp;
    let support = 0;
    let predictedCount = 0;
    for (let o = 0; o < k; o++) {
      support += t.confusion[c * k + o] as number;
      predictedCount += t.confusion[o * k + c] as number;
    }
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = f1Of(precision, recall);
    perClass.push({ class: classes[c] as string, precision, recall, f1, support });
    if (support > 0 || predictedCount > 0) {
      present++;
      macro.precision += precision;
      macro.recall += recall;
      macro.f1 += f1;
    }
    if (support > 0) {
      inTruth++;
      recallSum += recall;
    }
    weighted.precision += precision * support;
    weighted.recall += recall * support;
    weighted.f1 += f1 * support;
  }
  for (const key of ['precision', 'recall', 'f1'] as const) {
    macro[key] /= present;
    weighted[key] /= t.m;
  }
  return { perClass, macro, weighted, accuracy: correct / t.m, balancedAccuracy: recallSum / inTruth };
}

/** ROC AUC and average precision of each sorted column over the rows, and their macro means over the defined ones. */
function rankMetrics(prep: PreparedClassification, rows: Int32Array | undefined): { rocAuc: number; averagePrecision: number; perColumn: { auc: number; ap: number }[] } {
  const perColumn: { auc: number; ap: number }[] = [];
  let aucSum = 0;
  let aucCount = 0;
  let apSum = 0;
  let apCount = 0;
  for (const column of prep.ranked) {
    countByGroup(column.ranks, prep.labels, column.cls, rows, column.pos, column.neg);
    const auc = aucFromCounts(column.pos, column.neg);
    const ap = averagePrecisionFromCounts(column.pos, column.neg);
    perColumn.push({ auc, ap });
    if (!Number.isNaN(auc)) {
      aucSum += auc;
      aucCount++;
    }
    if (!Number.isNaN(ap)) {
      apSum += ap;
      apCount++;
    }
  }
  return { rocAuc: aucCount ? aucSum / aucCount : NaN, averagePrecision: apCount ? apSum / apCount : NaN, perColumn };
}

function headlineOf(prep: PreparedClassification, t: Tally, a: Averages, r: { rocAuc: number; averagePrecision: number }, ece: number): ClassificationHeadline {
  return {
    n: t.m,
    accuracy: a.accuracy,
    balancedAccuracy: a.balancedAccuracy,
    macroF1: a.macro.f1,
    weightedF1: a.weighted.f1,
    rocAuc: r.rocAuc,
    averagePrecision: r.averagePrecision,
    logLoss: t.loss / t.m,
    brier: t.brier / t.m,
    ece,
  };
}

/**
 * The headline numbers over all rows, or over a bootstrap resample `rows` (indices into the prepared arrays, with
 * repeats): O(rows · k) plus O(rows log rows) only for quantile calibration bins. Not re-entrant for one `prepared`
 * (it reuses count buffers), which single-threaded callers never notice.
 */
export function classificationHeadline(prep: PreparedClassification, rows?: Int32Array): ClassificationHeadline {
  const t = tally(prep, rows);
  const a = averages(prep, t);
  const r = rankMetrics(prep, rows);
  const calibration = calibrationCurve(t.calLabels, t.calScores, { bins: prep.bins, strategy: prep.strategy });
  return headlineOf(prep, t, a, r, calibration.ece);
}

/** The full report over all rows, or over a bootstrap resample `rows`, from prepared inputs. */
export function classificationReportOf(prep: PreparedClassification, rows?: Int32Array): ClassificationReport {
  const t = tally(prep, rows);
  const a = averages(prep, t);
  const r = rankMetrics(prep, rows);
  const calibration = calibrationCurve(t.calLabels, t.calScores, { bins: prep.bins, strategy: prep.strategy });
  const { k } = prep;
  const confusion = Array.from({ length: k }, (_, y) => Array.from(t.confusion.subarray(y * k, y * k + k)));
  // rankMetrics left each column's counts for these rows in its buffers.
  const curves = prep.ranked.map((column, j): ClassCurves => ({
    class: prep.classes[column.cls] as string,
    rocAuc: (r.perColumn[j] as { auc: number }).auc,
    averagePrecision: (r.perColumn[j] as { ap: number }).ap,
    roc: thinPoints(rocPointsFromCounts(column.pos, column.neg), prep.maxCurvePoints),
    pr: thinPoints(prPointsFromCounts(column.pos, column.neg), prep.maxCurvePoints),
  }));
  return {
    ...headlineOf(prep, t, a, r, calibration.ece),
    classes: prep.classes.slice(),
    positive: prep.positive === null ? null : (prep.classes[prep.positive] as string),
    threshold: prep.threshold,
    excluded: rows ? countExcluded(prep.labels, rows) : prep.excluded,
    perClass: a.perClass,
    macro: a.macro,
    weighted: a.weighted,
    confusion,
    curves,
    calibration,
    thresholds: prep.k === 2 ? thresholdTable(t.calLabels, t.calScores) : null,
  };
}

function countExcluded(labels: Int32Array, rows: Int32Array): number {
  let count = 0;
  for (let j = 0; j < rows.length; j++) if ((labels[rows[j] as number] as number) < 0) count++;
  return count;
}

/** The full classification report: `prepareClassification` then `classificationReportOf`, over `options.rows` when given. */
export function classificationReport(
  labels: Int32Array,
  probs: Float32Array,
  classes: string[],
  options: ClassificationOptions & { rows?: Int32Array } = {},
): ClassificationReport {
  return classificationReportOf(prepareClassification(labels, probs, classes, options), options.rows);
}
