// Shared steps for the end-to-end tests: a person's actions in the studio, and readers for downloads.
import { expect, type Download, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';

export const dataDir = 'node_modules/vega-datasets/data';

/** Every request the page makes; the test asserts they all stay on our origin. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

export function foreignRequests(urls: string[], origin: string): string[] {
  return urls.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'));
}

/** Drops a real file on the Data view the way a person drags one from the desktop. */
export async function dropFile(page: Page, path: string, name: string, mimeType: string): Promise<void> {
  await page.getByRole('link', { name: 'Data' }).click();
  await page.getByTestId('drop-zone').drop({ files: { name, mimeType, buffer: readFileSync(path) } });
}

export async function chooseFile(page: Page, path: string): Promise<void> {
  await page.getByRole('link', { name: 'Data' }).click();
  await page.getByTestId('file-input').setInputFiles(path);
}

/** Sets up a run on the selected dataset and clicks Train, without waiting for it to finish. */
export async function startTraining(
  page: Page,
  target: string,
  options: { task?: string; model?: string; epochs?: string; earlyStopping?: boolean } = {},
) {
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByLabel('Target column').selectOption(target);
  if (options.task) await page.getByLabel('Task').selectOption(options.task);
  if (options.model) await page.getByLabel('Model', { exact: true }).selectOption(options.model);
  if (options.epochs) await page.getByLabel('Epochs').fill(options.epochs);
  if (options.earlyStopping === false) await page.getByLabel('Early stopping').uncheck();
  await page.getByLabel('Seed').fill('42');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
}

/** Trains on the selected dataset and waits for "Done". */
export async function train(page: Page, target: string, options: { task?: string; model?: string; epochs?: string } = {}) {
  await startTraining(page, target, options);
  await expect(page.getByTestId('train-status')).toHaveText(/Done/, { timeout: 120_000 });
}

/** Reads a metric from the metrics table: the model's value and the baseline's. */
export async function metric(page: Page, name: string): Promise<{ model: number; baseline: number }> {
  const row = page.getByTestId('metrics-table').locator(`[data-metric="${name}"]`);
  const model = Number(await row.locator('[data-role="model"]').innerText());
  const baseline = Number(await row.locator('[data-role="baseline"]').innerText());
  return { model, baseline };
}

export async function downloadText(download: Download): Promise<string> {
  const path = await download.path();
  return readFileSync(path, 'utf8');
}

export async function downloadZip(download: Download): Promise<Record<string, Uint8Array>> {
  const path = await download.path();
  return unzipSync(new Uint8Array(readFileSync(path)));
}

export function zipJson(files: Record<string, Uint8Array>, name: string): unknown {
  const file = files[name];
  if (!file) throw new Error(`bundle has no ${name}; it has ${Object.keys(files).join(', ')}`);
  return JSON.parse(strFromU8(file));
}

/** Splits CSV text into rows of fields (RFC 4180, for checking downloads). */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}
