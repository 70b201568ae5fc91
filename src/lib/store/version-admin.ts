// Version housekeeping: what depends on a version (runs named by their labels), deleting one (with its chunks), storage per dataset, orphan chunks.
import { AppError } from '../pipeline/errors.ts';
import { runLabel } from '../pipeline/run-label.ts';
import { appendAudit } from './audit.ts';
import { openDb } from './db.ts';
import { storageEstimate } from './datasets.ts';
import type { StorageReport, VersionDependents } from '../contracts/data.ts';

export type { StorageReport, VersionDependents };

async function dependentsOf(versionId: number): Promise<VersionDependents> {
  const db = openDb();
  const [children, runs, models] = await Promise.all([
    db.versions.where('parentVersionId').equals(versionId).primaryKeys(),
    db.runs.where('versionId').equals(versionId).toArray(),
    db.models.where('versionId').equals(versionId).toArray(),
  ]);
  return {
    childVersions: children.sort((a, b) => a - b),
    runs: runs.map((run) => run.id),
    runLabels: runs.map((run) => `${runLabel(run)} → ${run.plan.target}`),
    models: models.map(({ name, version }) => ({ name, version })),
  };
}

/** The versions, runs and models that depend on a version (read in one transaction). */
export async function versionDependents(versionId: number): Promise<VersionDependents> {
  const db = openDb();
  return db.transaction('r', [db.versions, db.runs, db.models], () => dependentsOf(versionId));
}

function listed(items: string[]): string {
  return items.length > 3 ? `${items.slice(0, 3).join(', ')} and ${items.length - 3} more` : items.join(', ');
}

/**
 * Deletes a version, its chunks and checks in one transaction with its 'delete' audit entry; the dataset
 * (with its suites, recipes and privacy decisions) goes too when this was its last version. Refuses ('bad-argument', naming them) while versions, runs or models depend on it.
 */
export async function deleteVersion(versionId: number): Promise<void> {
  const db = openDb();
  const tables = [db.datasets, db.versions, db.chunks, db.runs, db.models, db.audit, db.checks, db.suites, db.recipes, db.privacy];
  await db.transaction('rw', tables, async () => {
    const version = await db.versions.get(versionId);
    if (!version) throw new AppError('not-found', `No dataset version ${versionId} to delete`);
    const dataset = await db.datasets.get(version.datasetId);
    const label = `${dataset?.name ?? `dataset ${version.datasetId}`} v${version.version}`;
    const { childVersions, runs, runLabels, models } = await dependentsOf(versionId);
    if (childVersions.length + runs.length + models.length > 0) {
      const children = await db.versions.bulkGet(childVersions);
      const users = [
        ...children.map((c) => `version v${c?.version ?? '?'} (a batch appended to it)`),
        ...models.map((m) => `model ${m.name} v${m.version}`),
        ...runLabels.map((name) => `training run ${name}`),
      ];
      const where = [models.length ? 'model versions on Models' : '', runs.length ? 'runs under Evaluate › Compare runs' : ''].filter(Boolean).join(', then ');
      throw new AppError('bad-argument', `Cannot delete ${label}: it is used by ${listed(users)}. Delete those first${where ? ` (${where})` : ''}.`);
    }
    await db.chunks.where('versionId').equals(versionId).delete();
    await db.checks.where('versionId').equals(versionId).delete();
    await db.versions.delete(versionId);
    const remaining = await db.versions.where('datasetId').equals(version.datasetId).count();
    if (remaining === 0) {
      // The dataset's suites, recipes and privacy decisions go with it (the audit log keeps what they were).
      await db.datasets.delete(version.datasetId);
      await db.suites.where('datasetId').equals(version.datasetId).delete();
      await db.recipes.where('datasetId').equals(version.datasetId).delete();
      await db.privacy.where('datasetId').equals(version.datasetId).delete();
    }
    await appendAudit('delete', label, {
      datasetId: version.datasetId,
      versionId,
      version: version.version,
      fileName: version.fileName,
      sha256: version.sha256,
      rows: version.rows,
      storedBytes: version.storedBytes,
      datasetDeleted: remaining === 0,
    });
  });
}

/** Stored bytes and version counts per dataset (oldest dataset first), with the browser's estimate. */
export async function storageReport(): Promise<StorageReport> {
  const db = openDb();
  const [datasets, versions] = await db.transaction('r', [db.datasets, db.versions], () =>
    Promise.all([db.datasets.orderBy('id').toArray(), db.versions.toArray()]),
  );
  const report: StorageReport = {
    datasets: datasets.map((d) => {
      const own = versions.filter((v) => v.datasetId === d.id);
      return { datasetId: d.id as number, name: d.name, versions: own.length, bytes: own.reduce((sum, v) => sum + v.storedBytes, 0) };
    }),
  };
  const estimate = await storageEstimate();
  if (estimate) Object.assign(report, estimate);
  return report;
}

/**
 * Deletes chunks whose version row does not exist (an interrupted write of an older build); returns how many.
 * One transaction over versions and chunks, so a commit in another tab is never mistaken for an orphan.
 */
export async function cleanupOrphans(): Promise<number> {
  const db = openDb();
  return db.transaction('rw', [db.versions, db.chunks], async () => {
    const [owners, versionIds] = await Promise.all([
      db.chunks.orderBy('versionId').uniqueKeys(),
      db.versions.toCollection().primaryKeys(),
    ]);
    const known = new Set(versionIds);
    const orphans = (owners as number[]).filter((id) => !known.has(id));
    if (orphans.length === 0) return 0;
    return db.chunks.where('versionId').anyOf(orphans).delete();
  });
}
