// Models in people's words: trees with their rounds and leaves, networks with their epochs, and how a prediction was explained.
import { describe, expect, it } from 'vitest';
import { attributionBasis, modelWords, paramsLine, stepUnit, steps } from '../../../src/lib/state/model-words.ts';
import { stoppedAt } from '../../../src/lib/state/resumable.svelte.ts';
import { defaultHyperParams } from '../../../src/lib/pipeline/spec/hyperparams.ts';

const params = (extra: Partial<ReturnType<typeof defaultHyperParams>>) => ({ ...defaultHyperParams(), ...extra });

describe('model words', () => {
  it('names trees by rounds and leaves, networks by their layers', () => {
    expect(modelWords(params({ kind: 'gbdt' }))).toBe('gradient-boosted trees (100 rounds, 31 leaves)');
    expect(modelWords(params({ kind: 'gbdt', rounds: 1, leaves: 2 }))).toBe('gradient-boosted trees (1 round, 2 leaves)');
    expect(modelWords(params({ kind: 'mlp', hidden: [64, 32] }))).toBe('MLP (64-32)');
    expect(modelWords(params({ kind: 'linear' }))).toBe('linear model');
    expect(modelWords(params({ kind: 'auto' }))).toBe('automatic model');
  });

  it('lists what each model was trained with, never a network knob for trees', () => {
    expect(paramsLine(params({ kind: 'gbdt', l2: 0.001 }))).toBe('gradient-boosted trees (100 rounds, 31 leaves) · tree lr 0.1 · L2 0.001');
    expect(paramsLine(params({ kind: 'gbdt' }))).toBe('gradient-boosted trees (100 rounds, 31 leaves) · tree lr 0.1');
    expect(paramsLine(params({ kind: 'mlp', hidden: [32], dropout: 0.1 }))).toBe('MLP (32) · lr 0.01 · dropout 0.1 · 100 epochs');
    expect(paramsLine(params({ kind: 'mlp', hidden: [16] }), true)).toBe('MLP (16) · lr 0.01 · relu · L2 0 · dropout 0');
    expect(paramsLine(params({ kind: 'linear', epochs: 1 }))).toBe('linear model · lr 0.01 · 1 epoch');
  });

  it('counts rounds for trees and epochs otherwise, also where a run stopped', () => {
    expect([stepUnit('gbdt'), stepUnit('mlp'), stepUnit(undefined)]).toEqual(['round', 'epoch', 'epoch']);
    expect(steps(37, 'gbdt')).toBe('37 rounds');
    expect(steps(1, 'linear')).toBe('1 epoch');
    const at = { runId: 'r', versionId: 1, target: 'y', epoch: 40, epochs: 100, updatedAt: '' };
    expect(stoppedAt({ ...at, model: 'gbdt' })).toBe('round 40 of 100');
    expect(stoppedAt(at)).toBe('epoch 40 of 100');
    expect(stoppedAt({ ...at, model: 'gbdt', trial: 2, trials: 2 })).toBe('trial 2 of 2, round 40 of 100');
  });

  it('says how a prediction was explained and against what', () => {
    const f = (v: number) => v.toFixed(1);
    expect(attributionBasis({ method: 'tree-shap', relativeGap: 0, value: 21.04, baselineValue: 23.45 }, f, 'row')).toBe(
      "21.0 against 23.4; TreeSHAP, exact; against the trees' average prediction over the training rows",
    );
    expect(attributionBasis({ method: 'linear', relativeGap: 0, value: 1, baselineValue: 2 }, f, 'case')).toBe(
      '1.0 against 2.0 for a typical case (training medians and modes); exact for this linear model',
    );
    expect(attributionBasis({ method: 'integrated-gradients', relativeGap: 0.0012, value: 1, baselineValue: 2 }, f, 'row')).toMatch(/typical row .*Integrated Gradients, within 0\.12% of the difference$/);
  });
});
