// The ML worker's retrain: the champion's pipeline spec trained on the data its monitoring policy names (behind the Check gate), reviewed against the champion on the new test rows, then registered as the challenger or champion, or set aside — audited with its lineage.
import type { RetrainOutcome, RetrainProgress, RetrainRequest } from '../../src/lib/contracts/monitor.ts';
import type { ReviewRecord } from '../../src/lib/contracts/training.ts';
import { AppError, userMessage } from '../../src/lib/pipeline/errors.ts';
import { resolveMonitorPolicy } from '../../src/lib/pipeline/monitor/policy.ts';
import { decideCandidate, outcomeMetric, outcomeSummary, retrainVersion, type RetrainDecision } from '../../src/lib/pipeline/monitor/retrain-plan.ts';
import { getDataset, getVersion, listVersions } from '../../src/lib/store/datasets.ts';
import { latestModelNamed } from '../../src/lib/store/models.ts';
import { settleRetrain } from '../../src/lib/store/retrain.ts';
import type { TrainProgress, TrainRequest, TrainResult } from '../protocol.ts';
import { requireLocalData } from './import-model.ts';

/** What a retrain needs from the rest of the worker: training (gate, lock, cancel, store) and the champion comparison. */
export interface RetrainDeps {
  train: (request: TrainRequest, onProgress: (p: TrainProgress) => void) => Promise<TrainResult>;
  compareChampion: (runId: string, modelName: string) => Promise<ReviewRecord>;
}

/** The outcome's metric from the candidate's report (its point estimates) and the champion's values on the same rows. */
function headline(review: ReviewRecord, preferred: string | undefined): RetrainOutcome['metric'] {
  const { ci, champion } = review.report;
  return outcomeMetric(Object.fromEntries(Object.entries(ci).map(([key, interval]) => [key, interval.estimate])), champion, preferred);
}

/**
 * Retrains model name `request.modelName`: its champion's (else newest version's) spec on the version the policy names
 * (retrainVersion), through `deps.train` (the Check gate, the pipeline lock, cancel by run id, the run stored with its
 * review and reference); the candidate's report is recomputed against the champion on the candidate's test rows; then
 * settleRetrain registers it as the challenger (and champion with autoPromote) when the verdict passed, in one
 * transaction with the 'retrain' audit entry. A retrain that cannot train (gate closed, pipeline busy) is audited as
 * 'failed' and resolves with its reason; a missing model or an imported one without its data is refused before anything.
 */
export async function retrain(request: RetrainRequest, deps: RetrainDeps, onProgress?: (p: RetrainProgress) => void): Promise<RetrainOutcome> {
  const runId = request.runId ?? crypto.randomUUID();
  const report = (phase: RetrainProgress['phase'], fraction: number, extra: Partial<RetrainProgress> = {}) => onProgress?.({ runId, phase, fraction, ...extra });
  report('preparing', 0);
  const { model, run } = await latestModelNamed(request.modelName);
  requireLocalData(run, `a retrain of ${model.name} (on its dataset's newest data)`);
  const policy = resolveMonitorPolicy(run.spec.monitor);
  const trained = await getVersion(run.versionId);
  const [dataset, versions] = await Promise.all([getDataset(trained.datasetId), listVersions(trained.datasetId)]);
  const facts = versions.map((v) => ({ id: v.id as number, version: v.version, rows: v.rows, rowsAdded: v.rowsAdded, parentVersionId: v.parentVersionId }));
  const target = retrainVersion(policy, facts, dataset.name);
  const base = {
    modelName: model.name,
    runId,
    fromVersion: model.version,
    data: { versionId: target.id, label: `${dataset.name} v${target.version}`, rows: target.rows, same: target.id === run.versionId },
    triggers: request.triggers,
  };
  const settle = (decision: RetrainDecision, review: ReviewRecord | null, error?: string) => {
    const verdict = review ? { passed: review.report.verdict.passed, failures: [...review.report.verdict.failures] } : null;
    const metric = review ? headline(review, run.spec.review?.metrics?.[0]?.metric) : null;
    return settleRetrain({
      outcome: { ...base, decision, verdict, metric },
      reportId: request.reportId,
      threshold: model.threshold,
      summary: (candidateVersion) => outcomeSummary({ ...base, decision, candidateVersion, failures: verdict?.failures ?? [], metric, ...(error ? { error } : {}) }),
    });
  };

  let result: TrainResult;
  try {
    result = await deps.train({ runId, versionId: target.id, spec: run.spec }, (p) =>
      report('training', 0.05 + 0.8 * (p.epochs ? p.epoch / p.epochs : 0), { epoch: p.epoch, epochs: p.epochs, ...(p.model ? { model: p.model } : {}) }),
    );
  } catch (error) {
    if (error instanceof AppError && (error.code === 'gate-blocked' || error.code === 'locked')) return settle('failed', null, userMessage(error));
    throw error;
  }
  if (result.cancelled) return settle('cancelled', null);
  report('reviewing', 0.88);
  const review = await deps.compareChampion(runId, model.name);
  report('deciding', 0.96);
  const decision = decideCandidate({ cancelled: false, passed: review.report.verdict.passed }, policy);
  const outcome = await settle(decision, review);
  report('done', 1);
  return outcome;
}
