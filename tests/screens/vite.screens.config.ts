// Dev server config for the screenshot script: the studio's config with its own dep cache, so another dev
// server re-optimizing node_modules/.vite cannot leave this one serving "Outdated Optimize Dep" (504).
import { mergeConfig } from 'vite';
import base from '../../vite.config.ts';

export default mergeConfig(base, {
  root: new URL('../..', import.meta.url).pathname,
  cacheDir: 'node_modules/.vite-screens',
  optimizeDeps: { include: ['vega-embed', 'comlink', 'dexie'] },
});
