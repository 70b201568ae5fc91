// The two worker APIs, declared once: the workers `expose(api satisfies DataApi)`, clients `wrap<DataApi>()`.
// Only ids, small records and transferable buffers cross; tables stay in the worker and IndexedDB.
import type { DatasetProfile, FeaturePlan, TaskKind } from '../src/lib/pipeline/types.ts';
import type { FeatureSet } from '../src/lib/pipeline/features/types.ts';
import type { FeaturePreview } from '../src/lib/pipeline/features/preview.ts';
import type { CheckReport, GateStatus } from '../src/lib/pipeline/quality/check.ts';
import type { Rule, RuleSuite } from '../src/lib/pipeline/quality/types.ts';
import type { Recipe, RecipePreview, RecipeStep } from '../src/lib/pipeline/recipe/types.ts';
import type { PrivacyDecision } from '../src/lib/pipeline/privacy/types.ts';
import type {
  FileInput,
  ImportOptions,
  ImportProgress,
  ImportResult,
  PreviewPage,
  StagedImport,
  StorageReport,
  VersionDependents,
} from '../src/lib/contracts/data.ts';
import type {
  BackendChoice,
  BackendInfo,
  ResumableRun,
  RunDetail,
  ReviewRecord,
  RowExplanation,
  TrainProgress,
  TrainRequest,
  TrainResult,
} from '../src/lib/contracts/training.ts';
import type {
  AliasMoveSummary,
  AuditPage,
  AuditVerifyOutcome,
  AuditVerifyProgress,
  FeatureSetRecord,
  LiveTopic,
  LiveTopics,
  LiveUpdate,
  ModelLineage,
} from '../src/lib/contracts/store.ts';
import type { PredictFormInfo, RowPrediction, ScoreProgress } from '../src/lib/contracts/predict.ts';
import type { DriftProgress, DriftRecord, DriftRequest, DriftSummary, RetrainOutcome, RetrainProgress, RetrainRequest, ScheduledRetrain, VersionComparison } from '../src/lib/contracts/monitor.ts';

export type { CheckReport, GateStatus, Recipe, RecipePreview, RecipeStep, Rule, RuleSuite, PrivacyDecision };
export type * from '../src/lib/contracts/data.ts';
export type * from '../src/lib/contracts/training.ts';
export type * from '../src/lib/contracts/store.ts';
export type * from '../src/lib/contracts/predict.ts';

export interface DataApi {
  /** Parse, profile and store a file as a new dataset version in one transaction (stage + commit). */
  importFile(file: FileInput, onProgress?: (p: ImportProgress) => void): Promise<ImportResult>;
  /**
   * Parses a file (CSV/TSV streamed, progress by bytes read) and keeps it in the worker under its import id;
   * diffs it against the target's latest schema when appending; flags content imported before.
   */
  stageImport(file: FileInput, options?: ImportOptions, onProgress?: (p: ImportProgress) => void): Promise<StagedImport>;
  /** Stores a staged import as a new version in one transaction (the user's accept). */
  commitImport(importId: string): Promise<ImportResult>;
  /** Drops a staged import; nothing is stored (the user's reject). */
  discardImport(importId: string): Promise<void>;
  /** Stops a stage in progress within a second (it rejects with 'cancelled'); nothing is stored. */
  cancelImport(importId: string): void;
  /** Parses the same bytes again with other choices (encoding, delimiter, types, date formats). */
  restage(importId: string, options: ImportOptions): Promise<StagedImport>;
  /** What depends on a version: child versions (ids), runs (ids), models. */
  versionDependents(versionId: number): Promise<VersionDependents>;
  /** Deletes a version and its chunks; refuses ('bad-argument', naming them) while anything depends on it. */
  deleteVersion(versionId: number): Promise<void>;
  /** Stored bytes per dataset and the browser's usage and quota. */
  storageReport(): Promise<StorageReport>;
  /** Rows [offset, offset+limit) of a stored version, for the preview grid. */
  preview(versionId: number, offset: number, limit: number): Promise<PreviewPage>;
  /** The stored profile of a version. */
  profile(versionId: number): Promise<DatasetProfile>;
  /** The default feature plan (task inferred, ID-like and constant columns dropped) for a target. */
  planFeatures(versionId: number, target: string, task?: TaskKind): Promise<FeaturePlan>;
  /**
   * Fits a feature set on the seeded training split, as a run with that seed does (default split, 20% test),
   * and summarizes it: matrix width, each feature's range and its correlation with the target.
   */
  featurePreview(versionId: number, featureSet: FeatureSet, target: string, task?: TaskKind, seed?: number): Promise<FeaturePreview>;

  // The Check stage. Every committed version is checked automatically (after `commitImport`/`importFile`).
  /** The dataset's latest saved rule suite, or undefined when none was saved. */
  getSuite(datasetId: number): Promise<RuleSuite | undefined>;
  /** Rules suggested from a version's profile (not stored) for the user to edit. */
  suggestSuite(versionId: number): Promise<RuleSuite>;
  /**
   * Validates and stores the rules as the dataset's next suite version (audit entry 'suite.save'), then
   * re-checks the dataset's latest version. `reference` is the version number batch rules compare with
   * (default: each version's parent). Rejects with 'bad-argument' naming the bad rule (nothing stored).
   */
  saveSuite(datasetId: number, rules: Rule[], reference?: number): Promise<RuleSuite>;
  /** The dataset's latest saved recipe, or undefined. */
  getRecipe(datasetId: number): Promise<Recipe | undefined>;
  /** Runs steps on a version without storing anything: per-step rows removed and cells changed, rows before/after. */
  previewRecipe(versionId: number, steps: RecipeStep[]): Promise<RecipePreview>;
  /** Validates and stores the steps as the dataset's next recipe version (audit 'recipe.save'), then re-checks the latest version. */
  saveRecipe(datasetId: number, steps: RecipeStep[], fittedOn?: number): Promise<Recipe>;
  /** Checks a version now (recipe, suite, batch rules against its parent, privacy scan), stores and audits the report. */
  checkVersion(versionId: number): Promise<CheckReport>;
  /** The latest stored check of a version, if any. */
  latestCheck(versionId: number): Promise<CheckReport | undefined>;
  /** Records a decision on a flagged column (audit 'privacy.decide'); 'allow' needs a non-empty note. */
  decidePrivacy(datasetId: number, decision: PrivacyDecision): Promise<void>;
  /** The decisions recorded for a dataset's columns. */
  privacyDecisions(datasetId: number): Promise<PrivacyDecision[]>;
  /** Whether a version may be trained on: its check passed (checking first if never checked) and every flagged column has a decision. */
  gate(versionId: number): Promise<GateStatus>;

  // What the views list and read. The page holds summaries, never whole tables; IndexedDB stays in the workers.
  /**
   * Sends the topic's current value to `onUpdate` at once, then again after every committed change to what it
   * read (by any tab or worker), until `unwatch(id)` with the id this resolves to. A failed read is sent as
   * `{ error }`. Rejects with 'bad-argument' for an unknown topic.
   */
  watch<K extends LiveTopic>(topic: K, onUpdate: (update: LiveUpdate<LiveTopics[K]>) => void): Promise<number>;
  /** Stops a watch (and releases its callback); an unknown id is ignored. */
  unwatch(watchId: number): void;
  /** One stored run without its model files (curves, evaluation, bundle); 'not-found' naming the id. */
  getRun(runId: string): Promise<RunDetail>;
  /** A run's evaluation report (metrics, intervals, calibration, groups, importance, verdict); 'not-found' for runs without one. */
  getReview(runId: string): Promise<ReviewRecord>;
  /**
   * Approves or rejects a run's report with a note (required: 'bad-argument' when empty) and returns the record with
   * its `decision`; 'not-found' naming the run when it has no report. The record and the 'review-approve' /
   * 'review-reject' audit entry are written in one transaction; a later decision replaces the earlier on the record.
   */
  decideReview(runId: string, decision: 'approve' | 'reject', note: string): Promise<ReviewRecord>;
  /** Up to `limit` audit entries older than entry `before` (default: from the newest), newest first. */
  auditPage(limit: number, before?: number): Promise<AuditPage>;
  /** Re-hashes the whole audit chain a page at a time, reporting entries checked; names the first bad entry. */
  verifyAudit(onProgress?: (p: AuditVerifyProgress) => void): Promise<AuditVerifyOutcome>;
  /** The audit log as JSON lines (one entry per line, oldest first). */
  exportAudit(): Promise<Blob>;
  /** Checks a feature set and stores it as the next version of `name` (1 for a new name); 'bad-argument' names the bad part. */
  saveFeatureSet(name: string, set: FeatureSet): Promise<FeatureSetRecord>;

  // The model registry: aliases (champion, challenger, the person's own), their history, deleting versions, lineage.
  /**
   * Points `alias` of model `name` at `version`: one transaction writes the alias, the history row and the 'promote'
   * audit entry, or nothing. Refused (naming the input) for a bad alias, an empty note, another target or task than
   * the current holder, a failed or missing review verdict without `override` ('gate-blocked'), and ('locked') when
   * the alias no longer points at `expectedFrom` (another tab moved it; the message names the version it points at).
   */
  promote(name: string, version: number, alias: string, note: string, options?: PromoteOptions): Promise<AliasMoveSummary>;
  /** Moves `alias` back to the version it held before (with a note), in one transaction with its history row and audit entry. */
  rollback(name: string, alias: string, note: string, expectedFrom?: number | null): Promise<AliasMoveSummary>;
  /** Every alias move of a model name, oldest first. */
  aliasHistory(name: string): Promise<AliasMoveSummary[]>;
  /**
   * Deletes a model version with its drift reports (and, with `withRun`, its run when no other version uses it, as
   * deleteRun does) in one audited transaction; refused naming the alias while one points at it.
   */
  deleteModelVersion(name: string, version: number, options?: { withRun?: boolean }): Promise<{ driftReports: number; runIds: string[] }>;
  /**
   * Deletes a run and a search's trials with their reports, references, drift reports and checkpoints, audited;
   * refused ('bad-argument') naming the model versions saved from it. Resolves to the ids deleted.
   */
  deleteRun(runId: string): Promise<{ runIds: string[] }>;
  /** A model version's lineage: run, pipeline spec, dataset version and SHA-256, recipe, rule suite, feature set, review. */
  modelLineage(modelId: number): Promise<ModelLineage>;
  /** Summaries of the stored drift reports (of one model name when given), oldest first. */
  driftReports(modelName?: string): Promise<DriftSummary[]>;
  /** One stored drift report; 'not-found' naming the id when there is none. */
  driftReport(id: number): Promise<DriftRecord & { id: number }>;
  /** Version `currentId` (only the rows its append added unless `appendedOnly` is false) against version `referenceId`, column by column; nothing is stored. */
  compareVersions(referenceId: number, currentId: number, appendedOnly?: boolean): Promise<VersionComparison>;
}

/** How a promotion is made: `override` a failed verdict (the note says why); `expectedFrom` the holder the page showed. */
export interface PromoteOptions {
  override?: boolean;
  expectedFrom?: number | null;
}

export type { FeaturePreview };

export interface ScoreResult {
  /** Rows scored (the file's rows less the rejects). */
  rows: number;
  /** Rows in the file. */
  rowsIn?: number;
  /** The predictions as CSV: the file's columns (after the model's recipe), then predicted_<target> and probability_<class>. */
  csv: Blob;
  fileName: string;
  /** Rows the recipe dropped: `row` (0-based record index in the file), the file's values and the reason naming the step. */
  rejects?: { rows: number; csv: Blob; fileName: string };
  /** Columns of the file the model and its recipe do not read (kept in the download). */
  ignoredColumns?: string[];
  /** What to tell the person: ignored columns, rejected rows, the decision threshold used. */
  notices?: string[];
}

export interface ExportResult {
  /** A zip holding model.json, weights.bin (a network's; none for trees), transforms.json, metrics.json, model-card.md. */
  zip: Blob;
  fileName: string;
}

export interface MlApi {
  backendInfo(preferred?: BackendChoice): Promise<BackendInfo>;
  /**
   * Train and evaluate; the run (params, curves, metrics, weights) is stored. Resolves when done or
   * cancelled. Rejects with 'locked' while a run on the same dataset version and target is going in
   * another tab (or worker).
   */
  train(request: TrainRequest, onProgress?: (p: TrainProgress) => void): Promise<TrainResult>;
  /** Runs with a checkpoint (stopped before their last epoch), newest first. */
  listResumable(): Promise<ResumableRun[]>;
  /**
   * Continues a run from its checkpoint to its last epoch; the result equals an uninterrupted run's with
   * the same seed (on the same backend). Rejects with 'locked' while that pipeline trains elsewhere.
   */
  resume(runId: string, onProgress?: (p: TrainProgress) => void): Promise<TrainResult>;
  /** Deletes a run's checkpoint (the run record, if any, stays). */
  discardCheckpoint(runId: string): Promise<void>;
  /** Stops the run within a second; `train` then resolves with `cancelled: true`. */
  cancel(runId: string): void;
  /**
   * Registers a stored run as the next version of the named model. A binary run may carry a decision threshold in
   * [0, 1] (with the positive class: the spec's review.positiveClass, else the last class), which scoring and the
   * exported bundle use; 'bad-argument' naming the value outside [0, 1] or for a non-binary run.
   */
  saveModel(runId: string, name: string, options?: { threshold?: number }): Promise<{ modelId: number; version: number }>;
  /**
   * Compares a run with the champion, the newest saved model named `modelName`: both scored on the run's own test
   * rows, the report recomputed with `vsChampion`, `champion` and the champion checks of the policy, and stored
   * (naming the champion; audit 'review-champion'). 'not-found' naming the model when there is none; 'bad-argument'
   * when the champion is the same run, was trained for another target (naming both) or lacks one of the run's classes.
   */
  compareChampion(runId: string, modelName: string): Promise<ReviewRecord>;
  /**
   * Explains test row `position` (0-based) of a stored run: its values, actual and predicted, and each input
   * column's share of the output (exact for linear models, Integrated Gradients for MLPs).
   */
  explainTestRow(runId: string, position: number): Promise<RowExplanation>;
  /**
   * Applies a saved model (its recipe, transform bundle and decision threshold) to a new file, 64k rows at a time
   * with progress. A file missing a column the model or its recipe needs is refused ('unknown-column') naming them
   * all, before any other work; `cancelScore(jobId)` stops it between chunks ('cancelled', nothing written).
   */
  score(modelId: number, file: FileInput, onProgress?: (p: ScoreProgress) => void, jobId?: string): Promise<ScoreResult>;
  /** Stops the scoring `jobId` at its next chunk; a finished or unknown job is ignored. */
  cancelScore(jobId: string): void;
  /** The single-prediction form of a saved model: its inputs as fields with training ranges, choices, medians and modes. */
  predictForm(modelId: number): Promise<PredictFormInfo>;
  /**
   * Predicts and explains one case typed in the form (text by column, after the model's recipe): prediction, class
   * probabilities, the decision, attributions and the flags of values outside training; 'bad-argument' naming
   * the column of a value that cannot be read, or the recipe step that drops the case.
   */
  predictRow(modelId: number, values: Record<string, string>): Promise<RowPrediction>;
  /** The self-contained bundle of a saved model. */
  exportModel(modelId: number): Promise<ExportResult>;
  /**
   * Imports a model bundle zip as the next version of the model its card names (with its run, report, lineage and
   * card), in one transaction audited as 'import-model'. A changed, missing or extra file, an unsafe or oversized
   * entry, a newer format or a network that does not load is refused ('bad-bundle') naming it; nothing is written.
   */
  importModelBundle(file: FileInput): Promise<ImportedModel>;
  /**
   * Compares a batch (a stored version, by default only the rows its append added, or a file) with a saved model's
   * reference: drift of its inputs, of the target when the batch has it, and of the model's predictions; stored with a
   * 'drift-check' audit entry. A run older than monitoring gets its reference rebuilt from its dataset version.
   */
  checkDrift(request: DriftRequest, onProgress?: (p: DriftProgress) => void): Promise<DriftRecord & { id: number }>;
  /**
   * Retrains a model name with its champion's (else newest version's) pipeline spec on the data its monitoring policy
   * names, behind the Check gate; the candidate is reviewed against the champion and registered as the challenger (the
   * champion too when the policy's autoPromote allows and the review passed), all audited as 'retrain' with its
   * triggers and lineage. `cancel(request.runId)` stops it ('cancelled', nothing registered). A closed gate or a busy
   * pipeline resolves as 'failed' with the reason (audited).
   */
  retrain(request: RetrainRequest, onProgress?: (p: RetrainProgress) => void): Promise<RetrainOutcome>;
  /** The model names whose policy's schedule is due at `now` (ISO; default the present), each with its trigger (and the runs missed while the studio was closed). */
  dueSchedules(now?: string): Promise<ScheduledRetrain[]>;
}

/** A model version an import stored, and the run it points at. */
export interface ImportedModel {
  modelId: number;
  name: string;
  version: number;
  runId: string;
}
