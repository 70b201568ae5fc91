// Live queries for the UI: Dexie observables that re-emit when any tab or worker commits a change.
import { liveQuery, type Observable } from 'dexie';
import type { AuditEntry } from '../pipeline/types.ts';
import { listAudit } from './audit.ts';
import { listDatasets, listVersions } from './datasets.ts';
import { listModels } from './models.ts';
import { listFeatureSets } from './feature-sets.ts';
import { latestCheck, listChecks } from './checks.ts';
import { listPrivacyDecisions } from './privacy.ts';
import { latestRecipeRecord, latestSuiteRecord } from './quality.ts';
import type {
  CheckRecord,
  DatasetRecord,
  FeatureSetRecord,
  ModelRecord,
  PrivacyRecord,
  RecipeRecord,
  RunRecord,
  SuiteRecord,
  VersionRecord,
} from './records.ts';
import { listRuns } from './runs.ts';

/** Subscribe with `.subscribe({ next, error })`; call `unsubscribe()` on the result when done. */
export type LiveList<T> = Observable<T[]>;

/** All datasets, oldest first. */
export function liveDatasets(): LiveList<DatasetRecord> {
  return liveQuery(() => listDatasets());
}

/** Versions of one dataset, or of all datasets. */
export function liveVersions(datasetId?: number): LiveList<VersionRecord> {
  return liveQuery(() => listVersions(datasetId));
}

/** All model versions, by name then version. */
export function liveModels(): LiveList<ModelRecord> {
  return liveQuery(() => listModels());
}

/** All runs, newest first. */
export function liveRuns(): LiveList<RunRecord> {
  return liveQuery(() => listRuns());
}

/** The audit log, oldest first. */
export function liveAudit(): LiveList<AuditEntry> {
  return liveQuery(() => listAudit());
}

/** Saved feature-set versions, by name then version. */
export function liveFeatureSets(): LiveList<FeatureSetRecord> {
  return liveQuery(() => listFeatureSets());
}

/** The newest stored check of a version (undefined until one is stored); re-emits when a check is stored. */
export function liveLatestCheck(versionId: number): Observable<CheckRecord | undefined> {
  return liveQuery(() => latestCheck(versionId));
}

/** Every stored check of a dataset's versions, oldest first. */
export function liveChecks(datasetId: number): LiveList<CheckRecord> {
  return liveQuery(() => listChecks(datasetId));
}

/** The dataset's newest saved rule suite (undefined when none was saved). */
export function liveSuite(datasetId: number): Observable<SuiteRecord | undefined> {
  return liveQuery(() => latestSuiteRecord(datasetId));
}

/** The dataset's newest saved recipe (undefined when none was saved). */
export function liveRecipe(datasetId: number): Observable<RecipeRecord | undefined> {
  return liveQuery(() => latestRecipeRecord(datasetId));
}

/** The privacy decisions recorded for a dataset's columns. */
export function livePrivacyDecisions(datasetId: number): LiveList<PrivacyRecord> {
  return liveQuery(() => listPrivacyDecisions(datasetId));
}

/** Any read of the store as a live query: re-run (and re-emitted) after every commit to the tables it read. */
export function live<T>(query: () => Promise<T>): Observable<T> {
  return liveQuery(query);
}
