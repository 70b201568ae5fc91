// A bundle folder's weights for the CLI: weights.bin of a network, nothing for gradient-boosted trees (their model.json is the whole model).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isTreesJson } from '../lib/ml/trees/tree-model.ts';

/** The bytes modelFromArtifacts takes with `modelJson`: DIR/weights.bin for a network, empty for trees (no weights.bin). */
export async function readWeights(dir: string, modelJson: unknown): Promise<ArrayBuffer> {
  if (isTreesJson(modelJson)) return new ArrayBuffer(0);
  const weights = await readFile(join(dir, 'weights.bin'));
  return weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
}
