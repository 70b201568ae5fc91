// Training, prediction and the model.json/weights.bin round trip on the WASM backend in Node, on small data.
import { beforeAll, describe, expect, it } from 'vitest';
import { modelFromArtifacts, modelToArtifacts } from '../../../src/lib/ml/artifacts.ts';
import type { ModelJson } from '../../../src/lib/contracts/training.ts';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { predictTable } from '../../../src/lib/ml/predict.ts';
import { defaultBatchSize, trainModel } from '../../../src/lib/ml/train.ts';
import { mulberry32 } from '../../../src/lib/pipeline/split.ts';

/** n rows of two features; the class is which side of the line x0 + 2·x1 = 0.3 a point falls on. */
function twoFeatureData(n: number, seed: number) {
  const random = mulberry32(seed);
  const x = new Float32Array(n * 2);
  const classes = new Float32Array(n);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = random() * 2 - 1;
    const b = random() * 2 - 1;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    classes[i] = a + 2 * b > 0.3 ? 1 : 0;
    values[i] = 3 * a - 2 * b + 10;
  }
  return { x, classes, values };
}

function accuracy(probs: Float32Array, labels: Float32Array, k: number): number {
  let right = 0;
  labels.forEach((label, i) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
    if (best === label) right++;
  });
  return right / labels.length;
}

beforeAll(async () => {
  const info = await chooseBackend('auto');
  expect(info.backend).toBe('wasm');
});

describe('trainModel', () => {
  it('learns a logistic boundary and predicts two-column probabilities', async () => {
    const { x, classes } = twoFeatureData(400, 1);
    const out = await trainModel(x, classes, 400, 2, 'binary', 2, { model: 'linear', epochs: 60, seed: 7, learningRate: 0.05 });
    const probs = await predictTable(out.model, x, 400, 2, 'binary');
    expect(probs.length).toBe(800);
    expect(probs[0]! + probs[1]!).toBeCloseTo(1, 5);
    expect(accuracy(probs, classes, 2)).toBeGreaterThan(0.95);
    expect(out.history[0]!.valLoss).toBeGreaterThan(out.history.at(-1)!.valLoss!);
    out.model.dispose();
  });

  it('predicts regression targets on their own scale (the standardization is folded into the model)', async () => {
    const { x, values } = twoFeatureData(300, 2);
    const out = await trainModel(x, values, 300, 2, 'regression', 0, { model: 'linear', epochs: 200, seed: 3, learningRate: 0.05 });
    const predicted = await predictTable(out.model, x, 300, 2, 'regression');
    let worst = 0;
    predicted.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - values[i]!))));
    expect(worst).toBeLessThan(0.1);
    out.model.dispose();
  });

  it('is deterministic for a seed, including an MLP on three classes', async () => {
    const { x, values } = twoFeatureData(200, 4);
    const labels = values.map((v) => (v < 8.5 ? 0 : v < 11.5 ? 1 : 2));
    const params = { model: 'mlp' as const, epochs: 15, seed: 11, hidden: [8, 4] };
    const first = await trainModel(x, labels, 200, 2, 'multiclass', 3, params);
    const second = await trainModel(x, labels, 200, 2, 'multiclass', 3, params);
    expect(second.history).toEqual(first.history);
    const [p1, p2] = [await predictTable(first.model, x, 200, 2, 'multiclass'), await predictTable(second.model, x, 200, 2, 'multiclass')];
    expect(Array.from(p2)).toEqual(Array.from(p1));
    first.model.dispose();
    second.model.dispose();
  });

  it('stops early and restores the best validation epoch', async () => {
    const { x, classes } = twoFeatureData(100, 5);
    const out = await trainModel(x, classes, 100, 2, 'binary', 2, { model: 'linear', epochs: 500, seed: 1, learningRate: 0.3, patience: 3 });
    expect(out.history.length).toBeLessThan(500);
    const best = Math.min(...out.history.map((h) => h.valLoss!));
    expect(out.history[out.bestEpoch - 1]!.valLoss).toBe(best);
    out.model.dispose();
  });

  it('ends within the batch after shouldStop turns true and says it was cancelled', async () => {
    const { x, classes } = twoFeatureData(2000, 6);
    let epochs = 0;
    const out = await trainModel(x, classes, 2000, 2, 'binary', 2, { model: 'linear', epochs: 1000, seed: 1, patience: 1000 }, {
      onEpoch: () => void epochs++,
      shouldStop: () => epochs >= 2,
    });
    expect(out.cancelled).toBe(true);
    expect(out.history.length).toBe(2);
    out.model.dispose();
  });

  it('picks 32..512 rows per batch', () => {
    expect(defaultBatchSize(100)).toBe(32);
    expect(defaultBatchSize(20_000)).toBe(256);
    expect(defaultBatchSize(5_000_000)).toBe(512);
  });
});

describe('model artifacts', () => {
  it('round-trips model.json + weights.bin and predicts the same values', async () => {
    const { x, classes } = twoFeatureData(120, 8);
    const out = await trainModel(x, classes, 120, 2, 'binary', 2, { model: 'mlp', hidden: [5], epochs: 5, seed: 2 });
    const { modelJson, weights } = await modelToArtifacts(out.model);
    expect((modelJson as ModelJson).weightsManifest[0]!.paths).toEqual(['weights.bin']);
    expect(weights.byteLength).toBe((2 * 5 + 5 + 5 * 1 + 1) * 4);
    const copy = await modelFromArtifacts(JSON.parse(JSON.stringify(modelJson)), weights.slice(0));
    const [a, b] = [await predictTable(out.model, x, 120, 2, 'binary'), await predictTable(copy, x, 120, 2, 'binary')];
    expect(Array.from(b)).toEqual(Array.from(a));
    out.model.dispose();
    copy.dispose();
  });

  it('rejects a model.json without a topology', async () => {
    await expect(modelFromArtifacts({ weightsManifest: [] }, new ArrayBuffer(0))).rejects.toThrow(/modelTopology/);
  });
});
