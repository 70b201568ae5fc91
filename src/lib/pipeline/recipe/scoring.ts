// The steps of a model's recipe as they apply to a file to score (which usually lacks the target), and the columns each step reads.
import { AppError } from '../errors.ts';
import { parseRowExpression } from '../quality/expression.ts';
import type { DataTable } from '../types.ts';
import { stepColumns } from './columns.ts';
import type { RecipeStep } from './types.ts';

/**
 * The columns a step reads: those it names, and for a filter those its expression reads (none when the expression
 * does not parse: running the step says why).
 */
export function stepReads(step: RecipeStep): string[] {
  if (step.kind !== 'filter') return stepColumns(step);
  try {
    return parseRowExpression(step.expression, undefined).columns;
  } catch {
    return [];
  }
}

/**
 * The steps as they apply to a file to score, which usually lacks the target: the target is taken out of
 * steps that name it among other columns, and steps naming only the target (or filters reading it) are skipped.
 * Any other missing column is an AppError 'unknown-column' naming the step and the column.
 */
export function stepsForScoring(steps: RecipeStep[], table: DataTable, target: string, fileName: string): RecipeStep[] {
  const names = new Set(table.columns.map((column) => column.name));
  const out: RecipeStep[] = [];
  steps.forEach((step, index) => {
    const named = stepReads(step);
    const missing = named.filter((name) => !names.has(name) && name !== target);
    if (missing.length > 0) {
      throw new AppError(
        'unknown-column',
        `${fileName} has no column "${missing[0]}", which step ${index + 1} (${step.kind}) of the model's recipe needs`,
        { file: fileName, column: missing[0] },
      );
    }
    if (names.has(target) || !named.includes(target)) out.push(step);
    else if (step.kind === 'filter') return;
    else if ('columns' in step && named.length > 1) out.push({ ...step, columns: named.filter((name) => name !== target) } as RecipeStep);
  });
  return out;
}
