/**
 * Dev aid: read every corpus PDF with both readers (pdfjs and the fast one) and
 * report where their pages differ, and how long each took.
 *   node --import tsx scripts/pdf-engines.mts [DIR or PDF …]
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { readPdfPages } from '../src/ingest/pdf.js';

const args = process.argv.slice(2);
const inputs = args.length ? args : ['../shared/corpus'];
const files = inputs.flatMap((a) => (statSync(a).isDirectory() ? readdirSync(a).filter((f) => f.endsWith('.pdf')).map((f) => path.join(a, f)) : [a]));
let same = 0;
let tFast = 0;
let tPdfjs = 0;
for (const f of files) {
  const bytes = new Uint8Array(readFileSync(f));
  let t = performance.now();
  const a = await readPdfPages(bytes, { engine: 'pdfjs' });
  const dp = performance.now() - t;
  t = performance.now();
  let b;
  try {
    b = await readPdfPages(bytes, { engine: 'fast' });
  } catch (e) {
    console.log(`${path.basename(f)}: fast reader declined (${(e as Error).message})`);
    continue;
  }
  const df = performance.now() - t;
  tFast += df;
  tPdfjs += dp;
  const ja = JSON.stringify(a.pages);
  const jb = JSON.stringify(b.pages);
  if (ja === jb && JSON.stringify(a.textlessPages) === JSON.stringify(b.textlessPages)) {
    same++;
    console.log(`${path.basename(f)}: same (${a.pageCount} pages) pdfjs ${dp.toFixed(0)} ms, fast ${df.toFixed(0)} ms`);
  } else {
    console.log(`${path.basename(f)}: DIFFERENT pdfjs ${dp.toFixed(0)} ms, fast ${df.toFixed(0)} ms`);
    for (let p = 0; p < Math.max(a.pages.length, b.pages.length); p++) {
      const x = JSON.stringify(a.pages[p]);
      const y = JSON.stringify(b.pages[p]);
      if (x !== y) {
        let i = 0;
        while (i < x.length && x[i] === y[i]) i++;
        console.log(`  page ${p + 1}: pdfjs …${x.slice(Math.max(0, i - 60), i + 100)}\n          fast  …${y.slice(Math.max(0, i - 60), i + 100)}`);
        if (!process.env.ALL) break;
      }
    }
  }
}
console.log(`${same}/${files.length} identical; pdfjs ${tPdfjs.toFixed(0)} ms, fast ${tFast.toFixed(0)} ms on the files both read`);
