/**
 * The rows the 绩效 parser walks: the rows of every 绩效目标表 / 绩效自评表 /
 * 绩效目标完成情况表 in document order (a PDF grid may hold two projects, or
 * the tail of one project and the start of the next), and — where a text
 * export printed the table as loose lines — those lines as one-cell rows.
 */
import type { Evidence } from '../../src/model.js';
import { tableKeyOf } from '../catalogue/tables.js';
import { tableLabel, type KeyedTable } from '../tables/grid.js';
import type { SectionedBlock } from '../types.js';

export interface PCell {
  text: string;
  col: number;
}

export interface PRow {
  cells: PCell[];
  /** the table the row belongs to (absent for loose text lines) */
  table?: KeyedTable;
  /** index of the row in its table (or of the block for loose lines) */
  row: number;
  page?: number;
  file: string;
  offset?: number;
  aligned: boolean;
  /** first row of a table or of a new page: a row split by the page break may continue here */
  breakBefore: boolean;
  /** a loose text line: cell borders lost, words glued */
  glued: boolean;
  /** canonical key and title for evidence */
  tableLabel: string;
}

export const PERF_PROJECT_KEYS = ['performance_self_eval', 'performance_target'];

const clean = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Does this keyed table hold 绩效 project rows (titled, or untitled with 项目名称 + 一级指标)? */
export function isProjectTable(t: KeyedTable): boolean {
  if (t.key && PERF_PROJECT_KEYS.includes(t.key)) return true;
  if (t.key) return false;
  const flat = t.rows.map((r) => r.join('')).join('').replace(/\s+/g, '');
  return /项目名称/.test(flat) && /一级指标/.test(flat) && /二级指标/.test(flat);
}

export function tableRows(tables: KeyedTable[], blocks: SectionedBlock[]): PRow[] {
  const out: PRow[] = [];
  for (const t of tables) {
    if (!isProjectTable(t)) continue;
    const b = blocks[t.blockIndex]?.block;
    const offset = b?.evidence.offset;
    const label = tableLabel(t);
    t.rows.forEach((r, i) => {
      const cells = r.map((text, col) => ({ text: clean(text), col })).filter((c) => c.text !== '');
      if (cells.length === 0) return;
      const page = t.rowPages[i] ?? t.pages[0];
      const prevPage = i > 0 ? t.rowPages[i - 1] : undefined;
      out.push({
        cells,
        table: t,
        row: i,
        ...(page !== undefined ? { page } : {}),
        file: t.file,
        ...(offset !== undefined ? { offset } : {}),
        aligned: t.aligned,
        breakBefore: i === 0 || (page !== undefined && prevPage !== undefined && page !== prevPage),
        glued: false,
        tableLabel: label,
      });
    });
  }
  return out;
}

const isPerfTitle = (s: string) => {
  const d = tableKeyOf(s);
  return !!d && PERF_PROJECT_KEYS.includes(d.key);
};

/**
 * Loose lines: a 绩效目标申报表 title in a paragraph, followed (before any
 * table) by a `项目名称…` line. The lines up to the next table, 绩效 title or
 * numbered heading are the table.
 */
export function looseRows(blocks: SectionedBlock[]): PRow[] {
  const out: PRow[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!.block;
    if (b.kind !== 'paragraph' && b.kind !== 'heading') continue;
    // the title may end a longer line (`（…具体见表格）财政项目支出绩效目标申报表`)
    const m = /([\p{Script=Han}（）()]{0,16}(?:绩效目标(?:表|申报表|填报表)|绩效(?:目标)?自评表|绩效目标完成情况表))\s*$/u.exec(b.text);
    if (!m || !isPerfTitle(m[1]!)) continue;
    let name = -1;
    for (let k = i + 1; k < Math.min(blocks.length, i + 8); k++) {
      const bk = blocks[k]!.block;
      if (bk.kind === 'table' || bk.kind === 'chart') break;
      if (/^项目名称/.test(bk.text.replace(/\s+/g, ''))) {
        name = k;
        break;
      }
    }
    if (name < 0) continue;
    const label = `${tableKeyOf(m[1]!)!.key}: ${m[1]!.replace(/\s+/g, '')}`;
    out.push(lineRow(blocks[i]!, m[1]!, label, true));
    let k = i + 1;
    let seenIndicators = false;
    for (; k < blocks.length; k++) {
      const bk = blocks[k]!.block;
      if (bk.kind === 'table' || bk.kind === 'chart') break;
      const text = bk.text.trim();
      if (k > i + 1 && isPerfTitle(text.replace(/^.*?(?=[\p{Script=Han}]{0,16}绩效)/u, ''))) break;
      if (seenIndicators && /^[一二三四五六七八九十]+、/.test(text)) break;
      if (/一级指标/.test(text)) seenIndicators = true;
      if (text) out.push(lineRow(blocks[k]!, text, label, false));
    }
    i = k - 1;
  }
  return out;
}

function lineRow(sb: SectionedBlock, text: string, label: string, first: boolean): PRow {
  const e: Evidence = sb.block.evidence;
  return {
    cells: [{ text: clean(text), col: 0 }],
    row: sb.index,
    ...(e.page !== undefined ? { page: e.page } : {}),
    file: e.file,
    ...(e.offset !== undefined ? { offset: e.offset } : {}),
    aligned: false,
    breakBefore: first,
    glued: true,
    tableLabel: label,
  };
}
