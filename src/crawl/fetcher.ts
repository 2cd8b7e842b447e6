/**
 * Polite HTTP: Node's fetch with a timeout per attempt (headers and body),
 * redirects followed by hand (bounded, robots.txt checked at every hop),
 * retries with exponential backoff on timeouts, network errors, 429 and 5xx
 * (Retry-After honoured up to a cap), a size limit enforced while reading,
 * conditional requests, a descriptive User-Agent, and per-host concurrency
 * (p-limit) with a minimum delay between requests to one host.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FetchConfig } from './config.js';
import { ALLOW_ALL, DISALLOW_ALL, parseRobots, type Robots } from './robots.js';

export interface FetchRequest {
  url: string;
  etag?: string | null | undefined;
  lastModified?: string | null | undefined;
}

export interface FetchResult {
  url: string;
  finalUrl: string;
  /** last HTTP status seen (undefined: no response) */
  status?: number;
  outcome: 'fetched' | 'not-modified' | 'failed' | 'blocked';
  body?: Buffer;
  etag?: string;
  lastModified?: string;
  contentType?: string;
  attempts: number;
  error?: string;
  /** the failure may pass on a later run (network, timeout, 5xx, 429) */
  transient?: boolean;
}

export interface FetcherOptions {
  fetch: FetchConfig;
  userAgent: string;
  robots: boolean;
  politeness: (host: string) => { concurrency: number; delayMs: number };
  /** called for every HTTP request made (for logs and tests) */
  onRequest?: (url: string, attempt: number) => void;
}

class Gate {
  private limits = new Map<string, { limit: LimitFunction; next: number; delayMs: number }>();
  constructor(private politeness: (host: string) => { concurrency: number; delayMs: number }) {}
  /** run fn under the host's concurrency limit, at least delayMs after the previous request to the host started */
  run<T>(host: string, fn: () => Promise<T>, extraDelayMs = 0): Promise<T> {
    let g = this.limits.get(host);
    if (!g) {
      const p = this.politeness(host);
      g = { limit: pLimit(p.concurrency), next: 0, delayMs: p.delayMs };
      this.limits.set(host, g);
    }
    const gate = g;
    return gate.limit(async () => {
      const delay = Math.max(gate.delayMs, extraDelayMs);
      const now = Date.now();
      const at = Math.max(now, gate.next);
      gate.next = at + delay;
      if (at > now) await sleep(at - now);
      return fn();
    });
  }
}

class HttpFailure extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class Fetcher {
  private gate: Gate;
  private robotsCache = new Map<string, Promise<Robots & { unreachable?: string }>>();
  readonly requests: string[] = [];

  constructor(private opts: FetcherOptions) {
    this.gate = new Gate(opts.politeness);
  }

  private product(): string {
    return this.opts.userAgent.split('/')[0]!.trim() || 'disclosures-crawler';
  }

  /**
   * robots.txt of the URL's origin, fetched once per run. 4xx: allow all;
   * unreachable (5xx, network): nothing may be fetched (RFC 9309), reported
   * as a transient failure of each URL on that host.
   */
  robotsFor(url: URL): Promise<Robots & { unreachable?: string }> {
    if (!this.opts.robots) return Promise.resolve(ALLOW_ALL);
    let r = this.robotsCache.get(url.origin);
    if (!r) {
      r = (async () => {
        const res = await this.get({ url: new URL('/robots.txt', url.origin).href }, { robots: false, maxBytes: 512 * 1024 });
        if (res.outcome === 'fetched' && res.body) return parseRobots(res.body.toString('utf8'), this.product());
        if (res.status !== undefined && res.status >= 400 && res.status < 500) return ALLOW_ALL;
        return { ...DISALLOW_ALL, unreachable: `robots.txt of ${url.origin} cannot be fetched: ${res.error ?? 'error'}` };
      })();
      this.robotsCache.set(url.origin, r);
    }
    return r;
  }

  async get(req: FetchRequest, o: { robots?: boolean; maxBytes?: number } = {}): Promise<FetchResult> {
    const cfg = this.opts.fetch;
    const maxBytes = o.maxBytes ?? cfg.maxBytes;
    const checkRobots = o.robots ?? true;
    let url = req.url;
    let attempts = 0;
    let lastStatus: number | undefined;
    for (let hop = 0; ; hop++) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return { url: req.url, finalUrl: url, outcome: 'failed', attempts, error: `bad URL ${url}` };
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return { url: req.url, finalUrl: url, outcome: 'failed', attempts, error: `not an http(s) URL: ${url}` };
      let crawlDelayMs = 0;
      if (checkRobots) {
        const robots = await this.robotsFor(u);
        if (robots.unreachable) return { url: req.url, finalUrl: url, outcome: 'failed', attempts, error: robots.unreachable, transient: true };
        if (!robots.allowed(u.pathname + u.search)) {
          return { url: req.url, finalUrl: url, outcome: 'blocked', attempts, error: `disallowed by ${u.origin}/robots.txt` };
        }
        crawlDelayMs = Math.min(robots.crawlDelayMs ?? 0, 60_000);
      }
      const headers: Record<string, string> = { 'user-agent': this.opts.userAgent, accept: '*/*' };
      // the validators are those of the final resource: send them at every hop (a redirector ignores them)
      if (req.etag) headers['if-none-match'] = req.etag;
      if (req.lastModified) headers['if-modified-since'] = req.lastModified;
      for (let attempt = 0; ; attempt++) {
        attempts++;
        try {
          this.opts.onRequest?.(url, attempt);
          const r = await this.gate.run(u.host, () => this.once(url, headers, maxBytes), crawlDelayMs);
          lastStatus = r.status;
          if (REDIRECTS.has(r.status)) {
            const loc = r.location;
            if (!loc) throw new HttpFailure(`HTTP ${r.status} without a Location`, false, r.status);
            if (hop + 1 > cfg.maxRedirects) return { url: req.url, finalUrl: url, status: r.status, outcome: 'failed', attempts, error: `too many redirects (more than ${cfg.maxRedirects})` };
            url = new URL(loc, url).href;
            break; // next hop
          }
          const base = { url: req.url, finalUrl: url, status: r.status, attempts, ...(r.etag ? { etag: r.etag } : {}), ...(r.lastModified ? { lastModified: r.lastModified } : {}), ...(r.contentType ? { contentType: r.contentType } : {}) };
          if (r.status === 304) return { ...base, outcome: 'not-modified' };
          return { ...base, outcome: 'fetched', body: r.body! };
        } catch (e) {
          const f = e instanceof HttpFailure ? e : new HttpFailure((e as Error).message, true);
          if (f.status !== undefined) lastStatus = f.status;
          const more = f.transient && attempt < cfg.retries;
          const wait = f.retryAfterMs ?? Math.round(cfg.backoffMs * 2 ** attempt * (1 + Math.random() * 0.25));
          if (!more || wait > cfg.maxRetryAfterMs) {
            const tail = f.transient && attempts > 1 ? ` (after ${attempts} attempts)` : '';
            const extra = wait > cfg.maxRetryAfterMs && more ? ` (the server asks to retry after ${Math.round(wait / 1000)} s)` : '';
            return { url: req.url, finalUrl: url, ...(lastStatus !== undefined ? { status: lastStatus } : {}), outcome: 'failed', attempts, error: f.message + tail + extra, transient: f.transient };
          }
          await sleep(wait);
        }
      }
    }
  }

  private async once(url: string, headers: Record<string, string>, maxBytes: number) {
    const ctl = new AbortController();
    const timeoutMs = this.opts.fetch.timeoutMs;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, timeoutMs);
    this.requests.push(url);
    try {
      let res: Response;
      try {
        res = await fetch(url, { headers, redirect: 'manual', signal: ctl.signal });
      } catch (e) {
        throw new HttpFailure(timedOut ? `timed out after ${timeoutMs} ms` : `network error: ${netReason(e)}`, true);
      }
      const h = res.headers;
      const meta = {
        status: res.status,
        location: h.get('location') ?? undefined,
        etag: h.get('etag') ?? undefined,
        lastModified: h.get('last-modified') ?? undefined,
        contentType: h.get('content-type') ?? undefined,
      };
      if (REDIRECTS.has(res.status) || res.status === 304) {
        await res.body?.cancel().catch(() => {});
        return { ...meta, body: undefined };
      }
      if (res.status >= 400 || res.status < 200) {
        await res.body?.cancel().catch(() => {});
        const transient = res.status >= 500 || res.status === 429 || res.status === 408;
        throw new HttpFailure(`HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`, transient, res.status, retryAfter(h.get('retry-after')));
      }
      const declared = Number(h.get('content-length'));
      if (Number.isFinite(declared) && declared > maxBytes) {
        await res.body?.cancel().catch(() => {});
        throw new HttpFailure(`too large: ${declared} bytes (the limit is ${maxBytes})`, false, res.status);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      try {
        if (res.body) {
          const reader = res.body.getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            total += value.byteLength;
            if (total > maxBytes) {
              await reader.cancel().catch(() => {});
              throw new HttpFailure(`too large: more than ${maxBytes} bytes`, false, res.status);
            }
            chunks.push(Buffer.from(value));
          }
        }
      } catch (e) {
        if (e instanceof HttpFailure) throw e;
        throw new HttpFailure(timedOut ? `timed out after ${timeoutMs} ms while reading the body` : `network error while reading the body: ${netReason(e)}`, true, res.status);
      }
      return { ...meta, body: Buffer.concat(chunks, total) };
    } finally {
      clearTimeout(timer);
    }
  }
}

function netReason(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

/** Retry-After: delta-seconds or an HTTP date → milliseconds from now. */
export function retryAfter(v: string | null): number | undefined {
  if (!v) return undefined;
  if (/^\s*\d+\s*$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}
