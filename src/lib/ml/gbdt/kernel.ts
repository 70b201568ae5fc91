// The histogram loop as a tiny WebAssembly function (assembled here, no toolchain; SIMD when there is): the JS loop's sums in the same order, faster.
import { buildHistogram as buildHistogramJs, BINS, SLOTS } from './histogram.ts';

if (BINS !== 256) throw new Error('gbdt: the kernel shifts by 8 for 256 bins a column');

const I32 = 0x7f;
const F64 = 0x7c;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
const tee = (local: number) => [0x22, local];
const i32 = (value: number) => [0x41, ...uleb(value)]; // small non-negative constants only (< 64)
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const I32_SHL = 0x74;
const I32_GE_U = 0x4f;
const BR_IF = 0x0d;
const BR = 0x0c;
const END = 0x0b;
const BLOCK_LOOP = [0x02, 0x40, 0x03, 0x40];
const F64_ONE = [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
const f64Load = (offset: number) => [0x2b, 3, offset];
const f64Store = (offset: number) => [0x39, 3, offset];

/**
 * `hist(hist, x, columns, gh, indices, start, end)`, byte addresses into the imported memory: for each row r =
 * indices[i] (u32) with i in [start, end), g = gh[2r], h = gh[2r + 1] (f32, widened), and each column j, adds
 * g, h and 1 to the f64 slots at hist + ((j·256 + x[r·columns + j]) · 24): buildHistogram of histogram.ts.
 * With `simd`, g and h go in as one f64x2 addition (the same two sums).
 */
function histogramModule(simd: boolean): Uint8Array {
  // Parameters 0 hist, 1 x, 2 columns, 3 gh, 4 indices, 5 start, 6 end; locals 7 i, 8 row, 9 base, 10 j, 11 at
  // (i32), 12 g, 13 h (f64) — or, with simd, 12 unused (f64) and 13 the pair (v128).
  const V128 = 0x7b;
  const SIMD = 0xfd;
  const gradients = simd
    ? [...get(3), ...get(8), ...i32(3), I32_SHL, I32_ADD, ...tee(11), 0x2a, 2, 0, 0xbb, SIMD, 0x14, ...get(11), 0x2a, 2, 4, 0xbb, SIMD, 0x22, 1, ...set(13)]
    : [...get(3), ...get(8), ...i32(3), I32_SHL, I32_ADD, ...tee(11), 0x2a, 2, 0, 0xbb, ...set(12), ...get(11), 0x2a, 2, 4, 0xbb, ...set(13)];
  const addPair = simd
    ? [...get(11), SIMD, 0x00, 3, 0, ...get(13), SIMD, 0xf0, 0x01, SIMD, 0x0b, 3, 0]
    : [...get(11), ...f64Load(0), ...get(12), 0xa0, ...f64Store(0), ...get(11), ...get(11), ...f64Load(8), ...get(13), 0xa0, ...f64Store(8)];
  const code = [
    ...(simd ? [3, 5, I32, 1, F64, 1, V128] : [2, 5, I32, 2, F64]),
    ...get(5), ...set(7),
    ...BLOCK_LOOP,
    ...get(7), ...get(6), I32_GE_U, BR_IF, 1,
    ...get(4), ...get(7), ...i32(2), I32_SHL, I32_ADD, 0x28, 2, 0, ...set(8),
    ...gradients,
    ...get(1), ...get(8), ...get(2), I32_MUL, I32_ADD, ...set(9),
    ...i32(0), ...set(10),
    ...BLOCK_LOOP,
    ...get(10), ...get(2), I32_GE_U, BR_IF, 1,
    ...get(0), ...get(10), ...i32(8), I32_SHL, ...get(9), ...get(10), I32_ADD, 0x2d, 0, 0, I32_ADD, ...i32(SLOTS * 8), I32_MUL, I32_ADD, ...tee(11),
    ...addPair,
    ...get(11), ...get(11), ...f64Load(16), ...F64_ONE, 0xa0, ...f64Store(16),
    ...get(10), ...i32(1), I32_ADD, ...set(10), BR, 0, END, END,
    ...get(7), ...i32(1), I32_ADD, ...set(7), BR, 0, END, END,
    END,
  ];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 7, I32, I32, I32, I32, I32, I32, I32, 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('hist'), 0x00, 0]),
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

type HistFunction = (hist: number, x: number, columns: number, gh: number, indices: number, start: number, end: number) => void;

/**
 * One WebAssembly memory holding the training rows' bins, gradients, partition and a pool of histograms, and
 * the kernel over it. Arrays from `alloc…` are views into that memory (it never grows, so they stay valid).
 * Without WebAssembly, or when the memory cannot be had, the same arrays are plain ones and the JS loop runs.
 */
export class HistogramKernel {
  readonly #buffer: ArrayBuffer;
  readonly #hist: HistFunction | null;
  /** 'simd', 'wasm' (no SIMD here) or 'js'. */
  readonly kind: 'simd' | 'wasm' | 'js';
  #offset = 0;

  constructor(bytes: number) {
    let hist: HistFunction | null = null;
    let buffer: ArrayBuffer | null = null;
    let kind: HistogramKernel['kind'];
    try {
      const memory = new WebAssembly.Memory({ initial: Math.ceil((bytes + 64) / 65536) });
      const simd = histogramModule(true);
      kind = WebAssembly.validate(simd as BufferSource) ? 'simd' : 'wasm';
      const module = new WebAssembly.Module((kind === 'simd' ? simd : histogramModule(false)) as BufferSource);
      hist = new WebAssembly.Instance(module, { env: { memory } }).exports.hist as HistFunction;
      buffer = memory.buffer;
    } catch {
      kind = 'js';
      // No WebAssembly here, or no memory that large: the JS loop does the same work.
    }
    this.#hist = hist;
    this.#buffer = buffer ?? new ArrayBuffer(0);
    this.kind = kind;
  }

  get wasm(): boolean {
    return this.#hist !== null;
  }

  #take(bytes: number): number | null {
    const at = this.#offset;
    if (!this.#hist || at + bytes > this.#buffer.byteLength) return null;
    this.#offset = at + Math.ceil(bytes / 8) * 8;
    return at;
  }

  bytes(length: number): Uint8Array<ArrayBuffer> {
    const at = this.#take(length);
    return at === null ? new Uint8Array(length) : new Uint8Array(this.#buffer, at, length);
  }

  float32(length: number): Float32Array<ArrayBuffer> {
    const at = this.#take(length * 4);
    return at === null ? new Float32Array(length) : new Float32Array(this.#buffer, at, length);
  }

  uint32(length: number): Uint32Array<ArrayBuffer> {
    const at = this.#take(length * 4);
    return at === null ? new Uint32Array(length) : new Uint32Array(this.#buffer, at, length);
  }

  float64(length: number): Float64Array<ArrayBuffer> {
    const at = this.#take(length * 8);
    return at === null ? new Float64Array(length) : new Float64Array(this.#buffer, at, length);
  }

  /** buildHistogram, in WebAssembly when every array lives in this kernel's memory. */
  build(hist: Float64Array, x: Uint8Array, columns: number, gh: Float32Array, indices: Uint32Array, start: number, end: number): void {
    const inside = (a: ArrayBufferView) => a.buffer === this.#buffer;
    if (this.#hist && inside(hist) && inside(x) && inside(gh) && inside(indices)) {
      hist.fill(0);
      this.#hist(hist.byteOffset, x.byteOffset, columns, gh.byteOffset, indices.byteOffset, start, end);
    } else {
      buildHistogramJs(hist, x, columns, gh, indices, start, end);
    }
  }
}
