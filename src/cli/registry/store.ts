// The CLI's folder registry: DIR/NAME/versions/N/ (bundle folders), DIR/NAME/aliases.json and history.json written atomically, every change under DIR/NAME/.lock.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkEntryPath, MANIFEST_FILE, verifyBundle } from '../../lib/pipeline/bundle/manifest.ts';
import { AppError } from '../../lib/pipeline/errors.ts';
import { checkAlias, type AliasMove, type MoveVerdict, type VersionFacts } from '../../lib/pipeline/registry/aliases.ts';
import { withLock, type LockOptions } from './lock.ts';

/** The registry folder when --registry is not given (relative to the working directory). */
export const DEFAULT_REGISTRY = 'millrace-registry';

/** A model name: a folder name of letters, digits, ".", "_" and "-" (not starting with "."). */
const NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const VERSION_DIR = /^[1-9][0-9]*$/;

export function checkModelName(name: string): string {
  if (!NAME_PATTERN.test(name) || name.length > 100) {
    throw new AppError('bad-argument', `The model name ${JSON.stringify(name)} is not allowed: use letters, digits, ".", "_" and "-" (up to 100, not starting with ".")`);
  }
  return name;
}

/** A version as the registry knows it: the facts a move needs, when it was made, and its folder. */
export interface VersionInfo extends VersionFacts {
  createdAt: string;
  dir: string;
}

export interface RegistryState {
  aliases: Record<string, number>;
  history: AliasMove[];
  /** Set when aliases.json disagreed with history.json (a change interrupted between its two writes). */
  repaired: string | null;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Writes `text` to a temporary file in the same folder, flushes it, then renames it over `path`. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function readJsonFile<T>(path: string, fallback: T): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errno(error) === 'ENOENT') return fallback;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new AppError('bad-json', `${path} is not valid JSON: ${(error as Error).message}`, { file: path }, { cause: error });
  }
}

/** Where each alias points after the moves: the last move of each alias. */
export function aliasesFromHistory(history: readonly AliasMove[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const move of history) out[move.alias] = move.to;
  return out;
}

const sameAliases = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

export class FolderRegistry {
  constructor(
    readonly root: string,
    private readonly lockOptions: LockOptions = {},
  ) {}

  modelDir(name: string): string {
    return join(this.root, checkModelName(name));
  }

  versionDir(name: string, version: number): string {
    return join(this.modelDir(name), 'versions', String(version));
  }

  /** The model names, sorted. */
  async names(): Promise<string[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch((error: unknown) => {
      if (errno(error) === 'ENOENT') return [];
      throw error;
    });
    const names = entries.filter((e) => e.isDirectory() && NAME_PATTERN.test(e.name)).map((e) => e.name);
    const withVersions = await Promise.all(names.map(async (name) => ((await this.versions(name)).length ? name : null)));
    return withVersions.filter((name): name is string => name !== null).sort();
  }

  /** The version numbers of a model, ascending (unfinished temporary folders are not versions). */
  async versions(name: string): Promise<number[]> {
    const entries = await readdir(join(this.modelDir(name), 'versions'), { withFileTypes: true }).catch((error: unknown) => {
      if (errno(error) === 'ENOENT') return [];
      throw error;
    });
    return entries.filter((e) => e.isDirectory() && VERSION_DIR.test(e.name)).map((e) => Number(e.name)).sort((a, b) => a - b);
  }

  /** Refuses a model with no versions, naming it and the registry. */
  async requireModel(name: string): Promise<number[]> {
    const versions = await this.versions(name);
    if (!versions.length) {
      const names = await this.names();
      throw new AppError('not-found', `The registry ${this.root} has no model "${name}"${names.length ? `; it has ${names.join(', ')}` : ''}`);
    }
    return versions;
  }

  /** A version's target, task and review verdict (from transforms.json and review.json), refused naming it when absent. */
  async version(name: string, version: number): Promise<VersionInfo> {
    const dir = this.versionDir(name, version);
    const info = await stat(dir).catch(() => null);
    if (!info?.isDirectory()) {
      const versions = await this.versions(name);
      throw new AppError('not-found', `${name} has no version ${version}${versions.length ? `; its versions are ${versions.map((v) => `v${v}`).join(', ')}` : ''}`);
    }
    const transforms = await readJsonFile<{ target?: string; task?: string } | null>(join(dir, 'transforms.json'), null);
    if (!transforms?.target || !transforms.task) throw new AppError('bad-bundle', `${dir} has no transforms.json naming the target and task`, { file: dir });
    const review = await readJsonFile<{ verdict?: MoveVerdict } | null>(join(dir, 'review.json'), null);
    const verdict = review?.verdict && typeof review.verdict.passed === 'boolean' ? { passed: review.verdict.passed, failures: review.verdict.failures ?? [] } : null;
    return { version, target: transforms.target, task: transforms.task, verdict, createdAt: info.mtime.toISOString(), dir };
  }

  /**
   * Aliases and history. history.json is the journal (written first); aliases.json is where each alias points,
   * rebuilt from the history when the two disagree.
   */
  async state(name: string): Promise<RegistryState> {
    const dir = this.modelDir(name);
    const history = await readJsonFile<AliasMove[]>(join(dir, 'history.json'), []);
    const stored = await readJsonFile<Record<string, number>>(join(dir, 'aliases.json'), {});
    if (!Array.isArray(history)) throw new AppError('bad-json', `${join(dir, 'history.json')} is not a list of alias moves`);
    const aliases = aliasesFromHistory(history);
    const repaired = sameAliases(aliases, stored) ? null : `${join(dir, 'aliases.json')} did not match history.json (an interrupted change); rebuilt from the history`;
    return { aliases, history, repaired };
  }

  /**
   * Saves `files` as the next version of `name`, numbered inside the lock (two at once get different numbers):
   * written into a temporary folder, then renamed to versions/N in one step.
   */
  async addVersion(name: string, files: (version: number) => Record<string, Uint8Array>): Promise<number> {
    const dir = this.modelDir(name);
    await mkdir(join(dir, 'versions'), { recursive: true });
    return withLock(dir, name, `add a version of ${name}`, async () => {
      const versions = await this.versions(name);
      const version = (versions[versions.length - 1] ?? 0) + 1;
      const content = files(version);
      const temp = join(dir, 'versions', `.incoming-${process.pid}-${randomBytes(4).toString('hex')}`);
      await mkdir(temp);
      try {
        for (const [file, bytes] of Object.entries(content)) {
          // Relative '/'-separated paths that stay inside the folder (the manifest's rule).
          checkEntryPath(file);
          await mkdir(dirname(join(temp, file)), { recursive: true });
          await writeAtomic(join(temp, file), bytes);
        }
        await rename(temp, this.versionDir(name, version));
      } catch (error) {
        await rm(temp, { recursive: true, force: true });
        throw error;
      }
      return version;
    }, this.lockOptions);
  }

  /**
   * Moves an alias under the lock: the current holder and the history are read inside it, `plan` decides the move
   * (or throws, changing nothing), then history.json and aliases.json are replaced, each atomically.
   */
  async moveAlias(name: string, alias: string, action: string, plan: (state: RegistryState) => Promise<AliasMove>): Promise<{ move: AliasMove; repaired: string | null }> {
    checkAlias(alias);
    const dir = this.modelDir(name);
    await this.requireModel(name);
    return withLock(dir, name, action, async () => {
      const state = await this.state(name);
      if (state.repaired) await writeAtomic(join(dir, 'aliases.json'), JSON.stringify(state.aliases, null, 2) + '\n');
      const move = await plan(state);
      const history = [...state.history, move];
      await writeAtomic(join(dir, 'history.json'), JSON.stringify(history, null, 2) + '\n');
      await writeAtomic(join(dir, 'aliases.json'), JSON.stringify(aliasesFromHistory(history), null, 2) + '\n');
      return { move, repaired: state.repaired };
    }, this.lockOptions);
  }

  /** The files of a version folder by relative '/'-separated path. */
  async files(name: string, version: number): Promise<Record<string, Uint8Array>> {
    return folderFiles(this.versionDir(name, version));
  }
}

/**
 * The files of a bundle folder, checked against its manifest.json when it has one (a file changed, added or removed
 * on disk is refused naming it and `label`).
 */
export async function verifiedFiles(dir: string, label: string): Promise<{ files: Record<string, Uint8Array>; sealed: boolean }> {
  const files = await folderFiles(dir);
  if (!files[MANIFEST_FILE]) return { files, sealed: false };
  try {
    verifyBundle(files);
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, `${label} (${dir}): ${error.message}`, error.place, { cause: error });
    throw error;
  }
  return { files, sealed: true };
}

/** Every file under `dir` by relative '/'-separated path. */
export async function folderFiles(dir: string, prefix = ''): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, await folderFiles(dir, path));
    else if (entry.isFile()) out[path] = new Uint8Array(await readFile(join(dir, path)));
  }
  return out;
}
