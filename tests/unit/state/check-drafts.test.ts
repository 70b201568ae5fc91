// The Check stage's drafts (rule suite, recipe) and gate, in Node with the runes compiled and the data worker replaced
// by mocks behind the real DataClient: load, edit, save one request at a time, stale replies dropped.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import type { Rule, RuleSuite } from '../../../src/lib/pipeline/quality/types.ts';
import type { Recipe, RecipePreview, RecipeStep } from '../../../src/lib/pipeline/recipe/types.ts';
import type { GateStatus } from '../../../src/lib/pipeline/quality/check.ts';
import { deferred, resetApi, settle, type Deferred, type FakeApi } from './fakes.ts';

const api = vi.hoisted(() => ({}) as FakeApi);
vi.mock('../../../src/lib/workers-client/data-client.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/workers-client/data-client.ts')>();
  return { ...real, dataClient: () => new real.DataClient(api as never) };
});

const { CheckState, SuiteDraft, RecipeDraft } = await import('../../../src/lib/state/check.svelte.ts');

const notNull = (column: string): Rule => ({ id: `${column}-not-null`, kind: 'not-null', column, severity: 'block' }) as Rule;
const suite = (version: number, rules: Rule[], reference?: number): RuleSuite =>
  ({ version, name: 'penguins rules', rules, ...(reference !== undefined ? { reference } : {}) }) as RuleSuite;
const dropMissing: RecipeStep = { kind: 'drop-missing', columns: ['Sex'] };
const dedupe = { kind: 'drop-duplicates' } as RecipeStep;

beforeEach(() => resetApi(api));

describe('rule suite draft', () => {
  it('loads the saved suite of a dataset once, then edits mark it unsaved', async () => {
    api.getSuite = vi.fn(async () => suite(2, [notNull('Sex')], 1));
    const draft = new SuiteDraft();
    await draft.load(5);
    expect(api.getSuite).toHaveBeenCalledWith(5);
    expect(draft.rules.map((r) => r.id)).toEqual(['Sex-not-null']);
    expect([draft.saved?.version, draft.reference, draft.dirty, draft.busy]).toEqual([2, 1, false, null]);
    await draft.load(5);
    expect(api.getSuite).toHaveBeenCalledTimes(1);

    draft.add(notNull('Island'));
    draft.move(1, -1);
    expect(draft.rules.map((r) => r.id)).toEqual(['Island-not-null', 'Sex-not-null']);
    expect(draft.dirty).toBe(true);
    draft.remove(0);
    draft.update(0, { ...notNull('Sex'), severity: 'warn' } as Rule);
    expect(draft.rules).toEqual([{ ...notNull('Sex'), severity: 'warn' }]);
    draft.setReference(undefined);
    expect(draft.reference).toBeUndefined();
  });

  it('saves one request at a time: a second save, or a suggestion, waits for the first to be stored', async () => {
    api.getSuite = vi.fn(async () => undefined);
    const stored = deferred<RuleSuite>();
    api.saveSuite = vi.fn(() => stored.promise);
    api.suggestSuite = vi.fn(async () => suite(0, [notNull('Island')]));
    const draft = new SuiteDraft();
    await draft.load(5);
    draft.add(notNull('Sex'));
    const first = draft.save();
    expect(draft.busy).toBe('saving');
    expect(await draft.save()).toBe(false);
    await draft.suggest(9);
    expect(api.saveSuite).toHaveBeenCalledTimes(1);
    expect(api.saveSuite).toHaveBeenCalledWith(5, [notNull('Sex')], undefined);
    expect(api.suggestSuite).not.toHaveBeenCalled();

    stored.resolve(suite(1, [notNull('Sex')]));
    expect(await first).toBe(true);
    expect([draft.saved?.version, draft.dirty, draft.busy]).toEqual([1, false, null]);
    // Once stored, other work goes again.
    await draft.suggest(9);
    expect(draft.rules.map((r) => r.id)).toEqual(['Island-not-null']);
    expect(draft.dirty).toBe(true);
  });

  it('a change made while saving stays in the draft, marked unsaved', async () => {
    api.getSuite = vi.fn(async () => undefined);
    const stored = deferred<RuleSuite>();
    api.saveSuite = vi.fn(() => stored.promise);
    const draft = new SuiteDraft();
    await draft.load(5);
    draft.add(notNull('Sex'));
    const saving = draft.save();
    draft.add(notNull('Island'));
    stored.resolve(suite(1, [notNull('Sex')]));
    await saving;
    expect(draft.saved?.version).toBe(1);
    expect(draft.rules.map((r) => r.id)).toEqual(['Sex-not-null', 'Island-not-null']);
    expect(draft.dirty).toBe(true);
  });

  it('a rejected save keeps the draft and shows the reason', async () => {
    api.getSuite = vi.fn(async () => undefined);
    api.saveSuite = vi.fn(async () => {
      throw new AppError('unknown-column', 'Rule "Wings not null" names column "Wings", which penguins v3 does not have');
    });
    const draft = new SuiteDraft();
    await draft.load(5);
    draft.add(notNull('Wings'));
    expect(await draft.save()).toBe(false);
    expect(draft.error).toBe('Rule "Wings not null" names column "Wings", which penguins v3 does not have');
    expect([draft.rules.length, draft.dirty, draft.busy, draft.saved]).toEqual([1, true, null, null]);
  });

  it('the suggestion for a dataset no longer edited is dropped (stale), and so is its error', async () => {
    const suggestion = deferred<RuleSuite>();
    api.getSuite = vi.fn(async (datasetId: number) => (datasetId === 6 ? suite(4, [notNull('city')]) : undefined));
    api.suggestSuite = vi.fn(() => suggestion.promise);
    const draft = new SuiteDraft();
    await draft.load(5);
    const suggesting = draft.suggest(1);
    await draft.load(6);
    suggestion.resolve(suite(0, [notNull('Sex')]));
    await suggesting;
    expect(draft.datasetId).toBe(6);
    expect(draft.rules.map((r) => r.id)).toEqual(['city-not-null']);
    expect([draft.dirty, draft.busy, draft.error]).toEqual([false, null, null]);
  });
});

describe('recipe draft', () => {
  it('an older preview that answers after a newer one is dropped; an edit drops the preview shown', async () => {
    api.getRecipe = vi.fn(async (): Promise<Recipe> => ({ version: 1, steps: [dropMissing] }));
    const answers = [deferred<RecipePreview>(), deferred<RecipePreview>()];
    let call = 0;
    api.previewRecipe = vi.fn(() => answers[call++]!.promise);
    const draft = new RecipeDraft();
    await draft.load(5);
    expect(draft.steps).toEqual([dropMissing]);
    const older = draft.runPreview(1);
    const newer = draft.runPreview(2);
    answers[1]!.resolve({ rowsBefore: 344, rowsAfter: 333 } as unknown as RecipePreview);
    await newer;
    answers[0]!.resolve({ rowsBefore: 344, rowsAfter: 1 } as unknown as RecipePreview);
    await older;
    expect(draft.preview).toMatchObject({ rowsAfter: 333 });
    expect(draft.busy).toBeNull();

    draft.add(dedupe);
    expect(draft.preview).toBeNull();
    api.saveRecipe = vi.fn(async (_datasetId: number, steps: RecipeStep[]): Promise<Recipe> => ({ version: 2, steps }));
    expect(await draft.save(3)).toBe(true);
    expect(api.saveRecipe).toHaveBeenCalledWith(5, [dropMissing, dedupe], 3);
    expect([draft.saved?.version, draft.dirty]).toEqual([2, false]);
  });
});

describe('gate of the watched version', () => {
  const gate = (open: boolean): GateStatus => ({ open, reasons: open ? [] : ['rule failed'], undecided: [] }) as unknown as GateStatus;

  it('a gate read for a version no longer watched is dropped', async () => {
    const answers: Record<number, Deferred<GateStatus>> = { 1: deferred(), 2: deferred() };
    api.gate = vi.fn((versionId: number) => answers[versionId]!.promise);
    const check = new CheckState();
    check.watch(1);
    expect(check.loading).toBe(true);
    check.watch(2);
    answers[2]!.resolve(gate(true));
    await settle();
    expect([check.versionId, check.gate?.open, check.loading]).toEqual([2, true, false]);
    answers[1]!.resolve(gate(false));
    await settle();
    expect(check.gate?.open).toBe(true);

    // An error of a superseded read is not shown either.
    const late = deferred<GateStatus>();
    api.gate = vi.fn(() => late.promise);
    check.watch(1);
    check.destroy();
    late.reject(new AppError('not-found', 'No dataset version 1'));
    await settle();
    expect(check.error).toBeNull();
  });
});
