// Running recipe and privacy steps on a table with the workspace salt, and fitting them to the columns a table has.
import { applyRecipe } from '../../src/lib/pipeline/recipe/apply.ts';
import type { RecipeStep, RecipeStepStats } from '../../src/lib/pipeline/recipe/types.ts';
import type { DataTable } from '../../src/lib/pipeline/types.ts';
import { workspaceSalt } from '../../src/lib/store/settings.ts';

/** The workspace salt when a step hashes (made on first use), else undefined. */
export async function saltFor(steps: RecipeStep[]): Promise<string | undefined> {
  return steps.some((step) => step.kind === 'hash') ? workspaceSalt() : undefined;
}

/** The table after the steps (the same table when there are none), with what each step did. */
export async function runSteps(table: DataTable, steps: RecipeStep[]): Promise<{ table: DataTable; steps: RecipeStepStats[] }> {
  if (steps.length === 0) return { table, steps: [] };
  return applyRecipe(table, { steps }, { salt: await saltFor(steps) });
}

/** The table after the steps. */
export async function applySteps(table: DataTable, steps: RecipeStep[]): Promise<DataTable> {
  return (await runSteps(table, steps)).table;
}
