/** Writes docs/keys.md from the catalogues: the canonical section and table keys of `extract --json`. */
import { writeFileSync } from 'node:fs';
import { SECTION_CATALOGUE } from '../parsers/catalogue/sections.js';
import { TABLE_CATALOGUE } from '../parsers/catalogue/tables.js';
import { FACT_LABELS, FACT_ORDER } from '../parsers/fact-keys.js';

const lines = [
  '# Canonical keys',
  '',
  'Generated from the catalogues by `npx tsx scripts/keys-doc.ts`; a test keeps it in step.',
  '',
  '## Sections (`sections[].key`, `sections.key` in the store)',
  '',
  '| key | level | 中文 |',
  '|---|---|---|',
  ...SECTION_CATALOGUE.map((d) => `| \`${d.key}\` | ${d.level} | ${d.label} |`),
  '',
  '## Tables (`tables[].key`, `tables.key` in the store)',
  '',
  '| key | 中文 |',
  '|---|---|',
  ...TABLE_CATALOGUE.map((d) => `| \`${d.key}\` | ${d.label} |`),
  '',
  '## Facts (`facts[].key`, see ../shared/spec/facts.md)',
  '',
  '| key | 中文 |',
  '|---|---|',
  ...FACT_ORDER.map((k) => `| \`${k}\` | ${FACT_LABELS[k] ?? ''} |`),
  '',
];
writeFileSync(new URL('../docs/keys.md', import.meta.url), lines.join('\n'));
