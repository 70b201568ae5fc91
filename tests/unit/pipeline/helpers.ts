// Shared test helpers: fixture paths, loading real datasets, and catching AppErrors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import { parseFile } from '../../../src/lib/pipeline/parse.ts';
import type { DataTable } from '../../../src/lib/pipeline/types.ts';

export const VEGA = fileURLToPath(new URL('../../../node_modules/vega-datasets/data/', import.meta.url));
export const BAD = fileURLToPath(new URL('../../fixtures/bad/', import.meta.url));

/** Parses a file of vega-datasets by name. */
export function loadVega(name: string): DataTable {
  return parseFile(readFileSync(VEGA + name), name);
}

/** Runs `fn` and returns the AppError it throws; fails when it throws nothing or something else. */
export function catchAppError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError, but nothing was thrown');
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
