// Owns the data worker: starts it, forwards DataApi calls (progress through a Comlink proxy), ends it.
import { proxy, transfer, wrap, type Remote } from 'comlink';
import '../../../workers/comlink-errors.ts';
import type {
  AliasMoveSummary,
  AuditPage,
  AuditVerifyOutcome,
  AuditVerifyProgress,
  CheckReport,
  DataApi,
  FeatureSetRecord,
  FeaturePreview,
  FileInput,
  GateStatus,
  ImportOptions,
  LiveTopic,
  LiveTopics,
  LiveUpdate,
  ModelLineage,
  PromoteOptions,
  ImportProgress,
  ImportResult,
  PreviewPage,
  PrivacyDecision,
  Recipe,
  RecipePreview,
  RecipeStep,
  Rule,
  RuleSuite,
  RunDetail,
  ReviewRecord,
  StagedImport,
  StorageReport,
  VersionDependents,
} from '../../../workers/protocol.ts';
import type { DriftRecord, DriftSummary, VersionComparison } from '../contracts/monitor.ts';
import type { DatasetProfile, FeaturePlan, TaskKind } from '../pipeline/types.ts';
import type { FeatureSet } from '../pipeline/features/types.ts';
import { fromErrorInfo } from '../pipeline/errors.ts';

/** What `watch` pushes to: each new value, and why a read failed. */
export interface LiveObserver<T> {
  next(value: T): void;
  error?(error: Error): void;
}

/** A watch in progress; `unsubscribe()` stops it (later pushes are dropped here). */
export interface LiveSubscription {
  unsubscribe(): void;
}

/** A handle on one data worker. Errors thrown in the worker arrive as AppErrors with `code` and `place`. */
export class DataClient {
  #worker: Worker | undefined;
  #api: Remote<DataApi>;

  /** Starts the data worker; tests pass an API of their own instead. */
  constructor(api?: Remote<DataApi>) {
    if (api) {
      this.#api = api;
      return;
    }
    this.#worker = new Worker(new URL('../../../workers/data.worker.ts', import.meta.url), {
      type: 'module',
      name: 'millrace-data',
    });
    this.#api = wrap<DataApi>(this.#worker);
  }

  /** Parses, profiles and stores a file. An ArrayBuffer is transferred (detached here), a Blob is shared. */
  importFile(file: FileInput, onProgress?: (p: ImportProgress) => void): Promise<ImportResult> {
    return this.#api.importFile(sent(file), onProgress ? proxy(onProgress) : undefined);
  }

  /**
   * Parses a file and keeps it in the worker until `commitImport` or `discardImport`. Pass `options.importId`
   * to be able to `cancelImport` before this resolves. An ArrayBuffer is transferred, a Blob is shared.
   */
  stageImport(file: FileInput, options?: ImportOptions, onProgress?: (p: ImportProgress) => void): Promise<StagedImport> {
    return this.#api.stageImport(sent(file), options, onProgress ? proxy(onProgress) : undefined);
  }

  /** Stores a staged import as a new version (the user's accept). */
  commitImport(importId: string): Promise<ImportResult> {
    return this.#api.commitImport(importId);
  }

  /** Drops a staged import; nothing is stored (the user's reject). */
  discardImport(importId: string): Promise<void> {
    return this.#api.discardImport(importId);
  }

  /** Stops a stage in progress; its `stageImport` rejects with code 'cancelled'. Fire and forget. */
  cancelImport(importId: string): void {
    void Promise.resolve(this.#api.cancelImport(importId)).catch(() => undefined);
  }

  /** Parses a staged file again with other choices (encoding, delimiter, types, date formats). */
  restage(importId: string, options: ImportOptions): Promise<StagedImport> {
    return this.#api.restage(importId, options);
  }

  /** What depends on a version: child version ids, run ids, models. */
  versionDependents(versionId: number): Promise<VersionDependents> {
    return this.#api.versionDependents(versionId);
  }

  /** Deletes a version and its chunks; rejects ('bad-argument') while anything depends on it. */
  deleteVersion(versionId: number): Promise<void> {
    return this.#api.deleteVersion(versionId);
  }

  /** Stored bytes per dataset, with the browser's usage and quota. */
  storageReport(): Promise<StorageReport> {
    return this.#api.storageReport();
  }

  /** Rows [offset, offset+limit) of a stored version as display cells. */
  preview(versionId: number, offset: number, limit: number): Promise<PreviewPage> {
    return this.#api.preview(versionId, offset, limit);
  }

  /** The stored profile of a version. */
  profile(versionId: number): Promise<DatasetProfile> {
    return this.#api.profile(versionId);
  }

  /** The default feature plan for a target column. */
  planFeatures(versionId: number, target: string, task?: TaskKind): Promise<FeaturePlan> {
    return this.#api.planFeatures(versionId, target, task);
  }

  /** A feature set fitted on the seeded training split: width, per-feature ranges, correlations with the target. */
  featurePreview(versionId: number, featureSet: FeatureSet, target: string, task?: TaskKind, seed?: number): Promise<FeaturePreview> {
    return this.#api.featurePreview(versionId, featureSet, target, task, seed);
  }

  /** The dataset's latest saved rule suite, or undefined. */
  getSuite(datasetId: number): Promise<RuleSuite | undefined> {
    return this.#api.getSuite(datasetId);
  }

  /** Rules suggested from a version's profile (not stored). */
  suggestSuite(versionId: number): Promise<RuleSuite> {
    return this.#api.suggestSuite(versionId);
  }

  /** Stores the rules as the dataset's next suite version; rejects ('bad-argument') naming the bad rule. */
  saveSuite(datasetId: number, rules: Rule[], reference?: number): Promise<RuleSuite> {
    return this.#api.saveSuite(datasetId, rules, reference);
  }

  /** The dataset's latest saved cleaning recipe, or undefined. */
  getRecipe(datasetId: number): Promise<Recipe | undefined> {
    return this.#api.getRecipe(datasetId);
  }

  /** Runs recipe steps on a version without storing anything. */
  previewRecipe(versionId: number, steps: RecipeStep[]): Promise<RecipePreview> {
    return this.#api.previewRecipe(versionId, steps);
  }

  /** Stores the steps as the dataset's next recipe version, then re-checks its latest version. */
  saveRecipe(datasetId: number, steps: RecipeStep[], fittedOn?: number): Promise<Recipe> {
    return this.#api.saveRecipe(datasetId, steps, fittedOn);
  }

  /** Checks a version now (recipe, suite, reference rules, privacy scan) and stores the report. */
  checkVersion(versionId: number): Promise<CheckReport> {
    return this.#api.checkVersion(versionId);
  }

  /** The latest stored check of a version, if any. */
  latestCheck(versionId: number): Promise<CheckReport | undefined> {
    return this.#api.latestCheck(versionId);
  }

  /** Records a decision on a column flagged as personal data. */
  decidePrivacy(datasetId: number, decision: PrivacyDecision): Promise<void> {
    return this.#api.decidePrivacy(datasetId, decision);
  }

  /** The privacy decisions recorded for a dataset. */
  privacyDecisions(datasetId: number): Promise<PrivacyDecision[]> {
    return this.#api.privacyDecisions(datasetId);
  }

  /** Whether a version may be trained on, and why not. */
  gate(versionId: number): Promise<GateStatus> {
    return this.#api.gate(versionId);
  }

  /**
   * Follows a list the views show (summaries, never whole tables): `observer.next` gets its value now and after
   * every change stored by any tab or worker, until `unsubscribe()`; nothing arrives after that.
   */
  watch<K extends LiveTopic>(topic: K, observer: LiveObserver<LiveTopics[K]>): LiveSubscription {
    let closed = false;
    let watchId: number | undefined;
    const stop = (id: number) => void Promise.resolve(this.#api.unwatch(id)).catch(() => undefined);
    const onUpdate = (update: LiveUpdate<LiveTopics[K]>) => {
      if (closed) return;
      if ('value' in update) observer.next(update.value);
      else observer.error?.(fromErrorInfo(update.error));
    };
    const watch = this.#api.watch as unknown as (topic: K, onUpdate: (update: LiveUpdate<LiveTopics[K]>) => void) => Promise<number>;
    watch(topic, proxy(onUpdate)).then(
      (id) => {
        watchId = id;
        if (closed) stop(id);
      },
      (error: Error) => {
        if (!closed) observer.error?.(error);
      },
    );
    return {
      unsubscribe: () => {
        if (closed) return;
        closed = true;
        if (watchId !== undefined) stop(watchId);
      },
    };
  }

  /** One stored run for a view (curves, evaluation, bundle), without its model files. */
  getRun(runId: string): Promise<RunDetail> {
    return this.#api.getRun(runId);
  }

  /** A run's evaluation report. */
  getReview(runId: string): Promise<ReviewRecord> {
    return this.#api.getReview(runId);
  }

  /** Approves or rejects a run's report with a note (required); resolves to the record with its decision. */
  decideReview(runId: string, decision: 'approve' | 'reject', note: string): Promise<ReviewRecord> {
    return this.#api.decideReview(runId, decision, note);
  }

  /** Up to `limit` audit entries older than entry `before` (default: from the newest), newest first. */
  auditPage(limit: number, before?: number): Promise<AuditPage> {
    return this.#api.auditPage(limit, before);
  }

  /** Re-hashes the audit chain in the worker, reporting entries checked as it goes. */
  verifyAudit(onProgress?: (p: AuditVerifyProgress) => void): Promise<AuditVerifyOutcome> {
    return this.#api.verifyAudit(onProgress ? proxy(onProgress) : undefined);
  }

  /** The audit log as a JSON-lines file, oldest entry first. */
  exportAudit(): Promise<Blob> {
    return this.#api.exportAudit();
  }

  /** Stores a feature set as the next version of `name`; rejects ('bad-argument') naming the bad part. */
  saveFeatureSet(name: string, set: FeatureSet): Promise<FeatureSetRecord> {
    return this.#api.saveFeatureSet(name, set);
  }

  /** Points an alias of a model name at a version (one transaction with its history row and audit entry). */
  promote(name: string, version: number, alias: string, note: string, options?: PromoteOptions): Promise<AliasMoveSummary> {
    return this.#api.promote(name, version, alias, note, options);
  }

  /** Moves an alias back to the version it held before, with a note. */
  rollback(name: string, alias: string, note: string, expectedFrom?: number | null): Promise<AliasMoveSummary> {
    return this.#api.rollback(name, alias, note, expectedFrom);
  }

  /** Every alias move of a model name, oldest first. */
  aliasHistory(name: string): Promise<AliasMoveSummary[]> {
    return this.#api.aliasHistory(name);
  }

  /** Deletes a model version (and its run with `withRun`); rejects naming the alias while one points at it. */
  deleteModelVersion(name: string, version: number, options: { withRun?: boolean } = {}): Promise<{ driftReports: number; runIds: string[] }> {
    return this.#api.deleteModelVersion(name, version, options);
  }

  /** Deletes a run with its trials, report, reference and checkpoint; rejects naming the models saved from it. */
  deleteRun(runId: string): Promise<{ runIds: string[] }> {
    return this.#api.deleteRun(runId);
  }

  /** Where a model version came from: run, spec, data, Check stage, features, review. */
  modelLineage(modelId: number): Promise<ModelLineage> {
    return this.#api.modelLineage(modelId);
  }

  /** Summaries of the stored drift reports (of one model name when given), oldest first. */
  driftReports(modelName?: string): Promise<DriftSummary[]> {
    return this.#api.driftReports(modelName);
  }

  /** One stored drift report with every column's figures. */
  driftReport(id: number): Promise<DriftRecord & { id: number }> {
    return this.#api.driftReport(id);
  }

  /** Two stored versions compared with each other (the current one's appended rows by default); nothing is stored. */
  compareVersions(referenceId: number, currentId: number, appendedOnly?: boolean): Promise<VersionComparison> {
    return this.#api.compareVersions(referenceId, currentId, appendedOnly);
  }

  /** Terminates the worker; calls still pending never settle. */
  destroy(): void {
    this.#worker?.terminate();
    if (shared === this) shared = undefined;
  }
}

let shared: DataClient | undefined;

/** The file as sent to the worker: an ArrayBuffer is transferred (detached here), a Blob is shared. */
function sent(file: FileInput): FileInput {
  return file.data instanceof ArrayBuffer ? transfer(file, [file.data]) : file;
}

/** The app's data worker, started on first use. */
export function dataClient(): DataClient {
  shared ??= new DataClient();
  return shared;
}
