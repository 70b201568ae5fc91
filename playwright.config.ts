// Playwright: browser tests (tests/browser, against the dev server) and end-to-end tests (tests/e2e,
// against the built studio under `vite preview`, where the service worker runs). Debian's Chromium only.
import { defineConfig } from '@playwright/test';
import { chromiumPath } from './bin/chromium-path.mjs';
import { freePortsSync } from './bin/free-ports.mjs';

const executablePath = chromiumPath();
// Tests take free ports of their own, so they run while the studio is open (`npm start`: 4173) or beside
// another run. `npm test` (bin/test.mjs) passes them in MILLRACE_DEV_PORT / MILLRACE_E2E_PORT; run directly,
// the first evaluation of this file (the main process) picks them and puts them in process.env, which the
// worker processes and the web servers inherit, so every evaluation sees the same ports.
if (!process.env.MILLRACE_DEV_PORT || !process.env.MILLRACE_E2E_PORT) {
  const taken = [process.env.MILLRACE_DEV_PORT, process.env.MILLRACE_E2E_PORT].map(Number);
  const [a, b] = freePortsSync(3).filter((port) => !taken.includes(port));
  process.env.MILLRACE_DEV_PORT ||= String(a);
  process.env.MILLRACE_E2E_PORT ||= String(b);
}
const devPort = Number(process.env.MILLRACE_DEV_PORT);
const e2ePort = Number(process.env.MILLRACE_E2E_PORT);
// The e2e build goes to a folder of this run (gitignored, removed by tests/global-teardown.ts), never to
// dist/, which `npm start` serves.
const outDir = `dist-${e2ePort}`;
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
  outputDir: 'test-results',
  globalTeardown: './tests/global-teardown.ts',
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
