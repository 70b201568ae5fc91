// Checks a dataset version: its recipe, then the saved (or suggested, warn-only) suite against its parent, and a privacy scan; stored and audited.
import { runCheckStage } from '../../src/lib/pipeline/check-stage.ts';
import type { CheckReport } from '../../src/lib/pipeline/quality/check.ts';
import { saveCheck } from '../../src/lib/store/checks.ts';
import { latestVersion, listVersions, loadVersionTable } from '../../src/lib/store/datasets.ts';
import type { VersionRecord } from '../../src/lib/store/records.ts';
import { specPartsOf } from './spec-parts.ts';
import { saltFor } from './steps.ts';
import type { TableLoader } from './table-cache.ts';

export interface CheckOptions {
  /** How version tables are read (the data worker passes its cache). */
  load?: TableLoader;
}

/**
 * The version batch rules compare with — the suite's reference version, else the parent — when it is another
 * version than the one checked; undefined when there is none.
 */
export async function referenceVersionId(version: VersionRecord, reference: number | undefined): Promise<number | undefined> {
  if (reference === undefined) return version.parentVersionId;
  if (reference === version.version) return undefined;
  const found = await listVersions(version.datasetId).then((all) => all.find((v) => v.version === reference));
  return found?.id;
}

/**
 * Checks a version now: the Check stage (see `runCheckStage`) with the dataset's latest recipe (with the
 * workspace salt) and suite — or, when none was saved, rules suggested from the version's profile, all
 * warn-only — and the reference version (the suite's, else the parent) as batch rules' reference; an appended
 * version's batch rules compare only the rows its append added. The report
 * is stored with its 'check.run' audit entry. Rejects (storing nothing) when the recipe cannot run.
 */
export async function checkVersion(versionId: number, { load = loadVersionTable }: CheckOptions = {}): Promise<CheckReport> {
  const { version, check: spec, suite } = await specPartsOf(versionId);
  const referenceId = await referenceVersionId(version, suite?.reference);
  const [raw, reference] = await Promise.all([load(versionId), referenceId === undefined ? undefined : load(referenceId)]);
  const { check, reference: usedReference } = await runCheckStage(spec, {
    table: raw,
    reference,
    // An appended version's batch rules compare the rows its append added.
    batchRows: version.parentVersionId !== undefined ? version.rowsAdded : undefined,
    profile: version.profile,
    salt: await saltFor(spec.recipe?.steps ?? []),
  });
  const stored: CheckReport = {
    ...check,
    versionId,
    datasetId: version.datasetId,
    ...(referenceId !== undefined && usedReference ? { referenceVersionId: referenceId } : {}),
  };
  await saveCheck(stored);
  return stored;
}

/** Checks a dataset's latest version; a check that cannot run stores nothing and resolves undefined. */
export async function recheckLatest(datasetId: number, options: CheckOptions = {}): Promise<CheckReport | undefined> {
  try {
    const latest = await latestVersion(datasetId);
    return await checkVersion(latest.id as number, options);
  } catch {
    return undefined;
  }
}
