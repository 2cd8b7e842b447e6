/**
 * The SQLite store. Schema in migrations/*.sql (applied in order, recorded in
 * schema_migrations). Each disclosure is written in one transaction: a crash
 * never leaves half a document. Identical bytes are not written twice.
 */
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FACT_LABELS } from '../../parsers/fact-keys.js';
import type { Disclosure } from '../extract.js';
import { searchCopy } from '../ingest/normalise.js';
import { yuanToFen } from '../money.js';
import type { Block } from '../model.js';
import { storePerformance } from './performance.js';
import { assignVersion, ensureBundledClassifications, harvestClassifications, priorYearChecks, resolveDepartment } from './compare.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export type Db = Database.Database;

export function openStore(file: string): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  cachePreparedStatements(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  ensureBundledClassifications(db);
  return db;
}

/**
 * `db.prepare` returns one statement per SQL text, prepared once. Each disclosure runs
 * the same few dozen statements; preparing them anew every time leaves native
 * statements behind until V8 happens to collect their small JS wrappers, and memory
 * grows with the number of disclosures ingested. (No statement here is iterated while
 * it is prepared again, nor switched to pluck/raw mode.)
 */
function cachePreparedStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, ReturnType<Db['prepare']>>();
  db.prepare = ((sql: string) => {
    let st = cache.get(sql);
    if (!st) {
      if (cache.size >= 500) cache.clear(); // SQL built from values (ad hoc queries) must not grow it forever
      st = prepare(sql);
      cache.set(sql, st);
    }
    return st;
  }) as Db['prepare'];
}

export function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version));
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
  for (const f of files) {
    const version = Number(f.split('_')[0]);
    if (done.has(version)) continue;
    const sql = readFileSync(path.join(MIGRATIONS_DIR, f), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)').run(version, f, new Date().toISOString());
    })();
  }
}

export interface StoreResult {
  status: 'inserted' | 'unchanged';
  id: number;
}

const json = (v: unknown) => JSON.stringify(v);

export function storeDisclosure(db: Db, d: Disclosure): StoreResult {
  const existing = db.prepare('SELECT id FROM documents WHERE sha256 = ?').get(d.sha256) as { id: number } | undefined;
  if (existing) return { status: 'unchanged', id: existing.id };
  const x = d.extraction;
  const first = d.docs[0]!.file;
  const pagesAll = d.docs.every((doc) => doc.file.pages === null) ? null : d.docs.reduce((s, doc) => s + (doc.file.pages ?? 0), 0);

  const write = db.transaction((): number => {
    const info = db
      .prepare(`INSERT INTO documents (sha256, path, format, pages, file_count, department, year, kind, scope, fact_count, ingested_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(d.sha256, first.path, first.format, pagesAll, d.docs.length, x.meta.department ?? null, x.meta.year ?? null, x.meta.kind ?? null, x.meta.scope ?? null, x.facts.length, new Date().toISOString());
    const id = Number(info.lastInsertRowid);
    const departmentId = resolveDepartment(db, x.meta.department);
    db.prepare('UPDATE documents SET department_id = ? WHERE id = ?').run(departmentId, id);
    assignVersion(db, id, departmentId, x.meta);
    harvestClassifications(db, x.meta.year, x.lineItems);

    const insFile = db.prepare('INSERT INTO document_files (document_id, seq, path, sha256, format, pages, bytes, encoding) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    d.docs.forEach((doc, i) => insFile.run(id, i, doc.file.path, doc.file.sha256, doc.file.format, doc.file.pages, doc.file.bytes, doc.file.encoding ?? null));

    const insFact = db.prepare(`INSERT INTO facts (document_id, key, label, value, value_fen, unit, source, file, page, quote, printed, printed_unit, evidence)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const f of x.facts) {
      const e = f.evidence[0]!;
      insFact.run(id, f.key, FACT_LABELS[f.key] ?? null, f.value, f.unit === 'yuan' ? yuanToFen(f.value) : null, f.unit, e.source ?? null, e.file, e.page ?? null, e.quote, e.printed ?? null, e.printedUnit ?? null, json(f.evidence));
    }

    const insItem = db.prepare(`INSERT INTO line_items (document_id, seq, code, level, name, path, class_name, total, basic, project, total_fen, basic_fen, project_fen, file, page, quote, evidence)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const fen = (v: number | undefined) => (v === undefined ? null : yuanToFen(v));
    x.lineItems.forEach((li, i) => {
      const e = li.evidence[0]!;
      insItem.run(id, i, li.code ?? null, li.path.length, li.name, li.path.join(' / '), li.path[0]!, li.total ?? null, li.basic ?? null, li.project ?? null, fen(li.total), fen(li.basic), fen(li.project), e.file, e.page ?? null, e.quote, json(li.evidence));
    });

    const insSection = db.prepare('INSERT INTO sections (document_id, seq, key, title, level, file, page, text, search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    sectionChunks(x.blocks.map((b) => ({ block: b.block, section: b.section }))).forEach((s, i) => {
      insSection.run(id, i, s.key ?? null, s.title, s.level ?? null, s.file, s.page ?? null, s.text, searchCopy(s.title + '\n' + s.text));
    });

    const insTable = db.prepare('INSERT INTO tables (document_id, seq, key, title, file, page, pages, unit, n_rows, n_cols) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insCell = db.prepare('INSERT INTO cells (table_id, row, col, text, row_span, col_span, page) VALUES (?, ?, ?, ?, ?, ?, ?)');
    x.keyedTables.forEach((t, i) => {
      const tid = Number(insTable.run(id, i, t.key ?? null, t.title || null, t.file, t.pages[0] ?? null, json(t.pages), t.unitText ?? null, t.rows.length, t.width).lastInsertRowid);
      t.rows.forEach((row, r) => row.forEach((text, c) => {
        if (text !== '') insCell.run(tid, r, c, text, 1, 1, t.rowPages[r] ?? null);
      }));
    });

    const insFinding = db.prepare('INSERT INTO findings (document_id, rule, severity, message, file, page, pages, quote, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const f of x.findings) {
      const pages = [...new Set(f.evidence.map((e) => e.page).filter((p): p is number => p !== undefined))];
      insFinding.run(id, f.rule, f.severity, f.message, f.evidence[0]?.file ?? null, pages[0] ?? null, json(pages), f.evidence[0]?.quote ?? null, json(f.evidence));
    }
    storePerformance(db, id, x.performance);
    return id;
  });
  const id = write.immediate();
  priorYearChecks(db, id);
  return { status: 'inserted', id };
}

interface Chunk {
  key?: string;
  title: string;
  level?: number;
  file: string;
  page?: number;
  text: string;
}

/** Split the blocks into sections at every heading; tables and charts are left to their own tables. */
export function sectionChunks(blocks: Array<{ block: Block; section?: string }>): Chunk[] {
  const chunks: Chunk[] = [];
  let cur: Chunk | null = null;
  for (const { block, section } of blocks) {
    // a new chunk at every heading, and wherever the section changes (a title set as a paragraph)
    const titleParagraph: boolean = block.kind === 'paragraph' && cur !== null && section !== cur.key && block.text.length <= 60;
    if (block.kind === 'heading' || !cur || titleParagraph) {
      cur = {
        ...(section ? { key: section } : {}),
        title: block.kind === 'heading' || titleParagraph ? (block as { text: string }).text : '',
        file: block.evidence.file,
        ...(block.evidence.page !== undefined ? { page: block.evidence.page } : {}),
        text: '',
      };
      chunks.push(cur);
      if (block.kind === 'heading' || titleParagraph) continue;
    }
    if (block.kind === 'paragraph') cur.text += (cur.text ? '\n' : '') + block.text;
    else if (block.kind === 'chart') cur.text += (cur.text ? '\n' : '') + block.title;
  }
  return chunks.filter((c) => c.title !== '' || c.text !== '');
}
