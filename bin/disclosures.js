#!/usr/bin/env node
// Entry point of the `disclosures` command. `npm ci` builds dist/ (scripts/build.mjs);
// while that build matches the sources it is what runs (no TypeScript loader to start,
// in this thread or in the parse workers). Otherwise (sources edited since, or no
// TypeScript to build with) the sources run through tsx's loader.
import { distIsCurrent } from './sources.js';

const compiled = distIsCurrent();
if (!compiled) (await import('tsx/esm/api')).register();
// A reader could reject a promise after a damaged file was already read or refused
// (pdfjs did: scripts/patch-deps.mjs). Should another such path exist, say so on
// stderr and go on with the next file, rather than die
process.on('unhandledRejection', (e) => {
  process.stderr.write(`warning: a parser left an error behind after its file was done: ${String(e instanceof Error ? e.message : e).split('\n')[0]}\n`);
});
// `disclosures extract … | head`: a closed pipe ends the command quietly
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = compiled ? await import('../dist/src/cli.js') : await import('../src/cli.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
