/**
 * The command line: thin. Parses arguments, calls the pipeline, reports
 * progress on stderr and results on stdout or in the database.
 * Exit codes: 0 all went in, 1 some files failed, 2 usage error.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { CRAWL_HELP, RUN_HELP } from './crawl/help.js';
import { failureMessage } from './ingest/errors.js';
import { KNOWN_EXTENSIONS } from './ingest/index.js';
// Command implementations are imported when their command runs: `--help`, `search`
// or `ingest` do not pay for loading the crawler, the extractors or SQLite they do not use.

export const DEFAULT_DB = 'out/disclosures.sqlite';

const HELP: Record<string, string> = {
  main: `disclosures — Chinese government budget disclosures (部门决算 / 部门预算) into data

Usage:
  disclosures ingest <files|dirs…> [--db PATH]   read disclosures into the SQLite store
  disclosures extract <files…> --json            print one disclosure as JSON (stdout)
  disclosures check <files|dirs…>                list what does not add up, per document
  disclosures search <words…> [--db PATH]        full-text search over the stored sections
  disclosures export --format csv|json|datapackage [--out DIR] [--db PATH]
  disclosures metadata [--out FILE] [--db PATH]  Datasette metadata (descriptions, facets, queries)
  disclosures crawl (--config FILE | --start URL…)  discover and fetch disclosures from portals
  disclosures run --config FILE                  crawl + ingest in one go, for schedulers (docs/crawl.md)
  disclosures <command> --help                   help for a command

Formats read (sniffed from the bytes): PDF, DOCX, HTML, XLSX/XLS, and text
(page text with form feeds or PAGE_BREAK markers, or Word exported to text).
PDF pages without a text layer (scans) are read by OCR, tables included
(PaddleOCR models on ONNX Runtime, installed by npm ci, nothing fetched); every
command that reads takes --ocr off|auto|force (default auto: only pages without
text; force: every page; off: none). OCR costs ~2–8 s a page and GBs of memory;
its values carry source "ocr" and a confidence (docs/ocr.md).
Layouts read: the 预算/决算 templates of every region in the corpus (Shanghai,
Jiangsu, Sichuan, Beijing, Guangdong, Fujian, Hunan, Chongqing, Yunnan, central
departments); tables are known by their title and structure, department, year,
kind and scope by the document's content, never by the file name.
Coverage of a directory without labels: npm run coverage [DIR…] (reports/coverage.md).
Default database: ${DEFAULT_DB}`,
  ingest: `Usage: disclosures ingest <files|dirs…> [--db PATH] [--jobs N] [--quiet]

Reads every file given, and every file under each directory (recursively),
and stores each disclosure in the SQLite database (default ${DEFAULT_DB}).

Several files of one disclosure (narrative + tables) are stored as one:
  - join them with '+':  disclosures ingest narrative.pdf+tables.pdf
  - or let the tool pair <name>.<ext> with <name>-tables.<ext> in the same list;
  - or let the content pair them, whatever their names: a file that holds only
    the narrative (情况说明) and one that holds only the tables (报表) of the same
    department, year, kind (预算/决算) and scope (部门/单位) are stored as one,
    narrative first, when the run has exactly one of each; otherwise alone.

Identical bytes already stored are skipped ("unchanged"), also a single file
stored before as one file of a multi-file disclosure. Each disclosure is
written in one transaction. Files that cannot be read are named on stderr with
a one-line reason; the others are still stored. What is read but is not a
预算/决算 disclosure (a notice, a 政府公报, an evaluation report) is not stored:
"not a disclosure FILE: reason" on stderr, counted in the summary line.
Files under a directory with extensions the tool does not know are skipped.

Options:
  --db PATH   the SQLite file to write (created with its directory)
  --jobs N    parsing threads, at most N (default: the number of cores): one per
              50 disclosures, as a thread costs a warm-up. A file that takes a
              parser past 120 s or 2 GB is stopped and fails alone. One writer,
              on the main thread.
  --quiet     no progress lines
  --ocr MODE  off | auto (default: pages without a text layer) | force (all pages)
Exit: 0 all stored, unchanged or not a disclosure, 1 some files failed or were
skipped, 2 usage error.`,
  check: `Usage: disclosures check <files|dirs…> [--min info|warning|error] [--fail-on warning|error]

Reads each disclosure (as ingest groups them: '+' joins files, <name>-tables
pairs with <name>, a narrative-only and a tables-only file of the same
department, year, kind and scope pair by content) and prints its findings, one
per line:
  file:page  severity  rule  message
then a summary line. What is not a 预算/决算 disclosure is named on stderr
("not a disclosure FILE: reason") and counted, without findings. Nothing is stored.

Options:
  --ocr MODE        off | auto (default) | force: OCR of PDF pages without text
  --min LEVEL       show findings of this severity and above (default info)
  --fail-on LEVEL   exit 3 when a finding of this severity or above is found
Exit: 0 all read, 1 some files could not be read, 2 usage error, 3 see --fail-on.`,
  crawl: CRAWL_HELP,
  run: RUN_HELP,
  search: `Usage: disclosures search <words…> [--db PATH] [--limit N]

Full-text search over the text of every stored disclosure (current versions).
Every word must occur. Quotes and spaces do not matter: 三公经费 finds “三公”经费;
words shorter than three characters work too. Prints department, year, kind,
section and page, with a snippet.`,
  export: `Usage: disclosures export --format csv|json|datapackage [--out DIR] [--db PATH]

Writes facts, line items and findings in long form (current versions):
  csv          facts.csv, line_items.csv, findings.csv
  json         facts.json, line_items.json, findings.json
  datapackage  the CSV files and a Frictionless datapackage.json (field types and
               descriptions; phase approved for 预算, executed for 决算; units)
Default --out: out/export`,
  metadata: `Usage: disclosures metadata [--out FILE] [--db PATH]

Writes a Datasette metadata file (table and column descriptions in English and
Chinese, facets, canned queries). Default --out: out/metadata.json. Then:
  datasette out/disclosures.sqlite --metadata out/metadata.json`,
  extract: `Usage: disclosures extract <files…> --json [--ocr off|auto|force]

Parses one disclosure (several files = the parts of one disclosure, e.g.
narrative.pdf tables.pdf; a narrative-only and a tables-only file are read
narrative first, in whatever order they are given, as ingest joins them) and
prints one JSON object on stdout: document, meta, facts, lineItems, sections,
tables, findings, performance (see ../shared/spec/extract-json.md). Nothing
else is printed on stdout. Values read by OCR (pages without a text layer) have
evidence with source "ocr" and a confidence.
Exit: 0 parsed (also with findings), 1 a file cannot be read (one line on
stderr, nothing on stdout) or it is not a 预算/决算 disclosure (the object is
printed; "not a disclosure FILE: reason" on stderr), 2 usage error.`,
};

class UsageError extends Error {}

interface Parsed {
  command?: string;
  args: string[];
  flags: Map<string, string | true>;
}

function parseArgs(argv: string[]): Parsed {
  const flags = new Map<string, string | true>();
  const args: string[] = [];
  let command: string | undefined;
  const withValue = new Set(['--db', '--jobs', '--min', '--fail-on', '--format', '--out', '--limit']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const [name, inline] = a.split('=', 2) as [string, string | undefined];
      if (withValue.has(name)) {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new UsageError(`${name} needs a value`);
        flags.set(name, v);
      } else flags.set(name, true);
    } else if (a === '-h') flags.set('--help', true);
    else if (!command) command = a;
    else args.push(a);
  }
  return { ...(command ? { command } : {}), args, flags };
}

function checkFlags(p: Parsed, allowed: string[]): void {
  for (const f of p.flags.keys()) if (!allowed.includes(f)) throw new UsageError(`unknown option ${f}`);
}

/** Expand directories; keep '+'-joined groups; pair name.ext with name-tables.ext (pairing by content comes after parsing: src/pairing.ts). */
export async function collectInputs(args: string[]): Promise<{ groups: string[][]; skipped: string[] }> {
  const groups: string[][] = [];
  const skipped: string[] = [];
  const singles: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const st = await stat(p).catch(() => null);
    if (st?.isDirectory()) {
      const entries = (await readdir(p)).filter((e) => !e.startsWith('.')).sort();
      for (const e of entries) {
        const full = path.join(p, e);
        const s = await stat(full).catch(() => null);
        if (s?.isDirectory()) await walk(full);
        else if (KNOWN_EXTENSIONS.has(path.extname(e).toLowerCase())) singles.push(full);
        else skipped.push(full);
      }
    } else singles.push(p);
  };
  for (const a of args) {
    if (a.includes('+')) groups.push(a.split('+').filter(Boolean));
    else await walk(a);
  }
  const set = new Set(singles);
  const paired = new Set<string>();
  for (const f of singles) {
    const ext = path.extname(f);
    const m = /^(.*)-tables$/.exec(f.slice(0, f.length - ext.length));
    if (m && set.has(m[1]! + ext)) {
      groups.push([m[1]! + ext, f]);
      paired.add(f).add(m[1]! + ext);
    }
  }
  for (const f of singles) if (!paired.has(f)) groups.push([f]);
  return { groups, skipped };
}

async function cmdIngest(p: Parsed): Promise<number> {
  checkFlags(p, ['--db', '--quiet', '--help', '--jobs']);
  if (p.args.length === 0) throw new UsageError('ingest needs files or directories');
  const dbPath = (p.flags.get('--db') as string | undefined) ?? DEFAULT_DB;
  const quiet = p.flags.has('--quiet');
  const jobsFlag = p.flags.get('--jobs');
  const jobs = jobsFlag === undefined ? availableParallelism() : Number(jobsFlag);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError('--jobs needs a whole number ≥ 1');
  const { groups, skipped } = await collectInputs(p.args);
  for (const s of skipped) process.stderr.write(`skipped ${s}: unknown file type\n`);
  const { openStore } = await import('./store/store.js');
  const { ingestGroups } = await import('./run-ingest.js');
  const db = openStore(dbPath);
  const count = { inserted: 0, unchanged: 0, not_disclosure: 0, unsupported: 0, failed: 0 };
  const progress = groups.length > 1 && !quiet;
  try {
    await ingestGroups(db, groups, {
      jobs,
      onOutcome: (o, done, total) => {
        count[o.status]++;
        const label = o.files.join(' + ');
        if (o.status === 'failed') process.stderr.write(`failed ${o.message}\n`);
        else if (o.status === 'unsupported') process.stderr.write(`skipped ${o.message}\n`);
        else if (o.status === 'not_disclosure') process.stderr.write(`not a disclosure ${label}: ${o.message}\n`);
        else if (progress && o.disclosure) {
          const x = o.disclosure.extraction;
          const m = x.meta;
          process.stderr.write(`[${done}/${total}] ${o.status} ${label}: ${m.department ?? '?'} ${m.year ?? '?'} ${m.kind ?? '?'}, ${x.facts.length} facts, ${x.lineItems.length} line items, ${x.findings.length} findings\n`);
        }
      },
    });
  } finally {
    db.close();
  }
  if (!quiet) process.stderr.write(`${count.inserted} stored, ${count.unchanged} unchanged, ${count.not_disclosure} not a disclosure, ${count.unsupported} skipped (format not read yet), ${count.failed} failed → ${dbPath}\n`);
  // what is not a disclosure was read and recognised: named above, not a failure
  return count.failed > 0 || count.unsupported > 0 ? 1 : 0;
}

const RANK: Record<string, number> = { info: 0, warning: 1, error: 2 };

async function cmdCheck(p: Parsed): Promise<number> {
  checkFlags(p, ['--min', '--fail-on', '--help']);
  if (p.args.length === 0) throw new UsageError('check needs files or directories');
  const min = (p.flags.get('--min') as string | undefined) ?? 'info';
  const failOn = p.flags.get('--fail-on') as string | undefined;
  if (!(min in RANK) || (failOn !== undefined && !(failOn in RANK))) throw new UsageError('--min and --fail-on take info, warning or error');
  const { groups, skipped } = await collectInputs(p.args);
  for (const s of skipped) process.stderr.write(`skipped ${s}: unknown file type\n`);
  const total = { error: 0, warning: 0, info: 0 };
  let failed = 0;
  let docs = 0;
  let notDisclosures = 0;
  const { readDisclosure, joinParts } = await import('./extract.js');
  const { pairDisclosures, waitsForPartner } = await import('./pairing.js');
  type Read = Awaited<ReturnType<typeof readDisclosure>>;
  const print = (files: string[], d: Read) => {
    if (!d.extraction.disclosure) {
      notDisclosures++;
      process.stderr.write(`not a disclosure ${files.join(' + ')}: ${d.extraction.disclosureReason ?? 'not a 预算/决算 disclosure'}\n`);
      return;
    }
    docs++;
    const m = d.extraction.meta;
    process.stdout.write(`${files.join(' + ')}  (${m.department ?? '?'} ${m.year ?? '?'} ${m.kind ?? '?'})\n`);
    for (const f of d.extraction.findings) {
      total[f.severity]++;
      if (RANK[f.severity]! < RANK[min]!) continue;
      const e = f.evidence[0];
      const where = `${e?.file ?? files[0]}${e?.page !== undefined ? ':' + e.page : ''}`;
      process.stdout.write(`${where}  ${f.severity}  ${f.rule}  ${f.message}\n`);
    }
  };
  // as ingest: a file holding only the narrative or only the tables waits for the others,
  // then is read with its partner as one disclosure (src/pairing.ts)
  const held: Array<{ files: string[]; disclosure: Read }> = [];
  for (const group of groups) {
    let d: Read;
    try {
      d = await readDisclosure(group);
    } catch (e) {
      failed++;
      process.stderr.write(`failed ${failureMessage(group, e)}\n`);
      continue;
    }
    if (waitsForPartner(group, d)) held.push({ files: group, disclosure: d });
    else print(group, d);
  }
  for (const members of pairDisclosures(held)) {
    let joined: ReturnType<typeof joinParts>;
    try {
      joined = joinParts(members);
    } catch (e) {
      failed++;
      process.stderr.write(`failed ${failureMessage(members.flatMap((m) => m.files), e)}\n`);
      continue;
    }
    print(joined.files, joined.disclosure);
  }
  process.stdout.write(`${docs} document${docs === 1 ? '' : 's'} checked: ${total.error} errors, ${total.warning} warnings, ${total.info} info${notDisclosures ? `; ${notDisclosures} not a disclosure` : ''}${failed ? `; ${failed} could not be read` : ''}\n`);
  if (failed) return 1;
  if (failOn && (total.error > 0 || (failOn !== 'error' && total.warning > 0) || (failOn === 'info' && total.info > 0))) return 3;
  return 0;
}

async function openExisting(p: Parsed) {
  const dbPath = (p.flags.get('--db') as string | undefined) ?? DEFAULT_DB;
  if (!existsSync(dbPath)) throw new UsageError(`no database at ${dbPath}: run disclosures ingest first, or give --db`);
  const { openStore } = await import('./store/store.js');
  return { db: openStore(dbPath), dbPath, query: await import('./store/query.js') };
}

async function cmdSearch(p: Parsed): Promise<number> {
  checkFlags(p, ['--db', '--limit', '--help']);
  if (p.args.length === 0) throw new UsageError('search needs words');
  const limit = Number(p.flags.get('--limit') ?? 100);
  const { db, query } = await openExisting(p);
  try {
    const hits = query.searchSections(db, p.args, limit);
    for (const h of hits) {
      process.stdout.write(`${h.department ?? '?'} ${h.year ?? '?'} ${h.kind ?? '?'}  ${h.title || '(untitled)'}${h.page ? `  p.${h.page}` : ''}  [document ${h.document_id}]\n    ${h.snippet}\n`);
    }
    process.stderr.write(`${hits.length} section${hits.length === 1 ? '' : 's'} found\n`);
    return 0;
  } finally {
    db.close();
  }
}

async function cmdExport(p: Parsed): Promise<number> {
  checkFlags(p, ['--db', '--format', '--out', '--help']);
  const format = p.flags.get('--format');
  if (format !== 'csv' && format !== 'json' && format !== 'datapackage') throw new UsageError('--format csv|json|datapackage is required');
  const out = (p.flags.get('--out') as string | undefined) ?? 'out/export';
  const { db, query } = await openExisting(p);
  try {
    const r = query.exportStore(db, format, out);
    process.stderr.write(`${Object.entries(r.counts).map(([k, n]) => `${n} ${k.replace('_', ' ')}`).join(', ')} → ${r.files.join(', ')}\n`);
    return 0;
  } finally {
    db.close();
  }
}

async function cmdMetadata(p: Parsed): Promise<number> {
  checkFlags(p, ['--db', '--out', '--help']);
  const out = (p.flags.get('--out') as string | undefined) ?? 'out/metadata.json';
  const { db, dbPath, query } = await openExisting(p);
  try {
    mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    writeFileSync(out, JSON.stringify(query.datasetteMetadata(db, path.basename(dbPath).replace(/\.[^.]+$/, '')), null, 2) + '\n');
    process.stderr.write(`wrote ${out}: datasette ${dbPath} --metadata ${out}\n`);
    return 0;
  } finally {
    db.close();
  }
}

async function cmdExtract(p: Parsed): Promise<number> {
  checkFlags(p, ['--json', '--help']);
  if (p.args.length === 0) throw new UsageError('extract needs at least one file');
  if (!p.flags.has('--json')) throw new UsageError('extract prints JSON only: add --json');
  try {
    const { readParts, toExtractJson } = await import('./extract.js');
    const d = await readParts(p.args);
    process.stdout.write(JSON.stringify(toExtractJson(d), null, 2) + '\n');
    // the object is printed all the same (a reader may want to see why); the exit code says it (extract-json.md)
    if (!d.extraction.disclosure) {
      process.stderr.write(`not a disclosure ${p.args.join(' + ')}: ${d.extraction.disclosureReason ?? 'not a 预算/决算 disclosure'}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    process.stderr.write(`error: ${failureMessage(p.args, e)}\n`);
    return 1;
  }
}

/**
 * `--ocr off|auto|force`, on every command that reads documents (ingest, check,
 * extract, crawl, run): taken out of the arguments and set for the whole process
 * (DISCLOSURES_OCR), so that the parse workers and the crawler read with it too.
 */
function takeOcrFlag(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a !== '--ocr' && !a.startsWith('--ocr=')) {
      out.push(a);
      continue;
    }
    const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
    if (v !== 'off' && v !== 'auto' && v !== 'force') throw new UsageError(`--ocr needs off, auto or force (got ${v ?? 'nothing'})`);
    process.env.DISCLOSURES_OCR = v;
  }
  return out;
}

export async function main(argvIn: string[]): Promise<number> {
  let argv: string[];
  try {
    argv = takeOcrFlag(argvIn);
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 2;
  }
  // the crawler parses its own flags (--start URL may repeat)
  if (argv[0] === 'crawl') return (await import('./crawl/cli.js')).crawlCommand(argv.slice(1));
  if (argv[0] === 'run') return (await import('./crawl/cli.js')).runCommand(argv.slice(1));
  let p: Parsed;
  try {
    p = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n${HELP.main}\n`);
    return 2;
  }
  const cmd = p.command;
  if (!cmd || cmd === 'help') {
    const topic = cmd === 'help' ? p.args[0] : undefined;
    process.stdout.write((HELP[topic ?? 'main'] ?? HELP.main) + '\n');
    return cmd || p.flags.has('--help') ? 0 : 2;
  }
  if (p.flags.has('--help')) {
    if (!HELP[cmd]) {
      process.stderr.write(`error: unknown command '${cmd}'\n${HELP.main}\n`);
      return 2;
    }
    process.stdout.write(HELP[cmd] + '\n');
    return 0;
  }
  try {
    switch (cmd) {
      case 'ingest':
        return await cmdIngest(p);
      case 'extract':
        return await cmdExtract(p);
      case 'check':
        return await cmdCheck(p);
      case 'search':
        return await cmdSearch(p);
      case 'export':
        return await cmdExport(p);
      case 'metadata':
        return await cmdMetadata(p);
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n${HELP[cmd] ?? HELP.main}\n`);
      return 2;
    }
    throw e;
  }
}
