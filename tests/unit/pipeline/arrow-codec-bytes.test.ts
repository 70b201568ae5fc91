// tableToChunks builds its Arrow batches straight from typed arrays: the bytes must be exactly those flechette's
// own builders make from the same values as boxed JS arrays (the encoder it replaced), chunk by chunk.
import { dictionary, float64, tableFromArrays, tableToIPC, utf8 } from '@uwdata/flechette';
import { describe, expect, it } from 'vitest';
import { encodeChunks, tableToChunks } from '../../../src/lib/pipeline/arrow-codec.ts';
import { isStringColumn } from '../../../src/lib/pipeline/table.ts';
import type { DataTable } from '../../../src/lib/pipeline/types.ts';

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
    const types: Record<string, ReturnType<typeof float64> | ReturnType<typeof dictionary>> = {};
    const arrays = table.columns.map((column): [string, (number | string | null)[]] => {
      const out: (number | string | null)[] = [];
      for (let r = start; r < end; r++) {
        if (isStringColumn(column)) out.push((column.codes[r] as number) < 0 ? null : (column.levels[column.codes[r] as number] as string));
        else out.push(Number.isNaN(column.values[r]) ? null : (column.values[r] as number));
      }
      types[column.name] = isStringColumn(column) ? dictionary(utf8()) : float64();
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

