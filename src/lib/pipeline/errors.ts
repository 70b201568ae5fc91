// Typed errors whose messages name the bad input, and their plain-text form for the user.

export type AppErrorCode =
  | 'empty-file'
  | 'header-only'
  | 'ragged-row'
  | 'unterminated-quote'
  | 'binary-file'
  | 'bad-json'
  | 'corrupt-file'
  | 'type-conversion'
  | 'not-records'
  | 'unknown-column'
  | 'single-value-target'
  | 'no-features'
  | 'too-few-rows'
  | 'unsupported-format'
  | 'not-found'
  | 'cancelled'
  | 'bad-bundle'
  | 'bad-argument'
  | 'quota-exceeded'
  | 'locked'
  | 'gate-blocked'
  | 'bad-expression'
  /** A reply to a request that a newer one replaced (see src/lib/workers-client/latest.ts); never shown. */
  | 'stale';

/** Where the problem is: the file, the 1-based row (line for text files), the column. */
export interface ErrorPlace {
  file?: string;
  row?: number;
  column?: string;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly place: ErrorPlace;

  constructor(code: AppErrorCode, message: string, place: ErrorPlace = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.place = place;
  }
}

/** Serializable form of an error, safe to pass across a worker boundary. */
export interface ErrorInfo {
  code: AppErrorCode | 'internal';
  message: string;
  place: ErrorPlace;
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof AppError) return { code: error.code, message: error.message, place: error.place };
  if (error && typeof error === 'object' && 'code' in error && 'message' in error && 'place' in error) {
    return error as ErrorInfo;
  }
  const message = error instanceof Error ? error.message : String(error);
  // An unexpected error that already crossed a worker boundary keeps its one prefix.
  return { code: 'internal', message: message.startsWith('Unexpected error: ') ? message : `Unexpected error: ${message}`, place: {} };
}

/** Rebuilds an AppError on the receiving side of a worker boundary (Comlink loses the class). */
export function fromErrorInfo(info: ErrorInfo): AppError | Error {
  if (info.code === 'internal') return new Error(info.message);
  return new AppError(info.code, info.message, info.place);
}

/** The message shown to a person: the error's text, which already names file, row and column. */
export function userMessage(error: unknown): string {
  return toErrorInfo(error).message;
}
