// Storage in real IndexedDB through the real data worker: failed writes, a tab closed mid-import, two tabs, a full disk.
import { expect, test, type Page } from '@playwright/test';
import type { ImportProgress } from '../../workers/protocol.ts';

const EMPTY = { datasets: 0, versions: 0, chunks: 0, runs: 0, models: 0, audit: 0, featureSets: 0, suites: 0, recipes: 0, checks: 0, privacy: 0, settings: 0, reviews: 0, aliases: 0, aliasMoves: 0, references: 0, driftReports: 0 };

async function openHarness(page: Page): Promise<void> {
  await page.goto('/tests/browser/storage-harness.html');
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  await page.evaluate(() => window.storageHarness.start());
}

test('a failed import leaves no version and no chunks; orphans are cleaned at the next start', async ({ page }) => {
  await openHarness(page);
  const ragged = await page.evaluate(() => window.storageHarness.importText('ragged.csv', 'a,b\n1,2\n3,4,5\n'));
  expect(ragged).toMatchObject({ ok: false, code: 'ragged-row' });
  expect(await page.evaluate(() => window.storageHarness.counts())).toEqual(EMPTY);

  // A chunk already at the key the new version's first chunk needs makes the write fail midway (after the
  // dataset and version rows were added in the same transaction): all of it must roll back.
  await page.evaluate(() => window.storageHarness.plantOrphans([1]));
  const failed = await page.evaluate(() => window.storageHarness.importText('weather.csv', 'day,temp\n2015-01-01,3.5\n2015-01-02,4\n'));
  expect(failed.ok).toBe(false);
  expect(await page.evaluate(() => window.storageHarness.counts())).toEqual({ ...EMPTY, chunks: 1 });

  await page.evaluate(() => window.storageHarness.restartWorker());
  expect(await page.evaluate(() => window.storageHarness.counts())).toEqual(EMPTY);
  const retried = await page.evaluate(() => window.storageHarness.importText('weather.csv', 'day,temp\n2015-01-01,3.5\n2015-01-02,4\n'));
  expect(retried).toMatchObject({ ok: true, value: { version: 1, rows: 2 } });
});

test('a 20 MB CSV streams through the worker with progress by bytes read', async ({ page }) => {
  await openHarness(page);
  const run = await page.evaluate(() => window.storageHarness.stageGenerated(20));
  console.log(`staged ${run.bytes} bytes, ${run.rows} rows in ${run.ms.toFixed(0)} ms; ${run.reading.length} reading reports`);
  expect(run.rows).toBeGreaterThan(400_000);
  expect(run.reading.length).toBeGreaterThan(10);
  expect(run.reading).toEqual([...run.reading].sort((a, b) => a - b));
  expect(run.reading.at(-1)).toBe(1);
  expect(await page.evaluate(() => window.storageHarness.counts())).toEqual(EMPTY);
});

test('a 20 MB CSV is stored hashed (in its own Worker) and narrowed, and reads back value for value', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await openHarness(page);
  const run = await page.evaluate(() => window.storageHarness.importGeneratedChecked(20));
  // The data worker started the hash Worker (nested Workers show up as the page's).
  expect(workers.some((url) => url.includes('hash.worker'))).toBe(true);
  console.log(`imported ${run.fileBytes} bytes, ${run.rows} rows; stored ${run.storedBytes} bytes of Arrow`);
  expect(run.differences).toEqual([]);
  expect(run.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(run.sha256).toBe(run.expectedSha256);
  // Whole numbers, dates, 3- and 4-decimal numbers and a category as int32, date32, decimal32 and int8 keys:
  // about 4 bytes a cell, not float64's 8.
  expect(run.storedBytes).toBeLessThan(run.rows * 6 * 5);
});

test('a tab closed midway through importing 20 MB leaves no version and no orphan chunks', async ({ page }) => {
  const context = page.context();
  await openHarness(page);
  let closing: Promise<void> | undefined;
  let closedAt: ImportProgress | undefined;
  await page.exposeFunction('millraceProgress', (p: ImportProgress) => {
    if (!closing && p.phase === 'reading' && p.fraction >= 0.25) {
      closedAt = p;
      closing = page.close();
    }
  });
  void page.evaluate(() => window.storageHarness.importGenerated(20)).catch(() => undefined);
  await expect.poll(() => closing !== undefined, { timeout: 60_000 }).toBe(true);
  await closing;
  console.log(`closed at ${closedAt?.phase} ${(closedAt!.fraction * 100).toFixed(0)}%`);

  const next = await context.newPage();
  await openHarness(next);
  expect(await next.evaluate(() => window.storageHarness.consistency())).toEqual({ badVersions: [], orphanChunks: 0 });
  expect(await next.evaluate(() => window.storageHarness.counts())).toEqual(EMPTY);
});

test('a tab closed while a 20 MB version is being stored leaves all of it or none of it', async ({ page }) => {
  const context = page.context();
  await openHarness(page);
  let closing: Promise<void> | undefined;
  await page.exposeFunction('millraceProgress', (p: ImportProgress) => {
    if (!closing && p.phase === 'storing') closing = page.close();
  });
  const started = Date.now();
  void page.evaluate(() => window.storageHarness.importGenerated(20)).catch(() => undefined);
  await expect.poll(() => closing !== undefined, { timeout: 60_000 }).toBe(true);
  await closing;
  console.log(`closed while storing after ${Date.now() - started} ms`);

  const next = await context.newPage();
  await openHarness(next);
  expect(await next.evaluate(() => window.storageHarness.consistency())).toEqual({ badVersions: [], orphanChunks: 0 });
  const counts = await next.evaluate(() => window.storageHarness.counts());
  console.log(`after the close: ${JSON.stringify(counts)}`);
  expect([0, 1]).toContain(counts.versions);
  expect(counts.audit).toBe(counts.versions);
});

test("a version imported in tab A shows up in tab B's liveVersions() without a reload", async ({ page }) => {
  const other = await page.context().newPage();
  await openHarness(page);
  await openHarness(other);
  await other.evaluate(() => window.storageHarness.watchVersions());
  await expect.poll(() => other.evaluate(() => window.storageHarness.seenVersions())).toEqual([]);

  const result = await page.evaluate(() => window.storageHarness.importText('weather.csv', 'day,temp\n2015-01-01,3.5\n'));
  expect(result.ok).toBe(true);
  await expect.poll(() => other.evaluate(() => window.storageHarness.seenVersions()), { timeout: 10_000 }).toEqual([{ id: 1, fileName: 'weather.csv' }]);
});

test('a full disk (a tiny quota) is a quota-exceeded error naming the file, and nothing is stored', async ({ page }) => {
  await openHarness(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin, quotaSize: 1_000_000 });
  const before = await page.evaluate(() => window.storageHarness.counts());
  const result = await page.evaluate(() => window.storageHarness.importGenerated(4));
  expect(result).toEqual({
    ok: false,
    code: 'quota-exceeded',
    message: "Not enough storage for big.csv: the browser's quota is full. Delete old versions on the Data view.",
  });
  expect(await page.evaluate(() => window.storageHarness.counts())).toEqual(before);
});
