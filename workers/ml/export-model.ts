// The studio's model export: the saved model's bundle files (the same function as the CLI's), zipped, with its audit entry.
import { exportFiles, modelLabel, specForModel } from '../../src/lib/ml/export.ts';
import { zipBundle } from '../../src/lib/ml/bundle.ts';
import { AppError } from '../../src/lib/pipeline/errors.ts';
import { appendAudit } from '../../src/lib/store/audit.ts';
import { getVersion } from '../../src/lib/store/datasets.ts';
import { getModelWithRun } from '../../src/lib/store/models.ts';
import { getReview } from '../../src/lib/store/runs.ts';
import { getReference } from '../../src/lib/store/monitor.ts';
import { referenceJson } from '../../src/lib/pipeline/monitor/reference-json.ts';
import type { ReviewRecord } from '../../src/lib/contracts/training.ts';

/** review.json: the run's stored evaluation report with the reviewer's decision; null for runs without one. */
async function reviewOf(runId: string): Promise<ReviewRecord | null> {
  try {
    return await getReview(runId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not-found') return null;
    throw error;
  }
}

/** The bundle zip of a saved model (`NAME-vN.zip`), audited as 'export'. */
export async function exportModelBundle(modelId: number): Promise<{ zip: Blob; fileName: string }> {
  const { model, run } = await getModelWithRun(modelId);
  // An imported model's data is not in this workspace: its card keeps the lineage the bundle carried.
  const version = run.imported
    ? { fileName: run.imported.lineage.dataset ?? 'not in this workspace', sha256: run.imported.lineage.sha256 ?? 'not recorded', rows: run.split.train + run.split.test }
    : await getVersion(run.versionId);
  const review = await reviewOf(run.id);
  const reference = await getReference(run.id);
  const files = exportFiles({
    modelJson: run.modelJson,
    weights: await run.weights.arrayBuffer(),
    card: {
      name: model.name,
      version: model.version,
      createdAt: model.createdAt,
      datasetFile: version.fileName,
      datasetSha256: version.sha256,
      rows: version.rows,
      bundle: run.bundle,
      plan: run.plan,
      evaluation: run.evaluation,
      backend: run.backend,
      model: modelLabel(run.params),
      seed: run.spec.split.seed,
      ...(run.preparation ? { preparation: run.preparation } : {}),
      ...(review ? { review: review.report } : {}),
      ...(model.threshold !== undefined && model.positiveClass !== undefined ? { decision: { threshold: model.threshold, positiveClass: model.positiveClass } } : {}),
    },
    // The model's decision threshold goes with it: the bundle's spec names it as the review policy's.
    spec: specForModel(run.spec, model),
    review: review ? { ...review.report, ...(review.decision ? { decision: review.decision } : {}) } : null,
    // Monitoring elsewhere (millrace drift --reference DIR) compares with it; the bundle's README says it is training data.
    ...(reference ? { reference: referenceJson(reference) } : {}),
  });
  const zip = new Blob([zipBundle(files) as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
  const fileName = `${model.name}-v${model.version}.zip`;
  await appendAudit('export', `${model.name} v${model.version}`, { modelId, runId: run.id, fileName, bytes: zip.size });
  return { zip, fileName };
}
