/**
 * The command as a user runs it (`node bin/disclosures.js …`, what `npx
 * disclosures` runs), against a temporary database.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBytes } from '../src/ingest/index.js';
import { corpus, ROOT, runCli as run } from './helpers.js';

describe('extract --json', () => {
  it('prints exactly the contract object on stdout', () => {
    const r = run(['extract', corpus('sichuan-zwfw-2020-js.txt'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['document', 'meta', 'facts', 'lineItems', 'sections', 'tables', 'findings', 'performance']);
    expect(j.document).toMatchObject({ format: 'txt', pages: null, files: [{ format: 'txt', pages: null }] });
    expect(j.document.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(j.meta).toEqual({ department: '四川省政府政务服务和公共资源交易服务中心', year: 2020, kind: 'final', scope: 'department' });
    const keys = j.facts.map((f: { key: string }) => f.key);
    expect(new Set(keys).size).toBe(keys.length); // at most one entry per key
    for (const f of j.facts) {
      expect(['yuan', 'percent', 'count']).toContain(f.unit);
      expect(Number.isFinite(f.value)).toBe(true);
      expect(Math.round(f.value * 100) / 100).toBe(f.value);
      expect(f.evidence[0].quote).toBeTruthy();
      expect(f.evidence[0].file).toBeTruthy();
    }
    expect(j.facts.find((f: { key: string }) => f.key === 'totals.change').value).toBe(7887800);
  });
  it('paged text gives pages', () => {
    const r = run(['extract', corpus('putuo-wanli-2025-bmys-pages.txt'), '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.document.pages).toBe(31);
    expect(j.facts.every((f: { evidence: Array<{ page?: number }> }) => typeof f.evidence[0]!.page === 'number')).toBe(true);
  });
  it('a file it cannot read: exit 1, one line on stderr naming the file, nothing on stdout', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'disc-'));
    const f = path.join(dir, 'empty.txt');
    writeFileSync(f, '');
    const r = run(['extract', f, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(f);
  });
  it('usage errors exit 2', () => {
    expect(run(['extract', corpus('sichuan-zwfw-2020-js.txt')]).code).toBe(2);
    expect(run(['extract', '--json']).code).toBe(2);
    expect(run(['frobnicate']).code).toBe(2);
    expect(run(['ingest', '--db']).code).toBe(2);
  });
  it('--help on every command', () => {
    for (const args of [['--help'], ['ingest', '--help'], ['extract', '--help'], ['help', 'ingest']]) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage/);
    }
  });
});

describe('ingest into SQLite', () => {
  it('stores good files, names bad ones with a one-line reason, stores nothing for them, and re-ingest changes nothing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'disc-'));
    const db = path.join(dir, 'db', 'd.sqlite');
    const inputs = path.join(dir, 'in');
    execFileSync('mkdir', ['-p', inputs]);
    copyFileSync(corpus('sichuan-zwfw-2020-js.txt'), path.join(inputs, 'a.txt'));
    copyFileSync(corpus('putuo-wanli-2025-bmys-pages.txt'), path.join(inputs, 'b.txt'));
    writeFileSync(path.join(inputs, 'empty.txt'), '');
    writeFileSync(path.join(inputs, 'garbage.txt'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) % 256)));
    const unknown = path.join(dir, 'notes.xyz');
    writeFileSync(unknown, 'hello');

    const r = run(['ingest', inputs, unknown, '--db', db]);
    expect(r.code).toBe(1);
    const failures = r.stderr.split('\n').filter((l) => l.startsWith('failed '));
    expect(failures).toHaveLength(3);
    expect(failures.find((l) => l.includes('empty.txt'))).toMatch(/empty/);
    expect(failures.find((l) => l.includes('garbage.txt'))).toMatch(/binary|garbled|not valid/);
    expect(failures.find((l) => l.includes('notes.xyz'))).toMatch(/unknown file type/);
    expect(r.stderr).toMatch(/\[\d\/\d\] inserted/); // progress when more than one file

    const d = new Database(db, { readonly: true });
    const docs = d.prepare('SELECT path, department, year, kind FROM documents ORDER BY path').all() as Array<{ path: string }>;
    expect(docs.map((x) => path.basename(x.path))).toEqual(['a.txt', 'b.txt']);
    const facts = d.prepare('SELECT count(*) n FROM facts').get() as { n: number };
    expect(facts.n).toBeGreaterThan(80);
    const tp = d.prepare("SELECT f.value, f.value_fen, f.page, f.printed FROM facts f JOIN documents x ON x.id = f.document_id WHERE x.year = 2025 AND f.key = 'three_public.total'").get();
    expect(tp).toEqual({ value: 379100, value_fen: 37910000, page: 29, printed: '37.91' });
    const li = d.prepare("SELECT code, path, total, basic, project FROM line_items WHERE code = '2120101'").get();
    expect(li).toEqual({ code: '2120101', path: '城乡社区支出 / 城乡社区管理事务 / 行政运行', total: 17887739, basic: 17737739, project: 150000 });
    // full-text search finds “三公”经费 with the unquoted query
    const hits = d.prepare("SELECT count(*) n FROM sections_fts WHERE sections_fts MATCH '三公经费'").get() as { n: number };
    expect(hits.n).toBeGreaterThan(2);
    expect((d.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
    const before = d.prepare('SELECT count(*) n, max(ingested_at) t FROM documents').get();
    d.close();

    const again = run(['ingest', path.join(inputs, 'a.txt'), path.join(inputs, 'b.txt'), '--db', db]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/0 stored, 2 unchanged/);
    const d2 = new Database(db, { readonly: true });
    expect(d2.prepare('SELECT count(*) n, max(ingested_at) t FROM documents').get()).toEqual(before);
    d2.close();
  });

  it('ingests the bundled sample into out/ by default (the README command)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'disc-'));
    execFileSync('mkdir', ['-p', path.join(dir, 'samples')]);
    copyFileSync(path.join(ROOT, 'samples/sichuan-zwfw-2020-js.txt'), path.join(dir, 'samples/s.txt'));
    const r = run(['ingest', 'samples'], dir);
    expect(r.code).toBe(0);
    const d = new Database(path.join(dir, 'out/disclosures.sqlite'), { readonly: true });
    expect((d.prepare('SELECT count(*) n FROM documents').get() as { n: number }).n).toBe(1);
    d.close();
  });
});

describe('ingestGroups skips stored bytes before parsing', () => {
  it('a second ingest of the same files parses nothing and names the stored documents', async () => {
    const { ingestGroups } = await import('../src/run-ingest.js');
    const { openStore } = await import('../src/store/store.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'skip-'));
    const db = openStore(path.join(dir, 'd.sqlite'));
    try {
      const groups = [[corpus('sichuan-zwfw-2020-js.txt')], [corpus('js-rdbgt-2019-bmys.pdf'), corpus('js-rdbgt-2019-bmys-tables.pdf')]];
      const first = await ingestGroups(db, groups, { jobs: 1 });
      expect(first.map((o) => o.status)).toEqual(['inserted', 'inserted']);
      const seen: Array<{ status: string; parsed: boolean; id?: number }> = [];
      const second = await ingestGroups(db, groups, { jobs: 2, onOutcome: (o) => seen.push({ status: o.status, parsed: o.disclosure !== undefined, id: o.documentId }) });
      expect(second.map((o) => o.status)).toEqual(['unchanged', 'unchanged']);
      // found by the bytes' sha256 (the two-file disclosure by its combined hash), not by parsing again
      expect(seen.map((s) => s.parsed)).toEqual([false, false]);
      // (the first run's outcomes come in the order they are stored: look them up by file)
      expect(seen.map((s) => s.id)).toEqual(groups.map((g) => first.find((o) => o.files[0] === g[0])!.documentId));
    } finally {
      db.close();
    }
  });

  it('with --jobs 1 too, a file that hangs its parser is stopped at the time limit and fails alone', async () => {
    const { ingestGroups } = await import('../src/run-ingest.js');
    const { openStore } = await import('../src/store/store.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'hang-'));
    copyFileSync(corpus('js-rdbgt-2019-bmys.pdf'), path.join(dir, 'spins.pdf'));
    copyFileSync(corpus('sichuan-zwfw-2020-js.txt'), path.join(dir, 'good.txt'));
    const db = openStore(path.join(dir, 'd.sqlite'));
    process.env.DISCLOSURES_TEST_STALL_ON = 'spins.pdf'; // the worker spins on it (src/worker.ts)
    try {
      const out = await ingestGroups(db, [[path.join(dir, 'spins.pdf')], [path.join(dir, 'good.txt')]], { jobs: 1, jobTimeoutMs: 4000 });
      const of = (name: string) => out.find((o) => o.files[0] === path.join(dir, name))!;
      expect(of('spins.pdf').status).toBe('failed');
      expect(of('spins.pdf').message).toMatch(/spins\.pdf: no result after 4 s \(stopped\)/);
      expect(of('good.txt').status).toBe('inserted');
      expect((db.prepare('SELECT count(*) n FROM documents').get() as { n: number }).n).toBe(1);
    } finally {
      delete process.env.DISCLOSURES_TEST_STALL_ON;
      db.close();
    }
  }, 90_000);

  it('a PDF whose damaged embedded font sent pdfjs into minutes of work is read in seconds (scripts/patch-deps.mjs)', async () => {
    // a corpus PDF with 3,606 bytes cut out of an embedded CFF font (found by mutating the
    // corpus): the fast reader declines it; pdfjs's CFF parser was handed a 4 MB font dict
    const full = readFileSync(corpus('putuo-czj-2024-js.pdf'));
    const damaged = Buffer.concat([full.subarray(0, 1506680), full.subarray(1506680 + 3606)]);
    const t0 = Date.now();
    const doc = await readBytes(damaged, 'damaged-font.pdf');
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(doc.file.pages).toBe(25);
    expect(doc.blocks.length).toBeGreaterThan(100);
  }, 60_000);

  it('the same bytes under a name that refuses them (text named .pdf) are refused, not "unchanged"', async () => {
    const { ingestGroups } = await import('../src/run-ingest.js');
    const { openStore } = await import('../src/store/store.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'skip-'));
    copyFileSync(corpus('sichuan-zwfw-2020-js.txt'), path.join(dir, 'a.txt'));
    copyFileSync(corpus('sichuan-zwfw-2020-js.txt'), path.join(dir, 'b.pdf'));
    copyFileSync(corpus('sichuan-zwfw-2020-js.txt'), path.join(dir, 'c.text'));
    const db = openStore(path.join(dir, 'd.sqlite'));
    try {
      const out = await ingestGroups(db, [[path.join(dir, 'a.txt')], [path.join(dir, 'b.pdf')], [path.join(dir, 'c.text')]], { jobs: 1 });
      // outcomes come in the order parses finish: look them up by file
      const of = (name: string) => out.find((o) => o.files[0] === path.join(dir, name))!;
      expect(['a.txt', 'b.pdf', 'c.text'].map((n) => of(n).status)).toEqual(['inserted', 'failed', 'unchanged']);
      expect(of('b.pdf').message).toMatch(/b\.pdf: named \.pdf but holds no PDF data/);
      expect(of('c.text').documentId).toBe(of('a.txt').documentId);
    } finally {
      db.close();
    }
  });
});
