// A tree model's bundle through the ML worker on fake IndexedDB: exported without weights.bin (README and card say trees), scored the same by predict.mjs, imported back, tampered model.json refused.
import 'fake-indexeddb/auto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { withManifest } from '../../../src/lib/pipeline/bundle/manifest.ts';
import { verifyAudit } from '../../../src/lib/store/audit.ts';
import { getModelWithRun } from '../../../src/lib/store/models.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { mlApi } from '../../../workers/ml.worker.ts';
import { resetDb, tableCounts } from '../store/helpers.ts';
import { compareScored } from '../ml/predict-compare.ts';
import { csvFile } from './helpers.ts';

beforeAll(async () => void (await chooseBackend('wasm')));
beforeEach(resetDb);

/** Seeded rows: x1, x2 numbers (some missing), c a category; y (no/yes) mostly from x1 and c. */
function lines(rows: number, levels = ['a', 'b', 'c']): string[] {
  let state = 917;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out = ['x1,x2,c,y'];
  for (let i = 0; i < rows; i++) {
    const x1 = random() * 4 - 2;
    const x2 = random() * 4 - 2;
    const c = levels[i % levels.length]!;
    const y = x1 + (c === 'a' ? 1 : 0) + (random() - 0.5) * 2 > 0 ? 'yes' : 'no';
    out.push(`${i % 11 === 0 ? '' : x1.toFixed(3)},${i % 7 === 0 ? '' : x2.toFixed(3)},${i % 13 === 0 ? '' : c},${y}`);
  }
  return out;
}

/** A tree model trained in the studio, saved as "churn" v1 with a threshold, and its exported zip. */
async function exported(): Promise<{ modelId: number; fileName: string; zip: Uint8Array }> {
  const { versionId } = await dataApi.importFile(csvFile('churn.csv', lines(400)));
  await mlApi.train({ runId: 'trees-a', versionId, spec: makeSpec({ target: 'y', split: { seed: 7 }, model: { kind: 'gbdt', rounds: 25, leaves: 7 } }) });
  const { modelId } = await mlApi.saveModel('trees-a', 'churn', { threshold: 0.45 });
  const { zip, fileName } = await mlApi.exportModel(modelId);
  return { modelId, fileName, zip: new Uint8Array(await zip.arrayBuffer()) };
}

const asFile = (name: string, bytes: Uint8Array) => ({ name, data: new Blob([bytes as Uint8Array<ArrayBuffer>]) });

describe('a tree model bundle in the studio', () => {
  it('exports model.json as trees and no weights.bin; predict.mjs scores as the studio; it imports as the next version and scores the same', async () => {
    const { modelId, fileName, zip } = await exported();
    const files = unzipSync(zip);
    expect(Object.keys(files)).not.toContain('weights.bin');
    expect(JSON.parse(strFromU8(files['model.json']!))).toMatchObject({ format: 'millrace.trees/1', loss: 'log_loss', rounds: 25 });
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { files: Record<string, unknown> };
    expect(Object.keys(manifest.files).sort()).toEqual(Object.keys(files).filter((name) => name !== 'manifest.json').sort());
    const readme = strFromU8(files['README.md']!);
    expect(readme).toContain('gradient-boosted trees (25 rounds, up to 7 leaves a tree) as plain JSON, format `millrace.trees/1`');
    expect(readme).toContain('**It is not a TF.js layers model**');
    expect(readme).not.toContain('npm install @tensorflow/tfjs');
    expect(strFromU8(files['model-card.md']!)).toContain('Model: gradient-boosted trees (25 rounds, 7 leaves)');

    // An unseen level, missing values: the studio's scored file and predict.mjs's agree.
    const batch = [...lines(150, ['a', 'b', 'c', 'zzz']).map((line) => line.split(',').slice(0, 3).join(','))];
    const scored = await mlApi.score(modelId, csvFile('new.csv', batch));
    const studio = await scored.csv.text();
    const dir = mkdtempSync(join(tmpdir(), 'millrace-trees-export-'));
    try {
      for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
      writeFileSync(join(dir, 'new.csv'), batch.join('\n') + '\n');
      const result = spawnSync(process.execPath, [join(dir, 'predict.mjs'), '--data', join(dir, 'new.csv')], { encoding: 'utf8', cwd: dir, env: { ...process.env, TZ: 'UTC' } });
      expect(result.stderr).toBe('');
      const diff = compareScored(studio, result.stdout);
      expect(diff.rows).toBe(150);
      expect(diff.maxAbs).toBeLessThanOrEqual(1e-6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const imported = await mlApi.importModelBundle(asFile(fileName, zip));
    expect(imported).toMatchObject({ name: 'churn', version: 2 });
    const { model, run } = await getModelWithRun(imported.modelId);
    expect(model).toMatchObject({ threshold: 0.45, positiveClass: 'yes' });
    expect(run.modelJson).toMatchObject({ format: 'millrace.trees/1' });
    expect(run.weights.size).toBe(0);
    const again = await mlApi.score(imported.modelId, csvFile('new.csv', batch));
    expect(await again.csv.text()).toBe(studio);
    // Exported again: still trees, still no weights.bin.
    const second = unzipSync(new Uint8Array(await (await mlApi.exportModel(imported.modelId)).zip.arrayBuffer()));
    expect(Object.keys(second)).not.toContain('weights.bin');
    expect(second['model.json']).toEqual(files['model.json']);
    expect(await verifyAudit()).toMatchObject({ ok: true });
  }, 120_000);

  it('refuses a changed model.json, and trees that do not load (manifest rewritten), naming model.json; nothing is written', async () => {
    const { zip } = await exported();
    const files = unzipSync(zip);
    const trees = JSON.parse(strFromU8(files['model.json']!));
    const changed = zipSync({ ...files, 'model.json': strToU8(strFromU8(files['model.json']!).replace('"rounds": 25', '"rounds": 26')) });
    const { 'manifest.json': _m, ...rest } = files;
    const broken = zipSync(withManifest({ ...rest, 'model.json': strToU8(JSON.stringify({ ...trees, baseline: [] })) }));
    const before = await tableCounts();
    await expect(mlApi.importModelBundle(asFile('changed.zip', changed))).rejects.toMatchObject({ code: 'bad-bundle', message: expect.stringContaining('model.json does not match its SHA-256 in manifest.json (the file was changed); refused') });
    await expect(mlApi.importModelBundle(asFile('broken.zip', broken))).rejects.toMatchObject({ code: 'bad-bundle', place: { file: 'model.json' }, message: expect.stringContaining('model.json: baseline is missing or malformed in the tree model; refused') });
    expect(await tableCounts()).toEqual(before);
  }, 120_000);
});
