#!/usr/bin/env node
// The `millrace` command: registers tsx so Node can load the TypeScript CLI, then runs it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const status = await main(process.argv.slice(2));
// TF.js may leave timers behind; the result is written, so leave now with the status.
process.exit(status);
