// Review decisions and verdicts in the audit log: a note is required, both decisions stay in the log, nothing is half-written.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ReviewRecord } from '../../../src/lib/contracts/training.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { resolveParams } from '../../../src/lib/pipeline/spec/resolve.ts';
import { listAudit, verifyAudit } from '../../../src/lib/store/audit.ts';
import type { RunRecord } from '../../../src/lib/store/records.ts';
import { getReview, saveRun } from '../../../src/lib/store/runs.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { resetDb, tableCounts } from './helpers.ts';

beforeEach(resetDb);

function sampleRun(id: string): RunRecord {
  const spec = makeSpec({ target: 'species', split: { seed: 42 }, model: { kind: 'linear', epochs: 5 } });
  return {
    id,
    versionId: 7,
    spec,
    params: resolveParams(spec.model, 'multiclass').params,
    backend: 'cpu',
    plan: { target: 'species', task: 'multiclass', features: ['bill'], dropped: [] },
    bundle: { format: 'millrace.transforms/1', target: 'species', task: 'multiclass', features: [], featureNames: [], width: 0 },
    evaluation: { task: 'regression', metrics: { rmse: 1, mae: 1, r2: 0, residuals: [] }, baseline: { rmse: 2, mae: 2, r2: 0, residuals: [] } },
    history: [{ epoch: 1, loss: 0.5 }],
    split: { train: 8, test: 2 },
    durationMs: 12,
    modelJson: { modelTopology: {} },
    weights: new Blob([new Float32Array([0.5, -1])]),
    createdAt: '2024-01-01T00:00:00.000Z',
  };
}

/** A review whose verdict failed two checks (the rest of the report does not matter to the store). */
function sampleReview(runId: string): ReviewRecord {
  const verdict = { passed: false, checks: [], failures: ['accuracy 0.6 is below the threshold 0.7', 'rocAuc 0.7 is below the threshold 0.8'] };
  return { runId, createdAt: '2024-01-01T00:00:01.000Z', report: { verdict, importance: null } as unknown as ReviewRecord['report'] };
}

describe('the verdict in the audit log', () => {
  it('appends review-verdict (passed, failures) with the train entry when a run is saved with its report', async () => {
    await saveRun(sampleRun('run-a'), sampleReview('run-a'));
    await saveRun(sampleRun('run-b'));
    expect((await listAudit()).map((e) => [e.action, e.subject])).toEqual([
      ['train', 'run run-a'],
      ['review-verdict', 'run run-a'],
      ['train', 'run run-b'],
    ]);
    expect((await listAudit())[1]!.details).toEqual({ runId: 'run-a', passed: false, failures: sampleReview('run-a').report.verdict.failures });
  });
});

describe('decideReview', () => {
  it('requires a note, naming it, and stores nothing without one', async () => {
    await saveRun(sampleRun('run-a'), sampleReview('run-a'));
    const before = await tableCounts();
    await expect(dataApi.decideReview('run-a', 'approve', '   ')).rejects.toMatchObject({ code: 'bad-argument', message: expect.stringMatching(/note is required to approve run "run-a"/) });
    await expect(dataApi.decideReview('run-a', 'maybe' as 'approve', 'fine')).rejects.toMatchObject({ code: 'bad-argument', message: expect.stringContaining('"maybe"') });
    expect(await tableCounts()).toEqual(before);
    expect((await getReview('run-a')).decision).toBeUndefined();
  });

  it('names a run without a report and stores nothing', async () => {
    await saveRun(sampleRun('run-b'));
    const before = await tableCounts();
    await expect(dataApi.decideReview('run-b', 'reject', 'too weak')).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('"run-b"') });
    await expect(dataApi.decideReview('ghost', 'approve', 'ok')).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('"ghost"') });
    expect(await tableCounts()).toEqual(before);
  });

  it('stores the decision with its note; a later one replaces it on the record and both stay in the log', async () => {
    await saveRun(sampleRun('run-a'), sampleReview('run-a'));
    const approved = await dataApi.decideReview('run-a', 'approve', '  good enough for the pilot ');
    expect(approved.decision).toMatchObject({ decision: 'approve', note: 'good enough for the pilot' });
    expect(Number.isNaN(Date.parse(approved.decision!.at))).toBe(false);
    const rejected = await dataApi.decideReview('run-a', 'reject', 'fails the AUC floor after all');
    expect(rejected.decision).toMatchObject({ decision: 'reject', note: 'fails the AUC floor after all' });
    expect((await dataApi.getReview('run-a')).decision).toEqual(rejected.decision);
    const decisions = (await listAudit()).filter((e) => e.action.startsWith('review-') && e.action !== 'review-verdict');
    expect(decisions).toMatchObject([
      { action: 'review-approve', subject: 'run run-a', details: { runId: 'run-a', note: 'good enough for the pilot', passed: false, failures: 2 } },
      { action: 'review-reject', subject: 'run run-a', details: { note: 'fails the AUC floor after all', passed: false, failures: 2 } },
    ]);
    expect(await verifyAudit()).toMatchObject({ ok: true });
  });
});
