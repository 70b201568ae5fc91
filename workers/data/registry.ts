// The data worker's side of the model registry and monitoring: promote, roll back, history, delete a version, a version's lineage, stored drift reports, two versions compared.
import { aliasHistory, deleteModelVersion, promote, rollback } from '../../src/lib/store/aliases.ts';
import { modelLineage } from '../../src/lib/store/lineage.ts';
import { getDriftReport, listDriftReports } from '../../src/lib/store/monitor.ts';
import type { PromoteOptions } from '../protocol.ts';
import { compareVersions } from './version-batch.ts';
import { cachedVersionTable } from './table-cache.ts';

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

  async deleteModelVersion(name: string, version: number) {
    await deleteModelVersion(name, version);
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
