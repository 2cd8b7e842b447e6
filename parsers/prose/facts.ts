/**
 * Facts stated in prose: runs the wording patterns of patterns.ts over the
 * paragraphs and headings of the sections each rule names.
 */
import { cleanNumber, normaliseUnit, percentOf, toFen, type MoneyUnit } from '../../src/money.js';
import type { Evidence, Meta } from '../../src/model.js';
import type { Candidate, SectionedBlock } from '../types.js';
import { NUMBERING } from '../../src/ingest/layout.js';
import { numberingOf } from '../../src/segment/outline.js';
import { sectionKeyOf } from '../catalogue/sections.js';
import { departmentName } from '../meta.js';
import { PROSE_RULES, type ProseRule } from './patterns.js';

const NEGATIVE = /减少|下降|降低/;

/** The global twin of a pattern, compiled once (matchAll needs the g flag). */
const GLOBAL = new WeakMap<RegExp, RegExp>();
function globalOf(re: RegExp): RegExp {
  let g = GLOBAL.get(re);
  if (!g) {
    g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
    GLOBAL.set(re, g);
  }
  return g;
}

function inSections(section: string | undefined, allowed: string[] | undefined): boolean {
  if (!allowed || allowed.length === 0) return true;
  if (!section) return false;
  return allowed.some((a) => section === a || section.startsWith(a + '.'));
}

function textOf(sb: SectionedBlock): string | undefined {
  const b = sb.block;
  return b.kind === 'paragraph' || b.kind === 'heading' ? b.text : undefined;
}

/** Evidence for a match inside a block: the block's place, the matched words as quote. */
function evidenceFor(sb: SectionedBlock, index: number, quote: string, printed?: string, printedUnit?: string): Evidence {
  const ev = sb.block.evidence;
  return {
    file: ev.file,
    ...(ev.page !== undefined ? { page: ev.page } : {}),
    ...(ev.offset !== undefined ? { offset: ev.offset + index, length: quote.length } : {}),
    quote,
    // a paragraph read from a page's image: OCR, with the confidence of its lines
    ...(ev.source === 'ocr' ? { source: 'ocr' as const, ...(ev.confidence !== undefined ? { confidence: ev.confidence } : {}) } : { source: 'text' as const }),
    ...(printed !== undefined ? { printed } : {}),
    ...(printedUnit !== undefined ? { printedUnit } : {}),
  };
}

/**
 * Blocks under a heading that names another organisation than the document's
 * department, and under the headings after it in the same list (Shenzhen's
 * 第三部分 states each unit's budget under 一、深圳市生态环境局（本级）, 二、…): their
 * figures are that unit's, not the department's.
 */
function unitScopedBlocks(blocks: SectionedBlock[], department: string | undefined): Set<number> {
  const out = new Set<number>();
  if (!department) return out;
  const norm = (a: string) => a.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）');
  const same = (a: string) => norm(a) === norm(department);
  let unitDepth: number | null = null;
  for (const sb of blocks) {
    const b = sb.block;
    if (b.kind === 'heading') {
      // the outline's level of its numbering (第一部分 1, 一、 2, （一） 3 …); unnumbered last
      const depth = numberingOf(b.text.trim())?.level ?? 9;
      // the next unit of the list (七、一带一路环境技术交流与转移中心（深圳）) is a unit too,
      // whatever its name ends with; a known section or a higher heading ends the list
      if (unitDepth !== null && (depth < unitDepth || (depth === unitDepth && sectionKeyOf(b.text)))) unitDepth = null;
      // 市建筑工务署本级: a unit's own organ, named without brackets
      const title = b.text.replace(NUMBERING, '').trim();
      const name = departmentName(title) ?? (departmentName(title.replace(/本级$/, '')) ? title : undefined);
      if (name && !same(name)) unitDepth = depth;
      else if (name && same(name) && depth === unitDepth) unitDepth = null;
      continue;
    }
    if (unitDepth !== null) out.add(sb.index);
  }
  return out;
}

export function proseCandidates(allBlocks: SectionedBlock[], meta: Meta, rules: ProseRule[] = PROSE_RULES): Candidate[] {
  const out: Candidate[] = [];
  const units = unitScopedBlocks(allBlocks, meta.department);
  // every pattern reads a number: text without a digit cannot state a fact
  const blocks = allBlocks.filter((b) => /\d/.test(textOf(b) ?? '') && !units.has(b.index));
  for (const rule of rules) {
    if (rule.kinds && meta.kind && !rule.kinds.includes(meta.kind)) continue;
    let scoped = blocks.filter((b) => inSections(b.section, rule.sections));
    // a document whose outline we could not key: read the rule anywhere but where it never applies
    if (scoped.length === 0 || !blocks.some((b) => b.section && inSections(b.section, rule.sections))) scoped = blocks.filter((b) => !rule.notIn || !b.section || !inSections(b.section, rule.notIn));
    for (const sb of scoped) {
      const text = textOf(sb);
      if (!text) continue;
      for (const re of rule.patterns) {
        for (const m of text.matchAll(globalOf(re))) {
          const c = candidateOf(rule, m, sb);
          if (c) out.push(...c);
        }
      }
    }
  }
  return out;
}

function candidateOf(rule: ProseRule, m: RegExpMatchArray, sb: SectionedBlock): Candidate[] | undefined {
  const groups = m.groups ?? {};
  const printed = groups['v'];
  if (printed === undefined) return undefined;
  const quote = m[0];
  const at = m.index ?? 0;
  const dir = groups['dir'];
  const sign = dir && NEGATIVE.test(dir) ? -1n : 1n;
  if (rule.unit === 'yuan') {
    const unit = normaliseUnit(groups['u']) ?? ('万元' as MoneyUnit);
    const fen = toFen(printed, unit);
    if (fen === null) return undefined;
    let confirm: Candidate['confirm'];
    if (rule.confirmedBy) {
      const s = groups['s'] !== undefined ? toFen(groups['s'], normaliseUnit(groups['su']) ?? '万元') : null;
      if (s === null) return undefined;
      confirm = { keys: rule.confirmedBy, fen: s };
    }
    const res: Candidate[] = [{ key: rule.key, unit: 'yuan', fen: fen * sign, evidence: evidenceFor(sb, at, quote, printed, groups['u'] ?? unit), ...(confirm ? { confirm } : {}) }];
    if (rule.pctKey && groups['p'] !== undefined) {
      const p = percentOf(groups['p']);
      const pdir = groups['pdir'] ?? dir;
      if (p !== null) res.push({ key: rule.pctKey, unit: 'percent', number: pdir && NEGATIVE.test(pdir) ? -p : p, evidence: evidenceFor(sb, at, quote, groups['p'] + '%'), ...(confirm ? { confirm } : {}) });
    }
    return res;
  }
  if (rule.unit === 'percent') {
    const p = percentOf(printed);
    if (p === null) return undefined;
    return [{ key: rule.key, unit: 'percent', number: dir && NEGATIVE.test(dir) ? -p : p, evidence: evidenceFor(sb, at, quote, printed + '%') }];
  }
  const n = cleanNumber(printed);
  if (n === null || n.includes('.')) return undefined;
  return [{ key: rule.key, unit: 'count', number: Number(n), evidence: evidenceFor(sb, at, quote, printed) }];
}
