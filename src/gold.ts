/**
 * Comparing an extraction with a hand-labelled gold file (../shared/gold/):
 * used by the tests and by `npm run accuracy`. Money matches within 0.5 yuan,
 * percentages within 0.005, counts exactly.
 */
import { readFileSync } from 'node:fs';

export interface GoldFact {
  value: number;
  unit: 'yuan' | 'percent' | 'count';
  quote?: string;
  page?: number;
  file?: string;
}
export interface GoldLineItem {
  code?: string;
  name?: string;
  path: string[];
  total?: number;
  basic?: number;
  project?: number;
}
export interface Gold {
  id: string;
  file: string;
  files?: string[];
  meta: { department: string; year: number; kind: string; scope: string };
  facts: Record<string, GoldFact>;
  lineItems: GoldLineItem[];
  notes?: string[];
  performance?: unknown;
}

export function loadGold(path: string): Gold {
  return JSON.parse(readFileSync(path, 'utf8')) as Gold;
}

export interface Comparison {
  facts: { matched: string[]; wrong: Array<{ key: string; expected: number; got: number }>; missing: string[]; total: number };
  lineItems: { matched: number; missing: GoldLineItem[]; wrong: Array<{ gold: GoldLineItem; got: { total?: number; basic?: number; project?: number; path: string[] } }>; total: number };
  meta: { matched: string[]; wrong: Array<{ key: string; expected: unknown; got: unknown }> };
}

function close(unit: string, a: number, b: number): boolean {
  if (unit === 'yuan') return Math.abs(a - b) <= 0.5;
  if (unit === 'percent') return Math.abs(a - b) <= 0.005;
  return a === b;
}

interface ExtractLike {
  meta: Record<string, unknown>;
  facts: Array<{ key: string; value: number; unit: string }>;
  lineItems: Array<{ code?: string; name: string; path: string[]; total?: number; basic?: number; project?: number }>;
}

/**
 * Whether the fact read for `key` carries a finding: a warning or error that names the
 * key, or whose evidence cites a value as the fact's evidence printed it. A wrong value
 * must never stand without one (OCR above all).
 */
export function carriesFinding(
  got: { facts: Array<{ key: string; evidence: Array<{ printed?: string }> }>; findings: Array<{ severity: string; message: string; evidence: Array<{ printed?: string }> }> },
  key: string,
): boolean {
  const printed = (got.facts.find((f) => f.key === key)?.evidence ?? []).map((e) => e.printed).filter((p): p is string => p !== undefined);
  return got.findings.some((f) => f.severity !== 'info' && (f.message.includes(key) || f.evidence.some((e) => e.printed !== undefined && printed.includes(e.printed))));
}

export function compareWithGold(gold: Gold, got: ExtractLike): Comparison {
  const facts: Comparison['facts'] = { matched: [], wrong: [], missing: [], total: 0 };
  for (const [key, g] of Object.entries(gold.facts)) {
    facts.total++;
    const f = got.facts.find((x) => x.key === key);
    if (!f) facts.missing.push(key);
    else if (f.unit === g.unit && close(g.unit, g.value, f.value)) facts.matched.push(key);
    else facts.wrong.push({ key, expected: g.value, got: f.value });
  }
  const items: Comparison['lineItems'] = { matched: 0, missing: [], wrong: [], total: gold.lineItems.length };
  const used = new Set<number>();
  for (const g of gold.lineItems) {
    const idx = got.lineItems.findIndex((li, i) => !used.has(i) && (g.code ? li.code === g.code : li.path.join('/') === g.path.join('/')));
    if (idx < 0) {
      items.missing.push(g);
      continue;
    }
    used.add(idx);
    const li = got.lineItems[idx]!;
    const ok = (['total', 'basic', 'project'] as const).every((k) => g[k] === undefined || (li[k] !== undefined && close('yuan', g[k]!, li[k]!)));
    const pathOk = !g.code || li.path.join('/') === g.path.join('/');
    if (ok && pathOk) items.matched++;
    else items.wrong.push({ gold: g, got: { total: li.total, basic: li.basic, project: li.project, path: li.path } });
  }
  const meta: Comparison['meta'] = { matched: [], wrong: [] };
  for (const [k, v] of Object.entries(gold.meta)) {
    if (got.meta[k] === v) meta.matched.push(k);
    else meta.wrong.push({ key: k, expected: v, got: got.meta[k] });
  }
  return { facts, lineItems: items, meta };
}

export function describeComparison(c: Comparison): string {
  const lines = [
    `facts ${c.facts.matched.length}/${c.facts.total} matched, ${c.facts.wrong.length} wrong, ${c.facts.missing.length} missing`,
    `line items ${c.lineItems.matched}/${c.lineItems.total} matched`,
  ];
  for (const w of c.facts.wrong) lines.push(`  wrong ${w.key}: expected ${w.expected}, got ${w.got}`);
  for (const m of c.facts.missing) lines.push(`  missing ${m}`);
  for (const m of c.lineItems.missing) lines.push(`  missing line item ${m.code ?? ''} ${m.path.join('/')}`);
  for (const w of c.lineItems.wrong) lines.push(`  wrong line item ${w.gold.code ?? ''} ${w.gold.path.join('/')}: expected ${w.gold.total}/${w.gold.basic}/${w.gold.project}, got ${w.got.total}/${w.got.basic}/${w.got.project}${w.got.path.join('/') !== w.gold.path.join('/') ? ` under ${w.got.path.join('/')}` : ''}`);
  for (const w of c.meta.wrong) lines.push(`  meta ${w.key}: expected ${String(w.expected)}, got ${String(w.got)}`);
  return lines.join('\n');
}
