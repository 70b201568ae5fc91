// Every drift figure against scipy 1.10 / numpy (tests/fixtures/drift/expected.json, written by make-expected.py beside this file): PSI, KS exact and asymptotic, Wasserstein, Jensen–Shannon, kstwo, chi-square, categories.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { categoryFigures } from '../../../src/lib/pipeline/drift/category.ts';
import { chiSquareSf } from '../../../src/lib/pipeline/drift/gamma.ts';
import { kolmogorovSf } from '../../../src/lib/pipeline/drift/kolmogorov.ts';
import { numericFigures, quantileSorted } from '../../../src/lib/pipeline/drift/numeric.ts';
import { radixSort, sortedFinite } from '../../../src/lib/pipeline/drift/sort.ts';

interface Numbers { psi: number; ks: number; ksP: number; wasserstein: number; wassersteinNormed: number; jensenShannon: number }
const expected = JSON.parse(readFileSync('tests/fixtures/drift/expected.json', 'utf8')) as {
  numeric: { name: string; reference: number[]; current: number[]; expected: Numbers }[];
  kstwo: { n: number; x: number; sf: number }[];
  chi2: { x: number; dof: number; sf: number }[];
  category: { name: string; reference: { levels: string[]; counts: number[] }; current: { levels: string[]; counts: number[] }; expected: Record<string, unknown> }[];
};

/** Equal within a relative tolerance (absolute below 1e-300, where both are underflow). */
function close(actual: number, wanted: number, rel = 1e-9): void {
  if (wanted === 0 || Math.abs(wanted) < 1e-300) expect(Math.abs(actual)).toBeLessThan(1e-300);
  else expect(Math.abs(actual - wanted) / Math.abs(wanted), `${actual} vs ${wanted}`).toBeLessThan(rel);
}

describe('numeric figures equal scipy and numpy', () => {
  for (const c of expected.numeric) {
    it(c.name, () => {
      const figures = numericFigures(sortedFinite(c.reference), sortedFinite(c.current));
      for (const key of ['psi', 'ks', 'wasserstein', 'wassersteinNormed', 'jensenShannon'] as const) close(figures[key], c.expected[key], 1e-9);
      close(figures.ksP, c.expected.ksP, 1e-8);
      expect(figures.ksMethod).toBe(Math.max(c.reference.length, c.current.length) <= 10_000 ? 'exact' : 'asymptotic');
    });
  }

  it("numpy's linear quantile (np.quantile(x, 0.9) is 7.600000000000001 here), ends included", () => {
    const s = [1, 2, 2, 10];
    expect([0, 0.1, 0.5, 0.9, 1].map((q) => quantileSorted(s, q))).toEqual([1, 1.3, 2, 7.600000000000001, 10]);
  });
});

describe('kstwo.sf and chi2.sf', () => {
  it.each(expected.kstwo)('kstwo.sf($x, $n)', ({ n, x, sf }) => close(kolmogorovSf(n, x), sf, 1e-9));
  it.each(expected.chi2)('chi2.sf($x, $dof)', ({ x, dof, sf }) => close(chiSquareSf(x, dof), sf, 1e-9));
  it('p below 1e-300 is 0, and large dof stay finite', () => {
    expect(chiSquareSf(1e5, 3)).toBe(0);
    expect(chiSquareSf(2e6, 1e6)).toBe(0);
    expect(chiSquareSf(1e6, 1e6)).toBeGreaterThan(0.49);
  });
});

describe('category figures equal scipy.stats.chi2_contingency (correction=False) and jensenshannon', () => {
  for (const c of expected.category) {
    it(c.name, () => {
      const f = categoryFigures(c.reference, c.current);
      for (const key of ['psi', 'chi2', 'jensenShannon'] as const) close(f[key], c.expected[key] as number, 1e-9);
      close(f.chi2P, c.expected.chi2P as number, 1e-8);
      expect(f.newCategories).toEqual(c.expected.newCategories);
      expect(f.vanishedCategories).toEqual(c.expected.vanishedCategories);
    });
  }
});

describe('sorting', () => {
  it('the radix sort orders like Float64Array.sort, with infinities, -0 and NaN dropped', () => {
    const values = new Float64Array(20_000);
    for (let i = 0; i < values.length; i++) values[i] = Math.sin(i * 12.9898) * 1e6 * (i % 5 ? 1 : 1e-12);
    values[3] = Infinity;
    values[4] = -Infinity;
    values[5] = -0;
    values[6] = 0;
    values[7] = NaN;
    const ours = sortedFinite(values);
    const theirs = values.filter((v) => !Number.isNaN(v)).sort();
    expect(ours.length).toBe(theirs.length);
    expect(ours.every((v, i) => Object.is(v, theirs[i]))).toBe(true);
    expect(Array.from(radixSort(Float64Array.from([3, -1, 2, -5, 0, 7, ...new Array(5000).fill(1)]))).slice(0, 5)).toEqual([-5, -1, 0, 1, 1]);
  });

  it('whole numbers and whole days take the counting path and sort the same', () => {
    const ints = Float64Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 101 - 50);
    expect(Array.from(sortedFinite(ints))).toEqual(Array.from(ints).sort((a, b) => a - b));
    const days = Float64Array.from({ length: 10_000 }, (_, i) => Date.UTC(2020, 0, 1) + ((i * 31) % 900) * 86_400_000);
    expect(Array.from(sortedFinite(days))).toEqual(Array.from(days).sort((a, b) => a - b));
  });
});

describe('radixSort orders like the built-in sort', () => {
  /** A seeded uniform source (mulberry32). */
  const random = (seed: number) => {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  };
  const same = (values: Float64Array) => {
    const theirs = values.slice().sort();
    const ours = radixSort(values.slice());
    expect(ours.every((v, i) => Object.is(v, theirs[i]))).toBe(true);
  };

  it('on wide-ranging values, signs, zeros and duplicates', () => {
    const r = random(11);
    same(Float64Array.from({ length: 50_000 }, () => (r() - 0.5) * 10 ** Math.floor(r() * 20 - 10)));
    same(Float64Array.from({ length: 20_000 }, (_, i) => (i % 7 === 0 ? -0 : i % 5 === 0 ? 0 : Math.round((r() - 0.5) * 100) / 10)));
  });

  it('on values that share their high 32 bits: short runs by insertion, long runs by the built-in sort', () => {
    const r = random(12);
    // 1 + k · 2⁻⁴⁰: thousands of values in one run of equal high words, and runs of a few.
    same(Float64Array.from({ length: 10_000 }, () => 1 + Math.floor(r() * 4096) * 2 ** -40));
    same(Float64Array.from({ length: 10_000 }, () => -(1 + Math.floor(r() * 1e6) * 2 ** -30)));
    same(Float64Array.from({ length: 10_000 }, () => Math.floor(r() * 3000) + Math.floor(r() * 3) * 2 ** -40));
  });
});
