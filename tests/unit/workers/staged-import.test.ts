// Staged imports through the data worker API: append as the next version, accept/reject, duplicates, overrides, cancel.
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { dataApi } from '../../../workers/data.worker.ts';
import { activeImports } from '../../../workers/data/imports.ts';
import type { ImportProgress } from '../../../workers/protocol.ts';
import { listAudit } from '../../../src/lib/store/audit.ts';
import { getVersion, loadVersionTable } from '../../../src/lib/store/datasets.ts';
import { EMPTY_COUNTS, resetDb, tableCounts } from '../store/helpers.ts';
import { csvFile, weatherLines } from './helpers.ts';

beforeEach(resetDb);

describe('stageImport / commitImport', () => {
  it('appends a batch as v2 with its parent, the summed rows, rowsAdded and an audit entry', async () => {
    const v1 = await dataApi.importFile(csvFile('weather.csv', weatherLines(30)));
    const staged = await dataApi.stageImport(csvFile('june.csv', weatherLines(12, { from: 30 })), { appendTo: v1.datasetId });
    expect(staged).toMatchObject({ rows: 12, format: 'csv', delimiter: ',', changes: [] });
    expect(staged.appendTo).toEqual({ datasetId: v1.datasetId, datasetName: 'weather', version: 1 });
    expect(staged.preview.rows).toHaveLength(12);
    expect(await tableCounts()).toMatchObject({ versions: 1 });

    const v2 = await dataApi.commitImport(staged.importId);
    expect(v2).toMatchObject({ datasetId: v1.datasetId, version: 2, rows: 42 });
    const record = await getVersion(v2.versionId);
    expect(record).toMatchObject({ parentVersionId: v1.versionId, rows: 42, rowsAdded: 12, format: 'csv', encoding: 'utf-8' });
    expect(record.profile.rows).toBe(42);
    const table = await loadVersionTable(v2.versionId);
    const ids = table.columns[0]!;
    expect('values' in ids && Array.from(ids.values.slice(28, 33))).toEqual([29, 30, 31, 32, 33]);
    const audit = await listAudit();
    const imported = audit.filter((entry) => entry.action === 'import');
    expect(imported.at(-1)).toMatchObject({ action: 'import', subject: 'weather v2' });
    expect(audit.at(-1)).toMatchObject({ action: 'check.run', subject: 'weather v2' });
    expect(imported.at(-1)?.details).toMatchObject({ rows: 42, rowsAdded: 12, parentVersionId: v1.versionId });
    expect(activeImports().staged).not.toContain(staged.importId);
  });

  it('reports every schema change of a batch and records the accepted ones', async () => {
    const v1 = await dataApi.importFile(csvFile('weather.csv', weatherLines(40)));
    const batch = weatherLines(20, { from: 40, temp: 'temperature', weathers: ['sun', 'fog', 'snow', 'drizzle'] }).map((line, i) =>
      // id becomes a decimal number, a wind column appears, date goes away
      i === 0 ? 'id,temperature,weather,wind' : line.replace(/^(\d+),[^,]+,/, (_, id) => `${id}.5,`) + `,${i % 5}`,
    );
    const staged = await dataApi.stageImport(csvFile('batch.csv', batch), { appendTo: v1.datasetId });
    expect(staged.changes).toEqual([
      { kind: 'type-changed', column: 'id', detail: 'integer → number' },
      { kind: 'renamed', column: 'temperature', detail: 'renamed from "temp"' },
      { kind: 'new-categories', column: 'weather', detail: '3 new values: "fog", "snow", …' },
      { kind: 'added', column: 'wind', detail: 'new column (integer); earlier rows get missing values' },
      { kind: 'removed', column: 'date', detail: 'not in this batch (date); its rows get missing values' },
    ]);
    const v2 = await dataApi.commitImport(staged.importId);
    const record = await getVersion(v2.versionId);
    expect(record.schema).toEqual([
      { name: 'id', type: 'number' },
      { name: 'date', type: 'date' },
      { name: 'temperature', type: 'number' },
      { name: 'weather', type: 'category' },
      { name: 'wind', type: 'integer' },
    ]);
    const page = await dataApi.preview(v2.versionId, 39, 2);
    expect(page.rows).toEqual([
      [40, '2015-02-09', 20, 'rain', null],
      [41.5, null, 12, 'sun', 1],
    ]);
    expect((await listAudit()).filter((entry) => entry.action === 'import').at(-1)?.details.changes).toHaveLength(5);
  });

  it('stages a semicolon file with decimal commas with numbers as numbers and both guesses to confirm; a decimal point chosen reads them as text', async () => {
    const bytes = readFileSync(new URL('../../fixtures/decimal/seattle-weather-eu.csv', import.meta.url));
    const staged = await dataApi.stageImport({ name: 'seattle-weather-eu.csv', data: new Blob([bytes]) });
    expect(staged).toMatchObject({ delimiter: ';', decimal: ',', rows: 40 });
    expect(staged.guessed).toHaveLength(2);
    expect(staged.schema.filter((c) => c.type === 'number').map((c) => c.name)).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind']);
    const point = await dataApi.restage(staged.importId, { decimal: '.' });
    expect(point).toMatchObject({ decimal: '.', guessed: ['Delimiter guessed: semicolon (;), from the first lines'] });
    expect(point.schema.find((c) => c.name === 'wind')?.type).toBe('text');
    const { versionId } = await dataApi.commitImport((await dataApi.restage(staged.importId, { decimal: ',' })).importId);
    expect((await getVersion(versionId)).schema.find((c) => c.name === 'wind')?.type).toBe('number');
    // Parsed three times, hashed once: the digest kept across the restages is the file's.
    expect((await getVersion(versionId)).sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('discarding a staged import stores nothing, and its id is gone', async () => {
    const staged = await dataApi.stageImport(csvFile('weather.csv', weatherLines(10)));
    await dataApi.discardImport(staged.importId);
    expect(await tableCounts()).toEqual(EMPTY_COUNTS);
    await expect(dataApi.commitImport(staged.importId)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('flags content imported before with the version it became, and committing it stores nothing', async () => {
    await dataApi.importFile(csvFile('weather.csv', weatherLines(10)));
    await dataApi.importFile(csvFile('weather.csv', weatherLines(11)));
    const v3 = await dataApi.importFile(csvFile('weather.csv', weatherLines(12)));
    const before = await tableCounts();
    const staged = await dataApi.stageImport(csvFile('copy.csv', weatherLines(12)));
    expect(staged.duplicateOf).toEqual({ versionId: v3.versionId, version: 3, datasetName: 'weather' });
    expect(staged.notes).toContain('copy.csv was already imported as weather v3');
    expect(await dataApi.commitImport(staged.importId)).toEqual({ ...v3, duplicateOf: v3.versionId });
    expect(await dataApi.importFile(csvFile('again.csv', weatherLines(12)))).toEqual({ ...v3, duplicateOf: v3.versionId });
    expect(await tableCounts()).toEqual(before);
  });

  it("keeps the user's type overrides in the dataset and reads the next batch with them", async () => {
    const lines = ['zip,amount', '01234,5', '02345,6'];
    const staged = await dataApi.stageImport(csvFile('shops.csv', lines));
    expect(staged.schema).toEqual([{ name: 'zip', type: 'integer' }, { name: 'amount', type: 'integer' }]);
    const chosen = await dataApi.restage(staged.importId, { types: { zip: 'category', amount: 'number' } });
    expect(chosen.importId).toBe(staged.importId);
    expect(chosen.schema).toEqual([{ name: 'zip', type: 'category' }, { name: 'amount', type: 'number' }]);
    const v1 = await dataApi.commitImport(staged.importId);
    expect((await getVersion(v1.versionId)).typeOverrides).toEqual({ zip: 'category', amount: 'number' });

    const next = await dataApi.stageImport(csvFile('more.csv', ['zip,amount', '09876,7']), { appendTo: v1.datasetId });
    expect(next.schema).toEqual([{ name: 'zip', type: 'category' }, { name: 'amount', type: 'number' }]);
    expect(next.changes).toEqual([{ kind: 'new-categories', column: 'zip', detail: '1 new value: "09876"' }]);
    expect(next.notes).toContain('Column types kept from the dataset: zip as category, amount as number');
    // A batch without one of the overridden columns is still read, with the overrides that apply.
    const partial = await dataApi.stageImport(csvFile('zips.csv', ['zip', '00042']), { appendTo: v1.datasetId });
    expect(partial.schema).toEqual([{ name: 'zip', type: 'category' }]);
    expect(partial.preview.rows).toEqual([['00042']]);
    const v2 = await dataApi.commitImport(next.importId);
    expect((await getVersion(v2.versionId)).typeOverrides).toEqual({ zip: 'category', amount: 'number' });
    expect((await dataApi.preview(v2.versionId, 0, 3)).rows).toEqual([['01234', 5], ['02345', 6], ['09876', 7]]);
  });

  it('refuses to commit a batch staged against a version that is no longer the latest', async () => {
    const v1 = await dataApi.importFile(csvFile('weather.csv', weatherLines(10)));
    const a = await dataApi.stageImport(csvFile('a.csv', weatherLines(5, { from: 10 })), { appendTo: v1.datasetId });
    const b = await dataApi.stageImport(csvFile('b.csv', weatherLines(5, { from: 20 })), { appendTo: v1.datasetId });
    await dataApi.commitImport(a.importId);
    const before = await tableCounts();
    await expect(dataApi.commitImport(b.importId)).rejects.toMatchObject({
      code: 'bad-argument',
      message: expect.stringContaining('weather has a newer version (v2)'),
    });
    expect(await tableCounts()).toEqual(before);
  });

  it('cancel mid-stage stops reading within a second and leaves nothing', async () => {
    const big = csvFile('big.csv', weatherLines(400_000));
    const importId = 'cancel-me';
    const progress: ImportProgress[] = [];
    let cancelledAt = 0;
    const stagePromise = dataApi.stageImport(big, { importId }, (p) => {
      progress.push(p);
      if (p.phase === 'reading' && p.fraction > 0.05 && cancelledAt === 0) {
        cancelledAt = performance.now();
        dataApi.cancelImport(importId);
      }
    });
    await expect(stagePromise).rejects.toMatchObject({ code: 'cancelled', message: 'The import of big.csv was cancelled' });
    expect(performance.now() - cancelledAt).toBeLessThan(1000);
    expect(progress.every((p) => p.importId === importId)).toBe(true);
    expect(progress.at(-1)!.fraction).toBeLessThan(1);
    expect(await tableCounts()).toEqual(EMPTY_COUNTS);
    expect(activeImports().running).toEqual([]);
    expect(activeImports().staged).not.toContain(importId);
  });

  it('a cancel that arrives before the stage starts still stops it', async () => {
    dataApi.cancelImport('early');
    await expect(dataApi.stageImport(csvFile('w.csv', weatherLines(5)), { importId: 'early' })).rejects.toMatchObject({ code: 'cancelled' });
    expect(await tableCounts()).toMatchObject({ versions: 0 });
  });
});
