// countDistinct against a Set of the same values, in one set (few distinct values) and partitioned (many).
import { describe, expect, it } from 'vitest';
import { mulberry32 as random } from '../../../src/lib/pipeline/split.ts';
import { countDistinct } from '../../../src/lib/pipeline/profile.ts';

/** What countDistinct counts: distinct non-NaN values, -0 and 0 as one. */
function reference(values: Float64Array): number {
  const seen = new Set<number>();
  for (const v of values) if (!Number.isNaN(v)) seen.add(v + 0);
  return seen.size;
}

function present(values: Float64Array): number {
  return values.reduce((n, v) => (Number.isNaN(v) ? n : n + 1), 0);
}

describe('countDistinct', () => {
  const next = random(7);
  const cases: [string, Float64Array][] = [
    ['few values', Float64Array.from({ length: 5000 }, (_, i) => i % 37)],
    ['zeros of both signs and NaN', Float64Array.of(0, -0, NaN, 1, -0, NaN, 1, 2)],
    ['all distinct, many', Float64Array.from({ length: 200_000 }, (_, i) => i * 0.5 - 1000)],
    ['five decimals, many repeats', Float64Array.from({ length: 300_000 }, () => Math.round(next() * 1e5) / 1e5)],
    ['missing, -0 and repeats among many', Float64Array.from({ length: 150_000 }, (_, i) => (i % 11 === 0 ? NaN : i % 13 === 0 ? -0 : Math.floor(next() * 90_000)))],
    ['distinct values found late', Float64Array.from({ length: 120_000 }, (_, i) => (i < 60_000 ? i % 5 : i))],
    ['large epoch milliseconds', Float64Array.from({ length: 100_000 }, (_, i) => 1.6e12 + (i % 70_000) * 86_400_000)],
  ];
  it.each(cases)('counts %s as a Set does', (_, values) => {
    expect(countDistinct(values, present(values))).toBe(reference(values));
  });

  it('counts the same with one scratch array shared by columns of any size (as profileTable does)', () => {
    const scratch = { values: null };
    for (const [, values] of [...cases, ...cases.slice().reverse()]) expect(countDistinct(values, present(values), scratch)).toBe(reference(values));
  });

  it('counts nothing in a column of missing values', () => {
    expect(countDistinct(Float64Array.of(NaN, NaN), 0)).toBe(0);
  });
});
