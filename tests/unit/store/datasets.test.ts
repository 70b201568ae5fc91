// Dataset versions: atomic imports, duplicates by content hash, rollback on failure, and a real round trip.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import { parseFile } from '../../../src/lib/pipeline/parse.ts';
import { profileTable } from '../../../src/lib/pipeline/profile.ts';
import { sha256File } from '../../../src/lib/pipeline/sha256.ts';
import { tableSchema, tableToChunks } from '../../../src/lib/pipeline/arrow-codec.ts';
import { listAudit } from '../../../src/lib/store/audit.ts';
import {
  datasetNameOf,
  getVersion,
  listDatasets,
  listVersions,
  loadVersionTable,
  saveImport,
} from '../../../src/lib/store/datasets.ts';
import { openDb } from '../../../src/lib/store/db.ts';
import { EMPTY_COUNTS, resetDb, sampleImport, tableCounts } from './helpers.ts';

beforeEach(resetDb);

describe('saveImport', () => {
  it('stores the dataset, version 1, every chunk as a Blob and an import audit entry', async () => {
    const result = await saveImport(sampleImport());
    expect(result).toEqual({ datasetId: 1, versionId: 1, version: 1, rows: 3 });

    expect(await listDatasets()).toMatchObject([{ id: 1, name: 'sales' }]);
    const version = await getVersion(result.versionId);
    expect(version).toMatchObject({ datasetId: 1, version: 1, fileName: 'sales.csv', chunkCount: 2, storedBytes: 5 });

    const chunks = await openDb().chunks.where('versionId').equals(result.versionId).toArray();
    expect(chunks.map((chunk) => chunk.index)).toEqual([0, 1]);
    expect(chunks[0]?.blob).toBeInstanceOf(Blob);
    expect(new Uint8Array(await chunks[1]!.blob.arrayBuffer())).toEqual(new Uint8Array([4, 5]));

    const audit = await listAudit();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ seq: 1, action: 'import', subject: 'sales v1' });
    expect(audit[0]?.details).toMatchObject({ versionId: 1, sha256: 'a'.repeat(64), rows: 3 });
  });

  it('returns the earlier version as duplicateOf for the same content and stores nothing new', async () => {
    const first = await saveImport(sampleImport());
    const before = await tableCounts();
    const again = await saveImport(sampleImport({ fileName: 'renamed.csv', datasetName: 'other' }));
    expect(again).toEqual({ ...first, duplicateOf: first.versionId });
    expect(await tableCounts()).toEqual(before);
  });

  it('adds the next version to a named dataset, and by default to the dataset named after the file', async () => {
    await saveImport(sampleImport());
    const second = await saveImport(sampleImport({ sha256: 'b'.repeat(64), fileName: 'sales-june.csv', datasetName: 'sales' }));
    const third = await saveImport(sampleImport({ sha256: 'c'.repeat(64), fileName: 'data/sales.csv' }));
    const other = await saveImport(sampleImport({ sha256: 'd'.repeat(64), fileName: 'churn.tsv' }));
    expect([second.version, third.version]).toEqual([2, 3]);
    expect(second.datasetId).toBe(1);
    expect(other).toMatchObject({ datasetId: 2, version: 1 });
    expect((await listVersions(1)).map((v) => v.version)).toEqual([1, 2, 3]);
    expect((await listVersions()).map((v) => v.id)).toEqual([1, 2, 3, 4]);
  });

  it('leaves no dataset, version, chunk or audit entry when the last write (audit) fails', async () => {
    const db = openDb();
    const failAudit = () => {
      throw new Error('disk full');
    };
    db.audit.hook('creating', failAudit);
    try {
      await expect(saveImport(sampleImport())).rejects.toThrow('disk full');
    } finally {
      db.audit.hook('creating').unsubscribe(failAudit);
    }
    expect(await tableCounts()).toEqual(EMPTY_COUNTS);
  });

  it('leaves no new version when a value cannot be stored, and keeps the earlier ones intact', async () => {
    await saveImport(sampleImport());
    const before = await tableCounts();
    const unstorable = { rows: 3, columns: [], note: () => 'functions cannot be cloned' };
    await expect(saveImport(sampleImport({ sha256: 'e'.repeat(64), profile: unstorable }))).rejects.toThrow();
    expect(await tableCounts()).toEqual(before);
    expect((await listAudit()).map((entry) => entry.subject)).toEqual(['sales v1']);
  });
});

describe('saveImport writing chunks while it profiles', () => {
  it('calls the profile function once, after every chunk is made, and stores what it returns', async () => {
    const events: string[] = [];
    function* chunks() {
      for (let k = 0; k < 3; k++) {
        events.push(`chunk ${k}`);
        yield new Uint8Array([k, k + 1]);
      }
    }
    const profile = { rows: 3, columns: [{ name: 'amount', type: 'number' as const, missing: 0, distinct: 3, idLike: false, constant: false }] };
    const result = await saveImport(
      sampleImport({
        chunks: chunks(),
        profile: () => {
          events.push('profile');
          return profile;
        },
      }),
    );
    expect(events).toEqual(['chunk 0', 'chunk 1', 'chunk 2', 'profile']);
    const version = await getVersion(result.versionId);
    expect(version).toMatchObject({ chunkCount: 3, storedBytes: 6, profile });
    const stored = await openDb().chunks.where('versionId').equals(result.versionId).sortBy('index');
    expect(await Promise.all(stored.map(async (c) => [...new Uint8Array(await c.blob.arrayBuffer())]))).toEqual([[0, 1], [1, 2], [2, 3]]);
  });

  it('leaves nothing when a chunk fails to encode after others were written', async () => {
    function* chunks() {
      yield new Uint8Array([1]);
      yield new Uint8Array([2]);
      throw new AppError('bad-argument', 'chunk 3 of sales.csv could not be encoded');
    }
    await expect(saveImport(sampleImport({ chunks: chunks() }))).rejects.toThrow('chunk 3 of sales.csv could not be encoded');
    expect(await tableCounts()).toEqual(EMPTY_COUNTS);
  });

  it('leaves nothing when the profile fails after the chunks were written', async () => {
    await saveImport(sampleImport());
    const before = await tableCounts();
    const failing = () => {
      throw new Error('profile failed on column amount');
    };
    await expect(saveImport(sampleImport({ sha256: 'f'.repeat(64), profile: failing }))).rejects.toThrow('profile failed on column amount');
    expect(await tableCounts()).toEqual(before);
  });
});

describe('reading versions', () => {
  it('names the missing id', async () => {
    const error = await getVersion(12).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'not-found', message: 'No dataset version 12' });
  });

  it('derives dataset names from file names', () => {
    expect(datasetNameOf('C:\\data\\penguins.json')).toBe('penguins');
    expect(datasetNameOf('flights.2024.parquet')).toBe('flights.2024');
    expect(datasetNameOf('.csv')).toBe('.csv');
  });

  it('round-trips penguins.json through parse, saveImport and loadVersionTable', async () => {
    const bytes = new Uint8Array(readFileSync('node_modules/vega-datasets/data/penguins.json'));
    const table = parseFile(bytes, 'penguins.json');
    const chunks = tableToChunks(table, 100); // several chunks, to check that they come back in order
    expect(chunks.length).toBeGreaterThan(3);
    const saved = await saveImport({
      fileName: 'penguins.json',
      sha256: await sha256File(bytes),
      chunks,
      schema: tableSchema(table),
      profile: profileTable(table),
      rows: table.rowCount,
    });
    expect(saved.rows).toBe(344);
    const loaded = await loadVersionTable(saved.versionId);
    expect(loaded).toEqual(table);
  });

  it('refuses to load a version with a chunk missing or one too many, naming both counts', async () => {
    const bytes = new Uint8Array(readFileSync('node_modules/vega-datasets/data/penguins.json'));
    const table = parseFile(bytes, 'penguins.json');
    const chunks = tableToChunks(table, 100);
    const saved = await saveImport({ fileName: 'penguins.json', sha256: 'x', chunks, schema: tableSchema(table), profile: profileTable(table), rows: table.rowCount });
    const db = openDb();
    const last = await db.chunks.get([saved.versionId, chunks.length - 1]);
    await db.chunks.add({ versionId: saved.versionId, index: chunks.length, blob: last!.blob });
    await expect(loadVersionTable(saved.versionId)).rejects.toThrow(`should have ${chunks.length} stored chunks but has ${chunks.length + 1}`);
    await db.chunks.delete([saved.versionId, chunks.length]);
    await db.chunks.delete([saved.versionId, 1]);
    await expect(loadVersionTable(saved.versionId)).rejects.toThrow(`should have ${chunks.length} stored chunks but has ${chunks.length - 1}`);
  });
});
