// Reads JSON arrays of flat records and NDJSON (one record per line) into typed tables.
import { AppError } from './errors.ts';
import { ColumnCollector, jsonValueToRaw } from './infer.ts';
import { jsonErrorOffset, positionAt } from './json-locate.ts';
import type { DataTable } from './types.ts';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const kind = typeof value;
  return kind === 'object' ? 'an object' : `a ${kind}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function badJson(text: string, fileName: string, cause: unknown, lineOffset = 0): AppError {
  const offset = jsonErrorOffset(text);
  const where = positionAt(text, offset < 0 ? text.length : offset);
  const line = where.line + lineOffset;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new AppError(
    'bad-json',
    `${fileName} is not valid JSON: the problem is at line ${line}, column ${where.column} (${detail})`,
    { file: fileName, row: line },
    { cause },
  );
}

/** Options of the JSON readers: columns with a chosen date format stay text for `applyTypeOverrides` to cast. */
export interface JsonOptions {
  dateFormats?: Readonly<Record<string, string>>;
}

/** Builds a table from records: keys are unioned in first-seen order; nested values are kept as JSON text. */
export function recordsToTable(records: readonly Record<string, unknown>[], fileName: string, options: JsonOptions = {}): DataTable {
  if (records.length === 0) throw new AppError('empty-file', `${fileName} has no records`, { file: fileName });
  const collectors = new Map<string, ColumnCollector>();
  const order: ColumnCollector[] = [];
  records.forEach((record, r) => {
    for (const key of Object.keys(record)) {
      if (collectors.has(key)) continue;
      const collector = new ColumnCollector(key, records.length);
      for (let k = 0; k < r; k++) collector.push('');
      collectors.set(key, collector);
      order.push(collector);
    }
    for (const collector of order) collector.push(jsonValueToRaw(record[collector.name]));
  });
  const formats = options.dateFormats ?? {};
  const columns = order.map((collector) => collector.finish(formats[collector.name] === undefined ? undefined : 'text'));
  return { rowCount: records.length, columns };
}

/**
 * Parses a JSON array of flat records.
 * @example parseJson('[{"a":1},{"a":2,"b":"x"}]', 'small.json') // 2 rows, columns a and b
 */
export function parseJson(text: string, fileName: string, options: JsonOptions = {}): DataTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new AppError('empty-file', `${fileName} is empty`, { file: fileName });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw badJson(text, fileName, error);
  }
  if (!Array.isArray(data)) {
    const found = isRecord(data)
      ? `found an object with key${Object.keys(data).length === 1 ? '' : 's'} ${Object.keys(data)
          .slice(0, 5)
          .map((k) => JSON.stringify(k))
          .join(', ')}`
      : `found ${describe(data)}`;
    throw new AppError('not-records', `${fileName} is not an array of records: ${found}`, { file: fileName });
  }
  data.forEach((item, index) => {
    if (!isRecord(item)) {
      throw new AppError(
        'not-records',
        `${fileName} is not an array of records: item ${index + 1} is ${describe(item)}`,
        { file: fileName, row: index + 1 },
      );
    }
  });
  return recordsToTable(data as Record<string, unknown>[], fileName, options);
}

/** Parses newline-delimited JSON: one record per line; blank lines are skipped. */
export function parseNdjson(text: string, fileName: string, options: JsonOptions = {}): DataTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new AppError('empty-file', `${fileName} is empty`, { file: fileName });
  const records: Record<string, unknown>[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch (error) {
      throw badJson(line, fileName, error, index);
    }
    if (!isRecord(item)) {
      throw new AppError(
        'not-records',
        `${fileName} line ${index + 1} is ${describe(item)}, not a record`,
        { file: fileName, row: index + 1 },
      );
    }
    records.push(item);
  });
  return recordsToTable(records, fileName, options);
}
