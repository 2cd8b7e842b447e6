/** A parsing worker: files of one disclosure in, the parsed disclosure (plain data) out. */
import { readlinkSync } from 'node:fs';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { readDisclosure } from './extract.js';
import { failureMessage, UnsupportedFormatError } from './ingest/errors.js';
import type { ParseResult } from './pool.js';
import { onProgress } from './progress.js';

// each OCR'd page restarts the job's time limit in the pool
onProgress(() => parentPort!.postMessage({ progress: true }));

// A reader could reject a promise after a damaged file was already read or refused
// (pdfjs did, in its page-tree prefetch: fixed by scripts/patch-deps.mjs). Should
// another such path exist, a late rejection must not take the thread (and the next file) with it
process.on('unhandledRejection', () => undefined);

// DISCLOSURES_POOL_DEBUG: name this thread's OS id, so that a benchmark can tell the
// parse workers' CPU time (/proc/PID/task/TID) from the writer's and from V8's own threads
if (process.env.DISCLOSURES_POOL_DEBUG) {
  try {
    process.stderr.write(`pool: parse worker on thread ${readlinkSync('/proc/thread-self').split('/').pop()}\n`);
  } catch {
    // not Linux
  }
}

/** Heap size (committed) past which a worker collects garbage after a job. */
const COLLECT_ABOVE = 160 * 1048576;
/** V8's gc(), reachable without --expose-gc on the command line (null if that fails). */
const collect: (() => void) | null = (() => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
})();

/**
 * For the tests of the pool's time limit: a file whose name ends with this suffix
 * stalls its worker as a spinning parser would (the real case, pdfjs on a damaged
 * embedded font, is fixed in scripts/patch-deps.mjs). Unset outside those tests.
 */
const STALL_ON = process.env.DISCLOSURES_TEST_STALL_ON;

parentPort!.on('message', async (files: string[]) => {
  if (STALL_ON && files.some((f) => f.endsWith(STALL_ON))) for (const end = Date.now() + 600_000; Date.now() < end; );
  let result: ParseResult;
  try {
    result = { ok: true, disclosure: await readDisclosure(files) };
  } catch (e) {
    result = { ok: false, error: { name: e instanceof Error ? e.name : 'Error', message: failureMessage(files, e), unsupported: e instanceof UnsupportedFormatError } };
  }
  // A grown heap is collected right away (a fresh thread would have to warm up again);
  // the pool replaces a worker whose heap stays large (see RECYCLE_HEAP_MB).
  if (getHeapStatistics().total_heap_size > COLLECT_ABOVE) collect?.();
  result.heapMb = getHeapStatistics().total_heap_size / 1048576;
  parentPort!.postMessage(result);
});
