// Reads files for the CLI: data through the studio's own reader (every format it imports, the same encoding and type handling), and JSON inputs; errors name the file.
import { openAsBlob } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../lib/pipeline/errors.ts';
import type { ParseOptions } from '../lib/pipeline/parse.ts';
import { readSource } from '../lib/pipeline/read-source.ts';
import type { ColumnType, DataTable } from '../lib/pipeline/types.ts';

/** How a data file is read: the column types and date formats a spec names (as the studio's dataset keeps them). */
export interface ReadOptions {
  types?: Record<string, ColumnType>;
  dateFormats?: Record<string, string>;
}

function cannotRead(path: string, error: unknown, flag = ''): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code ?? error);
  return new AppError('not-found', `Cannot read ${flag ? `${flag} ` : ''}${path}: ${why}`, { file: path }, { cause: error });
}

/**
 * The parsed table of `path` and the SHA-256 of its bytes, read as the studio's import reads a file (CSV and
 * TSV streamed, JSON, NDJSON, Parquet and Arrow whole); a missing or unreadable file is an AppError naming it.
 */
export async function readTable(path: string, options: ReadOptions = {}): Promise<{ table: DataTable; sha256: string }> {
  let blob: Blob;
  try {
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    blob = await openAsBlob(path);
  } catch (error) {
    throw cannotRead(path, error);
  }
  const parse: ParseOptions = {
    ...(options.types && Object.keys(options.types).length ? { types: options.types } : {}),
    ...(options.dateFormats && Object.keys(options.dateFormats).length ? { dateFormats: options.dateFormats } : {}),
  };
  const { result, sha256 } = await readSource({ name: basename(path), blob }, parse, { cancelled: () => false, onBytes: () => undefined });
  return { table: result.table, sha256 };
}

/** Reads and parses a JSON file; errors name the flag and the file. */
export async function readJson(flag: string, path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw cannotRead(path, error, flag);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('bad-json', `${flag} ${path} is not valid JSON: ${(error as Error).message}`, { file: path }, { cause: error });
  }
}
