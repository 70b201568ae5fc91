// The pure helpers behind appends: schema diff, table concatenation with unified types, incremental SHA-256.
import { describe, expect, it } from 'vitest';
import { concatTables, unifyTypes } from '../../../src/lib/pipeline/concat-tables.ts';
import { parseCsv } from '../../../src/lib/pipeline/parse-csv.ts';
import { diffSchemas } from '../../../src/lib/pipeline/schema-diff.ts';
import { createSha256 } from '../../../src/lib/pipeline/sha256-stream.ts';
import { sha256File } from '../../../src/lib/pipeline/sha256.ts';
import { columnAsStrings } from '../../../src/lib/pipeline/table.ts';

const csv = (text: string) => parseCsv(text, 'test.csv');

describe('diffSchemas', () => {
  it('finds no change between batches of the same schema and categories', () => {
    expect(diffSchemas(csv('a,b\n1,x\n2,y\n'), csv('a,b\n3,y\n4,x\n'))).toEqual({ changes: [], renames: {} });
  });

  it('takes a removed and an added column of one type with alike values as a rename, not unlike ones', () => {
    const base = csv('city,pop\nOslo,700\nBergen,290\nTromsø,77\n');
    const renamed = diffSchemas(base, csv('town,pop\nOslo,710\nBergen,291\n'));
    expect(renamed.renames).toEqual({ town: 'city' });
    expect(renamed.changes).toEqual([{ kind: 'renamed', column: 'town', detail: 'renamed from "city"' }]);
    const unlike = diffSchemas(base, csv('country,pop\nNorway,5400\nSweden,10500\n'));
    expect(unlike.changes.map((c) => `${c.kind} ${c.column}`)).toEqual(['added country', 'removed city']);
    const numbers = diffSchemas(csv('t\n10\n20\n'), csv('u\n900\n1000\n'));
    expect(numbers.renames).toEqual({});
  });

  it('names new categories, one or many', () => {
    expect(diffSchemas(csv('w\nsun\n'), csv('w\nfog\n')).changes[0]?.detail).toBe('1 new value: "fog"');
    expect(diffSchemas(csv('w\nsun\n'), csv('w\nfog\nsun\nsnow\n')).changes[0]?.detail).toBe('2 new values: "fog", "snow"');
  });
});

describe('concatTables', () => {
  it('unifies types: integer and number give number; other mixes become text', () => {
    expect([unifyTypes('integer', 'number'), unifyTypes('date', 'integer'), unifyTypes('category', 'text'), unifyTypes(undefined, 'boolean')]).toEqual([
      'number',
      'category',
      'text',
      'boolean',
    ]);
    const joined = concatTables(csv('code,n\n7,1\n8,2\n'), csv('code,n\nA1,2.5\n'));
    expect(joined.columns.map((c) => c.type)).toEqual(['category', 'number']);
    expect(columnAsStrings(joined.columns[0]!)).toEqual(['7', '8', 'A1']);
  });

  it('keeps base order under renamed names, adds new columns last with missing cells before them', () => {
    const joined = concatTables(csv('temp,w\n1,sun\n'), csv('w,temperature,wind\nfog,2,5\n'), { temperature: 'temp' });
    expect(joined.columns.map((c) => c.name)).toEqual(['temperature', 'w', 'wind']);
    expect(joined.columns.map((c) => columnAsStrings(c))).toEqual([['1', '2'], ['sun', 'fog'], [null, '5']]);
  });
});

describe('createSha256', () => {
  it('equals WebCrypto over the whole bytes, however the bytes are cut', async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) & 255);
    for (const cuts of [[], [1], [63, 64, 65], [55, 56, 119, 120, 999]]) {
      const hash = createSha256();
      let at = 0;
      for (const cut of [...cuts, bytes.length]) {
        hash.update(bytes.subarray(at, cut));
        at = cut;
      }
      expect(hash.hex()).toBe(await sha256File(bytes));
    }
    expect(createSha256().hex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
