// The CLI registry with a tree model: run --model gbdt --register, score and review NAME@VERSION (as predict.mjs scores), export (no weights.bin), import into another registry, tampering refused naming model.json.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA } from './cli-run.ts';
import { cli } from './cli-registry-helpers.ts';
import { compareScored } from './ml/predict-compare.ts';

const work = mkdtempSync(join(tmpdir(), 'millrace-cli-trees-registry-'));
const registry = join(work, 'registry');
const other = join(work, 'other');
const versionDir = (root: string, name: string, v: number) => join(root, name, 'versions', String(v));

beforeAll(async () => {
  const run = await cli('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--model', 'gbdt', '--rounds', '20', '--leaves', '15', '--seed', '3', '--out', join(work, 'run'), '--register', 'species', '--registry', registry);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain(`millrace: registered species v1 in ${registry}`);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('millrace with a tree model in the registry', () => {
  it('registers the trees: model.json of format millrace.trees/1, no weights.bin, the card and README naming them', () => {
    const dir = versionDir(registry, 'species', 1);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(readdirSync(join(work, 'run', 'model')).sort());
    expect(files).not.toContain('weights.bin');
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'model.json', 'transforms.json', 'recipe.json', 'pipeline.json', 'review.json', 'model-card.md', 'README.md', 'predict.mjs']));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
    expect(Object.keys(manifest.files).sort()).toEqual(files.filter((f) => f !== 'manifest.json'));
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'))).toMatchObject({ format: 'millrace.trees/1', loss: 'softmax', outputs: 3 });
    expect(readFileSync(join(dir, 'model-card.md'), 'utf8')).toMatch(/^# species — version 1$/m);
    expect(readFileSync(join(dir, 'model-card.md'), 'utf8')).toContain('Model: gradient-boosted trees (20 rounds, 15 leaves)');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('**It is not a TF.js layers model**');
  });

  it('scores NAME@VERSION with the trees as predict.mjs does, and reviews it', async () => {
    const scored = await cli('score', '--model', 'species@1', '--data', `${DATA}/penguins.json`, '--out', join(work, 'scored.csv'), '--registry', registry);
    expect(scored.stderr).toBe('');
    expect(scored.stdout).toBe(`millrace: scored 344 of 344 rows of penguins.json with species v1; wrote ${join(work, 'scored.csv')}\n`);
    const csv = readFileSync(join(work, 'scored.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('Species,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex,predicted_Species,probability_Adelie,probability_Chinstrap,probability_Gentoo');
    const { spawnSync } = await import('node:child_process');
    const predict = spawnSync(process.execPath, [join(versionDir(registry, 'species', 1), 'predict.mjs'), '--data', `${DATA}/penguins.json`], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    expect(predict.status, predict.stderr).toBe(0);
    expect(compareScored(csv, predict.stdout).maxAbs).toBeLessThanOrEqual(1e-6);
    const review = await cli('review', '--model', 'species@1', '--data', `${DATA}/penguins.json`, '--out', join(work, 'review'), '--registry', registry);
    expect(review.stderr).toBe('');
    expect(review.stdout).toMatch(/^review (passed|failed): accuracy/);
  });

  it('exports a zip without weights.bin that imports into another registry and scores the same', async () => {
    const exported = await cli('export', 'species@1', '--out', join(work, 'species.zip'), '--registry', registry);
    expect(exported.stderr).toBe('');
    const entries = unzipSync(readFileSync(join(work, 'species.zip')));
    expect(Object.keys(entries).sort()).toEqual(readdirSync(versionDir(registry, 'species', 1)).sort());
    expect(Object.keys(entries)).not.toContain('weights.bin');
    const imported = await cli('import', join(work, 'species.zip'), '--registry', other);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe(`millrace: imported species.zip (Species, multiclass) as species v1 in ${other}\n`);
    expect(readFileSync(join(versionDir(other, 'species', 1), 'model.json'))).toEqual(readFileSync(join(versionDir(registry, 'species', 1), 'model.json')));
    const again = await cli('score', '--model', 'species@1', '--data', `${DATA}/penguins.json`, '--out', join(work, 'again.csv'), '--registry', other);
    expect(again.status).toBe(0);
    expect(readFileSync(join(work, 'again.csv'), 'utf8')).toBe(readFileSync(join(work, 'scored.csv'), 'utf8'));
  });

  it('refuses a changed model.json in a zip or a version folder, and trees that do not load, naming model.json', async () => {
    const entries = unzipSync(readFileSync(join(work, 'species.zip')));
    const trees = JSON.parse(strFromU8(entries['model.json']!));
    const changed = { ...entries, 'model.json': strToU8(JSON.stringify({ ...trees, baseline: trees.baseline.map((b: number) => b + 1) }, null, 2) + '\n') };
    writeFileSync(join(work, 'tampered.zip'), zipSync(changed));
    const refused = await cli('import', join(work, 'tampered.zip'), '--registry', other);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe('millrace: tampered.zip: model.json does not match its SHA-256 in manifest.json (the file was changed); refused\n');
    expect(readdirSync(join(other, 'species', 'versions'))).toEqual(['1']);

    const { withManifest } = await import('../../src/lib/pipeline/bundle/manifest.ts');
    writeFileSync(join(work, 'broken.zip'), zipSync(withManifest({ ...entries, 'model.json': strToU8(JSON.stringify({ ...trees, trees: [{ feature: [0] }, ...trees.trees.slice(1)] })) })));
    const broken = await cli('import', join(work, 'broken.zip'), '--registry', other);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toBe('millrace: broken.zip: model.json: tree 1 has node arrays of different lengths; refused\n');

    const copy = join(work, 'copy');
    cpSync(registry, copy, { recursive: true });
    writeFileSync(join(versionDir(copy, 'species', 1), 'model.json'), changed['model.json']);
    const scored = await cli('score', '--model', 'species@1', '--data', `${DATA}/penguins.json`, '--out', join(work, 'bad.csv'), '--registry', copy);
    expect(scored.status).toBe(1);
    expect(scored.stderr).toMatch(/^millrace: species v1 \(.*\): model\.json does not match its SHA-256 in manifest\.json/);
    expect(existsSync(join(work, 'bad.csv'))).toBe(false);
    const exportedBad = await cli('export', 'species@1', '--out', join(work, 'bad.zip'), '--registry', copy);
    expect(exportedBad.status).toBe(1);
    expect(exportedBad.stderr).toMatch(/model\.json does not match its SHA-256 in manifest\.json/);
  });
});
