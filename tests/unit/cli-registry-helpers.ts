// Helpers of the CLI registry tests: the CLI as an awaited child process (so two can run at once), and tiny models trained into a registry.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { DATA } from './cli-run.ts';

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `millrace ARGS` as a child process, in UTC, with extra environment variables. */
export function millraceAsync(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/millrace.mjs', ...args], { env: { ...process.env, TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Trains a tiny penguins model (5 epochs) into OUT and registers it as the next version of NAME. */
export function trainAndRegister(work: string, out: string, registry: string, name: string, ...args: string[]): Promise<Result> {
  return millraceAsync(['run', '--data', `${DATA}/penguins.json`, '--epochs', '5', '--out', join(work, out), '--register', name, '--registry', registry, ...args]);
}

export const readJsonFile = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

export interface Move {
  alias: string;
  kind: 'promote' | 'rollback';
  from: number | null;
  to: number;
  note: string;
  override: boolean;
  verdict: { passed: boolean; failures: string[] } | null;
}

/** Where each alias points after the moves (oldest first), checking they chain: what aliases.json must say. */
export function replay(moves: Move[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const move of moves) {
    // Each move starts where the previous one of its alias left it.
    expect(move.from).toBe(out[move.alias] ?? null);
    out[move.alias] = move.to;
  }
  return out;
}

/**
 * The CLI's entry `main(ARGS)` in this process, its stdout and stderr captured: the same code bin/millrace.mjs runs,
 * without a process start per command (the registry commands are quick; starting Node and tsx is not).
 */
export async function cli(...args: string[]): Promise<Result> {
  const { main } = await import('../../src/cli/main.ts');
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const status = await main(args);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
