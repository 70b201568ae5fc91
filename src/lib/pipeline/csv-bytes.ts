// A one-pass CSV writer into byte buffers (RFC 4180 quoting, CRLF): fast paths for integers, short decimals, float32 and repeated strings; no per-row objects.
import { float32Decimals, POW10, writePadded, writeUint31 } from './csv-digits.ts';
import { csvField, formatFloat32 } from './csv-write.ts';
import { formatDate } from './infer.ts';
import { isStringColumn } from './table.ts';
import type { Column } from './types.ts';

const COMMA = 44;
const CR = 13;
const LF = 10;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
/** Bytes per buffer; a full buffer becomes one part of the output. */
const BUFFER_BYTES = 1 << 22;
const encoder = new TextEncoder();
/** Dates remembered per date column (a power of two; 4096 days are over eleven years). */
const DATE_SLOTS = 4096;

/**
 * Memory already in use to write into: buffers are taken from the first piece with room for them. A fresh buffer
 * costs more than its copy: every page is faulted in on first touch (about 3.5 ms per MB measured on the bench
 * machine), which bytes that were read (e.g. a part of the file, once parsed) have paid already. Sinks of two sizes
 * share it (the scored file's 4 MiB buffers, the rejects file's 1 MiB ones): a piece too short for one request is
 * kept for smaller ones (dropping it lost half the spare memory when they alternated, and the scored file was
 * written mostly into fresh pages).
 */
export class SpareBytes {
  readonly #pieces: Uint8Array[];
  /** Bytes taken from the start of each piece. */
  readonly #used: number[];

  constructor(...pieces: Uint8Array[]) {
    this.#pieces = pieces;
    this.#used = pieces.map(() => 0);
  }

  /** The next `n` bytes (zeroing is not needed: a sink reads only what it wrote), or null when no piece has them left. */
  take(n: number): Uint8Array | null {
    const pieces = this.#pieces;
    const used = this.#used;
    for (let p = 0; p < pieces.length; p++) {
      const piece = pieces[p] as Uint8Array;
      const at = used[p] as number;
      if (at + n > piece.length) continue;
      used[p] = at + n;
      // A piece with less than a 64th of this request left is of no further use.
      if (piece.length - at - n < n >> 6) {
        pieces.splice(p, 1);
        used.splice(p, 1);
      }
      return piece.subarray(at, at + n);
    }
    return null;
  }
}

/** The parts as one array (the part itself when there is one). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** Growing output: full buffers are kept as parts (a Blob takes them as they are). */
export class ByteSink {
  parts: Uint8Array[] = [];
  buf: Uint8Array;
  pos = 0;
  private readonly size: number;
  /** Scratch for digits, written backwards. (Plain fields, not #private: a lowered build turns those into WeakMap lookups on the hot path.) */
  readonly digits = new Uint8Array(24);
  /** Bytes written before the current buffer. */
  private flushed = 0;

  /** Where buffers come from before new ones are made. */
  private readonly spare: SpareBytes | null;

  /** `bufferBytes`: the size of each buffer (4 MiB); `spare`: memory to take them from first. */
  constructor(bufferBytes = BUFFER_BYTES, spare: SpareBytes | null = null) {
    this.size = bufferBytes;
    this.spare = spare;
    this.buf = spare?.take(bufferBytes) ?? new Uint8Array(bufferBytes);
  }

  get byteLength(): number {
    return this.flushed + this.pos;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
  }

  /** Moves what is written into `parts` and starts a new buffer. */
  flush(): void {
    if (this.pos === 0) return;
    this.parts.push(this.buf.subarray(0, this.pos));
    this.flushed += this.pos;
    this.buf = this.spare?.take(this.size) ?? new Uint8Array(this.size);
    this.pos = 0;
  }

  /** Every byte written, as parts. */
  finish(): Uint8Array[] {
    this.flush();
    return this.parts;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    this.ensure(n);
    // TypedArray.set costs more than a short loop for the few bytes of a category or a label.
    if (n < 24) {
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < n; i++) buf[pos++] = b[i] as number;
      this.pos = pos;
      return;
    }
    this.buf.set(b, this.pos);
    this.pos += n;
  }

  newline(): void {
    this.ensure(2);
    this.buf[this.pos++] = CR;
    this.buf[this.pos++] = LF;
  }

  /** The decimal digits of a whole number 0 ≤ n < 2^53, with a point before the last `decimals` digits (at least one digit before it). */
  private fixed(n: number, decimals: number): void {
    const d = this.digits;
    let len = 0;
    if (n < 2147483648) {
      let m = n | 0;
      do {
        d[len++] = ZERO + (m % 10);
        m = (m / 10) | 0;
      } while (m > 0);
    } else {
      let m = n;
      do {
        d[len++] = ZERO + (m % 10);
        m = Math.floor(m / 10);
      } while (m > 0);
    }
    while (len <= decimals) d[len++] = ZERO;
    this.ensure(len + 2);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = len - 1; i >= 0; i--) {
      if (i === decimals - 1) buf[pos++] = DOT;
      buf[pos++] = d[i] as number;
    }
    this.pos = pos;
  }

  /** ASCII-only text (numbers as JS writes them). */
  ascii(text: string): void {
    this.ensure(text.length);
    for (let i = 0; i < text.length; i++) this.buf[this.pos++] = text.charCodeAt(i);
  }

  /**
   * A float64 as String(v) writes it. A whole number below 2^31 is written digit pair by digit pair; with at
   * most 6 decimals (what a parsed file holds) it is one check: v·10⁶ rounds to a whole number that divides back
   * to v, whose last six digits are the decimals (trailing zeros dropped).
   */
  double(v: number): void {
    if (v !== v || v === Infinity || v === -Infinity) return;
    const a = v < 0 ? -v : v;
    if (a < 2147483648) {
      const whole = a | 0;
      let frac = 0;
      if (whole !== a) {
        const r = Math.round(a * 1e6);
        if (r / 1e6 !== a) {
          this.ascii(String(v));
          return;
        }
        // a is not whole, so neither is r / 10⁶: 0 < frac < 10⁶.
        frac = (r - whole * 1e6) | 0;
      }
      this.ensure(20);
      const buf = this.buf;
      let pos = this.pos;
      if (v < 0) buf[pos++] = MINUS;
      pos = writeUint31(buf, pos, whole);
      if (frac !== 0) {
        let k = 6;
        while (frac % 10 === 0) {
          frac = (frac / 10) | 0;
          k--;
        }
        buf[pos++] = DOT;
        pos = writePadded(buf, pos, frac, k);
      }
      this.pos = pos;
      return;
    }
    if (a < 9007199254740992 && Math.floor(a) === a) {
      if (v < 0) this.byte(MINUS);
      this.fixed(a, 0);
      return;
    }
    this.ascii(String(v));
  }

  /**
   * The shortest decimal text that reads back as the same float32, the same text as formatFloat32: below 2^24,
   * where every whole digit is needed, from the fewest decimals that read back (csv-digits.ts).
   */
  float32(v: number): void {
    if (v !== v || v === Infinity || v === -Infinity) return;
    const a = v < 0 ? -v : v;
    if (a === 0) {
      this.byte(ZERO);
      return;
    }
    const d = a >= 1e-6 && a < 16777216 ? float32Decimals(a) : -1;
    if (d < 0) {
      this.ascii(formatFloat32(v));
      return;
    }
    const n = Math.round(a * (POW10[d] as number));
    if (n >= 2147483648) {
      if (v < 0) this.byte(MINUS);
      this.fixed(n, d);
      return;
    }
    // n < 2^31: the quotient is never rounded up to the next whole number, so its floor is the whole part.
    const whole = (n / (POW10[d] as number)) | 0;
    this.ensure(24);
    const buf = this.buf;
    let pos = this.pos;
    if (v < 0) buf[pos++] = MINUS;
    pos = writeUint31(buf, pos, whole);
    if (d > 0) {
      buf[pos++] = DOT;
      pos = writePadded(buf, pos, n - whole * (POW10[d] as number), d);
    }
    this.pos = pos;
  }
}

/** Writes one cell of output row `i`. */
export type CellWriter = (i: number, out: ByteSink) => void;

/** Text fields as CSV bytes (quoted when needed), encoded once per distinct value. */
function encodedField(text: string): Uint8Array {
  return encoder.encode(csvField(text));
}

/** A table column's cells, row `rows[i]` (or `i` without a map), written as `cellValue` shows them. */
export function columnCells(column: Column, rows: Int32Array | null = null): CellWriter {
  if (isStringColumn(column)) {
    const { codes, levels } = column;
    const cache = new Array<Uint8Array | undefined>(levels.length);
    return (i, out) => {
      const code = codes[rows ? (rows[i] as number) : i] as number;
      if (code < 0) return;
      let bytes = cache[code];
      if (bytes === undefined) cache[code] = bytes = encodedField(levels[code] ?? '');
      out.bytes(bytes);
    };
  }
  const values = column.values;
  if (column.type === 'boolean') {
    const t = encoder.encode('true');
    const f = encoder.encode('false');
    return (i, out) => {
      const v = values[rows ? (rows[i] as number) : i] as number;
      if (v === v) out.bytes(v !== 0 ? t : f);
    };
  }
  if (column.type === 'date') {
    // A direct-mapped cache by day: a Map keyed by doubles cost about 160 ns a cell.
    const keys = new Float64Array(DATE_SLOTS).fill(NaN);
    const texts = new Array<Uint8Array | undefined>(DATE_SLOTS);
    return (i, out) => {
      const v = values[rows ? (rows[i] as number) : i] as number;
      if (v !== v) return;
      const slot = Math.floor(v / 86_400_000) & (DATE_SLOTS - 1);
      let bytes = texts[slot];
      if (keys[slot] !== v || bytes === undefined) {
        bytes = encoder.encode(formatDate(v));
        keys[slot] = v;
        texts[slot] = bytes;
      }
      out.bytes(bytes);
    };
  }
  if (rows) return (i, out) => out.double(values[rows[i] as number] as number);
  return (i, out) => out.double(values[i] as number);
}

/** Labels by index (e.g. predicted classes); a negative index is an empty cell. */
export function labelCells(codes: ArrayLike<number>, labels: readonly string[]): CellWriter {
  const encoded = labels.map(encodedField);
  return (i, out) => {
    const code = codes[i] as number;
    if (code >= 0) out.bytes(encoded[code] as Uint8Array);
  };
}

/** Float32 values at float32 precision (probabilities, predicted values). */
export function float32Cells(values: Float32Array, stride = 1, offset = 0): CellWriter {
  return (i, out) => out.float32(values[i * stride + offset] as number);
}

/** Whole numbers (e.g. row numbers). */
export function intCells(values: ArrayLike<number>, add = 0): CellWriter {
  return (i, out) => out.double((values[i] as number) + add);
}

/** Text by row (e.g. reasons); texts repeat, so each distinct one is encoded once. */
export function textCells(values: readonly string[]): CellWriter {
  const cache = new Map<string, Uint8Array>();
  return (i, out) => {
    const text = values[i] ?? '';
    let bytes = cache.get(text);
    if (bytes === undefined) cache.set(text, (bytes = encodedField(text)));
    out.bytes(bytes);
  };
}

/** The header line. */
export function writeHeader(out: ByteSink, names: readonly string[]): void {
  out.bytes(encoder.encode(names.map(csvField).join(',')));
  out.newline();
}

/** Rows [from, to) of output, each cell by its writer, comma separated, CRLF ended. */
export function writeRows(out: ByteSink, cells: readonly CellWriter[], from: number, to: number): void {
  const last = cells.length - 1;
  for (let i = from; i < to; i++) {
    for (let c = 0; c <= last; c++) {
      (cells[c] as CellWriter)(i, out);
      if (c < last) out.byte(COMMA);
    }
    out.newline();
  }
}
