// The evaluation report of a run's test predictions: every metric, bootstrap intervals, paired differences, calibration, fairness by group and the policy's verdict.
import { AppError } from '../errors.ts';
import type { Column, TaskKind } from '../types.ts';
import { bootstrap, differences, type BootstrapInterval, type BootstrapOptions } from './bootstrap.ts';
import { classificationHeadline, classificationReportOf, prepareClassification, type ClassificationReport } from './classification.ts';
import { fairnessEvidence, fairnessReport, type FairnessReport } from './fairness.ts';
import { headlineOf } from './headline.ts';
import { reviewVerdict, type ReviewPolicy, type ReviewVerdict, type SensitiveColumn } from './policy.ts';
import { regressionHeadline, regressionReport, type RegressionReport } from './regression.ts';
import { groupsOf } from './sensitive.ts';
import { predictedClasses } from './threshold.ts';

export const REVIEW_FORMAT = 'millrace.review/1';

/** What the report is made from: the test rows' actual values and the model's (and the dummy's) outputs on them. */
export interface ReviewInput {
  task: TaskKind;
  classes: string[];
  /** Classification: the class index of each row (-1: unseen or missing); regression: the value. */
  actual: Float32Array;
  /** Classification: n × k probabilities; regression: n predictions. */
  outputs: Float32Array;
  /** The dummy baseline's outputs on the same rows (class priors of the training rows, or their mean). */
  baselineOutputs: Float32Array;
  /** The champion's outputs on the same rows, when there is one. */
  championOutputs?: Float32Array | undefined;
  policy: ReviewPolicy | null;
  /** The sensitive columns' values on the same rows (the table column and the rows it is read at). */
  sensitive?: { spec: SensitiveColumn; column: Column; rows: Int32Array }[];
  bytes?: number | undefined;
  msPer1000Rows?: number | undefined;
  bootstrap?: BootstrapOptions;
}

export interface EvaluationReport {
  format: typeof REVIEW_FORMAT;
  task: TaskKind;
  rows: number;
  /** Binary: the positive class and the decision threshold the metrics use. */
  positiveClass: string | null;
  threshold: number | null;
  metrics: ClassificationReport | RegressionReport;
  baseline: Record<string, number>;
  /** Seeded bootstrap intervals of every headline metric. */
  ci: Record<string, BootstrapInterval>;
  /** Paired bootstrap: the model minus the dummy baseline, and minus the champion, on the same resampled rows. */
  vsBaseline: Record<string, BootstrapInterval>;
  vsChampion: Record<string, BootstrapInterval> | null;
  champion: Record<string, number> | null;
  /** Classification: the calibration curve's bins and its expected calibration error. */
  calibration: ClassificationReport['calibration'] | null;
  fairness: Record<string, FairnessReport>;
  verdict: ReviewVerdict;
}

/** The numeric headline of one set of outputs on some rows (NaN for a metric that cannot be computed, e.g. MAPE). */
type Headline = (rows: Int32Array) => Record<string, number>;

function headlineFor(input: ReviewInput, outputs: Float32Array, positive: number | undefined): { headline: Headline; full: () => ClassificationReport | RegressionReport } {
  if (input.task === 'regression') {
    return {
      headline: (rows) => {
        const h = regressionHeadline(input.actual, outputs, rows);
        return { rmse: h.rmse, mae: h.mae, r2: h.r2, mape: h.mape ?? NaN, maxError: h.maxError };
      },
      full: () => regressionReport(input.actual, outputs),
    };
  }
  const labels = Int32Array.from(input.actual);
  const prep = prepareClassification(labels, outputs, input.classes, {
    ...(positive !== undefined && input.task === 'binary' ? { positive } : {}),
    ...(input.policy?.threshold !== undefined ? { threshold: input.policy.threshold } : {}),
  });
  return {
    headline: (rows) => {
      const { n: _n, ...h } = classificationHeadline(prep, rows);
      return h;
    },
    full: () => classificationReportOf(prep),
  };
}

/**
 * The positive class's index: binary, the policy's, else the last class (scikit-learn's convention);
 * multiclass, the policy's (fairness then compares it against the rest), else none.
 */
function positiveOf(input: ReviewInput): number | undefined {
  if (input.task === 'regression') return undefined;
  const named = input.policy?.positiveClass;
  if (named === undefined) return input.task === 'binary' ? input.classes.length - 1 : undefined;
  const index = input.classes.indexOf(named);
  if (index < 0) throw new AppError('bad-argument', `The positive class "${named}" is not one of the classes ${input.classes.map((c) => `"${c}"`).join(', ')}`);
  return index;
}

/**
 * Builds the evaluation report: the full metrics, the dummy's headline, seeded bootstrap intervals (1,000
 * resamples by default) for every headline metric and for the paired differences to the baseline and the
 * champion, calibration, fairness per sensitive column, and the policy's verdict over all of it.
 */
export function evaluationReport(input: ReviewInput): EvaluationReport {
  const n = input.task === 'regression' ? input.outputs.length : input.actual.length;
  const positive = positiveOf(input);
  const model = headlineFor(input, input.outputs, positive);
  const dummy = headlineFor(input, input.baselineOutputs, positive);
  const champion = input.championOutputs ? headlineFor(input, input.championOutputs, positive) : undefined;
  const options = input.bootstrap ?? {};
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const metrics = model.full();
  // One pass over the resamples for the intervals and both paired differences: the same draws, made once.
  const toBaseline = differences(model.headline, dummy.headline) as Headline;
  const toChampion = champion ? (differences(model.headline, champion.headline) as Headline) : null;
  const joint = bootstrap(
    n,
    (rows) => {
      const out: Record<string, number> = {};
      for (const [key, value] of Object.entries(model.headline(rows))) out[`ci:${key}`] = value;
      for (const [key, value] of Object.entries(toBaseline(rows))) out[`vsBaseline:${key}`] = value;
      if (toChampion) for (const [key, value] of Object.entries(toChampion(rows))) out[`vsChampion:${key}`] = value;
      return out;
    },
    options,
  );
  const part = (prefix: string): Record<string, BootstrapInterval> =>
    Object.fromEntries(Object.entries(joint).flatMap(([key, interval]) => (key.startsWith(`${prefix}:`) ? [[key.slice(prefix.length + 1), interval]] : [])));
  const ci = part('ci');
  const vsBaseline = part('vsBaseline');
  const vsChampion = toChampion ? part('vsChampion') : null;
  const fairness: Record<string, FairnessReport> = {};
  const predicted = input.task === 'regression' ? undefined : predictedClasses(input.outputs, input.classes.length, {
    ...(positive !== undefined && input.task === 'binary' ? { positive } : {}),
    ...(input.policy?.threshold !== undefined ? { threshold: input.policy.threshold } : {}),
  });
  for (const { spec, column, rows } of input.sensitive ?? []) {
    const groups = groupsOf(column, spec, rows);
    // A fairness rule on the column needs disparities the task can have (a regression model's are refused); too few
    // rows in its groups are marked, and the rule's check then fails saying so.
    const ruled = (input.policy?.fairness ?? []).some((rule) => rule.column === spec.column);
    const minRows = input.policy?.minGroupRows;
    const make = (requireDisparities: boolean) => {
      const groupOptions = { ...options, requireDisparities, ...(minRows !== undefined ? { minRows } : {}) };
      return input.task === 'regression'
        ? fairnessReport({ task: 'regression', actual: input.actual, predicted: input.outputs, groups }, groupOptions)
        : fairnessReport({ task: input.task, classes: input.classes, labels: Int32Array.from(input.actual), predicted: predicted!, ...(positive !== undefined ? { positive } : {}), groups }, groupOptions);
    };
    try {
      fairness[spec.column] = make(ruled);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'too-few-rows' && ruled)) throw error;
      fairness[spec.column] = make(false);
    }
  }
  const championHeadline = champion ? champion.headline(all) : null;
  const classification = input.task === 'regression' ? null : (metrics as ClassificationReport);
  const verdict = reviewVerdict(input.policy, {
    metrics: headlineOf(model.headline(all)),
    baseline: headlineOf(dummy.headline(all)),
    champion: championHeadline ? headlineOf(championHeadline) : undefined,
    fairness: Object.fromEntries(Object.entries(fairness).map(([column, report]) => [column, fairnessEvidence(report)])),
    fairnessNotes: Object.fromEntries(Object.entries(fairness).flatMap(([column, report]) => (report.noDisparities ? [[column, report.noDisparities]] : []))),
    ece: classification?.calibration?.ece,
    bytes: input.bytes,
    msPer1000Rows: input.msPer1000Rows,
  });
  return {
    format: REVIEW_FORMAT,
    task: input.task,
    rows: n,
    positiveClass: positive === undefined ? null : (input.classes[positive] ?? null),
    threshold: input.task === 'binary' ? (input.policy?.threshold ?? 0.5) : null,
    metrics,
    baseline: dummy.headline(all),
    ci,
    vsBaseline,
    vsChampion,
    champion: championHeadline,
    calibration: classification?.calibration ?? null,
    fairness,
    verdict,
  };
}
