/** A parsing worker: files of one disclosure in, the parsed disclosure (plain data) out. */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { readDisclosure } from './extract.js';
import { UnsupportedFormatError } from './ingest/errors.js';
import type { ParseResult } from './pool.js';

// pdfjs can reject a promise after a damaged file was already read or refused:
// a late rejection must not take the thread (and the next file) with it
process.on('unhandledRejection', () => undefined);

parentPort!.on('message', async (files: string[]) => {
  let result: ParseResult;
  try {
    result = { ok: true, disclosure: await readDisclosure(files) };
  } catch (e) {
    const err = e as Error;
    result = { ok: false, error: { name: err.name, message: err.message.replace(/\s*\n\s*/g, ' '), unsupported: e instanceof UnsupportedFormatError } };
  }
  // the pool replaces a worker whose heap has grown past its limit (see RECYCLE_HEAP_MB)
  result.heapMb = getHeapStatistics().total_heap_size / 1048576;
  parentPort!.postMessage(result);
});
