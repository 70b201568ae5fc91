// Arguments and help of `millrace drift`: what is compared with what, where the report goes, and the thresholds.
import { AppError } from '../lib/pipeline/errors.ts';
import { DEFAULT_REGISTRY } from './registry/store.ts';

export interface DriftCommand {
  name: 'drift';
  /** A data file, or a saved model (NAME@ALIAS, NAME@VERSION, a model folder) whose reference.json is used. */
  reference: string;
  current: string;
  out: string;
  html?: string;
  registry: string;
  /** Only these columns (default: every column of the reference). */
  columns?: string[];
  /** The practical distance bar (default 0.1) and the dataset-drift share (default 0.5). */
  threshold?: number;
  share?: number;
}

export const DRIFT_USAGE = '  millrace drift --reference FILE|NAME@ALIAS|DIR --current FILE --out drift.json [--html FILE] [--columns A,B]\n                 [--threshold X] [--share X] [--registry DIR]';

export const DRIFT_HELP = `drift   compares --current with --reference column by column (numbers: PSI, KS, Wasserstein raw and normed,
        Jensen-Shannon; categories: PSI, chi-square, Jensen-Shannon, new and vanished categories; missing shares)
        and writes drift.json (datasetDrift, driftShare, columns by name) and, with --html, a static report.
        --reference is a data file, or a saved model (NAME@ALIAS, NAME@VERSION, a model folder) whose
        reference.json holds its training columns. A column drifts when its distance passes both --threshold
        (default 0.1) and what an unchanged batch of its size reaches 95% of the time; dataset drift when the
        drifted share is at least --share (default 0.5). Exit status 4 when there is dataset drift, 0 when not.`;

export const DRIFT_OPTIONS = {
  current: { type: 'string' },
  html: { type: 'string' },
  columns: { type: 'string' },
  threshold: { type: 'string' },
  share: { type: 'string' },
} as const;

const bad = (message: string) => new AppError('bad-argument', message);

function fraction(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (!value.trim() || !Number.isFinite(x) || x <= 0 || x > 1) throw bad(`--${flag} must be a number above 0 and at most 1; got "${value}"`);
  return x;
}

/** `millrace drift` from parsed flags; a missing or bad flag is named. */
export function parseDriftCommand(values: Record<string, unknown>, extra: readonly string[]): DriftCommand {
  if (extra.length) throw bad(`Unexpected argument "${extra[0]}"; see millrace --help`);
  const text = (flag: string) => values[flag] as string | undefined;
  const need = (flag: string) => {
    const value = text(flag);
    if (!value) throw bad(`drift needs --${flag}; see millrace --help`);
    return value;
  };
  const columns = text('columns')
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (columns !== undefined && columns.length === 0) throw bad('--columns names no column; give A,B,…');
  const threshold = fraction('threshold', text('threshold'));
  const share = fraction('share', text('share'));
  return {
    name: 'drift',
    reference: need('reference'),
    current: need('current'),
    out: need('out'),
    ...(text('html') ? { html: text('html') } : {}),
    registry: text('registry') ?? DEFAULT_REGISTRY,
    ...(columns ? { columns } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(share !== undefined ? { share } : {}),
  };
}
