/**
 * `disclosures crawl …` and `disclosures run …`: flags, help, lock, exit codes.
 * Exit: 0 all went well, 1 some documents failed (fetch or ingest), 2 usage or
 * configuration error, 3 another run holds the lock, 4 fetching failed
 * entirely (no start page could be fetched: network down, portal down).
 */
import { availableParallelism } from 'node:os';
import { openStore } from '../store/store.js';
import { adHocConfig, ConfigError, loadConfig, type CrawlConfig } from './config.js';
import { crawl } from './crawler.js';
import { acquireLock, LockHeldError } from './lock.js';
import { makeReporter, type LogFormat } from './report.js';

export { DEFAULT_DB } from './defaults.js';
import { DEFAULT_DB } from './defaults.js';

export const EXIT = { ok: 0, someFailed: 1, usage: 2, locked: 3, fetchFailed: 4 } as const;

export { CRAWL_HELP, RUN_HELP } from './help.js';
import { CRAWL_HELP, RUN_HELP } from './help.js';

class UsageError extends Error {}

interface Flags {
  multi: Map<string, string[]>;
  bool: Set<string>;
}

const VALUE_FLAGS = ['--config', '--start', '--allow-host', '--max-depth', '--max-pages', '--db', '--delay', '--concurrency', '--timeout', '--retries', '--max-bytes', '--user-agent', '--log-format', '--jobs'];
const BOOL_FLAGS = ['--ignore-robots', '--quiet', '--help', '--ingest', '--retry-failed'];

function parseFlags(argv: string[], allowed: { value: string[]; bool: string[] }): Flags {
  const multi = new Map<string, string[]>();
  const bool = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') {
      bool.add('--help');
      continue;
    }
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument '${a}'`);
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (allowed.value.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      multi.set(name, [...(multi.get(name) ?? []), v]);
    } else if (allowed.bool.includes(name)) bool.add(name);
    else throw new UsageError(`unknown option ${name}`);
  }
  return { multi, bool };
}

function one(f: Flags, name: string): string | undefined {
  const v = f.multi.get(name);
  if (v && v.length > 1) throw new UsageError(`${name} is given more than once`);
  return v?.[0];
}

function int(f: Flags, name: string, min: number): number | undefined {
  const v = one(f, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} needs a whole number ≥ ${min}`);
  return n;
}

function buildConfig(f: Flags): CrawlConfig {
  const file = one(f, '--config');
  const starts = f.multi.get('--start') ?? [];
  if (file && starts.length) throw new UsageError('give either --config or --start, not both');
  if (!file && !starts.length) throw new UsageError('give --config FILE or at least one --start URL');
  let cfg: CrawlConfig;
  if (file) {
    if (f.multi.has('--allow-host') || f.multi.has('--max-depth')) throw new UsageError('--allow-host and --max-depth go with --start; with --config set allowHosts and maxDepth per source');
    cfg = loadConfig(file);
  } else {
    for (const s of starts) {
      let ok = false;
      try {
        const u = new URL(s);
        ok = u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        ok = false;
      }
      if (!ok) throw new UsageError(`--start needs an absolute http(s) URL, not '${s}'`);
    }
    const allow = f.multi.get('--allow-host') ?? [];
    try {
      cfg = adHocConfig(starts, allow.length ? [...new Set([...starts.map((s) => new URL(s).host), ...allow])] : [], int(f, '--max-depth', 0));
    } catch (e) {
      throw new UsageError(`bad --start or --allow-host: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const maxPages = int(f, '--max-pages', 1);
  if (maxPages !== undefined) for (const s of cfg.sources) s.maxPages = maxPages;
  const delay = int(f, '--delay', 0);
  const conc = int(f, '--concurrency', 1);
  if (delay !== undefined || conc !== undefined) {
    cfg.politeness = { concurrency: conc ?? cfg.politeness.concurrency, delayMs: delay ?? cfg.politeness.delayMs };
    for (const h of Object.values(cfg.hosts)) {
      if (delay !== undefined) h.delayMs = delay;
      if (conc !== undefined) h.concurrency = conc;
    }
  }
  const timeout = int(f, '--timeout', 1);
  if (timeout !== undefined) cfg.fetch.timeoutMs = timeout;
  const retries = int(f, '--retries', 0);
  if (retries !== undefined) cfg.fetch.retries = retries;
  const maxBytes = int(f, '--max-bytes', 1);
  if (maxBytes !== undefined) cfg.fetch.maxBytes = maxBytes;
  const ua = one(f, '--user-agent');
  if (ua !== undefined) cfg.userAgent = ua;
  if (f.bool.has('--ignore-robots')) cfg.robots = false;
  return cfg;
}

async function execute(argv: string[], command: 'crawl' | 'run'): Promise<number> {
  const help = command === 'run' ? RUN_HELP : CRAWL_HELP;
  let f: Flags;
  let cfg: CrawlConfig;
  let format: LogFormat;
  let jobs: number;
  try {
    f = parseFlags(argv, { value: VALUE_FLAGS, bool: command === 'run' ? BOOL_FLAGS.filter((b) => b !== '--ingest') : BOOL_FLAGS.filter((b) => b !== '--retry-failed') });
    if (f.bool.has('--help')) {
      process.stdout.write(help + '\n');
      return EXIT.ok;
    }
    const lf = one(f, '--log-format') ?? 'text';
    if (lf !== 'text' && lf !== 'json') throw new UsageError('--log-format takes text or json');
    format = lf;
    jobs = int(f, '--jobs', 1) ?? availableParallelism();
    cfg = buildConfig(f);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n\n${help}\n`);
      return EXIT.usage;
    }
    if (e instanceof ConfigError) {
      process.stderr.write(`error in the configuration:\n${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  const dbPath = one(f, '--db') ?? DEFAULT_DB;
  const ingest = command === 'run' || f.bool.has('--ingest');
  const reporter = makeReporter(format, { quiet: f.bool.has('--quiet') });
  let db: ReturnType<typeof openStore>;
  try {
    db = openStore(dbPath);
  } catch (e) {
    process.stderr.write(`error: cannot open the database ${dbPath}: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  let lock;
  try {
    lock = acquireLock(dbPath + '.lock');
  } catch (e) {
    db.close();
    if (e instanceof LockHeldError) {
      if (format === 'json') process.stdout.write(JSON.stringify({ ts: new Date().toISOString(), event: 'locked', message: e.message }) + '\n');
      process.stderr.write(`error: ${e.message}\n`);
      return EXIT.locked;
    }
    throw e;
  }
  // a scheduler stopping the job: leave the run unfinished (the next run takes it up), free the lock
  const onSignal = (sig: NodeJS.Signals) => {
    reporter.close();
    process.stderr.write(`\n${sig}: stopping; the next run will finish this one\n`);
    lock.release();
    try {
      db.close();
    } catch {
      // closing mid-transaction: SQLite rolls it back
    }
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const r = await crawl({
      db,
      dbPath,
      config: cfg,
      command,
      ingest,
      jobs,
      reporter,
      retryFailed: f.bool.has('--retry-failed'),
      ...(lock.tookOver?.pid ? { tookOverLockOf: lock.tookOver.pid } : {}),
    });
    reporter.close();
    if (r.fetchFailedEntirely) return EXIT.fetchFailed;
    return r.summary.failed > 0 ? EXIT.someFailed : EXIT.ok;
  } catch (e) {
    reporter.close();
    process.stderr.write(`error: ${(e as Error).stack ?? (e as Error).message}\n`);
    return EXIT.someFailed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    db.close();
    lock.release();
  }
}

/** `disclosures crawl …` */
export function crawlCommand(argv: string[]): Promise<number> {
  return execute(argv, 'crawl');
}

/** `disclosures run …` */
export function runCommand(argv: string[]): Promise<number> {
  return execute(argv, 'run');
}
