// The registry in real IndexedDB: a tab closed during a promotion, a promotion failing midway, two tabs promoting at once; never zero or two champions.
import { expect, test, type Page } from '@playwright/test';

async function openHarness(page: Page): Promise<void> {
  await page.goto('/tests/browser/registry-harness.html');
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
}

const stateOf = (page: Page) => page.evaluate(() => window.registryHarness.state());

test('a tab closed midway through a promotion leaves the old champion, its history and an intact audit chain', async ({ page }) => {
  const context = page.context();
  await openHarness(page);
  await page.evaluate(() => window.registryHarness.seed());
  let closing: Promise<void> | undefined;
  await page.exposeFunction('millraceMidway', () => {
    closing ??= page.close();
  });
  void page.evaluate(() => window.registryHarness.promoteAndWait(2)).catch(() => undefined);
  await expect.poll(() => closing !== undefined, { timeout: 30_000 }).toBe(true);
  await closing;

  const next = await context.newPage();
  await openHarness(next);
  const after = await stateOf(next);
  expect(after).toEqual({
    champions: [1],
    historyChampion: 1,
    moves: [[null, 1, 'first champion']],
    promoteEntries: [[null, 1, 'first champion']],
    chain: { ok: true, count: expect.any(Number) },
  });

  // The registry still works after it: the promotion again, from the new tab.
  expect(await next.evaluate(() => window.registryHarness.promote(2, 1, 'again'))).toMatchObject({ ok: true, value: { from: 1, to: 2 } });
  expect(await stateOf(next)).toMatchObject({ champions: [2], historyChampion: 2, chain: { ok: true } });
});

test('a promotion that fails after writing the alias writes nothing', async ({ page }) => {
  await openHarness(page);
  await page.evaluate(() => window.registryHarness.seed());
  const before = await stateOf(page);
  expect(await page.evaluate(() => window.registryHarness.promoteAndFail(3))).toMatchObject({ ok: false, message: expect.stringContaining('crashed midway') });
  expect(await stateOf(page)).toEqual(before);
  expect(before).toMatchObject({ champions: [1], historyChampion: 1, chain: { ok: true } });
});

test('two tabs promoting at once: one wins, the other is told which version now holds champion', async ({ page }) => {
  const other = await page.context().newPage();
  await openHarness(page);
  await page.evaluate(() => window.registryHarness.seed());
  await openHarness(other);
  const [a, b] = await Promise.all([
    page.evaluate(() => window.registryHarness.promote(2, 1, 'tab A')),
    other.evaluate(() => window.registryHarness.promote(3, 1, 'tab B')),
  ]);
  const results = [a, b];
  const won = results.filter((r) => r.ok);
  const lost = results.filter((r) => !r.ok);
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  const winner = a.ok ? 2 : 3;
  expect(lost[0]).toMatchObject({ code: 'locked', message: expect.stringContaining(`champion of penguins now points at v${winner}`) });
  const after = await stateOf(other);
  expect(after).toMatchObject({ champions: [winner], historyChampion: winner, chain: { ok: true } });
  expect(after.moves).toHaveLength(2);
  expect(after.promoteEntries).toHaveLength(2);
});
