/**
 * Ingest many disclosures: parse in a worker pool (always: a file that hangs a reader
 * is stopped at the pool's time limit),
 * write each to SQLite on this thread as it arrives, one transaction each.
 * At most 2 × workers disclosures are in flight, so memory stays flat.
 *
 * A single file that holds only the narrative or only the tables of a disclosure is
 * held back until every group of the run is parsed, then joined with its partner by
 * content (src/pairing.ts) and stored as one disclosure; what is not a disclosure at
 * all (a notice, a 公报) is reported and not stored.
 */
import { readFileSync } from 'node:fs';
import { disclosureHash, joinParts, type Disclosure } from './extract.js';
import { refusedByName, sha256 } from './ingest/index.js';
import { pairDisclosures, waitsForPartner } from './pairing.js';
import { ParsePool, type ParseResult } from './pool.js';
import { storeDisclosure, type Db } from './store/store.js';

export interface GroupOutcome {
  /** the files of the disclosure, in reading order */
  files: string[];
  /** the groups given that it covers: its own, or the two single files paired by content */
  inputs: string[][];
  /** not_disclosure: read and recognised as something else (a notice, a 公报); not stored */
  status: 'inserted' | 'unchanged' | 'failed' | 'unsupported' | 'not_disclosure';
  /** why it failed (naming the file), or why it is not a disclosure */
  message?: string;
  /** the parsed disclosure, given to onOutcome only (not kept in the returned list) */
  disclosure?: Disclosure;
  documentId?: number;
}

export interface IngestOptions {
  /** parse worker threads, at most (one per GROUPS_PER_WORKER disclosures); this thread writes */
  jobs: number;
  /** done and total count the groups given (a pair covers two) */
  onOutcome?: (o: GroupOutcome, done: number, total: number) => void;
  /** time one disclosure may take to parse before its worker is stopped (default DEFAULT_JOB_TIMEOUT_MS) */
  jobTimeoutMs?: number;
}

/**
 * The stored document with these exact bytes, if any: found before parsing, so that
 * re-ingesting a directory (a scheduled run, a run restarted after a crash) does not
 * parse again what is already stored. A single file counts as stored too when it is
 * one file of a stored multi-file disclosure: a narrative and a tables file paired by
 * content in an earlier run come back as two single files. Unreadable files are left
 * to the parser, which names the problem; so are files their name alone refuses (text
 * named .pdf), whose bytes may be stored from a file named .txt.
 */
function storedId(db: Db, files: string[]): number | undefined {
  let contents: Buffer[];
  try {
    contents = files.map((f) => readFileSync(f));
  } catch {
    return undefined;
  }
  const sha = disclosureHash(contents.map((b) => ({ file: { sha256: sha256(b) } })));
  let id = (db.prepare('SELECT id FROM documents WHERE sha256 = ?').get(sha) as { id: number } | undefined)?.id;
  if (id === undefined && files.length === 1) {
    id = (
      db
        .prepare('SELECT f.document_id AS id FROM document_files f JOIN documents d ON d.id = f.document_id WHERE f.sha256 = ? ORDER BY d.superseded_by IS NULL DESC, d.id DESC LIMIT 1')
        .get(sha) as { id: number } | undefined
    )?.id;
  }
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
  /** groups given that are reported (a pair reports two) */
  let done = 0;
  /** groups given that are reported or held back */
  let settled = 0;
  /** single files holding one part of a disclosure, with their place in `groups` (for a stable pairing) */
  const held: Array<{ order: number; files: string[]; disclosure: Disclosure }> = [];
  const report = (o: GroupOutcome) => {
    done += o.inputs.length;
    if (process.env.DISCLOSURES_POOL_DEBUG && done % 50 === 0) {
      const m = process.memoryUsage();
      process.stderr.write(`ingest: ${done} done; rss ${Math.round(m.rss / 1048576)} MB, this thread's heap ${Math.round(m.heapTotal / 1048576)} MB, external ${Math.round(m.external / 1048576)} MB\n`);
    }
    opts.onOutcome?.(o, done, groups.length);
    // keep the outcome, not the parsed disclosure: memory stays flat over thousands of files
    const { disclosure: _parsed, ...kept } = o;
    outcomes.push(kept);
  };
  const store = (files: string[], inputs: string[][], d: Disclosure): GroupOutcome => {
    const x = d.extraction;
    if (!x.disclosure) return { files, inputs, status: 'not_disclosure', message: x.disclosureReason ?? 'not a 预算/决算 disclosure', disclosure: d };
    try {
      const s = storeDisclosure(db, d);
      return { files, inputs, status: s.status, disclosure: d, documentId: s.id };
    } catch (e) {
      return { files, inputs, status: 'failed', message: `${files.join(' + ')}: cannot store: ${(e as Error).message}` };
    }
  };
  const settle = (order: number, files: string[], r: ParseResult) => {
    settled++;
    if (!r.ok || !r.disclosure) {
      report({ files, inputs: [files], status: r.error?.unsupported ? 'unsupported' : 'failed', message: r.error?.message ?? 'unknown error' });
    } else if (waitsForPartner(files, r.disclosure)) held.push({ order, files, disclosure: r.disclosure });
    else report(store(files, [files], r.disclosure));
  };
  const known = (files: string[]): boolean => {
    const id = storedId(db, files);
    if (id === undefined) return false;
    settled++;
    report({ files, inputs: [files], status: 'unchanged', documentId: id });
    return true;
  };
  try {
    await new Promise<void>((resolve) => {
      let inflight = 0;
      const launch = () => {
        while (inflight < limit && next < groups.length) {
          const order = next++;
          const g = groups[order]!;
          if (known(g)) {
            if (settled === groups.length) resolve();
            continue;
          }
          inflight++;
          void pool.parse(g).then((r) => {
            inflight--;
            settle(order, g, r);
            if (settled === groups.length) resolve();
            else launch();
          });
        }
      };
      launch();
      if (groups.length === 0) resolve();
    });
  } finally {
    await pool.close();
  }
  // every group is parsed: join the parts that found their partner (parsing is not
  // repeated: the extraction runs again over both files' documents), store the rest alone
  held.sort((a, b) => a.order - b.order);
  for (const members of pairDisclosures(held)) {
    let joined: ReturnType<typeof joinParts>;
    try {
      joined = joinParts(members);
    } catch (e) {
      const files = members.flatMap((m) => m.files);
      report({ files, inputs: members.map((m) => m.files), status: 'failed', message: `${files.join(' + ')}: cannot read as one disclosure: ${(e as Error).message}` });
      continue;
    }
    report(store(joined.files, joined.inputs, joined.disclosure));
  }
  held.length = 0;
  return outcomes;
}
