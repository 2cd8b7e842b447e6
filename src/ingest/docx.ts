/**
 * DOCX → Document. The zip directory is judged first (bombs, encryption,
 * truncation), then mammoth renders the body to HTML (tables keep their
 * gridSpan/vMerge as colspan/rowspan, heading styles become <h1>…), which the
 * shared HTML walk turns into blocks like the text reader's. Bookmarks and TOC
 * entries are dropped; charts' cached data (word/charts/chart*.xml) become
 * chart blocks after the body, where a Word-to-text export puts them too.
 */
import * as cheerio from 'cheerio';
import mammoth from 'mammoth';
import type { ChartBlock, Document, ReaderNote } from '../model.js';
import { IngestError } from './errors.js';
import { blocksFromItems, cleanText, htmlItems } from './html-blocks.js';
import { BlockList, quoteOf } from './layout.js';
import { checkZip, readZipEntry, verifyZip, ZipProblem, type ZipEntry } from './zip.js';

const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Subtitle'] => h2:fresh",
  "p[style-name='标题'] => h1:fresh",
  "p[style-name='Body Text'] => p:fresh",
  "p[style-name='Table Contents'] => p:fresh",
  "p[style-name='TOC Heading'] => p.toc:fresh",
  "p[style-name='toc 1'] => p.toc:fresh",
  "p[style-name='toc 2'] => p.toc:fresh",
  "p[style-name='toc 3'] => p.toc:fresh",
  "p[style-name='TOC 1'] => p.toc:fresh",
  "p[style-name='TOC 2'] => p.toc:fresh",
  "p[style-name='TOC 3'] => p.toc:fresh",
  "p[style-name='Contents 1'] => p.toc:fresh",
  "p[style-name='Contents 2'] => p.toc:fresh",
  "p[style-name='Contents 3'] => p.toc:fresh",
];

export async function docxDocument(bytes: Uint8Array, label: string, info: { path: string; sha256: string; bytes: number }): Promise<Document> {
  let entries: ZipEntry[];
  try {
    entries = checkZip(bytes);
    if (!entries.some((e) => e.name === 'word/document.xml')) throw new ZipProblem('DOCX without word/document.xml (not a Word document, or damaged)');
    verifyZip(bytes, entries);
  } catch (e) {
    if (e instanceof ZipProblem) throw new IngestError(label, `DOCX: ${e.message}`);
    throw e;
  }
  let html: string;
  try {
    const r = await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }, { styleMap: STYLE_MAP, ignoreEmptyParagraphs: true });
    html = r.value;
  } catch (e) {
    throw new IngestError(label, `damaged DOCX, mammoth cannot read it: ${(e as Error).message}`);
  }
  const $ = cheerio.load(html);
  // put the list numbers back (一、 （一） 1.) where numbering.xml lets us compute them
  try {
    const labels = numberingLabels(bytes, entries);
    const items = $('li');
    if (labels && labels.length === items.length) {
      items.each((i, li) => {
        if (labels[i]) $(li).prepend(labels[i]!);
      });
      // the lists themselves are then plain paragraphs
    }
  } catch {
    // numbering is a refinement: without it the items keep their text
  }
  // bookmarks (`<a id="_Toc…">`) hold no text; TOC entries are links to them
  $('a[id]:not([href])').each((_, a) => {
    $(a).replaceWith($(a).contents());
  });
  $('p.toc').remove();
  $('a[href^="#_Toc"], a[href^="#_Ref"]').each((_, a) => {
    const p = $(a).closest('p, li, h1, h2, h3, h4, h5, h6');
    const rest = p.length ? p.text().replace($(a).text(), '') : '';
    // the whole paragraph is a TOC entry (title … page): drop it; otherwise keep the link text
    if (p.length && rest.replace(/[\s.…·\-\d]/g, '') === '') p.remove();
    else $(a).replaceWith($(a).contents());
  });
  const body = $('body')[0] ?? $.root()[0]!;
  const { blocks, images } = blocksFromItems(label, htmlItems($, body), { trustHeadingTags: true });

  const notes: ReaderNote[] = [];
  const charts = readCharts(bytes, entries, label, notes);
  const list = new BlockList(blocks);
  for (const c of charts) {
    const text = [c.title, ...c.series.map((s) => [s.name ?? '', ...s.labels, ...s.values].join('\t'))].join('\n');
    c.evidence = { file: label, quote: quoteOf(text), source: 'chart' };
    list.push(c, text);
  }
  for (const im of images) {
    notes.push({
      rule: 'reader.image',
      severity: 'info',
      message: `picture in the document body (${im.src.startsWith('data:') ? 'embedded image' : im.src}): any table or chart drawn in it cannot be read`,
      evidence: [{ file: label, offset: im.offset, quote: '' }],
    });
  }
  return { file: { ...info, format: 'docx', pages: null }, blocks, notes };
}

/** Charts' cached series from word/charts/chart*.xml, in part-number order. */
function readCharts(bytes: Uint8Array, entries: ZipEntry[], label: string, notes: ReaderNote[]): ChartBlock[] {
  const parts = entries
    .filter((e) => /^word\/charts\/chart\d+\.xml$/.test(e.name))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a.name)![1]) - Number(/(\d+)\.xml$/.exec(b.name)![1]));
  const out: ChartBlock[] = [];
  for (const part of parts) {
    try {
      const c = chartOf(readZipEntry(bytes, part).toString('utf8'));
      if (c && c.series.length) out.push({ kind: 'chart', title: c.title || part.name, series: c.series, evidence: { file: label, quote: '' } });
    } catch (e) {
      notes.push({ rule: 'reader.chart', severity: 'warning', message: `chart ${part.name} cannot be read: ${(e as Error).message}`, evidence: [{ file: label, quote: part.name }] });
    }
  }
  return out;
}

export function chartOf(xml: string): { title: string; series: ChartBlock['series'] } | null {
  const $ = cheerio.load(xml, { xml: true });
  const q = (s: string) => s.replace(/:/g, '\\:');
  const title = cleanText(
    $(q('c:chart > c:title'))
      .find(q('a:t'))
      .map((_, t) => $(t).text())
      .get()
      .join(''),
  );
  const pts = (el: ReturnType<typeof $>): string[] => {
    const cache = el.find(q('c:strCache') + ',' + q('c:numCache') + ',' + q('c:lvl')).first();
    const byIdx: string[] = [];
    cache.children(q('c:pt')).each((_, pt) => {
      const i = Number($(pt).attr('idx') ?? '0');
      if (Number.isInteger(i) && i >= 0 && i < 100000) byIdx[i] = cleanText($(pt).children(q('c:v')).text());
    });
    return Array.from(byIdx, (v) => v ?? '');
  };
  const series: ChartBlock['series'] = [];
  $(q('c:ser')).each((_, ser) => {
    const s = $(ser);
    const name = cleanText(s.children(q('c:tx')).find(q('c:v')).first().text());
    const labels = pts(s.children(q('c:cat') + ',' + q('c:xVal')).first());
    const values = pts(s.children(q('c:val') + ',' + q('c:yVal')).first());
    if (values.length === 0) return;
    series.push({ ...(name ? { name } : {}), labels, values });
  });
  return { title, series };
}


// ---------------------------------------------------------------------------
// List numbering: mammoth renders numbered paragraphs as <li> without their
// numbers (一、 1. （一）), which are what makes a line a heading here. The
// labels are recomputed from numbering.xml in document order and put back.

interface LevelDef {
  start: number;
  fmt: string;
  text: string;
}

const CN_DIGITS = '零一二三四五六七八九';
function chineseCounting(n: number): string {
  if (n <= 0 || n >= 100) return String(n);
  if (n < 10) return CN_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return (tens > 1 ? CN_DIGITS[tens]! : '') + '十' + (ones ? CN_DIGITS[ones]! : '');
}
function roman(n: number): string {
  const table: Array<[number, string]> = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
  let out = '';
  for (const [v, s] of table) while (n >= v) {
    out += s;
    n -= v;
  }
  return out;
}
export function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'chineseLegalSimplified':
    case 'ideographDigital':
      return chineseCounting(n);
    case 'ideographTraditional':
      return '甲乙丙丁戊己庚辛壬癸'[n - 1] ?? String(n);
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : String(n);
    case 'decimalEnclosedParen':
      return `(${n})`;
    case 'decimalZero':
      return n < 10 ? `0${n}` : String(n);
    case 'lowerLetter':
      return String.fromCharCode(96 + (((n - 1) % 26) + 1));
    case 'upperLetter':
      return String.fromCharCode(64 + (((n - 1) % 26) + 1));
    case 'lowerRoman':
      return roman(n);
    case 'upperRoman':
      return roman(n).toUpperCase();
    case 'bullet':
    case 'none':
      return '';
    default:
      return String(n);
  }
}

/** The label of every paragraph mammoth turns into a list item, in document order; null when unsure. */
export function numberingLabels(bytes: Uint8Array, entries: ZipEntry[]): string[] | null {
  const part = (name: string) => entries.find((e) => e.name === name);
  const numPart = part('word/numbering.xml');
  const docPart = part('word/document.xml');
  if (!numPart || !docPart) return null;
  const q = (s: string) => s.replace(/:/g, '\\:');
  const $n = cheerio.load(readZipEntry(bytes, numPart).toString('utf8'), { xml: true });
  const abstract = new Map<string, Map<number, LevelDef>>();
  $n(q('w:abstractNum')).each((_, a) => {
    const levels = new Map<number, LevelDef>();
    $n(a)
      .children(q('w:lvl'))
      .each((_, l) => {
        const lv = Number($n(l).attr('w:ilvl') ?? '0');
        levels.set(lv, {
          start: Number($n(l).children(q('w:start')).attr('w:val') ?? '1'),
          fmt: $n(l).children(q('w:numFmt')).attr('w:val') ?? 'decimal',
          text: $n(l).children(q('w:lvlText')).attr('w:val') ?? '',
        });
      });
    abstract.set($n(a).attr('w:abstractNumId') ?? '', levels);
  });
  const nums = new Map<string, Map<number, LevelDef>>();
  $n(q('w:num')).each((_, num) => {
    const base = abstract.get($n(num).children(q('w:abstractNumId')).attr('w:val') ?? '');
    if (!base) return;
    const levels = new Map(base);
    $n(num)
      .children(q('w:lvlOverride'))
      .each((_, o) => {
        const lv = Number($n(o).attr('w:ilvl') ?? '0');
        const start = $n(o).children(q('w:startOverride')).attr('w:val');
        const def = levels.get(lv);
        if (def && start) levels.set(lv, { ...def, start: Number(start) });
      });
    nums.set($n(num).attr('w:numId') ?? '', levels);
  });
  // numbering that paragraph styles carry
  const styleNum = new Map<string, { numId?: string; ilvl?: number }>();
  const stylesPart = part('word/styles.xml');
  if (stylesPart) {
    const $s = cheerio.load(readZipEntry(bytes, stylesPart).toString('utf8'), { xml: true });
    $s(q('w:style')).each((_, st) => {
      const np = $s(st).children(q('w:pPr')).children(q('w:numPr'));
      if (!np.length) return;
      const numId = np.children(q('w:numId')).attr('w:val');
      const ilvl = np.children(q('w:ilvl')).attr('w:val');
      styleNum.set($s(st).attr('w:styleId') ?? '', { ...(numId ? { numId } : {}), ...(ilvl ? { ilvl: Number(ilvl) } : {}) });
    });
  }
  const $d = cheerio.load(readZipEntry(bytes, docPart).toString('utf8'), { xml: true });
  const counters = new Map<string, number[]>();
  const labels: string[] = [];
  $d(q('w:p')).each((_, p) => {
    const ppr = $d(p).children(q('w:pPr'));
    const np = ppr.children(q('w:numPr'));
    const style = styleNum.get(ppr.children(q('w:pStyle')).attr('w:val') ?? '');
    const numId = np.children(q('w:numId')).attr('w:val') ?? style?.numId;
    const ilvlAttr = np.children(q('w:ilvl')).attr('w:val');
    const ilvl = ilvlAttr !== undefined ? Number(ilvlAttr) : (style?.ilvl ?? 0);
    if (!numId || numId === '0') return;
    const levels = nums.get(numId);
    const def = levels?.get(ilvl);
    if (!levels || !def) return;
    const c = counters.get(numId) ?? [];
    for (let k = 0; k <= ilvl; k++) c[k] ??= (levels.get(k)?.start ?? 1) - 1;
    c[ilvl]! += 1;
    c.length = ilvl + 1;
    counters.set(numId, c);
    const label = def.fmt === 'bullet' || def.fmt === 'none' ? '' : def.text.replace(/%(\d)/g, (_, d: string) => formatNumber(c[Number(d) - 1] ?? levels.get(Number(d) - 1)?.start ?? 1, levels.get(Number(d) - 1)?.fmt ?? 'decimal'));
    labels.push(label);
  });
  return labels;
}
