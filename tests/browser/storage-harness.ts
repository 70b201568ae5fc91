// Browser harness for storage tests: the real data worker through DataClient, and IndexedDB read from the page.
import type { ImportOptions, ImportProgress, ImportResult, StagedImport } from '../../workers/protocol.ts';
import { userMessage, type AppError } from '../../src/lib/pipeline/errors.ts';
import { openDb } from '../../src/lib/store/db.ts';
import { liveVersions } from '../../src/lib/store/live.ts';
import { loadVersionTable } from '../../src/lib/store/datasets.ts';
import { parseFile } from '../../src/lib/pipeline/parse.ts';
import { sha256File } from '../../src/lib/pipeline/sha256.ts';
import { DataClient } from '../../src/lib/workers-client/data-client.ts';
// Not used here: imported so that Vite's dependency scan of this page sees the worker's imports up front
// (otherwise it may find them when the worker starts and reload the page in the middle of a test).
import '../../workers/data.worker.ts';

/** Row counts of every table, read on the page (not through the worker). */
async function counts(): Promise<Record<string, number>> {
  const db = openDb();
  const out: Record<string, number> = {};
  for (const table of db.tables) out[table.name] = await table.count();
  return out;
}

/** Versions whose stored chunk count differs from the chunks there are, and chunks without a version. */
async function consistency(): Promise<{ badVersions: number[]; orphanChunks: number }> {
  const db = openDb();
  const versions = await db.versions.toArray();
  const badVersions: number[] = [];
  for (const v of versions) if ((await db.chunks.where('versionId').equals(v.id as number).count()) !== v.chunkCount) badVersions.push(v.id as number);
  const ids = new Set(versions.map((v) => v.id));
  const orphanChunks = (await db.chunks.toArray()).filter((c) => !ids.has(c.versionId)).length;
  return { badVersions, orphanChunks };
}

/** A seeded CSV of about `megabytes` MB: id, a date, three numbers and a category. */
function generatedCsv(megabytes: number): Blob {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const parts = ['id,day,x,y,z,kind\n'];
  let size = parts[0]!.length;
  const kinds = ['alpha', 'beta', 'gamma', 'delta'];
  for (let i = 1; size < megabytes * 1e6; i++) {
    const day = new Date(Date.UTC(2020, 0, 1) + (i % 1500) * 86_400_000).toISOString().slice(0, 10);
    const line = `${i},${day},${(random() * 1000).toFixed(3)},${(random() * 50 - 25).toFixed(4)},${Math.floor(random() * 1e6)},${kinds[i % 4]}\n`;
    parts.push(line);
    size += line.length;
  }
  return new Blob(parts, { type: 'text/csv' });
}

let client: DataClient | undefined;
/** Versions as page B's live query last saw them. */
let seenVersions: { id?: number; fileName: string }[] | undefined;

function started(): DataClient {
  client ??= new DataClient();
  return client;
}

const progressSink = (p: ImportProgress) => (window as unknown as { millraceProgress?: (p: ImportProgress) => void }).millraceProgress?.(p);

async function settle<T>(work: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: string; message: string }> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    return { ok: false, code: (error as AppError).code ?? 'internal', message: userMessage(error) };
  }
}

const harness = {
  /** Starts the data worker (which cleans orphan chunks first) and waits until it answers. */
  async start(): Promise<void> {
    await started().storageReport();
  },
  /** Starts a second worker, as a reload would, and waits for its startup cleanup. */
  async restartWorker(): Promise<void> {
    client?.destroy();
    client = undefined;
    await harness.start();
  },
  importText: (name: string, text: string) => settle<ImportResult>(started().importFile({ name, data: new Blob([text]) }, progressSink)),
  stageText: (name: string, text: string, options?: ImportOptions) =>
    settle<StagedImport>(started().stageImport({ name, data: new Blob([text]) }, options, progressSink)),
  commit: (importId: string) => settle<ImportResult>(started().commitImport(importId)),
  /** Imports a generated CSV of about `megabytes` MB; progress goes to window.millraceProgress. */
  importGenerated: (megabytes: number) => settle<ImportResult>(started().importFile({ name: 'big.csv', data: generatedCsv(megabytes) }, progressSink)),
  /**
   * Imports a generated CSV, then checks on the page what was stored: the version's SHA-256 against the file's own
   * (WebCrypto here), and the stored table, read back from IndexedDB, against this page's parse of the same bytes,
   * value for value (the same doubles, codes and levels). Returns what differs (nothing, when all is well).
   */
  async importGeneratedChecked(megabytes: number): Promise<{ rows: number; fileBytes: number; storedBytes: number; sha256: string; expectedSha256: string; differences: string[] }> {
    const file = generatedCsv(megabytes);
    const result = await started().importFile({ name: 'checked.csv', data: file });
    const version = await openDb().versions.get(result.versionId);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const expected = parseFile(bytes, 'checked.csv');
    const stored = await loadVersionTable(result.versionId);
    const differences: string[] = [];
    expected.columns.forEach((column, c) => {
      const got = stored.columns[c];
      if (!got || got.name !== column.name || got.type !== column.type) return differences.push(`column ${c}: ${got?.name}/${got?.type} for ${column.name}/${column.type}`);
      if ('values' in column && 'values' in got) {
        for (let r = 0; r < column.values.length; r++) if (!Object.is(column.values[r], got.values[r])) return differences.push(`${column.name} row ${r}: ${got.values[r]} for ${column.values[r]}`);
      } else if ('codes' in column && 'codes' in got) {
        if (got.levels.join('\u0000') !== column.levels.join('\u0000')) return differences.push(`${column.name}: levels differ`);
        for (let r = 0; r < column.codes.length; r++) if (column.codes[r] !== got.codes[r]) return differences.push(`${column.name} row ${r}: code ${got.codes[r]} for ${column.codes[r]}`);
      }
      return undefined;
    });
    if (stored.rowCount !== expected.rowCount) differences.push(`${stored.rowCount} rows stored for ${expected.rowCount}`);
    return { rows: result.rows, fileBytes: file.size, storedBytes: version?.storedBytes ?? 0, sha256: version?.sha256 ?? '', expectedSha256: await sha256File(bytes), differences };
  },
  /** Stages (and then discards) a generated CSV; says how long staging took and which progress it reported. */
  async stageGenerated(megabytes: number): Promise<{ ms: number; rows: number; bytes: number; reading: number[] }> {
    const file = generatedCsv(megabytes);
    const reading: number[] = [];
    const startedAt = performance.now();
    const staged = await started().stageImport({ name: 'big.csv', data: file }, {}, (p) => {
      if (p.phase === 'reading') reading.push(p.fraction);
    });
    const ms = performance.now() - startedAt;
    await started().discardImport(staged.importId);
    return { ms, rows: staged.rows, bytes: file.size, reading };
  },
  storageReport: () => started().storageReport(),
  counts,
  consistency,
  /** Writes chunks for version ids that have no version row, as an interrupted write of an older build would. */
  async plantOrphans(versionIds: number[]): Promise<void> {
    await openDb().chunks.bulkAdd(versionIds.map((versionId) => ({ versionId, index: 0, blob: new Blob([new Uint8Array(8)]) })));
  },
  /** Subscribes to liveVersions(); the latest list is read with `seenVersions()`. */
  watchVersions(): void {
    liveVersions().subscribe((list) => {
      seenVersions = list.map(({ id, fileName }) => ({ id, fileName }));
    });
  },
  seenVersions: () => seenVersions,
};

declare global {
  interface Window {
    storageHarness: typeof harness;
  }
}

window.storageHarness = harness;
document.body.dataset.ready = 'true';
