/**
 * The two grand totals of a two-sided 收支总表: 收入总计 (the income side) and
 * 支出总计 (the expenditure side), which must be equal. Read by the coverage
 * report (reports/coverage.md: whether each summary table balances).
 */
import { amountVerdict, decimalsOf, fmtFen } from '../../src/validate/tolerance.js';
import { fenOf, labelValues, type KeyedTable, type ValueRef } from './grid.js';

export interface SideTotals {
  income?: ValueRef;
  expenditure?: ValueRef;
}

const GRAND = /^(?:收入|支出)?总计$/;
const SUBTOTAL = /^(?:本年|当年)?(?:收入|支出)(?:合计|小计)$/;

/** 收入总计 and 支出总计 of a 收支总表 (本年收入合计/本年支出合计 where no 总计 row is printed). */
export function sideTotals(t: KeyedTable): SideTotals {
  const lv = labelValues(t).filter((x) => x.values.length > 0);
  const pick = (re: RegExp): SideTotals | undefined => {
    const xs = lv.filter((x) => re.test(x.label));
    if (xs.length === 0) return undefined;
    const inc = xs.find((x) => x.label.startsWith('收入'));
    const exp = xs.find((x) => x.label.startsWith('支出'));
    if (inc || exp) return { ...(inc ? { income: inc.values[0]! } : {}), ...(exp ? { expenditure: exp.values[0]! } : {}) };
    // `总计 … 总计 …` on one row or two: the left one is income's
    if (xs.length >= 2) return { income: xs[0]!.values[0]!, expenditure: xs[xs.length - 1]!.values[0]! };
    const only = xs[0]!;
    return only.values.length >= 2 ? { income: only.values[0]!, expenditure: only.values[only.values.length - 1]! } : { income: only.values[0]! };
  };
  return pick(GRAND) ?? pick(SUBTOTAL) ?? {};
}

/** Whether the first summary table balances: 收入总计 = 支出总计 within the printed rounding. */
export function summaryBalance(tables: KeyedTable[]): { verdict: 'ok' | 'off' | 'n/a'; note?: string } {
  const t = tables.find((x) => x.key === 'summary') ?? tables.find((x) => x.key === 'appropriation_summary');
  if (!t) return { verdict: 'n/a', note: 'no summary table' };
  const { income, expenditure } = sideTotals(t);
  if (!income || !expenditure) return { verdict: 'n/a', note: `${t.title}: ${income ? '' : '收入总计 '}${expenditure ? '' : '支出总计 '}not read` };
  const a = fenOf(t, income.printed);
  const b = fenOf(t, expenditure.printed);
  if (a === null || b === null) return { verdict: 'n/a', note: `${t.title}: totals not numbers` };
  const v = amountVerdict(a, b, t.unitText, Math.min(decimalsOf(income.printed), decimalsOf(expenditure.printed)));
  const note = `${t.title} (p. ${t.rowPages[income.row] ?? t.pages[0] ?? '?'}): 收入总计 ${fmtFen(a, t.unitText)}, 支出总计 ${fmtFen(b, t.unitText)}`;
  return { verdict: v === 'error' ? 'off' : 'ok', note };
}
