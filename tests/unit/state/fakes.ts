// Helpers for the state tests: promises settled by the test, and worker APIs made of mocks that the real worker
// clients (src/lib/workers-client) wrap, so stale-reply dropping and run-id filtering run as in the studio.
import { vi } from 'vitest';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** A promise the test settles when it wants the worker to answer. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** A worker API under test: methods are set per test (vi.fn), missing ones throw when called. */
export type FakeApi = Record<string, ReturnType<typeof vi.fn>>;

/** Removes every method set by the previous test. */
export function resetApi(api: FakeApi): void {
  for (const key of Object.keys(api)) delete api[key];
}
