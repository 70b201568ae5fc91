// Our trees against scikit-learn 1.2's HistGradientBoosting on a small seeded table (reference/make_tiny.py → tiny.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trainGbdt } from '../../../../src/lib/ml/gbdt/train.ts';
import { predictRaw } from '../../../../src/lib/ml/gbdt/predict.ts';
import type { GbdtColumn, GbdtTarget } from '../../../../src/lib/ml/gbdt/types.ts';

const reference = JSON.parse(readFileSync(new URL('./reference/tiny.json', import.meta.url), 'utf8')) as {
  regression: number[];
  binary: number[];
  multiclass: number[][];
};

const N = 600;
const a = Float64Array.from({ length: N }, (_, i) => ((i * 7919) % 1000) / 10);
const b = Float64Array.from({ length: N }, (_, i) => (i % 11 === 0 ? NaN : ((i * 104729) % 97) / 3));
const c = Int32Array.from({ length: N }, (_, i) => (i * 31) % 5);
const score = Float64Array.from({ length: N }, (_, i) => Math.sin(a[i]! / 9) + 0.05 * (Number.isNaN(b[i]!) ? 20 : b[i]!) - 0.6 * +(c[i] === 2) + 0.4 * +(c[i] === 4));
const columns: GbdtColumn[] = [
  { name: 'a', kind: 'numeric', values: a },
  { name: 'b', kind: 'numeric', values: b },
  { name: 'c', kind: 'categorical', codes: c, levels: ['0', '1', '2', '3', '4'] },
];

function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (position - low);
}

function rawOfFirst40(target: GbdtTarget): Float64Array {
  const model = trainGbdt({ columns, target }, { maxIter: 30 });
  const head = columns.map((col) => (col.kind === 'numeric' ? { ...col, values: col.values.subarray(0, 40) } : { ...col, codes: col.codes.subarray(0, 40) }));
  return predictRaw(model, head, 40);
}

describe('gbdt against scikit-learn', () => {
  it('regression: the same predictions (30 rounds, numeric, missing and categorical columns)', () => {
    const raw = rawOfFirst40({ kind: 'values', values: score.map((s) => s * 3) });
    reference.regression.forEach((value, i) => expect(raw[i]).toBeCloseTo(value, 9));
  });

  it('binary log loss: the same decision function', () => {
    const sorted = Float64Array.from(score).sort();
    const median = (sorted[N / 2 - 1]! + sorted[N / 2]!) / 2;
    const raw = rawOfFirst40({ kind: 'classes', classes: Int32Array.from(score, (s) => +(s > median)), nClasses: 2 });
    reference.binary.forEach((value, i) => expect(raw[i]).toBeCloseTo(value, 9));
  });

  it('multiclass softmax: one tree per class per round, the same decision function', () => {
    const sorted = Float64Array.from(score).sort();
    const cuts = [quantile(sorted, 0.33), quantile(sorted, 0.66)];
    const classes = Int32Array.from(score, (s) => (s >= cuts[1]! ? 2 : s >= cuts[0]! ? 1 : 0));
    const raw = rawOfFirst40({ kind: 'classes', classes, nClasses: 3 });
    reference.multiclass.forEach((row, i) => row.forEach((value, k) => expect(raw[i * 3 + k]).toBeCloseTo(value, 9)));
  });
});
