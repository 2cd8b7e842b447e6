/**
 * `npm run coverage [DIR|FILE …]` (default: the whole shared corpus): a label-free
 * report of how much of every document the pipeline reads, for finding what fails
 * across hundreds of documents without gold. Parses on both cores (the ingest's
 * worker pool, the ingest's grouping of files into disclosures, parts of one
 * disclosure paired by their content) and writes
 * reports/coverage.md (and out/coverage.json with every row):
 *  - per document: meta (department, year, kind, scope), the core facts, the
 *    canonical tables and coded line items read, whether the summary table
 *    balances (收入总计 = 支出总计), error findings;
 *  - rates per province and overall; the documents that fall short, worst first;
 *  - what is not a disclosure, and what could not be read.
 * A document is complete when its meta is, the four core facts are present
 * (income.total, expenditure.total, gpb.expenditure, three_public.total), it has
 * coded line items and at least six canonical tables.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectInputs } from '../src/cli.js';
import { ParsePool } from '../src/pool.js';
import { summaryBalance } from '../parsers/tables/summary.js';
import { STANDARD_TABLE_KEYS } from '../parsers/catalogue/tables.js';
import { mostlyTextless } from '../parsers/disclosure.js';
import { regionOf } from '../parsers/departments.js';
import { joinParts, type Disclosure } from '../src/extract.js';
import { pairDisclosures, waitsForPartner } from '../src/pairing.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(ROOT, '../shared');
const CORE = ['income.total', 'expenditure.total', 'gpb.expenditure', 'three_public.total'];
const REPORTED = [...CORE, 'totals.total'];
const MIN_TABLES = 6;

export interface CoverageRow {
  files: string[];
  province: string;
  status: 'read' | 'failed' | 'not-disclosure';
  message?: string;
  meta: { department?: string; year?: number; kind?: string; scope?: string };
  metaComplete: boolean;
  facts: Record<string, boolean>;
  tables: string[];
  lineItems: number;
  codedLineItems: number;
  balance: 'ok' | 'off' | 'n/a';
  balanceNote?: string;
  errors: Array<{ rule: string; message: string }>;
  textless: number;
  /** the narrative alone (its tables published in a file not given), or pages without a text layer */
  limitation?: 'narrative only' | 'no text layer';
  complete: boolean;
  missing: string[];
}

/** Province of a file: the corpus MANIFEST where it lists one, else the department's region, else its folder. */
function manifestProvinces(): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of [path.join(SHARED, 'corpus/national')]) {
    const f = path.join(dir, 'MANIFEST.tsv');
    if (!existsSync(f)) continue;
    const [head, ...lines] = readFileSync(f, 'utf8').split('\n').filter(Boolean);
    const cols = head!.split('\t');
    const fi = cols.indexOf('file');
    const pi = cols.indexOf('province');
    for (const l of lines) {
      const c = l.split('\t');
      out.set(path.resolve(dir, c[fi]!), c[pi]!);
    }
  }
  return out;
}

const CENTRAL = /^(?:国家|中华人民共和国|中国(?!共产党)|中央|全国|最高人民)/;

function provinceOf(files: string[], department: string | undefined, manifest: Map<string, string>): string {
  const m = manifest.get(path.resolve(files[0]!));
  if (m) return m;
  if (department) {
    if (CENTRAL.test(department)) return '中央';
    const r = regionOf(department).region;
    const p = r && /^(.+?(?:省|自治区|北京市|天津市|上海市|重庆市))/.exec(r)?.[1];
    if (p) return p.replace(/^(北京|天津|上海|重庆)市$/, '$1');
  }
  return path.basename(path.dirname(files[0]!));
}

export function rowOf(files: string[], d: Disclosure | undefined, error: string | undefined, manifest: Map<string, string>): CoverageRow {
  const rel = files.map((f) => path.relative(path.join(SHARED, 'corpus'), f).replace(/^(\.\.\/)+/, ''));
  const x = d?.extraction;
  const meta = x ? { ...x.meta } : {};
  const facts = Object.fromEntries(REPORTED.map((k) => [k, !!x?.facts.some((f) => f.key === k)]));
  const tables = [...new Set((x?.tables ?? []).map((t) => t.key).filter((k) => STANDARD_TABLE_KEYS.includes(k)))];
  const bal = x ? summaryBalance(x.keyedTables) : undefined;
  const textless = x?.findings.filter((f) => f.rule === 'reader.textless_page').length ?? 0;
  const status: CoverageRow['status'] = error ? 'failed' : x?.disclosure === false ? 'not-disclosure' : 'read';
  const metaComplete = !!(meta.department && meta.year && meta.kind && meta.scope);
  const missing: string[] = [];
  if (status === 'read') {
    for (const k of ['department', 'year', 'kind', 'scope'] as const) if (!meta[k]) missing.push(`meta.${k}`);
    for (const k of CORE) if (!facts[k]) missing.push(k);
    if (!x!.lineItems.some((li) => li.code)) missing.push('line items');
    if (tables.length < MIN_TABLES) missing.push(`tables ${tables.length}/${MIN_TABLES}`);
  }
  const limitation = d && mostlyTextless(d.docs) ? ('no text layer' as const) : x?.part === 'narrative' ? ('narrative only' as const) : undefined;
  return {
    files: rel,
    province: provinceOf(files, meta.department, manifest),
    status,
    ...(error ? { message: error } : x?.disclosure === false ? { message: x.disclosureReason } : {}),
    meta,
    metaComplete,
    facts,
    tables,
    lineItems: x?.lineItems.length ?? 0,
    codedLineItems: x?.lineItems.filter((li) => li.code).length ?? 0,
    balance: bal?.verdict ?? 'n/a',
    ...(bal?.note ? { balanceNote: bal.note } : {}),
    errors: (x?.findings ?? []).filter((f) => f.severity === 'error').map((f) => ({ rule: f.rule, message: f.message })),
    textless,
    ...(limitation ? { limitation } : {}),
    complete: status === 'read' && missing.length === 0,
    missing,
  };
}

const pct = (a: number, b: number) => (b === 0 ? '–' : `${((100 * a) / b).toFixed(1)} %`);
const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderCoverage(rows: CoverageRow[], inputs: string[], seconds: number): string {
  const read = rows.filter((r) => r.status === 'read');
  const L: string[] = [];
  L.push('# Coverage: how much of every document is read', '');
  L.push(`Generated by \`npm run coverage\` on ${new Date().toISOString().slice(0, 10)} over ${inputs.map((i) => '`' + path.relative(ROOT, i) + '`').join(', ')}: ${rows.length} disclosures (${rows.reduce((s, r) => s + r.files.length, 0)} files) in ${seconds.toFixed(1)} s on ${availableParallelism()} cores. No gold labels: these are what the pipeline itself reports.`, '');
  L.push('"With their tables" leaves out what cannot have tables: a narrative whose tables were published in a file not given (no partner found by content), and pages without a text layer (OCR is not done yet).', '');
  L.push(`A disclosure is **complete** when its meta is (department, year, kind, scope), the four core facts are present (${CORE.map((k) => '`' + k + '`').join(', ')}), it has coded line items and at least ${MIN_TABLES} canonical tables. Balance: the summary table's 收入总计 against its 支出总计.`, '');
  const agg = (rs: CoverageRow[]) => {
    const r = rs.filter((x) => x.status === 'read');
    return {
      n: rs.length,
      read: r.length,
      complete: r.filter((x) => x.complete).length,
      withTables: r.filter((x) => !x.limitation).length,
      completeWithTables: r.filter((x) => x.complete && !x.limitation).length,
      meta: r.filter((x) => x.metaComplete).length,
      facts: Object.fromEntries(REPORTED.map((k) => [k, r.filter((x) => x.facts[k]).length])),
      tables: r.filter((x) => x.tables.length >= MIN_TABLES).length,
      items: r.filter((x) => x.codedLineItems > 0).length,
      balanced: r.filter((x) => x.balance === 'ok').length,
      off: r.filter((x) => x.balance === 'off').length,
      errors: r.filter((x) => x.errors.length > 0).length,
      failed: rs.filter((x) => x.status === 'failed').length,
      notDisclosure: rs.filter((x) => x.status === 'not-disclosure').length,
    };
  };
  L.push('## Rates', '');
  L.push(`| province | disclosures | complete | with their tables: complete | meta | ${REPORTED.map((k) => '`' + k + '`').join(' | ')} | ≥ ${MIN_TABLES} tables | line items | balances | unbalanced | with errors | not a disclosure | failed |`);
  L.push(`|---|---|---|---|---|${REPORTED.map(() => '---|').join('')}---|---|---|---|---|---|---|`);
  const provinces = [...new Set(rows.map((r) => r.province))].sort();
  const line = (name: string, rs: CoverageRow[]) => {
    const a = agg(rs);
    L.push(`| ${name} | ${a.read} | ${a.complete} (${pct(a.complete, a.read)}) | ${a.completeWithTables}/${a.withTables} (${pct(a.completeWithTables, a.withTables)}) | ${pct(a.meta, a.read)} | ${REPORTED.map((k) => pct(a.facts[k]!, a.read)).join(' | ')} | ${pct(a.tables, a.read)} | ${pct(a.items, a.read)} | ${a.balanced} | ${a.off} | ${a.errors} | ${a.notDisclosure} | ${a.failed} |`);
  };
  for (const p of provinces) line(p, rows.filter((r) => r.province === p));
  line('**all**', rows);
  L.push('');
  const short = read.filter((r) => !r.complete).sort((a, b) => b.missing.length - a.missing.length || a.files[0]!.localeCompare(b.files[0]!));
  L.push(`## Falling short (${short.length}), worst first`, '');
  if (short.length) {
    L.push('| disclosure | what | meta | missing | tables | line items | balance | errors |', '|---|---|---|---|---|---|---|---|');
    for (const r of short) L.push(`| ${esc(r.files.join(' + '))} | ${r.limitation ?? ''} | ${esc(metaText(r))} | ${esc(r.missing.join(', '))}${r.textless ? ` (${r.textless} pages without text)` : ''} | ${r.tables.length} | ${r.codedLineItems} | ${r.balance} | ${r.errors.length} |`);
    L.push('');
  }
  const unbalanced = read.filter((r) => r.balance === 'off');
  if (unbalanced.length) {
    L.push(`## Summary tables that do not balance (${unbalanced.length})`, '');
    for (const r of unbalanced) L.push(`- ${esc(r.files.join(' + '))}: ${esc(r.balanceNote ?? '')}`);
    L.push('');
  }
  const withErrors = read.filter((r) => r.errors.length);
  L.push(`## Error findings by rule`, '');
  const byRule = new Map<string, number>();
  for (const r of withErrors) for (const e of r.errors) byRule.set(e.rule, (byRule.get(e.rule) ?? 0) + 1);
  if (byRule.size === 0) L.push('None.');
  else {
    L.push('| rule | findings | disclosures |', '|---|---|---|');
    for (const [rule, n] of [...byRule].sort((a, b) => b[1] - a[1])) L.push(`| \`${rule}\` | ${n} | ${withErrors.filter((r) => r.errors.some((e) => e.rule === rule)).length} |`);
  }
  L.push('');
  const notDisc = rows.filter((r) => r.status === 'not-disclosure');
  L.push(`## Not a disclosure (${notDisc.length})`, '');
  for (const r of notDisc) L.push(`- ${esc(r.files.join(' + '))}: ${esc(r.message ?? '')}`);
  L.push('');
  const failed = rows.filter((r) => r.status === 'failed');
  L.push(`## Could not be read (${failed.length})`, '');
  for (const r of failed) L.push(`- ${esc(r.message ?? r.files.join(' + '))}`);
  L.push('');
  L.push('## Every disclosure', '');
  L.push(`| disclosure | province | meta | ${REPORTED.map((k) => k.replace(/\.total$|\.expenditure$/, '')).join(' | ')} | tables | coded items | balance | errors |`);
  L.push(`|---|---|---|${REPORTED.map(() => '---|').join('')}---|---|---|---|`);
  for (const r of read) L.push(`| ${esc(r.files.join(' + '))} | ${r.province} | ${esc(metaText(r))} | ${REPORTED.map((k) => (r.facts[k] ? '✓' : '·')).join(' | ')} | ${r.tables.length} | ${r.codedLineItems} | ${r.balance} | ${r.errors.length ? r.errors.length + ' (' + [...new Set(r.errors.map((e) => e.rule))].join(', ') + ')' : 0} |`);
  return L.join('\n') + '\n';
}

function metaText(r: CoverageRow): string {
  const m = r.meta;
  return `${m.department ?? '?'} ${m.year ?? '?'} ${m.kind ?? '?'}/${m.scope ?? '?'}`;
}

/** Parse every disclosure under `inputs` on both cores and give one coverage row each. */
export async function coverageRows(inputs: string[]): Promise<{ rows: CoverageRow[]; seconds: number }> {
  const started = performance.now();
  const { groups } = await collectInputs(inputs);
  const manifest = manifestProvinces();
  const pool = new ParsePool(availableParallelism());
  let done = 0;
  // as ingest does: single files that hold only a narrative or only the tables wait for
  // their partner (same department, year, kind, scope) and are read as one disclosure
  const waiting: Array<{ files: string[]; disclosure: Disclosure }> = [];
  const parsed = await Promise.all(
    groups.map(async (files) => {
      const r = await pool.parse(files);
      done++;
      if (process.stderr.isTTY) process.stderr.write(`\r${done}/${groups.length}`);
      if (r.ok && r.disclosure && waitsForPartner(files, r.disclosure)) {
        waiting.push({ files, disclosure: r.disclosure });
        return undefined;
      }
      return rowOf(files, r.ok ? r.disclosure : undefined, r.ok ? undefined : r.error?.message, manifest);
    }),
  );
  await pool.close();
  const rows = parsed.filter((r): r is CoverageRow => !!r);
  for (const group of pairDisclosures(waiting)) {
    const { files, disclosure } = joinParts(group);
    rows.push(rowOf(files, disclosure, undefined, manifest));
  }
  rows.sort((a, b) => a.files[0]!.localeCompare(b.files[0]!));
  return { rows, seconds: (performance.now() - started) / 1000 };
}

async function main() {
  const args = process.argv.slice(2);
  const inputs = (args.length ? args : [path.join(SHARED, 'corpus')]).map((a) => path.resolve(a));
  const { rows, seconds } = await coverageRows(inputs);
  const report = renderCoverage(rows, inputs, seconds);
  mkdirSync(path.join(ROOT, 'reports'), { recursive: true });
  mkdirSync(path.join(ROOT, 'out'), { recursive: true });
  writeFileSync(path.join(ROOT, 'reports/coverage.md'), report);
  writeFileSync(path.join(ROOT, 'out/coverage.json'), JSON.stringify(rows, null, 1));
  const read = rows.filter((r) => r.status === 'read');
  const withTables = read.filter((r) => !r.limitation);
  process.stderr.write(`\r${rows.length} disclosures in ${seconds.toFixed(1)} s: ${read.filter((r) => r.complete).length}/${read.length} complete (${withTables.filter((r) => r.complete).length}/${withTables.length} of those with their tables), meta ${read.filter((r) => r.metaComplete).length}/${read.length}, ${rows.filter((r) => r.status === 'not-disclosure').length} not a disclosure, ${rows.filter((r) => r.status === 'failed').length} failed → reports/coverage.md\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
