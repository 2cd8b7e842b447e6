/**
 * Text disclosures, two dialects:
 *  - page text as PDF-to-text tools write it: pages split by form feeds or
 *    marker lines (`-- PAGE_BREAK --`), wrapped lines, tables as rows of cells
 *    separated by tabs or runs of spaces;
 *  - a Word document exported to text: one line per paragraph, Word bookmarks
 *    (`[bookmark: _Toc…]`), tables as tab-indented cells (a line per cell, rows
 *    separated by a blank line), chart data (title, labels, values) at the end.
 */
import type { Block, Cell, ChartBlock, Document, Evidence } from '../model.js';
import { isNumeric } from '../money.js';
import { decodeText } from './decode.js';
import { BlockList, blocksFromPages, joinLines, looksLikeHeading, quoteOf, type PageItem } from './layout.js';
import { collapseCjkSpacing, normaliseText } from './normalise.js';

const PAGE_MARKER = /^\s*[-=—]{2,}\s*(?:PAGE[_ ]?BREAK|分页符|Page\s+\d+)\s*[-=—]{2,}\s*$/i;
const BOOKMARK = /\[bookmark:\s*[^\]]*\]/g;

export interface TextReadResult {
  blocks: Block[];
  pages: number | null;
  encoding: string;
}

export function readText(bytes: Uint8Array, file: string): TextReadResult {
  const { text, encoding } = decodeText(bytes, file);
  const clean = normaliseText(text).replace(BOOKMARK, '');
  const lines = clean.split('\n');
  const paged = clean.includes('\f') || lines.some((l) => PAGE_MARKER.test(l));
  if (paged) {
    const pages = splitPages(clean);
    const state: PageState = { openHeader: null };
    return { blocks: blocksFromPages(file, pages.map((p, i) => ({ page: i + 1, items: pageItems(p, state) }))), pages: pages.length, encoding };
  }
  return { blocks: wordExportBlocks(file, lines), pages: null, encoding };
}

export function textDocument(bytes: Uint8Array, file: string, info: Omit<Document['file'], 'pages' | 'format' | 'encoding'>): Document {
  const r = readText(bytes, file);
  return { file: { ...info, format: 'txt', pages: r.pages, encoding: r.encoding }, blocks: r.blocks, notes: [] };
}

// ---------------------------------------------------------------------------
// Paged text

function splitPages(text: string): string[] {
  const pages: string[] = [];
  let cur: string[] = [];
  for (const line of text.split('\n')) {
    const parts = line.split('\f');
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) {
        pages.push(cur.join('\n'));
        cur = [];
      }
      if (PAGE_MARKER.test(parts[i]!)) {
        pages.push(cur.join('\n'));
        cur = [];
      } else cur.push(parts[i]!);
    }
  }
  pages.push(cur.join('\n'));
  // pdftotext ends the last page with \f: no empty page after it
  while (pages.length > 1 && pages[pages.length - 1]!.trim() === '') pages.pop();
  return pages;
}

const UNIT_LINE = /单位\s*[:：]\s*(?:人民币)?\s*(万元|元|亿元|千元)/;
const TOC_LEADER = /(?:…{2,}|\.{4,}|·{4,}|-{6,})/;

interface PageState {
  /** the header lines of a table still open at the end of the previous page */
  openHeader: string[] | null;
}

const squash = (s: string) => s.replace(/\s+/g, '');

/** Lines of one page → line and table items. */
function pageItems(page: string, state: PageState): PageItem[] {
  const raw = page.split('\n');
  const items: PageItem[] = [];
  let table: { rows: Cell[][]; caption: string[]; header: string[] } | null = null;
  const carried = state.openHeader;
  state.openHeader = null;
  let toc: string[] = [];
  const endTable = () => {
    if (table && table.rows.length) items.push({ kind: 'table', rows: table.rows, aligned: false, caption: table.caption });
    table = null;
  };
  const startsPage = () => items.every((it) => it.kind === 'line' && it.text.trim() === '');
  const endToc = () => {
    if (toc.length) items.push({ kind: 'line', text: '目录：' + toc.join('；') }, { kind: 'line', text: '' });
    toc = [];
  };
  // a page headed 目录 is a table of contents, leader dots or not
  const firstLine = raw.find((l) => l.trim() !== '');
  const tocPage = firstLine !== undefined && squash(firstLine) === '目录';
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!.replace(/\s+$/, '');
    if (tocPage && line.trim() !== '' && squash(line) !== '目录') {
      toc.push(line.replace(/[\s…．.·\-]{2,}\s*\d*\s*$/, '').replace(/\s+/g, ' ').trim());
      continue;
    }
    if (TOC_LEADER.test(line)) {
      const entry = line.replace(/[\s…．.·\-]{2,}\s*\d*\s*$/, '').replace(/\t/g, ' ').trim();
      if (entry) toc.push(entry);
      continue;
    }
    endToc();
    if (table) {
      if (endsTable(line)) {
        endTable();
      } else {
        if (line.trim() !== '') {
          table.rows.push(splitRow(line).map((t) => ({ text: t, rowSpan: 1, colSpan: 1 })));
          if (table.header.length < 6 && !isRowLike(line)) table.header.push(squash(line));
        }
        continue;
      }
    }
    if (UNIT_LINE.test(line)) {
      // the title lines just above the unit line are the caption
      const caption: string[] = [];
      for (let k = items.length - 1; k >= 0 && caption.length < 2; k--) {
        const it = items[k]!;
        if (it.kind !== 'line' || it.text.trim() === '') break;
        caption.unshift(it.text.trim());
      }
      items.push({ kind: 'line', text: line });
      table = { rows: [], caption: [...caption, line.trim()], header: [] };
      continue;
    }
    // a page that starts with table rows, or with the header of the table
    // open on the previous page, continues that table
    if (line.trim() !== '' && startsPage() && (isRowLike(line) || (carried && carried.includes(squash(line))))) {
      table = { rows: [], caption: [], header: carried ?? [] };
      table.rows.push(splitRow(line).map((t) => ({ text: t, rowSpan: 1, colSpan: 1 })));
      continue;
    }
    items.push({ kind: 'line', text: line });
  }
  endToc();
  if (table) state.openHeader = (table as { header: string[] }).header;
  endTable();
  return items;
}

function endsTable(line: string): boolean {
  const t = line.trim();
  if (/^注\s*[:：]/.test(t)) return true;
  if (/^(其他相关情况说明|项目经费情况说明)$/.test(t)) return true;
  const hasSeparator = /\t| {2,}/.test(line.trim());
  return !hasSeparator && t.length >= 25 && /[，。；]/.test(t);
}

function isRowLike(line: string): boolean {
  const cells = splitRow(line);
  return cells.length >= 2 && cells.some((c) => isAmountToken(c)) && !/[。；]/.test(line);
}

function isAmountToken(t: string): boolean {
  return isNumeric(t);
}

const NUMBERING_TOKEN = /^(?:\d{1,2}[.．、]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)])$/;
const STARTS_NUMBERED = /^(?:[一二三四五六七八九十]+、|\d{1,2}[.．、]\S)/;

/**
 * Split a text table row into cells. Tabs always separate; within a tab cell,
 * numbers stand alone, runs of words are one cell, and a numbered label
 * (`二、事业收入`, `1. 一般公共预算`) starts a new cell.
 */
export function splitRow(line: string): string[] {
  const out: string[] = [];
  for (const tabCell of line.split(/\t/)) {
    const spaced = tabCell.replace(/(\d)(?=(?:[一二三四五六七八九十]+、))/g, '$1 ');
    const tokens = spaced.split(/\s+/).filter((t) => t !== '');
    let cur: string[] = [];
    const flush = () => {
      if (cur.length) out.push(joinTokens(cur));
      cur = [];
    };
    for (const tok of tokens) {
      if (isNumeric(tok) && !(cur.length === 0 && NUMBERING_TOKEN.test(tok))) {
        if (cur.length && NUMBERING_TOKEN.test(cur[cur.length - 1]!) && cur.length === 1) {
          cur.push(tok);
          continue;
        }
        flush();
        out.push(tok);
        continue;
      }
      if (NUMBERING_TOKEN.test(tok) || (STARTS_NUMBERED.test(tok) && cur.length && !NUMBERING_TOKEN.test(cur[cur.length - 1]!))) flush();
      cur.push(tok);
    }
    flush();
  }
  return out.map((c) => collapseCjkSpacing(c));
}

function joinTokens(tokens: string[]): string {
  let s = '';
  for (const t of tokens) {
    if (s === '') s = t;
    else if (/[A-Za-z0-9.．、]$/.test(s) && NUMBERING_TOKEN.test(s.split(' ').pop() ?? '')) s += ' ' + t;
    else if (/[A-Za-z0-9]$/.test(s) && /^[A-Za-z0-9]/.test(t)) s += ' ' + t;
    else s += t;
  }
  return s;
}

// ---------------------------------------------------------------------------
// Word export (one paragraph per line, tab-indented tables, charts at the end)

function wordExportBlocks(file: string, lines: string[]): Block[] {
  const list = new BlockList();
  const blocks = list.blocks;
  const push = (b: Block, text: string) => list.push(b, text);
  const ev = (text: string, source?: Evidence['source']): Evidence => ({ file, quote: quoteOf(text), ...(source ? { source } : {}) });

  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.startsWith('\t')) {
      const { rows, next } = readTabTable(lines, i);
      i = next;
      const kept = rows.filter((r) => r.some((c) => c.text !== ''));
      if (kept.length) {
        const text = kept.map((r) => r.map((c) => c.text).join('\t')).join('\n');
        push({ kind: 'table', rows: kept, aligned: false, evidence: ev(text, 'table') }, text);
      }
      continue;
    }
    if (startsChart(lines, i)) {
      const { charts, next } = readCharts(lines, i);
      i = next;
      for (const c of charts) {
        const text = [c.title, ...c.series.map((s) => [s.name ?? '', ...s.labels, ...s.values].join('\t'))].join('\n');
        push({ kind: 'chart', title: c.title, series: c.series, evidence: ev(text, 'chart') } as ChartBlock, text);
      }
      continue;
    }
    const text = collapseCjkSpacing(line.replace(/\t+/g, ' ')).trim();
    i++;
    if (text === '') continue;
    if (looksLikeHeading(text)) push({ kind: 'heading', text, evidence: ev(text) }, text);
    else push({ kind: 'paragraph', text, evidence: ev(text) }, text);
  }
  return blocks;
}

/** Rows separated by one blank line; two blank lines or a non-tab line at a row start end the table. */
function readTabTable(lines: string[], start: number): { rows: Cell[][]; next: number } {
  const rows: Cell[][] = [];
  let row: string[][] = [];
  let i = start;
  let blanks = 0;
  const endRow = () => {
    if (row.length) rows.push(row.map((parts) => ({ text: joinLines(parts).trim(), rowSpan: 1, colSpan: 1 })));
    row = [];
  };
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '' && !line.startsWith('\t')) {
      blanks++;
      endRow();
      if (blanks >= 2) break;
      i++;
      continue;
    }
    if (line.startsWith('\t')) {
      blanks = 0;
      // one line may hold several cells of a row
      for (const part of line.slice(1).split('\t')) row.push([part.trim()]);
      i++;
      continue;
    }
    // a line without any tab continues the current cell; at a row start, or
    // holding tabs further in (chart data), it ends the table
    if (row.length === 0 || line.includes('\t')) break;
    blanks = 0;
    row[row.length - 1]!.push(line.trim());
    i++;
  }
  endRow();
  return { rows, next: i };
}

function cellsOf(line: string): string[] {
  return line.split('\t').map((c) => c.trim()).filter((c) => c !== '');
}

function startsChart(lines: string[], i: number): boolean {
  const line = lines[i]!;
  if (!line.includes('\t')) return false;
  if (cellsOf(line).some((c) => isNumeric(c))) return true;
  // a title line: the next non-blank line carries numbers in tab cells
  for (let k = i + 1; k < Math.min(lines.length, i + 3); k++) {
    const l = lines[k]!;
    if (l.trim() === '') continue;
    return !l.startsWith('\t') && l.includes('\t') && cellsOf(l).some((c) => isNumeric(c));
  }
  return false;
}

/** Chart data as Word exports it: a title cell, then label cells followed by as many value cells. */
function readCharts(lines: string[], start: number): { charts: Array<{ title: string; series: ChartBlock['series'] }>; next: number } {
  const charts: Array<{ title: string; series: ChartBlock['series'] }> = [];
  let cur: { title: string; series: ChartBlock['series'] } | null = null;
  let pendingName: string | undefined;
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (line.startsWith('\t')) break;
    const hasTab = line.includes('\t');
    if (!hasTab) {
      // a short title line of the next chart, or the end of the chart data
      const nextTab = lines.slice(i + 1, i + 3).some((l) => l.includes('\t') && !l.startsWith('\t'));
      if (line.trim().length <= 40 && nextTab) {
        cur = { title: line.trim(), series: [] };
        charts.push(cur);
        pendingName = undefined;
        continue;
      }
      break;
    }
    const cells = cellsOf(line);
    if (cells.length === 1 && !isNumeric(cells[0]!)) {
      if (cur && cur.series.length === 0 && lines[i - 1] !== undefined && !lines[i - 1]!.includes('\t')) pendingName = cells[0];
      else {
        cur = { title: cells[0]!, series: [] };
        charts.push(cur);
        pendingName = undefined;
      }
      continue;
    }
    let k = 0;
    if (!cur || (!isNumeric(cells[0]!) && cells.length > 1 && !isNumeric(cells[1]!) && cur.series.length > 0 && isTitleLike(cells[0]!))) {
      cur = { title: cells[0]!, series: [] };
      charts.push(cur);
      pendingName = undefined;
      k = 1;
    }
    while (k < cells.length) {
      const labels: string[] = [];
      while (k < cells.length && !isNumeric(cells[k]!)) labels.push(cells[k++]!);
      const values: string[] = [];
      while (k < cells.length && isNumeric(cells[k]!)) values.push(cells[k++]!);
      if (values.length === 0) {
        pendingName = labels.join(' ') || pendingName;
        break;
      }
      // labels may be shared by series that follow (Excel writes them once per series)
      const ls = labels.length >= values.length ? labels.slice(labels.length - values.length) : labels;
      const name = labels.length > values.length ? labels.slice(0, labels.length - values.length).join(' ') : pendingName;
      cur.series.push({ ...(name ? { name } : {}), labels: ls, values });
      pendingName = undefined;
    }
  }
  return { charts: charts.filter((c) => c.series.length > 0), next: i };
}

function isTitleLike(s: string): boolean {
  return /(图|情况|结构|变动|对比)/.test(s) && s.length >= 6;
}
