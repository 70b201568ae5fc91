// predictRaw cuts the rows into batches of PREDICT_BATCH_ROWS: every row gets, bit for bit, what one call over all the rows gives it (WASM backend, as in the browser).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
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
});
