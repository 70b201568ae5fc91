// The data worker's Check stage: automatic checks after every commit, saved suites and recipes, privacy decisions, the gate.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Rule } from '../../../src/lib/pipeline/quality/types.ts';
import { listAudit } from '../../../src/lib/store/audit.ts';
import { openDb } from '../../../src/lib/store/db.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { resetDb, tableCounts } from '../store/helpers.ts';
import { csvFile, sexAllowed, sexRecipe, weatherLines } from './helpers.ts';

beforeEach(resetDb);

const penguins = () => ({ name: 'penguins.json', data: new Blob([readFileSync('node_modules/vega-datasets/data/penguins.json')]) });


describe('automatic checks', () => {
  it('checks every committed version; without a saved suite the suggested rules only warn and the gate is open', async () => {
    const { versionId, datasetId } = await dataApi.importFile(penguins());
    const check = await dataApi.latestCheck(versionId);
    expect(check).toMatchObject({ versionId, datasetId, suiteVersion: 0, recipeVersion: 0, suggested: true, rowsIn: 344, rowsChecked: 344 });
    expect(check!.report.rules.length).toBeGreaterThan(5);
    expect(check!.report.rules.every((rule) => rule.severity === 'warn')).toBe(true);
    expect(check!.report.blocked).toBe(false);
    expect(check!.privacy).toEqual([]);
    expect(await dataApi.gate(versionId)).toMatchObject({ open: true, reasons: [], undecided: [] });
    expect((await listAudit()).map((e) => e.action)).toEqual(['import', 'check.run']);
  });

  it('blocks on a saved suite until a recipe cleans the data, re-checking after each save', async () => {
    const { versionId, datasetId } = await dataApi.importFile(penguins());
    const suite = await dataApi.saveSuite(datasetId, [sexAllowed]);
    expect(suite).toMatchObject({ version: 1, rules: [sexAllowed] });
    expect(await dataApi.getSuite(datasetId)).toEqual(suite);

    const blocked = await dataApi.latestCheck(versionId);
    expect(blocked).toMatchObject({ suiteVersion: 1, suggested: false, report: { blocked: true } });
    expect(blocked!.report.rules[0]).toMatchObject({ id: 'sex-allowed', passed: false, failingCount: 1, examples: [{ value: '.' }] });
    const closed = await dataApi.gate(versionId);
    expect(closed.open).toBe(false);
    expect(closed.reasons.join('\n')).toContain('sex-allowed');

    const recipe = await dataApi.saveRecipe(datasetId, sexRecipe);
    expect(recipe).toEqual({ version: 1, steps: sexRecipe });
    expect(await dataApi.getRecipe(datasetId)).toEqual(recipe);
    const passed = await dataApi.latestCheck(versionId);
    expect(passed).toMatchObject({ suiteVersion: 1, recipeVersion: 1, rowsIn: 344, rowsChecked: 333, report: { blocked: false } });
    expect(passed!.recipeSteps.map((s) => [s.kind, s.rowsRemoved])).toEqual([['replace', 0], ['drop-missing', 11]]);
    expect(await dataApi.gate(versionId)).toMatchObject({ open: true, reasons: [] });

    const audit = (await listAudit()).map((e) => e.action);
    expect(audit).toEqual(['import', 'check.run', 'suite.save', 'check.run', 'recipe.save', 'check.run']);
    const checks = (await listAudit()).filter((e) => e.action === 'check.run');
    expect(checks.map((e) => e.details.passed)).toEqual([true, false, true]);
    expect(checks[1]?.details.failedRules).toEqual(['sex-allowed']);
  });

  it('checks an appended batch against its parent after the same recipe', async () => {
    const v1 = await dataApi.importFile(csvFile('weather.csv', weatherLines(40)));
    await dataApi.saveSuite(v1.datasetId, [{ id: 'rows', kind: 'row-count-change', maxChange: 0.2, severity: 'block' }]);
    const staged = await dataApi.stageImport(csvFile('more.csv', weatherLines(20, { from: 40 })), { appendTo: v1.datasetId });
    const v2 = await dataApi.commitImport(staged.importId);
    const check = await dataApi.latestCheck(v2.versionId);
    // The batch rules compare the 20 rows the append added with v1's 40 (−50%), not all 60 rows of v2.
    expect(check).toMatchObject({ referenceVersionId: v1.versionId, rowsIn: 60, report: { referenceRows: 40, batchRows: 20, blocked: true } });
    expect(check!.report.rules[0]).toMatchObject({ id: 'rows', passed: false, observed: -0.5 });
  });

  it('compares every batch with a chosen reference version instead of the parent', async () => {
    const v1 = await dataApi.importFile(csvFile('weather.csv', weatherLines(40)));
    const append = async (name: string, rows: number, from: number) => {
      const staged = await dataApi.stageImport(csvFile(name, weatherLines(rows, { from })), { appendTo: v1.datasetId });
      return dataApi.commitImport(staged.importId);
    };
    const v2 = await append('b2.csv', 10, 40);
    const rules: Rule[] = [{ id: 'rows', kind: 'row-count-change', maxChange: 0.5, severity: 'block' }];
    await expect(dataApi.saveSuite(v1.datasetId, rules, 9)).rejects.toThrow('weather has no version 9 to compare batches with');
    const suite = await dataApi.saveSuite(v1.datasetId, rules, 1);
    expect(suite.reference).toBe(1);
    expect((await dataApi.getSuite(v1.datasetId))?.reference).toBe(1);
    // v3's batch has 10 rows: −80% against its parent v2 (50 rows), −75% against v1 (40 rows).
    const v3 = await append('b3.csv', 10, 50);
    const check = await dataApi.latestCheck(v3.versionId);
    expect(check).toMatchObject({ referenceVersionId: v1.versionId, report: { referenceRows: 40, batchRows: 10, blocked: true } });
    expect(check!.report.rules[0]?.observed).toBe(-0.75);
    // The reference version itself is checked without batch rules to compare.
    expect((await dataApi.checkVersion(v1.versionId)).referenceVersionId).toBeUndefined();
    expect(v2.version).toBe(2);
    const saved = (await listAudit()).filter((e) => e.action === 'suite.save');
    expect(saved.at(-1)?.details.reference).toBe(1);
  });

  it('refuses a bad suite or recipe, naming it, and stores nothing', async () => {
    const { datasetId } = await dataApi.importFile(penguins());
    const before = await tableCounts();
    await expect(dataApi.saveSuite(datasetId, [{ ...sexAllowed, column: 'sex' } as Rule])).rejects.toThrow(/sex/);
    await expect(dataApi.saveSuite(datasetId, [{ ...sexAllowed, mostly: 2 }])).rejects.toMatchObject({ code: 'bad-argument' });
    await expect(dataApi.saveRecipe(datasetId, [{ kind: 'drop-missing', columns: ['Wings'] }])).rejects.toThrow(/Wings/);
    expect(await tableCounts()).toEqual(before);
  });

  it('suggests rules from the recipe output and previews a recipe without storing it', async () => {
    const { versionId, datasetId } = await dataApi.importFile(penguins());
    const before = await tableCounts();
    const preview = await dataApi.previewRecipe(versionId, sexRecipe);
    expect(preview).toMatchObject({ rowsBefore: 344, rowsAfter: 333 });
    expect(await tableCounts()).toEqual(before);

    await dataApi.saveRecipe(datasetId, sexRecipe);
    const suggested = await dataApi.suggestSuite(versionId);
    const sex = suggested.rules.find((rule) => rule.kind === 'allowed-values' && rule.column === 'Sex');
    expect(sex && 'values' in sex && [...sex.values].sort()).toEqual(['FEMALE', 'MALE']);
  });
});

describe('privacy', () => {
  const people = () =>
    csvFile('people.csv', [
      'email,visits,spend,churned',
      ...Array.from({ length: 40 }, (_, i) => `user${i}@example.com,${i % 7},${(i * 13) % 17},${i % 3 === 0 ? 'yes' : 'no'}`),
    ]);

  it('does not build features on a version whose gate is closed, and says so in the audit log', async () => {
    const { versionId, datasetId } = await dataApi.importFile(penguins());
    await dataApi.saveSuite(datasetId, [sexAllowed]);
    const set = { name: 'mass', version: 1, features: [{ name: 'mass', column: 'Body Mass (g)', transform: 'standardize' }] } as const;
    await expect(dataApi.featurePreview(versionId, set as never, 'Species')).rejects.toThrow(/^Feature building on penguins v1 is blocked: Rule sex-allowed/);
    const blocks = (await listAudit()).filter((e) => e.action === 'gate.block');
    expect(blocks.map((e) => e.details.stage)).toEqual(['Feature building']);
    await dataApi.saveRecipe(datasetId, sexRecipe);
    const preview = await dataApi.featurePreview(versionId, set as never, 'Species');
    expect(preview.width).toBe(1);
  });

  it('keeps the gate closed on an e-mail column until it is hashed or allowed with a note', async () => {
    const { versionId, datasetId } = await dataApi.importFile(people());
    const check = await dataApi.latestCheck(versionId);
    expect(check!.privacy.map((f) => [f.column, f.kind])).toEqual([['email', 'email']]);
    const closed = await dataApi.gate(versionId);
    expect(closed).toMatchObject({ open: false, undecided: ['email'] });
    expect(closed.reasons.join('\n')).toContain('email');

    await expect(dataApi.decidePrivacy(datasetId, { column: 'email', action: 'allow', note: '' })).rejects.toMatchObject({ code: 'bad-argument' });
    await dataApi.decidePrivacy(datasetId, { column: 'email', action: 'allow', note: 'Pseudonymous test accounts' });
    expect(await dataApi.gate(versionId)).toMatchObject({ open: true, undecided: [] });
    await dataApi.decidePrivacy(datasetId, { column: 'email', action: 'hash' });
    expect(await dataApi.privacyDecisions(datasetId)).toEqual([{ column: 'email', action: 'hash' }]);
    expect(await dataApi.gate(versionId)).toMatchObject({ open: true });
    const audit = (await listAudit()).filter((e) => e.action === 'privacy.decide');
    expect(audit.map((e) => e.details.action)).toEqual(['allow', 'hash']);
  });

  it('plans features on the table as training sees it (recipe and privacy steps applied)', async () => {
    const { versionId, datasetId } = await dataApi.importFile(people());
    await dataApi.decidePrivacy(datasetId, { column: 'email', action: 'drop' });
    await dataApi.saveRecipe(datasetId, [{ kind: 'drop-columns', columns: ['visits'] }]);
    const plan = await dataApi.planFeatures(versionId, 'churned');
    expect(plan.features).toEqual(['spend']);
    expect(plan.dropped.map((d) => d.column)).not.toContain('email');
  });
});

describe('a failing check', () => {
  it('never fails an import: nothing of the check is stored, the import is', async () => {
    const full = () => {
      throw new Error('disk trouble');
    };
    openDb().checks.hook('creating', full);
    try {
      const result = await dataApi.importFile(penguins());
      expect(result).toMatchObject({ versionId: 1, rows: 344 });
    } finally {
      openDb().checks.hook('creating').unsubscribe(full);
    }
    expect(await tableCounts()).toMatchObject({ versions: 1, checks: 0, audit: 1 });
    expect(await dataApi.latestCheck(1)).toBeUndefined();
    // The gate checks a version that has no check.
    expect(await dataApi.gate(1)).toMatchObject({ open: true, check: { versionId: 1 } });
  });

  it('a recipe that cannot run on a new version closes its gate with the reason; the import stands', async () => {
    const v1 = await dataApi.importFile(csvFile('weather.csv', weatherLines(20)));
    await dataApi.saveRecipe(v1.datasetId, [{ kind: 'drop-missing', columns: ['temp'] }]);
    const v2 = await dataApi.importFile(csvFile('weather.csv', weatherLines(20).map((line) => line.split(',').slice(0, 2).join(','))));
    expect(v2).toMatchObject({ datasetId: v1.datasetId, version: 2 });
    expect(await dataApi.latestCheck(v2.versionId)).toBeUndefined();
    const status = await dataApi.gate(v2.versionId);
    expect(status.open).toBe(false);
    expect(status.reasons[0]).toMatch(/^The check of v2 could not run: .*temp/);
  });
});
