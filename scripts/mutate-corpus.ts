/**
 * Damaged copies of the real corpus documents (issue #8, "malformed files you have not
 * seen"): the generated hostile families build their PDFs, workbooks and pages from
 * scratch, so they never reach what only real files hold (embedded CFF and TrueType
 * fonts, WPS object streams, BIFF records, JSP pages). This takes the corpus files and
 * damages them the ways downloads and disks do: random bytes, a cut, damage near the end,
 * a copied run, a deleted run, changed digits.
 *
 *   npx tsx scripts/mutate-corpus.ts [--count 1000] [--seed 1] [--formats pdf,html,xlsx,xls,txt] [--bound 20] [--no-report] [--keep]
 *
 * --keep leaves the damaged copies in their temporary directory (named on stderr).
 *
 * Each copy is read alone (readBytes, then the extraction) in a worker thread stopped
 * after --bound seconds, as in scripts/hostile.ts, and must be read or refused in one
 * line naming the file, within the bound, without leaving a rejection behind. The
 * figures go to reports/robustness.md (section "Corpus mutations"). Exit 1 on a problem.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeReportSection } from './crash.js';
import { DEFAULT_CORPUS, caseProblems, damageCopy, mulberry32, runCasesIsolated, type HostileCase } from './hostile-gen.js';

const args = process.argv.slice(2);
const opt = (name: string, d: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : d;
};
const COUNT = Number(opt('--count', '1000'));
const SEED = Number(opt('--seed', '1'));
const FORMATS = opt('--formats', 'pdf,html,xlsx,xls,txt').split(',');
const BOUND_MS = Number(opt('--bound', '20')) * 1000;
const CASE_RSS_MB = 1024;

const bases = readdirSync(DEFAULT_CORPUS)
  .filter((f) => FORMATS.includes(path.extname(f).slice(1)))
  .sort()
  .map((f) => ({ name: f, bytes: readFileSync(path.join(DEFAULT_CORPUS, f)) }));
if (bases.length === 0) throw new Error(`no corpus files of ${FORMATS.join(', ')} in ${DEFAULT_CORPUS}`);

const rnd = mulberry32(SEED);
const ri = (n: number) => Math.floor(rnd() * n);
const dir = mkdtempSync(path.join(tmpdir(), 'mutate-'));
try {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const cases: HostileCase[] = [];
  for (let i = 0; i < COUNT; i++) {
    const base = bases[ri(bases.length)]!;
    const [bytes, how] = damageCopy(base.bytes, rnd);
    const ext = path.extname(base.name);
    const name = `${String(i).padStart(4, '0')}-${path.basename(base.name, ext)}-${how}${ext}`;
    writeFileSync(path.join(dir, name), bytes);
    files.push(path.join(dir, name));
    cases.push({ name, bytes: Buffer.alloc(0), expect: 'either', family: `mutate-${ext.slice(1)}` });
  }
  const t0 = performance.now();
  const results = await runCasesIsolated(files, { jobs: 2, timeoutMs: BOUND_MS, extract: true });
  const wall = (performance.now() - t0) / 1000;
  const byFormat = new Map<string, { parsed: number; refused: number; other: number }>();
  const problems: string[] = [];
  results.forEach((r, i) => {
    const c = cases[i]!;
    const f = byFormat.get(c.family) ?? { parsed: 0, refused: 0, other: 0 };
    if (r.outcome === 'parsed') f.parsed++;
    else if (r.outcome === 'refused') f.refused++;
    else f.other++;
    byFormat.set(c.family, f);
    const p = caseProblems(c, r, { boundMs: BOUND_MS, caseRssMb: CASE_RSS_MB });
    if (p.length) problems.push(`\`${c.name}\`: ${p.join('; ')}`);
  });
  const times = results.map((r) => r.ms + (r.extractMs ?? 0)).sort((a, b) => a - b);
  const q = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0);
  const body = [
    `\`npx tsx scripts/mutate-corpus.ts --count ${COUNT} --seed ${SEED} --formats ${FORMATS.join(',')} --bound ${BOUND_MS / 1000}\` (${new Date().toISOString().slice(0, 10)}):`,
    '',
    `Damaged copies of the ${bases.length} corpus files of those formats (random bytes, a cut, damage in the last sixteenth, a copied run, a deleted run, changed digits), each read alone in a worker thread stopped at the bound. This is what found \`pdf-cff-font-hang\`, \`xls-cell-not-text\` and the workbook reader's console output (\`reader.sheet_damaged\`).`,
    '',
    '| format | read | refused | stopped or crashed |',
    '| --- | --- | --- | --- |',
    ...[...byFormat].sort().map(([k, v]) => `| ${k.replace('mutate-', '.')} | ${v.parsed} | ${v.refused} | ${v.other} |`),
    '',
    `- wall ${wall.toFixed(0)} s; per copy p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`,
    `- problems: ${problems.length}`,
    ...problems.slice(0, 30).map((p) => `  - ${p}`),
  ].join('\n');
  process.stdout.write(body + '\n');
  if (!args.includes('--no-report')) writeReportSection('Corpus mutations', body);
  process.exitCode = problems.length ? 1 : 0;
} finally {
  if (args.includes('--keep')) process.stderr.write(`damaged copies kept in ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
