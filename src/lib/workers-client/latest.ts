// Stale replies are dropped here, in one place: a state class sends its requests through a Channel, and an
// answer that a newer request (or a change of subject) superseded rejects with AppError 'stale' instead of
// arriving. Callers ignore that error (`isStale`); they keep no request counters of their own.
import { AppError } from '../pipeline/errors.ts';

/** True for the rejection of a superseded call: nothing to show, a newer answer is on its way (or not wanted). */
export function isStale(error: unknown): boolean {
  return error instanceof AppError && error.code === 'stale';
}

/**
 * A line of requests about one thing (the gate of the watched version, the rows of the shown version, a
 * draft's work). `latest` starts a call that supersedes every earlier one; `join` starts one beside the others
 * of the current subject (the blocks of rows of one version); `supersede` makes every call in flight stale
 * (the subject changed, or its owner went away).
 */
export class Channel {
  #generation = 0;

  constructor(readonly name: string) {}

  /** Runs `call`; it resolves only if no later `latest` or `supersede` came first, else rejects with 'stale'. */
  latest<T>(call: () => Promise<T>): Promise<T> {
    this.#generation++;
    return this.join(call);
  }

  /** Runs `call` beside the calls of the current generation; stale once `latest` or `supersede` is called. */
  join<T>(call: () => Promise<T>): Promise<T> {
    const generation = this.#generation;
    const current = () => {
      if (generation !== this.#generation) throw new AppError('stale', `A newer request on "${this.name}" replaced this one`);
    };
    // A call that throws before returning its promise is settled like one that rejects.
    return new Promise<T>((resolve) => resolve(call())).then(
      (value) => {
        current();
        return value;
      },
      (error: unknown) => {
        current();
        throw error;
      },
    );
  }

  /** Makes every call in flight stale. */
  supersede(): void {
    this.#generation++;
  }
}
