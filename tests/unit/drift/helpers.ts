// Shared helpers of the drift tests: real datasets through the repo's own parser, row subsets, small tables.
import { readFileSync } from 'node:fs';
import { parseFile } from '../../../src/lib/pipeline/parse.ts';
import { gatherColumn } from '../../../src/lib/pipeline/recipe/columns.ts';
import type { Column, DataTable } from '../../../src/lib/pipeline/types.ts';

export const DATA = 'node_modules/vega-datasets/data';

export function readData(name: string): DataTable {
  return parseFile(readFileSync(`${DATA}/${name}`), name);
}

/** The rows of `table` for which `keep(row)` holds. */
export function rowsWhere(table: DataTable, keep: (row: number) => boolean): DataTable {
  const rows: number[] = [];
  for (let i = 0; i < table.rowCount; i++) if (keep(i)) rows.push(i);
  const picked = Int32Array.from(rows);
  return { rowCount: picked.length, columns: table.columns.map((c) => gatherColumn(c, picked)) };
}

export function numbers(name: string, values: ArrayLike<number>, type: 'number' | 'integer' = 'number'): Column {
  return { name, type, values: Float64Array.from(values) };
}

export function labels(name: string, values: readonly (string | null)[]): Column {
  const index = new Map<string, number>();
  for (const v of values) if (v !== null && !index.has(v)) index.set(v, index.size);
  return { name, type: 'category', levels: [...index.keys()], codes: Int32Array.from(values, (v) => (v === null ? -1 : (index.get(v) as number))) };
}

export function table(...columns: Column[]): DataTable {
  const first = columns[0];
  const rowCount = !first ? 0 : 'values' in first ? first.values.length : first.codes.length;
  return { rowCount, columns };
}

/** A seeded normal sample (Box–Muller over a mulberry32 stream). */
export function normals(n: number, seed: number, mean = 0, sd = 1): Float64Array {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return Float64Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}
