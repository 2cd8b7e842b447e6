import { readFileSync, readdirSync } from 'node:fs';
import { readPdfPages } from '../src/ingest/pdf.js';
const dir = '/work/shared/corpus/';
let pages = 0; const t0 = performance.now();
for (const f of readdirSync(dir).filter((f) => f.endsWith('.pdf'))) {
  const t = performance.now();
  const r = await readPdfPages(new Uint8Array(readFileSync(dir + f)));
  pages += r.pageCount;
  console.log(f, r.pageCount, Math.round(performance.now() - t) + 'ms');
}
const s = (performance.now() - t0) / 1000;
console.log('pages', pages, 's', s.toFixed(2), 'pages/s', (pages / s).toFixed(1), 'rss', Math.round(process.memoryUsage().rss / 1e6));
