// The alias rules shared by the studio's and the CLI's registries: promotion (verdict or override), rollback along the history, deletion refused while an alias points at a version.
import { describe, expect, it } from 'vitest';
import { checkAlias, checkDeletable, holders, planPromotion, planRollback, type AliasMove, type VersionFacts } from '../../../../src/lib/pipeline/registry/aliases.ts';

const at = '2026-12-04T00:00:00.000Z';
const passed: VersionFacts['verdict'] = { passed: true, failures: [] };
const failed: VersionFacts['verdict'] = { passed: false, failures: ['rocAuc 0.61 is below the threshold 0.7', 'model size in bytes 48 is above the limit 32'] };
const v = (version: number, verdict: VersionFacts['verdict'] = passed, target = 'Heavy', task = 'binary'): VersionFacts => ({ version, target, task, verdict });

describe('planPromotion', () => {
  it('moves the alias to a version whose verdict passed, keeping where it came from', () => {
    expect(planPromotion({ name: 'heavy', alias: 'champion', note: ' first ', candidate: v(1), current: null, at })).toEqual({
      name: 'heavy', alias: 'champion', kind: 'promote', from: null, to: 1, note: 'first', verdict: passed, override: false, at,
    });
    expect(planPromotion({ name: 'heavy', alias: 'champion', note: 'better', candidate: v(2), current: v(1), at })).toMatchObject({ from: 1, to: 2 });
  });

  it('refuses a failed verdict unless overridden, and records the override', () => {
    expect(() => planPromotion({ name: 'heavy', alias: 'champion', note: 'n', candidate: v(2, failed), current: v(1) })).toThrow(
      'heavy v2 cannot become champion: its review verdict failed: rocAuc 0.61 is below the threshold 0.7; model size in bytes 48 is above the limit 32. Override with a note to promote it anyway',
    );
    expect(() => planPromotion({ name: 'heavy', alias: 'champion', note: 'n', candidate: { ...v(2), verdict: null }, current: null })).toThrow('it has no review verdict');
    expect(planPromotion({ name: 'heavy', alias: 'champion', note: 'size is fine on the ward PC', override: true, candidate: v(2, failed), current: v(1), at })).toMatchObject({ override: true, verdict: failed });
    // An override of a passing verdict is no override.
    expect(planPromotion({ name: 'heavy', alias: 'champion', note: 'n', override: true, candidate: v(2), current: v(1) }).override).toBe(false);
  });

  it('refuses a bad alias, an empty note, the same version and another target or task', () => {
    expect(() => checkAlias('my champion')).toThrow('The alias "my champion" is not allowed: use letters, digits, "_" and "-" only');
    expect(() => planPromotion({ name: 'heavy', alias: 'a b', note: 'n', candidate: v(1), current: null })).toThrow('"a b" is not allowed');
    expect(() => planPromotion({ name: 'heavy', alias: 'champion', note: '  ', candidate: v(1), current: null })).toThrow('A note is needed to point champion at heavy v1: say why');
    expect(() => planPromotion({ name: 'heavy', alias: 'champion', note: 'n', candidate: v(1), current: v(1) })).toThrow('champion already points at heavy v1');
    expect(() => planPromotion({ name: 'heavy', alias: 'champion', note: 'n', candidate: v(2, passed, 'Species', 'multiclass'), current: v(1) })).toThrow(
      'heavy v2 predicts "Species" (multiclass) but champion now points at v1, which predicts "Heavy" (binary): an alias keeps one target and task',
    );
  });
});

describe('planRollback', () => {
  const move = (kind: AliasMove['kind'], from: number | null, to: number, alias = 'champion'): AliasMove => ({ name: 'heavy', alias, kind, from, to, note: 'n', verdict: null, override: false, at });

  it('goes back to the version held before, and further back on the next rollback', () => {
    const history = [move('promote', null, 1), move('promote', 1, 2), move('promote', 2, 3), move('promote', null, 1, 'challenger')];
    expect(holders(history, 'champion')).toEqual([1, 2, 3]);
    const first = planRollback({ name: 'heavy', alias: 'champion', note: 'v3 drifts', history, current: 3, at });
    expect(first).toMatchObject({ kind: 'rollback', from: 3, to: 2, note: 'v3 drifts' });
    const second = planRollback({ name: 'heavy', alias: 'champion', note: 'v2 too', history: [...history, first], current: 2 });
    expect(second).toMatchObject({ from: 2, to: 1 });
    expect(() => planRollback({ name: 'heavy', alias: 'champion', note: 'n', history: [...history, first, second], current: 1 })).toThrow(
      'champion of heavy has no earlier version to roll back to: v1 is the first it pointed at',
    );
  });

  it('refuses with no holder, no note, or a deleted earlier version', () => {
    expect(() => planRollback({ name: 'heavy', alias: 'champion', note: 'n', history: [], current: null })).toThrow('heavy has no champion to roll back');
    const history = [move('promote', null, 1), move('promote', 1, 2)];
    expect(() => planRollback({ name: 'heavy', alias: 'champion', note: '', history, current: 2 })).toThrow('A note is needed to roll champion of heavy back');
    expect(() => planRollback({ name: 'heavy', alias: 'champion', note: 'n', history, current: 2, exists: () => false })).toThrow('would roll back to v1, which was deleted');
  });
});

describe('checkDeletable', () => {
  it('names the aliases that point at a version', () => {
    expect(() => checkDeletable('heavy', 2, { champion: 2, challenger: 2, canary: 3 })).toThrow('heavy v2 cannot be deleted: champion and challenger point at it; move those aliases first');
    expect(() => checkDeletable('heavy', 1, { champion: 2 })).not.toThrow();
  });
});
