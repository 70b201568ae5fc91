// Regression metrics of the review against scikit-learn and pandas (reference/regression.json, from
// make_reference.py), scikit-learn's documented examples, hand computations, and refused input.
import { describe, expect, it } from 'vitest';
import { MAPE_CROSSES_ZERO, MAPE_ZERO, regressionHeadline, regressionReport } from '../../../../src/lib/pipeline/review/regression.ts';
import { catchAppError } from '../helpers.ts';
import { expectClose, loadReference } from './reference.ts';

interface Case {
  name: string;
  actual: number[];
  predicted: number[];
  rows?: number[];
  resampled?: Record<string, number | null>;
  expected: Record<string, number | null> & { byDecile: object[] };
}

const REF = loadReference<{ versions: Record<string, string>; cases: Case[] }>('regression.json');
const DOC = loadReference<{ docstrings: Record<string, Record<string, number[] | number>> }>('classification.json').docstrings;

describe('regressionReport against scikit-learn and pandas', () => {
  it('ran on scikit-learn 1.2 and pandas 1.5', () => {
    expect(REF.versions.sklearn).toBe('1.2.1');
    expect(REF.versions.pandas).toBe('1.5.3');
  });

  for (const c of REF.cases) {
    describe(c.name, () => {
      const actual = Float64Array.from(c.actual);
      const predicted = Float64Array.from(c.predicted);
      const report = regressionReport(actual, predicted);

      it('gives RMSE, MAE, R², MAPE (or why not) and max error', () => {
        const { byDecile, ...headline } = c.expected;
        expectClose(report, headline);
        expect(byDecile).toHaveLength(10);
        if (c.expected.mape === null) expect(report.mapeSkipped).toBe(MAPE_CROSSES_ZERO);
        else expect(report.mapeSkipped).toBeUndefined();
      });

      it("gives the error by decile of the prediction as pandas' qcut(predicted, 10)", () => {
        expectClose(report.byDecile, c.expected.byDecile, 'byDecile');
      });

      if (c.rows && c.resampled) {
        const rows = Int32Array.from(c.rows);
        it('gives the numbers of the materialized bootstrap resample from the row indices', () => {
          expectClose(regressionHeadline(actual, predicted, rows), c.resampled);
          expectClose(regressionReport(actual, predicted, { rows }), c.resampled);
        });
      }
    });
  }
});

describe("scikit-learn's documented examples", () => {
  it('r2_score ≈ 0.948, mean_absolute_error 0.5, RMSE ≈ 0.612 of [3, -0.5, 2, 7] vs [2.5, 0.0, 2, 8]', () => {
    const example = DOC.regression!;
    const report = regressionReport(Float64Array.from(example.actual as number[]), Float64Array.from(example.predicted as number[]));
    expect(report.r2).toBeCloseTo(0.9486, 4); // printed 0.948…
    expect(report.mae).toBe(0.5);
    expect(report.rmse).toBeCloseTo(0.6124, 4); // printed 0.612…
    expectClose([report.r2, report.mae, report.rmse], [example.r2, example.mae, example.rmse]);
    // scikit-learn gives a MAPE of 0.3273… here; the review skips it, since the target crosses zero.
    expect(example.mape).toBeCloseTo(0.32738, 5);
    expect(report.mape).toBeNull();
    expect(report.mapeSkipped).toBe('the target crosses zero: MAPE is undefined');
  });

  it('max_error([3, 2, 7, 1], [4, 2, 7, 1]) = 1', () => {
    expect(regressionHeadline(Float64Array.of(3, 2, 7, 1), Float64Array.of(4, 2, 7, 1)).maxError).toBe(1);
  });

  it('mean_absolute_percentage_error([1, 10, 1e6], [0.9, 15, 1.2e6]) ≈ 0.2666', () => {
    expect(regressionHeadline(Float64Array.of(1, 10, 1e6), Float64Array.of(0.9, 15, 1.2e6)).mape).toBeCloseTo(0.266667, 6); // printed 0.2666…
  });
});

describe('regressionReport by hand', () => {
  it('computes every metric of a small case', () => {
    // Errors (actual − predicted): 1, −1, 2, 0 → MAE 1, RMSE √(6/4), max 2. Mean actual 5: SS_tot 4 + 4 + 16 + 16 = 40.
    const h = regressionHeadline(Float32Array.of(3, 7, 9, 1), Float32Array.of(2, 8, 7, 1));
    expect(h.n).toBe(4);
    expect(h.mae).toBe(1);
    expect(h.rmse).toBe(Math.sqrt(1.5));
    expect(h.maxError).toBe(2);
    expect(h.r2).toBe(1 - 6 / 40);
    expect(h.mape).toBeCloseTo((1 / 3 + 1 / 7 + 2 / 9 + 0) / 4, 15);
  });

  it('gives R² 1 for exact predictions of a constant target and 0 otherwise (scikit-learn force_finite)', () => {
    expect(regressionHeadline(Float64Array.of(2, 2), Float64Array.of(2, 2)).r2).toBe(1);
    expect(regressionHeadline(Float64Array.of(2, 2), Float64Array.of(2, 3)).r2).toBe(0);
  });

  it('skips MAPE with a reason when the target is 0 or takes both signs, and keeps it for a negative target', () => {
    const zero = regressionHeadline(Float64Array.of(0, 1, 2), Float64Array.of(0.1, 1, 2));
    expect(zero.mape).toBeNull();
    expect(zero.mapeSkipped).toBe(MAPE_ZERO);
    expect(regressionHeadline(Float64Array.of(-1, 1), Float64Array.of(-1, 1)).mapeSkipped).toBe(MAPE_CROSSES_ZERO);
    const negative = regressionHeadline(Float64Array.of(-2, -4), Float64Array.of(-1, -5));
    expect(negative.mape).toBe((0.5 + 0.25) / 2);
    expect(negative.mapeSkipped).toBeUndefined();
  });

  it('gives 10 deciles even when tied predictions empty some', () => {
    const n = 20;
    const constant = regressionReport(Float64Array.from({ length: n }, (_, i) => i), new Float64Array(n).fill(5));
    expect(constant.byDecile).toHaveLength(10);
    // All edges are 5; every prediction equals the first edge, so the first decile holds them all.
    expect(constant.byDecile[0]).toMatchObject({ decile: 1, from: 5, to: 5, n: 20, mae: 6, meanError: 4.5 }); // |i − 5| sums to 120
    expect(constant.byDecile[9]!.n).toBe(0);
    expect(constant.byDecile[9]!.mae).toBeNaN();
  });

  it('samples at most maxPoints points evenly, in row order, for the plots', () => {
    const n = 10_000;
    const actual = Float64Array.from({ length: n }, (_, i) => i);
    const report = regressionReport(actual, actual.map((v) => v + 1));
    expect(report.residuals).toHaveLength(2000);
    expect(report.residuals[0]).toEqual({ actual: 0, predicted: 1 });
    expect(report.residuals[1]).toEqual({ actual: 5, predicted: 6 });
    expect(regressionReport(actual, actual, { maxPoints: 3 }).residuals.map((p) => p.actual)).toEqual([0, 3333, 6666]);
    expect(regressionReport(Float64Array.of(1, 2), Float64Array.of(1, 2)).residuals).toHaveLength(2);
    // A resample samples its own rows.
    expect(regressionReport(actual, actual, { rows: Int32Array.of(7, 7, 3), maxPoints: 5 }).residuals.map((p) => p.actual)).toEqual([7, 7, 3]);
  });
});

describe('regressionReport refuses bad input', () => {
  const refuse = (fn: () => unknown, message: string) => {
    const error = catchAppError(fn);
    expect(error.code).toBe('bad-argument');
    expect(error.message).toBe(message);
  };

  it('names what is wrong', () => {
    refuse(() => regressionReport(new Float64Array(0), new Float64Array(0)), 'There are no rows to evaluate');
    refuse(() => regressionReport(Float64Array.of(1, 2), Float64Array.of(1)), 'Got 1 predictions for 2 rows');
    refuse(() => regressionReport(Float64Array.of(1, NaN), Float64Array.of(1, 2)), 'The actual value NaN in row 2 is not a finite number');
    refuse(() => regressionReport(Float64Array.of(1, 2), Float32Array.of(Infinity, 2)), 'The prediction Infinity in row 1 is not a finite number');
    refuse(() => regressionReport(Float64Array.of(1e308), Float64Array.of(-1e308)), 'The error in row 1 (1e+308 − -1e+308) is too large to compute');
    refuse(() => regressionReport(Float64Array.of(1, 2), Float64Array.of(1, 2), { rows: Int32Array.of(2) }), 'Resample row 2 is outside 0…1');
    refuse(() => regressionHeadline(Float64Array.of(1, 2), Float64Array.of(1, 2), new Int32Array(0)), 'The resample has no rows');
    refuse(() => regressionReport(Float64Array.of(1), Float64Array.of(1), { maxPoints: 0 }), 'The most plot points must be a whole number from 1, got 0');
  });
});
