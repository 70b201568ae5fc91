// The Check stage's stored report of one version and the gate it opens or closes (types only; logic in gate.ts).
import type { PrivacyDecision, PrivacyFinding } from '../privacy/types.ts';
import type { RecipeStepStats } from '../recipe/types.ts';
import type { DatasetProfile } from '../types.ts';
import type { SuiteReport } from './types.ts';

/** A version checked with the dataset's suite after its recipe: stored, and shown as the report. */
export interface CheckReport {
  versionId: number;
  datasetId: number;
  /** 0 when the dataset has no saved suite (the suggested suite was used) — see `suggested`. */
  suiteVersion: number;
  /** 0 when the dataset has no recipe. */
  recipeVersion: number;
  /** True when no suite was saved and rules suggested from the version's profile were run (warn only). */
  suggested: boolean;
  /** The version the batch rules compared with (the parent version), if any. */
  referenceVersionId?: number;
  /** Rows before and after the recipe. */
  rowsIn: number;
  rowsChecked: number;
  recipeSteps: RecipeStepStats[];
  report: SuiteReport;
  /**
   * An appended version checked against its reference: the batch's (the added rows', as read) profile of the
   * columns failed batch rules name, for the charts comparing them with the reference. Rows: the batch's.
   */
  batchProfile?: DatasetProfile;
  /** Columns that look like personal data, found on the recipe's output. */
  privacy: PrivacyFinding[];
  checkedAt: string;
  durationMs: number;
}

/** Whether a version may go on to feature building and training, and why not. */
export interface GateStatus {
  open: boolean;
  /** One line per reason, naming the rule or column, e.g. 'Rule sex-allowed (block) failed: 1 of 344 rows (0.3%)'. */
  reasons: string[];
  /** Flagged columns without a decision. */
  undecided: string[];
  check?: CheckReport;
  decisions: PrivacyDecision[];
}
