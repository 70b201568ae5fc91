// Feature definitions: types, JSON checks, fitting on training rows, the default set of a plan, and a preview.
export * from './types.ts';
export { parseFeatureSet, checkFeatureSet, MAX_HASH_WIDTH } from './validate.ts';
export { fitFeatureSet, fitFeature, featureSetFromPlan, planFromFeatureSet, DEFAULT_BINS, DEFAULT_CLIP_QUANTILES } from './fit.ts';
export { featurePreview, type FeaturePreview, type FeatureSummary, type MatrixColumnSummary } from './preview.ts';
export { fnv1a, ngramsOf } from './hash.ts';
