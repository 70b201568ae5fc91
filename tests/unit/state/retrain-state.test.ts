// The studio's retrain state in Node, the workers mocked behind the real clients: one retrain at a time with progress, Cancel by run id, the outcome, approving the challenger, and the schedule running what is due.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import type { RetrainOutcome, RetrainProgress, RetrainRequest } from '../../../src/lib/contracts/monitor.ts';
import { deferred, resetApi, settle, type FakeApi } from './fakes.ts';

const apis = vi.hoisted(() => ({ ml: {} as FakeApi, data: {} as FakeApi }));
vi.mock('../../../src/lib/workers-client/ml-client.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/workers-client/ml-client.ts')>();
  return { ...real, mlClient: () => new real.MlClient(apis.ml as never) };
});
vi.mock('../../../src/lib/workers-client/data-client.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/workers-client/data-client.ts')>();
  return { ...real, dataClient: () => new real.DataClient(apis.data as never) };
});

const { RetrainState } = await import('../../../src/lib/state/retrain.svelte.ts');

const outcome = (over: Partial<RetrainOutcome> = {}): RetrainOutcome => ({
  modelName: 'weather',
  runId: 'r',
  fromVersion: 1,
  data: { versionId: 2, label: 'seattle v2', rows: 1096, same: false },
  triggers: [],
  decision: 'challenger',
  candidateVersion: 2,
  verdict: { passed: true, failures: [] },
  metric: null,
  summary: 'weather v2 passed its review and is the challenger',
  ...over,
});
const trigger = { kind: 'dataset-drift' as const, reason: 'dataset drift' };

beforeEach(() => {
  resetApi(apis.ml);
  resetApi(apis.data);
});

describe('RetrainState', () => {
  it('runs one retrain at a time with progress, then shows its outcome', async () => {
    const answer = deferred<RetrainOutcome>();
    let progress: ((p: RetrainProgress) => void) | undefined;
    apis.ml.retrain = vi.fn((request: RetrainRequest, onProgress: (p: RetrainProgress) => void) => {
      progress = onProgress;
      return answer.promise;
    });
    const state = new RetrainState();
    const run = state.run('weather', [trigger], 4);
    void state.run('weather', [], null); // ignored: one at a time
    expect(apis.ml.retrain).toHaveBeenCalledTimes(1);
    const request = apis.ml.retrain.mock.calls[0]![0] as RetrainRequest;
    expect(request).toMatchObject({ modelName: 'weather', triggers: [trigger], reportId: 4 });
    expect(state.running).toBe(true);
    progress!({ runId: request.runId!, phase: 'training', fraction: 0.45, epoch: 6, epochs: 15 });
    progress!({ runId: 'another', phase: 'done', fraction: 1 }); // another run's message is dropped
    expect(state.caption).toBe('Training the candidate (epoch 6 of 15)…');
    expect(state.fraction).toBe(0.45);
    progress!({ runId: request.runId!, phase: 'training', fraction: 0.5, epoch: 40, epochs: 100, model: 'gbdt' });
    expect(state.caption).toBe('Training the candidate (round 40 of 100)…');
    answer.resolve(outcome());
    await run;
    expect(state.running).toBe(false);
    expect(state.outcome?.decision).toBe('challenger');
  });

  it('cancels by the run id it chose', async () => {
    const answer = deferred<RetrainOutcome>();
    apis.ml.retrain = vi.fn(() => answer.promise);
    apis.ml.cancel = vi.fn();
    const state = new RetrainState();
    const run = state.run('weather', [], null);
    state.cancel();
    expect(apis.ml.cancel).toHaveBeenCalledWith((apis.ml.retrain.mock.calls[0]![0] as RetrainRequest).runId);
    answer.resolve(outcome({ decision: 'cancelled', candidateVersion: null }));
    await run;
    expect(state.outcome?.decision).toBe('cancelled');
  });

  it('shows a refusal, and approves the challenger against the champion it saw', async () => {
    apis.ml.retrain = vi.fn(async () => {
      throw new AppError('not-found', 'No saved model named "rain" to compare with');
    });
    const state = new RetrainState();
    await state.run('rain', [], null);
    expect(state.error).toBe('No saved model named "rain" to compare with');
    apis.ml.retrain = vi.fn(async () => outcome());
    await state.run('weather', [], null);
    apis.data.promote = vi.fn(async () => ({}));
    expect(await state.promote('weather', 2, 1, 'approved')).toBe(true);
    expect(apis.data.promote).toHaveBeenCalledWith('weather', 2, 'champion', 'approved', { expectedFrom: 1 });
    expect(state.outcome?.decision).toBe('promoted');
    apis.data.promote = vi.fn(async () => {
      throw new AppError('locked', 'champion of weather now points at v3');
    });
    expect(await state.promote('weather', 2, 1, 'approved')).toBe(false);
    expect(state.error).toMatch(/now points at v3/);
  });

  it('runs every due schedule, one after another, marked as scheduled', async () => {
    const schedule = { kind: 'schedule' as const, reason: 'the 24-hour schedule is due' };
    apis.ml.dueSchedules = vi.fn(async () => [
      { modelName: 'weather', trigger: schedule },
      { modelName: 'rain', trigger: schedule },
    ]);
    const seen: string[] = [];
    apis.ml.retrain = vi.fn(async (request: RetrainRequest) => {
      seen.push(request.modelName);
      return outcome({ modelName: request.modelName });
    });
    const state = new RetrainState();
    await state.checkSchedule();
    expect(seen).toEqual(['weather', 'rain']);
    expect(apis.ml.retrain.mock.calls.map((c) => (c[0] as RetrainRequest).triggers)).toEqual([[schedule], [schedule]]);
    state.startSchedule(10_000);
    await settle();
    expect(apis.ml.dueSchedules).toHaveBeenCalledTimes(2);
    state.destroy();
  });
});
