// Training harness: the real data and ML workers behind the app's clients, for reload/resume, lock and cancel tests.
import { toErrorInfo, type ErrorInfo } from '../../src/lib/pipeline/errors.ts';
import { makeSpec, type SpecDraft } from '../../src/lib/pipeline/spec/build.ts';
import { mulberry32 } from '../../src/lib/pipeline/split.ts';
import { DataClient } from '../../src/lib/workers-client/data-client.ts';
import { MlClient } from '../../src/lib/workers-client/ml-client.ts';
import type { ResumableRun, TrainProgress, TrainRequest, TrainResult } from '../../workers/protocol.ts';

let data: DataClient | undefined;
let ml: MlClient | undefined;
const clients = () => ({ data: (data ??= new DataClient()), ml: (ml ??= new MlClient()) });

/** A seeded binary-classification CSV: six numbers, one category, a label from a noisy nonlinear score. */
function generatedCsv(rows: number, seed: number): string {
  const random = mulberry32(seed);
  const lines = ['a,b,c,d,e,f,group,label'];
  for (let i = 0; i < rows; i++) {
    const v = Array.from({ length: 6 }, () => random() * 4 - 2);
    const group = Math.floor(random() * 5);
    const score = v[0]! * v[1]! - v[2]! + Math.sin(v[3]!) + 0.3 * group - 0.6 + (random() - 0.5);
    lines.push(`${v.map((x) => x.toFixed(4)).join(',')},g${group},${score > 0 ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

/** A training request whose spec is a draft (target and the parts that differ from the defaults); the harness completes it. */
export type HarnessRequest = Omit<TrainRequest, 'spec'> & { spec: SpecDraft };

/** The request the ML worker takes: the draft made a complete, checked pipeline spec, as the Train form does. */
const trainRequest = ({ spec, ...rest }: HarnessRequest): TrainRequest => ({ ...rest, spec: makeSpec(spec) });

/** The numbers a test compares: metrics and the loss curve. */
export interface RunSummary {
  runId: string;
  cancelled: boolean;
  epochs: number;
  losses: number[];
  metrics: Record<string, number>;
}

function summary(result: TrainResult): RunSummary {
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(result.evaluation.metrics)) if (typeof value === 'number') metrics[key] = value;
  return { runId: result.runId, cancelled: result.cancelled, epochs: result.history.length, losses: result.history.map((h) => h.loss), metrics };
}

type Outcome<T> = { ok: true; value: T; ms: number } | { ok: false; error: ErrorInfo; ms: number };

async function outcome<T>(work: Promise<T>): Promise<Outcome<T>> {
  const started = performance.now();
  try {
    const value = await work;
    return { ok: true, value, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error), ms: performance.now() - started };
  }
}

/** Progress reports and the settled result of the run started last with `startTrain`. */
const live: { progress: TrainProgress[]; done?: Outcome<RunSummary>; settledAt?: number } = { progress: [] };

const harness = {
  /** Deletes the studio's databases (runs, checkpoints, datasets). */
  async clear(): Promise<void> {
    for (const name of ['millrace', 'millrace-checkpoints']) {
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
        request.onblocked = () => resolve();
      });
    }
  },
  /** Imports `rows` generated rows as a dataset ("generated") and returns its version id. */
  async importGenerated(rows: number, seed = 7): Promise<number> {
    const bytes = new TextEncoder().encode(generatedCsv(rows, seed));
    const result = await clients().data.importFile({ name: 'generated.csv', data: bytes.buffer });
    return result.duplicateOf ?? result.versionId;
  },
  /** Trains and waits. */
  async train(request: HarnessRequest): Promise<Outcome<RunSummary>> {
    return outcome(Promise.resolve().then(() => clients().ml.train(trainRequest(request))).then(summary));
  },
  /** Starts a training and returns at once; see `status`. */
  startTrain(request: HarnessRequest): void {
    live.progress = [];
    live.done = undefined;
    const started = Promise.resolve().then(() => clients().ml.train(trainRequest(request), (p) => void live.progress.push(p)));
    void outcome(started.then(summary)).then((done) => {
      live.done = done;
      live.settledAt = performance.now();
    });
  },
  /** The last epoch reported and, once settled, the outcome of the run started with `startTrain`. */
  status(): { epoch: number; done?: Outcome<RunSummary> } {
    return { epoch: live.progress.at(-1)?.epoch ?? 0, ...(live.done ? { done: live.done } : {}) };
  },
  /** Cancels and resolves when the run has settled, with the milliseconds between the two. */
  async cancelAndWait(runId: string): Promise<{ ms: number; done: Outcome<RunSummary> }> {
    const asked = performance.now();
    await clients().ml.cancel(runId);
    while (!live.done) await new Promise((resolve) => setTimeout(resolve, 5));
    return { ms: (live.settledAt as number) - asked, done: live.done };
  },
  async listResumable(): Promise<ResumableRun[]> {
    return clients().ml.listResumable();
  },
  async resume(runId: string): Promise<Outcome<RunSummary> & { firstEpoch?: number }> {
    const epochs: number[] = [];
    const result = await outcome(clients().ml.resume(runId, (p) => void epochs.push(p.epoch)).then(summary));
    return { ...result, ...(epochs.length ? { firstEpoch: epochs[0] } : {}) };
  },
};

declare global {
  interface Window {
    trainHarness: typeof harness;
  }
}

window.trainHarness = harness;
document.body.dataset.ready = 'true';
