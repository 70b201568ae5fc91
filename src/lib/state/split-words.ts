// The split in words: what "Default" means for the task (stratified for classes, random for numbers), for the form and the run comparison.
import type { SplitChoice } from '../pipeline/spec/types.ts';
import type { TaskKind } from '../pipeline/types.ts';

/** The split a run with `choice` uses for `task`: 'auto' is stratified for a classification target and random for regression. */
export function effectiveSplit(choice: SplitChoice, task: TaskKind | ''): string {
  if (choice !== 'auto') return choice;
  if (task === 'regression') return 'random';
  return task === '' ? 'stratified for classes, random for numbers' : 'stratified';
}

/** The form's words for "Default": "Default (stratified)", "Default (random)". */
export function defaultSplitLabel(task: TaskKind | ''): string {
  return `Default (${effectiveSplit('auto', task)})`;
}

/** A hint under the split choice: what the chosen split holds out and how. */
export function splitHint(choice: SplitChoice, task: TaskKind | ''): string {
  switch (choice) {
    case 'auto':
      return `20% of the rows are held out for testing, ${task === 'regression' ? 'drawn at random' : task === '' ? 'stratified by class for a classification target, at random otherwise' : 'keeping each class’s share'}; the seed makes it repeatable.`;
    case 'random':
      return '20% of the rows, drawn at random with the seed, are held out for testing.';
    case 'stratified':
      return '20% of the rows are held out for testing, keeping each class’s share (classification only).';
    case 'time':
      return 'The most recent 20% of the rows by the time column are held out for testing.';
  }
}

/** The split as the run comparison shows it: "default (stratified)", "time". */
export function splitText(choice: SplitChoice, task: TaskKind | string): string {
  return choice === 'auto' ? `default (${effectiveSplit(choice, task === 'regression' ? 'regression' : 'binary')})` : choice;
}
