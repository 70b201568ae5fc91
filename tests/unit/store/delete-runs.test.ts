// Deleting model versions and runs: refusals naming the alias or the model (nothing written), what goes with each (trials, reports, references, drift reports, checkpoints), the audit entries, and the dataset version deletable after.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DriftRecord, ReferenceRecord } from '../../../src/lib/contracts/monitor.ts';
import type { ReviewRecord } from '../../../src/lib/contracts/training.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { resolveParams } from '../../../src/lib/pipeline/spec/resolve.ts';
import { promote } from '../../../src/lib/store/aliases.ts';
import { listAudit, verifyAudit } from '../../../src/lib/store/audit.ts';
import { getCheckpoint, openCheckpointDb, putCheckpoint, type CheckpointRecord } from '../../../src/lib/store/checkpoints.ts';
import { openDb } from '../../../src/lib/store/db.ts';
import { deleteModelVersion, registerModel } from '../../../src/lib/store/models.ts';
import type { RunRecord } from '../../../src/lib/store/records.ts';
import { deleteRun, saveRun } from '../../../src/lib/store/runs.ts';
import { deleteVersion, versionDependents } from '../../../src/lib/store/version-admin.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { csvFile, weatherLines } from '../workers/helpers.ts';
import { resetDb, tableCounts } from './helpers.ts';

beforeEach(async () => {
  await resetDb();
  await openCheckpointDb().checkpoints.clear();
});

function runOn(versionId: number, id: string): RunRecord {
  const spec = makeSpec({ target: 'weather', split: { seed: 1 }, model: { kind: 'mlp', epochs: 1 } });
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

const review = (runId: string) => ({ runId, createdAt: 'x', report: { verdict: { passed: true, checks: [], failures: [] } } }) as unknown as ReviewRecord;
const reference = (runId: string) => ({ runId, createdAt: 'x', madeAt: 'training' }) as unknown as ReferenceRecord;
const drift = (modelId: number, runId: string) => ({ modelId, modelName: 'rain', modelVersion: 1, runId, createdAt: 'x' }) as unknown as DriftRecord;

/** weather v1 with a search run "3f2a9c" (trials 1 and 2) saved as rain v1, a drift report against it, and a cancelled run "7b1e" with a checkpoint. */
async function setUp() {
  const v1 = await dataApi.importFile(csvFile('weather.csv', weatherLines(10)));
  for (const id of ['3f2a9c', '3f2a9c/trial-1', '3f2a9c/trial-2', '7b1e44']) await saveRun(runOn(v1.versionId, id), review(id), reference(id));
  const { modelId } = await registerModel('3f2a9c', 'rain');
  await openDb().driftReports.add(drift(modelId, '3f2a9c'));
  await putCheckpoint({ runId: '7b1e44', versionId: v1.versionId, updatedAt: 'x' } as unknown as CheckpointRecord);
  return { versionId: v1.versionId, modelId };
}

describe('deleteRun', () => {
  it('refuses a run saved as a model (or whose trial is), naming the model; nothing is written', async () => {
    await setUp();
    const before = await tableCounts();
    await expect(dataApi.deleteRun('3f2a9c')).rejects.toMatchObject({
      code: 'bad-argument',
      message: 'Cannot delete run mlp · 3f2a (weather): it is saved as model rain v1. Delete that model version first (Models).',
    });
    await expect(deleteRun('nope')).rejects.toMatchObject({ code: 'not-found', message: 'No training run "nope" to delete' });
    expect(await tableCounts()).toEqual(before);
  });

  it('deletes a run with its report, reference and checkpoint, audited by its label', async () => {
    await setUp();
    const before = await tableCounts();
    expect(await dataApi.deleteRun('7b1e44')).toEqual({ runIds: ['7b1e44'] });
    expect(await tableCounts()).toEqual({ ...before, runs: before.runs! - 1, reviews: before.reviews! - 1, references: before.references! - 1, audit: before.audit! + 1 });
    await expect(getCheckpoint('7b1e44')).rejects.toThrow('No checkpoint of run "7b1e44"');
    expect((await listAudit()).at(-1)).toMatchObject({ action: 'delete', subject: 'run mlp · 7b1e', details: { runId: '7b1e44', trials: 0, target: 'weather', model: 'mlp' } });
    expect(await verifyAudit()).toMatchObject({ ok: true });
  });
});

describe('deleteModelVersion', () => {
  it('refuses while an alias points at it, naming the alias; nothing is written', async () => {
    await setUp();
    await promote('rain', 1, 'champion', 'first');
    const before = await tableCounts();
    await expect(dataApi.deleteModelVersion('rain', 1, { withRun: true })).rejects.toMatchObject({
      code: 'bad-argument',
      message: 'rain v1 cannot be deleted: champion points at it; move that alias first',
    });
    expect(await tableCounts()).toEqual(before);
  });

  it('deletes the version and its drift reports; its run stays unless asked, then goes with its trials', async () => {
    const { versionId } = await setUp();
    await registerModel('3f2a9c', 'rain-copy');
    // Another version uses the run: it stays even when asked.
    expect(await deleteModelVersion('rain', 1, { withRun: true })).toEqual({ driftReports: 1, runIds: [] });
    expect(await tableCounts()).toMatchObject({ models: 1, driftReports: 0, runs: 4 });
    expect((await listAudit()).at(-1)).toMatchObject({ action: 'delete', subject: 'rain v1', details: { name: 'rain', version: 1, runId: '3f2a9c', driftReports: 1, runDeleted: false } });

    expect(await dataApi.deleteModelVersion('rain-copy', 1, { withRun: true })).toEqual({ driftReports: 0, runIds: ['3f2a9c', '3f2a9c/trial-1', '3f2a9c/trial-2'] });
    expect(await tableCounts()).toMatchObject({ models: 0, runs: 1, reviews: 1, references: 1 });
    expect((await listAudit()).slice(-2).map((e) => `${e.action} ${e.subject}`)).toEqual(['delete rain-copy v1', 'delete run mlp · 3f2a']);
    expect((await listAudit()).at(-1)!.details).toMatchObject({ trials: 2 });

    // The dataset version names what is left by its label, then deletes once it is gone.
    expect(await versionDependents(versionId)).toEqual({ childVersions: [], runs: ['7b1e44'], runLabels: ['mlp · 7b1e → weather'], models: [] });
    await expect(deleteVersion(versionId)).rejects.toThrow('Cannot delete weather v1: it is used by training run mlp · 7b1e → weather. Delete those first (runs under Evaluate › Compare runs).');
    await deleteRun('7b1e44');
    await deleteVersion(versionId);
    expect(await tableCounts()).toMatchObject({ versions: 0, runs: 0, models: 0, reviews: 0, references: 0 });
    expect(await verifyAudit()).toMatchObject({ ok: true });
  });
});
