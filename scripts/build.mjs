#!/usr/bin/env node
/**
 * `npm run build` (also run by `npm ci` / `npm install` through `prepare`): compiles
 * src/ and parsers/ to dist/ with tsc, copies the non-TypeScript files they read at
 * run time (SQL migrations, JSON data), and stamps the build with the sources'
 * fingerprint (bin/sources.js). The `disclosures` command runs dist/ while the stamp
 * matches the sources, and the sources through tsx otherwise, so a stale or missing
 * build is never run. Without TypeScript installed this does nothing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DIST, ROOT, SOURCE_DIRS, STAMP, fingerprint } from '../bin/sources.js';

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write('build skipped: typescript is not installed; the disclosures command runs the TypeScript sources through tsx\n');
  process.exit(0);
}
rmSync(DIST, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  // tsc still wrote the JavaScript; a type error is reported by `npm test`, not here
  process.stderr.write('build: tsc reported errors (see above); dist/ is left unstamped, so the command runs the sources\n');
  process.exit(0);
}
const copy = (dir) => {
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) copy(rel);
    else if (!e.name.endsWith('.ts') && !e.name.endsWith('.mjs')) {
      mkdirSync(path.join(DIST, dir), { recursive: true });
      cpSync(path.join(ROOT, rel), path.join(DIST, rel));
    }
  }
};
for (const d of SOURCE_DIRS) copy(d);
writeFileSync(STAMP, fingerprint());
process.stderr.write('built dist/\n');
