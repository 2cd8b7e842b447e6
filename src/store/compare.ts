/**
 * The comparison layer of the store: department identity, document versions,
 * the classification dictionary and the prior-year checks. Called by
 * storeDisclosure inside its transaction (identity, version, dictionary) and
 * after it (prior-year checks, which may add findings to another document).
 */
import { departmentKey, regionOf, clean } from '../../parsers/departments.js';
import { CLASSIFICATIONS } from '../../parsers/catalogue/classifications.js';
import { priorYearFindings, type FactRow } from '../../parsers/rules/prior-year.js';
import type { Evidence, LineItem, Meta } from '../model.js';
import type { Db } from './store.js';

export function ensureBundledClassifications(db: Db): void {
  const n = (db.prepare("SELECT count(*) n FROM classifications WHERE source = 'bundled'").get() as { n: number }).n;
  if (n > 0) return;
  const ins = db.prepare("INSERT OR IGNORE INTO classifications (system, code, name, year, source) VALUES (?, ?, ?, ?, 'bundled')");
  const ren = db.prepare('INSERT OR IGNORE INTO classification_renames (system, code, old_name, new_name, from_year) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const c of CLASSIFICATIONS) {
      c.names.forEach((n, i) => {
        ins.run(c.system, c.code, n.name, n.from);
        if (i > 0) ren.run(c.system, c.code, c.names[i - 1]!.name, n.name, n.from);
      });
    }
  })();
}

export function resolveDepartment(db: Db, printed: string | undefined): number | null {
  if (!printed) return null;
  const name = clean(printed);
  const key = departmentKey(name);
  const byAlias = db.prepare('SELECT department_id FROM department_aliases WHERE alias = ?').get(name) as { department_id: number } | undefined;
  let id = byAlias?.department_id;
  if (id === undefined) {
    const byKey = db.prepare('SELECT id FROM departments WHERE key = ?').get(key) as { id: number } | undefined;
    id = byKey?.id;
  }
  if (id === undefined) {
    const { region, level } = regionOf(name);
    id = Number(db.prepare('INSERT INTO departments (key, name, region, level, created_at) VALUES (?, ?, ?, ?, ?)').run(key, name, region ?? null, level ?? null, new Date().toISOString()).lastInsertRowid);
  } else {
    // keep the fullest name (with its region) as the display name
    const cur = db.prepare('SELECT name, region FROM departments WHERE id = ?').get(id) as { name: string; region: string | null };
    if (name.length > cur.name.length) {
      const { region, level } = regionOf(name);
      db.prepare('UPDATE departments SET name = ?, region = coalesce(?, region), level = coalesce(?, level) WHERE id = ?').run(name, region ?? null, level ?? null, id);
    }
  }
  db.prepare('INSERT OR IGNORE INTO department_aliases (alias, department_id, source) VALUES (?, ?, ?)').run(name, id, name === key ? 'normalised' : 'document');
  return id;
}

/** A newer disclosure of the same department × year × kind × scope supersedes the current one. */
export function assignVersion(db: Db, documentId: number, departmentId: number | null, meta: Meta): void {
  if (departmentId === null || meta.year === undefined || !meta.kind) return;
  const prev = db
    .prepare('SELECT id, version FROM documents WHERE department_id = ? AND year = ? AND kind = ? AND scope IS ? AND superseded_by IS NULL AND id <> ? ORDER BY version DESC LIMIT 1')
    .get(departmentId, meta.year, meta.kind, meta.scope ?? null, documentId) as { id: number; version: number } | undefined;
  if (!prev) return;
  db.prepare('UPDATE documents SET superseded_by = ? WHERE id = ?').run(documentId, prev.id);
  db.prepare('UPDATE documents SET version = ? WHERE id = ?').run(prev.version + 1, documentId);
}

export function harvestClassifications(db: Db, year: number | undefined, items: LineItem[]): void {
  if (year === undefined) return;
  const ins = db.prepare("INSERT OR IGNORE INTO classifications (system, code, name, year, source) VALUES ('function', ?, ?, ?, 'document')");
  for (const li of items) if (li.code) ins.run(li.code, li.name, year);
}

function factRows(db: Db, documentId: number): Map<string, FactRow> {
  const rows = db.prepare('SELECT key, value, value_fen, printed, printed_unit, evidence FROM facts WHERE document_id = ?').all(documentId) as Array<{ key: string; value: number; value_fen: number | null; printed: string | null; printed_unit: string | null; evidence: string }>;
  return new Map(rows.map((r) => [r.key, { key: r.key, value: r.value, value_fen: r.value_fen === null ? null : BigInt(r.value_fen), printed: r.printed, printed_unit: r.printed_unit, evidence: JSON.parse(r.evidence) as Evidence[] }]));
}

interface DocRow {
  id: number;
  department_id: number | null;
  year: number | null;
  kind: string | null;
  path: string;
}

function currentOf(db: Db, departmentId: number, year: number, kind: string): DocRow | undefined {
  return db.prepare('SELECT id, department_id, year, kind, path FROM documents WHERE department_id = ? AND year = ? AND kind = ? AND superseded_by IS NULL ORDER BY (scope = \'department\') DESC, id DESC LIMIT 1').get(departmentId, year, kind) as DocRow | undefined;
}

/** Recompute the prior-year findings of `documentId` and of the next year's document. */
export function priorYearChecks(db: Db, documentId: number): void {
  const doc = db.prepare('SELECT id, department_id, year, kind, path FROM documents WHERE id = ?').get(documentId) as DocRow | undefined;
  if (!doc || doc.department_id === null || doc.year === null || !doc.kind) return;
  const pairs: Array<[DocRow, DocRow]> = [];
  const prior = currentOf(db, doc.department_id, doc.year - 1, doc.kind);
  if (prior) pairs.push([doc, prior]);
  const next = currentOf(db, doc.department_id, doc.year + 1, doc.kind);
  if (next) pairs.push([next, doc]);
  const del = db.prepare("DELETE FROM findings WHERE document_id = ? AND rule LIKE 'prior_year.%'");
  const ins = db.prepare('INSERT INTO findings (document_id, rule, severity, message, file, page, pages, quote, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const [cur, pre] of pairs) {
      del.run(cur.id);
      for (const f of priorYearFindings(factRows(db, cur.id), factRows(db, pre.id), pre.year!, pre.path)) {
        const pages = [...new Set(f.evidence.map((e) => e.page).filter((p): p is number => p !== undefined))];
        ins.run(cur.id, f.rule, f.severity, f.message, f.evidence[0]?.file ?? null, pages[0] ?? null, JSON.stringify(pages), f.evidence[0]?.quote ?? null, JSON.stringify(f.evidence));
      }
    }
  })();
}
