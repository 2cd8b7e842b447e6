/**
 * A small disclosure portal on 127.0.0.1 for the crawler tests, built from
 * corpus documents at test time: GBK listing pages with pagination, detail
 * pages with relative links and <base>, a narrative + tables pair, a redirect,
 * a 404, a 500 that succeeds on retry, a slow response, an oversized file and
 * an HTML error page served as .pdf. Every request is recorded.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeGbk } from '../scripts/gbk.js';
import { corpus } from './helpers.js';

/** GBK bytes of a string (every character must exist in GBK). */
export function gbk(s: string): Buffer {
  return encodeGbk(s, 'throw');
}

export interface Seen {
  method: string;
  path: string;
  status: number;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  userAgent?: string;
}

interface Resource {
  body: Buffer | (() => Buffer);
  type: string;
  etag?: boolean;
  /** serve this status instead (404 …) */
  status?: number;
  redirect?: string;
  /** ms before answering */
  delay?: number;
  /** answer 500 (Retry-After: 0) this many times first */
  failFirst?: number;
  /** stream the body without a Content-Length */
  chunked?: boolean;
}

const LAST_MODIFIED = Date.parse('2024-10-01T08:00:00Z');

export const PORTAL_FILES = {
  narrative: 'js-rdbgt-2019-bmys.pdf',
  tables: 'js-rdbgt-2019-bmys-tables.pdf',
  docx: 'sichuan-zwfw-2020-js.docx',
  xls: 'putuo-template-2026-dwys.xls',
  slow: 'putuo-sfj-2026-bmys.pdf',
  page: 'cq-jtw-2018-bmys.html',
} as const;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The sha256 each stored disclosure must have: one file's hash, or the hash of the sorted file hashes. */
export function expectedDocumentHashes(): string[] {
  const f = (n: string) => sha(readFileSync(corpus(n)));
  const pair = createHash('sha256').update([f(PORTAL_FILES.narrative), f(PORTAL_FILES.tables)].sort().join('\n')).digest('hex');
  return [pair, f(PORTAL_FILES.docx), f(PORTAL_FILES.xls), f(PORTAL_FILES.slow), f(PORTAL_FILES.page)].sort();
}

function page(title: string, body: string, charset = 'gbk'): string {
  return `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}"><title>${title}</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/private/admin.html">管理</a></div>
<div class="main">${body}</div>
<div class="footer">版权所有 测试门户</div></body></html>`;
}

export class Portal {
  server: http.Server;
  seen: Seen[] = [];
  resources = new Map<string, Resource>();
  private failed = new Map<string, number>();
  base = '';

  constructor() {
    this.build();
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** forget requests and the 500-once state (for a run that must behave as the first) */
  reset(): void {
    this.seen = [];
    this.failed.clear();
  }

  requestsFor(path: string): Seen[] {
    return this.seen.filter((s) => s.path === path);
  }

  build(): void {
    const file = (n: string) => readFileSync(corpus(n));
    const r = this.resources;
    r.clear();
    r.set('/', { type: 'text/html; charset=utf-8', body: Buffer.from(page('测试门户', '<a href="/list.html">预决算公开</a>', 'utf-8')) });
    r.set('/robots.txt', { body: Buffer.from('User-agent: *\nDisallow: /private/\n'), type: 'text/plain' });
    // listing pages in GBK, declared only in <meta> (the header says text/html without a charset)
    r.set('/list.html', {
      type: 'text/html',
      body: gbk(
        page(
          '部门预算公开 第1页',
          `<ul class="list">
  <li><a href="detail/a.html">江苏省人大常委会办公厅2019年部门预算</a></li>
  <li><a href="detail/b.html">四川省政务服务中心2020年部门决算</a></li>
  <li><a href="./detail/c.html">单位预算（表格）</a></li>
</ul>
<div class="pager"><span>1</span> <a href="list_2.html">2</a> <a href="list_2.html">下一页</a></div>`,
        ),
      ),
    });
    r.set('/list_2.html', {
      type: 'text/html',
      body: gbk(
        page(
          '部门预算公开 第2页',
          `<ul class="list">
  <li><a href="/detail/d.html">上海市普陀区司法局2026年部门预算</a></li>
  <li><a href="detail/e.html#top">重庆市交通委员会2018年部门预算</a></li>
  <li><a href="detail/f.html">附件下载</a></li>
</ul>
<div class="pager"><a href="list.html">上一页</a> <a href="list.html">1</a> <span>2</span></div>`,
        ),
      ),
    });
    r.set('/detail/a.html', {
      type: 'text/html; charset=gbk',
      body: gbk(
        page(
          '江苏省人大常委会办公厅2019年部门预算',
          `<base href="/files/js/2019/">
<p>江苏省人大常委会办公厅2019年部门预算公开。</p>
<p>附件：<a href="js-rdbgt-2019-bmys.pdf">部门预算公开（文字）.pdf</a></p>
<p>附件：<a href="../2019/js-rdbgt-2019-bmys-tables.pdf">部门预算公开表.pdf</a></p>`,
        ),
      ),
    });
    r.set('/detail/b.html', { type: 'text/html', body: Buffer.from(page('部门决算', '<p>附件：<a href="../dl/old-sichuan.docx">2020年部门决算.docx</a></p>', 'utf-8')) });
    r.set('/detail/c.html', { type: 'text/html', body: gbk(page('单位预算', '<p>附件：<a href="/files/flaky/dwys.xls">单位预算表.xls</a></p>')) });
    r.set('/detail/d.html', { type: 'text/html', body: gbk(page('司法局预算', '<p>附件：<a href="../files/slow/sfj-2026.pdf">2026年部门预算.pdf</a></p>')) });
    r.set('/detail/e.html', { type: 'text/html; charset=utf-8', body: file(PORTAL_FILES.page) });
    r.set('/detail/f.html', {
      type: 'text/html',
      body: gbk(
        page(
          '附件',
          `<p><a href="../files/missing.pdf">缺失.pdf</a></p>
<p><a href="../files/huge.pdf">超大.pdf</a></p>
<p><a href="../files/error.pdf">出错.pdf</a></p>`,
        ),
      ),
    });
    r.set('/files/js/2019/js-rdbgt-2019-bmys.pdf', { type: 'application/pdf', etag: true, body: file(PORTAL_FILES.narrative) });
    r.set('/files/js/2019/js-rdbgt-2019-bmys-tables.pdf', { type: 'application/pdf', etag: true, body: file(PORTAL_FILES.tables) });
    r.set('/dl/old-sichuan.docx', { type: 'text/html', body: Buffer.alloc(0), redirect: '/files/sichuan.docx' });
    r.set('/files/sichuan.docx', { type: 'application/octet-stream', etag: true, body: file(PORTAL_FILES.docx) });
    r.set('/files/flaky/dwys.xls', { type: 'application/vnd.ms-excel', etag: true, failFirst: 1, body: file(PORTAL_FILES.xls) });
    r.set('/files/slow/sfj-2026.pdf', { type: 'application/pdf', etag: true, delay: 600, body: file(PORTAL_FILES.slow) });
    r.set('/files/huge.pdf', { type: 'application/pdf', chunked: true, body: () => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3 * 1024 * 1024, 0x20)]) });
    r.set('/files/error.pdf', { type: 'application/pdf', body: Buffer.from('<html><head><title>系统繁忙，请稍后再试</title></head><body>系统繁忙</body></html>') });
    r.set('/private/admin.html', { type: 'text/html', body: Buffer.from(page('admin', 'secret', 'utf-8')) });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const rec: Seen = { method: req.method ?? 'GET', path, status: 0 };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if (typeof inm === 'string') rec.ifNoneMatch = inm;
    if (typeof ims === 'string') rec.ifModifiedSince = ims;
    if (typeof req.headers['user-agent'] === 'string') rec.userAgent = req.headers['user-agent'];
    this.seen.push(rec);
    const send = (status: number, headers: Record<string, string | number>, body?: Buffer) => {
      rec.status = status;
      res.writeHead(status, headers);
      res.end(body);
    };
    const r = this.resources.get(path);
    if (!r || r.status === 404) return send(404, { 'content-type': 'text/html; charset=utf-8' }, Buffer.from('<html><title>404 Not Found</title></html>'));
    if (r.delay) await new Promise((ok) => setTimeout(ok, r.delay));
    if (r.failFirst && (this.failed.get(path) ?? 0) < r.failFirst) {
      this.failed.set(path, (this.failed.get(path) ?? 0) + 1);
      return send(500, { 'content-type': 'text/html', 'retry-after': '0' }, Buffer.from('<html><title>500</title></html>'));
    }
    if (r.redirect) return send(302, { location: r.redirect });
    const body = typeof r.body === 'function' ? r.body() : r.body;
    const etag = r.etag ? `"${sha(body).slice(0, 16)}"` : undefined;
    // a date that changes with the content, as a static file server's would
    const lastModified = new Date(LAST_MODIFIED + (parseInt(sha(body).slice(0, 6), 16) % 1_000_000) * 1000).toUTCString();
    const headers: Record<string, string | number> = { 'content-type': r.type, 'last-modified': lastModified };
    if (etag) headers['etag'] = etag;
    if (etag ? inm === etag : ims === lastModified) return send(304, headers);
    if (r.chunked) {
      rec.status = 200;
      res.writeHead(200, headers);
      for (let i = 0; i < body.length && !res.destroyed; i += 64 * 1024) {
        if (!res.write(body.subarray(i, i + 64 * 1024))) await new Promise((ok) => res.once('drain', ok));
      }
      res.end();
      return;
    }
    send(200, { ...headers, 'content-length': body.length }, body);
  }
}

export function portalConfig(base: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      userAgent: 'disclosures-crawler/0.1 (test suite)',
      fetch: { timeoutMs: 3000, retries: 2, backoffMs: 5, maxBytes: 2_000_000, maxRedirects: 3 },
      politeness: { concurrency: 4, delayMs: 0 },
      sources: [{ name: 'portal', start: [`${base}/list.html`], hints: { region: 'test' } }],
      ...extra,
    },
    null,
    2,
  );
}
