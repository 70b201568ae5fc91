// Runs stored before pipeline specs: their training request becomes the spec they would have had.
import { describe, expect, it } from 'vitest';
import { specFromLegacyRequest } from '../../../../src/lib/pipeline/spec/build.ts';
import type { RecipeStep } from '../../../../src/lib/pipeline/recipe/types.ts';
import { specJson, parseSpec } from '../../../../src/lib/pipeline/spec/validate.ts';
import { minimalFilled } from './cases.ts';

describe('specFromLegacyRequest', () => {
  it('turns an MLP request with a grid search over models into the spec', () => {
    const spec = specFromLegacyRequest({
      target: 'Species',
      model: 'mlp',
      seed: 7,
      epochs: 50,
      hidden: [16],
      dropout: 0.1,
      search: { strategy: 'grid', space: { model: ['linear', 'mlp'], l2: [0] } },
    });
    const base = minimalFilled();
    expect(spec).toEqual({
      ...base,
      target: 'Species',
      split: { kind: 'auto', seed: 7, timeColumn: null, folds: null },
      model: {
        ...base.model,
        kind: 'mlp',
        epochs: 50,
        hidden: [16],
        dropout: 0.1,
        search: { strategy: 'grid', trials: null, minutes: null, space: { kind: ['linear', 'mlp'], l2: [0] } },
      },
    });
    // The spec is complete and written as any other.
    expect(parseSpec(specJson(spec))).toEqual(spec);
  });

  it("keeps a request's split, folds, task, class weights, feature set and recipe steps", () => {
    const steps: RecipeStep[] = [{ kind: 'replace', columns: ['Sex'], from: ['.'], to: null }, { kind: 'drop-missing', columns: ['Sex'] }];
    const featureSet = { name: 'w', version: 2, features: [{ name: 'date', column: 'date', transform: 'dateparts' as const, params: { parts: ['month' as const] } }] };
    const spec = specFromLegacyRequest(
      {
        target: 'weather',
        task: 'multiclass',
        model: 'linear',
        seed: 0,
        epochs: 30,
        learningRate: 0.03,
        earlyStopping: false,
        hidden: [64, 32],
        split: 'time',
        timeColumn: 'date',
        folds: 5,
        classWeights: 'balanced',
        featureSet,
        search: { strategy: 'random', trials: 6, minutes: 2, space: { learningRate: [0.01, 0.03], activation: ['relu', 'tanh'] } },
        backend: 'wasm',
        versionId: 3,
        runId: 'r-1',
      },
      steps,
    );
    expect(spec.task).toBe('multiclass');
    expect(spec.split).toEqual({ kind: 'time', seed: 0, timeColumn: 'date', folds: 5 });
    // A linear request's hidden layers were never used: the spec keeps the default.
    expect(spec.model).toMatchObject({ kind: 'linear', epochs: 30, learningRate: 0.03, earlyStopping: false, hidden: [32], classWeights: 'balanced' });
    expect(spec.model.search).toEqual({ strategy: 'random', trials: 6, minutes: 2, space: { learningRate: [0.01, 0.03], activation: ['relu', 'tanh'] } });
    expect(spec.features).toEqual(featureSet);
    expect(spec.check).toEqual({ recipe: { version: 1, steps }, rules: null, privacy: [] });
  });

  it("reads an unknown model as 'auto' and an empty layer list as the default", () => {
    const spec = specFromLegacyRequest({ target: 'y', model: 'auto', seed: 1, epochs: 5, hidden: [] });
    expect(spec.model).toMatchObject({ kind: 'auto', hidden: [32], epochs: 5 });
    expect(spec.check.recipe).toBeNull();
  });

  it('refuses a request the spec cannot hold, naming the JSON path', () => {
    expect(() => specFromLegacyRequest({ target: 'y', model: 'mlp', seed: 1, epochs: 5, dropout: 1 })).toThrow('model.dropout: 1 is not below 1');
  });
});
