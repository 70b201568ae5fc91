// The data worker's API, called directly in Node: import with progress, duplicates, preview pages, profile, plan.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { dataApi } from '../../../workers/data.worker.ts';
import type { ImportProgress } from '../../../workers/protocol.ts';
import { listAudit } from '../../../src/lib/store/audit.ts';
import { resetDb, tableCounts } from './helpers.ts';

beforeEach(resetDb);

const penguins = () => readFileSync('node_modules/vega-datasets/data/penguins.json');

describe('data worker API', () => {
  it('imports a Blob with progress, then returns the same version for the same bytes', async () => {
    const phases: ImportProgress['phase'][] = [];
    const result = await dataApi.importFile({ name: 'penguins.json', data: new Blob([penguins()]) }, (p) =>
      phases.push(p.phase),
    );
    expect(result).toEqual({ datasetId: 1, versionId: 1, version: 1, rows: 344 });
    expect(phases).toEqual(['reading', 'parsing', 'storing', 'checking', 'done']);

    const before = await tableCounts();
    const bytes = new Uint8Array(penguins());
    const again = await dataApi.importFile({ name: 'copy.json', data: bytes.buffer });
    expect(again).toEqual({ ...result, duplicateOf: 1 });
    expect(await tableCounts()).toEqual(before);
    expect((await listAudit()).map((entry) => `${entry.action} ${entry.subject}`)).toEqual(['import penguins v1', 'check.run penguins v1']);
  });

  it('serves preview pages, the stored profile and a feature plan by version id', async () => {
    const { versionId } = await dataApi.importFile({ name: 'penguins.json', data: new Blob([penguins()]) });
    const page = await dataApi.preview(versionId, 340, 10);
    expect(page.columns[0]).toBe('Species');
    expect(page).toMatchObject({ offset: 340, total: 344 });
    expect(page.rows).toHaveLength(4);
    expect(page.rows[3]?.[0]).toBe('Gentoo');

    const profile = await dataApi.profile(versionId);
    expect(profile.rows).toBe(344);
    const plan = await dataApi.planFeatures(versionId, 'Species');
    expect(plan).toMatchObject({ target: 'Species', task: 'multiclass' });
  });

  it('names bad preview arguments and missing versions', async () => {
    await expect(dataApi.preview(1, -1, 10)).rejects.toMatchObject({ code: 'bad-argument' });
    await expect(dataApi.preview(99, 0, 10)).rejects.toMatchObject({ message: 'No dataset version 99' });
  });
});
