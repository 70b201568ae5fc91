// Importing a verified model bundle into the registry: its run, report and model version, with the audit entry, in one transaction.
import { NOT_IN_WORKSPACE, type ModelBundleParts, type ReviewDecision, type ReviewRecord, type RunRecord } from '../contracts/training.ts';
import { AppError } from '../pipeline/errors.ts';
import type { RecipeStep } from '../pipeline/recipe/types.ts';
import { REVIEW_FORMAT, type EvaluationReport } from '../pipeline/review/report.ts';
import { resolveParams } from '../pipeline/spec/resolve.ts';
import type { FeaturePlan, TransformBundle } from '../pipeline/types.ts';
import { highestVersionKey } from './aliases.ts';
import { appendAudit } from './audit.ts';
import { keyRangeOf, openDb } from './db.ts';

/** What an import stored: the model version and the run it points at. */
export interface ImportedModel {
  modelId: number;
  name: string;
  version: number;
  runId: string;
}

/** The plan a bundle's transforms imply: the source columns its features read (the dropped columns are not in a bundle). */
export function planOfBundle(bundle: TransformBundle): FeaturePlan {
  const columns: string[] = [];
  for (const feature of bundle.features) {
    for (const column of [feature.column, 'column2' in feature ? feature.column2 : undefined]) {
      if (column !== undefined && !columns.includes(column)) columns.push(column);
    }
  }
  return { target: bundle.target, task: bundle.task, features: columns, dropped: [] };
}

/** review.json as the run's report and the decision it carried; 'bad-bundle' naming review.json when it is no report. */
function reviewOf(runId: string, review: unknown, at: string): ReviewRecord | undefined {
  if (review === null || review === undefined) return undefined;
  const report = review as Partial<EvaluationReport> & { decision?: ReviewDecision; importance?: unknown };
  if (report.format !== REVIEW_FORMAT || typeof report.verdict?.passed !== 'boolean' || !Array.isArray(report.verdict.failures)) {
    throw new AppError('bad-bundle', `review.json is not a ${REVIEW_FORMAT} report with a verdict; refused`, { file: 'review.json' });
  }
  const { decision, ...rest } = report;
  return {
    runId,
    createdAt: at,
    report: { ...(rest as EvaluationReport), importance: rest.importance ?? null },
    ...(decision ? { decision } : {}),
  };
}

/** The run record of an imported bundle: what the bundle carries, and honest blanks for what it does not. */
function runOf(parts: ModelBundleParts, runId: string, fileName: string, at: string, sha256OfZip: string | undefined, rows: number | undefined): RunRecord {
  const { transforms, spec, recipe } = parts;
  const weights = parts.weights;
  return {
    id: runId,
    // The dataset version it was trained on is not in this workspace: `imported.lineage` names it.
    versionId: NOT_IN_WORKSPACE,
    spec,
    params: resolveParams(spec.model, transforms.task).params,
    backend: 'imported',
    plan: planOfBundle(transforms),
    bundle: transforms,
    evaluation: parts.evaluation,
    history: [],
    // The bundle does not say how many rows trained it; its report says how many it was tested on.
    split: { train: 0, test: rows ?? 0 },
    durationMs: 0,
    modelJson: parts.modelJson,
    weights: new Blob([weights.slice() as Uint8Array<ArrayBuffer>]),
    createdAt: at,
    // recipe.json merges the recipe's and the privacy decisions' steps, in the order scoring applies them.
    preparation: { recipeVersion: recipe.recipeVersion, suiteVersion: recipe.suiteVersion, recipeSteps: recipe.steps as RecipeStep[], privacySteps: [] },
    imported: { fileName, ...(sha256OfZip ? { sha256OfZip } : {}), importedAt: at, lineage: parts.lineage, card: parts.card },
  };
}

/**
 * Stores a verified bundle (see readModelBundle) as the next version of the model its card names: the run (weights as
 * a Blob), its review.json as the run's report (so promotion knows the verdict), the model version (a deleted number is
 * never given again) and an 'import-model' audit entry, in one transaction: a refusal or a failure writes nothing.
 */
export async function importModel(parts: ModelBundleParts, fileName: string, options: { sha256OfZip?: string } = {}): Promise<ImportedModel> {
  const name = parts.name.trim();
  if (!name) throw new AppError('bad-bundle', `${fileName}'s model card names no model; refused`, { file: 'model-card.md' });
  const at = new Date().toISOString();
  const runId = `import-${crypto.randomUUID()}`;
  const review = reviewOf(runId, parts.review, at);
  const run = runOf(parts, runId, fileName, at, options.sha256OfZip, review?.report.rows);
  const { spec, transforms } = parts;
  const threshold = transforms.task === 'binary' ? spec.review?.threshold : undefined;
  const decision = threshold === undefined ? {} : { threshold, positiveClass: spec.review?.positiveClass ?? transforms.classes?.at(-1) ?? '' };
  const db = openDb();
  return db.transaction('rw', [db.runs, db.reviews, db.references, db.models, db.settings, db.audit], async () => {
    const latest = await db.models.where('[name+version]').between(...keyRangeOf(name)).last();
    const deleted = Number((await db.settings.get(highestVersionKey(name)))?.value ?? 0);
    const version = Math.max(latest?.version ?? 0, deleted) + 1;
    await db.runs.add(run);
    if (review) await db.reviews.put(review);
    // A bundle's drift reference lets the imported model be monitored here too.
    if (parts.reference) await db.references.put({ runId, ...parts.reference, createdAt: at, madeAt: 'training' });
    const modelId = await db.models.add({
      name,
      version,
      runId,
      versionId: NOT_IN_WORKSPACE,
      target: transforms.target,
      task: transforms.task,
      createdAt: at,
      ...decision,
    });
    await appendAudit('import-model', `${name} v${version}`, {
      modelId,
      runId,
      version,
      fileName,
      ...(options.sha256OfZip ? { sha256OfZip: options.sha256OfZip } : {}),
      lineage: parts.lineage,
      ...(review ? { verdict: { passed: review.report.verdict.passed, failures: [...review.report.verdict.failures] } } : {}),
      ...decision,
    });
    return { modelId, name, version, runId };
  });
}
