// The Evaluate report's state in Node, runes compiled, the workers replaced by mocks behind the real clients: the report
// read per run (stale reads dropped), the threshold picked and checked, the champion and the decision with its note.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import type { ReviewRecord } from '../../../src/lib/contracts/training.ts';
import { deferred, resetApi, settle, type FakeApi } from './fakes.ts';

const apis = vi.hoisted(() => ({ data: {} as FakeApi, ml: {} as FakeApi }));
vi.mock('../../../src/lib/workers-client/data-client.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/workers-client/data-client.ts')>();
  return { ...real, dataClient: () => new real.DataClient(apis.data as never) };
});
vi.mock('../../../src/lib/workers-client/ml-client.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/workers-client/ml-client.ts')>();
  return { ...real, mlClient: () => new real.MlClient(apis.ml as never) };
});

const { ReviewState, parseThreshold, thresholdRowAt } = await import('../../../src/lib/state/review.svelte.ts');
const { thresholdRows, importanceRows, decileRows } = await import('../../../src/lib/state/review-charts.ts');

const rows = [0, 0.25, 0.5, 0.75, 1].map((threshold) => ({ threshold, precision: threshold, recall: 1 - threshold, f1: 0.5, selectionRate: 1 - threshold }));

function record(runId: string, threshold: number | null = 0.5, extra: Partial<ReviewRecord> = {}): ReviewRecord {
  return {
    runId,
    createdAt: '2026-12-04T00:00:00.000Z',
    report: { task: 'binary', threshold, metrics: { thresholds: rows }, verdict: { passed: false, checks: [], failures: ['x'] } } as never,
    ...extra,
  } as ReviewRecord;
}

beforeEach(() => {
  resetApi(apis.data);
  resetApi(apis.ml);
});

describe('threshold helpers', () => {
  it('finds the nearest row of the threshold view', () => {
    expect(thresholdRowAt(rows, 0.3)?.threshold).toBe(0.25);
    expect(thresholdRowAt(rows, 0.74)?.threshold).toBe(0.75);
    expect(thresholdRowAt([], 0.5)).toBeNull();
  });

  it('takes a typed threshold in [0, 1] and refuses anything else, naming it', () => {
    expect(parseThreshold(' 0.35 ')).toBe(0.35);
    expect(parseThreshold('1')).toBe(1);
    expect(() => parseThreshold('1.5')).toThrow('The decision threshold must be a number from 0 to 1, got 1.5');
    expect(() => parseThreshold('-0.1')).toThrow('got -0.1');
    expect(() => parseThreshold('abc')).toThrow('The decision threshold must be a number between 0 and 1; got "abc"');
    expect(() => parseThreshold('')).toThrow('got ""');
  });

  it('lays the threshold view out long, with the picked threshold as one more row', () => {
    const out = thresholdRows(rows, 0.4) as { metric?: string; chosen?: boolean; threshold: number }[];
    expect(out).toHaveLength(rows.length * 4 + 1);
    expect(out.at(-1)).toEqual({ threshold: 0.4, chosen: true });
    expect(new Set(out.slice(0, -1).map((r) => r.metric))).toEqual(new Set(['precision', 'recall', 'F1', 'selection rate']));
  });

  it('gives importance bars their spread and leaves empty deciles out of the chart', () => {
    expect(importanceRows([{ column: 'a', mean: 0.1, std: 0.02 }])).toEqual([{ column: 'a', mean: 0.1, std: 0.02, low: 0.1 - 0.02, high: 0.1 + 0.02 }]);
    const deciles = decileRows([{ decile: 1, from: 0, to: 1, n: 0, mae: NaN, meanError: NaN }]) as { value: number | null }[];
    expect(deciles.map((d) => d.value)).toEqual([null, null]);
  });
});

describe('ReviewState', () => {
  it('shows the report of the run asked last; an older answer is dropped', async () => {
    const first = deferred<ReviewRecord>();
    apis.data.getReview = vi.fn((runId: string) => (runId === 'a' ? first.promise : Promise.resolve(record('b', 0.3))));
    const review = new ReviewState();
    const a = review.show('a');
    await review.show('b');
    first.resolve(record('a'));
    await a;
    expect(review.record?.runId).toBe('b');
    expect(review.threshold).toBe(0.3);
    expect(review.atThreshold?.threshold).toBe(0.25);
    expect(review.thresholdToSave).toBe(0.3);
  });

  it('says why a run has no report', async () => {
    apis.data.getReview = vi.fn(async () => {
      throw new AppError('not-found', 'Run "old" has no evaluation report (runs trained before reports, or cancelled)');
    });
    const review = new ReviewState();
    await review.show('old');
    expect(review.record).toBeNull();
    expect(review.missing).toContain('Run "old" has no evaluation report');
  });

  it('needs a note to approve or reject, and then stores the decision', async () => {
    apis.data.getReview = vi.fn(async () => record('r'));
    apis.data.decideReview = vi.fn(async (runId: string, decision: string, note: string) =>
      record(runId, 0.5, { decision: { decision: decision as 'approve', note, at: '2026-12-04T01:00:00.000Z' } }),
    );
    const review = new ReviewState();
    await review.show('r');
    expect(await review.decide('approve', '   ')).toBe(false);
    expect(review.error).toBe('A note is needed to approve the model: say why');
    expect(apis.data.decideReview).not.toHaveBeenCalled();
    review.threshold = 0.75;
    expect(await review.decide('reject', ' too unfair ')).toBe(true);
    expect(apis.data.decideReview).toHaveBeenCalledWith('r', 'reject', 'too unfair');
    expect(review.record?.decision?.note).toBe('too unfair');
    // The picked threshold survives the new record.
    expect(review.threshold).toBe(0.75);
  });

  it('compares with the champion by the model name and shows the worker’s refusal', async () => {
    apis.data.getReview = vi.fn(async () => record('r'));
    apis.ml.compareChampion = vi.fn(async () => {
      throw new AppError('bad-argument', 'The champion "m" v1 was trained for another target ("z") than run "r"\'s ("y")');
    });
    const review = new ReviewState();
    await review.show('r');
    await review.compareChampion('  ');
    expect(review.error).toContain('Name the model');
    await review.compareChampion(' m ');
    expect(apis.ml.compareChampion).toHaveBeenCalledWith('r', 'm');
    expect(review.error).toContain('trained for another target');
    expect(review.busy).toBe('');
    await settle();
  });

  it('saves no threshold for a model that is not binary', async () => {
    apis.data.getReview = vi.fn(async () => ({ ...record('r', null), report: { task: 'regression', threshold: null, metrics: {} } }) as never);
    const review = new ReviewState();
    await review.show('r');
    expect(review.thresholdToSave).toBeUndefined();
    expect(review.atThreshold).toBeNull();
  });
});
