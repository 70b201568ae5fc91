// Types for the local plugin in layers.js, for the tests that load it.
import type { ESLint } from 'eslint';

declare const plugin: ESLint.Plugin;
export default plugin;
