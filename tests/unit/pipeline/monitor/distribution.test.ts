// The Monitor overlay's distributions: shares per equal-width bin or per category, the same bins for both sides, and the cases with nothing to draw.
import { describe, expect, it } from 'vitest';
import { batchLabel } from '../../../../src/lib/pipeline/monitor/batch-label.ts';
import { columnDistribution, NUMBER_BINS, TOP_CATEGORIES } from '../../../../src/lib/pipeline/monitor/distribution.ts';
import type { CategorySketch, NumericSketch } from '../../../../src/lib/pipeline/drift/types.ts';

const numberSketch = (values: number[]): NumericSketch => ({ name: 'x', kind: 'number', type: 'number', missing: 0, values: Float64Array.from(values).sort() });
function range<T>(n: number, f: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

describe('columnDistribution', () => {
  it('bins numbers over one range for both sides, shares of non-missing values summing to 1', () => {
    const reference = numberSketch(range(1000, (i) => i / 1000));
    const current = Float64Array.from([...range(500, (i) => 0.5 + i / 1000), NaN, NaN]);
    const d = columnDistribution(reference, { name: 'x', type: 'number', values: current })!;
    expect(d.kind).toBe('number');
    expect(d.bins).toHaveLength(NUMBER_BINS);
    const sum = (k: 'reference' | 'current') => d.bins.reduce((s, b) => s + b[k], 0);
    expect(sum('reference')).toBeCloseTo(1, 10);
    expect(sum('current')).toBeCloseTo(1, 10);
    // The batch lies in the upper half: nothing in the lower bins.
    expect(d.bins.slice(0, 9).every((b) => b.current === 0)).toBe(true);
    expect(d.bins[0]!.x0).toBeLessThan(d.bins[0]!.x1!);
  });

  it('puts a constant column in one bin', () => {
    const d = columnDistribution(numberSketch([3, 3, 3]), { name: 'x', type: 'integer', values: Float64Array.of(3, 3) })!;
    expect(d.bins).toHaveLength(1);
    expect(d.bins[0]).toMatchObject({ reference: 1, current: 1 });
  });

  it('shows the most common categories of either side and sums the rest', () => {
    const levels = range(20, (i) => `L${i}`);
    const sketch: CategorySketch = { name: 'c', kind: 'category', type: 'category', missing: 0, levels, counts: range(20, (i) => 20 - i) };
    const codes = Int32Array.from([...range(30, () => 19), -1]);
    const d = columnDistribution(sketch, { name: 'c', type: 'category', codes, levels })!;
    expect(d.bins).toHaveLength(TOP_CATEGORIES + 1);
    expect(d.bins[0]).toMatchObject({ label: 'L19', current: 1 });
    expect(d.bins[d.bins.length - 1]!.label).toBe('(8 others)');
    expect(d.bins.reduce((s, b) => s + b.reference, 0)).toBeCloseTo(1, 10);
  });

  it('has nothing to draw when the batch lacks the column or holds another kind of values', () => {
    expect(columnDistribution(numberSketch([1, 2]), undefined)).toBeNull();
    expect(columnDistribution(numberSketch([1, 2]), { name: 'x', type: 'category', codes: Int32Array.of(0), levels: ['a'] })).toBeNull();
  });
});

describe('batchLabel', () => {
  it('names files, versions and the rows an append added', () => {
    expect(batchLabel({ kind: 'file', fileName: 'june.csv' })).toBe('june.csv');
    expect(batchLabel({ kind: 'version', label: 'weather v2', appendedOnly: false })).toBe('weather v2');
    expect(batchLabel({ kind: 'version', label: 'weather v2', appendedOnly: true })).toBe('weather v2 (the rows its append added)');
  });
});
