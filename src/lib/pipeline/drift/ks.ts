// The two-sample Kolmogorov–Smirnov p-value of scipy.stats.ks_2samp (two-sided, method 'auto'): exact up to 10,000 values a side, else Smirnov's asymptotic kstwo.
//
// Ported from scipy 1.10 (scipy/stats/_stats_py.py `ks_2samp`, `_attempt_exact_2kssamp`, `_compute_prob_outside_square`;
// scipy/stats/_stats_pythran.py `_compute_outer_prob_inside_method`, Hodges 1958 with Viehmann's 2021 recursion for 1 − p).
import { kolmogorovSf } from './kolmogorov.ts';

/** 'auto' is exact when both samples have at most this many values (scipy's MAX_AUTO_N). */
export const KS_EXACT_MAX = 10_000;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Pr(D_{n,n} ≥ h/n) for two samples of n each. */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
    k -= 1;
  }
  return 2 * P;
}

/** The share of lattice paths from (0, 0) to (m, n) that leave the band |x/m − y/n| < h / lcm(m, n). */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(Math.max(lenA, n + 2)).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = ((A[jj + minj - lastminj] as number) * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1] as number;
}

/** numpy's round: halves to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export interface KsResult {
  /** The statistic as scipy returns it (the exact path rounds it to a multiple of 1 / lcm(n1, n2)). */
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/** The p-value of a two-sided two-sample KS statistic `d` between samples of n1 and n2 values (both ≥ 1). */
export function ksPValue(d: number, n1: number, n2: number): KsResult {
  if (Math.max(n1, n2) <= KS_EXACT_MAX) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    const exactD = h / lcm;
    if (h === 0) return { statistic: exactD, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (p >= 0 && p <= 1) return { statistic: exactD, pValue: p, method: 'exact' };
    d = exactD;
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = roundHalfEven((m * n) / (m + n));
  // kstwo's support starts at 0.5 / n; below it sf is 1 (and kstwo with n = 0 is undefined: scipy gives NaN).
  const p = en < 1 ? NaN : d < 0.5 / en ? 1 : kolmogorovSf(en, d);
  return { statistic: d, pValue: Math.min(1, Math.max(0, p)), method: 'asymptotic' };
}
