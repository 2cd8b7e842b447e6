/**
 * - prose.table_blank: the text states a non-zero figure whose table prints
 *   nothing at all (values removed, or never filled in);
 * - sum.items: narrative line items: a 类 stated in the 结构 paragraph against
 *   the sum of its 项 stated in the 具体情况 list;
 * - sum.economic: the 基本支出 table by economic classification: a 类 (301,
 *   302, 303, 310 …) = the sum of its 款;
 * - cross.chart: chart data (Word charts keep their numbers) against the facts.
 */
import type { ChartBlock, Evidence } from '../../src/model.js';
import { toFen } from '../../src/money.js';
import type { RawFinding, Rule } from '../../src/validate/engine.js';
import { amountVerdict, fmtFen } from '../../src/validate/tolerance.js';
import { evidenceOf, fenOf, firstDataRow, isAmount, labelOf } from '../tables/grid.js';
import { codedRow } from '../tables/readers.js';
import type { CheckContext } from './context.js';
import { readFrom } from '../types.js';

const HOME_TABLE: Array<[RegExp, string]> = [
  [/^three_public\.(?:total|budget|overseas|vehicle|vehicle_purchase|vehicle_operation|reception)$/, 'three_public'],
  [/^gov_fund\.expenditure$/, 'gov_fund'],
  [/^state_capital\.expenditure$/, 'state_capital'],
];

export const tableBlankRule: Rule<CheckContext> = {
  id: 'prose.table_blank',
  severity: 'warning',
  description: 'a non-zero figure the text states is printed in its table',
  reads: ['three_public', 'gov_fund', 'state_capital'],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const [key, c] of ctx.chosen) {
      if (readFrom(c.evidence) !== 'text' || c.unit !== 'yuan' || c.fen === 0n) continue;
      const home = HOME_TABLE.find(([re]) => re.test(key))?.[1];
      const t = home && ctx.tables.find((x) => x.key === home);
      if (!t) continue;
      const top = firstDataRow(t);
      const printsAnything = t.rows.slice(Math.min(top, t.rows.length)).some((r) => r.some((cell) => isAmount(cell) && !/^\d{2,3}$/.test(cell.trim())));
      if (printsAnything) continue;
      out.push({ message: `${key}: the text states ${c.evidence.printed}${c.evidence.printedUnit ?? ''}, the ${t.title} prints no figures`, evidence: [c.evidence, { file: t.file, page: t.pages[0]!, quote: t.title, source: 'table', table: t.title }] });
    }
    return out;
  },
};

const norm = (s: string) => labelOf(s).replace(/[（(]类[)）]/g, '').replace(/支出$/, '');

export const narrativeItemsRule: Rule<CheckContext> = {
  id: 'sum.items',
  severity: 'error',
  description: 'a 类 the text states = the sum of the 项 it lists under it',
  reads: ['gpb.structure', 'gpb.detail'],
  check(ctx) {
    if (ctx.tableItems.length) return [];
    const out: RawFinding[] = [];
    const classes = ctx.narrativeItems.filter((i) => i.path.length === 1);
    for (const cls of classes) {
      const leaves = ctx.narrativeItems.filter((i) => i.path.length === 3 && norm(i.path[0]!) === norm(cls.path[0]!));
      if (leaves.length === 0 || cls.total === undefined) continue;
      const sum = leaves.reduce((s, i) => s + BigInt(Math.round((i.total ?? 0) * 100)), 0n);
      const total = BigInt(Math.round(cls.total * 100));
      const unit = cls.evidence[0]?.printedUnit ?? '万元';
      const v = amountVerdict(sum, total, unit);
      if (v === 'ok') continue;
      out.push({
        severity: v === 'info' ? 'info' : 'error',
        message: `${cls.path[0]}: its ${leaves.length} 项 add to ${fmtFen(sum, unit)}, the 类 is stated as ${fmtFen(total, unit)}${v === 'info' ? ' (rounding)' : ''}`,
        evidence: [cls.evidence[0]!, ...leaves.slice(0, 4).map((l) => l.evidence[0]!)],
      });
    }
    return out;
  },
};

export const economicRule: Rule<CheckContext> = {
  id: 'sum.economic',
  severity: 'error',
  description: 'in the 基本支出 table, a 类 = the sum of its 款',
  reads: ['gpb_basic'],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const t of ctx.tables.filter((x) => x.key === 'gpb_basic')) {
      // the Shanghai 决算 table sets two code blocks side by side: read every block
      const rows: Array<{ code: string; name: string; fen: bigint; evidence: Evidence }> = [];
      for (let r = firstDataRow(t); r < t.rows.length; r++) {
        const cells = t.rows[r]!;
        for (let c = 0; c < cells.length; c++) {
          if (!/^\d{3}$/.test(cells[c]!.trim()) || (c > 0 && /^\d{3}$/.test(cells[c - 1]!.trim()))) continue;
          const coded = codedRow(cells.slice(c));
          if (!coded) continue;
          const k = c + coded.from;
          const v = cells[k];
          if (v === undefined || !isAmount(v)) continue;
          const fen = fenOf(t, v);
          if (fen !== null) rows.push({ code: coded.code, name: coded.name, fen, evidence: evidenceOf(t, { printed: v.trim(), row: r, col: k }) });
        }
      }
      const unit = t.unitText ?? '万元';
      for (const cls of rows.filter((x) => x.code.length === 3)) {
        const kids = rows.filter((x) => x.code.length === 5 && x.code.startsWith(cls.code));
        if (kids.length === 0) continue;
        const sum = kids.reduce((s, x) => s + x.fen, 0n);
        const v = amountVerdict(sum, cls.fen, unit);
        if (v === 'ok') continue;
        out.push({
          severity: v === 'info' ? 'info' : 'error',
          message: `${t.title}: ${cls.code} ${cls.name}: its 款 add to ${fmtFen(sum, unit)}, the 类 prints ${fmtFen(cls.fen, unit)}${v === 'info' ? ' (rounding)' : ''}`,
          evidence: [cls.evidence, ...kids.slice(0, 4).map((x) => x.evidence)],
        });
      }
    }
    return out;
  },
};

/** Chart labels → fact keys; year labels stand for the total the chart's title names. */
const CHART_LABELS: Array<[RegExp, string]> = [
  [/^一般公共预算财政拨款收入$/, 'income.gpb'],
  [/^政府性基金预算财政拨款收入$/, 'income.gov_fund'],
  [/^上级补助收入$/, 'income.superior_subsidy'],
  [/^事业收入$/, 'income.business'],
  [/^经营收入$/, 'income.operating'],
  [/^附属单位上缴收入$/, 'income.affiliated'],
  [/^其他收入$/, 'income.other'],
  [/^基本支出$/, 'expenditure.basic'],
  [/^项目支出$/, 'expenditure.project'],
  [/^公务用车购置及运行维护费?$|^公务用车购置及运行费$/, 'three_public.vehicle'],
  [/^公务接待费?$/, 'three_public.reception'],
  [/^因公出国[（(]境[)）]费?$/, 'three_public.overseas'],
];
const CHART_TOTALS: Array<[RegExp, string]> = [
  [/财政拨款收[、，]?支|财政拨款收入支出/, 'appropriation.total'],
  [/一般公共预算财政拨款支出/, 'gpb.expenditure'],
  [/收[、，]?支|收入支出/, 'totals.total'],
];

export const chartRule: Rule<CheckContext> = {
  id: 'cross.chart',
  severity: 'error',
  description: "a chart's numbers equal the facts they show",
  reads: ['charts'],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const sb of ctx.blocks) {
      if (sb.block.kind !== 'chart') continue;
      const chart = sb.block as ChartBlock;
      // shares (0.99, 0.007) are not amounts
      for (const s of chart.series) {
        if (s.values.every((v) => Number(v) <= 1)) continue;
        s.labels.forEach((label, i) => {
          const printed = s.values[i];
          if (printed === undefined) return;
          let key = CHART_LABELS.find(([re]) => re.test(label))?.[1];
          if (!key && ctx.meta.year && label.replace(/\s/g, '') === `${ctx.meta.year}年`) key = CHART_TOTALS.find(([re]) => re.test(chart.title))?.[1];
          const fact = key && ctx.chosen.get(key);
          if (!fact || fact.fen === undefined) return;
          const fen = toFen(printed, '万元');
          if (fen === null) return;
          const v = amountVerdict(fen, fact.fen, '万元');
          if (v === 'ok') return;
          out.push({
            severity: v === 'info' ? 'info' : 'error',
            message: `chart “${chart.title}”: ${label} ${printed}万元, ${key} is ${fmtFen(fact.fen)}${v === 'info' ? ' (rounding)' : ''}`,
            evidence: [{ ...sb.block.evidence, quote: `${chart.title}: ${label} ${printed}`, source: 'chart' }, fact.evidence],
          });
        });
      }
    }
    return out;
  },
};
