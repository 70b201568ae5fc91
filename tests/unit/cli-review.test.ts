// `millrace run` and the review: --policy/--sensitive/--positive-class fill the spec's review policy, test-predictions.csv lists the test rows.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/lib/pipeline/parse.ts';
import { DATA, millrace } from './cli-run.ts';

const work = mkdtempSync(join(tmpdir(), 'millrace-cli-review-'));

describe('millrace run: the review policy and the test predictions', () => {
  it('writes test-predictions.csv: the input row of each test record, actual, predicted, one probability per class', () => {
    const out = join(work, 'penguins');
    const result = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--epochs', '20', '--seed', '5', '--out', out, '--sensitive', 'Sex', '--positive-class', 'Gentoo');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const spec = JSON.parse(readFileSync(join(out, 'pipeline.json'), 'utf8')) as { review: unknown };
    expect(spec.review).toEqual({ sensitive: [{ column: 'Sex' }], positiveClass: 'Gentoo' });
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { split: { test: number }; metrics: { accuracy: number } };
    const lines = readFileSync(join(out, 'test-predictions.csv'), 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('row,actual,predicted,p_Adelie,p_Chinstrap,p_Gentoo');
    expect(lines).toHaveLength(report.split.test + 1);
    // Each row names a record of the input file, in file order, and its actual species is that record's.
    const records = JSON.parse(readFileSync(`${DATA}/penguins.json`, 'utf8')) as { Species: string }[];
    const rows = lines.slice(1).map((line) => line.split(','));
    const indices = rows.map((cells) => Number(cells[0]));
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    for (const cells of rows) {
      expect(cells[1]).toBe(records[Number(cells[0])]!.Species);
      const p = cells.slice(3).map(Number);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(['Adelie', 'Chinstrap', 'Gentoo'][p.indexOf(Math.max(...p))]).toBe(cells[2]);
    }
    const right = rows.filter((cells) => cells[1] === cells[2]).length;
    expect(right / rows.length).toBeCloseTo(report.metrics.accuracy, 10);
  });

  it('maps test rows back to the input file when the recipe drops records', () => {
    const recipe = join(work, 'recipe.json');
    writeFileSync(recipe, JSON.stringify({ steps: [{ kind: 'drop-missing', columns: ['Sex'] }, { kind: 'filter', expression: 'd => d.Island != "Torgersen"' }] }));
    const out = join(work, 'recipe-run');
    const result = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--epochs', '10', '--recipe', recipe, '--out', out);
    expect(result.stderr).toBe('');
    const table = parseFile(readFileSync(`${DATA}/penguins.json`), 'penguins.json');
    const island = table.columns.find((c) => c.name === 'Island')!;
    const sex = table.columns.find((c) => c.name === 'Sex')!;
    const lines = readFileSync(join(out, 'test-predictions.csv'), 'utf8').trimEnd().split('\r\n').slice(1);
    expect(lines.length).toBeGreaterThan(30);
    for (const line of lines) {
      const row = Number(line.split(',')[0]);
      if (!('codes' in island) || !('codes' in sex)) throw new Error('string columns expected');
      expect(island.levels[island.codes[row]!]).not.toBe('Torgersen');
      expect(sex.codes[row]).toBeGreaterThanOrEqual(0);
    }
  });

  it('refuses a policy naming a column the data lacks, an unknown metric, and a bad cut point', () => {
    const policy = join(work, 'policy.json');
    writeFileSync(policy, JSON.stringify({ metrics: [{ metric: 'auc', threshold: 0.7 }] }));
    const unknownMetric = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--policy', policy, '--out', join(work, 'bad1'));
    expect(unknownMetric.status).toBe(1);
    expect(unknownMetric.stderr).toMatch(/--policy metrics\[0\]\.metric: "auc" is not one of accuracy/);
    const missing = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--sensitive', 'Age:25', '--out', join(work, 'bad2'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/The data has no column "Age", which a sensitive column of the review names/);
    const cut = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--sensitive', 'Body Mass (g):heavy', '--out', join(work, 'bad3'));
    expect(cut.stderr).toMatch(/--sensitive: "heavy" is not a number/);
    // Cut into three, the 69 test rows leave fewer than two groups with the 30 rows a comparison needs: marked in
    // the report, and a fairness rule that needs that comparison fails, saying why (the run is still stored).
    const marked = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--epochs', '5', '--sensitive', 'Body Mass (g):3500,4500', '--positive-class', 'Gentoo', '--out', join(work, 'marked'));
    expect(marked.status).toBe(0);
    const markedReport = JSON.parse(readFileSync(join(work, 'marked', 'report.json'), 'utf8')) as { fairness: Record<string, { tooFew: string[]; demographicParityRatio: null; noDisparities: string }> };
    expect(markedReport.fairness['Body Mass (g)']!.tooFew.length).toBeGreaterThan(0);
    expect(markedReport.fairness['Body Mass (g)']!.demographicParityRatio).toBeNull();
    expect(markedReport.fairness['Body Mass (g)']!.noDisparities).toMatch(/^Too few rows to compare/);
    const floor = join(work, 'floor.json');
    writeFileSync(floor, JSON.stringify({ fairness: [{ column: 'Body Mass (g)', metric: 'demographicParityRatio', min: 0.8 }] }));
    const small = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--epochs', '5', '--sensitive', 'Body Mass (g):3500,4500', '--positive-class', 'Gentoo', '--policy', floor, '--out', join(work, 'bad4'));
    expect(small.status).toBe(0);
    const smallReport = JSON.parse(readFileSync(join(work, 'bad4', 'report.json'), 'utf8')) as { verdict: { passed: boolean; failures: string[] } };
    expect(smallReport.verdict.passed).toBe(false);
    expect(smallReport.verdict.failures).toContainEqual(
      expect.stringMatching(/^demographicParityRatio on Body Mass \(g\) cannot be checked against the floor 0\.8: Too few rows to compare the groups of "Body Mass \(g\)"/),
    );
    // With groups of 20 rows allowed (minGroupRows), the comparison is made.
    writeFileSync(floor, JSON.stringify({ fairness: [{ column: 'Body Mass (g)', metric: 'demographicParityRatio', min: 0.8 }], minGroupRows: 5 }));
    const fewer = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--epochs', '5', '--sensitive', 'Body Mass (g):3500,4500', '--positive-class', 'Gentoo', '--policy', floor, '--out', join(work, 'bad5'));
    expect(fewer.status).toBe(0);
    const fewerReport = JSON.parse(readFileSync(join(work, 'bad5', 'report.json'), 'utf8')) as { fairness: Record<string, { demographicParityRatio: number | null; tooFew: string[] }> };
    expect(typeof fewerReport.fairness['Body Mass (g)']!.demographicParityRatio).toBe('number');
  });

  it('millrace review: exit 0 when the policy passes, 3 with one line per failing check, 1 for bad input', () => {
    const out = join(work, 'to-review');
    expect(millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--epochs', '20', '--out', out).status).toBe(0);
    // No policy anywhere: every headline metric must beat a dummy fitted on the file.
    const passed = millrace('review', '--model', out, '--data', `${DATA}/penguins.json`);
    expect(passed.stderr).toBe('');
    expect(passed.status).toBe(0);
    expect(passed.stdout).toMatch(/^review passed: accuracy 0\.9\d+ on 344 rows of penguins\.json; 8 checks/);
    const policy = join(work, 'strict.json');
    writeFileSync(policy, JSON.stringify({ metrics: [{ metric: 'accuracy', threshold: 0.999 }, { metric: 'logLoss', threshold: 0.001 }, { metric: 'macroF1', threshold: 0.5 }], maxBytes: 64 }));
    // The model/ bundle folder is sealed by its manifest: the review's files go to --out.
    expect(millrace('review', '--model', join(out, 'model'), '--data', `${DATA}/penguins.json`).stderr).toMatch(/does not write into the bundle folder of .*model \(its manifest\.json seals its files, review\.json among them\): give --out DIR/);
    const reviewOut = join(work, 'strict-review');
    const failed = millrace('review', '--model', join(out, 'model'), '--data', `${DATA}/penguins.json`, '--policy', policy, '--out', reviewOut);
    expect(failed.status).toBe(3);
    expect(failed.stdout).toMatch(/^review failed: .*3 failing/);
    const lines = failed.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^millrace: review: accuracy 0\.9\d+ is below the threshold 0\.999$/);
    expect(lines[1]).toMatch(/^millrace: review: logLoss 0\.\d+ is above the threshold 0\.001$/);
    expect(lines[2]).toMatch(/^millrace: review: model size in bytes \d+ is above the limit 64$/);
    // The review's report lands in --out, as JSON and as HTML with every failing check.
    const reviewed = readFileSync(join(reviewOut, 'review.html'), 'utf8');
    expect(reviewed).toContain('<strong>Verdict: failed</strong> — 3 of');
    for (const line of lines) expect(reviewed).toContain(`<li>${line.replace('millrace: review: ', '')}</li>`);
    expect((JSON.parse(readFileSync(join(reviewOut, 'review.json'), 'utf8')) as { verdict: { failures: string[] } }).verdict.failures).toHaveLength(3);
    // A fairness floor by sex, on the positive class Gentoo: the verdict names the ratio and the floor.
    const fair = join(work, 'fair-floor.json');
    writeFileSync(fair, JSON.stringify({ fairness: [{ column: 'Sex', metric: 'demographicParityRatio', min: 0.999 }], positiveClass: 'Gentoo', sensitive: [{ column: 'Sex' }] }));
    const unfair = millrace('review', '--model', out, '--data', `${DATA}/penguins.json`, '--policy', fair);
    expect(unfair.status).toBe(3);
    expect(unfair.stderr).toMatch(/^millrace: review: demographicParityRatio on Sex 0\.\d+ is below the floor 0\.999$/m);
    const noTarget = millrace('review', '--model', out, '--data', `${DATA}/cars.json`);
    expect(noTarget.status).toBe(1);
    expect(noTarget.stderr).toContain('cars.json has no column "Species" (the target): a review needs the actual values');
    const noModel = millrace('review', '--model', work, '--data', `${DATA}/penguins.json`);
    expect(noModel.status).toBe(1);
    expect(noModel.stderr).toContain('holds no model.json');
  });

  it('report.json carries intervals, calibration, fairness by group and the verdict, consistent with test-predictions.csv', () => {
    const out = join(work, 'fair');
    const policy = join(work, 'fair-policy.json');
    writeFileSync(policy, JSON.stringify({ metrics: [{ metric: 'accuracy', threshold: 0.999 }], fairness: [{ column: 'Sex', metric: 'demographicParityRatio', min: 0.95 }] }));
    const result = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--epochs', '20', '--seed', '9', '--sensitive', 'Sex', '--positive-class', 'Gentoo', '--policy', policy, '--out', out);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    type Group = { group: string; n: number; selectionRate: number; tpr: number; fpr: number };
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      metrics: { accuracy: number };
      ci: Record<string, { estimate: number; low: number; high: number; resamples: number }>;
      calibration: { bins: unknown[]; ece: number };
      fairness: { Sex: { groups: Group[]; demographicParityRatio: number; demographicParityDifference: number; equalizedOddsDifference: number } };
      verdict: { passed: boolean; failures: string[] };
    };
    expect(report.ci.accuracy!.estimate).toBeCloseTo(report.metrics.accuracy, 12);
    expect(report.ci.accuracy!.resamples).toBe(1000);
    for (const interval of Object.values(report.ci)) if (interval.low !== null) expect(interval.low).toBeLessThanOrEqual(interval.high);
    expect(report.calibration.bins.length).toBeGreaterThan(0);
    // Permutation importance per source column: the beak and flipper measurements drive a species model.
    const importance = (report as unknown as { importance: { metric: string; repeats: number; columns: { column: string; mean: number; std: number }[] } }).importance;
    expect(importance).toMatchObject({ metric: 'accuracy', repeats: 5 });
    expect(importance.columns.map((c) => c.column).sort()).toEqual(['Beak Depth (mm)', 'Beak Length (mm)', 'Body Mass (g)', 'Flipper Length (mm)', 'Island', 'Sex']);
    expect(importance.columns[0]!.mean).toBeGreaterThan(0.05);
    expect(importance.columns.map((c) => c.mean)).toEqual([...importance.columns.map((c) => c.mean)].sort((a, b) => b - a));
    expect(report.calibration.ece).toBeGreaterThanOrEqual(0);
    // Selection rate of "Gentoo" per sex, recomputed from the predictions file and the input records.
    const records = JSON.parse(readFileSync(`${DATA}/penguins.json`, 'utf8')) as { Sex: string | null }[];
    const rows = readFileSync(join(out, 'test-predictions.csv'), 'utf8').trimEnd().split('\r\n').slice(1).map((line) => line.split(','));
    const groups = report.fairness.Sex.groups.filter((g) => !['(missing)'].includes(g.group));
    for (const group of groups) {
      const members = rows.filter((cells) => records[Number(cells[0])]!.Sex === group.group);
      expect(members.length).toBe(group.n);
      const selected = members.filter((cells) => cells[2] === 'Gentoo').length;
      expect(group.selectionRate).toBeCloseTo(selected / members.length, 12);
    }
    const rates = groups.filter((g) => g.n >= 30).map((g) => g.selectionRate);
    expect(report.fairness.Sex.demographicParityRatio).toBeCloseTo(Math.min(...rates) / Math.max(...rates), 12);
    expect(report.fairness.Sex.demographicParityDifference).toBeCloseTo(Math.max(...rates) - Math.min(...rates), 12);
    // The verdict lists every failing check; the run itself still succeeds (review gates a launch, not a run).
    expect(report.verdict.passed).toBe(false);
    const expected = [
      ...(report.metrics.accuracy < 0.999 ? [`accuracy ${Number(report.metrics.accuracy.toPrecision(4))} is below the threshold 0.999`] : []),
      ...(report.fairness.Sex.demographicParityRatio < 0.95
        ? [`demographicParityRatio on Sex ${Number(report.fairness.Sex.demographicParityRatio.toPrecision(4))} is below the floor 0.95`]
        : []),
    ];
    expect(expected.length).toBeGreaterThan(0);
    expect(report.verdict.failures).toEqual(expected);
    // evaluation.html beside evaluation.json: the same verdict, every failing check listed.
    const html = readFileSync(join(out, 'evaluation.html'), 'utf8');
    expect(html).toContain('<strong>Verdict: failed</strong>');
    for (const failure of expected) expect(html).toContain(`<li>${failure}</li>`);
  });
});
