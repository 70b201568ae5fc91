// The stored and exported form of a gradient-boosted tree model (model.json, format millrace.trees/1): plain JSON, no TF.js.

/**
 * Where one tree column comes from in the model's input matrix: a numeric slot, or a one-hot block of `slots`
 * slots at `at` whose level is the slot holding 1 (no slot: missing). `name` names it in importances.
 */
export type TreeInput =
  | { kind: 'numeric'; name: string; at: number }
  | { kind: 'categorical'; name: string; at: number; slots: number; levels: string[] };

/** How one tree column is cut into bins: numeric upper edges (value ≤ edges[b] → bin b), or one bin per level. */
export type TreeBinsJson = { name: string; kind: 'numeric'; edges: number[] } | { name: string; kind: 'categorical'; levels: string[]; capped: boolean };

/**
 * One tree as parallel arrays over its nodes (node 0 the root; a leaf has feature −1). `categories` lists, for
 * nodes that split a categorical column, the node and its 8 words of left-going bins.
 */
export interface TreeJson {
  feature: number[];
  threshold: number[];
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  gain: number[];
  count: number[];
  categories: { node: number; words: number[] }[];
}

export interface TreesJson {
  format: 'millrace.trees/1';
  generatedBy: string;
  /** 'log_loss' (two classes), 'softmax' (more), 'squared_error' (regression). */
  loss: 'log_loss' | 'softmax' | 'squared_error';
  /** Raw scores per row: 1, or one per class for softmax. */
  outputs: number;
  baseline: number[];
  inputs: TreeInput[];
  bins: TreeBinsJson[];
  /** trees[round × outputs + k] adds to output k. */
  trees: TreeJson[];
  rounds: number;
  stoppedEarly: boolean;
  trainLoss: number[];
  validationLoss: number[];
  /** The trainer's parameters (scikit-learn's names in camel case). */
  params: Record<string, unknown>;
  notes: string[];
}
