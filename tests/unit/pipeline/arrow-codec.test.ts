import { describe, expect, it } from 'vitest';
import { tableFromChunks, tableSchema, tableToChunks } from '../../../src/lib/pipeline/arrow-codec.ts';
import { parseCsv } from '../../../src/lib/pipeline/parse-csv.ts';
import type { DataTable } from '../../../src/lib/pipeline/types.ts';
import { loadVega } from './helpers.ts';

function expectSameTable(actual: DataTable, expected: DataTable): void {
  expect(actual.rowCount).toBe(expected.rowCount);
  expect(actual.columns.length).toBe(expected.columns.length);
  expected.columns.forEach((column, c) => {
    const got = actual.columns[c];
    expect(got?.name).toBe(column.name);
    expect(got?.type).toBe(column.type);
    // toEqual on typed arrays compares every element and treats NaN as equal to NaN.
    if ('values' in column) expect(got && 'values' in got && got.values).toEqual(column.values);
    else {
      expect(got && 'codes' in got && got.levels).toEqual(column.levels);
      expect(got && 'codes' in got && got.codes).toEqual(column.codes);
    }
  });
}

describe('arrow codec', () => {
  it.each(['penguins.json', 'cars.json', 'movies.json'])('round-trips %s in small chunks', (name) => {
    const table = loadVega(name);
    const chunks = tableToChunks(table, 100);
    expect(chunks.length).toBe(Math.ceil(table.rowCount / 100));
    expectSameTable(tableFromChunks(chunks, tableSchema(table)), table);
  });

  it('keeps missing values missing (not 0, not "")', () => {
    const table = loadVega('penguins.json');
    const back = tableFromChunks(tableToChunks(table), tableSchema(table));
    const beak = back.columns[2];
    expect(beak && 'values' in beak && Number.isNaN(beak.values[3])).toBe(true);
    const sex = back.columns[6];
    expect(sex && 'codes' in sex && sex.codes.filter((c) => c < 0).length).toBe(10);
  });

  it('restores levels whose order is not the order they first appear in', () => {
    const table: DataTable = {
      rowCount: 4,
      columns: [{ name: 'c', type: 'category', codes: Int32Array.of(2, -1, 0, 2), levels: ['a', 'unused', 'z'] }],
    };
    expectSameTable(tableFromChunks(tableToChunks(table, 2), tableSchema(table)), table);
  });

  it('round-trips an empty table and exotic strings', () => {
    const empty: DataTable = { rowCount: 0, columns: [{ name: 'x', type: 'number', values: new Float64Array(0) }] };
    expectSameTable(tableFromChunks(tableToChunks(empty), tableSchema(empty)), empty);
    const odd = parseCsv('s,d,b\n"é,""😀""",2020-02-29T12:00Z,true\n,NA,false\n', 'odd.csv');
    expectSameTable(tableFromChunks(tableToChunks(odd), tableSchema(odd)), odd);
  });

  it('restores missing numbers at every position of the validity bitmap, in chunks of any size', () => {
    const rows = 53;
    const values = Float64Array.from({ length: rows }, (_, i) => (i % 3 === 0 || i % 8 === 7 ? NaN : i * 1.5 - 7));
    const codes = Int32Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? -1 : i % 4));
    const table: DataTable = {
      rowCount: rows,
      columns: [
        { name: 'x', type: 'number', values },
        { name: 'c', type: 'category', codes, levels: ['a', 'b', 'c', 'd'] },
        { name: 'full', type: 'number', values: Float64Array.from({ length: rows }, (_, i) => i) },
      ],
    };
    for (const per of [1, 7, 8, 9, 16, 50, 64]) expectSameTable(tableFromChunks(tableToChunks(table, per), tableSchema(table)), table);
  });
});
