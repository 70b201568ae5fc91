// The data side of scoring a file (input matrices and CSV writing, pipeline/score-output.ts) in this thread or in a helper Worker on the other core, behind one interface.
import { AppError } from '../pipeline/errors.ts';
import { serveHelper, type HelperReply, type HelperRequest, type HelperState, type HelperTimings, type RejectsInput } from '../pipeline/score-output.ts';
import type { ReadElsewhere } from '../pipeline/score-read.ts';
import { yieldTask } from '../pipeline/yield-task.ts';
import type { DataTable, TransformBundle } from '../pipeline/types.ts';

/**
 * Holds the cleaned table once `start` has it: makes the input matrix of a batch, writes batches of predictions
 * in the order they are sent, and hands over the CSV at `finish`. Calls are answered in the order they are made.
 */
export interface ScoreHelper {
  /**
   * Parses a part of the file (header + records, in the encoding and delimiter given) on the other core, or
   * null where the helper runs in this thread (the file is then read in one pass). A part that fails is null.
   */
  parse: ReadElsewhere | null;
  /**
   * Takes the table and the rows of it to score (null: all), and the file's table with the rows the recipe
   * dropped for the rejects file, written over `batches` batches (in a Worker their arrays move there: the
   * caller must not read them afterwards). Row numbers of `features` and `write` count the rows scored.
   * `spare`: buffers the caller no longer needs, written over for the output (in a Worker they move there).
   */
  start(
    table: DataTable,
    rows: Int32Array | null,
    bundle: TransformBundle,
    batchRows: number,
    rejects: RejectsInput | null,
    batches: number,
    spare?: ArrayBuffer[],
  ): void;
  /** Rows [from, to)'s input matrix, written into `matrix` (whose buffer moves to the helper and back). */
  features(from: number, to: number, matrix: Float32Array): Promise<Float32Array>;
  /** Writes rows [from, to) with their predictions (the arrays move to the helper). */
  write(from: number, to: number, probabilities: Float32Array, chosen: Int32Array): void;
  finish(): Promise<{ csv: Uint8Array[]; rejects: Uint8Array[] | null; timings: HelperTimings }>;
  /** Ends the helper (a Worker is terminated); safe to call more than once. */
  close(): void;
}

/** The helper in this thread (Node, tests, a browser without nested Workers): the same functions, called directly. */
export function localHelper(): ScoreHelper {
  const state: HelperState = { writer: null, timings: {} };
  return {
    parse: null,
    // No spare memory here: this thread's output is as cheap to make fresh.
    start: (table, rows, bundle, batchRows, rejects, batches) => void serveHelper(state, { op: 'start', table, rows, bundle, batchRows, rejects, batches }),
    features: (from, to, matrix) => {
      serveHelper(state, { op: 'features', from, to, matrix });
      return Promise.resolve(matrix);
    },
    write: (from, to, probabilities, chosen) => void serveHelper(state, { op: 'write', from, to, probabilities, chosen }),
    finish: () => {
      const reply = serveHelper(state, { op: 'finish' });
      const done = reply as Extract<HelperReply, { op: 'finish' }>;
      return Promise.resolve({ csv: done.csv, rejects: done.rejects, timings: state.timings });
    },
    close: () => {
      state.writer = null;
    },
  };
}

/** The distinct buffers of the tables' columns, the rows scored and the rejects' arrays (to move them to the Worker). */
function tableBuffers(table: DataTable, rows: Int32Array | null, rejects: RejectsInput | null): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  if (rows) buffers.add(rows.buffer as ArrayBuffer);
  for (const column of [...table.columns, ...(rejects?.raw.columns ?? [])]) buffers.add(('codes' in column ? column.codes : column.values).buffer as ArrayBuffer);
  if (rejects) for (const array of [rejects.rejects.rows, rejects.rejects.step]) buffers.add(array.buffer as ArrayBuffer);
  return [...buffers];
}

/** A helper Worker, and when it has loaded its script (it says 'ready'; an error settles it too). */
interface Started {
  worker: Worker;
  ready: Promise<void>;
}

/** A helper Worker started ahead of its use, or null. */
let standby: Started | null = null;

function startWorker(): Started | null {
  if (typeof Worker === 'undefined') return null;
  let worker: Worker;
  try {
    worker = new Worker(new URL('./score-helper.worker.ts', import.meta.url), { type: 'module', name: 'score-helper' });
  } catch {
    return null;
  }
  const ready = new Promise<void>((resolve) => {
    worker.addEventListener('message', (event: MessageEvent<HelperReply>) => event.data.op === 'ready' && resolve());
    worker.addEventListener('error', () => resolve());
  });
  return { worker, ready };
}

/**
 * Starts a helper Worker now, for the next file to score or import: a Worker takes a few hundred milliseconds to
 * fetch and compile its script, through the starting thread's event loop, which a parse keeps busy (measured on the
 * score-file bench: the helper began on its part about 0.4 s after the parse did). Each helper is used once and
 * ended; its replacement is started when it ends. An idle Worker holds a few MB.
 */
export function prepareHelper(): Promise<void> {
  standby ??= startWorker();
  return standby?.ready ?? Promise.resolve();
}

/** The helper in a dedicated Worker (the browser's other core), or null where Workers cannot be started. */
export function workerHelper(): ScoreHelper | null {
  const started = standby ?? startWorker();
  standby = null;
  if (!started) return null;
  const { worker } = started;
  let closed = false;
  const waiting: { resolve: (reply: HelperReply) => void; reject: (error: unknown) => void }[] = [];
  let failure: unknown = null;
  const fail = (error: unknown) => {
    failure ??= error;
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  worker.onmessage = (event: MessageEvent<HelperReply>) => {
    const reply = event.data;
    if (reply.op === 'ready') return;
    if (reply.op === 'error') fail(new AppError(reply.error.code === 'internal' ? 'bad-argument' : reply.error.code, reply.error.message, reply.error.place));
    else waiting.shift()?.resolve(reply);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fail(new Error(`The scoring helper stopped: ${event.message}`));
  };
  const ask = (request: HelperRequest, transfer: Transferable[]) =>
    new Promise<HelperReply>((resolve, reject) => {
      if (failure) return reject(failure);
      waiting.push({ resolve, reject });
      worker.postMessage(request, transfer);
    });
  const send = (request: HelperRequest, transfer: Transferable[]) => {
    if (!failure) worker.postMessage(request, transfer);
  };
  return {
    parse: async (pieces, options) => {
      // Each piece goes as soon as it is made: the helper parses it while the next is copied.
      send({ op: 'parse-start', fileName: 'part', options, sentAt: performance.timeOrigin + performance.now() }, []);
      // Messages to a nested Worker seem to leave only when this thread ends its task: sent in one go, the first
      // piece reached the helper about 0.3 s late, after every copy (Chromium, score-file bench); with a task
      // boundary after each piece, 0.07–0.09 s.
      for (const bytes of pieces) {
        // Ended meanwhile (a cancel, a failure): no more copies.
        if (closed || failure) return null;
        send({ op: 'parse-piece', bytes }, [bytes.buffer as ArrayBuffer]);
        await yieldTask();
      }
      const reply = await ask({ op: 'parse-end' }, []);
      return (reply as Extract<HelperReply, { op: 'parse' }>).part;
    },
    start: (table, rows, bundle, batchRows, rejects, batches, spare = []) => {
      // Never a buffer the tables use (it would be written over): those move with the tables.
      const moved = tableBuffers(table, rows, rejects);
      const taken = new Set(moved);
      const free = [...new Set(spare)].filter((buffer) => !taken.has(buffer) && buffer.byteLength > 0);
      send({ op: 'start', table, rows, bundle, batchRows, rejects, batches, spare: free }, [...moved, ...free]);
    },
    features: async (from, to, matrix) => {
      const reply = await ask({ op: 'features', from, to, matrix }, [matrix.buffer as ArrayBuffer]);
      return (reply as Extract<HelperReply, { op: 'features' }>).matrix;
    },
    write: (from, to, probabilities, chosen) =>
      send({ op: 'write', from, to, probabilities, chosen }, [probabilities.buffer as ArrayBuffer, chosen.buffer as ArrayBuffer]),
    finish: async () => {
      const reply = (await ask({ op: 'finish' }, [])) as Extract<HelperReply, { op: 'finish' }>;
      return { csv: reply.csv, rejects: reply.rejects, timings: reply.timings };
    },
    close: () => {
      if (closed) return;
      closed = true;
      worker.terminate();
      void prepareHelper();
    },
  };
}
