// Playwright: browser tests (tests/browser, against the dev server) and end-to-end tests (tests/e2e,
// against the built studio under `vite preview`, where the service worker runs). Debian's Chromium only.
import { defineConfig } from '@playwright/test';
import { chromiumPath } from './bin/chromium-path.mjs';

const executablePath = chromiumPath();
// Ports can be moved so that several checkouts or runs can test side by side.
const devPort = Number(process.env.MILLRACE_DEV_PORT ?? 5174);
const e2ePort = Number(process.env.MILLRACE_E2E_PORT ?? 4173);
const outDir = process.env.MILLRACE_E2E_PORT ? `dist-${e2ePort}` : 'dist';
const launchArgs = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

export default defineConfig({
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  outputDir: process.env.MILLRACE_E2E_PORT ? `test-results-${e2ePort}` : 'test-results',
  retries: 0,
  reporter: [['list']],
  use: {
    launchOptions: { executablePath, args: launchArgs },
    acceptDownloads: true,
    viewport: { width: 1360, height: 900 },
  },
  projects: [
    { name: 'browser', testDir: 'tests/browser', use: { baseURL: `http://localhost:${devPort}` } },
    { name: 'e2e', testDir: 'tests/e2e', use: { baseURL: `http://localhost:${e2ePort}` } },
  ],
  webServer: [
    {
      command: `node_modules/.bin/vite --port ${devPort} --strictPort`,
      url: `http://localhost:${devPort}/tests/browser/harness.html`,
      reuseExistingServer: false,
      timeout: 120_000,
    },
    {
      command: `node_modules/.bin/vite build --outDir ${outDir} && node_modules/.bin/vite preview --outDir ${outDir} --port ${e2ePort} --strictPort`,
      url: `http://localhost:${e2ePort}/`,
      reuseExistingServer: false,
      timeout: 300_000,
    },
  ],
});
