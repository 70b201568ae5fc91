// Saved feature sets count versions up per name and refuse bad JSON; the data worker previews a set on the training split.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { dataApi } from '../../../workers/data.worker.ts';
import { listFeatureSets, saveFeatureSet } from '../../../src/lib/store/feature-sets.ts';
import type { FeatureSet } from '../../../src/lib/pipeline/features/types.ts';
import { csvFile, weatherLines } from '../workers/helpers.ts';
import { resetDb, tableCounts } from './helpers.ts';

beforeEach(resetDb);

const tempSet: FeatureSet = { name: 'ignored', version: 7, features: [{ name: 'temp', column: 'temp', transform: 'log1p' }] };

describe('saveFeatureSet', () => {
  it('stores version 1, 2, … of a name, and starts again at 1 for another name', async () => {
    expect((await saveFeatureSet('weather', tempSet)).version).toBe(1);
    const second = await saveFeatureSet(' weather ', { ...tempSet, features: [{ name: 't', column: 'temp', transform: 'minmax' }] });
    expect(second).toMatchObject({ name: 'weather', version: 2, set: { name: 'weather', version: 2 } });
    expect((await saveFeatureSet('other', tempSet)).version).toBe(1);
    expect((await listFeatureSets()).map((r) => `${r.name} v${r.version}`)).toEqual(['other v1', 'weather v1', 'weather v2']);
  });

  it('refuses an unnamed or malformed set and stores nothing', async () => {
    const before = await tableCounts();
    await expect(saveFeatureSet('  ', tempSet)).rejects.toThrow(/needs a name/);
    const bad = { ...tempSet, features: [{ name: 'temp', column: 'temp', transform: 'cube' }] } as unknown as FeatureSet;
    await expect(saveFeatureSet('weather', bad)).rejects.toThrow(/cube/);
    expect(await tableCounts()).toEqual(before);
  });
});

describe('dataApi.featurePreview', () => {
  it('fits on the seeded 80% training split and reports width and a correlation per feature', async () => {
    const { versionId } = await dataApi.importFile(csvFile('weather.csv', weatherLines(50)));
    const set: FeatureSet = {
      name: 'w',
      version: 1,
      features: [
        { name: 'temp', column: 'temp', transform: 'standardize' },
        { name: 'temp buckets', column: 'temp', transform: 'bucketize', params: { edges: [12, 16] } },
      ],
    };
    const preview = await dataApi.featurePreview(versionId, set, 'weather', 'binary', 42);
    expect(preview.rows).toBe(40);
    expect(preview.width).toBe(4);
    expect(preview.features.map((f) => [f.name, f.width])).toEqual([['temp', 1], ['temp buckets', 3]]);
    expect(preview.features[0]?.correlation).not.toBeNull();
    await expect(dataApi.featurePreview(versionId, set, 'nope')).rejects.toThrow(/nope/);
  });
});
