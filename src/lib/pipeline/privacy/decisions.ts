// Turns the user's privacy decisions into recipe steps that run after the cleaning recipe.
import type { RecipeStep } from '../recipe/types.ts';
import type { PrivacyDecision } from './types.ts';

/**
 * The recipe steps of the decisions, in order: drop → drop-columns, mask → mask (keeping the first `keep`
 * characters), hash → hash (salted SHA-256, needs the workspace salt when applied), allow → nothing. When a
 * column has several decisions, the last one counts.
 * @example decisionSteps([{ column: 'email', action: 'hash' }]) // [{ kind: 'hash', column: 'email' }]
 */
export function decisionSteps(decisions: readonly PrivacyDecision[]): RecipeStep[] {
  const latest = new Map<string, PrivacyDecision>();
  for (const decision of decisions) {
    latest.delete(decision.column);
    latest.set(decision.column, decision);
  }
  const steps: RecipeStep[] = [];
  for (const decision of latest.values()) {
    if (decision.action === 'drop') steps.push({ kind: 'drop-columns', columns: [decision.column] });
    else if (decision.action === 'mask') steps.push({ kind: 'mask', column: decision.column, keep: decision.keep });
    else if (decision.action === 'hash') steps.push({ kind: 'hash', column: decision.column });
  }
  return steps;
}

/** Drop, mask and hash steps of a recipe decide for the columns they name, as the studio's actions do. */
export function recipeDecisions(steps: readonly RecipeStep[]): PrivacyDecision[] {
  return steps.flatMap((step): PrivacyDecision[] => {
    if (step.kind === 'drop-columns') return step.columns.map((column) => ({ column, action: 'drop' }));
    if (step.kind === 'mask') return [{ column: step.column, action: 'mask', keep: step.keep }];
    if (step.kind === 'hash') return [{ column: step.column, action: 'hash' }];
    return [];
  });
}

/** The steps of the decisions on columns the table has (a decision on a column the recipe dropped does nothing). */
export function privacyStepsFor(columns: readonly { name: string }[], decisions: readonly PrivacyDecision[]): RecipeStep[] {
  const names = new Set(columns.map((column) => column.name));
  return decisionSteps(decisions.filter((decision) => names.has(decision.column)));
}
