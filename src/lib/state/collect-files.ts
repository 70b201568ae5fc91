// Turning what a person drops or pastes into files to import: several files, folders (walked), spreadsheet text.

/** The extensions the Collect stage reads; anything else in a dropped folder is skipped and named. */
export const IMPORTABLE_EXTENSIONS = ['csv', 'tsv', 'json', 'ndjson', 'jsonl', 'parquet', 'arrow', 'arrows', 'feather', 'ipc'];

/** The `accept` list of the file pickers (a chosen .txt is read as delimited text; in folders it is skipped). */
export const ACCEPT = [...IMPORTABLE_EXTENSIONS, 'txt'].map((ext) => `.${ext}`).join(',');

/** What a drop held: files to import in order, and the files of dropped folders that were left out. */
export interface DroppedFiles {
  files: File[];
  /** Paths inside dropped folders that are not data files, e.g. "photos/cat.png". */
  skipped: string[];
}

export function isImportable(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && IMPORTABLE_EXTENSIONS.includes(name.slice(dot + 1).toLowerCase());
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every entry of a directory: `readEntries` hands them out in batches (100 in Chromium) until an empty one. */
async function directoryEntries(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, into: DroppedFiles): Promise<void> {
  if (entry.isFile) {
    const path = entry.fullPath.replace(/^\//, '');
    if (isImportable(entry.name)) into.files.push(await entryFile(entry as FileSystemFileEntry));
    else into.skipped.push(path);
    return;
  }
  if (entry.isDirectory) {
    const children = await directoryEntries(entry as FileSystemDirectoryEntry);
    children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    for (const child of children) await walk(child, into);
  }
}

/**
 * Reads a drop: plain files as they are (whatever their extension, so the importer can say what is wrong
 * with a bad one), folders walked recursively keeping only data files. Must be called during the drop
 * event: the browser empties `items` once the handler returns, so the entries are taken synchronously first.
 */
export async function droppedFiles(transfer: DataTransfer): Promise<DroppedFiles> {
  const entries: (FileSystemEntry | null)[] = [];
  const plain: File[] = [];
  for (const item of Array.from(transfer.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    const file = item.getAsFile();
    if (entry?.isDirectory) entries.push(entry);
    else if (file) plain.push(file);
  }
  if (entries.length === 0 && plain.length === 0) plain.push(...Array.from(transfer.files ?? []));
  const result: DroppedFiles = { files: plain, skipped: [] };
  for (const entry of entries) if (entry) await walk(entry, result);
  return result;
}

/**
 * Text pasted from a spreadsheet (tab-separated rows) as a file to import, named `pasted-<time>.tsv`;
 * null when the text is not a table (a single line, or no tabs).
 */
export function pastedTable(text: string, now = new Date()): File | null {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length < 2 || !lines[0]?.includes('\t')) return null;
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return new File([lines.join('\n') + '\n'], `pasted-${stamp}.tsv`, { type: 'text/tab-separated-values' });
}
