// WebGPU and WASM train the same seeded model to the same numbers, and 'auto' skips a fallback adapter.
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

test("'auto' uses WebGPU only on a real adapter and says why", async ({ page }) => {
  const probe = await page.evaluate(() => window.millraceHarness.probeWebGpu());
  const auto: HarnessResult = await page.evaluate(() => window.millraceHarness.trainOn('auto'));
  if (probe.kind === 'hardware') {
    expect(auto.backend).toBe('webgpu');
  } else {
    expect(auto.backend).toBe('wasm');
    expect(auto.reason).toContain(probe.detail);
  }
});

test('the ML worker loads in the browser and starts a backend', async ({ page }) => {
  const info = await page.evaluate(() => window.millraceHarness.workerBackend());
  expect(['webgpu', 'wasm']).toContain(info.backend);
  expect(info.reason.length).toBeGreaterThan(0);
});
