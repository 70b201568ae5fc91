// End to end: a seeded random search on penguins ranks its trials by validation accuracy; the best beats the
// majority-class baseline and is saved.
import { test, expect } from '@playwright/test';
import { dataDir, dropFile, metric } from './studio-helpers.ts';

const screens = process.env.MILLRACE_SCREENS === '1';

test('penguins: a 6-trial random search, its leaderboard, then saving the best model', async ({ page }) => {
  await page.goto('/');
  await dropFile(page, `${dataDir}/penguins.json`, 'penguins.json', 'application/json');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'penguins' })).toContainText('344');

  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByLabel('Target column').selectOption('Species');
  await page.getByLabel('Epochs').fill('20');
  await page.getByLabel('Seed').fill('42');
  await page.getByText('Split, validation, regularization and search').click();
  await page.getByLabel('Hyper-parameter search').check();
  await page.getByLabel('Strategy').selectOption('random');
  await page.getByLabel('Trials').fill('6');
  if (screens) await page.locator('section[aria-labelledby="setup-title"]').screenshot({ path: 'tests/screens/out/train-options.png' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();

  // Progress per trial while it runs, from the trial runs stored as they finish.
  await expect(page.getByTestId('search-progress')).toContainText(/of 6 trials finished/);
  await expect(page.getByTestId('train-status')).toHaveText(/Done/, { timeout: 170_000 });
  // The saved model is the best trial's parameters refitted on the whole training split, and the run says so.
  await expect(page.getByTestId('refit-note')).toContainText(/parameters refitted on all 275 training rows \(the trials were fitted on 220/);

  const rows = page.getByTestId('leaderboard-row');
  await expect(rows).toHaveCount(6);
  await expect(page.getByTestId('leaderboard')).toContainText('Validation accuracy');
  const scores = await rows.evaluateAll((els) => els.map((el) => Number((el as HTMLElement).dataset.score)));
  expect(scores.every((s) => s > 0.3 && s <= 1)).toBe(true);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  await expect(rows.first()).toHaveClass(/best/);
  await expect(rows.first()).toContainText('best');
  await expect(page.locator('tr.best')).toHaveCount(1);
  await expect(rows.first()).toContainText('In use');
  if (screens) await page.locator('section[aria-labelledby="leaderboard-title"]').screenshot({ path: 'tests/screens/out/train-leaderboard.png' });

  // "Use this run" on another trial shows it for evaluation; back to the best one to save it.
  await rows.nth(1).getByRole('button', { name: 'Use this run' }).click();
  await expect(rows.nth(1)).toContainText('In use');
  const trial = await rows.nth(1).getAttribute('data-trial');
  await expect(page.getByText(new RegExp(`→ Species · trial ${trial} ·`))).toBeVisible();
  await rows.first().getByRole('button', { name: 'Use this run' }).click();
  await expect(rows.first()).toContainText('In use');
  const best = await rows.first().getAttribute('data-trial');
  await expect(page.getByText(new RegExp(`→ Species · trial ${best} ·`))).toBeVisible();
  await expect(page.getByTestId('refit-note')).toContainText(`Trial ${best}'s parameters refitted`);

  // The best trial beats the majority-class baseline that the evaluation shows beside it: its validation
  // score on the leaderboard and its test accuracy both lie above the baseline's accuracy.
  const { model: accuracy, baseline } = await metric(page, 'accuracy');
  console.log(`best trial: validation accuracy ${scores[0]}, test accuracy ${accuracy}; majority-class baseline ${baseline}`);
  expect(baseline).toBeGreaterThan(0);
  expect(baseline).toBeLessThan(0.6);
  expect(scores[0]).toBeGreaterThan(baseline);
  expect(accuracy).toBeGreaterThan(baseline);
  expect(accuracy).toBeGreaterThan(0.9);
  await page.getByLabel('Model name').fill('penguin-search');
  await page.getByRole('button', { name: 'Save model' }).click();
  await page.getByRole('link', { name: 'Models' }).click();
  await expect(page.getByTestId('model-row').filter({ hasText: 'penguin-search' })).toBeVisible();
});
