// The pre-optimisation review modules the `review` step's breakdown times part by part (beside ours).
export { bootstrap, differences } from './bootstrap.ts';
export { calibrationFromCounts } from './calibration.ts';
export { classificationHeadline, classificationReportOf, prepareClassification } from './classification.ts';
export { fairnessReport } from './fairness.ts';
export { permutationImportance } from './importance.ts';
