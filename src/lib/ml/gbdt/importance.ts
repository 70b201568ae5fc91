// Gain importance of the trees' columns: the loss reduction of every split on a column, summed over all trees (LightGBM's importance_type='gain').
import type { GbdtModel } from './types.ts';

/**
 * Per model column (model.columns order), the sum of the gains of every split on it over every tree (all classes'
 * trees for softmax): LightGBM's `feature_importance(importance_type='gain')`, "the total gains of splits which use
 * the feature". A gain is G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ) on the round's gradients (before shrinkage),
 * LightGBM's split gain without L1. Columns never split on get 0.
 */
export function gainImportance(model: Pick<GbdtModel, 'columns' | 'trees'>): Float64Array {
  const out = new Float64Array(model.columns.length);
  for (const tree of model.trees) {
    for (let node = 0; node < tree.feature.length; node++) {
      const feature = tree.feature[node]!;
      if (feature >= 0) out[feature]! += tree.gain[node]!;
    }
  }
  return out;
}
