// Performance decay of a deployed model: a batch's measured metrics against the test split's intervals, and without labels NannyML's CBPE estimate of accuracy, F1 and ROC AUC.
//
// With labels (`measuredPerformance`): the batch's headline metrics are the review's (same keys, same definitions:
// src/lib/pipeline/review/classification.ts, regression.ts), with the review's seeded bootstrap intervals
// (bootstrap.ts), set beside the test metrics and intervals the run's evaluation report keeps (report.ts
// `EvaluationReport.metrics` and `.ci`). A metric has decayed when the batch's value lies beyond the test interval
// in the bad direction (below its low end for accuracy, above its high end for log loss or RMSE).
//
// Without labels (`estimatePerformance`): confidence-based performance estimation as NannyML defines it in
// nannyml/performance_estimation/confidence_based/metrics.py. Each row's (calibrated) probability is the chance
// that its prediction is right, so the confusion matrix has expected cells: a row predicted positive adds p to TP
// and 1 − p to FP, one predicted negative p to FN and 1 − p to TN (`estimate_accuracy`, `estimate_f1`); the
// prediction is the model's own (its raw P(positive) ≥ the decision threshold, or its argmax). ROC AUC
// (`estimate_roc_auc`): rows sorted by the model's raw score, highest first; expected TPs are the running sum of the
// calibrated probabilities, expected FPs the rows so far minus it; TPR and FPR divide them by their totals and the
// AUC is the trapezoid area. Multiclass: accuracy is the mean calibrated probability of the predicted class
// (`MulticlassClassificationAccuracy._estimate`), F1 and ROC AUC the means of the one-vs-rest values
// (`MulticlassClassificationF1`, `MulticlassClassificationAUROC`). Two differences from NannyML's code: tied scores
// give one ROC point (as scikit-learn's roc_curve does; NannyML's argsort orders ties arbitrarily), and the running
// sums are not rounded to 5 decimals.
import { AppError } from '../errors.ts';
import { bootstrap, type BootstrapOptions } from '../review/bootstrap.ts';
import { classificationHeadline, prepareClassification, type ClassificationReport } from '../review/classification.ts';
import { POLICY_METRICS } from '../review/policy.ts';
import { regressionHeadline } from '../review/regression.ts';
import type { EvaluationReport } from '../review/report.ts';
import { checkPositive, checkThreshold, DEFAULT_THRESHOLD } from '../review/threshold.ts';
import type { TaskKind } from '../types.ts';
import { applyCalibration, checkLabels, checkProbabilityRows, type FittedCalibration, type ProbabilityRows } from './performance-calibration.ts';

export {
  applyCalibration,
  CALIBRATION_SEED,
  fitCalibration,
  type ClassCalibration,
  type FittedCalibration,
  type IsotonicMap,
  type ProbabilityRows,
} from './performance-calibration.ts';

/** A label-free estimate of a classifier's performance on a batch (NannyML's CBPE). */
export interface PerformanceEstimate {
  accuracy: number;
  /** Binary: F1 of the positive class; multiclass: macro F1 over the classes (one-vs-rest). */
  f1: number;
  /** null when the probabilities expect no positives or no negatives (binary), or for no class (multiclass). */
  rocAuc: number | null;
  /** Whether a calibration was applied (fitted on the test split and lowering its ECE). */
  calibrated: boolean;
  /** What the estimate takes for granted, in words. */
  assumptions: string[];
}

export const ASSUMPTION_NO_CONCEPT_DRIFT = 'no concept drift: P(label | inputs) is the same in this batch as in the test split (only the inputs may have shifted)';
export const NO_REGRESSION_ESTIMATE = 'A regression model has no label-free estimate: confidence-based estimation needs class probabilities. Measure its RMSE, MAE and R² on a labelled batch instead.';

function calibrationAssumption(calibration: FittedCalibration | null | undefined): string {
  const ece = (c: FittedCalibration) => `the cross-validated ECE ${c.eceBefore.toFixed(4)} → ${c.eceAfter.toFixed(4)}`;
  if (!calibration) return 'the probabilities are calibrated as the model gives them (no calibration fitted on the test split was given)';
  if (calibration.used) {
    return `the probabilities are calibrated (on the test split: ${calibration.method}, ${ece(calibration)}); scores outside the test split's range take the calibration's end values`;
  }
  return `the probabilities are calibrated as the model gives them (calibrating on the test split did not lower ${ece(calibration)})`;
}

/** Expected cells and F1 the way NannyML's `estimate_f1` writes it: TP / (TP + (FP + FN)/2), 0 when all are 0. */
function f1Of(tp: number, fp: number, fn: number): number {
  const denominator = tp + 0.5 * (fp + fn);
  return denominator !== 0 ? tp / denominator : 0;
}

/**
 * NannyML's `estimate_roc_auc` of column c: rows by the raw score, highest first (ties one point), expected TPs the
 * running sum of the calibrated probability, FPs the rows so far minus it; NaN without expected positives or negatives.
 */
export function expectedRocAuc(raw: ArrayLike<number>, calibrated: ArrayLike<number>, n: number, k: number, c: number): number {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (raw[b * k + c] as number) - (raw[a * k + c] as number));
  const tps: number[] = [0];
  const fps: number[] = [0];
  let tp = 0;
  for (let j = 0; j < n; j++) {
    const i = order[j] as number;
    tp += calibrated[i * k + c] as number;
    const next = order[j + 1];
    if (next === undefined || raw[next * k + c] !== raw[i * k + c]) {
      tps.push(tp);
      fps.push(j + 1 - tp);
    }
  }
  const totalTp = tps[tps.length - 1] as number;
  const totalFp = fps[fps.length - 1] as number;
  if (!(totalTp > 0 && totalFp > 0)) return NaN;
  let area = 0;
  for (let j = 1; j < tps.length; j++) {
    area += (((fps[j] as number) - (fps[j - 1] as number)) / totalFp) * (((tps[j] as number) / totalTp + (tps[j - 1] as number) / totalTp) / 2);
  }
  return area;
}

/**
 * CBPE: expected accuracy, F1 and ROC AUC of a batch from the model's probabilities alone (calibrated first with
 * `options.calibration` when it is used). Binary: k = 2, the positive class `positive` (default 1) predicted when
 * its raw probability ≥ `threshold` (default 0.5). Refuses regression, bad rows (AppError naming them).
 */
export function estimatePerformance(
  batch: ProbabilityRows,
  options: { task: 'binary' | 'multiclass'; positive?: number; threshold?: number; calibration?: FittedCalibration | null },
): PerformanceEstimate {
  if ((options.task as TaskKind) === 'regression') throw new AppError('bad-argument', NO_REGRESSION_ESTIMATE);
  if (options.task !== 'binary' && options.task !== 'multiclass') throw new AppError('bad-argument', `The task must be binary or multiclass, got ${String(options.task)}`);
  checkProbabilityRows(batch, 'batch');
  const { n, k } = batch;
  if (options.task === 'binary' && k !== 2) throw new AppError('bad-argument', `A binary model has two classes, the batch has probabilities of ${k}`);
  const calibration = options.calibration ?? null;
  const calibrated = calibration ? applyCalibration(batch, calibration) : batch;
  const raw = batch.probabilities;
  const q = calibrated.probabilities;
  const assumptions = [calibrationAssumption(calibration), ASSUMPTION_NO_CONCEPT_DRIFT];
  const wasCalibrated = calibration?.used === true && calibrated !== batch;
  if (options.task === 'binary') {
    const pos = checkPositive(options.positive ?? 1, 2);
    const threshold = checkThreshold(options.threshold ?? DEFAULT_THRESHOLD);
    if (calibration?.used && calibration.positive !== null && calibration.positive !== pos) {
      throw new AppError('bad-argument', `The calibration was fitted for positive class ${calibration.positive}, the estimate asks for ${pos}`);
    }
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    for (let i = 0; i < n; i++) {
      const p = q[i * 2 + pos] as number;
      if ((raw[i * 2 + pos] as number) >= threshold) {
        tp += p;
        fp += 1 - p;
      } else {
        fn += p;
        tn += 1 - p;
      }
    }
    const auc = expectedRocAuc(raw, q, n, 2, pos);
    return { accuracy: (tp + tn) / n, f1: f1Of(tp, fp, fn), rocAuc: Number.isNaN(auc) ? null : auc, calibrated: wasCalibrated, assumptions };
  }
  const predicted = new Int32Array(n);
  let accuracy = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if ((raw[i * k + c] as number) > (raw[i * k + best] as number)) best = c;
    predicted[i] = best;
    accuracy += q[i * k + best] as number;
  }
  let f1 = 0;
  let aucSum = 0;
  let aucCount = 0;
  for (let c = 0; c < k; c++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      const p = q[i * k + c] as number;
      if (predicted[i] === c) {
        tp += p;
        fp += 1 - p;
      } else fn += p;
    }
    f1 += f1Of(tp, fp, fn) / k;
    const auc = expectedRocAuc(raw, q, n, k, c);
    if (!Number.isNaN(auc)) {
      aucSum += auc;
      aucCount++;
    }
  }
  return { accuracy: accuracy / n, f1, rocAuc: aucCount ? aucSum / aucCount : null, calibrated: wasCalibrated, assumptions };
}

/** A test metric for `estimatedDecay`: its value, or its value with the low end of its bootstrap interval. */
export type TestValue = number | { value: number; low?: number | null };

/** When no tolerance and no test interval are given: about the half-width of a 95% accuracy interval near 0.8 on 1,500 test rows (1.96·√(0.8·0.2/1500) ≈ 0.02). */
export const DEFAULT_DECAY_TOLERANCE = 0.02;

/**
 * The estimate against the test metrics: decayed when the estimate is more than the tolerance below the test value.
 * The tolerance is `tolerance` when given, else the distance from the test value down to its interval's low end
 * (the drop the test split's own sampling spread explains), else `DEFAULT_DECAY_TOLERANCE`.
 */
export function estimatedDecay(
  estimate: PerformanceEstimate,
  test: { accuracy?: TestValue; f1?: TestValue; rocAuc?: TestValue },
  tolerance?: number,
): { metric: string; test: number; estimate: number; tolerance: number; decayed: boolean }[] {
  if (tolerance !== undefined && !(tolerance >= 0 && Number.isFinite(tolerance))) throw new AppError('bad-argument', `The decay tolerance must be a number from 0, got ${String(tolerance)}`);
  const out: { metric: string; test: number; estimate: number; tolerance: number; decayed: boolean }[] = [];
  for (const metric of ['accuracy', 'f1', 'rocAuc'] as const) {
    const given = test[metric];
    const value = estimate[metric];
    if (given === undefined || value === null) continue;
    const t = typeof given === 'number' ? given : given.value;
    const low = typeof given === 'number' ? null : (given.low ?? null);
    if (!Number.isFinite(t)) continue;
    const tol = tolerance ?? (low !== null && Number.isFinite(low) ? Math.max(0, t - low) : DEFAULT_DECAY_TOLERANCE);
    out.push({ metric, test: t, estimate: value, tolerance: tol, decayed: value < t - tol });
  }
  return out;
}

/**
 * The test metrics an estimate compares with, from the run's evaluation report: accuracy and ROC AUC with their
 * intervals; F1 as the estimate defines it (binary: the positive class's, without an interval, since the report
 * keeps intervals for macro F1 only; multiclass: macro F1 with its interval).
 */
export function testMetricsForEstimate(report: Pick<EvaluationReport, 'task' | 'metrics' | 'ci' | 'positiveClass'>): { accuracy?: TestValue; f1?: TestValue; rocAuc?: TestValue } {
  if (report.task === 'regression') throw new AppError('bad-argument', NO_REGRESSION_ESTIMATE);
  const m = report.metrics as ClassificationReport;
  const withCi = (key: 'accuracy' | 'macroF1' | 'rocAuc'): TestValue => ({ value: m[key], low: report.ci[key]?.low ?? null });
  const f1 = report.task === 'binary' ? m.perClass.find((c) => c.class === report.positiveClass)?.f1 : undefined;
  return { accuracy: withCi('accuracy'), f1: report.task === 'binary' ? f1 : withCi('macroF1'), rocAuc: withCi('rocAuc') };
}

/** A headline metric of a labelled batch beside the test's. */
export interface MetricDecay {
  metric: string;
  test: number;
  /** The test metric's bootstrap interval; null when the test report has none for it. */
  testLow: number | null;
  testHigh: number | null;
  batch: number;
  batchLow: number;
  batchHigh: number;
  decayed: boolean;
}

/** What `measuredPerformance` needs: the review's inputs for the batch, and the test side as the report keeps it. */
export interface MeasuredInput {
  task: TaskKind;
  /** Classification: each row's class index 0 … k−1; regression: the actual values. */
  actual: Int32Array | Float32Array | Float64Array;
  /** Classification: n × k probabilities (row-major, summing to 1); regression: the n predictions. */
  outputs: Float32Array | Float64Array;
  /** Classification: the class names, in the order of the probability columns. */
  classes?: string[];
  /** Binary: the positive class's index (default: the last class, as the review) and the decision threshold (0.5). */
  positive?: number;
  threshold?: number;
  /** The run's evaluation report, or its `metrics` (the headline keys) and `ci` (intervals by the same keys). */
  test: { metrics: object; ci?: Record<string, { low: number; high: number }> | null };
  /** The batch's bootstrap: 1,000 resamples, seed 0 unless told. */
  bootstrap?: BootstrapOptions;
}

/**
 * The batch's headline metrics (the review's keys and definitions for the task: accuracy, balanced accuracy, macro
 * and weighted F1, ROC AUC, average precision, log loss, Brier, ECE; or RMSE, MAE, R², MAPE, max error) with seeded
 * bootstrap intervals, each beside the test value and interval. Only metrics both sides have as finite numbers are
 * listed. Decayed: the batch's value below the test interval's low end (above its high end when lower is better);
 * without a test interval, the batch's whole interval on the bad side of the test value.
 */
export function measuredPerformance(input: MeasuredInput): MetricDecay[] {
  const { task, actual, outputs } = input;
  let n: number;
  let headline: (rows: Int32Array) => Record<string, number>;
  if (task === 'regression') {
    n = outputs.length;
    const values = actual instanceof Int32Array ? Float64Array.from(actual) : actual;
    headline = (rows) => {
      const h = regressionHeadline(values, outputs, rows);
      return { rmse: h.rmse, mae: h.mae, r2: h.r2, mape: h.mape ?? NaN, maxError: h.maxError };
    };
  } else {
    const classes = input.classes;
    if (!classes) throw new AppError('bad-argument', 'A classification batch needs its class names (classes)');
    const k = classes.length;
    n = actual.length;
    checkProbabilityRows({ n, k, probabilities: outputs }, 'batch');
    if (task === 'binary' && k !== 2) throw new AppError('bad-argument', `A binary model has two classes, got ${k}`);
    const labels = actual instanceof Int32Array ? actual : Int32Array.from(actual);
    checkLabels(labels, n, k, 'the batch');
    const prep = prepareClassification(labels, outputs instanceof Float32Array ? outputs : Float32Array.from(outputs), classes, {
      ...(input.positive !== undefined ? { positive: input.positive } : {}),
      ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
    });
    headline = (rows) => {
      const { n: _n, ...h } = classificationHeadline(prep, rows);
      return h;
    };
  }
  const intervals = bootstrap(n, headline, input.bootstrap ?? {});
  const testMetrics = input.test.metrics as Record<string, unknown>;
  const out: MetricDecay[] = [];
  for (const [metric, interval] of Object.entries(intervals)) {
    const t = testMetrics[metric];
    if (typeof t !== 'number' || !Number.isFinite(t) || !Number.isFinite(interval.estimate)) continue;
    const ci = input.test.ci?.[metric];
    const testLow = ci && Number.isFinite(ci.low) ? ci.low : null;
    const testHigh = ci && Number.isFinite(ci.high) ? ci.high : null;
    const higherIsBetter = (POLICY_METRICS as Record<string, boolean>)[metric] ?? false;
    const batch = interval.estimate;
    const decayed = higherIsBetter
      ? testLow !== null ? batch < testLow : interval.high < t
      : testHigh !== null ? batch > testHigh : interval.low > t;
    out.push({ metric, test: t, testLow, testHigh, batch, batchLow: interval.low, batchHigh: interval.high, decayed });
  }
  return out;
}
