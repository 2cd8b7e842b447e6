/**
 * `npm run bench`: speed and memory of the whole pipeline against `pdftotext -layout`,
 * both over every corpus PDF and both measured in the same run.
 *
 * Each round runs, in this order (rounds interleave the modes, so that load from
 * other processes on the machine hits every mode alike):
 *  1. `pdftotext -layout FILE /dev/null` for every file, one after the other;
 *  2. the pipeline with `--jobs 2` (both cores, as `disclosures ingest` runs on this
 *     machine), then with `--jobs 1`: a child process
 *     ingests every file into a fresh temporary SQLite database through
 *     `ingestGroups` + `openStore` (scripts/bench-run.mjs, running the compiled build
 *     in dist/ as the `disclosures` command does). Its wall time runs from spawn to
 *     exit, so Node start-up counts, as a process start does for pdftotext. Peak RSS comes from `/usr/bin/time -v` (falling back to the child's
 *     own VmHWM; worker threads share the process, so that is the peak of all threads).
 * Medians over the rounds are reported. Writes reports/bench.md and prints it.
 *
 *   npm run bench [-- --rounds N] [-- --corpus DIR]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../bin/sources.js';
import { readPdfPages } from '../src/ingest/pdf.js';
import { GROUPS_PER_WORKER, workersFor } from '../src/run-ingest.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const opt = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const CORPUS = path.resolve(opt('--corpus') ?? path.join(ROOT, '../shared/corpus'));
const ROUNDS = Number(opt('--rounds') ?? 3);
const TARGET_RATIO = 0.3;
const RSS_LIMIT_KB = 1.5 * 1024 * 1024;

if (!existsSync(CORPUS)) throw new Error(`corpus directory missing: ${CORPUS}`);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('--rounds needs a whole number ≥ 1');
const files = readdirSync(CORPUS)
  .filter((f) => f.toLowerCase().endsWith('.pdf'))
  .sort()
  .map((f) => path.join(CORPUS, f));
if (files.length === 0) throw new Error(`no PDFs in ${CORPUS}`);

const has = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error;
};
const HAVE_PDFTOTEXT = has('pdftotext', ['-v']);
const HAVE_PDFINFO = has('pdfinfo', ['-v']);
const TIME_BIN = existsSync('/usr/bin/time') && has('/usr/bin/time', ['-v', 'true']) ? '/usr/bin/time' : null;

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const log = (s: string) => process.stderr.write(s + '\n');

// ---------------------------------------------------------------------------
// pdftotext

/** Pages per file as poppler counts them (cross-check of the pipeline's count). */
function popplerPages(): number | null {
  if (!HAVE_PDFINFO) return null;
  let total = 0;
  for (const f of files) {
    const r = spawnSync('pdfinfo', [f], { encoding: 'utf8' });
    const m = /^Pages:\s+(\d+)/m.exec(r.stdout ?? '');
    if (!m) return null;
    total += Number(m[1]);
  }
  return total;
}

function pdftotextPass(): { seconds: number; failed: string[] } {
  const failed: string[] = [];
  const t0 = performance.now();
  for (const f of files) {
    const r = spawnSync('pdftotext', ['-layout', f, '/dev/null'], { stdio: 'ignore' });
    if (r.status !== 0) failed.push(path.basename(f));
  }
  return { seconds: (performance.now() - t0) / 1000, failed };
}

/**
 * Largest peak RSS of a single pdftotext process over the files, and the CPU time
 * (user + system) of the whole pass: a separate, untimed pass under /usr/bin/time.
 */
function pdftotextUsage(): { peakKb: number | null; cpuSeconds: number | null } {
  if (!TIME_BIN) return { peakKb: null, cpuSeconds: null };
  let max = 0;
  let cpu = 0;
  for (const f of files) {
    const r = spawnSync(TIME_BIN, ['-v', 'pdftotext', '-layout', f, '/dev/null'], { encoding: 'utf8' });
    const err = r.stderr ?? '';
    const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(err);
    if (m) max = Math.max(max, Number(m[1]));
    cpu += Number(/User time \(seconds\):\s*([\d.]+)/.exec(err)?.[1] ?? 0) + Number(/System time \(seconds\):\s*([\d.]+)/.exec(err)?.[1] ?? 0);
  }
  return { peakKb: max || null, cpuSeconds: cpu || null };
}

// ---------------------------------------------------------------------------
// pipeline

interface RunResult {
  jobs: number;
  pages: number;
  /** disclosures (file groups) ingested */
  groups: number;
  /** spawn to exit */
  seconds: number;
  /** inside the child: ingestGroups alone */
  ingestSeconds: number;
  peakKb: number | null;
  /** user + system CPU seconds of the child (all threads), from /usr/bin/time */
  cpuSeconds: number | null;
  counts: Record<string, number>;
  failures: string[];
}

// The child runs the code bin/disclosures.js runs: the build in dist/ (made current
// below), as `npm ci` leaves it.
const RUNNER = path.join(ROOT, 'scripts/bench-run.mjs');
ensureBuilt();

function pipelineRun(jobs: number): Promise<RunResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'disclosures-bench-'));
  const db = path.join(dir, 'bench.sqlite');
  const nodeArgs = [RUNNER, '--jobs', String(jobs), '--db', db, ...files];
  const [cmd, args] = TIME_BIN ? [TIME_BIN, ['-v', process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // text reading is measured here: OCR of the one image page in the set (putuo-czj p14) is in reports/ocr.md
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISCLOSURES_OCR: 'off' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      rmSync(dir, { recursive: true, force: true });
      const line = out.trim().split('\n').pop() ?? '';
      let r: { pages: number; groups: number; seconds: number; counts: Record<string, number>; failures: string[]; vmHwmKb: number | null };
      try {
        r = JSON.parse(line);
      } catch {
        reject(new Error(`pipeline run (jobs ${jobs}) exited with ${code}: ${(err || out).slice(-2000)}`));
        return;
      }
      const timeKb = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(err)?.[1];
      const user = /User time \(seconds\):\s*([\d.]+)/.exec(err)?.[1];
      const sys = /System time \(seconds\):\s*([\d.]+)/.exec(err)?.[1];
      resolve({
        jobs,
        pages: r.pages,
        groups: r.groups,
        seconds,
        ingestSeconds: r.seconds,
        peakKb: timeKb ? Number(timeKb) : r.vmHwmKb,
        cpuSeconds: user && sys ? Number(user) + Number(sys) : null,
        counts: r.counts,
        failures: r.failures,
      });
    });
  });
}

// ---------------------------------------------------------------------------

const load0 = os.loadavg();
const started = new Date();
log(`bench: ${files.length} PDFs in ${CORPUS}, ${ROUNDS} rounds; pdftotext ${HAVE_PDFTOTEXT ? 'found' : 'MISSING'}; /usr/bin/time ${TIME_BIN ? 'found' : 'missing'}`);
const ptt: { seconds: number; failed: string[] }[] = [];
const runs: Record<number, RunResult[]> = { 2: [], 1: [] };
for (let round = 1; round <= ROUNDS; round++) {
  if (HAVE_PDFTOTEXT) {
    const p = pdftotextPass();
    ptt.push(p);
    log(`round ${round}: pdftotext -layout ${p.seconds.toFixed(2)} s`);
  }
  for (const jobs of [2, 1]) {
    const r = await pipelineRun(jobs);
    runs[jobs]!.push(r);
    log(`round ${round}: pipeline jobs=${jobs} ${r.seconds.toFixed(2)} s (ingest ${r.ingestSeconds.toFixed(2)} s, CPU ${r.cpuSeconds?.toFixed(2) ?? '?'} s), ${r.pages} pages, peak RSS ${r.peakKb ? Math.round(r.peakKb / 1024) + ' MB' : '?'}`);
  }
}
const load1 = os.loadavg();
const pttUsage = HAVE_PDFTOTEXT ? pdftotextUsage() : { peakKb: null, cpuSeconds: null };
const pipelinePages = runs[2]![0]!.pages;
const pPages = popplerPages();
const pages = pPages ?? pipelinePages;

// ---------------------------------------------------------------------------
// report

const fmtMb = (kb: number | null) => (kb === null ? 'n/a' : `${Math.round(kb / 1024)} MB`);
const pttPps = ptt.length ? pages / median(ptt.map((p) => p.seconds)) : null;
const rows: string[] = [];
const summary: Record<number, { pps: number; peak: number | null }> = {};
if (pttPps !== null) {
  const secs = median(ptt.map((p) => p.seconds));
  rows.push(`| \`pdftotext -layout\`, one process per file, sequential | ${pages} | ${secs.toFixed(2)} | ${pttPps.toFixed(1)} | 1.00 | ${fmtMb(pttUsage.peakKb)} (largest single process) | ${pttUsage.cpuSeconds === null ? 'n/a' : `${pttUsage.cpuSeconds.toFixed(1)} s (${((pttUsage.cpuSeconds * 1000) / pages).toFixed(1)} ms/page)`} |`);
}
for (const jobs of [2, 1]) {
  const rs = runs[jobs]!;
  const secs = median(rs.map((r) => r.seconds));
  const ingest = median(rs.map((r) => r.ingestSeconds));
  const pps = rs[0]!.pages / secs;
  const peaks = rs.map((r) => r.peakKb).filter((k): k is number => k !== null);
  const peak = peaks.length ? Math.max(...peaks) : null;
  const cpus = rs.map((r) => r.cpuSeconds).filter((c): c is number => c !== null);
  const cpuS = cpus.length ? median(cpus) : null;
  summary[jobs] = { pps, peak };
  const groupCount = rs[0]!.groups;
  rows.push(
    `| whole pipeline, ${jobs > 1 ? `--jobs ${jobs} (both cores: ${workersFor(jobs, groupCount)} parse worker${workersFor(jobs, groupCount) > 1 ? 's' : ''} for ${groupCount} disclosures, the writer on the main thread)` : '--jobs 1 (one parse worker, the writer on the main thread)'} | ${rs[0]!.pages} | ${secs.toFixed(2)} (ingest alone ${ingest.toFixed(2)}) | ${pps.toFixed(1)} | ${pttPps ? (pps / pttPps).toFixed(2) : 'n/a'} | ${fmtMb(peak)} | ${cpuS === null ? 'n/a' : `${cpuS.toFixed(1)} s (${((cpuS * 1000) / rs[0]!.pages).toFixed(1)} ms/page)`} |`,
  );
}
const perRound = runs[2]!.map((r, i) => {
  const p = ptt[i];
  const ratio = p ? (r.pages / r.seconds / (pages / p.seconds)).toFixed(2) : 'n/a';
  return `| ${i + 1} | ${p ? p.seconds.toFixed(2) : 'n/a'} | ${r.seconds.toFixed(2)} | ${runs[1]![i]!.seconds.toFixed(2)} | ${ratio} | ${fmtMb(r.peakKb)} | ${fmtMb(runs[1]![i]!.peakKb)} |`;
});
const failures = [...runs[2]!, ...runs[1]!].flatMap((r) => r.failures);
const notStored = [...runs[2]!, ...runs[1]!].filter((r) => (r.counts.failed ?? 0) + (r.counts.unsupported ?? 0) > 0).length;
const pttFailed = [...new Set(ptt.flatMap((p) => p.failed))];
const ratio2 = pttPps ? summary[2]!.pps / pttPps : null;
const peakAll = Math.max(...[summary[2]!.peak, summary[1]!.peak].filter((k): k is number => k !== null));
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';

// which reader read each PDF (untimed, after the rounds)
const engines = { fast: 0, pdfjs: 0, failed: 0 };
for (const f of files) {
  try {
    engines[(await readPdfPages(new Uint8Array(readFileSync(f)))).engine]++;
  } catch {
    engines.failed++;
  }
}

const md: string[] = [];
md.push('# Benchmark: whole pipeline vs `pdftotext -layout`', '');
md.push(`Generated by \`npm run bench\` on ${started.toISOString().replace('T', ' ').slice(0, 16)} UTC.`, '');
md.push(
  `- Machine: ${os.availableParallelism()} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.platform()} ${os.release()}`,
  `- Node ${process.version}; pdftotext ${HAVE_PDFTOTEXT ? (spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).stderr.split('\n')[0] ?? '').replace(/^pdftotext version /, '') : 'not installed'}`,
  `- Corpus: ${files.length} PDFs, ${pages} pages${pPages !== null && pPages !== pipelinePages ? ` (the pipeline counted ${pipelinePages})` : ''} (\`${path.relative(ROOT, CORPUS)}\`)`,
  `- PDF reader: the fast reader read ${engines.fast} of the ${files.length} PDFs, pdfjs ${engines.pdfjs}${engines.failed ? `, ${engines.failed} could not be read` : ''}; the pipeline ran the compiled build (dist/)`,
  `- ${ROUNDS} rounds, medians reported; load average (1 min) ${load0[0]!.toFixed(2)} at the start, ${load1[0]!.toFixed(2)} at the end`,
  '',
);
if (!HAVE_PDFTOTEXT) md.push('**pdftotext is not installed** (`apt-get install poppler-utils`): the comparison was skipped.', '');
md.push('| mode | pages | seconds (median) | pages/s | × pdftotext | peak RSS | CPU time (median, all threads) |', '|---|---|---|---|---|---|---|', ...rows, '');
if (ratio2 !== null) {
  md.push(
    `**Result:** the pipeline on both cores runs at **${ratio2.toFixed(2)}×** the pages/s of \`pdftotext -layout\` (target ≥ ${TARGET_RATIO}×: ${ratio2 >= TARGET_RATIO ? 'met' : '**not met**'}); ` +
      `peak RSS ${fmtMb(peakAll)} (limit 1.5 GB: ${peakAll < RSS_LIMIT_KB ? 'met' : '**not met**'}).`,
    '',
  );
}
const cpu2 = median(runs[2]!.map((r) => r.cpuSeconds).filter((c): c is number => c !== null));
if (pttPps !== null && Number.isFinite(cpu2) && cpu2 > 0) {
  // on an otherwise idle machine the 2-worker run cannot take less wall time than its CPU time spread over the cores
  const floor = cpu2 / os.availableParallelism();
  md.push(
    `CPU-bound ceiling: the --jobs 2 run needs ${cpu2.toFixed(1)} CPU-seconds, so even with all ${os.availableParallelism()} cores free it cannot finish in less than ~${floor.toFixed(1)} s, ` +
      `i.e. at most ~${(pages / floor / pttPps).toFixed(2)}× pdftotext's pages/s from this run. Wall times above ${summary[2]!.pps < pages / floor / 1.5 ? 'are well above that floor because other processes were using the cores' : 'are close to that floor'}.`,
    '',
  );
}
if (failures.length || notStored || pttFailed.length) {
  md.push('**Errors during the runs:**', '', ...failures.map((f) => `- pipeline: ${f}`), ...pttFailed.map((f) => `- pdftotext failed on ${f}`), '');
}
md.push('Per round:', '', '| round | pdftotext s | pipeline --jobs 2 s | pipeline --jobs 1 s | ratio (--jobs 2) | peak RSS --jobs 2 | peak RSS --jobs 1 |', '|---|---|---|---|---|---|---|', ...perRound, '');
md.push(
  '## Method',
  '',
  '- **pdftotext**: `pdftotext -layout FILE /dev/null` for every file, one after the other; wall time of the whole pass, process start-ups included. Its peak RSS (largest file) and CPU time come from a separate untimed pass under `/usr/bin/time -v`.',
  '- **OCR off**: the pipeline runs with `--ocr off` (DISCLOSURES_OCR=off), so that this report measures reading text PDFs, like pdftotext. One page of the set (putuo-czj-2024-js.pdf p14) is printed as an image; with OCR on (the default) it is read by OCR, which loads the engine (~0.6 GB) and costs ~2–5 s: see reports/ocr.md. Pages with a text layer never go through OCR.',
  '- **Pipeline**: a child process (`node scripts/bench-run.mjs`, running the compiled build in dist/ that `npm ci` makes and bin/disclosures.js runs) groups the files as `disclosures ingest` does (name.pdf + name-tables.pdf form one disclosure), opens a fresh SQLite database in a temporary directory with `openStore`, and calls `ingestGroups` with `jobs` 2 or 1: PDFs are parsed and extracted in worker threads (one with `jobs` 1) and written by the single SQLite writer on the main thread. Wall time runs from spawn to exit, so start-up (Node, loading the modules in each worker) is included; "ingest alone" is the time of the `ingestGroups` call measured inside the child.',
  `- **Parse workers**: \`ingestGroups\` starts one parse worker per ${GROUPS_PER_WORKER} disclosures, up to \`--jobs\` (a worker costs a warm-up worth about ${GROUPS_PER_WORKER} disclosures of parsing before it pays off); the SQLite writer always runs on the main thread, beside the workers. \`npm run bench:scale\` measures two workers against one on 100 and 300 PDFs.`,
  '- **PDF reader**: the fast reader (src/ingest/pdf-fast/) reads every PDF it covers; pdfjs reads the rest. The table above the results says how many PDFs each read.',
  `- **Peak RSS**: ${TIME_BIN ? '`/usr/bin/time -v` of the child (maximum resident set size)' : "the child's own VmHWM read at exit"}; worker threads live in the same process, so this covers all threads. The larger value over the rounds is shown.`,
  '- Rounds interleave the modes (pdftotext, 2 workers, 1 worker) so that load from other processes on the machine hits every mode alike. The machine is shared; the load average above shows how busy it was.',
  '- pages/s = pages ÷ median seconds; "× pdftotext" divides by pdftotext\'s pages/s from the same run.',
  '- CPU time is user + system time of the child from `/usr/bin/time` (every thread, start-up included). It depends much less than wall time on what else the machine is running (shared caches still inflate it under load); with 2 cores the 2-worker wall time cannot drop below about half of it.',
  '',
);
const report = md.join('\n');
mkdirSync(path.join(ROOT, 'reports'), { recursive: true });
writeFileSync(path.join(ROOT, 'reports/bench.md'), report);
process.stdout.write(report);
