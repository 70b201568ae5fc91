// The bench worker: runs one registered step on request and posts its result. Plain postMessage with an
// `op` field (no `type`), so the Comlink listener that importing workers/data.worker.ts installs ignores it.
import { runStep, stepNames, type RunOptions, type StepContext } from './harness.ts';
import { registerSteps } from './steps.ts';

registerSteps();

export type BenchRequest = { op: 'list' } | { op: 'run'; step: string; options?: RunOptions };
export type BenchReply =
  | { op: 'log'; message: string }
  | { op: 'list'; names: string[] }
  | { op: 'result'; result: Awaited<ReturnType<typeof runStep>> }
  | { op: 'error'; message: string };

const CSV_URL = '/__bench/reference.csv';

function post(reply: BenchReply): void {
  postMessage(reply);
}

let file: Promise<File> | undefined;
let text: Promise<string> | undefined;

const ctx: StepContext = {
  log: (message) => post({ op: 'log', message }),
  csvFile() {
    file ??= (async () => {
      const response = await fetch(CSV_URL);
      if (!response.ok) throw new Error(`bench: GET ${CSV_URL} answered ${response.status}`);
      return new File([await response.blob()], 'reference.csv', { type: 'text/csv' });
    })();
    return file;
  },
  csvText() {
    text ??= ctx.csvFile().then((f) => f.text());
    return text;
  },
};

addEventListener('message', (event: MessageEvent) => {
  const request = event.data as BenchRequest | undefined;
  if (!request || typeof request !== 'object' || !('op' in request)) return;
  if (request.op === 'list') post({ op: 'list', names: stepNames() });
  else if (request.op === 'run') {
    runStep(request.step, ctx, request.options).then(
      (result) => post({ op: 'result', result }),
      (error: unknown) => post({ op: 'error', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }),
    );
  }
});
