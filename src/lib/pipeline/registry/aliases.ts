// Model aliases (champion, challenger, the person's own): the rules of a promotion and a rollback as pure functions, shared by the studio's IndexedDB registry and the CLI's folder registry.
import { AppError } from '../errors.ts';

/** An alias name: letters, digits, "_" and "-". */
export const ALIAS_PATTERN = /^[A-Za-z0-9_-]+$/;
export const CHAMPION = 'champion';
export const CHALLENGER = 'challenger';

/** The review verdict a move relied on (null: the version has no stored review). */
export interface MoveVerdict {
  passed: boolean;
  failures: string[];
}

/** One move of an alias, as its history keeps it. */
export interface AliasMove {
  name: string;
  alias: string;
  kind: 'promote' | 'rollback';
  /** The version the alias pointed at before (null: none), and after. */
  from: number | null;
  to: number;
  note: string;
  verdict: MoveVerdict | null;
  /** The verdict had failed (or was missing) and the person promoted anyway, saying why in the note. */
  override: boolean;
  at: string;
}

/** What a move needs to know of a version. */
export interface VersionFacts {
  version: number;
  target: string;
  task: string;
  verdict: MoveVerdict | null;
}

/** Refuses an alias that is not a name of letters, digits, "_" and "-", naming it. */
export function checkAlias(alias: string): string {
  if (typeof alias !== 'string' || !ALIAS_PATTERN.test(alias)) {
    throw new AppError('bad-argument', `The alias ${JSON.stringify(alias)} is not allowed: use letters, digits, "_" and "-" only (like champion or challenger)`);
  }
  return alias;
}

function checkNote(note: string, what: string): string {
  const text = typeof note === 'string' ? note.trim() : '';
  if (!text) throw new AppError('bad-argument', `A note is needed to ${what}: say why`);
  return text;
}

/**
 * The move that points `alias` of model `name` at `candidate`: refused (naming what) for a bad alias or an empty
 * note, a version the alias already points at, a version of another target or task than the current holder, and a
 * failed or missing review verdict unless `override` (the note then says why).
 */
export function planPromotion(input: {
  name: string;
  alias: string;
  note: string;
  override?: boolean;
  candidate: VersionFacts;
  /** The version the alias points at now, if any. */
  current: VersionFacts | null;
  at?: string;
}): AliasMove {
  const { name, candidate, current } = input;
  const alias = checkAlias(input.alias);
  const label = `${name} v${candidate.version}`;
  const note = checkNote(input.note, `point ${alias} at ${label}`);
  if (current && current.version === candidate.version) throw new AppError('bad-argument', `${alias} already points at ${label}`);
  if (current && (current.target !== candidate.target || current.task !== candidate.task)) {
    throw new AppError(
      'bad-argument',
      `${label} predicts "${candidate.target}" (${candidate.task}) but ${alias} now points at v${current.version}, which predicts "${current.target}" (${current.task}): an alias keeps one target and task`,
    );
  }
  const passed = candidate.verdict?.passed === true;
  if (!passed && !input.override) {
    const why = candidate.verdict ? `its review verdict failed: ${candidate.verdict.failures.join('; ')}` : 'it has no review verdict';
    throw new AppError('gate-blocked', `${label} cannot become ${alias}: ${why}. Override with a note to promote it anyway`);
  }
  return {
    name,
    alias,
    kind: 'promote',
    from: current?.version ?? null,
    to: candidate.version,
    note,
    verdict: candidate.verdict,
    override: !passed,
    at: input.at ?? new Date().toISOString(),
  };
}

/**
 * The versions `alias` held, oldest first, as promotions and rollbacks left them: a promotion pushes its version,
 * a rollback pops the latest one.
 */
export function holders(history: readonly AliasMove[], alias: string): number[] {
  const stack: number[] = [];
  for (const move of history) {
    if (move.alias !== alias) continue;
    if (move.kind === 'promote') stack.push(move.to);
    else {
      stack.pop();
      if (stack[stack.length - 1] !== move.to) stack.push(move.to);
    }
  }
  return stack;
}

/**
 * The move that takes `alias` back to the version it held before the current one (rollbacks in a row walk further
 * back): refused, naming the alias, when it points at nothing or had no earlier holder, or that version is gone.
 */
export function planRollback(input: {
  name: string;
  alias: string;
  note: string;
  history: readonly AliasMove[];
  current: number | null;
  /** Whether a version still exists (deleted versions are skipped with a refusal). */
  exists?: (version: number) => boolean;
  verdictOf?: (version: number) => MoveVerdict | null;
  at?: string;
}): AliasMove {
  const alias = checkAlias(input.alias);
  const { name, current } = input;
  if (current === null) throw new AppError('bad-argument', `${name} has no ${alias} to roll back`);
  const note = checkNote(input.note, `roll ${alias} of ${name} back`);
  const stack = holders(input.history, alias);
  const previous = stack.length >= 2 && stack[stack.length - 1] === current ? stack[stack.length - 2]! : null;
  if (previous === null) throw new AppError('bad-argument', `${alias} of ${name} has no earlier version to roll back to: v${current} is the first it pointed at`);
  if (input.exists && !input.exists(previous)) throw new AppError('not-found', `${alias} of ${name} would roll back to v${previous}, which was deleted`);
  return {
    name,
    alias,
    kind: 'rollback',
    from: current,
    to: previous,
    note,
    verdict: input.verdictOf?.(previous) ?? null,
    override: false,
    at: input.at ?? new Date().toISOString(),
  };
}

/** Refuses deleting a version an alias points at, naming the aliases. */
export function checkDeletable(name: string, version: number, aliases: Record<string, number>): void {
  const held = Object.entries(aliases)
    .filter(([, v]) => v === version)
    .map(([alias]) => alias);
  if (held.length) {
    throw new AppError('bad-argument', `${name} v${version} cannot be deleted: ${held.join(' and ')} ${held.length === 1 ? 'points' : 'point'} at it; move ${held.length === 1 ? 'that alias' : 'those aliases'} first`);
  }
}
