// The data worker's side of the model registry and monitoring: promote, roll back, history, delete a version or a run, a version's lineage, stored drift reports, two versions compared.
import { aliasHistory, promote, rollback } from '../../src/lib/store/aliases.ts';
import { deleteCheckpoint } from '../../src/lib/store/checkpoints.ts';
import { deleteModelVersion } from '../../src/lib/store/models.ts';
import { deleteRun } from '../../src/lib/store/runs.ts';
import { modelLineage } from '../../src/lib/store/lineage.ts';
import { getDriftReport, listDriftReports } from '../../src/lib/store/monitor.ts';
import type { PromoteOptions } from '../protocol.ts';
import { compareVersions } from './version-batch.ts';
import { cachedVersionTable } from './table-cache.ts';

/** The checkpoints of deleted runs (a cancelled run's, kept to resume it) go after them: they are in a database of their own. */
async function forgetCheckpoints(runIds: readonly string[]): Promise<void> {
  for (const id of runIds) await deleteCheckpoint(id);
}

export const registryApi = {
  async promote(name: string, version: number, alias: string, note: string, options: PromoteOptions = {}) {
    return promote(name, version, alias, note, { override: options.override === true, expectedFrom: options.expectedFrom });
  },

  async rollback(name: string, alias: string, note: string, expectedFrom?: number | null) {
    return rollback(name, alias, note, { expectedFrom });
  },

  async aliasHistory(name: string) {
    return aliasHistory(name);
  },

  async deleteModelVersion(name: string, version: number, options: { withRun?: boolean } = {}) {
    const deleted = await deleteModelVersion(name, version, options);
    await forgetCheckpoints(deleted.runIds);
    return deleted;
  },

  async deleteRun(runId: string) {
    const runIds = await deleteRun(runId);
    await forgetCheckpoints(runIds);
    return { runIds };
  },

  async modelLineage(modelId: number) {
    return modelLineage(modelId);
  },

  async driftReports(modelName?: string) {
    return listDriftReports(modelName);
  },

  async driftReport(id: number) {
    return getDriftReport(id);
  },

  async compareVersions(referenceId: number, currentId: number, appendedOnly?: boolean) {
    return compareVersions(referenceId, currentId, appendedOnly, cachedVersionTable);
  },
};
