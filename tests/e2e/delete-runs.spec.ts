// End to end, cleaning up: a dataset version with a saved model is refused naming the model and the run; the model version is deleted on Models, the run under Evaluate › Compare runs, then the version on Data.
// On the way, each stage at 768, 1024 and 1360 px wide fits without sideways scrolling (screenshots with MILLRACE_SCREENS=1), and a run started on a 1280 × 720 window is brought into view.
import { expect, test, type Page } from '@playwright/test';
import { dataDir, dropFile, train } from './studio-helpers.ts';

const WIDTHS = [768, 1024, 1360];

/** The stage `route` at each width: no horizontal overflow of the document; a full-page screenshot with MILLRACE_SCREENS=1. */
async function fitsEveryWidth(page: Page, route: string): Promise<void> {
  await page.getByRole('link', { name: route[0]!.toUpperCase() + route.slice(1), exact: true }).click();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), { message: `${route} at ${width} px overflows sideways` }).toBeLessThanOrEqual(0);
    if (process.env.MILLRACE_SCREENS) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(300);
      await page.screenshot({ path: `tests/screens/out/width-${route}-${width}.png`, fullPage: true });
    }
  }
}

test('delete a model version and its run, then the dataset version they used', async ({ page }) => {
  await page.goto('/');
  // The first Tab stop skips to the stage's content.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  await expect(page).toHaveURL(/#\/data$|\/$/);

  await dropFile(page, `${dataDir}/penguins.json`, 'penguins.json', 'application/json');
  const dataset = page.getByTestId('dataset-row').filter({ hasText: 'penguins' });
  await expect(dataset).toContainText('344');
  // A version row reached by keyboard shows a clear ring: 2 px of the accent around the row.
  await dataset.getByRole('button', { name: 'penguins v1', exact: true }).focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(dataset).toHaveCSS('box-shadow', 'rgb(29, 111, 184) 0px 0px 0px 2px inset');
  // A 1280 × 720 window: the setup fills it, so the run is brought into view when it starts.
  await page.setViewportSize({ width: 1280, height: 720 });
  await train(page, 'Species', { model: 'linear', epochs: '5' });
  await expect(page.getByRole('heading', { name: 'Run', exact: true })).toBeInViewport();
  // Done: the run sits under the header, its curve and the evaluation below it.
  await expect.poll(() => page.locator('.run-card').evaluate((card) => Math.round(card.getBoundingClientRect().top))).toBeLessThanOrEqual(56 + 16 + 2);
  if (process.env.MILLRACE_SCREENS) await page.screenshot({ path: 'tests/screens/out/train-run-1280x720.png' });
  await page.getByRole('link', { name: 'Evaluate' }).click();
  await page.getByLabel('Model name').fill('penguins');
  await page.getByRole('button', { name: 'Save model' }).click();
  await expect(page.getByText('Saved as')).toContainText('penguins');
  for (const route of ['evaluate', 'train', 'models', 'data']) await fitsEveryWidth(page, route);
  // At 768 px the Models table's pinned actions cover no column: the saved date moves under the dataset version.
  await page.getByRole('link', { name: 'Models', exact: true }).click();
  await page.setViewportSize({ width: 768, height: 900 });
  await expect(page.getByRole('columnheader', { name: 'Saved' })).toBeHidden();
  await expect(page.getByTestId('model-row').first().getByText(/^saved /)).toBeVisible();
  await page.setViewportSize({ width: 1360, height: 900 });
  await expect(page.getByRole('columnheader', { name: 'Saved' })).toBeVisible();

  // The version is used: the dialog names the model and the run (by its label) and where to delete them.
  await page.getByRole('link', { name: 'Data' }).click();
  await page.getByRole('button', { name: 'Delete penguins v1' }).click();
  const dialog = page.getByTestId('delete-version');
  await expect(dialog.getByTestId('dependents')).toContainText('Model penguins v1 was trained on it: delete it on Models');
  await expect(dialog.getByTestId('dependents')).toContainText(/Training run linear · \w{4} → Species: delete it under Evaluate › Compare runs/);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The model version, on Models (its run stays).
  await page.getByRole('link', { name: 'Models' }).click();
  const model = page.getByTestId('model-group');
  await model.getByRole('button', { name: 'Delete version' }).click();
  await model.getByRole('button', { name: 'Delete v1' }).click();
  await expect(page.getByText('Deleted penguins v1; its training run stays under Evaluate › Compare runs.')).toBeVisible();
  await expect(page.getByTestId('model-group')).toHaveCount(0);

  // The run, in the run list (Train points at it): confirmed, then gone.
  await page.getByRole('link', { name: 'Train', exact: true }).click();
  await page.getByTestId('stored-runs').filter({ hasText: '1 stored run: compare or delete them' }).click();
  await expect(page).toHaveURL(/#\/evaluate$/);
  const runs = page.getByTestId('compare-run');
  await expect(runs).toHaveCount(1);
  await runs.getByRole('button', { name: /^Delete run linear/ }).click();
  await page.getByTestId('delete-run').getByRole('button', { name: 'Delete run' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Deleted run linear' })).toBeVisible();
  await expect(runs).toHaveCount(0);

  // Now the version has nothing on it.
  await page.getByRole('link', { name: 'Data' }).click();
  await page.getByRole('button', { name: 'Delete penguins v1' }).click();
  await expect(dialog.getByTestId('dependents')).toContainText('Nothing depends on it');
  await dialog.getByRole('button', { name: 'Delete penguins v1' }).click();
  await expect(dataset).toHaveCount(0);

  // Each deletion is in the audit log, the run named by its label.
  await fitsEveryWidth(page, 'audit');
  await expect(page.getByText(/run linear · \w{4}/).first()).toBeVisible();
});
