// The ML worker's monitoring on fake IndexedDB: a seattle-weather 2012–2013 model's reference stored at training, the 2015 batch (file, unlabelled file, appended version) compared, refused batches storing nothing, the audit chain intact.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { listAudit, verifyAudit } from '../../../src/lib/store/audit.ts';
import { openDb } from '../../../src/lib/store/db.ts';
import { getReference } from '../../../src/lib/store/monitor.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { mlApi } from '../../../workers/ml.worker.ts';
import type { DriftProgress } from '../../../src/lib/contracts/monitor.ts';
import { resetDb } from '../store/helpers.ts';

const fixture = (name: string) => readFileSync(`tests/fixtures/monitor/${name}`, 'utf8');
const file = (name: string, text = fixture(name)) => ({ name, data: new Blob([text]) });
/** The 2015 file without one column (by name). */
const without = (column: string) => {
  const [header, ...rows] = fixture('seattle-2015.csv').trim().split('\n');
  const drop = header!.split(',').indexOf(column);
  const cut = (line: string) => line.split(',').filter((_, i) => i !== drop).join(',');
  return [cut(header!), ...rows.map(cut)].join('\n') + '\n';
};

beforeAll(async () => void (await chooseBackend('wasm')));
beforeEach(resetDb);

/** A linear weather model trained on 2012–2013 and saved as "weather". */
async function savedModel() {
  const { versionId, datasetId } = await dataApi.importFile(file('seattle-2012-2013.csv'));
  await mlApi.train({ runId: 'run-w', versionId, spec: makeSpec({ target: 'weather', split: { seed: 3 }, model: { kind: 'linear', epochs: 15 } }) });
  const { modelId } = await mlApi.saveModel('run-w', 'weather');
  return { modelId, versionId, datasetId };
}

describe('the reference kept at training', () => {
  it('sketches the training columns and the test predictions with the run', async () => {
    await savedModel();
    const reference = (await getReference('run-w'))!;
    expect(reference.madeAt).toBe('training');
    expect(reference.data.columns.map((c) => c.name).sort()).toEqual(['date', 'precipitation', 'temp_max', 'temp_min', 'weather', 'wind']);
    // 80% of 731 rows trained the model; the 147 test rows were predicted.
    expect(reference.data.rows).toBe(584);
    expect(reference.predictions.rows).toBe(147);
    expect(reference.predictions.columns[0]).toMatchObject({ name: 'prediction', kind: 'category' });
  });
});

describe('comparing a batch with a saved model', () => {
  it('flags temp_max and the label in 2015, compares predictions, stores the report and audits it', async () => {
    const { modelId } = await savedModel();
    const progress: DriftProgress[] = [];
    const record = await mlApi.checkDrift({ modelId, batch: { file: file('seattle-2015.csv') } }, (p) => progress.push(p));
    expect(record.report.columns.map((c) => c.column).sort()).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind']);
    const byName = Object.fromEntries(record.report.columns.map((c) => [c.column, c]));
    expect(byName.temp_max!.drifted).toBe(true);
    expect(record.target).toMatchObject({ column: 'weather', drifted: true });
    expect(record.prediction).not.toBeNull();
    expect(record.notices.join(' ')).toMatch(/Date columns are not compared.*date/);
    expect(record.batch).toMatchObject({ kind: 'file', fileName: 'seattle-2015.csv', rows: 365, rowsDropped: 0 });
    expect(record.distributions.temp_max!.bins.length).toBeGreaterThan(1);
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['reading', 'comparing', 'predicting', 'done']));
    // Labelled: measured against the test split's intervals, not estimated.
    const measured = record.performance!.measured!;
    expect(measured.map((m) => m.metric)).toEqual(expect.arrayContaining(['accuracy', 'macroF1']));
    const accuracy = measured.find((m) => m.metric === 'accuracy')!;
    expect(accuracy.batchLow).toBeLessThanOrEqual(accuracy.batch);
    expect(accuracy.decayed).toBe(accuracy.testLow !== null && accuracy.batch < accuracy.testLow);
    expect(record.performance!.estimate).toBeNull();
    // The default monitoring policy: dataset drift and decay trigger a retrain, with their reasons.
    const kinds = record.triggers.map((t) => t.kind);
    expect(kinds.includes('dataset-drift')).toBe(record.report.datasetDrift);
    expect(kinds.includes('decay')).toBe(record.performance!.decayed);

    const listed = await dataApi.driftReports('weather');
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: record.id, batchLabel: 'seattle-2015.csv', rows: 365, datasetDrift: record.report.datasetDrift });
    const entry = (await listAudit()).at(-1)!;
    expect(entry).toMatchObject({ action: 'drift-check', subject: 'weather v1' });
    expect(entry.details).toMatchObject({ reportId: record.id, rows: 365, drifted: expect.arrayContaining(['temp_max']) });
    expect(await verifyAudit()).toMatchObject({ ok: true });
  });

  it('says there is no target drift for a batch without labels', async () => {
    const { modelId } = await savedModel();
    const record = await mlApi.checkDrift({ modelId, batch: { file: file('seattle-2015-unlabelled.csv') } });
    expect(record.target).toBeNull();
    expect(record.prediction).not.toBeNull();
    expect(record.notices.join(' ')).toMatch(/has no "weather" column/);
    // Unlabelled: the label-free estimate, with its assumptions, against the test values.
    const { estimate, estimated, measured } = record.performance!;
    expect(measured).toBeNull();
    expect(estimate!.accuracy).toBeGreaterThan(0);
    expect(estimate!.accuracy).toBeLessThanOrEqual(1);
    expect(estimate!.assumptions.join(' ')).toMatch(/no concept drift/);
    expect(estimated!.map((e) => e.metric)).toContain('accuracy');
    expect((await dataApi.driftReports('weather'))[0]!.metric).toMatchObject({ name: 'accuracy', estimated: true });
  });

  it('counts a column the batch lacks as drifted and does not score it', async () => {
    const { modelId } = await savedModel();
    const record = await mlApi.checkDrift({ modelId, batch: { file: file('no-wind.csv', without('wind')) } });
    const wind = record.report.columns.find((c) => c.column === 'wind')!;
    expect(wind).toMatchObject({ status: 'missing-in-batch', drifted: true });
    expect(record.prediction).toBeNull();
    expect(record.notices.join(' ')).toMatch(/lacks a column the model needs: "wind"/);
  });

  it('compares only the rows an append added, unless asked for the whole version', async () => {
    const { modelId, datasetId } = await savedModel();
    const staged = await dataApi.stageImport(file('seattle-2015.csv'), { appendTo: datasetId });
    const v2 = await dataApi.commitImport(staged.importId);
    const batch = await mlApi.checkDrift({ modelId, batch: { versionId: v2.versionId } });
    expect(batch.batch).toMatchObject({ kind: 'version', appendedOnly: true, rows: 365 });
    const whole = await mlApi.checkDrift({ modelId, batch: { versionId: v2.versionId, appendedOnly: false } });
    expect(whole.batch).toMatchObject({ appendedOnly: false, rows: 731 + 365 });
    // The same 2015 rows, as a file and as the append's batch, give the same figures.
    const asFile = await mlApi.checkDrift({ modelId, batch: { file: file('seattle-2015.csv') } });
    expect(batch.report.columns.map((c) => c.value)).toEqual(asFile.report.columns.map((c) => c.value));
    expect((await dataApi.driftReports('weather')).map((r) => r.batchLabel)).toEqual([
      'seattle-2012-2013 v2 (the rows its append added)',
      'seattle-2012-2013 v2',
      'seattle-2015.csv',
    ]);
  });

  it('rebuilds the reference of a run that has none from its dataset version', async () => {
    const { modelId } = await savedModel();
    const kept = (await getReference('run-w'))!;
    await openDb().references.clear();
    const record = await mlApi.checkDrift({ modelId, batch: { file: file('seattle-2015.csv') } });
    const rebuilt = (await getReference('run-w'))!;
    expect(rebuilt.madeAt).toBe('rebuilt');
    expect(rebuilt.data.rows).toBe(kept.data.rows);
    expect(record.report.columns.find((c) => c.column === 'temp_max')!.drifted).toBe(true);
  });

  it('refuses an empty batch and stores nothing', async () => {
    const { modelId } = await savedModel();
    const header = fixture('seattle-2015.csv').split('\n')[0] + '\n';
    const before = (await listAudit()).length;
    await expect(mlApi.checkDrift({ modelId, batch: { file: file('empty.csv', header) } })).rejects.toThrow(/empty\.csv has a header but no data rows/);
    expect(await dataApi.driftReports()).toEqual([]);
    expect((await listAudit()).length).toBe(before);
  });
});

describe('two versions compared with each other', () => {
  it("compares an append's rows with the version it was appended to, storing nothing", async () => {
    const { versionId, datasetId } = await dataApi.importFile(file('seattle-2012-2013.csv'));
    const staged = await dataApi.stageImport(file('seattle-2015.csv'), { appendTo: datasetId });
    const v2 = await dataApi.commitImport(staged.importId);
    const before = (await listAudit()).length;
    const batch = await dataApi.compareVersions(versionId, v2.versionId);
    expect(batch.reference).toBe('seattle-2012-2013 v1');
    expect(batch.current).toBe('seattle-2012-2013 v2 (the rows its append added)');
    expect(batch.report.currentRows).toBe(365);
    const byName = Object.fromEntries(batch.report.columns.map((c) => [c.column, c]));
    expect(byName.temp_max!.drifted).toBe(true);
    expect(byName.weather!.drifted).toBe(true);
    expect(batch.distributions.temp_max!.bins.length).toBeGreaterThan(0);
    expect(byName.date).toBeUndefined();
    expect(batch.notices).toEqual(['Date columns are not compared (every new batch is later by nature): date']);
    const whole = await dataApi.compareVersions(versionId, v2.versionId, false);
    expect(whole.current).toBe('seattle-2012-2013 v2');
    expect(whole.report.currentRows).toBe(1096);
    expect(await dataApi.driftReports()).toEqual([]);
    expect((await listAudit()).length).toBe(before);
  });

  it('names a version that does not exist', async () => {
    const { versionId } = await dataApi.importFile(file('seattle-2012-2013.csv'));
    await expect(dataApi.compareVersions(versionId, 999)).rejects.toThrow('No dataset version 999');
  });
});
