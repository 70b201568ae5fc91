// Parquet and Arrow IPC: real files from vega-datasets, corrupt files, and 64-bit integers beyond 2^53.
import { readFileSync } from 'node:fs';
import { int64, tableFromArrays, tableToIPC, utf8 as utf8Type } from '@uwdata/flechette';
import { describe, expect, it } from 'vitest';
import { parseArrow } from '../../../src/lib/pipeline/parse-arrow.ts';
import { parseParquet } from '../../../src/lib/pipeline/parse-parquet.ts';
import { parseFile, parseFileAsync, parseFileDetailed } from '../../../src/lib/pipeline/parse.ts';
import { cellValue, getColumn } from '../../../src/lib/pipeline/table.ts';
import { ValueColumnBuilder } from '../../../src/lib/pipeline/value-column.ts';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import { VEGA, catchAppError } from './helpers.ts';

const parquetBytes = () => new Uint8Array(readFileSync(VEGA + 'flights-3m.parquet'));

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('Parquet', () => {
  it('reads the first 100,000 rows of flights-3m.parquet with their types', async () => {
    const { table, notes } = await parseParquet(parquetBytes(), 'flights-3m.parquet', { rowEnd: 100_000 });
    expect(notes).toEqual([]);
    expect(table.rowCount).toBe(100_000);
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ['date', 'date'],
      ['delay', 'integer'],
      ['distance', 'integer'],
      ['origin', 'category'],
      ['destination', 'category'],
    ]);
    expect(cellValue(getColumn(table, 'date'), 0)).toBe('2001-01-01T00:01:00.000Z');
    expect(cellValue(getColumn(table, 'delay'), 0)).toBe(33);
    expect(cellValue(getColumn(table, 'distance'), 0)).toBe(2176);
    expect(cellValue(getColumn(table, 'origin'), 0)).toBe('LAS');
    expect(cellValue(getColumn(table, 'destination'), 0)).toBe('PHL');
  });

  it('reads the whole file through parseFileDetailed', async () => {
    const result = await parseFileDetailed(parquetBytes(), 'flights-3m.parquet');
    expect(result.format).toBe('parquet');
    expect(result.table.rowCount).toBe(3_000_000);
    expect(cellValue(getColumn(result.table, 'origin'), 2_999_999)).not.toBeNull();
  }, 30_000);

  it('a truncated file is a corrupt-file error naming it', async () => {
    const e = await rejection(parseFileAsync(parquetBytes().subarray(0, 100_000), 'cut.parquet'));
    expect(e.code).toBe('corrupt-file');
    expect(e.message).toBe('cut.parquet is not a readable Parquet file (parquet file invalid (footer != PAR1))');
    expect(e.place).toEqual({ file: 'cut.parquet' });
  });

  it('damaged pages are a corrupt-file error too', async () => {
    const bytes = parquetBytes();
    bytes.fill(7, 200, 400_000);
    const e = await rejection(parseFileAsync(bytes, 'mangled.parquet'));
    expect(e.code).toBe('corrupt-file');
    expect(e.message).toMatch(/^mangled\.parquet is not a readable Parquet file \(/);
  });

  it('the synchronous parseFile says to use the async one', () => {
    const e = catchAppError(() => parseFile(parquetBytes(), 'flights.parquet'));
    expect(e.code).toBe('unsupported-format');
    expect(e.message).toBe('flights.parquet is a Parquet file, which is read asynchronously: use parseFileAsync or parseFileDetailed');
  });
});

describe('Arrow IPC', () => {
  it('reads flights-200k.arrow', () => {
    const t = parseFile(new Uint8Array(readFileSync(VEGA + 'flights-200k.arrow')), 'flights-200k.arrow');
    expect(t.rowCount).toBe(200_000);
    expect(t.columns.map((c) => [c.name, c.type])).toEqual([
      ['delay', 'integer'],
      ['distance', 'integer'],
      ['time', 'number'],
    ]);
    expect(cellValue(getColumn(t, 'distance'), 0)).toBe(1452);
  });

  it('keeps 64-bit integers beyond 2^53 as text, with a note, and others as numbers', async () => {
    const big = 2n ** 53n + 1n;
    const arrow = tableFromArrays(
      { id: [1n, big, null], small: [5n, -7n, 9n], label: ['a', null, 'c'] },
      { types: { id: int64(), small: int64(), label: utf8Type() } },
    );
    const bytes = tableToIPC(arrow, { format: 'file' }) as Uint8Array;
    const result = await parseFileDetailed(bytes, 'ids.arrow');
    expect(result.format).toBe('arrow');
    expect(result.notes).toEqual(['Column "id": 64-bit integers above 2^53 kept as text']);
    const id = getColumn(result.table, 'id');
    expect([id.type, cellValue(id, 0), cellValue(id, 1), cellValue(id, 2)]).toEqual(['category', '1', '9007199254740993', null]);
    const small = getColumn(result.table, 'small');
    expect([small.type, cellValue(small, 1)]).toEqual(['integer', -7]);
    expect(cellValue(getColumn(result.table, 'label'), 1)).toBeNull();
  });

  it('a damaged Arrow file is a corrupt-file error', () => {
    const bytes = new Uint8Array(readFileSync(VEGA + 'flights-200k.arrow')).subarray(0, 5000);
    const e = catchAppError(() => parseArrow(bytes, 'cut.arrow'));
    expect(e.code).toBe('corrupt-file');
    expect(e.message).toMatch(/^cut\.arrow is not a readable Arrow IPC file \(/);
  });
});

describe('ValueColumnBuilder (the BigInt rule Parquet INT64 columns use)', () => {
  it('turns to text when a value passes 2^53, also for values written before it', () => {
    const builder = new ValueColumnBuilder('id', 'int64', 4);
    builder.write(0, [10n, null]);
    builder.write(2, [-(2n ** 60n), 2n ** 53n]);
    expect(builder.overflowed).toBe(true);
    const column = builder.finish();
    expect([0, 1, 2, 3].map((r) => cellValue(column, r))).toEqual(['10', null, '-1152921504606846976', '9007199254740992']);
  });

  it('keeps exact integers as numbers', () => {
    const builder = new ValueColumnBuilder('n', 'int64', 2);
    builder.write(0, [2n ** 53n, -(2n ** 53n)]);
    const column = builder.finish();
    expect([column.type, cellValue(column, 0), cellValue(column, 1)]).toEqual(['integer', 2 ** 53, -(2 ** 53)]);
  });
});
