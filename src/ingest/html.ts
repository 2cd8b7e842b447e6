/**
 * HTML pages → Document. Encoding from the BOM, an HTTP Content-Type the
 * caller knows, or the page's own declaration (`<meta charset>`, http-equiv,
 * a JSP page directive), mapped by WHATWG labels (gb2312 → the GBK decoder);
 * with none, UTF-8 if it decodes strictly, else GB18030. Template source (JSP
 * directives and scriptlets, JSTL/FreeMarker tags, `${…}`) and Word-HTML
 * residue (`<o:p>`, conditional comments) are removed, portal chrome
 * (scripts, styles, nav, breadcrumbs, share buttons, headers and footers) is
 * dropped, and the main content is the smallest element holding most of the
 * page's non-link text, widened while its parents add little beyond a title.
 * Images in the content that look like published tables become
 * `reader.image_table` findings: no data can be read from them.
 */
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { Document, ReaderNote } from '../model.js';
import { IngestError } from './errors.js';
import { blocksFromItems, htmlItems } from './html-blocks.js';

export interface HtmlOptions {
  /** the extension the file was named with (to say what a mislabelled file really is) */
  namedAs?: string;
  /** an HTTP Content-Type header, when the caller fetched the page */
  contentType?: string;
}

export interface DecodedHtml {
  text: string;
  encoding: string;
  /** where the encoding came from */
  via: 'bom' | 'http' | 'meta' | 'detected';
}

function labelOf(s: string | undefined): string | undefined {
  if (!s) return undefined;
  try {
    return new TextDecoder(s.trim().toLowerCase()).encoding;
  } catch {
    return undefined;
  }
}

/** The charset a page declares in its first bytes (meta charset, http-equiv content, JSP directive, XML declaration). */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 8192))).toString('latin1');
  const patterns = [
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i,
    /<%@\s*page[^%]*?(?:pageEncoding\s*=\s*["']([\w.:-]+)|charset\s*=\s*([\w.:-]+))/i,
    /^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i,
  ];
  for (const re of patterns) {
    const m = re.exec(head);
    const v = m?.slice(1).find((x) => x);
    if (v) return v;
  }
  return undefined;
}

export function decodeHtml(bytes: Uint8Array, contentType?: string): DecodedHtml {
  const b = bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(b.subarray(3)), encoding: 'utf-8', via: 'bom' };
  if (b[0] === 0xff && b[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(b.subarray(2)), encoding: 'utf-16le', via: 'bom' };
  if (b[0] === 0xfe && b[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(b.subarray(2)), encoding: 'utf-16be', via: 'bom' };
  const http = labelOf(/charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1]);
  const meta = labelOf(declaredCharset(b));
  const declared = http ?? meta;
  const via = http ? 'http' : 'meta';
  if (declared && declared !== 'utf-16le' && declared !== 'utf-16be') {
    try {
      return { text: new TextDecoder(declared, { fatal: true }).decode(b), encoding: declared, via };
    } catch {
      // a page that says UTF-8 but is GBK (or the reverse) is common: try the other before decoding loosely
      const other = declared === 'utf-8' ? 'gb18030' : 'utf-8';
      try {
        return { text: new TextDecoder(other, { fatal: true }).decode(b), encoding: other, via: 'detected' };
      } catch {
        return { text: new TextDecoder(declared).decode(b), encoding: declared, via };
      }
    }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(b), encoding: 'utf-8', via: 'detected' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(b), encoding: 'gb18030', via: 'detected' };
  }
}

/** Server-side template source and Word-HTML residue, removed before parsing. */
export function stripTemplates(html: string): string {
  return (
    html
      // JSP / ASP: comments, directives, scriptlets, expressions
      .replace(/<%--[\s\S]*?--%>/g, '')
      .replace(/<%[\s\S]*?%>/g, '')
      // JSTL and other tag libraries (`<c:forEach>`, `<fmt:…>`, `<s:…>`), FreeMarker (`<#if>`, `<@macro>`)
      .replace(/<\/?(?:c|fmt|fn|s|sx|spring|form|tiles|jsp|shiro|sec|cms):[\w-]+\b[^>]*>/gi, '')
      .replace(/<\/?[#@][\w.]+\b[^>]*>/g, '')
      // Word HTML: <o:p>, VML and Office namespaces, downlevel-revealed conditionals (keep their content)
      .replace(/<\/?(?:o|v|w|m|st\d):[\w-]+\b[^>]*>/gi, '')
      .replace(/<!\[(?:if|endif)[^\]]*\]>/gi, '')
      // EL expressions, Thymeleaf/Vue mustaches
      .replace(/\$\{[^}<>]{0,200}\}/g, '')
      .replace(/\{\{[^}<>]{0,200}\}\}/g, '')
  );
}

const CHROME_WORDS = new Set([
  'nav', 'navbar', 'navigation', 'menu', 'menus', 'breadcrumb', 'breadcrumbs', 'crumb', 'crumbs', 'bread', 'location', 'position', 'share', 'bdshare', 'jiathis', 'social',
  'footer', 'foot', 'header', 'head', 'top', 'topbar', 'sidebar', 'side', 'aside', 'toolbar', 'tools', 'print', 'pagination', 'pager', 'friendlink', 'links', 'search', 'login', 'copyright', 'banner', 'ad', 'ads', 'qrcode', 'ewm', 'fenxiang', 'dayin', 'guanbi',
]);

const ALWAYS_CHROME = new Set(['nav', 'script', 'style', 'noscript', 'iframe', 'form', 'button', 'select', 'input', 'textarea', 'link', 'meta', 'template', 'object', 'embed']);

function isChrome($: CheerioAPI, el: Element): boolean {
  const name = el.name.toLowerCase();
  if (ALWAYS_CHROME.has(name)) return true;
  const style = (el.attribs['style'] ?? '').replace(/\s+/g, '').toLowerCase();
  if (style.includes('display:none') || style.includes('visibility:hidden')) return true;
  const words = `${el.attribs['class'] ?? ''} ${el.attribs['id'] ?? ''}`
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_\-]+/)
    .filter((w) => w);
  if (!(name === 'header' || name === 'footer' || name === 'aside' || words.some((w) => CHROME_WORDS.has(w.replace(/\d+$/, ''))))) return false;
  // a content header holding the title, or a block with much plain text, is not chrome
  if ($(el).find('h1, h2').length > 0) return false;
  const plain = $(el).clone().find('a').remove().end().text();
  return cjkCount(plain) < 300;
}

const CJK = /[\u3400-\u9fff]/g;
const cjkCount = (s: string) => s.match(CJK)?.length ?? 0;

/** Non-link CJK characters under each element (post-order, on an explicit stack: pages nest deeper than the JS stack). */
function textWeights(root: Element): Map<Element, number> {
  const w = new Map<Element, number>();
  if (root.type !== 'tag') return w;
  const stack: Array<{ el: Element; link: boolean; next: number; n: number }> = [{ el: root, link: root.name.toLowerCase() === 'a', next: 0, n: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.el.children.length) {
      const c: AnyNode = top.el.children[top.next++]!;
      if (c.type === 'text') top.n += top.link ? 0 : cjkCount((c as unknown as { data: string }).data);
      else if (c.type === 'tag') stack.push({ el: c as Element, link: top.link || (c as Element).name.toLowerCase() === 'a', next: 0, n: 0 });
      continue;
    }
    stack.pop();
    w.set(top.el, top.n);
    if (stack.length > 0) stack[stack.length - 1]!.n += top.n;
  }
  return w;
}

/** The smallest element holding most of the text, widened while parents add little (a title, a date). */
export function mainContent($: CheerioAPI): Element {
  const body = ($('body')[0] ?? $.root().children('html')[0] ?? $.root()[0]) as Element;
  const weights = textWeights(body);
  const total = weights.get(body) ?? 0;
  if (total === 0) return body;
  let best: Element = body;
  // descend into the child that holds at least 70 % of the text
  for (;;) {
    const kids = best.children.filter((c): c is Element => c.type === 'tag');
    const next = kids.find((k) => (weights.get(k) ?? 0) >= 0.7 * total);
    if (!next) break;
    best = next;
  }
  let cur = best;
  while (cur !== body && cur.parent && cur.parent.type === 'tag') {
    const parent = cur.parent as Element;
    if ((weights.get(parent) ?? 0) > (weights.get(cur) ?? 0) * 1.15 + 40) break;
    cur = parent;
  }
  return cur;
}

/**
 * Parse, drop the chrome, read the main content's blocks. The walks here keep
 * their own stacks, but the parser and DOM helpers recurse (cloning, `.text()`):
 * a page nested deeper than they can take is refused, not thrown as a RangeError.
 */
function pageContent(text: string, label: string): { pageTitle: string } & ReturnType<typeof blocksFromItems> {
  try {
    const $ = cheerio.load(stripTemplates(text));
    const pageTitle = $('title').first().text().replace(/\s+/g, ' ').trim();
    $('*').each((_, el) => {
      if (el.type === 'tag' && el.parent && isChrome($, el)) $(el).remove();
    });
    $('[onclick*="share" i], a[href^="javascript:"]').remove();
    const main = mainContent($);
    const items = htmlItems($, main, { layoutTables: true });
    return { pageTitle, ...blocksFromItems(label, items, { trustHeadingTags: true }) };
  } catch (e) {
    if (e instanceof RangeError) throw new IngestError(label, `HTML page too deeply nested or too large to read (${e.message})`);
    throw e;
  }
}

const NOT_TABLE_IMAGE = /logo|icon|banner|share|qrcode|ewm|erweima|weixin|weibo|wechat|button|btn|arrow|spacer|blank|line|dot|bg|close|print|search|head|foot/i;

export async function htmlDocument(bytes: Uint8Array, label: string, info: { path: string; sha256: string; bytes: number }, opts: HtmlOptions = {}): Promise<Document> {
  const dec = decodeHtml(bytes, opts.contentType);
  const { pageTitle, blocks, images } = pageContent(dec.text, label);

  const notes: ReaderNote[] = [];
  for (const im of images) {
    const big = (im.width === undefined || im.width >= 300) && (im.height === undefined || im.height >= 100);
    if (!big || !im.src || NOT_TABLE_IMAGE.test(im.src.split('/').pop() ?? '')) continue;
    notes.push({
      rule: 'reader.image_table',
      severity: 'warning',
      message: `table published as an image (${im.src}): its figures cannot be read without OCR`,
      evidence: [{ file: label, offset: im.offset, quote: im.alt ? `${im.alt} <img src="${im.src}">` : `<img src="${im.src}">` }],
    });
  }

  const textChars = blocks.reduce((s, b) => s + (b.kind === 'paragraph' || b.kind === 'heading' ? cjkCount(b.text) : 0), 0);
  const named = opts.namedAs ?? '';
  const mislabelled = ['.pdf', '.docx', '.doc', '.xlsx', '.xls'].includes(named);
  const tables = blocks.filter((b) => b.kind === 'table').length;
  if (mislabelled && textChars < 200 && tables === 0) {
    // a download that returned an error or login page instead of the document
    throw new IngestError(label, `named ${named} but is an HTML page${pageTitle ? ` titled "${pageTitle.slice(0, 60)}"` : ''} with no disclosure content (an error or login page saved in place of the document?)`);
  }
  if (blocks.length === 0 && notes.length === 0) {
    throw new IngestError(label, `HTML page${pageTitle ? ` "${pageTitle.slice(0, 60)}"` : ''} without any text content`);
  }
  return { file: { ...info, format: 'html', pages: null, encoding: dec.encoding }, blocks, notes };
}
