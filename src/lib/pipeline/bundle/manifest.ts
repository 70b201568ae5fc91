// The model bundle's manifest (millrace.bundle/1): the SHA-256 of every file, and the checks an import makes.
import { AppError } from '../errors.ts';
import { sha256Hex } from '../sha256.ts';

/** The bundle format this version of Millrace writes and reads. */
export const BUNDLE_FORMAT = 'millrace.bundle/1';
/** The most a bundle may unpack to, all files together (1 GiB). */
export const MAX_BUNDLE_BYTES = 1024 ** 3;
export const MANIFEST_FILE = 'manifest.json';

export interface ManifestEntry {
  sha256: string;
  bytes: number;
}

/** manifest.json: the format and, per file (sorted by path, the manifest itself excluded), its SHA-256 and size. */
export interface BundleManifest {
  format: string;
  files: Record<string, ManifestEntry>;
}

/** A bundle's files by path (relative, '/'-separated). */
export type BundleEntries = Record<string, Uint8Array>;

const FORMAT_PATTERN = /^millrace\.bundle\/(\d+)$/;
const CURRENT_VERSION = Number(FORMAT_PATTERN.exec(BUNDLE_FORMAT)![1]);

const bad = (message: string, file?: string) => new AppError('bad-bundle', message, file === undefined ? {} : { file });

/** The manifest of a bundle's files (manifest.json itself, when present, is left out). */
export function manifestOf(files: BundleEntries): BundleManifest {
  const out: Record<string, ManifestEntry> = {};
  for (const path of Object.keys(files).sort()) {
    if (path === MANIFEST_FILE) continue;
    checkEntryPath(path);
    out[path] = { sha256: sha256Hex(files[path]!), bytes: files[path]!.byteLength };
  }
  return { format: BUNDLE_FORMAT, files: out };
}

/** The files plus their manifest.json (written last). */
export function withManifest(files: BundleEntries): BundleEntries {
  const rest = { ...files };
  delete rest[MANIFEST_FILE];
  const manifest = new TextEncoder().encode(JSON.stringify(manifestOf(rest), null, 2) + '\n');
  return { ...rest, [MANIFEST_FILE]: manifest };
}

/**
 * Refuses a path that would unpack outside the bundle folder: absolute (`/x`, `C:x`), with a backslash, empty,
 * or with a `.`/`..` segment. The message names the entry.
 */
export function checkEntryPath(path: string): void {
  const shown = JSON.stringify(path);
  if (path.length === 0) throw bad('Bundle entry with an empty name is refused');
  if (path.includes('\\')) throw bad(`Bundle entry ${shown} contains a backslash; refused`, path);
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw bad(`Bundle entry ${shown} is an absolute path; refused`, path);
  if (path.includes('\0')) throw bad(`Bundle entry ${shown} contains a NUL character; refused`, path);
  const segments = path.split('/');
  if (segments.some((segment) => segment === '..')) throw bad(`Bundle entry ${shown} would unpack outside the bundle folder; refused`, path);
  if (segments.some((segment) => segment === '.' || segment === '')) throw bad(`Bundle entry ${shown} is not a plain relative path; refused`, path);
}

/**
 * Checks entries before anything is unpacked or read: every path (checkEntryPath), no path twice, and the declared
 * sizes together at most `limit` bytes (the message names the entry that crosses it).
 */
export function checkEntries(entries: readonly { path: string; bytes: number }[], limit = MAX_BUNDLE_BYTES): void {
  const seen = new Set<string>();
  let total = 0;
  for (const { path, bytes } of entries) {
    checkEntryPath(path);
    if (seen.has(path)) throw bad(`Bundle entry ${JSON.stringify(path)} appears twice; refused`, path);
    seen.add(path);
    total += bytes;
    if (total > limit) {
      throw bad(`Bundle entry ${JSON.stringify(path)} would unpack the bundle to more than ${formatLimit(limit)} (${total} bytes declared); refused`, path);
    }
  }
}

function formatLimit(limit: number): string {
  return limit === MAX_BUNDLE_BYTES ? '1 GB' : `${limit} bytes`;
}

/** The manifest.json of a bundle, parsed and checked: a Millrace bundle format no newer than this one reads. */
export function parseManifest(bytes: Uint8Array | undefined): BundleManifest {
  if (!bytes) throw bad('The bundle has no manifest.json; refused', MANIFEST_FILE);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw bad('manifest.json is not valid JSON; refused', MANIFEST_FILE);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad('manifest.json is not a JSON object; refused', MANIFEST_FILE);
  const { format, files } = value as { format?: unknown; files?: unknown };
  const match = typeof format === 'string' ? FORMAT_PATTERN.exec(format) : null;
  if (!match) throw bad(`manifest.json: format ${JSON.stringify(format ?? null)} is not a Millrace bundle format (${BUNDLE_FORMAT}); refused`, MANIFEST_FILE);
  if (Number(match[1]) > CURRENT_VERSION) {
    throw bad(`manifest.json: bundle format ${format as string} is newer than this version of Millrace reads (${BUNDLE_FORMAT}); refused`, MANIFEST_FILE);
  }
  if (!files || typeof files !== 'object' || Array.isArray(files)) throw bad('manifest.json: "files" is not an object; refused', MANIFEST_FILE);
  const out: Record<string, ManifestEntry> = {};
  for (const [path, entry] of Object.entries(files as Record<string, unknown>)) {
    checkEntryPath(path);
    const { sha256, bytes: size } = (entry ?? {}) as { sha256?: unknown; bytes?: unknown };
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) throw bad(`manifest.json: ${path} has no valid sha256; refused`, MANIFEST_FILE);
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) throw bad(`manifest.json: ${path} has no valid size in bytes; refused`, MANIFEST_FILE);
    out[path] = { sha256, bytes: size };
  }
  return { format: format as string, files: out };
}

/**
 * Verifies a bundle's files against its manifest.json: the format is known and not newer, every path is safe,
 * every listed file is present with its SHA-256, and no file is unlisted. Throws AppError 'bad-bundle' naming the
 * first bad file; returns the manifest.
 */
export function verifyBundle(entries: BundleEntries): BundleManifest {
  checkEntries(Object.entries(entries).map(([path, data]) => ({ path, bytes: data.byteLength })));
  const manifest = parseManifest(entries[MANIFEST_FILE]);
  for (const path of Object.keys(manifest.files)) {
    if (!(path in entries)) throw bad(`${path} is listed in manifest.json but missing from the bundle; refused`, path);
  }
  for (const path of Object.keys(entries).sort()) {
    if (path === MANIFEST_FILE) continue;
    const listed = manifest.files[path];
    if (!listed) throw bad(`${path} is in the bundle but not listed in manifest.json; refused`, path);
    const data = entries[path]!;
    if (data.byteLength !== listed.bytes || sha256Hex(data) !== listed.sha256) {
      throw bad(`${path} does not match its SHA-256 in manifest.json (the file was changed); refused`, path);
    }
  }
  return manifest;
}
