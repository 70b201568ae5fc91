// The monitoring policy of a pipeline spec (its `monitor` part): what triggers a retrain, what data it trains on, whether the candidate replaces the champion by itself; and the triggers a batch's evidence fires.
import type { DriftMethod } from '../drift/types.ts';
import type { JsonSchema } from '../spec/json-schema.ts';
import { metricName } from '../review/policy.ts';
import type { DriftReport } from '../drift/types.ts';
import type { BatchPerformance } from './batch-performance.ts';

/** What retrains a model. Dataset drift and decay are on by default; the rest are opt-in. */
export interface MonitorTriggers {
  datasetDrift?: boolean;
  /** Measured decay on a labelled batch, or estimated decay on an unlabelled one. */
  decay?: boolean;
  /** Drift of any of these columns triggers, whatever the share. */
  keyColumns?: string[];
  /** Rows added to the dataset since the model's version, at least this many. */
  newRows?: number | null;
  /** Every this many hours while the studio is open (a schedule missed while it was closed runs at the next open). */
  scheduleHours?: number | null;
}

/** The data a retrain uses: the newest version of the model's dataset, or the last N versions' batches together. */
export interface RetrainData {
  kind: 'newest' | 'window';
  /** kind "window": how many of the newest versions' batches (≥ 1). */
  versions?: number;
}

export interface MonitorPolicy {
  triggers?: MonitorTriggers;
  /** Drift settings: the practical distance bar, the dataset-drift share, per-column method and threshold. */
  drift?: { practicalThreshold?: number; shareThreshold?: number; columns?: Record<string, { method?: DriftMethod; threshold?: number }> };
  retrain?: { data?: RetrainData; autoPromote?: boolean };
}

/** The policy with every default filled in. */
export interface ResolvedMonitorPolicy {
  triggers: { datasetDrift: boolean; decay: boolean; keyColumns: string[]; newRows: number | null; scheduleHours: number | null };
  drift: NonNullable<MonitorPolicy['drift']>;
  retrain: { data: Required<RetrainData>; autoPromote: boolean };
}

/** A spec's `monitor` part (null: the defaults) with every default filled in. */
export function resolveMonitorPolicy(policy: MonitorPolicy | null | undefined): ResolvedMonitorPolicy {
  const t = policy?.triggers ?? {};
  const data = policy?.retrain?.data ?? { kind: 'newest' };
  return {
    triggers: {
      datasetDrift: t.datasetDrift ?? true,
      decay: t.decay ?? true,
      keyColumns: [...(t.keyColumns ?? [])],
      newRows: t.newRows ?? null,
      scheduleHours: t.scheduleHours ?? null,
    },
    drift: { ...(policy?.drift ?? {}) },
    retrain: { data: { kind: data.kind, versions: data.kind === 'window' ? (data.versions ?? 3) : 1 }, autoPromote: policy?.retrain?.autoPromote ?? false },
  };
}

/** What a batch showed, and where the model's data and schedule stand. */
export interface TriggerEvidence {
  /** From the batch's drift report: the verdict and the drifted columns (null: no batch compared). */
  drift: { datasetDrift: boolean; driftShare: number; drifted: string[] } | null;
  /** Measured or estimated decay (null: the batch was not scored). */
  decay: { decayed: boolean; estimated: boolean; metrics: string[] } | null;
  /** Rows added to the model's dataset since the version it was trained on. */
  newRows: number;
  /** When the schedule last ran (or the model was trained); ISO time. */
  lastScheduledAt: string | null;
  now: Date;
}

export interface Trigger {
  kind: 'dataset-drift' | 'key-column' | 'decay' | 'new-rows' | 'schedule';
  /** In words, e.g. "dataset drift: 3 of 5 columns drifted (60%)". */
  reason: string;
}

const HOUR = 3_600_000;

/** Whether the schedule is due, and whether one or more runs were missed (the studio was closed through them). */
export function scheduleDue(hours: number | null, lastScheduledAt: string | null, now: Date): { due: boolean; missed: number } {
  if (hours === null || lastScheduledAt === null) return { due: false, missed: 0 };
  const elapsed = now.getTime() - new Date(lastScheduledAt).getTime();
  const periods = Math.floor(elapsed / (hours * HOUR));
  return { due: periods >= 1, missed: Math.max(0, periods - 1) };
}

/** A compared batch's evidence: its drift verdict and drifted columns, and measured or estimated decay with the metrics that decayed. */
export function batchEvidence(
  check: { report: DriftReport; performance: BatchPerformance | null },
  context: { newRows: number; lastScheduledAt: string | null; now: Date },
): TriggerEvidence {
  const { report, performance } = check;
  const decay = performance
    ? {
        decayed: performance.decayed,
        estimated: performance.measured === null,
        metrics: [...(performance.measured ?? []), ...(performance.estimated ?? [])].filter((m) => m.decayed).map((m) => m.metric),
      }
    : null;
  const drifted = report.columns.filter((c) => c.drifted).map((c) => c.column);
  return { drift: { datasetDrift: report.datasetDrift, driftShare: report.driftShare, drifted }, decay, ...context };
}

/** The triggers the evidence fires under the policy, each with its reason; none: nothing to do. */
export function firedTriggers(policy: ResolvedMonitorPolicy, evidence: TriggerEvidence): Trigger[] {
  const out: Trigger[] = [];
  const { triggers } = policy;
  const drift = evidence.drift;
  if (triggers.datasetDrift && drift?.datasetDrift) {
    out.push({ kind: 'dataset-drift', reason: `dataset drift: ${drift.drifted.length} columns drifted (${Math.round(drift.driftShare * 100)}%): ${drift.drifted.join(', ')}` });
  }
  const keys = drift ? triggers.keyColumns.filter((c) => drift.drifted.includes(c)) : [];
  if (keys.length) out.push({ kind: 'key-column', reason: `a key column drifted: ${keys.join(', ')}` });
  if (triggers.decay && evidence.decay?.decayed) {
    out.push({ kind: 'decay', reason: `${evidence.decay.estimated ? 'estimated decay' : 'decay'} of ${evidence.decay.metrics.map(metricName).join(', ')}` });
  }
  if (triggers.newRows !== null && evidence.newRows >= triggers.newRows) {
    out.push({ kind: 'new-rows', reason: `${evidence.newRows.toLocaleString('en-US')} new rows since training (the policy retrains from ${triggers.newRows.toLocaleString('en-US')})` });
  }
  const schedule = scheduleDue(triggers.scheduleHours, evidence.lastScheduledAt, evidence.now);
  if (schedule.due) {
    const missed = schedule.missed ? `; ${schedule.missed} scheduled run${schedule.missed === 1 ? ' was' : 's were'} missed while the studio was closed` : '';
    out.push({ kind: 'schedule', reason: `the ${triggers.scheduleHours}-hour schedule is due${missed}` });
  }
  return out;
}

const positive: JsonSchema = { type: 'number', exclusiveMinimum: 0, maximum: 1 };

/** The JSON Schema of the spec's `monitor` part (null: the default policy). */
export function monitorSchema(): JsonSchema {
  return {
    description: 'The monitoring policy; null: retrain on dataset drift or on decay (measured or estimated), on the newest version, waiting for approval.',
    type: ['object', 'null'],
    properties: {
      triggers: {
        type: 'object',
        properties: {
          datasetDrift: { type: 'boolean', description: 'retrain when the share of drifted columns reaches the threshold (default true)' },
          decay: { type: 'boolean', description: 'retrain on measured or estimated decay (default true)' },
          keyColumns: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'retrain when any of these columns drifts' },
          newRows: { type: ['integer', 'null'], minimum: 1, description: 'retrain once this many rows were added since training' },
          scheduleHours: { type: ['number', 'null'], exclusiveMinimum: 0, description: 'retrain every this many hours while the studio is open' },
        },
        additionalProperties: false,
      },
      drift: {
        type: 'object',
        properties: {
          practicalThreshold: positive,
          shareThreshold: positive,
          columns: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              properties: { method: { type: 'string', enum: ['auto', 'psi', 'ks', 'chi2', 'wasserstein', 'jensen-shannon'] }, threshold: { type: 'number', exclusiveMinimum: 0 } },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
      retrain: {
        type: 'object',
        properties: {
          data: {
            type: 'object',
            properties: { kind: { type: 'string', enum: ['newest', 'window'] }, versions: { type: 'integer', minimum: 1 } },
            required: ['kind'],
            additionalProperties: false,
          },
          autoPromote: { type: 'boolean', description: 'the candidate replaces the champion when its review passed (default false: it waits for approval as the challenger)' },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
    default: null,
  };
}
