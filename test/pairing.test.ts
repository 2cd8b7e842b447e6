/**
 * A disclosure published in two files with unrelated names (Beijing's 附件1 …情况说明
 * and 附件2 …报表) is stored as one; what is not a disclosure (a 政府公报 notice) is
 * named and not stored. The pairing rule alone (src/pairing.ts), then the command on
 * real corpus files linked into a temporary directory.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DisclosurePart } from '../parsers/disclosure.js';
import { pairDisclosures, pairParts, partKey, waitsForPartner } from '../src/pairing.js';
import type { Meta } from '../src/model.js';
import { ingestGroups } from '../src/run-ingest.js';
import { openStore } from '../src/store/store.js';
import { corpus, runCli as run } from './helpers.js';

const meta = (m: Partial<Meta> = {}): Meta => ({ department: '北京市审计局', year: 2026, kind: 'budget', scope: 'department', ...m });
const part = (p: DisclosurePart, m: Partial<Meta> = {}) => ({ key: partKey(meta(m)), part: p });

describe('pairing by content (src/pairing.ts)', () => {
  it('a narrative and a tables part of one department × year × kind × scope pair, narrative first', () => {
    expect(pairParts([part('narrative'), part('tables')])).toEqual([[0, 1]]);
    expect(pairParts([part('tables'), part('narrative')])).toEqual([[1, 0]]);
  });

  it('the department is matched by identity, not as printed', () => {
    const a = part('narrative', { department: '中国共产党北京市委员会军民融合发展委员会办公室' });
    const b = part('tables', { department: '中共北京市委军民融合发展委员会办公室' });
    expect(pairParts([a, b])).toEqual([[0, 1]]);
  });

  it('two narratives and one tables part of one key: ambiguous, nothing pairs', () => {
    expect(pairParts([part('narrative'), part('narrative'), part('tables')])).toEqual([[0], [1], [2]]);
    expect(pairParts([part('narrative'), part('tables'), part('tables')])).toEqual([[0], [1], [2]]);
  });

  it('a different scope, year, kind or department does not pair', () => {
    expect(pairParts([part('narrative'), part('tables', { scope: 'unit' })])).toEqual([[0], [1]]);
    expect(pairParts([part('narrative'), part('tables', { year: 2025 })])).toEqual([[0], [1]]);
    expect(pairParts([part('narrative'), part('tables', { kind: 'final' })])).toEqual([[0], [1]]);
    expect(pairParts([part('narrative'), part('tables', { department: '北京市公安局' })])).toEqual([[0], [1]]);
  });

  it('a whole disclosure never pairs', () => {
    expect(pairParts([part('whole'), part('tables')])).toEqual([[0], [1]]);
    expect(pairParts([part('narrative'), part('whole')])).toEqual([[0], [1]]);
    expect(pairParts([part('whole'), part('whole')])).toEqual([[0], [1]]);
  });

  it('a part that does not say whose it is pairs with nothing', () => {
    expect(partKey(meta({ department: undefined }))).toBeUndefined();
    expect(partKey(meta({ year: undefined }))).toBeUndefined();
    expect(partKey(meta({ kind: undefined }))).toBeUndefined();
    expect(pairParts([part('narrative', { department: undefined }), part('tables', { department: undefined })])).toEqual([[0], [1]]);
    // an unknown scope pairs only with an unknown scope
    expect(pairParts([part('narrative', { scope: undefined }), part('tables', { scope: undefined })])).toEqual([[0, 1]]);
    expect(pairParts([part('narrative', { scope: undefined }), part('tables')])).toEqual([[0], [1]]);
  });

  it('several keys at once: each pair in place of its first member, the rest in order', () => {
    const parts = [part('tables', { department: 'A局' }), part('narrative', { department: 'B局' }), part('whole'), part('narrative', { department: 'A局' }), part('tables', { department: 'B局' }), part('tables', { department: 'C局' })];
    expect(pairParts(parts)).toEqual([[3, 0], [1, 4], [2], [5]]);
    expect(pairParts([])).toEqual([]);
  });

  it('only a single file that is a disclosure and holds one part waits for a partner', () => {
    const x = (p: DisclosurePart, disclosure = true) => ({ extraction: { meta: meta(), part: p, disclosure } }) as unknown as Parameters<typeof waitsForPartner>[1];
    expect(waitsForPartner(['a.pdf'], x('narrative'))).toBe(true);
    expect(waitsForPartner(['a.pdf'], x('tables'))).toBe(true);
    expect(waitsForPartner(['a.pdf'], x('whole'))).toBe(false);
    expect(waitsForPartner(['a.pdf'], x('tables', false))).toBe(false);
    expect(waitsForPartner(['a.pdf', 'b.pdf'], x('tables'))).toBe(false); // joined by '+' or by name already
    const items = [{ name: 'n', disclosure: x('narrative') }, { name: 't', disclosure: x('tables') }];
    expect(pairDisclosures(items).map((g) => g.map((i) => i.name))).toEqual([['n', 't']]);
  });
});

const BEIJING = corpus('national/北京');
const SUB_CENTRE = ['政府办公厅_附件1：北京城市副中心工程建设管理办公室2026年度部门预算情况说明.pdf', '政府办公厅_附件2：北京城市副中心工程建设管理办公室2026年度部门预算报表.pdf'];
const MAJOR_PROJECTS = ['政府办公厅_附件1：北京市重大项目建设指挥部办公室2026年度部门预算情况说明.pdf', '政府办公厅_附件2：北京市重大项目建设指挥部办公室2026年度部门预算报表.pdf'];
/** a narrative whose tables file is not in the corpus: stays alone */
const LONE_NARRATIVE = '城市管理和综合执法局_附件1：北京市城市管理综合行政执法局2026年度部门预算情况说明.pdf';
const NOTICE = corpus('national/惠州/2026年惠州市退役军人事务局部门预算.pdf');

/** A temporary directory with these corpus files linked into it (never copied into the project). */
function linked(files: Array<[string, string]>): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'pairing-')), 'in');
  mkdirSync(dir);
  for (const [from, name] of files) symlinkSync(from, path.join(dir, name));
  return dir;
}

/**
 * Ingest a directory holding the narrative and the tables file of one disclosure (and
 * a lone narrative of another department): one document with both files, narrative
 * first; a second run reports every file unchanged without parsing it.
 */
async function storedAsOne([narrative, tables]: string[], department: string) {
  const dir = linked([narrative!, tables!, LONE_NARRATIVE].map((f) => [path.join(BEIJING, f), f]));
  const db = path.join(dir, '..', 'd.sqlite');
  const r = run(['ingest', dir, '--db', db]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/2 stored, 0 unchanged, 0 not a disclosure, 0 skipped \(format not read yet\), 0 failed/);
  expect(r.stderr).toContain(`inserted ${path.join(dir, narrative!)} + ${path.join(dir, tables!)}: ${department} 2026 budget`);

  const d = new Database(db, { readonly: true });
  const docs = d.prepare('SELECT id, file_count, department, year, kind, scope FROM documents ORDER BY id').all() as Array<{ id: number; file_count: number; department: string }>;
  expect(docs).toHaveLength(2);
  const pair = docs.find((x) => x.file_count === 2)!;
  expect(pair).toMatchObject({ department, year: 2026, kind: 'budget', scope: 'department' });
  const files = d.prepare('SELECT path FROM document_files WHERE document_id = ? ORDER BY seq').all(pair.id) as Array<{ path: string }>;
  expect(files.map((f) => path.basename(f.path))).toEqual([narrative, tables]);
  // the tables file's tables and the narrative's sections are one document's
  expect((d.prepare('SELECT count(*) n FROM tables WHERE document_id = ?').get(pair.id) as { n: number }).n).toBeGreaterThan(3);
  expect((d.prepare('SELECT count(*) n FROM sections WHERE document_id = ? AND key IS NOT NULL').get(pair.id) as { n: number }).n).toBeGreaterThan(3);
  const before = d.prepare('SELECT count(*) n, max(ingested_at) t FROM documents').get();
  d.close();

  const again = run(['ingest', dir, '--db', db]);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stderr).toMatch(/0 stored, 3 unchanged/);
  // each file is found stored before parsing: the two parts as files of the one document
  const store = openStore(db);
  try {
    const seen: Array<{ file: string; status: string; parsed: boolean; id?: number }> = [];
    await ingestGroups(store, [[path.join(dir, tables!)], [path.join(dir, narrative!)]], { jobs: 1, onOutcome: (o) => seen.push({ file: path.basename(o.files[0]!), status: o.status, parsed: o.disclosure !== undefined, id: o.documentId }) });
    expect(seen).toEqual([
      { file: tables, status: 'unchanged', parsed: false, id: pair.id },
      { file: narrative, status: 'unchanged', parsed: false, id: pair.id },
    ]);
    expect(store.prepare('SELECT count(*) n, max(ingested_at) t FROM documents').get()).toEqual(before);
  } finally {
    store.close();
  }
  return { dir, db, pair };
}

describe('a disclosure published in two files is stored as one', () => {
  it('Beijing 城市副中心工程建设管理办公室: 附件1 情况说明 + 附件2 报表 → one document with two files; re-ingest: unchanged', async () => {
    const { dir, db, pair } = await storedAsOne(SUB_CENTRE, '北京城市副中心工程建设管理办公室');

    // check pairs them the same way
    const c = run(['check', dir, '--min', 'error']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain(`${path.join(dir, SUB_CENTRE[0]!)} + ${path.join(dir, SUB_CENTRE[1]!)}  (北京城市副中心工程建设管理办公室 2026 budget)`);
    expect(c.stdout).toMatch(/^2 documents checked: /m);

    // extract reads them in the order ingest joins them, whatever the order given: the stored document
    const x = run(['extract', path.join(dir, SUB_CENTRE[1]!), path.join(dir, SUB_CENTRE[0]!), '--json']);
    expect(x.code, x.stderr).toBe(0);
    const j = JSON.parse(x.stdout);
    expect(j.document.files.map((f: { path: string }) => path.basename(f.path))).toEqual(SUB_CENTRE);
    const d = new Database(db, { readonly: true });
    expect(j.document.sha256).toBe((d.prepare('SELECT sha256 FROM documents WHERE id = ?').get(pair.id) as { sha256: string }).sha256);
    expect(j.meta).toEqual({ department: '北京城市副中心工程建设管理办公室', year: 2026, kind: 'budget', scope: 'department' });
    d.close();
  }, 120_000);

  it('Beijing 北京市重大项目建设指挥部办公室: 附件1 + 附件2 → one document (the department read from both files)', async () => {
    await storedAsOne(MAJOR_PROJECTS, '北京市重大项目建设指挥部办公室');
  }, 120_000);
});

describe('what is not a disclosure is not stored', () => {
  it('a 政府公报 notice: named on stderr, counted, not stored, exit 0 on ingest and check', () => {
    const dir = linked([
      [NOTICE, path.basename(NOTICE)],
      [path.join(BEIJING, LONE_NARRATIVE), LONE_NARRATIVE],
    ]);
    const notice = path.join(dir, path.basename(NOTICE));
    const db = path.join(dir, '..', 'd.sqlite');
    const r = run(['ingest', dir, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('not a disclosure '));
    expect(lines).toEqual([`not a disclosure ${notice}: not a 预算/决算 disclosure (no 预算/决算 title, no standard table, 1 disclosure section)`]);
    expect(r.stderr).toMatch(/1 stored, 0 unchanged, 1 not a disclosure, 0 skipped \(format not read yet\), 0 failed/);
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT path FROM document_files').all()).toEqual([{ path: path.join(dir, LONE_NARRATIVE) }]);
    d.close();
    // a failure still fails the run
    const bad = run(['ingest', notice, path.join(dir, 'missing.pdf'), '--db', db, '--quiet']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`not a disclosure ${notice}: `);

    const c = run(['check', notice]);
    expect(c.code).toBe(0);
    expect(c.stderr.trim()).toBe(`not a disclosure ${notice}: not a 预算/决算 disclosure (no 预算/决算 title, no standard table, 1 disclosure section)`);
    expect(c.stdout).toBe('0 documents checked: 0 errors, 0 warnings, 0 info; 1 not a disclosure\n');
  });

  it('extract --json still prints the contract object; one line on stderr, a non-zero exit (extract-json.md)', () => {
    const x = run(['extract', NOTICE, '--json']);
    expect(x.code).toBe(1);
    expect(Object.keys(JSON.parse(x.stdout))).toEqual(['document', 'meta', 'facts', 'lineItems', 'sections', 'tables', 'findings', 'performance']);
    expect(x.stderr.trim().split('\n')).toEqual([`not a disclosure ${NOTICE}: not a 预算/决算 disclosure (no 预算/决算 title, no standard table, 1 disclosure section)`]);
  });
});
