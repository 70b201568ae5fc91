// The Train form's review in the training state: into the spec, back from a spec (Use pipeline…), and review-only columns kept out of the model.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeaturePlan } from '../../../src/lib/pipeline/types.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { resetApi, type FakeApi } from './fakes.ts';

const apis = vi.hoisted(() => ({ data: {} as FakeApi }));
vi.mock('../../../src/lib/workers-client/data-client.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/workers-client/data-client.ts')>();
  return { ...real, dataClient: () => new real.DataClient(apis.data as never) };
});

const { TrainingState } = await import('../../../src/lib/state/training.svelte.ts');

const plan = (target: string): FeaturePlan => ({ target, task: 'binary', features: ['Sex', 'Age', 'Plan'], dropped: [] });

async function ready() {
  const training = new TrainingState();
  apis.data.planFeatures = vi.fn(async (_versionId: number, target: string) => plan(target));
  training.useVersion(1, ['Sex', 'Age', 'Plan', 'Churned']);
  await training.setTarget('Churned');
  return training;
}

beforeEach(() => resetApi(apis.data));

describe('the review in the training state', () => {
  it('is null in the spec until something is set, then the form’s policy', async () => {
    const training = await ready();
    expect(training.spec().review).toBeNull();
    training.review.add('Sex');
    training.review.sensitive[0]!.reviewOnly = true;
    training.review.fairness[0]!.min = '0.8';
    expect(training.spec().review).toEqual({
      fairness: [{ column: 'Sex', metric: 'demographicParityRatio', min: 0.8 }],
      sensitive: [{ column: 'Sex', reviewOnly: true }],
    });
    training.review.limits.maxEce = 'low';
    expect(() => training.spec()).toThrow('Largest calibration error (ECE): "low" is not a number');
  });

  it('keeps a review-only column out of the plan and refuses a feature set that reads it', async () => {
    const training = await ready();
    training.review.add('Sex');
    expect(training.modelPlan?.features).toEqual(['Sex', 'Age', 'Plan']);
    training.review.sensitive[0]!.reviewOnly = true;
    expect(training.modelPlan?.features).toEqual(['Age', 'Plan']);
    expect(training.modelPlan?.dropped).toEqual([{ column: 'Sex', reason: 'is for review only (a sensitive column the model must not use)' }]);
    training.featureSet = { name: 'churn', version: 2, features: [{ name: 'sex', column: 'Sex', transform: 'onehot' }] };
    expect(() => training.spec()).toThrow('Feature set "churn" reads "Sex", which is for review only: remove its features or untick "For review only"');
  });

  it('fills the form from a spec’s review (Use pipeline…)', async () => {
    const training = await ready();
    const review = { sensitive: [{ column: 'Age', cuts: [25] }], metrics: [{ metric: 'rocAuc' as const, threshold: 0.7 }] };
    await training.applySpec(makeSpec({ target: 'Churned', task: 'binary', review }));
    expect(training.review.sensitive.map((s) => [s.column, s.mode, s.cuts])).toEqual([['Age', 'cuts', '25']]);
    expect(training.spec().review).toEqual(review);
  });
});
