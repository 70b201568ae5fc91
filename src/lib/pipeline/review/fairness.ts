// Groups and fairness: a model's metrics per group of a sensitive column, and the disparities between the groups as
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
import { AppError } from '../errors.ts';
import type { TaskKind } from '../types.ts';
import { bootstrap, type BootstrapInterval, type BootstrapOptions } from './bootstrap.ts';
import type { FairnessMetric, FairnessRule } from './policy.ts';
import type { SensitiveGroups } from './sensitive.ts';

/** The fewest rows a group needs to take part in the disparities. */
export const MIN_GROUP_ROWS = 30;
/** The four-fifths (80%) rule: a selection-rate ratio below this flags adverse impact. */
export const FOUR_FIFTHS = 0.8;

type Values = Float32Array | Float64Array;

export interface ClassificationFairnessInput {
  task: 'binary' | 'multiclass';
  /** Class names in output order (the app sorts them). */
  classes: readonly string[];
  /** The actual class index of each evaluated row; a value outside 0…k−1 (missing, unseen) leaves its row out. */
  labels: Int32Array;
  /** The predicted class index of each row. */
  predicted: Int32Array;
  /** The positive class (index or name): binary default the last class (scikit-learn's convention); multiclass: none. */
  positive?: number | string;
  groups: SensitiveGroups;
  /** The target's name, for messages. */
  target?: string;
}

export interface RegressionFairnessInput {
  task: 'regression';
  actual: Values;
  predicted: Values;
  groups: SensitiveGroups;
  target?: string;
}

export type FairnessInput = ClassificationFairnessInput | RegressionFairnessInput;

export interface FairnessOptions extends BootstrapOptions {
  /** Default MIN_GROUP_ROWS (30). */
  minRows?: number;
  /** Refuse, rather than leave out, disparities the task cannot have (regression; multiclass without a positive class). */
  requireDisparities?: boolean;
}

export interface GroupMetrics {
  group: string;
  n: number;
  /** Fewer than `minRows` rows: listed, not compared. */
  tooFew: boolean;
  /** The group of rows whose sensitive value is missing. */
  missing: boolean;
  /** Share of actual positives (classification with a positive class). */
  baseRate?: number;
  /** Share predicted positive. */
  selectionRate?: number;
  /** TP / (TP + FN); NaN without positives. */
  tpr?: number;
  /** FP / (FP + TN); NaN without negatives. */
  fpr?: number;
  /** TP / (TP + FP); NaN when nobody is selected. */
  precision?: number;
  /** Classification. */
  accuracy?: number;
  /** Multiclass. */
  macroF1?: number;
  /** Regression. */
  rmse?: number;
  /** Regression: mean(actual − predicted). */
  meanError?: number;
}

export interface Disparities {
  demographicParityRatio: BootstrapInterval;
  demographicParityDifference: BootstrapInterval;
  equalizedOddsDifference: BootstrapInterval;
  equalizedOddsRatio: BootstrapInterval;
  /** Passes the four-fifths rule: demographic-parity ratio ≥ 0.8; null when the ratio is undefined (nobody selected). */
  fourFifths: boolean | null;
  /** Compared groups whose selection rate is below 0.8 × the highest. */
  belowFourFifths: string[];
}

export interface FairnessReport {
  column: string;
  task: TaskKind;
  /** The positive class the rates are about; null for regression and multiclass without one. */
  positiveClass: string | null;
  minRows: number;
  /** Rows evaluated. */
  rows: number;
  /** Rows left out: their actual class is missing or unknown. */
  excluded: number;
  groups: GroupMetrics[];
  /** The groups the disparities compare (at least `minRows` rows). */
  compared: string[];
  /** The groups with too few rows. */
  tooFew: string[];
  disparities: Disparities | null;
  /** Why there are no disparities. */
  noDisparities?: string;
}

/** Refuses fairness rules a model cannot be checked against: any for regression, any for multiclass without a positive class. */
export function checkFairnessRules(rules: readonly Pick<FairnessRule, 'column' | 'metric'>[], task: TaskKind, options: { positiveClass?: string | number | undefined; target?: string | undefined } = {}): void {
  if (rules.length === 0) return;
  const rule = rules[0] as Pick<FairnessRule, 'column' | 'metric'>;
  const target = options.target ? `"${options.target}"` : 'the target';
  if (task === 'regression') {
    throw new AppError(
      'bad-argument',
      `Fairness rules (here ${rule.metric} on "${rule.column}") need a classifier's decisions, but ${target} is a regression target; the review gives RMSE and mean error per group instead`,
      { column: rule.column },
    );
  }
  if (task === 'multiclass' && options.positiveClass === undefined) {
    throw new AppError(
      'bad-argument',
      `Fairness rules (here ${rule.metric} on "${rule.column}") on a multiclass target need a positive class: the rates compare who gets one class against the rest`,
      { column: rule.column },
    );
  }
}

function checkOptions(options: FairnessOptions): number {
  const minRows = options.minRows ?? MIN_GROUP_ROWS;
  if (!(Number.isInteger(minRows) && minRows >= 1)) throw new AppError('bad-argument', `The fewest rows per group must be a whole number of at least 1, got ${String(minRows)}`);
  return minRows;
}

function checkLengths(groups: SensitiveGroups, labels: { length: number }, predicted: { length: number }): void {
  if (predicted.length !== labels.length) throw new AppError('bad-argument', `Got ${predicted.length} predictions for ${labels.length} rows`);
  if (groups.codes.length !== labels.length) {
    throw new AppError('bad-argument', `The sensitive column "${groups.column}" has ${groups.codes.length} rows, but ${labels.length} were evaluated`, { column: groups.column });
  }
  if (labels.length === 0) throw new AppError('bad-argument', 'There are no rows to evaluate');
}

function resolvePositive(input: ClassificationFairnessInput): number | null {
  const k = input.classes.length;
  const p = input.positive;
  if (p === undefined) return input.task === 'binary' ? k - 1 : null;
  if (typeof p === 'string') {
    const index = input.classes.indexOf(p);
    if (index < 0) throw new AppError('bad-argument', `The positive class "${p}" is not one of the classes ${input.classes.map((c) => `"${c}"`).join(', ')}`);
    return index;
  }
  if (!(Number.isInteger(p) && p >= 0 && p < k)) throw new AppError('bad-argument', `The positive class must be a class index from 0 to ${k - 1}, got ${String(p)}`);
  return p;
}

const nan = (num: number, den: number) => (den > 0 ? num / den : NaN);

/** Why the groups cannot be compared (fewer than two have minRows rows, naming the sizes), or null. */
function tooFewToCompare(groups: SensitiveGroups, sizes: number[], judged: boolean[], minRows: number): string | null {
  const count = judged.filter(Boolean).length;
  if (count >= 2) return null;
  const listing = groups.labels.map((label, g) => `${label} ${sizes[g]}`).join(', ');
  const why = count === 0 ? `every group has fewer` : `only ${groups.labels[judged.indexOf(true)]} has that many`;
  return `Too few rows to compare the groups of "${groups.column}": a group needs at least ${minRows} rows and ${why} (rows per group: ${listing})`;
}

/**
 * The groups with at least minRows rows. With `strict` (disparities required), fewer than two is refused
 * naming the sizes; otherwise the report marks them and says why it has no disparities.
 */
function comparedGroups(groups: SensitiveGroups, sizes: number[], minRows: number, strict: boolean): { judged: boolean[]; notComparable: string | null } {
  const judged = sizes.map((n) => n >= minRows);
  const notComparable = tooFewToCompare(groups, sizes, judged, minRows);
  if (notComparable && strict) throw new AppError('too-few-rows', notComparable, { column: groups.column });
  return { judged, notComparable };
}

/** Smallest and largest of the values of the compared groups where defined; NaN when fewer than two are. */
function spread(values: Float64Array, judged: Uint8Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let g = 0; g < values.length; g++) {
    const v = values[g] as number;
    if (!judged[g] || v !== v) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return count >= 2 ? { min, max } : { min: NaN, max: NaN };
}

function nanMax(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return Math.max(a, b);
}

function nanMin(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return Math.min(a, b);
}

type DisparityKey = 'demographicParityRatio' | 'demographicParityDifference' | 'equalizedOddsDifference' | 'equalizedOddsRatio';

/**
 * The disparities over rows `rows` (indices into the compact arrays): counts per group of the four cells
 * (2·actual + predicted), then rates of the compared groups.
 */
function disparityStatistic(group: Int32Array, cell: Uint8Array, groupCount: number, judged: Uint8Array) {
  const counts = new Float64Array(groupCount * 4);
  const selection = new Float64Array(groupCount);
  const tpr = new Float64Array(groupCount);
  const fpr = new Float64Array(groupCount);
  return (rows: Int32Array): Record<DisparityKey, number> => {
    counts.fill(0);
    for (let j = 0; j < rows.length; j++) {
      const i = rows[j] as number;
      counts[(group[i] as number) * 4 + (cell[i] as number)]!++;
    }
    for (let g = 0; g < groupCount; g++) {
      const tn = counts[g * 4] as number;
      const fp = counts[g * 4 + 1] as number;
      const fn = counts[g * 4 + 2] as number;
      const tp = counts[g * 4 + 3] as number;
      selection[g] = nan(tp + fp, tn + fp + fn + tp);
      tpr[g] = nan(tp, tp + fn);
      fpr[g] = nan(fp, fp + tn);
    }
    const sel = spread(selection, judged);
    const t = spread(tpr, judged);
    const f = spread(fpr, judged);
    return {
      demographicParityRatio: sel.max > 0 ? sel.min / sel.max : NaN,
      demographicParityDifference: sel.max - sel.min,
      equalizedOddsDifference: nanMax(t.max - t.min, f.max - f.min),
      equalizedOddsRatio: nanMin(t.max > 0 ? t.min / t.max : NaN, f.max > 0 ? f.min / f.max : NaN),
    };
  };
}

function classificationGroups(input: ClassificationFairnessInput, positive: number | null, minRows: number, strict: boolean) {
  const { groups, classes, labels, predicted } = input;
  const k = classes.length;
  const G = groups.labels.length;
  const n = labels.length;
  // Compact arrays of the rows with a known actual class.
  const keep = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const p = predicted[i] as number;
    if (!(Number.isInteger(p) && p >= 0 && p < k)) throw new AppError('bad-argument', `The predicted class ${p} in row ${i + 1} is not a class index from 0 to ${k - 1}`, { row: i + 1 });
    const y = labels[i] as number;
    if (y >= 0 && y < k) keep[m++] = i;
  }
  if (m === 0) throw new AppError('bad-argument', 'No evaluated row has a known actual class');
  const group = new Int32Array(m);
  const cell = new Uint8Array(m);
  const sizes = new Array<number>(G).fill(0);
  const correct = new Float64Array(G);
  // Per group and class: true, predicted and correct counts (macro-F1).
  const truth = new Float64Array(G * k);
  const said = new Float64Array(G * k);
  const hit = new Float64Array(G * k);
  for (let j = 0; j < m; j++) {
    const i = keep[j] as number;
    const g = groups.codes[i] as number;
    const y = labels[i] as number;
    const p = predicted[i] as number;
    group[j] = g;
    sizes[g]!++;
    truth[g * k + y]!++;
    said[g * k + p]!++;
    if (y === p) {
      correct[g]!++;
      hit[g * k + y]!++;
    }
    if (positive !== null) cell[j] = (y === positive ? 2 : 0) + (p === positive ? 1 : 0);
  }
  const { judged, notComparable } = comparedGroups(groups, sizes, minRows, strict);
  const metrics: GroupMetrics[] = groups.labels.map((label, g) => {
    const size = sizes[g] as number;
    const row: GroupMetrics = { group: label, n: size, tooFew: size < minRows, missing: g === groups.missingGroup };
    if (positive !== null) {
      const tp = hit[g * k + positive] as number;
      const actual = truth[g * k + positive] as number;
      const chosen = said[g * k + positive] as number;
      const fp = chosen - tp;
      row.baseRate = nan(actual, size);
      row.selectionRate = nan(chosen, size);
      row.tpr = nan(tp, actual);
      row.fpr = nan(fp, size - actual);
      row.precision = nan(tp, chosen);
    }
    row.accuracy = nan(correct[g] as number, size);
    if (input.task === 'multiclass') {
      let sum = 0;
      let present = 0;
      for (let c = 0; c < k; c++) {
        const t = truth[g * k + c] as number;
        const s = said[g * k + c] as number;
        if (t === 0 && s === 0) continue;
        present++;
        const h = hit[g * k + c] as number;
        // F1 = 2TP / (2TP + FP + FN) = 2h / (t + s); 0 when the class is only in the labels or only predicted.
        sum += (2 * h) / (t + s);
      }
      row.macroF1 = nan(sum, present);
    }
    return row;
  });
  return { metrics, sizes, judged, notComparable, group, cell, excluded: n - m };
}

function regressionGroups(input: RegressionFairnessInput, minRows: number) {
  const { groups, actual, predicted } = input;
  const G = groups.labels.length;
  const sizes = new Array<number>(G).fill(0);
  const se = new Float64Array(G);
  const err = new Float64Array(G);
  for (let i = 0; i < actual.length; i++) {
    const d = (actual[i] as number) - (predicted[i] as number);
    if (!Number.isFinite(d)) {
      const what = !Number.isFinite(actual[i] as number) ? `The actual value ${actual[i]}` : `The prediction ${predicted[i]}`;
      throw new AppError('bad-argument', `${what} in row ${i + 1} is not a finite number`, { row: i + 1 });
    }
    const g = groups.codes[i] as number;
    sizes[g]!++;
    se[g]! += d * d;
    err[g]! += d;
  }
  const { judged } = comparedGroups(groups, sizes, minRows, false);
  const metrics: GroupMetrics[] = groups.labels.map((label, g) => {
    const size = sizes[g] as number;
    return {
      group: label,
      n: size,
      tooFew: size < minRows,
      missing: g === groups.missingGroup,
      rmse: Math.sqrt(nan(se[g] as number, size)),
      meanError: nan(err[g] as number, size),
    };
  });
  return { metrics, judged };
}

function names(groups: SensitiveGroups, mask: boolean[], want: boolean): string[] {
  return groups.labels.filter((_, g) => mask[g] === want);
}

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
