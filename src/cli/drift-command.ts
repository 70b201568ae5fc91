// `millrace drift`: a data file against another, or against a saved model's training reference (reference.json); drift.json, an optional static HTML report, exit 4 on dataset drift.
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compareTables, compareWithSketch } from '../lib/pipeline/drift/compare.ts';
import { driftJson } from '../lib/pipeline/drift/json.ts';
import type { DriftOptions, DriftReport } from '../lib/pipeline/drift/types.ts';
import { AppError } from '../lib/pipeline/errors.ts';
import { driftHtml } from '../lib/pipeline/monitor/drift-html.ts';
import { referenceFromJson } from '../lib/pipeline/monitor/reference-json.ts';
import { REFERENCE_FILE } from '../lib/ml/bundle.ts';
import type { DataTable, TransformBundle } from '../lib/pipeline/types.ts';
import type { DriftCommand } from './drift-args.ts';
import { readJson, readTable } from './read-data.ts';
import { parseModelRef, resolveModel } from './registry/ref.ts';
import { FolderRegistry, verifiedFiles, writeAtomic } from './registry/store.ts';

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/**
 * Compares the current table with a saved model's reference: its input columns (not its date columns: every new
 * batch is later by nature), and its target when the current data has it.
 */
async function againstModel(command: DriftCommand, current: DataTable, options: DriftOptions): Promise<{ report: DriftReport; label: string; notices: string[] }> {
  const model = await resolveModel(parseModelRef(command.reference, '--reference'), new FolderRegistry(command.registry), '--reference');
  await verifiedFiles(model.dir, model.label);
  const path = join(model.dir, REFERENCE_FILE);
  if (!existsSync(path)) {
    throw new AppError('not-found', `--reference ${command.reference}: ${model.label} has no ${REFERENCE_FILE} (a model saved before monitoring); compare with its training data file instead`, { file: path });
  }
  const sketch = referenceFromJson(await readJson('--reference', path), path).data;
  const bundle = (await readJson('--reference', join(model.dir, 'transforms.json'))) as TransformBundle;
  const has = new Set(current.columns.map((c) => c.name));
  const dates = sketch.columns.filter((c) => c.kind === 'number' && c.type === 'date').map((c) => c.name);
  const notices: string[] = [];
  if (dates.length) notices.push(`date columns are not compared (every new batch is later by nature): ${dates.join(', ')}`);
  if (!has.has(bundle.target)) notices.push(`${basename(command.current)} has no "${bundle.target}" column: no target drift`);
  const only = options.only ?? sketch.columns.map((c) => c.name).filter((name) => !dates.includes(name) && (name !== bundle.target || has.has(name)));
  return { report: compareWithSketch(sketch, current, { ...options, only }), label: model.label, notices };
}

/** Runs `millrace drift`; `drift` is true when the report finds dataset drift (exit status 4). Each output is written whole or not at all. */
export async function driftCommand(command: DriftCommand): Promise<{ stdout: string; notices: string[]; drift: boolean }> {
  const { table: current } = await readTable(command.current);
  const options: DriftOptions = {
    ...(command.columns ? { only: command.columns } : {}),
    ...(command.threshold !== undefined ? { practicalThreshold: command.threshold } : {}),
    ...(command.share !== undefined ? { shareThreshold: command.share } : {}),
  };
  const { report, label, notices } = isFile(command.reference)
    ? { report: compareTables((await readTable(command.reference)).table, current, options), label: basename(command.reference), notices: [] as string[] }
    : await againstModel(command, current, options);
  await writeAtomic(command.out, new TextEncoder().encode(JSON.stringify(driftJson(report), null, 2) + '\n'));
  if (command.html) await writeAtomic(command.html, new TextEncoder().encode(driftHtml(report, { reference: label, current: basename(command.current), createdAt: new Date().toISOString() })));
  const drifted = report.columns.filter((c) => c.drifted).map((c) => c.column);
  const verdict = report.datasetDrift ? 'dataset drift' : 'no dataset drift';
  const stdout = `millrace: ${verdict}: ${drifted.length} of ${report.columns.length} columns drifted (${(report.driftShare * 100).toFixed(0)}%)${drifted.length ? `: ${drifted.join(', ')}` : ''}; wrote ${command.out}${command.html ? ` and ${command.html}` : ''}`;
  return { stdout, notices, drift: report.datasetDrift };
}
