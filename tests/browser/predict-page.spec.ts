// predict.mjs in a plain HTML page (no Millrace code; tfjs through an import map, or for trees no tfjs at all) in Chromium: the studio's scored values to 1e-6.
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { comparePredictions, parseCsvText } from '../unit/ml/predict-compare.ts';
import { studioScored } from '../unit/ml/predict-reference.ts';

const DATA = 'node_modules/vega-datasets/data';
const ORIGIN = 'http://bundle.test';
const TFJS = 'node_modules/@tensorflow/tfjs/dist/tf.fesm.min.js';
const TYPES: Record<string, string> = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.json': 'application/json' };

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>predict.mjs</title>
<script type="importmap">{ "imports": { "@tensorflow/tfjs": "/tf.fesm.min.js" } }</script>
<script type="module">
  import * as tf from '@tensorflow/tfjs';
  import { loadModel } from '/model/predict.mjs';
  // The reference was computed on TF.js's CPU backend; on WebGL, regression values of about 30 differ by one float32 step (3.8e-6).
  await tf.setBackend('cpu');
  window.predictRows = async (rows) => {
    const model = await loadModel(new URL('/model/', location.href).href);
    return { predictions: await model.predict(rows), info: model.info };
  };
  document.title = 'ready';
</script>`;

/** A tree model's page: no import map, and /tf.fesm.min.js is not served, so TF.js cannot load at all. */
const TREES_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>predict.mjs</title>
<script type="module">
  import { loadModel } from '/model/predict.mjs';
  window.predictRows = async (rows) => {
    const model = await loadModel(new URL('/model/', location.href).href);
    return { predictions: await model.predict(rows), info: model.info };
  };
  document.title = 'ready';
</script>`;

let work = '';
test.beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'millrace-predict-page-'));
});
test.afterAll(() => rmSync(work, { recursive: true, force: true }));

const cases = [
  { name: 'penguins-binary', target: 'Sex', data: `${DATA}/penguins.json`, args: ['--model', 'linear', '--epochs', '10', '--recipe', 'tests/fixtures/bundle/penguins-recipe.json', '--policy', 'tests/fixtures/bundle/threshold-policy.json'] },
  { name: 'cars-every-kind', target: 'Miles_per_Gallon', data: `${DATA}/cars.json`, args: ['--model', 'mlp', '--hidden', '6', '--epochs', '8', '--feature-set', 'tests/fixtures/bundle/cars-all.json'] },
  { name: 'trees-penguins-binary', target: 'Sex', data: `${DATA}/penguins.json`, args: ['--model', 'gbdt', '--rounds', '30', '--recipe', 'tests/fixtures/bundle/penguins-recipe.json', '--policy', 'tests/fixtures/bundle/threshold-policy.json'] },
  { name: 'trees-cars-every-kind', target: 'Miles_per_Gallon', data: `${DATA}/cars.json`, args: ['--model', 'gbdt', '--rounds', '40', '--feature-set', 'tests/fixtures/bundle/cars-all.json'] },
  { name: 'trees-penguins-species', target: 'Species', data: `${DATA}/penguins.json`, args: ['--model', 'gbdt', '--rounds', '30'], unseen: true },
];

/** penguins.json plus rows with an island the trees never saw and missing numbers (trained on the first 344, scored on all). */
function withUnseen(file: string): string {
  const rows = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
  const extra = [{ Island: 'Atlantis' }, { Island: 'Atlantis', 'Beak Length (mm)': null }, { 'Flipper Length (mm)': null, 'Body Mass (g)': null }].map((change, i) => ({ ...rows[i * 50], ...change }));
  const path = join(work, 'penguins-unseen.json');
  writeFileSync(path, JSON.stringify([...rows, ...extra]));
  return path;
}

for (const c of cases) {
  test(`${c.name}: a plain page predicts what the studio scores`, async ({ page }) => {
    test.setTimeout(180_000);
    const out = join(work, c.name);
    const run = spawnSync(process.execPath, ['bin/millrace.mjs', 'run', '--data', c.data, '--target', c.target, ...c.args, '--seed', '4', '--out', out], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    expect(run.status, run.stderr).toBe(0);
    const dir = join(out, 'model');
    const data = 'unseen' in c ? withUnseen(c.data) : c.data;
    const reference = await studioScored(dir, data);
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    const trees = c.name.startsWith('trees-');
    // Only this origin answers: the page, tfjs's ES module build (not for trees) and the bundle folder.
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== ORIGIN) return route.abort();
      const file = url.pathname === '/' ? null : url.pathname === '/tf.fesm.min.js' && !trees ? TFJS : url.pathname.startsWith('/model/') ? join(dir, url.pathname.slice(7)) : undefined;
      if (file === undefined) return route.fulfill({ status: 404, body: 'not found' });
      const body = file === null ? (trees ? TREES_PAGE : PAGE) : readFileSync(file);
      return route.fulfill({ status: 200, body, contentType: file === null ? 'text/html' : (TYPES[extname(file)] ?? 'application/octet-stream') });
    });
    await page.goto(`${ORIGIN}/`);
    await expect(page).toHaveTitle('ready');
    const rows = JSON.parse(readFileSync(data, 'utf8'));
    const { predictions, info } = (await page.evaluate((r) => (window as unknown as { predictRows: (r: unknown) => Promise<unknown> }).predictRows(r), rows)) as {
      predictions: Record<string, unknown>[];
      info: { threshold: number | null };
    };
    expect(problems).toEqual([]);
    expect(requests.every((url) => url.startsWith(ORIGIN))).toBe(true);
    if (trees) {
      // No TF.js anywhere: not requested, not in the page, and the bundle has no weights file to fetch.
      expect(requests.filter((url) => /tf|weights/.test(new URL(url).pathname))).toEqual([]);
      expect(await page.evaluate(() => 'tf' in window)).toBe(false);
      expect((info as { model?: string }).model).toBe('gradient-boosted trees');
    }
    if (c.name.endsWith('penguins-binary')) expect(info.threshold).toBe(0.35);
    expect(predictions).toHaveLength(parseCsvText(reference).length - 1);
    const { maxAbs, mismatches } = comparePredictions(predictions, reference);
    expect(mismatches).toEqual([]);
    console.log(`${c.name} in Chromium: ${predictions.length} rows, max |difference| ${maxAbs}`);
    expect(maxAbs).toBeLessThanOrEqual(1e-6);
  });
}
