// Types of drift comparisons: the reference sketch kept with a model, the per-column figures and verdicts, the dataset report.

/** Kept with a model at training (or made from any dataset version): what a later batch is compared with. */
export interface ReferenceSketch {
  format: 'millrace.sketch/1';
  /** Rows of the table the sketch was made from (before sampling). */
  rows: number;
  /** Rows whose values are kept (≤ maxRows, default SKETCH_MAX_ROWS = 100,000; a seeded sample beyond it). */
  sampledRows: number;
  seed: number;
  columns: ColumnSketch[];
}

/** A numeric (number, integer, date as epoch ms, boolean 0/1) column: its non-missing sampled values, ascending. */
export interface NumericSketch {
  name: string;
  kind: 'number';
  /** The column's type in the table (a type change is reported, not compared). */
  type: 'integer' | 'number' | 'boolean' | 'date';
  /** Missing cells among all `rows` of the table. */
  missing: number;
  /** Non-missing values of the sampled rows, sorted ascending (NaN never appears). */
  values: Float64Array;
  noise?: SketchNoise;
}

/**
 * The noise bar's raw 95th percentile at the most values a resample draws, made with the sketch (its seed, the column's
 * position as stream): a batch of at least `draw` values scales it instead of drawing the resamples again.
 */
export interface SketchNoise {
  draw: number;
  resamples: number;
  p95: number;
}

/** A category or text column: counts of every level over all rows (not only the sample). */
export interface CategorySketch {
  name: string;
  kind: 'category';
  type: 'category' | 'text';
  missing: number;
  levels: string[];
  counts: number[];
  noise?: SketchNoise;
}

export type ColumnSketch = NumericSketch | CategorySketch;

export interface NumericFigures {
  psi: number;
  /** Two-sample Kolmogorov–Smirnov statistic and p-value (as scipy.stats.ks_2samp, method 'auto'). */
  ks: number;
  ksP: number;
  /** Wasserstein-1 distance (scipy.stats.wasserstein_distance) and it divided by the reference's standard deviation (ddof 0). */
  wasserstein: number;
  wassersteinNormed: number;
  /** Jensen–Shannon distance (scipy.spatial.distance.jensenshannon, base 2) over the PSI bins. */
  jensenShannon: number;
}

export interface CategoryFigures {
  psi: number;
  /** Chi-square test of homogeneity on the 2 × k table of counts (scipy.stats.chi2_contingency, correction=False). */
  chi2: number;
  chi2P: number;
  jensenShannon: number;
  /** Levels seen in the batch and never in the reference, and the reverse. */
  newCategories: string[];
  vanishedCategories: string[];
}

/** What a column's verdict is measured with. 'auto' = the one rule (distance against max(practical, null 95%)). */
export type DriftMethod = 'auto' | 'psi' | 'ks' | 'chi2' | 'wasserstein' | 'jensen-shannon';

export interface ColumnDriftOverride {
  method?: DriftMethod;
  /** The bar for the method: a distance (psi, wasserstein (normed), jensen-shannon) or a p-value (ks, chi2). */
  threshold?: number;
}

export interface DriftOptions {
  /** The smallest distance that matters (default 0.1). */
  practicalThreshold?: number;
  /** p-value bar of the statistical tests (default 0.05). */
  pValue?: number;
  /** Dataset drift when the share of drifted columns is at least this (default 0.5). */
  shareThreshold?: number;
  /** Resamples of an unchanged batch from the reference, for the noise bar (default 100). */
  resamples?: number;
  seed?: number;
  /** Per-column method and threshold chosen by the person. */
  columns?: Record<string, ColumnDriftOverride>;
  /** Only these columns (default: every column of the reference). */
  only?: string[];
}

/**
 * 'missing-in-batch' and 'type-changed' (number ↔ category) count as drifted; 'all-missing' (no values on a side) counts
 * as drifted when the reference has values. 'empty-batch' is not produced: compareWithSketch refuses a batch without rows
 * (AppError 'bad-argument'), since a report of it would read as "no drift".
 */
export type ColumnStatus = 'compared' | 'missing-in-batch' | 'type-changed' | 'all-missing' | 'empty-batch';

export interface ColumnDrift {
  column: string;
  kind: 'number' | 'category';
  status: ColumnStatus;
  drifted: boolean;
  /**
   * The method the verdict used, its figure and bar. The one rule ('auto'): distance > bar = max(practical, noise95).
   * A method the person chose, and the classic verdict: distances (psi, normed wasserstein, jensen-shannon) ≥ bar, as
   * Evidently; tests (ks, chi2) p < bar. `value` is the figure the method reads (the p-value for tests).
   */
  method: Exclude<DriftMethod, 'auto'>;
  value: number | null;
  threshold: number;
  /** The one rule's two numbers: the practical bar and what an unchanged batch of this size reaches 95% of the time. */
  practical: number;
  noise95: number | null;
  /** The sample-size aware default of Evidently's kind (tests for small samples, distances for large): its verdict and method. */
  classic: { method: Exclude<DriftMethod, 'auto'>; value: number | null; threshold: number; drifted: boolean };
  figures: NumericFigures | CategoryFigures | null;
  /** Share of missing cells in the reference and in the batch (1 in the batch for a column it lacks). */
  missingReference: number;
  missingCurrent: number;
  referenceRows: number;
  currentRows: number;
  /** Why the figures are not to be trusted (e.g. 5 rows), or why there are none. */
  note?: string;
}

export interface DriftReport {
  format: 'millrace.drift/1';
  datasetDrift: boolean;
  driftShare: number;
  shareThreshold: number;
  referenceRows: number;
  currentRows: number;
  columns: ColumnDrift[];
  /** Columns of the batch the reference does not have (not compared). */
  extraColumns: string[];
}
