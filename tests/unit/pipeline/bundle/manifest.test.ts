// Bundle manifests and import refusals: changed, missing and extra files, unsafe paths, the 1 GB limit, newer formats, not a zip.
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT, checkEntries, manifestOf, verifyBundle, withManifest } from '../../../../src/lib/pipeline/bundle/manifest.ts';
import { readBundleZip, unzipBundle } from '../../../../src/lib/pipeline/bundle/zip.ts';
import { sha256Hex } from '../../../../src/lib/pipeline/sha256.ts';

const files = () => ({ 'model.json': strToU8('{"a":1}'), 'weights.bin': new Uint8Array([1, 2, 3, 4]), 'README.md': strToU8('# hi\n') });
const zip = (entries: Record<string, Uint8Array>) => zipSync(entries);

/** Sets the declared uncompressed size of every entry named `name` in a zip (local header and central directory). */
function declareSize(bytes: Uint8Array, name: string, size: number): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const encoded = strToU8(name);
  const matches = (at: number) => encoded.every((b, i) => out[at + i] === b);
  for (let i = 0; i + 4 < out.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50 && view.getUint16(i + 26, true) === encoded.length && matches(i + 30)) view.setUint32(i + 22, size, true);
    if (sig === 0x02014b50 && view.getUint16(i + 28, true) === encoded.length && matches(i + 46)) view.setUint32(i + 24, size, true);
  }
  return out;
}

describe('manifestOf', () => {
  it('lists every file but the manifest, sorted, with its SHA-256 and size, and the format', () => {
    const m = manifestOf({ ...files(), 'manifest.json': strToU8('{}') });
    expect(m.format).toBe(BUNDLE_FORMAT);
    expect(Object.keys(m.files)).toEqual(['README.md', 'model.json', 'weights.bin']);
    expect(m.files['weights.bin']).toEqual({ sha256: sha256Hex(new Uint8Array([1, 2, 3, 4])), bytes: 4 });
  });

  it('verifies a bundle written with withManifest, as files and as a zip', () => {
    const bundle = withManifest(files());
    expect(verifyBundle(bundle).files['model.json']!.bytes).toBe(7);
    const read = readBundleZip(zip(bundle), 'b.zip');
    expect(Object.keys(read.files).sort()).toEqual(['README.md', 'manifest.json', 'model.json', 'weights.bin']);
  });
});

describe('verifyBundle refuses', () => {
  it('a changed byte, naming the file', () => {
    const bundle = withManifest(files());
    bundle['weights.bin'] = new Uint8Array([1, 2, 3, 5]);
    expect(() => verifyBundle(bundle)).toThrow('weights.bin does not match its SHA-256 in manifest.json (the file was changed); refused');
  });

  it('a missing file', () => {
    const bundle = withManifest(files());
    delete bundle['model.json'];
    expect(() => verifyBundle(bundle)).toThrow('model.json is listed in manifest.json but missing from the bundle; refused');
  });

  it('an extra file', () => {
    const bundle = { ...withManifest(files()), 'evil.js': strToU8('alert(1)') };
    expect(() => verifyBundle(bundle)).toThrow('evil.js is in the bundle but not listed in manifest.json; refused');
  });

  it('no manifest', () => {
    expect(() => verifyBundle(files())).toThrow('The bundle has no manifest.json; refused');
  });

  it('a newer format version, and a format that is not a bundle', () => {
    const bundle = withManifest(files());
    const manifest = JSON.parse(new TextDecoder().decode(bundle['manifest.json']));
    bundle['manifest.json'] = strToU8(JSON.stringify({ ...manifest, format: 'millrace.bundle/2' }));
    expect(() => verifyBundle(bundle)).toThrow('manifest.json: bundle format millrace.bundle/2 is newer than this version of Millrace reads (millrace.bundle/1); refused');
    bundle['manifest.json'] = strToU8(JSON.stringify({ ...manifest, format: 'other/1' }));
    expect(() => verifyBundle(bundle)).toThrow('manifest.json: format "other/1" is not a Millrace bundle format (millrace.bundle/1); refused');
    bundle['manifest.json'] = strToU8('{');
    expect(() => verifyBundle(bundle)).toThrow('manifest.json is not valid JSON; refused');
  });

  it('unsafe paths in the files and in the manifest', () => {
    expect(() => verifyBundle({ ...withManifest(files()), '../evil': strToU8('x') })).toThrow('Bundle entry "../evil" would unpack outside the bundle folder; refused');
    expect(() => verifyBundle({ ...withManifest(files()), '/etc/passwd': strToU8('x') })).toThrow('Bundle entry "/etc/passwd" is an absolute path; refused');
    expect(() => verifyBundle({ ...withManifest(files()), 'a\\..\\b': strToU8('x') })).toThrow('Bundle entry "a\\\\..\\\\b" contains a backslash; refused');
    const manifest = { format: BUNDLE_FORMAT, files: { 'x/../../y': { sha256: '0'.repeat(64), bytes: 1 } } };
    expect(() => verifyBundle({ 'manifest.json': strToU8(JSON.stringify(manifest)) })).toThrow('Bundle entry "x/../../y" would unpack outside the bundle folder; refused');
  });
});

describe('unzipBundle refuses', () => {
  it('a file that is not a zip', () => {
    expect(() => unzipBundle(strToU8('{"format":"millrace.bundle/1"}'), 'model.zip')).toThrow('model.zip is not a zip file; refused');
    expect(() => unzipBundle(new Uint8Array([0x50, 0x4b, ...new Array(40).fill(0)]), 'model.zip')).toThrow(/^model\.zip is not a readable zip file \(.+\); refused$/);
  });

  it("a '../evil' entry and an absolute path, before inflating", () => {
    expect(() => unzipBundle(zip({ ...withManifest(files()), '../evil': strToU8('x') }), 'b.zip')).toThrow('Bundle entry "../evil" would unpack outside the bundle folder; refused');
    expect(() => unzipBundle(zip({ '/abs/evil': strToU8('x') }), 'b.zip')).toThrow('Bundle entry "/abs/evil" is an absolute path; refused');
  });

  it('entries declaring more than 1 GB unpacked, naming the entry that crosses the limit', () => {
    const bytes = declareSize(zip({ 'a.bin': new Uint8Array(10), 'big.bin': new Uint8Array(10) }), 'big.bin', 1024 ** 3);
    expect(() => unzipBundle(bytes, 'b.zip')).toThrow('Bundle entry "big.bin" would unpack the bundle to more than 1 GB (1073741834 bytes declared); refused');
    expect(() => checkEntries([{ path: 'a', bytes: 5 }, { path: 'b', bytes: 6 }], 10)).toThrow('Bundle entry "b" would unpack the bundle to more than 10 bytes (11 bytes declared); refused');
  });

  it('an entry that inflates to more than it declares is cut and fails its hash', () => {
    const bundle = withManifest({ 'weights.bin': new Uint8Array(1000).fill(7) });
    const bytes = declareSize(zip(bundle), 'weights.bin', 10);
    expect(() => readBundleZip(bytes)).toThrow(/weights\.bin|damaged entry/);
  });
});
