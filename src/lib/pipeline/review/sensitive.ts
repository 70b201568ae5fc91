// Sensitive columns of the review: the groups a column makes (categories, numbers cut at points, or quantile groups),
// and (sensitive-suggest.ts, re-exported here) the candidates the studio suggests from column names and values.
// Nothing here picks a column: a suggestion is shown, the person ticks it.
//
// Groups:
// - categories (no cuts, no quantiles): one group per value present in the reviewed rows, sorted as the app sorts
//   class labels (numerically when every value is a number, else by code point). A numeric column with more than
//   MAX_VALUE_GROUPS distinct values is refused: it wants cut points or quantile groups.
// - cut points c1 < … < ck: "≤ c1", "c1–c2", …, "> ck", each group holding its upper edge (pandas' `cut` with bins
//   [−∞, c1, …, ck, ∞], right=True). Every group is listed, an empty one too.
// - q quantile groups: pandas' `qcut(values, q, duplicates="drop")` on the reviewed rows: edges at pandas' quantiles
//   of the present values (linear interpolation), repeated edges merged, then cut as above (the lowest group holds
//   the smallest value).
// Missing values (NaN, a missing category) form their own group, "(missing)", listed last: whether the attribute is
// missing can matter as much as its value, and a row is never silently dropped from the breakdown.
//
// Refused, naming the column: no rows, every value missing, a single group of values (whatever the missing group
// holds: comparing present with missing says nothing about the attribute), both cuts and quantiles, cuts that are
// not finite and increasing, a quantile count outside 2–20, cuts on values that are not numbers.
import { AppError } from '../errors.ts';
import { numericValue } from '../features/columns.ts';
import { formatDate } from '../infer.ts';
import { isStringColumn, numericToString } from '../table.ts';
import { sortClasses } from '../transforms.ts';
import type { Column } from '../types.ts';
import type { SensitiveColumn } from './policy.ts';

export { nameWords, suggestSensitive, type SensitiveKind, type SensitiveSuggestion } from './sensitive-suggest.ts';

/** The name of the group of rows whose sensitive value is missing. */
export const MISSING_GROUP = '(missing)';
/** The most groups a numeric column makes by its distinct values; more want cut points or quantiles. */
export const MAX_VALUE_GROUPS = 20;
export const MIN_QUANTILES = 2;
export const MAX_QUANTILES = 20;

/** How a sensitive column is grouped: the policy's SensitiveColumn without its name (cuts or quantiles or neither). */
export type GroupSpec = Pick<SensitiveColumn, 'cuts' | 'quantiles'>;

export interface SensitiveGroups {
  column: string;
  kind: 'category' | 'cuts' | 'quantiles';
  /** Group names in order; the missing group, when there is one, last. */
  labels: string[];
  /** The group of each reviewed row (aligned with `rows`, or with the table's rows when none were given). */
  codes: Int32Array;
  /** Rows per group. */
  sizes: number[];
  /** Index of the "(missing)" group; −1 when no reviewed row is missing. */
  missingGroup: number;
  /** Cuts and quantiles: the cut points used (quantiles: the inner edges after merging repeats). */
  cuts?: number[];
}

function place(column: Column) {
  return { column: column.name };
}

function rowCountOf(column: Column): number {
  return isStringColumn(column) ? column.codes.length : column.values.length;
}

function checkRows(column: Column, rows: Int32Array): void {
  const n = rowCountOf(column);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    if (!(r >= 0 && r < n)) throw new AppError('bad-argument', `Row index ${r} is outside the ${n} rows of "${column.name}"`, place(column));
  }
}

/** A cut point or edge as a label shows it: dates as dates, numbers to 6 significant digits. */
function formatEdge(column: Column, value: number): string {
  if (!isStringColumn(column) && column.type === 'date') return formatDate(value);
  return String(Number(value.toPrecision(6)));
}

/** The labels of the groups cut points make: "≤ c1", "c1–c2", …, "> ck". */
export function cutLabels(cuts: readonly string[]): string[] {
  const labels = [`≤ ${cuts[0]}`];
  for (let k = 1; k < cuts.length; k++) labels.push(`${cuts[k - 1]}–${cuts[k]}`);
  labels.push(`> ${cuts[cuts.length - 1]}`);
  return labels;
}

/** The group of a value among increasing cut points: 0 for v ≤ c1, j for c_j < v ≤ c_{j+1}, k for v > ck. */
function cutIndex(cuts: Float64Array, v: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= (cuts[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** pandas 1.5's `algorithms.quantile` (used by `qcut`): index q·(m − 1), a + (b − a)·fraction. */
function pandasQuantile(sorted: Float64Array, q: number): number {
  const index = q * (sorted.length - 1);
  const below = Math.floor(index);
  const fraction = index % 1;
  if (fraction === 0) return sorted[below] as number;
  const a = sorted[below] as number;
  return a + ((sorted[below + 1] as number) - a) * fraction;
}

function finish(column: Column, kind: SensitiveGroups['kind'], labels: string[], codes: Int32Array, missing: number, cuts?: number[]): SensitiveGroups {
  const total = codes.length;
  const hasMissing = missing > 0;
  const missingGroup = hasMissing ? labels.length : -1;
  if (hasMissing) labels = [...labels, MISSING_GROUP];
  const sizes = new Array<number>(labels.length).fill(0);
  for (let i = 0; i < total; i++) {
    if ((codes[i] as number) < 0) codes[i] = missingGroup;
    sizes[codes[i] as number]!++;
  }
  if (missing === total) {
    throw new AppError('bad-argument', `The sensitive column "${column.name}" is missing in all ${total} rows reviewed; it cannot group them`, place(column));
  }
  const present = labels.filter((_, g) => g !== missingGroup && (sizes[g] as number) > 0);
  if (present.length < 2) {
    const only = present[0] ?? '';
    const what = kind === 'category' ? `one value (${only})` : `every value in one group (${only})`;
    const extra = hasMissing ? `, besides ${missing} missing` : '';
    throw new AppError('bad-argument', `The sensitive column "${column.name}" has ${what} in the ${total} rows reviewed${extra}; a comparison needs at least two groups`, place(column));
  }
  const groups: SensitiveGroups = { column: column.name, kind, labels, codes, sizes, missingGroup };
  if (cuts) groups.cuts = cuts;
  return groups;
}

function byCategory(column: Column, rows: Int32Array): SensitiveGroups {
  const codes = new Int32Array(rows.length);
  let missing = 0;
  if (isStringColumn(column)) {
    const used = new Int32Array(column.levels.length);
    for (let i = 0; i < rows.length; i++) {
      const c = column.codes[rows[i] as number] ?? -1;
      if (c < 0) missing++;
      else used[c] = 1;
    }
    const labels = sortClasses(column.levels.filter((_, c) => used[c]));
    const groupOf = new Map(labels.map((label, g) => [label, g]));
    const levelGroup = Int32Array.from(column.levels, (level, c) => (used[c] ? (groupOf.get(level) as number) : -1));
    for (let i = 0; i < rows.length; i++) {
      const c = column.codes[rows[i] as number] ?? -1;
      codes[i] = c < 0 ? -1 : (levelGroup[c] as number);
    }
    return finish(column, 'category', labels, codes, missing);
  }
  const distinct = new Set<number>();
  for (let i = 0; i < rows.length; i++) {
    const v = column.values[rows[i] as number] as number;
    if (v !== v) missing++;
    else {
      distinct.add(v);
      if (distinct.size > MAX_VALUE_GROUPS) {
        throw new AppError(
          'bad-argument',
          `The sensitive column "${column.name}" has more than ${MAX_VALUE_GROUPS} distinct numbers; give cut points (e.g. ${column.name}:25) or quantile groups`,
          place(column),
        );
      }
    }
  }
  const values = [...distinct].sort((a, b) => a - b);
  const groupOf = new Map(values.map((v, g) => [v, g]));
  for (let i = 0; i < rows.length; i++) {
    const v = column.values[rows[i] as number] as number;
    codes[i] = v !== v ? -1 : (groupOf.get(v) as number);
  }
  return finish(column, 'category', values.map((v) => numericToString(column, v)), codes, missing);
}

/** The present numbers of the reviewed rows (NaN for missing); refuses a text value that is not a number. */
function numbersOf(column: Column, rows: Int32Array): Float64Array {
  const value = numericValue(column);
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as number;
    const v = value(row);
    if (v !== v && isStringColumn(column) && (column.codes[row] ?? -1) >= 0) {
      const text = column.levels[column.codes[row] as number];
      throw new AppError('bad-argument', `The sensitive column "${column.name}" has the value "${text}" in row ${row + 1}, which is not a number, so it cannot be cut into ranges`, {
        column: column.name,
        row: row + 1,
      });
    }
    out[i] = v;
  }
  return out;
}

function byCuts(column: Column, rows: Int32Array, cuts: Float64Array, kind: 'cuts' | 'quantiles', values = numbersOf(column, rows)): SensitiveGroups {
  const codes = new Int32Array(rows.length);
  let missing = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = values[i] as number;
    if (v !== v) {
      missing++;
      codes[i] = -1;
    } else codes[i] = cutIndex(cuts, v);
  }
  const labels = cutLabels(Array.from(cuts, (c) => formatEdge(column, c)));
  return finish(column, kind, labels, codes, missing, Array.from(cuts));
}

function byQuantiles(column: Column, rows: Int32Array, q: number): SensitiveGroups {
  const values = numbersOf(column, rows);
  const sorted = values.filter((v) => v === v).sort();
  if (sorted.length === 0) return byCuts(column, rows, new Float64Array(0), 'quantiles', values);
  const step = 1 / q; // numpy's linspace(0, 1, q + 1): i · (1/q)
  const edges: number[] = [];
  for (let j = 0; j <= q; j++) {
    const e = pandasQuantile(sorted, j === q ? 1 : j * step);
    if (edges.length === 0 || e !== edges[edges.length - 1]) edges.push(e);
  }
  return byCuts(column, rows, Float64Array.from(edges.slice(1, -1)), 'quantiles', values);
}

/**
 * The groups of a sensitive column over the reviewed rows (all rows when `rows` is omitted): categories, cut points
 * or quantile groups, with missing values as their own group. See the file comment for the rules and refusals.
 */
export function groupsOf(column: Column, spec: GroupSpec = {}, rows?: Int32Array): SensitiveGroups {
  const reviewed = rows ?? Int32Array.from({ length: rowCountOf(column) }, (_, i) => i);
  if (rows) checkRows(column, rows);
  if (reviewed.length === 0) throw new AppError('bad-argument', `There are no rows to group by "${column.name}"`, place(column));
  if (spec.cuts !== undefined && spec.quantiles !== undefined) {
    throw new AppError('bad-argument', `The sensitive column "${column.name}" gives both cut points and quantile groups; choose one`, place(column));
  }
  if (spec.cuts !== undefined) {
    const cuts = spec.cuts;
    if (cuts.length === 0) throw new AppError('bad-argument', `The sensitive column "${column.name}" has an empty list of cut points`, place(column));
    cuts.forEach((c, k) => {
      if (!Number.isFinite(c)) throw new AppError('bad-argument', `Cut point ${String(c)} of "${column.name}" is not a finite number`, place(column));
      if (k > 0 && c <= (cuts[k - 1] as number)) throw new AppError('bad-argument', `The cut points of "${column.name}" must increase: ${cuts.join(', ')}`, place(column));
    });
    return byCuts(column, reviewed, Float64Array.from(cuts), 'cuts');
  }
  if (spec.quantiles !== undefined) {
    const q = spec.quantiles;
    if (!(Number.isInteger(q) && q >= MIN_QUANTILES && q <= MAX_QUANTILES)) {
      throw new AppError('bad-argument', `The number of quantile groups of "${column.name}" must be a whole number from ${MIN_QUANTILES} to ${MAX_QUANTILES}, got ${String(q)}`, place(column));
    }
    return byQuantiles(column, reviewed, q);
  }
  return byCategory(column, reviewed);
}
