// Lint rules, including the import rules that keep docs/design.md's layers apart (eslint/layers.js).
import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import millrace from './eslint/layers.js';

const tfjs = { group: ['@tensorflow/*'], message: 'TF.js lives only in src/lib/ml and workers/.' };
const dexie = { name: 'dexie', message: 'Dexie lives only in src/lib/store.' };
const arquero = { group: ['arquero', 'arquero/*'], message: 'Arquero lives only in src/lib/pipeline and workers/.' };

// The layer graph (README → Architecture). Each layer may import itself and the layers in `allow`;
// type-only imports count. Paths are relative to the repo root: a directory covers everything under
// it, 'dir/*' only the files directly in dir; the most specific match wins. tests/, bench/ and bin/
// are in no layer and may import anything.
const layers = {
  pipeline: { paths: ['src/lib/pipeline'], allow: [] },
  contracts: { paths: ['src/lib/contracts'], allow: ['pipeline'] },
  ml: { paths: ['src/lib/ml'], allow: ['pipeline', 'contracts'] },
  store: { paths: ['src/lib/store'], allow: ['pipeline', 'contracts'] },
  workers: { paths: ['workers'], allow: ['pipeline', 'contracts', 'ml', 'store'] },
  'workers-client': { paths: ['src/lib/workers-client'], allow: ['pipeline', 'contracts', 'workers'] },
  state: { paths: ['src/lib/state'], allow: ['pipeline', 'contracts', 'workers-client'] },
  components: { paths: ['src/components'], allow: ['pipeline', 'contracts', 'state'] },
  views: { paths: ['src/views'], allow: ['pipeline', 'contracts', 'state', 'components', 'workers-client'] },
  cli: { paths: ['src/cli'], allow: ['pipeline', 'contracts', 'ml'] },
  app: { paths: ['src/*'], allow: ['pipeline', 'contracts', 'state', 'components', 'views', 'workers-client', 'cli'] },
};
const root = import.meta.dirname;

export default ts.config(
  { ignores: ['dist/', 'dist-*/', 'dev-dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench/out/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [dexie], patterns: [tfjs, arquero] }],
    },
  },
  { files: ['**/*.svelte', '**/*.svelte.ts'], languageOptions: { parserOptions: { parser: ts.parser } } },
  { files: ['src/lib/store/**'], rules: { 'no-restricted-imports': ['error', { patterns: [tfjs, arquero] }] } },
  { files: ['src/lib/ml/**'], rules: { 'no-restricted-imports': ['error', { paths: [dexie], patterns: [arquero] }] } },
  { files: ['src/lib/pipeline/**'], rules: { 'no-restricted-imports': ['error', { paths: [dexie], patterns: [tfjs] }] } },
  { files: ['workers/**'], rules: { 'no-restricted-imports': ['error', { paths: [dexie] }] } },
  { files: ['tests/**', 'bench/**', 'bin/**'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['src/**', 'workers/**'],
    plugins: { millrace },
    rules: {
      'millrace/layers': ['error', { root, layers, covered: ['src', 'workers'] }],
      'millrace/no-cycle': ['error', { root }],
    },
  },
);
