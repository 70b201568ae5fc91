// Collect: appending batches to a dataset (same schema, changed schema rejected then accepted, content seen
// before), a type override carried into the next batch, and deleting a version only when nothing depends on it.
import { test, expect } from '@playwright/test';
import { appendBatch, collectDir, dropFiles, expectNoReview, screen, versionRow, versionRows } from './collect-helpers.ts';

test('batches: same schema, a duplicate, a schema change rejected and then accepted; deleting versions', async ({ page }) => {
  await page.goto('/');
  await dropFiles(page, [`${collectDir}/seattle-2012.csv`]);
  await expect(versionRows(page, 'seattle-2012')).toHaveCount(1);

  // Same schema: stored at once as v2 on top of v1.
  await appendBatch(page, 'seattle-2012', `${collectDir}/seattle-2013.csv`);
  const v2 = versionRow(page, 'seattle-2012', 2);
  await expect(v2.getByTestId('rows-added')).toHaveText('+365');
  await expect(v2.getByTestId('total-rows')).toHaveText('731');
  await expect(v2).toContainText('seattle-2013.csv');
  await expect(v2).toContainText('v1'); // parent
  await expectNoReview(page);

  // The same batch again: nothing new is stored.
  await appendBatch(page, 'seattle-2012', `${collectDir}/seattle-2013.csv`);
  await expect(page.getByRole('status').filter({ hasText: 'Already imported' })).toContainText('Already imported as v2 of seattle-2012');
  await expect(versionRows(page, 'seattle-2012')).toHaveCount(2);

  // A batch with a new column: the diff is shown; rejecting stores nothing.
  await appendBatch(page, 'seattle-2012', `${collectDir}/seattle-2014-temp-range.csv`);
  const diff = page.getByTestId('schema-diff');
  await expect(diff.locator('tr', { hasText: 'temp_range' })).toContainText('Column added');
  await screen(page, '23-collect-schema-diff', 'staged-review');
  await page.getByRole('button', { name: 'Reject' }).click();
  await expectNoReview(page);
  await expect(versionRows(page, 'seattle-2012')).toHaveCount(2);

  // Again, accepted: v3 has the new column and all rows.
  await appendBatch(page, 'seattle-2012', `${collectDir}/seattle-2014-temp-range.csv`);
  await page.getByRole('button', { name: 'Accept schema change' }).click();
  const v3 = versionRow(page, 'seattle-2012', 3);
  await expect(v3.getByTestId('total-rows')).toHaveText('1,096');
  await expect(v3.getByTestId('rows-added')).toHaveText('+365');
  await v3.getByRole('button', { name: 'seattle-2012 v3', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'temp_range' }).first()).toBeVisible();
  await screen(page, '24-collect-timeline');

  // v1 carries v2: it cannot be deleted, and the dialog says why.
  await versionRow(page, 'seattle-2012', 1).getByRole('button', { name: 'Delete seattle-2012 v1' }).click();
  const dialog = page.getByTestId('delete-version');
  await expect(dialog.getByTestId('dependents')).toContainText('seattle-2012 v2 is built on it');
  await expect(dialog.getByRole('button', { name: 'Delete seattle-2012 v1' })).toBeDisabled();
  await screen(page, '25-collect-delete-blocked', 'delete-version');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // v3 has nothing on top of it: confirm, and it is gone.
  await versionRow(page, 'seattle-2012', 3).getByRole('button', { name: 'Delete seattle-2012 v3' }).click();
  await expect(dialog.getByTestId('dependents')).toContainText('Nothing depends on it');
  await dialog.getByRole('button', { name: 'Delete seattle-2012 v3' }).click();
  await expect(versionRows(page, 'seattle-2012')).toHaveCount(2);
  await expect(page.getByTestId('delete-version')).toHaveCount(0);

  // The storage panel counts the dataset's bytes and shows the browser's answer about persistence.
  const storage = page.getByTestId('storage-panel');
  await expect(storage.getByTestId('storage-row').filter({ hasText: 'seattle-2012' })).toContainText(/\d+(\.\d)? KB/);
  await expect(storage.getByTestId('persistence')).toContainText(/Persistent storage: (granted|not granted)/);
  await screen(page, '26-collect-storage', 'storage-panel');
});

test('a type chosen for a column (integer → category) applies to the next batch too', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Data' }).click();
  await page.getByLabel('Review every import before it is stored').check();
  await dropFiles(page, [`${collectDir}/disasters-to-1959.csv`]);
  const review = page.getByTestId('staged-review');
  const year = review.getByLabel('Type of Year');
  await expect(year).toHaveValue('integer');
  await year.selectOption('category');
  await expect(review.getByLabel('Type of Year')).toHaveValue('category');
  await review.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(versionRows(page, 'disasters-to-1959')).toHaveCount(1);
  await page.getByLabel('Review every import before it is stored').uncheck();

  // Read with the dataset's types, the batch's years are new categories, not a type change.
  await appendBatch(page, 'disasters-to-1959', `${collectDir}/disasters-from-1960.csv`);
  const diff = page.getByTestId('schema-diff');
  await expect(diff.locator('tbody tr')).toHaveCount(1);
  await expect(diff.locator('tbody tr')).toContainText('New categories');
  await expect(diff.locator('tbody tr')).toContainText('Year');
  await expect(review.getByLabel('Type of Year')).toHaveValue('category');
  await review.getByRole('button', { name: 'Accept schema change' }).click();
  await expect(versionRows(page, 'disasters-to-1959')).toHaveCount(2);
  await versionRow(page, 'disasters-to-1959', 2).getByRole('button', { name: 'disasters-to-1959 v2', exact: true }).click();
  const profile = page.locator('[data-testid="column-profile"][data-column="Year"]');
  await expect(profile.locator('.pill.accent')).toHaveText('category');
  await expect(versionRow(page, 'disasters-to-1959', 2).getByTestId('total-rows')).toHaveText('803');
});
