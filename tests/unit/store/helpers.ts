// Test helpers for the store: a clean database per test and small import payloads.
import 'fake-indexeddb/auto';
import { openDb } from '../../../src/lib/store/db.ts';
import type { ImportToSave } from '../../../src/lib/store/datasets.ts';

/** Deletes the shared database (so auto-increment ids restart at 1); the next query reopens it. */
export async function resetDb(): Promise<void> {
  await openDb().delete({ disableAutoOpen: false });
}

/** An import of two chunks of arbitrary bytes; the store does not decode chunks when saving. */
export function sampleImport(overrides: Partial<ImportToSave> = {}): ImportToSave {
  return {
    fileName: 'sales.csv',
    sha256: 'a'.repeat(64),
    chunks: [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])],
    schema: [{ name: 'amount', type: 'number' }],
    profile: { rows: 3, columns: [] },
    rows: 3,
    ...overrides,
  };
}

/** The row count of every table of an empty database. */
export const EMPTY_COUNTS = {
  datasets: 0,
  versions: 0,
  chunks: 0,
  runs: 0,
  models: 0,
  audit: 0,
  featureSets: 0,
  suites: 0,
  recipes: 0,
  checks: 0,
  privacy: 0,
  settings: 0,
  reviews: 0,
  aliases: 0,
  aliasMoves: 0,
  references: 0,
  driftReports: 0,
};

/** Row counts of every table, to assert that a failed write left nothing behind. */
export async function tableCounts(): Promise<Record<string, number>> {
  const db = openDb();
  const counts: Record<string, number> = {};
  for (const table of db.tables) counts[table.name] = await table.count();
  return counts;
}
