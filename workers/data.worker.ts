// The data worker: imports files into IndexedDB and serves previews, profiles and feature plans by version id.
import { expose } from 'comlink';
import './comlink-errors.ts';
import { AppError } from '../src/lib/pipeline/errors.ts';
import { parseFile } from '../src/lib/pipeline/parse.ts';
import { planFeatures } from '../src/lib/pipeline/plan.ts';
import { profileTable } from '../src/lib/pipeline/profile.ts';
import { sha256File } from '../src/lib/pipeline/sha256.ts';
import { cellValue } from '../src/lib/pipeline/table.ts';
import { tableSchema, tableToChunks } from '../src/lib/pipeline/arrow-codec.ts';
import type { DataTable } from '../src/lib/pipeline/types.ts';
import { findVersionBySha256, getVersion, loadVersionTable, saveImport } from '../src/lib/store/datasets.ts';
import type { DataApi, FileInput, ImportProgress, PreviewPage } from './protocol.ts';

/** The last version loaded, kept so that paging through a preview reads IndexedDB once. */
let cached: { versionId: number; table: Promise<DataTable> } | undefined;

function versionTable(versionId: number): Promise<DataTable> {
  if (cached?.versionId !== versionId) {
    const table = loadVersionTable(versionId);
    cached = { versionId, table };
    table.catch(() => {
      if (cached?.table === table) cached = undefined;
    });
  }
  return cached.table;
}

async function fileBytes(file: FileInput): Promise<Uint8Array> {
  return new Uint8Array(file.data instanceof ArrayBuffer ? file.data : await file.data.arrayBuffer());
}

function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new AppError('bad-argument', `The preview ${what} must be a whole number of 0 or more; got ${value}`);
  }
}

/** The DataApi, exported so that Node tests and the CLI can call it without a worker. */
export const dataApi = {
  async importFile(file: FileInput, onProgress?: (p: ImportProgress) => void) {
    // Fire and forget: a page that stopped listening must not fail the import.
    const report = (phase: ImportProgress['phase'], fraction: number) =>
      void Promise.resolve(onProgress?.({ phase, fraction })).catch(() => undefined);
    report('reading', 0);
    const bytes = await fileBytes(file);
    const sha256 = await sha256File(bytes);
    const known = await findVersionBySha256(sha256);
    if (known?.id !== undefined) {
      report('done', 1);
      const { datasetId, id, version, rows } = known;
      return { datasetId, versionId: id, version, rows, duplicateOf: id };
    }
    report('parsing', 0.1);
    const table = parseFile(bytes, file.name);
    report('profiling', 0.5);
    const profile = profileTable(table);
    report('storing', 0.7);
    const chunks = tableToChunks(table);
    const result = await saveImport({
      fileName: file.name,
      sha256,
      chunks,
      schema: tableSchema(table),
      profile,
      rows: table.rowCount,
    });
    if (result.duplicateOf === undefined) cached = { versionId: result.versionId, table: Promise.resolve(table) };
    report('done', 1);
    return result;
  },

  async preview(versionId: number, offset: number, limit: number): Promise<PreviewPage> {
    checkCount(offset, 'offset');
    checkCount(limit, 'limit');
    const table = await versionTable(versionId);
    const end = Math.min(offset + limit, table.rowCount);
    const rows: PreviewPage['rows'] = [];
    for (let row = offset; row < end; row++) rows.push(table.columns.map((column) => cellValue(column, row)));
    return { columns: table.columns.map((column) => column.name), rows, offset, total: table.rowCount };
  },

  async profile(versionId: number) {
    return (await getVersion(versionId)).profile;
  },

  async planFeatures(versionId: number, target: string, task?: Parameters<DataApi['planFeatures']>[2]) {
    const [version, table] = await Promise.all([getVersion(versionId), versionTable(versionId)]);
    return planFeatures(table, version.profile, target, task);
  },
} satisfies DataApi;

// Only inside a worker: in Node (tests, CLI) the module just exports the API.
if ('WorkerGlobalScope' in globalThis) expose(dataApi satisfies DataApi);
