// Column profiles computed with typed-array loops: missing, distinct, summary stats, histograms, top values.
import { isStringColumn } from './table.ts';
import type { Column, ColumnProfile, DatasetProfile, HistogramBin, NumericColumn, StringColumn, TopValue } from './types.ts';

const BINS = 20;
const TOP = 10;
const ID_SHARE = 0.95;
const ID_MIN_ROWS = 20;

/** Profiles every column of a table. */
export function profileTable(table: { rowCount: number; columns: Column[] }): DatasetProfile {
  // One scratch array for every column's distinct count: fresh pages cost more than the count's own work.
  const scratch: Scratch = { values: null };
  return { rows: table.rowCount, columns: table.columns.map((column) => profileColumn(column, table.rowCount, scratch)) };
}

/** Room that countDistinct reuses from one column to the next. */
export interface Scratch {
  values: Float64Array | null;
}

/** Profiles one column. */
export function profileColumn(column: Column, rows: number, scratch?: Scratch): ColumnProfile {
  return isStringColumn(column) ? profileStrings(column, rows) : profileNumbers(column, rows, scratch);
}

function profileNumbers(column: NumericColumn, rows: number, scratch?: Scratch): ColumnProfile {
  const values = column.values;
  const n = values.length;
  // Pass 1: count, min, max, sum.
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const distinct = countDistinct(values, count, scratch);
  const profile: ColumnProfile = {
    name: column.name,
    type: column.type,
    missing: rows - count,
    distinct,
    idLike: column.type === 'integer' && isIdLike(distinct, count, rows) && looksLikeIdNumbers(column.name, min, max, count),
    constant: distinct <= 1,
  };
  if (count === 0) return profile;
  // Pass 2: the corrected two-pass variance (as accurate as Welford's update, which stays accurate for large
  // epoch-ms values, without its division per value) and the histogram.
  const guess = sum / count;
  let deviations = 0;
  let squares = 0;
  const bins = column.type === 'boolean' ? null : new Float64Array(min === max ? 1 : BINS);
  const width = (max - min) / BINS;
  if (bins && min !== max) {
    const last = BINS - 1;
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (v !== v) continue;
      const d = v - guess;
      deviations += d;
      squares += d * d;
      // (v - min) / width lies in [0, BINS]: truncation is Math.floor there.
      const b = ((v - min) / width) | 0;
      const k = b < last ? b : last;
      bins[k] = (bins[k] as number) + 1;
    }
  } else {
    if (bins) bins[0] = count;
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (v !== v) continue;
      const d = v - guess;
      deviations += d;
      squares += d * d;
    }
  }
  profile.min = min;
  profile.max = max;
  profile.mean = guess + deviations / count;
  profile.std = count > 1 ? Math.sqrt(Math.max(0, squares - (deviations * deviations) / count) / (count - 1)) : 0;
  if (bins) profile.histogram = binsOf(bins, min, max, width);
  else {
    let zeros = 0;
    for (let i = 0; i < n; i++) if ((values[i] as number) === 0) zeros++;
    profile.topValues = booleanTop(count - zeros, zeros);
  }
  return profile;
}

/** Scratch views that read a double's two 32-bit halves. */
const bits64 = new Float64Array(1);
const bits32 = new Uint32Array(bits64.buffer);

/**
 * Number of distinct non-missing values (NaN skipped; -0 and 0 are one value, as `===` says), counted in an
 * open-addressing hash set over the values' bits: linear time, where sorting a copy was n log n.
 * `present` is the number of non-missing values, used to size the set.
 */
export function countDistinct(values: Float64Array, present: number, scratch?: Scratch): number {
  if (present === 0) return 0;
  const small = countDistinctUpTo(values, present, SMALL_SET);
  if (small >= 0) return small;
  let moved = scratch?.values;
  if (!moved || moved.length < present) {
    moved = new Float64Array(present);
    if (scratch) scratch.values = moved;
  }
  return countDistinctPartitioned(values, moved);
}

/** Largest hash set filled in one piece (a few hundred kB: it stays in the cache). */
const SMALL_SET = 1 << 15;
/** Buckets of the partitioned count: a bucket's own set stays in the cache while it is filled. */
const BUCKET_BITS = 8;

/** The hash of a double's bits (-0 and 0 given as 0). */
function hashOf(v: number): number {
  bits64[0] = v;
  const h = Math.imul((bits32[0] as number) ^ Math.imul(bits32[1] as number, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}

/**
 * Many distinct values: a set of them all no longer fits in the cache and nearly every insert missed it. The
 * values are first moved into buckets by the top bits of their hash (equal values share a bucket), then each
 * bucket's distinct values are counted in a small set of its own: the same count, with cache-sized sets.
 */
function countDistinctPartitioned(values: Float64Array, moved: Float64Array): number {
  const n = values.length;
  const buckets = 1 << BUCKET_BITS;
  const shift = 32 - BUCKET_BITS;
  const starts = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    (starts[(hashOf(v + 0) >>> shift) + 1] as number)++;
  }
  for (let b = 0; b < buckets; b++) starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number);
  const fill = starts.slice(0, buckets);
  for (let i = 0; i < n; i++) {
    let v = values[i] as number;
    if (v !== v) continue;
    v += 0; // -0 → 0
    const b = hashOf(v) >>> shift;
    moved[fill[b] as number] = v;
    (fill[b] as number)++;
  }
  let largest = 0;
  for (let b = 0; b < buckets; b++) largest = Math.max(largest, (starts[b + 1] as number) - (starts[b] as number));
  let capacity = 16;
  while (capacity < largest * 2) capacity *= 2;
  const keys = new Float64Array(capacity);
  let distinct = 0;
  for (let b = 0; b < buckets; b++) {
    const from = starts[b] as number;
    const to = starts[b + 1] as number;
    if (from === to) continue;
    let size = 16;
    while (size < (to - from) * 2) size *= 2;
    const mask = size - 1;
    keys.fill(NaN, 0, size); // NaN marks an empty slot
    for (let i = from; i < to; i++) {
      const v = moved[i] as number;
      // Lower hash bits than the bucket's: the same within a bucket would put every value in a few slots.
      let slot = hashOf(v) & mask;
      for (;;) {
        const k = keys[slot] as number;
        if (k === v) break;
        if (k !== k) {
          keys[slot] = v;
          distinct++;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }
  return distinct;
}

/** The number of distinct values when it stays at most `limit` / 2, counted in one set; -1 when there are more. */
function countDistinctUpTo(values: Float64Array, present: number, limit: number): number {
  let capacity = 1024;
  let mask = capacity - 1;
  let keys = new Float64Array(capacity).fill(NaN); // NaN marks an empty slot: it is never inserted
  let size = 0;
  let seen = 0;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    let v = values[i] as number;
    if (v !== v) continue;
    seen++;
    v += 0; // -0 → 0
    bits64[0] = v;
    let h = Math.imul((bits32[0] as number) ^ Math.imul(bits32[1] as number, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    let slot = h & mask;
    for (;;) {
      const k = keys[slot] as number;
      if (k === v) break;
      if (k !== k) {
        keys[slot] = v;
        size++;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (size * 2 > capacity) {
      // Mostly new values so far: size for all of them at once instead of doubling again and again.
      const target = size * 4 > seen ? present * 2 : size * 4;
      let next = capacity * 2;
      while (next < target) next *= 2;
      if (next > limit) return -1;
      const old = keys;
      capacity = next;
      mask = capacity - 1;
      keys = new Float64Array(capacity).fill(NaN);
      for (let j = 0; j < old.length; j++) {
        const k = old[j] as number;
        if (k !== k) continue;
        bits64[0] = k;
        let g = Math.imul((bits32[0] as number) ^ Math.imul(bits32[1] as number, 0x9e3779b1), 0x85ebca6b);
        g ^= g >>> 15;
        let s = g & mask;
        while ((keys[s] as number) === (keys[s] as number)) s = (s + 1) & mask;
        keys[s] = k;
      }
    }
  }
  return size;
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
  return histogramOf(values, values.length, min, max, bins);
}

/** Like `histogram`, skipping NaN; `count` is the number of non-NaN values. */
function histogramOf(values: Float64Array, count: number, min: number, max: number, bins = BINS): HistogramBin[] {
  if (count === 0) return [];
  if (min === max) return [{ x0: min, x1: max, count }];
  const width = (max - min) / bins;
  const counts = new Float64Array(bins);
  const last = bins - 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    const b = ((v - min) / width) | 0; // in [0, bins]: truncation is Math.floor
    const k = b < last ? b : last;
    counts[k] = (counts[k] as number) + 1;
  }
  return binsOf(counts, min, max, width);
}

/** Bin counts as histogram bins (one bin from min to max when min equals max). */
function binsOf(counts: Float64Array, min: number, max: number, width: number): HistogramBin[] {
  if (min === max) return [{ x0: min, x1: max, count: counts[0] as number }];
  const last = counts.length - 1;
  return Array.from(counts, (count, b) => ({
    x0: min + b * width,
    x1: b === last ? max : min + (b + 1) * width,
    count,
  }));
}

function booleanTop(ones: number, zeros: number): TopValue[] {
  const top: TopValue[] = [
    { value: 'true', count: ones },
    { value: 'false', count: zeros },
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
