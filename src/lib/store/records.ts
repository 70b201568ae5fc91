// Shapes of the records kept in IndexedDB (see db.ts for the tables and their indexes).
import type {
  AuditEntry,
  ColumnSchema,
  ColumnType,
  DatasetProfile,
  Evaluation,
  FeaturePlan,
  TransformBundle,
} from '../pipeline/types.ts';
import type { FeatureSet } from '../pipeline/features/types.ts';
import type { TrainRequest } from '../../../workers/protocol.ts';

export interface DatasetRecord {
  id?: number;
  name: string;
  createdAt: string;
}

/** An immutable dataset version. Its rows live in `chunks` as Arrow IPC Blobs. */
export interface VersionRecord {
  id?: number;
  datasetId: number;
  version: number;
  fileName: string;
  sha256: string;
  rows: number;
  schema: ColumnSchema[];
  profile: DatasetProfile;
  chunkCount: number;
  storedBytes: number;
  createdAt: string;
  /** The version this one extends (an appended batch); absent for a version imported on its own. */
  parentVersionId?: number;
  /** Rows this version added: all of them for a plain import, the batch's rows for an append. */
  rowsAdded: number;
  /** How the source file was read: 'csv', 'tsv', 'json', 'ndjson', 'parquet', 'arrow'. */
  format?: string;
  /** Text files: the encoding the source file was read in. */
  encoding?: string;
  /** Date columns and the format their values were written in. */
  dateFormats?: Record<string, string>;
  /** Column types the user chose; they belong to the dataset from then on and apply to later batches. */
  typeOverrides?: Record<string, ColumnType>;
}

export interface ChunkRecord {
  versionId: number;
  index: number;
  /** Arrow IPC stream bytes of about 64k rows. */
  blob: Blob;
}

/** A training run: everything needed to reproduce, evaluate and reuse it. */
export interface RunRecord {
  id: string;
  versionId: number;
  request: TrainRequest;
  backend: string;
  plan: FeaturePlan;
  bundle: TransformBundle;
  evaluation: Evaluation;
  history: { epoch: number; loss: number; valLoss?: number }[];
  split: { train: number; test: number };
  durationMs: number;
  /** TF.js model topology (model.json's modelTopology + weightsManifest). */
  modelJson: unknown;
  weights: Blob;
  createdAt: string;
}

/** A model version in the registry, pointing at the run it came from. */
export interface ModelRecord {
  id?: number;
  name: string;
  version: number;
  runId: string;
  versionId: number;
  target: string;
  task: string;
  createdAt: string;
}

/** A saved version of a named feature set; versions of one name count up from 1 and never change. */
export interface FeatureSetRecord {
  id?: number;
  name: string;
  version: number;
  set: FeatureSet;
  createdAt: string;
}

export type AuditRecord = AuditEntry;
