// Copies decoded Arrow batches into a table's typed columns: block copies where the layouts agree, missing values from the validity bitmap.
import { DAY_MS } from './arrow-numbers.ts';

/** What the decoder reads of a flechette batch. */
export interface ArrowBatch {
  length: number;
  nullCount: number;
  values: ArrayLike<number>;
  validity?: Uint8Array;
  isValid(index: number): boolean;
  dictionary?: { toArray(): ArrayLike<string | null> };
  /** The batch's Arrow type: a decimal's scale, a date's unit. */
  type?: { typeId: number; scale?: number; unit?: number };
}

/** Arrow's type ids and date unit that stored numbers use besides float64 and ints (arrow-numbers.ts). */
const DECIMAL = 7;
const DATE = 8;
const DATE_DAY = 0;

/**
 * Copies a numeric batch's values into `out` at `at`, NaN where null: a block copy for float64; ints as they are;
 * a decimal's integers divided by 10^scale and a date32's days times a day's milliseconds (as Arrow readers do).
 */
export function fillNumbers(out: Float64Array, at: number, batch: ArrowBatch): void {
  const n = batch.length;
  const values = batch.values;
  const type = batch.type;
  if (values instanceof Float64Array) out.set(n === values.length ? values : values.subarray(0, n), at);
  else if (type?.typeId === DECIMAL) {
    const p = 10 ** (type.scale ?? 0);
    for (let i = 0; i < n; i++) out[at + i] = (values[i] as number) / p;
  } else if (type?.typeId === DATE && type.unit === DATE_DAY) {
    for (let i = 0; i < n; i++) out[at + i] = (values[i] as number) * DAY_MS;
  } else for (let i = 0; i < n; i++) out[at + i] = values[i] as number;
  if (!batch.nullCount) return;
  const validity = batch.validity;
  if (validity === undefined || validity.length === 0) {
    for (let i = 0; i < n; i++) if (!batch.isValid(i)) out[at + i] = NaN;
    return;
  }
  // Whole bytes of the bitmap at once: most are 0xff (eight valid rows).
  for (let byte = 0; byte << 3 < n; byte++) {
    const bits = validity[byte] as number;
    if (bits === 0xff) continue;
    const end = Math.min(n, (byte + 1) << 3);
    for (let i = byte << 3; i < end; i++) if (!((bits >> (i & 7)) & 1)) out[at + i] = NaN;
  }
}

/** Writes a dictionary batch's keys into `out` at `at` through `remap` (chunk key → level code), -1 where null. */
export function fillCodes(out: Int32Array, at: number, batch: ArrowBatch, remap: Int32Array): void {
  const n = batch.length;
  const keys = batch.values;
  if (!batch.nullCount) {
    for (let i = 0; i < n; i++) out[at + i] = remap[keys[i] as number] as number;
    return;
  }
  for (let i = 0; i < n; i++) out[at + i] = batch.isValid(i) ? (remap[keys[i] as number] as number) : -1;
}
