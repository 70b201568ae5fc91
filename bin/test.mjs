#!/usr/bin/env node
// `npm test`: unit tests in Node (vitest), then browser and end-to-end tests in headless Chromium (Playwright).
// The Playwright servers get two free ports of their own (MILLRACE_DEV_PORT, MILLRACE_E2E_PORT), so tests
// run while the studio is open on 4173 (`npm start`) and beside other runs; see playwright.config.ts.
import { spawnSync } from 'node:child_process';
import { chromiumPath } from './chromium-path.mjs';
import { freePorts } from './free-ports.mjs';

try {
  chromiumPath();
} catch (error) {
  console.error(`npm test: ${error.message}`);
  process.exit(1);
}

const env = { ...process.env, TZ: 'UTC' };
if (!env.MILLRACE_DEV_PORT || !env.MILLRACE_E2E_PORT) {
  const given = [env.MILLRACE_DEV_PORT, env.MILLRACE_E2E_PORT].map(Number);
  const [devPort, e2ePort] = (await freePorts(3)).filter((port) => !given.includes(port));
  env.MILLRACE_DEV_PORT ||= String(devPort);
  env.MILLRACE_E2E_PORT ||= String(e2ePort);
}
console.log(`npm test: dev server on port ${env.MILLRACE_DEV_PORT}, built studio on port ${env.MILLRACE_E2E_PORT}`);

const steps = [
  ['vitest', ['run']],
  ['playwright', ['test']],
];
for (const [tool, args] of steps) {
  const result = spawnSync(`node_modules/.bin/${tool}`, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
