// The numbers a review policy can check, read from a metrics record (the ones it has).
import type { Metrics } from '../types.ts';
import { POLICY_METRICS, type PolicyMetric } from './policy.ts';

/** The policy metrics a metrics record holds as numbers. */
export function headlineOf(metrics: Metrics | Record<string, unknown>): Partial<Record<PolicyMetric, number>> {
  const out: Partial<Record<PolicyMetric, number>> = {};
  for (const key of Object.keys(POLICY_METRICS) as PolicyMetric[]) {
    const value = (metrics as Record<string, unknown>)[key];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}
