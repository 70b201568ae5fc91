// Drift figures of a numeric column from two ascending value lists: PSI and Jensen–Shannon over 10 reference quantile bins, KS statistic and p-value, Wasserstein-1 raw and normed.
import { ksPValue } from './ks.ts';
import type { NumericFigures } from './types.ts';

/** The share given to an empty bin on either side before PSI takes logarithms (Evidently's 0.0001). */
export const EMPTY_SHARE = 1e-4;
/** Evidently's floor for the reference's standard deviation in the normed Wasserstein distance. */
export const STD_FLOOR = 0.001;

/** numpy.quantile(sorted, q) with the default 'linear' method (including numpy's _lerp, exact at both ends). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const at = (n - 1) * q;
  const lo = Math.min(n - 1, Math.max(0, Math.floor(at)));
  const t = at - lo;
  const a = sorted[lo] as number;
  if (lo + 1 >= n) return a;
  const b = sorted[lo + 1] as number;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** The PSI bin edges: the reference's deciles 0.1 … 0.9, duplicates merged (np.unique). Outer bins are open. */
export function psiEdges(reference: ArrayLike<number>): number[] {
  const edges: number[] = [];
  for (let k = 1; k <= 9; k++) {
    const e = quantileSorted(reference, k / 10);
    if (edges.length === 0 || e !== edges[edges.length - 1]) edges.push(e);
  }
  return edges;
}

/** The first index of an ascending list whose value is ≥ x (values below x are before it). */
export function lowerBound(sorted: ArrayLike<number>, x: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Shares of an ascending list per bin: bin j holds edges[j − 1] ≤ x < edges[j] (np.searchsorted(edges, x, 'right')). */
export function binShares(sorted: ArrayLike<number>, edges: readonly number[]): number[] {
  const n = sorted.length;
  const shares: number[] = [];
  let before = 0;
  for (const edge of edges) {
    const below = lowerBound(sorted, edge, before);
    shares.push((below - before) / n);
    before = below;
  }
  shares.push((n - before) / n);
  return shares;
}

/**
 * PSI = Σ (p − q) ln(p / q), an empty share on either side replaced by 1e-4 first. Evidently's get_binned_data
 * (src/evidently/legacy/calculations/stattests/utils.py) fills zeros with 0.0001, or with the smallest non-zero
 * share / 10⁶ when that share is itself ≤ 0.0001; here it is always 1e-4 (the rule, and the figures of
 * docs/baselines.md), so a 10,000-level column does not turn one empty level into a PSI of 10.
 */
export function psi(p: readonly number[], q: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const a = (p[i] as number) || EMPTY_SHARE;
    const b = (q[i] as number) || EMPTY_SHARE;
    sum += (a - b) * Math.log(a / b);
  }
  return sum;
}

/** scipy.spatial.distance.jensenshannon(p, q, base=2): both normalized to sum 1, √(JS divergence in bits). */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i] as number;
    sq += q[i] as number;
  }
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const a = (p[i] as number) / sp;
    const b = (q[i] as number) / sq;
    const m = (a + b) / 2;
    if (a > 0) sum += a * Math.log(a / m);
    if (b > 0) sum += b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(0, sum / Math.LN2 / 2));
}

/** numpy.std (ddof 0) of a list. */
export function standardDeviation(values: ArrayLike<number>): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] as number;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] as number) - mean) ** 2;
  return Math.sqrt(ss / n);
}

/**
 * The KS statistic max |F − G| (both ECDFs right-continuous, as scipy's searchsorted 'right') and the Wasserstein-1
 * distance ∫ |F − G| dx (scipy.stats.wasserstein_distance), in one merge of the two ascending lists.
 */
export function ksAndWasserstein(a: ArrayLike<number>, b: ArrayLike<number>): { ks: number; wasserstein: number } {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let ks = 0;
  let area = 0;
  let diff = 0;
  let last = NaN;
  while (i < n1 || j < n2) {
    const x = i < n1 && (j >= n2 || (a[i] as number) <= (b[j] as number)) ? (a[i] as number) : (b[j] as number);
    if (i + j > 0) area += diff * (x - last);
    while (i < n1 && a[i] === x) i++;
    while (j < n2 && b[j] === x) j++;
    diff = Math.abs(i / n1 - j / n2);
    if (diff > ks) ks = diff;
    last = x;
  }
  return { ks, wasserstein: area };
}

export interface NumericComparison extends NumericFigures {
  /** The reference's standard deviation (ddof 0) and the divisor used (STD_FLOOR when it is 0). */
  std: number;
  /** Whether the KS p-value is exact or Smirnov's asymptotic one. */
  ksMethod: 'exact' | 'asymptotic';
  /** Shares per PSI bin, reference and current, and the bins' inner edges. */
  edges: number[];
  referenceShares: number[];
  currentShares: number[];
}

/** Every numeric figure between two non-empty ascending lists (no NaN); `std` may be passed when known. */
export function numericFigures(reference: ArrayLike<number>, current: ArrayLike<number>, std = standardDeviation(reference)): NumericComparison {
  const edges = psiEdges(reference);
  const referenceShares = binShares(reference, edges);
  const currentShares = binShares(current, edges);
  const { ks, wasserstein } = ksAndWasserstein(reference, current);
  const test = ksPValue(ks, reference.length, current.length);
  return {
    psi: psi(referenceShares, currentShares),
    ks: test.statistic,
    ksP: test.pValue,
    wasserstein,
    wassersteinNormed: wasserstein / (std > 0 ? std : STD_FLOOR),
    jensenShannon: jensenShannon(referenceShares, currentShares),
    std,
    ksMethod: test.method,
    edges,
    referenceShares,
    currentShares,
  };
}
