/**
 * What a run tells its operator: a progress bar on a terminal, one plain line
 * per event otherwise (cron mail, journald), or JSON lines for log collectors
 * (`--log-format json`, on stdout). The summary ends every run.
 */

export interface Failure {
  url: string;
  /** fetch | parse: where it failed */
  stage: 'fetch' | 'ingest' | 'page';
  reason: string;
  sourcePage?: string;
}

export interface Summary {
  run: number;
  resumed: boolean;
  pages: number;
  discovered: number;
  new: number;
  fetched: number;
  unchanged: number;
  blocked: number;
  gone: number;
  disclosures: number;
  ingested: number;
  ingestUnchanged: number;
  /** read but not a 预算/决算 disclosure (a notice, a 公报): recorded, not stored, not a failure */
  notDisclosures: number;
  deferred: number;
  failed: number;
  failures: Failure[];
  seconds: number;
}

export type CrawlEvent =
  | { event: 'start'; run: number; resumed: boolean; command: string; sources: string[]; tookOverLockOf?: number }
  | { event: 'fetch'; url: string; kind: string; outcome: string; status?: number; bytes?: number; error?: string; sourcePage?: string }
  | { event: 'gone'; url: string; reason: string }
  | { event: 'disclosure'; page: string; files: string[]; version: 'new' | 'known' }
  | { event: 'deferred'; page: string; reason: string }
  | { event: 'ingest'; page: string; files: string[]; status: string; documentId?: number; message?: string; department?: string; year?: number; kind?: string }
  | { event: 'summary'; summary: Summary };

export type LogFormat = 'text' | 'json';

export interface Reporter {
  event(e: CrawlEvent): void;
  progress(phase: 'crawl' | 'ingest', done: number, total: number): void;
  close(): void;
}

export function makeReporter(format: LogFormat, opts: { quiet?: boolean; tty?: boolean; out?: NodeJS.WritableStream; err?: NodeJS.WritableStream } = {}): Reporter {
  const out = opts.out ?? process.stdout;
  const err = opts.err ?? process.stderr;
  if (format === 'json') {
    return {
      event: (e) => out.write(JSON.stringify({ ts: new Date().toISOString(), ...e }) + '\n'),
      progress: () => {},
      close: () => {},
    };
  }
  const tty = opts.tty ?? Boolean((err as NodeJS.WriteStream).isTTY);
  let barShown = false;
  const clearBar = () => {
    if (barShown) {
      err.write('\r\x1b[2K');
      barShown = false;
    }
  };
  const line = (s: string) => {
    clearBar();
    err.write(s + '\n');
  };
  return {
    event(e) {
      if (e.event === 'summary') {
        clearBar();
        out.write(summaryText(e.summary) + '\n');
        return;
      }
      if (opts.quiet) return;
      switch (e.event) {
        case 'start':
          line(`run ${e.run} ${e.resumed ? 'resumed (it was interrupted)' : 'started'}: ${e.command === 'run' ? 'crawl + ingest' : 'crawl'} of ${e.sources.join(', ')}${e.tookOverLockOf ? `; took over the stale lock of pid ${e.tookOverLockOf}` : ''}`);
          break;
        case 'fetch':
          if (e.outcome === 'failed') line(`failed ${e.url}: ${e.error ?? 'error'}${e.sourcePage ? ` (linked from ${e.sourcePage})` : ''}`);
          else if (e.outcome === 'blocked') line(`skipped ${e.url}: ${e.error ?? 'blocked'}`);
          else if (!tty) line(`${e.outcome} ${e.kind} ${e.url}${e.bytes !== undefined && e.outcome === 'fetched' ? ` (${e.bytes} bytes)` : ''}`);
          break;
        case 'gone':
          line(`gone ${e.url}: ${e.reason}`);
          break;
        case 'deferred':
          line(`deferred ${e.page}: ${e.reason}`);
          break;
        case 'disclosure':
          if (!tty && e.version === 'new') line(`disclosure ${e.page}: ${e.files.length} file${e.files.length === 1 ? '' : 's'}`);
          break;
        case 'ingest':
          if (e.status === 'failed' || e.status === 'unsupported') line(`${e.status} ${e.page}: ${e.message ?? ''}`);
          else if (e.status === 'not_disclosure') line(`not a disclosure ${e.page}: ${e.message ?? ''}`);
          else if (!tty) line(`${e.status} ${e.page} → document ${e.documentId}: ${e.department ?? '?'} ${e.year ?? '?'} ${e.kind ?? '?'}`);
          break;
      }
    },
    progress(phase, done, total) {
      if (!tty || opts.quiet) return;
      const width = 30;
      const n = total ? Math.round((done / total) * width) : 0;
      err.write(`\r\x1b[2K${phase === 'crawl' ? 'crawling ' : 'ingesting'} [${'#'.repeat(n)}${'-'.repeat(width - n)}] ${done}/${total}`);
      barShown = true;
    },
    close: clearBar,
  };
}

export function summaryText(s: Summary): string {
  const lines = [
    `run ${s.run}${s.resumed ? ' (resumed)' : ''}: ${s.pages} pages, ${s.discovered} documents discovered (${s.new} new), ${s.fetched} fetched, ${s.unchanged} unchanged, ${s.ingested} ingested${s.ingestUnchanged ? ` (+${s.ingestUnchanged} already stored)` : ''}${s.notDisclosures ? `, ${s.notDisclosures} not a disclosure` : ''}, ${s.failed} failed` +
      `${s.blocked ? `, ${s.blocked} blocked by robots.txt` : ''}${s.gone ? `, ${s.gone} gone upstream` : ''}${s.deferred ? `, ${s.deferred} deferred` : ''} in ${s.seconds.toFixed(1)} s`,
  ];
  for (const f of s.failures) lines.push(`  failed ${f.url}: ${f.reason}${f.sourcePage ? ` (linked from ${f.sourcePage})` : ''}`);
  return lines.join('\n');
}
