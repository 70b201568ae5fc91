// Bad input to the drift comparison: each a marked column or an AppError naming the input, never a crash.
import { describe, expect, it } from 'vitest';
import { compareTables, compareWithSketch } from '../../../src/lib/pipeline/drift/compare.ts';
import { sketchFromJson, sketchTable, sketchToJson, sketchValues } from '../../../src/lib/pipeline/drift/sketch.ts';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import { labels, normals, numbers, table } from './helpers.ts';

const reference = table(numbers('x', normals(2000, 1)), labels('c', Array.from({ length: 2000 }, (_, i) => ['a', 'b', 'c'][i % 3] as string)), numbers('k', new Array(2000).fill(7)));
const batch = (n: number, seed = 2) => table(numbers('x', normals(n, seed)), labels('c', Array.from({ length: n }, (_, i) => ['a', 'b', 'c'][i % 3] as string)), numbers('k', new Array(n).fill(7)));

function thrown(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('no error');
}

describe('bad input', () => {
  it('a batch missing a reference column: marked missing-in-batch and counted as drifted', () => {
    const report = compareTables(reference, table(numbers('x', normals(500, 3)), numbers('k', new Array(500).fill(7)), numbers('extra', normals(500, 4))));
    const c = report.columns.find((col) => col.column === 'c')!;
    expect(c).toMatchObject({ status: 'missing-in-batch', drifted: true, figures: null, value: null, missingCurrent: 1 });
    expect(c.note).toMatch(/"c" is not in the batch/);
    expect(report.driftShare).toBeCloseTo(1 / 3, 12);
    expect(report.extraColumns).toEqual(['extra']);
  });

  it('a column whose type changed (number ↔ category): type-changed, drifted, named', () => {
    const report = compareTables(reference, table(labels('x', Array.from({ length: 300 }, (_, i) => `v${i % 4}`)), numbers('c', normals(300, 5)), numbers('k', new Array(300).fill(7))));
    expect(report.columns.map((c) => [c.column, c.status, c.drifted])).toEqual([['x', 'type-changed', true], ['c', 'type-changed', true], ['k', 'compared', false]]);
    expect(report.columns[0]!.note).toMatch(/"x" was a numeric \(number\) column in the reference and is a category column in the batch/);
    expect(report.datasetDrift).toBe(true);
  });

  it('an all-missing column: all-missing, drifted when the reference had values, not when neither side has', () => {
    const report = compareTables(reference, table(numbers('x', new Array(100).fill(NaN)), labels('c', new Array(100).fill(null)), numbers('k', new Array(100).fill(7))));
    expect(report.columns.map((c) => [c.status, c.drifted, c.missingCurrent])).toEqual([['all-missing', true, 1], ['all-missing', true, 1], ['compared', false, 0]]);
    expect(report.columns[0]!.note).toMatch(/"x" has no values in the batch/);
    const none = compareTables(table(numbers('x', [NaN, NaN])), table(numbers('x', [NaN, NaN, NaN])));
    expect(none.columns[0]).toMatchObject({ status: 'all-missing', drifted: false });
  });

  it('an empty batch is AppError bad-argument (a report of it would read as no drift)', () => {
    const error = thrown(() => compareTables(reference, table(numbers('x', []), labels('c', []), numbers('k', []))));
    expect(error.code).toBe('bad-argument');
    expect(error.message).toMatch(/batch has no rows/);
  });

  it('a batch of 5 rows: computed, marked unreliable, and the noise bar keeps it from crying wolf', () => {
    const report = compareTables(reference, batch(5));
    for (const c of report.columns.filter((col) => col.column !== 'k')) {
      expect(c.status).toBe('compared');
      expect(c.note).toMatch(/only 5 values in the batch: distances below 30 values are unreliable/);
      expect(c.noise95 as number).toBeGreaterThan(c.practical);
      expect(c.drifted).toBe(false);
    }
    expect((report.columns[0]!.figures as { ksP: number }).ksP).toBeGreaterThan(0);
  });

  it('a constant reference column: normed by Evidently floor 0.001 with a note; the same constant does not drift, another value does', () => {
    const same = compareTables(reference, batch(400)).columns.find((c) => c.column === 'k')!;
    expect(same).toMatchObject({ drifted: false, value: 0 });
    expect(same.note).toMatch(/constant \(standard deviation 0\).*0\.001/);
    const moved = compareTables(reference, table(numbers('k', new Array(400).fill(8))), { only: ['k'] }).columns[0]!;
    expect(moved.drifted).toBe(true);
    expect(moved.value).toBeCloseTo(1000, 9);
  });

  it('a category column with 10,000 levels: fast and right', () => {
    const n = 200_000;
    const level = (i: number) => `L${(i * 7919) % 10_000}`;
    const ref = table(labels('id', Array.from({ length: n }, (_, i) => level(i))));
    const cur = table(labels('id', Array.from({ length: n }, (_, i) => (i % 10 === 0 ? `new${(i / 10) % 500}` : level(i * 3)))));
    const started = performance.now();
    const report = compareTables(ref, cur);
    expect(performance.now() - started).toBeLessThan(1000);
    const c = report.columns[0]!;
    const f = c.figures as { newCategories: string[]; vanishedCategories: string[]; jensenShannon: number; chi2P: number };
    expect(f.newCategories).toHaveLength(500);
    const seen = new Set(Array.from({ length: n }, (_, i) => (i % 10 === 0 ? '' : level(i * 3))));
    expect(f.vanishedCategories.sort()).toEqual(Array.from({ length: 10_000 }, (_, k) => `L${k}`).filter((l) => !seen.has(l)).sort());
    expect(f.chi2P).toBe(0);
    expect(c.drifted).toBe(true);
    expect(compareTables(ref, table(labels('id', Array.from({ length: n }, (_, i) => level(i + 1))))).columns[0]!.drifted).toBe(false);
  });

  it('only naming a column the reference lacks, a bad override, bad options: AppError naming them', () => {
    expect(thrown(() => compareTables(reference, batch(100), { only: ['x', 'nope'] })).message).toMatch(/"nope"/);
    expect(thrown(() => compareTables(reference, batch(100), { columns: { c: { method: 'ks' } } })).message).toMatch(/Column "c" is a category column: method "ks" does not apply/);
    expect(thrown(() => compareTables(reference, batch(100), { columns: { x: { threshold: -1 } } })).message).toMatch(/Column "x": threshold must be a positive number/);
    expect(thrown(() => compareTables(reference, batch(100), { practicalThreshold: 0 })).code).toBe('bad-argument');
  });
});

describe('overrides and options', () => {
  it('a per-column method and threshold replace the one rule for that column', () => {
    const cur = table(numbers('x', normals(2000, 9, 0.15)), labels('c', Array.from({ length: 2000 }, (_, i) => ['a', 'b', 'c'][i % 3] as string)), numbers('k', new Array(2000).fill(7)));
    const plain = compareTables(reference, cur).columns[0]!;
    expect(plain).toMatchObject({ method: 'wasserstein', drifted: true });
    const ks = compareTables(reference, cur, { columns: { x: { method: 'ks', threshold: 1e-10 } } }).columns[0]!;
    expect(ks).toMatchObject({ method: 'ks', threshold: 1e-10 });
    expect(ks.value).toBe((ks.figures as { ksP: number }).ksP);
    const psi = compareTables(reference, cur, { columns: { x: { method: 'psi' } } }).columns[0]!;
    expect(psi).toMatchObject({ method: 'psi', threshold: 0.1 });
    const loose = compareTables(reference, cur, { columns: { x: { threshold: 0.5 } } }).columns[0]!;
    expect(loose).toMatchObject({ method: 'wasserstein', practical: 0.5, threshold: 0.5, drifted: false });
  });

  it('the share threshold decides dataset drift', () => {
    const cur = table(numbers('x', normals(2000, 9, 1)), labels('c', Array.from({ length: 2000 }, (_, i) => ['a', 'b', 'c'][i % 3] as string)), numbers('k', new Array(2000).fill(7)));
    expect(compareTables(reference, cur).datasetDrift).toBe(false);
    expect(compareTables(reference, cur, { shareThreshold: 0.3 }).datasetDrift).toBe(true);
  });
});

describe('sketches', () => {
  it('keep sorted values of a seeded sample of rows, and level counts over all rows', () => {
    const big = table(numbers('x', normals(5000, 3)), labels('c', Array.from({ length: 5000 }, (_, i) => (i < 4990 ? 'a' : 'rare'))));
    const sketch = sketchTable(big, { maxRows: 1000, seed: 5 });
    expect(sketch).toMatchObject({ rows: 5000, sampledRows: 1000, seed: 5 });
    const x = sketch.columns[0] as { values: Float64Array };
    expect(x.values.length).toBe(1000);
    expect(x.values.every((v, i) => i === 0 || v >= (x.values[i - 1] as number))).toBe(true);
    expect(sketch.columns[1]).toMatchObject({ levels: ['a', 'rare'], counts: [4990, 10] });
    expect(sketchTable(big, { maxRows: 1000, seed: 5 })).toEqual(sketch);
    expect(Array.from((sketchTable(big, { maxRows: 1000, seed: 6 }).columns[0] as { values: Float64Array }).values)).not.toEqual(Array.from(x.values));
  });

  it('go through JSON and back; a damaged one is refused naming the field', () => {
    const sketch = sketchTable(table(numbers('x', [3, 1, Infinity, NaN]), labels('c', ['a', null, 'b', 'a'])));
    const back = sketchFromJson(JSON.parse(JSON.stringify(sketchToJson(sketch))));
    expect(back).toEqual(sketch);
    const json = JSON.parse(JSON.stringify(sketchToJson(sketch)));
    json.columns[0].values[1] = 'x';
    expect(() => sketchFromJson(json)).toThrow(/columns\[0\] \("x"\)\.values\[1\] is not a number/);
    expect(() => sketchFromJson({ format: 'other' })).toThrow(/format is not "millrace.sketch\/1"/);
  });

  it('sketchValues: predictions or labels as a one-column reference', () => {
    const predictions = sketchValues('prediction', Float64Array.from([0.2, 0.9, NaN, 0.4]));
    expect(predictions.columns[0]).toMatchObject({ kind: 'number', missing: 1 });
    const classes = sketchValues('prediction', ['a', 'b', null, 'a']);
    expect(classes.columns[0]).toMatchObject({ kind: 'category', levels: ['a', 'b'], counts: [2, 1], missing: 1 });
    const report = compareWithSketch(classes, table(labels('prediction', ['b', 'b', 'b', 'a'])));
    expect(report.columns[0]!.status).toBe('compared');
  });
});
