// Feature sets: every transform's fit and apply, missing values, unseen levels, and fitting on training rows only.
import { describe, expect, it } from 'vitest';
import { fitFeatureSet } from '../../../../src/lib/pipeline/features/fit.ts';
import { fnv1a, ngramsOf } from '../../../../src/lib/pipeline/features/hash.ts';
import type { FeatureDef, FeatureSet } from '../../../../src/lib/pipeline/features/types.ts';
import { parseCsv } from '../../../../src/lib/pipeline/parse-csv.ts';
import { applyTransforms } from '../../../../src/lib/pipeline/transforms.ts';

// Rows 0–9 train, 10–11 test. x has a missing value (row 2); c has a rare level "r" and an unseen "new".
const CSV = `x,w,c,d,t,y
1,2,a,2024-01-01T05:00:00Z,red apple,0
2,4,a,2024-01-02,green apple,1
NA,5,b,2024-02-03,red pear,0
4,8,a,2024-03-04,,1
5,0,b,,blue plum,0
6,12,a,2024-05-06,red red red,1
7,14,b,2024-06-07,apple pie,0
8,16,a,2024-07-08,pear,1
9,18,b,2024-08-09,plum,0
10,20,r,2024-09-10,apple,1
1000,1,new,2030-01-01,zzz,0
NA,NA,NA,NA,NA,1
`;
const table = parseCsv(CSV, 'f.csv');
const train = Int32Array.from({ length: 10 }, (_, i) => i);
const test = Int32Array.of(10, 11);
const goal = { target: 'y', task: 'binary' as const };

function fit(def: FeatureDef) {
  const bundle = fitFeatureSet(table, { name: 't', version: 1, features: [def] }, train, goal);
  const matrix = (rows: Int32Array) => Array.from(applyTransforms(table, bundle, rows));
  return { bundle, feature: bundle.features[0]!, train: matrix(train), test: matrix(test) };
}

const xs = [1, 2, 6, 4, 5, 6, 7, 8, 9, 10]; // x with the missing row imputed by the median (6)
const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const stdOf = (v: number[]) => Math.sqrt(meanOf(v.map((u) => (u - meanOf(v)) ** 2)));

describe('numeric transforms', () => {
  it('standardize imputes the training median and scales by training mean and std', () => {
    const { feature, train: out, test: held } = fit({ name: 'xs', column: 'x', transform: 'standardize' });
    expect(feature).toEqual({ kind: 'numeric', column: 'x', median: 6, mean: meanOf(xs), std: stdOf(xs), name: 'xs' });
    expect(out[2]).toBeCloseTo((6 - meanOf(xs)) / stdOf(xs), 6);
    expect(held[1]).toBeCloseTo((6 - meanOf(xs)) / stdOf(xs), 6); // missing test value → median
  });

  it('min-max maps the training range to 0..1 and lets test values fall outside', () => {
    const { feature, train: out, test: held } = fit({ name: 'mm', column: 'x', transform: 'minmax' });
    expect(feature).toMatchObject({ kind: 'minmax', min: 1, max: 10, median: 6 });
    expect(out[0]).toBe(0);
    expect(out[9]).toBe(1);
    expect(held[0]).toBeCloseTo(111, 4);
    expect(held[1]).toBeCloseTo(5 / 9, 6);
  });

  it('log1p standardizes log(1 + x)', () => {
    const logs = xs.map((v, i) => (i === 2 ? NaN : Math.log1p(v)));
    const median = [...logs.filter((v) => !Number.isNaN(v))].sort((a, b) => a - b)[4]!;
    const { feature, train: out } = fit({ name: 'lg', column: 'x', transform: 'log1p' });
    expect(feature).toMatchObject({ kind: 'log1p', median });
    const imputed = logs.map((v) => (Number.isNaN(v) ? median : v));
    expect(out[0]).toBeCloseTo((Math.log1p(1) - meanOf(imputed)) / stdOf(imputed), 5);
  });

  it('clip uses fixed bounds or training quantiles', () => {
    const fixed = fit({ name: 'cl', column: 'x', transform: 'clip', params: { lower: 2, upper: 8 } });
    expect(fixed.feature).toMatchObject({ lower: 2, upper: 8 });
    expect(fixed.test[0]).toBeCloseTo(fixed.train[7]!, 6); // 1000 clipped to 8, like the row holding 8
    const quantile = fit({ name: 'cq', column: 'x', transform: 'clip', params: { quantiles: [0, 0.5] } });
    expect(quantile.feature).toMatchObject({ lower: 1, upper: 6 }); // median of the 9 present values
  });

  it('bucketize one-hot encodes fixed or quantile buckets, missing in the median bucket', () => {
    const { bundle, train: out, test: held } = fit({ name: 'b', column: 'x', transform: 'bucketize', params: { edges: [3, 7] } });
    expect(bundle.featureNames).toEqual(['b=bucket0', 'b=bucket1', 'b=bucket2']);
    expect(out.slice(0, 3)).toEqual([1, 0, 0]);
    expect(out.slice(6, 9)).toEqual([0, 1, 0]); // row 2 is missing → median 6 → middle bucket
    expect(held).toEqual([0, 0, 1, 0, 1, 0]);
    const q = fit({ name: 'q', column: 'x', transform: 'bucketize', params: { bins: 3 } });
    expect(q.feature).toMatchObject({ kind: 'bucketize' });
    expect((q.feature as { edges: number[] }).edges).toHaveLength(2);
  });

  it('ratio and difference of two columns; a zero divisor counts as missing', () => {
    const ratio = fit({ name: 'r', column: 'w', column2: 'x', transform: 'ratio' });
    expect(ratio.feature).toMatchObject({ kind: 'ratio', column: 'w', column2: 'x', median: 2 });
    const diff = fit({ name: 'd', column: 'w', column2: 'x', transform: 'difference' });
    const values = [1, 2, NaN, 4, -5, 6, 7, 8, 9, 10];
    const median = 6;
    const imputed = values.map((v) => (Number.isNaN(v) ? median : v));
    expect(diff.feature).toMatchObject({ median, mean: meanOf(imputed) });
  });
});

describe('category transforms', () => {
  it('one-hot pools rare levels and sends unseen and missing levels to the right slots', () => {
    const { bundle, feature, test: held } = fit({ name: 'cat', column: 'c', transform: 'onehot', params: { minCount: 2 } });
    expect(feature).toEqual({ kind: 'onehot', column: 'c', levels: ['a', 'b'], other: true, name: 'cat' });
    expect(bundle.featureNames).toEqual(['cat=a', 'cat=b', 'cat=other']);
    expect(held).toEqual([0, 0, 1, 0, 0, 0]); // "new" → other; missing → all zeros
  });

  it('one-hot keeps an unseen slot even with no rare level, unless told not to', () => {
    expect(fit({ name: 'c', column: 'c', transform: 'onehot', params: { minCount: 1 } }).feature).toMatchObject({ other: true });
    const none = fit({ name: 'c', column: 'c', transform: 'onehot', params: { minCount: 1, unseenSlot: false } });
    expect(none.feature).toMatchObject({ levels: ['a', 'b', 'r'], other: false });
    expect(none.test).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('ordinal follows the given order; unseen and missing levels take the median rank', () => {
    const { feature, train: out, test: held } = fit({ name: 'o', column: 'c', transform: 'ordinal', params: { order: ['b', 'a', 'r'] } });
    const ranks = [1, 1, 0, 1, 0, 1, 0, 1, 0, 2];
    expect(feature).toMatchObject({ kind: 'ordinal', levels: ['b', 'a', 'r'], median: 1, mean: meanOf(ranks), std: stdOf(ranks) });
    expect(out[9]).toBeCloseTo((2 - meanOf(ranks)) / stdOf(ranks), 6);
    expect(held[0]).toBeCloseTo((1 - meanOf(ranks)) / stdOf(ranks), 6);
  });
});

describe('date parts and text hashing', () => {
  it('takes UTC year, month, weekday, hour and days since a reference', () => {
    const def: FeatureDef = {
      name: 'd',
      column: 'd',
      transform: 'dateparts',
      params: { parts: ['year', 'month', 'dayOfWeek', 'hour', 'daysSince'], reference: '2024-01-01' },
    };
    const { bundle, feature } = fit(def);
    expect(bundle.featureNames).toEqual(['d:year', 'd:month', 'd:dayOfWeek', 'd:hour', 'd:daysSince']);
    const f = feature as Extract<typeof feature, { kind: 'dateparts' }>;
    expect(f.reference).toBe(Date.UTC(2024, 0, 1));
    expect(f.stats[1]!.median).toBe(5); // months 1,1,2,3,5,6,7,8,9 → 5
    // Undo the standardization of row 0: 2024-01-01T05:00Z is a Monday (0), hour 5, 5/24 days after the reference.
    const x = applyTransforms(table, bundle, Int32Array.of(0));
    const raw = Array.from(x, (v, p) => v * f.stats[p]!.std + f.stats[p]!.mean);
    expect(raw.map((v) => Math.round(v * 1000) / 1000 + 0)).toEqual([2024, 1, 0, 5, Math.round((5 / 24) * 1000) / 1000]);
  });

  it('hashes word and character n-grams with FNV-1a into log1p counts', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
    expect(ngramsOf('Red red apple', 'word', 1, 2, true)).toEqual(['red', 'red', 'apple', 'red red', 'red apple']);
    expect(ngramsOf('abcd', 'char', 3, 3, true)).toEqual(['abc', 'bcd']);
    const { bundle, train: out, test: held } = fit({ name: 'h', column: 't', transform: 'hash', params: { width: 8 } });
    expect(bundle.width).toBe(8);
    const row5 = out.slice(5 * 8, 6 * 8); // "red red red" → one slot holding log1p(3)
    expect(row5.filter((v) => v > 0)).toEqual([Math.fround(Math.log1p(3))]);
    expect(row5[fnv1a('red') % 8]).toBeCloseTo(Math.log1p(3), 6);
    expect(out.slice(3 * 8, 4 * 8).every((v) => v === 0)).toBe(true); // missing text
    expect(held.slice(0, 8)[fnv1a('zzz') % 8]).toBeCloseTo(Math.log1p(1), 6);
  });
});

describe('fitting sees training rows only', () => {
  const set: FeatureSet = {
    name: 'all',
    version: 1,
    features: [
      { name: 'x', column: 'x', transform: 'standardize' },
      { name: 'mm', column: 'x', transform: 'minmax' },
      { name: 'cl', column: 'x', transform: 'clip' },
      { name: 'b', column: 'x', transform: 'bucketize' },
      { name: 'c', column: 'c', transform: 'onehot' },
      { name: 'o', column: 'c', transform: 'ordinal' },
      { name: 'd', column: 'd', transform: 'dateparts', params: { parts: ['year', 'month', 'daysSince'] } },
      { name: 'h', column: 't', transform: 'hash', params: { width: 16, tokens: 'char', ngrams: [2, 3] } },
      { name: 'r', column: 'w', column2: 'x', transform: 'ratio' },
    ],
  };

  it('gives the same bundle when only test rows change', () => {
    const changed = parseCsv(
      CSV.replace('1000,1,new,2030-01-01,zzz,0', '-5,99,zz,1990-05-05,other words,1').replace('NA,NA,NA,NA,NA,1', '3,3,a,2024-01-01,x,0'),
      'g.csv',
    );
    expect(fitFeatureSet(changed, set, train, goal)).toEqual(fitFeatureSet(table, set, train, goal));
  });

  it('applies to every kind without NaN, whatever is missing or unseen', () => {
    const bundle = fitFeatureSet(table, set, train, goal);
    const x = applyTransforms(table, bundle);
    expect(x.length).toBe(12 * bundle.width);
    expect(x.every((v) => Number.isFinite(v))).toBe(true);
  });
});
