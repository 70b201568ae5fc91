// The one RFC 4180 CSV/TSV parser: takes text in pieces (a whole file or decoded stream chunks), fills typed
// column builders record by record, and carries a record cut off at the end of a piece over to the next one.
import { AppError } from './errors.ts';
import { NumericSink, StringSink, type ColumnSink } from './column-sink.ts';
import type { ColumnType, DataTable } from './types.ts';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const MINUS = 45;
const ZERO = 48;
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
/** A record still incomplete after this many characters is reported instead of held in memory. */
const MAX_RECORD_CHARS = 1 << 26;

/** Options of the parser; the delimiter is already decided (sniffed or chosen). */
export interface CsvParserOptions {
  delimiter: string;
  /** Decimal separator of numbers: '.' (the default) or ','. */
  decimal?: '.' | ',';
  /** Expected number of rows: columns are allocated for it and grow by half when it is passed. */
  capacity?: number;
  /** Column types the user chose; 'category' and 'text' columns are read as text from the start. */
  types?: Readonly<Record<string, ColumnType>>;
  /** Date formats the user chose, by column name: such columns stay text for `applyTypeOverrides` to cast. */
  dateFormats?: Readonly<Record<string, string>>;
}

/** Makes header names usable: empty names become column_N, repeats get a suffix (a, a_2, a_3); says so in `notes`. */
export function cleanHeader(names: readonly string[], notes?: string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw, i) => {
    const base = raw.trim() === '' ? `column_${i + 1}` : raw;
    let name = base;
    for (let k = 2; seen.has(name); k++) name = `${base}_${k}`;
    seen.add(name);
    if (notes && raw.trim() === '') notes.push(`Named the column with an empty header (column ${i + 1}) "${name}"`);
    else if (notes && name !== raw) notes.push(`Renamed duplicate column "${raw}" to "${name}"`);
    return name;
  });
}

function plural(n: number): string {
  return n === 1 ? '1 field' : `${n} fields`;
}

/** A parse before its columns are built: the cleaned header, the rows read and one builder per column. */
export interface CsvParts {
  header: readonly string[];
  rows: number;
  sinks: ColumnSink[];
}

/** Builds the columns of a parse, as the user's types ask ('category' and 'text' forced, a date format's column as text). */
export function finishColumns(parts: CsvParts, options: Pick<CsvParserOptions, 'types' | 'dateFormats'>): DataTable {
  const types = options.types ?? {};
  const formats = options.dateFormats ?? {};
  const columns = parts.sinks.map((sink, c) => {
    const name = parts.header[c] ?? '';
    const forced = types[name];
    return sink.finish(forced === 'category' || forced === 'text' ? forced : formats[name] !== undefined ? 'text' : undefined);
  });
  return { rowCount: parts.rows, columns };
}

/** Incremental CSV parser: `push` pieces of text, then `end`, then `finish` for the table. */
export class CsvParser {
  readonly fileName: string;
  readonly notes: string[] = [];
  /** Line number (1-based) of the next character to read. */
  line = 1;
  rows = 0;
  readonly #delim: number;
  readonly #plainAbove: number;
  /** The decimal separator's character code. */
  readonly #point: number;
  /** Per column: 1 while its builder is numeric (its unquoted cells are read as numbers in the scan itself). */
  #numeric = new Uint8Array(0);
  readonly #options: CsvParserOptions;
  #carry = '';
  #started = false;
  #ended = false;
  #header: string[] | null = null;
  #sinks: ColumnSink[] = [];
  #pendingBlank = 0;
  // The field just scanned: text[start, end) or `quoted`; whether it ended its record.
  #start = 0;
  #end = 0;
  #quoted: string | null = null;
  #recordEnd = false;

  constructor(fileName: string, options: CsvParserOptions) {
    const d = options.delimiter;
    if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
      throw new AppError('bad-argument', `The delimiter must be one character other than a quote or line break, got "${d}"`, {
        file: fileName,
      });
    }
    this.fileName = fileName;
    this.#options = options;
    this.#delim = d.charCodeAt(0);
    this.#plainAbove = Math.max(this.#delim, QUOTE, LF, CR);
    this.#point = (options.decimal ?? '.').charCodeAt(0);
  }

  /** The cleaned header, once the first record has been read. */
  get header(): readonly string[] | null {
    return this.#header;
  }

  /** Parses a piece of text; a record that runs past its end waits for the next piece. */
  push(text: string): void {
    if (this.#ended) throw new AppError('bad-argument', `${this.fileName}: text pushed after the end of the file`, { file: this.fileName });
    this.#consume(text, false);
  }

  /** Parses the last piece (if any) and checks that the file ended cleanly. */
  end(text = ''): void {
    if (this.#ended) return;
    this.#consume(text, true);
    this.#ended = true;
  }

  /** Builds the table; call after `end`. */
  finish(): DataTable {
    return finishColumns(this.finishParts(), this.#options);
  }

  /** The header, row count and column builders, not built yet (to join with another part of the same file); call after `end`. */
  finishParts(): CsvParts {
    if (!this.#ended) this.end();
    const file = this.fileName;
    if (this.#header === null) throw new AppError('empty-file', `${file} is empty`, { file });
    if (this.rows === 0) throw new AppError('header-only', `${file} has a header but no data rows`, { file, row: 2 });
    const sinks = this.#sinks;
    this.#sinks = [];
    return { header: this.#header, rows: this.rows, sinks };
  }

  #consume(piece: string, final: boolean): void {
    let text = this.#carry === '' ? piece : this.#carry + piece;
    this.#carry = '';
    if (!this.#started && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.#started = true;
    }
    const n = text.length;
    let i = 0;
    while (i < n) {
      const recordStart = i;
      const recordLine = this.line;
      if (this.#header === null) {
        const names: string[] = [];
        do {
          i = this.#field(text, i, final, names.length);
          if (i < 0) break;
          names.push(this.#value(text));
        } while (!this.#recordEnd);
        if (i < 0) {
          i = recordStart;
          this.line = recordLine;
          break;
        }
        this.#startColumns(names);
        continue;
      }
      const width = this.#sinks.length;
      const first = text.charCodeAt(i);
      if (first === LF || first === CR) {
        if (first === CR && i + 1 === n && !final) break; // the LF of this CRLF may start the next piece
        i += first === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
        this.line++;
        if (width === 1) this.#pendingBlank++; // a blank line is a missing value, unless it trails the file
        continue;
      }
      if (this.#pendingBlank > 0) {
        // Blank lines held back in a one-column file are missing values now that a record follows them.
        const sink = this.#sinks[0] as ColumnSink;
        for (let k = 0; k < this.#pendingBlank; k++) sink.pushString('');
        this.rows += this.#pendingBlank;
        this.#pendingBlank = 0;
      }
      i = this.#record(text, i, final, recordLine);
      if (i < 0) {
        for (const sink of this.#sinks) sink.truncate(this.rows);
        this.line = recordLine;
        i = recordStart;
        break;
      }
    }
    if (i < n) {
      this.#carry = text.slice(i);
      if (this.#carry.length > MAX_RECORD_CHARS) {
        throw new AppError(
          'unterminated-quote',
          `${this.fileName} line ${this.line} starts a record that is still open after 64 MB of text (a quote that is never closed?)`,
          { file: this.fileName, row: this.line },
        );
      }
    }
  }

  #startColumns(names: string[]): void {
    const header = cleanHeader(names, this.notes);
    const types = this.#options.types ?? {};
    const formats = this.#options.dateFormats ?? {};
    const capacity = this.#options.capacity ?? 1024;
    this.#header = header;
    this.#sinks = header.map((name) =>
      types[name] === 'category' || types[name] === 'text' || formats[name] !== undefined
        ? new StringSink(name, capacity)
        : new NumericSink(name, capacity, this.#options.decimal),
    );
    this.#numeric = Uint8Array.from(this.#sinks, (sink) => (sink instanceof NumericSink ? 1 : 0));
  }

  /** Reads one record into the columns; returns the index after it, or -1 when the text ends inside it. */
  #record(text: string, i: number, final: boolean, recordLine: number): number {
    const sinks = this.#sinks;
    const width = sinks.length;
    const n = text.length;
    const delim = this.#delim;
    // Characters above this code are never a delimiter, quote or line break.
    const plain = this.#plainAbove;
    const numeric = this.#numeric;
    const point = this.#point;
    let count = 0;
    let recordEnd: boolean;
    // The number read in the scan of a numeric cell (NaN: none; the builder reads the cell) and whether it is whole.
    let value = NaN;
    let whole = true;
    let fixed = 0; // the decimals of that number when String() would not print them back ("1.50"), else 0
    do {
      let c = text.charCodeAt(i);
      let start: number;
      let end: number;
      let quoted: string | null = null;
      if (c === QUOTE) {
        i = this.#field(text, i, final, count);
        if (i < 0) return -1;
        quoted = this.#quoted;
        start = this.#start;
        end = this.#end;
        recordEnd = this.#recordEnd;
      } else {
        // An unquoted field, scanned here (the common case) with the same ending rules as #field. In a numeric
        // column the scan reads the digits as it goes: a number String() prints back as written ("-12", "0.5")
        // is pushed as its value; anything else is scanned on and read by the builder from its text.
        start = i;
        if (numeric[count] === 1) {
          const negative = c === MINUS;
          if (negative) i++;
          const intStart = i;
          let mantissa = 0;
          let d: number;
          while (i < n && (d = text.charCodeAt(i) - ZERO) >= 0 && d <= 9) {
            mantissa = mantissa * 10 + d;
            i++;
          }
          const intDigits = i - intStart;
          let fraction = -1;
          if (i < n && text.charCodeAt(i) === point) {
            const fractionStart = ++i;
            while (i < n && (d = text.charCodeAt(i) - ZERO) >= 0 && d <= 9) {
              mantissa = mantissa * 10 + d;
              i++;
            }
            fraction = i - fractionStart;
          }
          c = i < n ? text.charCodeAt(i) : -1;
          if (
            (c === delim || c === LF || c === CR || c === -1) &&
            intDigits > 0 &&
            intDigits + (fraction > 0 ? fraction : 0) <= 15 &&
            fraction !== 0 &&
            (intDigits === 1 || text.charCodeAt(intStart) !== ZERO)
          ) {
            // Both operands are exact doubles, so the division is correctly rounded, like Number(text).
            const magnitude = fraction > 0 ? mantissa / (POW10[fraction] as number) : mantissa;
            // A trailing zero ("1.50") or a tiny value keeps its number of decimals, so that its text can be
            // given back; "-0" is left to the builder, which keeps it as written (NumericSink.pushRange has the
            // same rules for what String() prints back; keep the two alike).
            if (!(negative && magnitude === 0)) {
              value = negative ? -magnitude : magnitude;
              whole = fraction < 0;
              if (fraction > 0 && (text.charCodeAt(i - 1) === ZERO || magnitude < 1e-6)) fixed = fraction;
            }
          }
        }
        while (i < n && ((c = text.charCodeAt(i)) > plain || (c !== delim && c !== LF && c !== CR))) i++;
        end = i;
        if (i >= n) {
          if (!final) return -1;
          recordEnd = true;
        } else if (c === delim) {
          recordEnd = false;
          i++;
        } else {
          if (c === CR && i + 1 === n && !final) return -1;
          this.line++;
          recordEnd = true;
          i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
        }
      }
      const sink = sinks[count];
      if (value === value) {
        if (fixed === 0) (sink as NumericSink).pushPlain(value, whole);
        else {
          (sink as NumericSink).pushFixed(value, fixed);
          fixed = 0;
        }
        value = NaN;
      } else if (sink) {
        const ok = quoted === null ? sink.pushRange(text, start, end) : sink.pushString(quoted);
        if (!ok) {
          const asText = (sink as NumericSink).toText();
          sinks[count] = asText;
          numeric[count] = 0;
          if (quoted === null) asText.pushRange(text, start, end);
          else asText.pushString(quoted);
        }
      }
      count++;
    } while (!recordEnd);
    if (count !== width) {
      const file = this.fileName;
      throw new AppError('ragged-row', `${file} line ${recordLine} has ${plural(count)}; the header has ${width}`, { file, row: recordLine });
    }
    this.rows++;
    return i;
  }

  /** The current field as a string. */
  #value(text: string): string {
    return this.#quoted ?? text.slice(this.#start, this.#end);
  }

  /**
   * Scans one field from `i`; returns the index after its delimiter or line break, or -1 when the text ends
   * before the field does and more may follow (`final` false).
   */
  #field(text: string, i: number, final: boolean, fieldIndex: number): number {
    const n = text.length;
    const delim = this.#delim;
    let c = text.charCodeAt(i);
    if (c === QUOTE) {
      const openLine = this.line;
      let start = i + 1;
      let j = start;
      let value = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          if (!final) return -1;
          const file = this.fileName;
          throw new AppError('unterminated-quote', `${file} line ${openLine} opens a quoted field (field ${fieldIndex + 1}) that is never closed`, {
            file,
            row: openLine,
            column: this.#header?.[fieldIndex],
          });
        }
        for (let k = j; k < q; k++) if (text.charCodeAt(k) === LF) this.line++;
        if (q + 1 === n && !final) return -1; // the next piece may start with the second quote of a pair
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(start, q + 1);
          start = j = q + 2;
          continue;
        }
        value += text.slice(start, q);
        i = q + 1;
        break;
      }
      // Characters between the closing quote and the delimiter are kept as written.
      const tail = i;
      while (i < n && (c = text.charCodeAt(i)) !== delim && c !== LF && c !== CR) i++;
      this.#quoted = i > tail ? value + text.slice(tail, i) : value;
    } else {
      this.#start = i;
      while (i < n && (c = text.charCodeAt(i)) !== delim && c !== LF && c !== CR) i++;
      this.#end = i;
      this.#quoted = null;
    }
    if (i >= n) {
      if (!final) return -1;
      this.#recordEnd = true;
      return n;
    }
    c = text.charCodeAt(i);
    if (c === delim) {
      this.#recordEnd = false;
      return i + 1;
    }
    // End of line: \n, \r\n or a lone \r (whose \n may be the first character of the next piece).
    if (c === CR && i + 1 === n && !final) return -1;
    this.line++;
    this.#recordEnd = true;
    return i + (c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1);
  }
}
