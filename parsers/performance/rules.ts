/**
 * Findings over the 绩效 data:
 *  - performance.over_budget: executed more than the budget and no reason printed;
 *  - performance.rate: a printed 执行率 (or a 预算执行率 indicator's actual) that
 *    does not match executed / budget; parts of the money that exceed their total;
 *  - performance.score_sum: a 评分表 whose 合计 得分 (or 分值) is not the sum of its rows
 *    (info where a 注 explains a rescaled score);
 *  - performance.placeholder: indicators without a target (or with a stand-in
 *    such as `/`, `无`, `XX`), 二级指标 rows left blank.
 */
import { yuanToFen } from '../../src/money.js';
import type { Evidence, Finding, Meta } from '../../src/model.js';
import { runRules, type RawFinding, type Rule } from '../../src/validate/engine.js';
import type { PerfProject, PerfResult } from './types.js';
import { isPlaceholder } from './vocab.js';

export interface PerfCheckContext {
  performance: PerfResult;
  meta?: Meta;
}

const wan = (yuan: number) => `${(yuan / 10000).toFixed(2)}万元`;
const ev = (p: PerfProject): Evidence[] => p.evidence.slice(0, 2);
const REASON_RE = /原因|由于|因为|因|超支|追加|调剂|调整|其他资金|结转/;

/** Executed over budget with no reason printed in the table (偏差原因 column, 完成情况 text). */
export function overBudget(perf: PerfResult): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of perf.projects) {
    if (p.budget === undefined || p.executed === undefined) continue;
    const b = yuanToFen(p.budget);
    const e = yuanToFen(p.executed);
    if (e <= b) continue;
    const reasons = [...(p.reasons ?? []), ...p.indicators.map((i) => i.note ?? '')].filter((s) => REASON_RE.test(s));
    const overByOther = p.executedOther !== undefined && p.executedFiscal !== undefined && p.budgetFiscal !== undefined && yuanToFen(p.executedFiscal) <= yuanToFen(p.budgetFiscal);
    if (reasons.length) continue;
    out.push({
      severity: 'warning',
      message: `项目“${p.name}”执行数 ${wan(p.executed)} exceeds its 预算数 ${wan(p.budget)} by ${wan(p.executed - p.budget)}${overByOther ? ` (the excess is 其他资金 ${wan(p.executedOther!)})` : ''} and the table gives no reason`,
      evidence: ev(p),
    });
  }
  return out;
}

/** A printed 执行率 / 预算执行率 actual that does not match executed / budget; parts that exceed the total. */
export function rateMismatch(perf: PerfResult): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of perf.projects) {
    if (p.budget !== undefined && p.executed !== undefined && p.budget > 0) {
      const rate = (p.executed / p.budget) * 100;
      const printed: Array<{ value: number; what: string }> = [];
      if (p.executionRate !== undefined) printed.push({ value: p.executionRate, what: '执行率' });
      for (const i of p.indicators) {
        if (!/(?:预算|资金)(?:执行|支出|使用)率|执行率|支出进度|完成率/.test(`${i.level3 ?? ''}${i.level2 ?? ''}`)) continue;
        if (!/预算|资金|支出|执行/.test(`${i.level3 ?? ''}${i.level2 ?? ''}`)) continue;
        if (i.actualValue?.number !== undefined && i.actualValue.unit === '%') printed.push({ value: i.actualValue.number, what: `indicator “${i.level3 ?? i.level2}” actual ${i.actual}` });
      }
      for (const x of printed) {
        if (Math.abs(x.value - rate) > 0.51) {
          out.push({
            severity: 'warning',
            message: `项目“${p.name}”: ${x.what} ${x.value}% does not match 执行数/预算数 = ${wan(p.executed)}/${wan(p.budget)} = ${rate.toFixed(2)}%`,
            evidence: ev(p),
          });
        }
      }
    }
    const parts: Array<[string, number | undefined, number | undefined, number | undefined]> = [
      ['预算数', p.budget, p.budgetFiscal, p.budgetOther],
      ['执行数', p.executed, p.executedFiscal, p.executedOther],
      ['项目资金总额', p.totalFunding, p.totalFundingFiscal, p.totalFundingOther],
    ];
    for (const [what, total, a, b] of parts) {
      if (total === undefined || (a === undefined && b === undefined)) continue;
      const sum = yuanToFen(a ?? 0) + yuanToFen(b ?? 0) + (what === '预算数' && p.kind === 'target' ? yuanToFen(p.carryOver ?? 0) : 0n);
      const t = yuanToFen(total);
      // a blank part is not printed: only a sum above the total, or both parts printed and short of it
      if (sum > t || (a !== undefined && b !== undefined && sum !== t && sum !== 0n)) {
        out.push({
          severity: 'warning',
          message: `项目“${p.name}”: the parts of ${p.kind === 'target' && what === '预算数' ? '年度资金申请总额' : what} (${[a, b].filter((x) => x !== undefined).map((x) => wan(x!)).join(' + ')}${what === '预算数' && p.kind === 'target' && p.carryOver ? ` + 上年结转 ${wan(p.carryOver)}` : ''}) do not add up to ${wan(total)}`,
          evidence: ev(p),
        });
      }
    }
  }
  return out;
}

/** 评分表 合计 vs the sum of its rows (分值 and 得分). */
export function scoreSum(perf: PerfResult): RawFinding[] {
  const out: RawFinding[] = [];
  const tables = [...perf.projects.map((p) => p.scoreTable), ...(perf.unmatchedScores ?? [])].filter((s) => s !== undefined);
  for (const s of tables) {
    const rows = s.rows.filter((r) => !r.total);
    if (!rows.length) continue;
    const cents = (v: number) => Math.round(v * 100);
    if (s.total !== undefined) {
      const sum = rows.reduce((a, r) => a + cents(r.score ?? 0), 0);
      if (sum !== cents(s.total)) {
        const rescaled = !!s.note && /折算|剔除|换算/.test(s.note);
        out.push({
          severity: rescaled ? 'info' : 'warning',
          message: `评分表《${s.title}》: 得分 合计 ${s.total} is not the sum of its rows ${sum / 100}${rescaled ? ' (the note under the table explains a rescaled score)' : ''}`,
          evidence: [s.evidence],
        });
      }
    }
    if (s.weight !== undefined) {
      const sum = rows.reduce((a, r) => a + cents(r.weight ?? 0), 0);
      if (sum !== cents(s.weight)) {
        out.push({ severity: 'warning', message: `评分表《${s.title}》: 分值 合计 ${s.weight} is not the sum of its rows ${sum / 100}`, evidence: [s.evidence] });
      }
    }
    for (const r of rows) {
      if (r.weight !== undefined && r.score !== undefined && r.score > r.weight) {
        out.push({ severity: 'warning', message: `评分表《${s.title}》: 得分 ${r.score} above its 分值 ${r.weight} (“${r.quote.slice(0, 40)}”)`, evidence: [{ ...s.evidence, quote: r.quote, ...(r.page !== undefined ? { page: r.page } : {}) }] });
      }
    }
  }
  for (const p of perf.projects) {
    const w = p.indicators.filter((i) => i.weight !== undefined);
    if (p.scoreWeight !== undefined && p.score !== undefined && !p.scoreTable && w.length) {
      const sum = p.indicators.reduce((a, i) => a + Math.round((i.score ?? 0) * 100), 0);
      if (sum !== Math.round(p.score * 100) && Math.abs(sum - Math.round(p.score * 100)) > 1) {
        out.push({ severity: 'warning', message: `项目“${p.name}”: 总分 ${p.score} is not the sum of its indicator scores ${sum / 100}`, evidence: ev(p) });
      }
    }
  }
  return out;
}

/** Indicators without a target or with a stand-in; 二级指标 rows left blank. */
export function placeholders(perf: PerfResult): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of perf.projects) {
    for (const i of p.indicators) {
      const name = i.level3 ?? i.level2 ?? '';
      if (!i.target || isPlaceholder(i.target)) {
        out.push({ severity: 'warning', message: `项目“${p.name}”: indicator “${name}” has ${i.target ? `a placeholder target “${i.target}”` : 'no target'}`, evidence: ev(p) });
      } else if (isPlaceholder(name)) {
        out.push({ severity: 'warning', message: `项目“${p.name}”: indicator name is a placeholder “${name}”`, evidence: ev(p) });
      } else if (p.kind === 'self_evaluation' && i.actual !== undefined && isPlaceholder(i.actual)) {
        out.push({ severity: 'warning', message: `项目“${p.name}”: indicator “${name}” has a placeholder actual “${i.actual}”`, evidence: ev(p) });
      }
    }
    if (p.emptyRows?.length) {
      out.push({ severity: 'info', message: `项目“${p.name}”: ${p.emptyRows.length} indicator row(s) left blank (${p.emptyRows.join('、')})`, evidence: ev(p) });
    }
    if (p.indicators.length === 0) {
      out.push({ severity: 'warning', message: `项目“${p.name}”: no indicator read from its table`, evidence: ev(p) });
    }
  }
  return out;
}

export const PERFORMANCE_RULES: Array<Rule<PerfCheckContext>> = [
  { id: 'performance.over_budget', severity: 'warning', description: 'a project executes no more than its budget, or says why', reads: ['performance'], check: (c) => overBudget(c.performance) },
  { id: 'performance.rate', severity: 'warning', description: '执行率 and the money parts agree with the money', reads: ['performance'], check: (c) => rateMismatch(c.performance) },
  { id: 'performance.score_sum', severity: 'warning', description: 'a 评分表 total is the sum of its rows', reads: ['performance'], check: (c) => scoreSum(c.performance) },
  { id: 'performance.placeholder', severity: 'warning', description: 'every indicator has a name and a target', reads: ['performance'], check: (c) => placeholders(c.performance) },
];

/** Run the 绩效 rules: findings stamped with their rule ids. */
export function performanceFindings(performance: PerfResult, meta?: Meta): Finding[] {
  return runRules<PerfCheckContext>({ performance, ...(meta ? { meta } : {}) }, PERFORMANCE_RULES);
}
