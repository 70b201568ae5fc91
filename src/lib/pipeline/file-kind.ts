// Tells file kinds apart by their first bytes: Parquet and Arrow IPC (which we read) from other binary files.

const SIGNATURES: { name: string; bytes: number[] }[] = [
  { name: 'PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { name: 'GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'PDF document', bytes: [0x25, 0x50, 0x44, 0x46] },
  { name: 'ZIP archive (or Excel workbook)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'gzip archive', bytes: [0x1f, 0x8b] },
  { name: 'Parquet file', bytes: [0x50, 0x41, 0x52, 0x31] },
  { name: 'Arrow file', bytes: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31] },
];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

/** The lower-case extension of a file name, without the dot ('' when there is none). */
export function extension(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

/** True for a Parquet file: "PAR1" at the start (the footer is checked by the reader). */
export function isParquet(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x50, 0x41, 0x52, 0x31]);
}

/** True for Arrow IPC: the file format ("ARROW1") or a stream starting with a continuation marker. */
export function isArrowIpc(bytes: Uint8Array, fileName = ''): boolean {
  if (startsWith(bytes, [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31])) return true;
  const ext = extension(fileName);
  return startsWith(bytes, [0xff, 0xff, 0xff, 0xff]) && (ext === 'arrow' || ext === 'arrows' || ext === 'ipc' || ext === 'feather');
}

/** Names a binary file by its magic number (PNG, PDF, ZIP, …), or returns null. */
export function detectSignature(bytes: Uint8Array): string | null {
  for (const signature of SIGNATURES) {
    if (startsWith(bytes, signature.bytes)) return signature.name;
  }
  return null;
}

/**
 * Names the kind of a binary file from its first bytes, or returns null for text. A NUL byte in the first
 * 4 KB means binary: call this only for 8-bit encodings (UTF-16 text is full of NULs).
 */
export function detectBinary(bytes: Uint8Array): string | null {
  const signature = detectSignature(bytes);
  if (signature) return signature;
  const end = Math.min(bytes.length, 4096);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return 'binary data';
  return null;
}
