// Shapes of what is stored (datasets, versions, models, feature sets) and the summaries the data worker sends
// the main thread for its lists: no profiles, curves, weights or whole audit log cross to the page.
import type { ErrorInfo } from '../pipeline/errors.ts';
import type { FeatureSet } from '../pipeline/features/types.ts';
import type { AuditEntry, ColumnSchema, ColumnType, DatasetProfile } from '../pipeline/types.ts';
import type { AliasMove, MoveVerdict } from '../pipeline/registry/aliases.ts';
import type { PipelineSpec } from '../pipeline/spec/types.ts';
import type { HeadlineKey, RunSummary } from './training.ts';

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
  /** Binary models: the decision threshold on the positive class's probability that scoring uses (absent: 0.5). */
  threshold?: number;
  /** Binary models: the class predicted when its probability reaches the threshold. */
  positiveClass?: string;
}

/** A saved version of a named feature set; versions of one name count up from 1 and never change. */
export interface FeatureSetRecord {
  id?: number;
  name: string;
  version: number;
  set: FeatureSet;
  createdAt: string;
}

/** A dataset version as lists show it: its record without the profile (ask for that by id), with its dataset's name. */
export type VersionSummary = Omit<VersionRecord, 'id' | 'profile'> & { id: number; datasetName: string };

/**
 * A registered model with the headline test metrics of the run it came from, the aliases that point at it (sorted)
 * and its run's review verdict (null: the run has no stored report).
 */
export type ModelSummary = ModelRecord & {
  id: number;
  metrics: Partial<Record<HeadlineKey, number>>;
  aliases: string[];
  verdict: MoveVerdict | null;
};

/** Where an alias of a model name points now (keyed by [name+alias]). */
export interface AliasRecord {
  name: string;
  alias: string;
  version: number;
  movedAt: string;
}

/** One alias move as the history table keeps it (ids count up: the order of the moves). */
export type AliasMoveRecord = AliasMove & { id?: number };

/** A stored alias move as the history timeline shows it. */
export type AliasMoveSummary = AliasMove & { id: number };

/** Where a model version came from: its run, pipeline spec, data, Check stage, features and review. */
export interface ModelLineage {
  modelId: number;
  name: string;
  version: number;
  runId: string;
  /** The pipeline spec the run ran (download it as pipeline.json). */
  spec: PipelineSpec;
  dataset: { name: string; version: number | null; fileName: string | null; sha256: string | null; versionId: number };
  /** null: the automatic features. */
  featureSet: { name: string; version: number } | null;
  recipeVersion: number | null;
  suite: { name: string; version: number } | null;
  /** A version imported from a bundle: the zip's name and SHA-256, when, and the model card it carried (null: trained here). */
  imported: { fileName: string; sha256OfZip: string | null; importedAt: string; card: string } | null;
  /** The run's evaluation report in brief; null when the run has none. */
  review: {
    passed: boolean;
    failures: string[];
    checks: number;
    headline: Partial<Record<HeadlineKey, number>>;
    decision: { decision: 'approve' | 'reject'; note: string; at: string } | null;
  } | null;
}

/** How long the audit log is: the views page through it, they never hold all of it. */
export interface AuditHead {
  count: number;
  /** The newest entry's sequence number (0 for an empty log). */
  lastSeq: number;
}

/** Entries of the audit log, newest first. */
export interface AuditPage {
  entries: AuditEntry[];
  /** Entries in the whole log when the page was read. */
  total: number;
}

export interface AuditVerifyProgress {
  checked: number;
  total: number;
}

export type AuditVerifyOutcome = { ok: true; count: number } | { ok: false; brokenAt: number; reason: string };

/** The lists the data worker keeps the page up to date with (see DataApi.watch). */
export interface LiveTopics {
  /** Every dataset version, newest first. */
  versions: VersionSummary[];
  /** Every run (search trials too), newest first. */
  runs: RunSummary[];
  /** Every model version, by name then version. */
  models: ModelSummary[];
  audit: AuditHead;
  /** Saved feature-set versions (small JSON), by name then version. */
  featureSets: FeatureSetRecord[];
  /** Every alias move of every model name, oldest first. */
  aliasMoves: AliasMoveSummary[];
}

export type LiveTopic = keyof LiveTopics;

/** One push of a watched list: its new value, or why it could not be read. */
export type LiveUpdate<T> = { value: T } | { error: ErrorInfo };
