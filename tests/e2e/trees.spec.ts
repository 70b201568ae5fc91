// End to end, gradient-boosted trees as a person uses them: cars.json dropped, Miles_per_Gallon with "Gradient-boosted
// trees" (the tree options shown, the network ones not), progress counted in rounds, R² beside the baseline, the review
// with a row explained by TreeSHAP, the model saved and promoted, one case predicted, and a file scored by the champion.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { screen } from './collect-helpers.ts';
import { csvRows, dataDir, downloadText, dropFile, foreignRequests, metric, recordRequests } from './studio-helpers.ts';

type Car = Record<string, string | number | null>;
const cars = () => JSON.parse(readFileSync(`${dataDir}/cars.json`, 'utf8')) as Car[];

/** Every text the run's status shows, recorded in the page as it changes (the rounds go by faster than a poll). */
async function recordStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { statuses: string[] }).statuses = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="train-status"]')?.textContent ?? '';
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

test('cars: gradient-boosted trees trained in rounds, reviewed with TreeSHAP, promoted, scoring a file', async ({ page, baseURL }) => {
  const requests = recordRequests(page);
  await page.goto('/');
  await dropFile(page, `${dataDir}/cars.json`, 'cars.json', 'application/json');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'cars' })).toContainText('406');

  // Setup: the model picker says what trees are; the form shows their options and none of a network's.
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByLabel('Target column').selectOption('Miles_per_Gallon');
  await expect(page.getByLabel('Task')).toHaveValue('regression');
  const model = page.getByLabel('Model', { exact: true });
  await expect(model.getByRole('option', { name: 'Gradient-boosted trees' })).toHaveCount(1);
  await model.selectOption({ label: 'Gradient-boosted trees' });
  await expect(model).toHaveValue('gbdt');
  // Trees never use the TF.js backend: the setup says where they train instead.
  await expect(page.getByTestId('trees-engine')).toContainText('WebAssembly');
  await expect(page.getByLabel('Rounds')).toHaveValue('100');
  await expect(page.getByLabel('Epochs')).toHaveCount(0);
  await page.getByText('Split, validation, regularization and search').click();
  await expect(page.getByLabel('Leaves per tree')).toHaveValue('31');
  await expect(page.getByLabel('Tree learning rate')).toHaveValue('0.1');
  await expect(page.getByLabel('Rows per leaf')).toHaveValue('20');
  await expect(page.getByLabel('Tree depth')).toHaveAttribute('placeholder', 'automatic');
  for (const network of ['Learning rate', 'Hidden layers', 'Activation', 'Dropout', 'Batch size']) await expect(page.getByLabel(network, { exact: true })).toHaveCount(0);
  // A search of trees searches trees: the model list follows the choice, and only the trees' fields are offered.
  await page.getByLabel('Hyper-parameter search').check();
  await expect(page.getByLabel('Model (search)')).toHaveValue('gbdt');
  await expect(page.getByLabel('Leaves per tree (search)')).toHaveValue('15, 31, 63');
  await expect(page.getByLabel('Learning rate (search)', { exact: true })).toHaveCount(0);
  await expect(page.getByLabel('Hidden layers (search)', { exact: true })).toHaveCount(0);
  await screen(page, 'trees-setup');
  await page.getByLabel('Hyper-parameter search').uncheck();
  await page.getByLabel('Seed').fill('42');

  // Train: progress counts rounds; the curve's axis says so.
  await recordStatuses(page);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveText('Done', { timeout: 120_000 });
  const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
  console.log(`statuses seen: ${statuses.join(' | ')}`);
  expect(statuses.some((s) => /^Training… round \d+ of 100$/.test(s))).toBe(true);
  expect(statuses.some((s) => /epoch/.test(s))).toBe(false);
  const runCard = page.locator('.run-card');
  await expect(runCard.locator('svg').first()).toBeVisible();
  await expect(runCard.locator('svg text', { hasText: /^round$/ }).first()).toBeVisible();
  await expect(runCard.locator('svg text', { hasText: /^epoch$/ })).toHaveCount(0);
  await expect(runCard.locator('.card-head')).toContainText(/ on WebAssembly( SIMD)? · /);
  await expect(page.getByTestId('result-model')).toHaveText('gradient-boosted trees (100 rounds, 31 leaves)');
  const r2 = await metric(page, 'r2');
  const rmse = await metric(page, 'rmse');
  console.log(`cars trees: R² ${r2.model} (baseline ${r2.baseline}), RMSE ${rmse.model} (baseline ${rmse.baseline})`);
  expect(r2.model).toBeGreaterThan(0.8);
  expect(r2.baseline).toBeLessThanOrEqual(0);
  expect(rmse.model).toBeLessThan(rmse.baseline);
  await screen(page, 'trees-run');

  // Evaluate: the review report, and a test row explained by TreeSHAP against the trees' average prediction.
  await page.getByRole('link', { name: 'Evaluate' }).click();
  await expect(page.getByTestId('result-model')).toHaveText('gradient-boosted trees (100 rounds, 31 leaves)');
  await expect(page.getByTestId('review-verdict')).toBeVisible();
  await expect(page.getByTestId('review-intervals')).toContainText('R²');
  // Trees also say what they leaned on in training (gain importance), beside the permutation importance.
  await expect(page.getByTestId('gain-importance').locator('svg').first()).toBeVisible();
  await screen(page, 'trees-gain', 'gain-importance');
  await page.getByLabel('Test row').fill('3');
  await page.getByRole('button', { name: 'Explain', exact: true }).click();
  const explained = page.getByTestId('row-explanation');
  await expect(explained).toContainText('Test row 3:');
  await expect(explained).toContainText("TreeSHAP, exact; against the trees' average prediction over the training rows");
  await expect(explained).not.toContainText('typical row');
  const [value, baseline] = ((await explained.innerText()).match(/predicted value, (-?[\d.,]+) against (-?[\d.,]+)/) ?? []).slice(1).map(Number);
  console.log(`test row 3: ${value} against the trees' average ${baseline}`);
  expect(baseline).toBeGreaterThan(15);
  expect(baseline).toBeLessThan(32);
  await screen(page, 'trees-explain', 'row-explanation');
  // The stored run is listed in the trees' words.
  await expect(page.getByTestId('compare-run').first()).toContainText('gradient-boosted trees (100 rounds, 31 leaves) · tree lr 0.1');
  await screen(page, 'trees-evaluate');

  // Save, then promote v1 to champion with a note.
  await page.getByLabel('Model name').fill('cars-mpg');
  await page.getByRole('button', { name: 'Save model' }).click();
  await expect(page.getByText('Saved as')).toContainText('cars-mpg');
  await page.getByRole('link', { name: 'Models' }).click();
  const group = page.getByTestId('model-group').filter({ has: page.getByRole('heading', { name: 'cars-mpg', exact: true }) });
  const v1 = group.getByTestId('model-row').filter({ has: page.getByRole('rowheader', { name: 'cars-mpg v1', exact: true }) });
  await expect(v1).toContainText('passed');
  await expect(group.getByTestId('model-words')).toHaveText('v1: gradient-boosted trees (100 rounds, 31 leaves)');
  await v1.getByRole('button', { name: 'Promote' }).click();
  const promote = group.getByRole('form', { name: 'Promote cars-mpg v1' });
  await promote.getByLabel('Alias', { exact: true }).selectOption('champion');
  await promote.getByLabel('Note', { exact: true }).fill('Trees beat the baseline on every headline metric');
  await promote.getByRole('button', { name: 'Promote to champion' }).click();
  await expect(group.getByTestId('alias-champion')).toContainText('champion → v1');

  // One case predicted: its shares are TreeSHAP's too.
  const panel = page.getByTestId('predict-panel').filter({ hasText: 'cars-mpg' });
  await panel.getByRole('button', { name: 'Predict one case' }).click();
  await panel.getByRole('button', { name: 'Predict', exact: true }).click();
  const prediction = panel.getByTestId('prediction');
  await expect(prediction).toContainText('Predicted Miles_per_Gallon:');
  await expect(prediction).toContainText("TreeSHAP, exact; against the trees' average prediction");
  await screen(page, 'trees-predict', 'predict-panel');

  // The champion scores the file: one prediction per row with a target-free input, close to the actual values.
  const batch = cars().map(({ Miles_per_Gallon: _target, ...rest }) => rest);
  const scored = page.waitForEvent('download');
  const chooser = page.waitForEvent('filechooser');
  await group.getByRole('button', { name: 'Score with champion' }).click();
  await (await chooser).setFiles({ name: 'cars-batch.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(batch)) });
  const download = await scored;
  const rows = csvRows(await downloadText(download)).filter((row) => row.length > 1);
  const header = rows[0]!;
  const column = header.indexOf('predicted_Miles_per_Gallon');
  expect(column).toBeGreaterThan(-1);
  expect(header).not.toContain('Miles_per_Gallon');
  await expect(page.getByTestId('score-result')).toContainText('cars-batch.json');
  await screen(page, 'trees-scored');
  const predicted = rows.slice(1).map((row) => Number(row[column]));
  expect(predicted).toHaveLength(406);
  expect(predicted.every((p) => Number.isFinite(p) && p > 5 && p < 50)).toBe(true);
  // Against the actual values of the rows that have one (most were training rows): R² well above 0.8.
  const actual = cars().map((c) => c.Miles_per_Gallon);
  const pairs = predicted.flatMap((p, i): [number, number][] => {
    const a = actual[i];
    return typeof a === 'number' ? [[p, a]] : [];
  });
  const mean = pairs.reduce((s, [, a]) => s + a, 0) / pairs.length;
  const fileR2 = 1 - pairs.reduce((s, [p, a]) => s + (a - p) ** 2, 0) / pairs.reduce((s, [, a]) => s + (a - mean) ** 2, 0);
  console.log(`scored ${predicted.length} rows (${download.suggestedFilename()}); R² on the ${pairs.length} with a target: ${fileR2.toFixed(4)}`);
  expect(fileR2).toBeGreaterThan(0.85);

  expect(foreignRequests(requests, baseURL ?? '')).toEqual([]);
});

test('cars: a random search of trees varies the trees’ parameters and lists its trials in their words', async ({ page }) => {
  await page.goto('/');
  await dropFile(page, `${dataDir}/cars.json`, 'cars.json', 'application/json');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'cars' })).toContainText('406');
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByLabel('Target column').selectOption('Miles_per_Gallon');
  await page.getByLabel('Model', { exact: true }).selectOption({ label: 'Gradient-boosted trees' });
  await page.getByLabel('Rounds').fill('40');
  await page.getByLabel('Seed').fill('42');
  await page.getByText('Split, validation, regularization and search').click();
  await page.getByLabel('Hyper-parameter search').check();
  await page.getByLabel('Strategy').selectOption('random');
  await page.getByLabel('Trials').fill('4');
  // A model name a search cannot try is refused naming the field.
  await page.getByLabel('Model (search)').fill('gbdt, forest');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveText('Failed');
  await expect(page.getByRole('alert').filter({ hasText: 'Model (search)' })).toContainText('"forest" is not one of auto, linear, mlp, gbdt');
  await page.getByLabel('Model (search)').fill('gbdt');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveText('Done', { timeout: 120_000 });

  const rows = page.getByTestId('leaderboard-row');
  await expect(rows).toHaveCount(4);
  for (const text of await rows.allInnerTexts()) {
    expect(text).toMatch(/gradient-boosted trees \(40 rounds, (15|31|63) leaves\) · tree lr (0\.05|0\.1|0\.2) · L2 /);
    expect(text).toContain('40 rounds');
    expect(text).not.toMatch(/epoch|dropout|relu/);
  }
  const scores = await rows.evaluateAll((els) => els.map((el) => Number((el as HTMLElement).dataset.score)));
  // Regression trials are ranked by validation RMSE, lowest first; the dummy's test RMSE is 7.35.
  await expect(page.getByTestId('leaderboard')).toContainText('Validation rmse');
  console.log(`tree search, validation RMSE by rank: ${scores.map((v) => v.toFixed(4)).join(', ')}`);
  expect(scores).toEqual([...scores].sort((a, b) => a - b));
  expect(scores[0]).toBeLessThan(4);
  await screen(page, 'trees-leaderboard', 'leaderboard');
  const r2 = await metric(page, 'r2');
  console.log(`refitted best trial: test R² ${r2.model}`);
  expect(r2.model).toBeGreaterThan(0.8);
});

test("cars: 'Automatic' compares an MLP with trees, each trial counted in its own unit", async ({ page }) => {
  await page.goto('/');
  await dropFile(page, `${dataDir}/cars.json`, 'cars.json', 'application/json');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'cars' })).toContainText('406');
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByLabel('Target column').selectOption('Miles_per_Gallon');
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('auto');
  // 'Automatic' may become either model: both the epochs and the rounds are offered.
  await expect(page.getByLabel('Epochs')).toHaveValue('100');
  await expect(page.getByLabel('Rounds')).toHaveValue('100');
  await page.getByLabel('Seed').fill('42');
  await recordStatuses(page);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveText('Done', { timeout: 170_000 });
  const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
  console.log(`auto statuses: ${statuses.join(' | ')}`);
  expect(statuses.some((s) => /trial 1 \(MLP\) · epoch \d+ of 100/.test(s))).toBe(true);
  expect(statuses.some((s) => /trial 2 \(trees\) · round \d+ of 100/.test(s))).toBe(true);
  const board = page.getByTestId('leaderboard');
  await expect(board).toContainText('MLP (32)');
  await expect(board).toContainText('gradient-boosted trees (100 rounds, 31 leaves)');
  await expect(board).toContainText(/\d+ epochs/);
  await screen(page, 'trees-auto-leaderboard', 'leaderboard');
  const chosen = await page.getByTestId('result-model').innerText();
  const r2 = await metric(page, 'r2');
  console.log(`auto chose ${chosen}: test R² ${r2.model}`);
  expect(r2.model).toBeGreaterThan(0.8);
});
