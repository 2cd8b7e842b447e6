/**
 * From documents (the files of one disclosure) to the extraction result:
 * outline and sections, keyed tables, fact candidates from tables and prose,
 * precedence (the table value is the fact; prose stays as evidence), line
 * items, and the findings the extractors raise.
 */
import { fenToYuan } from '../src/money.js';
import type { Document, Evidence, Fact, Finding, LineItem, Meta, SectionRef, TableRef } from '../src/model.js';
import { buildOutline, sectionOfBlocks, splitRunInTitles } from '../src/segment/outline.js';
import { sectionKeyOf } from './catalogue/sections.js';
import { extractMeta } from './meta.js';
import { classifyDisclosure, disclosurePart, type DisclosurePart } from './disclosure.js';
import { proseCandidates } from './prose/facts.js';
import { narrativeLineItems } from './prose/line-items.js';
import { keyedTables, type KeyedTable } from './tables/grid.js';
import { TABLE_READERS } from './tables/readers.js';
import { firstByKey, type Candidate, type SectionedBlock } from './types.js';
import { FACT_ORDER } from './fact-keys.js';
import { extractPerformance, type PerfResult } from './performance/index.js';
import { performanceFindings } from './performance/rules.js';
import { buildContext } from './rules/context.js';
import { RULES } from './rules/index.js';
import { runRules } from '../src/validate/engine.js';

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
  /** 预算绩效: projects, indicators, scores */
  performance: PerfResult;
  /** false for what is not a 预算/决算 disclosure (a notice, a 公报, an evaluation report) */
  disclosure: boolean;
  disclosureReason?: string;
  /** the whole disclosure, or only its narrative or its tables (published as separate files) */
  part: DisclosurePart;
}

export function sectionMatcher(title: string) {
  const d = sectionKeyOf(title);
  return d ? { key: d.key, level: d.level } : undefined;
}

export function extractDisclosure(docs: Document[]): Extraction {
  const sectioned: SectionedBlock[] = [];
  const sections: SectionRef[] = [];
  for (const doc of docs) {
    const blocks = splitRunInTitles(doc.blocks, sectionMatcher);
    const outline = buildOutline(blocks, sectionMatcher);
    const keys = sectionOfBlocks(blocks, outline);
    const base = sectioned.length;
    blocks.forEach((block, i) => sectioned.push({ block, index: base + i, ...(keys[i] ? { section: keys[i] } : {}) }));
    for (const e of outline) {
      if (!e.key) continue;
      const b = blocks[e.blockIndex]!;
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
  const performance = extractPerformance(sectioned, tables, meta);

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
  const confirmed = confirmedCandidates(tableCandidates, proseCandidates(sectioned, meta));
  tableCandidates.splice(0, tableCandidates.length, ...confirmed.table);
  const textCandidates = confirmed.text;
  const allFacts = resolveFacts(tableCandidates, textCandidates);
  // internal figures (x.*) serve the checks; they are not canonical facts
  const facts = allFacts.filter((f) => !f.key.startsWith('x.'));
  const narrativeItems = narrativeLineItems(sectioned);
  const lineItems = tableItems.length ? tableItems : narrativeItems;

  const findings: Finding[] = [];
  for (const doc of docs) for (const n of doc.notes) findings.push({ rule: n.rule, severity: n.severity, message: n.message, evidence: n.evidence });
  const ctx = buildContext({ meta, facts: allFacts, tableCandidates, textCandidates, tables, blocks: sectioned, tableItems, narrativeItems });
  findings.push(...runRules(ctx, RULES));
  findings.push(...performanceFindings(performance, meta));

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
  const kind = classifyDisclosure(docs, meta, tables, sections);
  return { meta, facts, lineItems, sections, tables: tableRefs, findings, blocks: sectioned, keyedTables: tables, performance, disclosure: kind.disclosure, part: disclosurePart(tables, sections), ...(kind.reason ? { disclosureReason: kind.reason } : {}) };
}

/**
 * Figures stated of a subject amount are kept when that amount is the
 * value of a fact their rule names (resolved without them); the others speak
 * of something else and are dropped.
 */
function confirmedCandidates(tableCands: Candidate[], textCands: Candidate[]): { table: Candidate[]; text: Candidate[] } {
  if (!tableCands.some((c) => c.confirm) && !textCands.some((c) => c.confirm)) return { table: tableCands, text: textCands };
  // the value resolveFacts would choose: the first table candidate, else the first text one;
  // a confirmed figure may confirm another (totals.total from the narrative, then totals.change)
  const accepted = new Set<Candidate>([...tableCands, ...textCands].filter((c) => !c.confirm));
  for (let pass = 0; pass < 3; pass++) {
    const chosen = firstByKey([...tableCands, ...textCands].filter((c) => accepted.has(c)));
    let added = false;
    for (const c of [...tableCands, ...textCands]) {
      if (accepted.has(c) || !c.confirm!.keys.some((k) => chosen.get(k)?.fen === c.confirm!.fen)) continue;
      accepted.add(c);
      added = true;
    }
    if (!added) break;
  }
  return { table: tableCands.filter((c) => accepted.has(c)), text: textCands.filter((c) => accepted.has(c)) };
}

function valueOf(c: Candidate): number {
  return c.unit === 'yuan' ? fenToYuan(c.fen!) : c.number!;
}

/** One fact per key: table candidates win over text; among equals the first in document order. Agreeing candidates add evidence. */
export function resolveFacts(tableCands: Candidate[], textCands: Candidate[]): Fact[] {
  const byKey = new Map<string, Candidate[]>();
  for (const c of [...tableCands, ...textCands]) {
    const list = byKey.get(c.key) ?? [];
    list.push(c);
    byKey.set(c.key, list);
  }
  const facts: Fact[] = [];
  for (const [key, list] of byKey) {
    const chosen = list[0]!;
    const evidence: Evidence[] = [chosen.evidence];
    for (const other of list.slice(1)) {
      if (valueOf(other) !== valueOf(chosen) || other.unit !== chosen.unit) continue;
      if (evidence.length < 4 && !evidence.some((e) => e.quote === other.evidence.quote && e.page === other.evidence.page)) evidence.push(other.evidence);
    }
    facts.push({ key, value: valueOf(chosen), unit: chosen.unit, evidence });
  }
  facts.sort((a, b) => order(a.key) - order(b.key));
  return facts;
}

function order(key: string): number {
  const i = FACT_ORDER.indexOf(key);
  return i < 0 ? FACT_ORDER.length : i;
}
