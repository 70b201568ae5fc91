// The folder registry's lock: DIR/NAME/.lock made with open(…, 'wx') holding pid, host and time; waited for briefly, broken only when stale, else refused naming the holder.
import { randomBytes } from 'node:crypto';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../lib/pipeline/errors.ts';

/** What a lock file holds. */
export interface LockInfo {
  pid: number;
  host: string;
  at: string;
  /** What the holder is doing, e.g. "promote penguins v2 to champion". */
  action: string;
  /** Random: tells this holder's lock from a later one of the same pid. */
  token: string;
}

export interface LockOptions {
  /** How long to wait for a held lock before refusing (default 5 s; $MILLRACE_LOCK_WAIT_MS). */
  waitMs?: number;
  /** A lock older than this whose holder is not running (or cannot be asked) is stale (default 60 s). */
  staleMs?: number;
  /** Told when a stale lock is broken. */
  notice?: (text: string) => void;
}

const LOCK_FILE = '.lock';
const POLL_MS = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errno = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Whether process `pid` runs on this machine (EPERM: it runs under another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errno(error) === 'EPERM';
  }
}

function parseInfo(text: string): LockInfo | null {
  try {
    const info = JSON.parse(text) as Partial<LockInfo>;
    return typeof info.pid === 'number' && typeof info.at === 'string' ? (info as LockInfo) : null;
  } catch {
    return null;
  }
}

/** The lock's raw text, its holder and age; null when there is no lock (any more). */
async function readLock(path: string): Promise<{ text: string; info: LockInfo | null; ageMs: number } | null> {
  try {
    const [text, stats] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const info = parseInfo(text);
    const since = info && Number.isFinite(Date.parse(info.at)) ? Date.parse(info.at) : stats.mtimeMs;
    return { text, info, ageMs: Date.now() - since };
  } catch (error) {
    if (errno(error) === 'ENOENT') return null;
    throw error;
  }
}

/** Stale: older than `staleMs` and its holder is not running here (or is on another machine, or the file is unreadable). */
function isStale(lock: { info: LockInfo | null; ageMs: number }, staleMs: number): boolean {
  if (lock.ageMs < staleMs) return false;
  const { info } = lock;
  return !info || info.host !== hostname() || !processAlive(info.pid);
}

/**
 * Removes a stale lock, unless it changed since it was read (another process broke it and took the lock):
 * breakers take turns through LOCK.break, so a fresh lock is never removed for an old one's sake.
 */
async function breakStale(path: string, seen: string): Promise<boolean> {
  const guard = `${path}.break`;
  let handle;
  try {
    handle = await open(guard, 'wx');
  } catch (error) {
    if (errno(error) !== 'EEXIST') throw error;
    // A breaker that died leaves its guard: gone after a minute.
    const old = await stat(guard).then((s) => Date.now() - s.mtimeMs > 60_000, () => false);
    if (old) await rm(guard, { force: true });
    return false;
  }
  try {
    const now = await readFile(path, 'utf8').catch(() => null);
    if (now !== seen) return false;
    await rm(path, { force: true });
    return true;
  } finally {
    await handle.close();
    await rm(guard, { force: true });
  }
}

function describeHolder(info: LockInfo | null, path: string): string {
  if (!info) return `lock ${path} (unreadable)`;
  const alive = info.host === hostname() ? (processAlive(info.pid) ? '' : ', not running') : ` on ${info.host}`;
  return `lock held by pid ${info.pid}${alive} since ${info.at}${info.action ? ` to ${info.action}` : ''}; ${path}`;
}

/** Takes DIR/.lock (waiting up to `waitMs`), or throws AppError 'locked' naming the holder. */
async function acquire(dir: string, name: string, action: string, options: LockOptions): Promise<{ path: string; text: string }> {
  const path = join(dir, LOCK_FILE);
  const waitMs = options.waitMs ?? (Number(process.env.MILLRACE_LOCK_WAIT_MS) || 5000);
  const staleMs = options.staleMs ?? 60_000;
  const info: LockInfo = { pid: process.pid, host: hostname(), at: new Date().toISOString(), action, token: randomBytes(8).toString('hex') };
  const text = JSON.stringify(info) + '\n';
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { path, text };
    } catch (error) {
      if (errno(error) !== 'EEXIST') throw error;
    }
    const held = await readLock(path);
    if (!held) continue;
    if (isStale(held, staleMs) && (await breakStale(path, held.text))) {
      options.notice?.(`broke a stale lock of ${name} (${describeHolder(held.info, path)}, ${Math.round(held.ageMs / 1000)} s old)`);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new AppError('locked', `Another promotion or change of ${name} is in progress (${describeHolder(held.info, path)}); nothing was changed, try again`, { file: path });
    }
    await sleep(POLL_MS);
  }
}

/**
 * Runs `fn` holding the lock of the model folder `dir`; the lock is removed afterwards if it is still this one.
 * $MILLRACE_TEST_LOCK_HOLD_MS keeps it that much longer (the concurrency tests use it to make two processes meet).
 */
export async function withLock<T>(dir: string, name: string, action: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = await acquire(dir, name, action, options);
  try {
    const hold = Number(process.env.MILLRACE_TEST_LOCK_HOLD_MS);
    if (hold > 0) await sleep(hold);
    return await fn();
  } finally {
    const now = await readFile(lock.path, 'utf8').catch(() => null);
    if (now === lock.text) await rm(lock.path, { force: true });
  }
}
