import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../src/lib/pipeline/parse.ts';
import { parseCsv } from '../../../src/lib/pipeline/parse-csv.ts';
import { planFeatures, rowsWithTarget } from '../../../src/lib/pipeline/plan.ts';
import { profileTable } from '../../../src/lib/pipeline/profile.ts';
import { mulberry32, shuffleInPlace, splitRows } from '../../../src/lib/pipeline/split.ts';
import { getColumn } from '../../../src/lib/pipeline/table.ts';
import { inferTask } from '../../../src/lib/pipeline/task.ts';
import { BAD, catchAppError, loadVega } from './helpers.ts';

describe('inferTask', () => {
  const t = parseCsv('two,many,small,real,flag\na,a,1,1.5,true\nb,b,2,2.5,false\na,c,3,3.5,true\n', 't.csv');
  it('chooses binary, multiclass or regression', () => {
    expect(inferTask(getColumn(t, 'two'))).toBe('binary');
    expect(inferTask(getColumn(t, 'flag'))).toBe('binary');
    expect(inferTask(getColumn(t, 'many'))).toBe('multiclass');
    expect(inferTask(getColumn(t, 'small'))).toBe('multiclass');
    expect(inferTask(getColumn(t, 'real'))).toBe('regression');
    expect(inferTask(getColumn(loadVega('cars.json'), 'Miles_per_Gallon'))).toBe('regression');
  });

  it('one-value-target.csv: a target with one value', () => {
    const table = parseFile(readFileSync(BAD + 'one-value-target.csv'), 'one-value-target.csv');
    const e = catchAppError(() => inferTask(getColumn(table, 'Species')));
    expect(e.code).toBe('single-value-target');
    expect(e.message).toBe('Target "Species" has only one value ("Adelie"); pick a column with at least two');
    expect(e.place.column).toBe('Species');
  });
});

describe('planFeatures', () => {
  it('drops ID-like, constant, free-text and empty columns with reasons', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `${i + 1},k,,${i % 3},note number ${i},${i % 2 ? 'y' : 'n'}`);
    const t = parseCsv(`id,const,empty,num,note,label\n${lines.join('\n')}\n`, 'plan.csv');
    const plan = planFeatures(t, profileTable(t), 'label');
    expect(plan.task).toBe('binary');
    expect(plan.features).toEqual(['num']);
    expect(plan.dropped).toEqual([
      { column: 'id', reason: 'every value is different, like an ID' },
      { column: 'const', reason: 'has a single value' },
      { column: 'empty', reason: 'every value is missing' },
      { column: 'note', reason: 'every value is different, like an ID' },
    ]);
  });

  it('keeps date columns and drops the free-text car names', () => {
    const cars = loadVega('cars.json');
    const plan = planFeatures(cars, profileTable(cars), 'Miles_per_Gallon');
    expect(plan.features).toContain('Year');
    expect(plan.dropped.map((d) => d.column)).toEqual(['Name']);
    expect(plan.dropped[0]?.reason).toMatch(/free text with too many different values \(311\)/);
  });

  it('says so when no feature is left', () => {
    const t = parseCsv('k,y\nsame,1\nsame,2\n', 'nofeat.csv');
    const e = catchAppError(() => planFeatures(t, profileTable(t), 'y'));
    expect(e.code).toBe('no-features');
    expect(e.message).toBe('No column is left to predict "y" from: "k" has a single value');
  });

  it('rowsWithTarget skips missing targets', () => {
    const t = parseCsv('y,x\n1,a\n,b\n3,c\nNA,d\n', 'missing.csv');
    expect([...rowsWithTarget(t, 'y')]).toEqual([0, 2]);
    expect(rowsWithTarget(loadVega('penguins.json'), 'Sex').length).toBe(334);
  });
});

describe('split', () => {
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mulberry32(8)()).not.toBe(xs[0]);
  });

  it('shuffleInPlace permutes', () => {
    const arr = Int32Array.from({ length: 100 }, (_, i) => i);
    shuffleInPlace(arr, mulberry32(1));
    expect([...arr].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...arr]).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('splits deterministically into disjoint sorted sets', () => {
    const rows = Int32Array.from({ length: 100 }, (_, i) => i * 2);
    const s1 = splitRows(rows, 0.25, 3);
    const s2 = splitRows(rows, 0.25, 3);
    expect(s1.test.length).toBe(25);
    expect(s1.train.length).toBe(75);
    expect([...s1.test]).toEqual([...s2.test]);
    expect([...splitRows(rows, 0.25, 4).test]).not.toEqual([...s1.test]);
    const all = new Set([...s1.train, ...s1.test]);
    expect(all.size).toBe(100);
    expect([...s1.test]).toEqual([...s1.test].sort((a, b) => a - b));
  });

  it('stratifies: each class keeps its share', () => {
    // 80 rows of class 0 and 20 of class 1; 20% test → 16 + 4.
    const rows = Int32Array.from({ length: 100 }, (_, i) => i);
    const strata = Int32Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));
    const { test } = splitRows(rows, 0.2, 11, strata);
    expect(test.filter((r) => r < 80).length).toBe(16);
    expect(test.filter((r) => r >= 80).length).toBe(4);
  });

  it('rejects a test fraction outside (0, 1)', () => {
    expect(catchAppError(() => splitRows(new Int32Array(4), 1, 1)).code).toBe('bad-argument');
  });
});
