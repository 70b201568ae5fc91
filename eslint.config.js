// Lint rules, including the import rules that keep DESIGN.md's layers apart.
import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const tfjs = { group: ['@tensorflow/*'], message: 'TF.js lives only in src/lib/ml and workers/.' };
const dexie = { name: 'dexie', message: 'Dexie lives only in src/lib/store.' };
const arquero = { group: ['arquero', 'arquero/*'], message: 'Arquero lives only in src/lib/pipeline and workers/.' };

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
);
