/**
 * Identities inside the function-classification tables (收入/支出 决算表,
 * 一般公共预算 支出表, 政府性基金 / 国有资本经营 tables, and their 预算 twins):
 *  - sum.table_total: the 合计 row = the sum of the 类 rows, column by column;
 *  - sum.hierarchy:   a 类 = the sum of its 款, a 款 = the sum of its 项;
 *  - sum.columns:     on every row, 合计 = 基本支出 + 项目支出 (+ the other
 *                     expenditure columns), or 本年收入合计 = its sources.
 * A blank cell counts as 0 once its row states anything.
 */
import type { Evidence } from '../../src/model.js';
import type { RawFinding, Rule } from '../../src/validate/engine.js';
import { amountVerdict, decimalsOf, fmtFen, sumVerdict } from '../../src/validate/tolerance.js';
import type { CheckContext, FnRow, FnTable } from './context.js';
import { isAmount } from '../tables/grid.js';

const MONEY_ROLES = ['total', 'basic', 'project', 'reserve', 'gpb', 'gov_fund', 'state_capital', 'special_account', 'to_superior', 'operating_exp', 'to_affiliated', 'appropriation', 'superior_subsidy', 'business', 'operating', 'affiliated', 'other'];

function unitOf(t: FnTable): string {
  return t.table.unitText ?? '万元';
}

function sumRole(rows: FnRow[], role: string): { fen: bigint; evidence: Evidence[]; any: boolean } {
  let fen = 0n;
  const evidence: Evidence[] = [];
  let any = false;
  for (const r of rows) {
    const c = r.values.get(role);
    if (c) {
      fen += c.fen;
      any = true;
      if (evidence.length < 6) evidence.push(c.evidence);
    }
  }
  return { fen, evidence, any };
}

/** The fewest decimals printed in a table's amounts: whole-yuan tables round to 1 元. */
function decimalsIn(t: FnTable): number {
  let d = 2;
  for (const r of t.rows) for (const c of r.values.values()) d = Math.min(d, decimalsOf(c.printed));
  return d;
}

/** Roles a table's rows can be trusted for: text exports drop blank cells, so only the first (合计) column. */
function rolesOf(t: FnTable): string[] {
  return t.byColumn ? MONEY_ROLES : ['total'];
}

function compare(t: FnTable, what: string, role: string, total: FnRow, parts: FnRow[], out: RawFinding[]) {
  const s = sumRole(parts, role);
  const tc = total.values.get(role);
  if (!s.any && !tc) return;
  const tFen = tc?.fen ?? 0n;
  // each of n rounded rows may be off by half a step (Shenzhen converts 元 to 万元 row by row)
  const v = sumVerdict(s.fen, tFen, unitOf(t), parts.filter((p) => p.values.has(role)).length, decimalsIn(t));
  if (v === 'ok') return;
  const col = role === 'total' ? '' : ` (${role})`;
  out.push({
    severity: v === 'info' ? 'info' : 'error',
    message: `${t.table.title}: ${what}${col}: rows add to ${fmtFen(s.fen, unitOf(t))}, ${total.code ?? total.name} prints ${tc ? fmtFen(tFen, unitOf(t)) : 'nothing'}${v === 'info' ? ' (rounding)' : ''}`,
    evidence: [...(tc ? [tc.evidence] : [{ file: t.table.file, page: t.table.rowPages[total.row] ?? t.table.pages[0]!, quote: t.table.rows[total.row]!.filter((x) => x).join(' '), source: 'table' as const, table: t.table.title, row: total.row }]), ...s.evidence],
  });
}

export const tableTotalRule: Rule<CheckContext> = {
  id: 'sum.table_total',
  severity: 'error',
  description: '合计 = the sum of the 类 rows, in every money column of a function table',
  reads: ['income', 'expenditure', 'gpb_expenditure', 'gov_fund', 'state_capital'],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const t of ctx.fnTables) {
      const total = t.rows.find((r) => r.total);
      const classes = t.rows.filter((r) => r.code?.length === 3 && !r.repeat);
      if (!total || classes.length === 0) continue;
      for (const role of rolesOf(t)) compare(t, '合计 vs 类 rows', role, total, classes, out);
    }
    return out;
  },
};

export const hierarchyRule: Rule<CheckContext> = {
  id: 'sum.hierarchy',
  severity: 'error',
  description: '类 = sum of its 款; 款 = sum of its 项',
  reads: ['income', 'expenditure', 'gpb_expenditure', 'gov_fund', 'state_capital'],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const t of ctx.fnTables) {
      for (const parent of t.rows) {
        if (parent.repeat) {
          out.push({
            severity: 'warning',
            message: `${t.table.title}: ${parent.code} ${parent.name} is printed twice with the same amounts (a 项 printed with its ${parent.code!.length === 5 ? '款' : '类'}'s code?): counted once`,
            evidence: [...parent.values.values()].slice(0, 1).map((c) => c.evidence),
          });
          continue;
        }
        if (!parent.code || parent.code.length === 7) continue;
        const children = t.rows.filter((r) => !r.repeat && r.group === parent.group && r.code && r.code.length === parent.code!.length + 2 && r.code.startsWith(parent.code!));
        if (children.length === 0) continue;
        for (const role of rolesOf(t)) compare(t, `${parent.code} ${parent.name} vs its ${parent.code.length === 3 ? '款' : '项'}`, role, parent, children, out);
      }
    }
    return out;
  },
};

const EXPENDITURE_PARTS = ['basic', 'project', 'reserve', 'to_superior', 'operating_exp', 'to_affiliated'];
const INCOME_PARTS = ['appropriation', 'gpb', 'gov_fund', 'state_capital', 'special_account', 'superior_subsidy', 'business', 'operating', 'affiliated', 'other'];

/** Every column that holds amounts has a role of its own. */
function rolesAreComplete(t: FnTable): boolean {
  // the total row has no code cell: each of its amounts is in a money column
  const total = t.rows.find((r) => r.total);
  if (!total) return false;
  const amountCols = new Set<number>();
  t.table.rows[total.row]!.forEach((cell, c) => {
    if (isAmount(cell)) amountCols.add(c);
  });
  const roleCount = new Map<string, number>();
  for (const c of amountCols) {
    const role = t.roles[c];
    if (!role) return false;
    roleCount.set(role, (roleCount.get(role) ?? 0) + 1);
  }
  return [...roleCount.values()].every((n) => n === 1);
}

/**
 * The part columns of a table. 事业单位经营支出, 上缴上级支出 and 对附属单位补助支出 (and
 * any column printed under 其中) may be inside 基本支出/项目支出 rather than beside
 * them (Beijing's 03表 prints them under 其中, Shenzhen's 支出总表 beside them): the
 * table's total row decides, adding up with them or only without them.
 */
export function partsOf(t: FnTable, partRoles: string[]): string[] {
  const inner = new Set([...INSIDE, ...t.roles.filter((r, c) => r && t.ofWhich?.[c])]);
  const outer = partRoles.filter((r) => !inner.has(r));
  if (outer.length === partRoles.length || outer.length < 2) return partRoles;
  const row = t.rows.find((r) => r.total);
  const total = row?.values.get('total');
  if (!row || !total) return partRoles;
  const sum = (roles: string[]) => roles.reduce((s, r) => s + (row.values.get(r)?.fen ?? 0n), 0n);
  const v = (roles: string[]) => amountVerdict(sum(roles), total.fen, unitOf(t), decimalsIn(t));
  return v(partRoles) !== 'ok' && v(outer) === 'ok' ? outer : partRoles;
}

const INSIDE = ['to_superior', 'operating_exp', 'to_affiliated'];

export const columnsRule: Rule<CheckContext> = {
  id: 'sum.columns',
  severity: 'error',
  description: 'on every row: 合计 = 基本支出 + 项目支出 (+ other columns), or 本年收入合计 = its sources',
  reads: ['income', 'expenditure', 'gpb_expenditure', 'gov_fund', 'state_capital'],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const t of ctx.fnTables) {
      // 财政拨款 printed as a subtotal beside its funds: the funds are inside it
      const partRoles = (t.table.key === 'income' ? INCOME_PARTS : EXPENDITURE_PARTS).filter((r) => t.roles.includes(r) && !(t.roles.includes('appropriation') && ['gpb', 'gov_fund', 'state_capital'].includes(r)));
      // text exports without a readable header cannot say which column a value is in
      if (partRoles.length < 2 || !t.byColumn) continue;
      // nor can a header whose columns do not map one to one to roles (several funds under one
      // 财政拨款, 财政专户 and 单位资金 groups, 其中 columns): no identity is claimed there
      if (!rolesAreComplete(t)) continue;
      const roles = partsOf(t, partRoles);
      for (const row of t.rows) {
        const total = row.values.get('total');
        const parts = roles.map((r) => row.values.get(r)).filter((c) => !!c);
        if (!total || parts.length === 0) continue;
        const sum = parts.reduce((s, c) => s + c.fen, 0n);
        const v = amountVerdict(sum, total.fen, unitOf(t), decimalsIn(t));
        if (v === 'ok') continue;
        out.push({
          severity: v === 'info' ? 'info' : 'error',
          message: `${t.table.title}: ${row.code ?? row.name} ${row.code ? row.name : ''}: columns add to ${fmtFen(sum, unitOf(t))}, 合计 prints ${fmtFen(total.fen, unitOf(t))}${v === 'info' ? ' (rounding)' : ''}`.replace(/\s+:/g, ':'),
          evidence: [total.evidence, ...parts.map((c) => c.evidence)],
        });
      }
    }
    return out;
  },
};
