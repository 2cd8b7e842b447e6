import { readDocument } from '../src/ingest/index.js';
const d = await readDocument(process.argv[2]!);
for (const b of d.blocks) {
  const p = b.evidence.page ?? '';
  if (b.kind === 'table') console.log(`[${p}] TABLE ${b.rows.length}x cap=${JSON.stringify(b.caption)} first=${JSON.stringify(b.rows[0]?.map(c=>c.text))}`);
  else if (b.kind === 'chart') console.log(`[${p}] CHART ${b.title} ${JSON.stringify(b.series)}`);
  else console.log(`[${p}] ${b.kind === 'heading' ? 'H ' : 'P '}${b.text.slice(0, 100)}`);
}
