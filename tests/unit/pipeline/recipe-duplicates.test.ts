// firstOccurrences (the drop-duplicates step's row test) against firstEqualRows / firstEqualSelected on random tables full of repeats, missing values, NaNs of other bits and -0.
import { describe, expect, it } from 'vitest';
import { mulberry32 as random } from '../../../src/lib/pipeline/split.ts';
import { firstEqualRows, firstEqualSelected } from '../../../src/lib/pipeline/quality/row-hash.ts';
import { firstOccurrences } from '../../../src/lib/pipeline/recipe/duplicates.ts';
import { num, str } from './quality/tables.ts';

/** A NaN whose bits differ from the usual one. */
const otherNaN = new Float64Array(new Uint32Array([1, 0xfff80001]).buffer)[0] as number;

const flags = (first: Int32Array) => Uint8Array.from(first, (f) => (f < 0 ? 1 : 0));

describe('firstOccurrences', () => {
  it.each([1, 2, 3])('keeps the rows firstEqualRows finds first, of all rows or of a selection (seed %i)', (seed) => {
    const rand = random(seed);
    const n = 5000;
    const a = num('a', Array.from({ length: n }, () => [0, -0, NaN, otherNaN, 1.5, 2, 1e300][Math.floor(rand() * 7)] as number));
    const b = str('b', Array.from({ length: n }, () => [null, 'x', 'y', 'z'][Math.floor(rand() * 4)] as string | null));
    const c = num('c', Array.from({ length: n }, () => Math.floor(rand() * 8)), 'integer');
    const keep = firstOccurrences([a, b, c], null, n);
    expect(keep).toEqual(flags(firstEqualRows([a, b, c], n)));
    expect(keep.reduce((s, k) => s + k, 0)).toBeLessThan(n);
    const rows = Int32Array.from({ length: 3000 }, () => Math.floor(rand() * n));
    expect(firstOccurrences([a, b, c], rows, rows.length)).toEqual(flags(firstEqualSelected([a, b, c], rows)));
    expect(firstOccurrences([c], rows, rows.length)).toEqual(flags(firstEqualSelected([c], rows)));
  });

  it('keeps only the first row of a table without columns, and nothing of no rows', () => {
    expect([...firstOccurrences([], null, 3)]).toEqual([1, 0, 0]);
    expect(firstOccurrences([num('a', [])], null, 0)).toHaveLength(0);
  });
});
