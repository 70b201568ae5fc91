// The training state, in Node with the runes compiled; the workers are mocks behind the real clients, so the ML
// client's run-id filter and the channels' stale-reply dropping are the ones the studio uses.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import type { FeaturePlan } from '../../../src/lib/pipeline/types.ts';
import type { RunDetail, TrainProgress, TrainRequest, TrainResult } from '../../../src/lib/contracts/training.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { resolveParams } from '../../../src/lib/pipeline/spec/resolve.ts';
import { deferred, resetApi, settle, type Deferred, type FakeApi } from './fakes.ts';

const apis = vi.hoisted(() => ({ data: {} as FakeApi, ml: {} as FakeApi }));
vi.mock('../../../src/lib/workers-client/data-client.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/workers-client/data-client.ts')>();
  return { ...real, dataClient: () => new real.DataClient(apis.data as never) };
});
vi.mock('../../../src/lib/workers-client/ml-client.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/workers-client/ml-client.ts')>();
  return { ...real, mlClient: () => new real.MlClient(apis.ml as never) };
});

const { TrainingState } = await import('../../../src/lib/state/training.svelte.ts');

const plan = (target: string): FeaturePlan => ({ target, task: 'multiclass', features: ['Beak Length (mm)', 'Island'], dropped: [] });

function result(runId: string, cancelled = false): TrainResult {
  const spec = makeSpec({ target: 'Species' });
  return {
    runId,
    backend: 'wasm',
    plan: plan('Species'),
    bundle: { format: 'millrace.transforms/1', target: 'Species', task: 'multiclass', features: [], featureNames: [], width: 0 },
    evaluation: {
      task: 'multiclass',
      metrics: { accuracy: 0.98, macroF1: 0.97, rocAuc: 0.99, logLoss: 0.1, confusion: [], classes: [] },
      baseline: { accuracy: 0.44, macroF1: 0.2, rocAuc: 0.5, logLoss: 1.1, confusion: [], classes: [] },
    },
    split: { train: 275, test: 69 },
    history: [{ epoch: 1, loss: 0.9 }],
    durationMs: 500,
    cancelled,
    params: resolveParams(spec.model, 'multiclass').params,
    spec,
  };
}

const progress = (runId: string, epoch: number, extra: Partial<TrainProgress> = {}): TrainProgress => ({
  runId,
  epoch,
  epochs: 30,
  loss: 1 / epoch,
  backend: 'wasm',
  ...extra,
});

/** A training in the fake ML worker: its request, the progress callback it was given, and its answer. */
interface Training {
  request: TrainRequest;
  report: (p: TrainProgress) => void;
  answer: Deferred<TrainResult>;
}

function trainingsOnDemand(method: 'train' | 'resume' = 'train') {
  const runs: Training[] = [];
  apis.ml[method] = vi.fn((request: TrainRequest | string, report: (p: TrainProgress) => void) => {
    const answer = deferred<TrainResult>();
    runs.push({ request: typeof request === 'string' ? ({ runId: request } as TrainRequest) : request, report, answer });
    return answer.promise;
  });
  return runs;
}

/** A state with version 1 and a plan for Species. */
async function ready() {
  const training = new TrainingState();
  apis.data.planFeatures = vi.fn(async (_versionId: number, target: string) => plan(target));
  training.useVersion(1, ['Species', 'Island']);
  await training.setTarget('Species');
  expect(training.plan?.target).toBe('Species');
  return training;
}

beforeEach(() => {
  resetApi(apis.data);
  resetApi(apis.ml);
  apis.ml.cancel = vi.fn(async () => undefined);
});

describe('a run', () => {
  it('has its run id before the first progress report, and Cancel sends that id', async () => {
    const runs = trainingsOnDemand();
    const training = await ready();
    const done = training.train('penguins v1 → Species', 'penguins');
    await settle();
    expect(training.running).toBe(true);
    expect(training.progress).toBeNull();
    const runId = training.runId;
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(runs[0]!.request).toMatchObject({ runId, versionId: 1, backend: 'auto' });
    expect(runs[0]!.request.spec.target).toBe('Species');

    training.cancel();
    expect(apis.ml.cancel).toHaveBeenCalledWith(runId);
    runs[0]!.answer.resolve(result(runId!, true));
    await done;
    expect(training.status).toBe('cancelled');
    expect(training.result).toBeNull();
  });

  it('ignores a late progress report of an earlier run (dropped in the ML client)', async () => {
    const runs = trainingsOnDemand();
    const training = await ready();
    const done = training.train('penguins v1 → Species', 'penguins');
    await settle();
    const own = runs[0]!.request.runId!;
    runs[0]!.report(progress('an-earlier-run', 29, { trial: 5, trials: 6 }));
    runs[0]!.report(progress(own, 1));
    runs[0]!.report(progress(own, 2));
    await vi.waitFor(() => expect(training.progress?.epoch).toBe(2));
    expect(training.progress?.runId).toBe(own);
    expect(training.curve.map((p) => p.epoch)).toEqual([1, 2]);
    expect(training.searching).toBe(false);
    runs[0]!.report(progress('an-earlier-run', 30));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(training.progress?.epoch).toBe(2);
    expect(training.percent).toBe(7);

    runs[0]!.answer.resolve(result(own));
    await done;
    expect(training.status).toBe('done');
    expect(training.result?.runId).toBe(own);
    expect(training.resultLabel).toBe('penguins v1 → Species');
  });

  it('a spec that cannot be made fails the run with the reason and trains nothing', async () => {
    trainingsOnDemand();
    const training = await ready();
    training.options.split = 'time';
    await training.train('penguins v1 → Species', 'penguins');
    expect(training.status).toBe('failed');
    expect(training.error).toMatch(/time column/i);
    expect(apis.ml.train).not.toHaveBeenCalled();
  });

  it('a failure in the worker shows its message', async () => {
    const runs = trainingsOnDemand();
    const training = await ready();
    const done = training.train('penguins v1 → Species', 'penguins');
    await settle();
    runs[0]!.answer.reject(new AppError('gate-blocked', 'Training on penguins v1 is blocked: rule "Sex allowed" failed'));
    await done;
    expect(training.status).toBe('failed');
    expect(training.error).toBe('Training on penguins v1 is blocked: rule "Sex allowed" failed');
  });

  it('a search started from the form counts its trials from the spec, then from the run', async () => {
    const runs = trainingsOnDemand();
    const training = await ready();
    training.options.search = true;
    training.options.trials = 6;
    const done = training.train('penguins v1 → Species', 'penguins');
    await settle();
    expect(training.searching).toBe(true);
    expect([training.trial, training.trials]).toEqual([1, 6]);
    const own = runs[0]!.request.runId!;
    runs[0]!.report(progress(own, 3, { trial: 2, trials: 6 }));
    await vi.waitFor(() => expect(training.trial).toBe(2));
    runs[0]!.answer.resolve({ ...result(own), leaderboard: [] });
    await done;
  });
});

describe('the unit a run counts', () => {
  it("is the running model's (rounds for trees, epochs for a network under 'auto'), then the result's", async () => {
    const runs = trainingsOnDemand();
    const training = await ready();
    expect(training.modelKind).toBeUndefined();
    const done = training.train('penguins v1 → Species', 'penguins');
    await settle();
    // 'auto' says nothing before its first report.
    expect(training.modelKind).toBeUndefined();
    const own = runs[0]!.request.runId!;
    runs[0]!.report(progress(own, 1, { model: 'linear', trial: 1, trials: 2 }));
    await vi.waitFor(() => expect(training.modelKind).toBe('linear'));
    runs[0]!.report(progress(own, 1, { model: 'gbdt', trial: 2, trials: 2 }));
    await vi.waitFor(() => expect(training.modelKind).toBe('gbdt'));
    const base = result(own);
    runs[0]!.answer.resolve({ ...base, params: { ...base.params, kind: 'gbdt' } });
    await done;
    expect(training.modelKind).toBe('gbdt');
  });

  it('is the chosen model from the start, and stays the cancelled run\'s', async () => {
    const runs = trainingsOnDemand();
    const training = await ready();
    training.options.setParam('kind', 'gbdt');
    const done = training.train('penguins v1 → Species', 'penguins');
    await settle();
    expect(training.modelKind).toBe('gbdt');
    runs[0]!.answer.resolve(result(runs[0]!.request.runId!, true));
    await done;
    expect(training.status).toBe('cancelled');
    expect(training.modelKind).toBe('gbdt');
  });

  it("of a resumed run is its checkpoint's model", async () => {
    const runs = trainingsOnDemand('resume');
    const training = await ready();
    const done = training.resume({ runId: 'trees-1', versionId: 1, target: 'Species', epoch: 40, epochs: 100, model: 'gbdt', updatedAt: '2026-01-01T00:00:00.000Z' }, 'penguins v1 → Species', 'penguins');
    await settle();
    expect(training.modelKind).toBe('gbdt');
    runs[0]!.answer.resolve(result('trees-1', true));
    await done;
  });
});

describe('a resumed search', () => {
  it('shows the trial it continues and the trials of the run, whatever the form says', async () => {
    const runs = trainingsOnDemand('resume');
    const training = await ready();
    expect(training.options.search).toBe(false);
    const done = training.resume(
      { runId: 'search-1', versionId: 1, target: 'Species', epoch: 12, epochs: 30, updatedAt: '2026-01-01T00:00:00.000Z', trial: 3, trials: 6 },
      'penguins v1 → Species',
      'penguins',
    );
    await settle();
    expect(apis.ml.resume).toHaveBeenCalledWith('search-1', expect.any(Function));
    expect(training.runId).toBe('search-1');
    expect(training.searching).toBe(true);
    expect([training.trial, training.trials]).toEqual([3, 6]);

    // The worker's reports name the trial: the state follows them (the next trial starts a new curve).
    runs[0]!.report(progress('search-1', 13, { trial: 3, trials: 6 }));
    await vi.waitFor(() => expect(training.progress?.epoch).toBe(13));
    runs[0]!.report(progress('search-1', 1, { trial: 4, trials: 6 }));
    await vi.waitFor(() => expect(training.trial).toBe(4));
    expect(training.curve.map((p) => p.epoch)).toEqual([1]);
    expect(training.options.search).toBe(false);

    training.cancel();
    expect(apis.ml.cancel).toHaveBeenCalledWith('search-1');
    runs[0]!.answer.resolve(result('search-1', true));
    await done;
  });

  it('a resumed run that reports trials becomes a search even when its checkpoint named none', async () => {
    const runs = trainingsOnDemand('resume');
    const training = await ready();
    const done = training.resume(
      { runId: 'old-1', versionId: 1, target: 'Species', epoch: 2, epochs: 30, updatedAt: '2026-01-01T00:00:00.000Z' },
      'penguins v1 → Species',
      'penguins',
    );
    await settle();
    expect(training.searching).toBe(false);
    runs[0]!.report(progress('old-1', 3, { trial: 2, trials: 4 }));
    await vi.waitFor(() => expect(training.searching).toBe(true));
    expect([training.trial, training.trials]).toEqual([2, 4]);
    runs[0]!.answer.resolve(result('old-1'));
    await done;
  });
});

describe('stale replies', () => {
  it('a plan for an earlier target that answers late is dropped', async () => {
    const training = await ready();
    const answers: Record<string, Deferred<FeaturePlan>> = { Island: deferred(), Sex: deferred() };
    apis.data.planFeatures = vi.fn((_versionId: number, target: string) => answers[target]!.promise);
    const first = training.setTarget('Island');
    const second = training.setTarget('Sex');
    answers.Sex!.resolve(plan('Sex'));
    await second;
    answers.Island!.resolve(plan('Island'));
    await first;
    expect(training.plan?.target).toBe('Sex');
    expect(training.planError).toBeNull();
  });

  it('a stored run chosen earlier that arrives late does not replace the one chosen last', async () => {
    const training = await ready();
    const answers: Record<string, Deferred<RunDetail>> = { a: deferred(), b: deferred() };
    apis.data.getRun = vi.fn((id: string) => answers[id]!.promise);
    const first = training.showRun('a', 'run a', 'penguins');
    const second = training.showRun('b', 'run b', 'penguins');
    const detail = (id: string): RunDetail => {
      const { cancelled: _c, leaderboard: _l, cv: _cv, runId: _r, ...rest } = result(id);
      return { ...rest, id, versionId: 1, createdAt: '2026-01-01T00:00:00.000Z' };
    };
    answers.b!.resolve(detail('b'));
    answers.a!.resolve(detail('a'));
    await Promise.all([first, second]);
    expect(training.result?.runId).toBe('b');
    expect(training.resultLabel).toBe('run b');
    expect(training.error).toBeNull();
  });
});
