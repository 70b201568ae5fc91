// Recognises a full disk (QuotaExceededError) however IndexedDB and Dexie wrapped it, and says so naming the file.
import { AppError } from '../pipeline/errors.ts';

/** True when the error, or one it wraps (Dexie's `inner`, `cause`, a BulkError's `failures`), is a quota error. */
export function isQuotaError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { name?: unknown; code?: unknown; inner?: unknown; cause?: unknown; failures?: unknown };
  if (e.name === 'QuotaExceededError' || (e.name === undefined && e.code === 22)) return true;
  if (isQuotaError(e.inner, depth + 1) || isQuotaError(e.cause, depth + 1)) return true;
  return Array.isArray(e.failures) && e.failures.some((failure) => isQuotaError(failure, depth + 1));
}

/** Runs a write; a quota error becomes AppError 'quota-exceeded' naming the file, any other error passes through. */
export async function withQuotaCheck<T>(fileName: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isQuotaError(error)) throw error;
    throw new AppError(
      'quota-exceeded',
      `Not enough storage for ${fileName}: the browser's quota is full. Delete old versions on the Data view.`,
      { file: fileName },
      { cause: error },
    );
  }
}
