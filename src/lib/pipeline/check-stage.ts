// The Check stage as one pure function of its part of the spec and its inputs: recipe, rules, privacy scan, gate; the studio's data worker and the CLI both call it.
import { recipeDecisions, privacyStepsFor } from './privacy/decisions.ts';
import { scanPrivacy } from './privacy/scan.ts';
import { batchRowsAfterRecipe, lastRows } from './batch-rows.ts';
import { profileColumn, profileTable } from './profile.ts';
import type { CheckReport, GateStatus } from './quality/check.ts';
import { gateStatus } from './quality/gate.ts';
import { runSuite } from './quality/run-suite.ts';
import { suggestRules } from './quality/suggest.ts';
import { isReferenceKind } from './quality/reference-rules.ts';
import type { RuleResult, RuleSuite } from './quality/types.ts';
import { applyRecipe, runRecipe } from './recipe/apply.ts';
import type { RecipeStep } from './recipe/types.ts';
import type { SpecCheck } from './spec/types.ts';
import type { DataTable, DatasetProfile } from './types.ts';

export interface CheckStageInputs {
  /** The data as read, before the recipe. */
  table: DataTable;
  /** The data batch rules compare with, before the recipe (the recipe runs on it too); absent: none. */
  reference?: DataTable | undefined;
  /**
   * The rows an append added to `table` (they come last; version.rowsAdded): batch rules compare only them
   * (after the recipe) with the reference. Absent, or all of the table's rows: the whole table is the batch.
   */
  batchRows?: number | undefined;
  /** The profile of `table` when it is known already (saves profiling it again for suggested rules). */
  profile?: DatasetProfile | undefined;
  /** The salt of hash steps. */
  salt?: string | undefined;
}

export interface CheckStageOutput {
  /** The report (versionId and datasetId 0: the caller fills them in when it stores the report). */
  check: CheckReport;
  /** The recipe's output: what the rules and the privacy scan saw. */
  cleaned: DataTable;
  /** The suite that ran: the spec's, or suggested rules that only warn. */
  suite: RuleSuite;
  /** Whether training may go on, with the reasons when not. */
  gate: GateStatus;
  /** The reference after the recipe, when there was one the recipe could run on. */
  reference?: DataTable;
  /** For each row of `cleaned`, the row of the input it came from; null when the recipe kept every row in order. */
  sourceRows: Int32Array | null;
}

/** Rules suggested for a table, every one downgraded to a warning: data without a saved suite is never blocked by them. */
export function warnOnlySuggestions(profile: DatasetProfile, table: DataTable, reference?: DataTable): RuleSuite {
  const suggested = suggestRules(profile, table, reference);
  return { ...suggested, version: 0, rules: suggested.rules.map((rule) => ({ ...rule, severity: 'warn' as const })) };
}

/** The decisions the gate counts: the recipe's drop, mask and hash steps, then the spec's decisions. */
export function gateDecisions(check: Pick<SpecCheck, 'recipe' | 'privacy'>) {
  return [...recipeDecisions(check.recipe?.steps ?? []), ...check.privacy];
}

/** The reference after the same recipe; undefined when there is none or the recipe cannot run on it (an older schema). */
async function cleanReference(reference: DataTable | undefined, steps: RecipeStep[], salt: string | undefined): Promise<DataTable | undefined> {
  if (!reference) return undefined;
  try {
    return (await applyRecipe(reference, { steps }, salt ? { salt } : {})).table;
  } catch {
    return undefined;
  }
}

/** The batch's profile (as read, before the recipe) of the columns failed batch rules name, for the comparison charts. */
function comparedProfile(batch: DataTable, results: RuleResult[]): DatasetProfile {
  const named = new Set(results.filter((r) => !r.passed && r.column !== undefined && isReferenceKind(r.kind)).map((r) => r.column));
  return { rows: batch.rowCount, columns: batch.columns.filter((c) => named.has(c.name)).map((c) => profileColumn(c, batch.rowCount)) };
}

/**
 * Runs the Check stage: the recipe, then the spec's rule suite (or, without one, rules suggested from the
 * data that only warn) with batch rules comparing the batch (an append's added rows, else the whole table)
 * with the reference after the same recipe, then the personal-data
 * scan of the recipe's output, and the gate over the report and the decisions. Writes nothing. Rejects when
 * the recipe cannot run on the table (the error names the step).
 */
export async function runCheckStage(spec: SpecCheck, inputs: CheckStageInputs): Promise<CheckStageOutput> {
  const started = performance.now();
  const steps = spec.recipe?.steps ?? [];
  const options = inputs.salt ? { salt: inputs.salt } : {};
  const applied = await runRecipe(inputs.table, steps, options);
  const reference = await cleanReference(inputs.reference, steps, inputs.salt);
  const suite: RuleSuite = spec.rules
    ? { name: spec.rules.name, version: spec.rules.version, rules: spec.rules.rules }
    : warnOnlySuggestions(steps.length === 0 && inputs.profile ? inputs.profile : profileTable(applied.table), applied.table, reference);
  const appended = reference !== undefined && inputs.batchRows !== undefined && inputs.batchRows < inputs.table.rowCount;
  const batchRows = appended ? batchRowsAfterRecipe(inputs.table.rowCount, inputs.batchRows as number, applied.table.rowCount, applied.rows) : undefined;
  const report = runSuite(applied.table, suite, reference ? { reference, ...(batchRows ? { batchRows } : {}) } : {});
  const check: CheckReport = {
    versionId: 0,
    datasetId: 0,
    suiteVersion: spec.rules?.version ?? 0,
    recipeVersion: spec.recipe?.version ?? 0,
    suggested: !spec.rules,
    rowsIn: inputs.table.rowCount,
    rowsChecked: applied.table.rowCount,
    recipeSteps: applied.steps,
    report,
    privacy: scanPrivacy(applied.table),
    ...(batchRows ? { batchProfile: comparedProfile(lastRows(inputs.table, inputs.batchRows as number), report.rules) } : {}),
    checkedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
  };
  return { check, cleaned: applied.table, suite, gate: gateStatus(check, gateDecisions(spec)), ...(reference ? { reference } : {}), sourceRows: applied.rows };
}

/**
 * What training runs on: the recipe's output after the steps of the privacy decisions (on the columns it
 * kept; they change cells and columns, never rows), and for each row the input row it came from (null: the same).
 */
export async function trainingTable(
  raw: DataTable,
  spec: Pick<SpecCheck, 'recipe' | 'privacy'>,
  salt: string | undefined,
  cleaned?: { table: DataTable; sourceRows: Int32Array | null },
): Promise<{ table: DataTable; recipeSteps: RecipeStep[]; privacySteps: RecipeStep[]; sourceRows: Int32Array | null }> {
  const recipeSteps = spec.recipe?.steps ?? [];
  const options = salt ? { salt } : {};
  const afterRecipe = cleaned ?? (recipeSteps.length ? await runRecipe(raw, recipeSteps, options) : { table: raw, rows: null });
  const recipeTable = afterRecipe.table;
  const sourceRows = 'sourceRows' in afterRecipe ? afterRecipe.sourceRows : afterRecipe.rows;
  const privacySteps = privacyStepsFor(recipeTable.columns, spec.privacy);
  const table = privacySteps.length ? (await applyRecipe(recipeTable, { steps: privacySteps }, options)).table : recipeTable;
  return { table, recipeSteps, privacySteps, sourceRows };
}
