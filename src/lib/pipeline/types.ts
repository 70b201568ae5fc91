// Shared data types of the pipeline: columnar tables, schemas, profiles, plans, bundles, metrics.

/** The type a column is stored and shown as. */
export type ColumnType = 'integer' | 'number' | 'boolean' | 'date' | 'category' | 'text';

/** A numeric column: NaN marks a missing value. Dates are epoch milliseconds (UTC); booleans are 0/1. */
export interface NumericColumn {
  name: string;
  type: 'integer' | 'number' | 'boolean' | 'date';
  values: Float64Array;
}

/** A string column as dictionary codes into `levels`; code -1 marks a missing value. */
export interface StringColumn {
  name: string;
  type: 'category' | 'text';
  codes: Int32Array;
  levels: string[];
}

export type Column = NumericColumn | StringColumn;

/** A parsed table held column by column. Every column has `rowCount` entries. */
export interface DataTable {
  rowCount: number;
  columns: Column[];
}

export interface ColumnSchema {
  name: string;
  type: ColumnType;
}

export interface HistogramBin {
  x0: number;
  x1: number;
  count: number;
}

export interface TopValue {
  value: string;
  count: number;
}

/** Profile of one column. Numeric stats are present for numeric types, topValues for string ones. */
export interface ColumnProfile {
  name: string;
  type: ColumnType;
  missing: number;
  distinct: number;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  histogram?: HistogramBin[];
  topValues?: TopValue[];
  /** Nearly every value is distinct (an identifier, not a feature). */
  idLike: boolean;
  /** At most one distinct non-missing value. */
  constant: boolean;
}

export interface DatasetProfile {
  rows: number;
  columns: ColumnProfile[];
}

export type TaskKind = 'binary' | 'multiclass' | 'regression';
/** linear and mlp: TF.js networks; gbdt: histogram gradient-boosted trees (not a TF.js model). */
export type ModelKind = 'linear' | 'mlp' | 'gbdt';

/** Which columns feed the model and which were left out, with the reason in the user's words. */
export interface FeaturePlan {
  target: string;
  task: TaskKind;
  features: string[];
  dropped: { column: string; reason: string }[];
}

/** A part of a date a feature can take; days since a reference date counts whole and fractional days. */
export type DatePart = 'year' | 'month' | 'dayOfWeek' | 'hour' | 'daysSince';

/** Median (the imputed value), mean and population std (1 when constant) of a value on the training rows. */
export interface FittedStats {
  median: number;
  mean: number;
  std: number;
}

/**
 * A fitted transform of one (or two) source columns, as plain JSON. 'numeric' and 'onehot' are what the
 * automatic plan makes; the other kinds come from feature sets (see pipeline/features/). `name`, when set,
 * names the matrix columns instead of the source column.
 */
export type FittedFeature =
  | { kind: 'numeric'; column: string; median: number; mean: number; std: number; name?: string }
  | { kind: 'onehot'; column: string; levels: string[]; other: boolean; name?: string }
  | { kind: 'minmax'; name: string; column: string; median: number; min: number; max: number }
  | ({ kind: 'log1p'; name: string; column: string } & FittedStats)
  | ({ kind: 'clip'; name: string; column: string; lower: number; upper: number } & FittedStats)
  | { kind: 'bucketize'; name: string; column: string; edges: number[]; median: number }
  | ({ kind: 'ordinal'; name: string; column: string; levels: string[] } & FittedStats)
  | { kind: 'dateparts'; name: string; column: string; parts: DatePart[]; reference: number; stats: FittedStats[] }
  | { kind: 'hash'; name: string; column: string; tokens: 'word' | 'char'; ngrams: [number, number]; width: number; lowercase: boolean }
  | ({ kind: 'ratio' | 'difference'; name: string; column: string; column2: string } & FittedStats);

/** The kinds a fitted feature can have. */
export type FittedKind = FittedFeature['kind'];

/**
 * What fitting saw of one source column on the training rows, for the single-prediction form: the column's
 * type, the range and median of numbers and dates (epoch ms), the levels of strings most frequent first (at
 * most MAX_INPUT_LEVELS; `moreLevels` when there were more) with the mode first. Bundles fitted before it lack it.
 */
export interface InputSummary {
  column: string;
  type: ColumnType;
  min?: number;
  max?: number;
  median?: number;
  levels?: string[];
  moreLevels?: boolean;
}

/** Everything needed to turn raw rows into the model's input matrix, identically everywhere. */
export interface TransformBundle {
  format: 'millrace.transforms/1';
  target: string;
  task: TaskKind;
  /** Class labels in output order (classification only). */
  classes?: string[];
  features: FittedFeature[];
  /** Names of the matrix columns, e.g. "Island=Biscoe", "Beak Length (mm)". */
  featureNames: string[];
  width: number;
  /** Each source column as training saw it (absent in bundles fitted before the predict form; never read by applyTransforms). */
  inputs?: InputSummary[];
  /**
   * True for trees: a missing number stays missing (NaN in the matrix) instead of taking the training median,
   * so that each split learns which side missing values go to. One-hot slots of a missing level stay all 0.
   */
  keepMissing?: boolean;
}

export interface ClassificationMetrics {
  accuracy: number;
  macroF1: number;
  /** Binary: ROC AUC; multiclass: macro one-vs-rest AUC. */
  rocAuc: number;
  logLoss: number;
  confusion: number[][];
  classes: string[];
  /** Binary only: points of the ROC curve. */
  rocCurve?: { fpr: number; tpr: number }[];
}

export interface RegressionMetrics {
  rmse: number;
  mae: number;
  r2: number;
  /** A sample of at most 2,000 test points for the residual plot. */
  residuals: { predicted: number; actual: number }[];
}

export type Metrics = ClassificationMetrics | RegressionMetrics;

export interface Evaluation {
  task: TaskKind;
  metrics: Metrics;
  /** The dummy baseline on the same split: majority class or training mean. */
  baseline: Metrics;
}

/** One entry of the hash-chained audit log. */
export interface AuditEntry {
  seq: number;
  at: string;
  action:
    | 'import'
    | 'train'
    | 'save-model'
    | 'score'
    | 'export'
    | 'delete'
    | 'verify'
    // The Check stage: a saved rule suite or recipe, a version checked, a privacy decision, a training refused by the gate.
    | 'suite.save'
    | 'recipe.save'
    | 'check.run'
    | 'privacy.decide'
    | 'gate.block'
    // The review: a run's verdict as stored, a reviewer's decision with its note, a comparison with the champion.
    | 'review-verdict'
    | 'review-approve'
    | 'review-reject'
    | 'review-champion'
    // The registry: an alias moved to a version (a promotion, with its note and any override) or back (a rollback).
    | 'promote'
    | 'rollback'
    // A model bundle imported into the registry (its run, report and model version written together).
    | 'import-model'
    // Monitoring: a batch compared with a model's reference (drift, prediction drift); a retrain with its triggers, data, review and decision.
    | 'drift-check'
    | 'retrain';
  subject: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}
