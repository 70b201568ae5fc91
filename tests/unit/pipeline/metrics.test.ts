import { describe, expect, it } from 'vitest';
import {
  classificationMetrics,
  dummyClassification,
  dummyRegression,
  regressionMetrics,
  rocAuc,
} from '../../../src/lib/pipeline/metrics.ts';

const f32 = (xs: number[]) => Float32Array.from(xs);

describe('classificationMetrics (binary)', () => {
  // y = 0,0,1,1; P(class 1) = 0.1, 0.4, 0.35, 0.8.
  // Predictions (argmax): 0,0,0,1 → accuracy 3/4; confusion [[2,0],[1,1]].
  // F1(0) = 2·2/(2+3) = 0.8; F1(1) = 2·1/(2+1) = 2/3; macro = 0.7333….
  // AUC: positive scores 0.35, 0.8 vs negatives 0.1, 0.4 → 3 of 4 pairs ordered → 0.75.
  // Log loss = −(ln 0.9 + ln 0.6 + ln 0.35 + ln 0.8)/4 ≈ 0.472288.
  const probs = f32([0.9, 0.1, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8]);
  const m = classificationMetrics(Int32Array.of(0, 0, 1, 1), probs, ['no', 'yes']);

  it('matches the hand computation', () => {
    expect(m.accuracy).toBe(0.75);
    expect(m.confusion).toEqual([
      [2, 0],
      [1, 1],
    ]);
    expect(m.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 12);
    expect(m.rocAuc).toBe(0.75);
    expect(m.logLoss).toBeCloseTo(0.472288, 5);
  });

  it('gives the ROC curve through every threshold', () => {
    // Scores descending: 0.8 (+), 0.4 (−), 0.35 (+), 0.1 (−).
    expect(m.rocCurve).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 0.5 },
      { fpr: 0.5, tpr: 0.5 },
      { fpr: 0.5, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
  });

  it('counts tied scores as half in the AUC', () => {
    // Positives 0.5, 0.9; negatives 0.5, 0.2: pairs 0.5, 1, 1, 1 → 3.5/4.
    expect(rocAuc(Float64Array.of(0.5, 0.5, 0.2, 0.9), Uint8Array.of(0, 1, 0, 1))).toBe(0.875);
  });

  it('clips probabilities at 1e-15 in the log loss', () => {
    const sure = classificationMetrics(Int32Array.of(1), f32([1, 0]), ['a', 'b']);
    expect(sure.logLoss).toBeCloseTo(-Math.log(1e-15), 9);
  });

  it('thins a long ROC curve to at most 200 points', () => {
    const n = 1000;
    const y = Int32Array.from({ length: n }, (_, i) => i % 2);
    const p = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      p[i * 2 + 1] = i / n;
      p[i * 2] = 1 - i / n;
    }
    const curve = classificationMetrics(y, p, ['a', 'b']).rocCurve ?? [];
    expect(curve.length).toBeLessThanOrEqual(200);
    expect(curve[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(curve.at(-1)).toEqual({ fpr: 1, tpr: 1 });
  });
});

describe('classificationMetrics (multiclass)', () => {
  // y = 0,1,2; predictions 0,1,1 → accuracy 2/3; F1 = 1, 2/3, 0 → macro 5/9.
  // One-vs-rest AUCs are all 1 (each true class has the top score in its column).
  // Log loss = −(ln 0.7 + ln 0.8 + ln 0.3)/3 ≈ 0.594594.
  const probs = f32([0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.5, 0.3]);
  const m = classificationMetrics(Int32Array.of(0, 1, 2), probs, ['a', 'b', 'c']);
  it('matches the hand computation', () => {
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
    expect(m.macroF1).toBeCloseTo(5 / 9, 12);
    expect(m.rocAuc).toBe(1);
    expect(m.logLoss).toBeCloseTo(0.594594, 5);
    expect(m.confusion).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    expect(m.rocCurve).toBeUndefined();
  });
});

describe('regressionMetrics', () => {
  // y = 3, −0.5, 2, 7; ŷ = 2.5, 0, 2, 8: errors 0.5, −0.5, 0, −1.
  // MSE = 1.5/4 → RMSE ≈ 0.612372; MAE = 2/4 = 0.5; SS_tot = 29.1875 → R² = 1 − 1.5/29.1875 ≈ 0.948608.
  it('matches the hand computation', () => {
    const m = regressionMetrics(Float64Array.of(3, -0.5, 2, 7), Float64Array.of(2.5, 0, 2, 8));
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(m.mae).toBe(0.5);
    expect(m.r2).toBeCloseTo(1 - 1.5 / 29.1875, 12);
    expect(m.residuals).toEqual([
      { predicted: 2.5, actual: 3 },
      { predicted: 0, actual: -0.5 },
      { predicted: 2, actual: 2 },
      { predicted: 8, actual: 7 },
    ]);
  });

  it('samples at most 2,000 residuals', () => {
    const y = Float64Array.from({ length: 5001 }, (_, i) => i);
    expect(regressionMetrics(y, y).residuals.length).toBe(2000);
  });
});

describe('dummy baselines', () => {
  it('predicts the training majority with training frequencies', () => {
    // Train 0,0,0,1 → P = (0.75, 0.25) for every test row; test 0,1 → accuracy 0.5, AUC 0.5 (all tied),
    // log loss = −(ln 0.75 + ln 0.25)/2 ≈ 0.836988.
    const m = dummyClassification(Int32Array.of(0, 0, 0, 1), Int32Array.of(0, 1), ['a', 'b']);
    expect(m.accuracy).toBe(0.5);
    expect(m.rocAuc).toBe(0.5);
    expect(m.logLoss).toBeCloseTo(0.836988, 5);
  });

  it('predicts the training mean', () => {
    // Train mean 2; test 2, 4 → errors 0, 2: RMSE √2, MAE 1; SS_tot = 2 → R² = 1 − 4/2 = −1.
    const m = dummyRegression(Float64Array.of(1, 2, 3), Float64Array.of(2, 4));
    expect(m.rmse).toBeCloseTo(Math.SQRT2, 12);
    expect(m.mae).toBe(1);
    expect(m.r2).toBe(-1);
  });
});
