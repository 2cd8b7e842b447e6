/**
 * Parsing on both cores: a small pool of worker threads, one disclosure per
 * task. pdfjs parses on the thread that calls it, so CPU parallelism needs
 * threads; the SQLite writer stays on the main thread. The queue is bounded by
 * the caller (it submits as results are consumed), so memory stays flat.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Disclosure } from './extract.js';

export interface ParseResult {
  ok: boolean;
  disclosure?: Disclosure;
  error?: { name: string; message: string; unsupported: boolean };
}

interface Job {
  files: string[];
  resolve: (r: ParseResult) => void;
}

// a plain-JS entry registers tsx in the worker thread before loading worker.ts
const WORKER = new URL('./worker-entry.mjs', import.meta.url);

export class ParsePool {
  private idle: Worker[] = [];
  private all: Worker[] = [];
  private queue: Job[] = [];
  private busy = new Map<Worker, Job>();

  constructor(readonly size = Math.max(1, availableParallelism())) {}

  private spawn(): Worker {
    const w = new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    w.on('message', (r: ParseResult) => {
      const job = this.busy.get(w);
      this.busy.delete(w);
      this.idle.push(w);
      job?.resolve(r);
      this.pump();
    });
    w.on('error', (e) => {
      // a worker that dies (out of memory, a crash in a parser) fails its job only
      const job = this.busy.get(w);
      this.busy.delete(w);
      this.all = this.all.filter((x) => x !== w);
      job?.resolve({ ok: false, error: { name: 'WorkerError', message: `parser crashed: ${e.message}`, unsupported: false } });
      this.pump();
    });
    w.unref();
    this.all.push(w);
    return w;
  }

  private pump(): void {
    while (this.queue.length) {
      let w = this.idle.pop();
      if (!w && this.all.length < this.size) w = this.spawn();
      if (!w) return;
      const job = this.queue.shift()!;
      this.busy.set(w, job);
      w.ref();
      w.postMessage(job.files);
    }
    for (const w of this.idle) w.unref();
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
    await Promise.all(this.all.map((w) => w.terminate()));
    this.all = [];
    this.idle = [];
  }
}
