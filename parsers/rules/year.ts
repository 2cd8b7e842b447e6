/**
 * The year a document reports on, everywhere it is printed:
 *  - year.mismatch: a title, heading, TOC line or table caption naming another
 *    year's 决算/预算; a 决算's 截至…12月31日 not at the end of its own year;
 *    a sentence whose subject is another year's 收入/支出 figures;
 *  - year.placeholder: a year left unfilled (`202 年度`, `20XX年`).
 */
import type { RawFinding, Rule } from '../../src/validate/engine.js';
import { textEvidence, textOf, type CheckContext } from './context.js';

const TITLE_YEAR = /(?<y>20\d\d)\s*年度?\s*(?:区级|市级|省级)?(?:部门|单位)?(?:决算|预算)/gu;
const AS_AT = /截至\s*(?<y>20\d\d)\s*年\s*(?<m>\d{1,2})\s*月\s*(?<d>\d{1,2})\s*日/gu;
const SUBJECT = /(?:^|[。；])[^。；，,]{0,30}?(?<y>20\d\d)\s*年度?(?<what>收、?支总计|收入支出总计|本年收入|本年支出|财政拨款收入支出总计|财政拨款收、?支总计|一般公共预算财政拨款支出|“三公”经费财政拨款支出|政府采购)/gu;
const SCOPE_YEAR = /纳入[^。；]{0,40}?(?<y>20\d\d)\s*年度?(?:部门|单位)?(?:汇总)?(?:决算|预算)(?:编制)?范围/gu;
const PLACEHOLDER = /(?<![\d])(?:20\d|2\d)\s+年度|20[XＸx×]{2}\s*年/gu;

export const yearRule: Rule<CheckContext> = {
  id: 'year.mismatch',
  severity: 'error',
  description: 'titles, headings, captions and subject sentences name the year the document reports on',
  reads: ['meta.year'],
  check(ctx) {
    const year = ctx.meta.year;
    if (!year) return [];
    const out: RawFinding[] = [];
    for (const sb of ctx.blocks) {
      const b = sb.block;
      const texts: string[] = b.kind === 'table' ? b.caption ?? [] : b.kind === 'heading' || b.kind === 'paragraph' ? [b.text] : [];
      for (const text of texts) {
        // titles: headings, captions, the TOC, and short paragraphs that are not sentences
        const isTitle = b.kind !== 'paragraph' || /^目录/.test(text) || (text.length <= 60 && !/[，。；,]/.test(text));
        if (isTitle) {
          for (const m of text.matchAll(TITLE_YEAR)) {
            const y = Number(m.groups!['y']);
            if (y === year) continue;
            // 比2024年预算 / 与2024年预算持平: a comparison, not the document's own year
            if (/(?:比|与|较|同|上年)\s*$/.test(text.slice(0, m.index ?? 0))) continue;
            out.push({ message: `“${m[0]}” in a ${year} document`, evidence: [textEvidence(sb, m.index ?? 0, text.length > 80 ? m[0] : text)] });
          }
        }
        if (b.kind === 'table') continue;
        for (const m of text.matchAll(SCOPE_YEAR)) {
          const y = Number(m.groups!['y']);
          if (y !== year) out.push({ message: `the reporting scope names ${y}: “${m[0]}” in a ${year} document`, evidence: [textEvidence(sb, m.index ?? 0, m[0])] });
        }
        for (const m of text.matchAll(AS_AT)) {
          const y = Number(m.groups!['y']);
          const endOfYear = m.groups!['m'] === '12' && m.groups!['d'] === '31';
          // a 决算 counts its assets at the end of its year; a 预算 at a date of the year before
          const bad = ctx.meta.kind === 'final' ? endOfYear && y !== year : y !== year - 1 && y !== year;
          if (bad) out.push({ message: `“${m[0]}” in a ${year} ${ctx.meta.kind === 'final' ? '决算' : '预算'}`, evidence: [textEvidence(sb, m.index ?? 0, m[0])] });
        }
        if (!isTitle || b.kind === 'paragraph') {
          for (const m of text.matchAll(SUBJECT)) {
            const y = Number(m.groups!['y']);
            if (y === year) continue;
            const before = text.slice(Math.max(0, (m.index ?? 0) - 2), (m.index ?? 0) + m[0].length);
            if (/与\s*$|比\s*$|较\s*$/.test(text.slice(0, (m.index ?? 0) + m[0].indexOf(m.groups!['y']!)))) continue;
            out.push({ severity: 'warning', message: `a sentence about ${m.groups!['what']} of ${y} in a ${year} document: “${before.trim()}”`, evidence: [textEvidence(sb, m.index ?? 0, m[0].replace(/^[。；]/, ''))] });
          }
        }
      }
    }
    return out;
  },
};

export const yearPlaceholderRule: Rule<CheckContext> = {
  id: 'year.placeholder',
  severity: 'error',
  description: 'no year left unfilled (202 年度, 20XX年)',
  reads: ['text'],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const sb of ctx.blocks) {
      const texts = sb.block.kind === 'table' ? sb.block.caption ?? [] : [textOf(sb) ?? ''];
      for (const text of texts) for (const m of text.matchAll(PLACEHOLDER)) out.push({ message: `a year left unfilled: “${m[0]}”`, evidence: [textEvidence(sb, m.index ?? 0, m[0])] });
    }
    return out;
  },
};
