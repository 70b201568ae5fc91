// Reading a bundle zip safely: paths and declared sizes are checked before any entry is inflated.
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { AppError } from '../errors.ts';
import { checkEntries, MAX_BUNDLE_BYTES, verifyBundle, type BundleEntries, type BundleManifest } from './manifest.ts';

/**
 * The files of a bundle zip. Refuses a file that is not a zip, an entry that would unpack outside the folder, and
 * entries whose declared sizes add up to more than `limit` (1 GB) — all before inflating anything; an entry that
 * inflates to more than it declared is cut at its declared size (and then fails its SHA-256). Directory entries are
 * skipped.
 */
export function unzipBundle(zip: Uint8Array, fileName = 'The bundle', limit = MAX_BUNDLE_BYTES): BundleEntries {
  const infos: UnzipFileInfo[] = [];
  const isZip = zip.byteLength >= 22 && zip[0] === 0x50 && zip[1] === 0x4b;
  if (!isZip) throw new AppError('bad-bundle', `${fileName} is not a zip file; refused`, { file: fileName });
  try {
    unzipSync(zip, { filter: (info) => (infos.push(info), false) });
  } catch (error) {
    throw new AppError('bad-bundle', `${fileName} is not a readable zip file (${(error as Error).message}); refused`, { file: fileName }, { cause: error });
  }
  const files = infos.filter((info) => !info.name.endsWith('/'));
  checkEntries(files.map((info) => ({ path: info.name, bytes: info.originalSize })), limit);
  try {
    return unzipSync(zip, { filter: (info) => !info.name.endsWith('/') });
  } catch (error) {
    throw new AppError('bad-bundle', `${fileName} has a damaged entry (${(error as Error).message}); refused`, { file: fileName }, { cause: error });
  }
}

/** Unzips and verifies a bundle (unzipBundle, then verifyBundle): its files and manifest. */
export function readBundleZip(zip: Uint8Array, fileName = 'The bundle'): { files: BundleEntries; manifest: BundleManifest } {
  const files = unzipBundle(zip, fileName);
  return { files, manifest: verifyBundle(files) };
}
