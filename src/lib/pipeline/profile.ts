// Column profiles computed with typed-array loops: missing, distinct, summary stats, histograms, top values.
import { isStringColumn } from './table.ts';
import type { Column, ColumnProfile, DatasetProfile, HistogramBin, NumericColumn, StringColumn, TopValue } from './types.ts';

const BINS = 20;
const TOP = 10;
const ID_SHARE = 0.95;
const ID_MIN_ROWS = 20;

/** Profiles every column of a table. */
export function profileTable(table: { rowCount: number; columns: Column[] }): DatasetProfile {
  return { rows: table.rowCount, columns: table.columns.map((column) => profileColumn(column, table.rowCount)) };
}

/** Profiles one column. */
export function profileColumn(column: Column, rows: number): ColumnProfile {
  return isStringColumn(column) ? profileStrings(column, rows) : profileNumbers(column, rows);
}

function profileNumbers(column: NumericColumn, rows: number): ColumnProfile {
  const values = column.values;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let mean = 0;
  let m2 = 0;
  const present = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    present[count++] = v;
    if (v < min) min = v;
    if (v > max) max = v;
    // Welford's update keeps the variance accurate for large epoch-ms values.
    const delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
  }
  const sorted = present.subarray(0, count).sort();
  let distinct = 0;
  for (let i = 0; i < count; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const profile: ColumnProfile = {
    name: column.name,
    type: column.type,
    missing: rows - count,
    distinct,
    idLike: column.type === 'integer' && isIdLike(distinct, count, rows) && looksLikeIdNumbers(column.name, min, max, count),
    constant: distinct <= 1,
  };
  if (count > 0) {
    profile.min = min;
    profile.max = max;
    profile.mean = mean;
    profile.std = count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
    if (column.type === 'boolean') profile.topValues = booleanTop(sorted);
    else profile.histogram = histogram(sorted, min, max);
  }
  return profile;
}

const ID_NAME = /(^|[^a-z])id$|^id([^a-z]|$)|(^|[^a-z])(key|code)$/i;
const CAMEL_ID = /[a-z]I[dD]$/;

/**
 * Distinct integers are an ID when they are a near-contiguous run (1…n with gaps) or the name says so;
 * money amounts and counts are often all distinct too, and they are features.
 */
function looksLikeIdNumbers(name: string, min: number, max: number, count: number): boolean {
  return max - min + 1 <= 10 * count || ID_NAME.test(name) || CAMEL_ID.test(name);
}

function isIdLike(distinct: number, present: number, rows: number): boolean {
  return rows >= ID_MIN_ROWS && present > 0 && distinct >= ID_SHARE * present;
}

/** Equal-width bins between min and max (one bin when every value is the same). */
export function histogram(values: Float64Array, min: number, max: number, bins = BINS): HistogramBin[] {
  if (values.length === 0) return [];
  if (min === max) return [{ x0: min, x1: max, count: values.length }];
  const width = (max - min) / bins;
  const counts = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const b = Math.min(bins - 1, Math.floor((v - min) / width));
    counts[b] = (counts[b] as number) + 1;
  }
  return Array.from(counts, (count, b) => ({
    x0: min + b * width,
    x1: b === bins - 1 ? max : min + (b + 1) * width,
    count,
  }));
}

function booleanTop(sorted: Float64Array): TopValue[] {
  let ones = 0;
  for (let i = 0; i < sorted.length; i++) if (sorted[i] !== 0) ones++;
  const top: TopValue[] = [
    { value: 'true', count: ones },
    { value: 'false', count: sorted.length - ones },
  ].filter((t) => t.count > 0);
  return top.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
}

function profileStrings(column: StringColumn, rows: number): ColumnProfile {
  const counts = new Int32Array(column.levels.length);
  let missing = 0;
  const codes = column.codes;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    if (code < 0) missing++;
    else counts[code] = (counts[code] as number) + 1;
  }
  let distinct = 0;
  for (let k = 0; k < counts.length; k++) if ((counts[k] as number) > 0) distinct++;
  const present = rows - missing;
  return {
    name: column.name,
    type: column.type,
    missing,
    distinct,
    topValues: topLevels(counts, column.levels, TOP),
    idLike: isIdLike(distinct, present, rows),
    constant: distinct <= 1,
  };
}

/** The most frequent levels, by count then by value. */
export function topLevels(counts: Int32Array, levels: readonly string[], limit: number): TopValue[] {
  const order: number[] = [];
  for (let k = 0; k < counts.length; k++) if ((counts[k] as number) > 0) order.push(k);
  order.sort((a, b) => (counts[b] as number) - (counts[a] as number) || compareStrings(levels[a] ?? '', levels[b] ?? ''));
  return order.slice(0, limit).map((k) => ({ value: levels[k] ?? '', count: counts[k] as number }));
}

/** Code-point order, the same in every locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
