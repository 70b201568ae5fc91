// Shapes that cross layers for training: runs as stored, trials, cross-validation, checkpoints, the ML worker's requests and replies.
import type { ReferenceSketches } from '../pipeline/monitor/reference-json.ts';
import type { PipelineSpec } from '../pipeline/spec/types.ts';
import type { ResolvedParams } from '../pipeline/spec/resolve.ts';
import type { RecipeStep } from '../pipeline/recipe/types.ts';
import type { Evaluation, FeaturePlan, ModelKind, TransformBundle } from '../pipeline/types.ts';
import type { TreesJson } from './trees.ts';

export type { PipelineSpec };
export type { ReviewChampion, ReviewDecision, ReviewRecord, RowExplanation } from './review.ts';

/** Every hyper-parameter of one training, resolved ('auto' chosen). */
export type TrialParams = ResolvedParams;

export type HeadlineKey = 'accuracy' | 'macroF1' | 'rocAuc' | 'logLoss' | 'rmse' | 'mae' | 'r2';

export interface EpochRecord {
  epoch: number;
  loss: number;
  valLoss?: number;
}

/** A tracked trial: what was tried, how long it took, its curves and its validation metrics. */
export interface TrialRecord {
  trial: number;
  /** 1 for the best trial after sorting. */
  rank: number;
  params: TrialParams;
  seed: number;
  durationMs: number;
  epochsRun: number;
  bestEpoch: number;
  history: EpochRecord[];
  meanEpochMs: number;
  /** Headline metrics on the validation slice of the training split (never the test split). */
  metrics: Partial<Record<HeadlineKey, number>>;
  /** The ranking metric's value, e.g. accuracy or RMSE. */
  score: number;
  metric: HeadlineKey;
}

/** Mean and sample standard deviation of a metric over the folds. */
export interface MeanStd {
  mean: number;
  std: number;
}

export interface CvResult {
  folds: number;
  /** 'random', 'stratified' or 'time' (forward-chaining folds). */
  strategy: string;
  /** The task's ranking metric, e.g. accuracy or rmse. */
  metric: HeadlineKey;
  mean: number;
  std: number;
  /** Every headline metric as mean ± std. */
  summary: Partial<Record<HeadlineKey, MeanStd>>;
  perFold: { fold: number; train: number; test: number; metrics: Partial<Record<HeadlineKey, number>>; durationMs: number }[];
  durationMs: number;
}

/** The weights manifest entries of a TF.js model.json (name, shape, dtype of each tensor). */
export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
}

/** The model.json that TF.js's `loadLayersModel` reads, with one weights file 'weights.bin'. */
export interface ModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
}

export interface ModelArtifactsPair {
  /** A network's model.json, or a tree model's (no weights bytes). */
  modelJson: ModelJson | TreesJson;
  weights: ArrayBuffer;
}

/** Trees after `epoch` rounds: the model so far, from which boosting continues to the same trees as a straight run. */
export interface TreesCheckpoint {
  kind: 'trees';
  epoch: number;
  trees: TreesJson;
  history: EpochRecord[];
  epochMs: number[];
}

/** Everything the training loop needs to continue after `epoch` as if it had never stopped. */
export interface TrainCheckpoint {
  kind?: 'network';
  /** Epochs completed. */
  epoch: number;
  /** The values of the dense layers' kernels and biases, in layer order. */
  weights: Float32Array[];
  /** Adam's first and second moments, each one flat vector over the variables in order. */
  moments: Float32Array[];
  /** Adam's step count. */
  iterations: number;
  /** The weights of the best validation epoch so far (null when none were kept). */
  best: Float32Array[] | null;
  bestLoss: number;
  bestEpoch: number;
  waited: number;
  /** The generator's state after the last completed epoch's shuffle. */
  rngState: number;
  /** The order of the training rows after the last shuffle (each epoch shuffles it again, in place). */
  positions: Int32Array;
  /** Optimizer steps taken (seeds dropout masks). */
  step: number;
  history: EpochRecord[];
  epochMs: number[];
}

/**
 * What a search needs to continue after a reload: the trials that finished (reused, not retrained), the
 * best of them as files, and the trial in progress with its training state. The sampled points are not
 * stored: the same seed and space give the same sequence again.
 */
export interface SearchCheckpoint {
  /** The finished trials, in the order they ran (unranked). */
  trials: TrialRecord[];
  /** The best finished trial so far: its number, model and bundle (absent before any trial finished). */
  best?: { trial: number; model: ModelArtifactsPair; bundle: TransformBundle };
  /** The trial in progress (1-based). */
  trial: number;
  /** Its training state after its last written epoch; absent when it had none (it restarts from its start). */
  train?: TrainCheckpoint | TreesCheckpoint;
  /** Trials the search runs at most, when its budget is a number of trials (or a grid) and not minutes. */
  total?: number;
  /** Search time spent before the checkpoint, in milliseconds (a minute budget counts it). */
  elapsedMs: number;
}

/**
 * What a run needs to continue after a reload: its split and, for a plain run, its bundle and training
 * state; for a search, the search's state (finished trials, the trial in progress).
 */
export interface RunCheckpoint {
  splitRows: { train: Int32Array; test: Int32Array };
  /** Plain runs: the bundle fitted on the training split (a search's trials fit their own). */
  bundle?: TransformBundle;
  /** Plain runs: the training state. */
  train?: TrainCheckpoint | TreesCheckpoint;
  /** Searches: the search's state. */
  search?: SearchCheckpoint;
  /** Time spent before the checkpoint, in milliseconds. */
  elapsedMs: number;
}

/** The Check stage's part of a run: the recipe and privacy steps its table went through, and the suite that gated it. */
export interface RunPreparation {
  /** 0 when the dataset had no recipe. */
  recipeVersion: number;
  /** 0 when the dataset had no saved suite (the suggested, warn-only suite gated it). */
  suiteVersion: number;
  recipeSteps: RecipeStep[];
  /** Steps from the privacy decisions (drop, mask, hash), applied after the recipe. */
  privacySteps: RecipeStep[];
}

/** A training run: everything needed to reproduce, evaluate and reuse it. */
/**
 * A search's final model: the best trial's parameters fitted again on the whole training split (scikit-learn's
 * refit=True), or why not (the search was cancelled: the best trial's own model, fitted on the rows less the
 * validation slice, is kept).
 */
export interface SearchRefit {
  /** The best trial, whose parameters were refitted. */
  trial: number;
  refitted: boolean;
  /** Rows the final model was fitted on: the whole training split when refitted, else the trial's. */
  rows: number;
  /** Rows the trials were fitted on (the training split less the validation slice) and scored on. */
  trialRows: number;
  validationRows: number;
  /** In the user's words, e.g. "Trial 3's parameters refitted on all 800 training rows (the trials were fitted on 640 and scored on the other 160)". */
  note: string;
}

export interface RunRecord {
  id: string;
  versionId: number;
  /** The pipeline spec the run ran, input and Check stage filled in: "Export pipeline" downloads it. */
  spec: PipelineSpec;
  /** Every hyper-parameter of the model it trained ('auto' resolved; a search's best trial). */
  params: TrialParams;
  backend: string;
  plan: FeaturePlan;
  bundle: TransformBundle;
  evaluation: Evaluation;
  history: EpochRecord[];
  split: { train: number; test: number; validation?: number };
  durationMs: number;
  /** TF.js model topology (model.json's modelTopology + weightsManifest). */
  modelJson: unknown;
  weights: Blob;
  createdAt: string;
  /** How the version's rows were cleaned before the transforms; scoring applies the same steps. Absent on older runs. */
  preparation?: RunPreparation;
  /** A search's trial: the search run it belongs to and its trial number. */
  trialOf?: { runId: string; trial: number };
  /** A search: its best trial refitted on the whole training split (absent on older runs, whose model is the best trial's). */
  refit?: SearchRefit;
  /**
   * A run imported from a model bundle (versionId is NOT_IN_WORKSPACE, history empty, split counts from the bundle's
   * report when it has one, durationMs 0): the zip it came from, when, and the lineage and card the bundle carried.
   */
  imported?: ImportedRun;
}

/** The versionId of a run imported from a bundle: the dataset version it was trained on is not in this workspace. */
export const NOT_IN_WORKSPACE = -1;

/** Where an imported run came from: the bundle zip, and the data lineage and model card it carried. */
export interface ImportedRun {
  fileName: string;
  /** SHA-256 of the zip's bytes. */
  sha256OfZip?: string;
  importedAt: string;
  /** pipeline.json's input: the dataset, its version and the file's SHA-256 in the workspace that trained it. */
  lineage: { dataset: string | null; version: number | null; sha256: string | null };
  /** model-card.md as the bundle carried it. */
  card: string;
}

/** The verified parts of a model bundle the registry stores on import (see src/lib/ml/bundle-import.ts). */
export interface ModelBundleParts {
  /** The model's name from its card. */
  name: string;
  modelJson: unknown;
  weights: Uint8Array;
  transforms: TransformBundle;
  /** recipe.json: the recipe's then the privacy decisions' steps, merged. */
  recipe: { recipeVersion: number; suiteVersion: number; steps: unknown[] };
  spec: PipelineSpec;
  evaluation: Evaluation;
  /** review.json's content (null when absent). */
  review: unknown;
  card: string;
  lineage: ImportedRun['lineage'];
  /** reference.json (the drift reference), when the bundle has one. */
  reference?: ReferenceSketches | null;
}

export type BackendChoice = 'auto' | 'webgpu' | 'wasm' | 'webgl' | 'cpu';

export interface BackendInfo {
  backend: string;
  /** Why this backend was chosen, e.g. "WebGPU adapter is a software fallback; using WASM". */
  reason: string;
}

/** A run for the ML worker: the spec to run on a stored version (its input and Check stage are filled in from the store). */
export interface TrainRequest {
  /** Chosen by the client so it can cancel before the first progress report; generated when absent. */
  runId?: string;
  versionId: number;
  spec: PipelineSpec;
  /** 'auto' picks a real WebGPU adapter, else WASM, WebGL, CPU. */
  backend?: BackendChoice;
}

export interface TrainProgress {
  runId: string;
  /** Epochs of a network; for trees ('gbdt') these are boosting rounds. */
  epoch: number;
  epochs: number;
  /** The model being trained (a search's or 'auto''s current trial); absent in progress stored before trees. */
  model?: ModelKind;
  loss: number;
  valLoss?: number;
  backend: string;
  /** Searches: the trial being trained (1-based) and the trials the search runs at most (absent under a time budget). */
  trial?: number;
  trials?: number;
  /** Searches: the trials are over and the best one's parameters are being refitted on the whole training split. */
  refit?: boolean;
}

export interface TrainResult {
  runId: string;
  backend: string;
  plan: FeaturePlan;
  bundle: TransformBundle;
  evaluation: Evaluation;
  split: { train: number; test: number; validation?: number };
  history: EpochRecord[];
  durationMs: number;
  cancelled: boolean;
  /** Every hyper-parameter of the trained model. */
  params: TrialParams;
  /** The spec the run ran (input and Check stage filled in): "Export pipeline" downloads it. */
  spec: PipelineSpec;
  /** Search trials ranked on a validation slice of the training split (without their curves). */
  leaderboard?: Omit<TrialRecord, 'history'>[];
  /** A search: the best trial refitted on the whole training split, or why not. */
  refit?: SearchRefit;
  cv?: CvResult;
}

/** A run that stopped (cancel, reload, crash) after at least one epoch and can be continued. */
export interface ResumableRun {
  runId: string;
  versionId: number;
  target: string;
  /** Epochs completed, and epochs asked for (boosting rounds for trees). */
  epoch: number;
  epochs: number;
  /** The model its checkpoint is of: 'gbdt' for trees (its epochs are rounds). */
  model?: ModelKind;
  /** ISO time of the checkpoint. */
  updatedAt: string;
  /** Searches: the trial in progress (1-based; `epoch` counts its epochs), and the trials the search runs at most (absent under a time budget). */
  trial?: number;
  trials?: number;
}

/** What a list of runs shows of the Check stage's part: versions and step counts, not the steps. */
export interface RunPreparationSummary {
  recipeVersion: number;
  suiteVersion: number;
  recipeSteps: number;
  privacySteps: number;
}

/** What a list of runs shows: no curves, evaluation details, weights or bundles (ask for one run's with its id). */
export interface RunSummary {
  id: string;
  versionId: number;
  target: string;
  task: string;
  params: TrialParams;
  spec: PipelineSpec;
  backend: string;
  /** Headline metrics of its evaluation (a trial's: on its validation slice). */
  metrics: Partial<Record<HeadlineKey, number>>;
  split: RunRecord['split'];
  durationMs: number;
  createdAt: string;
  preparation?: RunPreparationSummary;
  trialOf?: RunRecord['trialOf'];
}

/** A whole run as a view reads it (curves, evaluation, bundle): everything but the model's topology and weights. */
export type RunDetail = Omit<RunRecord, 'weights' | 'modelJson'>;
