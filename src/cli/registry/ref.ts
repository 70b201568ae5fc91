// A model reference on the command line: NAME@ALIAS or NAME@VERSION in the folder registry, or a model folder.
import { existsSync, statSync } from 'node:fs';
import { AppError } from '../../lib/pipeline/errors.ts';
import { checkAlias } from '../../lib/pipeline/registry/aliases.ts';
import { modelDir } from '../champion.ts';
import { checkModelName, type FolderRegistry } from './store.ts';

export type ModelRef = { kind: 'dir'; dir: string } | { kind: 'registry'; name: string; alias: string | null; version: number | null };

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** NAME@ALIAS, NAME@VERSION (3 or v3), or a folder (an existing folder wins); errors name the flag and the text. */
export function parseModelRef(text: string, flag: string): ModelRef {
  if (isDir(text) || !text.includes('@')) return { kind: 'dir', dir: text };
  const at = text.indexOf('@');
  const name = text.slice(0, at);
  const after = text.slice(at + 1);
  try {
    checkModelName(name);
    if (/^v?[0-9]+$/.test(after)) {
      const version = Number(after.replace(/^v/, ''));
      if (version < 1) throw new AppError('bad-argument', `version numbers start at 1, not ${after}`);
      return { kind: 'registry', name, alias: null, version };
    }
    return { kind: 'registry', name, alias: checkAlias(after), version: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError('bad-argument', `${flag} ${JSON.stringify(text)}: ${message} (expected NAME@ALIAS, NAME@VERSION or a model folder)`, {}, { cause: error });
  }
}

/** A resolved model: its folder and how to name it in messages; name and version when it is in the registry. */
export interface ResolvedModel {
  dir: string;
  label: string;
  name: string | null;
  version: number | null;
}

/** The folder of a reference: a registry version (an alias resolved to the version it points at now) or the folder given. */
export async function resolveModel(ref: ModelRef, registry: FolderRegistry, flag: string): Promise<ResolvedModel> {
  if (ref.kind === 'dir') {
    if (!isDir(ref.dir)) throw new AppError('not-found', `${flag} ${ref.dir}: no such model folder (or use NAME@ALIAS / NAME@VERSION)`, { file: ref.dir });
    return { dir: modelDir(ref.dir), label: ref.dir, name: null, version: null };
  }
  await registry.requireModel(ref.name);
  let version = ref.version;
  if (ref.alias !== null) {
    const { aliases } = await registry.state(ref.name);
    version = aliases[ref.alias] ?? null;
    if (version === null) {
      const known = Object.keys(aliases);
      throw new AppError('not-found', `${ref.name} has no alias "${ref.alias}"${known.length ? `; its aliases are ${known.join(', ')}` : ' (promote a version first)'}`);
    }
  }
  const info = await registry.version(ref.name, version!);
  return { dir: info.dir, label: `${ref.name} v${version}${ref.alias ? ` (${ref.alias})` : ''}`, name: ref.name, version };
}
