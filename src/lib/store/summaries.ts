// What the lists of the studio show, read in the data worker: version, run and model summaries and the
// audit log's length. The page gets these (never whole records) and asks for one run or profile by id.
import { AppError } from '../pipeline/errors.ts';
import type { Evaluation } from '../pipeline/types.ts';
import type { HeadlineKey, RunDetail, RunRecord, RunSummary } from '../contracts/training.ts';
import type { AuditHead, ModelSummary, VersionSummary } from '../contracts/store.ts';
import { verdictOf } from './aliases.ts';
import { openDb } from './db.ts';

const HEADLINE: HeadlineKey[] = ['accuracy', 'macroF1', 'rocAuc', 'logLoss', 'rmse', 'mae', 'r2'];

/** The headline numbers of an evaluation (no curves, confusion matrix or residuals). */
export function headlineMetrics(evaluation: Evaluation | undefined): Partial<Record<HeadlineKey, number>> {
  const metrics = (evaluation?.metrics ?? {}) as unknown as Record<string, unknown>;
  const out: Partial<Record<HeadlineKey, number>> = {};
  for (const key of HEADLINE) {
    const value = metrics[key];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}

export function runSummaryOf(run: RunRecord): RunSummary {
  const { preparation: p, trialOf } = run;
  return {
    id: run.id,
    versionId: run.versionId,
    target: run.plan.target,
    task: run.plan.task,
    params: run.params,
    spec: run.spec,
    backend: run.backend,
    metrics: headlineMetrics(run.evaluation),
    split: run.split,
    durationMs: run.durationMs,
    createdAt: run.createdAt,
    ...(p
      ? { preparation: { recipeVersion: p.recipeVersion, suiteVersion: p.suiteVersion, recipeSteps: p.recipeSteps.length, privacySteps: p.privacySteps.length } }
      : {}),
    ...(trialOf ? { trialOf } : {}),
  };
}

/** Every version without its profile, with its dataset's name, newest first. */
export async function listVersionSummaries(): Promise<VersionSummary[]> {
  const db = openDb();
  return db.transaction('r', [db.datasets, db.versions], async () => {
    const names = new Map((await db.datasets.toArray()).map((d) => [d.id, d.name]));
    const versions = await db.versions.orderBy('id').reverse().toArray();
    return versions.map(({ profile: _profile, id, ...rest }) => ({
      ...rest,
      id: id as number,
      datasetName: names.get(rest.datasetId) ?? rest.fileName,
    }));
  });
}

/** Every run (search trials too) as its list row, newest first. */
export async function listRunSummaries(): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  await openDb().runs.orderBy('createdAt').reverse().each((run) => void runs.push(runSummaryOf(run)));
  return runs;
}

/**
 * Every model version with its run's headline metrics, the aliases pointing at it and its run's review verdict, by
 * name then version. Read live, so an alias moved in another tab shows at once.
 */
export async function listModelSummaries(): Promise<ModelSummary[]> {
  const db = openDb();
  return db.transaction('r', [db.models, db.runs, db.reviews, db.aliases], async () => {
    const models = await db.models.orderBy('[name+version]').toArray();
    const runIds = [...new Set(models.map((m) => m.runId))];
    const runs = await db.runs.bulkGet(runIds);
    const metrics = new Map(runs.filter((r) => r !== undefined).map((r) => [r.id, headlineMetrics(r.evaluation)]));
    const reviews = await db.reviews.bulkGet(runIds);
    const verdicts = new Map(runIds.map((id, i) => [id, verdictOf(reviews[i])]));
    const aliases = new Map<string, string[]>();
    for (const row of await db.aliases.toArray()) {
      const key = `${row.version} ${row.name}`;
      aliases.set(key, [...(aliases.get(key) ?? []), row.alias].sort());
    }
    return models.map((model) => ({
      ...model,
      id: model.id as number,
      metrics: metrics.get(model.runId) ?? {},
      aliases: aliases.get(`${model.version} ${model.name}`) ?? [],
      verdict: verdicts.get(model.runId) ?? null,
    }));
  });
}

/** How many audit entries there are and the newest one's number. */
export async function auditHead(): Promise<AuditHead> {
  const db = openDb();
  return db.transaction('r', db.audit, async () => ({
    count: await db.audit.count(),
    lastSeq: ((await db.audit.orderBy('seq').lastKey()) as number | undefined) ?? 0,
  }));
}

/** One run for a view (curves, evaluation), without its model files; 'not-found' naming the id when there is none. */
export async function getRunDetail(id: string): Promise<RunDetail> {
  const run = await openDb().runs.get(id);
  if (!run) throw new AppError('not-found', `No training run "${id}"`);
  const { weights: _weights, modelJson: _modelJson, ...detail } = run;
  return detail;
}
