// Column views shared by the automatic transforms and feature sets: numbers, level codes, dates and statistics.
import { parseIsoDate, parseScalar } from '../infer.ts';
import { isStringColumn, numericToString } from '../table.ts';
import type { Column, FittedStats } from '../types.ts';

/** A value per table row; NaN marks a missing (or unusable) value. */
export type RowValue = (row: number) => number;

/** The numeric view of a column: numeric columns as stored, string columns parsed level by level. */
export function numericValue(column: Column): RowValue {
  if (!isStringColumn(column)) return (row) => column.values[row] ?? NaN;
  const parsed = Float64Array.from(column.levels, (level) => parseScalar(level));
  return (row) => {
    const code = column.codes[row] ?? -1;
    return code < 0 ? NaN : (parsed[code] as number);
  };
}

/** The date view of a column as epoch ms (UTC): date columns as stored, text parsed as ISO dates. */
export function dateValue(column: Column): RowValue {
  if (!isStringColumn(column)) return (row) => column.values[row] ?? NaN;
  const parsed = Float64Array.from(column.levels, (level) => parseIsoDate(level.trim()));
  return (row) => {
    const code = column.codes[row] ?? -1;
    return code < 0 ? NaN : (parsed[code] as number);
  };
}

/** The string view of a column: a level index per row into `levels`, -1 for missing. */
export function stringCodes(column: Column): { levels: string[]; code: (row: number) => number } {
  if (isStringColumn(column)) return { levels: column.levels, code: (row) => column.codes[row] ?? -1 };
  const levels: string[] = [];
  const index = new Map<number, number>();
  const values = column.values;
  return {
    levels,
    code: (row) => {
      const v = values[row] ?? NaN;
      if (v !== v) return -1;
      let k = index.get(v);
      if (k === undefined) {
        k = levels.length;
        levels.push(numericToString(column, v));
        index.set(v, k);
      }
      return k;
    },
  };
}

/** The present values of `value` on `rows`, sorted ascending. */
export function sortedPresent(value: RowValue, rows: Int32Array): Float64Array {
  const present = new Float64Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = value(rows[i] as number);
    if (v === v) present[n++] = v;
  }
  return present.subarray(0, n).sort();
}

/** The k-th smallest of a[lo..hi] moved to a[k] (Hoare selection, median-of-three pivots); in place. */
function selectInPlace(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo] as number;
    const y = a[mid] as number;
    const z = a[hi] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i++] = a[j] as number;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * The median of the present values on `rows` (0 when there are none), equal to medianOf(sortedPresent(…))
 * but by selection in linear time instead of a sort (a 1M-row fit spent most of its time sorting).
 */
export function medianPresent(value: RowValue, rows: Int32Array): number {
  const present = new Float64Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = value(rows[i] as number);
    if (v === v) present[n++] = v;
  }
  if (n === 0) return 0;
  const a = present.subarray(0, n);
  const k = n >> 1;
  selectInPlace(a, k);
  const upper = a[k] as number;
  if (n % 2) return upper;
  let lower = -Infinity;
  for (let i = 0; i < k; i++) if ((a[i] as number) > lower) lower = a[i] as number;
  return (lower + upper) / 2;
}

/** Median of sorted values (0 when there are none). */
export function medianOf(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return 0;
  return n % 2 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
}

/** The q-quantile of sorted values with linear interpolation (NumPy's default); 0 when there are none. */
export function quantileOf(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const pos = Math.min(1, Math.max(0, q)) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/**
 * Median of the present values, then mean and population std of the values with missing ones imputed by
 * that median (std 1 when it is 0). The automatic numeric transform and every standardized feature use it.
 */
export function numericStats(value: RowValue, rows: Int32Array): FittedStats {
  const median = medianPresent(value, rows);
  let sum = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = value(rows[i] as number);
    sum += v === v ? v : median;
  }
  const mean = rows.length ? sum / rows.length : 0;
  let ss = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = value(rows[i] as number);
    const d = (v === v ? v : median) - mean;
    ss += d * d;
  }
  const std = rows.length ? Math.sqrt(ss / rows.length) : 0;
  return { median, mean, std: std > 0 ? std : 1 };
}

/** True when every level of a string column that is used on `rows` reads as a number. */
export function levelsAreNumeric(column: Column, rows: Int32Array): boolean {
  if (!isStringColumn(column)) return true;
  const value = numericValue(column);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as number;
    if ((column.codes[row] ?? -1) >= 0 && Number.isNaN(value(row))) return false;
  }
  return true;
}
