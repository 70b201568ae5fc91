// importModel on fake IndexedDB: the run, report, model version and audit entry written together, or nothing.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { NOT_IN_WORKSPACE, type ModelBundleParts } from '../../../src/lib/contracts/training.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import type { TransformBundle } from '../../../src/lib/pipeline/types.ts';
import { listAudit, verifyAudit } from '../../../src/lib/store/audit.ts';
import { importModel, planOfBundle } from '../../../src/lib/store/model-import.ts';
import { deleteModelVersion, getModelWithRun } from '../../../src/lib/store/models.ts';
import { getReview } from '../../../src/lib/store/runs.ts';
import { resetDb, tableCounts } from './helpers.ts';

beforeEach(resetDb);

const transforms: TransformBundle = {
  format: 'millrace.transforms/1',
  target: 'y',
  task: 'binary',
  classes: ['no', 'yes'],
  features: [
    { kind: 'numeric', column: 'x1', median: 0, mean: 0, std: 1 },
    { kind: 'ratio', name: 'x1/x2', column: 'x1', column2: 'x2', median: 0, mean: 0, std: 1 },
    { kind: 'onehot', column: 'c', levels: ['a', 'b'], other: true },
  ],
  featureNames: ['x1', 'x1/x2', 'c=a', 'c=b', 'c=other'],
  width: 5,
};

const report = { format: 'millrace.review/1', task: 'binary', rows: 60, verdict: { passed: false, failures: ['accuracy 0.5 is below 0.9'], checks: [] }, importance: null };

function parts(overrides: Partial<ModelBundleParts> = {}): ModelBundleParts {
  return {
    name: 'churn',
    modelJson: { format: 'layers-model', modelTopology: {}, weightsManifest: [] },
    weights: new Uint8Array([1, 2, 3, 4]),
    transforms,
    recipe: { recipeVersion: 2, suiteVersion: 1, steps: [{ kind: 'drop-missing', columns: ['x1'] }] },
    spec: makeSpec({ target: 'y', model: { kind: 'linear' }, review: { threshold: 0.3, positiveClass: 'yes' } }),
    evaluation: { task: 'binary', metrics: { accuracy: 0.5, macroF1: 0.5, rocAuc: 0.5, logLoss: 0.7, confusion: [], classes: ['no', 'yes'] }, baseline: { accuracy: 0.5, macroF1: 0.3, rocAuc: 0.5, logLoss: 0.7, confusion: [], classes: ['no', 'yes'] } },
    review: { ...report, decision: { decision: 'reject', note: 'too weak', at: '2026-01-01T00:00:00Z' } },
    card: '# churn — version 4\n',
    lineage: { dataset: 'churn', version: 3, sha256: 'b'.repeat(64) },
    ...overrides,
  };
}

describe('importModel', () => {
  it('stores the run, its report with the decision, and the next version with the bundle decision, audited', async () => {
    const first = await importModel(parts(), 'churn-v4.zip', { sha256OfZip: 'c'.repeat(64) });
    expect(first).toMatchObject({ name: 'churn', version: 1 });
    const { model, run } = await getModelWithRun(first.modelId);
    expect(model).toMatchObject({ versionId: NOT_IN_WORKSPACE, threshold: 0.3, positiveClass: 'yes', task: 'binary', target: 'y' });
    expect(run).toMatchObject({ versionId: NOT_IN_WORKSPACE, history: [], split: { train: 0, test: 60 }, backend: 'imported', durationMs: 0 });
    expect(run.plan).toEqual(planOfBundle(transforms));
    expect(run.plan.features).toEqual(['x1', 'x2', 'c']);
    expect(run.preparation).toEqual({ recipeVersion: 2, suiteVersion: 1, recipeSteps: [{ kind: 'drop-missing', columns: ['x1'] }], privacySteps: [] });
    expect(run.imported).toMatchObject({ fileName: 'churn-v4.zip', sha256OfZip: 'c'.repeat(64), lineage: { dataset: 'churn', version: 3 }, card: '# churn — version 4\n' });
    expect(new Uint8Array(await run.weights.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3, 4]));
    const review = await getReview(first.runId);
    expect(review.report.verdict.passed).toBe(false);
    expect(review.decision).toMatchObject({ decision: 'reject', note: 'too weak' });
    expect((review.report as unknown as Record<string, unknown>).decision).toBeUndefined();
    const entry = (await listAudit()).at(-1)!;
    expect(entry).toMatchObject({ action: 'import-model', subject: 'churn v1', details: { fileName: 'churn-v4.zip', version: 1, verdict: { passed: false } } });

    // A deleted number is never given again.
    await deleteModelVersion('churn', 1);
    expect((await importModel(parts({ review: null }), 'again.zip')).version).toBe(2);
    expect(await verifyAudit()).toMatchObject({ ok: true });
  });

  it('writes nothing when a write inside the transaction fails, or when review.json is no report', async () => {
    await importModel(parts(), 'first.zip');
    const before = await tableCounts();
    // The run is added, then the report cannot be stored (a function does not clone): the run goes too.
    const uncloneable = { ...report, importance: () => 1 };
    await expect(importModel(parts({ review: uncloneable }), 'broken.zip')).rejects.toThrow();
    await expect(importModel(parts({ review: { format: 'other' } }), 'odd.zip')).rejects.toMatchObject({ code: 'bad-bundle', message: expect.stringContaining('review.json is not a millrace.review/1 report') });
    await expect(importModel(parts({ name: '  ' }), 'nameless.zip')).rejects.toMatchObject({ code: 'bad-bundle' });
    expect(await tableCounts()).toEqual(before);
    expect(await verifyAudit()).toMatchObject({ ok: true });
  });
});
