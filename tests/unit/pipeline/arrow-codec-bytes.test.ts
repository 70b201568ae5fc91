// tableToChunks builds its Arrow batches straight from typed arrays: the bytes must be exactly those flechette's
// own builders make from the same values as boxed JS arrays, given the narrowest exact type of each chunk's column
// (found here by trying the types in order, apart from the encoder's one-pass plan), chunk by chunk.
import { dateDay, decimal32, dictionary, float64, int16, int32, int8, tableFromArrays, tableToIPC, utf8, type DataType } from '@uwdata/flechette';
import { describe, expect, it } from 'vitest';
import { encodeChunkParts, encodeChunks, tableToChunks } from '../../../src/lib/pipeline/arrow-codec.ts';
import { EncodeScratch } from '../../../src/lib/pipeline/encode-scratch.ts';
import { isStringColumn } from '../../../src/lib/pipeline/table.ts';
import type { DataTable } from '../../../src/lib/pipeline/types.ts';

const INT32_MAX = 2 ** 31 - 1;

/** The first type, narrowest first, that holds every value exactly (-0 only in float64). */
function narrowest(values: number[], isDate: boolean): DataType {
  const fits = (test: (v: number) => boolean) => values.every((v) => !Object.is(v, -0) && test(v));
  if (isDate) return fits((v) => v % 86_400_000 === 0 && Math.abs(v / 86_400_000) <= INT32_MAX) ? dateDay() : float64();
  const whole = (lo: number, hi: number) => fits((v) => Number.isInteger(v) && v >= lo && v <= hi);
  if (whole(-128, 127)) return int8();
  if (whole(-32768, 32767)) return int16();
  if (whole(-INT32_MAX - 1, INT32_MAX)) return int32();
  for (let scale = 1; scale <= 9; scale++) {
    const p = 10 ** scale;
    if (fits((v) => Math.round(v * p) / p === v && Math.abs(v) * p <= INT32_MAX)) return decimal32(9, scale);
  }
  return float64();
}

function keyType(distinct: number): ReturnType<typeof int32> {
  return distinct <= 128 ? int8() : distinct <= 32768 ? int16() : int32();
}

/** True when the levels are the used levels in first-seen order (else the encoder stores them as metadata). */
function inDataOrder(codes: Int32Array, levels: readonly string[]): boolean {
  let next = 0;
  for (const code of codes) {
    if (code < 0 || code < next) continue;
    if (code !== next) return false;
    next++;
  }
  return next === levels.length;
}

/** The previous encoder: boxed values through tableFromArrays. */
function viaBuilders(table: DataTable, rowsPerChunk: number): Uint8Array[] {
  const metadata = new Map<string, string>();
  table.columns.forEach((column, c) => {
    if (isStringColumn(column) && !inDataOrder(column.codes, column.levels)) metadata.set(`millrace.levels.${c}`, JSON.stringify(column.levels));
  });
  const chunks: Uint8Array[] = [];
  for (let start = 0; start === 0 || start < table.rowCount; start += rowsPerChunk) {
    const end = Math.min(table.rowCount, start + rowsPerChunk);
    const types: Record<string, DataType> = {};
    const arrays = table.columns.map((column): [string, (number | bigint | string | null)[]] => {
      const out: (number | string | null)[] = [];
      for (let r = start; r < end; r++) {
        if (isStringColumn(column)) out.push((column.codes[r] as number) < 0 ? null : (column.levels[column.codes[r] as number] as string));
        else out.push(Number.isNaN(column.values[r]) ? null : (column.values[r] as number));
      }
      const present = out.filter((v) => v !== null);
      // A table without rows is one chunk of float64 and int32 keys, as the encoder's empty chunk is.
      if (table.rowCount === 0) types[column.name] = isStringColumn(column) ? dictionary(utf8()) : float64();
      else types[column.name] = isStringColumn(column)
        ? dictionary(utf8(), keyType(new Set(present).size))
        : narrowest(present as number[], column.type === 'date');
      // flechette 2.6's decimal32 builder scales a number by the scale itself (not 10^scale) and truncates: it is given
      // the stored integers as BigInts, which it takes as they are.
      const type = types[column.name] as { typeId: number; scale?: number };
      if (type.typeId === 7) {
        const p = 10 ** (type.scale as number);
        return [column.name, out.map((v) => (v === null ? null : BigInt(Math.round((v as number) * p))))];
      }
      return [column.name, out];
    });
    const arrow = tableFromArrays(arrays, { types });
    if (start === 0 && metadata.size > 0) arrow.schema.metadata = metadata;
    chunks.push(tableToIPC(arrow, { format: 'stream' }) as Uint8Array);
  }
  return chunks;
}

function table(rows: number, missingEvery: number): DataTable {
  const levels = ['a', 'é', '東京', '', 'x'.repeat(70), '😀'];
  const codes = Int32Array.from({ length: rows }, (_, r) => (missingEvery && r % missingEvery === 2 ? -1 : (r * 7) % levels.length));
  const values = Float64Array.from({ length: rows }, (_, r) => (missingEvery && r % missingEvery === 1 ? NaN : r * 0.25 - 3));
  const whole = Float64Array.from({ length: rows }, (_, r) => -r);
  return {
    rowCount: rows,
    columns: [
      { name: 'x', type: 'number', values },
      { name: 'c', type: 'category', codes, levels },
      { name: 'i', type: 'integer', values: whole },
      { name: 't', type: 'text', codes: Int32Array.from({ length: rows }, (_, r) => (missingEvery === 1 ? -1 : r)), levels: Array.from({ length: rows }, (_, r) => `t${r}`) },
      // Whole days, and now and then a time of day (that chunk stays float64).
      { name: 'd', type: 'date', values: Float64Array.from({ length: rows }, (_, r) => (r - 500) * 86_400_000 + (r % 37 === 36 ? 3_600_000 : 0)) },
      // int8 up to int32, and one value past int32 (float64).
      { name: 'b', type: 'integer', values: Float64Array.from({ length: rows }, (_, r) => (r === 7 ? 2 ** 40 : r * r * 3000 - 100)) },
      // Three decimals, a -0 and a third now and then (float64 for those chunks).
      { name: 'e', type: 'number', values: Float64Array.from({ length: rows }, (_, r) => (r === 5 ? -0 : r % 41 === 40 ? 1 / 3 : Math.round(r * 1234.567) / 1000)) },
    ],
  };
}

describe('tableToChunks bytes', () => {
  for (const rows of [0, 1, 8, 9, 65, 1000]) {
    for (const missingEvery of [0, 1, 3, 50]) {
      it(`match flechette's builders (${rows} rows, missing every ${missingEvery})`, () => {
        const t = table(rows, missingEvery);
        for (const per of [1, 8, 64, 65536]) {
          const ours = tableToChunks(t, per);
          const theirs = viaBuilders(t, per);
          expect(ours.length).toBe(theirs.length);
          ours.forEach((chunk, k) => expect(Buffer.from(chunk).equals(Buffer.from(theirs[k] as Uint8Array))).toBe(true));
        }
      });
    }
  }
});

/** Rows [start, …) as a table of their own (what the import's encode helper is sent). */
function rowsFrom(t: DataTable, start: number): DataTable {
  return {
    rowCount: t.rowCount - start,
    columns: t.columns.map((c) => (isStringColumn(c) ? { ...c, codes: c.codes.slice(start) } : { ...c, values: c.values.slice(start) })),
  };
}

describe('encodeChunks in parts', () => {
  for (const missingEvery of [0, 3]) {
    it(`gives the same bytes for chunks [0, k) here and the rest from the later rows alone (missing every ${missingEvery})`, () => {
      const t = table(1000, missingEvery);
      // Levels out of data order too, so that only chunk 0 carries them as metadata.
      const shuffled: DataTable = { ...t, columns: [...t.columns, { name: 'o', type: 'category', codes: Int32Array.from({ length: 1000 }, (_, r) => 2 - (r % 3)), levels: ['p', 'q', 'r'] }] };
      for (const per of [1, 64, 300]) {
        const whole = tableToChunks(shuffled, per);
        for (const k of [0, 1, 2, 3]) {
          const start = Math.min(k * per, shuffled.rowCount);
          const parts = [...encodeChunks(shuffled, per, { to: k }), ...encodeChunks(rowsFrom(shuffled, start), per, { tail: k > 0 })];
          expect(parts.length).toBe(whole.length);
          parts.forEach((chunk, c) => expect(Buffer.from(chunk).equals(Buffer.from(whole[c] as Uint8Array))).toBe(true));
          const later = [...encodeChunks(shuffled, per, { from: k })];
          later.forEach((chunk, c) => expect(Buffer.from(chunk).equals(Buffer.from(whole[k + c] as Uint8Array))).toBe(true));
        }
      }
    });
  }
});


describe('encodeChunkParts over reused scratch memory', () => {
  for (const missingEvery of [0, 1, 3, 50]) {
    it(`gives every chunk the bytes of a fresh encode when each is copied before the next (missing every ${missingEvery})`, () => {
      const t = table(1000, missingEvery);
      // Chunk sizes whose types change from chunk to chunk (int8 to float64, keys, validity or none).
      for (const per of [1, 8, 64, 300, 65536]) {
        const fresh = tableToChunks(t, per);
        const scratch = new EncodeScratch();
        const reused: Uint8Array[] = [];
        for (const parts of encodeChunkParts(t, per, {}, scratch)) {
          const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
          let at = 0;
          for (const part of parts) {
            joined.set(part, at);
            at += part.length;
          }
          reused.push(joined);
        }
        expect(reused.length).toBe(fresh.length);
        reused.forEach((chunk, k) => expect(Buffer.from(chunk).equals(Buffer.from(fresh[k] as Uint8Array))).toBe(true));
      }
    });
  }
});
