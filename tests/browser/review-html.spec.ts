// The HTML evaluation report opened from a file in Chromium: hostile names show as text, nothing runs, nothing loads, the SVG charts render.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { reviewHtml, type ReviewHtmlReport } from '../../src/lib/pipeline/review/html/report-html.ts';
import { binaryReport, HOSTILE, metaFor, multiclassReport, regressionReport } from '../unit/pipeline/review/html/fixtures.ts';

const SCREENS = 'tests/screens/out';

interface Watch {
  requests: string[];
  dialogs: string[];
  problems: string[];
}

/** Writes the report to a temp file and opens it via file://, recording every request, dialog and console error; anything not file: is aborted. */
async function openReport(page: Page, report: ReviewHtmlReport, name: string): Promise<{ url: string; watch: Watch }> {
  const dir = mkdtempSync(join(tmpdir(), 'millrace-review-html-'));
  const file = join(dir, `${name}.html`);
  writeFileSync(file, reviewHtml(report, metaFor()));
  const url = pathToFileURL(file).href;
  const watch: Watch = { requests: [], dialogs: [], problems: [] };
  page.on('request', (request) => watch.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') watch.problems.push(message.text());
  });
  page.on('pageerror', (error) => watch.problems.push(error.message));
  await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  await page.goto(url);
  return { url, watch };
}

async function expectStaticAndSafe(page: Page, url: string, watch: Watch): Promise<void> {
  // The hostile name is text: the title, the sensitive column's heading, its group's row, the decision's note.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HOSTILE);
  await expect(page.getByRole('heading', { name: `By ${HOSTILE}` })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: HOSTILE, exact: true }).first()).toBeVisible();
  await expect(page.locator('blockquote.note')).toContainText(`Too unfair: ${HOSTILE}`);
  await expect(page.locator('img')).toHaveCount(0);
  await expect(page.locator('script')).toHaveCount(0);
  // The charts are drawn: every chart has a size and paths in it.
  const charts = page.locator('svg.chart');
  expect(await charts.count()).toBeGreaterThan(3);
  for (const chart of await charts.all()) {
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(200);
    expect(box?.height).toBeGreaterThan(80);
    expect(await chart.locator('path, rect').count()).toBeGreaterThan(1);
  }
  // An onerror handler would have fired by now; give a late one a moment anyway.
  await page.waitForTimeout(200);
  expect(watch.dialogs).toEqual([]);
  expect(watch.problems).toEqual([]);
  expect(watch.requests).toEqual([url]);
}

test('a binary report opened from a file shows the hostile names as text, runs and loads nothing, and draws its charts', async ({ page }) => {
  const report = binaryReport({ champion: true });
  const { url, watch } = await openReport(page, report, 'binary');
  await expectStaticAndSafe(page, url, watch);
  // A class label (the confusion matrix's column) and a feature (the importance bar's tooltip) are text too.
  await expect(page.locator('table.confusion thead th').filter({ hasText: HOSTILE })).toHaveCount(1);
  await expect(page.locator('#importance svg g title').first()).toHaveText(/^<img src=x onerror=alert\(1\)>: 0\.12/);
  await expect(page.locator('#verdict ol.failures li')).toHaveCount(report.verdict.failures.length);
  for (const title of ['ROC curve', 'Precision-recall curve', 'Calibration curve', 'Metrics by decision threshold']) {
    await expect(page.getByRole('img', { name: title })).toBeVisible();
  }
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: `${SCREENS}/review-html.png`, fullPage: true });
});

test('multiclass and regression reports open the same way', async ({ page }) => {
  const multi = await openReport(page, multiclassReport(), 'multiclass');
  await expectStaticAndSafe(page, multi.url, multi.watch);
  await page.screenshot({ path: `${SCREENS}/review-html-multiclass.png`, fullPage: true });
  await page.unrouteAll();
  page.removeAllListeners();
  const regression = await openReport(page, regressionReport(), 'regression');
  await expectStaticAndSafe(page, regression.url, regression.watch);
  for (const title of ['Predicted against actual', 'Residuals against predicted', 'Mean absolute error by decile of the prediction']) {
    await expect(page.getByRole('img', { name: title })).toBeVisible();
  }
  await page.screenshot({ path: `${SCREENS}/review-html-regression.png`, fullPage: true });
});
