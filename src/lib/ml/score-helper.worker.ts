// The scoring helper Worker (started by score-helper.ts from the ML worker): a thin shell that answers ScoreHelper requests with pipeline/score-output.ts.
import { toErrorInfo } from '../pipeline/errors.ts';
import { parseFilePart, serveHelper, type HelperReply, type HelperRequest, type HelperState } from '../pipeline/score-output.ts';
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

/** Posts a reply, moving the arrays it hands over. */
function reply(answer: HelperReply): void {
  const transfer: Transferable[] = [];
  if (answer.op === 'features') transfer.push(answer.matrix.buffer as ArrayBuffer);
  if (answer.op === 'parse' && answer.part) transfer.push(...partBuffers(answer.part));
  if (answer.op === 'finish') for (const buffer of new Set([...answer.csv, ...(answer.rejects ?? [])].map((part) => part.buffer as ArrayBuffer))) transfer.push(buffer);
  self.postMessage(answer, { transfer });
}

function fail(error: unknown): void {
  failed = true;
  self.postMessage({ op: 'error', error: toErrorInfo(error) } satisfies HelperReply);
}

self.onmessage = (event: MessageEvent<HelperRequest>) => {
  if (failed) return;
  const request = event.data;
  // Read from the File, asynchronously; the caller waits for this answer before it asks anything else.
  if (request.op === 'parse-file') {
    parseFilePart(state, request).then(reply, fail);
    return;
  }
  try {
    const answer = serveHelper(state, request);
    if (answer !== null) reply(answer);
  } catch (error) {
    fail(error);
  }
};

self.postMessage({ op: 'ready' } satisfies HelperReply);
