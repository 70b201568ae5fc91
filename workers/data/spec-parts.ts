// The input and Check-stage parts of a pipeline spec for a stored version: read from the dataset's version, recipe, suite and decisions.
import type { SpecCheck, SpecInput } from '../../src/lib/pipeline/spec/types.ts';
import { getDataset, getVersion } from '../../src/lib/store/datasets.ts';
import { decisionOf, listPrivacyDecisions } from '../../src/lib/store/privacy.ts';
import { latestRecipeRecord, latestSuiteRecord } from '../../src/lib/store/quality.ts';
import type { RecipeRecord, SuiteRecord, VersionRecord } from '../../src/lib/store/records.ts';

export interface SpecParts {
  version: VersionRecord;
  input: SpecInput;
  check: SpecCheck;
  suite?: SuiteRecord | undefined;
  recipe?: RecipeRecord | undefined;
}

/** What a version's runs take as their spec's input and Check stage: the dataset's latest recipe, suite and decisions. */
export async function specPartsOf(versionId: number): Promise<SpecParts> {
  const version = await getVersion(versionId);
  const [dataset, suite, recipe, decisions] = await Promise.all([
    getDataset(version.datasetId),
    latestSuiteRecord(version.datasetId),
    latestRecipeRecord(version.datasetId),
    listPrivacyDecisions(version.datasetId),
  ]);
  const input: SpecInput = {
    dataset: dataset.name,
    version: version.version,
    sha256: version.sha256,
    types: { ...(version.typeOverrides ?? {}) },
    dateFormats: { ...(version.dateFormats ?? {}) },
  };
  const check: SpecCheck = {
    recipe: recipe ? { version: recipe.version, steps: recipe.steps } : null,
    rules: suite ? { name: suite.name, version: suite.version, rules: suite.rules, reference: suite.reference ?? null } : null,
    privacy: decisions.map(decisionOf),
  };
  return { version, input, check, suite, recipe };
}
