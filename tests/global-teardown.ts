// After a Playwright run: removes what belongs to this run alone, the e2e build (dist-<e2e port>, see
// playwright.config.ts) and the dev server's dependency cache (node_modules/.vite-<dev port>, see
// vite.config.ts), so that runs on fresh ports leave nothing behind. The web servers stop right after.
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export default function globalTeardown(): void {
  const devPort = process.env.MILLRACE_DEV_PORT;
  const e2ePort = process.env.MILLRACE_E2E_PORT;
  if (e2ePort) rmSync(resolve(root, `dist-${e2ePort}`), { recursive: true, force: true });
  if (devPort) rmSync(resolve(root, `node_modules/.vite-${devPort}`), { recursive: true, force: true });
}
