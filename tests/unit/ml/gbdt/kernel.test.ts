// The WebAssembly histogram kernel gives the JS loop's sums bit for bit.
import { describe, expect, it } from 'vitest';
import { buildHistogram, newHistogram } from '../../../../src/lib/ml/gbdt/histogram.ts';
import { HistogramKernel } from '../../../../src/lib/ml/gbdt/kernel.ts';

describe('gbdt histogram kernel', () => {
  it('adds the same gradients, hessians and counts as the JS loop, in WebAssembly', () => {
    const rows = 5000;
    const columns = 7;
    const kernel = new HistogramKernel(rows * columns + rows * 12 + 2 * columns * 256 * 24 + 64);
    expect(kernel.wasm).toBe(true);
    expect(kernel.kind).toBe('simd');
    const x = kernel.bytes(rows * columns);
    const gh = kernel.float32(rows * 2);
    const indices = kernel.uint32(rows);
    let s = 3;
    const random = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < x.length; i++) x[i] = random() < 0.05 ? 255 : Math.floor(random() * (i % columns === 0 ? 4 : 255));
    for (let i = 0; i < gh.length; i++) gh[i] = random() - 0.3;
    let m = 0;
    for (let r = 0; r < rows; r++) if (random() < 0.4) indices[m++] = r;
    const wasm = kernel.float64(columns * 256 * 3);
    const plain = newHistogram(columns);
    wasm.fill(7);
    kernel.build(wasm, x, columns, gh, indices, 10, m);
    buildHistogram(plain, x, columns, gh, indices, 10, m);
    expect(wasm.buffer).not.toBe(plain.buffer);
    expect(Array.from(wasm)).toEqual(Array.from(plain));
    expect(plain.reduce((sum, v, i) => (i % 3 === 2 ? sum + v : sum), 0)).toBe((m - 10) * columns);
  });
});
