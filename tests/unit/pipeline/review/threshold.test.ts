// The decision threshold: the threshold view by hand (its scikit-learn reference is in classification.test.ts), the
// decisions at a threshold, the predicted classes, and the refusal of a threshold outside [0, 1].
import { describe, expect, it } from 'vitest';
import {
  checkThreshold,
  decideAt,
  defaultThresholds,
  predictedClasses,
  thresholdTable,
} from '../../../../src/lib/pipeline/review/threshold.ts';
import { catchAppError } from '../helpers.ts';

describe('thresholdTable', () => {
  // Scores 0.1 (−), 0.35 (+), 0.4 (−), 0.8 (+).
  const y = Uint8Array.of(0, 1, 0, 1);
  const s = Float64Array.of(0.1, 0.35, 0.4, 0.8);

  it('gives precision, recall, F1 and selection rate at 0, 0.01, … 1 (score ≥ threshold is positive)', () => {
    const table = thresholdTable(y, s);
    expect(table).toHaveLength(101);
    expect(table.map((r) => r.threshold)).toEqual(Array.from(defaultThresholds()));
    expect(table[0]).toEqual({ threshold: 0, precision: 0.5, recall: 1, f1: 2 / 3, selectionRate: 1 });
    // At 0.35 the row scoring 0.35 is selected: 2 of 3 selected are positive.
    expect(table[35]).toEqual({ threshold: 0.35, precision: 2 / 3, recall: 1, f1: 0.8, selectionRate: 0.75 });
    expect(table[36]).toEqual({ threshold: 0.36, precision: 0.5, recall: 0.5, f1: 0.5, selectionRate: 0.5 });
    expect(table[41]).toEqual({ threshold: 0.41, precision: 1, recall: 0.5, f1: 2 / 3, selectionRate: 0.25 });
    // Nothing selected: precision and F1 are 0 (zero_division=0).
    expect(table[100]).toEqual({ threshold: 1, precision: 0, recall: 0, f1: 0, selectionRate: 0 });
  });

  it('takes its own thresholds and a resample', () => {
    expect(thresholdTable(y, s, { thresholds: [0.5] })).toEqual([{ threshold: 0.5, precision: 1, recall: 0.5, f1: 2 / 3, selectionRate: 0.25 }]);
    // Rows 3, 3, 0: scores 0.8 (+), 0.8 (+), 0.1 (−).
    expect(thresholdTable(y, s, { thresholds: [0.5], rows: Int32Array.of(3, 3, 0) })).toEqual([
      { threshold: 0.5, precision: 1, recall: 1, f1: 1, selectionRate: 2 / 3 },
    ]);
  });

  it('gives recall 0 when there are no positives', () => {
    expect(thresholdTable(Uint8Array.of(0, 0), Float64Array.of(0.2, 0.7), { thresholds: [0.5] })).toEqual([
      { threshold: 0.5, precision: 0, recall: 0, f1: 0, selectionRate: 0.5 },
    ]);
  });

  it('compares float32 scores as their exact values', () => {
    // Math.fround(0.3) is just above 0.3: selected at threshold 0.3 (numpy on float32 would compare in float32 too).
    const t = thresholdTable(Uint8Array.of(1), Float32Array.of(0.3), { thresholds: [0.3] });
    expect(t[0]!.selectionRate).toBe(1);
  });

  it('refuses a threshold outside [0, 1], naming it', () => {
    expect(catchAppError(() => thresholdTable(y, s, { thresholds: [0.5, 1.5] })).message).toBe(
      'The decision threshold must be a number from 0 to 1, got 1.5',
    );
  });
});

describe('decideAt and checkThreshold', () => {
  it('decides positive at score ≥ threshold', () => {
    expect(Array.from(decideAt(Float32Array.of(0.2, 0.5, 0.7), 0.5))).toEqual([0, 1, 1]);
    expect(Array.from(decideAt(Float64Array.of(0, 1), 0))).toEqual([1, 1]);
    expect(Array.from(decideAt(Float64Array.of(0.99, 1), 1))).toEqual([0, 1]);
    expect(Array.from(decideAt(Float64Array.of(NaN), 0.5))).toEqual([0]);
  });

  it('refuses a threshold outside [0, 1] or NaN with a message naming it', () => {
    for (const [bad, shown] of [
      [1.5, '1.5'],
      [-0.1, '-0.1'],
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
    ] as const) {
      const error = catchAppError(() => decideAt(Float32Array.of(0.5), bad));
      expect(error.code).toBe('bad-argument');
      expect(error.message).toBe(`The decision threshold must be a number from 0 to 1, got ${shown}`);
    }
    expect(catchAppError(() => checkThreshold('0.5' as unknown as number)).message).toContain('got 0.5');
    expect(checkThreshold(0)).toBe(0);
    expect(checkThreshold(1)).toBe(1);
  });
});

describe('predictedClasses', () => {
  it('thresholds the positive class of a binary model', () => {
    const probs = Float32Array.of(0.5, 0.5, 0.7, 0.3, 0.2, 0.8);
    expect(Array.from(predictedClasses(probs, 2))).toEqual([1, 0, 1]);
    expect(Array.from(predictedClasses(probs, 2, { threshold: 0.9 }))).toEqual([0, 0, 0]);
    expect(Array.from(predictedClasses(probs, 2, { positive: 0 }))).toEqual([0, 0, 1]);
    expect(Array.from(predictedClasses(probs, 2, { positive: 0, threshold: 0.6 }))).toEqual([1, 0, 1]);
  });

  it('takes the argmax of more classes, the first on ties', () => {
    expect(Array.from(predictedClasses(Float32Array.of(0.2, 0.4, 0.4, 0.5, 0.3, 0.2), 3))).toEqual([1, 0]);
  });

  it('refuses bad shapes and arguments', () => {
    expect(catchAppError(() => predictedClasses(Float32Array.of(0.5), 1)).message).toBe('Classification needs at least two classes, got 1');
    expect(catchAppError(() => predictedClasses(Float32Array.of(0.5, 0.5, 0.1), 2)).message).toBe('Got 3 probabilities, not a multiple of 2 classes');
    expect(catchAppError(() => predictedClasses(Float32Array.of(0.5, 0.5), 2, { threshold: 2 })).message).toContain('got 2');
    expect(catchAppError(() => predictedClasses(Float32Array.of(0.5, 0.5), 2, { positive: -1 })).message).toContain('got -1');
  });
});
