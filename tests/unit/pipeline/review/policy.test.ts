// The review policy in the spec and its verdict: MLflow's MetricThreshold semantics, fairness floors, calibration, size and latency; every failing check listed at once.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { makeSpec } from '../../../../src/lib/pipeline/spec/build.ts';
import { compareSpec } from '../../../../src/lib/pipeline/spec/diff.ts';
import { reviewVerdict, type ReviewPolicy } from '../../../../src/lib/pipeline/review/policy.ts';
import { parseFile } from '../../../../src/lib/pipeline/parse.ts';
import { chooseBackend } from '../../../../src/lib/ml/backend-node.ts';
import { runPipeline } from '../../../../src/lib/ml/run.ts';

/** The policy file of the issue, as the CLI and the spec take it. */
const ISSUE_POLICY: ReviewPolicy = {
  metrics: [{ metric: 'rocAuc', threshold: 0.7, minAbsoluteChange: 0.01, minRelativeChange: 0.02, greaterIsBetter: true }],
  fairness: [{ column: 'Sex', metric: 'demographicParityRatio', min: 0.8 }],
  maxEce: 0.1,
  maxBytes: 5000000,
  maxMsPer1000Rows: 50,
};

describe('the review policy in the spec', () => {
  it('takes the policy file of the issue as it is', () => {
    const spec = makeSpec({ target: 'Species', review: ISSUE_POLICY });
    expect(spec.review).toEqual(ISSUE_POLICY);
    expect(makeSpec({ target: 'Species' }).review).toBeNull();
  });

  it('refuses a bad policy, naming the JSON path', () => {
    const bad = (review: unknown, message: string) => expect(() => makeSpec({ target: 'Species', review: review as ReviewPolicy })).toThrow(message);
    bad({ metrics: [{ metric: 'auc', threshold: 0.7 }] }, 'review.metrics[0].metric: "auc" is not one of accuracy, balancedAccuracy');
    bad({ metrics: [{ threshold: 0.7 }] }, 'review.metrics[0].metric: is missing');
    bad({ threshold: 1.5 }, 'review.threshold: 1.5 is above 1');
    bad({ threshold: -0.1 }, 'review.threshold: -0.1 is below 0');
    bad({ maxEce: 2 }, 'review.maxEce: 2 is above 1');
    bad({ maxBytes: 0 }, 'review.maxBytes: 0 is below 1');
    bad({ fairness: [{ column: 'Sex', metric: 'parity' }] }, 'review.fairness[0].metric: "parity" is not one of demographicParityRatio');
    bad({ fairness: [{ column: 'Sex', metric: 'demographicParityRatio', min: 0.9, max: 0.8 }] }, 'review.fairness[0]: min 0.9 is above max 0.8');
    bad({ sensitive: [{ column: 'age', cuts: [25], quantiles: 4 }] }, 'review.sensitive[0]: gives both cuts and quantiles; choose one');
    bad({ sensitive: [{ column: 'age', cuts: [40, 25] }] }, 'review.sensitive[0].cuts: must increase');
    bad({ sensitive: [{ column: 'Species' }] }, 'review.sensitive[0].column: "Species" is the target');
    bad({ sensitive: [{ column: 'Sex', quantiles: 1 }] }, 'review.sensitive[0].quantiles: 1 is below 2');
    bad({ colour: 'red' }, 'review.colour: unknown field');
  });

  it('names a column the policy reads that the data lacks', () => {
    const spec = makeSpec({ target: 'Species', review: { ...ISSUE_POLICY, sensitive: [{ column: 'Age', cuts: [25] }] } });
    const differences = compareSpec(spec, {
      columns: [{ name: 'Species', type: 'category' }, { name: 'Sex', type: 'category' }],
      datasetName: 'penguins',
      version: 1,
      sha256: '0'.repeat(64),
      check: { recipe: null, rules: null, privacy: [] },
    });
    expect(differences.filter((d) => d.blocking).map((d) => d.message)).toEqual(['The data has no column "Age", which a sensitive column of the review needs']);
  });
});

describe('reviewVerdict', () => {
  const candidate = { rocAuc: 0.68, accuracy: 0.81, logLoss: 0.45 };
  const baseline = { rocAuc: 0.5, accuracy: 0.6, logLoss: 0.67 };

  it('without a policy: every headline metric must beat the dummy baseline, strictly', () => {
    expect(reviewVerdict(null, { metrics: candidate, baseline }).passed).toBe(true);
    const tie = reviewVerdict(null, { metrics: { ...candidate, accuracy: 0.6 }, baseline });
    expect(tie.passed).toBe(false);
    expect(tie.failures).toEqual(['accuracy 0.6 is not better than the dummy baseline\'s 0.6']);
    // Log loss is better when lower.
    const worse = reviewVerdict(null, { metrics: { ...candidate, logLoss: 0.7 }, baseline });
    expect(worse.failures).toEqual(['logLoss 0.7 is not better than the dummy baseline\'s 0.67']);
  });

  it('lists every failing check of the issue policy at once, each with its value and limit', () => {
    const verdict = reviewVerdict(ISSUE_POLICY, {
      metrics: candidate,
      baseline,
      champion: { rocAuc: 0.675 },
      fairness: { Sex: { demographicParityRatio: 0.72 } },
      ece: 0.12,
      bytes: 6_000_000,
      msPer1000Rows: 12,
    });
    expect(verdict.passed).toBe(false);
    expect(verdict.failures).toEqual([
      'rocAuc 0.68 is below the threshold 0.7',
      'rocAuc change over the champion (0.675) 0.005 is below the least change 0.01',
      'rocAuc relative change over the champion 0.007407 is below the least relative change 0.02',
      'demographicParityRatio on Sex 0.72 is below the floor 0.8',
      'expected calibration error 0.12 is above the ceiling 0.1',
      'model size in bytes 6000000 is above the limit 5000000',
    ]);
    expect(verdict.checks.find((c) => c.check === 'scoring latency')).toMatchObject({ passed: true, value: 12, limit: 50 });
  });

  it('passes a candidate that meets every check, and says when there is no champion to compare with', () => {
    const verdict = reviewVerdict(ISSUE_POLICY, {
      metrics: { rocAuc: 0.9 },
      baseline,
      fairness: { Sex: { demographicParityRatio: 0.95 } },
      ece: 0.03,
      bytes: 10_000,
      msPer1000Rows: 3,
    });
    expect(verdict.passed).toBe(true);
    expect(verdict.checks.map((c) => c.message)).toContain('no champion: rocAuc is not compared with one');
  });

  it('fails a check whose metric the model does not have, saying so', () => {
    const verdict = reviewVerdict({ metrics: [{ metric: 'rmse', threshold: 3 }] }, { metrics: candidate, baseline });
    expect(verdict.failures).toEqual(['rmse is not available for this model, so the threshold 3 cannot be checked']);
  });

  it('lower-is-better metrics: a threshold is a ceiling, a change is a decrease', () => {
    const verdict = reviewVerdict({ metrics: [{ metric: 'rmse', threshold: 3, minAbsoluteChange: 0.5 }] }, { metrics: { rmse: 3.2 }, baseline: { rmse: 7 }, champion: { rmse: 3.5 } });
    expect(verdict.failures).toEqual(['rmse 3.2 is above the threshold 3', 'rmse change over the champion (3.5) 0.3 is below the least change 0.5']);
  });
});

describe('a sensitive column kept for review only', () => {
  it('is not a model input: the automatic plan drops it with the reason, a feature set reading it is refused', async () => {
    await chooseBackend('cpu');
    const table = parseFile(readFileSync('node_modules/vega-datasets/data/penguins.json'), 'penguins.json');
    const review: ReviewPolicy = { sensitive: [{ column: 'Sex', reviewOnly: true }] };
    const run = await runPipeline(table, makeSpec({ target: 'Species', model: { epochs: 2 }, review }));
    run.model.dispose();
    expect(run.plan.features).not.toContain('Sex');
    expect(run.plan.dropped).toContainEqual({ column: 'Sex', reason: 'is for review only (a sensitive column the model must not use)' });
    expect(run.bundle.featureNames.some((name) => name.startsWith('Sex'))).toBe(false);
    const features = { name: 'with sex', version: 1, features: [{ name: 'Sex', column: 'Sex', transform: 'onehot' as const }] };
    await expect(runPipeline(table, makeSpec({ target: 'Species', model: { epochs: 2 }, review, features }))).rejects.toThrow('Feature set "with sex" reads "Sex", which the review policy keeps for review only');
  });
});
