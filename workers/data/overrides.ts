// Type overrides that belong to a dataset: a batch appended to it is read with them, plus the user's own choices.
import { AppError } from '../../src/lib/pipeline/errors.ts';
import type { ColumnType } from '../../src/lib/pipeline/types.ts';
import type { VersionRecord } from '../../src/lib/store/records.ts';
import type { ImportOptions } from '../protocol.ts';
import { readSource, type ImportSource, type ReadControl, type ReadResult } from '../../src/lib/pipeline/read-source.ts';
import { hashOnOtherCore } from './hash-elsewhere.ts';

/** A read, and the column types the new version records for later batches. */
export interface OverriddenRead extends ReadResult {
  typeOverrides: Record<string, ColumnType>;
}

function pick<T>(record: Record<string, T>, keep: (key: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => keep(key)));
}

async function readWith(
  source: ImportSource,
  options: ImportOptions,
  inherited: Record<string, ColumnType>,
  inheritedDates: Record<string, string>,
  control: ReadControl,
  knownSha256: string | undefined,
): Promise<ReadResult> {
  const types = { ...inherited, ...options.types };
  const dateFormats = { ...inheritedDates, ...options.dateFormats };
  const read = await readSource(
    source,
    {
      encoding: options.encoding,
      delimiter: options.delimiter,
      decimal: options.decimal,
      types: Object.keys(types).length > 0 ? types : undefined,
      dateFormats: Object.keys(dateFormats).length > 0 ? dateFormats : undefined,
    },
    control,
    // The file is hashed on the other core while this thread parses it in one pass as it streams in (once: a file
    // parsed again keeps its digest).
    knownSha256 === undefined ? { hashElsewhere: hashOnOtherCore() } : { knownSha256 },
  );
  const kept = Object.entries(inherited).map(([name, type]) => `${name} as ${type}`);
  if (kept.length > 0) read.result.notes = [...read.result.notes, `Column types kept from the dataset: ${kept.join(', ')}`];
  return read;
}

/**
 * Reads a file with the user's choices and, when it is appended after `latest`, with the dataset's type
 * overrides for the columns the batch has (a column the batch lacks is found by one plain read first).
 * `knownSha256`: the file's digest from an earlier read of the same bytes (it is then not hashed again).
 */
export async function readWithOverrides(
  source: ImportSource,
  options: ImportOptions,
  latest: VersionRecord | undefined,
  control: ReadControl,
  knownSha256?: string,
): Promise<OverriddenRead> {
  const own = options.types ?? {};
  const datasetTypes = latest?.typeOverrides ?? {};
  const typeOverrides = { ...datasetTypes, ...own };
  const inherited = pick(datasetTypes, (name) => !(name in own));
  const datesOf = (types: Record<string, ColumnType>) =>
    pick(latest?.dateFormats ?? {}, (name) => types[name] === 'date' && !(name in (options.dateFormats ?? {})));
  try {
    return { ...(await readWith(source, options, inherited, datesOf(inherited), control, knownSha256)), typeOverrides };
  } catch (error) {
    const column = error instanceof AppError && error.code === 'unknown-column' ? error.place.column : undefined;
    if (column === undefined || !(column in inherited)) throw error;
  }
  const plain = await readWith(source, options, {}, {}, control, knownSha256);
  const present = new Set(plain.result.table.columns.map((c) => c.name));
  const applicable = pick(inherited, (name) => present.has(name));
  if (Object.keys(applicable).length === 0) return { ...plain, typeOverrides };
  return { ...(await readWith(source, options, applicable, datesOf(applicable), control, plain.sha256)), typeOverrides };
}
