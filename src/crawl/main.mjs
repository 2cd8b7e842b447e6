#!/usr/bin/env node
// Stand-alone entry of the crawler until `crawl` and `run` are wired into
// src/cli.ts: `node src/crawl/main.mjs run --config sources.json`.
// Registers tsx like bin/disclosures.js, then runs the command.
import { register } from 'tsx/esm/api';

register();
const { crawlCommand, runCommand } = await import('./cli.ts');
const [cmd, ...rest] = process.argv.slice(2);
if (cmd !== 'crawl' && cmd !== 'run') {
  process.stderr.write('usage: node src/crawl/main.mjs crawl|run [options]   (--help for the options)\n');
  process.exitCode = 2;
} else {
  process.exitCode = await (cmd === 'run' ? runCommand(rest) : crawlCommand(rest));
}
