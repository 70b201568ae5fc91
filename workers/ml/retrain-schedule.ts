// Which model names' monitoring schedules are due: each watched version's policy, from when its schedule last ran (else when the version was saved).
import type { ScheduledRetrain } from '../../src/lib/contracts/monitor.ts';
import { firedTriggers, resolveMonitorPolicy } from '../../src/lib/pipeline/monitor/policy.ts';
import { latestModelNamed, listModels } from '../../src/lib/store/models.ts';
import { lastScheduledAt } from '../../src/lib/store/retrain.ts';

/** The model names whose policy's schedule is due at `now`, with the schedule trigger (naming runs missed while the studio was closed). */
export async function dueSchedules(now: Date): Promise<ScheduledRetrain[]> {
  const names = [...new Set((await listModels()).map((m) => m.name))];
  const due: ScheduledRetrain[] = [];
  for (const name of names) {
    const { model, run } = await latestModelNamed(name);
    const policy = resolveMonitorPolicy(run.spec.monitor);
    if (policy.triggers.scheduleHours === null || run.imported) continue;
    const since = (await lastScheduledAt(name)) ?? model.createdAt;
    const fired = firedTriggers(policy, { drift: null, decay: null, newRows: 0, lastScheduledAt: since, now }).filter((t) => t.kind === 'schedule');
    if (fired[0]) due.push({ modelName: name, trigger: fired[0] });
  }
  return due;
}
