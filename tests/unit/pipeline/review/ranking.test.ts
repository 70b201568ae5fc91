// The shared ranking: one radix sort of float32 scores, rank metrics from counts, numpy's quantile bit for bit.
import { describe, expect, it } from 'vitest';
import {
  averagePrecisionOf,
  binOf,
  countByGroup,
  multiplicity,
  quantileSorted,
  rankScores,
  rocAucOf,
  thinPoints,
  unitEdges,
  type RankedScores,
} from '../../../../src/lib/pipeline/review/ranking.ts';
import { rocAuc } from '../../../../src/lib/pipeline/metrics.ts';
import { catchAppError } from '../helpers.ts';

/** A small seeded generator (mulberry32), so the random cases are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each row's group (0 for the highest score) from the sorted order and its run ends. */
function groupsOf(ranked: RankedScores): number[] {
  const group = new Array<number>(ranked.order.length);
  let j = 0;
  ranked.ends.forEach((end, g) => {
    for (; j < end; j++) group[ranked.order[j]!] = g;
  });
  return group;
}

describe('rankScores', () => {
  it('groups equal scores, highest first, the same for float32 (radix) and float64 (comparator) scores', () => {
    const next = random(1);
    const values = Array.from({ length: 5000 }, () => Math.round(next() * 300) / 100 - 1); // ties, negatives
    const f32 = Float32Array.from(values);
    const classOf = Int8Array.from(values, (_, i) => (i % 3) - 1);
    const a = rankScores(f32, classOf);
    const b = rankScores(Float64Array.from(f32), classOf);
    expect(a.values).toEqual(b.values);
    expect(groupsOf(a)).toEqual(groupsOf(b));
    const distinct = [...new Set(Array.from(f32))].sort((x, y) => y - x);
    expect(Array.from(a.values)).toEqual(distinct);
    const groups = groupsOf(a);
    for (let i = 0; i < f32.length; i++) expect(a.values[groups[i]!]).toBe(f32[i]);
    // Each position carries its row's class.
    for (let j = 0; j < f32.length; j++) expect(a.label[j]).toBe(classOf[a.order[j]!]);
  });

  it('treats −0 and +0 as one score, and reads one column of a row-major matrix', () => {
    const r = rankScores(Float32Array.of(0, -0, 1e-30, -1e-30), new Int8Array(4));
    expect(Array.from(r.values)).toEqual([Math.fround(1e-30), 0, Math.fround(-1e-30)]);
    expect(groupsOf(r)).toEqual([1, 1, 0, 2]);
    const matrix = Float32Array.of(0.1, 0.9, 0.2, 0.8, 0.3, 0.7);
    expect(groupsOf(rankScores(matrix, new Int8Array(3), 3, 2, 1))).toEqual([0, 1, 2]);
    expect(groupsOf(rankScores(matrix, new Int8Array(3), 3, 2, 0))).toEqual([2, 1, 0]);
  });

  it('counts the weighted positives and negatives per distinct score, leaving out rows of class −1', () => {
    const ranked = rankScores(Float32Array.of(0.5, 0.9, 0.5, 0.1, 0.9), Int8Array.of(1, 0, 0, -1, 1));
    const pos = new Float64Array(3);
    const neg = new Float64Array(3);
    countByGroup(ranked, null, pos, neg);
    expect([Array.from(pos), Array.from(neg)]).toEqual([
      [1, 1, 0],
      [1, 1, 0],
    ]);
    countByGroup(ranked, multiplicity(Int32Array.of(4, 4, 0, 3), 5), pos, neg);
    expect([Array.from(pos), Array.from(neg)]).toEqual([
      [2, 1, 0],
      [0, 0, 0],
    ]);
    expect(catchAppError(() => multiplicity(Int32Array.of(5), 5)).message).toBe('Resample row 5 is outside 0…4');
    expect(catchAppError(() => multiplicity(new Int32Array(0), 5)).message).toBe('The resample has no rows');
  });
});

describe('rocAucOf and averagePrecisionOf', () => {
  it('agree with the Mann–Whitney AUC of metrics.ts on tied random scores', () => {
    const next = random(2);
    const n = 3000;
    const labels = Uint8Array.from({ length: n }, () => (next() < 0.3 ? 1 : 0));
    const scores = Float32Array.from(labels, (y) => Math.round((next() + 0.3 * y) * 50) / 50);
    expect(rocAucOf(labels, scores)).toBeCloseTo(rocAuc(Float64Array.from(scores), labels), 12);
  });

  it('count tied scores as half, and follow a resample', () => {
    // Positives 0.5, 0.9; negatives 0.5, 0.2: pairs 0.5, 1, 1, 1 → 3.5/4.
    const y = Uint8Array.of(0, 1, 0, 1);
    const s = Float64Array.of(0.5, 0.5, 0.2, 0.9);
    expect(rocAucOf(y, s)).toBe(0.875);
    // AP: at 0.9 recall 1/2 precision 1; at 0.5 recall 1 precision 2/3 → 0.5 + 0.5 · 2/3.
    expect(averagePrecisionOf(y, s)).toBeCloseTo(0.5 + 1 / 3, 15);
    // Rows 1, 1, 2: positives 0.5, 0.5 over negative 0.2 → 1; AP 1.
    expect(rocAucOf(y, s, Int32Array.of(1, 1, 2))).toBe(1);
    expect(averagePrecisionOf(y, s, Int32Array.of(1, 1, 2))).toBe(1);
    expect(rocAucOf(y, s, Int32Array.of(0, 2))).toBeNaN();
  });

  it('refuse bad input', () => {
    expect(catchAppError(() => rocAucOf(Uint8Array.of(0, 1), Float64Array.of(0.5))).message).toBe('Got 1 scores for 2 labels');
    expect(catchAppError(() => rocAucOf(Uint8Array.of(0, 1), Float64Array.of(0.5, NaN))).message).toBe('Score NaN in row 2 is not a number');
    expect(catchAppError(() => averagePrecisionOf(new Uint8Array(0), new Float64Array(0))).message).toBe('There are no rows to evaluate');
  });
});

describe("numpy's quantile and bins", () => {
  const sorted = Float64Array.of(0.1, 0.2, 0.7, 1.5, 9);

  it('gives numpy.quantile(a, linspace(0, 1, 11)) bit for bit', () => {
    // Printed by numpy 1.24.
    const expected = [0.1, 0.14, 0.18000000000000002, 0.3000000000000001, 0.5, 0.7, 1.0200000000000002, 1.3400000000000003, 3.0000000000000013, 6.000000000000001, 9.0];
    expect(Array.from(unitEdges(10), (q) => quantileSorted(sorted, q))).toEqual(expected);
    // numpy.percentile(a, q * 100) divides by 100 again and lands elsewhere at q = 0.7: 1.3399999999999999.
    expect(quantileSorted(sorted, ((0.7000000000000001 * 100) / 100))).toBe(1.3399999999999999);
    expect(quantileSorted(Float64Array.of(4), 0.5)).toBe(4);
  });

  it('bins as numpy.searchsorted(edges[1:-1], x): an edge belongs to the lower bin', () => {
    const edges = unitEdges(4); // 0, 0.25, 0.5, 0.75, 1
    expect([0, 0.25, 0.2500001, 0.5, 0.99, 1, 1.5].map((x) => binOf(edges, x))).toEqual([0, 0, 1, 1, 3, 3, 3]);
    expect(binOf(unitEdges(1), 0.3)).toBe(0);
  });

  it('thins a curve evenly, keeping its ends', () => {
    const points = Array.from({ length: 11 }, (_, i) => i);
    expect(thinPoints(points, 3)).toEqual([0, 5, 10]);
    expect(thinPoints(points, 20)).toBe(points);
  });
});
