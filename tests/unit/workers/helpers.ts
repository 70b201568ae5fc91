// Test helpers for the data worker's import API: small generated CSV batches and a file wrapper.
import type { FileInput } from '../../../workers/protocol.ts';

/** A CSV file from lines (header first), as the UI would hand it over. */
export function csvFile(name: string, lines: string[]): FileInput {
  return { name, data: new Blob([lines.join('\n') + '\n']) };
}

/** A seeded weather-like CSV: date, temp (number), weather (category) and an id, `rows` long. */
export function weatherLines(rows: number, { from = 0, temp = 'temp', weathers = ['sun', 'rain'] } = {}): string[] {
  const lines = [`id,date,${temp},weather`];
  for (let i = from; i < from + rows; i++) {
    const day = new Date(Date.UTC(2015, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${i + 1},${day},${(10 + ((i * 7) % 23) / 2).toFixed(1)},${weathers[i % weathers.length]}`);
  }
  return lines;
}
