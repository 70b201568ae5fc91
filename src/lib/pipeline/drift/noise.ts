// The noise bar of the one rule: what an unchanged batch of the batch's size reaches 95% of the time, from seeded resamples of the reference.
//
// An unchanged batch is drawn with replacement from the reference (B resamples, default 100, seeded) and its distance
// to the reference (normed Wasserstein for numbers, Jensen–Shannon for categories) computed exactly; the 95th
// percentile (numpy's linear percentile) of the B distances, at the size drawn M = min(m, NOISE_MAX_DRAW), is scaled
// by √((1/m + 1/n) / (1/M)), n the reference's size. Why: a resample compared with the reference it came from carries
// the batch's sampling noise only, while a real reference is a sample too; both distances shrink like √(1/m) and
// √(1/m + 1/n) (the same Brownian-bridge limit, Donsker), so the factor puts the reference's own noise back (for
// m ≤ M it is √(1 + m/n): 1.41 for equal sizes) and carries the bar from M to a larger batch. A batch of a million
// values thus costs 100 × 20,000 draws per column, not 100 × 1,000,000; the bar is then about 0.01, far below the
// practical 0.1. (Drawing both sides anew per resample would model the same thing exactly, at twice the cost per
// draw and O(n) per resample; the factor is exact in the limit and conservative for small batches.)
//
// Numbers: a resample of the sorted reference R is a sorted list of indices into it, drawn in O(M) without sorting
// (cumulated exponential spacings give sorted uniforms). Both ECDFs then step only at R's values, and between two
// drawn indices the resample's ECDF is a constant c, so ∫ |F_R − c| over that stretch is two prefix-sum differences:
// each resample costs O(M), not O(n + M log M).
import { jensenShannon } from './numeric.ts';
import { DriftRandom } from './random.ts';
import type { SketchNoise } from './types.ts';

/** The most values one resample draws. */
export const NOISE_MAX_DRAW = 5_000;
export const NOISE_RESAMPLES = 100;

/** numpy.percentile(values, q) (linear). */
export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

/** The factor from a resample of `drawn` values compared with a fixed reference to a batch of m against a reference of n. */
export function noiseScale(m: number, drawn: number, n: number): number {
  return Math.sqrt((1 / m + 1 / n) * drawn);
}

export interface NoiseOptions {
  resamples: number;
  seed: number;
  /** A stream number (e.g. the column's position) so that columns draw independently. */
  stream: number;
}

/** noise95 of the normed Wasserstein distance for a batch of `m` values against the ascending reference `R` (norm: its divisor). */
export function numericNoise95(R: Float64Array, norm: number, m: number, options: NoiseOptions): number {
  if (R.length < 2 || m < 1) return 0;
  const M = Math.min(m, NOISE_MAX_DRAW);
  return numericNoiseAt(R, norm, M, options) * noiseScale(m, M, R.length);
}

/** The raw 95th percentile of the normed Wasserstein distance of resamples of M values from `R` (before noiseScale). */
export function numericNoiseAt(R: Float64Array, norm: number, M: number, options: NoiseOptions): number {
  const n = R.length;
  if (n < 2 || M < 1) return 0;
  // E[i] = ∫ F_R over [R[0], R[i]] = Σ_{t<i} (t + 1)/n · (R[t + 1] − R[t]).
  const E = new Float64Array(n);
  for (let t = 0; t < n - 1; t++) E[t + 1] = (E[t] as number) + ((t + 1) / n) * ((R[t + 1] as number) - (R[t] as number));
  /** ∫ |F_R − c| over [R[a], R[b]] (a ≤ b ≤ n − 1). */
  const stretch = (a: number, b: number, c: number) => {
    if (a >= b) return 0;
    // F_R on [R[i], R[i + 1]) is (i + 1)/n: below c while i + 1 < c·n.
    const k = Math.min(b, Math.max(a, Math.ceil(c * n - 1)));
    return c * ((R[k] as number) - (R[a] as number)) - ((E[k] as number) - (E[a] as number)) + ((E[b] as number) - (E[k] as number)) - c * ((R[b] as number) - (R[k] as number));
  };
  const random = new DriftRandom(options.seed, options.stream);
  const spacings = new Float64Array(M + 1);
  const distances: number[] = [];
  for (let r = 0; r < options.resamples; r++) {
    let total = 0;
    for (let j = 0; j <= M; j++) {
      total -= Math.log(random.uniform());
      spacings[j] = total;
    }
    let area = 0;
    let from = 0;
    let c = 0;
    for (let j = 0; j < M; j++) {
      const index = Math.min(n - 1, Math.floor(((spacings[j] as number) / total) * n));
      if (index > from) {
        area += stretch(from, index, c);
        from = index;
      }
      c = (j + 1) / M;
    }
    area += stretch(from, n - 1, 1);
    distances.push(area / norm);
  }
  return percentile(distances, 95);
}

/** noise95 of the Jensen–Shannon distance for a batch of `m` labels against the reference's level counts. */
export function categoryNoise95(counts: readonly number[], m: number, options: NoiseOptions): number {
  const n = counts.reduce((a, b) => a + b, 0);
  if (counts.length < 2 || m < 1 || n === 0) return 0;
  const M = Math.min(m, NOISE_MAX_DRAW);
  return categoryNoiseAt(counts, M, options) * noiseScale(m, M, n);
}

/** The raw 95th percentile of the Jensen–Shannon distance of resamples of M labels from the level counts (before noiseScale). */
export function categoryNoiseAt(counts: readonly number[], M: number, options: NoiseOptions): number {
  const k = counts.length;
  const n = counts.reduce((a, b) => a + b, 0);
  if (k < 2 || M < 1 || n === 0) return 0;
  // Walker's alias table: one uniform and one comparison per draw.
  const probability = new Float64Array(k);
  const alias = new Int32Array(k);
  const scaled = counts.map((c) => (c * k) / n);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length && large.length) {
    const s = small.pop() as number;
    const l = large[large.length - 1] as number;
    probability[s] = scaled[s] as number;
    alias[s] = l;
    scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
    if ((scaled[l] as number) < 1) small.push(large.pop() as number);
  }
  for (const i of [...small, ...large]) probability[i] = 1;
  const random = new DriftRandom(options.seed, options.stream);
  const drawn = new Float64Array(k);
  const distances: number[] = [];
  for (let r = 0; r < options.resamples; r++) {
    drawn.fill(0);
    for (let j = 0; j < M; j++) {
      const u = random.uniform() * k;
      const i = Math.floor(u);
      const pick = u - i < (probability[i] as number) ? i : (alias[i] as number);
      drawn[pick] = (drawn[pick] as number) + 1;
    }
    distances.push(jensenShannon(counts, drawn));
  }
  return percentile(distances, 95);
}

/** The noise bar at the most values a resample draws, for a sketch column at `position` (its stream) with the sketch's seed. */
export function sketchNoise(column: { kind: 'number'; values: Float64Array; norm: number } | { kind: 'category'; counts: readonly number[] }, position: number, seed: number): SketchNoise {
  const options = { resamples: NOISE_RESAMPLES, seed, stream: position };
  const p95 = column.kind === 'number' ? numericNoiseAt(column.values, column.norm, NOISE_MAX_DRAW, options) : categoryNoiseAt(column.counts, NOISE_MAX_DRAW, options);
  return { draw: NOISE_MAX_DRAW, resamples: NOISE_RESAMPLES, p95 };
}
