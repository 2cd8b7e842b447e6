/**
 * The comparison store after ingesting the whole shared corpus: department
 * identity across years, views, versions, prior-year checks in both orders,
 * search, exports, Datasette metadata, and the README's queries.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectInputs } from '../src/cli.js';
import { ingestGroups } from '../src/run-ingest.js';
import { datasetteMetadata, exportStore, searchSections } from '../src/store/query.js';
import { openStore, type Db } from '../src/store/store.js';
import { departmentKey, regionOf } from '../parsers/departments.js';
import { priorYearFindings, type FactRow } from '../parsers/rules/prior-year.js';
import { ROOT, SHARED, corpus } from './helpers.js';

async function ingestInto(dbFile: string, args: string[], jobs = 2): Promise<Db> {
  const db = openStore(dbFile);
  const { groups } = await collectInputs(args);
  await ingestGroups(db, groups, { jobs });
  return db;
}

describe('department identity', () => {
  it.each([
    ['中国共产党江苏省委员会办公厅', '江苏省委办公厅'],
    ['中共江苏省委办公厅', '江苏省委办公厅'],
    ['江苏省委办公厅', '江苏省委办公厅'],
    ['普陀区城市管理行政执法局', '普陀区城市管理行政执法局'],
    ['上海市普陀区城市管理行政执法局', '普陀区城市管理行政执法局'],
    ['上海市普陀区人民政府石泉路街道办事处（本级）', '普陀区人民政府石泉路街道办事处'],
    ['上海市普陀区财政局　', '普陀区财政局'],
    ['重庆市交通委员会', '重庆市交通委员会'],
    ['省人大办公厅', '江苏省人大常委会办公厅'],
  ])('%s → %s', (name, key) => expect(departmentKey(name)).toBe(key));
  it.each([
    ['上海市普陀区财政局', '上海市普陀区', 'district'],
    ['江苏省人大常委会办公厅', '江苏省', 'province'],
    ['重庆市交通委员会', '重庆市', 'province'],
    ['四川省政府政务服务和公共资源交易服务中心', '四川省', 'province'],
    ['江苏省南京市财政局', '江苏省南京市', 'city'],
    ['江苏省南京市江宁区财政局', '江苏省南京市江宁区', 'district'],
  ])('%s: %s, %s', (name, region, level) => expect(regionOf(name)).toEqual({ region, level }));
});

describe('the whole corpus in one database', () => {
  let db: Db;
  let dbFile: string;
  beforeAll(async () => {
    dbFile = path.join(mkdtempSync(path.join(tmpdir(), 'cmp-')), 'c.sqlite');
    db = await ingestInto(dbFile, [path.join(SHARED, 'corpus')]);
  }, 300_000);

  it('department_years: one 万里街道 department with 2023–2025, one department per Jiangsu series with 2017–2019', () => {
    const rows = db.prepare('SELECT department_id, department, year, kind FROM department_years ORDER BY department, year').all() as Array<{ department_id: number; department: string; year: number; kind: string }>;
    const wanli = rows.filter((r) => r.department.includes('万里街道'));
    expect(new Set(wanli.map((r) => r.department_id)).size).toBe(1);
    expect(wanli.map((r) => r.year)).toEqual([2023, 2024, 2025]);
    for (const series of ['人大常委会办公厅', '省委办公厅']) {
      const s = rows.filter((r) => r.department.includes(series));
      expect(new Set(s.map((r) => r.department_id)).size, series).toBe(1);
      expect(s.map((r) => r.year), series).toEqual([2017, 2018, 2019]);
    }
    // one row per department × year × kind
    const keys = rows.map((r) => `${r.department_id}/${r.year}/${r.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a document published again in another form is a new version; the old one stays queryable', () => {
    // putuo-wanli-2025-bmys.pdf and its page text: same department, year and kind, different bytes
    const docs = db.prepare("SELECT d.id, d.version, d.superseded_by FROM documents d JOIN departments dep ON dep.id = d.department_id WHERE dep.name LIKE '%万里街道%' AND d.year = 2025 ORDER BY d.version").all() as Array<{ id: number; version: number; superseded_by: number | null }>;
    expect(docs.length).toBe(2);
    expect(docs[0]!.superseded_by).toBe(docs[1]!.id);
    expect(docs[1]!.version).toBe(2);
    expect((db.prepare('SELECT count(*) n FROM facts WHERE document_id = ?').get(docs[0]!.id) as { n: number }).n).toBeGreaterThan(30);
  });

  it('views answer the questions directly', () => {
    const wide = db.prepare("SELECT year, total, gpb_expenditure, three_public FROM facts_wide WHERE department LIKE '%万里街道%' ORDER BY year").all() as Array<{ year: number; three_public: number }>;
    expect(wide.map((r) => r.year)).toEqual([2023, 2024, 2025]);
    expect(wide[2]!.three_public).toBe(379100);
    const tp = db.prepare("SELECT total, overseas, vehicle, reception FROM three_public WHERE department LIKE '%万里街道%' AND year = 2025").get();
    expect(tp).toEqual({ total: 379100, overseas: 0, vehicle: 365600, reception: 13500 });
    const byCode = db.prepare("SELECT year, total FROM line_items_by_code WHERE code = '2120101' AND department LIKE '%万里街道%' ORDER BY year").all() as Array<{ year: number }>;
    expect(byCode.map((r) => r.year)).toEqual([2023, 2024, 2025]);
    const renamed = db.prepare("SELECT old_name, new_name, from_year FROM classification_renames WHERE code = '210' ORDER BY from_year DESC LIMIT 1").get();
    expect(renamed).toEqual({ old_name: '医疗卫生与计划生育支出', new_name: '卫生健康支出', from_year: 2019 });
    const summary = db.prepare("SELECT errors FROM findings_summary WHERE path LIKE '%putuo-czj-2024-js.pdf'").get() as { errors: number };
    expect(summary.errors).toBe(2);
  });

  it('the README example queries run and return rows', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const queries = [...readme.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(queries.length).toBeGreaterThanOrEqual(3);
    for (const q of queries) expect((db.prepare(q).all() as unknown[]).length, q).toBeGreaterThan(0);
  });

  it('search 三公经费 finds the 三公 section of every disclosure that has one', () => {
    const hits = searchSections(db, ['三公经费'], 10_000);
    const withSection = db.prepare("SELECT DISTINCT document_id FROM sections WHERE key LIKE 'three_public%' AND document_id IN (SELECT id FROM current_documents)").all() as Array<{ document_id: number }>;
    expect(withSection.length).toBeGreaterThanOrEqual(14);
    for (const { document_id } of withSection) {
      expect(hits.some((h) => h.document_id === document_id && (h.key ?? '').startsWith('three_public')), `document ${document_id}`).toBe(true);
    }
    // two-character words work too (trigram needs three)
    expect(searchSections(db, ['三公'], 10).length).toBeGreaterThan(0);
  });

  it('exports facts and line items in long form, and a Frictionless data package', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'exp-'));
    const r = exportStore(db, 'datapackage', out);
    expect(r.counts['facts']).toBeGreaterThan(300);
    const pkg = JSON.parse(readFileSync(path.join(out, 'datapackage.json'), 'utf8'));
    const facts = pkg.resources.find((x: { name: string }) => x.name === 'facts');
    expect(facts.schema.fields.find((f: { name: string }) => f.name === 'phase').constraints.enum).toEqual(['approved', 'executed']);
    const csv = readFileSync(path.join(out, 'facts.csv'), 'utf8');
    expect(csv).toMatch(/,budget,department,approved,/);
    expect(csv).toMatch(/,final,department,executed,/);
    const j = exportStore(db, 'json', out);
    expect(j.files.some((f) => f.endsWith('line_items.json'))).toBe(true);
  });

  it('the Datasette metadata describes tables and views and its canned queries run', () => {
    const meta = datasetteMetadata(db, 'disclosures') as { databases: Record<string, { tables: Record<string, { description: string }>; queries: Record<string, { sql: string }> }> };
    const d = meta.databases['disclosures']!;
    for (const t of ['documents', 'facts', 'line_items', 'findings', 'department_years', 'three_public']) expect(d.tables[t]?.description).toMatch(/\//);
    for (const [name, q] of Object.entries(d.queries)) {
      const rows = db.prepare(q.sql).all(name === 'same_department_over_years' ? { department: '%万里%' } : {});
      expect(rows.length, name).toBeGreaterThan(0);
    }
  });
});

describe('prior-year checks, in both orders of ingestion', () => {
  const files = [corpus('putuo-wanli-2024-bmys.pdf'), corpus('putuo-wanli-2025-bmys.pdf')];
  const priorFindings = (db: Db) =>
    (db.prepare("SELECT d.year, f.rule, f.severity, f.message FROM findings f JOIN documents d ON d.id = f.document_id WHERE f.rule LIKE 'prior_year.%' ORDER BY d.year, f.rule, f.message").all() as unknown[]);
  it('gives the same findings whether 2024 or 2025 is ingested first', async () => {
    const a = await ingestInto(path.join(mkdtempSync(path.join(tmpdir(), 'py-')), 'a.sqlite'), [files[0]!], 1);
    await ingestGroups(a, [[files[1]!]], { jobs: 1 });
    const b = await ingestInto(path.join(mkdtempSync(path.join(tmpdir(), 'py-')), 'b.sqlite'), [files[1]!], 1);
    await ingestGroups(b, [[files[0]!]], { jobs: 1 });
    const fa = priorFindings(a);
    expect(fa).toEqual(priorFindings(b));
    // 2025 says 比2024年预算增加3,355.65万元; the 2024 total is 156,211,123元: 18,976.76 − 3,355.65 = 15,621.11 ✓ (no mismatch)
    expect(fa.filter((f) => (f as { severity: string }).severity === 'error')).toEqual([]);
  });
  it('flags a stated change that the prior-year document contradicts', async () => {
    const row = (key: string, fen: bigint, printed: string, unit = '万元'): [string, FactRow] => [key, { key, value: Number(fen) / 100, value_fen: fen, printed, printed_unit: unit, evidence: [{ file: 'x', page: 1, quote: printed }] }];
    const cur = new Map([row('totals.total', 299539000000n / 100n, '2995.39'), row('totals.change', -5695000000n / 100n, '56.95'), row('totals.change_pct', 0n, '1.87%')]);
    const prior = new Map([row('totals.total', 310000000000n / 100n, '3100.00')]);
    const f = priorYearFindings(cur, prior, 2023, 'prior.pdf');
    expect(f.map((x) => `${x.rule} ${x.severity}`)).toEqual(['prior_year.change error', 'prior_year.change_pct error']);
  });
});
