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

/** Where the walk returns to after an element's children: end its line, restore the heading level. */
class Exit {
  constructor(
    readonly block: boolean,
    readonly level: number | undefined,
  ) {}
}

/**
 * Walk the tree in document order and collect lines, tables and images.
 *
 * The walk keeps its own stack (no JS recursion per nesting level) and every
 * node is visited a bounded number of times, however deeply tables nest: a
 * table's facts (nested tables, long cells, its own rows) are read from its
 * subtree without descending into the tables nested in it, and a cell's text
 * stops at a nested table (which only ends a line there, as its rows are not
 * part of the cell's text).
 */
export function htmlItems($: CheerioAPI, root: AnyNode, opts: WalkOptions = { layoutTables: false }): HtmlItem[] {
  return collectItems($, root, opts.layoutTables, false);
}

/**
 * The walk. `cell`: the text of one table cell, lines only (what the cell's
 * `htmlItems` gave, less the tables and images that were then dropped: a table
 * or an image in a cell only ends a line).
 */
function collectItems($: CheerioAPI, root: AnyNode, layoutTables: boolean, cell: boolean): HtmlItem[] {
  const items: HtmlItem[] = [];
  let buf = '';
  let level: number | undefined;
  const flush = () => {
    if (buf.trim() !== '') items.push({ kind: 'line', text: buf, ...(level ? { level } : {}) });
    buf = '';
  };
  const stack: Array<AnyNode | Exit> = [root];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step instanceof Exit) {
      if (step.block) flush();
      level = step.level;
      continue;
    }
    const node = step;
    if (node.type === 'text') {
      buf += (node as unknown as { data: string }).data.replace(/[\r\n\t]+/g, ' ');
      continue;
    }
    if (node.type !== 'tag' && node.type !== 'root') continue;
    const el = node as Element;
    const tag = node.type === 'root' ? 'root' : el.name.toLowerCase();
    if (SKIP_TAGS.has(tag)) continue;
    if (tag === 'br') {
      flush();
      continue;
    }
    if (tag === 'img') {
      flush();
      if (cell) continue;
      const src = $(el).attr('src') ?? '';
      const num = (v: string | undefined) => (v && /^\d+/.test(v) ? parseInt(v, 10) : undefined);
      const style = $(el).attr('style') ?? '';
      const width = num($(el).attr('width')) ?? num(/width:\s*(\d+)px/i.exec(style)?.[1]);
      const height = num($(el).attr('height')) ?? num(/height:\s*(\d+)px/i.exec(style)?.[1]);
      items.push({ kind: 'image', src, alt: $(el).attr('alt') ?? $(el).attr('title') ?? '', ...(width ? { width } : {}), ...(height ? { height } : {}) });
      continue;
    }
    if (tag === 'table' && (cell || !(layoutTables && isLayoutTable(el)))) {
      flush();
      if (cell) continue;
      const rows = tableRows($, el);
      if (rows.length) items.push({ kind: 'table', rows });
      // images inside a data table are still listed
      for (const img of descendantTags(el, (e) => e.name === 'img')) {
        items.push({ kind: 'image', src: $(img).attr('src') ?? '', alt: $(img).attr('alt') ?? '' });
      }
      continue;
    }
    const isBlock = BLOCK_TAGS.has(tag) || tag === 'table';
    const h = /^h([1-6])$/.exec(tag);
    if (isBlock) flush();
    stack.push(new Exit(isBlock, level));
    if (h) level = Number(h[1]);
    const kids = el.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  flush();
  return items;
}

/** An element, a `<script>` or a `<style>` (what selectors match). */
const isTagNode = (n: AnyNode): n is Element => n.type === 'tag' || n.type === 'script' || n.type === 'style';
const hasChildren = (n: AnyNode): n is AnyNode & { children: AnyNode[] } => Object.prototype.hasOwnProperty.call(n, 'children');

/**
 * The elements under `el` that `$(el).find(…)` would visit, in document order,
 * that pass `match`; without descending into those that pass `prune` (nor,
 * when `tagsOnly`, into anything that is not an element). Iterative.
 */
function descendantTags(el: Element, match: (e: Element) => boolean, opts: { prune?: (e: Element) => boolean; tagsOnly?: boolean; first?: boolean } = {}): Element[] {
  const out: Element[] = [];
  const stack: AnyNode[] = [];
  const kids = el.children.filter(isTagNode);
  for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  while (stack.length > 0) {
    const n = stack.pop()!;
    const tagNode = isTagNode(n);
    if (tagNode && match(n)) {
      out.push(n);
      if (opts.first) break;
    }
    if (opts.tagsOnly && !tagNode) continue;
    if (tagNode && opts.prune?.(n)) continue;
    if (hasChildren(n)) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out;
}

/** Whether `$(node).text()` (all text below it, comments aside) has more than `limit` characters other than white space. Iterative. */
function textLengthOver(node: AnyNode, limit: number): boolean {
  let n = 0;
  const stack: AnyNode[] = [node];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.type === 'comment') continue;
    if (hasChildren(x)) {
      for (let i = x.children.length - 1; i >= 0; i--) stack.push(x.children[i]!);
    } else if (x.type === 'text') {
      n += (x as unknown as { data: string }).data.replace(/\s+/g, '').length;
      if (n > limit) return true;
    }
  }
  return false;
}

/** A table that holds tables, or a cell of more than 300 characters, lays out a page rather than holding data. */
function isLayoutTable(table: Element): boolean {
  // stops at the first nested table: only the table's own part is searched
  if (descendantTags(table, (e) => e.name === 'table', { first: true }).length > 0) return true;
  // no nested tables here, so the cells' texts do not overlap
  return descendantTags(table, (e) => e.name === 'td' || e.name === 'th').some((c) => textLengthOver(c, 300));
}

/** The rows of one table (not of tables nested in it): cells with spans, text joined across `<p>`/`<br>`. */
export function tableRows($: CheerioAPI, table: Element): Cell[][] {
  const rows: Array<{ cells: Cell[] }> = [];
  // the table's own rows: those whose closest table is this one
  const trs = descendantTags(table, (e) => e.name === 'tr', { prune: (e) => e.name === 'table', tagsOnly: true });
  for (const tr of trs) {
    const cells: Cell[] = [];
    $(tr)
      .children('td,th')
      .each((_, td) => {
        const lines = collectItems($, td, false, true)
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
  }
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
