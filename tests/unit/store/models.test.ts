// Runs and the model registry: runs are audited on save, model versions count up per name.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { listAudit, verifyAudit } from '../../../src/lib/store/audit.ts';
import { getModel, getModelWithRun, listModels, registerModel } from '../../../src/lib/store/models.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { resolveParams } from '../../../src/lib/pipeline/spec/resolve.ts';
import type { RunRecord } from '../../../src/lib/store/records.ts';
import { getRun, listRuns, saveRun } from '../../../src/lib/store/runs.ts';
import { resetDb, tableCounts } from './helpers.ts';

beforeEach(resetDb);

const sampleSpec = () => makeSpec({ target: 'species', split: { seed: 42 }, model: { kind: 'linear', epochs: 5 } });

function sampleRun(id: string, createdAt: string): RunRecord {
  const spec = sampleSpec();
  return {
    id,
    versionId: 7,
    spec,
    params: resolveParams(spec.model, 'multiclass').params,
    backend: 'cpu',
    plan: { target: 'species', task: 'multiclass', features: ['bill'], dropped: [] },
    bundle: { format: 'millrace.transforms/1', target: 'species', task: 'multiclass', features: [], featureNames: [], width: 0 },
    evaluation: {
      task: 'regression',
      metrics: { rmse: 1, mae: 1, r2: 0, residuals: [] },
      baseline: { rmse: 2, mae: 2, r2: 0, residuals: [] },
    },
    history: [{ epoch: 1, loss: 0.5 }],
    split: { train: 8, test: 2 },
    durationMs: 12,
    modelJson: { modelTopology: {} },
    weights: new Blob([new Float32Array([0.5, -1])]),
    createdAt,
  };
}

describe('runs', () => {
  it('stores a run with a train audit entry and reads it back', async () => {
    await saveRun(sampleRun('run-a', '2024-01-01T00:00:00.000Z'));
    await saveRun(sampleRun('run-b', '2024-02-01T00:00:00.000Z'));
    const run = await getRun('run-a');
    expect(run.spec).toEqual(sampleSpec());
    expect(run.params).toMatchObject({ kind: 'linear', epochs: 5, hidden: [] });
    expect(new Float32Array(await run.weights.arrayBuffer())).toEqual(new Float32Array([0.5, -1]));
    expect((await listRuns()).map((r) => r.id)).toEqual(['run-b', 'run-a']);
    expect(await listAudit()).toMatchObject([
      { action: 'train', subject: 'run run-a', details: { versionId: 7, model: 'linear', seed: 42 } },
      { action: 'train', subject: 'run run-b' },
    ]);
  });

  it('refuses to store the same run id twice, without a second audit entry', async () => {
    await saveRun(sampleRun('run-a', '2024-01-01T00:00:00.000Z'));
    await expect(saveRun(sampleRun('run-a', '2024-01-02T00:00:00.000Z'))).rejects.toThrow();
    expect(await tableCounts()).toMatchObject({ runs: 1, audit: 1 });
  });

  it('names a missing run', async () => {
    await expect(getRun('nope')).rejects.toMatchObject({ code: 'not-found', message: 'No training run "nope"' });
  });
});

describe('registerModel', () => {
  it('numbers versions 1, 2 for the same name and 1 for another name', async () => {
    await saveRun(sampleRun('run-a', '2024-01-01T00:00:00.000Z'));
    await saveRun(sampleRun('run-b', '2024-02-01T00:00:00.000Z'));
    const first = await registerModel('run-a', 'penguin species');
    const second = await registerModel('run-b', ' penguin species ');
    const other = await registerModel('run-b', 'challenger');
    expect([first.version, second.version, other.version]).toEqual([1, 2, 1]);

    expect(await getModel(second.modelId)).toMatchObject({
      name: 'penguin species',
      version: 2,
      runId: 'run-b',
      versionId: 7,
      target: 'species',
      task: 'multiclass',
    });
    expect((await listModels()).map((m) => `${m.name} v${m.version}`)).toEqual([
      'challenger v1',
      'penguin species v1',
      'penguin species v2',
    ]);
    const { model, run } = await getModelWithRun(first.modelId);
    expect([model.runId, run.id]).toEqual(['run-a', 'run-a']);

    const saves = (await listAudit()).filter((entry) => entry.action === 'save-model');
    expect(saves.map((entry) => entry.subject)).toEqual(['penguin species v1', 'penguin species v2', 'challenger v1']);
    expect(await verifyAudit()).toEqual({ ok: true, count: 5 });
  });

  it('stores nothing for a missing run or an empty name', async () => {
    await expect(registerModel('ghost', 'm')).rejects.toMatchObject({ code: 'not-found' });
    await expect(registerModel('ghost', '  ')).rejects.toMatchObject({ code: 'bad-argument' });
    await expect(getModel(3)).rejects.toMatchObject({ message: 'No saved model 3' });
    expect(await tableCounts()).toMatchObject({ models: 0, audit: 0 });
  });
});
