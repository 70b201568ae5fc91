// End to end, as a person would: drop a real file, train, evaluate, save, score, export, audit, go offline.
import { test, expect } from '@playwright/test';
import {
  chooseFile, csvRows, startTraining, dataDir, downloadText, downloadZip, dropFile, foreignRequests, metric, recordRequests, train,
  zipJson,
} from './studio-helpers.ts';

test('penguins: import, profile, train, evaluate, save, score, export, audit, then offline', async ({ page, context, baseURL }) => {
  const requests = recordRequests(page);
  await page.goto('/');
  await expect(page.getByRole('banner')).toContainText('Millrace');

  // 1. Drop the file: it becomes a stored dataset version.
  await dropFile(page, `${dataDir}/penguins.json`, 'penguins.json', 'application/json');
  const datasetRow = page.getByTestId('dataset-row').filter({ hasText: 'penguins' });
  await expect(datasetRow).toContainText('344');

  // 2. Preview and profile.
  await expect(page.getByRole('columnheader', { name: 'Beak Length (mm)' }).first()).toBeVisible();
  await expect(page.getByText('Flipper Length (mm)').first()).toBeVisible();

  // 3–5. Train a logistic model on Species and read the evaluation next to the baseline.
  await train(page, 'Species', { model: 'linear' });
  const accuracy = await metric(page, 'accuracy');
  expect(accuracy.model).toBeGreaterThanOrEqual(0.97);
  expect(accuracy.baseline).toBeLessThan(0.6);
  const auc = await metric(page, 'rocAuc');
  expect(auc.model).toBeGreaterThan(0.98);
  await expect(page.getByText(/wasm|webgpu|webgl|cpu/i).first()).toBeVisible();

  // 6. Save it in the registry.
  await page.getByLabel('Model name').fill('penguin-species');
  await page.getByRole('button', { name: 'Save model' }).click();
  await page.getByRole('link', { name: 'Models' }).click();
  const modelRow = page.getByTestId('model-row').filter({ hasText: 'penguin-species' });
  await expect(modelRow).toContainText('1');

  // 7. Score a file and download the predictions.
  const scored = page.waitForEvent('download');
  const chooser = page.waitForEvent('filechooser');
  await modelRow.getByRole('button', { name: 'Score a file' }).click();
  await (await chooser).setFiles(`${dataDir}/penguins.json`);
  const predictions = csvRows(await downloadText(await scored));
  const header = predictions[0] ?? [];
  expect(header).toContain('Species');
  expect(header.some((name) => /predict/i.test(name))).toBe(true);
  expect(predictions.filter((row) => row.length > 1).length).toBe(345);
  const predictedAt = header.findIndex((name) => /predict/i.test(name));
  const speciesAt = header.indexOf('Species');
  const agree = predictions.slice(1).filter((row) => row[predictedAt] === row[speciesAt]).length;
  expect(agree / 344).toBeGreaterThan(0.95);

  // 8. Export the bundle and look inside.
  const exported = page.waitForEvent('download');
  await modelRow.getByRole('button', { name: 'Export bundle' }).click();
  const files = await downloadZip(await exported);
  const modelJson = zipJson(files, 'model.json') as { modelTopology: unknown; weightsManifest: unknown[] };
  expect(modelJson.modelTopology).toBeTruthy();
  expect(files['weights.bin']?.byteLength).toBeGreaterThan(0);
  const transforms = zipJson(files, 'transforms.json') as { target: string; classes: string[] };
  expect(transforms.target).toBe('Species');
  expect(transforms.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
  expect(Object.keys(files)).toContain('model-card.md');
  expect(Object.keys(files)).toContain('metrics.json');

  // 9. The audit log chains every step and verifies.
  await page.getByRole('link', { name: 'Audit' }).click();
  const auditRows = page.getByTestId('audit-row');
  await expect(auditRows).toHaveCount(7);
  for (const action of ['import', 'check.run', 'train', 'review-verdict', 'save-model', 'score', 'export']) {
    await expect(auditRows.filter({ hasText: action }).first()).toBeVisible();
  }
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('intact');

  // 10. Offline: the service worker serves the studio and IndexedDB still holds everything.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('link', { name: 'Data' }).click();
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'penguins' })).toContainText('344');
  await page.getByRole('link', { name: 'Models' }).click();
  await expect(page.getByTestId('model-row').filter({ hasText: 'penguin-species' })).toBeVisible();
  await context.setOffline(false);

  expect(foreignRequests(requests, baseURL ?? '')).toEqual([]);
});

test('cars: regression with R² against the training-mean baseline, and scored predictions', async ({ page }) => {
  await page.goto('/');
  await chooseFile(page, `${dataDir}/cars.json`);
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'cars' })).toContainText('406');

  await train(page, 'Miles_per_Gallon', { task: 'regression', model: 'mlp', epochs: '100' });
  const r2 = await metric(page, 'r2');
  expect(r2.model).toBeGreaterThanOrEqual(0.85);
  expect(Math.abs(r2.baseline)).toBeLessThan(0.1);
  const rmse = await metric(page, 'rmse');
  expect(rmse.model).toBeLessThan(rmse.baseline);

  await page.getByLabel('Model name').fill('cars-mpg');
  await page.getByRole('button', { name: 'Save model' }).click();
  await page.getByRole('link', { name: 'Models' }).click();
  const modelRow = page.getByTestId('model-row').filter({ hasText: 'cars-mpg' });
  const scored = page.waitForEvent('download');
  const chooser = page.waitForEvent('filechooser');
  await modelRow.getByRole('button', { name: 'Score a file' }).click();
  await (await chooser).setFiles(`${dataDir}/cars.json`);
  const rows = csvRows(await downloadText(await scored));
  const header = rows[0] ?? [];
  const predictedAt = header.findIndex((name) => /predict/i.test(name));
  expect(predictedAt).toBeGreaterThanOrEqual(0);
  const values = rows.slice(1).filter((row) => row.length > 1).map((row) => Number(row[predictedAt]));
  expect(values.length).toBe(406);
  expect(values.every((value) => Number.isFinite(value) && value > 0 && value < 60)).toBe(true);
});

test('the bundled demo dataset is one click away', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Data' }).click();
  await page.getByRole('button', { name: /Load demo dataset/ }).click();
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'penguins' })).toContainText('344');
});

test('training can be cancelled within a second', async ({ page }) => {
  await page.goto('/');
  await chooseFile(page, `${dataDir}/penguins.json`);
  await expect(page.getByTestId('dataset-row')).toHaveCount(1);
  await startTraining(page, 'Species', { model: 'mlp', epochs: '1000', earlyStopping: false });
  // Cancel once epochs are being reported, i.e. the worker is training (no fixed wait).
  const status = page.getByTestId('train-status');
  await expect(status).toHaveText(/epoch [1-9]\d* of 1000/);
  const cancel = page.getByRole('button', { name: 'Cancel' });
  await expect(cancel).toBeEnabled();
  // Timed in the page: from the click reaching the button to the status first reading "Cancelled",
  // which the UI shows only once the worker has stopped and answered.
  await cancel.evaluate((button) => {
    const timing: { clickedAt?: number; cancelledAt?: number } = {};
    (window as unknown as { cancelTiming: typeof timing }).cancelTiming = timing;
    button.addEventListener('click', () => (timing.clickedAt = performance.now()), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (/Cancelled/.test(document.querySelector('[data-testid="train-status"]')?.textContent ?? '')) {
        timing.cancelledAt = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { childList: true, characterData: true, subtree: true });
  });
  await cancel.click();
  await expect(status).toHaveText(/Cancelled/, { timeout: 5_000 });
  const timing = await page.evaluate(() => (window as unknown as { cancelTiming: { clickedAt?: number; cancelledAt?: number } }).cancelTiming);
  expect(timing.clickedAt, 'the click reached the Cancel button').toBeDefined();
  expect(timing.cancelledAt, 'the status changed to Cancelled after the click').toBeDefined();
  const ms = timing.cancelledAt! - timing.clickedAt!;
  console.log(`cancelled ${ms.toFixed(0)} ms after the click`);
  expect(ms).toBeGreaterThanOrEqual(0);
  expect(ms).toBeLessThan(1_000);
});
