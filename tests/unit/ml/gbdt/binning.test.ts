// Binning: scikit-learn's bin edges, the ≤ edge rule, the missing bin, categorical levels and the cap.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binColumns, fitBins, numericBin, numericEdges } from '../../../../src/lib/ml/gbdt/binning.ts';
import { MISSING_BIN, type GbdtColumn } from '../../../../src/lib/ml/gbdt/types.ts';

const reference = JSON.parse(readFileSync(new URL('./reference/tiny.json', import.meta.url), 'utf8')) as { edges: number[]; edgesFew: number[] };
const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('gbdt binning', () => {
  it('gives scikit-learn\'s edges: midpoints for few values, midpoint percentiles for many (reference/make_tiny.py)', () => {
    expect(Array.from(numericEdges(Float64Array.from([1, 1, 2, 3]), 255))).toEqual(reference.edgesFew);
    const a = Float64Array.from({ length: 600 }, (_, i) => ((i * 7919) % 1000) / 10).sort();
    const edges = numericEdges(a, 255);
    expect(edges.length).toBe(254);
    reference.edges.forEach((edge, i) => expect(edges[i]).toBeCloseTo(edge, 12));
  });

  it('puts a value in the first bin whose edge it does not exceed, and NaN in the missing bin', () => {
    const edges = Float64Array.from([1.5, 2.5]);
    expect([0, 1.5, 1.6, 2.5, 3, 1e300, NaN].map((v) => numericBin(edges, v))).toEqual([0, 0, 1, 1, 2, 2, MISSING_BIN]);
  });

  it('bins categories by sorted level, unseen levels as missing, and matches another table by level name', () => {
    const codes = Int32Array.from([0, 1, 2, -1, 1, 0]);
    const { bins, notes } = fitBins([{ name: 'colour', kind: 'categorical', codes, levels: ['red', 'blue', 'green'] }], all(6), 255, 0);
    expect(notes).toEqual([]);
    expect(bins[0]).toMatchObject({ kind: 'categorical', levels: ['blue', 'green', 'red'], capped: false });
    const other = { name: 'colour', kind: 'categorical' as const, codes: Int32Array.from([0, 1, 2, -1]), levels: ['green', 'pink', 'red'] };
    expect(Array.from(binColumns(bins, [other], null, 4))).toEqual([1, MISSING_BIN, 2, MISSING_BIN]);
  });

  it('caps a column of 10,000 levels at 254 bins plus one shared bin, and says so', () => {
    const n = 20_000;
    const levels = Array.from({ length: 10_000 }, (_, i) => `L${i}`);
    // Level i appears twice for i < 9,000 … and the first 100 levels 30 more times each.
    const codes = Int32Array.from({ length: n }, (_, i) => (i < 3_000 ? i % 100 : i % 10_000));
    const { bins, notes } = fitBins([{ name: 'sku', kind: 'categorical', codes, levels }], all(n), 255, 0);
    const binned = bins[0]!;
    expect(binned.kind === 'categorical' && binned.levels.length).toBe(254);
    expect(binned.kind === 'categorical' && binned.capped).toBe(true);
    expect(binned.kind === 'categorical' && binned.levels.includes('L0')).toBe(true);
    expect(notes[0]).toMatch(/Column "sku" has more than 255 levels: the 254 most frequent get a bin each, the rest share one bin/);
    const x = binColumns(bins, [{ name: 'sku', kind: 'categorical', codes: Int32Array.from([0, 9_999]), levels }], null, 2);
    expect(x[1]).toBe(254);
  });

  it('notes a constant or all-missing column instead of refusing it, and refuses an infinite value naming the column and row', () => {
    const rows = all(3);
    const notesOf = (column: GbdtColumn) => fitBins([column], rows, 255, 0).notes;
    expect(notesOf({ name: 'flat', kind: 'numeric', values: Float64Array.from([2, 2, 2]) })).toEqual(['Column "flat" is constant; the trees never split on it']);
    expect(notesOf({ name: 'empty', kind: 'numeric', values: Float64Array.from([NaN, NaN, NaN]) })).toEqual(['Column "empty" is missing in every training row; the trees never split on it']);
    expect(notesOf({ name: 'kind', kind: 'categorical', codes: Int32Array.from([-1, -1, -1]), levels: ['a'] })).toEqual(['Column "kind" is missing in every training row; the trees never split on it']);
    expect(notesOf({ name: 'one', kind: 'categorical', codes: Int32Array.from([0, 0, 0]), levels: ['a', 'b'] })).toEqual(['Column "one" is constant; the trees never split on it']);
    expect(() => fitBins([{ name: 'ratio', kind: 'numeric', values: Float64Array.from([1, Infinity, 2]) }], rows, 255, 0)).toThrow(
      'Column "ratio" has an infinite value in row 2; trees need finite numbers or missing values',
    );
    // One value plus missing values still splits (missing against present): no note.
    expect(notesOf({ name: 'flag', kind: 'numeric', values: Float64Array.from([1, NaN, 1]) })).toEqual([]);
    // Scoring rows too: the row of the table being binned.
    const { bins } = fitBins([{ name: 'ratio', kind: 'numeric', values: Float64Array.from([1, 3, 2]) }], rows, 255, 0);
    const scoring: GbdtColumn = { name: 'ratio', kind: 'numeric', values: Float64Array.from([1, 2, 3, -Infinity]) };
    expect(() => binColumns(bins, [scoring], null, 4)).toThrow('Column "ratio" has an infinite value in row 4; trees need finite numbers or missing values');
  });
});
