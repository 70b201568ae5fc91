// Shapes of the records kept in IndexedDB (see db.ts for the tables and their indexes); those the views
// also read are declared in src/lib/contracts and re-exported here.
import type { AuditEntry } from '../pipeline/types.ts';
import type { PrivacyDecision } from '../pipeline/privacy/types.ts';
import type { CheckReport } from '../pipeline/quality/check.ts';
import type { Rule } from '../pipeline/quality/types.ts';
import type { RecipeStep } from '../pipeline/recipe/types.ts';
import type { RunPreparation, RunRecord } from '../contracts/training.ts';
import type { AliasMoveRecord, AliasRecord, DatasetRecord, FeatureSetRecord, ModelRecord, VersionRecord } from '../contracts/store.ts';

export type { RunPreparation, RunRecord };
export type { AliasMoveRecord, AliasRecord, DatasetRecord, FeatureSetRecord, ModelRecord, VersionRecord };

export interface ChunkRecord {
  versionId: number;
  index: number;
  /** Arrow IPC stream bytes of about 64k rows. */
  blob: Blob;
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
