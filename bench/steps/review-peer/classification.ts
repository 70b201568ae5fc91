// Classification metrics of the review, each defined as scikit-learn defines it (1.2, as Debian ships it): accuracy, [bench peer: src/lib/pipeline/review/classification.ts as of commit 623ec30, before the review speed work]
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
import { calibrationFromCounts, type CalibrationCurve } from './calibration.ts';
import { averages, tally, type AveragedMetrics, type Averages, type ClassMetrics, type Tally } from './classification-counts.ts';
import { prepareClassification, type ClassificationOptions, type Column, type PreparedClassification } from './classification-prepare.ts';
import { countByGroup, multiplicity, prPointsFromCounts, rankMetricsFromCounts, rocPointsFromCounts, type PrPoint, type RocPoint } from './ranking.ts';
import { thresholdTableFromCounts, type ThresholdRow } from '../../../src/lib/pipeline/review/threshold.ts';

export type { AveragedMetrics, ClassMetrics } from './classification-counts.ts';
export { LOG_LOSS_EPS, prepareClassification, type ClassificationOptions, type PreparedClassification } from './classification-prepare.ts';

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
