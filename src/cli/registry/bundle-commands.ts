// `millrace import BUNDLE.zip` (every manifest hash checked, then the next version of its name) and `millrace export REF --out BUNDLE.zip`.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { zipBundle } from '../../lib/ml/bundle.ts';
import { readModelBundle } from '../../lib/ml/bundle-import.ts';
import { withManifest } from '../../lib/pipeline/bundle/manifest.ts';
import { readBundleZip } from '../../lib/pipeline/bundle/zip.ts';
import { AppError } from '../../lib/pipeline/errors.ts';
import type { RegistryCommand } from './args.ts';
import { parseModelRef, resolveModel } from './ref.ts';
import { checkModelName, FolderRegistry, verifiedFiles, writeAtomic } from './store.ts';

type Of<N extends RegistryCommand['name']> = Extract<RegistryCommand, { name: N }>;

/** `millrace import BUNDLE.zip [--name NAME]`: verified (unzipBundle + verifyBundle) before anything is written. */
export async function importCommand(command: Of<'import'>): Promise<{ stdout: string; notices: string[] }> {
  const zipName = basename(command.bundle);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(command.bundle));
  } catch (error) {
    throw new AppError('not-found', `Cannot read ${command.bundle}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`, { file: command.bundle }, { cause: error });
  }
  let files: Record<string, Uint8Array>;
  let bundle: ReturnType<typeof readModelBundle>;
  try {
    // Every hash, path and size first (readBundleZip), then each part parsed (readModelBundle), before anything is written.
    files = readBundleZip(bytes, zipName).files;
    bundle = readModelBundle(bytes, zipName);
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, `${zipName}: ${error.message}`, error.place, { cause: error });
    throw error;
  }
  const { target, task } = bundle.transforms;
  const name = command.as ?? bundle.name;
  try {
    checkModelName(name);
  } catch (error) {
    if (command.as === undefined) throw new AppError('bad-argument', `${zipName} names its model ${JSON.stringify(name)}, which is not a folder name; give --name NAME`, {}, { cause: error });
    throw error;
  }
  const registry = new FolderRegistry(command.registry);
  const version = await registry.addVersion(name, () => files);
  return { stdout: `millrace: imported ${zipName} (${target}, ${task}) as ${name} v${version} in ${command.registry}`, notices: [] };
}

/** `millrace export NAME@ALIAS|NAME@VERSION|DIR --out BUNDLE.zip`: a version folder that no longer matches its manifest is refused. */
export async function exportCommand(command: Of<'export'>): Promise<{ stdout: string; notices: string[] }> {
  const model = await resolveModel(parseModelRef(command.model, 'export'), new FolderRegistry(command.registry), 'export');
  const verified = await verifiedFiles(model.dir, model.label);
  // A model folder written before bundles had a manifest gets one now.
  const files = verified.sealed ? verified.files : withManifest(verified.files);
  const zip = zipBundle(files);
  await writeAtomic(command.out, zip);
  return { stdout: `millrace: exported ${model.label} (${Object.keys(files).length} files, ${zip.byteLength} bytes) to ${command.out}`, notices: [] };
}
