// Applies the fitted kinds that feature sets add (everything but the automatic 'numeric' and 'onehot').
import { AppError } from '../errors.ts';
import { getColumn } from '../table.ts';
import type { DataTable, DatePart, FittedFeature } from '../types.ts';
import { dateValue, numericValue, stringCodes, type RowValue } from './columns.ts';
import { hashText } from './hash.ts';

const DAY_MS = 86_400_000;

/** Signed log1p that keeps negative values finite: sign(v)·log(1 + |v|). */
export function signedLog1p(v: number): number {
  return v < 0 ? -Math.log1p(-v) : Math.log1p(v);
}

/** One part of an epoch-ms date in UTC; dayOfWeek is 0 for Monday … 6 for Sunday. */
export function datePart(ms: number, part: DatePart, reference: number): number {
  if (ms !== ms) return NaN;
  if (part === 'daysSince') return (ms - reference) / DAY_MS;
  const date = new Date(ms);
  if (part === 'year') return date.getUTCFullYear();
  if (part === 'month') return date.getUTCMonth() + 1;
  if (part === 'hour') return date.getUTCHours();
  return (date.getUTCDay() + 6) % 7;
}

/** The value a single-output numeric kind computes from the raw columns, before imputation and scaling. */
export function derivedValue(table: DataTable, feature: FittedFeature): RowValue {
  const value = numericValue(getColumn(table, feature.column));
  switch (feature.kind) {
    case 'log1p':
      return (row) => signedLog1p(value(row));
    case 'clip': {
      const { lower, upper } = feature;
      return (row) => {
        const v = value(row);
        return v < lower ? lower : v > upper ? upper : v;
      };
    }
    case 'ratio':
    case 'difference': {
      const other = numericValue(getColumn(table, feature.column2));
      if (feature.kind === 'difference') return (row) => value(row) - other(row);
      return (row) => {
        const v = value(row) / other(row);
        return Number.isFinite(v) ? v : NaN;
      };
    }
    default:
      return value;
  }
}

/** The bucket of a value: the number of edges at or below it (edges ascending). */
export function bucketOf(v: number, edges: number[]): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((edges[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function writeStandardized(value: RowValue, f: { median: number; mean: number; std: number }, rows: Int32Array, out: Float32Array, width: number, offset: number): void {
  for (let i = 0; i < rows.length; i++) {
    const v = value(rows[i] as number);
    out[i * width + offset] = ((v === v ? v : f.median) - f.mean) / f.std;
  }
}

/**
 * Writes a fitted feature's columns for `rows` into the row-major matrix `out` (rows × width) at column
 * `offset` and returns how many columns it wrote. Missing values take the fitted median (its bucket, its
 * level index); unseen ordinal levels count as missing.
 */
export function applyFittedFeature(
  table: DataTable,
  feature: FittedFeature,
  rows: Int32Array,
  out: Float32Array,
  width: number,
  offset: number,
): number {
  switch (feature.kind) {
    case 'log1p':
    case 'clip':
    case 'ratio':
    case 'difference':
      writeStandardized(derivedValue(table, feature), feature, rows, out, width, offset);
      return 1;
    case 'minmax': {
      const value = numericValue(getColumn(table, feature.column));
      const span = feature.max - feature.min || 1;
      for (let i = 0; i < rows.length; i++) {
        const v = value(rows[i] as number);
        out[i * width + offset] = ((v === v ? v : feature.median) - feature.min) / span;
      }
      return 1;
    }
    case 'bucketize': {
      const value = numericValue(getColumn(table, feature.column));
      const fallback = bucketOf(feature.median, feature.edges);
      for (let i = 0; i < rows.length; i++) {
        const v = value(rows[i] as number);
        out[i * width + offset + (v === v ? bucketOf(v, feature.edges) : fallback)] = 1;
      }
      return feature.edges.length + 1;
    }
    case 'ordinal': {
      const view = stringCodes(getColumn(table, feature.column));
      const rank = new Map(feature.levels.map((level, k) => [level, k]));
      const cache: number[] = [];
      writeStandardized(
        (row) => {
          const code = view.code(row);
          if (code < 0) return NaN;
          let r = cache[code];
          if (r === undefined) cache[code] = r = rank.get(view.levels[code] ?? '') ?? NaN;
          return r;
        },
        feature,
        rows,
        out,
        width,
        offset,
      );
      return 1;
    }
    case 'dateparts': {
      const value = dateValue(getColumn(table, feature.column));
      feature.parts.forEach((part, p) => {
        const stats = feature.stats[p];
        if (!stats) throw new AppError('bad-bundle', `Feature "${feature.name}" has no statistics for date part ${part}`);
        writeStandardized((row) => datePart(value(row), part, feature.reference), stats, rows, out, width, offset + p);
      });
      return feature.parts.length;
    }
    case 'hash': {
      const view = stringCodes(getColumn(table, feature.column));
      for (let i = 0; i < rows.length; i++) {
        const code = view.code(rows[i] as number);
        if (code >= 0) hashText(view.levels[code] ?? '', feature, out, i * width + offset);
      }
      return feature.width;
    }
    default:
      throw new AppError('bad-bundle', `Unknown fitted feature kind "${(feature as { kind: string }).kind}"`);
  }
}
