// The calibration curve against scikit-learn's calibration_curve (reference/calibration.json, from make_reference.py),
// its documented example, the ECE by hand, top-label calibration, and refused input.
import { describe, expect, it } from 'vitest';
import { calibrationCurve, expectedCalibrationError, topLabel, type CalibrationCurve } from '../../../../src/lib/pipeline/review/calibration.ts';
import { catchAppError } from '../helpers.ts';
import { expectClose, loadReference } from './reference.ts';

interface Reference {
  y: number[];
  scores: number[];
  curves: { strategy: 'uniform' | 'quantile'; bins: number; probTrue: number[]; probPred: number[]; counts: number[]; from: number[]; to: number[]; ece: number }[];
}

const REF = loadReference<Reference>('calibration.json');
const DOC = loadReference<{ docstrings: Record<string, Record<string, number[]>> }>('classification.json').docstrings;

const view = (curve: CalibrationCurve) => ({
  strategy: curve.strategy,
  bins: curve.binCount,
  probTrue: curve.bins.map((b) => b.fractionPositive),
  probPred: curve.bins.map((b) => b.meanPredicted),
  counts: curve.bins.map((b) => b.count),
  from: curve.bins.map((b) => b.from),
  to: curve.bins.map((b) => b.to),
  ece: curve.ece,
});

describe('calibrationCurve against scikit-learn', () => {
  const y = Uint8Array.from(REF.y);
  const scores = Float64Array.from(REF.scores);

  for (const expected of REF.curves) {
    it(`gives calibration_curve(n_bins=${expected.bins}, strategy="${expected.strategy}") with counts and ECE`, () => {
      expectClose(view(calibrationCurve(y, scores, { bins: expected.bins, strategy: expected.strategy })), expected);
    });
  }

  it('puts a score on an inner edge in the lower bin, as numpy.searchsorted', () => {
    // Uniform edges are i · 0.1: 0.1 and 0.2 close bins 1 and 2; the third edge is 0.30000000000000004, so both 0.3 and
    // 3 · 0.1 fall in bin 3.
    const curve = calibrationCurve(Uint8Array.of(0, 1, 1, 0), Float64Array.of(0.1, 0.2, 3 * 0.1, 0.3), { bins: 10 });
    expect(curve.bins.map((b) => [b.from, b.to, b.count])).toEqual([
      [0, 0.1, 1],
      [0.1, 0.2, 1],
      [0.2, 0.30000000000000004, 2],
    ]);
  });

  it('gives the documented example: prob_true [0, 0.5, 1], prob_pred [0.2, 0.525, 0.85]', () => {
    const example = DOC.calibration_curve!;
    const curve = calibrationCurve(Uint8Array.from(example.y!), Float64Array.from(example.probs!), { bins: 3 });
    expectClose(curve.bins.map((b) => b.fractionPositive), example.probTrue, 'probTrue');
    expectClose(curve.bins.map((b) => b.meanPredicted), example.probPred, 'probPred');
    expect(curve.bins.map((b) => b.fractionPositive)).toEqual([0, 0.5, 1]);
  });

  it('computes a resample like the rows copied out', () => {
    const rows = Int32Array.from({ length: 300 }, (_, j) => (j * 131) % y.length);
    const copied = calibrationCurve(Uint8Array.from(rows, (i) => y[i]!), Float64Array.from(rows, (i) => scores[i]!), { strategy: 'quantile' });
    expect(calibrationCurve(y, scores, { strategy: 'quantile', rows })).toEqual(copied);
  });
});

describe('expectedCalibrationError', () => {
  it('weighs each bin by its share of the rows', () => {
    // Bins: 2 rows at mean 0.2 with 0 positives (gap 0.2), 3 rows at mean 0.8 with 2 positives (gap 0.8 − 2/3).
    const curve = calibrationCurve(Uint8Array.of(0, 0, 1, 1, 0), Float64Array.of(0.1, 0.3, 0.7, 0.8, 0.9), { bins: 2 });
    expect(curve.bins.map((b) => b.count)).toEqual([2, 3]);
    expect(curve.ece).toBeCloseTo((2 / 5) * 0.2 + (3 / 5) * (0.8 - 2 / 3), 15);
    expect(expectedCalibrationError(curve.bins)).toBe(curve.ece);
    expect(expectedCalibrationError([])).toBeNaN();
  });

  it('is 0 for a perfectly calibrated model', () => {
    expect(calibrationCurve(Uint8Array.of(0, 1, 1, 0), Float64Array.of(0.5, 0.5, 1, 0)).ece).toBe(0);
  });
});

describe('topLabel', () => {
  it("gives each row's highest probability and whether that class is right (the first class on ties)", () => {
    const probs = Float32Array.of(0.2, 0.5, 0.3, 0.4, 0.4, 0.2, 0.1, 0.1, 0.8);
    const { correct, confidence } = topLabel(Int32Array.of(1, 1, 2), probs, 3);
    expect(Array.from(correct)).toEqual([1, 0, 1]);
    expect(Array.from(confidence)).toEqual([Math.fround(0.5), Math.fround(0.4), Math.fround(0.8)]);
    expect(catchAppError(() => topLabel(Int32Array.of(0), probs, 3)).message).toBe('Got 9 probabilities for 1 rows × 3 classes');
  });
});

describe('calibrationCurve refuses bad input', () => {
  const y = Uint8Array.of(0, 1);
  const s = Float64Array.of(0.2, 0.9);
  const refuse = (fn: () => unknown, message: string) => expect(catchAppError(fn).message).toContain(message);

  it('names what is wrong', () => {
    refuse(() => calibrationCurve(new Uint8Array(0), new Float64Array(0)), 'There are no rows to evaluate');
    refuse(() => calibrationCurve(y, Float64Array.of(0.2)), 'Got 1 scores for 2 labels');
    refuse(() => calibrationCurve(y, Float64Array.of(0.2, 1.5)), 'Score 1.5 in row 2 is outside [0, 1]');
    refuse(() => calibrationCurve(y, Float64Array.of(NaN, 0.5)), 'Score NaN in row 1 is not a number');
    refuse(() => calibrationCurve(Uint8Array.of(0, 2), s), 'Label 2 in row 2 is not 0 or 1');
    refuse(() => calibrationCurve(y, s, { bins: 2.5 }), 'got 2.5');
    refuse(() => calibrationCurve(y, s, { strategy: 'kmeans' as 'uniform' }), 'uniform or quantile, got kmeans');
    refuse(() => calibrationCurve(y, s, { rows: Int32Array.of(-1) }), 'Resample row -1 is outside 0…1');
  });
});
