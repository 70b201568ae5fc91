// Statistics recipe steps fit on a batch: mean, median and mode fill values, and quantile bounds for clipping.
import { medianPresent, quantileOf, sortedPresent } from '../features/columns.ts';
import { compareStrings } from '../profile.ts';
import type { StringColumn } from '../types.ts';

/** 0, 1, …, n − 1. */
function allRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/** The number of present (non-NaN) values (of the rows `rows`, in that order, when given). */
export function presentCount(values: Float64Array, rows: Int32Array | null = null): number {
  let n = 0;
  const count = rows ? rows.length : values.length;
  for (let i = 0; i < count; i++) {
    const v = values[rows ? (rows[i] as number) : i] as number;
    if (v === v) n++;
  }
  return n;
}

/**
 * The mean, median or mode (most frequent, the smallest on ties) of the present values; NaN when there are none.
 * `rows`: of those rows, in that order (as of the values gathered first), without copying the column.
 */
export function numericStatistic(values: Float64Array, method: 'mean' | 'median' | 'mode', rows: Int32Array | null = null): number {
  const present = presentCount(values, rows);
  if (present === 0) return NaN;
  const count = rows ? rows.length : values.length;
  if (method === 'mean') {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const v = values[rows ? (rows[i] as number) : i] as number;
      if (v === v) sum += v;
    }
    return sum / present;
  }
  const value = (row: number) => values[row] as number;
  if (method === 'median') return medianPresent(value, rows ?? allRows(values.length));
  const sorted = sortedPresent(value, rows ?? allRows(values.length));
  let best = sorted[0] as number;
  let bestRun = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestRun) {
      bestRun = j - i;
      best = sorted[i] as number;
    }
    i = j;
  }
  return best;
}

/** The most frequent level of a string column (the first in code-point order on ties), or null when all are missing; of the rows `rows` when given. */
export function modeLevel(column: StringColumn, rows: Int32Array | null = null): string | null {
  const counts = new Int32Array(column.levels.length);
  const codes = column.codes;
  const count = rows ? rows.length : codes.length;
  for (let i = 0; i < count; i++) {
    const c = codes[rows ? (rows[i] as number) : i] as number;
    if (c >= 0) counts[c] = (counts[c] as number) + 1;
  }
  let best = -1;
  for (let k = 0; k < counts.length; k++) {
    const count = counts[k] as number;
    if (count === 0) continue;
    const top = best < 0 ? 0 : (counts[best] as number);
    if (count > top || (count === top && compareStrings(column.levels[k] as string, column.levels[best] as string) < 0)) best = k;
  }
  return best < 0 ? null : (column.levels[best] as string);
}

/** The `lower` and `upper` quantiles of the present values (linear interpolation), or null when there are none. */
export function quantileBounds(values: Float64Array, lower: number, upper: number): { low: number; high: number } | null {
  const sorted = sortedPresent((row) => values[row] as number, allRows(values.length));
  if (sorted.length === 0) return null;
  return { low: quantileOf(sorted, lower), high: quantileOf(sorted, upper) };
}
