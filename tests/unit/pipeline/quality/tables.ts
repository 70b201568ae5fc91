// Hand-made tables for the quality tests: numeric and string columns from plain arrays (null = missing).
import type { DataTable, NumericColumn, StringColumn } from '../../../../src/lib/pipeline/types.ts';

/** A numeric column; null becomes NaN (missing). */
export function num(name: string, values: (number | null)[], type: NumericColumn['type'] = 'number'): NumericColumn {
  return { name, type, values: Float64Array.from(values, (v) => (v === null ? NaN : v)) };
}

/** A string column with levels in order of first appearance; null becomes code -1. */
export function str(name: string, values: (string | null)[], type: StringColumn['type'] = 'category'): StringColumn {
  const levels: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1;
    let code = index.get(v);
    if (code === undefined) {
      code = levels.length;
      levels.push(v);
      index.set(v, code);
    }
    return code;
  });
  return { name, type, codes, levels };
}

/** A table of these columns (all of the same length). */
export function table(...columns: (NumericColumn | StringColumn)[]): DataTable {
  const first = columns[0];
  const rowCount = first ? ('values' in first ? first.values.length : first.codes.length) : 0;
  return { rowCount, columns };
}
