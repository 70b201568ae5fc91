// Training-ready tables (a version after its recipe and privacy decisions) and the gate that decides whether a version may be trained on.
import { gateDecisions, trainingTable } from '../../src/lib/pipeline/check-stage.ts';
import { AppError, userMessage } from '../../src/lib/pipeline/errors.ts';
import { decisionSteps } from '../../src/lib/pipeline/privacy/decisions.ts';
import type { CheckReport, GateStatus } from '../../src/lib/pipeline/quality/check.ts';
import { gateStatus } from '../../src/lib/pipeline/quality/gate.ts';
import type { RecipeStep } from '../../src/lib/pipeline/recipe/types.ts';
import type { SpecCheck, SpecInput } from '../../src/lib/pipeline/spec/types.ts';
import type { DataTable } from '../../src/lib/pipeline/types.ts';
import { latestCheck, recordGateBlock } from '../../src/lib/store/checks.ts';
import { getVersion, loadVersionTable } from '../../src/lib/store/datasets.ts';
import { decisionOf, listPrivacyDecisions } from '../../src/lib/store/privacy.ts';
import { latestRecipeRecord, latestSuiteRecord } from '../../src/lib/store/quality.ts';
import type { RunPreparation } from '../../src/lib/store/records.ts';
import { checkVersion } from './check.ts';
import { specPartsOf } from './spec-parts.ts';
import { applySteps, saltFor } from './steps.ts';
import type { TableLoader } from './table-cache.ts';

/** A version's table as training sees it, the steps that made it, and the spec parts they came from. */
export interface PreparedTable {
  table: DataTable;
  /** Rows before the steps. */
  rowsIn: number;
  /** The recipe's steps followed by the privacy decisions' steps, as applied. */
  steps: RecipeStep[];
  preparation: RunPreparation;
  /** The spec's input and Check stage for a run on this version. */
  input: SpecInput;
  check: SpecCheck;
}

export interface PrepareOptions {
  load?: TableLoader;
}

/**
 * The version's table after the dataset's latest recipe and then the steps of its privacy decisions (on
 * the columns the recipe kept), hashing with the workspace salt.
 */
export async function preparedTable(versionId: number, { load = loadVersionTable }: PrepareOptions = {}): Promise<PreparedTable> {
  const [{ input, check }, raw] = await Promise.all([specPartsOf(versionId), load(versionId)]);
  const allSteps = [...(check.recipe?.steps ?? []), ...decisionSteps(check.privacy)];
  const { table, recipeSteps, privacySteps } = await trainingTable(raw, check, await saltFor(allSteps));
  const preparation: RunPreparation = {
    recipeVersion: check.recipe?.version ?? 0,
    suiteVersion: check.rules?.version ?? 0,
    recipeSteps,
    privacySteps,
  };
  return { table, rowsIn: raw.rowCount, steps: [...recipeSteps, ...privacySteps], preparation, input, check };
}

/** A table after the steps a run recorded (resuming the run, scoring with its model). */
export async function applyPreparation(table: DataTable, preparation: RunPreparation): Promise<DataTable> {
  return applySteps(table, [...preparation.recipeSteps, ...preparation.privacySteps]);
}

/**
 * Whether a version may be trained on: its latest check (checked now when it has none, or when the suite
 * or recipe changed since) and the dataset's privacy decisions. A check that cannot run (the recipe fails
 * on this version) closes the gate with its message as the first reason.
 */
export async function gate(versionId: number, { load = loadVersionTable }: PrepareOptions = {}): Promise<GateStatus> {
  const version = await getVersion(versionId);
  const [suite, recipe, records] = await Promise.all([
    latestSuiteRecord(version.datasetId),
    latestRecipeRecord(version.datasetId),
    listPrivacyDecisions(version.datasetId),
  ]);
  const decisions = gateDecisions({ recipe: recipe ? { version: recipe.version, steps: recipe.steps } : null, privacy: records.map(decisionOf) });
  let check: CheckReport | undefined = await latestCheck(versionId);
  let failure: string | undefined;
  if (!check || check.suiteVersion !== (suite?.version ?? 0) || check.recipeVersion !== (recipe?.version ?? 0)) {
    try {
      check = await checkVersion(versionId, { load });
    } catch (error) {
      check = undefined;
      failure = `The check of v${version.version} could not run: ${userMessage(error)}`;
    }
  }
  const status = gateStatus(check, decisions);
  return failure ? { ...status, open: false, reasons: [failure, ...status.reasons.filter((r) => r !== failure)] } : status;
}

/**
 * Passes the version's gate, or records 'gate.block' and rejects with AppError 'gate-blocked' naming what was
 * stopped ('Training', 'Feature building'), the version and every reason (failed blocking rules, undecided
 * personal-data columns).
 */
export async function passGate(versionId: number, stage: 'Training' | 'Feature building', { load = loadVersionTable }: PrepareOptions = {}): Promise<void> {
  const status = await gate(versionId, { load });
  if (status.open) return;
  const label = await recordGateBlock(versionId, status.reasons, status.undecided, stage);
  throw new AppError('gate-blocked', `${stage} on ${label} is blocked: ${status.reasons.join('; ')}`);
}
