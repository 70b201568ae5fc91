// The Train form's monitoring policy (the spec's `monitor`): what triggers a retrain, on what data, and whether its candidate replaces the champion by itself; checked as the spec's parser checks it.
import { AppError } from '../pipeline/errors.ts';
import type { MonitorPolicy } from '../pipeline/monitor/policy.ts';

const whole = (text: string, field: string, least: number): number | null => {
  const value = text.trim();
  if (!value) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < least) throw new AppError('bad-argument', `${field} must be a whole number from ${least}; got "${value}"`);
  return n;
};

export class MonitorOptions {
  datasetDrift = $state(true);
  decay = $state(true);
  /** Column names, comma-separated. */
  keyColumns = $state('');
  newRows = $state('');
  scheduleHours = $state('');
  data = $state<'newest' | 'window'>('newest');
  windowVersions = $state('3');
  autoPromote = $state(false);

  /** True when anything differs from the default policy. */
  get isSet(): boolean {
    return (
      !this.datasetDrift || !this.decay || this.keyColumns.trim() !== '' || this.newRows.trim() !== '' || this.scheduleHours.trim() !== '' || this.data !== 'newest' || this.autoPromote
    );
  }

  /** The spec's `monitor` as the form says (null: the defaults); a bad number or an unknown key column is refused, naming the field. */
  policy(columns?: readonly string[]): MonitorPolicy | null {
    if (!this.isSet) return null;
    const keys = this.keyColumns
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    const unknown = columns ? keys.find((c) => !columns.includes(c)) : undefined;
    if (unknown !== undefined) throw new AppError('bad-argument', `Key column "${unknown}" is not a column of this dataset`, { column: unknown });
    const newRows = whole(this.newRows, 'New rows', 1);
    const hours = this.scheduleHours.trim() ? Number(this.scheduleHours) : null;
    if (hours !== null && !(Number.isFinite(hours) && hours > 0)) throw new AppError('bad-argument', `Schedule must be a number of hours above 0; got "${this.scheduleHours.trim()}"`);
    const policy: MonitorPolicy = { triggers: { datasetDrift: this.datasetDrift, decay: this.decay } };
    if (keys.length) policy.triggers!.keyColumns = keys;
    if (newRows !== null) policy.triggers!.newRows = newRows;
    if (hours !== null) policy.triggers!.scheduleHours = hours;
    if (this.data === 'window' || this.autoPromote) {
      policy.retrain = {};
      if (this.data === 'window') policy.retrain.data = { kind: 'window', versions: whole(this.windowVersions, 'Window', 1) ?? 3 };
      if (this.autoPromote) policy.retrain.autoPromote = true;
    }
    return policy;
  }

  /** Fills the form from a spec's policy (Use pipeline…); null: the defaults. */
  load(policy: MonitorPolicy | null | undefined): void {
    const t = policy?.triggers ?? {};
    this.datasetDrift = t.datasetDrift ?? true;
    this.decay = t.decay ?? true;
    this.keyColumns = (t.keyColumns ?? []).join(', ');
    this.newRows = t.newRows ? String(t.newRows) : '';
    this.scheduleHours = t.scheduleHours ? String(t.scheduleHours) : '';
    this.data = policy?.retrain?.data?.kind ?? 'newest';
    this.windowVersions = String(policy?.retrain?.data?.versions ?? 3);
    this.autoPromote = policy?.retrain?.autoPromote ?? false;
  }
}

/** The policy in words, for the form's summary line. */
export function monitorWords(policy: MonitorPolicy | null): string {
  const t = policy?.triggers ?? {};
  const on: string[] = [];
  if (t.datasetDrift ?? true) on.push('dataset drift');
  if (t.decay ?? true) on.push('decay (measured, or estimated without labels)');
  if (t.keyColumns?.length) on.push(`drift of ${t.keyColumns.join(', ')}`);
  if (t.newRows) on.push(`${t.newRows.toLocaleString('en-US')} new rows`);
  if (t.scheduleHours) on.push(`every ${t.scheduleHours} hours while the studio is open`);
  const data = policy?.retrain?.data?.kind === 'window' ? `the last ${policy.retrain.data.versions ?? 3} versions` : "the dataset's newest version";
  const decide = policy?.retrain?.autoPromote ? 'replaces the champion when its review passes' : 'waits for approval as the challenger';
  return `${on.length ? `Retrain on ${on.join(', ')}` : 'Never retrain by itself'}, on ${data}; the candidate ${decide}`;
}
