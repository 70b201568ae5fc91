// Playwright: browser tests (tests/browser, against the dev server) and end-to-end tests (tests/e2e,
// against the built studio under `vite preview`, where the service worker runs). Debian's Chromium only.
import { defineConfig } from '@playwright/test';
import { chromiumPath } from './bin/chromium-path.mjs';

const executablePath = chromiumPath();
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
  retries: 0,
  reporter: [['list']],
  use: {
    launchOptions: { executablePath, args: launchArgs },
    acceptDownloads: true,
    viewport: { width: 1360, height: 900 },
  },
  projects: [
    { name: 'browser', testDir: 'tests/browser', use: { baseURL: 'http://localhost:5174' } },
    { name: 'e2e', testDir: 'tests/e2e', use: { baseURL: 'http://localhost:4173' } },
  ],
  webServer: [
    {
      command: 'node_modules/.bin/vite --port 5174 --strictPort',
      url: 'http://localhost:5174/tests/browser/harness.html',
      reuseExistingServer: false,
      timeout: 120_000,
    },
    {
      command: 'node_modules/.bin/vite build && node_modules/.bin/vite preview --port 4173 --strictPort',
      url: 'http://localhost:4173/',
      reuseExistingServer: false,
      timeout: 300_000,
    },
  ],
});
