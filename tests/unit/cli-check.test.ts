// `millrace check` and `millrace run` with Check flags: the gate's exit status 2, the report, recipes and --allow.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, millrace } from './cli-run.ts';

const CHECK = 'tests/fixtures/check';
const rules = `${CHECK}/penguin-rules.json`;
const recipe = `${CHECK}/penguin-recipe.json`;

describe('millrace check', () => {
  it('closes the gate (exit 2) on a blocking rule and names it, and opens it once the recipe cleans the batch', () => {
    const blocked = millrace('check', '--data', `${CHECK}/penguins-batch.json`, '--rules', rules, '--reference', `${CHECK}/penguins-clean.json`);
    expect(blocked.status).toBe(2);
    expect(blocked.stdout).toMatch(/^check blocked: 44 of 44 rows.*Rule sex-allowed \(allowed-values on Sex\) failed: 1 of 42 rows/);

    const dir = mkdtempSync(join(tmpdir(), 'millrace-check-'));
    const out = join(dir, 'check.json');
    const passed = millrace('check', '--data', `${CHECK}/penguins-batch.json`, '--rules', rules, '--recipe', recipe, '--reference', `${CHECK}/penguins-clean.json`, '--out', out);
    expect(passed.status).toBe(0);
    expect(passed.stdout).toMatch(/^check passed: 41 of 44 rows after the recipe, 4 rules, 1 warning/);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.gate).toEqual({ open: true, reasons: [], undecided: [] });
    expect(report.check.recipeSteps.map((s: { rowsRemoved: number; cellsChanged: number }) => [s.rowsRemoved, s.cellsChanged])).toEqual([
      [0, 1],
      [3, 0],
    ]);
    // The batch has 44 rows against the reference's 300: the row-count-change rule warns with what it saw.
    const rows = report.check.report.rules.find((r: { id: string }) => r.id === 'rows');
    expect(rows).toMatchObject({ passed: false, severity: 'warn' });
  }, 120_000);

  it('needs a decision on a column of e-mail addresses: --allow with a note, or a hash step', () => {
    const blocked = millrace('check', '--data', `${CHECK}/customers.csv`);
    expect(blocked.status).toBe(2);
    expect(blocked.stdout).toContain('Column "email" looks like e-mail addresses (100% of values)');
    expect(millrace('check', '--data', `${CHECK}/customers.csv`, '--allow', 'email=synthetic test data').status).toBe(0);
    const noNote = millrace('check', '--data', `${CHECK}/customers.csv`, '--allow', 'email');
    expect(noNote.status).toBe(1);
    expect(noNote.stderr).toContain('--allow takes COLUMN=NOTE');

    const dir = mkdtempSync(join(tmpdir(), 'millrace-hash-'));
    const hashRecipe = join(dir, 'hash.json');
    writeFileSync(hashRecipe, JSON.stringify([{ kind: 'hash', column: 'email' }]));
    const noSalt = millrace('check', '--data', `${CHECK}/customers.csv`, '--recipe', hashRecipe);
    expect(noSalt.status).toBe(1);
    expect(noSalt.stderr).toMatch(/salt/);
    expect(millrace('check', '--data', `${CHECK}/customers.csv`, '--recipe', hashRecipe, '--salt', 'workspace-1').status).toBe(0);
  }, 120_000);

  it('rejects a malformed rule and a recipe naming an unknown column, naming them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'millrace-bad-'));
    const badRules = join(dir, 'rules.json');
    writeFileSync(badRules, JSON.stringify([{ id: 'future', kind: 'expression', expression: 'd => d.Yeer > 2026', severity: 'block' }]));
    const bad = millrace('check', '--data', `${DATA}/penguins.json`, '--rules', badRules);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/future.*Yeer/);
    const badRecipe = join(dir, 'recipe.json');
    writeFileSync(badRecipe, JSON.stringify({ steps: [{ kind: 'impute', columns: ['Weight'], method: 'mean' }] }));
    const unknown = millrace('check', '--data', `${DATA}/penguins.json`, '--recipe', badRecipe);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/Step 1 \(impute\).*Weight/);
    // A suite file without rules, and a rule missing its severity, are named with the file.
    const noRules = join(dir, 'no-rules.json');
    writeFileSync(noRules, JSON.stringify({ name: 'empty' }));
    const missing = millrace('check', '--data', `${DATA}/penguins.json`, '--rules', noRules);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`millrace: --rules ${noRules}: The rule suite's rules must be a list, not missing\n`);
    const noSeverity = join(dir, 'no-severity.json');
    writeFileSync(noSeverity, JSON.stringify([{ id: 'sex', kind: 'not-null', column: 'Sex' }]));
    const severity = millrace('check', '--data', `${DATA}/penguins.json`, '--rules', noSeverity);
    expect(severity.status).toBe(1);
    expect(severity.stderr).toMatch(/^millrace: --rules .*no-severity\.json: Rule sex: severity must be "warn" or "block"/);
  }, 120_000);

  it('rejects a rule naming a column the recipe dropped (exit 1, not a closed gate)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'millrace-dropped-'));
    const dropRecipe = join(dir, 'recipe.json');
    writeFileSync(dropRecipe, JSON.stringify([{ kind: 'drop-columns', columns: ['Sex'] }]));
    const result = millrace('check', '--data', `${DATA}/penguins.json`, '--rules', rules, '--recipe', dropRecipe);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^millrace: Rule sex-allowed: column "Sex" is not a column of the data; columns are: /);
  });
});

describe('millrace run with Check flags', () => {
  it('refuses to train while the gate is closed (exit 2) and trains on the cleaned rows once the recipe fixes them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'millrace-gated-'));
    const blocked = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--out', dir, '--rules', rules);
    expect(blocked.status).toBe(2);
    expect(blocked.stderr).toContain('Training on penguins.json is blocked: Rule sex-allowed');

    const run = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--out', dir, '--rules', rules, '--recipe', recipe, '--model', 'linear');
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.check).toMatchObject({ rowsIn: 344, rowsChecked: 333 });
    expect(report.split.train + report.split.test).toBe(333);
    const recipeFile = JSON.parse(readFileSync(join(dir, 'model', 'recipe.json'), 'utf8'));
    expect(recipeFile).toMatchObject({ format: 'millrace.recipe/1', recipeVersion: 1, suiteVersion: 1 });
    expect(recipeFile.steps).toHaveLength(2);
    expect(recipeFile.steps.map((s: { kind: string }) => s.kind)).toEqual(['replace', 'drop-missing']);
    // The pipeline the run wrote names the same Check stage.
    const spec = JSON.parse(readFileSync(join(dir, 'pipeline.json'), 'utf8'));
    expect(spec.check.recipe.steps).toEqual(recipeFile.steps);
    expect(spec.check.rules).toMatchObject({ name: 'penguin checks', version: 1, reference: null });
    expect(spec.check.rules.rules.map((r: { id: string }) => r.id)).toEqual(['sex-allowed', 'species-present', 'mass-plausible', 'rows']);

    // The bundle's recipe.json is a recipe `millrace check --recipe` reads: it cleans the batch the same way.
    const checked = millrace('check', '--data', `${DATA}/penguins.json`, '--rules', rules, '--recipe', join(dir, 'model', 'recipe.json'));
    expect(checked.stderr).toBe('');
    expect(checked.status).toBe(0);
    expect(checked.stdout).toMatch(/^check passed: 333 of 344 rows after the recipe, 4 rules/);
  }, 120_000);
});

describe('millrace run --spec with a recipe', () => {
  it('fits the clip bounds and imputed values a spec does not state, as --recipe does, and keeps those it states', () => {
    const dir = mkdtempSync(join(tmpdir(), 'millrace-spec-recipe-'));
    const steps = [
      { kind: 'clip-outliers', column: 'Horsepower', lower: 0.05, upper: 0.95 },
      { kind: 'impute', columns: ['Horsepower'], method: 'median' },
      { kind: 'clip-outliers', column: 'Weight_in_lbs', lower: 0.05, upper: 0.95, bounds: { low: 2000, high: 4000 } },
    ];
    const specFile = join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify({ format: 'millrace.pipeline/1', target: 'Miles_per_Gallon', check: { recipe: { steps } }, model: { kind: 'linear', epochs: 5 } }));
    const out = join(dir, 'out');
    const result = millrace('run', '--spec', specFile, '--data', `${DATA}/cars.json`, '--out', out);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const fitted = [
      { ...steps[0], bounds: { low: 60, high: 180 } },
      { ...steps[1], fitted: { Horsepower: 95 } },
      steps[2],
    ];
    expect(JSON.parse(readFileSync(join(out, 'pipeline.json'), 'utf8')).check.recipe).toEqual({ version: 1, steps: fitted });
    // The bundle cleans scored files with the same values.
    expect(JSON.parse(readFileSync(join(out, 'model', 'recipe.json'), 'utf8')).steps).toEqual(fitted);
  }, 120_000);
});
