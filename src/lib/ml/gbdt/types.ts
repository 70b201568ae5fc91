// Types of the histogram gradient-boosted trees: parameters with scikit-learn's defaults, inputs, the fitted model.

/** Which loss the trees descend: binary log loss, multiclass softmax cross-entropy, or half squared error. */
export type GbdtLoss = 'log_loss' | 'softmax' | 'squared_error';

/** Hyper-parameters; the defaults are scikit-learn 1.2's HistGradientBoosting ones (see GBDT_DEFAULTS). */
export interface GbdtParams {
  /** Shrinkage applied to every leaf value (> 0). */
  learningRate: number;
  /** Boosting rounds (each grows one tree, or one per class for a multiclass target). */
  maxIter: number;
  /** Leaves per tree, grown best-first (≥ 2). */
  maxLeafNodes: number;
  /** Greatest depth of a leaf (root at 0); null: no limit. */
  maxDepth: number | null;
  /** Fewest training rows in a leaf. */
  minSamplesLeaf: number;
  /** L2 penalty on leaf values (λ in G²/(H + λ)). */
  l2: number;
  /** Bins for the non-missing values of a column (2…255); missing values get a bin of their own. */
  maxBins: number;
  /** 'auto': on when there are more than 10,000 training rows, as scikit-learn. */
  earlyStopping: 'auto' | boolean;
  /** Share of the training rows held out to score early stopping (stratified for classes). */
  validationFraction: number;
  /** Rounds without an improvement larger than `tol` before stopping. */
  nIterNoChange: number;
  tol: number;
  /** 'balanced' weighs each class by n / (classes × count); an array gives one weight per class. */
  classWeight: 'balanced' | number[] | null;
  /** Seeds the validation split and the binning subsample (whole number, 0…2³²−1). */
  seed: number;
}

export const GBDT_DEFAULTS: GbdtParams = {
  learningRate: 0.1,
  maxIter: 100,
  maxLeafNodes: 31,
  maxDepth: null,
  minSamplesLeaf: 20,
  l2: 0,
  maxBins: 255,
  earlyStopping: 'auto',
  validationFraction: 0.1,
  nIterNoChange: 10,
  tol: 1e-7,
  classWeight: null,
  seed: 0,
};

/** Rows above which early stopping is on by default (scikit-learn's rule). */
export const EARLY_STOPPING_AUTO_ROWS = 10_000;
/** The bin that holds missing values (and, for categorical columns, levels unseen in training). */
export const MISSING_BIN = 255;
/** Most levels of a categorical column that get a bin of their own; the rest share one "other" bin. */
export const MAX_CATEGORY_BINS = 254;
/** Rows drawn (without replacement) to place numeric bin edges when there are more, as scikit-learn (2e5). */
export const BINNING_SUBSAMPLE = 200_000;

/** One input column: numbers (NaN missing) or dictionary codes into `levels` (−1 missing). */
export type GbdtColumn =
  | { name: string; kind: 'numeric'; values: Float64Array }
  | { name: string; kind: 'categorical'; codes: Int32Array; levels: string[] };

/** The target: class indices 0…nClasses−1 for classification, numbers for regression. */
export type GbdtTarget =
  | { kind: 'classes'; classes: Int32Array; nClasses: number }
  | { kind: 'values'; values: Float64Array };

/** How one column is cut into bins: numeric upper edges (value ≤ edge[b] → bin b), or one bin per level. */
export type BinnedColumn =
  | { name: string; kind: 'numeric'; edges: Float64Array }
  | {
      name: string;
      kind: 'categorical';
      /** The level of each bin. */
      levels: string[];
      /** True when the column had more than MAX_CATEGORY_BINS levels: the rest share bin `levels.length`. */
      capped: boolean;
    };

/** One tree in bin space; node 0 is the root, a leaf has feature −1. */
export interface GbdtTree {
  feature: Int32Array;
  /** Numeric split: bins ≤ threshold go left. */
  threshold: Uint8Array;
  /** Where the missing bin goes. */
  missingLeft: Uint8Array;
  /** Categorical split: 8 words per node, bit b set when bin b goes left (missing included). */
  categories: Uint32Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf value (already multiplied by the learning rate); for inner nodes the value it would have had. */
  value: Float64Array;
  /** Loss reduction of the node's split (0 for leaves). */
  gain: Float64Array;
  /** Training rows that reached the node. */
  count: Int32Array;
}

/** A fitted model: the binning, the baseline per output, and the trees round by round. */
export interface GbdtModel {
  format: 'millrace.gbdt/1';
  loss: GbdtLoss;
  /** Outputs per row: 1, or the number of classes for softmax. */
  outputs: number;
  columns: BinnedColumn[];
  baseline: number[];
  /** trees[round * outputs + k]. */
  trees: GbdtTree[];
  params: GbdtParams;
  /** Rounds kept, the validation (or training) loss before and after each, and whether early stopping ended it. */
  rounds: number;
  trainLoss: number[];
  validationLoss: number[];
  stoppedEarly: boolean;
  /** Said to the person: capped categorical columns and the like. */
  notes: string[];
}

/** What `onRound` hears after each round. */
export interface GbdtRoundInfo {
  trainLoss: number;
  validationLoss: number | null;
  /** The model so far (a checkpoint to resume from); cheap: the trees are shared, not copied. */
  model: () => GbdtModel;
}

/** Progress after each round. Return false to stop (cancel) after this round. */
export type GbdtProgress = (round: number, info: GbdtRoundInfo) => boolean | void;
