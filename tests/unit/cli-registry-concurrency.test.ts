// The CLI registry under concurrency and faults: two processes registering or promoting at once, a lock held by a live process, a stale lock, an interrupted write.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, millraceAsync, readJsonFile, replay, trainAndRegister, type Move } from './cli-registry-helpers.ts';

const work = mkdtempSync(join(tmpdir(), 'millrace-cli-registry-race-'));
const registry = join(work, 'registry');
let copies = 0;

/** A fresh copy of the two-version registry. */
function copy(): string {
  const dir = join(work, `copy-${++copies}`);
  cpSync(registry, dir, { recursive: true });
  return dir;
}

/** Files a change leaves behind when it is not atomic: temporary files and unfinished version folders. */
function leftovers(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((path) => /\.tmp$|\.incoming-|\.lock/.test(path));
}

beforeAll(async () => {
  // Two `run --register` processes at once: the numbers are taken inside the lock, so they differ.
  const results = await Promise.all([trainAndRegister(work, 'a', registry, 'penguins', '--target', 'Species', '--seed', '1'), trainAndRegister(work, 'b', registry, 'penguins', '--target', 'Species', '--seed', '2')]);
  for (const result of results) {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }
  const numbers = results.map((r) => /registered penguins v(\d+)/.exec(r.stdout)?.[1]).sort();
  expect(numbers).toEqual(['1', '2']);
  expect(readdirSync(join(registry, 'penguins', 'versions')).sort()).toEqual(['1', '2']);
}, 180_000);

const sleepers: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const sleeper of sleepers) sleeper.kill();
});

describe('two promotions at once (two processes)', () => {
  it('cannot both win: aliases.json names one version and the history matches it', async () => {
    const dir = copy();
    // The lock is held 1.5 s by whoever takes it first, so the two processes meet.
    const env = { MILLRACE_TEST_LOCK_HOLD_MS: '1500' };
    const results = await Promise.all([
      millraceAsync(['promote', 'penguins', '1', '--note', 'one', '--registry', dir], env),
      millraceAsync(['promote', 'penguins', '2', '--note', 'two', '--registry', dir], env),
    ]);
    const won = results.filter((r) => r.status === 0);
    const refused = results.filter((r) => r.status !== 0);
    expect(won.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) {
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^millrace: champion of penguins now points at v[12], it pointed at none when this command started: another promotion or rollback moved it while this one waited for the lock; nothing was changed/);
    }
    const history = readJsonFile<Move[]>(join(dir, 'penguins', 'history.json'));
    const aliases = readJsonFile<Record<string, number>>(join(dir, 'penguins', 'aliases.json'));
    expect(history).toHaveLength(won.length);
    expect(replay(history)).toEqual(aliases);
    expect(Object.keys(aliases)).toEqual(['champion']);
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);

  it('with --expect none, exactly one wins and the other says which version beat it', async () => {
    const dir = copy();
    const env = { MILLRACE_TEST_LOCK_HOLD_MS: '500' };
    const results = await Promise.all([1, 2].map((v) => millraceAsync(['promote', 'penguins', String(v), '--alias', 'challenger', '--expect', 'none', '--note', `v${v}`, '--registry', dir], env)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([0, 1]);
    const winner = readJsonFile<Record<string, number>>(join(dir, 'penguins', 'aliases.json')).challenger!;
    const loser = results.find((r) => r.status === 1)!;
    expect(loser.stderr).toBe(`millrace: challenger of penguins now points at v${winner}, not none as --expect said; nothing was changed (see millrace history penguins, then run again if still wanted)\n`);
    expect(readJsonFile<Move[]>(join(dir, 'penguins', 'history.json')).map((m) => [m.from, m.to])).toEqual([[null, winner]]);
  }, 60_000);
});

describe('the lock', () => {
  const lockOf = (dir: string, pid: number, at: Date) =>
    writeFileSync(join(dir, 'penguins', '.lock'), JSON.stringify({ pid, host: hostname(), at: at.toISOString(), action: 'promote penguins v2 to champion', token: 'test' }));

  it('held by a live process: refused after a short wait naming its pid, nothing changed', async () => {
    const dir = copy();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    sleepers.push(sleeper);
    lockOf(dir, sleeper.pid!, new Date(Date.now() - 120_000));
    const result = await millraceAsync(['promote', 'penguins', '1', '--note', 'x', '--registry', dir], { MILLRACE_LOCK_WAIT_MS: '300' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^millrace: Another promotion or change of penguins is in progress \\(lock held by pid ${sleeper.pid} since .* to promote penguins v2 to champion; .*\\.lock\\); nothing was changed, try again\\n$`));
    expect(readdirSync(join(dir, 'penguins')).sort()).toEqual(['.lock', 'versions']);
    sleeper.kill();
  }, 30_000);

  it('left by a process that is not running: broken after 60 s saying so, refused before', async () => {
    const dir = copy();
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => dead.on('exit', resolve));
    lockOf(dir, dead.pid!, new Date(Date.now() - 10_000));
    process.env.MILLRACE_LOCK_WAIT_MS = '200';
    try {
      const young = await cli('promote', 'penguins', '1', '--note', 'x', '--registry', dir);
      expect(young.status).toBe(1);
      expect(young.stderr).toMatch(new RegExp(`lock held by pid ${dead.pid}, not running since`));
    } finally {
      delete process.env.MILLRACE_LOCK_WAIT_MS;
    }
    lockOf(dir, dead.pid!, new Date(Date.now() - 120_000));
    const old = await cli('promote', 'penguins', '1', '--note', 'x', '--registry', dir);
    expect(old.status).toBe(0);
    expect(old.stderr).toMatch(new RegExp(`^millrace: note: broke a stale lock of penguins \\(lock held by pid ${dead.pid}, not running since .*, 120 s old\\)\\n$`));
    expect(readJsonFile(join(dir, 'penguins', 'aliases.json'))).toEqual({ champion: 1 });
    expect(leftovers(dir)).toEqual([]);
  });
  it('a promotion killed while it holds the lock changes nothing; its lock is refused, then broken once stale', async () => {
    const dir = copy();
    const lock = join(dir, 'penguins', '.lock');
    const child = spawn(process.execPath, ['bin/millrace.mjs', 'promote', 'penguins', '1', '--note', 'x', '--registry', dir], {
      env: { ...process.env, MILLRACE_TEST_LOCK_HOLD_MS: '30000' },
      stdio: 'ignore',
    });
    sleepers.push(child);
    for (let i = 0; i < 600 && !existsSync(lock); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(lock)).toBe(true);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(readdirSync(join(dir, 'penguins')).sort()).toEqual(['.lock', 'versions']);
    process.env.MILLRACE_LOCK_WAIT_MS = '200';
    try {
      const refused = await cli('promote', 'penguins', '2', '--note', 'y', '--registry', dir);
      expect(refused.stderr).toMatch(new RegExp(`lock held by pid ${child.pid}, not running since .* to promote penguins v1 to champion`));
    } finally {
      delete process.env.MILLRACE_LOCK_WAIT_MS;
    }
    // A minute later (the lock's time moved back instead of waiting).
    const held = JSON.parse(readFileSync(lock, 'utf8')) as { at: string };
    writeFileSync(lock, JSON.stringify({ ...held, at: new Date(Date.now() - 61_000).toISOString() }));
    const after = await cli('promote', 'penguins', '2', '--note', 'y', '--registry', dir);
    expect(after.status).toBe(0);
    expect(after.stderr).toMatch(/^millrace: note: broke a stale lock of penguins/);
    expect(readJsonFile<Move[]>(join(dir, 'penguins', 'history.json')).map((m) => [m.from, m.to])).toEqual([[null, 2]]);
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);
});

describe('an interrupted change', () => {
  it('history.json is the journal: aliases.json behind it is rebuilt, and said so', async () => {
    const dir = copy();
    expect((await cli('promote', 'penguins', '1', '--note', 'one', '--registry', dir)).status).toBe(0);
    // As if the process died between writing history.json and aliases.json.
    const history = readJsonFile<Move[]>(join(dir, 'penguins', 'history.json'));
    writeFileSync(join(dir, 'penguins', 'history.json'), JSON.stringify([...history, { ...history[0]!, from: 1, to: 2, note: 'two' }]));
    const listed = JSON.parse((await cli('models', '--json', '--registry', dir)).stdout) as { models: { aliases: Record<string, number> }[] };
    expect(listed.models[0]!.aliases).toEqual({ champion: 2 });
    const back = await cli('rollback', 'penguins', '--note', 'back', '--registry', dir);
    expect(back.status).toBe(0);
    expect(back.stderr).toMatch(/^millrace: note: .*aliases\.json did not match history\.json \(an interrupted change\); rebuilt from the history\n$/);
    expect(readJsonFile(join(dir, 'penguins', 'aliases.json'))).toEqual({ champion: 1 });
    expect(replay(readJsonFile<Move[]>(join(dir, 'penguins', 'history.json')))).toEqual({ champion: 1 });
    expect(readFileSync(join(dir, 'penguins', 'aliases.json'), 'utf8')).toBe('{\n  "champion": 1\n}\n');
  });
});
