// The self-contained model bundle: the files of an export, and the zip that carries them.
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Evaluation, TransformBundle } from '../pipeline/types.ts';
import type { ModelJson } from './artifacts.ts';

/** The file names of a bundle, in the order they are written. */
export const BUNDLE_FILES = ['model.json', 'weights.bin', 'transforms.json', 'metrics.json', 'model-card.md'] as const;

export interface BundleParts {
  modelJson: ModelJson | unknown;
  weights: ArrayBuffer | Uint8Array;
  bundle: TransformBundle;
  evaluation: Evaluation;
  /** The model card as Markdown. */
  card: string;
}

const json = (value: unknown) => strToU8(JSON.stringify(value, null, 2) + '\n');

/** model.json, weights.bin, transforms.json, metrics.json and model-card.md as bytes. */
export function bundleFiles(parts: BundleParts): Record<string, Uint8Array> {
  return {
    'model.json': json(parts.modelJson),
    'weights.bin': parts.weights instanceof Uint8Array ? parts.weights : new Uint8Array(parts.weights),
    'transforms.json': json(parts.bundle),
    'metrics.json': json(parts.evaluation),
    'model-card.md': strToU8(parts.card),
  };
}

/** A zip of the files; a fixed timestamp keeps the bytes identical for identical inputs. */
export function zipBundle(files: Record<string, Uint8Array>): Uint8Array {
  const mtime = new Date('2000-01-01T00:00:00Z');
  const entries: Zippable = {};
  for (const [name, data] of Object.entries(files)) entries[name] = [data, { mtime }];
  return zipSync(entries, { level: 6 });
}
