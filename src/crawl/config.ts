/**
 * Sources as configuration: JSON (with `//` comments) validated with zod;
 * every error names the line it is on. See docs/crawl.md for the format.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { JsonSyntaxError, lineOf, parseJsonWithLines } from './json-lines.js';

export const DEFAULT_USER_AGENT = 'disclosures-crawler/0.1 (budget disclosure research; +https://github.com/disclosures/disclosures)';

const regex = z.string().refine((s) => {
  try {
    new RegExp(s, 'iu');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

const hostName = z.string().regex(/^(?:\*|\*\.)?[a-z0-9.-]+(?::\d+)?$|^\*$/i, 'a host name such as www.example.gov.cn (optionally :port or *.example.gov.cn)');

const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, 'an absolute http(s) URL');

const Hints = z
  .object({
    kind: z.enum(['final', 'budget']).optional(),
    year: z.number().int().min(1990).max(2100).optional(),
    region: z.string().min(1).optional(),
  })
  .strict();

/** Which links play a role: a CSS selector for the <a> elements, and/or a pattern the absolute URL must match. */
const Rule = z
  .object({
    selector: z.string().min(1).optional(),
    pattern: regex.optional(),
    exclude: regex.optional(),
  })
  .strict();

const Politeness = z
  .object({
    concurrency: z.number().int().min(1).max(16).optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
  })
  .strict();

const Source = z
  .object({
    name: z.string().min(1).regex(/^[\w.-]+$/, 'letters, digits, _ . - only'),
    start: z.array(z.union([httpUrl, z.object({ url: httpUrl, hints: Hints.optional() }).strict()])).min(1),
    allowHosts: z.array(hostName).optional(),
    maxDepth: z.number().int().min(0).max(5).optional(),
    maxPages: z.number().int().min(1).max(10_000).optional(),
    pagination: Rule.extend({ text: regex.optional(), template: z.string().includes('{n}').optional(), from: z.number().int().min(0).optional(), to: z.number().int().min(0).optional() })
      .strict()
      .optional(),
    detail: Rule.optional(),
    documents: Rule.extend({ extensions: z.array(z.string().regex(/^[a-z0-9]+$/i)).min(1).optional() }).strict().optional(),
    pageAsDocument: z.enum(['auto', 'always', 'never']).optional(),
    hints: Hints.optional(),
  })
  .strict();

const Fetch = z
  .object({
    timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
    retries: z.number().int().min(0).max(20).optional(),
    backoffMs: z.number().int().min(0).max(600_000).optional(),
    maxRetryAfterMs: z.number().int().min(0).max(3_600_000).optional(),
    maxBytes: z.number().int().min(1).max(200 * 1024 * 1024).optional(),
    maxRedirects: z.number().int().min(0).max(20).optional(),
  })
  .strict();

export const ConfigSchema = z
  .object({
    userAgent: z.string().min(1).optional(),
    robots: z.boolean().optional(),
    fetch: Fetch.optional(),
    politeness: Politeness.optional(),
    hosts: z.record(hostName, Politeness).optional(),
    sources: z.array(Source).min(1),
  })
  .strict();

export type RawConfig = z.infer<typeof ConfigSchema>;
export type Hints = z.infer<typeof Hints>;

export interface LinkRule {
  selector?: string;
  pattern?: RegExp;
  exclude?: RegExp;
}

export interface SourceConfig {
  name: string;
  start: Array<{ url: string; hints: Hints }>;
  allowHosts: string[];
  maxDepth: number;
  maxPages: number;
  pagination: LinkRule & { text: RegExp; template?: string; from: number; to?: number };
  detail: LinkRule;
  documents: LinkRule & { extensions: string[] };
  pageAsDocument: 'auto' | 'always' | 'never';
  hints: Hints;
}

export interface FetchConfig {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  maxRetryAfterMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export interface CrawlConfig {
  userAgent: string;
  robots: boolean;
  fetch: FetchConfig;
  politeness: { concurrency: number; delayMs: number };
  hosts: Record<string, { concurrency?: number; delayMs?: number }>;
  sources: SourceConfig[];
}

export const DEFAULT_FETCH: FetchConfig = {
  timeoutMs: 30_000,
  retries: 3,
  backoffMs: 2_000,
  maxRetryAfterMs: 120_000,
  maxBytes: 100 * 1024 * 1024,
  maxRedirects: 5,
};

export const DEFAULT_EXTENSIONS = ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'wps', 'et', 'txt'];
export const DEFAULT_PAGINATION_TEXT = /^\s*(?:下一页|下页|后页|下一頁|上一页|上页|前页|尾页|末页|next|prev|previous|last|›|»|‹|«|>|>>|<|<<)\s*$/iu;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const re = (s: string | undefined) => (s === undefined ? undefined : new RegExp(s, 'iu'));

function rule(r: { selector?: string | undefined; pattern?: string | undefined; exclude?: string | undefined } | undefined): LinkRule {
  const out: LinkRule = {};
  if (r?.selector) out.selector = r.selector;
  const p = re(r?.pattern);
  if (p) out.pattern = p;
  const x = re(r?.exclude);
  if (x) out.exclude = x;
  return out;
}

/** Defaults filled in, patterns compiled. */
export function normaliseConfig(raw: RawConfig): CrawlConfig {
  const names = new Set<string>();
  for (const s of raw.sources) {
    if (names.has(s.name)) throw new ConfigError(`source "${s.name}" is given twice`);
    names.add(s.name);
  }
  return {
    userAgent: raw.userAgent ?? DEFAULT_USER_AGENT,
    robots: raw.robots ?? true,
    fetch: { ...DEFAULT_FETCH, ...stripUndefined(raw.fetch ?? {}) },
    politeness: { concurrency: raw.politeness?.concurrency ?? 2, delayMs: raw.politeness?.delayMs ?? 1000 },
    hosts: Object.fromEntries(Object.entries(raw.hosts ?? {}).map(([h, p]) => [h.toLowerCase(), stripUndefined(p)])),
    sources: raw.sources.map((s) => {
      const start = s.start.map((x) => (typeof x === 'string' ? { url: x, hints: {} } : { url: x.url, hints: x.hints ?? {} }));
      const allowHosts = (s.allowHosts ?? [...new Set(start.map((x) => new URL(x.url).host))]).map((h) => h.toLowerCase());
      const pg = s.pagination;
      const pagination: SourceConfig['pagination'] = { ...rule(pg), text: re(pg?.text) ?? DEFAULT_PAGINATION_TEXT, from: pg?.from ?? 1 };
      if (pg?.template) pagination.template = pg.template;
      if (pg?.to !== undefined) pagination.to = pg.to;
      return {
        name: s.name,
        start,
        allowHosts,
        maxDepth: s.maxDepth ?? 1,
        maxPages: s.maxPages ?? 50,
        pagination,
        detail: rule(s.detail),
        documents: { ...rule(s.documents), extensions: (s.documents?.extensions ?? DEFAULT_EXTENSIONS).map((e) => e.toLowerCase()) },
        pageAsDocument: s.pageAsDocument ?? 'auto',
        hints: s.hints ?? {},
      };
    }),
  };
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

/** Parse and validate a configuration text; errors are ConfigError naming the file and line. */
export function parseConfig(text: string, file = 'config'): CrawlConfig {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') throw new ConfigError(`${file}: YAML is not read; write the sources as JSON (see docs/crawl.md)`);
  let loc;
  try {
    loc = parseJsonWithLines(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new ConfigError(`${file}:${e.line}:${e.column}: ${e.message.replace(/^line \d+, column \d+: /, '')}`);
    throw e;
  }
  const r = ConfigSchema.safeParse(loc.value);
  if (!r.success) {
    const msgs = r.error.issues.map((iss) => {
      // an unknown key is reported on its own line
      const l = lineOf(loc, iss.code === 'unrecognized_keys' && iss.keys[0] !== undefined ? [...iss.path, iss.keys[0]] : iss.path);
      const where = iss.path.length ? iss.path.map(String).join('.') : '(top level)';
      return `${file}:${l ?? 1}: ${where}: ${issueText(iss)}`;
    });
    throw new ConfigError(msgs.join('\n'));
  }
  try {
    return normaliseConfig(r.data);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${file}: ${e.message}`);
    throw e;
  }
}

function issueText(iss: z.core.$ZodIssue): string {
  if (iss.code === 'unrecognized_keys') return `unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}`;
  return iss.message;
}

export function loadConfig(file: string): CrawlConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseConfig(text, file);
}

/** The one-off configuration of `crawl --start URL …`. */
export function adHocConfig(starts: string[], allowHosts: string[], maxDepth: number | undefined): CrawlConfig {
  return normaliseConfig(
    ConfigSchema.parse({
      sources: [{ name: 'adhoc', start: starts, ...(allowHosts.length ? { allowHosts } : {}), ...(maxDepth !== undefined ? { maxDepth } : {}) }],
    }),
  );
}

/** Politeness for a host: its own entry, then a `*.domain` entry, then `*`, then the defaults. */
export function politenessFor(cfg: CrawlConfig, host: string): { concurrency: number; delayMs: number } {
  const h = host.toLowerCase();
  const wild = Object.entries(cfg.hosts).find(([k]) => k.startsWith('*.') && (h === k.slice(2) || h.endsWith(k.slice(1))));
  const p = cfg.hosts[h] ?? wild?.[1] ?? cfg.hosts['*'] ?? {};
  return { concurrency: p.concurrency ?? cfg.politeness.concurrency, delayMs: p.delayMs ?? cfg.politeness.delayMs };
}

export function hostAllowed(allow: string[], host: string): boolean {
  const h = host.toLowerCase();
  const bare = h.replace(/:\d+$/, '');
  return allow.some((a) => a === '*' || a === h || a === bare || (a.startsWith('*.') && (bare === a.slice(2) || bare.endsWith(a.slice(1)))));
}
