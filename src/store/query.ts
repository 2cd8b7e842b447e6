/**
 * Reading the store: full-text search over sections, exports (CSV, JSON,
 * Frictionless data package) and the Datasette metadata file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { searchCopy } from '../ingest/normalise.js';
import { CANNED_QUERIES, SCHEMA_DOCS } from './describe.js';
import type { Db } from './store.js';

export interface SearchHit {
  document_id: number;
  department: string | null;
  year: number | null;
  kind: string | null;
  path: string;
  title: string;
  key: string | null;
  page: number | null;
  snippet: string;
}

/**
 * Every word must occur. Words of 3+ characters use the FTS5 trigram index
 * (on the normalised copy: `三公经费` finds `“三公”经费`); shorter words fall
 * back to LIKE on the same copy.
 */
export function searchSections(db: Db, words: string[], limit = 100): SearchHit[] {
  const terms = words.map(searchCopy).filter((w) => w.length > 0);
  if (terms.length === 0) return [];
  const long = terms.filter((t) => t.length >= 3);
  const short = terms.filter((t) => t.length < 3);
  const where: string[] = [];
  const params: unknown[] = [];
  if (long.length) {
    where.push('s.id IN (SELECT rowid FROM sections_fts WHERE sections_fts MATCH ?)');
    params.push(long.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND '));
  }
  for (const t of short) {
    where.push("s.search_text LIKE ? ESCAPE '\\'");
    params.push(`%${t.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  }
  const rows = db
    .prepare(`SELECT s.document_id, coalesce(dep.name, d.department) AS department, d.year, d.kind, d.path, s.title, s.key, s.page, s.text
              FROM sections s JOIN documents d ON d.id = s.document_id LEFT JOIN departments dep ON dep.id = d.department_id
              WHERE ${where.join(' AND ')} AND d.superseded_by IS NULL
              ORDER BY d.department, d.year, s.seq LIMIT ?`)
    .all(...params, limit) as Array<Omit<SearchHit, 'snippet'> & { text: string }>;
  return rows.map(({ text, ...r }) => ({ ...r, snippet: snippetOf(r.title + '\n' + text, terms[0]!) }));
}

/** A window of the original text around the first match of the (normalised) term. */
function snippetOf(text: string, term: string, width = 40): string {
  // map the normalised search copy back to the text: search char by char on a normalised version of each prefix
  const flat = text.replace(/\s+/g, ' ');
  let at = -1;
  for (let i = 0; i < flat.length && at < 0; i++) {
    if (searchCopy(flat.slice(i, i + term.length * 2 + 4)).startsWith(term)) at = i;
  }
  if (at < 0) return flat.slice(0, width * 2) + (flat.length > width * 2 ? '…' : '');
  const from = Math.max(0, at - width);
  return (from > 0 ? '…' : '') + flat.slice(from, at + term.length + width) + (at + term.length + width < flat.length ? '…' : '');
}

// ---------------------------------------------------------------------------
// exports

const FACTS_SQL = `SELECT f.document_id, coalesce(dep.name, d.department) AS department, d.department_id, d.year, d.kind, d.scope,
  CASE d.kind WHEN 'budget' THEN 'approved' WHEN 'final' THEN 'executed' END AS phase,
  f.key, f.label, f.value, f.unit, f.source, f.file, f.page, f.quote, f.printed, f.printed_unit
  FROM facts f JOIN documents d ON d.id = f.document_id LEFT JOIN departments dep ON dep.id = d.department_id
  WHERE d.superseded_by IS NULL ORDER BY department, d.year, d.kind, f.key`;
const ITEMS_SQL = `SELECT li.document_id, coalesce(dep.name, d.department) AS department, d.department_id, d.year, d.kind, d.scope,
  CASE d.kind WHEN 'budget' THEN 'approved' WHEN 'final' THEN 'executed' END AS phase,
  li.seq, li.code, li.level, li.name, li.path, li.total, li.basic, li.project, li.file, li.page
  FROM line_items li JOIN documents d ON d.id = li.document_id LEFT JOIN departments dep ON dep.id = d.department_id
  WHERE d.superseded_by IS NULL ORDER BY department, d.year, d.kind, li.seq`;
const FINDINGS_SQL = `SELECT f.document_id, coalesce(dep.name, d.department) AS department, d.year, d.kind, f.rule, f.severity, f.message, f.file, f.page, f.quote
  FROM findings f JOIN documents d ON d.id = f.document_id LEFT JOIN departments dep ON dep.id = d.department_id
  WHERE d.superseded_by IS NULL ORDER BY department, d.year, f.id`;

type Row = Record<string, unknown>;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsv(rows: Row[], columns: string[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}

const FIELD_TYPES: Record<string, string> = {
  document_id: 'integer', department_id: 'integer', year: 'integer', page: 'integer', seq: 'integer', level: 'integer',
  value: 'number', total: 'number', basic: 'number', project: 'number',
};
const FIELD_DOCS: Record<string, string> = {
  department: 'department or unit / 部门（单位）', year: 'fiscal year / 年度', kind: 'final (决算) or budget (预算) / 类型',
  scope: 'department (部门) or unit (单位) / 范围', phase: 'approved (预算) or executed (决算) / 阶段',
  key: 'canonical fact key (facts.md) / 指标键', label: 'Chinese label / 指标名称',
  value: 'yuan (money, ≤ 2 decimals), percent, or count, per `unit` / 数值', unit: 'yuan, percent or count / 单位',
  source: 'table or text / 来源', file: 'file read / 文件', page: 'page, 1-based / 页码', quote: 'source text / 原文',
  printed: 'number as printed / 原文数字', printed_unit: 'unit as printed (元/万元) / 原文单位',
  code: 'function classification code (201/20106/2010601) / 科目编码', name: '科目名称', path: '类 / 款 / 项',
  total: 'total, yuan / 合计（元）', basic: '基本支出, yuan', project: '项目支出, yuan',
  rule: 'rule id / 规则', severity: 'error, warning or info / 严重程度', message: 'what was found / 说明',
};

export interface ExportResult {
  files: string[];
  counts: Record<string, number>;
}

export function exportStore(db: Db, format: 'csv' | 'json' | 'datapackage', outDir: string): ExportResult {
  mkdirSync(outDir, { recursive: true });
  const sets: Array<[string, string, string]> = [
    ['facts', FACTS_SQL, 'Facts in long form, one row per document × key (current versions).'],
    ['line_items', ITEMS_SQL, 'Line items of the 一般公共预算 function classification (current versions).'],
    ['findings', FINDINGS_SQL, 'Findings: what does not add up (current versions).'],
  ];
  const files: string[] = [];
  const counts: Record<string, number> = {};
  const resources: unknown[] = [];
  for (const [name, sql, description] of sets) {
    const stmt = db.prepare(sql);
    const columns = stmt.columns().map((c) => c.name);
    const rows = stmt.all() as Row[];
    counts[name] = rows.length;
    if (format === 'json') {
      const f = path.join(outDir, `${name}.json`);
      writeFileSync(f, JSON.stringify(rows, null, 1) + '\n');
      files.push(f);
      continue;
    }
    const f = path.join(outDir, `${name}.csv`);
    writeFileSync(f, toCsv(rows, columns));
    files.push(f);
    resources.push({
      name,
      path: `${name}.csv`,
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      description,
      schema: {
        fields: columns.map((c) => ({
          name: c,
          type: FIELD_TYPES[c] ?? 'string',
          ...(FIELD_DOCS[c] ? { description: FIELD_DOCS[c] } : {}),
          ...(c === 'phase' ? { constraints: { enum: ['approved', 'executed'] } } : {}),
          ...(c === 'unit' ? { constraints: { enum: ['yuan', 'percent', 'count'] } } : {}),
        })),
        ...(name === 'facts' ? { primaryKey: ['document_id', 'key'] } : name === 'line_items' ? { primaryKey: ['document_id', 'seq'] } : {}),
      },
    });
  }
  if (format === 'datapackage') {
    const f = path.join(outDir, 'datapackage.json');
    writeFileSync(
      f,
      JSON.stringify(
        {
          profile: 'tabular-data-package',
          name: 'chinese-budget-disclosures',
          title: 'Chinese government budget disclosures (部门决算 / 部门预算) as data',
          description: 'Facts, line items and findings read from 部门决算 (phase: executed) and 部门预算 (phase: approved) disclosures. Money in yuan (元), exact to the fen; every value with the page and quote it was read from.',
          created: new Date().toISOString(),
          licenses: [{ name: 'other-pd', title: 'Government disclosures; derived data' }],
          resources,
        },
        null,
        2,
      ) + '\n',
    );
    files.push(f);
  }
  return { files, counts };
}

/** Datasette metadata: descriptions in English and Chinese, facets, canned queries. */
export function datasetteMetadata(db: Db, dbName: string): unknown {
  const existing = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").all() as Array<{ name: string }>).map((r) => r.name));
  const tables: Record<string, unknown> = {};
  for (const [name, doc] of Object.entries(SCHEMA_DOCS)) {
    if (!existing.has(name)) continue;
    tables[name] = {
      description: `${doc.en} / ${doc.zh}`,
      columns: Object.fromEntries(Object.entries(doc.columns).map(([c, [en, zh]]) => [c, en === zh ? en : `${en} / ${zh}`])),
      ...(doc.facets ? { facets: doc.facets } : {}),
    };
  }
  return {
    title: 'Budget disclosures / 部门预决算公开数据',
    description: 'Facts, line items and findings read from Chinese government 部门决算 and 部门预算 disclosures. Money in yuan (元).',
    databases: {
      [dbName]: {
        tables,
        queries: Object.fromEntries(Object.entries(CANNED_QUERIES).map(([k, q]) => [k, { title: q.title, sql: q.sql }])),
      },
    },
  };
}
