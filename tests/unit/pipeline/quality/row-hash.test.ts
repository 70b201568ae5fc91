// firstEqualRows against a plain string-key map on random tables full of repeats, missing values and -0.
import { describe, expect, it } from 'vitest';
import { mulberry32 as random } from '../../../../src/lib/pipeline/split.ts';
import { firstEqualRows, rowKeys } from '../../../../src/lib/pipeline/quality/row-hash.ts';
import { num, str } from './tables.ts';

describe('firstEqualRows', () => {
  it.each([1, 2, 3])('agrees with a string-key map (seed %i)', (seed) => {
    const rand = random(seed);
    const n = 5000;
    const a = num('a', Array.from({ length: n }, () => [0, -0, NaN, 1.5, 2, 1e300][Math.floor(rand() * 6)] as number));
    const b = str('b', Array.from({ length: n }, () => [null, 'x', 'y', 'z'][Math.floor(rand() * 4)] as string | null));
    const c = num('c', Array.from({ length: n }, () => Math.floor(rand() * 8)), 'integer');
    const first = firstEqualRows([a, b, c], n);
    const seen = new Map<string, number>();
    const expected = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const key = `${String((a.values[i] as number) + 0)}|${b.codes[i]}|${c.values[i]}`;
      const head = seen.get(key);
      if (head === undefined) seen.set(key, i);
      else expected[i] = head;
    }
    expect(first).toEqual(expected);
    expect(seen.size).toBeLessThan(n);
    // Keys that collide for all rows, or hash one column only: the exact check tells rows apart.
    expect(firstEqualRows([a, b, c], n, new Float64Array(n))).toEqual(expected);
    expect(firstEqualRows([a, b, c], n, Float64Array.from(c.values))).toEqual(expected);
  });

  it('makes exact integer keys below 2^53', () => {
    const keys = rowKeys([num('a', [1, 2, 1, -0, 0])], 5);
    for (const k of keys) expect(Number.isSafeInteger(k) && k >= 0).toBe(true);
    expect(keys[0]).toBe(keys[2]);
    expect(keys[3]).toBe(keys[4]);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('gives every row of a table without columns the first row', () => {
    expect(Array.from(firstEqualRows([], 3))).toEqual([-1, 0, 0]);
  });
});
