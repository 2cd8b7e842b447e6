/**
 * Parsing on both cores: a small pool of worker threads, one disclosure per
 * task. pdfjs parses on the thread that calls it, so CPU parallelism needs
 * threads; the SQLite writer stays on the main thread. The queue is bounded by
 * the caller (it submits as results are consumed), so memory stays flat.
 *
 * A worker that dies (out of memory, a crash in a parser) or runs past the
 * per-job time limit fails its own job only, naming its files; it is replaced
 * and the other jobs go on.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Disclosure } from './extract.js';

export interface ParseResult {
  ok: boolean;
  disclosure?: Disclosure;
  error?: { name: string; message: string; unsupported: boolean };
  /** the worker's V8 heap (committed, MB) after the job */
  heapMb?: number;
}

interface Job {
  files: string[];
  resolve: (r: ParseResult) => void;
  timer?: NodeJS.Timeout;
}

/** Compiled (dist/): the worker module itself; from the sources: an entry that registers tsx first. */
const WORKER = import.meta.url.endsWith('.js') ? new URL('./worker.js', import.meta.url) : new URL('./worker-entry.mjs', import.meta.url);

/** Time one disclosure may take to parse before its worker is stopped. */
export const DEFAULT_JOB_TIMEOUT_MS = 120_000;
/**
 * Memory stays flat over thousands of files: a worker collects garbage after a job
 * that left its heap above 160 MB (src/worker.ts; PDF workers settle at 60–80 MB),
 * and is replaced when its heap stays above RECYCLE_HEAP_MB (V8 and pdfjs keep what
 * a thread once needed) or after RECYCLE_AFTER_JOBS disclosures. Not after every few
 * files: a fresh thread has to warm up again (load and optimise the code), which
 * costs about as much as parsing ten disclosures.
 */
export const RECYCLE_HEAP_MB = 256;
export const RECYCLE_AFTER_JOBS = 1000;

export class ParsePool {
  private idle: Worker[] = [];
  private all = new Set<Worker>();
  private queue: Job[] = [];
  private busy = new Map<Worker, Job>();
  private served = new Map<Worker, number>();

  constructor(
    readonly size = Math.max(1, availableParallelism()),
    readonly jobTimeoutMs = DEFAULT_JOB_TIMEOUT_MS,
  ) {}

  private spawn(): Worker {
    const w = new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    w.on('message', (r: ParseResult | { progress: true }) => {
      const job = this.busy.get(w);
      if ('progress' in r) {
        // a long document read page after page: its time limit starts again
        if (job?.timer) this.arm(w, job);
        return;
      }
      if (!job) return;
      this.finish(w, job, r);
      const n = (this.served.get(w) ?? 0) + 1;
      this.served.set(w, n);
      if (process.env.DISCLOSURES_POOL_DEBUG) process.stderr.write(`pool: worker ${w.threadId} job ${n}, heap ${Math.round(r.heapMb ?? 0)} MB\n`);
      if (n >= RECYCLE_AFTER_JOBS || (r.heapMb ?? 0) > RECYCLE_HEAP_MB) this.retire(w);
      else this.idle.push(w);
      this.pump();
    });
    w.on('error', (e) => this.lose(w, `parser crashed: ${e.message}`));
    w.on('exit', (code) => this.lose(w, `parser thread exited (code ${code})`));
    w.unref();
    this.all.add(w);
    return w;
  }

  private finish(w: Worker, job: Job, r: ParseResult): void {
    if (job.timer) clearTimeout(job.timer);
    this.busy.delete(w);
    job.resolve(r);
  }

  /** A worker that has served its batch: let it go quietly; pump() starts a fresh one. */
  private retire(w: Worker): void {
    this.all.delete(w);
    this.served.delete(w);
    w.removeAllListeners('exit');
    w.removeAllListeners('error');
    w.on('error', () => undefined);
    void w.terminate().catch(() => undefined);
  }

  /** A worker is gone: fail its job (naming its files), forget it, carry on with a new one. */
  private lose(w: Worker, why: string): void {
    if (!this.all.has(w)) return;
    this.all.delete(w);
    this.served.delete(w);
    this.idle = this.idle.filter((x) => x !== w);
    const job = this.busy.get(w);
    if (job) this.finish(w, job, { ok: false, error: { name: 'WorkerError', message: `${job.files.join(' + ')}: ${why}`, unsupported: false } });
    void w.terminate().catch(() => undefined);
    this.pump();
  }

  private pump(): void {
    while (this.queue.length) {
      let w = this.idle.pop();
      if (!w && this.all.size < this.size) w = this.spawn();
      if (!w) return;
      const job = this.queue.shift()!;
      this.busy.set(w, job);
      w.ref();
      const worker = w;
      this.arm(worker, job);
      w.postMessage(job.files);
    }
    for (const w of this.idle) w.unref();
  }

  /** (Re)start a job's time limit: its worker is stopped when it runs out. */
  private arm(worker: Worker, job: Job): void {
    clearTimeout(job.timer);
    job.timer = setTimeout(() => this.lose(worker, `no result after ${Math.round(this.jobTimeoutMs / 1000)} s (stopped)`), this.jobTimeoutMs);
  }

  parse(files: string[]): Promise<ParseResult> {
    return new Promise((resolve) => {
      this.queue.push({ files, resolve });
      this.pump();
    });
  }

  get pending(): number {
    return this.queue.length + this.busy.size;
  }

  async close(): Promise<void> {
    const workers = [...this.all];
    this.all.clear();
    this.idle = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
