// Dataset and version repository: atomic imports (version + Arrow chunks + audit), listing, loading tables.
import { AppError } from '../pipeline/errors.ts';
import { chunkDecoder, decodeChunk } from '../pipeline/arrow-codec.ts';
import type { SchemaChange } from '../pipeline/schema-diff.ts';
import type { ColumnSchema, ColumnType, DataTable, DatasetProfile } from '../pipeline/types.ts';
import type { ImportResult } from '../contracts/data.ts';
import { appendAudit } from './audit.ts';
import { bytesToBlob, chunkBytes, ChunkBuffers } from './chunk-blob.ts';
import { keyRangeOf, openDb } from './db.ts';
import { withQuotaCheck } from './quota.ts';
import type { ChunkRecord, DatasetRecord, VersionRecord } from './records.ts';

/** What an import hands to the store: the parsed, profiled and encoded file. */
export interface ImportToSave {
  fileName: string;
  /** SHA-256 of the file's bytes; the same content is never stored twice. */
  sha256: string;
  /**
   * Arrow IPC stream bytes, in row order; a generator (encodeChunks) lets each chunk go once it is a Blob.
   * A chunk may come as a Blob of those bytes already (chunkBlobs makes it without joining the writer's pieces first).
   */
  chunks: Iterable<Uint8Array | Blob>;
  schema: ColumnSchema[];
  /**
   * The version's profile, or the function that computes it: called inside the transaction once every chunk's
   * write is on its way, so that the browser stores the chunks while this thread profiles the table.
   */
  profile: DatasetProfile | (() => DatasetProfile);
  rows: number;
  /** Store as the next version of this dataset (created if missing). Default: the file name without extension. */
  datasetName?: string;
  /** An appended batch: the dataset it extends (overrides `datasetName`). */
  datasetId?: number;
  /** An appended batch: the version it extends, which must still be the dataset's latest when this is stored. */
  parentVersionId?: number;
  /** Rows this version adds (default `rows`). */
  rowsAdded?: number;
  format?: string;
  encoding?: string;
  dateFormats?: Record<string, string>;
  /** The dataset's column types chosen by the user, carried into later batches. */
  typeOverrides?: Record<string, ColumnType>;
  /** Schema changes the user accepted, recorded in the audit entry. */
  changes?: SchemaChange[];
}

/** The dataset name a file gets by default: its name without directories and extension. */
export function datasetNameOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return stem.trim() || 'dataset';
}

/**
 * Stores an import as a new dataset version in ONE read-write transaction over datasets, versions,
 * chunks and audit: either everything is written or nothing is. If a version with the same SHA-256
 * exists, that version is returned with `duplicateOf` set and nothing is stored. Otherwise the version
 * becomes version 1 of a new dataset, or the next version of the dataset with that name (or id, for an
 * appended batch, whose parent must still be the latest version). A full disk is AppError 'quota-exceeded'.
 */
export async function saveImport(input: ImportToSave): Promise<ImportResult> {
  const db = openDb();
  return withQuotaCheck(input.fileName, () =>
    db.transaction('rw', [db.datasets, db.versions, db.chunks, db.audit], async () => {
      const existing = await db.versions.where('sha256').equals(input.sha256).first();
      if (existing?.id !== undefined) {
        const { datasetId, id, version, rows } = existing;
        return { datasetId, versionId: id, version, rows, duplicateOf: id };
      }
      const createdAt = new Date().toISOString();
      const { datasetId, name } = await targetDataset(input, createdAt);
      const latest = await db.versions
        .where('[datasetId+version]')
        .between(...keyRangeOf(datasetId))
        .last();
      if (input.parentVersionId !== undefined && latest?.id !== input.parentVersionId) {
        throw new AppError(
          'bad-argument',
          `${name} has a newer version (v${latest?.version ?? '?'}) than the one ${input.fileName} was checked against; import the batch again`,
          { file: input.fileName },
        );
      }
      const version = (latest?.version ?? 0) + 1;
      const rowsAdded = input.rowsAdded ?? input.rows;
      const record: VersionRecord = {
        datasetId,
        version,
        fileName: input.fileName,
        sha256: input.sha256,
        rows: input.rows,
        schema: input.schema,
        // Completed below, in this transaction, once the chunks are counted and the profile is made.
        profile: { rows: input.rows, columns: [] },
        chunkCount: 0,
        storedBytes: 0,
        createdAt,
        parentVersionId: input.parentVersionId,
        rowsAdded,
        format: input.format,
        encoding: input.encoding,
        dateFormats: input.dateFormats,
        typeOverrides: input.typeOverrides,
      };
      const versionId = await db.versions.add(record);
      // Each chunk's write is asked for as soon as its Blob is made, without waiting for it: the browser stores
      // one chunk while this thread encodes the next, then while it profiles.
      const writes: Promise<unknown>[] = [];
      for (const chunk of input.chunks) {
        const blob = chunk instanceof Blob ? chunk : bytesToBlob(chunk);
        writes.push(db.chunks.add({ versionId, index: record.chunkCount, blob } satisfies ChunkRecord));
        record.chunkCount++;
        record.storedBytes += blob.size;
      }
      if (typeof input.profile === 'function') record.profile = input.profile();
      else record.profile = input.profile;
      writes.push(db.versions.put({ ...record, id: versionId }));
      await Promise.all(writes);
      await appendAudit('import', `${name} v${version}`, {
        datasetId,
        versionId,
        version,
        fileName: input.fileName,
        sha256: input.sha256,
        rows: input.rows,
        rowsAdded,
        columns: input.schema.length,
        ...(input.parentVersionId !== undefined ? { parentVersionId: input.parentVersionId } : {}),
        ...(input.changes?.length ? { changes: input.changes } : {}),
      });
      return { datasetId, versionId, version, rows: input.rows };
    }),
  );
}

/** The dataset an import goes to, inside the caller's transaction: by id (append) or by name (created if new). */
async function targetDataset(input: ImportToSave, createdAt: string): Promise<{ datasetId: number; name: string }> {
  const db = openDb();
  if (input.datasetId !== undefined) {
    const dataset = await db.datasets.get(input.datasetId);
    if (!dataset) throw new AppError('not-found', `No dataset ${input.datasetId} to append ${input.fileName} to`, { file: input.fileName });
    return { datasetId: input.datasetId, name: dataset.name };
  }
  const name = input.datasetName?.trim() || datasetNameOf(input.fileName);
  const dataset = await db.datasets.where('name').equals(name).first();
  return { datasetId: dataset?.id ?? (await db.datasets.add({ name, createdAt })), name };
}

/** A dataset by id; throws 'not-found' naming the id when there is none. */
export async function getDataset(id: number): Promise<DatasetRecord> {
  const dataset = await openDb().datasets.get(id);
  if (!dataset) throw new AppError('not-found', `No dataset ${id}`);
  return dataset;
}

/** The newest version of a dataset; throws 'not-found' when the dataset has none. */
export async function latestVersion(datasetId: number): Promise<VersionRecord> {
  const latest = await openDb()
    .versions.where('[datasetId+version]')
    .between(...keyRangeOf(datasetId))
    .last();
  if (!latest) throw new AppError('not-found', `Dataset ${datasetId} has no versions`);
  return latest;
}

/** A stored version with the same content hash, if any (lets an import skip parsing a known file). */
export async function findVersionBySha256(sha256: string): Promise<VersionRecord | undefined> {
  return openDb().versions.where('sha256').equals(sha256).first();
}

/** All datasets, oldest first. */
export async function listDatasets(): Promise<DatasetRecord[]> {
  return openDb().datasets.orderBy('id').toArray();
}

/** The versions of one dataset in version order, or of every dataset in import order. */
export async function listVersions(datasetId?: number): Promise<VersionRecord[]> {
  const db = openDb();
  if (datasetId === undefined) return db.versions.orderBy('id').toArray();
  return db.versions
    .where('[datasetId+version]')
    .between(...keyRangeOf(datasetId))
    .toArray();
}

/** One dataset version; throws 'not-found' naming the id when there is none. */
export async function getVersion(id: number): Promise<VersionRecord> {
  const version = await openDb().versions.get(id);
  if (!version) throw new AppError('not-found', `No dataset version ${id}`);
  return version;
}

/** Reads a version's chunks in order and decodes them into the table that was imported. */
export async function loadVersionTable(id: number): Promise<DataTable> {
  const version = await getVersion(id);
  const chunks = await openDb()
    .chunks.where('[versionId+index]')
    .between(...keyRangeOf(id))
    .toArray();
  if (chunks.length !== version.chunkCount) {
    throw new AppError(
      'not-found',
      `Dataset version ${id} should have ${version.chunkCount} stored chunks but has ${chunks.length}`,
    );
  }
  // Chunks are read a few ahead (off this thread) while earlier ones are decoded straight into the columns: the
  // chunks' bytes are never all held, reading overlaps decoding, and the few buffers they are read into are reused.
  const decoder = chunkDecoder(version.schema, version.rows);
  const buffers = new ChunkBuffers();
  const read = (chunk: ChunkRecord) => {
    const bytes = buffers.read(chunk);
    bytes.catch(() => undefined); // a failed read ahead is reported when its turn comes, not as an orphaned rejection
    return bytes;
  };
  const reading: (Promise<Uint8Array> | undefined)[] = chunks.slice(0, READ_AHEAD).map(read);
  for (let index = 0; index < chunks.length; index++) {
    const bytes = await (reading[index] as Promise<Uint8Array>);
    reading[index] = undefined;
    // The decoder copies everything out of the chunk: its buffer takes the next read.
    decoder.add(bytes);
    buffers.release(bytes);
    const next = chunks[index + READ_AHEAD];
    if (next) reading.push(read(next));
  }
  return decoder.finish();
}

/**
 * Rows [offset, offset + limit) of a version as a small table, decoding only the chunks that hold them (every
 * chunk but the last holds the same number of rows), so a preview of a large version reads a few chunks.
 */
export async function loadVersionRows(id: number, offset: number, limit: number): Promise<{ table: DataTable; offset: number }> {
  const version = await getVersion(id);
  const db = openDb();
  // The first chunk tells how many rows a chunk holds, and carries the levels of string columns.
  const head = await db.chunks.get([id, 0]);
  if (!head) throw new AppError('not-found', `Dataset version ${id} has no stored chunks`);
  // Decoded once: its row count, its levels and (when the range starts there) its rows.
  const headChunk = decodeChunk(await chunkBytes(head));
  const perChunk = Math.max(1, headChunk.numRows);
  const end = Math.min(version.rows, offset + limit);
  const first = Math.min(Math.floor(offset / perChunk), Math.max(0, version.chunkCount - 1));
  const last = Math.max(first, Math.min(version.chunkCount - 1, Math.ceil(end / perChunk) - 1));
  const later = last === 0 ? [] : await db.chunks.where('[versionId+index]').between([id, Math.max(1, first)], [id, last], true, true).toArray();
  if (later.length !== last - Math.max(1, first) + 1 && last > 0) {
    throw new AppError('not-found', `Dataset version ${id} is missing stored chunks ${first + 1}–${last + 1}`);
  }
  const rows = Math.min(version.rows, (last + 1) * perChunk) - first * perChunk;
  const decoder = chunkDecoder(version.schema, rows);
  if (first === 0) decoder.add(headChunk);
  else decoder.levelsFrom(headChunk);
  for (const chunk of later) decoder.add(await chunkBytes(chunk));
  return { table: decoder.finish(), offset: first * perChunk };
}

/** Chunks being read at once while loading a version (each holds a buffer of the pool until it is decoded). */
const READ_AHEAD = 2;

/** How much this origin stores and may store, in bytes; undefined where the browser cannot tell. */
export async function storageEstimate(): Promise<{ usage: number; quota: number } | undefined> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage?.estimate) return undefined;
  const { usage, quota } = await storage.estimate();
  return { usage: usage ?? 0, quota: quota ?? 0 };
}
