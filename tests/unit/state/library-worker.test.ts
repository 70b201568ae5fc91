// The data worker's side of the views' lists, called directly in Node: live summaries pushed after each commit (no
// profiles, curves or weights), one run by id, the audit log in pages, verified with progress and exported, feature
// sets saved in the worker.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dataApi } from '../../../workers/data.worker.ts';
import type { AuditVerifyProgress, LiveTopic, LiveTopics, LiveUpdate } from '../../../workers/protocol.ts';
import { appendAudit } from '../../../src/lib/store/audit.ts';
import { openDb } from '../../../src/lib/store/db.ts';
import { registerModel } from '../../../src/lib/store/models.ts';
import { saveRun } from '../../../src/lib/store/runs.ts';
import type { RunRecord } from '../../../src/lib/store/records.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { resolveParams } from '../../../src/lib/pipeline/spec/resolve.ts';
import type { FeatureSet } from '../../../src/lib/pipeline/features/types.ts';
import { resetDb } from '../store/helpers.ts';

beforeEach(resetDb);

const penguins = () => new Blob([readFileSync('node_modules/vega-datasets/data/penguins.json')]);

/** Watches a topic; `values` collects every push, `stop` ends the watch. */
async function watching<K extends LiveTopic>(topic: K) {
  const values: LiveTopics[K][] = [];
  const errors: unknown[] = [];
  const id = await dataApi.watch(topic, (update: LiveUpdate<LiveTopics[K]>) => {
    if ('value' in update) values.push(update.value);
    else errors.push(update.error);
  });
  await vi.waitFor(() => expect(values.length).toBeGreaterThan(0));
  return { values, errors, last: () => values[values.length - 1]!, stop: () => dataApi.unwatch(id) };
}

function run(id: string, createdAt: string, accuracy: number): RunRecord {
  const spec = makeSpec({ target: 'Species', split: { seed: 42 }, model: { kind: 'linear', epochs: 5 } });
  return {
    id,
    versionId: 1,
    spec,
    params: resolveParams(spec.model, 'multiclass').params,
    backend: 'cpu',
    plan: { target: 'Species', task: 'multiclass', features: ['Beak Length (mm)'], dropped: [] },
    bundle: { format: 'millrace.transforms/1', target: 'Species', task: 'multiclass', features: [], featureNames: [], width: 0 },
    evaluation: {
      task: 'multiclass',
      metrics: { accuracy, macroF1: 0.9, rocAuc: 0.99, logLoss: 0.2, confusion: [[1]], classes: ['Adelie'] },
      baseline: { accuracy: 0.44, macroF1: 0.2, rocAuc: 0.5, logLoss: 1.1, confusion: [[1]], classes: ['Adelie'] },
    },
    history: [
      { epoch: 1, loss: 0.9 },
      { epoch: 2, loss: 0.5 },
    ],
    split: { train: 275, test: 69 },
    durationMs: 120,
    modelJson: { modelTopology: {} },
    weights: new Blob([new Float32Array([0.5, -1])]),
    createdAt,
    preparation: { recipeVersion: 1, suiteVersion: 2, recipeSteps: [{ kind: 'drop-missing', columns: ['Sex'] }], privacySteps: [] },
  };
}

describe('live summaries', () => {
  it('pushes version summaries (no profile, with the dataset name) after each import, until unwatched', async () => {
    const versions = await watching('versions');
    expect(versions.last()).toEqual([]);
    const { versionId } = await dataApi.importFile({ name: 'penguins.json', data: penguins() });
    await vi.waitFor(() => expect(versions.last()).toHaveLength(1));
    const [summary] = versions.last();
    expect(summary).toMatchObject({ id: versionId, datasetName: 'penguins', version: 1, rows: 344, rowsAdded: 344, fileName: 'penguins.json' });
    expect(summary!.schema.map((c) => c.name)).toContain('Species');
    expect(summary).not.toHaveProperty('profile');

    versions.stop();
    const pushes = versions.values.length;
    await appendAudit('import', 'x', {});
    await dataApi.importFile({ name: 'cars.json', data: new Blob([readFileSync('node_modules/vega-datasets/data/cars.json')]) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(versions.values).toHaveLength(pushes);
  });

  it('pushes run and model summaries with headline metrics only; one run is read whole but without its model files', async () => {
    const runs = await watching('runs');
    const models = await watching('models');
    await saveRun(run('older', '2026-01-01T00:00:00.000Z', 0.9));
    await saveRun(run('newer', '2026-01-02T00:00:00.000Z', 0.97));
    await vi.waitFor(() => expect(runs.last().map((r) => r.id)).toEqual(['newer', 'older']));
    const summary = runs.last()[0]!;
    expect(summary).toMatchObject({
      target: 'Species',
      task: 'multiclass',
      metrics: { accuracy: 0.97, macroF1: 0.9, rocAuc: 0.99, logLoss: 0.2 },
      split: { train: 275, test: 69 },
      preparation: { recipeVersion: 1, suiteVersion: 2, recipeSteps: 1, privacySteps: 0 },
    });
    for (const key of ['history', 'evaluation', 'bundle', 'weights', 'modelJson', 'plan']) expect(summary).not.toHaveProperty(key);

    await registerModel('newer', 'penguin-species');
    await vi.waitFor(() => expect(models.last()).toHaveLength(1));
    expect(models.last()[0]).toMatchObject({ name: 'penguin-species', version: 1, runId: 'newer', metrics: { accuracy: 0.97 } });

    const detail = await dataApi.getRun('newer');
    expect(detail.history).toHaveLength(2);
    expect(detail.evaluation.metrics).toMatchObject({ accuracy: 0.97 });
    expect(detail).not.toHaveProperty('weights');
    expect(detail).not.toHaveProperty('modelJson');
    await expect(dataApi.getRun('nope')).rejects.toMatchObject({ code: 'not-found', message: 'No training run "nope"' });
    runs.stop();
    models.stop();
  });

  it('pushes the audit log length, not its entries, and refuses an unknown topic', async () => {
    const audit = await watching('audit');
    expect(audit.last()).toEqual({ count: 0, lastSeq: 0 });
    await appendAudit('import', 'a v1', {});
    await appendAudit('export', 'model 1', {});
    await vi.waitFor(() => expect(audit.last()).toEqual({ count: 2, lastSeq: 2 }));
    audit.stop();
    await expect(dataApi.watch('everything' as LiveTopic, () => undefined)).rejects.toMatchObject({ code: 'bad-argument' });
  });

  it('saves feature sets in the worker, and the watchers see the new version', async () => {
    const sets = await watching('featureSets');
    const set: FeatureSet = { name: 'x', version: 9, features: [{ name: 'mass', column: 'Body Mass (g)', transform: 'standardize' }] };
    const saved = await dataApi.saveFeatureSet(' mass ', set);
    expect(saved).toMatchObject({ name: 'mass', version: 1, set: { name: 'mass', version: 1 } });
    await vi.waitFor(() => expect(sets.last().map((r) => `${r.name} v${r.version}`)).toEqual(['mass v1']));
    await expect(dataApi.saveFeatureSet('', set)).rejects.toMatchObject({ code: 'bad-argument' });
    sets.stop();
  });
});

describe('audit log in the worker', () => {
  it('reads pages newest first, verifies with progress, exports JSON lines and names a tampered entry', async () => {
    for (let i = 1; i <= 5; i++) await appendAudit('score', `batch ${i}`, { i });
    const first = await dataApi.auditPage(2);
    expect(first.total).toBe(5);
    expect(first.entries.map((e) => e.seq)).toEqual([5, 4]);
    expect((await dataApi.auditPage(10, 4)).entries.map((e) => e.seq)).toEqual([3, 2, 1]);
    await expect(dataApi.auditPage(0)).rejects.toMatchObject({ code: 'bad-argument' });

    const progress: AuditVerifyProgress[] = [];
    expect(await dataApi.verifyAudit((p) => progress.push(p))).toEqual({ ok: true, count: 5 });
    expect(progress.at(-1)).toEqual({ checked: 5, total: 5 });

    const lines = (await (await dataApi.exportAudit()).text()).trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { subject: string }).subject)).toEqual(['batch 1', 'batch 2', 'batch 3', 'batch 4', 'batch 5']);

    await openDb().audit.update(3, { subject: 'edited' });
    expect(await dataApi.verifyAudit()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('verifies a log longer than one page, reporting each page', async () => {
    const db = openDb();
    // 4,500 entries chained in one transaction (appending one by one would take long on fake-indexeddb).
    const { chainEntry } = await import('../../../src/lib/pipeline/audit-chain.ts');
    let prev: Parameters<typeof chainEntry>[0];
    const entries = [];
    for (let i = 0; i < 4500; i++) {
      prev = chainEntry(prev, { action: 'score', subject: `s${i}`, details: {}, at: '2026-01-01T00:00:00.000Z' });
      entries.push(prev);
    }
    await db.audit.bulkAdd(entries);
    const progress: AuditVerifyProgress[] = [];
    expect(await dataApi.verifyAudit((p) => progress.push(p))).toEqual({ ok: true, count: 4500 });
    expect(progress.map((p) => p.checked)).toEqual([2000, 4000, 4500]);
    expect(progress.every((p) => p.total === 4500)).toBe(true);
  });
});
