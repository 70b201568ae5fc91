// A run cut off by a reload (or cancelled) continues from its last stored epoch in the studio.
import { test, expect } from '@playwright/test';
import { chooseFile, dataDir, startTraining } from './studio-helpers.ts';

test('an interrupted run resumes after a reload and finishes', async ({ page }) => {
  await page.goto('/');
  await chooseFile(page, `${dataDir}/penguins.json`);
  await expect(page.getByTestId('dataset-row')).toHaveCount(1);
  await startTraining(page, 'Species', { model: 'mlp', epochs: '400', earlyStopping: false });
  await expect(page.getByTestId('train-status')).toHaveText(/epoch (\d{2,})/, { timeout: 30_000 });

  // The tab goes away mid-run; the checkpoint stays in IndexedDB.
  await page.reload();
  await page.getByRole('link', { name: 'Train' }).click();
  const unfinished = page.getByTestId('resumable-run');
  await expect(unfinished).toHaveCount(1);
  await expect(unfinished).toContainText('Species');
  const stoppedAt = Number((await unfinished.innerText()).match(/after epoch (\d+) of 400/)?.[1]);
  expect(stoppedAt).toBeGreaterThan(0);
  expect(stoppedAt).toBeLessThan(400);

  if (process.env.MILLRACE_SCREENS) await page.screenshot({ path: 'tests/screens/out/train-resume.png', fullPage: true });
  await unfinished.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('train-status')).toHaveText('Done', { timeout: 120_000 });
  const accuracy = Number(await page.getByTestId('metrics-table').locator('[data-metric="accuracy"] [data-role="model"]').innerText());
  expect(accuracy).toBeGreaterThan(0.95);
  await expect(page.getByTestId('resumable-run')).toHaveCount(0);
});
