// The histogram and partition loops as tiny WebAssembly functions (assembled here, no toolchain; SIMD when there is) over row records, with JS twins giving the same sums.
import { BINS, SLOTS } from './histogram.ts';

if (BINS !== 256) throw new Error('gbdt: the kernel shifts by 8 for 256 bins a column');

/**
 * A training row as the grower keeps it: gradient (f32) at 0, hessian (f32) at 4, the row's index (u32) at 8 and
 * its bins (u8, one per column) from 12; records are `recordBytes(columns)` apart. A node's rows are one run of
 * records, so building its histogram reads memory in order.
 */
export const RECORD_BINS = 12;

/** Bytes per record: the 12-byte head and the bins, rounded up to 16 (the copy's SIMD width). */
export function recordBytes(columns: number): number {
  return Math.ceil((RECORD_BINS + columns) / 16) * 16;
}

const I32 = 0x7f;
const F64 = 0x7c;
const I64 = 0x7e;
const V128 = 0x7b;
const SIMD = 0xfd;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

/** Signed LEB128 of a non-negative constant. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>>= 7;
    if (n === 0 && (byte & 0x40) === 0) return [...out, byte];
    out.push(byte | 0x80);
  }
}

export function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
const tee = (local: number) => [0x22, local];
const i32 = (value: number) => [0x41, ...sleb(value)];
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_MUL = 0x6c;
const I32_DIV_U = 0x6e;
const I32_SHL = 0x74;
const I32_GE_U = 0x4f;
const BR_IF = 0x0d;
const BR = 0x0c;
const END = 0x0b;
const BLOCK_LOOP = [0x02, 0x40, 0x03, 0x40];
const F64_ONE = [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
const load8 = (offset: number) => [0x2d, 0, ...uleb(offset)];
const f32Load = (offset: number) => [0x2a, 2, ...uleb(offset)];
const f64Load = (offset: number) => [0x2b, 3, ...uleb(offset)];
const f64Store = (offset: number) => [0x39, 3, ...uleb(offset)];

/**
 * `hist(hist, records, stride, columns, start, end)`: for each record from start to end (byte addresses), its
 * gradient g and hessian h widened to f64, and each column j, adds g, h and 1 to the f64 slots at
 * hist + (j·256 + bin) · 24 — histogramOfRecords below. With SIMD, g and h go in as one f64x2 addition.
 */
function histogramCode(simd: boolean): number[] {
  // Parameters 0 hist, 1 records, 2 stride, 3 columns, 4 start, 5 end; locals 6 rec, 7 last, 8 j, 9 at (i32),
  // 10 g, 11 h (f64), 12 the pair (v128, with SIMD).
  const pair = simd
    ? [...get(6), SIMD, 0x5d, 3, 0, SIMD, 0x5f, ...set(12)]
    : [...get(6), ...f32Load(0), 0xbb, ...set(10), ...get(6), ...f32Load(4), 0xbb, ...set(11)];
  const addPair = simd
    ? [...get(9), ...get(9), SIMD, 0x00, 3, 0, ...get(12), SIMD, 0xf0, 0x01, SIMD, 0x0b, 3, 0]
    : [...get(9), ...get(9), ...f64Load(0), ...get(10), 0xa0, ...f64Store(0), ...get(9), ...get(9), ...f64Load(8), ...get(11), 0xa0, ...f64Store(8)];
  return [
    ...(simd ? [3, 4, I32, 2, F64, 1, V128] : [2, 4, I32, 2, F64]),
    ...get(1), ...get(4), ...get(2), I32_MUL, I32_ADD, ...set(6),
    ...get(1), ...get(5), ...get(2), I32_MUL, I32_ADD, ...set(7),
    ...BLOCK_LOOP,
    ...get(6), ...get(7), I32_GE_U, BR_IF, 1,
    ...pair,
    ...i32(0), ...set(8),
    ...BLOCK_LOOP,
    ...get(8), ...get(3), I32_GE_U, BR_IF, 1,
    ...get(0), ...get(8), ...i32(8), I32_SHL, ...get(6), ...get(8), I32_ADD, ...load8(RECORD_BINS), I32_ADD, ...i32(SLOTS * 8), I32_MUL, I32_ADD, ...set(9),
    ...addPair,
    ...get(9), ...get(9), ...f64Load(16), ...F64_ONE, 0xa0, ...f64Store(16),
    ...get(8), ...i32(1), I32_ADD, ...set(8), BR, 0, END, END,
    ...get(6), ...get(2), I32_ADD, ...set(6), BR, 0, END, END,
    END,
  ];
}

/**
 * `part(src, dst, stride, table, column, start, end, middle) → left end`: a stable partition of records start…end
 * (indices) of `src` by table[bin of `column`] (1: left) into the same indices of `dst`: the left ones from
 * start, the right ones from middle (the split's left count, known from the histogram). One copy per record,
 * to the side chosen by a select: no branch on the data.
 */
function partitionCode(simd: boolean): number[] {
  // Parameters 0 src, 1 dst, 2 stride, 3 table, 4 column, 5 start, 6 end, 7 middle; locals 8 rec, 9 last, 10 l,
  // 11 r, 12 left, 13 c, 14 to (i32), 15 the chunk (v128 or i64).
  const width = simd ? 16 : 8;
  const load = simd ? [SIMD, 0x00, 0, 0] : [0x29, 0, 0];
  const store = simd ? [SIMD, 0x0b, 0, 0] : [0x37, 0, 0];
  return [
    2, 7, I32, 1, simd ? V128 : I64,
    ...get(0), ...get(5), ...get(2), I32_MUL, I32_ADD, ...set(8),
    ...get(0), ...get(6), ...get(2), I32_MUL, I32_ADD, ...set(9),
    ...get(1), ...get(5), ...get(2), I32_MUL, I32_ADD, ...set(10),
    ...get(1), ...get(7), ...get(2), I32_MUL, I32_ADD, ...set(11),
    ...BLOCK_LOOP,
    ...get(8), ...get(9), I32_GE_U, BR_IF, 1,
    ...get(3), ...get(8), ...get(4), I32_ADD, ...load8(RECORD_BINS), I32_ADD, ...load8(0), ...tee(12),
    ...get(10), ...get(11), ...get(12), 0x1b, ...set(14),
    ...set(12),
    ...i32(0), ...set(13),
    ...BLOCK_LOOP,
    ...get(13), ...get(2), I32_GE_U, BR_IF, 1,
    ...get(14), ...get(13), I32_ADD, ...get(8), ...get(13), I32_ADD, ...load, ...set(15), ...get(15), ...store,
    ...get(13), ...i32(width), I32_ADD, ...set(13), BR, 0, END, END,
    ...get(10), ...get(12), ...get(2), I32_MUL, I32_ADD, ...set(10),
    ...get(11), ...i32(1), ...get(12), I32_SUB, ...get(2), I32_MUL, I32_ADD, ...set(11),
    ...get(8), ...get(2), I32_ADD, ...set(8), BR, 0, END, END,
    ...get(10), ...get(1), I32_SUB, ...get(2), I32_DIV_U,
    END,
  ];
}

function kernelModule(simd: boolean): Uint8Array {
  const hist = histogramCode(simd);
  const part = partitionCode(simd);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [2, 0x60, 6, I32, I32, I32, I32, I32, I32, 0, 0x60, 8, I32, I32, I32, I32, I32, I32, I32, I32, 1, I32]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]),
    ...section(3, [2, 0, 1]),
    ...section(7, [2, ...name('hist'), 0x00, 0, ...name('part'), 0x00, 1]),
    ...section(10, [2, ...uleb(hist.length), ...hist, ...uleb(part.length), ...part]),
  ]);
}

type HistFunction = (hist: number, records: number, stride: number, columns: number, start: number, end: number) => void;
type PartFunction = (src: number, dst: number, stride: number, table: number, column: number, start: number, end: number, middle: number) => number;

/** The histogram of records start…end (indices) of `records` (`stride` bytes apart), added into `hist`: the kernel's JS twin. */
export function histogramOfRecords(hist: Float64Array, records: Uint8Array, stride: number, columns: number, start: number, end: number): void {
  const f32 = new Float32Array(records.buffer, records.byteOffset, records.byteLength >> 2);
  const step = BINS * SLOTS;
  for (let i = start, at = start * stride; i < end; i++, at += stride) {
    const g = f32[at >> 2]!;
    const h = f32[(at >> 2) + 1]!;
    for (let j = 0, offset = 0, b = at + RECORD_BINS; j < columns; j++, offset += step, b++) {
      const slot = offset + records[b]! * SLOTS;
      hist[slot]! += g;
      hist[slot + 1]! += h;
      hist[slot + 2]!++;
    }
  }
}

/** The partition's JS twin: returns where the left records end (= middle when `middle` is the left count's end). */
export function partitionRecords(src: Uint8Array, dst: Uint8Array, stride: number, table: Uint8Array, column: number, start: number, end: number, middle: number): number {
  const words = stride >> 2;
  const from = new Int32Array(src.buffer, src.byteOffset, src.byteLength >> 2);
  const to = new Int32Array(dst.buffer, dst.byteOffset, dst.byteLength >> 2);
  let l = start * words;
  let r = middle * words;
  for (let i = start, at = start * words; i < end; i++, at += words) {
    const left = table[src[at * 4 + RECORD_BINS + column]!]!;
    const target = left ? l : r;
    for (let w = 0; w < words; w++) to[target + w] = from[at + w]!;
    l += left * words;
    r += (1 - left) * words;
  }
  return l / words;
}

/**
 * One WebAssembly memory holding the training records, scratch, histograms and tables, and the kernels over it.
 * Arrays from `bytes`/`float64`… are views into that memory (it never grows, so they stay valid). Without
 * WebAssembly, or when the memory cannot be had, they are plain arrays and the JS twins run (the same sums).
 */
export class HistogramKernel {
  readonly #buffer: ArrayBuffer;
  readonly #hist: HistFunction | null;
  readonly #part: PartFunction | null;
  /** 'simd', 'wasm' (no SIMD here) or 'js'. */
  readonly kind: 'simd' | 'wasm' | 'js';
  #offset = 0;

  constructor(bytes: number, allow: 'simd' | 'wasm' | 'js' = 'simd') {
    let exports: { hist: HistFunction; part: PartFunction } | null = null;
    let buffer: ArrayBuffer | null = null;
    let kind: HistogramKernel['kind'];
    try {
      if (allow === 'js') throw new Error('JS asked for');
      const memory = new WebAssembly.Memory({ initial: Math.ceil((bytes + 64) / 65536) });
      const simd = kernelModule(true);
      kind = allow === 'simd' && WebAssembly.validate(simd as BufferSource) ? 'simd' : 'wasm';
      const module = new WebAssembly.Module((kind === 'simd' ? simd : kernelModule(false)) as BufferSource);
      exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as { hist: HistFunction; part: PartFunction };
      buffer = memory.buffer;
    } catch {
      kind = 'js';
      // No WebAssembly here, or no memory that large: the JS twins do the same work.
    }
    this.#hist = exports?.hist ?? null;
    this.#part = exports?.part ?? null;
    this.#buffer = buffer ?? new ArrayBuffer(0);
    this.kind = kind;
  }

  get wasm(): boolean {
    return this.#hist !== null;
  }

  #take(bytes: number): number | null {
    const at = this.#offset;
    if (!this.#hist || at + bytes > this.#buffer.byteLength) return null;
    this.#offset = at + Math.ceil(bytes / 16) * 16;
    return at;
  }

  bytes(length: number): Uint8Array<ArrayBuffer> {
    const at = this.#take(length);
    return at === null ? new Uint8Array(length) : new Uint8Array(this.#buffer, at, length);
  }

  float64(length: number): Float64Array<ArrayBuffer> {
    const at = this.#take(length * 8);
    return at === null ? new Float64Array(length) : new Float64Array(this.#buffer, at, length);
  }

  #inside(...arrays: ArrayBufferView[]): boolean {
    return this.#hist !== null && arrays.every((a) => a.buffer === this.#buffer);
  }

  /** Fills `hist` with the histogram of records start…end (zeroing it first). */
  build(hist: Float64Array, records: Uint8Array, stride: number, columns: number, start: number, end: number): void {
    hist.fill(0);
    if (this.#inside(hist, records)) this.#hist!(hist.byteOffset, records.byteOffset, stride, columns, start, end);
    else histogramOfRecords(hist, records, stride, columns, start, end);
  }

  /**
   * Copies records start…end of `src` to the same indices of `dst`: those whose bin of `column` has table[bin] = 1
   * from start, the others from `middle`, each in their former order. Returns where the first ones ended (middle,
   * when middle − start is their count).
   */
  partition(src: Uint8Array, dst: Uint8Array, stride: number, table: Uint8Array, column: number, start: number, end: number, middle: number): number {
    return this.#inside(src, dst, table)
      ? this.#part!(src.byteOffset, dst.byteOffset, stride, table.byteOffset, column, start, end, middle)
      : partitionRecords(src, dst, stride, table, column, start, end, middle);
  }
}
