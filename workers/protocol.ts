// The two worker APIs, declared once: the workers `expose(api satisfies DataApi)`, clients `wrap<DataApi>()`.
// Only ids, small records and transferable buffers cross; tables stay in the worker and IndexedDB.
import type {
  DatasetProfile,
  Evaluation,
  FeaturePlan,
  ModelKind,
  TaskKind,
  TransformBundle,
} from '../src/lib/pipeline/types.ts';

/** A file handed to a worker: a File/Blob from a drop, or raw bytes (tests, CLI, paste). */
export interface FileInput {
  name: string;
  data: Blob | ArrayBuffer;
}

export interface ImportProgress {
  phase: 'reading' | 'parsing' | 'profiling' | 'storing' | 'done';
  /** 0..1 */
  fraction: number;
}

export interface ImportResult {
  datasetId: number;
  versionId: number;
  version: number;
  rows: number;
  /** Set when the same content was imported before: that version is returned instead of a new one. */
  duplicateOf?: number;
}

export interface PreviewPage {
  columns: string[];
  /** Cells as display values: numbers, strings, or null for missing. Dates as ISO strings. */
  rows: (string | number | boolean | null)[][];
  offset: number;
  total: number;
}

export interface DataApi {
  /** Parse, profile and store a file as a new dataset version in one transaction. */
  importFile(file: FileInput, onProgress?: (p: ImportProgress) => void): Promise<ImportResult>;
  /** Rows [offset, offset+limit) of a stored version, for the preview grid. */
  preview(versionId: number, offset: number, limit: number): Promise<PreviewPage>;
  /** The stored profile of a version. */
  profile(versionId: number): Promise<DatasetProfile>;
  /** The default feature plan (task inferred, ID-like and constant columns dropped) for a target. */
  planFeatures(versionId: number, target: string, task?: TaskKind): Promise<FeaturePlan>;
}

export interface TrainRequest {
  /** Chosen by the client so it can cancel before the first progress report; generated when absent. */
  runId?: string;
  versionId: number;
  target: string;
  /** Overrides the inferred task. */
  task?: TaskKind;
  model: ModelKind;
  seed: number;
  epochs: number;
  learningRate?: number;
  /** Stop when the validation loss has not improved for a while and keep the best weights (default true). */
  earlyStopping?: boolean;
  /** Hidden layer sizes for the MLP. */
  hidden?: number[];
  /** 'auto' picks as DESIGN.md says: real WebGPU adapter, else WASM, WebGL, CPU. */
  backend?: 'auto' | 'webgpu' | 'wasm' | 'webgl' | 'cpu';
}

export interface TrainProgress {
  runId: string;
  epoch: number;
  epochs: number;
  loss: number;
  valLoss?: number;
  backend: string;
}

export interface TrainResult {
  runId: string;
  backend: string;
  plan: FeaturePlan;
  bundle: TransformBundle;
  evaluation: Evaluation;
  split: { train: number; test: number };
  history: { epoch: number; loss: number; valLoss?: number }[];
  durationMs: number;
  cancelled: boolean;
}

export interface ScoreResult {
  rows: number;
  /** The predictions as CSV text: the input columns followed by prediction (and probability) columns. */
  csv: Blob;
  fileName: string;
}

export interface ExportResult {
  /** A zip holding model.json, weights.bin, transforms.json, metrics.json, model-card.md. */
  zip: Blob;
  fileName: string;
}

export interface BackendInfo {
  backend: string;
  /** Why this backend was chosen, e.g. "WebGPU adapter is a software fallback; using WASM". */
  reason: string;
}

export interface MlApi {
  backendInfo(preferred?: TrainRequest['backend']): Promise<BackendInfo>;
  /** Train and evaluate; the run (params, curves, metrics, weights) is stored. Resolves when done or cancelled. */
  train(request: TrainRequest, onProgress?: (p: TrainProgress) => void): Promise<TrainResult>;
  /** Stops the run within a second; `train` then resolves with `cancelled: true`. */
  cancel(runId: string): void;
  /** Registers a stored run as the next version of the named model. */
  saveModel(runId: string, name: string): Promise<{ modelId: number; version: number }>;
  /** Applies a saved model (with its transform bundle) to a new file. */
  score(modelId: number, file: FileInput): Promise<ScoreResult>;
  /** The self-contained bundle of a saved model. */
  exportModel(modelId: number): Promise<ExportResult>;
}
