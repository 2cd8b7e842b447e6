/**
 * `npm run bench:scale`: linear cost and flat memory at scale. Builds N
 * distinct documents from the corpus (copies whose bytes differ, so each is
 * new), ingests N = 100 and N = 1,000 (or the sizes given: `-- 50 500`) with
 * `disclosures ingest --jobs 2` in a child process under /usr/bin/time, and
 * writes documents/s, pages/s, peak RSS and database size to reports/scale.md.
 * Then both cores against one: 100 and 300 copies of the corpus PDFs ingested with
 * `--jobs 1` and with `--jobs 2`, alternately, 3 times each (medians), with the CPU
 * time of each thread (main, parse workers, V8's own threads) read from /proc.
 */
import { ensureBuilt } from '../bin/sources.js';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
/** Both cores against one: sizes (copies of the corpus PDFs) and rounds per size. */
const CORES_SIZES = [100, 300];
const CORES_ROUNDS = 3;
const SIZES = sizes.length ? sizes : [100, 1000];

/** The corpus files a copy can be made of: every format the tool reads, narrative and tables. */
const sources = readdirSync(CORPUS)
  .filter((f) => /\.(pdf|txt|docx|html|xlsx|xls)$/.test(f) && !/-tables\.pdf$/.test(f))
  .sort()
  .map((f) => path.join(CORPUS, f));

/** A copy with different bytes that reads the same: a comment after %%EOF, a trailing text line, a zip comment … */
function distinctCopy(src: string, dest: string, n: number): void {
  const ext = path.extname(src);
  const bytes = readFileSync(src);
  const tag = `copy ${n} for the scale benchmark`;
  if (ext === '.pdf') writeFileSync(dest, Buffer.concat([bytes, Buffer.from(`\n%${tag}\n`)]));
  else if (ext === '.txt' || ext === '.html') writeFileSync(dest, Buffer.concat([bytes, Buffer.from(ext === '.txt' ? `\n${tag}\n` : `\n<!-- ${tag} -->\n`)]));
  else if (ext === '.docx' || ext === '.xlsx') {
    // the zip end-of-central-directory record may carry a comment: set one
    const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const comment = Buffer.from(tag);
    const head = Buffer.from(bytes.subarray(0, eocd + 22));
    head.writeUInt16LE(comment.length, eocd + 20);
    writeFileSync(dest, Buffer.concat([head, comment]));
  } else {
    copyFileSync(src, dest); // .xls: the same bytes would be "unchanged"; keep it once
  }
}

interface Run {
  n: number;
  seconds: number;
  peakRssMb: number;
  documents: number;
  pages: number;
  dbMb: number;
  failed: number;
  /** RSS sampled after every 50 documents (the CLI's DISCLOSURES_POOL_DEBUG lines), MB */
  samples: number[];
  /** CPU seconds by thread: the main thread (the writer), the parse workers, the rest (V8's compiler and GC threads, libuv) */
  cpu: { main: number; workers: number; other: number };
}

/** The middle value (the upper one of an even count); NaN for none. */
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** The process /usr/bin/time started. */
function childOf(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) of every thread of a process, as /proc shows them now. */
function threadCpu(pid: number, into: Map<number, number>): void {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      into.set(Number(tid), (Number(f[11]) + Number(f[12])) / CLK_TCK);
    } catch {
      // the thread has just ended: its last sample stands
    }
  }
}

// the command runs the compiled build in dist/ when it is current (bin/sources.js): make it so
ensureBuilt();

async function runOnce(n: number, jobs = availableParallelism(), from: string[] = sources): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), `scale-${n}-`));
  const input = path.join(dir, 'in');
  mkdirSync(input);
  let made = 0;
  for (let i = 0; made < n; i++) {
    const src = from[i % from.length]!;
    if (src.endsWith('.xls') && i >= from.length) continue;
    distinctCopy(src, path.join(input, `${String(i).padStart(5, '0')}-${path.basename(src)}`), i);
    made++;
  }
  const db = path.join(dir, 'scale.sqlite');
  const t0 = process.hrtime.bigint();
  const child = spawn('/usr/bin/time', ['-v', process.execPath, path.join(ROOT, 'bin/disclosures.js'), 'ingest', input, '--db', db, '--jobs', String(jobs), '--quiet'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DISCLOSURES_POOL_DEBUG: '1' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // per-thread CPU, sampled every 100 ms until the process ends
  const perThread = new Map<number, number>();
  let nodePid: number | undefined;
  const sampler = setInterval(() => {
    nodePid ??= child.pid === undefined ? undefined : childOf(child.pid);
    if (nodePid !== undefined) threadCpu(nodePid, perThread);
  }, 100);
  await new Promise<void>((resolve) => child.on('close', () => resolve()));
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
  const failed = stderr.split('\n').filter((l) => l.startsWith('failed ')).length;
  const samples = [...stderr.matchAll(/^ingest: \d+ done; rss (\d+) MB/gm)].map((m) => Number(m[1]));
  const workerTids = new Set([...stderr.matchAll(/^pool: parse worker on thread (\d+)/gm)].map((m) => Number(m[1])));
  const cpu = { main: 0, workers: 0, other: 0 };
  for (const [tid, t] of perThread) {
    if (tid === nodePid) cpu.main += t;
    else if (workerTids.has(tid)) cpu.workers += t;
    else cpu.other += t;
  }
  const d = new Database(db, { readonly: true });
  const { documents, pages } = d.prepare('SELECT count(*) documents, coalesce(sum(pages), 0) pages FROM documents').get() as { documents: number; pages: number };
  d.close();
  const dbMb = statSync(db).size / 1e6;
  rmSync(dir, { recursive: true, force: true });
  return { n, seconds, peakRssMb: rss ? Number(rss) / 1024 : NaN, documents, pages, dbMb, failed, samples, cpu };
}

const runs: Run[] = [];
for (const n of SIZES) {
  process.stderr.write(`ingesting ${n} documents…\n`);
  const r = await runOnce(n);
  process.stderr.write(`  ${r.seconds.toFixed(1)} s, ${r.documents} stored, peak RSS ${r.peakRssMb.toFixed(0)} MB\n`);
  runs.push(r);
}

const lines = [
  '# Scale benchmark',
  '',
  `Generated by \`npm run bench:scale\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}.`,
  `Each run ingests N distinct copies of the corpus documents (${sources.length} sources: PDF, text, DOCX, HTML, spreadsheets; bytes made distinct by a trailing comment) with \`disclosures ingest --jobs ${availableParallelism()}\` into a fresh database, in a child process measured by \`/usr/bin/time -v\` (wall time and peak RSS of the whole process, worker threads included).`,
  '',
  '| N | stored | failed | seconds | documents/s | pages/s | peak RSS (MB) | RSS every 50 documents: median / max (MB) | database (MB) |',
  '|---|---|---|---|---|---|---|---|---|',
  ...runs.map((r) => {
    const s = r.samples.slice().sort((a, b) => a - b);
    const med = s.length ? `${s[Math.floor(s.length / 2)]} / ${s[s.length - 1]}` : 'n/a';
    return `| ${r.n} | ${r.documents} | ${r.failed} | ${r.seconds.toFixed(1)} | ${(r.documents / r.seconds).toFixed(2)} | ${(r.pages / r.seconds).toFixed(1)} | ${r.peakRssMb.toFixed(0)} | ${med} | ${r.dbMb.toFixed(1)} |`;
  }),
  '',
];
if (runs.length >= 2) {
  const [a, b] = [runs[0]!, runs[runs.length - 1]!];
  const scale = b.n / a.n;
  lines.push(
    `Cost: ${b.n} documents took ${(b.seconds / a.seconds).toFixed(2)}× the time of ${a.n} (linear would be ${scale}×; ${(((b.seconds / (a.seconds * scale)) - 1) * 100).toFixed(1)}% off). Peak RSS: ${(b.peakRssMb / a.peakRssMb).toFixed(2)}× (${(((b.peakRssMb / a.peakRssMb) - 1) * 100).toFixed(1)}%); RSS sampled every 50 documents, median: ${(median(b.samples) / median(a.samples)).toFixed(2)}× (${median(a.samples)} → ${median(b.samples)} MB).`,
    '',
    'The peak is the highest moment of a run: two workers each holding a large document (a workbook, a long DOCX) at the same instant, which a longer run has more chances to meet. The sampled RSS shows whether memory grows with the number of documents.',
    '',
  );
}
// both cores against one, on the corpus PDFs
const pdfs = sources.filter((f) => f.endsWith('.pdf'));
const cpuCell = (rs: Run[]) => {
  const m = (k: keyof Run['cpu']) => median(rs.map((r) => r.cpu[k])).toFixed(1);
  return `${m('main')} / ${m('workers')} / ${m('other')}`;
};
lines.push(
  '## Both cores against one',
  '',
  `Distinct copies of the ${pdfs.length} corpus PDFs (narratives; a copy is a new document), ingested with \`--jobs 1\` (one parse worker) and \`--jobs 2\` (two parse workers), the writer on the main thread in both, alternately, ${CORES_ROUNDS} times each; medians. CPU seconds by thread are read from \`/proc/PID/task\` every 100 ms: the main thread, the parse workers, and the rest, which is V8's own threads (the optimising compiler and the garbage collector) and libuv.`,
  '',
  '| N | jobs | seconds (median) | runs | documents/s | pages/s | CPU s: main / parse workers / V8 and other threads | cores busy | peak RSS (MB) |',
  '|---|---|---|---|---|---|---|---|---|',
);
const verdicts: string[] = [];
for (const n of CORES_SIZES) {
  const cores: Record<1 | 2, Run[]> = { 1: [], 2: [] };
  for (let round = 0; round < CORES_ROUNDS; round++) {
    for (const jobs of [2, 1] as const) {
      process.stderr.write(`cores: ${n} PDFs with --jobs ${jobs} (round ${round + 1})…\n`);
      const r = await runOnce(n, jobs, pdfs);
      process.stderr.write(`  ${r.seconds.toFixed(1)} s, ${r.documents} stored\n`);
      cores[jobs].push(r);
    }
  }
  for (const j of [1, 2] as const) {
    const rs = cores[j];
    const sec = median(rs.map((r) => r.seconds));
    const busy = median(rs.map((r) => (r.cpu.main + r.cpu.workers + r.cpu.other) / r.seconds));
    lines.push(
      `| ${n} | ${j} | ${sec.toFixed(1)} | ${rs.map((r) => r.seconds.toFixed(1)).join(', ')} | ${(rs[0]!.documents / sec).toFixed(2)} | ${(rs[0]!.pages / sec).toFixed(1)} | ${cpuCell(rs)} | ${busy.toFixed(2)} | ${Math.max(...rs.map((r) => r.peakRssMb)).toFixed(0)} |`,
    );
  }
  const s1 = median(cores[1].map((r) => r.seconds));
  const s2 = median(cores[2].map((r) => r.seconds));
  const paired = cores[1].map((r, i) => r.seconds / cores[2][i]!.seconds);
  const busy1 = median(cores[1].map((r) => (r.cpu.main + r.cpu.workers + r.cpu.other) / r.seconds));
  verdicts.push(
    `- N = ${n}: two workers give **${(s1 / s2).toFixed(2)}×** the throughput of one (each round: ${paired.map((x) => x.toFixed(2)).join(', ')}; target ≥ 1.6×: ${s1 / s2 >= 1.6 ? 'met' : '**not met**'}). With \`--jobs 1\` the process already keeps ${busy1.toFixed(2)} cores busy, so two cores can give at most ${(2 / busy1).toFixed(2)}× over it.`,
  );
}
lines.push('', ...verdicts, '');
const report = lines.join('\n');
mkdirSync(path.join(ROOT, 'reports'), { recursive: true });
writeFileSync(path.join(ROOT, 'reports/scale.md'), report);
process.stdout.write(report);

