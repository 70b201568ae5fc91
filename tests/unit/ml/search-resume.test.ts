// A hyper-parameter search resumed after a cancel ends with the leaderboard and best model of an uninterrupted search.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { stoppedAt } from '../../../src/lib/state/resumable.svelte.ts';
import { getCheckpoint, openCheckpointDb } from '../../../src/lib/store/checkpoints.ts';
import { getRun } from '../../../src/lib/store/runs.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { mlApi } from '../../../workers/ml.worker.ts';
import type { TrainProgress, TrainRequest, TrainResult } from '../../../workers/protocol.ts';
import { resetDb } from '../store/helpers.ts';

const penguins = () => new Uint8Array(readFileSync('node_modules/vega-datasets/data/penguins.json'));

beforeAll(async () => void (await chooseBackend('wasm')));
beforeEach(async () => {
  await resetDb();
  await openCheckpointDb().checkpoints.clear();
});

/** Progress events split into trials: a trial's epochs count up from 1 (or from where it resumed). */
function perTrial(progress: TrainProgress[]): number[][] {
  const trials: number[][] = [];
  let last = Infinity;
  for (const { epoch } of progress) {
    if (epoch <= last) trials.push([]);
    trials[trials.length - 1]!.push(epoch);
    last = epoch;
  }
  return trials;
}

function expectSameSearch(resumed: TrainResult, straight: TrainResult) {
  const a = resumed.leaderboard!;
  const b = straight.leaderboard!;
  expect(a.map((t) => [t.trial, t.rank, t.params, t.seed, t.epochsRun])).toEqual(b.map((t) => [t.trial, t.rank, t.params, t.seed, t.epochsRun]));
  a.forEach((t, i) => {
    expect(Math.abs(t.score - b[i]!.score)).toBeLessThan(1e-6);
    for (const [key, value] of Object.entries(b[i]!.metrics)) {
      expect(Math.abs((t.metrics as Record<string, number>)[key]! - value)).toBeLessThan(1e-6);
    }
  });
  const x = resumed.evaluation.metrics as unknown as Record<string, number>;
  const y = straight.evaluation.metrics as unknown as Record<string, number>;
  for (const key of ['accuracy', 'logLoss', 'macroF1']) expect(Math.abs(x[key]! - y[key]!)).toBeLessThan(1e-6);
}

describe('search resume', () => {
  it('continues a cancelled random search without retraining finished trials, to the uninterrupted leaderboard and best model', async () => {
    const { versionId } = await dataApi.importFile({ name: 'penguins.json', data: penguins().buffer });
    const epochs = 12;
    const request: TrainRequest = {
      versionId,
      spec: makeSpec({
        target: 'Species',
        // Trial 1 wins with this seed: the best model comes from the checkpoint, not from a training after the resume.
        split: { seed: 9 },
        model: {
          kind: 'mlp',
          epochs,
          earlyStopping: false,
          search: {
            strategy: 'random',
            trials: 4,
            minutes: null,
            space: { kind: ['linear', 'mlp'], learningRate: [0.003, 0.01, 0.03], hidden: [[8], [16]], dropout: [0, 0.1] },
          },
        },
      }),
    };
    const straight = await mlApi.train({ ...request, runId: 'straight' });
    expect(straight.leaderboard).toHaveLength(4);
    expect(await mlApi.listResumable()).toEqual([]);

    // Cancel in the middle of trial 2 (epoch 5 of 12).
    const before: TrainProgress[] = [];
    const first = await mlApi.train({ ...request, runId: 'cut' }, (p) => {
      before.push(p);
      if (before.length === epochs + 5) mlApi.cancel('cut');
    });
    expect(first.cancelled).toBe(true);
    const [listed] = await mlApi.listResumable();
    expect(listed).toMatchObject({ runId: 'cut', trial: 2, trials: 4, epochs });
    expect(listed!.epoch).toBeGreaterThanOrEqual(5);
    expect(stoppedAt(listed!)).toBe(`trial 2 of 4, epoch ${listed!.epoch} of ${epochs}`);
    const saved = (await getCheckpoint('cut')).state.search!;
    expect(saved.trials.map((t) => t.trial)).toEqual([1]);
    expect(saved.best?.trial).toBe(1);

    const after: TrainProgress[] = [];
    const resumed = await mlApi.resume('cut', (p) => after.push(p));
    expect(resumed.cancelled).toBe(false);
    // Trial 1 is not trained again; trial 2 continues after its checkpoint's epoch; trials 3 and 4 run whole; then the
    // best trial's parameters are refitted on the whole training split.
    const trials = perTrial(after);
    expect(trials.map((t) => t.length)).toEqual([epochs - listed!.epoch, epochs, epochs, epochs]);
    expect(resumed.refit).toMatchObject({ trial: 1, refitted: true, rows: resumed.split.train });
    expect(trials[0]![0]).toBe(listed!.epoch + 1);
    expect(straight.leaderboard![0]!.trial).toBe(1);
    expectSameSearch(resumed, straight);
    expect(await mlApi.listResumable()).toEqual([]);
    // Every trial is stored as a run, the interrupted one replaced by its finished training.
    for (const t of resumed.leaderboard!) {
      expect((await getRun(`cut/trial-${t.trial}`)).history).toHaveLength(epochs);
    }
    const best = await getRun('cut');
    expect(best.params).toEqual(resumed.leaderboard![0]!.params);
    expect(best.params).toEqual((await getRun('straight')).params);
    expect(best.spec).toEqual((await getRun('straight')).spec);
  });

  it('restarts an interrupted trial that wrote no epoch, and counts the time already spent against a minute budget', async () => {
    const { versionId } = await dataApi.importFile({ name: 'penguins.json', data: penguins().buffer });
    const search = { strategy: 'grid' as const, trials: null, minutes: null, space: { learningRate: [0.01, 0.03, 0.1] } };
    const spec = makeSpec({ target: 'Species', split: { seed: 3 }, model: { kind: 'linear', epochs: 6, earlyStopping: false, search } });
    const request: TrainRequest = { versionId, spec };
    const straight = await mlApi.train({ ...request, runId: 'straight' });
    let seen = 0;
    await mlApi.train({ ...request, runId: 'cut' }, () => {
      if (++seen === 6) mlApi.cancel('cut');
    });
    // The cancel lands after trial 1's last epoch: trial 2 stops before its first epoch and has no training state.
    const checkpoint = await getCheckpoint('cut');
    expect(checkpoint.state.search).toMatchObject({ trial: 2, total: 3 });
    expect(checkpoint.state.search!.train).toBeUndefined();
    const after: TrainProgress[] = [];
    const resumed = await mlApi.resume('cut', (p) => after.push(p));
    // Trials 2 and 3 from their first epoch, then the refit of the best trial on the whole training split.
    expect(perTrial(after).map((t) => t[0])).toEqual([1, 1, 1]);
    expect(after.at(-1)?.refit).toBe(true);
    expectSameSearch(resumed, straight);

    // A minute budget already spent: the interrupted trial finishes, no new one starts.
    const timed: TrainRequest = { ...request, spec: { ...spec, model: { ...spec.model, search: { ...search, minutes: 1 } } } };
    seen = 0;
    await mlApi.train({ ...timed, runId: 'timed' }, () => {
      if (++seen === 3) mlApi.cancel('timed');
    });
    const stored = await getCheckpoint('timed');
    expect(stored.trials).toBeUndefined();
    stored.state.search!.elapsedMs = 60_001;
    await openCheckpointDb().checkpoints.put(stored);
    const late = await mlApi.resume('timed');
    expect(late.leaderboard!.map((t) => t.trial)).toEqual([1]);
    expect(late.leaderboard![0]!.epochsRun).toBe(6);
  });
});
