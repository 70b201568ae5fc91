// The WebAssembly kernels (histogram and partition over row records) give the JS twins' and the plain definition's results bit for bit.
import { describe, expect, it } from 'vitest';
import { buildHistogram, newHistogram } from '../../../../src/lib/ml/gbdt/histogram.ts';
import { HistogramKernel, RECORD_BINS, histogramOfRecords, partitionRecords, recordBytes } from '../../../../src/lib/ml/gbdt/kernel.ts';

const rows = 5000;
const columns = 7;
const stride = recordBytes(columns);

/** Seeded records: bins (a few missing), gradients, hessians and row indices; also as the plain definition's arrays. */
function fill(kernel: HistogramKernel) {
  const records = kernel.bytes(rows * stride);
  const f32 = new Float32Array(records.buffer, records.byteOffset, records.byteLength >> 2);
  const u32 = new Uint32Array(records.buffer, records.byteOffset, records.byteLength >> 2);
  const x = new Uint8Array(rows * columns);
  const gh = new Float32Array(rows * 2);
  let s = 3;
  const random = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < columns; j++) x[r * columns + j] = records[r * stride + RECORD_BINS + j] = random() < 0.05 ? 255 : Math.floor(random() * (j === 0 ? 4 : 255));
    gh[2 * r] = f32[(r * stride) / 4] = random() - 0.3;
    gh[2 * r + 1] = f32[(r * stride) / 4 + 1] = random();
    u32[(r * stride) / 4 + 2] = r;
  }
  return { records, x, gh, u32 };
}

describe('gbdt kernels', () => {
  it.each(['simd', 'wasm'] as const)('%s: the same histogram as the JS loops, and the same stable partition', (allow) => {
    const kernel = new HistogramKernel(3 * rows * stride + 2 * columns * 256 * 24 + 1024, allow);
    expect(kernel.kind).toBe(allow);
    const { records, x, gh, u32 } = fill(kernel);
    const indices = Uint32Array.from({ length: rows }, (_, i) => i);
    const wasm = kernel.float64(columns * 256 * 3);
    const twin = newHistogram(columns);
    const plain = newHistogram(columns);
    wasm.fill(7);
    kernel.build(wasm, records, stride, columns, 10, 4321);
    histogramOfRecords(twin, records, stride, columns, 10, 4321);
    buildHistogram(plain, x, columns, gh, indices, 10, 4321);
    expect(wasm.buffer).not.toBe(plain.buffer);
    expect(Array.from(wasm)).toEqual(Array.from(plain));
    expect(Array.from(twin)).toEqual(Array.from(plain));
    // Partition records 100…4900 on column 3 (bins below 100 and the missing bin left), in WebAssembly and in JS.
    const table = kernel.bytes(256);
    for (let b = 0; b < 256; b++) table[b] = +(b < 100 || b === 255);
    let leftCount = 0;
    for (let r = 100; r < 4900; r++) leftCount += table[x[r * columns + 3]!]!;
    const middle = 100 + leftCount;
    const dst = kernel.bytes(rows * stride);
    dst.fill(9);
    expect(kernel.partition(records, dst, stride, table, 3, 100, 4900, middle)).toBe(middle);
    const plainDst = new Uint8Array(rows * stride).fill(9);
    expect(partitionRecords(records, plainDst, stride, table, 3, 100, 4900, middle)).toBe(middle);
    expect(Array.from(dst)).toEqual(Array.from(plainDst));
    const ids = new Uint32Array(dst.buffer, dst.byteOffset, dst.byteLength >> 2);
    const order = Array.from({ length: 4800 }, (_, i) => ids[((100 + i) * stride) / 4 + 2]!);
    const left = order.slice(0, leftCount);
    const right = order.slice(leftCount);
    expect(left.every((r) => table[x[r * columns + 3]!] === 1) && right.every((r) => table[x[r * columns + 3]!] === 0)).toBe(true);
    expect(left.every((r, i) => i === 0 || r > left[i - 1]!) && right.every((r, i) => i === 0 || r > right[i - 1]!)).toBe(true);
    // Whole records moved, outside the range untouched.
    const r0 = left[0]!;
    expect(Array.from(dst.subarray(100 * stride, 101 * stride))).toEqual(Array.from(records.subarray(r0 * stride, (r0 + 1) * stride)));
    expect(dst[99 * stride]).toBe(9);
    expect(dst[4900 * stride]).toBe(9);
    expect(u32[(4900 * stride) / 4 + 2]).toBe(4900);
  });
});
