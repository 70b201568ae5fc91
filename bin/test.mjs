#!/usr/bin/env node
// `npm test`: unit tests in Node (vitest), then browser and end-to-end tests in headless Chromium (Playwright).
import { spawnSync } from 'node:child_process';
import { chromiumPath } from './chromium-path.mjs';

try {
  chromiumPath();
} catch (error) {
  console.error(`npm test: ${error.message}`);
  process.exit(1);
}

const steps = [
  ['vitest', ['run']],
  ['playwright', ['test']],
];
for (const [tool, args] of steps) {
  const result = spawnSync(`node_modules/.bin/${tool}`, args, { stdio: 'inherit', env: { ...process.env, TZ: 'UTC' } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
