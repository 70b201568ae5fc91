// Shapes of the records kept in IndexedDB (see db.ts for the tables and their indexes).
import type {
  AuditEntry,
  ColumnSchema,
  DatasetProfile,
  Evaluation,
  FeaturePlan,
  TransformBundle,
} from '../pipeline/types.ts';
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

export type AuditRecord = AuditEntry;
