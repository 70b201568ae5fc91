// predict.mjs in Node: `node predict.mjs --data FILE` and loadModel(dir).predict(rows) equal the studio's scoring (scoreTable + predictionsCsv) to 1e-6.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILES, REFERENCE_FILE } from '../../../src/lib/ml/bundle.ts';
import { verifyBundle } from '../../../src/lib/pipeline/bundle/manifest.ts';
import { DATA, millrace } from '../cli-run.ts';
import { comparePredictions, compareScored, parseCsvText } from './predict-compare.ts';
import { studioScored } from './predict-reference.ts';

const FIX = 'tests/fixtures/bundle';
let work = '';

function train(name: string, ...args: string[]): string {
  const out = join(work, name);
  const result = millrace('run', ...args, '--seed', '3', '--out', out);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return join(out, 'model');
}

function predictCli(dir: string, data: string): string {
  const result = spawnSync(process.execPath, [join(dir, 'predict.mjs'), '--data', resolve(data)], { encoding: 'utf8', cwd: work, env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 26 });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

const cases = [
  { name: 'penguins-mlp', target: 'Species', data: `${DATA}/penguins.json`, args: ['--model', 'mlp', '--hidden', '8', '--epochs', '15', '--recipe', `${FIX}/penguins-recipe.json`] },
  { name: 'penguins-binary', target: 'Sex', data: `${DATA}/penguins.json`, args: ['--model', 'linear', '--epochs', '15', '--recipe', `${FIX}/penguins-recipe.json`, '--policy', `${FIX}/threshold-policy.json`] },
  { name: 'cars-every-kind', target: 'Miles_per_Gallon', data: `${DATA}/cars.json`, args: ['--model', 'mlp', '--hidden', '6', '--epochs', '10', '--feature-set', `${FIX}/cars-all.json`] },
  { name: 'seattle-linear', target: 'weather', data: `${DATA}/seattle-weather.csv`, args: ['--model', 'linear', '--epochs', '5'] },
];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'millrace-predict-'));
  // predict.mjs imports @tensorflow/tfjs: the repo's node_modules is found from the temp folder.
  symlinkSync(resolve('node_modules'), join(work, 'node_modules'), 'dir');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('predict.mjs in Node', () => {
  for (const c of cases) {
    it(`${c.name}: node predict.mjs --data and loadModel().predict equal the studio's scored file`, { timeout: 240_000 }, async () => {
      const dir = train(c.name, '--data', c.data, '--target', c.target, ...c.args);
      if (c.name === 'penguins-binary') expect(JSON.parse(readFileSync(join(dir, 'pipeline.json'), 'utf8')).review).toMatchObject({ threshold: 0.35, positiveClass: 'MALE' });
      const files = Object.fromEntries([...BUNDLE_FILES, REFERENCE_FILE].map((name) => [name, new Uint8Array(readFileSync(join(dir, name)))]));
      expect(verifyBundle(files).format).toBe('millrace.bundle/1');
      const reference = await studioScored(dir, c.data);
      const cli = predictCli(dir, c.data);
      const diff = compareScored(reference, cli);
      expect(diff.rows).toBeGreaterThan(100);
      expect(diff.maxAbs).toBeLessThanOrEqual(1e-6);
      console.log(`${c.name}: ${diff.rows} rows, max |difference| ${diff.maxAbs} (CLI, ${diff.identical ? 'byte-identical' : 'not byte-identical'})`);

      const { loadModel } = await import(/* @vite-ignore */ pathToFileURL(join(dir, 'predict.mjs')).href);
      const model = await loadModel(dir);
      const rows = c.data.endsWith('.json') ? JSON.parse(readFileSync(c.data, 'utf8')) : csvRows(readFileSync(c.data, 'utf8'));
      const predictions: Record<string, unknown>[] = await model.predict(rows);
      expect(predictions).toHaveLength(parseCsvText(reference).length - 1);
      const { maxAbs, mismatches } = comparePredictions(predictions, reference);
      expect(mismatches).toEqual([]);
      expect(maxAbs).toBeLessThanOrEqual(1e-6);
      console.log(`${c.name}: loadModel().predict max |difference| ${maxAbs}`);
      model.dispose();
    });
  }

  it('refuses a recipe that hashes with the workspace salt, and a filter step, naming the step', { timeout: 60_000 }, async () => {
    const dir = join(work, 'seattle-linear', 'model');
    const { writeFileSync } = await import('node:fs');
    const recipe = JSON.parse(readFileSync(join(dir, 'recipe.json'), 'utf8'));
    writeFileSync(join(dir, 'recipe.json'), JSON.stringify({ ...recipe, steps: [{ kind: 'hash', column: 'weather' }] }));
    const hashed = spawnSync(process.execPath, [join(dir, 'predict.mjs'), '--data', resolve(`${DATA}/seattle-weather.csv`)], { encoding: 'utf8', cwd: work });
    expect(hashed.status).toBe(1);
    expect(hashed.stderr).toContain('predict.mjs: Step 1 (hash) of the model\'s recipe hashes "weather" with the salt of the workspace the model was trained in, which is not in the bundle');
    writeFileSync(join(dir, 'recipe.json'), JSON.stringify({ ...recipe, steps: [{ kind: 'filter', expression: 'd => d.wind > 2' }] }));
    const filtered = spawnSync(process.execPath, [join(dir, 'predict.mjs'), '--data', resolve(`${DATA}/seattle-weather.csv`)], { encoding: 'utf8', cwd: work });
    expect(filtered.stderr).toContain("predict.mjs: Step 1 (filter) of the model's recipe is an Arquero expression (d => d.wind > 2)");
  });
});

/** A CSV's records as row objects of texts (what a page would pass to predict). */
function csvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = parseCsvText(text);
  return lines.map((line) => Object.fromEntries(header!.map((name, i) => [name, line[i] ?? ''])));
}
