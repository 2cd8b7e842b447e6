/**
 * The scheduled crawl end to end against a portal on 127.0.0.1 (test/crawl-portal.ts):
 * first run, rerun with conditional requests, changes upstream (new version,
 * gone), a run killed with SIGKILL and rerun, the lock, exit codes.
 * No request leaves 127.0.0.1.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/crawl/config.js';
import { crawl } from '../src/crawl/crawler.js';
import { summaryText, type CrawlEvent, type Reporter, type Summary } from '../src/crawl/report.js';
import { openStore } from '../src/store/store.js';
import { corpus, ROOT } from './helpers.js';
import { expectedDocumentHashes, Portal, portalConfig } from './crawl-portal.js';

const RUNNER = path.join(ROOT, 'src/crawl/main.mjs');

let portal: Portal;
let base: string;
beforeAll(async () => {
  portal = new Portal();
  base = await portal.start();
});
afterAll(async () => {
  await portal.stop();
});

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'crawl-'));
}

async function runInProcess(dbPath: string, cfgText: string): Promise<{ summary: Summary; events: CrawlEvent[] }> {
  const events: CrawlEvent[] = [];
  const reporter: Reporter = { event: (e) => events.push(e), progress: () => {}, close: () => {} };
  const db = openStore(dbPath);
  try {
    const r = await crawl({ db, dbPath, config: parseConfig(cfgText, 'sources.json'), command: 'run', ingest: true, jobs: 1, reporter });
    return { summary: r.summary, events };
  } finally {
    db.close();
  }
}

interface Child {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: Array<Record<string, unknown>>;
  stderr: string;
}

/** The CLI in a child process; `killWhen` sees each JSON log line and the portal's requests, and may SIGKILL it. */
function runChild(args: string[], killWhen?: (line: Record<string, unknown> | null) => boolean): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Array<Record<string, unknown>> = [];
    let buf = '';
    let stderr = '';
    let killed = false;
    const check = (l: Record<string, unknown> | null) => {
      if (!killed && killWhen?.(l)) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    const poll = killWhen ? setInterval(() => check(null), 5) : null;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const l = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const j = JSON.parse(l) as Record<string, unknown>;
          lines.push(j);
          check(j);
        } catch {
          // not JSON
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (poll) clearInterval(poll);
      resolve({ code, signal, lines, stderr });
    });
  });
}

/** What a finished store must look like, independent of timing: documents with their content, crawl state. */
function snapshot(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    const count = (t: string) => `(SELECT COUNT(*) FROM ${t} x WHERE x.document_id = d.id)`;
    const documents = db
      .prepare(`SELECT sha256, format, pages, file_count, department, year, kind, scope, fact_count, ${count('facts')} AS facts, ${count('line_items')} AS items, ${count('sections')} AS sections, ${count('tables')} AS tables, ${count('findings')} AS findings FROM documents d ORDER BY sha256`)
      .all();
    const disclosures = db
      .prepare(`SELECT c.page_url, c.files_key, c.files, c.status, c.hints, c.superseded_by IS NULL AS current, c.gone_at IS NULL AS present, d.sha256 AS document FROM crawl_disclosures c LEFT JOIN documents d ON d.id = c.document_id ORDER BY c.page_url, c.files_key`)
      .all();
    const urls = db.prepare('SELECT url, kind, sha256, etag, last_modified, format, bytes, gone_at IS NULL AS present FROM crawl_urls ORDER BY url').all();
    const runs = db.prepare('SELECT COUNT(*) AS n, SUM(finished_at IS NULL) AS open FROM crawl_runs').get();
    const queue = db.prepare('SELECT u.url, q.kind, q.state, q.outcome IN (\'fetched\', \'not-modified\', \'same-bytes\') AS ok, q.error FROM crawl_queue q JOIN crawl_urls u ON u.id = q.url_id ORDER BY u.url').all();
    const rawDir = path.join(path.dirname(dbPath), 'raw');
    const raw = readdirSync(rawDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.[a-z]+$/.test(f))
      .sort();
    return { documents, disclosures, urls, runs, queue, raw };
  } finally {
    db.close();
  }
}

describe('crawl + ingest of a local portal', () => {
  const dir = tmp();
  const dbPath = path.join(dir, 'out', 'disclosures.sqlite');
  let cfg: string;

  it('first run: every real document ingested once, the bad ones named with their reason', async () => {
    portal.reset();
    portal.build();
    cfg = portalConfig(base);
    const { summary, events } = await runInProcess(dbPath, cfg);

    const db = new Database(dbPath, { readonly: true });
    const docs = db.prepare('SELECT id, sha256, department, year, kind, file_count FROM documents ORDER BY sha256').all() as Array<{ id: number; sha256: string; department: string | null; year: number; kind: string; file_count: number }>;
    expect(docs.map((d) => d.sha256)).toEqual(expectedDocumentHashes());
    const pair = docs.find((d) => d.file_count === 2)!;
    expect(pair).toMatchObject({ department: '江苏省人大常委会办公厅', year: 2019, kind: 'budget' });
    // narrative + tables of one detail page: one document, reached by two URLs
    const origins = db.prepare('SELECT url, source_page FROM crawl_documents WHERE document_id = ? ORDER BY url').all(pair.id);
    expect(origins).toEqual([
      { url: `${base}/files/js/2019/js-rdbgt-2019-bmys-tables.pdf`, source_page: `${base}/detail/a.html` },
      { url: `${base}/files/js/2019/js-rdbgt-2019-bmys.pdf`, source_page: `${base}/detail/a.html` },
    ]);
    // the page that is itself the disclosure, and the hints of the source
    const page = db.prepare("SELECT d.format, d.department, c.hints FROM crawl_disclosures c JOIN documents d ON d.id = c.document_id WHERE c.page_url = ?").get(`${base}/detail/e.html`);
    expect(page).toMatchObject({ format: 'html', department: '重庆市交通委员会', hints: '{"region":"test"}' });
    // GBK listing decoded: link texts as written
    const texts = (db.prepare('SELECT text FROM crawl_links WHERE role = ? ORDER BY seq').all('detail') as Array<{ text: string }>).map((r) => r.text);
    expect(texts).toContain('江苏省人大常委会办公厅2019年部门预算');
    // fetch log and raw store
    const log = db.prepare('SELECT url, final_url, status, outcome, sha256, bytes, etag, attempts, error FROM crawl_fetches WHERE url LIKE ?').get('%old-sichuan.docx') as Record<string, unknown>;
    expect(log).toMatchObject({ final_url: `${base}/files/sichuan.docx`, status: 200, outcome: 'fetched', bytes: readFileSync(corpus('sichuan-zwfw-2020-js.docx')).length });
    expect(existsSync(path.join(dir, 'out', 'raw', String(log.sha256).slice(0, 2), `${String(log.sha256)}.docx`))).toBe(true);
    const flaky = db.prepare('SELECT attempts, status FROM crawl_fetches WHERE url LIKE ?').get('%dwys.xls');
    expect(flaky).toEqual({ attempts: 2, status: 200 });
    db.close();

    // the bad ones, each with its reason
    const reasons = Object.fromEntries(summary.failures.map((f) => [f.url.replace(base, ''), f.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['/files/error.pdf', '/files/huge.pdf', '/files/missing.pdf']);
    expect(reasons['/files/missing.pdf']).toMatch(/HTTP 404/);
    expect(reasons['/files/huge.pdf']).toMatch(/too large/);
    expect(reasons['/files/error.pdf']).toMatch(/served as \.pdf but is an HTML page \("系统繁忙/);
    expect(summary).toMatchObject({ resumed: false, discovered: 8, new: 8, fetched: 5, unchanged: 0, ingested: 5, failed: 3, blocked: 1, disclosures: 5 });
    expect(events.filter((e) => e.event === 'ingest').every((e) => e.event === 'ingest' && e.status === 'inserted')).toBe(true);

    // the portal saw: robots.txt once, the user agent, the 500 retried, the redirect, the robots-disallowed page never
    expect(portal.requestsFor('/robots.txt')).toHaveLength(1);
    expect(portal.seen.every((s) => s.userAgent === 'disclosures-crawler/0.1 (test suite)')).toBe(true);
    expect(portal.requestsFor('/files/flaky/dwys.xls').map((s) => s.status)).toEqual([500, 200]);
    expect(portal.requestsFor('/dl/old-sichuan.docx').map((s) => s.status)).toEqual([302]);
    expect(portal.requestsFor('/private/admin.html')).toHaveLength(0);
    // each URL fetched once (pagination links to list.html from list_2 are not followed again)
    const paths = portal.seen.map((s) => s.path).filter((p) => p !== '/files/flaky/dwys.xls');
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('second run: nothing new is fetched or ingested; the portal sees conditional requests', async () => {
    const before = snapshot(dbPath);
    portal.reset();
    const { summary } = await runInProcess(dbPath, cfg);
    expect(summary).toMatchObject({ fetched: 0, unchanged: 5, ingested: 0, new: 0, failed: 3 });
    for (const p of ['/files/js/2019/js-rdbgt-2019-bmys.pdf', '/files/js/2019/js-rdbgt-2019-bmys-tables.pdf', '/files/sichuan.docx', '/files/slow/sfj-2026.pdf', '/files/flaky/dwys.xls']) {
      const last = portal.requestsFor(p).at(-1)!;
      expect(last.ifNoneMatch, p).toMatch(/^"/);
      expect(last.status, p).toBe(304);
    }
    for (const p of ['/list.html', '/list_2.html', '/detail/a.html', '/detail/e.html']) {
      expect(portal.requestsFor(p)).toMatchObject([{ ifModifiedSince: expect.stringMatching(/ 2024 .* GMT$/), status: 304 }]);
    }
    const after = snapshot(dbPath);
    expect(after.documents).toEqual(before.documents);
    expect(after.raw).toEqual(before.raw);
    expect(after.disclosures).toEqual(before.disclosures);
  });

  it('changes upstream: a changed file becomes a new version, vanished ones are marked gone, nothing is deleted', async () => {
    portal.reset();
    // the spreadsheet is replaced, the 司法局 page is unlinked, the docx disappears
    portal.resources.get('/files/flaky/dwys.xls')!.body = readFileSync(corpus('putuo-template-2026-dwys.xlsx'));
    portal.resources.get('/files/sichuan.docx')!.status = 404;
    const l2 = portal.resources.get('/list_2.html')!;
    l2.body = Buffer.from((l2.body as Buffer).toString('latin1').replace(/<li><a href="\/detail\/d.html">[^\n]*\n/, ''), 'latin1');
    const { summary } = await runInProcess(dbPath, cfg);
    expect(summary).toMatchObject({ fetched: 1, ingested: 1 });
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM documents').get()).toEqual({ n: 6 });
    const versions = db.prepare('SELECT id, status, superseded_by, document_id FROM crawl_disclosures WHERE page_url = ? ORDER BY id').all(`${base}/detail/c.html`) as Array<{ id: number; superseded_by: number | null; document_id: number }>;
    expect(versions).toHaveLength(2);
    expect(versions[0]!.superseded_by).toBe(versions[1]!.id);
    expect(versions[1]!.superseded_by).toBeNull();
    expect(versions[0]!.document_id).not.toBe(versions[1]!.document_id);
    const gone = db.prepare('SELECT url, gone_reason FROM crawl_urls WHERE gone_at IS NOT NULL ORDER BY url').all();
    expect(gone).toEqual([
      { url: `${base}/dl/old-sichuan.docx`, gone_reason: 'HTTP 404' },
      { url: `${base}/files/slow/sfj-2026.pdf`, gone_reason: 'no longer linked' },
    ]);
    const goneDocs = db.prepare('SELECT page_url FROM crawl_disclosures WHERE gone_at IS NOT NULL ORDER BY page_url').all();
    expect(goneDocs).toEqual([{ page_url: `${base}/detail/b.html` }, { page_url: `${base}/detail/d.html` }]);
    db.close();
    portal.build();
  });
});

describe('what a document is, its content decides', () => {
  it('a lone narrative and a lone tables file are stored as one; a notice is recorded as not a disclosure, not as a failure, and not taken up again', async () => {
    const own = new Portal();
    const at = await own.start();
    try {
      const beijing = (n: string) => readFileSync(corpus(`national/北京/政府办公厅_${n}`));
      const r = own.resources;
      r.clear();
      r.set('/robots.txt', { body: Buffer.from('User-agent: *\nDisallow:\n'), type: 'text/plain' });
      // documents linked straight from the listing: each is a disclosure of its own until its content is read
      r.set('/list.html', {
        type: 'text/html; charset=utf-8',
        body: Buffer.from(`<html><head><title>预算公开</title></head><body><ul>
<li><a href="/files/a1.pdf">附件1：北京城市副中心工程建设管理办公室2026年度部门预算情况说明</a></li>
<li><a href="/files/notice.pdf">惠州市退役军人事务局2026年部门预算</a></li>
<li><a href="/files/a2.pdf">附件2：北京城市副中心工程建设管理办公室2026年度部门预算报表</a></li>
</ul></body></html>`),
      });
      r.set('/files/a1.pdf', { type: 'application/pdf', etag: true, body: beijing('附件1：北京城市副中心工程建设管理办公室2026年度部门预算情况说明.pdf') });
      r.set('/files/a2.pdf', { type: 'application/pdf', etag: true, body: beijing('附件2：北京城市副中心工程建设管理办公室2026年度部门预算报表.pdf') });
      r.set('/files/notice.pdf', { type: 'application/pdf', etag: true, body: readFileSync(corpus('national/惠州/2026年惠州市退役军人事务局部门预算.pdf')) });
      const dbPath = path.join(tmp(), 'out', 'disclosures.sqlite');
      const cfgText = portalConfig(at);

      const first = await runInProcess(dbPath, cfgText);
      expect(first.summary).toMatchObject({ disclosures: 3, ingested: 2, notDisclosures: 1, failed: 0, failures: [] });
      expect(summaryText(first.summary)).toMatch(/, 2 ingested, 1 not a disclosure, 0 failed/);
      const notice = first.events.find((e) => e.event === 'ingest' && e.status === 'not_disclosure');
      expect(notice).toMatchObject({ page: `${at}/files/notice.pdf`, message: expect.stringMatching(/^not a 预算\/决算 disclosure \(/) });
      const db = new Database(dbPath, { readonly: true });
      const docs = db.prepare('SELECT id, file_count, department FROM documents').all() as Array<{ id: number }>;
      expect(docs).toEqual([{ id: docs[0]!.id, file_count: 2, department: '北京城市副中心工程建设管理办公室' }]);
      const rows = db.prepare('SELECT page_url, status, outcome, message, document_id FROM crawl_disclosures ORDER BY page_url').all();
      expect(rows).toEqual([
        { page_url: `${at}/files/a1.pdf`, status: 'stored', outcome: 'inserted', message: null, document_id: docs[0]!.id },
        { page_url: `${at}/files/a2.pdf`, status: 'stored', outcome: 'inserted', message: null, document_id: docs[0]!.id },
        { page_url: `${at}/files/notice.pdf`, status: 'not_disclosure', outcome: null, message: expect.stringMatching(/^not a 预算\/决算 disclosure/), document_id: null },
      ]);
      const origins = db.prepare('SELECT url FROM crawl_documents WHERE document_id = ? ORDER BY url').all(docs[0]!.id);
      expect(origins).toEqual([{ url: `${at}/files/a1.pdf` }, { url: `${at}/files/a2.pdf` }]);
      db.close();

      // the next run reads nothing again: the notice stays recorded, the pair stored
      const second = await runInProcess(dbPath, cfgText);
      expect(second.summary).toMatchObject({ ingested: 0, notDisclosures: 0, failed: 0 });
      expect(second.events.filter((e) => e.event === 'ingest')).toEqual([]);
    } finally {
      await own.stop();
    }
  });
});

describe('killed midway', () => {
  let baseline: ReturnType<typeof snapshot>;
  let cfgFile: string;

  beforeAll(async () => {
    const dir = tmp();
    cfgFile = path.join(dir, 'sources.json');
    portal.build();
    portal.reset();
    writeFileSync(cfgFile, portalConfig(base));
    const dbPath = path.join(dir, 'out', 'disclosures.sqlite');
    await runInProcess(dbPath, portalConfig(base));
    baseline = snapshot(dbPath);
  });

  const cases: Array<[string, (p: Portal, line: Record<string, unknown> | null) => boolean]> = [
    ['while fetching (at the request for the slow file)', (p) => p.requestsFor('/files/slow/sfj-2026.pdf').length > 0],
    ['while ingesting (after the first disclosure is stored)', (_p, line) => line?.event === 'ingest'],
  ];
  it.each(cases)('SIGKILL %s, then rerun: the same database as an uninterrupted run', async (_name, when) => {
    const dir = tmp();
    const dbPath = path.join(dir, 'out', 'disclosures.sqlite');
    portal.reset();
    const args = ['run', '--config', cfgFile, '--db', dbPath, '--jobs', '1', '--log-format', 'json'];
    const killed = await runChild(args, (line) => when(portal, line));
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.lines.some((l) => l.event === 'summary')).toBe(false);
    expect(existsSync(dbPath + '.lock')).toBe(true); // left behind by the dead run

    const again = await runChild(args);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(1); // the three bad documents
    const start = again.lines.find((l) => l.event === 'start')!;
    expect(start).toMatchObject({ resumed: true });
    expect(start.tookOverLockOf).toBeGreaterThan(0);
    const summary = (again.lines.find((l) => l.event === 'summary')!.summary as Summary);
    expect(summary.failures.map((f) => f.url.replace(base, '')).sort()).toEqual(['/files/error.pdf', '/files/huge.pdf', '/files/missing.pdf']);

    expect(snapshot(dbPath)).toEqual(baseline);
    expect(existsSync(dbPath + '.lock')).toBe(false);
    expect(readdirSync(path.join(dir, 'out', 'raw', 'tmp')).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});

describe('the command line', () => {
  it('a one-off crawl with --start follows the default rules and stores nothing until run', async () => {
    const dir = tmp();
    const dbPath = path.join(dir, 'db.sqlite');
    portal.build();
    portal.reset();
    const r = await runChild(['crawl', '--start', `${base}/list.html`, '--db', dbPath, '--delay', '0', '--retries', '1', '--max-bytes', '2000000', '--log-format', 'json']);
    expect(r.code).toBe(1);
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM documents').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM crawl_disclosures WHERE status = 'pending'").get()).toEqual({ n: 5 });
    db.close();
    const s = r.lines.find((l) => l.event === 'summary')!.summary as Summary;
    expect(s).toMatchObject({ disclosures: 5, ingested: 0, failed: 3 });
  });

  it('a run on a database locked by a live run exits 3 and leaves the lock alone (stale locks: see the kill test)', async () => {
    const dir = tmp();
    const dbPath = path.join(dir, 'db.sqlite');
    writeFileSync(dbPath + '.lock', JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), started: new Date().toISOString() }));
    const r = await runChild(['run', '--start', `${base}/list.html`, '--db', dbPath]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/another run holds the lock .*pid \d+/);
    expect(existsSync(dbPath + '.lock')).toBe(true);
  });

  it('exit 4 when no start page can be fetched at all', async () => {
    const dir = tmp();
    const down = new Portal();
    const url = await down.start();
    await down.stop(); // nothing listens there any more
    const r = await runChild(['run', '--start', `${url}/list.html`, '--db', path.join(dir, 'db.sqlite'), '--retries', '0', '--timeout', '2000', '--quiet']);
    expect(r.code).toBe(4);
    expect(r.lines).toEqual([]);
  });

  it('usage and configuration errors exit 2, naming the line', async () => {
    const dir = tmp();
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "sources": [\n    {\n      "name": "x",\n      "start": ["not a url"],\n      "maxDepht": 2\n    }\n  ]\n}\n');
    const r = await runChild(['run', '--config', bad, '--db', path.join(dir, 'db.sqlite')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:5: sources.0.start.0: an absolute http(s) URL`);
    expect(r.stderr).toContain(`${bad}:6: sources.0: unknown key "maxDepht"`);
    expect((await runChild(['run'])).code).toBe(2);
    expect((await runChild(['crawl', '--start', 'ftp://x/'])).code).toBe(2);
    const help = await runChild(['run', '--help']);
    expect(help.code).toBe(0);
  });
});
