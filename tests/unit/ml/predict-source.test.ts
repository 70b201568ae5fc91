// The bundle's predict.mjs: source.ts is the current assembly of src/lib/ml/predict-template (node bin/write-predict.mjs), one import, three exports.
import { describe, expect, it } from 'vitest';
import { assemblePredict } from '../../../bin/write-predict.mjs';
import { PREDICT_MJS } from '../../../src/lib/ml/predict-template/source.ts';

describe('predict.mjs', () => {
  it('is the current assembly of the template parts (run node bin/write-predict.mjs when this fails)', () => {
    expect(PREDICT_MJS).toBe(assemblePredict());
  });

  it("has @tensorflow/tfjs as its only import and exports loadModel, formatFloat32 and scoredCsv", () => {
    expect(PREDICT_MJS.match(/^import .*$/gm)).toEqual(["import * as tf from '@tensorflow/tfjs';"]);
    expect(PREDICT_MJS).not.toMatch(/\bimport\(/);
    expect(PREDICT_MJS.match(/^export (async )?function \w+/gm)).toEqual(['export async function loadModel', 'export function formatFloat32', 'export function scoredCsv']);
    expect(PREDICT_MJS).toContain('export async function loadModel(source)');
  });
});
