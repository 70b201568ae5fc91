// Fairness input checks: fairness rules a task cannot have, options, lengths and the positive class.
import { AppError } from '../errors.ts';
import type { TaskKind } from '../types.ts';
import type { FairnessRule } from './policy.ts';
import type { SensitiveGroups } from './sensitive.ts';
import { MIN_GROUP_ROWS, type ClassificationFairnessInput, type FairnessOptions } from './fairness-types.ts';

/** Refuses fairness rules a model cannot be checked against: any for regression, any for multiclass without a positive class. */
export function checkFairnessRules(rules: readonly Pick<FairnessRule, 'column' | 'metric'>[], task: TaskKind, options: { positiveClass?: string | number | undefined; target?: string | undefined } = {}): void {
  if (rules.length === 0) return;
  const rule = rules[0] as Pick<FairnessRule, 'column' | 'metric'>;
  const target = options.target ? `"${options.target}"` : 'the target';
  if (task === 'regression') {
    throw new AppError(
      'bad-argument',
      `Fairness rules (here ${rule.metric} on "${rule.column}") need a classifier's decisions, but ${target} is a regression target; the review gives RMSE and mean error per group instead`,
      { column: rule.column },
    );
  }
  if (task === 'multiclass' && options.positiveClass === undefined) {
    throw new AppError(
      'bad-argument',
      `Fairness rules (here ${rule.metric} on "${rule.column}") on a multiclass target need a positive class: the rates compare who gets one class against the rest`,
      { column: rule.column },
    );
  }
}

export function checkOptions(options: FairnessOptions): number {
  const minRows = options.minRows ?? MIN_GROUP_ROWS;
  if (!(Number.isInteger(minRows) && minRows >= 1)) throw new AppError('bad-argument', `The fewest rows per group must be a whole number of at least 1, got ${String(minRows)}`);
  return minRows;
}

export function checkLengths(groups: SensitiveGroups, labels: { length: number }, predicted: { length: number }): void {
  if (predicted.length !== labels.length) throw new AppError('bad-argument', `Got ${predicted.length} predictions for ${labels.length} rows`);
  if (groups.codes.length !== labels.length) {
    throw new AppError('bad-argument', `The sensitive column "${groups.column}" has ${groups.codes.length} rows, but ${labels.length} were evaluated`, { column: groups.column });
  }
  if (labels.length === 0) throw new AppError('bad-argument', 'There are no rows to evaluate');
}

export function resolvePositive(input: ClassificationFairnessInput): number | null {
  const k = input.classes.length;
  const p = input.positive;
  if (p === undefined) return input.task === 'binary' ? k - 1 : null;
  if (typeof p === 'string') {
    const index = input.classes.indexOf(p);
    if (index < 0) throw new AppError('bad-argument', `The positive class "${p}" is not one of the classes ${input.classes.map((c) => `"${c}"`).join(', ')}`);
    return index;
  }
  if (!(Number.isInteger(p) && p >= 0 && p < k)) throw new AppError('bad-argument', `The positive class must be a class index from 0 to ${k - 1}, got ${String(p)}`);
  return p;
}
