// Seeded bootstrap intervals against numpy: the resamples are RandomState(seed).randint(0, n, size=n) drawn in sequence
// and the interval is numpy.percentile of the resample values (fairness-reference/make_fairness_reference.py computed
// them with numpy 1.24).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bootstrap,
  bootstrapInterval,
  differences,
  pairedBootstrap,
  percentileSorted,
  Resampler,
  type BootstrapInterval,
} from '../../../../src/lib/pipeline/review/bootstrap.ts';
import { catchAppError } from '../helpers.ts';

interface Expected {
  estimate: number;
  low: number | null;
  high: number | null;
  skipped: number;
  seed: number;
  resamples: number;
  level: number;
}

interface BootstrapReference {
  correct4200: number[];
  correct4700: number[];
  mass: number[];
  tinyLabels: number[];
  tinyPredicted: number[];
  accuracy: Expected;
  accuracySeed7Level90: Expected;
  paired: Expected;
  meanMass: Expected;
  tinyTpr: Expected;
  draws: Record<string, Record<string, { first: number[]; last: number[] }>>;
  percentiles: { values: number[]; 'p2.5': number; 'p97.5': number; p50: number };
}

const ref = JSON.parse(readFileSync(new URL('./fairness-reference/bootstrap.json', import.meta.url), 'utf8')) as BootstrapReference;
const TOL = 1e-12;

function expectInterval(actual: BootstrapInterval, expected: Expected): void {
  expect(actual.estimate).toBeCloseTo(expected.estimate, 12);
  expect(Math.abs(actual.low - (expected.low as number))).toBeLessThan(TOL);
  expect(Math.abs(actual.high - (expected.high as number))).toBeLessThan(TOL);
  expect(actual.skipped).toBe(expected.skipped);
  expect(actual.resamples).toBe(expected.resamples);
  expect(actual.seed).toBe(expected.seed);
  expect(actual.level).toBe(expected.level);
}

const meanOf = (values: Float64Array) => (rows: Int32Array) => {
  let s = 0;
  for (let j = 0; j < rows.length; j++) s += values[rows[j] as number] as number;
  return s / rows.length;
};

const correct4200 = Float64Array.from(ref.correct4200);
const correct4700 = Float64Array.from(ref.correct4700);

describe('resamples', () => {
  it.each(Object.entries(ref.draws))('%s: the resamples are numpy RandomState(seed).randint(0, n, size=n), one after another', (name, draws) => {
    const [, n, seed] = /^n(\d+)seed(\d+)$/.exec(name)!.map(Number) as [number, number, number];
    const resampler = new Resampler(n, seed);
    const last = Math.max(...Object.keys(draws).map(Number));
    for (let r = 0; r <= last; r++) {
      const rows = resampler.next();
      expect(rows.length).toBe(n);
      const want = draws[String(r)];
      if (!want) continue;
      expect(Array.from(rows.subarray(0, want.first.length))).toEqual(want.first);
      expect(Array.from(rows.subarray(rows.length - want.last.length))).toEqual(want.last);
    }
  });

  it('reuses one buffer', () => {
    const resampler = new Resampler(10, 1);
    const a = resampler.next();
    const copy = a.slice();
    const b = resampler.next();
    expect(b).toBe(a);
    expect(Array.from(b)).not.toEqual(Array.from(copy));
  });
});

describe('percentiles', () => {
  it("equal numpy.percentile's default (linear) method", () => {
    const sorted = Float64Array.from(ref.percentiles.values).sort();
    expect(percentileSorted(sorted, 0.025)).toBe(ref.percentiles['p2.5']);
    expect(percentileSorted(sorted, 0.975)).toBe(ref.percentiles['p97.5']);
    expect(percentileSorted(sorted, 0.5)).toBe(ref.percentiles.p50);
    expect(percentileSorted(new Float64Array(0), 0.5)).toBeNaN();
    expect(percentileSorted(Float64Array.of(7), 0.975)).toBe(7);
  });
});

describe('bootstrapInterval against numpy', () => {
  it('accuracy of a rule on the 344 penguins, seed 42, 1,000 resamples, 95%', () => {
    expectInterval(bootstrapInterval(correct4200.length, meanOf(correct4200), { seed: 42 }), ref.accuracy);
  });

  it('seed 7 at level 0.9 (the 5th and 95th percentiles)', () => {
    expectInterval(bootstrapInterval(correct4200.length, meanOf(correct4200), { seed: 7, level: 0.9 }), ref.accuracySeed7Level90);
  });

  it('mean body mass, 500 resamples (interpolated percentiles of a continuous statistic)', () => {
    const mass = Float64Array.from(ref.mass);
    expectInterval(bootstrapInterval(mass.length, meanOf(mass), { seed: 3, resamples: 500 }), ref.meanMass);
  });

  it('a resample where the metric is undefined (no positives: TPR is NaN) is left out and counted', () => {
    const labels = Int32Array.from(ref.tinyLabels);
    const predicted = Int32Array.from(ref.tinyPredicted);
    const tpr = (rows: Int32Array) => {
      let pos = 0;
      let hit = 0;
      for (const i of rows) {
        if (labels[i] === 1) {
          pos++;
          hit += predicted[i] as number;
        }
      }
      return pos ? hit / pos : NaN;
    };
    const result = bootstrapInterval(labels.length, tpr, { seed: 5 });
    expectInterval(result, ref.tinyTpr);
    expect(result.skipped).toBeGreaterThan(0);
  });

  it('paired: A − B on the same resampled rows', () => {
    expectInterval(pairedBootstrap(correct4200.length, meanOf(correct4200), meanOf(correct4700), { seed: 42 }), ref.paired);
  });
});

describe('bootstrap of several numbers at once', () => {
  it('gives each number the interval it would get alone (same resamples)', () => {
    const n = correct4200.length;
    const many = bootstrap(n, (rows) => ({ a: meanOf(correct4200)(rows), b: meanOf(correct4700)(rows) }), { seed: 42 });
    expect(many.a).toEqual(bootstrapInterval(n, meanOf(correct4200), { seed: 42 }));
    expect(many.b).toEqual(bootstrapInterval(n, meanOf(correct4700), { seed: 42 }));
  });

  it('differences() makes paired intervals of every shared metric', () => {
    const n = correct4200.length;
    const model = (values: Float64Array) => (rows: Int32Array) => ({ accuracy: meanOf(values)(rows), errorRate: 1 - meanOf(values)(rows) });
    const paired = bootstrap(n, differences(model(correct4200), model(correct4700)), { seed: 42 });
    expectInterval(paired.accuracy, ref.paired);
    expect(paired.errorRate.estimate).toBeCloseTo(-ref.paired.estimate, 12);
    expect(paired.errorRate.low).toBeCloseTo(-(ref.paired.high as number), 12);
  });

  it('is reproducible for a seed and changes with it', () => {
    const n = correct4200.length;
    const a = bootstrapInterval(n, meanOf(correct4200), { seed: 9 });
    expect(bootstrapInterval(n, meanOf(correct4200), { seed: 9 })).toEqual(a);
    expect(bootstrapInterval(n, meanOf(correct4200), { seed: 10 })).not.toEqual(a);
  });

  it('gives NaN bounds when every resample is undefined', () => {
    const result = bootstrapInterval(5, () => NaN, { resamples: 20 });
    expect(result).toMatchObject({ skipped: 20, resamples: 20 });
    expect(result.low).toBeNaN();
    expect(result.high).toBeNaN();
  });
});

describe('refusals name the bad input', () => {
  const metric = () => 0;
  it.each([
    [0, {}, 'There are no rows to resample'],
    [1.5, {}, 'whole number of rows, got 1.5'],
    [10, { resamples: 0 }, 'resamples must be a whole number from 1 to 100000, got 0'],
    [10, { resamples: 2.5 }, 'got 2.5'],
    [10, { level: 1 }, "level must be between 0 and 1 (e.g. 0.95), got 1"],
    [10, { level: 95 }, 'got 95'],
    [10, { seed: -1 }, 'seed must be a whole number from 0 to 4294967295 (as numpy takes it), got -1'],
    [10, { seed: 2 ** 32 }, 'got 4294967296'],
  ])('n=%s %o', (n, options, message) => {
    const error = catchAppError(() => bootstrapInterval(n, metric, options));
    expect(error.code).toBe('bad-argument');
    expect(error.message).toContain(message);
  });
});

describe('speed', () => {
  it('1,000 resamples of 200,000 rows with a cheap metric take a few seconds', () => {
    const n = 200_000;
    const correct = new Uint8Array(n);
    for (let i = 0; i < n; i++) correct[i] = (i * 7919) % 10 < 8 ? 1 : 0;
    const accuracy = (rows: Int32Array) => {
      let s = 0;
      for (let j = 0; j < rows.length; j++) s += correct[rows[j] as number] as number;
      return s / rows.length;
    };
    const started = performance.now();
    const result = bootstrapInterval(n, accuracy, { seed: 1 });
    const seconds = (performance.now() - started) / 1000;
    console.log(`bootstrap: 1,000 resamples × 200,000 rows in ${seconds.toFixed(2)} s`);
    expect(result.estimate).toBe(0.8);
    expect(result.low).toBeLessThan(0.8);
    expect(result.high).toBeGreaterThan(0.8);
    expect(result.high - result.low).toBeLessThan(0.01);
    // About 4.5 s on a slow 2-core machine (nearly all of it drawing 263M numbers from MT19937); generous for CI.
    expect(seconds).toBeLessThan(30);
  }, 60_000);
});
