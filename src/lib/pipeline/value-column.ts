// Builds typed columns from JavaScript values decoded from binary formats (Parquet, Arrow): numbers, BigInts,
// booleans, Dates and strings, written at row offsets; 64-bit integers beyond 2^53 fall back to text.
import { categoryLimit, jsonValueToRaw } from './infer.ts';
import type { Column } from './types.ts';

/** How a column's values are stored: `int64` is an integer that may arrive as BigInt. */
export type ValueKind = 'integer' | 'int64' | 'number' | 'boolean' | 'date' | 'string';

const MAX_EXACT = 2n ** 53n;

function toJsonText(value: unknown): string {
  if (value instanceof Uint8Array) return Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('');
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value !== null && typeof value === 'object') {
    return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return jsonValueToRaw(value);
}

/** A column filled by row offset from arrays of decoded values. */
export class ValueColumnBuilder {
  readonly name: string;
  readonly rows: number;
  kind: ValueKind;
  /** True once a 64-bit integer beyond ±2^53 made the column text. */
  overflowed = false;
  #values: Float64Array | null;
  #codes: Int32Array | null = null;
  #levels: string[] = [];
  #index = new Map<string, number>();

  constructor(name: string, kind: ValueKind, rows: number) {
    this.name = name;
    this.kind = kind;
    this.rows = rows;
    this.#values = kind === 'string' ? null : new Float64Array(rows).fill(NaN);
    if (kind === 'string') this.#codes = new Int32Array(rows).fill(-1);
  }

  #code(text: string): number {
    let code = this.#index.get(text);
    if (code === undefined) {
      code = this.#levels.length;
      this.#levels.push(text);
      this.#index.set(text, code);
    }
    return code;
  }

  /** Turns the numbers written so far into text (exact: they are integers within ±2^53). */
  #becomeText(): void {
    const values = this.#values as Float64Array;
    const codes = new Int32Array(this.rows).fill(-1);
    for (let r = 0; r < this.rows; r++) {
      const v = values[r] as number;
      if (v === v) codes[r] = this.#code(String(v));
    }
    this.#values = null;
    this.#codes = codes;
    this.kind = 'string';
    this.overflowed = true;
  }

  /** Writes `data` at rows offset, offset + 1, …; null and undefined are missing. */
  write(offset: number, data: ArrayLike<unknown>): void {
    const end = Math.min(this.rows, offset + data.length);
    const values = this.#values;
    if (values && ArrayBuffer.isView(data) && !(data instanceof BigInt64Array || data instanceof BigUint64Array)) {
      values.set((data as Float64Array).subarray(0, end - offset), offset);
      return;
    }
    for (let r = offset; r < end; r++) {
      const value = data[r - offset];
      if (value === null || value === undefined) continue;
      if (this.#values && typeof value === 'bigint') {
        if (value > MAX_EXACT || value < -MAX_EXACT) this.#becomeText();
        else {
          this.#values[r] = Number(value);
          continue;
        }
      }
      if (this.#values) {
        this.#values[r] =
          typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : value instanceof Date ? value.getTime() : NaN;
      } else (this.#codes as Int32Array)[r] = this.#code(toJsonText(value));
    }
  }

  /** The finished column: strings become category or text by their number of distinct values. */
  finish(): Column {
    if (this.#codes) {
      const type = this.#levels.length <= categoryLimit(this.rows) ? 'category' : 'text';
      return { name: this.name, type, codes: this.#codes, levels: this.#levels };
    }
    const type = this.kind === 'int64' ? 'integer' : (this.kind as 'integer' | 'number' | 'boolean' | 'date');
    return { name: this.name, type, values: this.#values as Float64Array };
  }
}
