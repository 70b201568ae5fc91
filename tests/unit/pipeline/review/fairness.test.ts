// Group metrics and disparities against reference values on the Palmer penguins (fixed rule-based predictions in
// fairness-reference/fairness.json). The reference script computes per-group rates with scikit-learn 1.2 and the
// disparities with Fairlearn's definitions written out in pandas (Fairlearn itself is not installable here: no PyPI),
// with the app's two documented choices (groups under 30 rows are not compared; an undefined TPR/FPR takes no part in
// its gap), and the bootstrap intervals with numpy's RandomState(seed).randint resamples and numpy.percentile.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getColumn } from '../../../../src/lib/pipeline/table.ts';
import type { StringColumn } from '../../../../src/lib/pipeline/types.ts';
import {
  checkFairnessRules,
  fairnessEvidence,
  fairnessReport,
  MIN_GROUP_ROWS,
  type ClassificationFairnessInput,
  type FairnessReport,
  type GroupMetrics,
} from '../../../../src/lib/pipeline/review/fairness.ts';
import { reviewVerdict } from '../../../../src/lib/pipeline/review/policy.ts';
import { groupsOf, type SensitiveGroups } from '../../../../src/lib/pipeline/review/sensitive.ts';
import { catchAppError, loadVega } from '../helpers.ts';

type Num = number | null;
interface RefInterval {
  estimate: Num;
  low: Num;
  high: Num;
  skipped: number;
}
interface BinaryCase {
  name: string;
  classes: string[];
  positive: string;
  seed: number;
  labels: number[];
  predicted: number[];
  groups: (Record<string, Num> & { group: string; tooFew: boolean })[];
  compared: string[];
  disparities: Record<'demographicParityRatio' | 'demographicParityDifference' | 'equalizedOddsDifference' | 'equalizedOddsRatio', RefInterval>;
  fourFifths: boolean;
  belowFourFifths: string[];
}
interface FairnessReference {
  binary: BinaryCase[];
  multiclass: { classes: string[]; labels: number[]; predicted: number[]; groups: (Record<string, Num> & { group: string; tooFew: boolean })[] };
  regression: { rows: number[]; actual: number[]; predicted: number[]; groups: (Record<string, Num> & { group: string; tooFew: boolean })[] };
}

const ref = JSON.parse(readFileSync(new URL('./fairness-reference/fairness.json', import.meta.url), 'utf8')) as FairnessReference;
const penguins = loadVega('penguins.json');
const TOL = 1e-12;

function close(actual: number | undefined, expected: Num, path: string): void {
  if (expected === null) {
    expect(actual, path).toBeNaN();
    return;
  }
  expect(typeof actual, path).toBe('number');
  if (!(Math.abs((actual as number) - expected) <= TOL)) expect.fail(`${path}: ${actual} is not within ${TOL} of ${expected}`);
}

/** Compares every metric the reference has for a group (the group names mapped to ours by position). */
function expectGroups(actual: GroupMetrics[], expected: FairnessReference['multiclass']['groups']): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((want, g) => {
    const got = actual[g] as GroupMetrics;
    expect(got.tooFew, `${got.group}.tooFew`).toBe(want.tooFew);
    for (const [key, value] of Object.entries(want)) {
      if (key === 'group' || key === 'tooFew') continue;
      close(got[key as keyof GroupMetrics] as number, value as Num, `${got.group}.${key}`);
    }
  });
}

// The case's groups, made by sensitive.ts from the penguin table.
const caseGroups: Record<string, () => SensitiveGroups> = {
  'sex-binary-default-positive': () => groupsOf(getColumn(penguins, 'Sex')),
  'island-binary-gentoo': () => groupsOf(getColumn(penguins, 'Island')),
  'mass-quartiles-multiclass-chinstrap': () => groupsOf(getColumn(penguins, 'Body Mass (g)'), { quantiles: 4 }),
};
const casePositive: Record<string, ClassificationFairnessInput['positive']> = {
  'sex-binary-default-positive': undefined, // the last class, "other"
  'island-binary-gentoo': 'Gentoo',
  'mass-quartiles-multiclass-chinstrap': 1,
};

describe.each(ref.binary.map((c) => [c.name, c] as const))('penguins: %s', (name, c) => {
  const groups = caseGroups[name]!();
  const report = fairnessReport(
    {
      task: c.classes.length === 2 ? 'binary' : 'multiclass',
      classes: c.classes,
      labels: Int32Array.from(c.labels),
      predicted: Int32Array.from(c.predicted),
      positive: casePositive[name],
      groups,
    },
    { seed: c.seed },
  );
  // Reference group names by position ("q0" is "≤ 3550").
  const ours = (theirs: string) => groups.labels[c.groups.findIndex((g) => g.group === theirs)];

  it('per-group rows, base rate, selection rate, TPR, FPR, precision, accuracy (and macro-F1) equal scikit-learn', () => {
    expect(report.positiveClass).toBe(c.positive);
    expectGroups(report.groups, c.groups);
    expect(report.groups.map((g) => g.missing)).toEqual(groups.labels.map((_, g) => g === groups.missingGroup));
  });

  it('compares the groups of 30 rows or more and marks the others', () => {
    expect(report.compared).toEqual(c.compared.map(ours));
    expect(report.tooFew).toEqual(c.groups.filter((g) => g.tooFew).map((g) => ours(g.group)));
  });

  it("disparities with their bootstrap intervals equal Fairlearn's definitions over numpy's resamples", () => {
    const d = report.disparities!;
    for (const [key, want] of Object.entries(c.disparities)) {
      const got = d[key as keyof typeof c.disparities];
      close(got.estimate, want.estimate, `${key}.estimate`);
      close(got.low, want.low, `${key}.low`);
      close(got.high, want.high, `${key}.high`);
      expect(got.skipped, `${key}.skipped`).toBe(want.skipped);
      expect(got.resamples).toBe(1000);
      expect(got.seed).toBe(c.seed);
    }
    expect(d.fourFifths).toBe(c.fourFifths);
    expect(d.belowFourFifths).toEqual(c.belowFourFifths.map(ours));
  });
});

describe('penguins: multiclass without a positive class', () => {
  const m = ref.multiclass;
  const report = fairnessReport({ task: 'multiclass', classes: m.classes, labels: Int32Array.from(m.labels), predicted: Int32Array.from(m.predicted), groups: groupsOf(getColumn(penguins, 'Sex')) });

  it('gives accuracy and macro-F1 per group (scikit-learn) and no disparities, saying why', () => {
    expectGroups(report.groups, m.groups);
    expect(report.groups[1]).not.toHaveProperty('selectionRate');
    expect(report.positiveClass).toBeNull();
    expect(report.disparities).toBeNull();
    expect(report.noDisparities).toContain('choose one');
  });

  it('refuses when disparities are required', () => {
    const error = catchAppError(() =>
      fairnessReport({ task: 'multiclass', classes: m.classes, labels: Int32Array.from(m.labels), predicted: Int32Array.from(m.predicted), groups: groupsOf(getColumn(penguins, 'Sex')) }, { requireDisparities: true }),
    );
    expect(error.message).toContain('on a multiclass target need a positive class');
  });
});

describe('penguins: regression', () => {
  const r = ref.regression;
  const input = {
    task: 'regression' as const,
    actual: Float64Array.from(r.actual),
    predicted: Float64Array.from(r.predicted),
    groups: groupsOf(getColumn(penguins, 'Sex'), {}, Int32Array.from(r.rows)),
    target: 'Body Mass (g)',
  };

  it('gives RMSE and mean error (actual − predicted) per group, and no disparities', () => {
    const report = fairnessReport(input);
    expectGroups(report.groups, r.groups);
    expect(report.compared).toEqual(['FEMALE', 'MALE']);
    expect(report.tooFew).toEqual(['.', '(missing)']);
    expect(report.disparities).toBeNull();
    expect(report.noDisparities).toContain('regression');
    expect(fairnessEvidence(report)).toEqual({});
  });

  it('refuses fairness disparities for a regression model, naming the target', () => {
    const error = catchAppError(() => fairnessReport(input, { requireDisparities: true }));
    expect(error.code).toBe('bad-argument');
    expect(error.message).toBe(
      'Fairness rules (here demographicParityRatio on "Sex") need a classifier\'s decisions, but "Body Mass (g)" is a regression target; the review gives RMSE and mean error per group instead',
    );
  });
});

// Hand cases: groups A and B of 4 rows each (minRows 2 for the hand counts), C of 1 row.
function category(name: string, values: string[]): StringColumn {
  const levels = [...new Set(values)];
  return { name, type: 'category', codes: Int32Array.from(values, (v) => levels.indexOf(v)), levels };
}

function hand(extra: { g: string; y: number; p: number }[] = [], options: Parameters<typeof fairnessReport>[1] = { minRows: 2 }): FairnessReport {
  const rows = [
    { g: 'A', y: 1, p: 1 },
    { g: 'A', y: 1, p: 0 },
    { g: 'A', y: 0, p: 1 },
    { g: 'A', y: 0, p: 0 },
    { g: 'B', y: 1, p: 1 },
    { g: 'B', y: 0, p: 1 },
    { g: 'B', y: 0, p: 1 },
    { g: 'B', y: 0, p: 0 },
    ...extra,
  ];
  return fairnessReport(
    {
      task: 'binary',
      classes: ['no', 'yes'],
      labels: Int32Array.from(rows, (r) => r.y),
      predicted: Int32Array.from(rows, (r) => r.p),
      groups: groupsOf(category('group', rows.map((r) => r.g))),
    },
    { resamples: 200, seed: 1, ...options },
  );
}

describe('hand cases', () => {
  it('counts the rates and disparities by hand', () => {
    const report = hand();
    expect(report.positiveClass).toBe('yes');
    expect(report.groups).toEqual([
      { group: 'A', n: 4, tooFew: false, missing: false, baseRate: 0.5, selectionRate: 0.5, tpr: 0.5, fpr: 0.5, precision: 0.5, accuracy: 0.5 },
      { group: 'B', n: 4, tooFew: false, missing: false, baseRate: 0.25, selectionRate: 0.75, tpr: 1, fpr: 2 / 3, precision: 1 / 3, accuracy: 0.5 },
    ]);
    const d = report.disparities!;
    expect(d.demographicParityRatio.estimate).toBeCloseTo(2 / 3, 15);
    expect(d.demographicParityDifference.estimate).toBe(0.25);
    expect(d.equalizedOddsDifference.estimate).toBe(0.5); // TPR gap 0.5, FPR gap 1/6
    expect(d.equalizedOddsRatio.estimate).toBe(0.5); // TPR ratio 0.5, FPR ratio 0.75
    expect(d.fourFifths).toBe(false);
    expect(d.belowFourFifths).toEqual(['A']);
    for (const key of ['demographicParityRatio', 'demographicParityDifference', 'equalizedOddsDifference', 'equalizedOddsRatio'] as const) {
      expect(d[key].low).toBeLessThanOrEqual(d[key].high);
      expect(d[key].resamples).toBe(200);
    }
    expect(fairnessEvidence(report)).toEqual({ demographicParityRatio: d.demographicParityRatio.estimate, demographicParityDifference: 0.25, equalizedOddsRatio: 0.5, equalizedOddsDifference: 0.5 });
  });

  it('marks a group with too few rows, lists its numbers, and leaves it out of the disparities', () => {
    const report = hand([{ g: 'C', y: 1, p: 0 }]);
    expect(report.tooFew).toEqual(['C']);
    expect(report.compared).toEqual(['A', 'B']);
    const c = report.groups[2]!;
    expect(c).toMatchObject({ group: 'C', n: 1, tooFew: true, selectionRate: 0, tpr: 0, accuracy: 0 });
    expect(c.fpr).toBeNaN(); // no negatives
    expect(c.precision).toBeNaN(); // nobody selected
    expect(report.disparities!.demographicParityRatio.estimate).toBeCloseTo(2 / 3, 15);
    expect(report.disparities!.equalizedOddsDifference.estimate).toBe(0.5);
  });

  it('leaves a group without positives out of the TPR gap (Fairlearn would count its TPR as 0)', () => {
    const rows = [
      ...Array.from({ length: 4 }, (_, i) => ({ g: 'A', y: i % 2, p: i < 2 ? 1 : 0 })),
      ...Array.from({ length: 4 }, (_, i) => ({ g: 'B', y: 0, p: i < 1 ? 1 : 0 })),
    ];
    const report = fairnessReport(
      { task: 'binary', classes: ['no', 'yes'], labels: Int32Array.from(rows, (r) => r.y), predicted: Int32Array.from(rows, (r) => r.p), groups: groupsOf(category('g', rows.map((r) => r.g))) },
      { minRows: 2, resamples: 50 },
    );
    expect(report.groups[1]!.tpr).toBeNaN();
    // FPR: A 1/2, B 1/4; TPR defined in A only.
    expect(report.disparities!.equalizedOddsDifference.estimate).toBe(0.25);
    expect(report.disparities!.equalizedOddsRatio.estimate).toBe(0.5);
  });

  it('a four-fifths ratio of exactly 0.8 passes; nobody selected leaves it undefined', () => {
    const rows = [
      ...Array.from({ length: 10 }, (_, i) => ({ g: 'A', y: i % 2, p: i < 5 ? 1 : 0 })),
      ...Array.from({ length: 10 }, (_, i) => ({ g: 'B', y: i % 2, p: i < 4 ? 1 : 0 })),
    ];
    const input = (p: (r: { p: number }) => number): ClassificationFairnessInput => ({
      task: 'binary',
      classes: ['no', 'yes'],
      labels: Int32Array.from(rows, (r) => r.y),
      predicted: Int32Array.from(rows, p),
      groups: groupsOf(category('g', rows.map((r) => r.g))),
    });
    const passed = fairnessReport(input((r) => r.p), { minRows: 10, resamples: 50 }).disparities!;
    expect(passed.demographicParityRatio.estimate).toBe(0.8);
    expect(passed.fourFifths).toBe(true);
    expect(passed.belowFourFifths).toEqual([]);
    const none = fairnessReport(input(() => 0), { minRows: 10, resamples: 50 }).disparities!;
    expect(none.demographicParityRatio.estimate).toBeNaN();
    expect(none.demographicParityDifference.estimate).toBe(0);
    expect(none.fourFifths).toBeNull();
    expect(none.demographicParityRatio.skipped).toBe(50);
  });

  it('leaves out rows whose actual class is missing, counting them', () => {
    const report = fairnessReport(
      { task: 'binary', classes: ['no', 'yes'], labels: Int32Array.of(1, 0, -1, 1, 0), predicted: Int32Array.of(1, 0, 1, 0, 0), groups: groupsOf(category('g', ['a', 'a', 'a', 'b', 'b'])) },
      { minRows: 2, resamples: 10 },
    );
    expect(report.excluded).toBe(1);
    expect(report.rows).toBe(5);
    expect(report.groups.map((g) => g.n)).toEqual([2, 2]);
  });

  it('feeds the review policy: a demographic-parity floor fails with the value', () => {
    const report = hand();
    const verdict = reviewVerdict(
      { fairness: [{ column: 'group', metric: 'demographicParityRatio', min: 0.8 }] },
      { metrics: {}, baseline: {}, fairness: { group: fairnessEvidence(report) } },
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.failures).toEqual(['demographicParityRatio on group 0.6667 is below the floor 0.8']);
  });

  it(`defaults to ${MIN_GROUP_ROWS} rows per compared group: smaller groups are marked and the report says why it has no disparities`, () => {
    const report = hand([], {});
    expect(report.disparities).toBeNull();
    expect(report.tooFew).toEqual(['A', 'B']);
    expect(report.groups.map((g) => g.tooFew)).toEqual([true, true]);
    expect(report.noDisparities).toBe('Too few rows to compare the groups of "group": a group needs at least 30 rows and every group has fewer (rows per group: A 4, B 4)');
    // Required (a fairness rule names the column), too few rows is refused.
    const error = catchAppError(() => hand([], { requireDisparities: true }));
    expect(error.code).toBe('too-few-rows');
    expect(error.message).toBe('Too few rows to compare the groups of "group": a group needs at least 30 rows and every group has fewer (rows per group: A 4, B 4)');
  });
});

describe('refusals name the bad input', () => {
  const groups = groupsOf(category('Sex', ['F', 'F', 'F', 'M', 'M', 'M']));
  const base: ClassificationFairnessInput = { task: 'binary', classes: ['no', 'yes'], labels: Int32Array.of(0, 1, 0, 1, 0, 1), predicted: Int32Array.of(0, 1, 1, 1, 0, 0), groups };
  const small = { minRows: 3, resamples: 10 };

  it('works on the base input', () => {
    expect(fairnessReport(base, small).compared).toEqual(['F', 'M']);
  });

  it.each<[string, Partial<ClassificationFairnessInput>, object, string, string]>([
    ['a group of 3 rows when only one group is large enough', { groups: groupsOf(category('Sex', ['F', 'F', 'F', 'F', 'M', 'M'])) }, { minRows: 4, requireDisparities: true }, 'too-few-rows', 'a group needs at least 4 rows and only F has that many (rows per group: F 4, M 2)'],
    ['every group too small', {}, { minRows: 4, requireDisparities: true }, 'too-few-rows', 'every group has fewer (rows per group: F 3, M 3)'],
    ['predictions of another length', { predicted: Int32Array.of(0, 1) }, small, 'bad-argument', 'Got 2 predictions for 6 rows'],
    ['groups of another length', { groups: groupsOf(category('Sex', ['F', 'M'])) }, small, 'bad-argument', 'The sensitive column "Sex" has 2 rows, but 6 were evaluated'],
    ['no rows', { labels: new Int32Array(0), predicted: new Int32Array(0), groups: { ...groups, codes: new Int32Array(0) } }, small, 'bad-argument', 'There are no rows to evaluate'],
    ['a prediction outside the classes', { predicted: Int32Array.of(0, 1, 2, 1, 0, 0) }, small, 'bad-argument', 'The predicted class 2 in row 3 is not a class index from 0 to 1'],
    ['an unknown positive class', { positive: 'maybe' }, small, 'bad-argument', 'The positive class "maybe" is not one of the classes "no", "yes"'],
    ['a positive index out of range', { positive: 2 }, small, 'bad-argument', 'The positive class must be a class index from 0 to 1, got 2'],
    ['a binary task with three classes', { classes: ['a', 'b', 'c'] }, small, 'bad-argument', 'A binary target needs two classes, got 3'],
    ['every actual class missing', { labels: Int32Array.of(-1, -1, -1, -1, -1, -1) }, small, 'bad-argument', 'No evaluated row has a known actual class'],
    ['minRows 0', {}, { minRows: 0 }, 'bad-argument', 'The fewest rows per group must be a whole number of at least 1, got 0'],
    ['a bad bootstrap level', {}, { minRows: 3, level: 2 }, 'bad-argument', "level must be between 0 and 1"],
  ])('%s', (_, change, options, code, message) => {
    const error = catchAppError(() => fairnessReport({ ...base, ...change }, options));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('a regression with an actual value that is not finite', () => {
    const error = catchAppError(() =>
      fairnessReport({ task: 'regression', actual: Float64Array.of(1, NaN, 3, 4, 5, 6), predicted: new Float64Array(6), groups }, small),
    );
    expect(error.message).toBe('The actual value NaN in row 2 is not a finite number');
    expect(error.place.row).toBe(2);
  });

  it('checkFairnessRules refuses rules on a regression model and on multiclass without a positive class', () => {
    const rules = [{ column: 'Sex', metric: 'equalizedOddsDifference' as const }];
    expect(() => checkFairnessRules(rules, 'binary')).not.toThrow();
    expect(() => checkFairnessRules([], 'regression')).not.toThrow();
    expect(() => checkFairnessRules(rules, 'multiclass', { positiveClass: 'Gentoo' })).not.toThrow();
    expect(catchAppError(() => checkFairnessRules(rules, 'regression', { target: 'price' })).message).toBe(
      'Fairness rules (here equalizedOddsDifference on "Sex") need a classifier\'s decisions, but "price" is a regression target; the review gives RMSE and mean error per group instead',
    );
    expect(catchAppError(() => checkFairnessRules(rules, 'multiclass')).place.column).toBe('Sex');
  });
});
