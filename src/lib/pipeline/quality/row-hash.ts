// Finds repeated rows (or cells) in linear time: a 53-bit hash per row in an open-addressing table, with an exact check on every hash match.
import { isStringColumn } from '../table.ts';
import type { Column } from '../types.ts';

/** Scratch views that read a double's two 32-bit halves. */
const bits64 = new Float64Array(1);
const bits32 = new Uint32Array(bits64.buffer);

/**
 * For each row, the 0-based index of the first earlier row with the same values in all of `columns`, or -1.
 * Missing values equal each other (NaN = NaN, code -1 = -1); -0 equals 0. String columns compare by code, so
 * their levels must be distinct (as parsed tables' are). Rows whose keys match are compared exactly, so any
 * `keys` (tests pass colliding ones) give the same answer; the default is {@link rowKeys}.
 */
export function firstEqualRows(columns: readonly Column[], rowCount: number, keys: Float64Array = rowKeys(columns, rowCount)): Int32Array {
  return firstEqual(columns, null, rowCount, keys);
}

/**
 * {@link firstEqualRows} of the rows `rows` of the columns, in that order (as if they were gathered first): for
 * each position, the position of the first earlier equal row, or -1.
 */
export function firstEqualSelected(columns: readonly Column[], rows: Int32Array): Int32Array {
  return firstEqual(columns, rows, rows.length, rowKeys(columns, rows.length, rows));
}

function firstEqual(columns: readonly Column[], rows: Int32Array | null, rowCount: number, keys: Float64Array): Int32Array {
  const first = new Int32Array(rowCount).fill(-1);
  let capacity = 16;
  while (capacity < rowCount * 2) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Float64Array(capacity).fill(-1); // -1 marks an empty slot: keys are ≥ 0
  const heads = new Int32Array(capacity);
  for (let i = 0; i < rowCount; i++) {
    const key = keys[i] as number;
    // The key's low 32 bits, mixed once more, pick the first slot.
    let slot = (Math.imul((key % 4294967296) ^ (key / 4294967296), 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const k = slots[slot] as number;
      if (k === -1) {
        slots[slot] = key;
        heads[slot] = i;
        break;
      }
      if (k === key) {
        const head = heads[slot] as number;
        if (rows ? rowsEqual(columns, rows[head] as number, rows[i] as number) : rowsEqual(columns, head, i)) {
          first[i] = head;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
  }
  return first;
}

/** A 53-bit hash of each row's values in `columns` (32 bits of one lane and 21 of another): an exact integer; of the rows `rows` when given. */
export function rowKeys(columns: readonly Column[], rowCount: number, rows: Int32Array | null = null): Float64Array {
  const h1 = new Uint32Array(rowCount).fill(0x811c9dc5);
  const h2 = new Uint32Array(rowCount).fill(0x9747b28c);
  for (const column of columns) hashColumn(column, h1, h2, rows);
  const keys = new Float64Array(rowCount);
  for (let i = 0; i < rowCount; i++) keys[i] = (h1[i] as number) * 2097152 + ((h2[i] as number) >>> 11);
  return keys;
}

/** Mixes one column's cells (of rows `rows`, or every row) into both hash lanes of every row. */
function hashColumn(column: Column, h1: Uint32Array, h2: Uint32Array, rows: Int32Array | null): void {
  const n = h1.length;
  if (isStringColumn(column)) {
    const codes = rows ? gatherCodes(column.codes, rows) : column.codes;
    for (let i = 0; i < n; i++) {
      const c = codes[i] as number;
      h1[i] = mix(h1[i] as number, c, 0x85ebca6b);
      h2[i] = mix(h2[i] as number, c ^ 0x5bd1e995, 0xc2b2ae35);
    }
    return;
  }
  const values = rows ? gatherValues(column.values, rows) : column.values;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    bits64[0] = v !== v ? NaN : v + 0; // one NaN, and -0 → 0
    const lo = bits32[0] as number;
    const hi = bits32[1] as number;
    h1[i] = mix(mix(h1[i] as number, lo, 0x85ebca6b), hi, 0x27d4eb2f);
    h2[i] = mix(mix(h2[i] as number, hi, 0xc2b2ae35), lo, 0x165667b1);
  }
}

function gatherCodes(codes: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = codes[rows[i] as number] as number;
  return out;
}

function gatherValues(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i] as number] as number;
  return out;
}

/** One murmur-style mixing step of a 32-bit lane. */
function mix(h: number, word: number, multiplier: number): number {
  let k = Math.imul(word, multiplier);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** True when rows a and b hold the same values in every column (NaN equals NaN). */
export function rowsEqual(columns: readonly Column[], a: number, b: number): boolean {
  for (const column of columns) {
    if (isStringColumn(column)) {
      if (column.codes[a] !== column.codes[b]) return false;
    } else {
      const x = column.values[a] as number;
      const y = column.values[b] as number;
      if (x !== y && (x === x || y === y)) return false;
    }
  }
  return true;
}
