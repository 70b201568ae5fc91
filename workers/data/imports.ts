// Staged imports: parsed files held in the worker under an import id until the user accepts (commit) or rejects them.
import { tableSchema } from '../../src/lib/pipeline/arrow-codec.ts';
import { concatTables } from '../../src/lib/pipeline/concat-tables.ts';
import { AppError } from '../../src/lib/pipeline/errors.ts';
import { collectDateFormats } from '../../src/lib/pipeline/parse-result.ts';
import { profileTable } from '../../src/lib/pipeline/profile.ts';
import { diffSchemas, type SchemaDiff } from '../../src/lib/pipeline/schema-diff.ts';
import { cellValue } from '../../src/lib/pipeline/table.ts';
import type { ColumnType, DataTable } from '../../src/lib/pipeline/types.ts';
import { chunkBlobs } from '../../src/lib/store/chunk-blob.ts';
import { findVersionBySha256, getDataset, latestVersion, loadVersionTable, saveImport } from '../../src/lib/store/datasets.ts';
import type { DatasetRecord, VersionRecord } from '../../src/lib/store/records.ts';
import type { FileInput, ImportOptions, ImportProgress, ImportResult, PreviewPage, StagedImport } from '../protocol.ts';
import { checkCancelled, type ImportSource, type ReadControl } from '../../src/lib/pipeline/read-source.ts';
import { readWithOverrides } from './overrides.ts';

/** Reports progress; never throws (a page that stopped listening must not fail the import). */
export type Report = (phase: ImportProgress['phase'], fraction: number) => void;

/** The dataset an append goes to, its latest version and that version's rows. */
interface AppendTarget {
  dataset: DatasetRecord;
  latest: VersionRecord;
  table: DataTable;
}

interface Staged {
  source: ImportSource;
  options: ImportOptions;
  table: DataTable;
  sha256: string;
  target?: AppendTarget;
  diff: SchemaDiff;
  typeOverrides: Record<string, ColumnType>;
  view: StagedImport;
}

const PREVIEW_ROWS = 20;
/** Staged imports kept at once; the oldest is dropped beyond this (its commit then says so). */
const MAX_STAGED = 8;

const staged = new Map<string, Staged>();
const running = new Map<string, { cancelled: boolean }>();
/** Ids cancelled before their stage started (the client may cancel before the worker sees the call). */
const cancelledEarly = new Set<string>();

function newImportId(): string {
  return `import-${crypto.randomUUID()}`;
}

/** Wraps the caller's bytes (an ArrayBuffer becomes a Blob, so every source streams the same way). */
export function sourceOf(file: FileInput): ImportSource {
  return { name: file.name, blob: file.data instanceof Blob ? file.data : new Blob([file.data]) };
}

function previewOf(table: DataTable): PreviewPage {
  const end = Math.min(PREVIEW_ROWS, table.rowCount);
  const rows: PreviewPage['rows'] = [];
  for (let row = 0; row < end; row++) rows.push(table.columns.map((column) => cellValue(column, row)));
  return { columns: table.columns.map((c) => c.name), rows, offset: 0, total: table.rowCount };
}

async function appendTarget(datasetId: number): Promise<AppendTarget> {
  const dataset = await getDataset(datasetId);
  const latest = await latestVersion(datasetId);
  return { dataset, latest, table: await loadVersionTable(latest.id as number) };
}

/**
 * Parses a file and keeps it under its import id. With `appendTo`, the dataset's type overrides apply and the
 * batch is diffed against its latest version. `knownSha256`: the digest of the same bytes read before. Rejects
 * with 'cancelled' when `cancelStage` is called meanwhile.
 */
export async function stage(source: ImportSource, options: ImportOptions, report: Report, knownSha256?: string): Promise<StagedImport> {
  const importId = options.importId ?? newImportId();
  if (running.has(importId)) throw new AppError('bad-argument', `Import ${importId} is already being read`);
  const token = { cancelled: cancelledEarly.delete(importId) };
  running.set(importId, token);
  const control: ReadControl = {
    cancelled: () => token.cancelled,
    onBytes: (read, total) => report('reading', total > 0 ? read / total : 1),
  };
  try {
    report('reading', 0);
    const target = options.appendTo === undefined ? undefined : await appendTarget(options.appendTo);
    checkCancelled(control, source.name);
    const { result, sha256, typeOverrides } = await readWithOverrides(source, options, target?.latest, control, knownSha256);
    checkCancelled(control, source.name);
    report('parsing', 0.9);
    const known = await findVersionBySha256(sha256);
    const knownDataset = known && (await getDataset(known.datasetId).catch(() => undefined));
    const diff = target ? diffSchemas(target.table, result.table) : { changes: [], renames: {} };
    checkCancelled(control, source.name);
    const view: StagedImport = {
      importId,
      fileName: source.name,
      format: result.format,
      encoding: result.encoding,
      encodingGuess: result.encodingGuess?.reason,
      delimiter: result.delimiter,
      decimal: result.decimal,
      guessed: result.guessed ?? [],
      notes: result.notes,
      dateFormats: result.dateFormats,
      rows: result.table.rowCount,
      schema: tableSchema(result.table),
      preview: previewOf(result.table),
      changes: diff.changes,
    };
    if (target) view.appendTo = { datasetId: target.dataset.id as number, datasetName: target.dataset.name, version: target.latest.version };
    if (known?.id !== undefined) {
      const datasetName = knownDataset?.name ?? `dataset ${known.datasetId}`;
      view.duplicateOf = { versionId: known.id, version: known.version, datasetName };
      view.notes = [...view.notes, `${source.name} was already imported as ${datasetName} v${known.version}`];
    }
    staged.delete(importId);
    staged.set(importId, { source, options: { ...options, importId }, table: result.table, sha256, target, diff, typeOverrides, view });
    for (const id of staged.keys()) if (staged.size > MAX_STAGED) staged.delete(id);
    return view;
  } finally {
    running.delete(importId);
  }
}

function stagedOf(importId: string): Staged {
  const entry = staged.get(importId);
  if (!entry) throw new AppError('not-found', `No staged import ${importId}: it was stored, discarded or cancelled; import the file again`);
  return entry;
}

/** Parses a staged file again with other choices; the earlier staging stays if this one fails. */
export async function restage(importId: string, options: ImportOptions): Promise<StagedImport> {
  const entry = stagedOf(importId);
  const merged: ImportOptions = { ...entry.options, ...options, importId };
  if (!('appendTo' in options)) merged.appendTo = entry.options.appendTo;
  // The same bytes: their digest is kept, not computed again.
  return stage(entry.source, merged, () => undefined, entry.sha256);
}

/** Stores a staged import (for an append: the latest rows followed by the batch) and forgets it. */
export async function commit(importId: string, report: Report): Promise<{ result: ImportResult; table?: DataTable }> {
  const entry = stagedOf(importId);
  const { view, target } = entry;
  if (view.duplicateOf) {
    staged.delete(importId);
    const known = await findVersionBySha256(entry.sha256);
    if (known?.id !== undefined) {
      return { result: { datasetId: known.datasetId, versionId: known.id, version: known.version, rows: known.rows, duplicateOf: known.id } };
    }
  }
  const table = target ? concatTables(target.table, entry.table, entry.diff.renames) : entry.table;
  report('storing', 0.5);
  const result = await saveImport({
    fileName: view.fileName,
    sha256: entry.sha256,
    // Each chunk becomes a Blob straight from the IPC writer's pieces (one copy of its bytes) as it is encoded.
    chunks: chunkBlobs(table),
    schema: tableSchema(table),
    // Made while the browser writes the chunks (inside the same transaction).
    profile: () => profileTable(table),
    rows: table.rowCount,
    rowsAdded: entry.table.rowCount,
    datasetId: target?.dataset.id,
    parentVersionId: target?.latest.id,
    format: view.format,
    encoding: view.encoding,
    dateFormats: collectDateFormats(table),
    typeOverrides: Object.keys(entry.typeOverrides).length > 0 ? entry.typeOverrides : undefined,
    changes: view.changes,
  });
  staged.delete(importId);
  return { result, table: result.duplicateOf === undefined ? table : undefined };
}

/** Forgets a staged import (and stops it if it is still being read); nothing was stored. Unknown ids are ignored. */
export function discard(importId: string): void {
  staged.delete(importId);
  const token = running.get(importId);
  if (token) token.cancelled = true;
}

/** Stops a stage in progress (it rejects with 'cancelled') or drops a staged one. */
export function cancelStage(importId: string): void {
  const token = running.get(importId);
  if (token) token.cancelled = true;
  else if (!staged.delete(importId)) {
    cancelledEarly.add(importId);
    // Cancels of imports that already ended are remembered too; keep only the latest few.
    if (cancelledEarly.size > 64) cancelledEarly.delete(cancelledEarly.values().next().value as string);
  }
}

/** Import ids being read or staged, for tests. */
export function activeImports(): { running: string[]; staged: string[] } {
  return { running: [...running.keys()], staged: [...staged.keys()] };
}
