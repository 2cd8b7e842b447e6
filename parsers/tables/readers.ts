/**
 * Table readers: the standard tables → fact candidates and line items.
 * One reader per table family; each declares the table keys it reads.
 */
import { fenToYuan } from '../../src/money.js';
import type { LineItem } from '../../src/model.js';
import type { Candidate } from '../types.js';
import { sumVerdict } from '../../src/validate/tolerance.js';
import { codedRow, codedRows, evidenceOf, fenOf, firstDataRow, headerRoles, isAmount, labelOf, labelValues, rowByRole, type KeyedTable, type ValueRef } from './grid.js';

export { codedRow };

export interface TableReader {
  id: string;
  tables: string[];
  read(t: KeyedTable): { candidates: Candidate[]; lineItems?: LineItem[] };
}

function money(t: KeyedTable, key: string, ref: ValueRef | undefined): Candidate | undefined {
  if (!ref) return undefined;
  const fen = fenOf(t, ref.printed);
  if (fen === null) return undefined;
  return { key, unit: 'yuan', fen, evidence: evidenceOf(t, ref) };
}

/** Two-sided 总表: label → first amount after it. */
const LABELS_SUMMARY: Array<[RegExp, string]> = [
  // 一般公共预算财政拨款收入 / 一般公共预算拨款收入 / 一般公共预算拨款 / 一般公共预算资金 / 一般公共预算收入
  [/^一般公共预算(?:财政)?(?:当年)?(?:拨款)?(?:资金)?(?:收入)?$/, 'income.gpb'],
  [/^政府性基金(?:预算)?(?:财政)?(?:拨款)?(?:资金)?(?:收入)?$/, 'income.gov_fund'],
  [/^国有资本经营(?:预算)?(?:财政)?(?:拨款)?(?:资金)?(?:收入)?$/, 'income.state_capital'],
  [/^上级补助收入(?:资金)?$/, 'income.superior_subsidy'],
  [/^事业收入(?:资金)?$/, 'income.business'],
  [/^(?:事业单位)?经营收入(?:资金)?$/, 'income.operating'],
  [/^附属单位上缴收入(?:资金)?$/, 'income.affiliated'],
  [/^其他收入(?:资金)?$/, 'income.other'],
  [/^(?:本年|当年)收入(?:合计|小计)$/, 'income.total'],
  [/^(?:本年|当年)支出(?:合计|小计)$/, 'expenditure.total'],
  // 年初结转和结余 / 上年结转 / 上年结转结余 / 上年结余、结转
  [/^(?:年初|上年)结转(?:和|及|、)?结余$|^上年结余(?:和|及|、)?结转$|^上年结转(?:资金)?$/, 'carryover.opening'],
  [/^(?:年末|年终)结转(?:和|及|、)?结余$|^结转(?:结余)?下年(?:资金|支出)?$/, 'carryover.closing'],
  [/^(?:收入)?总计$/, 'totals.total'],
  [/^基本支出$/, 'expenditure.basic'],
  [/^项目支出$/, 'expenditure.project'],
  // not canonical: figures the identities need
  [/^单位预留机动经费$/, 'x.expenditure.reserve'],
  [/^财政专户(?:管理)?(?:拨款)?(?:资金)?(?:收入)?$|^其他专户收入拨款$/, 'x.income.special_account'],
  [/^其他资金(?:收入)?$/, 'x.income.other_funds'],
  // Guangzhou prints the appropriation as one line: 一、预算拨款 (its funds only in the 收入总体情况表)
  [/^(?:财政|预算)拨款(?:收入)?(?:合计)?$/, 'x.income.appropriation'],
  [/^使用非财政拨款结余/, 'x.income.surplus_used'],
  [/^结余分配$/, 'x.expenditure.surplus_distribution'],
];

const summaryReader: TableReader = {
  id: 'table.summary',
  tables: ['summary'],
  read(t) {
    // Jiangsu prints 当年收入小计 and then 收入合计 (the grand total, with carry-overs)
    const hasSubtotal = labelValues(t).some((x) => /^(?:本年|当年)收入(?:合计|小计)$/.test(x.label));
    return readLabels(t, (label) => {
      const key = LABELS_SUMMARY.find(([re]) => re.test(label))?.[1];
      if (key) return key;
      if (/^收入合计$/.test(label)) return hasSubtotal ? 'totals.total' : 'income.total';
      if (/^支出合计$/.test(label)) return hasSubtotal ? undefined : 'expenditure.total';
      return undefined;
    });
  },
};

/** Each label's first amount, once per key. */
function readLabels(t: KeyedTable, keyOf: (label: string) => string | undefined, where: (x: { col: number; row: number }) => boolean = () => true): { candidates: Candidate[] } {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const x of labelValues(t)) {
    if (!where(x)) continue;
    const key = keyOf(x.label);
    if (!key || seen.has(key)) continue;
    const c = money(t, key, x.values[0]);
    if (c) {
      out.push(c);
      seen.add(key);
    }
  }
  return { candidates: out };
}

const appropriationReader: TableReader = {
  id: 'table.appropriation_summary',
  tables: ['appropriation_summary'],
  read(t) {
    const lv = labelValues(t);
    const total = lv.find((x) => /^(?:收入)?总计$/.test(x.label) && x.values.length) ?? lv.find((x) => /^收入合计$/.test(x.label) && x.values.length);
    const c = money(t, 'appropriation.total', total?.values[0]);
    // its income side names the appropriation by fund (1、一般公共预算拨款收入); the
    // expenditure side may print the same words as column or row labels: left side only
    // and only this year's: below 本年收入合计 / 上年结转 the same fund names list the carry-overs
    const left = Math.min(...lv.map((x) => x.col));
    const stop = lv.find((x) => x.col === left && /合计|小计|总计|结转|结余/.test(x.label))?.row ?? Infinity;
    const funds = readLabels(t, (label) => FUND_INCOME.find(([re]) => re.test(label))?.[1], (x) => x.col === left && x.row < stop);
    // the same fund names under 上年结转: each fund's carry-over (x.carried.income.gpb …), for
    // the 总表 that counts it within the fund (Chongqing's 一般公共预算资金 includes it)
    const carriedAt = lv.find((x) => x.col === left && /^(?:上年|年初)结转/.test(x.label))?.row;
    const end = carriedAt === undefined ? -1 : lv.find((x) => x.col === left && x.row > carriedAt && /合计|小计|总计/.test(x.label))?.row ?? Infinity;
    const carried = carriedAt === undefined ? { candidates: [] } : readLabels(t, (label) => {
      const key = FUND_INCOME.find(([re]) => re.test(label))?.[1];
      return key ? `x.carried.${key}` : undefined;
    }, (x) => x.col === left && x.row > carriedAt && x.row < end);
    return { candidates: [...(c ? [c] : []), ...funds.candidates, ...carried.candidates] };
  },
};

const FUND_INCOME = LABELS_SUMMARY.filter(([, key]) => key === 'income.gpb' || key === 'income.gov_fund' || key === 'income.state_capital');

/**
 * The table's total row: the row labelled 合计/总计. Where none is labelled (Shenzhen
 * prints the department's name on it, Beijing's 02表 has one unlabelled row of
 * amounts), the first row of amounts without a code, once the table's own figures
 * confirm it: it equals the sum of the 类 rows, or of the unit rows below it, or it
 * is the only row of amounts.
 */
export function totalRow(t: KeyedTable): number | undefined {
  const top = firstDataRow(t);
  for (let r = top; r < t.rows.length; r++) {
    // the label is the first text cell; Shanghai 决算 tables print 类 | 款 | 项 | 合计 on one row
    const labels = t.rows[r]!.filter((c) => c.trim() !== '' && !isAmount(c)).map(labelOf);
    const first = labels.find((l) => !/^[类款项]$/.test(l));
    if (first && /^(?:合计|总计)$/.test(first)) return r;
  }
  const withAmounts: number[] = [];
  for (let r = top; r < t.rows.length; r++) if (t.rows[r]!.some((c) => isAmount(c))) withAmounts.push(r);
  const first = withAmounts[0];
  if (first === undefined || codedRow(t.rows[first]!)) return undefined;
  if (withAmounts.length === 1) return first;
  const roles = headerRoles(t);
  const totalOf = (r: number) => {
    const ref = rowByRole(t, r, roles, t.def?.layouts)?.get('total');
    return ref ? fenOf(t, ref.printed) : null;
  };
  const own = totalOf(first);
  if (own === null) return undefined;
  const coded = codedRows(t, first + 1).filter((c) => !c.repeat);
  const classes = coded.filter((c) => c.code.length === 3).map((c) => c.row);
  const codedSet = new Set(coded.map((c) => c.row));
  const units = withAmounts.slice(1).filter((r) => !codedSet.has(r));
  for (const parts of [classes, units]) {
    if (parts.length === 0) continue;
    let sum = 0n;
    for (const r of parts) sum += totalOf(r) ?? 0n;
    if (sumVerdict(sum, own, t.unitText, parts.length) !== 'error') return first;
  }
  return undefined;
}

function rolesReader(id: string, table: string, map: Record<string, string>): TableReader {
  return {
    id,
    tables: [table],
    read(t) {
      const r = totalRow(t);
      if (r === undefined) return { candidates: [] };
      const byRole = rowByRole(t, r, headerRoles(t), t.def?.layouts);
      const out: Candidate[] = [];
      for (const [role, key] of Object.entries(map)) {
        const c = money(t, key, byRole?.get(role));
        if (c) out.push(c);
      }
      return { candidates: out };
    },
  };
}

/**
 * What a column of a 三公 table holds, from its header path (top to bottom):
 * the item (total, overseas, vehicle …) and the measure (budget 预算数 /
 * actual 决算数 / plain value). Columns of 会议费 and 培训费 and a grand 合计
 * that includes them are not 三公.
 */
export function threePublicColumn(path: string[], tableHasOthers: boolean, firstColumn: boolean): { item?: string; measure: 'budget' | 'actual' | 'value' } {
  const p = path.map((x) => x.replace(/[\s“”"]/g, ''));
  const measureCell = [...p].reverse().find((x) => /^(?:预算数?|决算数?|年初预算数?)$/.test(x));
  const measure = !measureCell ? 'value' : /决算/.test(measureCell) ? 'actual' : 'budget';
  const names = p.filter((x) => x !== measureCell);
  for (let i = names.length - 1; i >= 0; i--) {
    const x = names[i]!;
    const parent = names[i - 1] ?? '';
    if (/会议费|培训费/.test(x)) return { measure };
    if (/因公出国/.test(x)) return { item: 'overseas', measure };
    if (/公务接待/.test(x)) return { item: 'reception', measure };
    if (/购置费$/.test(x) && !/及/.test(x)) return { item: 'vehicle_purchase', measure };
    if (/运行(?:维护)?费$/.test(x) && !/购置及运行/.test(x)) return { item: 'vehicle_operation', measure };
    if (/机关运行经费/.test(x)) return { item: 'operating_costs', measure };
    if (/^(?:小计|合计|总计)$/.test(x)) {
      if (/公务用车购置及运行/.test(parent)) return { item: 'vehicle', measure };
      if (/三公/.test(parent)) return { item: 'total', measure };
      if (tableHasOthers && firstColumn) return { measure };
      return { item: 'total', measure };
    }
    if (/公务用车购置及运行/.test(x)) return { item: 'vehicle', measure };
    if (/三公经费/.test(x)) return { item: 'total', measure };
  }
  return { measure };
}

const THREE_PUBLIC_KEYS: Record<string, string> = {
  total: 'three_public.total',
  overseas: 'three_public.overseas',
  reception: 'three_public.reception',
  vehicle: 'three_public.vehicle',
  vehicle_purchase: 'three_public.vehicle_purchase',
  vehicle_operation: 'three_public.vehicle_operation',
  operating_costs: 'operating_costs.total',
};

const threePublicReader: TableReader = {
  id: 'table.three_public',
  tables: ['three_public'],
  read(t) {
    // the data row: the 合计 row when labelled, else the row of the latest year where rows
    // are years (Shenzhen: 2025年 / 2026年 / 增减变化金额), else the first row of amounts
    const top = firstDataRow(t);
    const out: Candidate[] = [];
    const header = t.filled.slice(0, top);
    if (t.aligned && itemColumns(t, header) < 2) return threePublicByRows(t);
    let r = totalRow(t) ?? latestYearRow(t, top);
    if (r === undefined) r = t.rows.findIndex((row, i) => i >= top && row.some((c) => isAmount(c)));
    if (r === undefined || r < 0) return { candidates: [] };
    if (t.aligned) {
      const hasOthers = header.some((row) => row.some((c) => /会议费|培训费/.test(c)));
      // a header that sets the columns under years (2025年预算数 | 2026年预算数): the latest year's
      const yearOf = (col: number) => header.map((row) => /(20\d\d)\s*年/.exec((row[col] ?? '').replace(/\s+/g, ''))?.[1]).find((y) => y);
      const years = new Set(Array.from({ length: t.width }, (_, col) => yearOf(col)).filter((y): y is string => !!y));
      const latest = years.size > 1 ? [...years].sort().at(-1) : undefined;
      const seen = new Set<string>();
      t.rows[r]!.forEach((cell, col) => {
        if (!isAmount(cell)) return;
        if (latest && yearOf(col) !== latest) return;
        const path = [...new Set(header.map((row) => row[col] ?? '').filter((x) => x.trim() !== ''))];
        const { item, measure } = threePublicColumn(path, hasOthers, col === 0);
        if (!item) return;
        const key = measure === 'budget' ? (item === 'total' ? 'three_public.budget' : undefined) : THREE_PUBLIC_KEYS[item];
        if (!key || seen.has(key)) return;
        const c = money(t, key, { printed: cell.trim(), row: r!, col });
        if (c) {
          out.push(c);
          seen.add(key);
        }
      });
      return { candidates: out };
    }
    // text exports: blank cells were dropped; try the catalogue layouts whose identities hold
    const amounts: ValueRef[] = [];
    t.rows[r]!.forEach((cell, col) => {
      if (isAmount(cell)) amounts.push({ printed: cell.trim(), row: r!, col });
    });
    for (const layout of t.def?.layouts ?? []) {
      if (layout.length !== amounts.length) continue;
      const m = new Map(layout.map((role, i) => [role, amounts[i]!] as const));
      if (!threePublicHolds(t, m)) continue;
      for (const [role, key] of Object.entries(THREE_PUBLIC_KEYS)) {
        const c = money(t, key, m.get(role));
        if (c) out.push(c);
      }
      break;
    }
    return { candidates: out };
  },
};

/** How many columns of a 三公 table's header name an item (因公出国, 公务接待 …). */
function itemColumns(t: KeyedTable, header: string[][]): number {
  let n = 0;
  for (let col = 0; col < t.width; col++) {
    const path = [...new Set(header.map((row) => row[col] ?? '').filter((x) => x.trim() !== ''))];
    if (threePublicColumn(path, false, false).item) n++;
  }
  return n;
}

/** The first row of the latest year, where a 三公 table's rows are years. */
function latestYearRow(t: KeyedTable, top: number): number | undefined {
  let best: { r: number; y: number } | undefined;
  for (let r = top; r < t.rows.length; r++) {
    const y = t.rows[r]!.map((c) => /^(20\d\d)\s*年(?:度)?(?:预算数?)?$/.exec(c.replace(/\s+/g, ''))?.[1]).find((x) => x);
    if (y && (!best || Number(y) > best.y)) best = { r, y: Number(y) };
  }
  return best?.r;
}

/**
 * A 三公 table printed with the items as rows (Fujian, Guangzhou: `合计 | 84.10`,
 * `1、因公出国（境）费用 | 70.00`, `其中：（1）公务用车购置费 | 0.00`): each labelled row's
 * first amount (its 合计 or 预算数 column).
 */
function threePublicByRows(t: KeyedTable): { candidates: Candidate[] } {
  return readLabels(t, (label) => {
    const { item } = threePublicColumn([label], false, false);
    return item ? THREE_PUBLIC_KEYS[item] : undefined;
  });
}

function threePublicHolds(t: KeyedTable, m: Map<string, ValueRef>): boolean {
  const v = (k: string) => {
    const ref = m.get(k);
    return ref ? fenOf(t, ref.printed) ?? 0n : 0n;
  };
  const near = (a: bigint, b: bigint) => (a > b ? a - b : b - a) <= 2n * (t.unit === '元' ? 100n : 10000n);
  return near(v('total'), v('overseas') + v('reception') + v('vehicle')) && near(v('vehicle'), v('vehicle_purchase') + v('vehicle_operation'));
}

/** Function-classification rows (类/款/项 codes) → line items; the 合计 row → a total fact. */
/** Label → the first amount after it (the 决算 基本支出表 prints 人员经费合计 / 公用经费合计 as labelled cells). */
function labelsReader(id: string, table: string, map: Array<[RegExp, string]>): TableReader {
  return { id, tables: [table], read: (t) => readLabels(t, (label) => map.find(([re]) => re.test(label))?.[1]) };
}

function functionTableReader(id: string, table: string, totalKey: string, withLineItems: boolean, extraTotals: Record<string, string> = {}): TableReader {
  return {
    id,
    tables: [table],
    read(t) {
      const roles = headerRoles(t);
      const out: Candidate[] = [];
      const r = totalRow(t);
      if (r !== undefined) {
        const byRole = rowByRole(t, r, roles, t.def?.layouts);
        const c = money(t, totalKey, byRole?.get('total'));
        if (c) out.push(c);
        for (const [role, key] of Object.entries(extraTotals)) {
          const e = money(t, key, byRole?.get(role));
          if (e) out.push(e);
        }
      }
      if (!withLineItems) return { candidates: out };
      const items: LineItem[] = [];
      const names = new Map<string, string>();
      for (const { row: i, code, name, from } of codedRows(t).filter((c) => !c.repeat)) {
        names.set(code, name);
        // the names of the 类 and 款 above, where the table prints them (Beijing's 05表 prints only 项 rows)
        const levels = [code.slice(0, 3), code.slice(0, 5), code].filter((c, k, a) => c.length >= 3 && (k === 0 || c !== a[k - 1]));
        const path = dedupePath(levels, code).map((c) => (c === code ? name : names.get(c))).filter((n): n is string => !!n);
        const byRole = rowByRole(t, i, roles, t.def?.layouts);
        const li: LineItem = { code, name, path, evidence: [] };
        for (const role of ['total', 'basic', 'project'] as const) {
          const ref = byRole?.get(role);
          if (ref && ref.col >= from) {
            const fen = fenOf(t, ref.printed);
            if (fen !== null) li[role] = fenToYuan(fen);
          }
        }
        const ref = byRole?.get('total') ?? { printed: '', row: i, col: from };
        li.evidence.push(evidenceOf(t, ref));
        items.push(li);
      }
      return { candidates: out, lineItems: items };
    },
  };
}

function dedupePath(path: string[], code: string): string[] {
  const depth = code.length === 3 ? 1 : code.length === 5 ? 2 : 3;
  return path.slice(0, depth);
}

const procurementReader: TableReader = {
  id: 'table.procurement',
  tables: ['procurement'],
  read(t) {
    const lv = labelValues(t);
    const out: Candidate[] = [];
    const map: Array<[RegExp, string]> = [
      [/^合计$|^总计$/, 'procurement.total'],
      // 货物 / 货物类 / 货物A / A-货物 (Beijing prints the 政府采购品目 letter first)
      [/^(?:[A-Z][-－])?货物类?[A-Z]?$/, 'procurement.goods'],
      [/^(?:[A-Z][-－])?工程类?[A-Z]?$/, 'procurement.works'],
      [/^(?:[A-Z][-－])?服务类?[A-Z]?$/, 'procurement.services'],
    ];
    // the amount is in the column the header names 总计/合计 (Chongqing: 总计 | 一般公共预算拨款收入 |
    // … | 其他收入, a column per source of funds), else the row's last amount (Jiangsu's one
    // amount column; Wuxi and Suzhou print the grand total after the funds and 上年结转)
    const roles = headerRoles(t);
    const totalCol = roles.byColumn ? [roles.roles.indexOf('total'), roles.roles.indexOf('grand')].find((c) => c >= 0) : undefined;
    for (const [re, key] of map) {
      const x = lv.find((y) => re.test(y.label) && y.values.length);
      if (!x) continue;
      const ref = totalCol !== undefined ? x.values.find((v) => v.col === totalCol) : x.values[x.values.length - 1];
      const c = money(t, key, ref);
      if (c) out.push(c);
    }
    return { candidates: out };
  },
};

/**
 * The number of vehicles a budget buys, where only a project's goal states it
 * (拟更新购置2辆公务用车): a count, and it is the 三公 table's only when the
 * project's amount is the whole 公务用车购置费 (confirmed against that fact).
 */
const vehiclesPurchasedReader: TableReader = {
  id: 'table.performance.vehicles',
  tables: ['performance_target'],
  read(t) {
    const out: Candidate[] = [];
    t.rows.forEach((row, r) => {
      const m = /购置(?:公务用车)?(\d+)辆/.exec(row.join(' '));
      const col = row.findIndex((c) => isAmount(c));
      if (!m || col < 0) return;
      const fen = fenOf(t, row[col]!.trim());
      if (fen === null) return;
      const evidence = evidenceOf(t, { printed: row[col]!.trim(), row: r, col });
      out.push({ key: 'three_public.vehicles_purchased', unit: 'count', number: Number(m[1]), evidence: { ...evidence, quote: row.filter((c) => c.trim()).join(' … ').slice(0, 160), printed: m[1]! }, confirm: { keys: ['three_public.vehicle_purchase'], fen } });
    });
    return { candidates: out };
  },
};

export const TABLE_READERS: TableReader[] = [
  summaryReader,
  appropriationReader,
  // the 政府采购 table is where its figures are printed; a 支出总表 column only repeats them
  procurementReader,
  vehiclesPurchasedReader,
  rolesReader('table.income', 'income', { total: 'income.total', gpb: 'income.gpb', gov_fund: 'income.gov_fund', state_capital: 'income.state_capital', business: 'income.business', operating: 'income.operating', other: 'income.other', superior_subsidy: 'income.superior_subsidy', affiliated: 'income.affiliated' }),
  rolesReader('table.expenditure', 'expenditure', { total: 'expenditure.total', basic: 'expenditure.basic', project: 'expenditure.project', to_superior: 'expenditure.to_superior', operating_exp: 'expenditure.operating', to_affiliated: 'expenditure.to_affiliated', procurement: 'procurement.total', procurement_sme: 'procurement.sme', procurement_small_micro: 'procurement.small_micro' }),
  rolesReader('table.gpb_basic', 'gpb_basic', { total: 'gpb.basic', personnel: 'gpb.basic.personnel', public: 'gpb.basic.public' }),
  labelsReader('table.gpb_basic.labels', 'gpb_basic', [
    [/^人员经费(?:合计)?$/, 'gpb.basic.personnel'],
    [/^公用经费(?:合计)?$/, 'gpb.basic.public'],
  ]),
  rolesReader('table.operating_costs', 'operating_costs', { total: 'operating_costs.total', operating_costs: 'operating_costs.total' }),
  threePublicReader,
  functionTableReader('table.gpb_expenditure', 'gpb_expenditure', 'gpb.expenditure', true, { basic: 'gpb.basic' }),
  functionTableReader('table.gov_fund', 'gov_fund', 'gov_fund.expenditure', false),
  functionTableReader('table.state_capital', 'state_capital', 'state_capital.expenditure', false),
];
