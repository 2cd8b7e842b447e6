/**
 * A cleaned HTML tree (mammoth's DOCX rendering or a web page's main content)
 * → ordered blocks, shaped like the text reader's: one paragraph or heading
 * block per line of text (a `<p>`, a heading, or a `<br>`-separated line),
 * tables as aligned grids with their row and column spans, images listed for
 * the caller (tables published as pictures).
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { Block, Cell, Evidence } from '../model.js';
import { BlockList, joinLines, looksLikeHeading, quoteOf } from './layout.js';
import { collapseCjkSpacing, normaliseText } from './normalise.js';

export type HtmlItem =
  | { kind: 'line'; text: string; level?: number }
  | { kind: 'table'; rows: Cell[][] }
  | { kind: 'image'; src: string; alt: string; width?: number; height?: number };

/** Elements whose content starts and ends a line. */
const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'main', 'blockquote', 'pre', 'center', 'li', 'ul', 'ol', 'dl', 'dt', 'dd',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'td', 'th', 'caption', 'figure', 'figcaption', 'address', 'hr', 'body', 'html', 'form', 'fieldset', 'thead', 'tbody', 'tfoot',
]);
const SKIP_TAGS = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'iframe', 'object', 'embed', 'button', 'select', 'input', 'textarea', 'svg', 'map', 'xml']);

/** Field codes that leak into text when Word fields are flattened (`PAGEREF _Toc123 \h`). */
const FIELD_CODES = /\b(?:PAGEREF|HYPERLINK\s+\\l|REF)\s+"?_(?:Toc|Ref)\d+"?(?:\s*\\[a-z*](?:\s+MERGEFORMAT)?)*|\bTOC(?:\s+\\[a-z]\s*(?:"[^"]*")?)+|\\\*\s*MERGEFORMAT/g;

export function cleanFieldCodes(s: string): string {
  return s.replace(FIELD_CODES, '');
}

/** Normalised, letter-spacing collapsed, field codes removed. */
export function cleanText(s: string): string {
  return collapseCjkSpacing(normaliseText(cleanFieldCodes(s)).replace(/[ \t]+/g, ' ')).trim();
}

interface WalkOptions {
  /** treat a table with nested tables or long cells as layout and walk into it */
  layoutTables: boolean;
}

/** Walk the tree in document order and collect lines, tables and images. */
export function htmlItems($: CheerioAPI, root: AnyNode, opts: WalkOptions = { layoutTables: false }): HtmlItem[] {
  const items: HtmlItem[] = [];
  let buf = '';
  let level: number | undefined;
  const flush = () => {
    if (buf.trim() !== '') items.push({ kind: 'line', text: buf, ...(level ? { level } : {}) });
    buf = '';
  };
  const walk = (node: AnyNode) => {
    if (node.type === 'text') {
      buf += (node as unknown as { data: string }).data.replace(/[\r\n\t]+/g, ' ');
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root') return;
    const el = node as Element;
    const tag = node.type === 'root' ? 'root' : el.name.toLowerCase();
    if (SKIP_TAGS.has(tag)) return;
    if (tag === 'br') {
      flush();
      return;
    }
    if (tag === 'img') {
      const src = $(el).attr('src') ?? '';
      const num = (v: string | undefined) => (v && /^\d+/.test(v) ? parseInt(v, 10) : undefined);
      const style = $(el).attr('style') ?? '';
      const width = num($(el).attr('width')) ?? num(/width:\s*(\d+)px/i.exec(style)?.[1]);
      const height = num($(el).attr('height')) ?? num(/height:\s*(\d+)px/i.exec(style)?.[1]);
      flush();
      items.push({ kind: 'image', src, alt: $(el).attr('alt') ?? $(el).attr('title') ?? '', ...(width ? { width } : {}), ...(height ? { height } : {}) });
      return;
    }
    if (tag === 'table' && !(opts.layoutTables && isLayoutTable($, el))) {
      flush();
      const rows = tableRows($, el);
      if (rows.length) items.push({ kind: 'table', rows });
      // images inside a data table are still listed
      $(el)
        .find('img')
        .each((_, img) => {
          items.push({ kind: 'image', src: $(img).attr('src') ?? '', alt: $(img).attr('alt') ?? '' });
        });
      return;
    }
    const isBlock = BLOCK_TAGS.has(tag) || tag === 'table';
    const h = /^h([1-6])$/.exec(tag);
    if (isBlock) flush();
    const saved = level;
    if (h) level = Number(h[1]);
    for (const child of el.children ?? []) walk(child);
    if (isBlock) flush();
    level = saved;
  };
  walk(root);
  flush();
  return items;
}

function isLayoutTable($: CheerioAPI, table: Element): boolean {
  if ($(table).find('table').length > 0) return true;
  let long = false;
  $(table)
    .find('td,th')
    .each((_, c) => {
      if ($(c).text().replace(/\s+/g, '').length > 300) long = true;
    });
  return long;
}

/** The rows of one table (not of tables nested in it): cells with spans, text joined across `<p>`/`<br>`. */
export function tableRows($: CheerioAPI, table: Element): Cell[][] {
  const rows: Array<{ cells: Cell[] }> = [];
  const trs = $(table).find('tr').filter((_, tr) => $(tr).closest('table')[0] === table);
  trs.each((_, tr) => {
    const cells: Cell[] = [];
    $(tr)
      .children('td,th')
      .each((_, td) => {
        const lines = htmlItems($, td)
          .filter((it): it is Extract<HtmlItem, { kind: 'line' }> => it.kind === 'line')
          .map((it) => cleanText(it.text))
          .filter((t) => t !== '');
        const span = (a: string | undefined) => {
          const n = a ? parseInt(a, 10) : 1;
          return Number.isFinite(n) && n >= 1 ? Math.min(n, 1000) : 1;
        };
        cells.push({ text: joinLines(lines), rowSpan: span($(td).attr('rowspan')), colSpan: span($(td).attr('colspan')) });
      });
    rows.push({ cells });
  });
  // clip row spans that run past the last row
  rows.forEach((r, i) => r.cells.forEach((c) => (c.rowSpan = Math.max(1, Math.min(c.rowSpan, rows.length - i)))));
  return dropEmptyRows(rows.map((r) => r.cells));
}

/** Drop rows without text (and rows wholly covered by spans from above), shortening the spans that cover them. */
export function dropEmptyRows(rows: Cell[][]): Cell[][] {
  const out: Cell[][] = [];
  const open: Array<{ cell: Cell; end: number }> = [];
  rows.forEach((cells, i) => {
    const empty = cells.every((c) => c.text === '' && c.rowSpan === 1);
    if (empty) {
      for (const s of open) if (i < s.end && s.cell.rowSpan > 1) s.cell.rowSpan--;
      return;
    }
    for (const c of cells) if (c.rowSpan > 1) open.push({ cell: c, end: i + c.rowSpan });
    out.push(cells);
  });
  return out;
}

export interface BlockOptions {
  /** heading tags (`<h1>`…) make heading blocks whatever their text */
  trustHeadingTags: boolean;
}

/**
 * Items → blocks with evidence and offsets (offsets into the block texts
 * joined by "\n", as every reader does).
 */
export function blocksFromItems(file: string, items: HtmlItem[], opts: BlockOptions): { blocks: Block[]; images: Array<{ src: string; alt: string; width?: number; height?: number; offset: number }> } {
  const images: Array<{ src: string; alt: string; width?: number; height?: number; offset: number }> = [];
  const list = new BlockList();
  const blocks = list.blocks;
  const push = (b: Block, text: string) => list.push(b, text);
  const ev = (text: string, source?: Evidence['source']): Evidence => ({ file, quote: quoteOf(text), ...(source ? { source } : {}) });
  for (const it of items) {
    if (it.kind === 'image') {
      images.push({ ...it, offset: list.offset });
      continue;
    }
    if (it.kind === 'table') {
      const text = it.rows.map((r) => r.map((c) => c.text).join('\t')).join('\n');
      push({ kind: 'table', rows: it.rows, aligned: true, evidence: ev(text, 'table') }, text);
      continue;
    }
    const text = cleanText(it.text);
    if (text === '') continue;
    // a heading tag (a Word heading style) makes a heading of a short title, not of a sentence that carries figures
    const styled = opts.trustHeadingTags && it.level !== undefined && text.length <= 40 && !/[。；;，,]/.test(text) && !/\d[\d,.]*\s*(?:万元|元|%|亿元)/.test(text);
    const heading = looksLikeHeading(text) || styled;
    if (heading) push({ kind: 'heading', text, ...(it.level ? { level: it.level } : {}), evidence: ev(text) }, text);
    else push({ kind: 'paragraph', text, evidence: ev(text) }, text);
  }
  return { blocks, images };
}
