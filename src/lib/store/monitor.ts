// Monitoring repository: each run's drift reference, and stored drift reports with their 'drift-check' audit entries.
import type { DriftRecord, DriftSummary, ReferenceRecord } from '../contracts/monitor.ts';
import { AppError } from '../pipeline/errors.ts';
import { batchLabel } from '../pipeline/monitor/batch-label.ts';
import { appendAudit } from './audit.ts';
import { openDb } from './db.ts';

/** A run's reference, or null when it has none (a run older than monitoring, or an imported one). */
export async function getReference(runId: string): Promise<ReferenceRecord | null> {
  return (await openDb().references.get(runId)) ?? null;
}

/** Keeps a reference rebuilt for a run that had none. */
export async function putReference(record: ReferenceRecord): Promise<void> {
  await openDb().references.put(record);
}

/**
 * Stores a drift report with its 'drift-check' audit entry (the model, the batch, the verdict, the drifted columns)
 * in one transaction; the model version must still exist. Returns the report's id.
 */
export async function saveDriftReport(record: DriftRecord): Promise<number> {
  const db = openDb();
  return db.transaction('rw', [db.driftReports, db.models, db.audit], async () => {
    const model = await db.models.get(record.modelId);
    if (!model) throw new AppError('not-found', `Model ${record.modelName} v${record.modelVersion} was deleted; the drift report was not stored`);
    const id = await db.driftReports.add(record);
    const drifted = record.report.columns.filter((c) => c.drifted).map((c) => c.column);
    await appendAudit('drift-check', `${record.modelName} v${record.modelVersion}`, {
      reportId: id,
      modelId: record.modelId,
      runId: record.runId,
      batch: batchLabel(record.batch),
      ...(record.batch.kind === 'file' ? { sha256: record.batch.sha256 } : { versionId: record.batch.versionId }),
      rows: record.batch.rows,
      datasetDrift: record.report.datasetDrift,
      driftShare: record.report.driftShare,
      drifted,
      predictionDrift: record.prediction?.drifted ?? null,
      decayed: record.performance?.decayed ?? null,
      triggers: record.triggers.map((t) => t.reason),
    });
    return id;
  });
}

/** The metric a timeline draws: accuracy (classifiers) or R² (regression), measured when the batch had labels, else estimated. */
function headlineOf(record: DriftRecord): DriftSummary['metric'] {
  const performance = record.performance;
  if (!performance) return null;
  const measured = performance.measured?.find((m) => m.metric === 'accuracy' || m.metric === 'r2');
  if (measured) return { name: measured.metric, value: measured.batch, test: measured.test, estimated: false };
  const estimated = performance.estimated?.find((e) => e.metric === 'accuracy');
  return estimated ? { name: 'accuracy', value: estimated.estimate, test: estimated.test, estimated: true } : null;
}

/** A report's summary, for timelines and lists. */
export function summarize(record: DriftRecord & { id: number }): DriftSummary {
  return {
    id: record.id,
    modelName: record.modelName,
    modelVersion: record.modelVersion,
    batchLabel: batchLabel(record.batch),
    rows: record.batch.rows,
    createdAt: record.createdAt,
    datasetDrift: record.report.datasetDrift,
    driftShare: record.report.driftShare,
    shareThreshold: record.report.shareThreshold,
    drifted: record.report.columns.filter((c) => c.drifted).map((c) => c.column),
    predictionDrift: record.prediction ? record.prediction.drifted : null,
    decayed: record.performance ? record.performance.decayed : null,
    metric: headlineOf(record),
  };
}

/** Summaries of every stored report (of one model name when given), oldest first. */
export async function listDriftReports(modelName?: string): Promise<DriftSummary[]> {
  const db = openDb();
  const records = modelName === undefined ? await db.driftReports.toArray() : await db.driftReports.where('modelName').equals(modelName).toArray();
  return records.sort((a, b) => (a.id as number) - (b.id as number)).map((r) => summarize(r as DriftRecord & { id: number }));
}

/** One stored report; 'not-found' naming the id when there is none. */
export async function getDriftReport(id: number): Promise<DriftRecord & { id: number }> {
  const record = await openDb().driftReports.get(id);
  if (!record) throw new AppError('not-found', `No drift report ${id}`);
  return record as DriftRecord & { id: number };
}
