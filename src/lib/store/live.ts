// Live queries for the UI: Dexie observables that re-emit when any tab or worker commits a change.
import { liveQuery, type Observable } from 'dexie';
import type { AuditEntry } from '../pipeline/types.ts';
import { listAudit } from './audit.ts';
import { listDatasets, listVersions } from './datasets.ts';
import { listModels } from './models.ts';
import { listFeatureSets } from './feature-sets.ts';
import type { DatasetRecord, FeatureSetRecord, ModelRecord, RunRecord, VersionRecord } from './records.ts';
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
