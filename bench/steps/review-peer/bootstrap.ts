// Seeded bootstrap intervals for the review: percentile intervals of any metric over resampled rows, and the paired [bench peer: src/lib/pipeline/review/bootstrap.ts as of commit 623ec30, before the review speed work]
// bootstrap of a difference between two models scored on the same rows.
//
// Reproducible with numpy: resample r (r = 0, 1, …) is the r-th call of `rs.randint(0, n, size=n)` on one
// `rs = numpy.random.RandomState(seed)`, drawn bit for bit as numpy draws it (legacy masked rejection sampling on
// MT19937's 32-bit outputs, see numpy-random.ts), and the interval is `numpy.percentile(values, [2.5, 97.5])` of the
// resample values (linear interpolation, numpy's default). A resample whose value is NaN (AUC on a resample with one
// class, a rate with no rows) is left out and counted in `skipped`.
//
// Speed: one Int32Array of row indices is filled in place per resample (no allocation per resample or row); the
// metric reads it and must not keep it.
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import { NumpyRandomState } from '../../../src/lib/pipeline/numpy-random.ts';

export const BOOTSTRAP_RESAMPLES = 1000;
export const BOOTSTRAP_LEVEL = 0.95;
/** The seed when none is given; a review passes the run's seed. */
export const BOOTSTRAP_SEED = 0;
/** The most resamples accepted. */
export const MAX_RESAMPLES = 100_000;

/** A number computed on rows given as indices (with repeats) into the evaluated rows. */
export type RowMetric = (rows: Int32Array) => number;
/** Several numbers computed on the same rows (e.g. every headline metric at once). */
export type RowStatistic<K extends string> = (rows: Int32Array) => Record<K, number>;

export interface BootstrapOptions {
  /** Default 1,000. */
  resamples?: number;
  /** numpy RandomState seed, 0 … 2³²−1 (default 0). */
  seed?: number;
  /** Coverage of the percentile interval, strictly between 0 and 1 (default 0.95). */
  level?: number;
}

export interface BootstrapInterval {
  /** The metric on all rows (for a paired bootstrap, A − B on all rows). */
  estimate: number;
  /** The (1 − level)/2 and (1 + level)/2 percentiles of the resample values; NaN when every resample was skipped. */
  low: number;
  high: number;
  level: number;
  /** Resamples drawn (skipped ones included). */
  resamples: number;
  /** Resamples whose value was NaN, left out of the percentiles. */
  skipped: number;
  seed: number;
}

interface Settings {
  resamples: number;
  seed: number;
  level: number;
}

function settings(options: BootstrapOptions): Settings {
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  if (!(Number.isInteger(resamples) && resamples >= 1 && resamples <= MAX_RESAMPLES)) {
    throw new AppError('bad-argument', `The number of bootstrap resamples must be a whole number from 1 to ${MAX_RESAMPLES}, got ${String(resamples)}`);
  }
  const level = options.level ?? BOOTSTRAP_LEVEL;
  if (!(typeof level === 'number' && level > 0 && level < 1)) {
    throw new AppError('bad-argument', `The bootstrap interval's level must be between 0 and 1 (e.g. 0.95), got ${String(level)}`);
  }
  const seed = options.seed ?? BOOTSTRAP_SEED;
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    throw new AppError('bad-argument', `The bootstrap seed must be a whole number from 0 to 4294967295 (as numpy takes it), got ${String(seed)}`);
  }
  return { resamples, seed, level };
}

function checkRowCount(n: number): void {
  if (!(Number.isInteger(n) && n >= 1 && n < 2 ** 31)) {
    throw new AppError('bad-argument', n === 0 ? 'There are no rows to resample' : `A bootstrap needs a whole number of rows, got ${String(n)}`);
  }
}

/**
 * The resamples of n rows for a seed, one after another into one reused buffer: `next()` returns the same Int32Array
 * refilled with `RandomState(seed).randint(0, n, size=n)`'s next values.
 */
export class Resampler {
  readonly rows: Int32Array;
  readonly #random: NumpyRandomState;
  readonly #max: number;
  readonly #mask: number;

  constructor(n: number, seed: number) {
    checkRowCount(n);
    this.rows = new Int32Array(n);
    this.#random = new NumpyRandomState(seed);
    this.#max = n - 1;
    let mask = n - 1;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    this.#mask = mask;
  }

  /** The next resample (numpy draws nothing when n is 1: every index is 0). */
  next(): Int32Array {
    const rows = this.rows;
    const max = this.#max;
    if (max === 0) return rows;
    const mask = this.#mask;
    const random = this.#random;
    for (let i = 0; i < rows.length; i++) {
      let value: number;
      do value = random.nextUint32() & mask;
      while (value > max);
      rows[i] = value;
    }
    return rows;
  }
}

/** 0 … n−1: all rows once, for the estimate. */
function identity(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/**
 * numpy's `percentile(sorted, 100·q)` with the default linear method: virtual index (m − 1)·q between the two
 * neighbours, interpolated as numpy's `_lerp` does (from the upper neighbour when the fraction is ≥ 0.5).
 */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const index = (m - 1) * q;
  const below = Math.min(m - 1, Math.max(0, Math.floor(index)));
  const above = Math.min(m - 1, below + 1);
  const t = index - below;
  const a = sorted[below] as number;
  const b = sorted[above] as number;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

function intervalOf(estimate: number, values: Float64Array, count: number, s: Settings): BootstrapInterval {
  const valid = values.subarray(0, count).sort();
  const tail = (1 - s.level) / 2;
  return {
    estimate,
    low: percentileSorted(valid, tail),
    high: percentileSorted(valid, 1 - tail),
    level: s.level,
    resamples: s.resamples,
    skipped: s.resamples - count,
    seed: s.seed,
  };
}

/**
 * Percentile intervals of several numbers computed together on the same resamples (one call of `statistic` per
 * resample): e.g. every headline metric of a model, or the differences of two models' metrics. The keys are those
 * `statistic` returns on all rows.
 */
export function bootstrap<K extends string>(n: number, statistic: RowStatistic<K>, options: BootstrapOptions = {}): Record<K, BootstrapInterval> {
  checkRowCount(n);
  const s = settings(options);
  const estimates = statistic(identity(n));
  const keys = Object.keys(estimates) as K[];
  const values = keys.map(() => new Float64Array(s.resamples));
  const counts = new Int32Array(keys.length);
  const resampler = new Resampler(n, s.seed);
  for (let r = 0; r < s.resamples; r++) {
    const result = statistic(resampler.next());
    for (let k = 0; k < keys.length; k++) {
      const v = result[keys[k] as K];
      if (typeof v === 'number' && v === v) (values[k] as Float64Array)[counts[k]!++] = v;
    }
  }
  const out = {} as Record<K, BootstrapInterval>;
  keys.forEach((key, k) => {
    out[key] = intervalOf(estimates[key], values[k] as Float64Array, counts[k] as number, s);
  });
  return out;
}

/** The percentile interval of one metric over `resamples` seeded resamples of n rows. */
export function bootstrapInterval(n: number, metric: RowMetric, options: BootstrapOptions = {}): BootstrapInterval {
  return bootstrap(n, (rows) => ({ value: metric(rows) }), options).value;
}

/**
 * The paired bootstrap of A − B: both metrics on the same resampled rows (two models scored on the same rows, e.g.
 * the candidate against the dummy baseline or the champion). An interval above 0 means A is higher on nearly every
 * resample, not only on these rows.
 */
export function pairedBootstrap(n: number, metricA: RowMetric, metricB: RowMetric, options: BootstrapOptions = {}): BootstrapInterval {
  return bootstrap(n, (rows) => ({ value: metricA(rows) - metricB(rows) }), options).value;
}

/**
 * A statistic of the differences A − B for every key A returns (NaN where either side is not a number), for
 * `bootstrap`: paired intervals of many metrics at once, e.g. `bootstrap(n, differences(candidate, champion))`.
 */
export function differences<K extends string>(
  a: (rows: Int32Array) => Partial<Record<K, number | null | undefined>>,
  b: (rows: Int32Array) => Partial<Record<K, number | null | undefined>>,
): RowStatistic<K> {
  return (rows) => {
    const x = a(rows);
    const y = b(rows);
    const out = {} as Record<K, number>;
    for (const key of Object.keys(x) as K[]) {
      const u = x[key];
      const v = y[key];
      out[key] = typeof u === 'number' && typeof v === 'number' ? u - v : NaN;
    }
    return out;
  };
}
