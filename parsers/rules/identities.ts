/**
 * Identities between facts, as data: total = sum of parts. A part that is
 * absent counts as 0 (blank cells are absent), but at least `minParts` parts
 * must be stated, so an identity is never checked against nothing.
 * Internal keys `x.*` are figures the rules need that are not canonical facts
 * (Jiangsu's 单位预留机动经费).
 */
import type { Rule } from '../../src/validate/engine.js';
import { amountVerdict, decimalsOf, fmtFen } from '../../src/validate/tolerance.js';
import { coarser, unitOf, type CheckContext } from './context.js';

interface Identity {
  id: string;
  description: string;
  total: string;
  parts: string[];
  minParts: number;
  /** all of these keys must be stated for the identity to apply */
  requires?: string[];
  /** the identity does not apply when any of these is stated (another form of it does) */
  unless?: string[];
  /**
   * parts some templates print as 其中 of another part (Beijing: 项目支出 …，其中：事业单位经营支出):
   * when the other parts alone make the total exactly, these are inside them, not missing from it
   */
  inside?: string[];
  /** a part stated only through all of its own parts (公务用车购置费 and 运行维护费, not their sum): their sum stands for it */
  partsOf?: Record<string, string[]>;
}

export const IDENTITIES: Identity[] = [
  { id: 'sum.income', description: '本年收入合计 = 财政拨款 + 上级补助 + 事业 + 经营 + 附属单位上缴 + 其他收入', total: 'income.total',
    parts: ['income.gpb', 'income.gov_fund', 'income.state_capital', 'income.superior_subsidy', 'income.business', 'income.operating', 'income.affiliated', 'income.other', 'x.income.special_account', 'x.income.other_funds'], minParts: 1, unless: ['x.income.appropriation'] },
  { id: 'sum.income', description: '本年收入合计 = 财政拨款 + 财政专户 + 上级补助 + 事业 + 经营 + 附属单位上缴 + 其他收入', total: 'income.total',
    parts: ['x.income.appropriation', 'income.superior_subsidy', 'income.business', 'income.operating', 'income.affiliated', 'income.other', 'x.income.special_account', 'x.income.other_funds'], minParts: 1, requires: ['x.income.appropriation'] },
  { id: 'sum.expenditure', description: '本年支出合计 = 基本支出 + 项目支出 + 上缴上级 + 经营 + 对附属单位补助支出', total: 'expenditure.total',
    parts: ['expenditure.basic', 'expenditure.project', 'expenditure.to_superior', 'expenditure.operating', 'expenditure.to_affiliated', 'x.expenditure.reserve'], minParts: 2,
    inside: ['expenditure.to_superior', 'expenditure.operating', 'expenditure.to_affiliated'] },
  { id: 'sum.totals_income', description: '总计 = 本年收入合计 + 年初结转和结余', total: 'totals.total', parts: ['income.total', 'carryover.opening', 'x.income.surplus_used'], minParts: 1, requires: ['income.total', 'carryover.opening'] },
  { id: 'sum.totals_expenditure', description: '总计 = 本年支出合计 + 年末结转和结余', total: 'totals.total', parts: ['expenditure.total', 'carryover.closing', 'x.expenditure.surplus_distribution'], minParts: 1, requires: ['expenditure.total', 'carryover.closing'] },
  { id: 'sum.basic_split', description: '基本支出 = 人员经费 + 公用经费', total: 'gpb.basic', parts: ['gpb.basic.personnel', 'gpb.basic.public'], minParts: 2 },
  { id: 'sum.three_public', description: '“三公”经费 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费', total: 'three_public.total', parts: ['three_public.overseas', 'three_public.vehicle', 'three_public.reception'], minParts: 2,
    partsOf: { 'three_public.vehicle': ['three_public.vehicle_purchase', 'three_public.vehicle_operation'] } },
  { id: 'sum.three_public_vehicle', description: '公务用车购置及运行费 = 购置费 + 运行费', total: 'three_public.vehicle', parts: ['three_public.vehicle_purchase', 'three_public.vehicle_operation'], minParts: 2 },
  { id: 'sum.procurement', description: '政府采购 = 货物 + 工程 + 服务', total: 'procurement.total', parts: ['procurement.goods', 'procurement.works', 'procurement.services'], minParts: 2 },
  { id: 'sum.procurement_sme', description: '授予小微企业 ≤ 授予中小企业 ≤ 政府采购总额', total: 'procurement.total', parts: [], minParts: 0 },
];

export const identityRules: Array<Rule<CheckContext>> = IDENTITIES.filter((i) => i.parts.length > 0).map((idn) => ({
  id: idn.id,
  severity: 'error',
  description: idn.description,
  reads: [idn.total, ...idn.parts],
  check(ctx) {
    const total = ctx.chosen.get(idn.total);
    if (!total || total.unit !== 'yuan') return [];
    if (idn.requires?.some((k) => !ctx.chosen.has(k))) return [];
    if (idn.unless?.some((k) => ctx.chosen.has(k))) return [];
    const stated = (k: string) => {
      const c = ctx.chosen.get(k);
      return c && c.unit === 'yuan' ? c : undefined;
    };
    const groups = idn.parts
      .map((k) => {
        if (stated(k)) return [stated(k)!];
        const sub = (idn.partsOf?.[k] ?? []).map(stated);
        return sub.length > 0 && sub.every((c) => c) ? (sub as NonNullable<(typeof sub)[number]>[]) : [];
      })
      .filter((g) => g.length > 0);
    if (groups.length < idn.minParts) return [];
    const parts = groups.flat();
    const sum = parts.reduce((s, c) => s + c.fen!, 0n);
    const unit = parts.reduce((u, c) => coarser(u, unitOf(c)), unitOf(total));
    // the rounding step is the last digit of the least precise print among the figures
    const decimals = Math.min(...[total, ...parts].filter((c) => unitOf(c) === unit).map((c) => decimalsOf(c.evidence.printed)));
    const verdict = amountVerdict(sum, total.fen!, unit, decimals);
    if (verdict === 'ok') return [];
    if (idn.inside) {
      const outer = idn.parts.filter((k) => !idn.inside!.includes(k)).map((k) => ctx.chosen.get(k)).filter((c): c is NonNullable<typeof c> => !!c && c.unit === 'yuan');
      if (outer.length >= idn.minParts && outer.reduce((s, c) => s + c.fen!, 0n) === total.fen) return [];
    }
    return [{
      severity: verdict === 'info' ? 'info' : 'error',
      message: `${idn.description}: parts add to ${fmtFen(sum, unit)}, total is ${fmtFen(total.fen!, unit)}${verdict === 'info' ? ' (rounding)' : ''}`,
      evidence: [total.evidence, ...parts.map((c) => c.evidence)],
    }];
  },
}));

export const smeRule: Rule<CheckContext> = {
  id: 'sum.procurement_sme',
  severity: 'error',
  description: '授予小微企业 ≤ 授予中小企业 ≤ 政府采购总额',
  reads: ['procurement.total', 'procurement.sme', 'procurement.small_micro'],
  check(ctx) {
    const t = ctx.chosen.get('procurement.total');
    const sme = ctx.chosen.get('procurement.sme');
    const sm = ctx.chosen.get('procurement.small_micro');
    const out = [];
    if (sme && sm && sm.fen! > sme.fen!) out.push({ message: `small and micro enterprises (${fmtFen(sm.fen!)}) exceed all SMEs (${fmtFen(sme.fen!)})`, evidence: [sm.evidence, sme.evidence] });
    // Shanghai budgets state an SME reservation of the procurement budget, which cannot exceed it
    if (t && sme && sme.fen! > t.fen!) out.push({ message: `SME amount (${fmtFen(sme.fen!)}) exceeds total procurement (${fmtFen(t.fen!)})`, evidence: [sme.evidence, t.evidence] });
    return out;
  },
};
