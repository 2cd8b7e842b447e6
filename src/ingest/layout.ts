/**
 * Shared last step of every paged reader (page text files, PDF): page contents
 * made of lines and tables → ordered blocks with evidence. Page-number footers
 * are dropped, soft line breaks inside sentences and across pages are joined,
 * letter-spaced CJK is collapsed, heading-like lines become heading blocks.
 */
import type { Block, Cell, Evidence } from '../model.js';
import { collapseCjkSpacing, collapseDigitCjkSpacing, normaliseText } from './normalise.js';

export type PageItem =
  | {
      kind: 'line';
      text: string;
      /** font size or other hint; optional */
      size?: number;
      /** left and right edges in page space, where the reader knows them (PDF) */
      x0?: number;
      x1?: number;
      /** OCR confidence (0–1): the line was read from the page's image */
      conf?: number;
    }
  | {
      kind: 'table';
      rows: Cell[][];
      aligned: boolean;
      caption?: string[];
      /** pages the table spans when the reader already merged continuations */
      pages?: number[];
    };

export interface PageContent {
  page: number;
  items: PageItem[];
}

// a page number, its digits letter-spaced too (Chongqing prints — 1 2 — under page 12)
const FOOTER = /^\s*(?:[-—–－─]\s*)?\d(?:\s?\d){0,2}(?:\s*[-—–－─])?\s*$|^\s*第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?\s*$|^\s*\d+\s*\/\s*\d+\s*$/;

/** Numbering that starts an outline heading or a list item. */
export const NUMBERING =
  /^\s*(?:第[一二三四五六七八九十百]+部分|[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[)）]|\d{1,2}(?:[、.．](?!\d)|\s*[、])|[（(]\d{1,2}[)）]|[①-⑳])/;

const SENTENCE_END = /[。！？；;:：」』”）)]$/;

/**
 * Blocks in reading order with their place in the normalised text (the block
 * texts joined by "\n"): every reader appends through one of these.
 */
export class BlockList {
  readonly blocks: Block[];
  offset: number;
  constructor(existing: Block[] = []) {
    this.blocks = existing;
    this.offset = existing.reduce((end, b) => Math.max(end, (b.evidence.offset ?? 0) + (b.evidence.length ?? 0) + 1), 0);
  }
  push(b: Block, text: string): void {
    b.evidence.offset = this.offset;
    b.evidence.length = text.length;
    this.offset += text.length + 1;
    this.blocks.push(b);
  }
}

export function isFooterLine(text: string): boolean {
  return FOOTER.test(text);
}

/** A line that reads like a heading: numbered or known title, short, not a sentence with amounts. */
export function looksLikeHeading(text: string): boolean {
  const t = text.trim();
  if (t.length === 0 || t.length > 60) return false;
  if (/^第[一二三四五六七八九十]+部分/.test(t)) return true;
  if (!NUMBERING.test(t)) return false;
  // a numbered sentence stating figures is a list item, not a heading
  if (/\d[\d,.]*\s*(?:万元|元|%|亿元)/.test(t)) return false;
  const body = t.replace(NUMBERING, '');
  if (/。./.test(body)) return false;
  // a definition or a sentence lead-in (`财政拨款收入：是…`) is not a title
  if (/[:：]./.test(body)) return false;
  return body.length <= 40;
}

interface LineRef {
  text: string;
  page: number;
  /** the line reaches (nearly) the right margin: a wrapped line, the paragraph goes on */
  full: boolean;
  conf?: number;
}

/** Evidence of text read by OCR: source `ocr` and the least confidence of its lines. */
function ocrEvidence(confs: Array<number | undefined>): Pick<Evidence, 'source' | 'confidence'> {
  const known = confs.filter((c): c is number => c !== undefined);
  return known.length ? { source: 'ocr', confidence: Math.min(...known) } : {};
}

/** Display width: CJK and full-width characters count 1, others 0.5. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) > 0x2e80 ? 1 : 0.5;
  return w;
}

/**
 * Turn page contents into blocks. `file` names the file in every evidence.
 * Offsets are into the concatenation of block texts joined by "\n", which is
 * the normalised text the store keeps.
 */
export function blocksFromPages(file: string, pages: PageContent[]): Block[] {
  const list = new BlockList();
  const push = (b: Block, text: string) => list.push(b, text);

  let para: LineRef[] = [];
  const flush = () => {
    if (para.length === 0) return;
    const text = joinLines(para.map((l) => l.text));
    const first = para[0]!;
    const ev: Evidence = { file, page: first.page, quote: quoteOf(text), ...ocrEvidence(para.map((l) => l.conf)) };
    push({ kind: 'paragraph', text, evidence: ev }, text);
    para = [];
  };

  for (const p of pages) {
    // drop page-number lines at the top or bottom of the page
    const items = trimFooters(p.items);
    const widths = items.map((it) => (it.kind === 'line' ? displayWidth(it.text.trim()) : 0));
    const full = fullLines(items, widths);
    for (const [n, it] of items.entries()) {
      if (it.kind === 'table') {
        flush();
        const text = it.rows.map((r) => r.map((c) => c.text).join('\t')).join('\n');
        const pagesOf = it.pages ?? [p.page];
        const cells = it.rows.map((r) => r.map((c) => ({ ...c, page: c.page ?? p.page })));
        const tb: Block = {
          kind: 'table',
          rows: cells,
          aligned: it.aligned,
          pages: pagesOf,
          ...(it.caption ? { caption: it.caption } : {}),
          evidence: { file, page: pagesOf[0]!, quote: quoteOf(text), source: 'table' },
        };
        push(tb, text);
        continue;
      }
      const text = collapseDigitCjkSpacing(collapseCjkSpacing(normaliseText(it.text))).trim();
      if (text === '') {
        flush();
        continue;
      }
      // a numbered line that reaches the right margin is the first line of a wrapped list item, not a title
      const wraps = full[n]! && nextIsText(items, n);
      if (looksLikeHeading(text) && !continuesSentence(para) && !wraps) {
        flush();
        push({ kind: 'heading', text, evidence: { file, page: p.page, quote: quoteOf(text), ...ocrEvidence([it.conf]) } }, text);
        continue;
      }
      const prev = para[para.length - 1];
      if (prev && (!prev.full || startsNewParagraph(prev.text, text))) flush();
      para.push({ text, page: p.page, full: full[n]!, ...(it.conf !== undefined ? { conf: it.conf } : {}) });
    }
    // a paragraph whose last line ends a sentence or stops short of the margin does not run across the page break
    const last = para[para.length - 1];
    const textLines = widths.filter((w) => w > 0).length;
    if (last && (SENTENCE_END.test(last.text) || !last.full || textLines < 4)) flush();
  }
  flush();
  return list.blocks;
}

/**
 * How much room (in em) a wrapped line may leave at the right margin: the
 * first unbreakable run of the next line did not fit. A run of Latin letters
 * and digits (`10.64%`) is half an em a character; a line may not start with
 * closing punctuation, so one before it also moved down; otherwise one CJK
 * character and some slack.
 */
function wrapRoom(next: string | undefined): number {
  const t = (next ?? '').trim();
  const latin = /^[\x21-\x7e]+/.exec(t)?.[0];
  if (latin) return displayWidth(latin) + 1.5;
  if (/^[，。、；：？！）」』”’%％]/.test(t)) return 2.5;
  return 1.5;
}

/**
 * Which lines reach the right margin (a wrapped line: the paragraph goes on).
 * With the lines' edges (PDF): the right margin is where the text lines end
 * (the third-rightmost edge, so a stray wide line does not move it) and a line
 * is full when what starts the next line would not have fitted after it: justified text that the writer
 * spread with spaces is measured where it is, not by its characters. Without
 * edges (page text files), and for ragged-right text that Word wrapped early,
 * display width against the widest line, 85 %.
 */
function fullLines(items: PageItem[], widths: number[]): boolean[] {
  const maxWidth = Math.max(0, ...widths);
  const fullAt = maxWidth >= 20 ? maxWidth * 0.85 : Infinity;
  const byWidth = widths.map((w) => w >= fullAt);
  const lines = items.map((it) => (it.kind === 'line' && it.text.trim() !== '' ? it : undefined));
  const edged = lines.filter((l) => l !== undefined);
  if (edged.length === 0 || !edged.every((l) => l.x1 !== undefined && l.size !== undefined)) return byWidth;
  const rights = edged.map((l) => l.x1!).sort((a, b) => b - a);
  const margin = rights[Math.min(2, rights.length - 1)]!;
  const sizes = edged.map((l) => l.size!).sort((a, b) => a - b);
  const em = sizes[sizes.length >> 1]! || 10;
  const left = Math.min(...edged.map((l) => l.x0 ?? Infinity));
  return lines.map((l, i) => {
    if (l === undefined) return false;
    if (byWidth[i]) return true;
    // body text only: a title in a larger font or centred is not a wrapped line
    if (l.size! > em * 1.15 || (l.x0 ?? left) > left + 3 * em) return false;
    return displayWidth(l.text.trim()) >= 10 && margin - l.x1! <= wrapRoom(lines[i + 1]?.text) * em;
  });
}

function nextIsText(items: PageItem[], n: number): boolean {
  const next = items[n + 1];
  // the last line of a page continues on the next page
  return next === undefined || (next.kind === 'line' && next.text.trim() !== '');
}

function trimFooters(items: PageItem[]): PageItem[] {
  const out = items.slice();
  const isBlankLine = (it: PageItem | undefined) => it?.kind === 'line' && it.text.trim() === '';
  while (out.length && (isBlankLine(out[out.length - 1]) || (out[out.length - 1]!.kind === 'line' && isFooterLine((out[out.length - 1] as { text: string }).text)))) out.pop();
  while (out.length && (isBlankLine(out[0]) || (out[0]!.kind === 'line' && isFooterLine((out[0] as { text: string }).text)))) out.shift();
  return out;
}

function continuesSentence(para: LineRef[]): boolean {
  if (para.length === 0) return false;
  const last = para[para.length - 1]!.text;
  // "…比2024年预算增加" + "3,355.65万元" : the previous line stops mid-sentence with a comma-less tail
  return /[，、]$/.test(last);
}

function startsNewParagraph(prev: string, next: string): boolean {
  if (NUMBERING.test(next) && /[。：:；;]$/.test(prev)) return true;
  if (/^[（(]?[一二三四五六七八九十]+[）)、]/.test(next) && SENTENCE_END.test(prev)) return true;
  if (/^(其中|注)[：:]/.test(next) && SENTENCE_END.test(prev)) return true;
  return false;
}

/** Join wrapped lines: no space between CJK, a space between Latin words. */
export function joinLines(lines: string[]): string {
  let out = '';
  for (const l of lines) {
    const t = l.trim();
    if (out === '') {
      out = t;
      continue;
    }
    const a = out[out.length - 1]!;
    const b = t[0] ?? '';
    out += /[A-Za-z0-9]/.test(a) && /[A-Za-z]/.test(b) ? ' ' + t : t;
  }
  return out;
}

export function quoteOf(text: string, max = 160): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}
