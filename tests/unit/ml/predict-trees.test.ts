// predict.mjs of gradient-boosted trees in Node: equal to the studio's scoring (missing values, unseen levels) for binary, multiclass and regression, and scoring where TF.js cannot be resolved.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../../src/lib/pipeline/bundle/manifest.ts';
import { DATA, millrace } from '../cli-run.ts';
import { comparePredictions, compareScored, parseCsvText } from './predict-compare.ts';
import { studioScored } from './predict-reference.ts';

const FIX = 'tests/fixtures/bundle';
let work = '';
const data: Record<string, string> = {};

type Row = Record<string, unknown>;

/** The file's rows plus `extra` rows: copies of rows at `from` with fields replaced (null: missing; unseen levels). */
function augmented(name: string, source: string, changes: Row[]): string {
  const rows = JSON.parse(readFileSync(source, 'utf8')) as Row[];
  const extra = changes.map((change, i) => ({ ...rows[(i * 37) % rows.length], ...change }));
  const path = join(work, name);
  writeFileSync(path, JSON.stringify([...rows, ...extra]));
  return path;
}

function train(name: string, ...args: string[]): string {
  const out = join(work, name);
  const result = millrace('run', ...args, '--model', 'gbdt', '--rounds', '30', '--seed', '5', '--out', out);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return join(out, 'model');
}

function predictCli(dir: string, file: string, cwd = work) {
  return spawnSync(process.execPath, [join(dir, 'predict.mjs'), '--data', resolve(file)], { encoding: 'utf8', cwd, env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 26 });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'millrace-predict-trees-'));
  symlinkSync(resolve('node_modules'), join(work, 'node_modules'), 'dir');
  const penguins = [
    { Island: 'Atlantis' },
    { Island: 'Atlantis', 'Beak Length (mm)': null, 'Body Mass (g)': null },
    { 'Beak Depth (mm)': null, 'Flipper Length (mm)': null },
    { Sex: 'UNKNOWN', 'Beak Length (mm)': null },
    { Island: null, 'Beak Depth (mm)': null, 'Body Mass (g)': null, 'Flipper Length (mm)': null },
    { 'Beak Length (mm)': null, 'Beak Depth (mm)': null, 'Flipper Length (mm)': null, 'Body Mass (g)': null, Island: 'Atlantis', Sex: null },
  ];
  data.penguins = augmented('penguins-plus.json', `${DATA}/penguins.json`, penguins);
  // Binary on Sex: the rows scored all have a sex (the recipe drops the others).
  data.penguinsSex = augmented('penguins-sex.json', `${DATA}/penguins.json`, penguins.map(({ Sex: _sex, ...rest }) => ({ ...rest, Sex: 'MALE' })));
  data.cars = augmented('cars-plus.json', `${DATA}/cars.json`, [
    { Origin: 'Mars' },
    { Origin: 'Mars', Horsepower: null, Year: null },
    { Cylinders: 7, Acceleration: null },
    { Horsepower: null, Weight_in_lbs: null, Displacement: null },
    { Year: null, Origin: null, Name: null },
    { Cylinders: null, Displacement: null, Horsepower: null, Weight_in_lbs: null, Acceleration: null, Year: null, Origin: 'Atlantis' },
  ]);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cases = [
  { name: 'penguins-species', target: 'Species', file: () => data.penguins!, args: [] as string[] },
  { name: 'penguins-sex', target: 'Sex', file: () => data.penguinsSex!, args: ['--recipe', `${FIX}/penguins-recipe.json`, '--policy', `${FIX}/threshold-policy.json`] },
  { name: 'cars-every-kind', target: 'Miles_per_Gallon', file: () => data.cars!, args: ['--feature-set', `${FIX}/cars-all.json`] },
];

describe('predict.mjs of a tree model in Node', () => {
  for (const c of cases) {
    it(`${c.name}: node predict.mjs --data and loadModel().predict equal the studio's scored file, missing values and unseen levels included`, { timeout: 240_000 }, async () => {
      const dir = train(c.name, '--data', c.file(), '--target', c.target, ...c.args);
      const names = readdirSync(dir);
      expect(names).not.toContain('weights.bin');
      expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).format).toBe('millrace.trees/1');
      expect(JSON.parse(readFileSync(join(dir, 'transforms.json'), 'utf8')).keepMissing).toBe(true);
      const files = Object.fromEntries(names.map((name) => [name, new Uint8Array(readFileSync(join(dir, name)))]));
      expect(Object.keys(verifyBundle(files).files)).toContain('model.json');
      const reference = await studioScored(dir, c.file());
      const result = predictCli(dir, c.file());
      expect(result.status, result.stderr).toBe(0);
      const diff = compareScored(reference, result.stdout);
      expect(diff.rows).toBeGreaterThan(300);
      expect(diff.maxAbs).toBeLessThanOrEqual(1e-6);
      console.log(`${c.name}: ${diff.rows} rows, max |difference| ${diff.maxAbs} (CLI, ${diff.identical ? 'byte-identical' : 'not byte-identical'})`);
      // The extra rows (missing values, unseen levels) are scored, with numbers, not left blank.
      const [header, ...lines] = parseCsvText(reference);
      const predicted = header!.indexOf(`predicted_${c.target}`);
      expect(lines.slice(-6).every((line) => line[predicted] !== '')).toBe(true);

      const { loadModel } = await import(/* @vite-ignore */ pathToFileURL(join(dir, 'predict.mjs')).href);
      const model = await loadModel(dir);
      expect(model.info.model).toBe('gradient-boosted trees');
      if (c.name === 'penguins-sex') expect(model.info).toMatchObject({ threshold: 0.35, positiveClass: 'MALE' });
      const predictions: Record<string, unknown>[] = await model.predict(JSON.parse(readFileSync(c.file(), 'utf8')));
      expect(predictions).toHaveLength(lines.length);
      const { maxAbs, mismatches } = comparePredictions(predictions, reference);
      expect(mismatches).toEqual([]);
      expect(maxAbs).toBeLessThanOrEqual(1e-6);
      model.dispose();
    });
  }

  it('scores a tree bundle in a folder where @tensorflow/tfjs cannot be resolved (a network bundle there says it needs TF.js)', { timeout: 240_000 }, async () => {
    // Outside the repo, with no node_modules on the way up: `import('@tensorflow/tfjs')` fails there.
    const bare = mkdtempSync(join(tmpdir(), 'millrace-no-tfjs-'));
    try {
      for (let dir = bare; ; dir = resolve(dir, '..')) {
        expect(existsSync(join(dir, 'node_modules', '@tensorflow', 'tfjs'))).toBe(false);
        if (dir === resolve(dir, '..')) break;
      }
      cpSync(join(work, 'penguins-species', 'model'), join(bare, 'trees'), { recursive: true });
      const trees = predictCli(join(bare, 'trees'), data.penguins!, bare);
      expect(trees.stderr).toBe('');
      expect(trees.status).toBe(0);
      expect(compareScored(await studioScored(join(bare, 'trees'), data.penguins!), trees.stdout).maxAbs).toBeLessThanOrEqual(1e-6);

      const network = join(bare, 'network');
      const run = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--model', 'linear', '--epochs', '2', '--out', network);
      expect(run.status, run.stderr).toBe(0);
      const refused = predictCli(join(network, 'model'), data.penguins!, bare);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('predict.mjs: model.json is a TF.js layers model and @tensorflow/tfjs cannot be loaded');
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
