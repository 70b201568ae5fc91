// Training in the real ML worker: resume after a reload equals a straight run; a second tab is locked out; cancel within 1 s.
import { expect, test, type Page } from '@playwright/test';
import type { SpecModel } from '../../src/lib/pipeline/spec/types.ts';
import type { HarnessRequest } from './train-harness.ts';

async function openHarness(page: Page): Promise<void> {
  await page.goto('/tests/browser/train-harness.html');
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
}

/** An MLP on the generated label, seeded, every epoch on all training rows; `model` changes its hyper-parameters. */
const base = (versionId: number, model: Partial<SpecModel> = {}): HarnessRequest => ({
  versionId,
  spec: { target: 'label', split: { seed: 9 }, model: { kind: 'mlp', hidden: [32, 16], epochs: 14, earlyStopping: false, ...model } },
  backend: 'wasm',
});

test('a run reloaded midway resumes from its checkpoint to the metrics of a straight run', async ({ page }) => {
  await openHarness(page);
  await page.evaluate(() => window.trainHarness.clear());
  const versionId = await page.evaluate(() => window.trainHarness.importGenerated(20_000));
  const request = { ...base(versionId, { epochs: 100 }), runId: 'reloaded' };
  await page.evaluate((r) => window.trainHarness.startTrain(r), request);
  // Checkpoints are written at most every 0.5 s: reload once one past the first epoch's is stored.
  await expect
    .poll(() => page.evaluate(() => window.trainHarness.listResumable().then((runs) => runs[0]?.epoch ?? 0)), { timeout: 120_000 })
    .toBeGreaterThanOrEqual(3);
  expect((await page.evaluate(() => window.trainHarness.status())).done).toBeUndefined();
  await page.reload();
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();

  const resumable = await page.evaluate(() => window.trainHarness.listResumable());
  expect(resumable).toHaveLength(1);
  expect(resumable[0]).toMatchObject({ runId: 'reloaded', versionId, target: 'label', epochs: 100 });
  expect(resumable[0]!.epoch).toBeGreaterThanOrEqual(3);
  expect(resumable[0]!.epoch).toBeLessThan(100);

  const resumed = await page.evaluate(() => window.trainHarness.resume('reloaded'));
  if (!resumed.ok) throw new Error(`resume failed: ${resumed.error.message}`);
  expect(resumed.firstEpoch).toBe(resumable[0]!.epoch + 1);
  const straight = await page.evaluate((r) => window.trainHarness.train(r), { ...request, runId: 'straight' });
  if (!straight.ok) throw new Error(`straight run failed: ${straight.error.message}`);
  console.log(`resumed from epoch ${resumable[0]!.epoch}: ${JSON.stringify(resumed.value.metrics)}`);
  expect(resumed.value.epochs).toBe(100);
  expect(resumed.value.cancelled).toBe(false);
  for (const key of ['accuracy', 'rocAuc', 'logLoss']) {
    expect(Math.abs(resumed.value.metrics[key]! - straight.value.metrics[key]!)).toBeLessThan(1e-6);
  }
  resumed.value.losses.forEach((loss, i) => expect(Math.abs(loss - straight.value.losses[i]!)).toBeLessThan(1e-6));
  expect(await page.evaluate(() => window.trainHarness.listResumable())).toEqual([]);
});

test('a second tab cannot start a run on the same dataset version and target', async ({ page }) => {
  await openHarness(page);
  await page.evaluate(() => window.trainHarness.clear());
  const versionId = await page.evaluate(() => window.trainHarness.importGenerated(20_000));
  await page.evaluate((r) => window.trainHarness.startTrain(r), { ...base(versionId, { epochs: 10_000 }), runId: 'first' });
  await page.waitForFunction(() => window.trainHarness.status().epoch >= 1, undefined, { timeout: 60_000 });

  const second = await page.context().newPage();
  await openHarness(second);
  // Start the second tab's ML worker first: the refusal is timed on its own, not with the worker's start-up
  // (seconds on a loaded 2-core machine while the first tab trains).
  await second.evaluate(() => window.trainHarness.listResumable());
  const refused = await second.evaluate((r) => window.trainHarness.train(r), { ...base(versionId), runId: 'second' });
  expect(refused.ok).toBe(false);
  if (refused.ok) return;
  expect(refused.error.code).toBe('locked');
  expect(refused.error.message).toBe('A run on generated v1 → label is already going in another tab');
  // Refused at once, without waiting for the first tab's run.
  expect(refused.ms).toBeLessThan(1_000);

  const { ms } = await page.evaluate(() => window.trainHarness.cancelAndWait('first'));
  expect(ms).toBeLessThan(1_000);
  // Once the first tab's run has stopped, the second tab may train.
  const allowed = await second.evaluate((r) => window.trainHarness.train(r), { ...base(versionId, { epochs: 1 }), runId: 'second' });
  expect(allowed.ok).toBe(true);
});

test('cancelling a long run stops it within a second and stores a resumable checkpoint', async ({ page }) => {
  await openHarness(page);
  await page.evaluate(() => window.trainHarness.clear());
  const versionId = await page.evaluate(() => window.trainHarness.importGenerated(20_000));
  await page.evaluate((r) => window.trainHarness.startTrain(r), { ...base(versionId, { hidden: [64, 32], epochs: 5_000 }), runId: 'long' });
  await page.waitForFunction(() => window.trainHarness.status().epoch >= 3, undefined, { timeout: 120_000 });
  const { ms, done } = await page.evaluate(() => window.trainHarness.cancelAndWait('long'));
  console.log(`cancel settled in ${ms.toFixed(0)} ms`);
  expect(ms).toBeLessThan(1_000);
  expect(done).toMatchObject({ ok: true, value: { cancelled: true } });
  const resumable = await page.evaluate(() => window.trainHarness.listResumable());
  expect(resumable).toHaveLength(1);
  expect(resumable[0]).toMatchObject({ runId: 'long', epochs: 5_000 });
  expect(resumable[0]!.epoch).toBeGreaterThanOrEqual(3);
});
