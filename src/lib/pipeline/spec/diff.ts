// What a pipeline spec needs from a dataset, and how it differs from the dataset's own setup ("Use pipeline…").
import type { PrivacyDecision } from '../privacy/types.ts';
import { stepColumns } from '../recipe/columns.ts';
import { policyColumns } from '../review/policy.ts';
import type { ColumnType } from '../types.ts';
import type { PipelineSpec, SpecCheck } from './types.ts';

/** A column the spec reads, and which part of it reads it (in the user's words). */
export interface NeededColumn {
  column: string;
  by: string;
}

/** One way the spec differs from the dataset; `blocking` ones keep it from running. */
export interface SpecDifference {
  part: 'columns' | 'input' | 'recipe' | 'rules' | 'privacy';
  blocking: boolean;
  message: string;
}

/** The dataset a spec is applied to: its columns and its current Check stage. */
export interface SpecTarget {
  columns: readonly { name: string; type: ColumnType }[];
  datasetName: string;
  version: number;
  sha256: string;
  check: SpecCheck;
}

/** Every column the spec reads from the data as stored (before the recipe), with what reads it. */
export function neededColumns(spec: PipelineSpec): NeededColumn[] {
  const out: NeededColumn[] = [{ column: spec.target, by: 'the target' }];
  if (spec.split.timeColumn) out.push({ column: spec.split.timeColumn, by: 'the time split' });
  for (const feature of spec.features?.features ?? []) {
    const by = `feature "${feature.name}"`;
    out.push({ column: feature.column, by });
    if ('column2' in feature) out.push({ column: feature.column2, by });
  }
  (spec.check.recipe?.steps ?? []).forEach((step, i) => {
    for (const column of stepColumns(step)) out.push({ column, by: `recipe step ${i + 1} (${step.kind})` });
  });
  for (const rule of spec.check.rules?.rules ?? []) {
    const named = 'columns' in rule && rule.columns ? rule.columns : 'column' in rule && rule.column ? [rule.column] : [];
    for (const column of named) out.push({ column, by: `rule ${rule.id}` });
  }
  for (const column of Object.keys(spec.input.types)) out.push({ column, by: 'a column type of the input' });
  out.push(...policyColumns(spec.review));
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function describeDecision(decision: PrivacyDecision | undefined): string {
  if (!decision) return 'no decision';
  if (decision.action === 'allow') return `allow ("${decision.note}")`;
  if (decision.action === 'mask') return `mask (keep ${decision.keep})`;
  return decision.action;
}

/**
 * How the spec differs from the dataset it is applied to. A column the spec reads that the data lacks is
 * blocking (the message names the column and what reads it); another dataset or version, a recipe, rule
 * suite or privacy decision other than the dataset's own are not (applying the spec saves them).
 */
export function compareSpec(spec: PipelineSpec, target: SpecTarget): SpecDifference[] {
  const out: SpecDifference[] = [];
  const present = new Set(target.columns.map((c) => c.name));
  const missing = new Map<string, string[]>();
  for (const { column, by } of neededColumns(spec)) {
    if (present.has(column)) continue;
    missing.set(column, [...(missing.get(column) ?? []), by]);
  }
  for (const [column, by] of missing) {
    out.push({ part: 'columns', blocking: true, message: `The data has no column "${column}", which ${[...new Set(by)].join(', ')} needs` });
  }
  for (const [column, type] of Object.entries(spec.input.types)) {
    const found = target.columns.find((c) => c.name === column);
    if (found && found.type !== type) out.push({ part: 'input', blocking: false, message: `Column "${column}" is ${found.type} here; the spec reads it as ${type} (the run uses this dataset's types)` });
  }
  const { input } = spec;
  if (input.sha256 && input.sha256 !== target.sha256) {
    const from = input.dataset ? `${input.dataset}${input.version ? ` v${input.version}` : ''}` : 'other data';
    out.push({ part: 'input', blocking: false, message: `The spec ran on ${from}; it will run on ${target.datasetName} v${target.version}` });
  }
  const recipe = spec.check.recipe;
  const own = target.check.recipe;
  if (!same(recipe?.steps ?? [], own?.steps ?? [])) {
    out.push({
      part: 'recipe',
      blocking: false,
      message: `Cleaning recipe: the spec has ${recipe ? `${recipe.steps.length} step${recipe.steps.length === 1 ? '' : 's'}` : 'none'}, the dataset ${own ? `v${own.version} with ${own.steps.length}` : 'none'}; applying saves the spec's as the dataset's next recipe`,
    });
  }
  const rules = spec.check.rules;
  const ownRules = target.check.rules;
  if (!same(rules?.rules ?? null, ownRules?.rules ?? null) || (rules?.reference ?? null) !== (ownRules?.reference ?? null)) {
    out.push({
      part: 'rules',
      blocking: false,
      message: `Rule suite: the spec has ${rules ? `${rules.rules.length} rule${rules.rules.length === 1 ? '' : 's'}` : 'none (suggested rules that only warn)'}, the dataset ${ownRules ? `v${ownRules.version} with ${ownRules.rules.length}` : 'none'}${rules ? "; applying saves the spec's as the dataset's next suite" : ''}`,
    });
  }
  for (const decision of spec.check.privacy) {
    const current = target.check.privacy.find((d) => d.column === decision.column);
    if (same(current, decision)) continue;
    const note = present.has(decision.column) ? '' : ' (the data has no such column: it does nothing)';
    out.push({ part: 'privacy', blocking: false, message: `Column "${decision.column}": the spec decides ${describeDecision(decision)}, the dataset ${describeDecision(current)}${note}` });
  }
  return out;
}
