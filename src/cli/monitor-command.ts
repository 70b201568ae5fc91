// `millrace monitor`: a registry model's monitoring policy run once on a new batch (drift, decay or its estimate, the triggers), and with --retrain the retrain, its review against the champion and the policy's promotion.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ReferenceRecord } from '../lib/contracts/monitor.ts';
import { modelFromArtifacts } from '../lib/ml/artifacts.ts';
import { chooseBackend } from '../lib/ml/backend-node.ts';
import { REFERENCE_FILE } from '../lib/ml/bundle.ts';
import { checkBatch, type BatchCheck } from '../lib/ml/monitor/check-batch.ts';
import { AppError } from '../lib/pipeline/errors.ts';
import { batchEvidence, firedTriggers, resolveMonitorPolicy, type Trigger } from '../lib/pipeline/monitor/policy.ts';
import { referenceFromJson } from '../lib/pipeline/monitor/reference-json.ts';
import { decideCandidate, outcomeMetric, outcomeSummary, type RetrainDecision } from '../lib/pipeline/monitor/retrain-plan.ts';
import type { RecipeStep } from '../lib/pipeline/recipe/types.ts';
import type { EvaluationReport } from '../lib/pipeline/review/report.ts';
import { parseSpec } from '../lib/pipeline/spec/validate.ts';
import type { TransformBundle } from '../lib/pipeline/types.ts';
import { parseCommand } from './args.ts';
import type { MonitorCommand } from './monitor-args.ts';
import { readJson, readTable } from './read-data.ts';
import { promoteCommand } from './registry/commands.ts';
import { FolderRegistry, verifiedFiles } from './registry/store.ts';
import { runBundleFiles } from './run-bundle.ts';
import { readWeights } from './model-weights.ts';

/** The watched version: the champion, else the newest; with its folder and label. */
async function watched(registry: FolderRegistry, name: string): Promise<{ version: number; dir: string; label: string; champion: boolean }> {
  const versions = await registry.requireModel(name);
  const champion = (await registry.state(name)).aliases.champion;
  const version = champion ?? Math.max(...versions);
  const info = await registry.version(name, version);
  return { version, dir: info.dir, label: `${name} v${version}${champion !== undefined ? ' (champion)' : ' (newest; no champion)'}`, champion: champion !== undefined };
}

/** What the retrain did. */
interface RetrainResult {
  decision: RetrainDecision;
  candidateVersion: number | null;
  out: string;
  verdict: { passed: boolean; failures: string[] };
  summary: string;
}

/** Retrains NAME with the watched version's pipeline.json on the retrain data, compared with it on the same test rows; registers and promotes per the verdict and policy. */
async function retrainModel(command: MonitorCommand, model: Awaited<ReturnType<typeof watched>>, triggers: Trigger[], autoPromote: boolean, preferred?: string): Promise<RetrainResult> {
  const out = command.out ?? (await mkdtemp(join(tmpdir(), `millrace-retrain-${command.model}-`)));
  const data = command.retrainData ?? command.data;
  const args = ['run', '--spec', join(model.dir, 'pipeline.json'), '--data', data, '--out', out, '--champion', model.dir, ...(command.salt !== undefined ? ['--salt', command.salt] : [])];
  const run = parseCommand(args);
  if (run.name !== 'run') throw new Error('the retrain command did not parse as a run');
  const { runCommand } = await import('./run-command.ts');
  const result = await runCommand(run);
  const verdict = result.report.verdict as { passed: boolean; failures: string[] };
  const decision = decideCandidate({ cancelled: false, passed: verdict.passed }, resolveMonitorPolicy(autoPromote ? { retrain: { autoPromote: true } } : null));
  let candidateVersion: number | null = null;
  if (decision === 'challenger' || decision === 'promoted') {
    const registry = new FolderRegistry(command.registry);
    candidateVersion = await registry.addVersion(command.model, (version) => runBundleFiles(result.bundleInput, command.model, version));
    const why = triggers.map((t) => t.reason).join('; ');
    const move = (alias: string, note: string, expect?: number) =>
      promoteCommand({ name: 'promote', registry: command.registry, model: command.model, version: candidateVersion!, alias, note, force: false, ...(expect !== undefined ? { expect } : {}) });
    await move('challenger', `retrained: ${why}`);
    if (decision === 'promoted') await move('champion', `retrained and promoted by the monitoring policy (autoPromote): ${why}`, model.champion ? model.version : undefined);
  }
  const metric = outcomeMetric(result.report.metrics as Record<string, number | undefined>, result.report.champion, preferred);
  const summary = outcomeSummary({ modelName: command.model, fromVersion: model.version, decision, candidateVersion, failures: verdict.failures, metric });
  return { decision, candidateVersion, out, verdict, summary };
}

/** The batch against the watched version's reference, with the run's recipe and review report. */
async function checkAgainst(model: Awaited<ReturnType<typeof watched>>, command: MonitorCommand, files: Record<string, Uint8Array>): Promise<{ check: BatchCheck; spec: ReturnType<typeof parseSpec>; rows: number }> {
  if (!files[REFERENCE_FILE]) throw new AppError('not-found', `${model.label} has no ${REFERENCE_FILE} (a model saved before monitoring): nothing to compare --data with`, { file: join(model.dir, REFERENCE_FILE) });
  const json = (name: string) => readJson('--model', join(model.dir, name));
  const [modelJson, bundle, recipe, specJson, review, referenceJsonValue] = await Promise.all([
    json('model.json'),
    json('transforms.json') as Promise<TransformBundle>,
    files['recipe.json'] ? (json('recipe.json') as Promise<{ steps?: RecipeStep[] }>) : Promise.resolve({ steps: [] }),
    json('pipeline.json'),
    files['review.json'] ? (json('review.json') as Promise<EvaluationReport>) : Promise.resolve(null),
    json(REFERENCE_FILE),
  ]);
  const spec = parseSpec(specJson);
  const sketches = referenceFromJson(referenceJsonValue, join(model.dir, REFERENCE_FILE));
  const reference: ReferenceRecord = { runId: model.label, ...sketches, createdAt: new Date().toISOString(), madeAt: 'training' };
  const { table } = await readTable(command.data);
  await chooseBackend('auto');
  const weights = await readWeights(model.dir, modelJson);
  const network = await modelFromArtifacts(modelJson, weights);
  try {
    const monitored = {
      network,
      bundle,
      steps: recipe.steps ?? [],
      salt: command.salt ?? process.env.MILLRACE_SALT,
      report: review,
      decision: { positiveClass: spec.review?.positiveClass, threshold: spec.review?.threshold },
    };
    const check = await checkBatch(monitored, reference, table, basename(command.data), resolveMonitorPolicy(spec.monitor).drift);
    return { check, spec, rows: table.rowCount };
  } finally {
    network.dispose();
  }
}

/**
 * Runs `millrace monitor`: the policy of the watched version (champion, else newest) on --data. `triggered` (exit status 4)
 * when any trigger fires; with --retrain a fired trigger retrains (retrainModel). In the CLI the batch's rows are the new
 * rows since training, and there is no schedule (a schedule runs while the studio is open).
 */
export async function monitorCommand(command: MonitorCommand): Promise<{ stdout: string; notices: string[]; triggered: boolean }> {
  const registry = new FolderRegistry(command.registry);
  const model = await watched(registry, command.model);
  const { files } = await verifiedFiles(model.dir, model.label);
  const { check, spec, rows } = await checkAgainst(model, command, files);
  const policy = resolveMonitorPolicy(spec.monitor);
  const triggers = firedTriggers(policy, batchEvidence(check, { newRows: rows, lastScheduledAt: null, now: new Date() })).filter((t) => t.kind !== 'schedule');
  const retrain = command.retrain && triggers.length ? await retrainModel(command, model, triggers, policy.retrain.autoPromote, spec.review?.metrics?.[0]?.metric) : null;
  const drifted = check.report.columns.filter((c) => c.drifted).map((c) => c.column);
  const performance = check.performance;
  const outcome = {
    model: model.label,
    data: basename(command.data),
    rows,
    rowsDropped: check.rowsDropped,
    datasetDrift: check.report.datasetDrift,
    driftShare: check.report.driftShare,
    drifted,
    predictionDrift: check.prediction?.drifted ?? null,
    targetDrift: check.target?.drifted ?? null,
    performance: performance
      ? {
          kind: performance.measured ? 'measured' : 'estimated',
          decayed: performance.decayed,
          metrics: (performance.measured ?? []).map((m) => ({ metric: m.metric, test: m.test, batch: m.batch, decayed: m.decayed })).concat(
            (performance.estimated ?? []).map((e) => ({ metric: e.metric, test: e.test, batch: e.estimate, decayed: e.decayed })),
          ),
        }
      : null,
    triggers: triggers.map((t) => ({ kind: t.kind, reason: t.reason })),
    retrain,
    notices: check.notices,
  };
  if (command.json) return { stdout: JSON.stringify(outcome, null, 2), notices: [], triggered: triggers.length > 0 };
  const pct = Math.round(check.report.driftShare * 100);
  const lines = [
    `millrace: ${model.label} on ${outcome.data} (${rows.toLocaleString('en-US')} rows): ${check.report.datasetDrift ? 'dataset drift' : 'no dataset drift'} (${drifted.length} of ${check.report.columns.length} columns, ${pct}%${drifted.length ? `: ${drifted.join(', ')}` : ''})`,
    performance ? `millrace: ${performance.measured ? 'measured' : 'estimated (no labels)'} performance ${performance.decayed ? 'decayed' : 'holds'}` : 'millrace: the batch was not scored',
    triggers.length ? `millrace: triggered: ${triggers.map((t) => t.reason).join('; ')}` : 'millrace: nothing in the monitoring policy fires',
  ];
  if (retrain) lines.push(`millrace: retrain: ${retrain.summary} (run folder ${retrain.out})`);
  else if (triggers.length && !command.retrain) lines.push('millrace: add --retrain to retrain as the policy says');
  return { stdout: lines.join('\n'), notices: check.notices, triggered: triggers.length > 0 };
}
