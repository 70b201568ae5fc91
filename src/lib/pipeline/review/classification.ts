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
// `classificationHeadline(prepared, rows)` then costs a few sequential passes over the n rows for a bootstrap resample
// `rows` (indices with repeats, never copied: each row is weighted by how often it occurs), and gives the numbers
// scikit-learn gives on the materialized resample.
import { AppError } from '../errors.ts';
import { calibrationFromCounts, checkBins, checkStrategy, type BinStrategy, type CalibrationCurve } from './calibration.ts';
import {
  countByGroup,
  multiplicity,
  prPointsFromCounts,
  rankMetricsFromCounts,
  rankScores,
  rocPointsFromCounts,
  type PrPoint,
  type RankedScores,
  type RocPoint,
} from './ranking.ts';
import { checkPositive, checkThreshold, DEFAULT_THRESHOLD, f1Of, predictedClasses, thresholdTableFromCounts, type ThresholdRow } from './threshold.ts';

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

/** A sorted score column with its count buffers (one slot per distinct score). */
interface Column {
  /** The class whose one-vs-rest curve this is; −1 for the top-label confidence of a multiclass model. */
  cls: number;
  ranked: RankedScores;
  pos: Float64Array;
  neg: Float64Array;
}

/** The inputs checked, with each scored column sorted once and the per-row terms computed; see `prepareClassification`. */
export interface PreparedClassification {
  readonly classes: string[];
  readonly k: number;
  /** Rows in the arrays (including excluded ones). */
  readonly n: number;
  readonly positive: number | null;
  readonly threshold: number | null;
  /**
   * Per position of the first column's sorted order: the confusion cell (label · k + predicted, −1 when the row is
   * left out), the row's log loss and Brier terms. Kept in that order so one sequential walk counts everything.
   */
  readonly cell: Int32Array;
  readonly loss: Float64Array;
  readonly brier: Float64Array;
  /** Binary: the positive class's column; multiclass: one per class. */
  readonly columns: Column[];
  /** What the calibration curve bins: binary P(positive) (the first column); multiclass the top-label confidence. */
  readonly calibrationColumn: Column;
  readonly excluded: number;
  readonly bins: number;
  readonly strategy: BinStrategy;
  readonly maxCurvePoints: number;
  /** The multiplicities of the current resample (reused). */
  readonly weights: Int32Array;
}

function columnOf(cls: number, scores: Float32Array, classOf: Int8Array, n: number, stride: number, offset: number): Column {
  const ranked = rankScores(scores, classOf, n, stride, offset);
  return { cls, ranked, pos: new Float64Array(ranked.values.length), neg: new Float64Array(ranked.values.length) };
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
  const bad = firstBadProbability(probs);
  if (bad >= 0) {
    const i = Math.floor(bad / k);
    throw new AppError('bad-argument', `Probability ${probs[bad]} of class "${classes[bad - i * k]}" in row ${i + 1} is not in [0, 1]`, { row: i + 1 });
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
  const bins = checkBins(options.calibration?.bins ?? 10);
  const strategy = checkStrategy(options.calibration?.strategy ?? 'uniform');

  const kept = new Int32Array(n);
  const excluded = keepLabels(labels, k, kept);
  if (excluded === n) throw new AppError('bad-argument', `None of the ${n} rows has a label among the ${k} classes`);

  const predicted = predictedClasses(probs, k, binary ? { positive: positive as number, threshold: threshold as number } : {});
  const rowLoss = new Float64Array(n);
  const rowBrier = new Float64Array(n);
  rowTerms(kept, probs, k, eps, binary ? (positive as number) : -1, rowLoss, rowBrier);
  const classOf = new Int8Array(n);
  const columnFor = (c: number): Column => {
    oneVsRest(kept, c, classOf);
    return columnOf(c, probs, classOf, n, k, c);
  };
  const columns = binary ? [columnFor(positive as number)] : Array.from({ length: k }, (_, c) => columnFor(c));
  let calibrationColumn = columns[0] as Column;
  if (!binary) {
    const confidence = new Float32Array(n);
    topLabelTerms(kept, probs, k, predicted, confidence, classOf);
    calibrationColumn = columnOf(-1, confidence, classOf, n, 1, 0);
  }
  const cell = new Int32Array(n);
  const loss = new Float64Array(n);
  const brier = new Float64Array(n);
  inSortedOrder((columns[0] as Column).ranked.order, kept, predicted, k, rowLoss, rowBrier, cell, loss, brier);
  return {
    classes: classes.slice(),
    k,
    n,
    positive,
    threshold,
    cell,
    loss,
    brier,
    columns,
    calibrationColumn,
    excluded,
    bins,
    strategy,
    maxCurvePoints,
    weights: new Int32Array(n),
  };
}

// The loops of prepareClassification, each in its own function so that V8 compiles them separately and early.

/** The index of the first probability outside [0, 1] or NaN, or −1. */
function firstBadProbability(probs: Float32Array): number {
  for (let j = 0; j < probs.length; j++) {
    const p = probs[j] as number;
    if (!(p >= 0 && p <= 1)) return j;
  }
  return -1;
}

/** Copies the labels, −1 for those outside 0…k−1; returns how many those are. */
function keepLabels(labels: Int32Array, k: number, kept: Int32Array): number {
  let excluded = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (y >= 0 && y < k) kept[i] = y;
    else {
      kept[i] = -1;
      excluded++;
    }
  }
  return excluded;
}

/** Each row's log loss (clipped, renormalized) and Brier term (binary: of the positive class; else over all classes). */
function rowTerms(kept: Int32Array, probs: Float32Array, k: number, eps: number, positive: number, rowLoss: Float64Array, rowBrier: Float64Array): void {
  for (let i = 0; i < kept.length; i++) {
    const y = kept[i] as number;
    if (y < 0) continue;
    let sum = 0;
    let brier = 0;
    for (let c = 0; c < k; c++) {
      const p = probs[i * k + c] as number;
      sum += Math.min(1 - eps, Math.max(eps, p));
      const d = p - (c === y ? 1 : 0);
      brier += d * d;
    }
    rowLoss[i] = -Math.log(Math.min(1 - eps, Math.max(eps, probs[i * k + y] as number)) / sum);
    if (positive >= 0) {
      const d = (probs[i * 2 + positive] as number) - (y === positive ? 1 : 0);
      rowBrier[i] = d * d;
    } else {
      rowBrier[i] = brier;
    }
  }
}

function oneVsRest(kept: Int32Array, c: number, classOf: Int8Array): void {
  for (let i = 0; i < kept.length; i++) {
    const y = kept[i] as number;
    classOf[i] = y < 0 ? -1 : y === c ? 1 : 0;
  }
}

function topLabelTerms(kept: Int32Array, probs: Float32Array, k: number, predicted: Int32Array, confidence: Float32Array, classOf: Int8Array): void {
  for (let i = 0; i < kept.length; i++) {
    const top = predicted[i] as number;
    const y = kept[i] as number;
    confidence[i] = probs[i * k + top] as number;
    classOf[i] = y < 0 ? -1 : y === top ? 1 : 0;
  }
}

function inSortedOrder(
  order: Int32Array,
  kept: Int32Array,
  predicted: Int32Array,
  k: number,
  rowLoss: Float64Array,
  rowBrier: Float64Array,
  cell: Int32Array,
  loss: Float64Array,
  brier: Float64Array,
): void {
  for (let j = 0; j < order.length; j++) {
    const i = order[j] as number;
    const y = kept[i] as number;
    cell[j] = y < 0 ? -1 : y * k + (predicted[i] as number);
    loss[j] = rowLoss[i] as number;
    brier[j] = rowBrier[i] as number;
  }
}

interface Tally {
  m: number;
  excluded: number;
  confusion: Float64Array;
  loss: number;
  brier: number;
}

/**
 * One walk of the first column's sorted order, each row weighted by its multiplicity: the confusion matrix and the
 * loss sums, and that column's positives and negatives per distinct score (left in its buffers).
 */
function tally(prep: PreparedClassification, weights: Int32Array | null): Tally {
  const column = prep.columns[0] as Column;
  const confusion = new Float64Array(prep.k * prep.k);
  const sums = new Float64Array(4);
  walk(column.ranked, prep.cell, prep.loss, prep.brier, weights, column.pos, column.neg, confusion, sums);
  const [m = 0, excluded = 0, loss = 0, brier = 0] = sums;
  if (m === 0) throw new AppError('bad-argument', 'None of the resampled rows has a label among the classes');
  return { m, excluded, confusion, loss, brier };
}

/** The loop of `tally`, on its own so that V8 optimizes it whole (sums: rows, excluded rows, log loss, Brier). */
function walk(
  ranked: RankedScores,
  cell: Int32Array,
  rowLoss: Float64Array,
  rowBrier: Float64Array,
  weights: Int32Array | null,
  pos: Float64Array,
  neg: Float64Array,
  confusion: Float64Array,
  sums: Float64Array,
): void {
  const { order, ends, label } = ranked;
  let m = 0;
  let excluded = 0;
  let loss = 0;
  let brier = 0;
  let j = 0;
  for (let g = 0; g < ends.length; g++) {
    const end = ends[g] as number;
    let p = 0;
    let q = 0;
    for (; j < end; j++) {
      const w = weights === null ? 1 : (weights[order[j] as number] as number);
      const c = cell[j] as number;
      if (c < 0) excluded += w;
      else if (w > 0) {
        if (label[j] === 1) p += w;
        else q += w;
        confusion[c] = (confusion[c] as number) + w;
        loss += w * (rowLoss[j] as number);
        brier += w * (rowBrier[j] as number);
      }
    }
    pos[g] = p;
    neg[g] = q;
    m += p + q;
  }
  sums[0] = m;
  sums[1] = excluded;
  sums[2] = loss;
  sums[3] = brier;
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

interface RankTotals {
  rocAuc: number;
  averagePrecision: number;
  perColumn: { auc: number; ap: number }[];
  calibration: CalibrationCurve;
}

/**
 * Counts the other sorted columns over the weighted rows (leaving the counts in their buffers): ROC AUC and average
 * precision per column with their macro means over the defined ones, and the calibration curve. After `tally`.
 */
function rankTotals(prep: PreparedClassification, weights: Int32Array | null): RankTotals {
  const perColumn: { auc: number; ap: number }[] = [];
  let aucSum = 0;
  let aucCount = 0;
  let apSum = 0;
  let apCount = 0;
  prep.columns.forEach((column, j) => {
    // tally() counted the first column.
    if (j > 0) countByGroup(column.ranked, weights, column.pos, column.neg);
    const { auc, ap } = rankMetricsFromCounts(column.pos, column.neg);
    perColumn.push({ auc, ap });
    if (!Number.isNaN(auc)) {
      aucSum += auc;
      aucCount++;
    }
    if (!Number.isNaN(ap)) {
      apSum += ap;
      apCount++;
    }
  });
  const cal = prep.calibrationColumn;
  if (cal.cls < 0) countByGroup(cal.ranked, weights, cal.pos, cal.neg);
  return {
    rocAuc: aucCount ? aucSum / aucCount : NaN,
    averagePrecision: apCount ? apSum / apCount : NaN,
    perColumn,
    calibration: calibrationFromCounts(cal.ranked.values, cal.pos, cal.neg, prep.bins, prep.strategy),
  };
}

function headlineOf(t: Tally, a: Averages, r: RankTotals): ClassificationHeadline {
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
    ece: r.calibration.ece,
  };
}

/**
 * The headline numbers over all rows, or over a bootstrap resample `rows` (indices into the prepared arrays, with
 * repeats): a few sequential passes over the n rows and the distinct scores. Not re-entrant for one `prepared` (it
 * reuses its buffers), which single-threaded callers never notice.
 */
export function classificationHeadline(prep: PreparedClassification, rows?: Int32Array): ClassificationHeadline {
  const weights = rows ? multiplicity(rows, prep.n, prep.weights) : null;
  const t = tally(prep, weights);
  return headlineOf(t, averages(prep, t), rankTotals(prep, weights));
}

/** The full report over all rows, or over a bootstrap resample `rows`, from prepared inputs. */
export function classificationReportOf(prep: PreparedClassification, rows?: Int32Array): ClassificationReport {
  const weights = rows ? multiplicity(rows, prep.n, prep.weights) : null;
  const t = tally(prep, weights);
  const a = averages(prep, t);
  const r = rankTotals(prep, weights);
  const { k, maxCurvePoints } = prep;
  const confusion = Array.from({ length: k }, (_, y) => Array.from(t.confusion.subarray(y * k, y * k + k)));
  // rankTotals left each column's counts for these rows in its buffers.
  const curves = prep.columns.map((column, j): ClassCurves => ({
    class: prep.classes[column.cls] as string,
    rocAuc: (r.perColumn[j] as { auc: number }).auc,
    averagePrecision: (r.perColumn[j] as { ap: number }).ap,
    roc: rocPointsFromCounts(column.pos, column.neg, maxCurvePoints),
    pr: prPointsFromCounts(column.pos, column.neg, maxCurvePoints),
  }));
  const first = prep.columns[0] as Column;
  return {
    ...headlineOf(t, a, r),
    classes: prep.classes.slice(),
    positive: prep.positive === null ? null : (prep.classes[prep.positive] as string),
    threshold: prep.threshold,
    excluded: t.excluded,
    perClass: a.perClass,
    macro: a.macro,
    weighted: a.weighted,
    confusion,
    curves,
    calibration: r.calibration,
    thresholds: k === 2 ? thresholdTableFromCounts(first.ranked.values, first.pos, first.neg) : null,
  };
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
