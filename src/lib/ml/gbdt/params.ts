// Checks the trees' hyper-parameters and target before training; every message names the parameter or column.
import { AppError } from '../../pipeline/errors.ts';
import { GBDT_DEFAULTS, type GbdtParams, type GbdtTarget } from './types.ts';

function whole(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    throw new AppError('bad-argument', `${name} must be a whole number ${range}, got ${value}`);
  }
}

/** The defaults with `given` laid over them, checked. */
export function resolveParams(given: Partial<GbdtParams> = {}): GbdtParams {
  const p: GbdtParams = { ...GBDT_DEFAULTS, ...given };
  if (!(Number.isFinite(p.learningRate) && p.learningRate > 0)) {
    throw new AppError('bad-argument', `learningRate must be a number above 0, got ${p.learningRate}`);
  }
  whole('maxIter', p.maxIter, 1);
  whole('maxLeafNodes', p.maxLeafNodes, 2);
  if (p.maxDepth !== null) whole('maxDepth', p.maxDepth, 1);
  whole('minSamplesLeaf', p.minSamplesLeaf, 1);
  if (!(Number.isFinite(p.l2) && p.l2 >= 0)) throw new AppError('bad-argument', `l2 must be a number of 0 or more, got ${p.l2}`);
  whole('maxBins', p.maxBins, 2, 255);
  if (!(p.earlyStopping === 'auto' || typeof p.earlyStopping === 'boolean')) {
    throw new AppError('bad-argument', `earlyStopping must be "auto", true or false, got ${String(p.earlyStopping)}`);
  }
  if (!(p.validationFraction > 0 && p.validationFraction < 1)) {
    throw new AppError('bad-argument', `validationFraction must be between 0 and 1, got ${p.validationFraction}`);
  }
  whole('nIterNoChange', p.nIterNoChange, 1);
  if (!(Number.isFinite(p.tol) && p.tol >= 0)) throw new AppError('bad-argument', `tol must be a number of 0 or more, got ${p.tol}`);
  whole('seed', p.seed, 0, 2 ** 32 - 1);
  if (Array.isArray(p.classWeight) && p.classWeight.some((w) => !(Number.isFinite(w) && w > 0))) {
    throw new AppError('bad-argument', `classWeight must hold numbers above 0, got [${p.classWeight.join(', ')}]`);
  }
  return p;
}

/** Refuses a target with a missing or infinite value, or one class, on the given rows; returns the classes seen. */
export function checkTarget(target: GbdtTarget, rows: Int32Array, where: string): number {
  if (target.kind === 'values') {
    for (let i = 0; i < rows.length; i++) {
      const value = target.values[rows[i]!]!;
      if (!Number.isFinite(value)) {
        throw new AppError('bad-argument', `The target is ${value !== value ? 'missing' : 'infinite'} in row ${rows[i]! + 1}; drop those rows first`, { row: rows[i]! + 1 });
      }
    }
    return 0;
  }
  const counts = new Float64Array(target.nClasses);
  for (let i = 0; i < rows.length; i++) {
    const c = target.classes[rows[i]!]!;
    if (!(c >= 0 && c < target.nClasses)) {
      throw new AppError('bad-argument', `The target's class in row ${rows[i]! + 1} is ${c}, outside 0…${target.nClasses - 1}`, { row: rows[i]! + 1 });
    }
    counts[c]!++;
  }
  const present = counts.filter((c) => c > 0).length;
  if (present < 2) throw new AppError('single-value-target', `The target has one class in the ${where}; trees need at least two`);
  return present;
}

/** Weight per class: 'balanced' is scikit-learn's n / (classes × count) over `rows`. */
export function classWeights(classWeight: GbdtParams['classWeight'], target: GbdtTarget, rows: Int32Array): Float64Array | null {
  if (classWeight === null || target.kind === 'values') return null;
  if (Array.isArray(classWeight)) {
    if (classWeight.length !== target.nClasses) {
      throw new AppError('bad-argument', `classWeight has ${classWeight.length} weights for ${target.nClasses} classes`);
    }
    return Float64Array.from(classWeight);
  }
  const counts = new Float64Array(target.nClasses);
  for (let i = 0; i < rows.length; i++) counts[target.classes[rows[i]!]!]!++;
  const present = counts.filter((c) => c > 0).length;
  return counts.map((c) => (c > 0 ? rows.length / (present * c) : 1));
}
