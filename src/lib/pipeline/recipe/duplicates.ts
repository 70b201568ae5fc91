// The drop-duplicates step's row test: which rows repeat an earlier row, by a 32-bit hash per row read straight from the columns' arrays, with an exact check on every hash match.
import { isStringColumn } from '../table.ts';
import { rowsEqual } from '../quality/row-hash.ts';
import type { Column } from '../types.ts';

/** The high word of the one NaN every NaN hashes as. */
const NAN_HIGH = 0x7ff80000;

/**
 * 1 for each row that does not repeat an earlier row in all of `columns`, 0 for a repeat: of the rows `rows`
 * in that order (as if they were gathered first), or of rows 0…count-1. Missing values equal each other
 * (NaN = NaN, code -1 = -1) and -0 equals 0, as firstEqualRows (quality/row-hash.ts) decides; string columns
 * compare by code, so their levels must be distinct (as parsed tables' are).
 */
export function firstOccurrences(columns: readonly Column[], rows: Int32Array | null, count: number): Uint8Array {
  const hashes = rowHashes(columns, rows, count);
  const keep = new Uint8Array(count);
  let capacity = 16;
  while (capacity < count * 2) capacity *= 2;
  const mask = capacity - 1;
  // Per slot: 1 + the position of the first row of a hash there (0: empty); its hash is read from `hashes`.
  // (No array of slot hashes: fresh memory costs its page faults, more than the reads it would save.)
  const heads = new Int32Array(capacity);
  for (let i = 0; i < count; i++) {
    const h = hashes[i] as number;
    let slot = h & mask;
    for (;;) {
      const head = heads[slot] as number;
      if (head === 0) {
        heads[slot] = i + 1;
        keep[i] = 1;
        break;
      }
      const a = head - 1;
      if (hashes[a] === h && (rows ? rowsEqual(columns, rows[a] as number, rows[i] as number) : rowsEqual(columns, a, i))) break;
      slot = (slot + 1) & mask;
    }
  }
  return keep;
}

/** A 32-bit hash of each row's cells in `columns` (of the rows `rows` when given), mixed so that its low bits pick a slot. */
export function rowHashes(columns: readonly Column[], rows: Int32Array | null, count: number): Int32Array {
  const h = new Int32Array(count).fill(0x811c9dc5);
  for (const column of columns) {
    if (isStringColumn(column)) hashCodes(column.codes, rows, h);
    else hashDoubles(column.values, rows, h);
  }
  for (let i = 0; i < count; i++) {
    // murmur3's finalizer: every input bit reaches the low bits.
    let x = h[i] as number;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    h[i] = x ^ (x >>> 16);
  }
  return h;
}

/** One step of a multiply-rotate hash: the word mixed into the lane. */
function step(h: number, word: number): number {
  const k = Math.imul(word, 0xcc9e2d51);
  h ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

function hashCodes(codes: Int32Array, rows: Int32Array | null, h: Int32Array): void {
  const n = h.length;
  if (rows) for (let i = 0; i < n; i++) h[i] = step(h[i] as number, codes[rows[i] as number] as number);
  else for (let i = 0; i < n; i++) h[i] = step(h[i] as number, codes[i] as number);
}

/** Mixes both 32-bit words of each double (read as words, no scratch), NaN and -0 made one value first. */
function hashDoubles(values: Float64Array, rows: Int32Array | null, h: Int32Array): void {
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  const n = h.length;
  for (let i = 0; i < n; i++) {
    const r = rows ? (rows[i] as number) : i;
    const v = values[r] as number;
    let lo = 0;
    let hi = 0;
    if (v !== v) hi = NAN_HIGH;
    else if (v !== 0) {
      lo = words[2 * r] as number;
      hi = words[2 * r + 1] as number;
    }
    h[i] = step(step(h[i] as number, lo), hi);
  }
}
