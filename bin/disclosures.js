#!/usr/bin/env node
// Entry point of the `disclosures` command: runs the TypeScript sources through
// tsx's loader, so that `npx disclosures …` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
// `disclosures extract … | head`: a closed pipe ends the command quietly
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = await import('../src/cli.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
