// The bench harness that runs inside the bench worker: the step registry, timing, medians and targets.
// A step is one `defineStep({...})` call (see steps.ts); the page runs each step in a fresh worker.

/** A goal a step's result is held to; evaluated in the worker, printed as PASS/MISS by bench/run.mjs. */
export type Target =
  /** Our median must be at most `ms` milliseconds. */
  | { kind: 'maxMs'; ms: number }
  /** The peer's median must be at least `factor` times ours. */
  | { kind: 'minSpeedup'; factor: number };

export interface TargetResult {
  label: string;
  pass: boolean;
}

/** Shared, lazily built inputs of the steps (each worker builds what its step asks for, once). */
export interface StepContext {
  log(message: string): void;
  /** The reference CSV as a File (fetched from the bench server). */
  csvFile(): Promise<File>;
  /** The reference CSV's text (UTF-8). */
  csvText(): Promise<string>;
}

export interface StepDefinition<S> {
  name: string;
  /** What is timed, in a sentence. */
  description: string;
  /** The peer's name, e.g. "arquero fromCSV"; omitted when the step has none. */
  peer?: string;
  /** Timed runs of ours (default 5) and of the peer (default 3); ours and the peer's alternate. */
  reps?: number;
  peerReps?: number;
  /** Untimed runs of ours before the timed ones (default 1). */
  warmup?: number;
  targets?: Target[];
  /** Builds the inputs; untimed. */
  setup(ctx: StepContext): Promise<S>;
  /** Runs before each run of ours and of the peer; untimed (e.g. emptying the database). */
  beforeEach?(state: S, ctx: StepContext): Promise<void>;
  /** The timed work. Throw if the result is wrong. */
  run(state: S, ctx: StepContext): Promise<unknown>;
  /** The peer's timed work on the same input. */
  peerRun?(state: S, ctx: StepContext): Promise<unknown>;
  /**
   * Optional instrumented run that times the sub-steps (ms by name; "a.b" nests under "a"). Run after the
   * timed runs; the medians over `breakdownReps` (default 3) runs are reported.
   */
  breakdown?(state: S, ctx: StepContext, time: Timer): Promise<void>;
  breakdownReps?: number;
  /**
   * A breakdown part that does the same work as the peer (e.g. "parse" for a CSV reader): its median is
   * reported next to the peer's as `partSpeedup`.
   */
  peerComparablePart?: string;
  /** Limits on breakdown parts' medians (e.g. one row's attribution), reported with the targets; skipped without a breakdown. */
  partTargets?: { part: string; maxMs: number; label?: string }[];
  /** Limits on the ratio of two breakdown parts' medians (e.g. the whole import over the parse alone), reported with the targets. */
  ratioTargets?: { part: string; over: string; max: number; label: string }[];
  /** Extra fields for results.json (e.g. a check that ours and the peer agree). */
  extra?(state: S, ctx: StepContext): Promise<Record<string, unknown>>;
}

/** Times sub-steps of a breakdown run; `record` adds a duration measured some other way. */
export interface Timer {
  <T>(name: string, work: () => T | Promise<T>): Promise<T>;
  record(name: string, ms: number): void;
}

export interface StepResult {
  name: string;
  description: string;
  medianMs: number;
  runsMs: number[];
  peer: string | null;
  peerMedianMs: number | null;
  peerRunsMs: number[];
  /** The fastest runs: less sensitive than the median to other work on a shared machine. */
  minMs: number;
  peerMinMs: number | null;
  /** peerMedianMs / medianMs: how many times faster ours is. */
  speedup: number | null;
  targets: TargetResult[];
  breakdownMs?: Record<string, number>;
  [extra: string]: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const registry = new Map<string, StepDefinition<any>>();

/** Registers a step; its name must be unique. */
export function defineStep<S>(step: StepDefinition<S>): void {
  if (registry.has(step.name)) throw new Error(`bench: step ${step.name} is defined twice`);
  registry.set(step.name, step);
}

export function stepNames(): string[] {
  return [...registry.keys()];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A full garbage collection when Chromium runs with --js-flags=--expose-gc, so no run pays for the last one's garbage. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  collectGarbage();
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function evaluate(targets: Target[], ours: number, peer: number | null): TargetResult[] {
  return targets.map((target) => {
    if (target.kind === 'maxMs') return { label: `≤ ${(target.ms / 1000).toFixed(1)} s`, pass: ours <= target.ms };
    return { label: `≥ ${target.factor}× faster than peer`, pass: peer !== null && peer >= target.factor * ours };
  });
}

export interface RunOptions {
  /** Overrides the step's timed runs (ours and peer); useful for a quick smoke run. */
  reps?: number;
  skipPeer?: boolean;
  skipBreakdown?: boolean;
}

/** Runs one registered step: setup, warm-up, alternating timed runs of ours and the peer, breakdown. */
export async function runStep(name: string, ctx: StepContext, options: RunOptions = {}): Promise<StepResult> {
  const step = registry.get(name);
  if (!step) throw new Error(`bench: no step "${name}"; steps are ${stepNames().join(', ')}`);
  ctx.log(`${name}: setup`);
  const state = await step.setup(ctx);
  const reps = options.reps ?? step.reps ?? 5;
  const peerReps = step.peerRun && !options.skipPeer ? (options.reps ?? step.peerReps ?? 3) : 0;
  for (let i = 0; i < (step.warmup ?? 1); i++) {
    await step.beforeEach?.(state, ctx);
    const ms = await timed(() => step.run(state, ctx));
    ctx.log(`${name}: warm-up ${ms.toFixed(0)} ms`);
  }
  const runsMs: number[] = [];
  const peerRunsMs: number[] = [];
  for (let i = 0; i < Math.max(reps, peerReps); i++) {
    if (i < reps) {
      await step.beforeEach?.(state, ctx);
      runsMs.push(await timed(() => step.run(state, ctx)));
      ctx.log(`${name}: run ${i + 1}/${reps} ${(runsMs.at(-1) as number).toFixed(0)} ms`);
    }
    if (i < peerReps && step.peerRun) {
      const peerRun = step.peerRun;
      await step.beforeEach?.(state, ctx);
      peerRunsMs.push(await timed(() => peerRun(state, ctx)));
      ctx.log(`${name}: peer ${step.peer} ${i + 1}/${peerReps} ${(peerRunsMs.at(-1) as number).toFixed(0)} ms`);
    }
  }
  const medianMs = median(runsMs);
  const peerMedianMs = peerRunsMs.length ? median(peerRunsMs) : null;
  const result: StepResult = {
    name,
    description: step.description,
    medianMs: round(medianMs),
    runsMs: runsMs.map(round),
    peer: step.peer ?? null,
    peerMedianMs: peerMedianMs === null ? null : round(peerMedianMs),
    peerRunsMs: peerRunsMs.map(round),
    minMs: round(Math.min(...runsMs)),
    peerMinMs: peerRunsMs.length ? round(Math.min(...peerRunsMs)) : null,
    speedup: peerMedianMs === null ? null : Math.round((peerMedianMs / medianMs) * 100) / 100,
    targets: evaluate(step.targets ?? [], medianMs, peerMedianMs),
  };
  if (step.breakdown && !options.skipBreakdown) {
    const samples = new Map<string, number[]>();
    const record = (part: string, ms: number): void => {
      const list = samples.get(part) ?? [];
      list.push(ms);
      samples.set(part, list);
    };
    const time: Timer = Object.assign(
      async <T>(part: string, work: () => T | Promise<T>): Promise<T> => {
        const t0 = performance.now();
        const out = await work();
        record(part, performance.now() - t0);
        return out;
      },
      { record },
    );
    const n = step.breakdownReps ?? 3;
    for (let i = 0; i < n; i++) {
      await step.beforeEach?.(state, ctx);
      await step.breakdown(state, ctx, time);
      ctx.log(`${name}: breakdown ${i + 1}/${n}`);
    }
    result.breakdownMs = Object.fromEntries([...samples].map(([part, list]) => [part, round(median(list))]));
    for (const { part, maxMs, label } of step.partTargets ?? []) {
      const ms = result.breakdownMs[part];
      result.targets.push({ label: `${label ?? part} ≤ ${maxMs} ms (${ms === undefined ? 'not measured' : `${ms} ms`})`, pass: ms !== undefined && ms <= maxMs });
    }
    for (const { part, over, max, label } of step.ratioTargets ?? []) {
      const [a, b] = [result.breakdownMs[part], result.breakdownMs[over]];
      const ratio = a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
      result.targets.push({ label: `${label} ≤ ${max}× (${ratio === undefined ? 'not measured' : `${ratio.toFixed(2)}×: ${a} / ${b} ms`})`, pass: ratio !== undefined && ratio <= max });
    }
    const part = step.peerComparablePart;
    const partMs = part === undefined ? undefined : result.breakdownMs[part];
    if (part !== undefined && partMs !== undefined && peerMedianMs !== null) {
      result.partSpeedup = { part, medianMs: partMs, speedup: Math.round((peerMedianMs / partMs) * 100) / 100 };
    }
  }
  if (step.extra) Object.assign(result, await step.extra(state, ctx));
  return result;
}
