// The ML worker with gradient-boosted trees, called directly in Node on fake IndexedDB: rounds as progress, cancel and resume, storage, scoring, explaining.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { getRun } from '../../../src/lib/store/runs.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { mlApi } from '../../../workers/ml.worker.ts';
import type { TrainProgress } from '../../../workers/protocol.ts';
import { resetDb } from '../store/helpers.ts';

const cars = () => new Uint8Array(readFileSync('node_modules/vega-datasets/data/cars.json'));

beforeAll(async () => void (await chooseBackend('wasm')));
beforeEach(resetDb);

async function importCars() {
  return (await dataApi.importFile({ name: 'cars.json', data: cars().buffer })).versionId;
}

const carsSpec = (rounds: number) => makeSpec({ target: 'Miles_per_Gallon', split: { seed: 4 }, model: { kind: 'gbdt', rounds } });

describe('ML worker with trees', () => {
  it('reports rounds as progress, stores model.json of the trees, scores a file and explains a test row with TreeSHAP', async () => {
    const versionId = await importCars();
    const progress: TrainProgress[] = [];
    const result = await mlApi.train({ runId: 'trees-1', versionId, spec: carsSpec(60) }, (p) => progress.push(p));
    expect(result.cancelled).toBe(false);
    expect(progress).toHaveLength(60);
    expect(progress[0]).toMatchObject({ runId: 'trees-1', epoch: 1, epochs: 60, model: 'gbdt' });
    // Trees never run on a TF.js backend: the run names what they computed on.
    expect(progress[0]!.backend).toMatch(/^(WebAssembly SIMD|WebAssembly|JavaScript)$/);
    expect(result.backend).toBe(progress[0]!.backend);
    expect((result.evaluation.metrics as { r2: number }).r2).toBeGreaterThan(0.8);
    const run = await getRun('trees-1');
    expect((run.modelJson as { format: string }).format).toBe('millrace.trees/1');
    expect(run.weights.size).toBe(0);

    const explained = await mlApi.explainTestRow('trees-1', 0);
    expect(explained.method).toBe('tree-shap');
    expect(explained.relativeGap).toBeLessThan(1e-6);

    const { modelId } = await mlApi.saveModel('trees-1', 'mpg');
    const scored = await mlApi.score(modelId, { name: 'cars.json', data: new Blob([cars()]) });
    const lines = (await scored.csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/,predicted_Miles_per_Gallon$/);
    expect(lines).toHaveLength(scored.rows + 1);
    expect(Number(lines[1]!.split(',').at(-1))).toBeGreaterThan(5);
  });

  it('cancel keeps a checkpoint of the trees listed as resumable; resuming ends with the same trees as a straight run', async () => {
    const versionId = await importCars();
    await mlApi.train({ runId: 'straight', versionId, spec: carsSpec(300) });
    const done = mlApi.train({ runId: 'cut', versionId, spec: carsSpec(300) }, (p) => {
      if (p.epoch === 20) mlApi.cancel('cut');
    });
    expect((await done).cancelled).toBe(true);
    const resumable = (await mlApi.listResumable()).find((r) => r.runId === 'cut');
    expect(resumable).toMatchObject({ model: 'gbdt', epochs: 300 });
    expect(resumable!.epoch).toBeGreaterThanOrEqual(20);
    const resumed = await mlApi.resume('cut');
    expect(resumed.cancelled).toBe(false);
    const [a, b] = [await getRun('straight'), await getRun('cut')];
    expect(JSON.stringify(b.modelJson)).toBe(JSON.stringify(a.modelJson));
    expect(b.history).toEqual(a.history);
    expect(await mlApi.listResumable()).toEqual([]);
  });
});

describe('monitoring a tree model', () => {
  const fixture = (name: string) => ({ name, data: new Blob([readFileSync(`tests/fixtures/monitor/${name}`, 'utf8')]) });

  it('keeps a reference at training and compares a batch: columns, label and the trees’ predictions', async () => {
    const { versionId } = await dataApi.importFile(fixture('seattle-2012-2013.csv'));
    await mlApi.train({ runId: 'trees-w', versionId, spec: makeSpec({ target: 'weather', split: { seed: 3 }, model: { kind: 'gbdt', rounds: 30 } }) });
    const { modelId } = await mlApi.saveModel('trees-w', 'weather-trees');
    const record = await mlApi.checkDrift({ modelId, batch: { file: fixture('seattle-2015.csv') } });
    expect(record.report.columns.find((c) => c.column === 'temp_max')?.drifted).toBe(true);
    expect(record.target).toMatchObject({ column: 'weather', drifted: true });
    expect(record.prediction).not.toBeNull();
    expect(record.batch).toMatchObject({ rows: 365 });
  });
});
