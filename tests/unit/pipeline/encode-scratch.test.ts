// The encoder's scratch memory: zeroed arrays, 8-byte aligned, the same memory again after a reset, and room for a request larger than a slab.
import { describe, expect, it } from 'vitest';
import { EncodeScratch, zeroed } from '../../../src/lib/pipeline/encode-scratch.ts';

describe('EncodeScratch', () => {
  it('hands out zeroed arrays, each starting on an 8-byte boundary, that do not overlap', () => {
    const scratch = new EncodeScratch();
    const a = scratch.array(Int8Array, 3).fill(7);
    const b = scratch.array(Int32Array, 5).fill(-1);
    const c = scratch.array(Float64Array, 2);
    expect([a.byteOffset % 8, b.byteOffset % 8, c.byteOffset % 8]).toEqual([0, 0, 0]);
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + a.byteLength);
    expect(c.byteOffset).toBeGreaterThanOrEqual(b.byteOffset + b.byteLength);
    expect(Array.from(a)).toEqual([7, 7, 7]);
    expect(Array.from(c)).toEqual([0, 0]);
  });

  it('gives the same memory again after a reset, zeroed again', () => {
    const scratch = new EncodeScratch();
    const first = scratch.array(Int16Array, 100).fill(9);
    scratch.reset();
    const again = scratch.array(Int16Array, 100);
    expect(again.buffer).toBe(first.buffer);
    expect(again.byteOffset).toBe(first.byteOffset);
    expect(again.every((v) => v === 0)).toBe(true);
  });

  it('moves to another slab when one is full, and makes a slab of its own size for a request larger than a slab', () => {
    const scratch = new EncodeScratch();
    const small = scratch.array(Uint8Array, 3 << 20);
    const next = scratch.array(Uint8Array, 2 << 20);
    expect(next.buffer).not.toBe(small.buffer);
    const large = scratch.array(Float64Array, 1 << 20);
    expect(large.length).toBe(1 << 20);
    expect(large.buffer.byteLength).toBeGreaterThanOrEqual(8 << 20);
    scratch.reset();
    expect(scratch.array(Uint8Array, 3 << 20).buffer).toBe(small.buffer);
  });

  it('makes new arrays when there is no scratch memory', () => {
    const array = zeroed(Int32Array, 4, undefined);
    expect(array.buffer.byteLength).toBe(16);
    expect(Array.from(array)).toEqual([0, 0, 0, 0]);
  });
});
