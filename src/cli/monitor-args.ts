// Arguments and help of `millrace monitor`: a registry model's monitoring policy run once on a new batch, optionally with the retrain.
import { AppError } from '../lib/pipeline/errors.ts';
import { checkModelName, DEFAULT_REGISTRY } from './registry/store.ts';

export interface MonitorCommand {
  name: 'monitor';
  registry: string;
  /** The model name; its champion (else its newest version) is watched. */
  model: string;
  data: string;
  retrain: boolean;
  /** The data a retrain trains on (default: --data, the newest data). */
  retrainData?: string;
  /** Where the retrain's run folder goes (default: a new temporary folder). */
  out?: string;
  json: boolean;
  salt?: string;
}

export const MONITOR_USAGE = '  millrace monitor --model NAME --data FILE [--retrain [--retrain-data FILE] [--out DIR]] [--json] [--registry DIR]';

export const MONITOR_HELP = `monitor runs NAME's monitoring policy (its pipeline spec's "monitor" part; default: dataset drift or decay) once
        on FILE against its champion (else its newest version): drift of the inputs, the predictions and the
        target, and measured decay (FILE has the target) or the label-free estimate (it has none). Exit status
        0 when nothing triggers, 4 when a trigger fires. With --retrain, a fired trigger retrains the champion's
        spec on --retrain-data (default FILE) with the champion compared on the same test rows; a candidate whose
        review passes is registered and made the challenger (and the champion when the policy sets
        retrain.autoPromote); a failed one is not registered. --json prints the whole outcome as JSON.`;

export const MONITOR_OPTIONS = {
  retrain: { type: 'boolean' },
  'retrain-data': { type: 'string' },
} as const;

const ALLOWED = new Set(['registry', 'model', 'data', 'retrain', 'retrain-data', 'out', 'json', 'salt', 'help']);

const bad = (message: string) => new AppError('bad-argument', message);

/** `millrace monitor` from parsed flags; a missing, unknown or misplaced flag is named. */
export function parseMonitorCommand(values: Record<string, unknown>, extra: readonly string[]): MonitorCommand {
  if (extra.length) throw bad(`Unexpected argument "${extra[0]}"; see millrace --help`);
  const other = Object.keys(values).find((flag) => values[flag] !== undefined && !ALLOWED.has(flag));
  if (other) throw bad(`monitor does not take --${other}; see millrace --help`);
  const text = (flag: string) => values[flag] as string | undefined;
  const need = (flag: string) => {
    const value = text(flag);
    if (!value) throw bad(`monitor needs --${flag}; see millrace --help`);
    return value;
  };
  const retrain = values.retrain === true;
  for (const flag of ['retrain-data', 'out']) if (text(flag) !== undefined && !retrain) throw bad(`--${flag} goes with --retrain; see millrace --help`);
  return {
    name: 'monitor',
    registry: text('registry') ?? DEFAULT_REGISTRY,
    model: checkModelName(need('model')),
    data: need('data'),
    retrain,
    ...(text('retrain-data') !== undefined ? { retrainData: need('retrain-data') } : {}),
    ...(text('out') !== undefined ? { out: need('out') } : {}),
    json: values.json === true,
    ...(text('salt') !== undefined ? { salt: text('salt') } : {}),
  };
}
