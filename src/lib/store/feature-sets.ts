// Feature-set repository: each save of a name stores the next version as small JSON; versions never change.
import { AppError } from '../pipeline/errors.ts';
import { parseFeatureSet } from '../pipeline/features/validate.ts';
import type { FeatureSet } from '../pipeline/features/types.ts';
import { keyRangeOf, openDb } from './db.ts';
import type { FeatureSetRecord } from './records.ts';

/**
 * Checks the set and stores it as the next version of `name` (1 for a new name). The version in `set`
 * is ignored; the stored copy carries the one assigned.
 */
export async function saveFeatureSet(name: string, set: FeatureSet): Promise<FeatureSetRecord> {
  const trimmed = name.trim();
  if (!trimmed) throw new AppError('bad-argument', 'A feature set needs a name');
  const db = openDb();
  return db.transaction('rw', db.featureSets, async () => {
    const last = await db.featureSets.where('[name+version]').between(...keyRangeOf(trimmed)).last();
    const version = (last?.version ?? 0) + 1;
    const checked = parseFeatureSet({ ...set, name: trimmed, version }, `Feature set "${trimmed}"`);
    const record: FeatureSetRecord = { name: trimmed, version, set: checked, createdAt: new Date().toISOString() };
    record.id = await db.featureSets.add(record);
    return record;
  });
}

/** All saved feature-set versions, by name then version. */
export async function listFeatureSets(): Promise<FeatureSetRecord[]> {
  return openDb().featureSets.orderBy('[name+version]').toArray();
}
