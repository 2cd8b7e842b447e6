// Dev aid: meta, fact/line-item/table counts and findings for every file given.
import { readDisclosure, toExtractJson } from '../src/extract.js';
for (const f of process.argv.slice(2)) {
  const t0 = Date.now();
  try {
    const j = toExtractJson(await readDisclosure(f.split('+')));
    const m = j.meta;
    console.log(`${f.split('/').pop()} | ${m.department} | ${m.year} ${m.kind} ${m.scope} | facts ${j.facts.length} | li ${j.lineItems.length} | tables ${j.tables.map((t) => t.key).join(',')} | findings ${j.findings.length} | ${Date.now() - t0}ms`);
  } catch (e) {
    console.log(`${f.split('/').pop()} | ERROR ${(e as Error).message}`);
  }
}
