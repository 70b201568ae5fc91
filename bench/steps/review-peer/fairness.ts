// Groups and fairness: a model's metrics per group of a sensitive column, and the disparities between the groups as [bench peer: src/lib/pipeline/review/fairness.ts as of commit 623ec30, before the review speed work]
// Fairlearn defines them, each with a seeded bootstrap interval.
//
// Per group: rows, and (binary, or multiclass with a positive class: one against the rest) base rate, selection rate,
// TPR, FPR, precision and accuracy; (multiclass) accuracy and macro-F1 (scikit-learn's f1_score(average="macro") over
// the classes in the group's labels or predictions); (regression) RMSE and mean error, mean(actual − predicted) as in
// the review's regression deciles (above 0: the model predicts too low for that group). A rate whose denominator is 0
// (TPR in a group without positives, precision in a group never selected) is NaN, shown as "—".
//
// Disparities (Fairlearn's MetricFrame between groups): demographic-parity difference (largest − smallest selection
// rate) and ratio (smallest ÷ largest), equalized-odds difference (the larger of the TPR gap and the FPR gap) and ratio
// (the smaller of the TPR ratio and the FPR ratio), and the four-fifths rule (demographic-parity ratio ≥ 0.8). Two
// choices differ from plain Fairlearn, both on purpose:
// - Only groups with at least `minRows` rows (MIN_GROUP_ROWS, 30) are compared. Smaller groups are listed with their
//   numbers and marked `tooFew`, never hidden, but a rate over 3 rows would decide every gap. A sensitive column with
//   fewer than two groups that large is refused (every group too small, or only one large enough): there is nothing
//   to compare. The "(missing)" group (rows whose sensitive value is missing) is a group like the others.
// - A group whose TPR (or FPR) is undefined takes no part in that gap or ratio; Fairlearn, through scikit-learn's
//   normalized confusion matrix, would count it as 0.
// Disparities need a classifier's decisions: for regression the report has the groups only, and asking for
// disparities (a fairness rule of the policy) is refused, as it is for multiclass without a positive class.
//
// Intervals: the evaluated rows are resampled (bootstrap.ts: numpy's RandomState(seed).randint), the compared groups
// stay those of the full rows, and each disparity is recomputed; a resample where one is undefined is skipped. Gaps
// and ratios are extremes over groups, so resampling noise only widens a gap (narrows a ratio): when the groups are
// nearly equal the interval can lie wholly on one side of the estimate (a ratio of 1.0 with an interval 0.98–0.997).
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import { bootstrap } from './bootstrap.ts';
import type { FairnessMetric } from '../../../src/lib/pipeline/review/policy.ts';
import { checkFairnessRules, checkLengths, checkOptions, resolvePositive } from '../../../src/lib/pipeline/review/fairness-checks.ts';
import { disparityStatistic } from './fairness-disparities.ts';
import { classificationGroups, names, regressionGroups } from '../../../src/lib/pipeline/review/fairness-groups.ts';
import { FOUR_FIFTHS, type FairnessInput, type FairnessOptions, type FairnessReport } from '../../../src/lib/pipeline/review/fairness-types.ts';

export { checkFairnessRules } from '../../../src/lib/pipeline/review/fairness-checks.ts';
export {
  FOUR_FIFTHS,
  MIN_GROUP_ROWS,
  type ClassificationFairnessInput,
  type Disparities,
  type FairnessInput,
  type FairnessOptions,
  type FairnessReport,
  type GroupMetrics,
  type RegressionFairnessInput,
} from '../../../src/lib/pipeline/review/fairness-types.ts';

/**
 * Metrics per group of a sensitive column and, for a classifier with a positive class, the disparities between the
 * groups with bootstrap intervals (see the file comment). Refuses, naming the input: mismatched lengths, no rows,
 * predictions outside the classes, an unknown positive class, fewer than two groups of `minRows` rows, and (with
 * `requireDisparities`) regression or multiclass without a positive class.
 */
export function fairnessReport(input: FairnessInput, options: FairnessOptions = {}): FairnessReport {
  const minRows = checkOptions(options);
  const { groups } = input;
  if (input.task === 'regression') {
    checkLengths(groups, input.actual, input.predicted);
    if (options.requireDisparities) checkFairnessRules([{ column: groups.column, metric: 'demographicParityRatio' }], 'regression', { target: input.target });
    const { metrics, judged } = regressionGroups(input, minRows);
    return {
      column: groups.column,
      task: 'regression',
      positiveClass: null,
      minRows,
      rows: input.actual.length,
      excluded: 0,
      groups: metrics,
      compared: names(groups, judged, true),
      tooFew: names(groups, judged, false),
      disparities: null,
      noDisparities: 'a regression model makes no decisions to compare: see the RMSE and mean error per group',
    };
  }
  checkLengths(groups, input.labels, input.predicted);
  const k = input.classes.length;
  if (input.task === 'binary' && k !== 2) throw new AppError('bad-argument', `A binary target needs two classes, got ${k}`);
  if (k < 2) throw new AppError('bad-argument', `Classification needs at least two classes, got ${k}`);
  const positive = resolvePositive(input);
  if (options.requireDisparities && positive === null) {
    checkFairnessRules([{ column: groups.column, metric: 'demographicParityRatio' }], 'multiclass', { target: input.target });
  }
  const { metrics, judged, notComparable, group, cell, excluded } = classificationGroups(input, positive, minRows, options.requireDisparities === true);
  const report: FairnessReport = {
    column: groups.column,
    task: input.task,
    positiveClass: positive === null ? null : (input.classes[positive] as string),
    minRows,
    rows: input.labels.length,
    excluded,
    groups: metrics,
    compared: names(groups, judged, true),
    tooFew: names(groups, judged, false),
    disparities: null,
  };
  if (positive === null) {
    report.noDisparities = 'disparities compare who gets a positive class; choose one to see them for a multiclass target';
    return report;
  }
  if (notComparable) {
    report.noDisparities = notComparable;
    return report;
  }
  const statistic = disparityStatistic(group, cell, groups.labels.length, Uint8Array.from(judged, (j) => (j ? 1 : 0)));
  const intervals = bootstrap(group.length, statistic, options);
  const ratio = intervals.demographicParityRatio.estimate;
  const top = Math.max(...metrics.filter((_, g) => judged[g]).map((r) => r.selectionRate as number));
  report.disparities = {
    ...intervals,
    fourFifths: ratio === ratio ? ratio >= FOUR_FIFTHS : null,
    belowFourFifths: metrics.filter((r, g) => judged[g] && (r.selectionRate as number) < FOUR_FIFTHS * top).map((r) => r.group),
  };
  return report;
}

/** The disparities as the review policy reads them (`ReviewEvidence.fairness[column]`): the estimates, where defined. */
export function fairnessEvidence(report: FairnessReport): Partial<Record<FairnessMetric, number>> {
  const d = report.disparities;
  if (!d) return {};
  const out: Partial<Record<FairnessMetric, number>> = {};
  for (const key of ['demographicParityRatio', 'demographicParityDifference', 'equalizedOddsRatio', 'equalizedOddsDifference'] as const) {
    const v = d[key].estimate;
    if (v === v) out[key] = v;
  }
  return out;
}
