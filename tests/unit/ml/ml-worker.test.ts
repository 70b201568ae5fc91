// The ML worker's API, called directly in Node on fake IndexedDB: train, cancel, save, score and export.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { verifyBundle } from '../../../src/lib/pipeline/bundle/manifest.ts';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { makeSpec, type SpecDraft } from '../../../src/lib/pipeline/spec/build.ts';
import { defaultHyperParams } from '../../../src/lib/pipeline/spec/hyperparams.ts';
import { parseSpec, specJson } from '../../../src/lib/pipeline/spec/validate.ts';
import { listAudit } from '../../../src/lib/store/audit.ts';
import { getVersion } from '../../../src/lib/store/datasets.ts';
import { getRun } from '../../../src/lib/store/runs.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { mlApi } from '../../../workers/ml.worker.ts';
import type { TrainProgress } from '../../../workers/protocol.ts';
import { resetDb } from '../store/helpers.ts';
import { sexAllowed, sexRecipe } from '../workers/helpers.ts';

const penguins = () => new Uint8Array(readFileSync('node_modules/vega-datasets/data/penguins.json'));

// Start WASM from node_modules first; the worker's browser backend code then reuses the running backend.
beforeAll(async () => void (await chooseBackend('wasm')));
beforeEach(resetDb);

async function importPenguins() {
  return (await dataApi.importFile({ name: 'penguins.json', data: penguins().buffer })).versionId;
}

/** A spec for Species on penguins: the draft's split and model over these defaults. */
const speciesSpec = (draft: Omit<SpecDraft, 'target'> = {}) => makeSpec({ target: 'Species', ...draft });

describe('ML worker API', () => {
  it('trains with progress, stores the run, saves, scores and exports the model', async () => {
    const versionId = await importPenguins();
    const progress: TrainProgress[] = [];
    const result = await mlApi.train(
      { runId: 'run-1', versionId, spec: speciesSpec({ split: { seed: 3 }, model: { kind: 'linear', epochs: 40 } }) },
      (p) => progress.push(p),
    );
    expect(result).toMatchObject({ runId: 'run-1', backend: 'wasm', cancelled: false });
    expect(progress.length).toBe(result.history.length);
    expect(progress[0]).toMatchObject({ runId: 'run-1', epoch: 1, epochs: 40, backend: 'wasm' });
    const accuracy = (result.evaluation.metrics as { accuracy: number }).accuracy;
    expect(accuracy).toBeGreaterThan(0.95);
    const run = await getRun('run-1');
    expect(run.weights.size).toBeGreaterThan(0);

    const { modelId, version } = await mlApi.saveModel('run-1', 'species');
    expect(version).toBe(1);

    const scored = await mlApi.score(modelId, { name: 'new.json', data: new Blob([penguins()]) });
    expect(scored.rows).toBe(344);
    const lines = (await scored.csv.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(345);
    expect(lines[0]).toContain('predicted_Species,probability_Adelie,probability_Chinstrap,probability_Gentoo');
    expect(lines[1]).toMatch(/,Adelie,[0-9.e-]+,[0-9.e-]+,[0-9.e-]+$/);

    const exported = await mlApi.exportModel(modelId);
    expect(exported.fileName).toBe('species-v1.zip');
    const files = unzipSync(new Uint8Array(await exported.zip.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['README.md', 'manifest.json', 'metrics.json', 'model-card.md', 'model.json', 'pipeline.json', 'predict.mjs', 'recipe.json', 'reference.json', 'review.json', 'transforms.json', 'weights.bin']);
    expect(verifyBundle(files).format).toBe('millrace.bundle/1');
    expect(JSON.parse(strFromU8(files['review.json']!))).toMatchObject({ format: 'millrace.review/1' });
    expect(JSON.parse(strFromU8(files['recipe.json']!))).toEqual({ format: 'millrace.recipe/1', recipeVersion: 0, suiteVersion: 0, steps: [] });
    expect(parseSpec(strFromU8(files['pipeline.json']!))).toEqual(run.spec);
    expect(files['weights.bin']!.byteLength).toBe(run.weights.size);
    expect(strFromU8(files['model-card.md']!)).toContain('species');
    expect((await listAudit()).map((entry) => entry.action)).toEqual(['import', 'check.run', 'train', 'review-verdict', 'save-model', 'score', 'export']);
  });

  it('stops a run within a second of cancel and still stores it', async () => {
    const versionId = await importPenguins();
    let cancelledAt = 0;
    const done = mlApi.train(
      { runId: 'run-c', versionId, spec: speciesSpec({ split: { seed: 1 }, model: { kind: 'mlp', hidden: [64, 64], epochs: 100_000 } }) },
      (p) => {
        if (p.epoch === 3) {
          cancelledAt = performance.now();
          setTimeout(() => mlApi.cancel('run-c'), 0);
        }
      },
    );
    const result = await done;
    expect(result.cancelled).toBe(true);
    expect(performance.now() - cancelledAt).toBeLessThan(1000);
    expect((await getRun('run-c')).history.length).toBe(result.history.length);
  });

  it('stores each search trial as a run and returns the leaderboard and CV', async () => {
    const versionId = await importPenguins();
    const search = { strategy: 'grid' as const, trials: null, minutes: null, space: { learningRate: [0.01, 0.05] } };
    const result = await mlApi.train({
      runId: 'run-s',
      versionId,
      spec: speciesSpec({ split: { seed: 2, folds: 3 }, model: { kind: 'linear', epochs: 10, search } }),
    });
    expect(result.leaderboard!.map((t) => t.rank)).toEqual([1, 2]);
    expect(result.cv).toMatchObject({ folds: 3, metric: 'accuracy' });
    // A trial is stored as a run of its own: its parameters, and a spec without the search and the folds that re-runs it.
    const trial = await getRun('run-s/trial-2');
    expect(trial).toMatchObject({ id: 'run-s/trial-2', trialOf: { runId: 'run-s', trial: 2 }, params: { kind: 'linear', learningRate: 0.05 } });
    expect(trial.spec.model).toMatchObject({ kind: 'linear', learningRate: 0.05, epochs: 10, search: null });
    expect(trial.spec.split).toEqual({ kind: 'auto', seed: 2, timeColumn: null, folds: null });
    const best = await getRun('run-s');
    expect(best.params.learningRate).toBe(result.leaderboard![0]!.params.learningRate);
    expect(best.spec.model.search).toEqual(search);
    expect(best.spec.split.folds).toBe(3);
  });

  it('names an unknown target column', async () => {
    const versionId = await importPenguins();
    await expect(
      mlApi.train({ versionId, spec: makeSpec({ target: 'species', split: { seed: 1 }, model: { kind: 'linear', epochs: 1 } }) }),
    ).rejects.toThrow(/Unknown target column "species"/);
  });

  it('stores the run with its spec: input and Check stage filled in from the store, whatever the request said; the export holds pipeline.json and recipe.json', async () => {
    const { versionId, datasetId } = await dataApi.importFile({ name: 'penguins.json', data: penguins().buffer });
    await dataApi.saveSuite(datasetId, [sexAllowed]);
    await dataApi.saveRecipe(datasetId, sexRecipe);
    await dataApi.decidePrivacy(datasetId, { column: 'Island', action: 'drop' });
    const asked = speciesSpec({
      input: { dataset: 'elsewhere', version: 9, sha256: 'f'.repeat(64), types: {}, dateFormats: {} },
      check: { recipe: null, rules: null, privacy: [] },
      split: { seed: 4 },
      model: { kind: 'linear', epochs: 15 },
    });
    const result = await mlApi.train({ runId: 'run-spec', versionId, spec: asked });
    expect(result.cancelled).toBe(false);
    const run = await getRun('run-spec');
    const suite = await dataApi.getSuite(datasetId);
    expect(run.spec).toEqual({
      ...asked,
      input: { dataset: 'penguins', version: 1, sha256: (await getVersion(versionId)).sha256, types: {}, dateFormats: {} },
      check: {
        recipe: { version: 1, steps: sexRecipe },
        rules: { name: suite!.name, version: 1, rules: [sexAllowed], reference: null },
        privacy: [{ column: 'Island', action: 'drop' }],
      },
    });
    expect(run.spec.input.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The spec as stored is a valid spec, and its model resolves to the parameters the run reports.
    expect(parseSpec(JSON.parse(specJson(run.spec)))).toEqual(run.spec);
    expect(run.params).toEqual({ ...defaultHyperParams(), kind: 'linear', epochs: 15, hidden: [] });
    expect(result.params).toEqual(run.params);
    expect(run.preparation).toEqual({ recipeVersion: 1, suiteVersion: 1, recipeSteps: sexRecipe, privacySteps: [{ kind: 'drop-columns', columns: ['Island'] }] });
    expect(run.plan.features).not.toContain('Island');

    const { modelId } = await mlApi.saveModel('run-spec', 'species');
    const exported = await mlApi.exportModel(modelId);
    const files = unzipSync(new Uint8Array(await exported.zip.arrayBuffer()));
    const pipeline = strFromU8(files['pipeline.json']!);
    expect(pipeline).toBe(specJson(run.spec));
    expect(parseSpec(pipeline)).toEqual(run.spec);
    expect(JSON.parse(strFromU8(files['recipe.json']!))).toEqual({
      format: 'millrace.recipe/1',
      recipeVersion: 1,
      suiteVersion: 1,
      steps: [...sexRecipe, { kind: 'drop-columns', columns: ['Island'] }],
    });
  });

  it('cancels a run whose cancel arrived before the run registered', async () => {
    const versionId = await importPenguins();
    await mlApi.cancel('run-early');
    const progress: TrainProgress[] = [];
    const result = await mlApi.train(
      { runId: 'run-early', versionId, spec: speciesSpec({ split: { seed: 1 }, model: { kind: 'mlp', hidden: [16], epochs: 30, earlyStopping: false } }) },
      (p) => progress.push(p),
    );
    expect(result.cancelled).toBe(true);
    // Stopped before its first epoch finished.
    expect(result.history).toEqual([]);
    expect(progress).toEqual([]);
    expect((await getRun('run-early')).history).toEqual([]);
    // The cancel was used up: the next run on the same pipeline trains to the end.
    const next = await mlApi.train({ runId: 'run-after', versionId, spec: speciesSpec({ split: { seed: 1 }, model: { kind: 'linear', epochs: 3 } }) });
    expect(next.cancelled).toBe(false);
    expect(next.history).toHaveLength(3);
  });
});
