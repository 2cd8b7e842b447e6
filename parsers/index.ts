/**
 * From documents (the files of one disclosure) to the extraction result:
 * outline and sections, keyed tables, fact candidates from tables and prose,
 * precedence (the table value is the fact; prose stays as evidence), line
 * items, and the findings the extractors raise.
 */
import { fenToYuan } from '../src/money.js';
import type { Document, Evidence, Fact, Finding, LineItem, Meta, SectionRef, TableRef } from '../src/model.js';
import { buildOutline, sectionOfBlocks } from '../src/segment/outline.js';
import { sectionKeyOf } from './catalogue/sections.js';
import { extractMeta } from './meta.js';
import { proseCandidates } from './prose/facts.js';
import { narrativeLineItems } from './prose/line-items.js';
import { keyedTables, type KeyedTable } from './tables/grid.js';
import { TABLE_READERS } from './tables/readers.js';
import type { Candidate, SectionedBlock } from './types.js';
import { FACT_ORDER } from './fact-keys.js';

export interface Extraction {
  meta: Meta;
  facts: Fact[];
  lineItems: LineItem[];
  sections: SectionRef[];
  tables: TableRef[];
  findings: Finding[];
  /** every block with its section (for the store's sections table) */
  blocks: SectionedBlock[];
  keyedTables: KeyedTable[];
}

export function sectionMatcher(title: string) {
  const d = sectionKeyOf(title);
  return d ? { key: d.key, level: d.level } : undefined;
}

export function extractDisclosure(docs: Document[]): Extraction {
  const sectioned: SectionedBlock[] = [];
  const sections: SectionRef[] = [];
  for (const doc of docs) {
    const outline = buildOutline(doc.blocks, sectionMatcher);
    const keys = sectionOfBlocks(doc.blocks, outline);
    const base = sectioned.length;
    doc.blocks.forEach((block, i) => sectioned.push({ block, index: base + i, ...(keys[i] ? { section: keys[i] } : {}) }));
    for (const e of outline) {
      if (!e.key) continue;
      const b = doc.blocks[e.blockIndex]!;
      sections.push({
        key: e.key,
        title: e.title,
        level: e.level,
        file: b.evidence.file,
        ...(b.evidence.page !== undefined ? { page: b.evidence.page } : {}),
        ...(b.evidence.offset !== undefined ? { offset: b.evidence.offset } : {}),
      });
    }
  }
  const meta = extractMeta(sectioned);
  const tables = keyedTables(sectioned);

  const tableCandidates: Candidate[] = [];
  let tableItems: LineItem[] = [];
  for (const t of tables) {
    if (!t.key) continue;
    for (const reader of TABLE_READERS) {
      if (!reader.tables.includes(t.key)) continue;
      const r = reader.read(t);
      tableCandidates.push(...r.candidates);
      if (r.lineItems?.length && tableItems.length === 0) tableItems = r.lineItems;
    }
  }
  const textCandidates = proseCandidates(sectioned, meta);
  const { facts, findings } = resolveFacts(tableCandidates, textCandidates);
  const lineItems = tableItems.length ? tableItems : narrativeLineItems(sectioned);

  for (const doc of docs) for (const n of doc.notes) findings.push({ rule: n.rule, severity: n.severity, message: n.message, evidence: n.evidence });

  const tableRefs: TableRef[] = tables
    .filter((t) => t.key)
    .map((t) => ({
      key: t.key!,
      title: t.title,
      file: t.file,
      ...(t.pages[0] !== undefined ? { page: t.pages[0], pages: t.pages } : {}),
      ...(t.unitText ? { unit: t.unitText } : {}),
      rows: t.rows.length,
    }));
  return { meta, facts, lineItems, sections, tables: tableRefs, findings, blocks: sectioned, keyedTables: tables };
}

function valueOf(c: Candidate): number {
  return c.unit === 'yuan' ? fenToYuan(c.fen!) : c.number!;
}

/**
 * One fact per key. Table candidates win over text; among equals the first in
 * document order. Agreeing candidates add evidence; disagreeing ones become
 * findings (rounding gaps as info).
 */
export function resolveFacts(tableCands: Candidate[], textCands: Candidate[]): { facts: Fact[]; findings: Finding[] } {
  const byKey = new Map<string, Candidate[]>();
  for (const c of [...tableCands, ...textCands]) {
    const list = byKey.get(c.key) ?? [];
    list.push(c);
    byKey.set(c.key, list);
  }
  const facts: Fact[] = [];
  const findings: Finding[] = [];
  for (const [key, list] of byKey) {
    const chosen = list[0]!;
    const evidence: Evidence[] = [chosen.evidence];
    const reported = new Set<string>();
    for (const other of list.slice(1)) {
      const same = sameValue(chosen, other);
      if (same === 'equal') {
        if (evidence.length < 4 && !evidence.some((e) => e.quote === other.evidence.quote && e.page === other.evidence.page)) evidence.push(other.evidence);
        continue;
      }
      const sig = `${valueOf(other)}`;
      if (reported.has(sig)) continue;
      reported.add(sig);
      const where = (e: Evidence) => (e.source === 'table' ? 'table' : 'text');
      const rounding = same === 'rounding';
      findings.push({
        rule: rounding ? 'fact.rounding' : chosen.evidence.source === 'table' && other.evidence.source !== 'table' ? 'fact.prose_vs_table' : 'fact.conflict',
        severity: rounding ? 'info' : 'warning',
        message: `${key}: ${where(chosen.evidence)} gives ${fmt(chosen)}, ${where(other.evidence)} gives ${fmt(other)}${rounding ? ' (within printed rounding)' : ''}`,
        evidence: [chosen.evidence, other.evidence],
      });
    }
    facts.push({ key, value: valueOf(chosen), unit: chosen.unit, evidence });
  }
  facts.sort((a, b) => order(a.key) - order(b.key));
  return { facts, findings };
}

function order(key: string): number {
  const i = FACT_ORDER.indexOf(key);
  return i < 0 ? FACT_ORDER.length : i;
}

function fmt(c: Candidate): string {
  const v = valueOf(c);
  const printed = c.evidence.printed ? ` (printed ${c.evidence.printed}${c.evidence.printedUnit ?? ''})` : '';
  return c.unit === 'yuan' ? `${v} yuan${printed}` : c.unit === 'percent' ? `${v}%` : `${v}`;
}

/** Equal, equal within the rounding of the less precise print, or different. */
function sameValue(a: Candidate, b: Candidate): 'equal' | 'rounding' | 'different' {
  if (a.unit !== b.unit) return 'different';
  if (a.unit !== 'yuan') return a.number === b.number ? 'equal' : 'different';
  if (a.fen === b.fen) return 'equal';
  const diff = a.fen! > b.fen! ? a.fen! - b.fen! : b.fen! - a.fen!;
  const tol = (c: Candidate) => {
    const printed = c.evidence.printed ?? '';
    const dec = printed.includes('.') ? printed.length - printed.indexOf('.') - 1 : 0;
    const unitFen = c.evidence.printedUnit === '元' ? 100n : c.evidence.printedUnit === '亿元' ? 10_000_000_000n : 1_000_000n;
    // half a unit of the last printed digit, plus one digit of slack for double rounding
    return (unitFen * 2n) / 10n ** BigInt(dec);
  };
  const t = tol(a) > tol(b) ? tol(a) : tol(b);
  return diff <= t ? 'rounding' : 'different';
}
