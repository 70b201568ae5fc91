// The column-decode Worker: a share of a stored version's columns decoded on the other core (a thin shell around decodeColumns).
import { toErrorInfo, type ErrorInfo } from '../src/lib/pipeline/errors.ts';
import type { Column } from '../src/lib/pipeline/types.ts';
import { decodeColumns, type ColumnsJob } from '../src/lib/store/version-columns.ts';

/** A request: which job it is (replies come back with it) and the columns to decode. */
export interface DecodeRequest {
  id: number;
  job: ColumnsJob;
}

/** The reply: the columns (their arrays moved here), or why the stored data could not be decoded. */
export type DecodeReply = { id: number; columns: Column[] } | { id: number; error: ErrorInfo };

self.onmessage = async ({ data: { id, job } }: MessageEvent<DecodeRequest>) => {
  try {
    const columns = await decodeColumns(job);
    const buffers = columns.map((column) => ('codes' in column ? column.codes : column.values).buffer as ArrayBuffer);
    self.postMessage({ id, columns } satisfies DecodeReply, { transfer: buffers });
  } catch (error) {
    self.postMessage({ id, error: toErrorInfo(error) } satisfies DecodeReply);
  }
};
