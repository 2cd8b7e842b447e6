/**
 * Discovery on one fetched page (cheerio): its links, resolved against the
 * page's final URL and its <base>, sorted into pagination (more listing
 * pages), detail pages and documents by the source's rules (or by defaults:
 * 下一页/next/page-number links, document extensions, other pages on an
 * allowed host). The page is decoded as the HTML reader decodes it (HTTP
 * charset, <meta>, then UTF-8 or GB18030), so GBK pages work.
 */
import * as cheerio from 'cheerio';
import path from 'node:path';
import { decodeHtml } from '../ingest/html.js';
import { hostAllowed, type SourceConfig } from './config.js';

export type Role = 'listing' | 'detail' | 'document';

export interface FoundLink {
  url: string;
  role: Role;
  text: string;
}

export interface PageFindings {
  links: FoundLink[];
  /** the page itself is the disclosure (no attachments, and it reads like one) */
  pageIsDisclosure: boolean;
  title: string;
  encoding: string;
}

const NOT_PAGES = new Set(['jpg', 'jpeg', 'png', 'gif', 'bmp', 'svg', 'webp', 'ico', 'css', 'js', 'json', 'xml', 'rss', 'zip', 'rar', '7z', 'gz', 'tar', 'mp3', 'mp4', 'avi', 'flv', 'swf', 'exe', 'apk', 'ppt', 'pptx']);
const DISCLOSURE_WORDS = /预算|决算|三公|财政拨款/;

export function extensionOf(u: URL): string {
  let p = u.pathname;
  try {
    p = decodeURIComponent(p);
  } catch {
    // keep it encoded
  }
  return path.posix.extname(p).slice(1).toLowerCase();
}

/** A name a download URL carries in its query (…?filename=x.pdf) when the path does not say. */
function queryExtension(u: URL): string {
  for (const v of u.searchParams.values()) {
    const m = /\.([a-z0-9]{2,5})$/i.exec(v);
    if (m) return m[1]!.toLowerCase();
  }
  return '';
}

export function discover(bytes: Uint8Array, contentType: string | undefined, pageUrl: string, role: 'listing' | 'detail', depth: number, src: SourceConfig): PageFindings {
  const decoded = decodeHtml(bytes, contentType);
  const $ = cheerio.load(decoded.text);
  let base = pageUrl;
  const baseHref = $('base[href]').first().attr('href');
  if (baseHref) {
    try {
      base = new URL(baseHref.trim(), pageUrl).href;
    } catch {
      // ignore a broken <base>
    }
  }
  const title = $('title').first().text().trim();
  const resolve = (href: string | undefined): URL | null => {
    if (!href) return null;
    const h = href.trim();
    if (!h || /^(?:javascript|mailto|tel|data|about|ftp):/i.test(h) || h.startsWith('#')) return null;
    try {
      const u = new URL(h, base);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
      u.hash = '';
      return u;
    } catch {
      return null;
    }
  };
  const self = new URL(pageUrl);
  self.hash = '';

  const out: FoundLink[] = [];
  const seen = new Set<string>([self.href]);
  const add = (u: URL, r: Role, text: string) => {
    if (seen.has(u.href)) return;
    if (!hostAllowed(src.allowHosts, u.host)) return;
    seen.add(u.href);
    out.push({ url: u.href, role: r, text });
  };
  const matches = (el: Parameters<typeof $>[0], u: URL, rule: { selector?: string; pattern?: RegExp; exclude?: RegExp }) => {
    if (rule.exclude?.test(u.href)) return false;
    if (rule.selector && !$(el).is(rule.selector)) return false;
    if (rule.pattern && !rule.pattern.test(u.href)) return false;
    return true;
  };
  const hasRule = (rule: { selector?: string; pattern?: RegExp }) => rule.selector !== undefined || rule.pattern !== undefined;

  const anchors = $('a[href], area[href]').toArray();
  // documents first: a link that is a document is never also a page
  const docExt = new Set(src.documents.extensions);
  const isDoc = (el: (typeof anchors)[number], u: URL, text: string): boolean => {
    if (hasRule(src.documents)) return matches(el, u, src.documents);
    if (src.documents.exclude?.test(u.href)) return false;
    const ext = extensionOf(u);
    if (docExt.has(ext) || docExt.has(queryExtension(u))) return true;
    const t = /\.([a-z0-9]{2,5})\s*$/i.exec(text);
    return !!t && docExt.has(t[1]!.toLowerCase()) && !['html', 'htm', 'shtml', 'jsp', 'php', 'aspx', 'asp'].includes(ext);
  };
  const rest: Array<{ el: (typeof anchors)[number]; u: URL; text: string }> = [];
  for (const el of anchors) {
    const u = resolve($(el).attr('href'));
    if (!u) continue;
    const text = $(el).text().replace(/\s+/g, ' ').trim();
    if (isDoc(el, u, text)) add(u, 'document', text);
    else rest.push({ el, u, text });
  }
  if (role === 'listing') {
    for (const { el, u, text } of rest) {
      const p = src.pagination;
      const isPage = hasRule(p) ? matches(el, u, p) : !p.exclude?.test(u.href) && (p.text.test(text) || /^\d{1,4}$/.test(text) || /\bnext\b/i.test($(el).attr('rel') ?? ''));
      if (isPage && !NOT_PAGES.has(extensionOf(u))) add(u, 'listing', text);
    }
    for (const el of $('link[rel~="next"][href]').toArray()) {
      const u = resolve($(el).attr('href'));
      if (u) add(u, 'listing', 'next');
    }
    for (const u of generatedPages(decoded.text, pageUrl, src)) add(u, 'listing', '');
  }
  if (depth < src.maxDepth) {
    for (const { el, u, text } of rest) {
      if (seen.has(u.href)) continue;
      const ok = hasRule(src.detail) ? matches(el, u, src.detail) : !src.detail.exclude?.test(u.href) && !NOT_PAGES.has(extensionOf(u)) && u.origin + u.pathname !== self.origin + self.pathname;
      if (ok) add(u, 'detail', text);
    }
  }
  let pageIsDisclosure = false;
  if (role === 'detail') {
    if (src.pageAsDocument === 'always') pageIsDisclosure = true;
    else if (src.pageAsDocument === 'auto' && !out.some((l) => l.role === 'document')) {
      $('script, style, noscript').remove();
      const text = $('body').text().replace(/\s+/g, '');
      pageIsDisclosure = text.length >= 200 && DISCLOSURE_WORDS.test(text);
    }
  }
  return { links: out, pageIsDisclosure, title, encoding: decoded.encoding };
}

/**
 * Pagination that is not in the links: a template from the configuration
 * (`list_{n}.html`), or the pager script many government portals print
 * (`createPageHTML(total, current, "index", "html")` → index_1.html …).
 */
function generatedPages(html: string, pageUrl: string, src: SourceConfig): URL[] {
  const out: URL[] = [];
  const p = src.pagination;
  if (p.template) {
    const to = p.to ?? p.from + src.maxPages - 1;
    for (let n = p.from; n <= to && out.length < src.maxPages; n++) {
      try {
        out.push(new URL(p.template.replaceAll('{n}', String(n)), pageUrl));
      } catch {
        break;
      }
    }
  }
  const m = /createPageHTML\(\s*['"]?(\d+)['"]?\s*,\s*['"]?(\d+)['"]?\s*,\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]/.exec(html);
  if (m) {
    const total = Math.min(Number(m[1]), src.maxPages);
    for (let n = 1; n < total; n++) out.push(new URL(`${m[3]}_${n}.${m[4]}`, pageUrl));
  }
  return out;
}
