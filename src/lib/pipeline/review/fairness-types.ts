// Fairness types and limits: the inputs, options and report of fairnessReport (fairness.ts), and MIN_GROUP_ROWS / FOUR_FIFTHS.
import type { TaskKind } from '../types.ts';
import type { BootstrapInterval, BootstrapOptions } from './bootstrap.ts';
import type { SensitiveGroups } from './sensitive.ts';

/** The fewest rows a group needs to take part in the disparities. */
export const MIN_GROUP_ROWS = 30;
/** The four-fifths (80%) rule: a selection-rate ratio below this flags adverse impact. */
export const FOUR_FIFTHS = 0.8;

export type Values = Float32Array | Float64Array;

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
