#!/usr/bin/env node
/**
 * Fixes in installed dependencies, applied by `npm install` / `npm ci` (the
 * `postinstall` script). Each fix replaces one exact piece of text in one file of a
 * dependency whose version package.json pins; it is applied once (a second run finds
 * the fixed text and does nothing). If a file holds neither the original nor the
 * fixed text (the dependency was upgraded), the install stops and says which fix to
 * look at again: a silently unapplied fix would bring its bug back unnoticed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

const FIXES = [
  {
    id: 'pdfjs-pages-prefetch-rejection',
    package: 'pdfjs-dist',
    files: ['legacy/build/pdf.worker.mjs', 'build/pdf.worker.mjs'],
    // Catalog.getPageDict prefetches every top-level /Kids entry and caches the
    // promises. When it returns or throws before awaiting one of them and that
    // fetch fails (a damaged xref entry, a truncated object), the rejection has no
    // handler: Node reports an unhandled rejection after the document was already
    // read or refused, and by default ends the process. A no-op handler on the
    // cached promise marks it handled; whoever awaits it later still gets the error.
    from: 'pageDictCache.put(lastKid, xref.fetchAsync(lastKid));',
    to: 'pageDictCache.put(lastKid, xref.fetchAsync(lastKid)); pageDictCache.get(lastKid).catch(() => {}); /* disclosures: patch-deps.mjs */',
  },
  {
    id: 'pdfjs-cff-dict-size',
    package: 'pdfjs-dist',
    files: ['legacy/build/pdf.worker.mjs', 'build/pdf.worker.mjs'],
    // CFFParser.parseDict decodes a DICT of any length. A damaged embedded font whose
    // INDEX offsets point far apart hands it megabytes of garbage (4 MB for the first of
    // 4,619 font dicts in a corpus PDF with 3,606 bytes cut out): minutes of work and
    // gigabytes of operands. Real CFF DICTs hold a few hundred bytes; past 64 KB the font
    // is damaged, and the error is caught by pdfjs's Font, which falls back to a standard
    // font for that font alone (the text still comes from its ToUnicode map).
    from: '  parseDict(dict) {\n    let pos = 0;\n    function parseOperand() {',
    to: '  parseDict(dict) {\n    if (dict.length > 65536) throw new FormatError(`CFF dict of ${dict.length} bytes: damaged font`); /* disclosures: patch-deps.mjs */\n    let pos = 0;\n    function parseOperand() {',
  },
];

let failed = false;
for (const fix of FIXES) {
  let root;
  try {
    root = path.dirname(require.resolve(`${fix.package}/package.json`));
  } catch {
    continue; // not installed (e.g. a production install without it): nothing to fix
  }
  for (const rel of fix.files) {
    const file = path.join(root, rel);
    const text = readFileSync(file, 'utf8');
    if (text.includes(fix.to)) continue;
    const at = text.indexOf(fix.from);
    if (at < 0 || text.indexOf(fix.from, at + 1) >= 0) {
      process.stderr.write(`patch-deps: ${fix.id}: ${path.relative(process.cwd(), file)} does not hold the text this fix replaces exactly once; was ${fix.package} upgraded? See scripts/patch-deps.mjs\n`);
      failed = true;
      continue;
    }
    writeFileSync(file, text.slice(0, at) + fix.to + text.slice(at + fix.from.length));
  }
}
process.exit(failed ? 1 : 0);
