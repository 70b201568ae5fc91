// Numbers stored in the narrowest exact Arrow type: every double comes back the same bit for bit, through our
// decoder and through flechette's reader (any Arrow reader), and typical columns shrink to a fraction of float64.
import { tableFromIPC } from '@uwdata/flechette';
import { describe, expect, it } from 'vitest';
import { tableFromChunks, tableSchema, tableToChunks } from '../../../src/lib/pipeline/arrow-codec.ts';
import type { DataTable, NumericColumn } from '../../../src/lib/pipeline/types.ts';

const DAY = 86_400_000;

/** Values that sit on the edges of each plan: int widths, decimal scales, int32 bounds, signed zero, specials. */
const EDGES = [
  0, -0, 1, -1, 127, -128, 128, -129, 32767, -32768, 32768, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 53,
  0.1, 0.2, 0.1 + 0.2, 1 / 3, 1e-9, 1e-10, 5e-324, 1.7976931348623157e308, 123456.789, 2147.483647, 2147.483648,
  -2147.483647, 0.000001, 1.005, 99999.99999, Infinity, -Infinity, NaN, Math.PI, 21474.83647, 21474.83648,
];

function sameBits(got: ArrayLike<number>, want: ArrayLike<number>, label: string): void {
  expect(got.length, label).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const ok = Object.is(got[i], want[i]);
    if (!ok) expect(`${label} row ${i}: ${got[i]}`).toBe(`${label} row ${i}: ${want[i]}`);
  }
}

function oneColumn(values: number[], type: NumericColumn['type']): DataTable {
  return { rowCount: values.length, columns: [{ name: 'v', type, values: Float64Array.from(values) }] };
}

/** Each value alone in its chunk (its own plan), and all of them in one chunk (one plan for all). */
function roundTrips(values: number[], type: NumericColumn['type'], perChunk = [1, 3, values.length]): void {
  const table = oneColumn(values, type);
  for (const per of perChunk) {
    const chunks = tableToChunks(table, per);
    const back = tableFromChunks(chunks, tableSchema(table)).columns[0] as NumericColumn;
    sameBits(back.values, (table.columns[0] as NumericColumn).values, `ours, ${per} per chunk`);
    // flechette reads missing as null; everything else must be the same double.
    const theirs = chunks.flatMap((chunk) => Array.from(tableFromIPC(chunk).getChild('v').toArray() as ArrayLike<number | null>, (v) => v ?? NaN));
    sameBits(theirs, values, `flechette, ${per} per chunk`);
  }
}

describe('narrow numbers', () => {
  it('gives back every edge value exactly, per value and per chunk', () => {
    roundTrips(EDGES, 'number');
    roundTrips(EDGES.filter(Number.isInteger), 'integer');
  });

  it('gives back 20,000 random short decimals and random doubles exactly', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = Array.from({ length: 20_000 }, (_, i) => {
      const scale = i % 10;
      const whole = Math.round((random() - 0.5) * 2 * 10 ** Math.min(9, scale + 2));
      return i % 7 === 6 ? (random() - 0.5) * 1e6 : whole / 10 ** scale;
    });
    roundTrips(values, 'number', [1000, values.length]);
  });

  it('gives back dates at midnight and at other times, before and after 1970', () => {
    const dates = [0, DAY, -DAY, 19_000 * DAY, -40_000 * DAY, 19_000 * DAY + 1, 19_000 * DAY + 3_600_000, -1, NaN, 8.64e15, -8.64e15];
    roundTrips(dates, 'date');
  });

  it('stores a table like the benchmark in under half the bytes of float64', () => {
    const rows = 65_536;
    let seed = 3;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const floats = (scale: number) => Float64Array.from({ length: rows }, () => (random() < 0.02 ? NaN : Math.round((random() - 0.5) * 1e7) / 10 ** scale));
    const table: DataTable = {
      rowCount: rows,
      columns: [
        { name: 'f1', type: 'number', values: floats(5) },
        { name: 'f2', type: 'number', values: floats(5) },
        { name: 'age', type: 'integer', values: Float64Array.from({ length: rows }, () => Math.floor(random() * 90)) },
        { name: 'visits', type: 'integer', values: Float64Array.from({ length: rows }, () => Math.floor(random() * 3000)) },
        { name: 'signup', type: 'date', values: Float64Array.from({ length: rows }, () => Math.floor(random() * 2000 + 17000) * DAY) },
        { name: 'label', type: 'boolean', values: Float64Array.from({ length: rows }, () => (random() < 0.5 ? 1 : 0)) },
        { name: 'tier', type: 'category', codes: Int32Array.from({ length: rows }, () => Math.floor(random() * 5)), levels: ['a', 'b', 'c', 'd', 'e'] },
      ],
    };
    const [chunk] = tableToChunks(table);
    const bits = (type: { bitWidth?: number; indices?: { bitWidth: number } }) => type.bitWidth ?? type.indices?.bitWidth;
    const fields = tableFromIPC(chunk!).schema.fields.map((f) => [f.name, f.type.typeId, bits(f.type as never)]);
    // decimal32 (7), int8 and int16 (2), date32 (8), a dictionary (-1) with int8 keys.
    expect(fields).toEqual([
      ['f1', 7, 32],
      ['f2', 7, 32],
      ['age', 2, 8],
      ['visits', 2, 16],
      ['signup', 8, undefined],
      ['label', 2, 8],
      ['tier', -1, 8],
    ]);
    const float64Bytes = rows * (6 * 8 + 4);
    expect(chunk!.length).toBeLessThan(float64Bytes / 2);
    const back = tableFromChunks([chunk!], tableSchema(table));
    back.columns.forEach((column, c) => {
      const want = table.columns[c]!;
      if ('values' in column && 'values' in want) sameBits(column.values, want.values, column.name);
      else if ('codes' in column && 'codes' in want) expect(column.codes).toEqual(want.codes);
    });
  });
});
