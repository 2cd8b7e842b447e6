/**
 * Blanks and template leftovers in the text:
 *  - placeholder.blank: a number left out (`完成预算%`, `越野车.辆`, `支出 万元`,
 *    `主要原因是。`);
 *  - placeholder.template: template words left in (`XX局`, `增加（减少）`,
 *    `（项目名称）`, `（罗列…）` instructions).
 */
import type { RawFinding, Rule } from '../../src/validate/engine.js';
import { textEvidence, textOf, type CheckContext } from './context.js';

const BLANKS: Array<[RegExp, string]> = [
  [/(?:完成|占)(?:年初)?(?:预算)?(?:数)?的?\s*[%％]/gu, 'a percentage without its number'],
  [/[^\d\s.．][.．](?:辆|台|人次|批次|个)/gu, 'a count left as a dot'],
  [/(?:支出|收入|预算|决算|为|计)\s*万元(?![\d])/gu, 'an amount without its number'],
  [/主要(?:原因|用于)(?:是|为)?[:：]?\s*[。；;]/gu, 'a reason left empty'],
];
const TEMPLATE: Array<[RegExp, string]> = [
  [/[\p{Script=Han}](?:XX|ＸＸ|××|xx)(?=[\p{Script=Han}])|(?:XX|ＸＸ|××)(?:局|单位|部门|项目)/gu, 'a template placeholder'],
  [/增加[（(]减少[)）]|增长[（(]减少[)）]|增[（(]减[)）]/gu, 'template wording left in (增加（减少）)'],
  [/[（(](?:项目名称|单位名称|罗列[^）)]{0,30}|具体说明[^）)]{0,20})[)）]/gu, 'a template instruction left in'],
];

export const blankRule: Rule<CheckContext> = {
  id: 'placeholder.blank',
  severity: 'warning',
  description: 'no number left blank in the text',
  reads: ['text'],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const sb of ctx.blocks) {
      const text = textOf(sb);
      if (!text) continue;
      for (const [re, what] of BLANKS) for (const m of text.matchAll(re)) out.push({ message: `${what}: “${text.slice(Math.max(0, (m.index ?? 0) - 12), (m.index ?? 0) + m[0].length).trim()}”`, evidence: [textEvidence(sb, m.index ?? 0, m[0])] });
    }
    return out;
  },
};

export const templateRule: Rule<CheckContext> = {
  id: 'placeholder.template',
  severity: 'warning',
  description: 'no template placeholder or instruction left in the text',
  reads: ['text'],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const sb of ctx.blocks) {
      const texts = sb.block.kind === 'table' ? sb.block.caption ?? [] : [textOf(sb) ?? ''];
      for (const text of texts) {
        for (const [re, what] of TEMPLATE) {
          for (const m of text.matchAll(re)) {
            out.push({ severity: /XX|ＸＸ|××|xx/.test(m[0]) ? 'error' : 'warning', message: `${what}: “${text.slice(Math.max(0, (m.index ?? 0) - 10), (m.index ?? 0) + m[0].length + 6).trim()}”`, evidence: [textEvidence(sb, m.index ?? 0, m[0])] });
          }
        }
      }
    }
    return out;
  },
};
