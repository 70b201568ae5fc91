// Compares two scored CSV files cell by cell: numbers to an absolute difference, other cells exactly.

/** RFC 4180 records of a CSV text (quoted fields, CRLF or LF). */
export function parseCsvText(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

/** Rows compared, the largest absolute difference of numeric cells, and whether the texts are identical; throws on any other difference. */
export function compareScored(expected: string, actual: string): { rows: number; maxAbs: number; identical: boolean } {
  const a = parseCsvText(expected);
  const b = parseCsvText(actual);
  if (JSON.stringify(a[0]) !== JSON.stringify(b[0])) throw new Error(`Headers differ: ${JSON.stringify(a[0])} vs ${JSON.stringify(b[0])}`);
  if (a.length !== b.length) throw new Error(`Row counts differ: ${a.length - 1} vs ${b.length - 1}`);
  let maxAbs = 0;
  for (let r = 1; r < a.length; r++) {
    for (let c = 0; c < a[r]!.length; c++) {
      const x = a[r]![c]!;
      const y = b[r]![c];
      if (x === y) continue;
      const dx = Number(x);
      const dy = Number(y);
      if (x === '' || y === '' || Number.isNaN(dx) || Number.isNaN(dy)) throw new Error(`Row ${r}, column "${a[0]![c]}": ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
      maxAbs = Math.max(maxAbs, Math.abs(dx - dy));
    }
  }
  return { rows: a.length - 1, maxAbs, identical: expected === actual };
}

/**
 * predict()'s objects against the studio's scored CSV, row by row: the largest absolute difference of the numbers
 * (the CSV holds the shortest text of each float32, read back as float32 here) and a list of every other cell that
 * differs ("row i key: got … expected …"); a different row count throws.
 */
export function comparePredictions(predictions: Record<string, unknown>[], scoredCsv: string): { maxAbs: number; mismatches: string[] } {
  const [header, ...lines] = parseCsvText(scoredCsv);
  if (predictions.length !== lines.length) throw new Error(`predict() gave ${predictions.length} rows, the scored file has ${lines.length}`);
  let maxAbs = 0;
  const mismatches: string[] = [];
  for (const [i, prediction] of predictions.entries()) {
    for (const [key, value] of Object.entries(prediction)) {
      if (key === 'row') continue;
      const expected = lines[i]![header!.indexOf(key)]!;
      if (typeof value === 'number') maxAbs = Math.max(maxAbs, Math.abs(value - Math.fround(Number(expected))));
      else if (value !== expected) mismatches.push(`row ${i} ${key}: got ${JSON.stringify(value)}, expected ${JSON.stringify(expected)}`);
    }
  }
  return { maxAbs, mismatches };
}
