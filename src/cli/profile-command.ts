// `millrace profile`: the column profile of a file as JSON on stdout.
import { profileTable } from '../lib/pipeline/profile.ts';
import { readTable } from './read-data.ts';

/** Prints the profile (rows, and per column type, missing, distinct, stats, histogram or top values). */
export async function profileCommand(data: string, write: (text: string) => void): Promise<void> {
  const { table } = await readTable(data);
  write(JSON.stringify(profileTable(table), null, 2) + '\n');
}
