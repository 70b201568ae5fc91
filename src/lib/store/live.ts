// Live queries for the UI: Dexie observables that re-emit when any tab or worker commits a change.
import { liveQuery, type Observable } from 'dexie';
import type { AuditEntry } from '../pipeline/types.ts';
import { listAudit } from './audit.ts';
import { listDatasets, listVersions } from './datasets.ts';
import { latestCheck } from './checks.ts';
import type { CheckRecord, DatasetRecord, VersionRecord } from './records.ts';

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

/** The audit log, oldest first. */
export function liveAudit(): LiveList<AuditEntry> {
  return liveQuery(() => listAudit());
}

/** The newest stored check of a version (undefined until one is stored); re-emits when a check is stored. */
export function liveLatestCheck(versionId: number): Observable<CheckRecord | undefined> {
  return liveQuery(() => latestCheck(versionId));
}

/** Any read of the store as a live query: re-run (and re-emitted) after every commit to the tables it read. */
export function live<T>(query: () => Promise<T>): Observable<T> {
  return liveQuery(query);
}
