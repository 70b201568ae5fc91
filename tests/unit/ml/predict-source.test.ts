// The bundle's predict.mjs: source.ts is the current assembly of src/lib/ml/predict-template (node bin/write-predict.mjs); no static import, TF.js imported only for networks, three exports.
import { describe, expect, it } from 'vitest';
import { assemblePredict } from '../../../bin/write-predict.mjs';
import { PREDICT_MJS } from '../../../src/lib/ml/predict-template/source.ts';

describe('predict.mjs', () => {
  it('is the current assembly of the template parts (run node bin/write-predict.mjs when this fails)', () => {
    expect(PREDICT_MJS).toBe(assemblePredict());
  });

  it('has no static import; @tensorflow/tfjs is imported once, dynamically, for a network; it exports loadModel, formatFloat32 and scoredCsv', () => {
    expect(PREDICT_MJS.match(/^\s*import\s.*$/gm)).toBeNull();
    expect(PREDICT_MJS.match(/\bimport\(.*?\)/g)).toEqual(["import('@tensorflow/tfjs')"]);
    // The one place it is called: loading a network's model.json (trees are scored in plain JavaScript).
    expect(PREDICT_MJS.match(/\bimportTf\(\)/g)).toHaveLength(2);
    expect(PREDICT_MJS).toMatch(/async function networkModel\(modelJson, read\) \{\n\s+const tf = await importTf\(\);/);
    expect(PREDICT_MJS.match(/^export (async )?function \w+/gm)).toEqual(['export async function loadModel', 'export function formatFloat32', 'export function scoredCsv']);
    expect(PREDICT_MJS).toContain('export async function loadModel(source)');
  });
});
