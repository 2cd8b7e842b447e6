/**
 * One crawl run: discover → fetch → group → (ingest), with all state in the
 * database so that a run killed at any point is resumed by the next one.
 *
 *  - The work queue (crawl_queue) is per run. A page is marked done in the
 *    same transaction that records its links and enqueues them; a document is
 *    marked done in the transaction that records its validators and sha256,
 *    after its bytes were renamed into raw/ (temp file + rename). A run that
 *    finds an unfinished run of the same configuration takes it up.
 *  - When the queue is empty, the attachments of each detail page become one
 *    disclosure version (crawl_disclosures, keyed by page + file hashes),
 *    pending until stored.
 *  - Ingest stores pending disclosures through ingestGroups (one transaction
 *    each; identical bytes are never stored twice, so a store interrupted
 *    before its status was recorded is found again as 'unchanged').
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import path from 'node:path';
import { sniff } from '../ingest/index.js';
import { ingestGroups } from '../run-ingest.js';
import type { Db } from '../store/store.js';
import { politenessFor, type CrawlConfig, type Hints, type SourceConfig } from './config.js';
import { discover, extensionOf } from './discover.js';
import { Fetcher, type FetchResult } from './fetcher.js';
import type { Failure, Reporter, Summary } from './report.js';

export interface CrawlOptions {
  db: Db;
  /** the database file: raw/ lives beside it */
  dbPath: string;
  config: CrawlConfig;
  command: 'crawl' | 'run';
  ingest: boolean;
  jobs: number;
  reporter: Reporter;
  /** retry disclosures whose ingest failed in earlier runs */
  retryFailed?: boolean;
  tookOverLockOf?: number;
  /** called for every HTTP request (tests, debugging) */
  onRequest?: (url: string) => void;
}

export interface CrawlResult {
  summary: Summary;
  /** no start page could be fetched at all */
  fetchFailedEntirely: boolean;
}

type Kind = 'listing' | 'detail' | 'document';

interface QueueRow {
  url_id: number;
  url: string;
  kind: Kind;
  depth: number;
  source: string;
  parent_url: string | null;
  etag: string | null;
  last_modified: string | null;
  sha256: string | null;
  format: string | null;
  content_type: string | null;
}

const now = () => new Date().toISOString();

/** work queues of this many recent runs are kept for inspection */
const KEEP_QUEUES = 30;

export function rawDirFor(dbPath: string): string {
  return path.join(path.dirname(path.resolve(dbPath)), 'raw');
}

export function rawPath(rawDir: string, sha: string, ext: string): string {
  return path.join(rawDir, sha.slice(0, 2), `${sha}.${ext}`);
}

/** Write bytes content-addressed: temp file, fsync, rename. Returns the path. */
export function writeRaw(rawDir: string, bytes: Uint8Array, ext: string): { sha: string; file: string } {
  const sha = createHash('sha256').update(bytes).digest('hex');
  const file = rawPath(rawDir, sha, ext);
  if (existsSync(file)) return { sha, file };
  mkdirSync(path.dirname(file), { recursive: true });
  const tmpDir = path.join(rawDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `${sha}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  writeFileSync(tmp, bytes);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return { sha, file };
}

/** Leftover temp files of killed runs (only called while holding the lock). */
export function cleanRawTmp(rawDir: string): number {
  const tmpDir = path.join(rawDir, 'tmp');
  if (!existsSync(tmpDir)) return 0;
  let n = 0;
  for (const f of readdirSync(tmpDir)) {
    if (f.endsWith('.part')) {
      try {
        unlinkSync(path.join(tmpDir, f));
        n++;
      } catch {
        // ignore
      }
    }
  }
  return n;
}

/** The extension a raw file is stored under: from the sniffed content, the URL only for legacy OLE files. */
function rawExt(format: string, url: string): string {
  if (format === 'ole') {
    let ext = '';
    try {
      ext = extensionOf(new URL(url));
    } catch {
      // keep ''
    }
    return ext === 'doc' || ext === 'wps' ? 'doc' : 'xls';
  }
  return { pdf: 'pdf', docx: 'docx', xlsx: 'xlsx', html: 'html', txt: 'txt', zip: 'zip' }[format] ?? 'bin';
}

const DOC_FORMATS = new Set(['pdf', 'docx', 'xlsx', 'ole']);

/** Why bytes fetched from a document link are not a document (an error page served as .pdf …), or null. */
function notADocument(format: string, url: string, bytes: Buffer): string | null {
  if (DOC_FORMATS.has(format)) return null;
  let ext = '';
  try {
    ext = extensionOf(new URL(url));
  } catch {
    // keep ''
  }
  if (format === 'txt' && ext === 'txt') return null;
  const named = ext ? ` .${ext}` : ' a document';
  if (format === 'html') {
    const title = /<title[^>]*>([^<]{0,80})/i.exec(bytes.subarray(0, 8192).toString('utf8'))?.[1]?.trim();
    return `served as${named} but is an HTML page${title ? ` ("${title}")` : ''}, probably an error page`;
  }
  if (format === 'zip') return `served as${named} but is a zip archive that is neither DOCX nor XLSX`;
  if (bytes.length === 0) return 'empty response (0 bytes)';
  return `served as${named} but holds no PDF, Word or spreadsheet data`;
}

function configJson(cfg: CrawlConfig): string {
  return JSON.stringify(cfg, (_k, v: unknown) => (v instanceof RegExp ? v.source : v));
}

export async function crawl(o: CrawlOptions): Promise<CrawlResult> {
  const { db, config, reporter } = o;
  const t0 = Date.now();
  const rawDir = rawDirFor(o.dbPath);
  mkdirSync(rawDir, { recursive: true });
  cleanRawTmp(rawDir);
  const cfgJson = configJson(config);
  const sources = new Map(config.sources.map((s) => [s.name, s]));

  // ---- the run: take up an unfinished one of the same configuration, or start one
  let runId: number;
  let resumed = false;
  const open = db.prepare('SELECT id, config FROM crawl_runs WHERE finished_at IS NULL ORDER BY id DESC').all() as Array<{ id: number; config: string }>;
  const same = open.find((r) => r.config === cfgJson);
  db.transaction(() => {
    for (const r of open) if (r !== same) db.prepare("UPDATE crawl_runs SET finished_at = ?, status = 'failed', summary = json_object('abandoned', 'configuration changed') WHERE id = ?").run(now(), r.id);
  })();
  const upsertUrl = db.prepare(
    `INSERT INTO crawl_urls (url, kind, source, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(url) DO UPDATE SET last_seen = excluded.last_seen RETURNING id`,
  );
  const maxSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS m FROM crawl_queue WHERE run_id = ?');
  const enqueue = db.prepare('INSERT OR IGNORE INTO crawl_queue (run_id, url_id, seq, kind, depth, parent_id) VALUES (?, ?, ?, ?, ?, ?)');
  if (same) {
    runId = same.id;
    resumed = true;
    db.prepare('UPDATE crawl_runs SET resumed_at = ?, pid = ?, command = ? WHERE id = ?').run(now(), process.pid, o.command, runId);
  } else {
    runId = db.transaction(() => {
      const id = Number(db.prepare('INSERT INTO crawl_runs (command, started_at, pid, config) VALUES (?, ?, ?, ?)').run(o.command, now(), process.pid, cfgJson).lastInsertRowid);
      let seq = 0;
      for (const s of config.sources) {
        for (const st of s.start) {
          const u = new URL(st.url);
          u.hash = '';
          const { id: uid } = upsertUrl.get(u.href, 'listing', s.name, now(), now()) as { id: number };
          enqueue.run(id, uid, ++seq, 'listing', 0, null);
        }
      }
      return id;
    })();
  }
  const runStarted = (db.prepare('SELECT started_at FROM crawl_runs WHERE id = ?').get(runId) as { started_at: string }).started_at;
  reporter.event({ event: 'start', run: runId, resumed, command: o.command, sources: config.sources.map((s) => s.name), ...(o.tookOverLockOf ? { tookOverLockOf: o.tookOverLockOf } : {}) });

  const startHints = new Map<string, Hints>();
  for (const s of config.sources) for (const st of s.start) startHints.set(new URL(st.url).href, { ...s.hints, ...st.hints });

  // ---- crawl: waves over the pending queue until it is empty
  const fetcher = new Fetcher({
    fetch: config.fetch,
    userAgent: config.userAgent,
    robots: config.robots,
    politeness: (host) => politenessFor(config, host),
    ...(o.onRequest ? { onRequest: (u: string) => o.onRequest!(u) } : {}),
  });
  const pendingQ = db.prepare(
    `SELECT q.url_id, u.url, q.kind, q.depth, u.source, p.url AS parent_url, u.etag, u.last_modified, u.sha256, u.format, u.content_type
     FROM crawl_queue q JOIN crawl_urls u ON u.id = q.url_id LEFT JOIN crawl_urls p ON p.id = q.parent_id
     WHERE q.run_id = ? AND q.state = 'pending' ORDER BY q.seq`,
  );
  const countQ = db.prepare("SELECT COUNT(*) AS n, SUM(state <> 'pending') AS done FROM crawl_queue WHERE run_id = ?");
  const logFetch = db.prepare(
    `INSERT INTO crawl_fetches (run_id, url, final_url, source_page, status, outcome, etag, last_modified, content_type, format, sha256, bytes, attempts, retrieved_at, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const finishItem = db.prepare('UPDATE crawl_queue SET state = ?, outcome = ?, error = ?, transient = ?, page_is_disclosure = ? WHERE run_id = ? AND url_id = ?');
  const setKind = db.prepare('UPDATE crawl_queue SET kind = ? WHERE run_id = ? AND url_id = ?');
  const updateUrl = db.prepare(
    `UPDATE crawl_urls SET final_url = ?, etag = ?, last_modified = ?, sha256 = ?, bytes = ?, content_type = ?, format = ?, last_fetched = ?, gone_at = NULL, gone_reason = NULL WHERE id = ?`,
  );
  const markGone = db.prepare('UPDATE crawl_urls SET gone_at = COALESCE(gone_at, ?), gone_reason = COALESCE(gone_reason, ?) WHERE id = ?');
  const insLink = db.prepare('INSERT OR IGNORE INTO crawl_links (run_id, page_id, seq, url_id, role, text) VALUES (?, ?, ?, ?, ?, ?)');
  const listingCount = db.prepare("SELECT COUNT(*) AS n FROM crawl_queue q JOIN crawl_urls u ON u.id = q.url_id WHERE q.run_id = ? AND q.kind = 'listing' AND u.source = ?");

  const process1 = async (it: QueueRow): Promise<void> => {
    const src = sources.get(it.source) ?? config.sources[0]!;
    const raw = it.sha256 && it.format ? rawPath(rawDir, it.sha256, rawExt(it.format, it.url)) : null;
    const haveRaw = raw !== null && existsSync(raw);
    const res: FetchResult = await fetcher.get({ url: it.url, ...(haveRaw ? { etag: it.etag, lastModified: it.last_modified } : {}) });
    let bytes: Buffer | undefined;
    let sha = it.sha256;
    let format = it.format;
    let failure: string | null = res.error ?? null;
    let outcome: string = res.outcome;
    if (res.outcome === 'fetched' && res.body) {
      bytes = res.body;
      format = sniff(bytes);
      const ext = rawExt(format, res.finalUrl);
      let kind = it.kind;
      // a "page" link that serves a document (a download script without an extension) is a document
      if (kind !== 'document' && DOC_FORMATS.has(format)) {
        kind = 'document';
        it.kind = 'document';
      }
      if (kind === 'document') failure = notADocument(format, res.finalUrl, bytes);
      else if (format !== 'html' && format !== 'txt') failure = `expected an HTML page, got ${format}`;
      if (!failure) {
        const w = writeRaw(rawDir, bytes, ext);
        outcome = w.sha === it.sha256 ? 'same-bytes' : 'fetched';
        sha = w.sha;
      } else outcome = 'failed';
    } else if (res.outcome === 'not-modified' && raw) {
      if (it.kind !== 'document') bytes = readFileSync(raw);
    }
    const ts = now();
    const sourcePage = it.parent_url ?? undefined;
    let found: ReturnType<typeof discover> | null = null;
    if (!failure && bytes && it.kind !== 'document') {
      try {
        found = discover(bytes, res.contentType ?? it.content_type ?? undefined, res.outcome === 'fetched' ? res.finalUrl : it.url, it.kind as 'listing' | 'detail', it.depth, src);
      } catch (e) {
        failure = `cannot read the page: ${(e as Error).message}`;
        outcome = 'failed';
      }
    }
    const gone = res.outcome === 'failed' && (res.status === 404 || res.status === 410) && it.sha256 !== null;
    db.transaction(() => {
      logFetch.run(runId, it.url, res.finalUrl, sourcePage ?? null, res.status ?? null, failure ? (res.outcome === 'blocked' ? 'blocked' : 'failed') : res.outcome, res.etag ?? null, res.lastModified ?? null, res.contentType ?? null, bytes ? format : null, res.outcome === 'fetched' && !failure ? sha : null, res.body?.length ?? null, res.attempts, ts, failure);
      if (it.kind === 'document') setKind.run('document', runId, it.url_id);
      if (res.outcome === 'blocked') {
        finishItem.run('skipped', 'blocked', failure, 0, 0, runId, it.url_id);
        return;
      }
      if (failure) {
        if (gone) markGone.run(ts, `HTTP ${res.status}`, it.url_id);
        finishItem.run('failed', gone ? 'gone' : 'failed', failure, res.transient ? 1 : 0, 0, runId, it.url_id);
        return;
      }
      if (res.outcome === 'fetched') updateUrl.run(res.finalUrl, res.etag ?? null, res.lastModified ?? null, sha, bytes!.length, res.contentType ?? null, format, ts, it.url_id);
      else db.prepare('UPDATE crawl_urls SET last_fetched = ?, gone_at = NULL, gone_reason = NULL WHERE id = ?').run(ts, it.url_id);
      if (found) {
        let seq = (maxSeq.get(runId) as { m: number }).m;
        let linkSeq = 0;
        let listings = (listingCount.get(runId, src.name) as { n: number }).n;
        for (const l of found.links) {
          const { id: uid } = upsertUrl.get(l.url, l.role, src.name, ts, ts) as { id: number };
          insLink.run(runId, it.url_id, ++linkSeq, uid, l.role, l.text.slice(0, 200));
          if (l.role === 'listing') {
            if (listings >= src.maxPages) continue;
            const r = enqueue.run(runId, uid, ++seq, 'listing', it.depth, it.url_id);
            if (r.changes) listings++;
          } else enqueue.run(runId, uid, ++seq, l.role, l.role === 'detail' ? it.depth + 1 : it.depth, it.url_id);
        }
      }
      finishItem.run('done', outcome, null, 0, found?.pageIsDisclosure ? 1 : 0, runId, it.url_id);
    })();
    reporter.event({
      event: 'fetch',
      url: it.url,
      kind: it.kind,
      outcome: failure ? (res.outcome === 'blocked' ? 'blocked' : gone ? 'gone' : 'failed') : outcome,
      ...(res.status !== undefined ? { status: res.status } : {}),
      ...(bytes ? { bytes: bytes.length } : {}),
      ...(failure ? { error: failure } : {}),
      ...(sourcePage ? { sourcePage } : {}),
    });
    if (gone) reporter.event({ event: 'gone', url: it.url, reason: `HTTP ${res.status}` });
  };

  for (;;) {
    const wave = pendingQ.all(runId) as QueueRow[];
    if (wave.length === 0) break;
    await Promise.all(
      wave.map(async (it) => {
        await process1(it);
        const c = countQ.get(runId) as { n: number; done: number };
        reporter.progress('crawl', c.done, c.n);
      }),
    );
  }

  // ---- group: the attachments of each detail page are one disclosure version
  const groups = formDisclosures(db, runId, rawDir, sources, startHints, reporter);

  // ---- gone: documents of a fully crawled source no longer linked anywhere
  const goneCount = markUnlinked(db, runId, runStarted, reporter);

  // ---- ingest the pending disclosures
  let ingested = 0;
  let ingestUnchanged = 0;
  let notDisclosures = 0;
  const ingestFailures: Failure[] = [];
  if (o.ingest) {
    // after an upgrade, what a reader refused or the classifier did not take for a disclosure may go in
    if (o.retryFailed) db.prepare("UPDATE crawl_disclosures SET status = 'pending', message = NULL WHERE status IN ('failed', 'unsupported', 'not_disclosure') AND superseded_by IS NULL").run();
    const r = await ingestPending(db, runId, rawDir, o.jobs, reporter);
    ingested = r.inserted;
    ingestUnchanged = r.unchanged;
    notDisclosures = r.notDisclosures;
    ingestFailures.push(...r.failures);
  }

  // ---- summary
  const q = db
    .prepare(
      `SELECT q.kind, q.state, q.outcome, q.error, q.transient, u.url, u.first_seen, p.url AS parent
       FROM crawl_queue q JOIN crawl_urls u ON u.id = q.url_id LEFT JOIN crawl_urls p ON p.id = q.parent_id WHERE q.run_id = ? ORDER BY q.seq`,
    )
    .all(runId) as Array<{ kind: Kind; state: string; outcome: string | null; error: string | null; transient: number; url: string; first_seen: string; parent: string | null }>;
  const docs = q.filter((x) => x.kind === 'document');
  const failures: Failure[] = q
    .filter((x) => x.state === 'failed' && x.outcome !== 'gone')
    .map((x) => ({ url: x.url, stage: x.kind === 'document' ? ('fetch' as const) : ('page' as const), reason: x.error ?? 'failed', ...(x.parent ? { sourcePage: x.parent } : {}) }));
  failures.push(...ingestFailures);
  const starts = q.filter((x) => x.kind === 'listing' && x.parent === null);
  const fetchFailedEntirely = starts.length > 0 && starts.every((x) => x.state === 'failed' && x.transient === 1);
  const summary: Summary = {
    run: runId,
    resumed,
    pages: q.filter((x) => x.kind !== 'document' && x.state === 'done').length,
    discovered: docs.length,
    new: docs.filter((x) => x.first_seen >= runStarted).length,
    fetched: docs.filter((x) => x.outcome === 'fetched').length,
    unchanged: docs.filter((x) => x.outcome === 'not-modified' || x.outcome === 'same-bytes').length,
    blocked: q.filter((x) => x.outcome === 'blocked').length,
    gone: q.filter((x) => x.outcome === 'gone').length + goneCount,
    disclosures: groups.total,
    ingested,
    ingestUnchanged,
    notDisclosures,
    deferred: groups.deferred,
    failed: failures.length,
    failures,
    seconds: (Date.now() - t0) / 1000,
  };
  db.transaction(() => {
    db.prepare('UPDATE crawl_runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?').run(now(), fetchFailedEntirely ? 'failed' : 'done', JSON.stringify(summary), runId);
    // the queues and link lists of old finished runs are not needed any more (runs, fetch log and disclosures stay)
    const old = `SELECT id FROM crawl_runs WHERE finished_at IS NOT NULL AND id <= ${runId - KEEP_QUEUES}`;
    db.exec(`DELETE FROM crawl_queue WHERE run_id IN (${old}); DELETE FROM crawl_links WHERE run_id IN (${old});`);
  })();
  reporter.event({ event: 'summary', summary });
  return { summary, fetchFailedEntirely };
}

interface FileRef {
  url: string;
  sha256: string;
  format: string;
  /** relative to the raw directory */
  path: string;
}

function formDisclosures(db: Db, runId: number, rawDir: string, sources: Map<string, SourceConfig>, startHints: Map<string, Hints>, reporter: Reporter): { total: number; deferred: number } {
  const pages = db
    .prepare(
      `SELECT q.url_id, q.kind, q.page_is_disclosure, u.url, u.source, u.sha256, u.format, q.parent_id
       FROM crawl_queue q JOIN crawl_urls u ON u.id = q.url_id
       WHERE q.run_id = ? AND q.state = 'done' AND q.kind IN ('listing', 'detail') ORDER BY q.seq`,
    )
    .all(runId) as Array<{ url_id: number; kind: Kind; page_is_disclosure: number; url: string; source: string; sha256: string; format: string; parent_id: number | null }>;
  const attachments = db.prepare(
    `SELECT u.id, u.url, u.sha256, u.format, q.state, q.transient, q.error
     FROM crawl_links l JOIN crawl_urls u ON u.id = l.url_id JOIN crawl_queue q ON q.run_id = l.run_id AND q.url_id = l.url_id
     WHERE l.run_id = ? AND l.page_id = ? AND q.kind = 'document' ORDER BY l.seq`,
  );
  const parentsOf = db.prepare('SELECT l.page_id FROM crawl_links l WHERE l.run_id = ? AND l.url_id = ?');
  const kindOf = db.prepare('SELECT kind FROM crawl_queue WHERE run_id = ? AND url_id = ?');
  const urlOf = db.prepare('SELECT url FROM crawl_urls WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO crawl_disclosures (page_url, source, files_key, files, hints, found_run, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(page_url, files_key) DO UPDATE SET last_seen = excluded.last_seen, gone_at = NULL, files = excluded.files`,
  );
  const exists = db.prepare('SELECT id FROM crawl_disclosures WHERE page_url = ? AND files_key = ?');
  let total = 0;
  let deferred = 0;
  const inDetail = new Set<number>();
  type Group = { page: string; source: string; files: FileRef[]; hints: Hints };
  const out: Group[] = [];
  // the hints of a page: its source's, overridden by those of the start page it descends from
  const hintsOf = (p: { url: string; source: string; parent_id: number | null }): Hints => {
    let cur: number | null = p.parent_id;
    let url = p.url;
    for (let i = 0; i < 1000; i++) {
      const h = startHints.get(url);
      if (h) return h;
      if (cur === null) break;
      url = (urlOf.get(cur) as { url: string }).url;
      cur = (db.prepare('SELECT parent_id FROM crawl_queue WHERE run_id = ? AND url_id = ?').get(runId, cur) as { parent_id: number | null } | undefined)?.parent_id ?? null;
    }
    return sources.get(p.source)?.hints ?? {};
  };
  const ref = (a: { url: string; sha256: string; format: string }): FileRef => {
    const ext = rawExt(a.format, a.url);
    return { url: a.url, sha256: a.sha256, format: a.format, path: path.relative(rawDir, rawPath(rawDir, a.sha256, ext)) };
  };
  for (const p of pages) {
    if (p.kind !== 'detail') continue;
    const atts = attachments.all(runId, p.url_id) as Array<{ id: number; url: string; sha256: string | null; format: string | null; state: string; transient: number; error: string | null }>;
    for (const a of atts) inDetail.add(a.id);
    const transient = atts.filter((a) => a.state === 'failed' && a.transient);
    if (transient.length) {
      deferred++;
      reporter.event({ event: 'deferred', page: p.url, reason: `${transient.length} attachment(s) could not be fetched this time (${transient[0]!.error}); the disclosure is kept as it was` });
      continue;
    }
    const good = atts.filter((a) => a.state === 'done' && a.sha256 && a.format);
    if (good.length) out.push({ page: p.url, source: p.source, files: good.map((a) => ref({ url: a.url, sha256: a.sha256!, format: a.format! })), hints: hintsOf(p) });
    else if (p.page_is_disclosure && p.sha256) out.push({ page: p.url, source: p.source, files: [ref({ url: p.url, sha256: p.sha256, format: 'html' })], hints: hintsOf(p) });
  }
  // documents linked straight from listing pages: one disclosure each
  const lone = db
    .prepare(
      `SELECT u.id, u.url, u.source, u.sha256, u.format, q.parent_id FROM crawl_queue q JOIN crawl_urls u ON u.id = q.url_id
       WHERE q.run_id = ? AND q.kind = 'document' AND q.state = 'done' AND u.sha256 IS NOT NULL ORDER BY q.seq`,
    )
    .all(runId) as Array<{ id: number; url: string; source: string; sha256: string; format: string; parent_id: number | null }>;
  for (const d of lone) {
    if (inDetail.has(d.id)) continue;
    const parents = (parentsOf.all(runId, d.id) as Array<{ page_id: number }>).map((r) => (kindOf.get(runId, r.page_id) as { kind: Kind } | undefined)?.kind);
    if (parents.includes('detail')) continue;
    out.push({ page: d.url, source: d.source, files: [ref(d)], hints: hintsOf({ url: d.url, source: d.source, parent_id: d.parent_id }) });
  }
  const ts = now();
  db.transaction(() => {
    for (const g of out) {
      const key = g.files.map((f) => f.sha256).join(',');
      const known = exists.get(g.page, key) !== undefined;
      upsert.run(g.page, g.source, key, JSON.stringify(g.files), Object.keys(g.hints).length ? JSON.stringify(g.hints) : null, runId, ts, ts);
      total++;
      reporter.event({ event: 'disclosure', page: g.page, files: g.files.map((f) => f.url), version: known ? 'known' : 'new' });
    }
  })();
  return { total, deferred };
}

/**
 * Documents no longer linked: only judged when every page of the run was read
 * (a listing that failed would make everything under it look gone).
 */
function markUnlinked(db: Db, runId: number, runStarted: string, reporter: Reporter): number {
  const failedPages = db.prepare("SELECT COUNT(*) AS n FROM crawl_queue WHERE run_id = ? AND kind <> 'document' AND state = 'failed'").get(runId) as { n: number };
  if (failedPages.n > 0) return 0;
  const ts = now();
  const rows = db
    .prepare(
      `SELECT u.id, u.url FROM crawl_urls u
       WHERE u.kind = 'document' AND u.gone_at IS NULL AND u.sha256 IS NOT NULL AND u.last_seen < ?
         AND u.source IN (SELECT DISTINCT su.source FROM crawl_queue sq JOIN crawl_urls su ON su.id = sq.url_id WHERE sq.run_id = ?)
         AND u.id NOT IN (SELECT url_id FROM crawl_queue WHERE run_id = ?)`,
    )
    .all(runStarted, runId, runId) as Array<{ id: number; url: string }>;
  db.transaction(() => {
    for (const r of rows) db.prepare("UPDATE crawl_urls SET gone_at = ?, gone_reason = 'no longer linked' WHERE id = ?").run(ts, r.id);
    // a disclosure whose files are all gone is gone
    db.prepare(
      `UPDATE crawl_disclosures SET gone_at = ? WHERE gone_at IS NULL AND superseded_by IS NULL AND NOT EXISTS (
         SELECT 1 FROM json_each(crawl_disclosures.files) f JOIN crawl_urls u ON u.url = json_extract(f.value, '$.url') WHERE u.gone_at IS NULL)`,
    ).run(ts);
  })();
  for (const r of rows) reporter.event({ event: 'gone', url: r.url, reason: 'no longer linked' });
  return rows.length;
}

async function ingestPending(db: Db, runId: number, rawDir: string, jobs: number, reporter: Reporter): Promise<{ inserted: number; unchanged: number; notDisclosures: number; failures: Failure[] }> {
  const rows = db.prepare("SELECT id, page_url, files FROM crawl_disclosures WHERE status = 'pending' ORDER BY id").all() as Array<{ id: number; page_url: string; files: string }>;
  const failures: Failure[] = [];
  let inserted = 0;
  let unchanged = 0;
  let notDisclosures = 0;
  const byKey = new Map<string, Array<{ id: number; page: string; urls: string[] }>>();
  const groups: string[][] = [];
  const setFailed = db.prepare("UPDATE crawl_disclosures SET status = ?, message = ?, stored_run = ? WHERE id = ?");
  for (const r of rows) {
    const files = JSON.parse(r.files) as FileRef[];
    const paths = files.map((f) => path.resolve(rawDir, f.path));
    const missing = paths.find((p) => !existsSync(p));
    if (missing) {
      setFailed.run('failed', `raw file missing: ${missing}`, runId, r.id);
      failures.push({ url: r.page_url, stage: 'ingest', reason: `raw file missing: ${missing}` });
      continue;
    }
    const key = paths.join('\0');
    if (!byKey.has(key)) {
      byKey.set(key, []);
      groups.push(paths);
    }
    byKey.get(key)!.push({ id: r.id, page: r.page_url, urls: files.map((f) => f.url) });
  }
  const stored = db.prepare("UPDATE crawl_disclosures SET status = 'stored', outcome = ?, message = NULL, document_id = ?, stored_at = ?, stored_run = ? WHERE id = ?");
  const supersede = db.prepare(
    `UPDATE crawl_disclosures SET superseded_by = ?, superseded_at = ?
     WHERE page_url = ? AND id <> ? AND status = 'stored' AND superseded_by IS NULL AND (document_id IS NULL OR document_id <> ?) AND id < ?`,
  );
  let done = 0;
  await ingestGroups(db, groups, {
    jobs,
    onOutcome: (o) => {
      // a lone narrative and a lone tables file paired by content: both rows get the one document
      const targets = o.inputs.flatMap((g) => byKey.get(g.join('\0')) ?? []);
      const ts = now();
      db.transaction(() => {
        for (const t of targets) {
          if ((o.status === 'inserted' || o.status === 'unchanged') && o.documentId !== undefined) {
            stored.run(o.status, o.documentId, ts, runId, t.id);
            supersede.run(t.id, ts, t.page, t.id, o.documentId, t.id);
          } else setFailed.run(o.status === 'unsupported' || o.status === 'not_disclosure' ? o.status : 'failed', o.message ?? 'failed', runId, t.id);
        }
      })();
      for (const t of targets) {
        if (o.status === 'inserted') inserted++;
        else if (o.status === 'unchanged') unchanged++;
        // read and recognised as something else (a notice, a 公报): recorded, not a failure
        else if (o.status === 'not_disclosure') notDisclosures++;
        else failures.push({ url: t.page, stage: 'ingest', reason: o.message ?? o.status });
        const m = o.disclosure?.extraction.meta;
        reporter.event({
          event: 'ingest',
          page: t.page,
          files: t.urls,
          status: o.status,
          ...(o.documentId !== undefined ? { documentId: o.documentId } : {}),
          ...(o.message ? { message: o.message } : {}),
          ...(m?.department ? { department: m.department } : {}),
          ...(m?.year ? { year: m.year } : {}),
          ...(m?.kind ? { kind: m.kind } : {}),
        });
      }
      reporter.progress('ingest', (done += o.inputs.length), groups.length);
    },
  });
  return { inserted, unchanged, notDisclosures, failures };
}
