// The bench page: starts one fresh worker per step (so steps do not share a heap) and hands results to
// bench/run.mjs through window.millraceBench.
import type { RunOptions, StepResult } from './harness.ts';
import type { BenchReply, BenchRequest } from './bench.worker.ts';

function startWorker(): Worker {
  return new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'bench' });
}

function ask<T>(request: BenchRequest, pick: (reply: BenchReply) => T | undefined): Promise<T> {
  const worker = startWorker();
  return new Promise<T>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<BenchReply>) => {
      const reply = event.data;
      if (reply.op === 'log') console.log(`[bench] ${reply.message}`);
      else if (reply.op === 'error') reject(new Error(reply.message));
      else {
        const value = pick(reply);
        if (value !== undefined) resolve(value);
      }
    };
    worker.onerror = (event) => reject(new Error(`bench worker failed: ${event.message}`));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

const api = {
  list: () => ask({ op: 'list' }, (reply) => (reply.op === 'list' ? reply.names : undefined)),
  run: (step: string, options?: RunOptions) =>
    ask<StepResult>({ op: 'run', step, options }, (reply) => (reply.op === 'result' ? reply.result : undefined)),
};

declare global {
  interface Window {
    millraceBench: typeof api;
  }
}

window.millraceBench = api;
document.body.dataset.ready = 'true';
