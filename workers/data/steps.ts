// Running recipe and privacy steps on a table with the workspace salt, and fitting them to the columns a table has.
import { AppError } from '../../src/lib/pipeline/errors.ts';
import { applyRecipe } from '../../src/lib/pipeline/recipe/apply.ts';
import { stepColumns } from '../../src/lib/pipeline/recipe/columns.ts';
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

/**
 * The steps as they apply to a file to score, which usually lacks the target: the target is taken out of
 * steps that name it among other columns, and steps naming only the target are skipped. Any other missing
 * column is an AppError 'unknown-column' naming the step and the column.
 */
export function stepsForScoring(steps: RecipeStep[], table: DataTable, target: string, fileName: string): RecipeStep[] {
  const names = new Set(table.columns.map((column) => column.name));
  const out: RecipeStep[] = [];
  steps.forEach((step, index) => {
    const named = stepColumns(step);
    const missing = named.filter((name) => !names.has(name) && name !== target);
    if (missing.length > 0) {
      throw new AppError(
        'unknown-column',
        `${fileName} has no column "${missing[0]}", which step ${index + 1} (${step.kind}) of the model's recipe needs`,
        { file: fileName, column: missing[0] },
      );
    }
    if (names.has(target) || !named.includes(target)) out.push(step);
    else if ('columns' in step && named.length > 1) out.push({ ...step, columns: named.filter((name) => name !== target) } as RecipeStep);
  });
  return out;
}
