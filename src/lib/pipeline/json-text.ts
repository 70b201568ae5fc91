// A JSON document given as text or already parsed, with an error that names what it was meant to be.
import { AppError, type AppErrorCode } from './errors.ts';

/** `json` parsed when it is text, else as it is; invalid text is an AppError such as "The rule suite is not valid JSON: …". */
export function jsonValue(json: unknown, what: string, code: AppErrorCode = 'bad-json'): unknown {
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw new AppError(code, `${what} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
