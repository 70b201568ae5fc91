// Growable column builders for the CSV parser: a numeric fast path that reads digits in place and can turn
// itself into text without losing how a value was written, and a dictionary-coded string builder.
import { ColumnCollector, MISSING_TOKENS, parseDecimalComma, parseNumber, trimmed } from './infer.ts';
import type { Column, ColumnType } from './types.ts';

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const INTEGER_RE = /^[+-]?\d+$/;
const DOT = 46;
/** Size past which a string column's range table is dropped (so many distinct values that slicing costs the same). */
const MAX_RANGE_SLOTS = 1 << 18;
/** Length of the longest missing token, and the first characters of the non-empty ones. */
const MISSING_MAX_LENGTH = Math.max(...[...MISSING_TOKENS].map((token) => token.length));
const MISSING_FIRST = new Uint8Array(65536);
for (const token of MISSING_TOKENS) if (token !== '') MISSING_FIRST[token.charCodeAt(0)] = 1;

/** Receives the cells of one column, either as a slice of the source text or as a string. */
export interface ColumnSink {
  /** Takes the cell text[start, end); false means the column is not numeric after all. */
  pushRange(text: string, start: number, end: number): boolean;
  /** Takes a cell as a string (quoted fields); false means the column is not numeric after all. */
  pushString(value: string): boolean;
  /** Drops the cells from row `length` on (to undo a record cut off at the end of a chunk). */
  truncate(length: number): void;
  /** Builds the column; `type` and `dateFormat` force what inference would decide. */
  finish(type?: ColumnType, dateFormat?: string): Column;
}

/**
 * A column builder's cells as plain data (what a Worker can send): a numeric builder's values with how each was
 * written when String() does not give it back, or a text builder's codes and levels.
 */
export type SinkState =
  | {
      kind: 'numeric';
      name: string;
      values: Float64Array;
      present: number;
      integer: boolean;
      decimals: Uint8Array | null;
      raw: Map<number, string>;
      /** The decimal separator's character code (46 '.', 44 ','); absent: '.'. */
      point?: number;
    }
  | { kind: 'text'; name: string; codes: Int32Array; levels: string[] };

/** The builder's cells as plain data (views of its arrays: build nothing with it afterwards; joinSinks may write past them). */
export function sinkState(sink: ColumnSink): SinkState {
  return (sink as NumericSink | StringSink).state();
}

/**
 * One builder holding the cells of `first` then those of `second` (two parts of one file, in order), exactly
 * as if one builder had taken them all: numeric while both are, else text with the levels in order of first
 * appearance (a numeric part turns into text from the text it was written as, as a column does mid-file).
 */
export function joinSinks(first: SinkState, second: SinkState): ColumnSink {
  if (first.kind === 'numeric' && second.kind === 'numeric') return NumericSink.join(first, second);
  const a = first.kind === 'text' ? first : NumericSink.fromState(first).toText().state();
  const b = second.kind === 'text' ? second : NumericSink.fromState(second).toText().state();
  return StringSink.join(a, b);
}

/**
 * `first` lengthened to `length` cells: in place when its buffer has room past it (a builder's spare capacity,
 * whose cells past `first` are overwritten by the caller), else a copy.
 */
function lengthen<T extends Float64Array | Int32Array | Uint8Array>(first: T, length: number, make: (n: number) => T): T {
  const buffer = first.buffer as ArrayBuffer;
  if (buffer.byteLength - first.byteOffset >= length * first.BYTES_PER_ELEMENT) {
    return new (first.constructor as new (b: ArrayBuffer, offset: number, n: number) => T)(buffer, first.byteOffset, length);
  }
  const out = make(length);
  out.set(first);
  return out;
}

type TextState = Extract<SinkState, { kind: 'text' }>;
type NumericState = Extract<SinkState, { kind: 'numeric' }>;

/** Grows a typed array by half (never less than needed), keeping its contents. */
function grow<T extends Float64Array | Uint8Array>(array: T, make: (n: number) => T): T {
  const grown = make(Math.max(16, Math.ceil(array.length * 1.5)));
  grown.set(array);
  return grown;
}

/**
 * Accepts numbers and missing tokens. Values whose text is not what `String(value)` prints are remembered
 * (fixed decimals such as "1.50" in one byte per row, anything else as its text), so that a column that
 * turns out to hold text is rebuilt from exactly the text in the file.
 */
export class NumericSink implements ColumnSink {
  readonly name: string;
  /** The decimal separator's character code: 46 '.' or 44 ','. (A plain field: it is read on the hot path.) */
  readonly point: number;
  values: Float64Array;
  length = 0;
  present = 0;
  integer = true;
  /** Per row: 0, or 1 + the number of decimals to print the value with (`toFixed`). */
  #decimals: Uint8Array | null = null;
  /** Per row: the text as written, when neither String() nor toFixed() gives it back. */
  readonly #raw = new Map<number, string>();

  constructor(name: string, capacity: number, decimal: '.' | ',' = '.') {
    this.name = name;
    this.point = decimal.charCodeAt(0);
    this.values = new Float64Array(Math.max(16, capacity));
  }

  #push(value: number): void {
    if (this.length === this.values.length) {
      this.values = grow(this.values, (n) => new Float64Array(n));
      if (this.#decimals) this.#decimals = grow(this.#decimals, (n) => new Uint8Array(n));
    }
    this.values[this.length++] = value;
  }

  #fixed(row: number, decimals: number): void {
    if (!this.#decimals) this.#decimals = new Uint8Array(this.values.length);
    this.#decimals[row] = decimals + 1;
  }

  pushRange(text: string, start: number, end: number): boolean {
    if (start === end) {
      this.#push(NaN);
      return true;
    }
    let i = start;
    let c = text.charCodeAt(i);
    const negative = c === 45;
    const plus = c === 43;
    if (negative || plus) i++;
    const intStart = i;
    let mantissa = 0;
    // Integer digits, then at most one dot and fraction digits; anything else ends the fast path.
    while (i < end && (c = text.charCodeAt(i) - 48) >= 0 && c <= 9) {
      mantissa = mantissa * 10 + c;
      i++;
    }
    const intDigits = i - intStart;
    let dotAt = -1;
    let fraction = 0;
    if (i < end && text.charCodeAt(i) === this.point) {
      dotAt = i++;
      while (i < end && (c = text.charCodeAt(i) - 48) >= 0 && c <= 9) {
        mantissa = mantissa * 10 + c;
        i++;
      }
      fraction = i - dotAt - 1;
    }
    const digits = intDigits + fraction;
    if (i !== end || digits === 0 || digits > 15) return this.pushString(text.slice(start, end));
    // Both operands are exact doubles, so the division is correctly rounded, like Number(text).
    const magnitude = fraction ? mantissa / (POW10[fraction] as number) : mantissa;
    const row = this.length;
    const plain = !plus && intDigits > 0 && !(intDigits > 1 && text.charCodeAt(intStart) === 48) && !(negative && magnitude === 0);
    if (dotAt >= 0) {
      this.integer = false;
      if (!plain || fraction === 0) this.#raw.set(row, text.slice(start, end));
      else if (text.charCodeAt(end - 1) === 48 || magnitude < 1e-6) {
        this.pushFixed(negative ? -magnitude : magnitude, fraction);
        return true;
      }
    } else if (!plain) this.#raw.set(row, text.slice(start, end));
    this.present++;
    this.#push(negative ? -magnitude : magnitude);
    return true;
  }

  /** A number the parser read in place whose text is what String() prints (`whole`: written without a point). */
  pushPlain(value: number, whole: boolean): void {
    if (!whole) this.integer = false;
    this.present++;
    if (this.length === this.values.length) this.#push(value);
    else this.values[this.length++] = value;
  }

  /** A number read with `decimals` places that String() does not print back ("1.50"); kept after the push, which grows the arrays. */
  pushFixed(value: number, decimals: number): void {
    this.pushPlain(value, false);
    this.#fixed(this.length - 1, decimals);
  }

  pushString(value: string): boolean {
    if (MISSING_TOKENS.has(value)) {
      this.#push(NaN);
      return true;
    }
    const number = this.point === DOT ? parseNumber(value) : parseDecimalComma(value);
    if (Number.isNaN(number)) return false;
    if (this.integer && !(INTEGER_RE.test(value.trim()) && Number.isSafeInteger(number))) this.integer = false;
    if (String(number) !== value) this.#raw.set(this.length, value);
    this.present++;
    this.#push(number);
    return true;
  }

  truncate(length: number): void {
    for (let r = length; r < this.length; r++) {
      if (!Number.isNaN(this.values[r])) this.present--;
      this.#raw.delete(r);
      if (this.#decimals) this.#decimals[r] = 0;
    }
    this.length = Math.min(this.length, length);
  }

  state(): NumericState {
    const n = this.length;
    const { name, present, integer, point } = this;
    const decimals = this.#decimals?.subarray(0, n) ?? null;
    return { kind: 'numeric', name, values: this.values.subarray(0, n), present, integer, decimals, raw: this.#raw, point };
  }

  static fromState(state: NumericState): NumericSink {
    const sink = new NumericSink(state.name, 0, state.point === 44 ? ',' : '.');
    sink.values = state.values;
    sink.length = state.values.length;
    sink.present = state.present;
    sink.integer = state.integer;
    sink.#decimals = state.decimals;
    for (const [row, text] of state.raw) sink.#raw.set(row, text);
    return sink;
  }

  /** The cells of `a` then `b`. */
  static join(a: NumericState, b: NumericState): NumericSink {
    const offset = a.values.length;
    const values = lengthen(a.values, offset + b.values.length, (n) => new Float64Array(n));
    values.set(b.values, offset);
    let decimals: Uint8Array | null = null;
    if (a.decimals || b.decimals) {
      decimals = a.decimals ? lengthen(a.decimals, values.length, (n) => new Uint8Array(n)) : new Uint8Array(values.length);
      if (b.decimals) decimals.set(b.decimals, offset);
      else decimals.fill(0, offset);
    }
    const raw = new Map(a.raw);
    for (const [row, text] of b.raw) raw.set(offset + row, text);
    const point = a.point ?? DOT;
    return NumericSink.fromState({ kind: 'numeric', name: a.name, values, present: a.present + b.present, integer: a.integer && b.integer, decimals, raw, point });
  }

  /** The same cells as a string builder, each as the text it was written as. */
  toText(): StringSink {
    const sink = new StringSink(this.name, this.values.length);
    for (let r = 0; r < this.length; r++) {
      const value = this.values[r] as number;
      const raw = this.#raw.get(r);
      const decimals = this.#decimals?.[r] ?? 0;
      const shown = raw ?? (Number.isNaN(value) ? '' : decimals ? value.toFixed(decimals - 1) : String(value));
      // A decimal comma was read where String() prints a point.
      sink.pushString(raw === undefined && this.point !== DOT ? shown.replace('.', ',') : shown);
    }
    return sink;
  }

  /** Builds the column; only 'category' and 'text' are forced here (other casts are checked by type-overrides). */
  finish(type?: ColumnType): Column {
    if (type === 'category' || type === 'text') return this.toText().finish(type);
    if (this.present === 0) return { name: this.name, type: 'category', codes: new Int32Array(this.length).fill(-1), levels: [] };
    return { name: this.name, type: this.integer ? 'integer' : 'number', values: trimmed(this.values, this.length) };
  }
}

/** Collects any text as dictionary codes; the column type is inferred from its distinct values at the end. */
export class StringSink implements ColumnSink {
  readonly #collector: ColumnCollector;
  /** Open-addressing table of level code + 1 by the hash of its characters (0: empty); null once dropped. */
  #slots: Int32Array | null = new Int32Array(256);
  /** The hash of each slot's level, checked before its characters are. */
  #hashes = new Int32Array(256);
  #used = 0;

  constructor(name: string, capacity: number) {
    this.#collector = new ColumnCollector(name, capacity);
  }

  pushRange(text: string, start: number, end: number): boolean {
    const length = end - start;
    // Only a short cell whose first character starts some missing token can be one: the rest skip the lookup.
    if (length === 0) {
      this.#collector.pushCode(-1);
      return true;
    }
    if (length <= MISSING_MAX_LENGTH && MISSING_FIRST[text.charCodeAt(start)] === 1 && MISSING_TOKENS.has(text.slice(start, end))) {
      this.#collector.pushCode(-1);
      return true;
    }
    const slots = this.#slots;
    if (slots === null) {
      this.#collector.push(text.slice(start, end));
      return true;
    }
    // Find the level by its characters: a hash of the range into `slots`, compared against the level text.
    let hash = length;
    for (let k = start; k < end; k++) hash = Math.imul(hash ^ text.charCodeAt(k), 0x01000193);
    hash ^= hash >>> 15;
    const hashes = this.#hashes;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot] as number;
      if (entry === 0) break;
      if (hashes[slot] === hash) {
        const level = this.#collector.levels[entry - 1] as string;
        if (level.length === length) {
          let k = 0;
          while (k < length && level.charCodeAt(k) === text.charCodeAt(start + k)) k++;
          if (k === length) {
            this.#collector.pushCode(entry - 1);
            return true;
          }
        }
      }
      slot = (slot + 1) & mask;
    }
    // A level not seen through this table (new, or first read from a quoted field): slice it and remember it.
    const code = this.#collector.push(text.slice(start, end));
    if (code < 0) return true;
    slots[slot] = code + 1;
    hashes[slot] = hash;
    if (++this.#used * 2 > slots.length) this.#rehash();
    return true;
  }

  /** Doubles the range table, or drops it once a column has too many distinct values for it to pay. */
  #rehash(): void {
    const old = this.#slots as Int32Array;
    if (old.length >= MAX_RANGE_SLOTS) {
      this.#slots = null;
      return;
    }
    const oldHashes = this.#hashes;
    const slots = new Int32Array(old.length * 2);
    const hashes = new Int32Array(old.length * 2);
    const mask = slots.length - 1;
    for (let s = 0; s < old.length; s++) {
      const entry = old[s] as number;
      if (entry === 0) continue;
      const hash = oldHashes[s] as number;
      let slot = hash & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry;
      hashes[slot] = hash;
    }
    this.#slots = slots;
    this.#hashes = hashes;
  }

  pushString(value: string): boolean {
    this.#collector.push(value);
    return true;
  }

  state(): TextState {
    const collector = this.#collector;
    return { kind: 'text', name: collector.name, codes: collector.codes.subarray(0, collector.length), levels: collector.levels };
  }

  /** The cells of `a` then `b`: `a`'s levels, then `b`'s not among them, in their order. */
  static join(a: TextState, b: TextState): StringSink {
    const levels = a.levels.slice();
    const index = new Map<string, number>();
    for (let i = 0; i < levels.length; i++) index.set(levels[i] as string, i);
    const map = new Int32Array(b.levels.length);
    for (let i = 0; i < b.levels.length; i++) {
      const level = b.levels[i] as string;
      let code = index.get(level);
      if (code === undefined) {
        code = levels.length;
        levels.push(level);
        index.set(level, code);
      }
      map[i] = code;
    }
    const offset = a.codes.length;
    const codes = lengthen(a.codes, offset + b.codes.length, (n) => new Int32Array(n));
    const bCodes = b.codes;
    for (let r = 0; r < bCodes.length; r++) {
      const code = bCodes[r] as number;
      codes[offset + r] = code < 0 ? -1 : (map[code] as number);
    }
    // A collector that knows the levels (in order), holding the joined codes.
    const sink = new StringSink(a.name, 0);
    const collector = sink.#collector;
    for (const level of levels) collector.push(level);
    collector.codes = codes;
    collector.length = codes.length;
    return sink;
  }

  truncate(length: number): void {
    this.#collector.truncate(length);
  }

  finish(type?: ColumnType, dateFormat?: string): Column {
    return this.#collector.finish(type, dateFormat);
  }
}
