// `millrace check`: the studio's Check stage (the same `runCheckStage`) on files.
import { writeFile } from 'node:fs/promises';
import { runCheckStage, type CheckStageOutput } from '../lib/pipeline/check-stage.ts';
import { validateRules } from '../lib/pipeline/quality/validate.ts';
import type { SpecCheck } from '../lib/pipeline/spec/types.ts';
import type { DataTable } from '../lib/pipeline/types.ts';
import type { CheckFlags } from './args.ts';
import { readTable, type ReadOptions } from './read-data.ts';
import { checkFromFlags } from './spec-from-flags.ts';

/** The salt of hash steps: --salt, else $MILLRACE_SALT. */
export function saltOf(flags: Pick<CheckFlags, 'salt'>): string | undefined {
  return flags.salt ?? process.env.MILLRACE_SALT;
}

/** Runs a spec's Check stage on a table read from a file, with the reference file read the same way. */
export async function checkTable(
  spec: SpecCheck,
  table: DataTable,
  flags: Pick<CheckFlags, 'reference' | 'salt'>,
  read: ReadOptions = {},
): Promise<CheckStageOutput> {
  const reference = flags.reference ? (await readTable(flags.reference, read)).table : undefined;
  const outcome = await runCheckStage(spec, { table, reference, salt: saltOf(flags) });
  // A rule naming a column the data (after the recipe) lacks is bad input (exit 1), as a recipe step naming one is,
  // not a failed rule that closes the gate.
  if (spec.rules) validateRules(spec.rules.rules, outcome.cleaned.columns.map((c) => c.name));
  return outcome;
}

/** One line: passed or blocked, with counts, e.g. "check passed: 333 of 344 rows after the recipe, 17 rules, 2 warnings". */
export function checkSummary({ check, gate }: Pick<CheckStageOutput, 'check' | 'gate'>): string {
  const failed = check.report.rules.filter((r) => !r.passed);
  const warnings = failed.filter((r) => r.severity === 'warn').length;
  const head = `${check.rowsChecked} of ${check.rowsIn} rows after the recipe, ${check.report.rules.length} rules, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  return gate.open ? `check passed: ${head}` : `check blocked: ${head}; ${gate.reasons.join('; ')}`;
}

/** `millrace check`: the summary line, the report written to --out, and whether the gate is open. */
export async function checkCommand(command: CheckFlags & { data: string; out?: string }): Promise<{ summary: string; open: boolean }> {
  const { table } = await readTable(command.data);
  const outcome = await checkTable(await checkFromFlags(command, table), table, command);
  if (command.out) {
    const { check, gate } = outcome;
    await writeFile(command.out, JSON.stringify({ gate: { open: gate.open, reasons: gate.reasons, undecided: gate.undecided }, check }, null, 2) + '\n');
  }
  return { summary: checkSummary(outcome), open: outcome.gate.open };
}
