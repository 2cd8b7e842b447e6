/**
 * The same figure printed in several places must agree:
 *  - cross.table: one fact key read from two tables (收入支出决算总表 and
 *    收入决算表 合计, 支出决算表 and 一般公共预算 table …) with different values;
 *  - cross.class: a 类 row of one table against the same 类 in another
 *    (总表 expenditure side vs 支出决算表; 财政拨款总表 vs 一般公共预算 table;
 *    in budgets 收入预算总表 vs 支出预算总表);
 *  - prose.table: what the 情况说明 states for a fact against the table value;
 *  - prose.inconsistent: the prose stating two values for one fact.
 */
import type { Evidence } from '../../src/model.js';
import type { RawFinding, Rule } from '../../src/validate/engine.js';
import { amountVerdict, decimalsOf, fmtFen, isRoundingOf, sumVerdict } from '../../src/validate/tolerance.js';
import { labelOf, labelValues, fenOf, evidenceOf, type KeyedTable } from '../tables/grid.js';
import { readFrom, type Candidate } from '../types.js';
import { coarser, unitOf, type CheckContext } from './context.js';

function valueText(c: Candidate): string {
  if (c.unit === 'yuan') return fmtFen(c.fen!, c.evidence.printedUnit ?? '万元');
  return c.unit === 'percent' ? `${c.number}%` : `${c.number}`;
}

function differ(a: Candidate, b: Candidate): 'ok' | 'info' | 'error' {
  if (a.unit !== b.unit) return 'error';
  if (a.unit !== 'yuan') return a.number === b.number ? 'ok' : 'error';
  const unit = coarser(unitOf(a), unitOf(b));
  // the rounding step: the last printed digit of the less precise side
  const decimals = Math.min(...[a, b].filter((c) => unitOf(c) === unit).map((c) => decimalsOf(c.evidence.printed)));
  return amountVerdict(a.fen!, b.fen!, unit, decimals);
}

/**
 * Every candidate of `source` that disagrees with the fact chosen from a table
 * (once per distinct value): the pairs cross.table and prose.table report.
 */
function* disagreements(ctx: CheckContext, source: 'table' | 'text'): Generator<{ key: string; chosen: Candidate; other: Candidate; verdict: 'info' | 'error' }> {
  for (const [key, chosen] of ctx.chosen) {
    if (readFrom(chosen.evidence) !== 'table') continue;
    const seen = new Set<string>();
    for (const other of ctx.candidates) {
      if (other === chosen || other.key !== key || readFrom(other.evidence) !== source) continue;
      // 18,976.76万元 in the text for 189,767,551元 in the table is its rounding, not a difference
      if (source === 'text' && other.unit === 'yuan' && chosen.unit === 'yuan' && isRoundingOf(other.fen!, chosen.fen!, other.evidence.printedUnit, other.evidence.printed)) continue;
      const verdict = differ(chosen, other);
      const sig = valueText(other);
      if (verdict === 'ok' || seen.has(sig)) continue;
      seen.add(sig);
      yield { key, chosen, other, verdict };
    }
  }
}

const rounding = (v: 'info' | 'error') => (v === 'info' ? ' (rounding)' : '');

export const crossTableRule: Rule<CheckContext> = {
  id: 'cross.table',
  severity: 'error',
  description: 'a figure printed in two tables has one value',
  reads: ['summary', 'income', 'expenditure', 'appropriation_summary', 'gpb_expenditure', 'gpb_basic', 'three_public'],
  check(ctx) {
    return [...disagreements(ctx, 'table')].filter(({ key, chosen, other }) => !carriedWithin(ctx, key, chosen, other)).map(({ key, chosen, other, verdict }) => ({
      severity: verdict,
      message: `${key}: ${chosen.evidence.table ?? 'a table'} prints ${valueText(chosen)}, ${other.evidence.table ?? 'another table'} prints ${valueText(other)}${rounding(verdict)}`,
      evidence: [chosen.evidence, other.evidence],
    }));
  },
};

/**
 * A fund's income in a 总表 that prints no 上年结转 line of its own, against the 财政拨款收支总表's
 * 本年收入 of that fund: the 总表 counts the fund's carry-over within it (Chongqing: 结转金额已纳入
 * 相应性质的资金收入中进行反映) when it equals 本年收入 + that fund's 上年结转 row.
 */
function carriedWithin(ctx: CheckContext, key: string, a: Candidate, b: Candidate): boolean {
  const carried = ctx.candidates.find((c) => c.key === `x.carried.${key}` && c.evidence.source === 'table');
  if (!carried || a.unit !== 'yuan' || b.unit !== 'yuan') return false;
  const isAppropriation = (c: Candidate) => c.evidence.table?.startsWith('appropriation_summary:') ?? false;
  const [appr, whole] = isAppropriation(a) ? [a, b] : isAppropriation(b) ? [b, a] : [undefined, undefined];
  if (!appr || !whole || whole.evidence.table === appr.evidence.table) return false;
  const wholeTable = whole.evidence.table;
  if (ctx.candidates.some((c) => c.key === 'carryover.opening' && c.evidence.source === 'table' && c.evidence.table === wholeTable)) return false;
  return sumVerdict(appr.fen! + carried.fen!, whole.fen!, coarser(unitOf(appr), unitOf(whole)), 2) !== 'error';
}

export const proseTableRule: Rule<CheckContext> = {
  id: 'prose.table',
  severity: 'error',
  description: 'what the 情况说明 states for a fact equals the table value',
  reads: ['facts'],
  check(ctx) {
    return [...disagreements(ctx, 'text')].map(({ key, chosen, other, verdict }) => ({
      severity: verdict,
      message: `${key}: the text states ${other.evidence.printed ?? valueText(other)}${other.evidence.printedUnit ?? ''}, the table prints ${valueText(chosen)}${rounding(verdict)}`,
      evidence: [other.evidence, chosen.evidence],
    }));
  },
};

export const proseInconsistentRule: Rule<CheckContext> = {
  id: 'prose.inconsistent',
  severity: 'warning',
  description: 'the text states one value for a fact',
  reads: ['facts'],
  check(ctx) {
    const out: RawFinding[] = [];
    const byKey = new Map<string, Candidate[]>();
    for (const c of ctx.candidates) {
      if (readFrom(c.evidence) !== 'text') continue;
      const list = byKey.get(c.key);
      if (list) list.push(c);
      else byKey.set(c.key, [c]);
    }
    for (const [key, list] of byKey) {
      // with a table value, prose.table already compares every sentence
      if (readFrom(ctx.chosen.get(key)?.evidence) === 'table') continue;
      const first = list[0]!;
      const other = list.find((c) => differ(first, c) === 'error');
      if (other) out.push({ message: `${key}: the text states ${valueText(first)} and also ${valueText(other)}`, evidence: [first.evidence, other.evidence] });
    }
    return out;
  },
};

/** 类 totals of a table: from coded rows, or from the labels of a 总表's expenditure side. */
function classTotals(ctx: CheckContext, t: KeyedTable): Map<string, { fen: bigint; evidence: Evidence; rows?: number }> {
  const out = new Map<string, { fen: bigint; evidence: Evidence; rows?: number }>();
  const fn = ctx.fnTables.find((f) => f.table === t);
  if (fn) {
    // a consolidated table (a group of rows per unit, Shenzhen): the department's 类 rows
    // where it prints them (before the first unit), else each 类 summed over the units
    const classes = fn.rows.filter((r) => r.code?.length === 3 && r.values.has('total'));
    const own = classes.filter((r) => (r.group ?? 0) === 0);
    for (const r of own.length > 0 ? own : classes) {
      const c = r.values.get('total')!;
      const name = normClass(r.name);
      const prev = out.get(name);
      out.set(name, prev && own.length === 0 ? { fen: prev.fen + c.fen, evidence: prev.evidence, rows: (prev.rows ?? 1) + 1 } : prev ?? { fen: c.fen, evidence: c.evidence });
    }
    return out;
  }
  for (const x of labelValues(t)) {
    if (!/支出$/.test(x.label) || /合计|总计|基本支出|项目支出/.test(x.label) || x.values.length === 0) continue;
    const fen = fenOf(t, x.values[0]!.printed);
    if (fen !== null) out.set(normClass(x.label), { fen, evidence: evidenceOf(t, x.values[0]!) });
  }
  return out;
}

/** A 类/款/项 name as the text and the table both print it: the label, without a trailing 支出. */
const classLabel = (s: string) => labelOf(s).replace(/支出$/, '');

function normClass(name: string): string {
  return labelOf(name).replace(/[（(]类[)）]/g, '').replace(/支出$/, '');
}

export const crossClassRule: Rule<CheckContext> = {
  id: 'cross.class',
  severity: 'error',
  description: 'a 类 row has the same total in every table that lists it',
  reads: ['summary', 'expenditure', 'appropriation_summary', 'gpb_expenditure', 'income'],
  check(ctx) {
    const byKey = (k: string) => ctx.tables.find((t) => t.key === k);
    const pairs: Array<[string, string]> = [['summary', 'expenditure']];
    // the 财政拨款 总表 lists 一般公共预算 with 政府性基金 / 国有资本经营: comparable to the 一般公共预算 table only without them
    const otherFunds = ['gov_fund.expenditure', 'state_capital.expenditure', 'income.gov_fund', 'income.state_capital'].some((k) => (ctx.chosen.get(k)?.fen ?? 0n) !== 0n);
    if (!otherFunds) pairs.push(['appropriation_summary', 'gpb_expenditure']);
    if (ctx.meta.kind === 'budget') pairs.push(['income', 'expenditure']);
    const out: RawFinding[] = [];
    for (const [a, b] of pairs) {
      const ta = byKey(a);
      const tb = byKey(b);
      if (!ta || !tb) continue;
      const ca = classTotals(ctx, ta);
      const cb = classTotals(ctx, tb);
      const unit = coarser(ta.unitText, tb.unitText);
      for (const [name, va] of ca) {
        const vb = cb.get(name);
        if (!vb) continue;
        // a 类 summed over units carries the rounding of each of its rows
        const rows = Math.max(va.rows ?? 1, vb.rows ?? 1);
        const v = sumVerdict(va.fen, vb.fen, unit, rows + 1, Math.min(decimalsOf(va.evidence.printed), decimalsOf(vb.evidence.printed)));
        if (v === 'ok') continue;
        out.push({
          severity: v === 'info' ? 'info' : 'error',
          message: `${name}: ${ta.title} prints ${fmtFen(va.fen, ta.unitText)}, ${tb.title} prints ${fmtFen(vb.fen, tb.unitText)}${v === 'info' ? ' (rounding)' : ''}`,
          evidence: [va.evidence, vb.evidence],
        });
      }
    }
    return out;
  },
};

export const proseLineItemRule: Rule<CheckContext> = {
  id: 'prose.line_item',
  severity: 'error',
  description: 'an amount the text states for a 类/款/项 equals its table row',
  reads: ['gpb_expenditure', 'gpb.detail', 'gpb.structure'],
  check(ctx) {
    if (ctx.tableItems.length === 0) return [];
    const out: RawFinding[] = [];
    for (const n of ctx.narrativeItems) {
      if (n.total === undefined) continue;
      const want = n.path.map(classLabel);
      const match = ctx.tableItems.find((t) => {
        const got = t.path.map(classLabel);
        return got.length === want.length && got.every((x, i) => x === want[i]);
      });
      if (!match || match.total === undefined) continue;
      const prose = BigInt(Math.round(n.total * 100));
      const table = BigInt(Math.round(match.total * 100));
      const unit = coarser(n.evidence[0]?.printedUnit, match.evidence[0]?.printedUnit);
      if (isRoundingOf(prose, table, n.evidence[0]?.printedUnit, n.evidence[0]?.printed)) continue;
      const v = amountVerdict(prose, table, unit);
      if (v === 'ok') continue;
      out.push({
        severity: v === 'info' ? 'info' : 'error',
        message: `${n.path.join(' / ')}: the text states ${n.evidence[0]?.printed}${n.evidence[0]?.printedUnit ?? ''}, the table row ${match.code ?? ''} prints ${fmtFen(table, match.evidence[0]?.printedUnit ?? '万元')}${v === 'info' ? ' (rounding)' : ''}`,
        evidence: [n.evidence[0]!, match.evidence[0]!],
      });
    }
    return out;
  },
};

export const lineItemLevelRule: Rule<CheckContext> = {
  id: 'prose.line_item_level',
  severity: 'warning',
  description: 'the text names a 类 that the table has as a 款 (or the like)',
  reads: ['gpb_expenditure', 'gpb.detail'],
  check(ctx) {
    if (ctx.tableItems.length === 0) return [];
    const classes = new Set(ctx.tableItems.filter((t) => t.path.length === 1).map((t) => classLabel(t.name)));
    const kuan = new Map(ctx.tableItems.filter((t) => t.path.length === 2).map((t) => [classLabel(t.name), t] as const));
    const out: RawFinding[] = [];
    const seen = new Set<string>();
    for (const n of ctx.narrativeItems) {
      const cls = classLabel(n.path[0]!);
      if (n.path.length < 2 || classes.has(cls) || seen.has(cls)) continue;
      const k = kuan.get(cls);
      if (!k) continue;
      seen.add(cls);
      out.push({ message: `the text calls ${n.path[0]} a 类; in the table it is the 款 ${k.code ?? ''} under ${k.path[0]}`, evidence: [n.evidence[0]!, k.evidence[0]!] });
    }
    return out;
  },
};
