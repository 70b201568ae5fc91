// Checkpoint and resume: a run cut short by onRound and resumed equals a straight run bit for bit, losses and early stopping included.
import { describe, expect, it } from 'vitest';
import { trainGbdt, type GbdtInput } from '../../../../src/lib/ml/gbdt/train.ts';
import { predictRaw } from '../../../../src/lib/ml/gbdt/predict.ts';
import type { GbdtColumn, GbdtModel, GbdtParams } from '../../../../src/lib/ml/gbdt/types.ts';

/** A seeded table: two numbers (one with missing values), a category; `kind` picks the target. */
function table(n: number, kind: 'binary' | 'multiclass' | 'regression', noise: number): GbdtInput {
  let s = 4242;
  const random = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const a = Float64Array.from({ length: n }, () => random() * 10);
  const b = Float64Array.from({ length: n }, () => (random() < 0.1 ? NaN : random()));
  const c = Int32Array.from({ length: n }, () => Math.floor(random() * 6));
  const score = Float64Array.from({ length: n }, (_, i) => Math.sin(a[i]!) + (Number.isNaN(b[i]!) ? 1 : b[i]!) + (c[i]! % 3) * 0.5 + random() * noise);
  const columns: GbdtColumn[] = [
    { name: 'a', kind: 'numeric', values: a },
    { name: 'b', kind: 'numeric', values: b },
    { name: 'c', kind: 'categorical', codes: c, levels: ['u', 'v', 'w', 'x', 'y', 'z'] },
  ];
  if (kind === 'regression') return { columns, target: { kind: 'values', values: score } };
  if (kind === 'binary') return { columns, target: { kind: 'classes', classes: Int32Array.from(score, (v) => +(v > 1.5 + noise / 2)), nClasses: 2 } };
  return { columns, target: { kind: 'classes', classes: Int32Array.from(score, (v) => (v < 1.2 + noise / 3 ? 0 : v < 2.2 + noise / 3 ? 1 : 2)), nClasses: 3 } };
}

function rowCount(input: GbdtInput): number {
  return input.target.kind === 'values' ? input.target.values.length : input.target.classes.length;
}

function expectSame(a: GbdtModel, b: GbdtModel, input: GbdtInput): void {
  expect(a.rounds).toBe(b.rounds);
  expect(a).toEqual(b);
  a.trees.forEach((tree, t) => {
    const other = b.trees[t]!;
    expect(tree.value.every((v, i) => Object.is(v, other.value[i]))).toBe(true);
    expect(tree.gain.every((v, i) => Object.is(v, other.gain[i]))).toBe(true);
  });
  expect(a.trainLoss.every((v, i) => Object.is(v, b.trainLoss[i]))).toBe(true);
  expect(a.validationLoss.every((v, i) => Object.is(v, b.validationLoss[i]))).toBe(true);
  const n = rowCount(input);
  const pa = predictRaw(a, input.columns, n);
  const pb = predictRaw(b, input.columns, n);
  expect(pa.every((v, i) => Object.is(v, pb[i]))).toBe(true);
}

const cases: { kind: 'binary' | 'multiclass' | 'regression'; early: boolean }[] = (['binary', 'multiclass', 'regression'] as const).flatMap((kind) => [
  { kind, early: false },
  { kind, early: true },
]);

describe('gbdt checkpoint and resume', () => {
  it.each(cases)('$kind, early stopping $early: 12 rounds then resume equals 30 straight', ({ kind, early }) => {
    const input = table(1500, kind, early ? 4 : 1);
    // With early stopping: noisy targets and a large step, so that it stops between rounds 13 and 29.
    const params: Partial<GbdtParams> = { maxIter: 30, maxLeafNodes: 8, earlyStopping: early, nIterNoChange: 5, seed: 3, learningRate: early ? 0.3 : 0.1 };
    const straight = trainGbdt(input, params, { trackTrainLoss: true });
    let checkpoint: GbdtModel | null = null;
    const cut = trainGbdt(input, params, {
      trackTrainLoss: true,
      onRound: (round, info) => {
        checkpoint = info.model();
        return round < 12;
      },
    });
    expect(cut.rounds).toBe(Math.min(12, straight.rounds));
    expect(checkpoint).toEqual(cut);
    const resumed = trainGbdt(input, params, { trackTrainLoss: true, resume: cut });
    expectSame(resumed, straight, input);
    // From the snapshot of round 5 too, with training losses recomputed when the checkpoint lacks them.
    let early5: GbdtModel | null = null;
    trainGbdt(input, params, { onRound: (round, info) => ((early5 = round === 5 ? info.model() : early5), round < 5) });
    expectSame(trainGbdt(input, params, { trackTrainLoss: true, resume: early5! }), straight, input);
    if (early) expect(straight.stoppedEarly && straight.rounds > 12 && straight.rounds < 30).toBe(true);
  });

  it('snapshots share the trees but not later rounds', () => {
    const input = table(400, 'regression', 1);
    const snapshots: GbdtModel[] = [];
    const model = trainGbdt(input, { maxIter: 4 }, { onRound: (_, info) => void snapshots.push(info.model()) });
    expect(snapshots.map((s) => s.rounds)).toEqual([1, 2, 3, 4]);
    expect(snapshots[1]!.trees[1]).toBe(model.trees[1]);
    expect(snapshots[3]).toEqual(model);
  });

  it('resumes a finished model to a larger maxIter, and refuses another input or other parameters', () => {
    const input = table(600, 'binary', 1);
    const ten = trainGbdt(input, { maxIter: 10 });
    expectSame(trainGbdt(input, { maxIter: 16 }, { resume: ten }), trainGbdt(input, { maxIter: 16 }), input);
    expect(trainGbdt(input, { maxIter: 6 }, { resume: ten })).toEqual(trainGbdt(input, { maxIter: 6 }));
    expect(() => trainGbdt(input, { maxIter: 16, learningRate: 0.2 }, { resume: ten })).toThrow('Cannot resume training from this model: its parameters differ (other than maxIter)');
    const other = table(601, 'binary', 1);
    expect(() => trainGbdt(other, { maxIter: 16 }, { resume: ten })).toThrow('Cannot resume training from this model: it was fitted on other rows or columns');
  });
});
