// Dev aid: print the keyed tables of a document as grids (`npx tsx scripts/tables.mts FILE [KEY]`).
import { readDocument } from '../src/ingest/index.js';
import { keyedTables } from '../parsers/tables/grid.js';
const d = await readDocument(process.argv[2]!);
const only = process.argv[3];
const sb = d.blocks.map((block, index) => ({ block, index }));
for (const t of keyedTables(sb)) {
  if (only && t.key !== only) continue;
  console.log(`== ${t.key ?? '?'} | ${t.title} | ${t.unitText ?? ''} | pages ${t.pages.join(',')} | aligned ${t.aligned}`);
  for (const r of process.env.FILLED ? t.filled : t.rows) console.log('  | ' + r.join(' | '));
}
