/**
 * One measured pipeline run for `npm run bench` and `npm run bench:scale` (they spawn
 * this in a child process so that its peak RSS can be measured on its own):
 *
 *   node scripts/bench-run.mjs --jobs N --db FILE FILE...
 *
 * Runs the code the `disclosures` command runs (bin/sources.js): the compiled build
 * in dist/ when it matches the sources, else the sources through tsx. Groups the
 * files as `disclosures ingest` does (name.pdf + name-tables.pdf are one disclosure),
 * ingests them into a fresh SQLite database through `ingestGroups` (parse in a pool
 * of N worker threads, one writer on this thread), and prints one JSON line: pages,
 * groups, outcome counts, ingest seconds, this process's VmHWM, which code ran.
 */
import { readFileSync } from 'node:fs';
import { distIsCurrent } from '../bin/sources.js';

const compiled = distIsCurrent();
if (!compiled) (await import('tsx/esm/api')).register();
const load = (mod) => import(compiled ? `../dist/src/${mod}.js` : `../src/${mod}.ts`);

const args = process.argv.slice(Math.max(0, process.argv.indexOf('--jobs')));
if (args[0] !== '--jobs' || args[2] !== '--db') throw new Error('usage: bench-run --jobs N --db FILE FILE...');
const jobs = Number(args[1]);
const dbPath = args[3];
const files = args.slice(4);
if (!Number.isInteger(jobs) || jobs < 1 || files.length === 0) throw new Error('usage: bench-run --jobs N --db FILE FILE...');

const { collectInputs } = await load('cli');
const { ingestGroups } = await load('run-ingest');
const { openStore } = await load('store/store');
const { groups } = await collectInputs(files);
const db = openStore(dbPath);
const counts = { inserted: 0, unchanged: 0, not_disclosure: 0, unsupported: 0, failed: 0 };
const failures = [];
let pages = 0;
const t0 = performance.now();
try {
  await ingestGroups(db, groups, {
    jobs,
    onOutcome: (o) => {
      counts[o.status]++;
      if (o.status === 'failed' || o.status === 'unsupported') failures.push(o.message);
      for (const d of o.disclosure?.docs ?? []) pages += d.file.pages ?? 0;
    },
  });
} finally {
  db.close();
}
const seconds = (performance.now() - t0) / 1000;
const hwm = /VmHWM:\s*(\d+)\s*kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
process.stdout.write(
  JSON.stringify({ jobs, files: files.length, groups: groups.length, pages, seconds, counts, failures, vmHwmKb: hwm ? Number(hwm) : null, compiled }) + '\n',
);
