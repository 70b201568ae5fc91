// Shared steps for the Collect specs: dropping several files, pasting, appending a batch, screenshots on demand.
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export const collectDir = 'tests/fixtures/collect';

const mimeOf = (name: string) => (name.endsWith('.json') ? 'application/json' : name.endsWith('.tsv') ? 'text/tab-separated-values' : 'text/csv');

/** Drops several files at once on the Data view. */
export async function dropFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByRole('link', { name: 'Data' }).click();
  const files = paths.map((path) => ({ name: basename(path), mimeType: mimeOf(path), buffer: readFileSync(path) }));
  await page.getByTestId('drop-zone').drop({ files });
}

/** Pastes text as if copied from a spreadsheet, with focus on the page (not a form field). */
export async function pasteText(page: Page, text: string): Promise<void> {
  await page.evaluate((content) => {
    const data = new DataTransfer();
    data.setData('text/plain', content);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** "Append a batch" on a dataset, choosing the file in the file chooser. */
export async function appendBatch(page: Page, dataset: string, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: `Append a batch to ${dataset}`, exact: true }).click();
  await (await chooser).setFiles(path);
}

/** The version rows of one dataset's timeline. */
export function versionRows(page: Page, dataset: string) {
  return page.locator(`[data-testid="dataset-group"][data-dataset="${dataset}"] [data-testid="dataset-row"]`);
}

export function versionRow(page: Page, dataset: string, version: number) {
  return page.locator(`[data-testid="dataset-group"][data-dataset="${dataset}"] [data-testid="dataset-row"][data-version="${version}"]`);
}

/** The status of one file in the import list. */
export function importItem(page: Page, name: string) {
  return page.getByTestId('import-item').filter({ hasText: name });
}

/** With MILLRACE_SCREENS=1, saves a screenshot of the page or an element to tests/screens/out/. */
export async function screen(page: Page, name: string, testId?: string): Promise<void> {
  if (!process.env.MILLRACE_SCREENS) return;
  await page.waitForTimeout(300);
  const path = `tests/screens/out/${name}.png`;
  if (testId) await page.getByTestId(testId).screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}

export async function expectNoReview(page: Page): Promise<void> {
  await expect(page.getByTestId('staged-review')).toHaveCount(0);
}
