// The ML worker's champion comparison: a run's report recomputed on its own test rows against the newest saved model of a name, stored with its audit entry.
import type { ReviewRecord } from '../../src/lib/contracts/training.ts';
import { modelFromArtifacts, modelSizeBytes } from '../../src/lib/ml/artifacts.ts';
import { championOutputs, checkChampion } from '../../src/lib/ml/review/champion.ts';
import { evaluateRun } from '../../src/lib/ml/review/review-run.ts';
import { evaluationRows } from '../../src/lib/ml/run.ts';
import { loadVersionTable } from '../../src/lib/store/datasets.ts';
import { latestModelNamed } from '../../src/lib/store/models.ts';
import { saveChampionReview } from '../../src/lib/store/reviews.ts';
import { getReview, getRun } from '../../src/lib/store/runs.ts';
import { applyPreparation } from '../data/prepare.ts';
import { requireLocalData } from './import-model.ts';

/** The latency the stored verdict checked, so that a recomputed report checks the same value. */
function storedLatency(review: ReviewRecord): number | undefined {
  const check = review.report.verdict.checks.find((c) => c.check === 'scoring latency');
  return check?.value ?? undefined;
}

/**
 * Compares run `runId` with the newest saved model named `modelName`: the run's table is rebuilt from its version
 * with its stored preparation, its test rows divided again as training did, both models scored on them (the
 * champion's classes mapped onto the run's by name), and the report recomputed with `vsChampion` and `champion`
 * (importance kept as stored). The record, naming the champion, and a 'review-champion' audit entry are stored
 * together. `ready` chooses the TF.js backend.
 */
export async function compareChampion(runId: string, modelName: string, ready: () => Promise<unknown>): Promise<ReviewRecord> {
  const review = await getReview(runId);
  const run = await getRun(runId);
  const champion = await latestModelNamed(modelName);
  const label = `Champion "${champion.model.name}" v${champion.model.version}`;
  checkChampion(
    { label, target: champion.run.plan.target, task: champion.run.plan.task, runId: champion.run.id },
    { label: `run "${runId}"`, target: run.plan.target, task: run.plan.task, runId },
  );
  requireLocalData(run, 'the comparison with the champion');
  const raw = await loadVersionTable(run.versionId);
  const table = run.preparation ? await applyPreparation(raw, run.preparation) : raw;
  const splitRows = evaluationRows(table, run.spec, run.plan.task, run.refit);
  await ready();
  const [candidate, rival] = await Promise.all([
    modelFromArtifacts(run.modelJson, await run.weights.arrayBuffer()),
    modelFromArtifacts(champion.run.modelJson, await champion.run.weights.arrayBuffer()),
  ]);
  try {
    const outputs = await championOutputs(rival, champion.run.bundle, table, splitRows.test, run.bundle.classes ?? [], label);
    const { evaluation } = await evaluateRun(candidate, table, run.bundle, splitRows, run.spec, {
      bytes: modelSizeBytes(run.modelJson, run.weights.size),
      championOutputs: outputs,
      msPer1000Rows: storedLatency(review),
    });
    const updated: ReviewRecord = { ...review, report: { ...evaluation, importance: review.report.importance } };
    return await saveChampionReview(updated, { modelId: champion.model.id, name: champion.model.name, version: champion.model.version, runId: champion.run.id });
  } finally {
    candidate.dispose();
    rival.dispose();
  }
}
