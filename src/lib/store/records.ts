// Shapes of the records kept in IndexedDB (see db.ts for the tables and their indexes).
import type {
  AuditEntry,
  ColumnSchema,
  ColumnType,
  DatasetProfile,
} from '../pipeline/types.ts';
import type { FeatureSet } from '../pipeline/features/types.ts';
import type { PrivacyDecision } from '../pipeline/privacy/types.ts';
import type { CheckReport } from '../pipeline/quality/check.ts';
import type { Rule } from '../pipeline/quality/types.ts';
import type { RecipeStep } from '../pipeline/recipe/types.ts';
import type { RunPreparation, RunRecord } from '../contracts/training.ts';

export type { RunPreparation, RunRecord };

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

/** A saved version of a dataset's rule suite; versions of one dataset count up from 1 and never change. */
export interface SuiteRecord {
  id?: number;
  datasetId: number;
  version: number;
  name: string;
  rules: Rule[];
  /** The version number batch rules compare with; absent: each version's parent. */
  reference?: number;
  createdAt: string;
}

/** A saved version of a dataset's cleaning recipe (clip bounds already fitted). */
export interface RecipeRecord {
  id?: number;
  datasetId: number;
  version: number;
  steps: RecipeStep[];
  /** The version the steps' fitted values (clip bounds) were computed on. */
  fittedOn?: number;
  createdAt: string;
}

/** A stored check of a version; the newest per version counts. */
export type CheckRecord = CheckReport & { id?: number };

/** The user's decision on a flagged column of a dataset (one per column; a new decision replaces it). */
export type PrivacyRecord = PrivacyDecision & { datasetId: number; decidedAt: string };

/** A workspace setting, e.g. 'workspace-salt'. */
export interface SettingRecord {
  key: string;
  value: string;
}

export type AuditRecord = AuditEntry;
