// One training per pipeline (dataset version + target) across tabs: a Web Lock held for the whole run.
import { AppError } from '../src/lib/pipeline/errors.ts';
import { getDataset, getVersion } from '../src/lib/store/datasets.ts';

/** The Web Lock a run on this dataset version and target holds. */
export function trainLockName(versionId: number, target: string): string {
  return `millrace-train-${versionId}-${target}`;
}

/** Held locks where the Web Locks API is missing (Node): one process, so a set is enough. */
const localLocks = new Set<string>();

async function lockedError(versionId: number, target: string): Promise<AppError> {
  let what = `dataset version ${versionId}`;
  try {
    const version = await getVersion(versionId);
    what = `${(await getDataset(version.datasetId)).name} v${version.version}`;
  } catch {
    // The generic name will do.
  }
  return new AppError('locked', `A run on ${what} → ${target} is already going in another tab`, { column: target });
}

/**
 * Runs `work` while holding the pipeline's lock; rejects with an AppError 'locked' at once (without
 * waiting) when another tab or worker holds it. The lock is released when `work` settles.
 */
export async function withTrainLock<T>(versionId: number, target: string, work: () => Promise<T>): Promise<T> {
  const name = trainLockName(versionId, target);
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) {
    if (localLocks.has(name)) throw await lockedError(versionId, target);
    localLocks.add(name);
    try {
      return await work();
    } finally {
      localLocks.delete(name);
    }
  }
  return locks.request(name, { ifAvailable: true }, async (lock) => {
    if (!lock) throw await lockedError(versionId, target);
    return work();
  });
}
