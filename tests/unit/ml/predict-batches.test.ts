// predictRaw cuts the rows into batches of PREDICT_BATCH_ROWS and calls a Dense stack's layers itself: every row gets, bit for bit, what one predictOnBatch over all the rows gives it (WASM backend, as in the browser).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { PREDICT_BATCH_ROWS, predictRaw } from '../../../src/lib/ml/predict.ts';
import { mulberry32 } from '../../../src/lib/pipeline/split.ts';

beforeAll(async () => {
  expect((await chooseBackend('auto')).backend).toBe('wasm');
});

describe('predictRaw batches', () => {
  it('gives each row the outputs of one call over all rows, whatever batch it falls in', async () => {
    const width = 87;
    const n = 3 * PREDICT_BATCH_ROWS + 517;
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [width], units: 64, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    const rng = mulberry32(5);
    const x = Float32Array.from({ length: n * width }, () => (rng() < 0.7 ? 0 : rng() * 4 - 2));
    const batched = await predictRaw(model, x, n, width);
    const whole = model.predictOnBatch(tf.tensor2d(x, [n, width])) as tf.Tensor;
    const expected = (await whole.data()) as Float32Array;
    whole.dispose();
    expect(batched.length).toBe(n * 3);
    expect(Buffer.from(batched.buffer).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength))).toBe(true);
    model.dispose();
  });

  /** Outputs of one predictOnBatch over all rows, the reference the layer-by-layer path must equal bit for bit. */
  async function reference(model: tf.LayersModel, x: Float32Array, n: number, width: number): Promise<Float32Array> {
    const whole = model.predictOnBatch(tf.tensor2d(x, [n, width])) as tf.Tensor;
    const out = (await whole.data()) as Float32Array;
    whole.dispose();
    return out;
  }

  const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

  for (const [hidden, last, units] of [
    ['tanh', 'sigmoid', 1],
    ['gelu', 'linear', 1],
    ['relu', 'softmax', 4],
    [null, 'sigmoid', 1],
  ] as const) {
    it(`equals predictOnBatch for ${hidden ?? 'no'} hidden layers and a ${last} output`, async () => {
      const width = 9;
      const n = PREDICT_BATCH_ROWS + 33;
      const layers = hidden
        ? [
            tf.layers.dense({ inputShape: [width], units: 16, activation: hidden, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }),
            tf.layers.dense({ units, activation: last, kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }), biasInitializer: tf.initializers.constant({ value: 0.1 }) }),
          ]
        : [tf.layers.dense({ inputShape: [width], units, activation: last, kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }) })];
      const model = tf.sequential({ layers });
      const rng = mulberry32(11);
      const x = Float32Array.from({ length: n * width }, () => rng() * 6 - 3);
      const graphWalk = vi.spyOn(model, 'predictOnBatch');
      const batched = await predictRaw(model, x, n, width);
      expect(graphWalk).not.toHaveBeenCalled();
      graphWalk.mockRestore();
      expect(bits(batched).equals(bits(await reference(model, x, n, width)))).toBe(true);
      model.dispose();
    });
  }

  it('runs a model that is not a stack of Dense layers through predictOnBatch, with the same outputs', async () => {
    const width = 5;
    const input = tf.input({ shape: [width] });
    const a = tf.layers.dense({ units: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 3, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(input) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(joined) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const n = 40;
    const rng = mulberry32(3);
    const x = Float32Array.from({ length: n * width }, () => rng() - 0.5);
    const graphWalk = vi.spyOn(model, 'predictOnBatch');
    const batched = await predictRaw(model, x, n, width);
    expect(graphWalk).toHaveBeenCalledTimes(1);
    graphWalk.mockRestore();
    expect(batched.length).toBe(n);
    expect(bits(batched).equals(bits(await reference(model, x, n, width)))).toBe(true);
    model.dispose();
  });
});
