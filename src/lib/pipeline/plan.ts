// Chooses the feature columns for a target and says, in plain words, why each other column was left out.
import { AppError } from './errors.ts';
import { getColumn, isMissing } from './table.ts';
import { inferTask } from './task.ts';
import type { ColumnProfile, DataTable, DatasetProfile, FeaturePlan, TaskKind } from './types.ts';

/** Why a column cannot be a feature, or null when it can. */
export function dropReason(profile: ColumnProfile, rows: number): string | null {
  if (profile.missing >= rows) return 'every value is missing';
  if (profile.constant) return 'has a single value';
  if (profile.idLike) return 'every value is different, like an ID';
  if (profile.type === 'text') return `is free text with too many different values (${profile.distinct}) to use as a category`;
  return null;
}

/**
 * Plans the features for predicting `target`: every other usable column, with the dropped ones and reasons.
 * Throws 'unknown-column' for a missing target and 'no-features' when nothing usable is left.
 */
export function planFeatures(table: DataTable, profile: DatasetProfile, target: string, task?: TaskKind): FeaturePlan {
  const targetColumn = getColumn(table, target);
  const kind = task ?? inferTask(targetColumn);
  const features: string[] = [];
  const dropped: FeaturePlan['dropped'] = [];
  for (const column of table.columns) {
    if (column.name === target) continue;
    const columnProfile = profile.columns.find((p) => p.name === column.name);
    if (!columnProfile) {
      throw new AppError('bad-argument', `The profile has no entry for column "${column.name}"; profile the table again`, {
        column: column.name,
      });
    }
    const reason = dropReason(columnProfile, profile.rows);
    if (reason) dropped.push({ column: column.name, reason });
    else features.push(column.name);
  }
  if (features.length === 0) {
    const why = dropped.map((d) => `"${d.column}" ${d.reason}`).join('; ');
    throw new AppError(
      'no-features',
      `No column is left to predict "${target}" from${why ? `: ${why}` : ''}`,
      { column: target },
    );
  }
  return { target, task: kind, features, dropped };
}

/** Rows whose target value is present, in table order. */
export function rowsWithTarget(table: DataTable, target: string): Int32Array {
  const column = getColumn(table, target);
  const rows = new Int32Array(table.rowCount);
  let n = 0;
  for (let r = 0; r < table.rowCount; r++) if (!isMissing(column, r)) rows[n++] = r;
  return rows.slice(0, n);
}
