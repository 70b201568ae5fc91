// Runs the `millrace` CLI as a child process for the CLI tests, in UTC.
import { spawnSync } from 'node:child_process';

export const DATA = 'node_modules/vega-datasets/data';

export function millrace(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/millrace.mjs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    timeout: 240_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
