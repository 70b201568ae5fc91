// The Train form's review: sensitive columns, positive class and policy fields into the spec's `review`, each bad input named, and the policy file round trip.
import { describe, expect, it } from 'vitest';
import { ReviewOptions } from '../../../src/lib/state/review-options.svelte.ts';
import { planWithoutReviewOnly, policyWords, suggestionText } from '../../../src/lib/state/review-words.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import type { ColumnProfile, DatasetProfile } from '../../../src/lib/pipeline/types.ts';

const col = (name: string, type: ColumnProfile['type'], extra: Partial<ColumnProfile> = {}): ColumnProfile => ({ name, type, missing: 0, distinct: 2, idLike: false, constant: false, ...extra });
const top = (...values: string[]) => values.map((value) => ({ value, count: 10 }));

const profile: DatasetProfile = {
  rows: 500,
  columns: [
    col('Sex', 'category', { topValues: top('MALE', 'FEMALE') }),
    col('Age', 'integer', { distinct: 60, min: 18, max: 90 }),
    col('Gender identity', 'category', { topValues: top('F', 'M') }),
    col('Income', 'number', { distinct: 480, min: 0, max: 1e5 }),
    col('Plan', 'category', { distinct: 3, topValues: top('basic', 'plus', 'pro') }),
    col('Churned', 'category', { topValues: top('yes', 'no') }),
    col('Species', 'category', { distinct: 3, topValues: top('Gentoo', 'Adelie', 'Chinstrap') }),
    col('Spend', 'number', { distinct: 400, min: 0, max: 900 }),
  ],
};

function options(): ReviewOptions {
  const review = new ReviewOptions();
  review.useProfile(profile);
  return review;
}
const binary = { target: 'Churned', task: 'binary' } as const;

describe('sensitive columns', () => {
  it('suggests candidates from names and values, leaving out the target, and never adds one by itself', () => {
    const review = options();
    const shown = review.suggestions('Churned').map(suggestionText);
    expect(shown).toEqual(['Sex (sex or gender: name)', 'Age (age: name)', 'Gender identity (sex or gender: name)']);
    expect(review.sensitive).toEqual([]);
    expect(review.policy(binary)).toBeNull();
    expect(review.suggestions('Sex').map((s) => s.column)).not.toContain('Sex');
    review.add('Sex');
    expect(review.suggestions('Churned').map((s) => s.column)).toEqual(['Age', 'Gender identity']);
    expect(review.choices('Churned')).not.toContain('Sex');
    expect(review.choices('Churned')).not.toContain('Churned');
  });

  it('groups categories as they are, numbers with many values in 4 quantile groups, cut points as typed', () => {
    const review = options();
    review.add('Sex');
    review.add('Age');
    expect(review.sensitive.map((s) => s.mode)).toEqual(['categories', 'quantiles']);
    expect(review.policy(binary)).toEqual({ sensitive: [{ column: 'Sex' }, { column: 'Age', quantiles: 4 }] });
    review.sensitive[1]!.mode = 'cuts';
    review.sensitive[1]!.cuts = '25, 60';
    review.sensitive[0]!.reviewOnly = true;
    expect(review.policy(binary)?.sensitive).toEqual([{ column: 'Sex', reviewOnly: true }, { column: 'Age', cuts: [25, 60] }]);
    expect(review.reviewOnly).toEqual(['Sex']);
    expect(review.canCut('Sex')).toBe(false);
    expect(review.canCut('Age')).toBe(true);
    review.remove('Sex');
    expect(review.sensitive.map((s) => s.column)).toEqual(['Age']);
    expect(review.fairness.map((f) => f.column)).toEqual(['Age']);
  });

  it('names the bad grouping', () => {
    const review = options();
    review.add('Age');
    const age = review.sensitive[0]!;
    age.mode = 'cuts';
    age.cuts = '25, 6O';
    expect(() => review.policy(binary)).toThrow('Cut points for "Age": "6O" is not a number');
    age.cuts = ' , ';
    expect(() => review.policy(binary)).toThrow('Cut points for "Age": give at least one number, e.g. 25, 60');
    age.cuts = '60, 25';
    expect(() => review.policy(binary)).toThrow('Cut points for "Age": 60 then 25; each must be above the one before');
    age.mode = 'quantiles';
    for (const [q, shown] of [[1, '1'], [21, '21'], [2.5, '2.5'], [null, 'empty']] as const) {
      age.quantiles = q;
      expect(() => review.policy(binary)).toThrow(`Quantile groups for "Age": ${shown} is not a whole number from 2 to 20`);
    }
    age.mode = 'categories';
    expect(() => review.policy(binary)).toThrow('Sensitive column "Age" has 60 distinct values, more than 20 groups: group it by cut points or quantile groups');
    expect(() => review.policy({ target: 'Age', task: 'regression' })).toThrow('"Age" is the target; it cannot be a sensitive column too');
  });

  it('refuses a column the data lacks, naming it', () => {
    const review = options();
    review.add('Nationality');
    expect(() => review.policy(binary)).toThrow(/^The data has no column "Nationality", which a sensitive column of the review names/);
  });
});

describe('positive class', () => {
  it('defaults to the last label in sorted order and is written only when another is chosen', () => {
    const review = options();
    expect(review.classes('Churned')).toEqual(['no', 'yes']);
    expect(review.defaultPositive('Churned')).toBe('yes');
    review.positiveClass = 'yes';
    expect(review.policy(binary)).toBeNull();
    review.positiveClass = 'no';
    expect(review.policy(binary)).toEqual({ positiveClass: 'no' });
    review.positiveClass = 'maybe';
    expect(() => review.policy(binary)).toThrow('Positive class: "maybe" is not one of the classes "no", "yes"');
  });
});

describe('policy fields', () => {
  it('turns the fields into rules and says them in words', () => {
    const review = options();
    review.addMetric('rocAuc');
    review.metrics[0]!.threshold = '0.7';
    review.metrics[0]!.minGainOverBaseline = '0.05';
    review.addMetric('logLoss');
    review.metrics[1]!.minRelativeChange = '0.02';
    review.add('Sex');
    review.fairness[0]!.min = '0.8';
    review.limits.maxEce = '0.1';
    review.limits.maxBytes = '5e6';
    review.limits.maxMsPer1000Rows = '50';
    const policy = review.policy(binary);
    expect(policy).toEqual({
      metrics: [
        { metric: 'rocAuc', threshold: 0.7, minGainOverBaseline: 0.05 },
        { metric: 'logLoss', minRelativeChange: 0.02 },
      ],
      fairness: [{ column: 'Sex', metric: 'demographicParityRatio', min: 0.8 }],
      maxEce: 0.1,
      maxBytes: 5000000,
      maxMsPer1000Rows: 50,
      sensitive: [{ column: 'Sex' }],
    });
    expect(policyWords(policy)).toBe(
      "ROC AUC ≥ 0.7; ROC AUC at least 0.05 above the dummy's; Log loss at least 2% below the champion's; demographic-parity ratio on Sex ≥ 0.8; calibration error (ECE) ≤ 0.1; model ≤ 5,000,000 bytes; scoring ≤ 50 ms per 1,000 rows",
    );
    expect(policyWords(null)).toBe("Every headline metric better than the dummy's");
    expect(makeSpec({ target: 'Churned', review: policy }).review).toEqual(policy);
  });

  it('names each bad field', () => {
    const cases: [string, (r: ReviewOptions) => void, string, { target: string; task: 'binary' | 'multiclass' | 'regression' }?][] = [
      ['threshold', (r) => (r.addMetric('rocAuc'), (r.metrics[0]!.threshold = 'high')), 'Threshold for ROC AUC: "high" is not a number'],
      ['empty rule', (r) => r.addMetric('accuracy'), 'The rule on Accuracy sets nothing: fill in at least one of its fields, or remove it'],
      ['metric of another task', (r) => (r.addMetric('rmse'), (r.metrics[0]!.threshold = '3')), 'The rule on RMSE: a binary model has no RMSE; choose one of Accuracy, Balanced accuracy, Macro F1, Weighted F1, ROC AUC, Average precision, Log loss, Brier score'],
      ['ECE not a number', (r) => (r.limits.maxEce = '10%'), 'Largest calibration error (ECE): "10%" is not a number'],
      ['ECE above 1', (r) => (r.limits.maxEce = '1.5'), 'Largest calibration error (ECE): 1.5 is not between 0 and 1'],
      ['ECE for regression', (r) => (r.limits.maxEce = '0.1'), 'Largest calibration error (ECE): a regression model has no calibration error; clear the field', { target: 'Spend', task: 'regression' }],
      ['bytes', (r) => (r.limits.maxBytes = '2.5'), 'Largest model (bytes): 2.5 is not a whole number of at least 1'],
      ['latency', (r) => (r.limits.maxMsPer1000Rows = '0'), 'Slowest scoring (ms per 1,000 rows): 0 is not above 0'],
      ['fairness bound', (r) => (r.add('Sex'), (r.fairness[0]!.min = 'x')), 'Minimum demographic-parity ratio on "Sex": "x" is not a number'],
      ['fairness min above max', (r) => (r.add('Sex'), (r.fairness[0]!.min = '0.9'), (r.fairness[0]!.max = '0.5')), 'Minimum demographic-parity ratio on "Sex" (0.9) is above its maximum (0.5)'],
      [
        'fairness on a column not chosen',
        (r) => r.fairness.push({ column: 'Plan', metric: 'equalizedOddsRatio', min: '0.8', max: '' }),
        'The fairness rule on "Plan" names a column that is not chosen as sensitive; add "Plan" under Sensitive columns',
      ],
      [
        'fairness on a regression target',
        (r) => (r.add('Sex'), (r.fairness[0]!.min = '0.8')),
        'Fairness rules (here demographicParityRatio on "Sex") need a classifier\'s decisions, but "Spend" is a regression target; the review gives RMSE and mean error per group instead',
        { target: 'Spend', task: 'regression' },
      ],
      [
        'fairness on a multiclass target without a positive class',
        (r) => (r.add('Sex'), (r.fairness[0]!.min = '0.8')),
        'Fairness rules (here demographicParityRatio on "Sex") on a multiclass target need a positive class: the rates compare who gets one class against the rest',
        { target: 'Species', task: 'multiclass' },
      ],
    ];
    for (const [what, set, message, context] of cases) {
      const review = options();
      set(review);
      expect(() => review.policy(context ?? binary), what).toThrow(message);
    }
  });

  it('keeps an empty fairness field out of the policy, and a multiclass positive class in it', () => {
    const review = options();
    review.add('Sex');
    review.positiveClass = 'Gentoo';
    review.fairness[0]!.min = '0.8';
    expect(review.policy({ target: 'Species', task: 'multiclass' })).toEqual({
      fairness: [{ column: 'Sex', metric: 'demographicParityRatio', min: 0.8 }],
      sensitive: [{ column: 'Sex' }],
      positiveClass: 'Gentoo',
    });
    review.fairness[0]!.min = '';
    expect(review.policy({ target: 'Species', task: 'multiclass' })).toEqual({ sensitive: [{ column: 'Sex' }], positiveClass: 'Gentoo' });
  });
});

describe('policy files and specs', () => {
  const file = {
    metrics: [{ metric: 'rocAuc', threshold: 0.7, minAbsoluteChange: 0.01 }],
    fairness: [{ column: 'Sex', metric: 'demographicParityRatio', min: 0.8 }],
    maxEce: 0.1,
    maxBytes: 5000000,
    maxMsPer1000Rows: 50,
  };

  it("reads the CLI's policy file into the fields, adding a fairness rule's column as sensitive, saying so", () => {
    const review = options();
    review.loadFile('policy.json', JSON.stringify(file), 'Churned');
    expect(review.fileError).toBeNull();
    expect(review.notice).toBe('Loaded policy.json; "Sex" added as sensitive column: the policy\'s fairness rules name it');
    expect(review.isSet).toBe(true);
    expect(review.policy(binary)).toEqual({ ...file, sensitive: [{ column: 'Sex' }] });
  });

  it('gives the same policy back after writing it as JSON and reading it again', () => {
    const review = options();
    const full = {
      ...file,
      metrics: [...file.metrics, { metric: 'logLoss', minRelativeChange: 0.05, greaterIsBetter: false }],
      fairness: [...file.fairness, { column: 'Age', metric: 'equalizedOddsDifference', max: 0.1 }],
      sensitive: [{ column: 'Sex', reviewOnly: true }, { column: 'Age', cuts: [25, 60] }, { column: 'Income', quantiles: 5 }],
      positiveClass: 'no',
      threshold: 0.4,
    };
    review.loadFile('full.json', JSON.stringify(full), 'Churned');
    const policy = review.policy(binary);
    expect(policy).toEqual(full);
    const again = options();
    again.loadFile('again.json', JSON.stringify(policy), 'Churned');
    expect(again.policy(binary)).toEqual(full);
    // Use pipeline…: a spec's review into the form and back.
    const spec = makeSpec({ target: 'Churned', review: policy });
    const loaded = options();
    loaded.load(spec.review);
    expect(loaded.policy(binary)).toEqual(full);
    loaded.load(null);
    expect(loaded.isSet).toBe(false);
    expect(loaded.policy(binary)).toBeNull();
  });

  it('keeps the chosen columns (for review only) when a policy file names no sensitive columns, as the CLI\'s --policy does', () => {
    const review = options();
    review.add('Sex');
    review.sensitive[0]!.reviewOnly = true;
    review.loadFile('policy.json', JSON.stringify({ fairness: [{ column: 'Sex', metric: 'demographicParityRatio', min: 0.8 }], maxBytes: 32 }), 'Churned');
    expect(review.fileError).toBeNull();
    expect(review.notice).toBe('Loaded policy.json');
    expect(review.policy(binary)).toEqual({
      fairness: [{ column: 'Sex', metric: 'demographicParityRatio', min: 0.8 }],
      maxBytes: 32,
      sensitive: [{ column: 'Sex', reviewOnly: true }],
    });
    // A file that names its sensitive columns replaces the chosen ones.
    review.loadFile('other.json', JSON.stringify({ sensitive: [{ column: 'Age', cuts: [25] }] }), 'Churned');
    expect(review.policy(binary)?.sensitive).toEqual([{ column: 'Age', cuts: [25] }]);
  });

  it('writes out the default bound of a fairness rule that gives none', () => {
    const review = options();
    review.loadFile('p.json', JSON.stringify({ sensitive: [{ column: 'Sex' }], fairness: [{ column: 'Sex', metric: 'equalizedOddsDifference' }] }), 'Churned');
    expect(review.policy(binary)?.fairness).toEqual([{ column: 'Sex', metric: 'equalizedOddsDifference', max: 0.2 }]);
  });

  it('refuses a bad file, naming the JSON path, and leaves the form as it was', () => {
    const review = options();
    review.add('Sex');
    const refused = (text: string) => {
      review.loadFile('policy.json', text, 'Churned');
      return review.fileError;
    };
    expect(refused('{"metrics": [{"metric": "rocAuc", "threshold": "high"}]}')).toBe('The review policy file policy.json: metrics[0].threshold: "high" is not a number');
    expect(refused('{"maxEce": 1.5}')).toBe('The review policy file policy.json: maxEce: 1.5 is above 1');
    expect(refused('{"fairness": [{"column": "Sex", "metric": "parity"}]}')).toMatch(/^The review policy file policy\.json: fairness\[0\]\.metric: "parity" is not one of /);
    expect(refused('{"maxBytes": 5, "maxKB": 3}')).toMatch(/^The review policy file policy\.json: maxKB: unknown field/);
    expect(refused('{"sensitive": [{"column": "Age", "cuts": [60, 25]}]}')).toBe('The review policy file policy.json: sensitive[0].cuts: must increase');
    expect(refused('[1]')).toBe('The review policy file policy.json: the policy: [1] is not an object or null');
    expect(refused('{"metrics": [')).toMatch(/^The review policy file policy\.json is not valid JSON: /);
    expect(review.sensitive.map((s) => s.column)).toEqual(['Sex']);
  });
});

describe('the plan the model gets', () => {
  it('drops review-only columns from the features, saying why', () => {
    const plan = { target: 'Churned', task: 'binary' as const, features: ['Sex', 'Age', 'Plan'], dropped: [{ column: 'id', reason: 'is an identifier' }] };
    expect(planWithoutReviewOnly(plan, [])).toBe(plan);
    expect(planWithoutReviewOnly(plan, ['Sex'])).toEqual({
      ...plan,
      features: ['Age', 'Plan'],
      dropped: [...plan.dropped, { column: 'Sex', reason: 'is for review only (a sensitive column the model must not use)' }],
    });
  });
});
