// Types of monitoring shared by the store, the ML worker and the studio: a model's reference, a batch, a stored drift report.
import type { FileInput } from './data.ts';
import type { Distribution } from '../pipeline/monitor/distribution.ts';
import type { FittedCalibration } from '../pipeline/monitor/performance.ts';
import type { BatchPerformance } from '../pipeline/monitor/batch-performance.ts';
import type { Trigger } from '../pipeline/monitor/policy.ts';
import type { ColumnDrift, DriftOptions, DriftReport, ReferenceSketch } from '../pipeline/drift/types.ts';
import type { ModelKind } from '../pipeline/types.ts';

/** What a model's later batches are compared with, kept per run. */
export interface ReferenceRecord {
  runId: string;
  /** The columns the model reads and its target, over the rows it was trained on (after the run's recipe). */
  data: ReferenceSketch;
  /** The model's predictions on its test rows as one column `prediction`: P(positive class), the class, or the value. */
  predictions: ReferenceSketch;
  /** The model's outputs on its test rows (n × k probabilities, k = 1 for regression) and their labels (class index or value); absent on an imported model's. */
  test?: { outputs: Float32Array; k: number; labels: Float32Array };
  /** Classifiers: the calibration fitted on the test rows that the label-free estimate applies (used only when it lowered the ECE). */
  calibration?: FittedCalibration | null;
  createdAt: string;
  /** Made when the run finished, or rebuilt later from the run's dataset version (runs older than monitoring). */
  madeAt: 'training' | 'rebuilt';
}

/** Where a batch came from: a stored dataset version (or the rows an append added to it), or a file dropped on Monitor. */
export type BatchSource =
  | { kind: 'version'; versionId: number; label: string; appendedOnly: boolean }
  | { kind: 'file'; fileName: string; sha256: string };

/** One stored comparison of a batch with a model's reference. */
export interface DriftRecord {
  id?: number;
  modelId: number;
  modelName: string;
  modelVersion: number;
  runId: string;
  batch: BatchSource & { rows: number; rowsDropped: number };
  createdAt: string;
  /** The columns the model reads (dataset drift is their share). */
  report: DriftReport;
  /** The target against the training labels, when the batch has them (target drift). */
  target: ColumnDrift | null;
  /** The model's predictions on the batch against its test predictions; null when it could not score the batch. */
  prediction: ColumnDrift | null;
  /** Measured performance (labelled batch) or the label-free estimate, against the test metrics; null when the batch could not be scored. */
  performance: BatchPerformance | null;
  /** What this batch triggers under the model's monitoring policy (spec.monitor), each with its reason; empty: nothing. */
  triggers: Trigger[];
  /** Reference and batch shares per bin or category, by column (and `prediction`), for the overlay chart. */
  distributions: Record<string, Distribution>;
  /** Why there is no prediction drift, or other things the person should know (rows the recipe dropped). */
  notices: string[];
  options: DriftOptions;
}

/** A drift comparison for the ML worker. */
export interface DriftRequest {
  modelId: number;
  /** A stored version (appendedOnly: only the rows its append added), or a file's bytes. */
  batch: { versionId: number; appendedOnly?: boolean } | { file: FileInput };
  options?: DriftOptions;
}

export interface DriftProgress {
  phase: 'reading' | 'reference' | 'comparing' | 'predicting' | 'saving' | 'done';
  fraction: number;
}

/** A stored report without the per-column figures, for timelines and lists. */
export interface DriftSummary {
  id: number;
  modelName: string;
  modelVersion: number;
  batchLabel: string;
  rows: number;
  createdAt: string;
  datasetDrift: boolean;
  driftShare: number;
  shareThreshold: number;
  drifted: string[];
  predictionDrift: boolean | null;
  /** Decay (measured or estimated); null when the batch was not scored. */
  decayed: boolean | null;
  /** The headline metric over time: measured, else estimated (accuracy for classifiers, R² for regression). */
  metric: { name: string; value: number; test: number; estimated: boolean } | null;
}

/** A retrain for the ML worker: the champion's pipeline spec on the data the monitoring policy names. */
export interface RetrainRequest {
  /** The model name; its champion (else its newest version) gives the spec. */
  modelName: string;
  /** Why it runs: the fired triggers (a drift report's, the schedule's, or the person's "Retrain now"). */
  triggers: Trigger[];
  /** The drift report whose triggers started it; null for the schedule or a person. */
  reportId: number | null;
  /** Chosen by the caller so that `cancel(runId)` works from the start. */
  runId?: string;
}

export interface RetrainProgress {
  runId: string;
  phase: 'preparing' | 'training' | 'reviewing' | 'deciding' | 'done';
  fraction: number;
  /** Training: the epoch reached and the epochs planned (rounds for trees), and which model trains. */
  epoch?: number;
  epochs?: number;
  model?: ModelKind;
}

/** What a retrain did: the data, the candidate's review against the champion, and the decision. */
export interface RetrainOutcome {
  modelName: string;
  runId: string;
  /** The version the retrain started from (the champion, else the newest); null when there was none. */
  fromVersion: number;
  /** The dataset version it trained on; `same`: the one the champion was trained on (nothing new). */
  data: { versionId: number; label: string; rows: number; same: boolean };
  triggers: Trigger[];
  decision: import('../pipeline/monitor/retrain-plan.ts').RetrainDecision;
  /** The candidate's version in the registry; null when it was not registered (rejected or cancelled). */
  candidateVersion: number | null;
  /** The candidate's review verdict (compared with the champion on the candidate's test rows); null when cancelled. */
  verdict: { passed: boolean; failures: string[] } | null;
  /** The policy's headline metric on the candidate's test rows: the candidate's and the champion's. */
  metric: { name: string; candidate: number; champion: number | null } | null;
  /** In words, e.g. "weather v2 is the challenger; it waits for approval to replace v1". */
  summary: string;
}

/** A model name whose monitoring schedule is due, with the trigger that says so. */
export interface ScheduledRetrain {
  modelName: string;
  trigger: Trigger;
}

/** Two dataset versions compared with each other (not stored: no model is involved). */
export interface VersionComparison {
  reference: string;
  current: string;
  report: DriftReport;
  distributions: Record<string, Distribution>;
  /** Date columns left out, and why. */
  notices: string[];
}
