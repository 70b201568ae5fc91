// Deleting versions (refused while used), storage per dataset, orphan chunk cleanup, a full disk, the v1 → v2 upgrade.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { beforeEach, describe, expect, it } from 'vitest';
import { dataApi } from '../../../workers/data.worker.ts';
import { listAudit } from '../../../src/lib/store/audit.ts';
import { saveImport } from '../../../src/lib/store/datasets.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { resolveParams } from '../../../src/lib/pipeline/spec/resolve.ts';
import { MillraceDb, openDb } from '../../../src/lib/store/db.ts';
import { registerModel } from '../../../src/lib/store/models.ts';
import type { ChunkRecord, RunRecord } from '../../../src/lib/store/records.ts';
import { saveRun } from '../../../src/lib/store/runs.ts';
import { cleanupOrphans, deleteVersion, storageReport, versionDependents } from '../../../src/lib/store/version-admin.ts';
import { csvFile, sexRecipe, weatherLines } from '../workers/helpers.ts';
import { EMPTY_COUNTS, resetDb, sampleImport, tableCounts } from './helpers.ts';

beforeEach(resetDb);

function runOn(versionId: number, id: string): RunRecord {
  const spec = makeSpec({ target: 'weather', split: { seed: 1 }, model: { kind: 'linear', epochs: 1 } });
  return {
    id,
    versionId,
    spec,
    params: resolveParams(spec.model, 'binary').params,
    backend: 'cpu',
    plan: { target: 'weather', task: 'binary', features: ['temp'], dropped: [] },
    bundle: { format: 'millrace.transforms/1', target: 'weather', task: 'binary', features: [], featureNames: [], width: 0 },
    evaluation: { task: 'regression', metrics: { rmse: 1, mae: 1, r2: 0, residuals: [] }, baseline: { rmse: 1, mae: 1, r2: 0, residuals: [] } },
    history: [],
    split: { train: 1, test: 1 },
    durationMs: 1,
    modelJson: {},
    weights: new Blob([]),
    createdAt: '2024-01-01T00:00:00.000Z',
  };
}

describe('deleteVersion', () => {
  it('refuses while an appended version, a run or a model depends on it, naming them', async () => {
    const v1 = await dataApi.importFile(csvFile('weather.csv', weatherLines(10)));
    const staged = await dataApi.stageImport(csvFile('more.csv', weatherLines(5, { from: 10 })), { appendTo: v1.datasetId });
    const v2 = await dataApi.commitImport(staged.importId);
    await saveRun(runOn(v2.versionId, 'run-7'));
    await registerModel('run-7', 'rain');

    expect(await dataApi.versionDependents(v1.versionId)).toEqual({ childVersions: [v2.versionId], runs: [], runLabels: [], models: [] });
    expect(await versionDependents(v2.versionId)).toEqual({ childVersions: [], runs: ['run-7'], runLabels: ['linear · run- → weather'], models: [{ name: 'rain', version: 1 }] });
    const before = await tableCounts();
    await expect(dataApi.deleteVersion(v1.versionId)).rejects.toMatchObject({
      code: 'bad-argument',
      message: 'Cannot delete weather v1: it is used by version v2 (a batch appended to it). Delete those first.',
    });
    await expect(deleteVersion(v2.versionId)).rejects.toMatchObject({
      message: 'Cannot delete weather v2: it is used by model rain v1, training run linear · run- → weather. Delete those first (model versions on Models, then runs under Evaluate › Compare runs).',
    });
    expect(await tableCounts()).toEqual(before);
  });

  it('deletes a version with its chunks and an audit entry, and the dataset with its last version', async () => {
    const v1 = await dataApi.importFile(csvFile('weather.csv', weatherLines(10)));
    const v2 = await dataApi.importFile(csvFile('weather.csv', weatherLines(20)));
    await dataApi.deleteVersion(v2.versionId);
    expect(await tableCounts()).toMatchObject({ datasets: 1, versions: 1, chunks: 1, checks: 1 });
    await deleteVersion(v1.versionId);
    expect(await tableCounts()).toEqual({ ...EMPTY_COUNTS, audit: 6 });
    expect((await listAudit()).map((e) => `${e.action} ${e.subject}`)).toEqual([
      'import weather v1',
      'check.run weather v1',
      'import weather v2',
      'check.run weather v2',
      'delete weather v2',
      'delete weather v1',
    ]);
    await expect(deleteVersion(v1.versionId)).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('storage', () => {
  it('reports versions and stored bytes per dataset', async () => {
    await saveImport(sampleImport());
    await saveImport(sampleImport({ sha256: 'b'.repeat(64) }));
    await saveImport(sampleImport({ sha256: 'c'.repeat(64), fileName: 'churn.csv', chunks: [new Uint8Array(7)] }));
    const report = await storageReport();
    expect(report.datasets).toEqual([
      { datasetId: 1, name: 'sales', versions: 2, bytes: 10 },
      { datasetId: 2, name: 'churn', versions: 1, bytes: 7 },
    ]);
  });

  it('deletes chunks left without a version row, and only those', async () => {
    const kept = await saveImport(sampleImport());
    const orphans: ChunkRecord[] = [0, 1, 2].map((index) => ({ versionId: 99, index, blob: new Blob([new Uint8Array(4)]) }));
    await openDb().chunks.bulkAdd(orphans);
    expect(await cleanupOrphans()).toBe(3);
    expect(await openDb().chunks.toArray()).toHaveLength(2);
    expect((await openDb().chunks.toArray()).every((c) => c.versionId === kept.versionId)).toBe(true);
    expect(await cleanupOrphans()).toBe(0);
  });

  it('a full disk is a quota-exceeded error naming the file, and nothing is stored', async () => {
    await dataApi.importFile(csvFile('weather.csv', weatherLines(10)));
    const before = await tableCounts();
    const full = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    openDb().chunks.hook('creating', full);
    try {
      await expect(dataApi.importFile(csvFile('penguins.csv', weatherLines(50)))).rejects.toMatchObject({
        code: 'quota-exceeded',
        message: "Not enough storage for penguins.csv: the browser's quota is full. Delete old versions on the Data view.",
        place: { file: 'penguins.csv' },
      });
      const staged = await dataApi.stageImport(csvFile('penguins.csv', weatherLines(5, { from: 10 })), { appendTo: 1 });
      await expect(dataApi.commitImport(staged.importId)).rejects.toMatchObject({ code: 'quota-exceeded' });
    } finally {
      openDb().chunks.hook('creating').unsubscribe(full);
    }
    expect(await tableCounts()).toEqual(before);
  });
});

describe('schema upgrade', () => {
  it('fills rowsAdded = rows for versions stored before version 2', async () => {
    const name = 'millrace-upgrade-test';
    await Dexie.delete(name);
    const old = new Dexie(name);
    old.version(1).stores({ datasets: '++id, name', versions: '++id, datasetId, sha256, [datasetId+version]' });
    await old.table('versions').add({ datasetId: 1, version: 1, rows: 344, sha256: 'x' });
    old.close();
    const db = new MillraceDb(name);
    try {
      expect(await db.versions.toArray()).toMatchObject([{ id: 1, rows: 344, rowsAdded: 344 }]);
      expect(db.verno).toBe(8);
    } finally {
      db.close();
      await Dexie.delete(name);
    }
  });

  it('turns a v4 run record\'s request into its pipeline spec and resolved parameters (v5)', async () => {
    const name = 'millrace-upgrade-v5-test';
    await Dexie.delete(name);
    const old = new Dexie(name);
    // The stores of version 4, as MillraceDb declared them.
    old.version(4).stores({
      datasets: '++id, name',
      versions: '++id, datasetId, sha256, [datasetId+version], parentVersionId',
      chunks: '[versionId+index], versionId',
      runs: 'id, versionId, createdAt',
      models: '++id, name, [name+version], runId, versionId',
      audit: 'seq',
      featureSets: '++id, name, [name+version]',
      suites: '++id, datasetId, [datasetId+version]',
      recipes: '++id, datasetId, [datasetId+version]',
      checks: '++id, versionId, datasetId',
      privacy: '[datasetId+column], datasetId',
      settings: 'key',
    });
    // Runs as the v4 ML worker stored them: the request with the resolved parameters spread over it (`model`
    // the kind trained, `hidden` empty for linear models); a trial's request without its search and folds.
    const oldRun = (id: string, request: Record<string, unknown>, task: string, preparation?: object) => ({
      id,
      versionId: 1,
      request: { versionId: 1, runId: id, backend: 'wasm', ...request },
      backend: 'wasm',
      plan: { target: request.target, task, features: ['bill'], dropped: [] },
      bundle: { format: 'millrace.transforms/1', target: request.target, task, features: [], featureNames: [], width: 0 },
      evaluation: { task: 'regression', metrics: { rmse: 1, mae: 1, r2: 0, residuals: [] }, baseline: { rmse: 1, mae: 1, r2: 0, residuals: [] } },
      history: [{ epoch: 1, loss: 0.5 }],
      split: { train: 8, test: 2 },
      durationMs: 5,
      modelJson: {},
      weights: new Blob([new Float32Array([1, 2])]),
      createdAt: '2024-01-01T00:00:00.000Z',
      ...(preparation ? { preparation } : {}),
    });
    const mlp = {
      target: 'Species',
      model: 'mlp',
      hidden: [16],
      learningRate: 0.03,
      l2: 0.001,
      dropout: 0.1,
      activation: 'tanh',
      seed: 3,
      epochs: 40,
      split: 'stratified',
      folds: 3,
      classWeights: 'balanced',
      earlyStopping: false,
    };
    const linear = { target: 'mpg', task: 'regression', model: 'linear', hidden: [], learningRate: 0.05, l2: 0, dropout: 0, activation: 'relu', seed: 8, epochs: 6 };
    const search = { strategy: 'grid', space: { model: ['linear', 'mlp'], learningRate: [0.01, 0.05] } };
    await old.table('runs').bulkAdd([
      oldRun('run-mlp', mlp, 'multiclass', { recipeVersion: 2, suiteVersion: 1, recipeSteps: sexRecipe, privacySteps: [] }),
      oldRun('run-s', { ...linear, split: 'time', timeColumn: 'year', search }, 'regression'),
      oldRun('run-s/trial-2', { ...linear, split: 'time', timeColumn: 'year', search: undefined, folds: undefined }, 'regression'),
      // The old form took any number of epochs; today's spec allows 100000 at most.
      oldRun('run-long', { ...linear, epochs: 150_000, learningRate: 20 }, 'regression'),
    ]);
    await old.table('versions').add({ datasetId: 1, version: 1, rows: 10, rowsAdded: 10, sha256: 'x' });
    old.close();

    const db = new MillraceDb(name);
    try {
      const [mlpRun, searchRun, trialRun] = await Promise.all(['run-mlp', 'run-s', 'run-s/trial-2'].map((id) => db.runs.get(id)));
      expect(db.verno).toBe(8);
      expect(mlpRun).not.toHaveProperty('request');
      expect(mlpRun!.spec).toEqual(
        makeSpec({
          target: 'Species',
          split: { kind: 'stratified', seed: 3, folds: 3 },
          model: { kind: 'mlp', hidden: [16], learningRate: 0.03, l2: 0.001, dropout: 0.1, activation: 'tanh', epochs: 40, classWeights: 'balanced', earlyStopping: false },
          // The recipe the run's table went through, at the version it was.
          check: { recipe: { version: 2, steps: sexRecipe }, rules: null, privacy: [] },
        }),
      );
      expect(mlpRun!.params).toEqual({
        kind: 'mlp',
        epochs: 40,
        earlyStopping: false,
        learningRate: 0.03,
        hidden: [16],
        activation: 'tanh',
        dropout: 0.1,
        l2: 0.001,
        classWeights: 'balanced',
        batchSize: null,
        // The trees' parameters at their defaults (an MLP does not use them).
        rounds: 100,
        leaves: 31,
        treeLearningRate: 0.1,
        minLeafRows: 20,
        maxDepth: null,
      });
      // Everything else is kept as it was.
      expect(mlpRun).toMatchObject({ id: 'run-mlp', versionId: 1, backend: 'wasm', history: [{ epoch: 1, loss: 0.5 }], preparation: { recipeVersion: 2 } });
      expect(new Float32Array(await mlpRun!.weights.arrayBuffer())).toEqual(new Float32Array([1, 2]));

      const treeDefaults = { rounds: 100, leaves: 31, treeLearningRate: 0.1, minLeafRows: 20, maxDepth: null };
      const linearParams = { kind: 'linear', epochs: 6, earlyStopping: true, learningRate: 0.05, hidden: [], activation: 'relu', dropout: 0, l2: 0, classWeights: 'none', batchSize: null, ...treeDefaults };
      expect(searchRun!.spec).toEqual(
        makeSpec({
          target: 'mpg',
          task: 'regression',
          split: { kind: 'time', seed: 8, timeColumn: 'year' },
          model: { kind: 'linear', learningRate: 0.05, epochs: 6, search: { strategy: 'grid', trials: null, minutes: null, space: { kind: ['linear', 'mlp'], learningRate: [0.01, 0.05] } } },
        }),
      );
      expect(searchRun!.params).toEqual(linearParams);
      expect(trialRun!.spec.model.search).toBeNull();
      expect(trialRun!.spec.split).toEqual({ kind: 'time', seed: 8, timeColumn: 'year', folds: null });
      expect(trialRun!.params).toEqual(linearParams);
      // A value the spec refuses takes its default rather than keeping the database from opening.
      const long = await db.runs.get('run-long');
      expect(long!.spec).toEqual(makeSpec({ target: 'mpg', task: 'regression', split: { seed: 8 }, model: { kind: 'linear' } }));
      expect(long).not.toHaveProperty('request');
      expect(await db.versions.toArray()).toMatchObject([{ id: 1, rows: 10 }]);
    } finally {
      db.close();
      await Dexie.delete(name);
    }
  });
});
