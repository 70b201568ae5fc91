// Checkpoints and resume: a run continued from any epoch ends where an uninterrupted run ends; locks refuse a second run.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import Dexie from 'dexie';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { trainModel, type TrainParams } from '../../../src/lib/ml/train.ts';
import type { TrainCheckpoint } from '../../../src/lib/ml/train-state.ts';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import type { PipelineSpec } from '../../../src/lib/pipeline/spec/types.ts';
import { mulberry32 } from '../../../src/lib/pipeline/split.ts';
import { getCheckpoint, openCheckpointDb } from '../../../src/lib/store/checkpoints.ts';
import { getRun } from '../../../src/lib/store/runs.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { mlApi } from '../../../workers/ml.worker.ts';
import type { TrainRequest } from '../../../workers/protocol.ts';
import { resetDb } from '../store/helpers.ts';

beforeAll(async () => void (await chooseBackend('wasm')));
beforeEach(async () => {
  await resetDb();
  await openCheckpointDb().checkpoints.clear();
});

/** Three classes from two features, with noise. */
function data(n: number) {
  const random = mulberry32(11);
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = random() * 2 - 1;
    const b = random() * 2 - 1;
    x.set([a, b], 2 * i);
    y[i] = a + b + 0.3 * (random() - 0.5) > 0.4 ? 2 : a - b > 0 ? 1 : 0;
  }
  return { x, y };
}

async function finalWeights(model: Awaited<ReturnType<typeof trainModel>>['model']): Promise<number[]> {
  const values = await Promise.all(model.getWeights().map((w) => w.data()));
  model.dispose();
  return values.flatMap((v) => Array.from(v));
}

describe('trainModel checkpoints', () => {
  it('resumes from any epoch to the same weights, history and best epoch (dropout, class weights, early stopping)', async () => {
    const n = 300;
    const { x, y } = data(n);
    const params: TrainParams = {
      model: 'mlp',
      hidden: [8, 6],
      epochs: 9,
      seed: 5,
      batchSize: 32,
      dropout: 0.2,
      classWeights: [1, 2, 0.5],
      patience: 100,
      checkpointEveryMs: 0,
    };
    const checkpoints: TrainCheckpoint[] = [];
    const straight = await trainModel(x, y, n, 2, 'multiclass', 3, params, { onCheckpoint: (c) => void checkpoints.push(c as TrainCheckpoint) });
    expect(checkpoints.map((c) => c.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const reference = await finalWeights(straight.model);
    for (const from of [1, 4, 8]) {
      const resumed = await trainModel(x, y, n, 2, 'multiclass', 3, { ...params, resume: checkpoints[from - 1] });
      expect(resumed.history).toEqual(straight.history);
      expect(resumed.bestEpoch).toBe(straight.bestEpoch);
      expect(await finalWeights(resumed.model)).toEqual(reference);
    }
  });

  it('writes the last completed epoch when cancelled, even inside the throttle window', async () => {
    const n = 400;
    const { x, y } = data(n);
    const written: TrainCheckpoint[] = [];
    let epochs = 0;
    const out = await trainModel(
      x,
      y,
      n,
      2,
      'multiclass',
      3,
      { model: 'linear', epochs: 1000, seed: 1, batchSize: 16, checkpointEveryMs: 60_000 },
      { onEpoch: () => void epochs++, shouldStop: () => epochs >= 3, onCheckpoint: (c) => void written.push(c as TrainCheckpoint) },
    );
    out.model.dispose();
    expect(out.cancelled).toBe(true);
    // The first epoch is written at once; the third (last completed before the cancel) on cancel.
    expect(written.map((c) => c.epoch)).toEqual([1, 3]);
  });
});

const penguins = () => new Uint8Array(readFileSync('node_modules/vega-datasets/data/penguins.json'));

/** The spec with some of its model's hyper-parameters changed. */
const withModel = (spec: PipelineSpec, model: Partial<PipelineSpec['model']>): PipelineSpec => ({ ...spec, model: { ...spec.model, ...model } });

describe('ML worker resume and locks', () => {
  it('resumes a cancelled run to the same metrics as a straight run, and lists and discards checkpoints', async () => {
    const { versionId } = await dataApi.importFile({ name: 'penguins.json', data: penguins().buffer });
    const request: TrainRequest = {
      versionId,
      spec: makeSpec({ target: 'Species', split: { seed: 4 }, model: { kind: 'mlp', hidden: [16], epochs: 30, earlyStopping: false } }),
    };
    const straight = await mlApi.train({ ...request, runId: 'straight' });
    expect(await mlApi.listResumable()).toEqual([]);

    const first = await mlApi.train({ ...request, runId: 'interrupted' }, (p) => {
      if (p.epoch === 12) mlApi.cancel('interrupted');
    });
    expect(first.cancelled).toBe(true);
    const resumable = await mlApi.listResumable();
    expect(resumable).toHaveLength(1);
    expect(resumable[0]).toMatchObject({ runId: 'interrupted', versionId, target: 'Species', epochs: 30 });
    expect(resumable[0]!.epoch).toBeGreaterThanOrEqual(12);
    // The checkpoint keeps the spec as run (input and Check stage filled in), which the resume runs again.
    const straightSpec = (await getRun('straight')).spec;
    expect(straightSpec).toMatchObject({ ...request.spec, input: { dataset: 'penguins', version: 1 } });
    expect((await getCheckpoint('interrupted')).spec).toEqual(straightSpec);

    const seen: number[] = [];
    const resumed = await mlApi.resume('interrupted', (p) => seen.push(p.epoch));
    expect(seen[0]).toBe(resumable[0]!.epoch + 1);
    expect(resumed.cancelled).toBe(false);
    expect(resumed.history).toHaveLength(30);
    resumed.history.forEach((h, i) => {
      expect(h.loss).toBeCloseTo(straight.history[i]!.loss, 6);
    });
    const a = resumed.evaluation.metrics as unknown as Record<string, number>;
    const b = straight.evaluation.metrics as unknown as Record<string, number>;
    for (const key of ['accuracy', 'logLoss', 'macroF1']) expect(Math.abs(a[key]! - b[key]!)).toBeLessThan(1e-6);
    expect((await getRun('interrupted')).history).toHaveLength(30);
    expect((await getRun('interrupted')).spec).toEqual(straightSpec);
    expect(await mlApi.listResumable()).toEqual([]);

    await mlApi.train({ ...request, spec: withModel(request.spec, { epochs: 50 }), runId: 'again' }, (p) => {
      if (p.epoch === 2) mlApi.cancel('again');
    });
    const before = (await mlApi.listResumable())[0]!;
    expect(before.runId).toBe('again');
    // A resumed run cancelled again keeps a (later) checkpoint.
    const again = await mlApi.resume('again', (p) => {
      if (p.epoch === before.epoch + 2) mlApi.cancel('again');
    });
    expect(again.cancelled).toBe(true);
    expect((await mlApi.listResumable())[0]!.epoch).toBeGreaterThan(before.epoch);
    await mlApi.discardCheckpoint('again');
    expect(await mlApi.listResumable()).toEqual([]);
    await expect(mlApi.resume('again')).rejects.toThrow(/No checkpoint of run "again"/);
  });

  it('refuses a second run on the same version and target while one is going', async () => {
    const { versionId } = await dataApi.importFile({ name: 'penguins.json', data: penguins().buffer });
    const spec = makeSpec({ target: 'Species', split: { seed: 1 }, model: { kind: 'linear', epochs: 100_000, earlyStopping: false } });
    const request: TrainRequest = { versionId, spec };
    let started!: () => void;
    const going = new Promise<void>((resolve) => (started = resolve));
    const first = mlApi.train({ ...request, runId: 'one' }, () => started());
    await going;
    const second = mlApi.train({ ...request, runId: 'two' });
    await expect(second).rejects.toThrow('A run on penguins v1 → Species is already going in another tab');
    await expect(second).rejects.toBeInstanceOf(AppError);
    // Another target of the same version is a different pipeline.
    const other = await mlApi.train({ ...request, spec: withModel({ ...spec, target: 'Island' }, { epochs: 2 }), runId: 'three' });
    expect(other.cancelled).toBe(false);
    mlApi.cancel('one');
    expect((await first).cancelled).toBe(true);
  });
});

describe('checkpoint database', () => {
  it('drops the checkpoints of version 1, which hold a request instead of a spec and cannot be resumed', async () => {
    const name = 'millrace-checkpoint-upgrade-test';
    await Dexie.delete(`${name}-checkpoints`);
    const old = new Dexie(`${name}-checkpoints`);
    old.version(1).stores({ checkpoints: 'runId, updatedAt, versionId' });
    await old.table('checkpoints').add({
      runId: 'old',
      versionId: 1,
      target: 'Species',
      request: { versionId: 1, target: 'Species', model: 'linear', seed: 1, epochs: 10 },
      backend: 'wasm',
      epoch: 3,
      epochs: 10,
      updatedAt: '2024-01-01T00:00:00.000Z',
      state: { splitRows: { train: Int32Array.of(0), test: Int32Array.of(1) }, elapsedMs: 5 },
    });
    old.close();
    const db = openCheckpointDb(name);
    try {
      expect(await db.checkpoints.toArray()).toEqual([]);
      expect(db.verno).toBe(2);
    } finally {
      db.close();
      await Dexie.delete(`${name}-checkpoints`);
    }
  });
});

describe('trainModel memory', () => {
  it('frees every tensor it made (checkpoints, best weights, optimizer) once the model is disposed', async () => {
    const { x, y } = data(200);
    const run = async () => {
      const out = await trainModel(x, y, 200, 2, 'multiclass', 3, { model: 'mlp', hidden: [8], epochs: 5, seed: 1, checkpointEveryMs: 0 }, { onCheckpoint: () => {} });
      out.model.dispose();
    };
    await run();
    const before = tf.memory().numTensors;
    await run();
    expect(tf.memory().numTensors).toBe(before);
  });
});
