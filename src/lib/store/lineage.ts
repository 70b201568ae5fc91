// A model version's lineage, read in one transaction: its run, pipeline spec, dataset version and SHA-256, Check stage, feature set and review.
import { AppError } from '../pipeline/errors.ts';
import type { ModelLineage } from '../contracts/store.ts';
import { openDb } from './db.ts';
import { headlineMetrics } from './summaries.ts';

/** Where model version `modelId` came from; 'not-found' naming the model or its missing run. */
export async function modelLineage(modelId: number): Promise<ModelLineage> {
  const db = openDb();
  return db.transaction('r', [db.models, db.runs, db.reviews, db.versions, db.datasets], async () => {
    const model = await db.models.get(modelId);
    if (!model) throw new AppError('not-found', `No saved model ${modelId}`);
    const run = await db.runs.get(model.runId);
    if (!run) throw new AppError('not-found', `${model.name} v${model.version} points at training run "${model.runId}", which is missing`);
    const version = await db.versions.get(model.versionId);
    const dataset = version ? await db.datasets.get(version.datasetId) : undefined;
    const review = await db.reviews.get(model.runId);
    const { spec } = run;
    const rules = spec.check.rules;
    const recipe = run.preparation?.recipeVersion ?? spec.check.recipe?.version ?? 0;
    const suiteVersion = rules?.version ?? run.preparation?.suiteVersion ?? 0;
    return {
      modelId,
      name: model.name,
      version: model.version,
      runId: run.id,
      spec,
      dataset: {
        name: dataset?.name ?? spec.input.dataset ?? run.imported?.lineage.dataset ?? version?.fileName ?? `version #${model.versionId}`,
        version: version?.version ?? spec.input.version,
        fileName: version?.fileName ?? null,
        sha256: version?.sha256 ?? spec.input.sha256,
        versionId: model.versionId,
      },
      featureSet: spec.features ? { name: spec.features.name, version: spec.features.version } : null,
      recipeVersion: recipe > 0 ? recipe : null,
      suite: suiteVersion > 0 ? { name: rules?.name ?? 'rule suite', version: suiteVersion } : null,
      imported: run.imported ? { fileName: run.imported.fileName, sha256OfZip: run.imported.sha256OfZip ?? null, importedAt: run.imported.importedAt, card: run.imported.card } : null,
      review: review
        ? {
            passed: review.report.verdict.passed,
            failures: [...review.report.verdict.failures],
            checks: review.report.verdict.checks.length,
            headline: headlineMetrics(run.evaluation),
            decision: review.decision ?? null,
          }
        : null,
    };
  });
}
