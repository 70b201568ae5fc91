// The scoring helper Worker (started by score-helper.ts from the ML worker): a thin shell that answers ScoreHelper requests with pipeline/score-output.ts.
import { toErrorInfo } from '../pipeline/errors.ts';
import { serveHelper, type HelperReply, type HelperRequest, type HelperState } from '../pipeline/score-output.ts';
import type { CsvPart } from '../pipeline/score-read.ts';

/** The distinct buffers of a parsed part's columns (they move to the ML worker). */
function partBuffers(part: CsvPart): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const column of part.columns) {
    buffers.add((column.kind === 'text' ? column.codes : column.values).buffer as ArrayBuffer);
    if (column.kind === 'numeric' && column.decimals) buffers.add(column.decimals.buffer as ArrayBuffer);
  }
  return [...buffers];
}

const state: HelperState = { writer: null, timings: {} };
let failed = false;

self.onmessage = (event: MessageEvent<HelperRequest>) => {
  if (failed) return;
  try {
    const reply = serveHelper(state, event.data);
    if (reply === null) return;
    const transfer: Transferable[] = [];
    if (reply.op === 'features') transfer.push(reply.matrix.buffer as ArrayBuffer);
    if (reply.op === 'parse' && reply.part) transfer.push(...partBuffers(reply.part));
    if (reply.op === 'finish') for (const buffer of new Set([...reply.csv, ...(reply.rejects ?? [])].map((part) => part.buffer as ArrayBuffer))) transfer.push(buffer);
    self.postMessage(reply, { transfer });
  } catch (error) {
    failed = true;
    self.postMessage({ op: 'error', error: toErrorInfo(error) } satisfies HelperReply);
  }
};

self.postMessage({ op: 'ready' } satisfies HelperReply);
