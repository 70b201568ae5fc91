// Quantile binning of the input columns to ≤ 255 uint8 bins (bin 255: missing), fitted on the training rows as scikit-learn's _BinMapper.
import { AppError } from '../../pipeline/errors.ts';
import { NumpyRandomState } from '../../pipeline/numpy-random.ts';
import { sortClasses } from '../../pipeline/transforms.ts';
import { BINNING_SUBSAMPLE, MISSING_BIN, type BinnedColumn, type GbdtColumn } from './types.ts';

/**
 * Upper bin edges of one numeric column's non-missing values (sorted ascending), as scikit-learn's
 * `_find_binning_thresholds`: with at most `maxBins` distinct values, the midpoints between neighbours;
 * otherwise numpy's `percentile(values, linspace(0, 100, maxBins + 1)[1:-1], method='midpoint')`
 * (repeated edges are kept: their bins stay empty).
 */
export function numericEdges(sorted: Float64Array, maxBins: number): Float64Array {
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBins) {
    const edges = new Float64Array(Math.max(0, distinct - 1));
    let previous = sorted[0]!;
    let k = 0;
    for (let i = 1; i < sorted.length; i++) {
      const value = sorted[i]!;
      if (value !== previous) {
        edges[k++] = (previous + value) * 0.5;
        previous = value;
      }
    }
    return edges;
  }
  const edges = new Float64Array(maxBins - 1);
  const n = sorted.length;
  const step = 100 / maxBins;
  for (let i = 1; i < maxBins; i++) {
    const position = ((i * step) / 100) * (n - 1);
    const low = Math.floor(position);
    const high = Math.ceil(position);
    edges[i - 1] = low === high ? sorted[low]! : (sorted[low]! + sorted[high]!) * 0.5;
  }
  return edges;
}

/** The bin of a numeric value: the number of edges below it (value ≤ edges[b] → b); NaN → MISSING_BIN. */
export function numericBin(edges: Float64Array, value: number): number {
  if (value !== value) return MISSING_BIN;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * `numericBin` of many values: a search of fixed depth over the edges padded to 255 with +∞, each step an
 * arithmetic select rather than a branch the processor would mispredict (numbers in random order).
 */
function binNumericInto(target: Uint8Array, edges: Float64Array, values: Float64Array, rows: Int32Array | null, name: string): void {
  const e = new Float64Array(255).fill(Infinity);
  e.set(edges);
  const n = target.length;
  let i = 0;
  // Four values searched together: their eight dependent steps overlap instead of waiting on one another.
  for (; i + 3 < n; i += 4) {
    const r0 = rows ? rows[i]! : i;
    const r1 = rows ? rows[i + 1]! : i + 1;
    const r2 = rows ? rows[i + 2]! : i + 2;
    const r3 = rows ? rows[i + 3]! : i + 3;
    const v0 = values[r0]!;
    const v1 = values[r1]!;
    const v2 = values[r2]!;
    const v3 = values[r3]!;
    // NaN compares false everywhere: its bin is overwritten below; an infinity is refused.
    if (v0 - v0 !== 0 || v1 - v1 !== 0 || v2 - v2 !== 0 || v3 - v3 !== 0) {
      for (let k = i; k < i + 4; k++) target[k] = binOne(e, values, rows ? rows[k]! : k, name);
      continue;
    }
    let b0 = 128 & -(v0 > e[127]!);
    let b1 = 128 & -(v1 > e[127]!);
    let b2 = 128 & -(v2 > e[127]!);
    let b3 = 128 & -(v3 > e[127]!);
    for (let step = 64; step >= 1; step >>= 1) {
      b0 += step & -(v0 > e[b0 + step - 1]!);
      b1 += step & -(v1 > e[b1 + step - 1]!);
      b2 += step & -(v2 > e[b2 + step - 1]!);
      b3 += step & -(v3 > e[b3 + step - 1]!);
    }
    target[i] = b0;
    target[i + 1] = b1;
    target[i + 2] = b2;
    target[i + 3] = b3;
  }
  for (; i < n; i++) target[i] = binOne(e, values, rows ? rows[i]! : i, name);
}

/** One value's bin over the padded edges `e` (MISSING_BIN for NaN); an infinity is refused naming the row. */
function binOne(e: Float64Array, values: Float64Array, row: number, name: string): number {
  const v = values[row]!;
  if (v !== v) return MISSING_BIN;
  if (v === Infinity || v === -Infinity) throw infiniteValue(name, row);
  let b = 128 & -(v > e[127]!);
  for (let step = 64; step >= 1; step >>= 1) b += step & -(v > e[b + step - 1]!);
  return b;
}

/** The error for an infinite number: the column and the row (1-based, as the file's records). */
function infiniteValue(name: string, row: number): AppError {
  return new AppError('bad-argument', `Column "${name}" has an infinite value in row ${row + 1}; trees need finite numbers or missing values (replace it, or drop the row)`, { column: name, row: row + 1 });
}

/** What the trees can never split on: a note naming the column. */
export function unusableNote(name: string, why: 'constant' | 'missing'): string {
  return why === 'constant' ? `Column "${name}" is constant; the trees never split on it` : `Column "${name}" is missing in every training row; the trees never split on it`;
}

/** Refuses an infinite value; says whether the column has no usable values, or one value and no missing ones. */
function checkNumeric(column: GbdtColumn & { kind: 'numeric' }, rows: Int32Array): 'constant' | 'missing' | null {
  const values = column.values;
  let seen = 0;
  let first = NaN;
  let varies = false;
  let missing = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const value = values[row]!;
    if (value !== value) {
      missing++;
      continue;
    }
    if (value === Infinity || value === -Infinity) throw infiniteValue(column.name, row);
    if (seen++ === 0) first = value;
    else if (value !== first) varies = true;
  }
  if (seen === 0) return 'missing';
  return !varies && missing === 0 ? 'constant' : null;
}

/**
 * Fits the bins of every column on `rows` (the training rows), drawing a seeded subsample for numeric edges. A
 * constant or all-missing column is kept (it gets one bin: the trees never split on it) and named in a note.
 */
export function fitBins(columns: GbdtColumn[], rows: Int32Array, maxBins: number, seed: number): { bins: BinnedColumn[]; notes: string[] } {
  if (!(Number.isInteger(maxBins) && maxBins >= 2 && maxBins <= 255)) {
    throw new AppError('bad-argument', `maxBins must be a whole number from 2 to 255, got ${maxBins}`);
  }
  const sample = rows.length > BINNING_SUBSAMPLE ? subsample(rows, seed) : rows;
  const notes: string[] = [];
  const bins = columns.map((column): BinnedColumn => {
    if (column.kind === 'numeric') {
      const unusable = checkNumeric(column, rows);
      if (unusable) notes.push(unusableNote(column.name, unusable));
      const values = new Float64Array(sample.length);
      let count = 0;
      for (let i = 0; i < sample.length; i++) {
        const value = column.values[sample[i]!]!;
        if (value === value) values[count++] = value;
      }
      return { name: column.name, kind: 'numeric', edges: numericEdges(values.subarray(0, count).sort(), maxBins) };
    }
    const { levels, capped, unusable } = categoryBins(column, rows, maxBins);
    if (unusable) notes.push(unusableNote(column.name, unusable));
    if (capped) {
      notes.push(`Column "${column.name}" has more than ${maxBins} levels: the ${levels.length} most frequent get a bin each, the rest share one bin, and levels first seen when scoring go there too`);
    }
    return { name: column.name, kind: 'categorical', levels, capped };
  });
  return { bins, notes };
}

/** scikit-learn's `rng.choice(n, 200000, replace=False)` of the rows, in row order. */
function subsample(rows: Int32Array, seed: number): Int32Array {
  const picked = new NumpyRandomState(seed).choiceWithoutReplacement(rows.length, BINNING_SUBSAMPLE);
  return Int32Array.from(picked, (i) => rows[i]!).sort();
}

/** The levels that get a bin, in sorted label order; past `maxBins` the `maxBins − 1` most frequent, the rest pooled. */
function categoryBins(column: GbdtColumn & { kind: 'categorical' }, rows: Int32Array, maxBins: number): { levels: string[]; capped: boolean; unusable: 'constant' | 'missing' | null } {
  const counts = new Float64Array(column.levels.length);
  let missing = 0;
  for (let i = 0; i < rows.length; i++) {
    const code = column.codes[rows[i]!]!;
    if (code < 0) missing++;
    else counts[code]!++;
  }
  const present: number[] = [];
  counts.forEach((count, code) => count > 0 && present.push(code));
  const unusable = present.length === 0 ? 'missing' : present.length === 1 && missing === 0 ? 'constant' : null;
  const names = (codes: number[]) => codes.map((code) => column.levels[code]!);
  if (present.length <= maxBins) return { levels: sortClasses(names(present)), capped: false, unusable };
  const rank = new Map(sortClasses(names(present)).map((level, i) => [level, i]));
  const byCount = present.sort((a, b) => counts[b]! - counts[a]! || rank.get(column.levels[a]!)! - rank.get(column.levels[b]!)!);
  return { levels: sortClasses(names(byCount.slice(0, maxBins - 1))), capped: true, unusable };
}

/** For each code of a categorical column's `levels`, its bin under `binned` (unseen: missing, or the pooled bin when capped). */
export function categoryBinOfCode(binned: BinnedColumn & { kind: 'categorical' }, levels: string[]): Uint8Array {
  const binOf = new Map(binned.levels.map((level, bin) => [level, bin]));
  const fallback = binned.capped ? binned.levels.length : MISSING_BIN;
  return Uint8Array.from(levels, (level) => binOf.get(level) ?? fallback);
}

/**
 * The bins of `rows` as one column-major uint8 matrix (column j at j·rows.length). The columns must be the
 * ones the bins were fitted on (same order); categorical ones are matched by level name, so another table works.
 */
export function binColumns(bins: BinnedColumn[], columns: GbdtColumn[], rows: Int32Array | null, rowCount?: number): Uint8Array {
  const n = rows ? rows.length : (rowCount ?? 0);
  const out = new Uint8Array(bins.length * n);
  bins.forEach((binned, j) => {
    const column = columns[j]!;
    if (column.name !== binned.name || column.kind !== binned.kind) {
      throw new AppError('bad-argument', `Column ${j + 1} must be the ${binned.kind} column "${binned.name}", got "${column.name}"`, { column: binned.name });
    }
    const target = out.subarray(j * n, (j + 1) * n);
    if (binned.kind === 'numeric' && column.kind === 'numeric') {
      binNumericInto(target, binned.edges, column.values, rows, column.name);
    } else if (binned.kind === 'categorical' && column.kind === 'categorical') {
      const binOfCode = categoryBinOfCode(binned, column.levels);
      const codes = column.codes;
      for (let i = 0; i < n; i++) {
        const code = codes[rows ? rows[i]! : i]!;
        target[i] = code < 0 ? MISSING_BIN : binOfCode[code]!;
      }
    }
  });
  return out;
}
