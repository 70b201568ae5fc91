// Screenshots of every view through a full flow (demo import → train → save → score → audit) at two sizes.
// Usage: node tests/screens/shoot.mjs [baseUrl]   (default http://localhost:5180, the dev server)
import { chromium } from 'playwright-core';
import { mkdir, readFile } from 'node:fs/promises';

const base = process.argv[2] ?? 'http://localhost:5180';
const out = new URL('./out/', import.meta.url).pathname;
await mkdir(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking'],
});
const problems = [];

/** Seeded synthetic churn table: 8 numeric features, a category and a binary label that depends on them. */
function syntheticCsv(rows) {
  let seed = 7;
  const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const lines = ['tenure,monthly,support_calls,usage,f5,f6,f7,f8,plan,churned'];
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: 8 }, () => random() * 10);
    const plan = ['basic', 'plus', 'pro'][Math.floor(random() * 3)];
    const score = -0.4 * x[0] + 0.3 * x[1] + 0.5 * x[2] - 0.2 * x[3] + (plan === 'basic' ? 1 : 0) + (random() - 0.5) * 4;
    lines.push(`${x.map((v) => v.toFixed(3)).join(',')},${plan},${score > 0.5 ? 'yes' : 'no'}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}
const shot = async (page, name, fullPage = true) => {
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${out}${name}.png`, fullPage });
  console.log('shot', name);
};

try {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', async (d) => {
    problems.push(`dialog opened (XSS?): ${d.message()}`);
    await d.dismiss();
  });

  await page.goto(`${base}/#/data`);
  await page.getByRole('button', { name: 'Load demo dataset' }).waitFor();
  await shot(page, '01-data-empty');

  await page.getByRole('button', { name: 'Load demo dataset' }).click();
  await page.getByTestId('dataset-row').first().waitFor({ timeout: 60_000 });
  await page.locator('.profiles svg').first().waitFor({ timeout: 30_000 });
  await shot(page, '02-data-penguins');

  // Hostile column name and cell: must render as text.
  const xss = '<img src=x onerror=alert(1)>';
  await page.getByTestId('file-input').setInputFiles({
    name: 'hostile.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`id,"${xss}",value\n1,"${xss}",3.5\n2,b,4.5\n3,c,5\n`),
  });
  await page.getByText('Imported hostile.csv').waitFor({ timeout: 30_000 });
  await page.getByRole('columnheader', { name: xss }).first().waitFor();
  await shot(page, '03-data-hostile');

  // A broken file: the error panel names the place.
  await page.getByTestId('file-input').setInputFiles({
    name: 'ragged.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('a,b,c\n1,2,3\n4,5\n6,7,8\n'),
  });
  await page.getByRole('alert').waitFor({ timeout: 30_000 });
  await shot(page, '04-data-error', false);

  // Back to penguins and train.
  await page.getByTestId('dataset-row').filter({ hasText: 'penguins' }).first().click();
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  await page.getByLabel('Target column').selectOption('Species');
  await page.getByText('Features used').waitFor();
  await page.getByLabel('Model', { exact: true }).selectOption('mlp');
  await page.getByLabel('Epochs').fill('40');
  await shot(page, '05-train-setup');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByTestId('train-status').filter({ hasText: /^Done$/ }).waitFor({ timeout: 180_000 });
  await page.getByTestId('metrics-table').waitFor();
  await shot(page, '06-train-multiclass-done');

  // A larger seeded binary dataset, so a run lasts long enough to watch and cancel.
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await page.getByTestId('file-input').setInputFiles({ name: 'synthetic-churn.csv', mimeType: 'text/csv', buffer: syntheticCsv(250_000) });
  await page.getByText('Imported synthetic-churn.csv').waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  await page.getByLabel('Target column').selectOption('churned');
  await page.getByText('Features used').waitFor();
  await page.getByLabel('Model', { exact: true }).selectOption('mlp');
  await page.getByLabel('Epochs').fill('300');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByRole('progressbar').waitFor({ timeout: 30_000 });
  await page.locator('.chart svg').first().waitFor();
  await shot(page, '07-train-running', false);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('train-status').filter({ hasText: /^Cancelled$/ }).waitFor({ timeout: 30_000 });
  await shot(page, '08-train-cancelled', false);
  await page.getByLabel('Epochs').fill('4');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByTestId('train-status').filter({ hasText: /^Done$/ }).waitFor({ timeout: 180_000 });
  await page.locator('[data-metric="rocAuc"]').waitFor();

  await page.getByRole('button', { name: 'Save model' }).click();
  await page.getByText('Saved as').waitFor({ timeout: 30_000 });
  await page.getByRole('link', { name: 'Evaluate', exact: true }).click();
  await shot(page, '09-evaluate');

  // Regression on body mass.
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await page.getByTestId('dataset-row').filter({ hasText: 'penguins' }).first().click();
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  await page.getByLabel('Target column').selectOption('Body Mass (g)');
  await page.getByLabel('Epochs').fill('30');
  await page.getByLabel('Model', { exact: true }).selectOption('linear');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByTestId('train-status').filter({ hasText: /^Done$/ }).waitFor({ timeout: 180_000 });
  await page.locator('[data-metric="rmse"]').waitFor();
  await shot(page, '10-train-regression');

  await page.getByRole('link', { name: 'Models', exact: true }).click();
  await page.getByTestId('model-row').first().waitFor();
  // The saved model is the churn one: score a fresh sample of the same shape, then a file that does not fit.
  // Each version scores through its own button, which opens the file chooser for that version.
  const scoreWith = async (file) => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('model-row').first().getByRole('button', { name: 'Score a file' }).click();
    await (await chooser).setFiles(file);
  };
  await scoreWith({ name: 'penguins.json', mimeType: 'application/json', buffer: await readFile('public/demo/penguins.json') });
  await page.getByRole('alert').waitFor({ timeout: 60_000 });
  await shot(page, '11-models-score-error', false);
  const scored = page.waitForEvent('download', { timeout: 60_000 });
  await scoreWith({ name: 'new-customers.csv', mimeType: 'text/csv', buffer: syntheticCsv(1000) });
  console.log('score download:', (await scored).suggestedFilename());
  const exported = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Export bundle' }).first().click();
  console.log('export download:', (await exported).suggestedFilename());
  await shot(page, '12-models');

  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await page.getByTestId('verify-result').waitFor();
  console.log('verify:', await page.getByTestId('verify-result').innerText());
  const log = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export log' }).click();
  console.log('audit download:', (await log).suggestedFilename());
  await shot(page, '13-audit');

  // Reload: lists survive; then the smaller viewport.
  await page.reload();
  await page.getByTestId('audit-row').first().waitFor();
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await page.getByTestId('dataset-row').first().waitFor();
  await page.locator('.profiles svg').first().waitFor({ timeout: 30_000 });
  await shot(page, '14-data-1024', false);
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  await shot(page, '15-train-1024', false);
  await page.getByRole('link', { name: 'Models', exact: true }).click();
  await shot(page, '16-models-1024', false);
  await page.getByRole('link', { name: 'Evaluate', exact: true }).click();
  await page.getByTestId('metrics-table').waitFor();
  await shot(page, '17-evaluate-after-reload-1024', false);
  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  await shot(page, '18-audit-1024', false);
} catch (error) {
  problems.push(`flow failed: ${error.message}`);
} finally {
  await browser.close();
}
console.log(problems.length ? `PROBLEMS:\n${problems.join('\n')}` : 'no problems');
