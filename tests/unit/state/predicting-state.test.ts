// The predict form's and batch scoring's rune states in Node, the ML worker a mock behind the real client: prefilled values, live flags, a blocked Predict; scoring progress, Cancel by job id, rejects to download.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import type { PredictFormInfo, RowPrediction, ScoreProgress } from '../../../src/lib/contracts/predict.ts';
import type { ModelSummary } from '../../../src/lib/contracts/store.ts';
import { deferred, resetApi, settle, type FakeApi } from './fakes.ts';

const apis = vi.hoisted(() => ({ ml: {} as FakeApi, downloads: [] as string[] }));
vi.mock('../../../src/lib/workers-client/ml-client.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/workers-client/ml-client.ts')>();
  return { ...real, mlClient: () => new real.MlClient(apis.ml as never) };
});
vi.mock('../../../src/lib/state/download.svelte.ts', () => ({ downloadBlob: (_blob: Blob, name: string) => void apis.downloads.push(name) }));

const { PredictState } = await import('../../../src/lib/state/predict.svelte.ts');
const { ScoringState } = await import('../../../src/lib/state/scoring.svelte.ts');

const form: PredictFormInfo = {
  modelId: 7,
  name: 'species',
  version: 2,
  target: 'Species',
  task: 'multiclass',
  classes: ['Adelie', 'Gentoo'],
  fields: [
    { column: 'Flipper', kind: 'number', type: 'integer', min: 172, max: 231, integer: true, default: '197' },
    { column: 'Island', kind: 'category', type: 'category', choices: ['Biscoe', 'Dream'], complete: true, default: 'Biscoe' },
  ],
};

beforeEach(() => {
  resetApi(apis.ml);
  apis.downloads.length = 0;
});

describe('PredictState', () => {
  it('prefills the fields, flags values as typed, blocks an unreadable one and predicts the values', async () => {
    apis.ml.predictForm = vi.fn(async () => form);
    const reply = { predicted: 'Gentoo' } as RowPrediction;
    apis.ml.predictRow = vi.fn(async () => reply);
    const state = new PredictState();
    await state.load(7);
    expect(state.values).toEqual({ Flipper: '197', Island: 'Biscoe' });
    expect(state.flags).toEqual([]);
    state.values.Flipper = '400';
    state.values.Island = 'Atlantis';
    expect(state.flags.map((f) => [f.column, f.kind])).toEqual([
      ['Flipper', 'above-range'],
      ['Island', 'unseen-category'],
    ]);
    expect(state.flagOf('Flipper')?.message).toBe('Above the training range (172 to 231)');
    await state.predict();
    expect(apis.ml.predictRow).toHaveBeenCalledWith(7, { Flipper: '400', Island: 'Atlantis' });
    expect(state.result).toBe(reply);
    state.values.Flipper = 'big';
    expect(state.blocked).toBe(true);
    await state.predict();
    expect(apis.ml.predictRow).toHaveBeenCalledTimes(1);
    state.reset();
    expect(state.values).toEqual({ Flipper: '197', Island: 'Biscoe' });
    expect(state.result).toBeNull();
  });

  it('shows the worker refusal (a case the recipe drops) as the error', async () => {
    apis.ml.predictForm = vi.fn(async () => form);
    apis.ml.predictRow = vi.fn(async () => {
      throw new AppError('bad-argument', "The model's recipe drops this case: Step 2 (drop-missing): Drop rows missing Sex");
    });
    const state = new PredictState();
    await state.load(7);
    await state.predict();
    expect(state.error).toContain('Step 2 (drop-missing)');
    expect(state.result).toBeNull();
  });
});

const model = { id: 7, name: 'species', version: 2 } as ModelSummary;
const file = () => new File(['a,b\n1,2\n'], 'batch.csv');

describe('ScoringState', () => {
  it('follows the progress, downloads the scored file, keeps the rejects and the notices', async () => {
    const done = deferred<unknown>();
    let report: ((p: ScoreProgress) => void) | undefined;
    apis.ml.score = vi.fn((_id: number, _file: unknown, onProgress: (p: ScoreProgress) => void) => {
      report = onProgress;
      return done.promise;
    });
    const state = new ScoringState();
    const scoring = state.score(model, file());
    await settle();
    expect(state.job).toMatchObject({ label: 'species v2', fileName: 'batch.csv' });
    report!({ phase: 'scoring', rowsDone: 65_536, rows: 100_000, fraction: 0.6 });
    expect(state.caption).toBe(`Scoring: ${(65_536).toLocaleString()} of ${(100_000).toLocaleString()} rows`);
    done.resolve({
      rows: 98,
      csv: new Blob(['x']),
      fileName: 'batch-scored-species-v2.csv',
      rejects: { rows: 2, csv: new Blob(['r']), fileName: 'batch-rejects-species-v2.csv' },
      notices: ['Ignored column (not read by the model; kept in the download): "Comment"', '2 rows were dropped by the recipe (see the rejects file)'],
    });
    await scoring;
    expect(state.job).toBeNull();
    expect(apis.downloads).toEqual(['batch-scored-species-v2.csv']);
    expect(state.summary).toContain('Scored 98 rows of batch.csv with species v2');
    expect(state.notices).toEqual(['Ignored column (not read by the model; kept in the download): "Comment"']);
    expect(state.rejects).toMatchObject({ rows: 2, fileName: 'batch-rejects-species-v2.csv' });
    state.downloadRejects();
    expect(apis.downloads).toEqual(['batch-scored-species-v2.csv', 'batch-rejects-species-v2.csv']);
  });

  it('cancels by job id and says nothing was saved; a refusal is the error', async () => {
    const done = deferred<unknown>();
    apis.ml.score = vi.fn(() => done.promise);
    apis.ml.cancelScore = vi.fn();
    const state = new ScoringState();
    const scoring = state.score(model, file());
    await settle();
    const jobId = state.job!.jobId;
    state.cancel();
    await settle();
    expect(apis.ml.cancelScore).toHaveBeenCalledWith(jobId);
    expect(apis.ml.score.mock.calls[0]![3]).toBe(jobId);
    expect(state.job?.cancelling).toBe(true);
    done.reject(new AppError('cancelled', 'Scoring batch.csv was cancelled; nothing was written'));
    await scoring;
    expect(state.summary).toBe('Scoring batch.csv was cancelled; nothing was saved.');
    expect(state.error).toBeNull();
    expect(apis.downloads).toEqual([]);

    apis.ml.score = vi.fn(async () => {
      throw new AppError('unknown-column', 'batch.csv lacks a column the model needs: "Flipper" (a model input)');
    });
    await state.score(model, file());
    expect(state.error).toBe('batch.csv lacks a column the model needs: "Flipper" (a model input)');
  });
});
