// A numeric column's rows as an Arrow batch of the narrowest type that gives back every value exactly: int8/16/32
// for whole numbers, date32 (days) for dates at midnight, decimal32 for short decimals, else float64.
import { batchType, dateDay, decimal32, float64, int16, int32, int8, type Batch, type DataType } from '@uwdata/flechette';
import { zeroed, type EncodeScratch } from './encode-scratch.ts';
import type { NumericColumn } from './types.ts';

/** Length of a typed array of `length` elements padded to 64 bits, as flechette's builders pad their buffers. */
export function padded(length: number, bytesPerElement: number): number {
  return ((length * bytesPerElement + 7) & ~7) / bytesPerElement;
}

export const NO_VALIDITY = new Uint8Array(0);

/** Milliseconds in a day: a date32's unit. */
export const DAY_MS = 86_400_000;
const INT32_MAX = 2_147_483_647;
/** Most decimal places stored as a decimal32 (its precision is 9 digits). */
const MAX_SCALE = 9;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** How a batch's values are stored: the Arrow type, and the integer written for a value. */
type Plan =
  | { kind: 'float64' }
  | { kind: 'int'; bits: 8 | 16 | 32 }
  | { kind: 'day' }
  | { kind: 'decimal'; scale: number };

/**
 * The narrowest exact plan for rows [start, end) of a column, in one pass: whole numbers in an int range; for a date
 * column, whole days; else the fewest decimal places s (≤ 9) with Math.round(v·10^s)/10^s === v for every value
 * (what the decoder computes, so the check is the round trip itself) and |v|·10^s within int32. A -0 keeps float64.
 */
function planOf(values: Float64Array, start: number, end: number, isDate: boolean): { plan: Plan; nullCount: number } {
  let nullCount = 0;
  let min = Infinity;
  let max = -Infinity;
  let scale = 0;
  let exact = true;
  for (let r = start; r < end; r++) {
    const v = values[r] as number;
    if (v !== v) {
      nullCount++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    if (!exact) continue;
    if (v === 0) {
      if (1 / v < 0) exact = false;
      continue;
    }
    if (isDate) {
      if (v % DAY_MS !== 0) exact = false;
      continue;
    }
    let p = POW10[scale] as number;
    while (Math.round(v * p) / p !== v) {
      if (++scale > MAX_SCALE) {
        exact = false;
        break;
      }
      p = POW10[scale] as number;
    }
  }
  if (!exact) return { plan: { kind: 'float64' }, nullCount };
  if (min > max) return { plan: { kind: 'int', bits: 8 }, nullCount };
  if (isDate) {
    const fits = Math.max(-min, max) / DAY_MS <= INT32_MAX;
    return { plan: fits ? { kind: 'day' } : { kind: 'float64' }, nullCount };
  }
  const bound = Math.max(-min, max) * (POW10[scale] as number);
  if (bound > INT32_MAX) return { plan: { kind: 'float64' }, nullCount };
  if (scale > 0) return { plan: { kind: 'decimal', scale }, nullCount };
  const bits = min >= -128 && max <= 127 ? 8 : min >= -32768 && max <= 32767 ? 16 : 32;
  return { plan: { kind: 'int', bits }, nullCount };
}

/** A zeroed int8, int16 or int32 array of `n` elements padded to 64 bits (from `scratch` when given). */
export function intArray(bits: 8 | 16 | 32, n: number, scratch?: EncodeScratch): Int8Array | Int16Array | Int32Array {
  return bits === 8 ? zeroed(Int8Array, padded(n, 1), scratch) : bits === 16 ? zeroed(Int16Array, padded(n, 2), scratch) : zeroed(Int32Array, padded(n, 4), scratch);
}

/** A validity bitmap of rows [start, end): bit k set when row start + k holds a value. */
function validityOf(values: Float64Array, start: number, end: number, scratch?: EncodeScratch): Uint8Array {
  const n = end - start;
  const validity = zeroed(Uint8Array, padded((n - 1 >> 3) + 1, 1), scratch);
  for (let r = start; r < end; r++) {
    const v = values[r] as number;
    if (v === v) {
      const k = r - start;
      (validity[k >> 3] as number) |= 1 << (k & 7);
    }
  }
  return validity;
}

function arrowType(plan: Plan): DataType {
  switch (plan.kind) {
    case 'float64':
      return float64();
    case 'day':
      return dateDay();
    case 'decimal':
      return decimal32(9, plan.scale);
    default:
      return plan.bits === 8 ? int8() : plan.bits === 16 ? int16() : int32();
  }
}

/**
 * Rows [start, end) of a numeric column as an Arrow batch (see planOf), with a validity bitmap when a row is
 * missing (the value under it is 0). A float64 batch without a missing row is a view of the column; other arrays
 * are made in `scratch` when given.
 */
export function numericBatch(column: NumericColumn, start: number, end: number, scratch?: EncodeScratch): Batch<number> {
  const values = column.values;
  const n = end - start;
  const { plan, nullCount } = planOf(values, start, end, column.type === 'date');
  const type = arrowType(plan);
  const BatchType = batchType(type);
  const validity = nullCount ? validityOf(values, start, end, scratch) : NO_VALIDITY;
  let out: Float64Array | Int32Array | Int16Array | Int8Array;
  if (plan.kind === 'float64') {
    if (!nullCount) return new BatchType({ length: n, nullCount, type, validity, values: values.subarray(start, end) });
    out = zeroed(Float64Array, padded(n, 8), scratch);
    for (let r = start; r < end; r++) {
      const v = values[r] as number;
      if (v === v) out[r - start] = v;
    }
  } else if (plan.kind === 'int') {
    out = intArray(plan.bits, n, scratch);
    // NaN becomes 0 in an integer array, as the missing rows' values must be.
    for (let r = start; r < end; r++) out[r - start] = values[r] as number;
  } else {
    out = intArray(32, n, scratch);
    if (plan.kind === 'day') for (let r = start; r < end; r++) out[r - start] = (values[r] as number) / DAY_MS;
    else {
      const p = POW10[plan.scale] as number;
      for (let r = start; r < end; r++) out[r - start] = Math.round((values[r] as number) * p);
    }
  }
  return new BatchType({ length: n, nullCount, type, validity, values: out });
}
