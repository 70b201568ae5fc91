// Reads and parses a data file for the CLI, with errors that name the file.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../lib/pipeline/errors.ts';
import { parseFile } from '../lib/pipeline/parse.ts';
import { sha256File } from '../lib/pipeline/sha256.ts';
import type { DataTable } from '../lib/pipeline/types.ts';

/** The parsed table of `path` and the SHA-256 of its bytes; a missing or unreadable file is an AppError naming it. */
export async function readTable(path: string): Promise<{ table: DataTable; sha256: string }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code ?? error);
    throw new AppError('not-found', `Cannot read ${path}: ${why}`, { file: path }, { cause: error });
  }
  return { table: parseFile(bytes, basename(path)), sha256: await sha256File(bytes) };
}
