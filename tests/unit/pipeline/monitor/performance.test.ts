// Performance decay: measured metrics against scikit-learn, the CBPE estimate and its calibration against a numpy transcription of NannyML (make-performance-expected.py), a simulation, decay flags and bad input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NumpyRandomState } from '../../../../src/lib/pipeline/numpy-random.ts';
import {
  applyCalibration,
  estimatedDecay,
  estimatePerformance,
  fitCalibration,
  measuredPerformance,
  testMetricsForEstimate,
  type MetricDecay,
  type ProbabilityRows,
} from '../../../../src/lib/pipeline/monitor/performance.ts';
import { Resampler } from '../../../../src/lib/pipeline/review/bootstrap.ts';
import { evaluationReport } from '../../../../src/lib/pipeline/review/report.ts';
import { catchAppError } from '../helpers.ts';

// --- the samples of make-performance-expected.py, drawn the same way ---

/** numpy's legacy `RandomState.random_sample`: 53 bits from two 32-bit outputs. */
function randomSample(rs: NumpyRandomState, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ((rs.nextUint32() >>> 5) * 67108864 + (rs.nextUint32() >>> 6)) / 9007199254740992;
  return out;
}

interface Sample {
  rows: ProbabilityRows;
  labels: Int32Array;
}

function binarySample(seed: number, n: number, squash: number): Sample {
  const rs = new NumpyRandomState(seed);
  const t = randomSample(rs, n);
  const u = randomSample(rs, n);
  const probabilities = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = Math.fround(0.5 + squash * ((t[i] as number) - 0.5));
    probabilities[i * 2] = 1 - p;
    probabilities[i * 2 + 1] = p;
    labels[i] = (u[i] as number) < (t[i] as number) ? 1 : 0;
  }
  return { rows: { n, k: 2, probabilities }, labels };
}

function multiclassSample(seed: number, n: number, k: number, squash: number): Sample {
  const rs = new NumpyRandomState(seed);
  const w = randomSample(rs, n * k);
  const u = randomSample(rs, n);
  const probabilities = new Float32Array(n * k);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let c = 0; c < k; c++) {
      const v = w[i * k + c] as number;
      w[i * k + c] = v * v * v;
      total += v * v * v;
    }
    let cum = 0;
    let label = 0;
    for (let c = 0; c < k; c++) {
      const truth = (w[i * k + c] as number) / total;
      cum += truth;
      if ((u[i] as number) >= cum) label++;
      probabilities[i * k + c] = (1 - squash) / k + squash * truth;
    }
    labels[i] = Math.min(label, k - 1);
  }
  return { rows: { n, k, probabilities }, labels };
}

const checksum = ({ rows, labels }: Sample) => {
  let s = 0;
  for (let i = 0; i < rows.n; i++) s += (rows.probabilities[i * rows.k + rows.k - 1] as number) + (labels[i] as number);
  return s;
};

type Numbers = Record<string, number>;
interface Estimate {
  accuracy: number;
  f1: number;
  rocAuc: number;
}
interface CalibrationCase {
  checksum: number;
  batchChecksum: number;
  used: boolean;
  eceBefore: number;
  eceAfter: number;
  x: number[];
  y: number[];
  calibratedBatch: number[];
  estimate: Estimate;
}
const ref = JSON.parse(readFileSync(new URL('../../../fixtures/monitor/performance/expected.json', import.meta.url), 'utf8')) as Record<string, Numbers> & {
  calibrationSquashed: CalibrationCase;
  calibrationCalibrated: CalibrationCase;
  calibrationMulticlass: Omit<CalibrationCase, 'x' | 'y' | 'used' | 'eceBefore' | 'eceAfter'> & { classes: { used: boolean; eceBefore: number; eceAfter: number; x: number[] | null }[] };
};

function close(actual: number | null | undefined, expected: number, tolerance = 1e-12): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

const noTest = { metrics: {}, ci: null };
const byMetric = (rows: MetricDecay[]) => Object.fromEntries(rows.map((r) => [r.metric, r])) as Record<string, MetricDecay>;

describe('measuredPerformance', () => {
  it('equals scikit-learn on a binary batch, with the accuracy interval numpy draws', () => {
    const e = ref.measuredBinary!;
    const s = binarySample(1, 1000, 1);
    close(checksum(s), e.checksum!, 1e-9);
    const test = { metrics: { accuracy: 0.9, macroF1: 0.9, weightedF1: 0.9, rocAuc: 0.9, balancedAccuracy: 0.9 }, ci: null };
    const m = byMetric(measuredPerformance({ task: 'binary', actual: s.labels, outputs: s.rows.probabilities, classes: ['no', 'yes'], test }));
    for (const key of ['accuracy', 'balancedAccuracy', 'macroF1', 'weightedF1', 'rocAuc']) close(m[key]!.batch, e[key]!);
    close(m.accuracy!.batchLow, e.accuracyLow!);
    close(m.accuracy!.batchHigh, e.accuracyHigh!);
    // Only the metrics the test side has are listed.
    expect(Object.keys(m).sort()).toEqual(['accuracy', 'balancedAccuracy', 'macroF1', 'rocAuc', 'weightedF1']);
  });

  it('equals scikit-learn on a multiclass batch (macro one-vs-rest ROC AUC)', () => {
    const e = ref.measuredMulticlass!;
    const s = multiclassSample(2, 600, 3, 1);
    close(checksum(s), e.checksum!, 1e-9);
    const test = { metrics: { accuracy: 0.5, macroF1: 0.5, weightedF1: 0.5, rocAuc: 0.5 } };
    const m = byMetric(measuredPerformance({ task: 'multiclass', actual: s.labels, outputs: s.rows.probabilities, classes: ['a', 'b', 'c'], test, bootstrap: { resamples: 50 } }));
    for (const key of ['accuracy', 'macroF1', 'weightedF1', 'rocAuc']) close(m[key]!.batch, e[key]!);
  });

  it('equals scikit-learn on a regression batch (RMSE, MAE, R²)', () => {
    const e = ref.measuredRegression!;
    const rs = new NumpyRandomState(3);
    const actual = randomSample(rs, 500).map((v) => v * 10);
    const noise = randomSample(rs, 500);
    const predicted = actual.map((v, i) => v + ((noise[i] as number) - 0.5) * 2);
    close(actual.reduce((a, b) => a + b, 0) + predicted.reduce((a, b) => a + b, 0), e.checksum!, 1e-8);
    const test = { metrics: { rmse: 0.5, mae: 0.45, r2: 0.97 }, ci: { rmse: { low: 0.45, high: 0.55 }, mae: { low: 0.45, high: 0.52 }, r2: { low: 0.96, high: 0.98 } } };
    const m = byMetric(measuredPerformance({ task: 'regression', actual, outputs: predicted, test, bootstrap: { resamples: 200 } }));
    for (const key of ['rmse', 'mae', 'r2']) close(m[key]!.batch, e[key]!);
    // RMSE 0.574 is above the test interval's high end 0.55 (lower is better), R² 0.958 below 0.96; MAE 0.500 inside.
    expect(m.rmse!.decayed).toBe(true);
    expect(m.r2!.decayed).toBe(true);
    expect(m.mae!.decayed).toBe(false);
  });

  it('flags decay beyond the test interval, not for a resample of the test rows (test side: the review report)', () => {
    const test = binarySample(11, 2000, 1);
    const report = evaluationReport({
      task: 'binary',
      classes: ['no', 'yes'],
      actual: Float32Array.from(test.labels),
      outputs: test.rows.probabilities as Float32Array,
      baselineOutputs: new Float32Array(4000).fill(0.5),
      policy: null,
      bootstrap: { resamples: 300 },
    });
    const input = (s: Sample) => ({ task: 'binary' as const, actual: s.labels, outputs: s.rows.probabilities, classes: ['no', 'yes'], test: report, bootstrap: { resamples: 300 } });
    // A bootstrap resample of the test rows: the same population, no decay.
    const rows = new Resampler(2000, 123).next();
    const resample: Sample = {
      rows: { n: 2000, k: 2, probabilities: Float32Array.from({ length: 4000 }, (_, j) => test.rows.probabilities[(rows[j >> 1] as number) * 2 + (j & 1)] as number) },
      labels: Int32Array.from(rows, (i) => test.labels[i] as number),
    };
    const same = measuredPerformance(input(resample));
    expect(same.map((r) => r.metric).sort()).toEqual(['accuracy', 'averagePrecision', 'balancedAccuracy', 'brier', 'ece', 'logLoss', 'macroF1', 'rocAuc', 'weightedF1']);
    expect(same.filter((r) => r.decayed)).toEqual([]);
    for (const r of same) {
      expect(r.test).toBe((report.metrics as unknown as Record<string, number>)[r.metric]);
      expect(r.testLow).toBe(report.ci[r.metric]!.low);
    }
    // Concept drift: a fifth of the labels flipped. Every ranking and accuracy metric falls below its test interval.
    const drifted: Sample = { rows: resample.rows, labels: resample.labels.map((y, i) => (i % 5 === 0 ? 1 - y : y)) };
    const worse = byMetric(measuredPerformance(input(drifted)));
    for (const key of ['accuracy', 'balancedAccuracy', 'macroF1', 'rocAuc', 'averagePrecision', 'logLoss', 'brier']) {
      expect(worse[key]!.decayed, key).toBe(true);
    }
    expect(worse.accuracy!.batch).toBeLessThan(worse.accuracy!.testLow!);
    expect(worse.logLoss!.batch).toBeGreaterThan(worse.logLoss!.testHigh!);
  });

  it('without a test interval, flags decay only when the whole batch interval is on the bad side', () => {
    const s = binarySample(12, 1000, 1);
    const m = byMetric(measuredPerformance({ task: 'binary', actual: s.labels, outputs: s.rows.probabilities, classes: ['a', 'b'], test: { metrics: { accuracy: 0.95, rocAuc: 0.5 } }, bootstrap: { resamples: 100 } }));
    expect(m.accuracy).toMatchObject({ testLow: null, testHigh: null, decayed: true });
    expect(m.rocAuc!.decayed).toBe(false);
  });
});

describe('estimatePerformance (CBPE)', () => {
  it('equals the numpy transcription of NannyML on a binary batch', () => {
    const e = ref.cbpeBinary!;
    const s = binarySample(4, 1000, 1);
    close(checksum(s), e.checksum!, 1e-9);
    const est = estimatePerformance(s.rows, { task: 'binary' });
    close(est.accuracy, e.accuracy!);
    close(est.f1, e.f1!);
    close(est.rocAuc, e.rocAuc!);
    // NannyML's own code rounds its running sums to 5 decimals: within 1e-6 here.
    close(est.rocAuc, e.rocAucNannyml!, 1e-6);
    expect(est.calibrated).toBe(false);
    expect(est.assumptions.join('\n')).toMatch(/calibrated/);
    expect(est.assumptions.join('\n')).toMatch(/no concept drift: P\(label \| inputs\)/);
  });

  it('equals the numpy transcription of NannyML on a multiclass batch (argmax accuracy, macro F1 and ROC AUC)', () => {
    const e = ref.cbpeMulticlass!;
    const s = multiclassSample(5, 800, 3, 1);
    close(checksum(s), e.checksum!, 1e-9);
    const est = estimatePerformance(s.rows, { task: 'multiclass' });
    close(est.accuracy, e.accuracy!);
    close(est.f1, e.f1!);
    close(est.rocAuc, e.rocAuc!);
  });

  it('is close to the realized metrics when the labels are drawn from calibrated probabilities (50k rows)', () => {
    const s = binarySample(21, 50_000, 1);
    const est = estimatePerformance(s.rows, { task: 'binary' });
    const m = byMetric(measuredPerformance({ task: 'binary', actual: s.labels, outputs: s.rows.probabilities, classes: ['0', '1'], test: { metrics: { accuracy: 0, rocAuc: 0 } }, bootstrap: { resamples: 1 } }));
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < s.rows.n; i++) {
      const predicted = (s.rows.probabilities[i * 2 + 1] as number) >= 0.5;
      if (predicted && s.labels[i] === 1) tp++;
      else if (predicted) fp++;
      else if (s.labels[i] === 1) fn++;
    }
    expect(Math.abs(est.accuracy - m.accuracy!.batch)).toBeLessThan(0.01);
    expect(Math.abs(est.f1 - (2 * tp) / (2 * tp + fp + fn))).toBeLessThan(0.01);
    expect(Math.abs(est.rocAuc! - m.rocAuc!.batch)).toBeLessThan(0.01);
    const multi = multiclassSample(22, 50_000, 4, 1);
    const estMulti = estimatePerformance(multi.rows, { task: 'multiclass' });
    const mm = byMetric(measuredPerformance({ task: 'multiclass', actual: multi.labels, outputs: multi.rows.probabilities, classes: ['a', 'b', 'c', 'd'], test: { metrics: { accuracy: 0, rocAuc: 0 } }, bootstrap: { resamples: 1 } }));
    expect(Math.abs(estMulti.accuracy - mm.accuracy!.batch)).toBeLessThan(0.01);
    expect(Math.abs(estMulti.rocAuc! - mm.rocAuc!.batch)).toBeLessThan(0.01);
  });

  it('refuses regression, saying there is no estimate', () => {
    const s = binarySample(4, 10, 1);
    const error = catchAppError(() => estimatePerformance(s.rows, { task: 'regression' as 'binary' }));
    expect(error.message).toMatch(/regression model has no label-free estimate/);
  });
});

describe('fitCalibration', () => {
  it('calibrates a model squashed toward 0.5: the same decision, ECEs, isotonic map and estimate as the transcription', () => {
    const e = ref.calibrationSquashed;
    const test = binarySample(6, 3000, 0.4);
    close(checksum(test), e.checksum, 1e-9);
    const cal = fitCalibration(test.rows, test.labels);
    expect(cal.used).toBe(true);
    expect(cal.used).toBe(e.used);
    expect(cal.eceAfter).toBeLessThan(cal.eceBefore);
    close(cal.eceBefore, e.eceBefore);
    close(cal.eceAfter, e.eceAfter);
    expect(cal.classes[0]!.map!.x).toEqual(e.x);
    cal.classes[0]!.map!.y.forEach((y, j) => close(y, e.y[j]!));
    // Stored in IndexedDB: survives JSON.
    const stored = JSON.parse(JSON.stringify(cal)) as typeof cal;
    const batch = binarySample(7, 1000, 0.4);
    close(checksum(batch), e.batchChecksum, 1e-9);
    const calibrated = applyCalibration(batch.rows, stored);
    e.calibratedBatch.forEach((p, i) => close(calibrated.probabilities[i * 2 + 1], p));
    const est = estimatePerformance(batch.rows, { task: 'binary', calibration: stored });
    expect(est.calibrated).toBe(true);
    close(est.accuracy, e.estimate.accuracy);
    close(est.f1, e.estimate.f1);
    close(est.rocAuc, e.estimate.rocAuc);
    expect(est.assumptions[0]).toMatch(/calibrated \(on the test split: isotonic/);
    // Uncalibrated, a squashed model's estimate is far off; calibrated, it is near the realized accuracy.
    let correct = 0;
    for (let i = 0; i < 1000; i++) correct += Number(((batch.rows.probabilities[i * 2 + 1] as number) >= 0.5 ? 1 : 0) === batch.labels[i]);
    expect(Math.abs(est.accuracy - correct / 1000)).toBeLessThan(0.03);
    expect(estimatePerformance(batch.rows, { task: 'binary' }).accuracy).toBeLessThan(0.65);
  });

  it('makes the same decision as the transcription for a calibrated model', () => {
    const e = ref.calibrationCalibrated;
    const test = binarySample(8, 3000, 1);
    close(checksum(test), e.checksum, 1e-9);
    const cal = fitCalibration(test.rows, test.labels);
    expect(cal.used).toBe(e.used);
    close(cal.eceBefore, e.eceBefore);
    close(cal.eceAfter, e.eceAfter);
    const batch = binarySample(9, 1000, 1);
    const est = estimatePerformance(batch.rows, { task: 'binary', calibration: cal });
    close(est.accuracy, e.estimate.accuracy);
    close(est.rocAuc, e.estimate.rocAuc);
  });

  it('calibrates each class of a multiclass model and renormalizes the rows', () => {
    const e = ref.calibrationMulticlass;
    const test = multiclassSample(9, 2000, 3, 0.5);
    close(checksum(test), e.checksum, 1e-9);
    const cal = fitCalibration(test.rows, test.labels);
    cal.classes.forEach((c, j) => {
      const want = e.classes[j]!;
      expect(c.used).toBe(want.used);
      close(c.eceBefore, want.eceBefore);
      close(c.eceAfter, want.eceAfter);
      if (want.x) expect(c.map!.x).toEqual(want.x);
    });
    const batch = multiclassSample(10, 300, 3, 0.5);
    close(checksum(batch), e.batchChecksum, 1e-9);
    const calibrated = applyCalibration(batch.rows, cal);
    e.calibratedBatch.forEach((p, j) => close(calibrated.probabilities[j], p));
    const est = estimatePerformance(batch.rows, { task: 'multiclass', calibration: cal });
    close(est.accuracy, e.estimate.accuracy);
    close(est.f1, e.estimate.f1);
    close(est.rocAuc, e.estimate.rocAuc);
  });

  it('is not used when the labels have one class, and is then the identity', () => {
    const s = binarySample(4, 200, 1);
    const cal = fitCalibration(s.rows, new Int32Array(200));
    expect(cal).toMatchObject({ used: false });
    expect(cal.classes[0]!.reason).toMatch(/one class/);
    expect(applyCalibration(s.rows, cal)).toBe(s.rows);
  });
});

describe('estimatedDecay', () => {
  const estimate = { accuracy: 0.8, f1: 0.75, rocAuc: 0.85, calibrated: false, assumptions: [] };
  it('flags an estimate more than the tolerance below the test value (default 0.02, or the test interval)', () => {
    expect(estimatedDecay(estimate, { accuracy: 0.83, f1: 0.76, rocAuc: 0.9 })).toEqual([
      { metric: 'accuracy', test: 0.83, estimate: 0.8, tolerance: 0.02, decayed: true },
      { metric: 'f1', test: 0.76, estimate: 0.75, tolerance: 0.02, decayed: false },
      { metric: 'rocAuc', test: 0.9, estimate: 0.85, tolerance: 0.02, decayed: true },
    ]);
    const wide = estimatedDecay(estimate, { accuracy: { value: 0.83, low: 0.79 } });
    expect(wide).toMatchObject([{ metric: 'accuracy', decayed: false }]);
    expect(wide[0]!.tolerance).toBeCloseTo(0.04, 12);
    expect(estimatedDecay(estimate, { accuracy: 0.83 }, 0.05)[0]!.decayed).toBe(false);
    expect(estimatedDecay({ ...estimate, rocAuc: null }, { rocAuc: 0.9 })).toEqual([]);
  });

  it('reads the test side from the review report (binary F1 of the positive class)', () => {
    const test = binarySample(11, 500, 1);
    const report = evaluationReport({ task: 'binary', classes: ['no', 'yes'], actual: Float32Array.from(test.labels), outputs: test.rows.probabilities as Float32Array, baselineOutputs: new Float32Array(1000).fill(0.5), policy: null, bootstrap: { resamples: 50 } });
    const t = testMetricsForEstimate(report);
    expect(t.f1).toBe((report.metrics as { perClass: { f1: number }[] }).perClass[1]!.f1);
    expect(t.accuracy).toEqual({ value: (report.metrics as { accuracy: number }).accuracy, low: report.ci.accuracy!.low });
  });
});

describe('bad input', () => {
  const rows = (probabilities: number[], n = probabilities.length / 2, k = 2): ProbabilityRows => ({ n, k, probabilities: Float64Array.from(probabilities) });
  it.each([
    ['rows not summing to 1', rows([0.5, 0.6, 0.2, 0.8]), /row 1 sum to 1\.1, not 1/],
    ['NaN', rows([0.5, 0.5, NaN, 0.8]), /class 0 in row 2 is NaN/],
    ['n = 0', rows([], 0), /no rows \(n = 0\)/],
    ['mismatched lengths', rows([0.5, 0.5, 0.5], 2), /3 probabilities for 2 rows × 2 classes/],
  ])('refuses %s', (_, batch, message) => {
    expect(catchAppError(() => estimatePerformance(batch, { task: 'binary' })).message).toMatch(message);
    expect(catchAppError(() => fitCalibration(batch, new Int32Array(batch.n))).message).toMatch(message);
  });

  it('refuses labels out of range or of another length', () => {
    const batch = rows([0.5, 0.5, 0.2, 0.8]);
    expect(catchAppError(() => fitCalibration(batch, Int32Array.from([0, 2]))).message).toMatch(/Label 2 in row 2 .* not a class index from 0 to 1/);
    expect(catchAppError(() => fitCalibration(batch, Int32Array.from([0]))).message).toMatch(/1 labels for 2 rows/);
    expect(catchAppError(() => measuredPerformance({ task: 'binary', actual: Int32Array.from([0, -1]), outputs: batch.probabilities, classes: ['a', 'b'], test: noTest })).message).toMatch(/Label -1 in row 2/);
    expect(catchAppError(() => estimatePerformance(rows([0.2, 0.3, 0.5], 1, 3), { task: 'binary' })).message).toMatch(/binary model has two classes/);
  });
});
