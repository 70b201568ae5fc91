// Classification metrics of the review against scikit-learn 1.2 (values in reference/classification.json, written by
// reference/make_reference.py), scikit-learn's documented examples, hand computations, and every refused input.
import { describe, expect, it } from 'vitest';
import {
  classificationHeadline,
  classificationReport,
  classificationReportOf,
  prepareClassification,
  type ClassificationReport,
} from '../../../../src/lib/pipeline/review/classification.ts';
import { catchAppError } from '../helpers.ts';
import { expectClose, loadReference } from './reference.ts';

interface Calibration {
  strategy: string;
  bins: number;
  probTrue: number[];
  probPred: number[];
  counts: number[];
  from: number[];
  to: number[];
  ece: number;
}

interface Case {
  name: string;
  k: number;
  labels: number[];
  probs: number[];
  positive: number | null;
  threshold: number;
  rows?: number[];
  resampled?: Record<string, number>;
  expected: Record<string, number> & {
    perClass: object[];
    macro: object;
    weighted: object;
    confusion: number[][];
    curves: { class: number; rocAuc: number; averagePrecision: number; fpr: number[]; tpr: number[]; precision: number[]; recall: number[] }[];
    calibration: { uniform: Calibration; quantile: Calibration };
    thresholds: object[] | null;
  };
}

interface Reference {
  versions: Record<string, string>;
  cases: Case[];
  docstrings: Record<string, Record<string, number[] | number | string[]>>;
}

const REF = loadReference<Reference>('classification.json');
const HEADLINE = ['n', 'accuracy', 'balancedAccuracy', 'macroF1', 'weightedF1', 'rocAuc', 'averagePrecision', 'logLoss', 'brier', 'ece'] as const;
const classesOf = (k: number) => Array.from({ length: k }, (_, c) => `c${c}`);
const pick = (source: Record<string, unknown>) => Object.fromEntries(HEADLINE.map((key) => [key, source[key]]));

function inputs(c: Case) {
  return { labels: Int32Array.from(c.labels), probs: Float32Array.from(c.probs), classes: classesOf(c.k) };
}

function reportOf(c: Case, strategy: 'uniform' | 'quantile' = 'uniform'): ClassificationReport {
  const { labels, probs, classes } = inputs(c);
  return classificationReport(labels, probs, classes, {
    ...(c.positive === null ? {} : { positive: c.positive, threshold: c.threshold }),
    calibration: { strategy },
    maxCurvePoints: 100_000,
  });
}

function calibrationView(report: ClassificationReport) {
  const bins = report.calibration.bins;
  return {
    strategy: report.calibration.strategy,
    bins: report.calibration.binCount,
    probTrue: bins.map((b) => b.fractionPositive),
    probPred: bins.map((b) => b.meanPredicted),
    counts: bins.map((b) => b.count),
    from: bins.map((b) => b.from),
    to: bins.map((b) => b.to),
    ece: report.calibration.ece,
  };
}

describe('classificationReport against scikit-learn', () => {
  it('ran on the reference data of scikit-learn 1.2', () => {
    expect(REF.versions.sklearn).toBe('1.2.1');
    expect(REF.cases.map((c) => c.name)).toEqual(['binary', 'binary, threshold 0.3, positive class 0', '3 classes']);
  });

  for (const c of REF.cases) {
    describe(c.name, () => {
      const report = reportOf(c);

      it('gives the headline metrics', () => {
        expectClose(pick(report as unknown as Record<string, unknown>), pick(c.expected), 'report');
      });

      it('gives precision, recall, F1 and support per class, macro and weighted', () => {
        expect(report.perClass.map((m) => m.class)).toEqual(classesOf(c.k));
        expectClose(report.perClass, c.expected.perClass, 'perClass');
        expectClose(report.macro, c.expected.macro, 'macro');
        expectClose(report.weighted, c.expected.weighted, 'weighted');
        expect(report.confusion).toEqual(c.expected.confusion);
      });

      it('gives the ROC and precision-recall curves of roc_curve and precision_recall_curve', () => {
        expect(report.curves.map((curve) => curve.class)).toEqual(c.expected.curves.map((curve) => `c${curve.class}`));
        c.expected.curves.forEach((expected, j) => {
          const curve = report.curves[j]!;
          expectClose(curve.rocAuc, expected.rocAuc, 'rocAuc');
          expectClose(curve.averagePrecision, expected.averagePrecision, 'averagePrecision');
          expectClose(curve.roc.map((p) => p.fpr), expected.fpr, 'fpr');
          expectClose(curve.roc.map((p) => p.tpr), expected.tpr, 'tpr');
          expectClose(curve.pr.map((p) => p.precision), expected.precision, 'precision');
          expectClose(curve.pr.map((p) => p.recall), expected.recall, 'recall');
        });
      });

      it('gives calibration_curve with uniform and quantile bins, their counts and the ECE', () => {
        expectClose(calibrationView(report), c.expected.calibration.uniform, 'uniform');
        expectClose(calibrationView(reportOf(c, 'quantile')), c.expected.calibration.quantile, 'quantile');
      });

      it('gives the threshold view of the binary case', () => {
        if (c.k === 2) {
          expect(report.thresholds).toHaveLength(101);
          expectClose(report.thresholds, c.expected.thresholds, 'thresholds');
          expect(report.positive).toBe(`c${c.positive}`);
          expect(report.threshold).toBe(c.threshold);
        } else {
          expect(report.thresholds).toBeNull();
          expect(report.positive).toBeNull();
          expect(report.threshold).toBeNull();
        }
      });

      if (c.rows && c.resampled) {
        const rows = Int32Array.from(c.rows);
        it('gives the numbers of the materialized bootstrap resample from the row indices', () => {
          const { labels, probs, classes } = inputs(c);
          const prepared = prepareClassification(labels, probs, classes, {});
          expectClose(pick(classificationHeadline(prepared, rows) as unknown as Record<string, unknown>), c.resampled, 'resampled');
          // The prepared state is reusable: all rows again give the report's numbers.
          expectClose(pick(classificationHeadline(prepared) as unknown as Record<string, unknown>), pick(c.expected), 'again');
          expectClose(pick(classificationReportOf(prepared, rows) as unknown as Record<string, unknown>), c.resampled, 'report');
          expectClose(pick(classificationReport(labels, probs, classes, { rows }) as unknown as Record<string, unknown>), c.resampled, 'options.rows');
        });
      }
    });
  }

  it('gives the same numbers for a resample as for the rows copied out', () => {
    const c = REF.cases[2]!;
    const { labels, probs, classes } = inputs(c);
    const rows = Int32Array.from({ length: 250 }, (_, j) => (j * 7919) % labels.length);
    const copyLabels = Int32Array.from(rows, (i) => labels[i]!);
    const copyProbs = new Float32Array(rows.length * 3);
    rows.forEach((i, j) => copyProbs.set(probs.subarray(i * 3, i * 3 + 3), j * 3));
    const a = classificationReport(labels, probs, classes, { rows, calibration: { strategy: 'quantile' } });
    const b = classificationReport(copyLabels, copyProbs, classes, { calibration: { strategy: 'quantile' } });
    expectClose(a, JSON.parse(JSON.stringify(b)) as unknown, 'resample');
  });
});

describe("scikit-learn's documented examples", () => {
  const doc = REF.docstrings;

  it('log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) ≈ 0.21616', () => {
    const example = doc.log_loss!;
    const report = classificationReport(Int32Array.from(example.y as number[]), Float32Array.from(example.probs as number[]), ['ham', 'spam']);
    // The documented value; float32 probabilities (0.1 is not exact) move it by about 1e-8.
    expect(report.logLoss).toBeCloseTo(0.21616, 5);
    expect(Math.abs(report.logLoss - (example.value as number))).toBeLessThan(1e-7);
  });

  it('brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]) ≈ 0.0375 and average_precision_score ≈ 0.83', () => {
    const brier = doc.brier_score_loss!;
    const probs = (brier.probs as number[]).flatMap((p) => [1 - p, p]);
    const report = classificationReport(Int32Array.from(brier.y as number[]), Float32Array.from(probs), ['0', '1']);
    expect(report.brier).toBeCloseTo(0.0375, 7);
    const ap = doc.average_precision_score!;
    const apReport = classificationReport(Int32Array.from(ap.y as number[]), Float32Array.from((ap.scores as number[]).flatMap((p) => [1 - p, p])), ['0', '1']);
    expect(apReport.averagePrecision).toBeCloseTo(0.8333333333, 9);
    expect(apReport.rocAuc).toBe(0.75);
  });

  it('balanced_accuracy_score and the macro/weighted precision_recall_fscore_support of the cat/dog/pig example', () => {
    const oneHot = (pred: number[], k: number) => Float32Array.from(pred.flatMap((p) => Array.from({ length: k }, (_, c) => (c === p ? 1 : 0))));
    const ba = doc.balanced_accuracy_score!;
    const baReport = classificationReport(Int32Array.from(ba.y as number[]), oneHot(ba.pred as number[], 2), ['0', '1']);
    expect(baReport.balancedAccuracy).toBe(0.625);
    const prf = doc.precision_recall_fscore_support!;
    const report = classificationReport(Int32Array.from(prf.y as number[]), oneHot(prf.pred as number[], 3), prf.classes as string[]);
    // Documented: (0.22…, 0.33…, 0.26…, None) for both averages.
    expectClose([report.macro.precision, report.macro.recall, report.macro.f1], prf.macro, 'macro');
    expectClose([report.weighted.precision, report.weighted.recall, report.weighted.f1], prf.weighted, 'weighted');
    expect(report.macro.precision).toBeCloseTo(0.22, 2);
    expect(report.macro.f1).toBeCloseTo(0.267, 3);
  });
});

describe('classificationReport by hand', () => {
  // y = 0,0,1,1 (positive: class 1); P(1) = 0.1, 0.4, 0.35, 0.8; threshold 0.5 → predictions 0,0,0,1.
  const labels = Int32Array.of(0, 0, 1, 1);
  const probs = Float32Array.of(0.9, 0.1, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8);
  const report = classificationReport(labels, probs, ['no', 'yes']);

  it('counts the confusion matrix and per-class metrics', () => {
    expect(report.confusion).toEqual([
      [2, 0],
      [1, 1],
    ]);
    expect(report.accuracy).toBe(0.75);
    // no: precision 2/3, recall 1, F1 0.8; yes: precision 1, recall 1/2, F1 2/3.
    expect(report.perClass[0]).toMatchObject({ class: 'no', support: 2, recall: 1 });
    expect(report.perClass[0]!.precision).toBeCloseTo(2 / 3, 15);
    expect(report.perClass[0]!.f1).toBeCloseTo(0.8, 15);
    expect(report.perClass[1]).toMatchObject({ class: 'yes', support: 2, precision: 1, recall: 0.5 });
    expect(report.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 15);
    expect(report.balancedAccuracy).toBe(0.75);
    expect(report.excluded).toBe(0);
  });

  it('computes Brier and log loss of the float32 probabilities', () => {
    const p = Array.from(probs);
    expect(report.brier).toBeCloseTo(((p[1]! - 0) ** 2 + (p[3]! - 0) ** 2 + (p[5]! - 1) ** 2 + (p[7]! - 1) ** 2) / 4, 15);
    const ll = -(Math.log(p[0]! / (p[0]! + p[1]!)) + Math.log(p[2]! / (p[2]! + p[3]!)) + Math.log(p[5]! / (p[4]! + p[5]!)) + Math.log(p[7]! / (p[6]! + p[7]!))) / 4;
    expect(report.logLoss).toBeCloseTo(ll, 15);
  });

  it('predicts the positive class at P = threshold exactly, and follows the chosen threshold', () => {
    const tie = classificationReport(Int32Array.of(0, 1), Float32Array.of(0.5, 0.5, 0.5, 0.5), ['a', 'b']);
    expect(tie.confusion).toEqual([
      [0, 1],
      [0, 1],
    ]);
    const low = classificationReport(labels, probs, ['no', 'yes'], { threshold: 0.3 });
    expect(low.confusion).toEqual([
      [1, 1],
      [0, 2],
    ]);
    // The threshold changes the decisions, never the ranking metrics.
    expect(low.rocAuc).toBe(report.rocAuc);
  });

  it('takes another positive class', () => {
    const first = classificationReport(labels, probs, ['no', 'yes'], { positive: 0 });
    expect(first.positive).toBe('no');
    expect(first.rocAuc).toBe(0.75);
    expect(first.curves.map((c) => c.class)).toEqual(['no']);
    // P(no) ≥ 0.5 → no: rows 1, 2, 3 (0.9, 0.6, 0.65); row 4 → yes.
    expect(first.confusion).toEqual([
      [2, 0],
      [1, 1],
    ]);
  });

  it('leaves out rows whose label is not a class, and counts them', () => {
    const withUnknown = classificationReport(Int32Array.of(0, -1, 0, 1, 1, 7), Float32Array.of(0.9, 0.1, 0.5, 0.5, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8, 0.3, 0.7), ['no', 'yes']);
    expect(withUnknown.excluded).toBe(2);
    expect(withUnknown.n).toBe(4);
    expectClose(pick(withUnknown as unknown as Record<string, unknown>), pick(report as unknown as Record<string, unknown>), 'same');
    const rows = Int32Array.of(1, 0, 5);
    expect(classificationReport(Int32Array.of(0, -1, 0, 1, 1, 7), new Float32Array(12).fill(0.5), ['no', 'yes'], { rows }).excluded).toBe(2);
  });

  it('leaves out unknown labels of a multiclass model too, in every metric and curve', () => {
    const c = REF.cases[2]!;
    const labels = Int32Array.from([...c.labels.slice(0, 50), -1, 3]);
    const probs = Float32Array.from([...c.probs.slice(0, 150), 0.2, 0.3, 0.5, 0.9, 0.05, 0.05]);
    const withUnknown = classificationReport(labels, probs, classesOf(3), { calibration: { strategy: 'quantile' } });
    const without = classificationReport(labels.subarray(0, 50), probs.subarray(0, 150), classesOf(3), { calibration: { strategy: 'quantile' } });
    expect(withUnknown.excluded).toBe(2);
    expect({ ...withUnknown, excluded: 0 }).toEqual(without);
  });

  it('gives zero precision, recall and F1 to a class never predicted or absent (zero_division=0)', () => {
    // Three classes, class 2 never appears and is never predicted: left out of the macro mean (scikit-learn's labels).
    const r = classificationReport(Int32Array.of(0, 1, 1), Float32Array.of(0.2, 0.7, 0.1, 0.1, 0.8, 0.1, 0.6, 0.3, 0.1), ['a', 'b', 'c']);
    expect(r.perClass[0]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(r.perClass[2]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.macro.precision).toBeCloseTo((0 + 0.5) / 2, 15); // a never predicted right; b 1 of 2 predictions
    expect(r.balancedAccuracy).toBeCloseTo((0 + 0.5) / 2, 15);
    // Class c has no positives: its AUC and AP are undefined (NaN), and the macro means skip it.
    expect(r.curves[2]!.rocAuc).toBeNaN();
    expect(r.curves[2]!.averagePrecision).toBeNaN();
    expect(r.curves[2]!.roc).toEqual([]);
    expect(r.curves[2]!.pr).toEqual([]);
    expect(r.rocAuc).toBeCloseTo(((r.curves[0]!.rocAuc + r.curves[1]!.rocAuc) / 2), 15);
  });

  it('gives NaN ranking metrics when the rows hold one class only', () => {
    const r = classificationReport(Int32Array.of(1, 1), Float32Array.of(0.3, 0.7, 0.6, 0.4), ['a', 'b']);
    expect(r.rocAuc).toBeNaN();
    expect(r.averagePrecision).toBe(1 * 0.5 + 0.5 * 1); // recall 1/2 at 0.7 (precision 1), 1 at 0.4 (precision 1)
    expect(r.curves[0]!.roc).toEqual([]);
  });

  it('clips probabilities 0 and 1 at float64 epsilon in the log loss, as scikit-learn 1.2', () => {
    const sure = classificationReport(Int32Array.of(1, 0), Float32Array.of(1, 0, 1, 0), ['a', 'b']);
    // Row 1: p(true) clipped to 2⁻⁵², the row renormalized (1 − 2⁻⁵² + 2⁻⁵² = 1); row 2: p = 1 − 2⁻⁵².
    expect(sure.logLoss).toBeCloseTo((-Math.log(2 ** -52) - Math.log(1 - 2 ** -52)) / 2, 12);
    expect(classificationReport(Int32Array.of(1), Float32Array.of(1, 0), ['a', 'b'], { eps: 1e-15 }).logLoss).toBeCloseTo(-Math.log(1e-15), 9);
  });

  it('thins long curves to maxCurvePoints, keeping both ends', () => {
    const n = 5000;
    const labels2 = Int32Array.from({ length: n }, (_, i) => (i * 37) % 5 < 2 ? 1 : 0);
    const probs2 = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const p = Math.fround(((i * 7919) % n) / n);
      probs2[i * 2 + 1] = p;
      probs2[i * 2] = 1 - p;
    }
    const r = classificationReport(labels2, probs2, ['a', 'b']);
    const curve = r.curves[0]!;
    expect(curve.roc.length).toBeLessThanOrEqual(200);
    expect(curve.pr.length).toBe(200);
    expect(curve.roc[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(curve.roc.at(-1)).toEqual({ fpr: 1, tpr: 1 });
    expect(curve.pr.at(-1)).toEqual({ precision: 1, recall: 0 });
    expect(classificationReport(labels2, probs2, ['a', 'b'], { maxCurvePoints: 50 }).curves[0]!.pr).toHaveLength(50);
  });
});

describe('classificationReport refuses bad input', () => {
  const labels = Int32Array.of(0, 1);
  const probs = Float32Array.of(0.7, 0.3, 0.2, 0.8);
  const refuse = (fn: () => unknown, message: string) => {
    const error = catchAppError(fn);
    expect(error.code).toBe('bad-argument');
    expect(error.message).toContain(message);
  };

  it('names what is wrong', () => {
    refuse(() => classificationReport(new Int32Array(0), new Float32Array(0), ['a', 'b']), 'There are no rows to evaluate');
    refuse(() => classificationReport(labels, probs, ['a']), 'at least two classes, got 1');
    refuse(() => classificationReport(labels, probs.subarray(0, 3), ['a', 'b']), 'Got 3 probabilities for 2 rows × 2 classes');
    refuse(() => classificationReport(labels, Float32Array.of(0.7, 0.3, NaN, 0.8), ['a', 'b']), 'Probability NaN of class "a" in row 2 is not in [0, 1]');
    refuse(() => classificationReport(labels, Float32Array.of(0.7, 0.3, 1.5, 0.8), ['a', 'b']), 'Probability 1.5 of class "a" in row 2');
    refuse(() => classificationReport(labels, probs, ['a', 'b'], { threshold: 1.5 }), 'The decision threshold must be a number from 0 to 1, got 1.5');
    refuse(() => classificationReport(labels, probs, ['a', 'b'], { threshold: Number.NaN }), 'got NaN');
    refuse(() => classificationReport(labels, probs, ['a', 'b'], { positive: 2 }), 'The positive class must be a class index from 0 to 1, got 2');
    refuse(() => classificationReport(Int32Array.of(-1, 5), probs, ['a', 'b']), 'None of the 2 rows has a label among the 2 classes');
    refuse(() => classificationReport(labels, probs, ['a', 'b'], { rows: Int32Array.of(0, 2) }), 'Resample row 2 is outside 0…1');
    refuse(() => classificationReport(labels, probs, ['a', 'b'], { rows: new Int32Array(0) }), 'The resample has no rows');
    refuse(() => classificationReport(labels, probs, ['a', 'b'], { calibration: { bins: 0 } }), 'number of bins must be a whole number from 1, got 0');
    refuse(() => classificationReport(labels, probs, ['a', 'b'], { maxCurvePoints: 1 }), 'got 1');
    refuse(() => classificationReport(labels, probs, ['a', 'b'], { eps: -1 }), 'log-loss clipping');
    refuse(() => classificationReport(Int32Array.of(-1, 0), probs, ['a', 'b'], { rows: Int32Array.of(0, 0) }), 'None of the resampled rows');
  });
});
