// readModelBundle: a CLI bundle zipped and read back (name, lineage, parts), scoring the same after the round trip; tampered zips refused naming the file.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelBundle } from '../../../src/lib/ml/bundle-import.ts';
import { zipBundle } from '../../../src/lib/ml/bundle.ts';
import { withManifest } from '../../../src/lib/pipeline/bundle/manifest.ts';
import { DATA, millrace } from '../cli-run.ts';
import { studioScored } from './predict-reference.ts';

let work = '';
let files: Record<string, Uint8Array> = {};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'millrace-import-'));
  const run = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--model', 'linear', '--epochs', '5', '--out', join(work, 'out'));
  expect(run.status, run.stderr).toBe(0);
  const dir = join(work, 'out', 'model');
  files = Object.fromEntries(readdirSync(dir).map((name) => [name, new Uint8Array(readFileSync(join(dir, name)))]));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('readModelBundle', () => {
  it('reads a verified bundle: name, lineage, parts; the unzipped copy scores the same', async () => {
    const bundle = readModelBundle(zipBundle(files), 'species.zip');
    expect(bundle.name).toBe('Species');
    expect(bundle.lineage).toEqual({ dataset: 'penguins.json', version: null, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(bundle.transforms.target).toBe('Species');
    expect(bundle.review).toMatchObject({ format: 'millrace.review/1' });
    const copy = join(work, 'copy');
    mkdirSync(copy);
    for (const [name, data] of Object.entries(unzipSync(zipBundle(files)))) writeFileSync(join(copy, name), data);
    expect(await studioScored(copy, `${DATA}/penguins.json`)).toBe(await studioScored(join(work, 'out', 'model'), `${DATA}/penguins.json`));
  });

  it('refuses a changed byte, a missing required file and a zip that is no bundle, naming them', () => {
    const changed = { ...files, 'weights.bin': files['weights.bin']!.map((b, i) => (i === 0 ? b ^ 1 : b)) };
    expect(() => readModelBundle(zipSync(changed), 'species.zip')).toThrow('weights.bin does not match its SHA-256 in manifest.json (the file was changed); refused');
    const { 'model-card.md': _card, ...rest } = files;
    expect(() => readModelBundle(zipSync(withManifest(rest)), 'species.zip')).toThrow('species.zip has no model-card.md; refused');
    expect(() => readModelBundle(new TextEncoder().encode('hello'), 'notes.txt')).toThrow('notes.txt is not a zip file; refused');
  });
});
