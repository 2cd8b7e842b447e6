/**
 * Crash test (issue #8, item 4): ingest N distinct documents with the real CLI
 * (`node bin/disclosures.js ingest DIR --db DB --jobs 2 --quiet`), kill it with
 * SIGKILL at random (seeded) moments K times, rerunning each time, then once to
 * completion. Whenever the store holds every document it is deleted and the next
 * run starts afresh (a new round), so that the kills keep landing in writes, not
 * only in parsing. After every kill and at the end the store must pass
 * `PRAGMA integrity_check` and hold no partial document; at the end it holds
 * every document exactly once.
 *
 *   npx tsx scripts/crash.ts [--docs 100] [--kills 50] [--seed 1] [--report]
 *
 * test/crash.test.ts runs the CI size (30 documents × 12 kills) through `crashTest`.
 * With --report the figures go into reports/robustness.md (section "Crash test").
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { DEFAULT_CORPUS, Rng } from './hostile-gen.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/disclosures.js');

/** Small, fast corpus files: paged text exports and one short PDF. */
const TEXT_SOURCES = ['putuo-chengguan-2026-bmys-pages.txt', 'putuo-shiquan-2026-dwys-pages.txt', 'putuo-wanli-2025-bmys-pages.txt', 'sichuan-zwfw-2020-js.txt'];
const PDF_SOURCES = ['js-rdbgt-2019-bmys-tables.pdf'];

export interface CrashOptions {
  docs: number;
  kills: number;
  seed: number;
  /** every n-th document is a PDF (default 4); the rest are text */
  pdfEvery?: number;
  corpusDir?: string;
  /** work directory (default: a fresh temp dir, removed at the end) */
  workDir?: string;
  log?: (line: string) => void;
}

export interface StoreCheck {
  integrity: string;
  foreignKeys: number;
  documents: number;
  distinctSha: number;
  /** documents whose fact_count differs from their facts rows, or file_count from their files */
  partialDocuments: string[];
  /** rows of facts / line_items / sections / findings / tables / cells / document_files without their document */
  orphans: Record<string, number>;
  /** documents without sections */
  withoutSections: string[];
}

export interface KillRecord {
  delayMs: number;
  /** the child had already exited on its own when the kill was due */
  finishedFirst: boolean;
  /** documents stored after this run */
  stored: number;
  check: StoreCheck;
}

export interface CrashResult {
  docs: number;
  expectedSha: string[];
  kills: KillRecord[];
  /** a full run (calibration, separate store): the kill delays are drawn from [50 ms, 1.1 × this] */
  fullRunMs: number;
  /** the store is started afresh each time it holds every document, so that kills keep landing in writes */
  rounds: number;
  finalExitCode: number | null;
  finalStderr: string;
  final: StoreCheck;
  storedSha: string[];
  wallMs: number;
}

/** Write `n` distinct documents: corpus copies, each with a unique line (text) or comment (PDF). */
export function buildCrashDocs(dir: string, n: number, opts: { pdfEvery?: number; corpusDir?: string } = {}): Array<{ file: string; sha256: string }> {
  const corpusDir = opts.corpusDir ?? DEFAULT_CORPUS;
  const pdfEvery = opts.pdfEvery ?? 4;
  mkdirSync(dir, { recursive: true });
  const out: Array<{ file: string; sha256: string }> = [];
  for (let i = 0; i < n; i++) {
    let bytes: Buffer;
    let ext: string;
    if (pdfEvery > 0 && i % pdfEvery === pdfEvery - 1) {
      const src = readFileSync(path.join(corpusDir, PDF_SOURCES[i % PDF_SOURCES.length]!));
      // a comment line just before the last %%EOF: the xref offsets before it stay right
      const eof = src.lastIndexOf(Buffer.from('%%EOF'));
      bytes = Buffer.concat([src.subarray(0, eof), Buffer.from(`%crash-test copy ${i}\n`, 'latin1'), src.subarray(eof)]);
      ext = '.pdf';
    } else {
      const src = readFileSync(path.join(corpusDir, TEXT_SOURCES[i % TEXT_SOURCES.length]!));
      bytes = Buffer.concat([src, Buffer.from(`\n（副本 ${i}）\n`, 'utf8')]);
      ext = '.txt';
    }
    const file = path.join(dir, `doc-${String(i).padStart(3, '0')}${ext}`);
    writeFileSync(file, bytes);
    out.push({ file, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return out;
}

/** The invariants of a store after a crash (opened as the next run would open it). */
export function checkStore(dbPath: string): StoreCheck {
  const empty: StoreCheck = { integrity: 'ok', foreignKeys: 0, documents: 0, distinctSha: 0, partialDocuments: [], orphans: {}, withoutSections: [] };
  if (!existsSync(dbPath)) return empty;
  const db = new Database(dbPath);
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name));
    if (!tables.has('documents')) return { ...empty, integrity };
    const foreignKeys = (db.pragma('foreign_key_check') as unknown[]).length;
    const documents = (db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;
    const distinctSha = (db.prepare('SELECT count(DISTINCT sha256) AS n FROM documents').get() as { n: number }).n;
    const partialDocuments = (
      db
        .prepare(
          `SELECT path FROM documents d
            WHERE d.fact_count != (SELECT count(*) FROM facts f WHERE f.document_id = d.id)
               OR d.file_count != (SELECT count(*) FROM document_files x WHERE x.document_id = d.id)`,
        )
        .all() as Array<{ path: string }>
    ).map((r) => r.path);
    const orphans: Record<string, number> = {};
    for (const t of ['facts', 'line_items', 'sections', 'findings', 'tables', 'document_files']) {
      orphans[t] = (db.prepare(`SELECT count(*) AS n FROM ${t} WHERE document_id NOT IN (SELECT id FROM documents)`).get() as { n: number }).n;
    }
    orphans['cells'] = (db.prepare('SELECT count(*) AS n FROM cells WHERE table_id NOT IN (SELECT id FROM tables)').get() as { n: number }).n;
    const withoutSections = (
      db.prepare('SELECT path FROM documents d WHERE NOT EXISTS (SELECT 1 FROM sections s WHERE s.document_id = d.id)').all() as Array<{ path: string }>
    ).map((r) => r.path);
    return { integrity, foreignKeys, documents, distinctSha, partialDocuments, orphans, withoutSections };
  } finally {
    db.close();
  }
}

/** Problems with a store check (empty when the store is sound). */
export function storeProblems(c: StoreCheck): string[] {
  const out: string[] = [];
  if (c.integrity !== 'ok') out.push(`integrity_check: ${c.integrity}`);
  if (c.foreignKeys) out.push(`${c.foreignKeys} foreign-key violations`);
  if (c.distinctSha !== c.documents) out.push(`${c.documents} documents but ${c.distinctSha} distinct sha256`);
  if (c.partialDocuments.length) out.push(`partial documents: ${c.partialDocuments.join(', ')}`);
  for (const [t, n] of Object.entries(c.orphans)) if (n) out.push(`${n} ${t} rows without their document`);
  if (c.withoutSections.length) out.push(`documents without sections: ${c.withoutSections.join(', ')}`);
  return out;
}

function storedSha(dbPath: string): string[] {
  if (!existsSync(dbPath)) return [];
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT sha256 FROM documents ORDER BY sha256').all() as Array<{ sha256: string }>).map((r) => r.sha256);
  } finally {
    db.close();
  }
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stderr: string;
  killed: boolean;
}

/** Run the CLI on `dir`; with `killAfterMs`, SIGKILL it then (unless it is done). */
function runCli(dir: string, dbPath: string, killAfterMs?: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, 'ingest', dir, '--db', dbPath, '--jobs', '2', '--quiet'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      if (stderr.length < 20000) stderr += s;
    });
    let killed = false;
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            if (child.exitCode === null && child.signalCode === null) {
              killed = child.kill('SIGKILL');
            }
          }, killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, ms: performance.now() - t0, stderr, killed });
    });
  });
}

export async function crashTest(o: CrashOptions): Promise<CrashResult> {
  const t0 = performance.now();
  const log = o.log ?? (() => undefined);
  const work = o.workDir ?? mkdtempSync(path.join(tmpdir(), 'crash-'));
  const docsDir = path.join(work, 'docs');
  const dbPath = path.join(work, 'store', 'crash.sqlite');
  const rng = new Rng(o.seed);
  try {
    const docs = buildCrashDocs(docsDir, o.docs, { ...(o.pdfEvery !== undefined ? { pdfEvery: o.pdfEvery } : {}), ...(o.corpusDir ? { corpusDir: o.corpusDir } : {}) });
    // calibration: how long one whole run takes (on a scratch store)
    const cal = await runCli(docsDir, path.join(work, 'calibration.sqlite'));
    if (cal.code !== 0) throw new Error(`calibration run failed (exit ${cal.code}): ${cal.stderr.slice(0, 2000)}`);
    const fullRunMs = cal.ms;
    log(`${o.docs} documents; a full run takes ${Math.round(fullRunMs)} ms`);
    const kills: KillRecord[] = [];
    let rounds = 1;
    for (let k = 0; k < o.kills; k++) {
      const delayMs = Math.round(50 + rng.float() * (1.1 * fullRunMs - 50));
      const r = await runCli(docsDir, dbPath, delayMs);
      const check = checkStore(dbPath);
      const rec: KillRecord = { delayMs, finishedFirst: !r.killed, stored: check.documents, check };
      kills.push(rec);
      const p = storeProblems(check);
      log(`kill ${k + 1}/${o.kills} at ${delayMs} ms: ${r.killed ? 'killed' : `had finished (exit ${r.code})`}, ${check.documents} stored${p.length ? ' — ' + p.join('; ') : ''}`);
      // a full store has nothing left to write, and kills would only land in parsing: start a new round
      if (check.documents === o.docs && p.length === 0 && k < o.kills - 1) {
        rounds++;
        for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
      }
    }
    const fin = await runCli(docsDir, dbPath);
    const final = checkStore(dbPath);
    log(`final run: exit ${fin.code}, ${final.documents} stored`);
    return {
      docs: o.docs,
      expectedSha: docs.map((d) => d.sha256).sort(),
      kills,
      fullRunMs,
      rounds,
      finalExitCode: fin.code,
      finalStderr: fin.stderr,
      final,
      storedSha: storedSha(dbPath),
      wallMs: performance.now() - t0,
    };
  } finally {
    if (!o.workDir) rmSync(work, { recursive: true, force: true });
  }
}

/** A markdown summary of a crash run. */
export function crashSummary(r: CrashResult, o: CrashOptions): string {
  const killed = r.kills.filter((k) => !k.finishedFirst).length;
  const bad = r.kills.filter((k) => storeProblems(k.check).length > 0).length;
  const exact = r.storedSha.length === r.expectedSha.length && r.storedSha.every((s, i) => s === r.expectedSha[i]);
  const progress = r.kills.map((k) => k.stored).join(' → ');
  return [
    `- documents: ${r.docs} (every ${o.pdfEvery ?? 4}th a PDF, the rest paged text), seed ${o.seed}`,
    `- one full run: ${(r.fullRunMs / 1000).toFixed(1)} s; kill delays drawn from 50 ms to ${((1.1 * r.fullRunMs) / 1000).toFixed(1)} s`,
    `- runs killed with SIGKILL: ${killed} of ${r.kills.length} (${r.kills.length - killed} had finished before their kill was due)`,
    `- stores failing a check after a kill: ${bad}`,
    `- documents stored after each kill: ${progress} (${r.rounds} rounds: each time the store held all ${r.docs}, it was deleted and the next run started afresh, so that kills keep landing in writes)`,
    `- final run: exit ${r.finalExitCode}; ${r.final.documents} documents, ${r.final.distinctSha} distinct, integrity_check ${r.final.integrity}, partial ${r.final.partialDocuments.length}, orphan rows ${Object.values(r.final.orphans).reduce((a, b) => a + b, 0)}; every document exactly once: ${exact ? 'yes' : 'NO'}`,
    `- wall time: ${(r.wallMs / 1000).toFixed(0)} s`,
  ].join('\n');
}

/** Replace (or add) a `## title` section of reports/robustness.md. */
export function writeReportSection(title: string, body: string): void {
  const file = path.join(ROOT, 'reports/robustness.md');
  const head = '# Robustness\n\nHostile input and crash tests (issue #8, items 3 and 4). Written by `scripts/hostile.ts` and `scripts/crash.ts`.\n';
  let md = existsSync(file) ? readFileSync(file, 'utf8') : head;
  const re = new RegExp(`\\n## ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n[\\s\\S]*?(?=\\n## |$)`);
  const section = `\n## ${title}\n\n${body.trim()}\n`;
  md = re.test(md) ? md.replace(re, section) : md.trimEnd() + '\n' + section;
  writeFileSync(file, md);
}

async function cli(): Promise<void> {
  const args = process.argv.slice(2);
  const num = (name: string, d: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : d;
  };
  const o: CrashOptions = { docs: num('--docs', 100), kills: num('--kills', 50), seed: num('--seed', 1), log: (l) => process.stderr.write(l + '\n') };
  const r = await crashTest(o);
  const summary = crashSummary(r, o);
  process.stdout.write(summary + '\n');
  const problems = [...r.kills.flatMap((k, i) => storeProblems(k.check).map((p) => `after kill ${i + 1}: ${p}`)), ...storeProblems(r.final)];
  const exact = r.storedSha.length === r.expectedSha.length && r.storedSha.every((s, i) => s === r.expectedSha[i]);
  if (!exact) problems.push(`stored ${r.storedSha.length} documents, expected exactly the ${r.expectedSha.length} built`);
  if (r.finalExitCode !== 0) problems.push(`final run exited ${r.finalExitCode}: ${r.finalStderr.slice(0, 500)}`);
  if (args.includes('--report')) {
    writeReportSection('Crash test', `\`npx tsx scripts/crash.ts --docs ${o.docs} --kills ${o.kills} --seed ${o.seed}\` (${new Date().toISOString().slice(0, 10)}):\n\n${summary}\n\n${problems.length ? 'Problems:\n\n' + problems.map((p) => `- ${p}`).join('\n') : 'No problems: every check passed after every kill.'}`);
  }
  if (problems.length) {
    process.stderr.write(problems.join('\n') + '\n');
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await cli();
