// A batch's performance against the model's test performance: measured with bootstrap intervals when it has labels, else the label-free CBPE estimate of a classifier; decay either way.
import type { EvaluationReport } from '../review/report.ts';
import type { TaskKind } from '../types.ts';
import {
  estimatedDecay,
  estimatePerformance,
  measuredPerformance,
  testMetricsForEstimate,
  type FittedCalibration,
  type MetricDecay,
  type PerformanceEstimate,
} from './performance.ts';

export interface BatchPerformance {
  /** Measured on the batch's labels (null when it has none, or no test report to compare with). */
  measured: MetricDecay[] | null;
  /** The label-free estimate (classifiers only; null for regression or when the batch is labelled). */
  estimate: PerformanceEstimate | null;
  estimated: ReturnType<typeof estimatedDecay> | null;
  /** A measured metric beyond its test interval, or an estimate below the test value by more than the tolerance. */
  decayed: boolean;
  notes: string[];
}

export interface BatchPerformanceInput {
  task: TaskKind;
  classes: readonly string[];
  /** The model's outputs on the batch: n × k probabilities (binary k = 2), or n values. */
  outputs: Float32Array;
  /** The batch's labels as class indices (−1: a class the model never saw; NaN: missing) or values; null without a target column. */
  labels: Float32Array | null;
  /** The run's stored evaluation report (the test metrics and their intervals). */
  report: EvaluationReport | null;
  /** Fitted on the test split when the reference was made. */
  calibration: FittedCalibration | null;
  /** Binary: the positive class's index and the decision threshold. */
  positive?: number;
  threshold?: number;
}

/** Rows with a usable label: a known class, or a finite value. */
function labelledRows(task: TaskKind, labels: Float32Array): Int32Array {
  const kept: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (task === 'regression' ? Number.isFinite(y) : y >= 0) kept.push(i);
  }
  return Int32Array.from(kept);
}

/**
 * The batch's performance: with labels, its headline metrics with bootstrap intervals against the test report's
 * (decay: beyond the interval); without, a classifier's CBPE estimate against the test values (decay: below by more
 * than the tolerance). Rows whose label is missing or a class the model never saw are left out of the measurement,
 * and a note says how many.
 */
export function batchPerformance(input: BatchPerformanceInput): BatchPerformance {
  const { task, outputs, report } = input;
  const k = task === 'regression' ? 1 : input.classes.length;
  const decision = {
    ...(input.positive !== undefined ? { positive: input.positive } : {}),
    ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
  };
  const notes: string[] = [];
  if (!report) notes.push('The run has no stored evaluation report: there are no test metrics to compare with');
  if (input.labels && report) {
    const rows = labelledRows(task, input.labels);
    const left = input.labels.length - rows.length;
    if (left > 0) notes.push(`${left.toLocaleString('en-US')} rows without a usable label (missing, or a class the model never saw) are left out of the measured performance`);
    if (rows.length > 0) {
      const picked = new Float32Array(rows.length * k);
      const actual = task === 'regression' ? new Float64Array(rows.length) : new Int32Array(rows.length);
      rows.forEach((row, i) => {
        picked.set(outputs.subarray(row * k, row * k + k), i * k);
        actual[i] = input.labels![row] as number;
      });
      const measured = measuredPerformance({ task, actual, outputs: picked, classes: [...input.classes], ...decision, test: report });
      return { measured, estimate: null, estimated: null, decayed: measured.some((m) => m.decayed), notes };
    }
  }
  if (task === 'regression') {
    notes.push('A regression model has no label-free estimate: drop a batch with the target to measure RMSE, MAE and R²');
    return { measured: null, estimate: null, estimated: null, decayed: false, notes };
  }
  const estimate = estimatePerformance({ n: outputs.length / k, k, probabilities: outputs }, { task, ...decision, calibration: input.calibration });
  const estimated = report ? estimatedDecay(estimate, testMetricsForEstimate(report)) : null;
  return { measured: null, estimate, estimated, decayed: estimated?.some((e) => e.decayed) ?? false, notes };
}
