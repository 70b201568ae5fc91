// The studio's bundle import: the zip's bytes verified and parsed, its model (network or trees) loaded once, then stored in one transaction.
import { modelFromArtifacts } from '../../src/lib/ml/artifacts.ts';
import { readModelBundle } from '../../src/lib/ml/bundle-import.ts';
import { isTreesJson } from '../../src/lib/ml/trees/tree-model.ts';
import { AppError } from '../../src/lib/pipeline/errors.ts';
import { sha256File } from '../../src/lib/pipeline/sha256.ts';
import { importModel } from '../../src/lib/store/model-import.ts';
import type { RunRecord } from '../../src/lib/contracts/training.ts';
import type { FileInput, ImportedModel } from '../protocol.ts';

/** Refuses ('not-found') work that rebuilds a run's test rows when the run was imported: its data is not in this workspace. */
export function requireLocalData(run: RunRecord, what: string): void {
  if (!run.imported) return;
  throw new AppError('not-found', `Run "${run.id}" was imported from ${run.imported.fileName}: the data it was trained on is not in this workspace, so ${what} cannot be done`);
}

/**
 * Reads a bundle zip (every manifest hash checked, see readModelBundle), checks that model.json and weights.bin load
 * as a network (or model.json alone as trees), and stores it as the next version of its name (importModel). Refusals name the file; nothing is written.
 */
export async function importModelBundle(file: FileInput, ready: () => Promise<unknown>): Promise<ImportedModel> {
  const bytes = new Uint8Array(file.data instanceof ArrayBuffer ? file.data : await file.data.arrayBuffer());
  const parts = readModelBundle(bytes, file.name);
  await ready();
  try {
    const { weights } = parts;
    const network = await modelFromArtifacts(parts.modelJson, weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer);
    network.dispose();
  } catch (error) {
    const what = isTreesJson(parts.modelJson) ? `model.json of ${file.name} does not load as gradient-boosted trees` : `model.json and weights.bin of ${file.name} do not load as a network`;
    throw new AppError('bad-bundle', `${what} (${(error as Error).message}); refused`, { file: 'model.json' }, { cause: error });
  }
  return importModel(parts, file.name, { sha256OfZip: await sha256File(bytes) });
}
