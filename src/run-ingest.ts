/**
 * Ingest many disclosures: parse in a worker pool (always: a file that hangs a reader
 * is stopped at the pool's time limit),
 * write each to SQLite on this thread as it arrives, one transaction each.
 * At most 2 × workers disclosures are in flight, so memory stays flat.
 */
import { readFileSync } from 'node:fs';
import { disclosureHash, type Disclosure } from './extract.js';
import { refusedByName, sha256 } from './ingest/index.js';
import { ParsePool, type ParseResult } from './pool.js';
import { storeDisclosure, type Db } from './store/store.js';

export interface GroupOutcome {
  files: string[];
  status: 'inserted' | 'unchanged' | 'failed' | 'unsupported';
  message?: string;
  /** the parsed disclosure, given to onOutcome only (not kept in the returned list) */
  disclosure?: Disclosure;
  documentId?: number;
}

export interface IngestOptions {
  /** parse worker threads, at most (one per GROUPS_PER_WORKER disclosures); this thread writes */
  jobs: number;
  onOutcome?: (o: GroupOutcome, done: number, total: number) => void;
  /** time one disclosure may take to parse before its worker is stopped (default DEFAULT_JOB_TIMEOUT_MS) */
  jobTimeoutMs?: number;
}

/**
 * The stored document with these exact bytes, if any: found before parsing, so that
 * re-ingesting a directory (a scheduled run, a run restarted after a crash) does not
 * parse again what is already stored. Unreadable files are left to the parser, which
 * names the problem; so are files their name alone refuses (text named .pdf), whose
 * bytes may be stored from a file named .txt.
 */
function storedId(db: Db, files: string[]): number | undefined {
  let contents: Buffer[];
  try {
    contents = files.map((f) => readFileSync(f));
  } catch {
    return undefined;
  }
  const sha = disclosureHash(contents.map((b) => ({ file: { sha256: sha256(b) } })));
  const id = (db.prepare('SELECT id FROM documents WHERE sha256 = ?').get(sha) as { id: number } | undefined)?.id;
  if (id === undefined || files.some((f, i) => refusedByName(contents[i]!, f))) return undefined;
  return id;
}

/**
 * A parse worker has to load and optimise the code before it runs at full speed: V8's
 * optimising compiler spends 2.5-3 s of CPU per thread on it (perf samples on 100
 * corpus PDFs: 39 % of all CPU went to TurboFan on V8's helper threads), which is the
 * parsing of about fifty disclosures. Measured on copies of the corpus PDFs
 * (reports/scale.md, two workers against one): a wash at 100 disclosures (0.96×), a
 * gain from a few hundred (1.2× at 300). So: one worker per this many disclosures, up
 * to `jobs` (the writer still runs beside them on its own thread).
 */
export const GROUPS_PER_WORKER = 50;
export const workersFor = (jobs: number, groups: number) => Math.max(1, Math.min(jobs, Math.ceil(groups / GROUPS_PER_WORKER)));

export async function ingestGroups(db: Db, groups: string[][], opts: IngestOptions): Promise<GroupOutcome[]> {
  const outcomes: GroupOutcome[] = [];
  // Parsing always runs in worker threads, even with --jobs 1 or one file: a reader
  // that spins or swells on a damaged file (pdfjs on a broken embedded font can take
  // minutes and gigabytes) is stopped at the per-job time limit or its heap limit and
  // fails its own file, while this thread goes on writing. Workers start on demand:
  // a run whose files are all stored starts none.
  const pool = new ParsePool(workersFor(Math.max(1, opts.jobs), groups.length), opts.jobTimeoutMs);
  const limit = pool.size * 2;
  let next = 0;
  let done = 0;
  const settle = (files: string[], r: ParseResult) => {
    let o: GroupOutcome;
    if (!r.ok || !r.disclosure) {
      o = { files, status: r.error?.unsupported ? 'unsupported' : 'failed', message: r.error?.message ?? 'unknown error' };
    } else {
      try {
        const s = storeDisclosure(db, r.disclosure);
        o = { files, status: s.status, disclosure: r.disclosure, documentId: s.id };
      } catch (e) {
        o = { files, status: 'failed', message: `${files.join(' + ')}: cannot store: ${(e as Error).message}` };
      }
    }
    done++;
    if (process.env.DISCLOSURES_POOL_DEBUG && done % 50 === 0) {
      const m = process.memoryUsage();
      process.stderr.write(`ingest: ${done} done; rss ${Math.round(m.rss / 1048576)} MB, this thread's heap ${Math.round(m.heapTotal / 1048576)} MB, external ${Math.round(m.external / 1048576)} MB\n`);
    }
    opts.onOutcome?.(o, done, groups.length);
    // keep the outcome, not the parsed disclosure: memory stays flat over thousands of files
    const { disclosure: _parsed, ...kept } = o;
    outcomes.push(kept);
  };
  const known = (files: string[]): boolean => {
    const id = storedId(db, files);
    if (id === undefined) return false;
    done++;
    const o: GroupOutcome = { files, status: 'unchanged', documentId: id };
    opts.onOutcome?.(o, done, groups.length);
    outcomes.push(o);
    return true;
  };
  try {
    await new Promise<void>((resolve) => {
      let inflight = 0;
      const launch = () => {
        while (inflight < limit && next < groups.length) {
          const g = groups[next++]!;
          if (known(g)) {
            if (done === groups.length) resolve();
            continue;
          }
          inflight++;
          void pool.parse(g).then((r) => {
            inflight--;
            settle(g, r);
            if (done === groups.length) resolve();
            else launch();
          });
        }
      };
      launch();
      if (groups.length === 0) resolve();
    });
    return outcomes;
  } finally {
    await pool.close();
  }
}
