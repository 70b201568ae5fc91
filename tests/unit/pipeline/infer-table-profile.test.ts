import { describe, expect, it } from 'vitest';
import { inferColumns, inferLevelType, parseIsoDate } from '../../../src/lib/pipeline/infer.ts';
import { parseCsv } from '../../../src/lib/pipeline/parse-csv.ts';
import { profileTable } from '../../../src/lib/pipeline/profile.ts';
import { cellValue, columnAsStrings, getColumn, isMissing } from '../../../src/lib/pipeline/table.ts';
import { catchAppError, loadVega } from './helpers.ts';

describe('infer', () => {
  it('picks the narrowest type that fits every value', () => {
    expect(inferLevelType(['1', '-2', '30'], 3)).toBe('integer');
    expect(inferLevelType(['1', '2.5', '1e3'], 3)).toBe('number');
    expect(inferLevelType(['true', 'FALSE'], 2)).toBe('boolean');
    expect(inferLevelType(['2020-01-31', '2021-12-01T08:30Z'], 2)).toBe('date');
    expect(inferLevelType(['1', 'x'], 2)).toBe('category');
    expect(inferLevelType(['0x10'], 1)).toBe('category');
  });

  it('calls a string column text once it has more than max(20, 5% of rows) levels', () => {
    const few = Array.from({ length: 20 }, (_, i) => `v${i}`);
    expect(inferLevelType(few, 100)).toBe('category');
    expect(inferLevelType([...few, 'v20'], 100)).toBe('text');
    expect(inferLevelType([...few, 'v20'], 1000)).toBe('category'); // limit is 50 there
  });

  it('parses ISO dates to epoch ms UTC and rejects impossible dates', () => {
    expect(parseIsoDate('1970-01-02')).toBe(86_400_000);
    expect(parseIsoDate('2012-01-01T10:30:15Z')).toBe(Date.UTC(2012, 0, 1, 10, 30, 15));
    expect(parseIsoDate('2012-01-01T10:30+01:00')).toBe(Date.UTC(2012, 0, 1, 9, 30));
    expect(parseIsoDate('2023-02-30')).toBeNaN();
    expect(parseIsoDate('Jun 12 1998')).toBeNaN();
  });

  it('treats the missing tokens as missing and keeps "." as a level', () => {
    const [col] = inferColumns(['x'], [[''], ['NA'], ['N/A'], ['NaN'], ['null'], [null], ['.'], ['a']]);
    expect(col?.type).toBe('category');
    expect(col && columnAsStrings(col)).toEqual([null, null, null, null, null, null, '.', 'a']);
  });

  it('JSON numbers and booleans become typed columns', () => {
    const cols = inferColumns(['n', 'b'], [[1.5, true], [null, false], [3, null]]);
    expect(cols.map((c) => c.type)).toEqual(['number', 'boolean']);
    expect(cols[1] && cellValue(cols[1], 1)).toBe(false);
    expect(cols[0] && isMissing(cols[0], 1)).toBe(true);
  });
});

describe('table', () => {
  const table = parseCsv('age,name\n30,ann\n,bob\n', 'people.csv');

  it('getColumn names the unknown column and lists the real ones', () => {
    const e = catchAppError(() => getColumn(table, 'age '));
    expect(e.code).toBe('unknown-column');
    expect(e.message).toBe('Unknown column "age "; columns are: "age", "name"');
    expect(e.place.column).toBe('age ');
  });

  it('cellValue and columnAsStrings', () => {
    const age = getColumn(table, 'age');
    expect(cellValue(age, 0)).toBe(30);
    expect(cellValue(age, 1)).toBeNull();
    expect(columnAsStrings(getColumn(table, 'name'), [1, 0])).toEqual(['bob', 'ann']);
  });
});

describe('profile', () => {
  it('computes hand-checked statistics', () => {
    // x = 1, 2, 3, 4, missing: mean 2.5, sample variance ((1.5²+0.5²)·2)/3 = 5/3, std ≈ 1.29099.
    const t = parseCsv('x,c\n1,a\n2,a\n3,b\n4,\nNA,a\n', 'small.csv');
    const [x, c] = profileTable(t).columns;
    expect(x).toMatchObject({ type: 'integer', missing: 1, distinct: 4, min: 1, max: 4, mean: 2.5, idLike: false });
    expect(x?.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(x?.histogram).toHaveLength(20);
    expect(x?.histogram?.reduce((s, b) => s + b.count, 0)).toBe(4);
    expect(x?.histogram?.[19]).toMatchObject({ x1: 4, count: 1 });
    expect(c).toMatchObject({ type: 'category', missing: 1, distinct: 2, constant: false });
    expect(c?.topValues).toEqual([
      { value: 'a', count: 3 },
      { value: 'b', count: 1 },
    ]);
  });

  it('flags ID-like and constant columns', () => {
    const rows = Array.from({ length: 25 }, (_, i) => `${i + 1},same,u${i}`).join('\n');
    const profile = profileTable(parseCsv(`id,k,name\n${rows}\n`, 'ids.csv'));
    expect(profile.columns.map((p) => [p.name, p.idLike, p.constant])).toEqual([
      ['id', true, false],
      ['k', false, true],
      ['name', true, false],
    ]);
  });

  it('profiles penguins', () => {
    const profile = profileTable(loadVega('penguins.json'));
    const mass = profile.columns.find((p) => p.name === 'Body Mass (g)');
    expect(mass).toMatchObject({ missing: 2, min: 2700, max: 6300, idLike: false });
    expect(mass?.mean).toBeCloseTo(4201.754386, 5);
    const sex = profile.columns.find((p) => p.name === 'Sex');
    expect(sex?.missing).toBe(10);
    expect(sex?.topValues?.map((t) => t.value)).toEqual(['MALE', 'FEMALE', '.']);
  });
});
