// Dev aid: findings of every file given (`+` joins the files of one disclosure), errors and warnings only unless --all.
import { readDisclosure } from '../src/extract.js';
const all = process.argv.includes('--all');
for (const f of process.argv.slice(2).filter((a) => a !== '--all')) {
  const d = await readDisclosure(f.split('+'));
  const fs = d.extraction.findings.filter((x) => all || x.severity !== 'info');
  console.log(`=== ${f.split('/').pop()} (${fs.length})`);
  for (const x of fs) console.log(`  p${x.evidence[0]?.page ?? '-'} ${x.severity} ${x.rule}: ${x.message}`);
}
