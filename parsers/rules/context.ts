/**
 * What the validation rules read: the resolved facts with their exact fen, all
 * candidates (table and prose), the keyed tables with their function rows
 * parsed by column role, the blocks with their sections, and the line items.
 */
import type { Evidence, Fact, LineItem, Meta } from '../../src/model.js';
import { totalRow } from '../tables/readers.js';
import { codedRows, evidenceOf, fenOf, firstDataRow, headerRoles, isAmount, labelOf, rowByRole, type KeyedTable } from '../tables/grid.js';
import { firstByKey, type Candidate, type SectionedBlock } from '../types.js';

export interface Cell {
  fen: bigint;
  printed: string;
  evidence: Evidence;
}

export interface FnRow {
  code?: string;
  name: string;
  total: boolean;
  row: number;
  /** rows of one unit of a consolidated table (Shenzhen 预算单位 groups, Beijing's repeated code runs) */
  group: number;
  /** the row above printed again (same code, name and amounts): in no sum */
  repeat?: boolean;
  values: Map<string, Cell>;
}

export interface FnTable {
  table: KeyedTable;
  /** the roles the header names, in column order (aligned) or print order */
  roles: string[];
  byColumn: boolean;
  /** columns printed under 其中 (aligned tables) */
  ofWhich?: boolean[];
  rows: FnRow[];
}

export interface CheckContext {
  meta: Meta;
  facts: Map<string, Fact>;
  /** the candidate each fact was taken from (exact fen, evidence) */
  chosen: Map<string, Candidate>;
  candidates: Candidate[];
  tables: KeyedTable[];
  fnTables: FnTable[];
  blocks: SectionedBlock[];
  tableItems: LineItem[];
  narrativeItems: LineItem[];
}

export const FUNCTION_TABLES = ['income', 'expenditure', 'gpb_expenditure', 'gov_fund', 'state_capital', 'appropriation_expenditure'];

export function parseFunctionTable(t: KeyedTable): FnTable {
  const roles = headerRoles(t);
  const rows: FnRow[] = [];
  const top = firstDataRow(t);
  const totalAt = totalRow(t);
  const coded = new Map(codedRows(t, top).map((c) => [c.row, c]));
  const seenClasses = new Set<string>();
  let group = 0;
  for (let r = top; r < t.rows.length; r++) {
    const cells = t.rows[r]!;
    const c = coded.get(r);
    const labels = cells.filter((x) => x.trim() !== '' && !isAmount(x)).map(labelOf).filter((l) => !/^[类款项]$/.test(l));
    const total = !c && r === totalAt;
    if (!c && !total) {
      // a unit's own row (its name, its amounts) starts a group of its coded rows
      if (cells.some((x) => isAmount(x)) && labels.length > 0) {
        group++;
        seenClasses.clear();
      }
      continue;
    }
    if (c?.code.length === 3) {
      // a 类 printed again: the next unit's rows (Beijing 05表 prints no unit rows)
      if (seenClasses.has(c.code)) {
        group++;
        seenClasses.clear();
      }
      seenClasses.add(c.code);
    }
    const byRole = rowByRole(t, r, roles, t.def?.layouts) ?? new Map();
    const values = new Map<string, Cell>();
    for (const [role, ref] of byRole) {
      if (c && ref.col < c.from) continue;
      const fen = fenOf(t, ref.printed);
      if (fen !== null) values.set(role, { fen, printed: ref.printed, evidence: evidenceOf(t, ref) });
    }
    rows.push({ ...(c ? { code: c.code } : {}), ...(c?.repeat ? { repeat: true } : {}), name: c?.name ?? labels[0] ?? '合计', total, row: r, group, values });
  }
  return { table: t, roles: roles.roles, byColumn: roles.byColumn, ...(roles.ofWhich ? { ofWhich: roles.ofWhich } : {}), rows };
}

export function buildContext(args: {
  meta: Meta;
  facts: Fact[];
  tableCandidates: Candidate[];
  textCandidates: Candidate[];
  tables: KeyedTable[];
  blocks: SectionedBlock[];
  tableItems: LineItem[];
  narrativeItems: LineItem[];
}): CheckContext {
  const chosen = firstByKey([...args.tableCandidates, ...args.textCandidates]);
  return {
    meta: args.meta,
    facts: new Map(args.facts.map((f) => [f.key, f])),
    chosen,
    candidates: [...args.tableCandidates, ...args.textCandidates],
    tables: args.tables,
    fnTables: args.tables.filter((t) => t.key && FUNCTION_TABLES.includes(t.key)).map(parseFunctionTable),
    blocks: args.blocks,
    tableItems: args.tableItems,
    narrativeItems: args.narrativeItems,
  };
}

/** The printed unit of a candidate (for tolerance). */
export function unitOf(c: { evidence: Evidence }): string | undefined {
  return c.evidence.printedUnit;
}

/** The coarser of two printed units (万元 over 元): tolerance follows the less precise print. */
export function coarser(a: string | undefined, b: string | undefined): string | undefined {
  const rank = (u: string | undefined) => (u === '亿元' ? 3 : u === '万元' || u === undefined ? 2 : u === '千元' ? 1 : 0);
  return rank(a) >= rank(b) ? a : b;
}

export function textOf(sb: SectionedBlock): string | undefined {
  const b = sb.block;
  return b.kind === 'paragraph' || b.kind === 'heading' ? b.text : undefined;
}

export function textEvidence(sb: SectionedBlock, at: number, quote: string): Evidence {
  const ev = sb.block.evidence;
  return {
    file: ev.file,
    ...(ev.page !== undefined ? { page: ev.page } : {}),
    ...(ev.offset !== undefined ? { offset: ev.offset + at, length: quote.length } : {}),
    quote,
    source: 'text',
  };
}
