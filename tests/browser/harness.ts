// Browser harness: trains the same tiny seeded logistic model on a chosen backend and reports what happened.
import * as tf from '@tensorflow/tfjs';
import { wrap } from 'comlink';
import '../../workers/comlink-errors.ts';
import type { BackendInfo, MlApi } from '../../workers/protocol.ts';
import { chooseBackend, probeWebGpu } from '../../src/lib/ml/backend-browser.ts';
import type { BackendPreference } from '../../src/lib/ml/backend-common.ts';
import { predictTable } from '../../src/lib/ml/predict.ts';
import { trainModel } from '../../src/lib/ml/train.ts';
import { mulberry32 } from '../../src/lib/pipeline/split.ts';

const ROWS = 240;
const WIDTH = 3;

/** A fixed dataset: three uniform features; the class is the sign of a fixed linear score plus noise. */
function dataset() {
  const random = mulberry32(2024);
  const x = new Float32Array(ROWS * WIDTH);
  const y = new Float32Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    for (let j = 0; j < WIDTH; j++) x[i * WIDTH + j] = random() * 2 - 1;
    const score = 1.5 * x[i * WIDTH]! - x[i * WIDTH + 1]! + 0.5 * x[i * WIDTH + 2]! + 0.4 * (random() - 0.5);
    y[i] = score > 0 ? 1 : 0;
  }
  return { x, y };
}

export interface HarnessResult {
  requested: BackendPreference;
  backend: string;
  reason: string;
  epochs: number;
  finalLoss: number;
  finalValLoss: number;
  accuracy: number;
  logLoss: number;
  ms: number;
}

async function trainOn(requested: BackendPreference): Promise<HarnessResult> {
  const info = await chooseBackend(requested);
  const { x, y } = dataset();
  const started = performance.now();
  const out = await trainModel(x, y, ROWS, WIDTH, 'binary', 2, {
    model: 'linear',
    epochs: 8,
    batchSize: 32,
    learningRate: 0.05,
    seed: 7,
    patience: 100,
  });
  const probs = await predictTable(out.model, x, ROWS, WIDTH, 'binary');
  let right = 0;
  let logLoss = 0;
  for (let i = 0; i < ROWS; i++) {
    const p = Math.min(1 - 1e-7, Math.max(1e-7, probs[2 * i + 1]!));
    if ((p >= 0.5 ? 1 : 0) === y[i]) right++;
    logLoss -= y[i] ? Math.log(p) : Math.log(1 - p);
  }
  const last = out.history.at(-1)!;
  out.model.dispose();
  return {
    requested,
    backend: tf.getBackend(),
    reason: info.reason,
    epochs: out.history.length,
    finalLoss: last.loss,
    finalValLoss: last.valLoss ?? NaN,
    accuracy: right / ROWS,
    logLoss: logLoss / ROWS,
    ms: performance.now() - started,
  };
}

/** Starts the real ML worker module and asks it which backend 'auto' picks there. */
async function workerBackend(): Promise<BackendInfo> {
  const worker = new Worker(new URL('../../workers/ml.worker.ts', import.meta.url), { type: 'module' });
  try {
    return await wrap<MlApi>(worker).backendInfo('auto');
  } finally {
    worker.terminate();
  }
}

declare global {
  interface Window {
    millraceHarness: { trainOn: typeof trainOn; probeWebGpu: typeof probeWebGpu; workerBackend: typeof workerBackend };
  }
}

window.millraceHarness = { trainOn, probeWebGpu, workerBackend };
document.body.dataset.ready = 'true';
