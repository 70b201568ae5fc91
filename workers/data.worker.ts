// The data worker: stages, stores, checks and deletes dataset versions in IndexedDB, serves previews, profiles and
// plans, and keeps the page's lists (summaries) up to date.
import { expose } from 'comlink';
import './comlink-errors.ts';
import { AppError } from '../src/lib/pipeline/errors.ts';
import { fitFeatureSet } from '../src/lib/pipeline/features/fit.ts';
import { featurePreview } from '../src/lib/pipeline/features/preview.ts';
import type { FeatureSet } from '../src/lib/pipeline/features/types.ts';
import { parseFeatureSet } from '../src/lib/pipeline/features/validate.ts';
import { planFeatures, rowsWithTarget } from '../src/lib/pipeline/plan.ts';
import { getColumn } from '../src/lib/pipeline/table.ts';
import { inferTask } from '../src/lib/pipeline/task.ts';
import { makeSplitter } from '../src/lib/ml/split-plan.ts';
import { cellValue } from '../src/lib/pipeline/table.ts';
import type { TaskKind } from '../src/lib/pipeline/types.ts';
import { getVersion, loadVersionRows } from '../src/lib/store/datasets.ts';
import { cleanupOrphans, deleteVersion, storageReport, versionDependents } from '../src/lib/store/version-admin.ts';
import { checkApi } from './data/check-api.ts';
import { checkVersion } from './data/check.ts';
import { libraryApi } from './data/library.ts';
import { registryApi } from './data/registry.ts';
import { cancelStage, commit, discard, restage, sourceOf, stage, type Report } from './data/imports.ts';
import { forgetPrepared, preparedWithProfile } from './data/prepared-cache.ts';
import { passGate } from './data/prepare.ts';
import { cachedVersionTable as versionTable, forgetTable, keptTable, rememberTable } from './data/table-cache.ts';
import type { DataApi, FileInput, ImportOptions, ImportProgress, ImportResult, PreviewPage } from './protocol.ts';

/** Share of the rows a run holds out for testing (TEST_FRACTION in src/lib/ml/run.ts, kept TF-free here). */
const TEST_FRACTION = 0.2;

/** Startup housekeeping (orphan chunks); every call waits for it. Set in a worker, instant in Node. */
let ready: Promise<unknown> = Promise.resolve();

/**
 * Checks a version that was just stored. A check that fails (a recipe that cannot run on it) stores nothing
 * and never fails the import; the gate runs it again and shows why.
 */
async function checkCommitted(result: ImportResult): Promise<void> {
  if (result.duplicateOf !== undefined) return;
  await checkVersion(result.versionId, { load: versionTable }).catch(() => undefined);
}

function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new AppError('bad-argument', `The preview ${what} must be a whole number of 0 or more; got ${value}`);
  }
}

/** Progress through the caller's callback, fire and forget: a page that stopped listening must not fail the import. */
function reporter(onProgress: ((p: ImportProgress) => void) | undefined, importId: () => string | undefined): Report {
  let last = { phase: '', fraction: -1, at: 0 };
  return (phase, fraction) => {
    const now = Date.now();
    // Byte progress arrives per chunk: pass on at most every 1% or 100 ms.
    if (phase === last.phase && fraction < 1 && fraction - last.fraction < 0.01 && now - last.at < 100) return;
    last = { phase, fraction, at: now };
    void Promise.resolve(onProgress?.({ phase, fraction, importId: importId() })).catch(() => undefined);
  };
}

function withId(options: ImportOptions | undefined): ImportOptions {
  return { ...options, importId: options?.importId ?? `import-${crypto.randomUUID()}` };
}

/** The DataApi, exported so that Node tests and the CLI can call it without a worker. */
export const dataApi = {
  async importFile(file: FileInput, onProgress?: (p: ImportProgress) => void) {
    await ready;
    const options = withId(undefined);
    const report = reporter(onProgress, () => options.importId);
    const staged = await stage(sourceOf(file), options, report);
    const { result, table } = await commit(staged.importId, report);
    if (table) rememberTable(result.versionId, table);
    report('checking', 0.97);
    await checkCommitted(result);
    report('done', 1);
    return result;
  },

  async stageImport(file: FileInput, options?: ImportOptions, onProgress?: (p: ImportProgress) => void) {
    await ready;
    const chosen = withId(options);
    const report = reporter(onProgress, () => chosen.importId);
    const staged = await stage(sourceOf(file), chosen, report);
    report('done', 1);
    return staged;
  },

  async commitImport(importId: string) {
    await ready;
    const { result, table } = await commit(importId, () => undefined);
    if (table) rememberTable(result.versionId, table);
    await checkCommitted(result);
    return result;
  },

  async discardImport(importId: string) {
    discard(importId);
  },

  cancelImport(importId: string) {
    cancelStage(importId);
  },

  async restage(importId: string, options: ImportOptions) {
    await ready;
    return restage(importId, options);
  },

  async versionDependents(versionId: number) {
    await ready;
    return versionDependents(versionId);
  },

  async deleteVersion(versionId: number) {
    await ready;
    await deleteVersion(versionId);
    forgetTable(versionId);
    forgetPrepared();
  },

  async storageReport() {
    await ready;
    return storageReport();
  },

  async preview(versionId: number, offset: number, limit: number): Promise<PreviewPage> {
    checkCount(offset, 'offset');
    checkCount(limit, 'limit');
    // A version already decoded is sliced; otherwise only the chunks holding the rows are read.
    const whole = keptTable(versionId);
    const { table, offset: start } = whole ? { table: await whole, offset: 0 } : await loadVersionRows(versionId, offset, limit);
    const total = whole ? table.rowCount : (await getVersion(versionId)).rows;
    const end = Math.min(offset + limit, total);
    const rows: PreviewPage['rows'] = [];
    for (let row = offset; row < end; row++) rows.push(table.columns.map((column) => cellValue(column, row - start)));
    return { columns: table.columns.map((column) => column.name), rows, offset, total };
  },

  async profile(versionId: number) {
    return (await getVersion(versionId)).profile;
  },

  /** Plans on the version as training sees it: after the dataset's recipe and privacy decisions. */
  async planFeatures(versionId: number, target: string, task?: Parameters<DataApi['planFeatures']>[2]) {
    const { table, profile } = await preparedWithProfile(versionId);
    return planFeatures(table, profile, target, task);
  },

  /** Previews on the version as training sees it: after the dataset's recipe and privacy decisions. */
  async featurePreview(versionId: number, featureSet: FeatureSet, target: string, task?: TaskKind, seed = 42) {
    const set = parseFeatureSet(featureSet, `Feature set "${featureSet.name ?? ''}"`);
    // Feature building waits for the Check stage's gate, as training does.
    await passGate(versionId, 'Feature building', { load: versionTable });
    const { table } = await preparedWithProfile(versionId);
    const kind = task ?? inferTask(getColumn(table, target));
    const rows = rowsWithTarget(table, target);
    const { train } = makeSplitter(table, target, kind).split(rows, TEST_FRACTION, seed);
    const bundle = fitFeatureSet(table, set, train, { target, task: kind });
    return featurePreview(table, bundle, train, target);
  },

  ...checkApi,
  ...libraryApi,
  ...registryApi,
} satisfies DataApi;

// Only inside a worker: in Node (tests, CLI) the module just exports the API.
if ('WorkerGlobalScope' in globalThis) {
  // A failed cleanup must not block imports: it is retried at the next start.
  ready = cleanupOrphans().catch((error: unknown) => console.warn('Millrace: orphan chunk cleanup failed', error));
  expose(dataApi satisfies DataApi);
}
