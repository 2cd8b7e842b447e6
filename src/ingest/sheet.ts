/**
 * Workbooks (.xlsx, and legacy .xls BIFF inside an OLE file) → Document, with
 * SheetJS (`@e965/xlsx`, a maintained republish of SheetJS CE 0.20.3).
 *
 * Every sheet with a grid becomes one aligned table block: merged ranges
 * (`!merges`) become row/column spans at their top-left cell, values are the
 * text the sheet prints (`w`, number formats applied; never a value made up
 * from a placeholder), the padding of `!ref` (formatted empty columns out to
 * IV) is trimmed, and the title rows above the header (the table title, the
 * 编制部门 / 单位：元 line) become the caption after the sheet name, so the
 * table catalogue can key the table and find its unit. Sheets that hold only
 * prose (a cover, a TOC, 主要职能 text in one merged cell) also become heading
 * and paragraph blocks, as the text reader makes them.
 */
import * as XLSX from '@e965/xlsx';

import type { Block, Cell, Document, Evidence, ReaderNote } from '../model.js';
import { IngestError } from './errors.js';
import { cleanText, dropEmptyRows } from './html-blocks.js';
import { BlockList, joinLines, looksLikeHeading, quoteOf } from './layout.js';
import { checkZip, verifyZip, ZipProblem } from './zip.js';

/** Cells per sheet beyond which the rest of the sheet is not read (noted). */
const MAX_CELLS_PER_SHEET = 2_000_000;
const UNIT_RE = /单位\s*[:：]\s*(?:人民币)?\s*(万元|元|亿元|千元)/;
const TOC_LEADER_END = /[\s…．.·\-]*(?:…{2,}|\.{4,}|·{4,}|-{6,})[\s…．.·\-]*\d*\s*$/;

export async function sheetDocument(bytes: Uint8Array, label: string, info: { path: string; sha256: string; bytes: number }, format: 'xlsx' | 'xls'): Promise<Document> {
  if (format === 'xlsx') {
    try {
      const entries = checkZip(bytes);
      if (!entries.some((e) => /^xl\/workbook\.(?:xml|bin)$/.test(e.name))) throw new ZipProblem('XLSX without xl/workbook.xml (damaged, or not a workbook)');
      verifyZip(bytes, entries);
    } catch (e) {
      if (e instanceof ZipProblem) throw new IngestError(label, `XLSX: ${e.message}`);
      throw e;
    }
  }
  let wb: XLSX.WorkBook;
  // SheetJS reports what it skips in a damaged workbook ("Missing Info for XLS Record
  // 0x4000") on the console, with no file name: collect it for a note instead
  const skipped: string[] = [];
  const consoleMethods = { error: console.error, warn: console.warn, log: console.log };
  console.error = console.warn = console.log = (...args: unknown[]) => void skipped.push(args.map(String).join(' '));
  try {
    wb = XLSX.read(bytes, { type: 'array', cellNF: true, cellText: true, cellDates: false, cellFormula: false, cellHTML: false, bookVBA: false });
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (/password|encrypt/i.test(msg)) throw new IngestError(label, `encrypted (password-protected) ${format.toUpperCase()} workbook: save it without a password`);
    throw new IngestError(label, `damaged ${format.toUpperCase()} workbook, it cannot be read: ${msg}`);
  } finally {
    Object.assign(console, consoleMethods);
  }
  const notes: ReaderNote[] = [];
  if (skipped.length) {
    const kinds = [...new Set(skipped)];
    notes.push({
      rule: 'reader.sheet_damaged',
      severity: 'warning',
      message: `the workbook reader skipped ${skipped.length} damaged or unknown part${skipped.length > 1 ? 's' : ''} (${kinds.slice(0, 3).join('; ')}${kinds.length > 3 ? '; …' : ''}): some cells may be missing`,
      evidence: [{ file: label, quote: kinds[0]!.slice(0, 200) }],
    });
  }
  const list = new BlockList();
  const blocks = list.blocks;
  const push = (b: Block, text: string) => list.push(b, text);
  const ev = (text: string, source?: Evidence['source']): Evidence => ({ file: label, quote: quoteOf(text), ...(source ? { source } : {}) });

  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    if (!ws) continue;
    const sheetName = name.trim();
    const grid = sheetGrid(ws, label, sheetName, notes);
    if (!grid) continue;
    if (isProse(grid.rows)) {
      // a prose sheet reads as text (for the extractors), and stays a table of its sheet too
      for (const text of proseLines(grid.rows)) {
        if (looksLikeHeading(text)) push({ kind: 'heading', text, evidence: ev(text) }, text);
        else push({ kind: 'paragraph', text, evidence: ev(text) }, text);
      }
      const rows = dropEmptyRows(grid.rows.map((r) => r.map(({ text, rowSpan, colSpan }): Cell => ({ text, rowSpan, colSpan }))));
      if (rows.length) {
        const text = [sheetName, ...rows.map((r) => r.map((c) => c.text).join('\t'))].join('\n');
        push({ kind: 'table', rows, aligned: true, caption: [sheetName], evidence: ev(text, 'table') }, text);
      }
      continue;
    }
    // title rows: one text cell (a merged title), or the 编制部门 / 单位 line
    const caption: string[] = [sheetName];
    let top = 0;
    for (let k = 0; top < grid.rows.length && k < 4; k++) {
      const texts = grid.rows[top]!.filter((c) => c.text !== '').map((c) => c.text);
      if (texts.length === 0 && grid.rows[top]!.every((c) => c.rowSpan === 1)) {
        top++;
        continue;
      }
      const isTitle = (texts.length === 1 && !/^[\d,.\-+%()（）\s]+$/.test(texts[0]!) && grid.rows[top]!.every((c) => c.rowSpan === 1)) || (texts.length <= 3 && texts.some((t) => /^(?:编制(?:部门|单位)|单位\s*[:：]|金额单位)/.test(t)));
      if (!isTitle) break;
      caption.push(texts.join(' '));
      top++;
    }
    if (!caption.some((c) => UNIT_RE.test(c))) {
      const unit = grid.rows
        .slice(top, top + 8)
        .flatMap((r) => r.map((c) => c.text))
        .map((t) => UNIT_RE.exec(t)?.[0])
        .find((u) => u);
      if (unit) caption.push(unit);
    }
    const rows = dropEmptyRows(grid.rows.slice(top).map((r) => r.map(({ text, rowSpan, colSpan }): Cell => ({ text, rowSpan, colSpan }))));
    if (rows.length === 0) {
      // a sheet of title lines only
      for (const text of caption.slice(1)) push({ kind: 'paragraph', text, evidence: ev(text) }, text);
      continue;
    }
    const text = [...caption, ...rows.map((r) => r.map((c) => c.text).join('\t'))].join('\n');
    push({ kind: 'table', rows, aligned: true, caption, evidence: ev(text, 'table') }, text);
  }
  if (blocks.length === 0) throw new IngestError(label, `${format.toUpperCase()} workbook without any cell text (${wb.SheetNames.length} empty sheet(s))`);
  return { file: { ...info, format, pages: null }, blocks, notes };
}

/** The text a cell prints: the formatted text, number formats applied. */
export function cellText(cell: XLSX.CellObject | undefined): string {
  if (!cell || cell.t === 'z') return '';
  let t: unknown;
  if (cell.w !== undefined) t = cell.w;
  else if (cell.v === undefined || cell.v === null) t = '';
  else {
    try {
      t = XLSX.utils.format_cell(cell);
    } catch {
      t = cell.v;
    }
  }
  // a damaged BIFF record can leave a number (or worse) where the formatted text goes
  return joinLines(String(t).split(/\r?\n/).map((l) => cleanText(l)).filter((l) => l !== ''));
}

/** Raw lines of a cell (prose sheets keep the cell's own line breaks). */
function cellLines(cell: XLSX.CellObject | undefined): string[] {
  if (!cell || cell.t === 'z') return [];
  const t = String(cell.w ?? (cell.v === undefined || cell.v === null ? '' : cell.v));
  return t
    .split(/\r?\n/)
    .map((l) => cleanText(l))
    .filter((l) => l !== '');
}

interface Grid {
  rows: Array<Array<Cell & { lines: string[] }>>;
}

/** The used part of a sheet as rows of cells with spans (covered positions left out). */
function sheetGrid(ws: XLSX.WorkSheet, label: string, sheet: string, notes: ReaderNote[]): Grid | null {
  // bounds of the cells that print something (the !ref runs out to IV on formatted blank columns)
  let minR = Infinity;
  let minC = Infinity;
  let maxR = -1;
  let maxC = -1;
  const texts = new Map<string, { r: number; c: number; cell: XLSX.CellObject }>();
  for (const addr of Object.keys(ws)) {
    if (addr[0] === '!') continue;
    const cell = ws[addr] as XLSX.CellObject;
    if (cellText(cell) === '') continue;
    const { r, c } = XLSX.utils.decode_cell(addr);
    texts.set(`${r},${c}`, { r, c, cell });
    if (r < minR) minR = r;
    if (r > maxR) maxR = r;
    if (c < minC) minC = c;
    if (c > maxC) maxC = c;
  }
  if (maxR < 0) return null;
  const merges = (ws['!merges'] ?? []).filter((m) => texts.has(`${m.s.r},${m.s.c}`) || (m.s.r >= minR && m.s.r <= maxR && m.s.c >= minC && m.s.c <= maxC));
  let height = maxR - minR + 1;
  const width = maxC - minC + 1;
  if (height * width > MAX_CELLS_PER_SHEET) {
    const keep = Math.max(1, Math.floor(MAX_CELLS_PER_SHEET / width));
    notes.push({ rule: 'reader.sheet_truncated', severity: 'warning', message: `sheet ${sheet}: ${height} rows × ${width} columns; only the first ${keep} rows are read`, evidence: [{ file: label, quote: sheet }] });
    height = keep;
  }
  const covered = new Set<string>();
  const spanAt = new Map<string, { rowSpan: number; colSpan: number }>();
  for (const m of merges) {
    const r0 = Math.max(m.s.r, minR), c0 = Math.max(m.s.c, minC);
    const r1 = Math.min(m.e.r, minR + height - 1), c1 = Math.min(m.e.c, maxC);
    if (r0 !== m.s.r || c0 !== m.s.c || r1 < r0 || c1 < c0) continue;
    if (r1 === r0 && c1 === c0) continue;
    spanAt.set(`${r0},${c0}`, { rowSpan: r1 - r0 + 1, colSpan: c1 - c0 + 1 });
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) if (r !== r0 || c !== c0) covered.add(`${r},${c}`);
  }
  const rows: Grid['rows'] = [];
  for (let r = minR; r < minR + height; r++) {
    const row: Grid['rows'][number] = [];
    for (let c = minC; c <= maxC; c++) {
      const key = `${r},${c}`;
      if (covered.has(key)) continue;
      const span = spanAt.get(key) ?? { rowSpan: 1, colSpan: 1 };
      const t = texts.get(key);
      row.push({ text: t ? cellText(t.cell) : '', lines: t ? cellLines(t.cell) : [], ...span });
    }
    rows.push(row);
  }
  return { rows };
}

/** A sheet of text: at most one text cell per row, and no figures standing alone in a cell. */
function isProse(rows: Grid['rows']): boolean {
  let textCells = 0;
  for (const r of rows) {
    const t = r.filter((c) => c.text !== '');
    if (t.length > 1) return false;
    if (t.length === 1 && /^[\d,.\-+%()（）]+$/.test(t[0]!.text)) return false;
    textCells += t.length;
  }
  return textCells > 0;
}

/** Lines of a prose sheet; a sheet headed 目录 becomes one `目录：…` paragraph, as the text reader makes a TOC page. */
function proseLines(rows: Grid['rows']): string[] {
  const lines = rows.flatMap((r) => r.flatMap((c) => c.lines));
  const first = lines[0]?.replace(/\s+/g, '');
  if (first === '目录') {
    const entries = lines
      .slice(1)
      .map((l) => l.replace(TOC_LEADER_END, '').replace(/\s+/g, ' ').trim())
      .filter((l) => l !== '');
    return entries.length ? ['目录', '目录：' + entries.join('；')] : ['目录'];
  }
  return lines;
}
