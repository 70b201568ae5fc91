// End to end: edit features (log1p, bucketize), save the set as v1, preview it, train with it, compare two runs.
import { test, expect } from '@playwright/test';
import { dataDir, downloadText, dropFile } from './studio-helpers.ts';

const screens = process.env.MILLRACE_SCREENS === '1';
const target = 'Beak Depth (mm)';

test('penguins: a saved feature set is previewed, trained with, and runs are compared', async ({ page }) => {
  await page.goto('/');
  await dropFile(page, `${dataDir}/penguins.json`, 'penguins.json', 'application/json');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'penguins' })).toContainText('344');

  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByLabel('Target column').selectOption(target);
  await expect(page.getByLabel('Task')).toHaveValue('regression');
  const rows = page.getByTestId('feature-row');
  await expect(rows).toHaveCount(6);
  await expect(page.getByTestId('feature-set-status')).toHaveText('Automatic set');

  // Edit: log1p on body mass, 5 buckets of flipper length, and drop Sex.
  await page.getByLabel('Transform for Body Mass (g)').selectOption('log1p');
  await page.getByLabel('Transform for Flipper Length (mm)').selectOption('bucketize');
  await page.getByLabel('Bins for Flipper Length (mm)').fill('5');
  await page.getByLabel('Bins for Flipper Length (mm)').blur();
  await page.getByRole('button', { name: 'Remove Sex' }).click();
  await expect(rows).toHaveCount(5);
  await expect(page.getByTestId('feature-set-status')).toHaveText('Edited, not saved');
  // A row's options cell ('—' when the transform has none, fields otherwise) fills its row like the other cells.
  for (const row of await rows.all()) {
    const [cell, line] = await Promise.all([row.getByTestId('feature-params').boundingBox(), row.boundingBox()]);
    expect(Math.abs(cell!.height - line!.height), 'options cell height against its row').toBeLessThanOrEqual(1);
  }

  await page.getByLabel('Feature set name').fill('penguin-shape');
  await page.getByRole('button', { name: 'Save feature set' }).click();
  await expect(page.getByTestId('feature-set-status')).toHaveText('Saved as penguin-shape v1');

  // Preview: the matrix width (3 species + 3 islands + beak length + log body mass + 5 flipper buckets) and correlations.
  await page.getByRole('button', { name: 'Preview features' }).click();
  await expect(page.getByTestId('matrix-width')).toHaveText('13');
  const preview = page.getByTestId('preview-row');
  await expect(preview).toHaveCount(5);
  const bodyMass = preview.filter({ hasText: 'Body Mass (g)' });
  await expect(bodyMass).toContainText('log1p');
  await expect(bodyMass.getByTestId('correlation')).toHaveText(/^-?[01]\.\d\d$/);
  await expect(preview.filter({ hasText: 'Flipper Length (mm)' })).toContainText('bucketize');
  // Figures and '—' end at one edge down the correlation column.
  const edges = await page.getByTestId('correlation').evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().right)));
  expect(new Set(edges).size, `correlation cells end at ${edges.join(', ')}`).toBe(1);
  if (screens) await page.locator('section[aria-labelledby="features-title"]').screenshot({ path: 'tests/screens/out/train-features.png' });

  // Train twice with it: a linear model, then an MLP.
  await page.getByLabel('Model', { exact: true }).selectOption('linear');
  await page.getByLabel('Epochs').fill('15');
  await page.getByLabel('Seed').fill('42');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveText(/Done/, { timeout: 120_000 });
  await expect(page.getByTestId('run-feature-set')).toContainText('penguin-shape v1');
  if (screens) await page.screenshot({ path: 'tests/screens/out/train-view.png', fullPage: true });
  await page.getByLabel('Model', { exact: true }).selectOption('mlp');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveText(/Done/, { timeout: 120_000 });

  // Compare them: curves overlaid, the differing params highlighted, metrics side by side.
  await page.getByRole('link', { name: 'Evaluate' }).click();
  const runs = page.getByTestId('compare-run');
  await expect(runs).toHaveCount(2);
  for (const run of await runs.all()) {
    await expect(run.getByTestId('run-feature-set')).toHaveText('penguin-shape v1');
    await run.getByRole('checkbox').check();
  }
  await expect(page.getByTestId('compare-curves').locator('svg, canvas').first()).toBeVisible();
  const diff = page.getByTestId('param-diff');
  await expect(diff.locator('[data-param="kind"]')).toHaveAttribute('data-differs', 'true');
  await expect(diff.locator('[data-param="seed"]')).toHaveAttribute('data-differs', 'false');
  await expect(diff.locator('[data-param="featureSet"]')).toContainText('penguin-shape v1');
  await expect(page.getByTestId('metric-compare').locator('[data-param="rmse"] td')).toHaveCount(2);
  // The metrics table fits inside its card, at the default width and at 1024 px.
  for (const width of [1360, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    const overflow = await page.getByTestId('metric-compare').evaluate((table) => {
      const card = table.closest('section')!.getBoundingClientRect();
      const wrap = table.parentElement!;
      return { right: table.getBoundingClientRect().right - card.right, scroll: wrap.scrollWidth - wrap.clientWidth };
    });
    expect(overflow.scroll, `metrics table scrolls inside its card at ${width} px`).toBe(0);
    expect(overflow.right, `metrics table passes its card's edge at ${width} px`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1360, height: 900 });
  // Any run in the list exports the pipeline spec it ran.
  const exported = page.waitForEvent('download');
  await runs.first().getByRole('button', { name: /^Export pipeline of run/ }).click();
  const spec = JSON.parse(await downloadText(await exported)) as { format: string; features: { name: string; version: number } };
  expect(spec.format).toBe('millrace.pipeline/1');
  expect(spec.features).toMatchObject({ name: 'penguin-shape', version: 1 });
  if (screens) await page.locator('section[aria-labelledby="compare-title"]').screenshot({ path: 'tests/screens/out/train-compare.png' });
});
