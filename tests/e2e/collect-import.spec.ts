// Collect: several files in one drop, a dropped folder, spreadsheet cells pasted with Ctrl+V, and the
// encoding of a Windows-1252 file changed in the review panel before anything is stored, and a decimal-comma file reviewed.
import { test, expect } from '@playwright/test';
import { collectDir, dropFiles, expectNoReview, importItem, pasteText, screen, versionRows } from './collect-helpers.ts';

test('two files dropped at once are imported in turn, each with its status', async ({ page }) => {
  await page.goto('/');
  await dropFiles(page, [`${collectDir}/seattle-2012.csv`, `${collectDir}/disasters-to-1959.csv`]);
  await expect(importItem(page, 'seattle-2012.csv')).toHaveAttribute('data-status', 'stored');
  await expect(importItem(page, 'disasters-to-1959.csv')).toHaveAttribute('data-status', 'stored');
  await expect(importItem(page, 'seattle-2012.csv')).toContainText('366 rows');
  await expect(versionRows(page, 'seattle-2012')).toHaveCount(1);
  await expect(versionRows(page, 'disasters-to-1959')).toContainText('283');
  await screen(page, '20-collect-two-files');
});

test('a dropped folder imports its data files and names the ones it skipped', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Data' }).click();
  // A folder drop as Chromium delivers one from the desktop: a directory entry walked with readEntries().
  await page.evaluate(() => {
    const fileEntry = (path: string, content: string) => ({
      isFile: true,
      isDirectory: false,
      name: path.split('/').pop() as string,
      fullPath: `/${path}`,
      file: (ok: (file: File) => void) => ok(new File([content], path.split('/').pop() as string)),
    });
    const children = [fileEntry('batches/a.csv', 'x,y\n1,2\n3,4\n'), fileEntry('batches/readme.md', '# notes'), fileEntry('batches/b.ndjson', '{"x":1}\n{"x":2}\n')];
    const folder = {
      isFile: false,
      isDirectory: true,
      name: 'batches',
      fullPath: '/batches',
      createReader: () => {
        let given = false;
        return { readEntries: (ok: (entries: unknown[]) => void) => ok(given ? [] : ((given = true), children)) };
      },
    };
    const item = { kind: 'file', webkitGetAsEntry: () => folder, getAsFile: () => null };
    const transfer = { items: [item], files: [], types: ['Files'] };
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: transfer });
    document.querySelector('[data-testid="drop-zone"]')?.dispatchEvent(drop);
  });
  await expect(importItem(page, 'a.csv')).toHaveAttribute('data-status', 'stored');
  await expect(importItem(page, 'b.ndjson')).toHaveAttribute('data-status', 'stored');
  await expect(importItem(page, 'batches/readme.md')).toHaveAttribute('data-status', 'skipped');
  await expect(page.getByTestId('dataset-row')).toHaveCount(2);
});

test('cells pasted from a spreadsheet become a staged import, stored on Import', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Data' }).click();
  await pasteText(page, 'city\tpopulation\tcoastal\nLisbon\t545923\tyes\nPorto\t231800\tyes\nÉvora\t53568\tno\n');
  const review = page.getByTestId('staged-review');
  await expect(review).toBeVisible();
  await expect(review.getByTestId('staged-summary')).toHaveText('TSV · UTF-8 · delimiter tab · 3 rows · 3 columns');
  await expect(review).toContainText(/pasted-\d{8}-\d{6}\.tsv/);
  await expect(review.getByRole('cell', { name: 'Évora' })).toBeVisible();
  await screen(page, '21-collect-paste-review', 'staged-review');
  await review.getByRole('button', { name: 'Import', exact: true }).click();
  await expectNoReview(page);
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'pasted-' })).toContainText('3');
  // A 3-row preview is a short grid (header, 3 rows, border; no empty space below) and asks for no scrolling.
  const grid = page.getByRole('grid', { name: /^Rows of pasted-/ });
  await expect(grid.locator('..').getByText('3 rows', { exact: true })).toBeVisible();
  expect((await grid.boundingBox())!.height).toBeLessThanOrEqual(34 + 3 * 28 + 2 + 17);
});

test('a Windows-1252 file: the guessed encoding is shown and can be changed before storing', async ({ page }) => {
  await page.goto('/');
  await dropFiles(page, ['tests/fixtures/encoding/windows-1252.csv']);
  const review = page.getByTestId('staged-review');
  const encoding = review.getByLabel('Encoding');
  await expect(encoding).toHaveValue('windows-1252');
  await expect(review.getByLabel('Delimiter')).toHaveValue(';');
  await expect(review.getByRole('cell', { name: 'Café' })).toBeVisible();

  // Read as UTF-8 the byte 0xE9 is not "é": the preview shows the replacement character instead.
  await encoding.selectOption('utf-8');
  await expect(review.getByTestId('staged-summary')).toContainText('UTF-8');
  await expect(review.getByRole('cell', { name: 'Caf\uFFFD' })).toBeVisible();
  await encoding.selectOption('windows-1252');
  await expect(review.getByRole('cell', { name: 'Café' })).toBeVisible();
  await screen(page, '22-collect-encoding-review', 'staged-review');

  await review.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(versionRows(page, 'windows-1252')).toHaveCount(1);
  await expect(page.getByRole('gridcell', { name: 'Café' })).toBeVisible();
});

test('a semicolon file with decimal commas waits in the review with both guesses, its numbers read as numbers', async ({ page }) => {
  await page.goto('/');
  await dropFiles(page, ['tests/fixtures/decimal/seattle-weather-eu.csv']);
  const review = page.getByTestId('staged-review');
  await expect(review.getByLabel('Delimiter')).toHaveValue(';');
  await expect(review.getByLabel('Decimal separator')).toHaveValue(',');
  await expect(review.getByTestId('staged-summary')).toContainText('delimiter ; · decimal comma · 40 rows · 6 columns');
  await expect(review.getByTestId('staged-guesses')).toContainText('Decimal separator guessed: comma, from numbers such as 0,0');
  await expect(review.getByLabel('Type of wind')).toHaveValue('number');
  // A decimal point chosen instead reads the same cells as text.
  await review.getByLabel('Decimal separator').selectOption('.');
  await expect(review.getByLabel('Type of wind')).toHaveValue('text');
  await review.getByLabel('Decimal separator').selectOption(',');
  await expect(review.getByLabel('Type of wind')).toHaveValue('number');
  await review.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(versionRows(page, 'seattle-weather-eu')).toHaveCount(1);
});
