// End to end: a studio run's pipeline spec, exported and re-run by the CLI on the same file, gives the same metrics;
// "Use pipeline…" names a column the data lacks and runs nothing, and applies a good spec to the Train form.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDir, downloadText, downloadZip, dropFile, startTraining, zipJson } from './studio-helpers.ts';

const screens = process.env.MILLRACE_SCREENS === '1';
const work = mkdtempSync(join(tmpdir(), 'millrace-spec-e2e-'));

test('a studio run exported as a pipeline spec and re-run by the CLI gives the same metrics', async ({ page }) => {
  await page.goto('/');
  await dropFile(page, `${dataDir}/cars.json`, 'cars.json', 'application/json');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'cars' })).toContainText('406');

  // A regression MLP with early stopping off, trained in the studio on its WASM backend.
  await startTraining(page, 'Miles_per_Gallon', { model: 'mlp', epochs: '15', earlyStopping: false });
  await expect(page.getByTestId('train-status')).toHaveText(/Done/, { timeout: 120_000 });
  await page.getByRole('link', { name: 'Evaluate' }).click();
  const exported = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export pipeline', exact: true }).click();
  const specText = await downloadText(await exported);
  const spec = JSON.parse(specText) as { format: string; target: string; input: { dataset: string; version: number; sha256: string }; model: { kind: string; epochs: number } };
  expect(spec).toMatchObject({ format: 'millrace.pipeline/1', target: 'Miles_per_Gallon', input: { dataset: 'cars', version: 1 }, model: { kind: 'mlp', epochs: 15 } });
  expect(spec.input.sha256).toMatch(/^[0-9a-f]{64}$/);

  // The run's stored evaluation report: intervals, calibration-free regression metrics, importance, the verdict.
  const reviewed = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Report JSON' }).click();
  const review = JSON.parse(await downloadText(await reviewed)) as {
    format: string;
    ci: Record<string, { estimate: number; low: number; high: number; resamples: number }>;
    metrics: { rmse: number; byDecile: unknown[] };
    importance: { metric: string; columns: { column: string; mean: number }[] };
    verdict: { passed: boolean };
  };
  expect(review.format).toBe('millrace.review/1');
  expect(review.ci.rmse!.resamples).toBe(1000);
  expect(review.ci.rmse!.low).toBeLessThanOrEqual(review.ci.rmse!.estimate);
  expect(review.ci.rmse!.high).toBeGreaterThanOrEqual(review.ci.rmse!.estimate);
  expect(review.metrics.byDecile).toHaveLength(10);
  expect(review.importance.metric).toBe('r2');
  expect(review.importance.columns.length).toBeGreaterThan(3);
  expect(typeof review.verdict.passed).toBe('boolean');

  // The studio's own metrics, at full precision, from the saved model's bundle.
  await page.getByLabel('Model name').fill('mpg');
  await page.getByRole('button', { name: 'Save model' }).click();
  await page.getByRole('link', { name: 'Models' }).click();
  const modelRow = page.getByTestId('model-row').filter({ hasText: 'mpg' });
  const bundle = page.waitForEvent('download');
  await modelRow.getByRole('button', { name: 'Export bundle' }).click();
  const files = await downloadZip(await bundle);
  const studio = zipJson(files, 'metrics.json') as { metrics: Record<string, unknown>; baseline: Record<string, unknown> };
  expect(zipJson(files, 'pipeline.json')).toEqual(spec);

  // The CLI runs the exported spec on the same file with the WASM backend.
  const specFile = join(work, 'pipeline.json');
  writeFileSync(specFile, specText);
  const out = join(work, 'cli');
  execFileSync(process.execPath, ['bin/millrace.mjs', 'run', '--spec', specFile, '--data', `${dataDir}/cars.json`, '--out', out, '--backend', 'wasm'], { stdio: 'pipe' });
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { backend: string; metrics: Record<string, number>; baseline: Record<string, number>; check: { sha256Matches: boolean } };
  expect(report.backend).toBe('wasm');
  expect(report.check.sha256Matches).toBe(true);
  // The same evaluation report, from the same path: intervals and importance equal the studio's.
  const cliReview = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8')) as typeof review;
  expect(cliReview.ci).toEqual(review.ci);
  expect(cliReview.importance.columns).toEqual(review.importance.columns);
  for (const key of ['rmse', 'mae', 'r2'] as const) {
    expect(report.metrics[key], key).toBe(studio.metrics[key]);
    expect(report.baseline[key], `baseline ${key}`).toBe(studio.baseline[key]);
  }
});

test('"Use pipeline…" names a column the data lacks and runs nothing; a good spec fills the Train form', async ({ page }) => {
  await page.goto('/');
  await dropFile(page, `${dataDir}/penguins.json`, 'penguins.json', 'application/json');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'penguins' })).toContainText('344');
  await page.getByRole('link', { name: 'Train' }).click();

  const base = {
    format: 'millrace.pipeline/1',
    target: 'Species',
    split: { seed: 7 },
    model: { kind: 'mlp', epochs: 12, hidden: [8], dropout: 0.1 },
  };
  const missing = join(work, 'needs-wingspan.json');
  writeFileSync(missing, JSON.stringify({ ...base, features: { name: 'wings', version: 1, features: [{ name: 'span', column: 'Wingspan (mm)', transform: 'standardize' }] } }));
  await page.getByLabel('Pipeline spec file').setInputFiles(missing);
  const panel = page.getByTestId('use-pipeline');
  await expect(panel.getByTestId('spec-missing')).toContainText('The data has no column "Wingspan (mm)", which feature "span" needs');
  await expect(panel.getByRole('button', { name: /^Apply/ })).toBeDisabled();
  if (screens) await panel.screenshot({ path: 'tests/screens/out/use-pipeline-missing.png' });
  await panel.getByRole('button', { name: 'Close' }).click();

  const bad = join(work, 'bad.json');
  writeFileSync(bad, JSON.stringify({ ...base, model: { dropout: 1.5 } }));
  await page.getByLabel('Pipeline spec file').setInputFiles(bad);
  await expect(page.getByRole('alert').filter({ hasText: 'bad.json' })).toContainText('model.dropout: 1.5 is not below 1');

  const good = join(work, 'good.json');
  const shape = { name: 'shape', version: 2, features: [
    { name: 'bill', column: 'Beak Length (mm)', transform: 'standardize' },
    { name: 'flipper', column: 'Flipper Length (mm)', transform: 'standardize' },
    { name: 'island', column: 'Island', transform: 'onehot' },
  ] };
  writeFileSync(good, JSON.stringify({ ...base, features: shape }));
  await page.getByLabel('Pipeline spec file').setInputFiles(good);
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('spec-missing')).toHaveCount(0);
  await panel.getByRole('button', { name: /^Apply/ }).click();
  await expect(panel.getByTestId('spec-applied')).toBeVisible();
  if (screens) await page.screenshot({ path: 'tests/screens/out/use-pipeline-applied.png', fullPage: true });
  await expect(page.getByLabel('Target column')).toHaveValue('Species');
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('mlp');
  await expect(page.getByLabel('Epochs')).toHaveValue('12');
  await expect(page.getByLabel('Seed')).toHaveValue('7');
  await page.getByText('Split, validation, regularization and search').click();
  await expect(page.getByLabel('Dropout', { exact: true })).toHaveValue('0.1');
  await expect(page.getByLabel('Hidden layers', { exact: true })).toHaveValue('8');
  await expect(page.getByTestId('feature-set-status')).toHaveText('From the pipeline spec: shape v2');

  // The applied spec trains as it says: its feature set, model and seed are in the run's own spec.
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveText(/Done/, { timeout: 120_000 });
  await page.getByRole('link', { name: 'Evaluate' }).click();
  const exported = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export pipeline', exact: true }).click();
  const ran = JSON.parse(await downloadText(await exported)) as { features: { name: string; features: unknown[] }; split: { seed: number }; model: { kind: string; hidden: number[]; dropout: number } };
  expect(ran.features).toEqual(shape);
  expect(ran.split.seed).toBe(7);
  expect(ran.model).toMatchObject({ kind: 'mlp', hidden: [8], dropout: 0.1 });
});
