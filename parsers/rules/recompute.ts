/**
 * Figures the text derives from others, recomputed:
 *  - recompute.share:      `X万元，占p%` against its denominator (the amount the
 *                          sentence opens with, the one it names: 占本年支出合计的,
 *                          or the section's total);
 *  - recompute.change:     `增加/减少 A万元，增长/下降 p%` against A / (current − A);
 *  - recompute.completion: `年初预算为B万元，支出决算为A万元，完成…预算的p%` against A / B;
 *  - wording.sign:         the words against the numbers (增加 … 下降; 决算数大于预算数
 *                          when it is smaller; 持平 with a change).
 */
import { cleanNumber, normaliseUnit, toFen } from '../../src/money.js';
import type { RawFinding, Rule } from '../../src/validate/engine.js';
import { fmtFen, percentVerdict } from '../../src/validate/tolerance.js';
import { NUM } from '../prose/patterns.js';
import { textEvidence, textOf, type CheckContext } from './context.js';

const AMOUNT = new RegExp(String.raw`(?<v>${NUM})\s*(?<u>万元|亿元|元)`, 'gu');
const SHARE = new RegExp(String.raw`(?<v>${NUM})\s*(?<u>万元|亿元|元)[，,]?\s*占(?<den>[^，,；;。%％]{0,20}?)(?:的)?(?<p>${NUM})\s*[%％]`, 'gu');

/** Denominators named after 占 … 的, as fact keys. */
const NAMED: Array<[RegExp, string]> = [
  [/本年支出合计/, 'expenditure.total'],
  [/本年收入合计/, 'income.total'],
  [/政府采购(?:支出)?总额|政府采购(?:金额|预算)/, 'procurement.total'],
  [/三公/, 'three_public.total'],
  [/一般公共预算财政拨款支出/, 'gpb.expenditure'],
];
/** The section's total when a sentence gives shares without opening with an amount. */
const SECTION_TOTAL: Array<[string, string]> = [
  ['three_public', 'three_public.total'],
  ['procurement', 'procurement.total'],
  ['income', 'income.total'],
  ['expenditure', 'expenditure.total'],
  ['gpb', 'gpb.expenditure'],
];

function fen(printed: string, unit: string | undefined): bigint | null {
  return toFen(printed, normaliseUnit(unit) ?? '万元');
}

/** A total in the document's tables against which `num` gives the printed percent. */
function explainingTotal(ctx: CheckContext, num: bigint, printed: string): string | undefined {
  for (const t of ctx.tables) {
    for (const row of t.rows) {
      for (const cell of row) {
        const f = /^\d[\d,]*\.?\d*$/.test(cell.trim()) ? toFen(cell, normaliseUnit(t.unitText) ?? '万元') : null;
        if (f && f > num && percentVerdict(pct(num, f), printed) !== 'error') return `${cell.trim()}${t.unitText ?? ''} in the ${t.title}`;
      }
    }
  }
  return undefined;
}

function pct(num: bigint, den: bigint): number {
  return (Number(num) / Number(den)) * 100;
}

export const shareRule: Rule<CheckContext> = {
  id: 'recompute.share',
  severity: 'error',
  description: '占p% recomputed from the amount and its denominator',
  reads: ['income', 'expenditure', 'gpb', 'three_public', 'procurement'],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const sb of ctx.blocks) {
      const text = textOf(sb);
      if (!text || !/占/.test(text)) continue;
      for (const m of text.matchAll(SHARE)) {
        const g = m.groups!;
        const at = m.index ?? 0;
        const num = fen(g['v']!, g['u']);
        if (num === null) continue;
        let den: bigint | null = null;
        let denWhat = '';
        const named = g['den']!.replace(/[“”"]/g, '');
        if (named) {
          // the named amount in this paragraph (`政府采购支出总额2747.06万元`), else the fact
          const key = NAMED.find(([re]) => re.test(named))?.[1];
          const inText = new RegExp(String.raw`${named.replace(/[()（）]/g, '.')}(?:决算|预算)?(?:数)?(?:为)?(?<v>${NUM})\s*(?<u>万元|亿元|元)`, 'u').exec(text.replace(/[“”"]/g, ''));
          if (inText?.groups) {
            den = fen(inText.groups['v']!, inText.groups['u']);
            denWhat = named;
          } else if (key && ctx.chosen.get(key)?.fen !== undefined) {
            den = ctx.chosen.get(key)!.fen!;
            denWhat = `${named} (${key})`;
          }
        } else {
          // the amount the sentence opens with, before 其中 / 主要用于 / the first share
          const head = text.slice(0, at);
          const lead = /^(.*?)(?:其中|主要用于|具体情况|包括)/u.exec(head)?.[1] ?? '';
          const first = [...lead.matchAll(AMOUNT)][0];
          if (first?.groups && first.index !== undefined) {
            den = fen(first.groups['v']!, first.groups['u']);
            denWhat = 'the amount the sentence opens with';
          } else {
            const key = SECTION_TOTAL.find(([s]) => sb.section === s || sb.section?.startsWith(s + '.'))?.[1];
            if (key && ctx.chosen.get(key)?.fen !== undefined) {
              den = ctx.chosen.get(key)!.fen!;
              denWhat = key;
            }
          }
        }
        if (den === null || den === 0n) continue;
        const got = pct(num, den);
        const printedPct = cleanNumber(g['p']!) ?? g['p']!;
        const verdict = percentVerdict(got, printedPct);
        if (verdict === 'ok') continue;
        // say what the printed share was computed against, when another stated total explains it
        const alt = verdict === 'error' ? explainingTotal(ctx, num, printedPct) : undefined;
        out.push({
          severity: alt ? 'warning' : verdict,
          message: `${m[0]}: ${g['v']}${g['u']} of ${denWhat} is ${got.toFixed(4)}%, printed ${g['p']}%${alt ? ` (the printed share is of ${alt})` : ''}`,
          evidence: [textEvidence(sb, at, m[0])],
        });
      }
    }
    return out;
  },
};

const CHANGE_FACTS: Array<[string, string, string]> = [
  ['totals.total', 'totals.change', 'totals.change_pct'],
  ['appropriation.total', 'appropriation.change', 'appropriation.change_pct'],
  ['gpb.expenditure', 'gpb.change', 'gpb.change_pct'],
];
const SENTENCE_CHANGE = new RegExp(
  String.raw`(?<cur>${NUM})\s*(?<u>万元|元)[^。；;]{0,30}?(?:比|较|与)(?:上年|上一年|\d{4}\s*年度?)[^。；;，,]{0,10}?[，,]?\s*[^。；;]{0,20}?(?<dir>增加|减少)(?<chg>${NUM})\s*(?<u2>万元|元)[，,]\s*(?<pdir>增长|下降|增加|减少|上升)(?<p>${NUM})\s*[%％]`,
  'gu',
);

export const changeRule: Rule<CheckContext> = {
  id: 'recompute.change',
  severity: 'error',
  description: 'a change in percent recomputed from the amount and its change',
  reads: CHANGE_FACTS.flat(),
  check(ctx) {
    const out: RawFinding[] = [];
    const done = new Set<string>();
    for (const [baseKey, chgKey, pctKey] of CHANGE_FACTS) {
      const base = ctx.chosen.get(baseKey);
      const chg = ctx.chosen.get(chgKey);
      const p = ctx.chosen.get(pctKey);
      if (!base || !chg || !p || base.fen === undefined || chg.fen === undefined) continue;
      const prior = base.fen - chg.fen;
      if (prior <= 0n) continue;
      const got = pct(chg.fen < 0n ? -chg.fen : chg.fen, prior);
      const printed = (p.evidence.printed ?? String(Math.abs(p.number!))).replace(/[%％]$/, '');
      const verdict = percentVerdict(got, printed);
      done.add(p.evidence.quote);
      if (verdict === 'ok') continue;
      out.push({
        severity: verdict,
        message: `${pctKey}: ${fmtFen(chg.fen)} on a prior-year ${fmtFen(prior)} (${fmtFen(base.fen)} − change) is ${got.toFixed(4)}%, printed ${printed}%`,
        evidence: [p.evidence, base.evidence],
      });
    }
    for (const sb of ctx.blocks) {
      const text = textOf(sb);
      if (!text || !/增长|下降/.test(text)) continue;
      for (const m of text.matchAll(SENTENCE_CHANGE)) {
        const g = m.groups!;
        if (done.has(m[0])) continue;
        const cur = fen(g['cur']!, g['u']);
        const chg = fen(g['chg']!, g['u2']);
        if (cur === null || chg === null) continue;
        const up = g['dir'] === '增加';
        const prior = up ? cur - chg : cur + chg;
        if (prior <= 0n) continue;
        const got = pct(chg, prior);
        const printedPct = cleanNumber(g['p']!) ?? g['p']!;
        const verdict = percentVerdict(got, printedPct);
        if (verdict === 'ok') continue;
        const againstCurrent = percentVerdict(pct(chg, cur), printedPct) !== 'error';
        out.push({
          severity: verdict,
          message: `${m[0]}: ${g['dir']} ${g['chg']}${g['u2']} on a prior-year ${fmtFen(prior)} is ${got.toFixed(4)}%, printed ${g['p']}%${againstCurrent ? ' (the printed rate is the change over this year’s amount, not last year’s)' : ''}`,
          evidence: [textEvidence(sb, m.index ?? 0, m[0])],
        });
      }
    }
    return out;
  },
};


const COMPLETION = new RegExp(
  String.raw`(?:年初)?预算(?:数)?(?:为)?\s*(?<b>${NUM})\s*(?<bu>万元|元)[，,]\s*(?:支出)?(?:决算|执行)(?:数)?(?:为)?\s*(?<a>${NUM})\s*(?<au>万元|元)?[，,]\s*完成(?:年初)?(?:预算)?的?\s*(?<p>${NUM})\s*[%％]`,
  'gu',
);

export const completionRule: Rule<CheckContext> = {
  id: 'recompute.completion',
  severity: 'error',
  description: '完成预算的p% recomputed from 决算 / 预算',
  reads: ['gpb', 'three_public', 'performance'],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const sb of ctx.blocks) {
      const text = textOf(sb);
      if (!text || !/完成/.test(text)) continue;
      for (const m of text.matchAll(COMPLETION)) {
        const g = m.groups!;
        const b = fen(g['b']!, g['bu']);
        const a = fen(g['a']!, g['au'] ?? g['bu']);
        if (a === null || b === null || b === 0n) continue;
        const got = pct(a, b);
        const verdict = percentVerdict(got, cleanNumber(g['p']!) ?? g['p']!);
        if (verdict === 'ok') continue;
        out.push({
          severity: verdict,
          message: `${m[0]}: ${g['a']}${g['au'] ?? g['bu']} of ${g['b']}${g['bu']} is ${got.toFixed(4)}%, printed ${g['p']}%`,
          evidence: [textEvidence(sb, m.index ?? 0, m[0])],
        });
      }
    }
    return out;
  },
};

const BUDGET_VS_ACTUAL = new RegExp(
  String.raw`(?:年初)?预算(?:数)?(?:为)?\s*(?<b>${NUM})\s*(?<bu>万元|元)[，,]\s*(?:支出)?决算(?:数)?(?:为)?\s*(?<a>${NUM})\s*(?<au>万元|元)?[^。]{0,30}?[。，,；]\s*(?:[^。]{0,10}?)决算数(?<rel>大于|小于|等于|与预算数(?:基本)?持平|与年初预算数?(?:基本)?持平)`,
  'gu',
);
const DIRECTION_CLASH = /(?<dir>增加|增长|上升)[^。；;，,]{0,3}?\d[\d,.]*\s*(?:万元|元)?[，,]\s*(?<pdir>下降|减少)|(?<dir2>减少|下降)[^。；;，,]{0,3}?\d[\d,.]*\s*(?:万元|元)?[，,]\s*(?<pdir2>增长|增加|上升)/gu;

export const wordingSignRule: Rule<CheckContext> = {
  id: 'wording.sign',
  severity: 'error',
  description: 'the words agree with the numbers (大于/小于/持平, 增加/下降)',
  reads: ['gpb.detail', 'three_public'],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const sb of ctx.blocks) {
      const text = textOf(sb);
      if (!text) continue;
      for (const m of text.matchAll(BUDGET_VS_ACTUAL)) {
        const g = m.groups!;
        const b = fen(g['b']!, g['bu']);
        const a = fen(g['a']!, g['au'] ?? g['bu']);
        if (a === null || b === null) continue;
        const rel = g['rel']!;
        const truth = a > b ? '大于' : a < b ? '小于' : '等于';
        const says = /持平/.test(rel) ? '持平' : rel;
        const ok = says === truth || (says === '持平' && (truth === '等于' || Number(a > b ? a - b : b - a) * 100 <= Number(b)));
        if (ok) continue;
        out.push({
          message: `the text says 决算数${rel}预算数, but 决算 ${g['a']}${g['au'] ?? g['bu']} is ${truth === '等于' ? 'equal to' : truth === '大于' ? 'more than' : 'less than'} 预算 ${g['b']}${g['bu']}`,
          evidence: [textEvidence(sb, m.index ?? 0, m[0])],
        });
      }
      for (const m of text.matchAll(DIRECTION_CLASH)) {
        // template wording 增加（减少）… is a placeholder, not a contradiction
        if (/[（()）]/.test(text.slice(Math.max(0, (m.index ?? 0) - 1), (m.index ?? 0) + m[0].length + 4))) continue;
        out.push({ message: `a change worded both ways: ${m[0]}`, evidence: [textEvidence(sb, m.index ?? 0, m[0])] });
      }
    }
    return out;
  },
};
