/**
 * The crawler's parts on their own: configuration errors with lines, robots.txt,
 * discovery (GBK, <base>, pagination), the fetcher's timeouts, retries,
 * redirects, size limit and per-host delay, the lock. Only 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adHocConfig, ConfigError, DEFAULT_FETCH, parseConfig } from '../src/crawl/config.js';
import { writeRaw } from '../src/crawl/crawler.js';
import { discover } from '../src/crawl/discover.js';
import { Fetcher } from '../src/crawl/fetcher.js';
import { acquireLock, LockHeldError } from '../src/crawl/lock.js';
import { parseRobots } from '../src/crawl/robots.js';
import { gbk } from './crawl-portal.js';

describe('configuration', () => {
  const ok = { sources: [{ name: 'js', start: ['http://127.0.0.1/list.html'] }] };
  it('fills in defaults', () => {
    const c = parseConfig(JSON.stringify(ok), 'a.json');
    expect(c.robots).toBe(true);
    expect(c.fetch).toEqual(DEFAULT_FETCH);
    expect(c.sources[0]).toMatchObject({ name: 'js', allowHosts: ['127.0.0.1'], maxDepth: 1, maxPages: 50, pageAsDocument: 'auto' });
    expect(c.userAgent).toMatch(/^disclosures-crawler\/[\d.]+ \(.*\+https?:\/\//);
  });
  it('names the line of each error', () => {
    const text = `{
  // sources of the nightly job
  "politeness": { "delayMs": -5 },
  "sources": [
    {
      "name": "js",
      "start": ["http://127.0.0.1/list.html"],
      "documents": { "pattern": "(" },
      "hints": { "kind": "budgett" }
    }
  ]
}`;
    let err: Error | undefined;
    try {
      parseConfig(text, 'sources.json');
    } catch (e) {
      err = e as Error;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const lines = err!.message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^sources\.json:3: politeness\.delayMs: /);
    expect(lines[1]).toMatch(/^sources\.json:8: sources\.0\.documents\.pattern: not a valid regular expression/);
    expect(lines[2]).toMatch(/^sources\.json:9: sources\.0\.hints\.kind: /);
  });
  it('names the line and column of a syntax error', () => {
    expect(() => parseConfig('{\n  "sources": [\n    { "name": "x", }\n  ]\n}', 'b.json')).toThrow(/^b\.json:3:20: expected a "quoted" key|^b\.json:3:\d+: trailing comma/);
    expect(() => parseConfig('{"sources": []}', 'c.json')).toThrow(/^c\.json:1: sources: /);
    expect(() => parseConfig('', 'd.yaml')).toThrow(/YAML is not read/);
  });
});

describe('robots.txt', () => {
  const r = parseRobots(
    `# comment
User-agent: *
Disallow: /private/
Allow: /private/open/
Disallow: /*.php$

User-agent: disclosures-crawler
User-agent: other
Disallow: /nothing-for-us/
Crawl-delay: 2
`,
    'disclosures-crawler',
  );
  it('uses the group naming us, longest match wins', () => {
    expect(r.allowed('/private/x.html')).toBe(true); // our group does not disallow /private/
    expect(r.allowed('/nothing-for-us/a.pdf')).toBe(false);
    expect(r.crawlDelayMs).toBe(2000);
    const star = parseRobots('User-agent: *\nDisallow: /private/\nAllow: /private/open/\nDisallow: /*.php$\n', 'disclosures-crawler');
    expect(star.allowed('/private/x.html')).toBe(false);
    expect(star.allowed('/private/open/x.pdf')).toBe(true);
    expect(star.allowed('/a/b.php')).toBe(false);
    expect(star.allowed('/a/b.php?x=1')).toBe(true);
    expect(parseRobots('User-agent: *\nDisallow:\n', 'x').allowed('/any')).toBe(true);
  });
});

describe('discovery', () => {
  const src = adHocConfig(['http://127.0.0.1/news/list.html'], [], 1).sources[0]!;
  it('reads a GBK page declared in <meta>, resolves links against <base>, sorts them into roles', () => {
    const html = gbk(`<html><head><meta charset="gb2312"><title>预算公开</title><base href="http://127.0.0.1/files/"></head><body>
<a href="a.pdf">部门预算.pdf</a> <a href="../news/d1.html">2019年部门预算</a> <a href="list_1.html">下一页</a> <a href="3">3</a>
<a href="download.jsp?id=7&amp;filename=%E8%A1%A8.xlsx">表格</a> <a href="javascript:void(0)">打印</a> <a href="mailto:a@b">信箱</a>
<a href="http://elsewhere.example/x.pdf">外站</a> <a href="logo.png">图</a> <a href="a.pdf#page=2">again</a></body></html>`);
    const f = discover(html, 'text/html', 'http://127.0.0.1/news/list.html', 'listing', 0, src);
    expect(f.title).toBe('预算公开');
    expect(f.encoding).toBe('gbk');
    expect(f.links).toEqual([
      { url: 'http://127.0.0.1/files/a.pdf', role: 'document', text: '部门预算.pdf' },
      { url: 'http://127.0.0.1/files/download.jsp?id=7&filename=%E8%A1%A8.xlsx', role: 'document', text: '表格' },
      { url: 'http://127.0.0.1/files/list_1.html', role: 'listing', text: '下一页' },
      { url: 'http://127.0.0.1/files/3', role: 'listing', text: '3' },
      { url: 'http://127.0.0.1/news/d1.html', role: 'detail', text: '2019年部门预算' },
    ]);
  });
  it('follows the pager script of government portals and pagination templates, within maxPages', () => {
    const html = Buffer.from('<html><body><ul><li><a href="./t1.html">x</a></li></ul><script>createPageHTML(4, 0, "index", "shtml");</script></body></html>');
    const f = discover(html, undefined, 'http://127.0.0.1/yjsgk/index.shtml', 'listing', 0, src);
    expect(f.links.filter((l) => l.role === 'listing').map((l) => l.url)).toEqual(['http://127.0.0.1/yjsgk/index_1.shtml', 'http://127.0.0.1/yjsgk/index_2.shtml', 'http://127.0.0.1/yjsgk/index_3.shtml']);
    const t = { ...src, maxPages: 2, pagination: { ...src.pagination, template: 'list_{n}.html', from: 2 } };
    expect(discover(Buffer.from('<html></html>'), undefined, 'http://127.0.0.1/a/list.html', 'listing', 0, t).links.map((l) => l.url)).toEqual(['http://127.0.0.1/a/list_2.html', 'http://127.0.0.1/a/list_3.html']);
  });
  it('a detail page without attachments that reads like a disclosure is the disclosure', () => {
    const body = `<html><body><h1>2018年部门预算情况说明</h1><p>${'一般公共预算财政拨款支出预算'.repeat(20)}</p></body></html>`;
    expect(discover(Buffer.from(body), undefined, 'http://127.0.0.1/d.html', 'detail', 1, src).pageIsDisclosure).toBe(true);
    expect(discover(Buffer.from(body.replace('</p>', '<a href="x.pdf">附件</a></p>')), undefined, 'http://127.0.0.1/d.html', 'detail', 1, src).pageIsDisclosure).toBe(false);
  });
});

describe('fetcher', () => {
  let server: http.Server;
  let base = '';
  const hits = new Map<string, number[]>();
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const p = req.url ?? '/';
      const times = hits.get(p) ?? [];
      times.push(Date.now());
      hits.set(p, times);
      if (p === '/robots.txt') return res.writeHead(404).end();
      if (p === '/hang') return void setTimeout(() => res.end('late'), 1000);
      if (p === '/busy') {
        if (times.length === 1) return res.writeHead(503, { 'retry-after': '1' }).end();
        return res.end('ok now');
      }
      if (p === '/loop') return res.writeHead(301, { location: '/loop' }).end();
      if (p === '/big') return res.writeHead(200, { 'content-length': 5000 }).end(Buffer.alloc(5000));
      if (p === '/gone') return res.writeHead(410).end();
      if (p.startsWith('/spaced')) return res.end('x');
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const make = (over: Partial<typeof DEFAULT_FETCH> = {}, delayMs = 0) =>
    new Fetcher({ fetch: { ...DEFAULT_FETCH, backoffMs: 10, ...over }, userAgent: 'disclosures-crawler/0 (test)', robots: true, politeness: () => ({ concurrency: 2, delayMs }) });

  it('times out, retries, then fails naming the timeout (a transient failure)', async () => {
    const r = await make({ timeoutMs: 150, retries: 1 }).get({ url: `${base}/hang` });
    expect(r).toMatchObject({ outcome: 'failed', attempts: 2, transient: true });
    expect(r.error).toMatch(/timed out after 150 ms \(after 2 attempts\)/);
  });
  it('honours Retry-After on a 503', async () => {
    const t = Date.now();
    const r = await make({ retries: 2 }).get({ url: `${base}/busy` });
    expect(r).toMatchObject({ outcome: 'fetched', status: 200, attempts: 2 });
    expect(Date.now() - t).toBeGreaterThanOrEqual(950);
    expect(await make({ retries: 2, maxRetryAfterMs: 100 }).get({ url: `${base}/busy` })).toMatchObject({ outcome: 'fetched' }); // second hit succeeds at once
  });
  it('bounds redirects, refuses oversized bodies, does not retry a 410', async () => {
    expect(await make({ maxRedirects: 3 }).get({ url: `${base}/loop` })).toMatchObject({ outcome: 'failed', error: 'too many redirects (more than 3)' });
    expect(await make({ maxBytes: 1000 }).get({ url: `${base}/big` })).toMatchObject({ outcome: 'failed', error: 'too large: 5000 bytes (the limit is 1000)', transient: false });
    expect(await make().get({ url: `${base}/gone` })).toMatchObject({ outcome: 'failed', status: 410, attempts: 1, transient: false });
  });
  it('keeps the delay between requests to one host', async () => {
    const f = make({}, 120);
    await Promise.all([1, 2, 3].map((i) => f.get({ url: `${base}/spaced${i}` })));
    const t = [1, 2, 3].map((i) => hits.get(`/spaced${i}`)![0]!).sort((a, b) => a - b);
    // scheduled 120 ms apart; arrival at the server jitters by a few ms (connection set-up)
    expect(t[1]! - t[0]!).toBeGreaterThanOrEqual(90);
    expect(t[2]! - t[1]!).toBeGreaterThanOrEqual(90);
    expect(t[2]! - t[0]!).toBeGreaterThanOrEqual(220);
  });
});

describe('lock and raw store', () => {
  it('one holder at a time; a dead holder is taken over', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'crawl-lock-'));
    const file = path.join(dir, 'db.sqlite.lock');
    const a = acquireLock(file);
    expect(() => acquireLock(file)).toThrow(LockHeldError);
    a.release();
    // the pid of a process that has exited
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(file, JSON.stringify({ pid: Number(dead), host: hostname(), started: '2020-01-01T00:00:00Z' }));
    const b = acquireLock(file);
    expect(b.tookOver).toMatchObject({ pid: Number(dead) });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
    b.release();
  });
  it('raw files are content-addressed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'crawl-raw-'));
    const w = writeRaw(dir, Buffer.from('%PDF-1.4 x'), 'pdf');
    expect(path.relative(dir, w.file)).toBe(path.join(w.sha.slice(0, 2), `${w.sha}.pdf`));
    expect(writeRaw(dir, Buffer.from('%PDF-1.4 x'), 'pdf').file).toBe(w.file);
  });
});
