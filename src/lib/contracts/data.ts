// Shapes that cross layers for data: files handed to the data worker, imports, previews, storage reports.
import type { SchemaChange } from '../pipeline/schema-diff.ts';
import type { ColumnSchema, ColumnType } from '../pipeline/types.ts';

export type { SchemaChange };

/** A file handed to a worker: a File/Blob from a drop, or raw bytes (tests, CLI, paste). */
export interface FileInput {
  name: string;
  data: Blob | ArrayBuffer;
}

export interface ImportProgress {
  /** 'storing': the columns are profiled, encoded and written, together (one transaction). */
  phase: 'reading' | 'parsing' | 'storing' | 'checking' | 'done';
  /** 0..1 */
  fraction: number;
  /** The staged import this progress belongs to, so the UI can cancel it before `stageImport` resolves. */
  importId?: string;
}

/** How to read an import; each choice overrides a guess. */
export interface ImportOptions {
  /** Chosen by the client so it can cancel at once; generated when absent. */
  importId?: string;
  encoding?: string;
  delimiter?: string;
  /** Decimal separator of numbers in delimited text: '.' or ','. */
  decimal?: '.' | ',';
  /** Column types by name; they become part of the dataset's schema and apply to later batches. */
  types?: Record<string, ColumnType>;
  /** Date formats by column name, e.g. "dd/mm/yyyy". */
  dateFormats?: Record<string, string>;
  /** A dataset id: make the next version of it, parent = its latest version, rows = latest rows + this batch. */
  appendTo?: number;
}

/** A parsed file waiting in the worker for the user's accept (`commitImport`) or reject (`discardImport`). */
export interface StagedImport {
  importId: string;
  fileName: string;
  format: string;
  encoding?: string;
  /** Why that encoding was guessed, e.g. "UTF-8 byte-order mark"; absent when the user chose it. */
  encodingGuess?: string;
  delimiter?: string;
  /** Delimited text: the decimal separator numbers were read with. */
  decimal?: '.' | ',';
  /** Delimited text: what was guessed about how it is written (a semicolon delimiter, a decimal comma), for the person to confirm. */
  guessed?: string[];
  notes: string[];
  dateFormats: Record<string, string>;
  /** Rows in this file (for an append: in the batch, not the resulting version). */
  rows: number;
  schema: ColumnSchema[];
  /** The first 20 rows of the file. */
  preview: PreviewPage;
  appendTo?: { datasetId: number; datasetName: string; version: number };
  /** For an append: how the batch differs from the dataset's latest version. */
  changes: SchemaChange[];
  /** The same bytes were imported before; committing returns that version. */
  duplicateOf?: { versionId: number; version: number; datasetName: string };
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

/** What keeps a version from being deleted: later versions built on it, runs trained on it, models from those. */
export interface VersionDependents {
  /** Ids of the versions whose parent it is (appended batches). */
  childVersions: number[];
  /** Ids of the training runs that used it. */
  runs: string[];
  /** Those runs as people see them, in the same order: "mlp · 3f2a → species". */
  runLabels: string[];
  models: { name: string; version: number }[];
}

/** Bytes stored per dataset, and the origin's usage and quota when the browser tells. */
export interface StorageReport {
  datasets: { datasetId: number; name: string; versions: number; bytes: number }[];
  usage?: number;
  quota?: number;
}
