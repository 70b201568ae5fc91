import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/lib/pipeline/parse-csv.ts';
import { parseJson } from '../../../src/lib/pipeline/parse-json.ts';
import { planFeatures, rowsWithTarget } from '../../../src/lib/pipeline/plan.ts';
import { profileTable } from '../../../src/lib/pipeline/profile.ts';
import { splitRows } from '../../../src/lib/pipeline/split.ts';
import { cellValue } from '../../../src/lib/pipeline/table.ts';
import { applyTransforms, encodeTarget } from '../../../src/lib/pipeline/transforms.ts';
import { fitPlan } from '../../../src/lib/pipeline/features/fit.ts';
import type { FeaturePlan } from '../../../src/lib/pipeline/types.ts';
import { catchAppError, loadVega } from './helpers.ts';

// Rows 0–11 are training rows, 12–13 test rows.
// x (train) = 1, 3, NA, 5, 7, 1, 3, 5, 7, 1, 3, 5 → median of the 11 present values is 3;
// c (train) = a×5, b×5, r×2: "r" is rare and pooled into "other".
const CSV = `x,c,y
1,a,no
3,a,yes
NA,b,no
5,a,yes
7,b,no
1,a,yes
3,b,no
5,a,yes
7,b,no
1,r,yes
3,r,no
5,b,yes
100,b,maybe
NA,zzz,no
`;
const plan: FeaturePlan = { target: 'y', task: 'binary', features: ['x', 'c'], dropped: [] };
const train = Int32Array.from({ length: 12 }, (_, i) => i);
const test = Int32Array.of(12, 13);

describe('fitPlan', () => {
  const table = parseCsv(CSV, 'tf.csv');
  const bundle = fitPlan(table, plan, train);

  it('fits median, mean and std on training rows only', () => {
    // Imputed x = 1,3,3,5,7,1,3,5,7,1,3,5: mean 44/12; population std.
    const imputed = [1, 3, 3, 5, 7, 1, 3, 5, 7, 1, 3, 5];
    const mean = imputed.reduce((s, v) => s + v, 0) / 12;
    const std = Math.sqrt(imputed.reduce((s, v) => s + (v - mean) ** 2, 0) / 12);
    const x = bundle.features[0];
    expect(x).toEqual({ kind: 'numeric', column: 'x', median: 3, mean, std });
  });

  it('orders levels by training frequency then name and pools rare ones', () => {
    expect(bundle.features[1]).toEqual({ kind: 'onehot', column: 'c', levels: ['a', 'b'], other: true });
    expect(bundle.featureNames).toEqual(['x', 'c=a', 'c=b', 'c=other']);
    expect(bundle.width).toBe(4);
    expect(bundle.classes).toEqual(['no', 'yes']); // "maybe" only appears in a test row
  });

  it('ignores test rows: changing them leaves the bundle unchanged', () => {
    const changed = parseCsv(CSV.replace('100,b,maybe', '-999,new,other').replace('NA,zzz,no', '42,a,yes'), 'tf2.csv');
    expect(fitPlan(changed, plan, train)).toEqual(bundle);
  });

  it('imputes missing values, maps unseen levels to other', () => {
    const m = applyTransforms(table, bundle, test);
    const x = bundle.features[0];
    if (x?.kind !== 'numeric') throw new Error('x should be numeric');
    expect(m[0]).toBe(Math.fround((100 - x.mean) / x.std));
    expect([...m.subarray(1, 4)]).toEqual([0, 1, 0]); // b
    expect(m[4]).toBe(Math.fround((3 - x.mean) / x.std)); // NA → median 3
    expect([...m.subarray(5, 8)]).toEqual([0, 0, 1]); // zzz → other
  });

  it('encodes the target, with -1 for a class not seen in training', () => {
    expect([...encodeTarget(table, bundle, Int32Array.of(0, 1, 12))]).toEqual([0, 1, -1]);
  });

  it('names a missing feature column at scoring time', () => {
    const other = parseCsv('x,y\n1,no\n', 'score.csv');
    const e = catchAppError(() => applyTransforms(other, bundle));
    expect(e.code).toBe('unknown-column');
    expect(e.message).toContain('Unknown column "c"');
  });
});

describe('applyTransforms on penguins', () => {
  const table = loadVega('penguins.json');
  const profile = profileTable(table);
  const fitted = planFeatures(table, profile, 'Species');
  const rows = rowsWithTarget(table, 'Species');
  const split = splitRows(rows, 0.3, 2024);
  const bundle = fitPlan(table, fitted, split.train);

  it('is bit-identical on a freshly parsed copy of the test rows', () => {
    const original = applyTransforms(table, bundle, split.test);
    const records = [...split.test].map((r) =>
      Object.fromEntries(table.columns.map((c) => [c.name, cellValue(c, r)])),
    );
    // Reverse the column order and write the file again: matching is by name and by level text.
    const copy = parseJson(
      JSON.stringify(records.map((rec) => Object.fromEntries(Object.entries(rec).reverse()))),
      'penguins-test.json',
    );
    const fresh = applyTransforms(copy, bundle);
    expect(fresh.length).toBe(split.test.length * bundle.width);
    expect(Buffer.from(fresh.buffer).equals(Buffer.from(original.buffer))).toBe(true);
    const all = Int32Array.from({ length: copy.rowCount }, (_, i) => i);
    expect([...encodeTarget(copy, bundle, all)]).toEqual([...encodeTarget(table, bundle, split.test)]);
  });

  it('classes come out sorted and the training matrix is standardized without NaN', () => {
    expect(bundle.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    const m = applyTransforms(table, bundle, split.train);
    expect(m.some((v) => Number.isNaN(v))).toBe(false);
    // Standardized columns have mean ≈ 0 over the training rows.
    const xIndex = bundle.featureNames.indexOf('Body Mass (g)');
    let sum = 0;
    for (let i = 0; i < split.train.length; i++) sum += m[i * bundle.width + xIndex] as number;
    expect(Math.abs(sum / split.train.length)).toBeLessThan(1e-6);
  });
});
