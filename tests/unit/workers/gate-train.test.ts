// Training behind the Check gate: refused with 'gate-blocked' (audited) while blocked, then trained, scored and exported on the cleaned rows.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { listAudit } from '../../../src/lib/store/audit.ts';
import { getRun } from '../../../src/lib/store/runs.ts';
import { workspaceSalt } from '../../../src/lib/store/settings.ts';
import { saltedSha256 } from '../../../src/lib/pipeline/recipe/hash.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { mlApi } from '../../../workers/ml.worker.ts';
import { resetDb } from '../store/helpers.ts';
import { csvFile, sexAllowed, sexRecipe } from './helpers.ts';

beforeAll(async () => void (await chooseBackend('wasm')));
beforeEach(resetDb);

const penguinBytes = () => new Uint8Array(readFileSync('node_modules/vega-datasets/data/penguins.json'));

/** A linear model for `target`, seeded, trained for `epochs`. */
const linearSpec = (target: string, seed: number, epochs: number, earlyStopping = true) =>
  makeSpec({ target, split: { seed }, model: { kind: 'linear', epochs, earlyStopping } });

describe('the gate before training', () => {
  it('refuses to train on a blocked version, naming the rule, and audits gate.block', async () => {
    const { versionId, datasetId } = await dataApi.importFile({ name: 'penguins.json', data: penguinBytes().buffer });
    await dataApi.saveSuite(datasetId, [sexAllowed]);
    const request = { runId: 'run-b', versionId, spec: linearSpec('Species', 1, 5) };
    const error = await mlApi.train(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'gate-blocked' });
    expect((error as Error).message).toMatch(/^Training on penguins v1 is blocked: .*sex-allowed/);
    const block = (await listAudit()).at(-1);
    expect(block).toMatchObject({ action: 'gate.block', subject: 'penguins v1', details: { versionId, version: 1 } });
    expect((block!.details.reasons as string[]).join()).toContain('sex-allowed');
    await expect(getRun('run-b')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('trains on the cleaned rows once a recipe passes the suite; scoring and export apply the same recipe', async () => {
    const { versionId, datasetId } = await dataApi.importFile({ name: 'penguins.json', data: penguinBytes().buffer });
    await dataApi.saveSuite(datasetId, [sexAllowed]);
    await dataApi.saveRecipe(datasetId, sexRecipe);
    const result = await mlApi.train({ runId: 'run-ok', versionId, spec: linearSpec('Species', 3, 30) });
    expect(result.split.train + result.split.test).toBe(333);
    const run = await getRun('run-ok');
    expect(run.preparation).toEqual({ recipeVersion: 1, suiteVersion: 1, recipeSteps: sexRecipe, privacySteps: [] });
    // The spec names the recipe and suite the gate and the table came from.
    expect(run.spec.check).toMatchObject({ recipe: { version: 1, steps: sexRecipe }, rules: { version: 1, rules: [sexAllowed] }, privacy: [] });

    const { modelId } = await mlApi.saveModel('run-ok', 'species');
    const scored = await mlApi.score(modelId, { name: 'new.json', data: new Blob([penguinBytes()]) });
    expect(scored.rows).toBe(333);
    const lines = (await scored.csv.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(334);
    expect(lines.slice(1).some((line) => line.includes(',.,'))).toBe(false);
    expect((await listAudit()).filter((e) => e.action === 'score').at(-1)?.details).toMatchObject({ rows: 333, rowsIn: 344, recipeVersion: 1 });

    const exported = await mlApi.exportModel(modelId);
    const files = unzipSync(new Uint8Array(await exported.zip.arrayBuffer()));
    expect(JSON.parse(strFromU8(files['recipe.json']!))).toEqual({ format: 'millrace.recipe/1', recipeVersion: 1, suiteVersion: 1, steps: sexRecipe });
  });

  it('keeps an e-mail column out of training until it is decided; a hashed column is hashed again at scoring', async () => {
    const lines = [
      'email,visits,spend,churned',
      ...Array.from({ length: 60 }, (_, i) => `user${i}@example.com,${i % 7},${(i * 13) % 17},${(i * 13) % 17 > 8 ? 'yes' : 'no'}`),
    ];
    const { versionId, datasetId } = await dataApi.importFile(csvFile('people.csv', lines));
    const request = { runId: 'run-p', versionId, spec: linearSpec('churned', 1, 5) };
    await expect(mlApi.train(request)).rejects.toMatchObject({ code: 'gate-blocked', message: expect.stringMatching(/email/) });

    await dataApi.decidePrivacy(datasetId, { column: 'email', action: 'hash' });
    await mlApi.train(request);
    const run = await getRun('run-p');
    expect(run.preparation?.privacySteps).toEqual([{ kind: 'hash', column: 'email' }]);
    expect(run.spec.check.privacy).toEqual([{ column: 'email', action: 'hash' }]);

    const { modelId } = await mlApi.saveModel('run-p', 'churn');
    const scored = await mlApi.score(modelId, csvFile('new.csv', lines.slice(0, 3)));
    const out = (await scored.csv.text()).trimEnd().split('\r\n');
    expect(out[1]!.split(',')[0]).toBe(await saltedSha256(await workspaceSalt(), 'user0@example.com'));
  });

  it('resumes a run on the rows it started on, even when the recipe changed since', async () => {
    const { versionId, datasetId } = await dataApi.importFile({ name: 'penguins.json', data: penguinBytes().buffer });
    await dataApi.saveRecipe(datasetId, sexRecipe);
    const request = { runId: 'run-r', versionId, spec: linearSpec('Species', 2, 20, false) };
    const first = await mlApi.train(request, (p) => {
      if (p.epoch === 3) mlApi.cancel('run-r');
    });
    expect(first.cancelled).toBe(true);
    await dataApi.saveRecipe(datasetId, [{ kind: 'drop-missing', columns: ['Sex', 'Body Mass (g)'] }]);
    const resumed = await mlApi.resume('run-r');
    expect(resumed.cancelled).toBe(false);
    expect(resumed.split.train + resumed.split.test).toBe(333);
    expect((await getRun('run-r')).preparation).toMatchObject({ recipeVersion: 1, recipeSteps: sexRecipe });
    // The spec of the resumed run names the recipe its rows went through, not the one saved since.
    expect((await getRun('run-r')).spec.check.recipe).toEqual({ version: 1, steps: sexRecipe });
  });
});
