// Replaces Comlink's 'throw' transfer handler so an AppError's code, message and place survive a worker hop.
import { transferHandlers, type TransferHandler } from 'comlink';
import { fromErrorInfo, toErrorInfo, type ErrorInfo } from '../src/lib/pipeline/errors.ts';

/** Comlink wraps a thrown value as `{ value, [throwMarker]: 0 }`; its own handler knows the marker. */
const builtIn = transferHandlers.get('throw');
if (!builtIn) throw new Error("Comlink has no 'throw' transfer handler to replace");

const appErrorHandler: TransferHandler<{ value: unknown }, ErrorInfo> = {
  canHandle: (value): value is { value: unknown } => builtIn.canHandle(value),
  serialize: ({ value }) => [toErrorInfo(value), []],
  deserialize: (info) => {
    throw fromErrorInfo(info);
  },
};

/**
 * Importing this module (in each worker and each client) installs the handler. Errors that are not
 * AppErrors arrive as plain Errors whose message starts with "Unexpected error:".
 */
transferHandlers.set('throw', appErrorHandler as TransferHandler<unknown, unknown>);
