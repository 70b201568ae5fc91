// A stored version as a drift batch: the whole version, or only the rows its append added (they come last), with its label; and two versions compared with each other.
import type { VersionComparison } from '../../src/lib/contracts/monitor.ts';
import { lastRows } from '../../src/lib/pipeline/batch-rows.ts';
import { compareWithSketch } from '../../src/lib/pipeline/drift/compare.ts';
import { sketchTable } from '../../src/lib/pipeline/drift/sketch.ts';
import { columnDistribution, type Distribution } from '../../src/lib/pipeline/monitor/distribution.ts';
import type { DataTable } from '../../src/lib/pipeline/types.ts';
import { getDataset, getVersion, loadVersionTable } from '../../src/lib/store/datasets.ts';

/** A version's rows as a batch: only those its append added unless `appendedOnly` is false or it was not an append. */
export async function versionBatch(versionId: number, appendedOnly: boolean | undefined, load: (id: number) => Promise<DataTable> = loadVersionTable): Promise<{ table: DataTable; label: string; appendedOnly: boolean }> {
  const version = await getVersion(versionId);
  const dataset = await getDataset(version.datasetId);
  const label = `${dataset.name} v${version.version}`;
  const whole = await load(versionId);
  const only = appendedOnly !== false && version.parentVersionId !== undefined && version.rowsAdded < version.rows;
  return { table: only ? lastRows(whole, version.rowsAdded) : whole, label, appendedOnly: only };
}

/**
 * Compares a stored version (the current one: only the rows its append added unless `appendedOnly` is false) with
 * another (the reference, whole), column by column, with the distributions for the overlay charts. Nothing is stored.
 */
export async function compareVersions(referenceId: number, currentId: number, appendedOnly?: boolean, load?: (id: number) => Promise<DataTable>): Promise<VersionComparison> {
  const [reference, current] = await Promise.all([versionBatch(referenceId, false, load), versionBatch(currentId, appendedOnly, load)]);
  const sketch = sketchTable(reference.table);
  // A date column is later in every new batch by nature, as in a model's monitoring: left out and named.
  const dates = sketch.columns.filter((c) => c.kind === 'number' && c.type === 'date').map((c) => c.name);
  const only = sketch.columns.map((c) => c.name).filter((name) => !dates.includes(name));
  const report = compareWithSketch(sketch, current.table, { only });
  const distributions: Record<string, Distribution> = {};
  for (const column of sketch.columns.filter((c) => !dates.includes(c.name))) {
    const distribution = columnDistribution(column, current.table.columns.find((c) => c.name === column.name));
    if (distribution) distributions[column.name] = distribution;
  }
  const notices = dates.length ? [`Date columns are not compared (every new batch is later by nature): ${dates.join(', ')}`] : [];
  return { reference: reference.label, current: current.appendedOnly ? `${current.label} (the rows its append added)` : current.label, report, distributions, notices };
}
