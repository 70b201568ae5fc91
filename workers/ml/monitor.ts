// The ML worker's monitoring: a batch (a stored version, the rows an append added, or a dropped file) compared with a saved model's reference, stored with its audit entry.
import type { Predictor } from '../../src/lib/ml/predictor.ts';
import type { DriftProgress, DriftRecord, DriftRequest, ReferenceRecord } from '../../src/lib/contracts/monitor.ts';
import type { RunRecord } from '../../src/lib/contracts/training.ts';
import { modelFromArtifacts } from '../../src/lib/ml/artifacts.ts';
import { checkBatch } from '../../src/lib/ml/monitor/check-batch.ts';
import { makeReference } from '../../src/lib/ml/monitor/reference.ts';
import { evaluationRows } from '../../src/lib/ml/run.ts';
import { readTableBytes } from '../../src/lib/pipeline/score-read.ts';
import { sha256File } from '../../src/lib/pipeline/sha256.ts';
import type { DataTable } from '../../src/lib/pipeline/types.ts';
import { getVersion, latestVersion, loadVersionTable } from '../../src/lib/store/datasets.ts';
import { getModelWithRun } from '../../src/lib/store/models.ts';
import { getReview } from '../../src/lib/store/runs.ts';
import { getDriftReport, getReference, putReference, saveDriftReport } from '../../src/lib/store/monitor.ts';
import { lastScheduledAt } from '../../src/lib/store/retrain.ts';
import { applyPreparation } from '../data/prepare.ts';
import { versionBatch } from '../data/version-batch.ts';
import { saltFor } from '../data/steps.ts';
import { batchEvidence, firedTriggers, resolveMonitorPolicy } from '../../src/lib/pipeline/monitor/policy.ts';
import { requireLocalData } from './import-model.ts';
import { runSteps } from './predicting.ts';

/** The batch's table and where it came from. */
async function readBatch(request: DriftRequest['batch']): Promise<{ table: DataTable; source: DriftRecord['batch'] }> {
  if ('file' in request) {
    const { file } = request;
    const bytes = new Uint8Array(file.data instanceof ArrayBuffer ? file.data : await file.data.arrayBuffer());
    const [table, sha256] = await Promise.all([readTableBytes(bytes, file.name), sha256File(bytes)]);
    return { table, source: { kind: 'file', fileName: file.name, sha256, rows: table.rowCount, rowsDropped: 0 } };
  }
  // An appended version's batch is the rows its append added (they come last), unless the whole version is asked for.
  const { table, label, appendedOnly } = await versionBatch(request.versionId, request.appendedOnly);
  return { table, source: { kind: 'version', versionId: request.versionId, label, appendedOnly, rows: table.rowCount, rowsDropped: 0 } };
}

/** Rows the model's dataset gained since the version it was trained on (its newest version's rows minus the trained one's). */
async function rowsSince(versionId: number): Promise<number> {
  if (versionId < 0) return 0;
  const trained = await getVersion(versionId);
  const newest = await latestVersion(trained.datasetId);
  return Math.max(0, newest.rows - trained.rows);
}

/** The run's reference; a run older than monitoring gets one rebuilt from its dataset version (and kept). */
async function referenceOf(run: RunRecord, network: Predictor): Promise<ReferenceRecord> {
  const stored = await getReference(run.id);
  if (stored) return stored;
  requireLocalData(run, 'its drift reference (the training data it is compared with)');
  const raw = await loadVersionTable(run.versionId);
  const table = run.preparation ? await applyPreparation(raw, run.preparation) : raw;
  const reference = await makeReference(run.id, network, table, run.bundle, evaluationRows(table, run.spec, run.plan.task), 'rebuilt');
  await putReference(reference);
  return reference;
}

/**
 * Compares a batch with saved model `request.modelId`: reads it, loads the model and its reference, runs checkBatch
 * and stores the report with a 'drift-check' audit entry. Nothing is stored when any part fails.
 */
export async function checkDrift(request: DriftRequest, ready: () => Promise<unknown>, onProgress?: (p: DriftProgress) => void): Promise<DriftRecord & { id: number }> {
  const { model, run } = await getModelWithRun(request.modelId);
  onProgress?.({ phase: 'reading', fraction: 0 });
  const { table, source } = await readBatch(request.batch);
  await ready();
  const network = await modelFromArtifacts(run.modelJson, await run.weights.arrayBuffer());
  try {
    onProgress?.({ phase: 'reference', fraction: 0.3 });
    const reference = await referenceOf(run, network);
    const steps = runSteps(run);
    const label = source.kind === 'file' ? source.fileName : source.label;
    // The policy's drift settings, unless the request names its own.
    const options = request.options ?? resolveMonitorPolicy(run.spec.monitor).drift;
    const review = await getReview(run.id).catch(() => null);
    const decision = { positiveClass: model.positiveClass, threshold: model.threshold };
    const monitored = { network, bundle: run.bundle, steps, salt: await saltFor(steps), report: review?.report ?? null, decision };
    const check = await checkBatch(monitored, reference, table, label, options, (phase) =>
      onProgress?.({ phase, fraction: phase === 'comparing' ? 0.5 : 0.8 }),
    );
    onProgress?.({ phase: 'saving', fraction: 0.95 });
    const policy = resolveMonitorPolicy(run.spec.monitor);
    const evidence = batchEvidence(check, {
      newRows: await rowsSince(run.versionId),
      lastScheduledAt: (await lastScheduledAt(model.name)) ?? model.createdAt,
      now: new Date(),
    });
    const triggers = firedTriggers(policy, evidence);
    const record: DriftRecord = {
      modelId: request.modelId,
      modelName: model.name,
      modelVersion: model.version,
      runId: run.id,
      batch: { ...source, rowsDropped: check.rowsDropped },
      createdAt: new Date().toISOString(),
      report: check.report,
      target: check.target,
      prediction: check.prediction,
      performance: check.performance,
      triggers,
      distributions: check.distributions,
      notices: check.notices,
      options,
    };
    const id = await saveDriftReport(record);
    onProgress?.({ phase: 'done', fraction: 1 });
    return getDriftReport(id);
  } finally {
    network.dispose();
  }
}
