// WebGPU and WASM train the same seeded model to the same numbers, and 'auto' (here and in the ML worker)
// skips headless Chromium's fallback adapter for WASM and says so.
import { expect, test } from '@playwright/test';
import type { HarnessResult } from './harness.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('/tests/browser/harness.html');
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
});

test('webgpu and wasm agree within 1e-3 on a seeded logistic model', async ({ page }) => {
  const probe = await page.evaluate(() => window.millraceHarness.probeWebGpu());
  expect(probe.kind, `Chromium with --enable-unsafe-webgpu must offer a WebGPU adapter (SwiftShader at least): ${probe.detail}`).not.toBe('none');
  const gpu: HarnessResult = await page.evaluate(() => window.millraceHarness.trainOn('webgpu'));
  const wasm: HarnessResult = await page.evaluate(() => window.millraceHarness.trainOn('wasm'));
  console.log(JSON.stringify({ gpu, wasm }));
  expect(gpu.backend).toBe('webgpu');
  expect(wasm.backend).toBe('wasm');
  expect(gpu.epochs).toBe(wasm.epochs);
  for (const key of ['finalLoss', 'finalValLoss', 'accuracy', 'logLoss'] as const) {
    expect(Math.abs(gpu[key] - wasm[key]), key).toBeLessThan(1e-3);
  }
  expect(wasm.accuracy).toBeGreaterThan(0.9);
});

// Headless Chromium on a machine without a GPU (where these tests run) offers WebGPU only through
// SwiftShader, a software fallback about 50× slower than WASM (docs/design.md): 'auto' must skip it.
const FALLBACK = /WebGPU adapter is a software fallback/;

test("'auto' skips the fallback WebGPU adapter of headless Chromium, uses WASM and says why", async ({ page }) => {
  const probe = await page.evaluate(() => window.millraceHarness.probeWebGpu());
  expect(probe.kind, `headless Chromium without a GPU should offer only a fallback adapter: ${probe.detail}`).toBe('fallback');
  expect(probe.detail).toMatch(FALLBACK);
  const auto: HarnessResult = await page.evaluate(() => window.millraceHarness.trainOn('auto'));
  expect(auto.backend).toBe('wasm');
  expect(auto.reason).toMatch(FALLBACK);
  expect(auto.reason).toContain(probe.detail);
  expect(auto.reason).toContain('using WASM');
});

test('the ML worker loads in the browser and starts WASM, skipping the fallback adapter', async ({ page }) => {
  const info = await page.evaluate(() => window.millraceHarness.workerBackend());
  expect(info.backend).toBe('wasm');
  expect(info.reason).toMatch(FALLBACK);
});
