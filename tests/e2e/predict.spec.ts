// End to end, predicting: penguins with a recipe, trained and saved; one case typed in the form (a value outside the training range flagged, the prediction and its chart); a file missing a column refused naming it; the rows the recipe drops downloaded as rejects with the step.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { screen } from './collect-helpers.ts';
import { csvRows, dataDir, downloadText, dropFile, train } from './studio-helpers.ts';

const penguins = () => JSON.parse(readFileSync(`${dataDir}/penguins.json`, 'utf8')) as Record<string, unknown>[];

/** "." becomes missing, then rows without Sex go (344 → 333 rows), saved as the dataset's recipe. */
async function saveSexRecipe(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Check' }).click();
  const recipe = page.getByTestId('recipe-editor');
  await recipe.getByLabel('Step kind').selectOption('replace');
  await recipe.getByLabel('Columns', { exact: true }).selectOption('Sex');
  await recipe.getByLabel('Replace values (comma-separated)').fill('.');
  await recipe.getByRole('button', { name: 'Add step' }).click();
  await recipe.getByLabel('Step kind').selectOption('drop-missing');
  await recipe.getByLabel('Columns', { exact: true }).selectOption('Sex');
  await recipe.getByRole('button', { name: 'Add step' }).click();
  await expect(recipe.getByTestId('recipe-step')).toHaveCount(2);
  await recipe.getByRole('button', { name: 'Save recipe' }).click();
  await expect(page.getByTestId('recipe-status')).toHaveText('Saved as v1');
  await expect(page.getByTestId('check-summary')).toContainText('333 of 344 rows');
}

test('penguins: predict one case with flags and a chart, refuse a file missing a column, download the rejects', async ({ page }) => {
  await page.goto('/');
  await dropFile(page, `${dataDir}/penguins.json`, 'penguins.json', 'application/json');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'penguins' })).toContainText('344');
  await saveSexRecipe(page);
  await train(page, 'Species', { model: 'linear' });
  await page.getByRole('link', { name: 'Evaluate' }).click();
  await page.getByLabel('Model name').fill('species');
  await page.getByRole('button', { name: 'Save model' }).click();
  await expect(page.getByText('Saved as')).toContainText('species');

  // The form: one field per input, prefilled with the training medians and modes.
  await page.getByRole('link', { name: 'Models' }).click();
  const panel = page.getByTestId('predict-panel').filter({ hasText: 'species' });
  // The chart's bars are labelled by column too: a field is the one labelled exactly by it.
  const input = (name: string) => panel.getByLabel(name, { exact: true });
  await panel.getByRole('button', { name: 'Predict one case' }).click();
  const flipper = input('Flipper Length (mm)');
  await expect(flipper).not.toHaveValue('');
  await expect(input('Island')).toHaveValue('Biscoe');
  await expect(panel.getByText(/^Range 1\d\d – 2\d\d, median 1\d\d$/)).toBeVisible();
  await expect(panel.getByTestId('input-flag')).toHaveCount(0);
  await screen(page, 'predict-form', 'predict-panel');

  // A flipper of 400 mm is outside the training range: flagged next to the field, and described by it.
  await flipper.fill('400');
  const flag = panel.getByTestId('input-flag');
  await expect(flag).toHaveCount(1);
  await expect(flag).toContainText('Above the training range (172 to 231)');
  const flagId = await flag.getAttribute('id');
  await expect(flipper).toHaveAttribute('aria-describedby', new RegExp(`\\b${flagId}\\b`));
  await input('Island').fill('Atlantis');
  await expect(flag).toHaveCount(2);
  await expect(panel.getByText('“Atlantis” was never seen in training')).toBeVisible();

  await panel.getByRole('button', { name: 'Predict', exact: true }).click();
  const prediction = panel.getByTestId('prediction');
  await expect(prediction).toContainText('Predicted Species:');
  await expect(prediction.getByTestId('predicted')).toHaveText(/Adelie|Chinstrap|Gentoo/);
  await expect(prediction.getByRole('list', { name: 'Class probabilities' }).getByRole('listitem')).toHaveCount(3);
  await expect(prediction).toContainText('outside what the model saw in training: Island, Flipper Length (mm)');
  await expect(prediction.locator('svg, canvas').first()).toBeVisible();
  await screen(page, 'predict-result', 'predict-panel');

  // A value that cannot be read stops Predict, marked on its field.
  await input('Body Mass (g)').fill('heavy');
  await expect(panel.getByText('“heavy” is not a number')).toBeVisible();
  await expect(input('Body Mass (g)')).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.getByRole('button', { name: 'Predict', exact: true })).toBeDisabled();
  await panel.getByRole('button', { name: 'Reset to training values' }).click();
  await expect(panel.getByTestId('input-flag')).toHaveCount(0);

  // A file without Body Mass (g) is refused, naming the column; nothing downloads.
  const versionRow = page.getByTestId('model-row').filter({ hasText: 'v1' }).first();
  const thin = penguins().map(({ ['Body Mass (g)']: _mass, ...rest }) => rest);
  let chooser = page.waitForEvent('filechooser');
  await versionRow.getByRole('button', { name: 'Score a file' }).click();
  await (await chooser).setFiles({ name: 'thin.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(thin)) });
  await expect(page.getByRole('alert').filter({ hasText: 'thin.json' })).toContainText('lacks a column the model needs: "Body Mass (g)"');
  await screen(page, 'predict-score-refused');

  // The whole file with a column the model does not read: 333 rows scored, 11 rejects with the step, the extra column noted.
  const batch = penguins().map((row) => ({ ...row, Comment: 'from the field' }));
  const scored = page.waitForEvent('download');
  chooser = page.waitForEvent('filechooser');
  await versionRow.getByRole('button', { name: 'Score a file' }).click();
  await (await chooser).setFiles({ name: 'batch.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(batch)) });
  const rows = csvRows(await downloadText(await scored)).filter((row) => row.length > 1);
  expect(rows).toHaveLength(334);
  expect(rows[0]).toEqual(expect.arrayContaining(['Comment', 'predicted_Species', 'probability_Adelie', 'probability_Chinstrap', 'probability_Gentoo']));
  const result = page.getByTestId('score-result');
  await expect(result).toContainText('Scored 333 rows of batch.json');
  await expect(result).toContainText('Ignored column (not read by the model; kept in the download): "Comment"');
  await screen(page, 'predict-score-result', 'score-result');
  const rejectsDownload = page.waitForEvent('download');
  await result.getByRole('button', { name: 'Download rejects (11 rows)' }).click();
  const rejects = csvRows(await downloadText(await rejectsDownload)).filter((row) => row.length > 1);
  expect(rejects).toHaveLength(12);
  expect(rejects[0]![0]).toBe('row');
  expect(rejects[0]!.at(-1)).toBe('reason');
  for (const row of rejects.slice(1)) expect(row.at(-1)).toBe('Step 2 (drop-missing): Drop rows missing Sex');
  const dropped = penguins().flatMap((row, i) => (row.Sex === null || row.Sex === '.' ? [String(i)] : []));
  expect(rejects.slice(1).map((row) => row[0])).toEqual(dropped);
});
