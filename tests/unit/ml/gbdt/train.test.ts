// Boosting on tiny datasets whose trees are known exactly, reproducibility, early stopping, class weights and bad input.
import { describe, expect, it } from 'vitest';
import { shouldStop, trainGbdt } from '../../../../src/lib/ml/gbdt/train.ts';
import { predictRaw } from '../../../../src/lib/ml/gbdt/predict.ts';
import type { GbdtColumn, GbdtModel, GbdtTarget } from '../../../../src/lib/ml/gbdt/types.ts';

const x40: GbdtColumn = { name: 'x', kind: 'numeric', values: Float64Array.from({ length: 40 }, (_, i) => i) };
const step = Float64Array.from({ length: 40 }, (_, i) => (i < 20 ? 0 : 10));

function treeShape(model: GbdtModel, t: number) {
  const tree = model.trees[t]!;
  return { feature: Array.from(tree.feature), threshold: tree.threshold[0], count: Array.from(tree.count), gain: tree.gain[0], value: Array.from(tree.value) };
}

/** A seeded table of `n` rows: two numbers (one with missing values), a category and a 3-class target with noise. */
function synthetic(n: number): { columns: GbdtColumn[]; target: GbdtTarget } {
  let s = 12345;
  const random = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const a = Float64Array.from({ length: n }, () => random() * 10);
  const b = Float64Array.from({ length: n }, () => (random() < 0.1 ? NaN : random()));
  const c = Int32Array.from({ length: n }, () => Math.floor(random() * 6));
  const classes = Int32Array.from({ length: n }, (_, i) => {
    const score = Math.sin(a[i]!) + (Number.isNaN(b[i]!) ? 1 : b[i]!) + (c[i]! % 3) * 0.5 + random() * 1.5;
    return score < 1.2 ? 0 : score < 2.2 ? 1 : 2;
  });
  return {
    columns: [
      { name: 'a', kind: 'numeric', values: a },
      { name: 'b', kind: 'numeric', values: b },
      { name: 'c', kind: 'categorical', codes: c, levels: ['u', 'v', 'w', 'x', 'y', 'z'] },
    ],
    target: { kind: 'classes', classes, nClasses: 3 },
  };
}

describe('gbdt training', () => {
  it('squared error on a step: one split at 19.5 per round, leaves ∓5 × 0.1 × 0.9^round', () => {
    const model = trainGbdt({ columns: [x40], target: { kind: 'values', values: step } }, { maxIter: 3 });
    expect(model.baseline).toEqual([5]);
    expect(model.columns[0]!.kind === 'numeric' && model.columns[0]!.edges[19]).toBe(19.5);
    // Round 1: gradients +5 (left 20) and −5 (right 20): gain 100²/20 · 2 = 1000; children of 20 rows cannot split again.
    expect(treeShape(model, 0)).toEqual({ feature: [0, -1, -1], threshold: 19, count: [40, 20, 20], gain: 1000, value: [-0, -0.5, 0.5] });
    // Gradients are float32, as scikit-learn's: 4.05 is not exact in float32, hence 7 digits after round 1.
    [0, 1, 2].forEach((t) => {
      const tree = model.trees[t]!;
      expect(tree.value[1]).toBeCloseTo(-0.5 * 0.9 ** t, 7);
      expect(tree.value[2]).toBeCloseTo(0.5 * 0.9 ** t, 7);
    });
    const raw = predictRaw(model, [x40], 40);
    expect(raw[0]).toBeCloseTo(5 - 0.5 - 0.45 - 0.405, 7);
    expect(raw[39]).toBeCloseTo(5 + 0.5 + 0.45 + 0.405, 7);
  });

  it('log loss on a step: baseline log-odds 0, gradients ±0.5, hessians 0.25, leaves ∓0.2', () => {
    const classes = Int32Array.from(step, (v) => +(v > 0));
    const model = trainGbdt({ columns: [x40], target: { kind: 'classes', classes, nClasses: 2 } }, { maxIter: 1 });
    expect(model.loss).toBe('log_loss');
    expect(model.baseline).toEqual([0]);
    const tree = treeShape(model, 0);
    expect(tree.feature).toEqual([0, -1, -1]);
    expect(tree.gain).toBeCloseTo(40, 12);
    expect(tree.value[1]).toBeCloseTo(-0.2, 12);
    expect(tree.value[2]).toBeCloseTo(0.2, 12);
  });

  it('softmax grows one tree per class per round', () => {
    const { columns, target } = synthetic(400);
    const model = trainGbdt({ columns, target }, { maxIter: 4 });
    expect(model.loss).toBe('softmax');
    expect(model.trees.length).toBe(12);
    expect(model.baseline.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
  });

  it('gives the same trees bit for bit for the same seed, with early stopping and class weights', () => {
    const { columns, target } = synthetic(2000);
    const params = { earlyStopping: true, classWeight: 'balanced' as const, seed: 7, maxIter: 15 };
    const first = trainGbdt({ columns, target }, params);
    const second = trainGbdt({ columns, target }, params);
    expect(first.trees.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    const a = predictRaw(first, columns, 2000);
    const b = predictRaw(second, columns, 2000);
    expect(a.every((v, i) => Object.is(v, b[i]))).toBe(true);
    const other = trainGbdt({ columns, target }, { ...params, seed: 8 });
    expect(other.validationLoss).not.toEqual(first.validationLoss);
  });

  it('stops early when 10 rounds in a row do not beat the validation loss by tol', () => {
    expect(shouldStop([-1, -0.9, -0.9, -0.9], 2, 1e-7)).toBe(true);
    expect(shouldStop([-1, -0.9, -0.8, -0.9], 2, 1e-7)).toBe(false);
    expect(shouldStop([-1, -0.9], 2, 1e-7)).toBe(false);
    let s = 99;
    const noise = Int32Array.from({ length: 2000 }, () => +((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32 < 0.5));
    const values = Float64Array.from({ length: 2000 }, (_, i) => (i * 7919) % 2000);
    const model = trainGbdt({ columns: [{ name: 'v', kind: 'numeric', values }], target: { kind: 'classes', classes: noise, nClasses: 2 } }, { earlyStopping: true });
    expect(model.stoppedEarly).toBe(true);
    expect(model.rounds).toBeLessThan(100);
    expect(model.trees.length).toBe(model.rounds);
    expect(model.validationLoss.length).toBe(model.rounds + 1);
  });

  it('turns early stopping on by default above 10,000 rows only', () => {
    const small = trainGbdt({ columns: [x40], target: { kind: 'values', values: step } }, { maxIter: 2 });
    expect(small.validationLoss).toEqual([]);
    const n = 10_001;
    const big = trainGbdt(
      { columns: [{ name: 'x', kind: 'numeric', values: Float64Array.from({ length: n }, (_, i) => i % 97) }], target: { kind: 'values', values: Float64Array.from({ length: n }, (_, i) => (i % 97) % 7) } },
      { maxIter: 2 },
    );
    expect(big.validationLoss.length).toBe(3);
  });

  it('weighs classes: balanced weights move the baseline of an imbalanced target to even odds', () => {
    const classes = Int32Array.from({ length: 40 }, (_, i) => +(i >= 30));
    const plain = trainGbdt({ columns: [x40], target: { kind: 'classes', classes, nClasses: 2 } }, { maxIter: 1 });
    const balanced = trainGbdt({ columns: [x40], target: { kind: 'classes', classes, nClasses: 2 } }, { maxIter: 1, classWeight: 'balanced' });
    expect(plain.baseline[0]).toBeCloseTo(Math.log(10 / 30), 12);
    expect(balanced.baseline[0]).toBeCloseTo(0, 12);
  });

  it('refuses bad input with messages that name the parameter or column', () => {
    const input = { columns: [x40], target: { kind: 'values' as const, values: step } };
    expect(() => trainGbdt(input, { learningRate: 0 })).toThrow('learningRate must be a number above 0, got 0');
    expect(() => trainGbdt(input, { learningRate: -0.1 })).toThrow('learningRate must be a number above 0, got -0.1');
    expect(() => trainGbdt(input, { maxLeafNodes: 1 })).toThrow('maxLeafNodes must be a whole number 2 or more, got 1');
    expect(() => trainGbdt(input, { maxBins: 256 })).toThrow('maxBins must be a whole number from 2 to 255, got 256');
    const oneClass = { columns: [x40], target: { kind: 'classes' as const, classes: new Int32Array(40), nClasses: 2 } };
    expect(() => trainGbdt(oneClass)).toThrow('The target has one class in the training rows; trees need at least two');
    const infinite = Float64Array.from(step);
    infinite[3] = Infinity;
    expect(() => trainGbdt({ columns: [x40], target: { kind: 'values', values: infinite } })).toThrow('The target is infinite in row 4');
    const values = Float64Array.from(x40.kind === 'numeric' ? x40.values : []);
    values[5] = -Infinity;
    expect(() => trainGbdt({ columns: [{ name: 'x', kind: 'numeric', values }], target: { kind: 'values', values: step } })).toThrow('Column "x" has an infinite value in row 6; trees need finite numbers or missing values');
  });

  it('names the row of an infinite value among the rows fitted, and trains past constant and empty columns with a note', () => {
    const values = Float64Array.from({ length: 40 }, (_, i) => i);
    values[16] = Infinity;
    const rows = Int32Array.from({ length: 30 }, (_, i) => i + 5);
    expect(() => trainGbdt({ columns: [{ name: 'x', kind: 'numeric', values }], target: { kind: 'values', values: step }, rows })).toThrow(
      'Column "x" has an infinite value in row 17; trees need finite numbers or missing values',
    );
    const columns: GbdtColumn[] = [
      { name: 'flat', kind: 'numeric', values: new Float64Array(40).fill(3) },
      x40,
      { name: 'empty', kind: 'numeric', values: new Float64Array(40).fill(NaN) },
      { name: 'same', kind: 'categorical', codes: new Int32Array(40), levels: ['a'] },
    ];
    const model = trainGbdt({ columns, target: { kind: 'values', values: step } }, { maxIter: 5 });
    expect(model.notes).toEqual([
      'Column "flat" is constant; the trees never split on it',
      'Column "empty" is missing in every training row; the trees never split on it',
      'Column "same" is constant; the trees never split on it',
    ]);
    expect(model.trees.every((tree) => tree.feature.every((f) => f === -1 || f === 1))).toBe(true);
    expect(model.trees[0]!.feature[0]).toBe(1);
    const raw = predictRaw(model, columns, 40);
    expect(raw[0]).toBeLessThan(5);
    // Every column unusable: the trees are single leaves and predict the baseline.
    const none = trainGbdt({ columns: [columns[0]!, columns[2]!], target: { kind: 'values', values: step } }, { maxIter: 3 });
    expect(none.trees.every((tree) => tree.feature.length === 1)).toBe(true);
    expect(predictRaw(none, [columns[0]!, columns[2]!], 2)).toEqual(Float64Array.from([5, 5]));
  });

  it('caps a categorical column past 254 levels with a note naming the column and the cap', () => {
    const levels = Array.from({ length: 300 }, (_, i) => `k${i}`);
    const codes = Int32Array.from({ length: 900 }, (_, i) => i % 300);
    const target = { kind: 'values' as const, values: Float64Array.from(codes, (c) => c % 7) };
    const model = trainGbdt({ columns: [{ name: 'store', kind: 'categorical', codes, levels }], target }, { maxIter: 2 });
    expect(model.notes).toHaveLength(1);
    expect(model.notes[0]).toMatch(/^Column "store" has more than 255 levels: the 254 most frequent get a bin each, the rest share one bin/);
  });
});
