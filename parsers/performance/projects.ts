/**
 * 绩效 project tables → projects. One walk over the rows (rows.ts): a row
 * starting `项目名称` opens a project; its header block gives the names and
 * the money; the 年度总体目标 rows its goals; the rows after the
 * 一级/二级/三级指标 header its indicators. Aligned grids are read by the
 * column of the header cell above each cell; text exports (blank cells
 * dropped) by the order of the cells and the indicator vocabulary.
 */
import { fenToYuan, normaliseUnit, toFen, type MoneyUnit } from '../../src/money.js';
import type { Evidence, Meta } from '../../src/model.js';
import { tableKeyOf } from '../catalogue/tables.js';
import { PERF_PROJECT_KEYS, type PCell, type PRow } from './rows.js';
import type { PerfIndicator, PerfProject } from './types.js';
import { isLevel1, isLevel2, isPlaceholder, level1Family, parseValue, splitGlued, splitNameValue, targetMet } from './vocab.js';

const sq = (s: string) => s.replace(/\s+/g, '');
const NUM_RE = /^[-+]?\d[\d,]*(?:\.\d+)?$|^[-+]?\.\d+$/;
const isNum = (s: string) => NUM_RE.test(sq(s));

// ---------------------------------------------------------------------------
// header block: label → value tokens

type HeadKey =
  | 'name' | 'department' | 'implementer' | 'nature' | 'category' | 'start' | 'end' | 'period'
  | 'totalFunding' | 'budgetYear' | 'yearTotal' | 'fiscalR' | 'fiscalL' | 'fiscal' | 'carry' | 'other'
  | 'initial' | 'fullBudget' | 'fullExec' | 'budgetL' | 'execR' | 'rate' | 'weight' | 'score';

const HEAD_LABELS: Array<[string, HeadKey]> = [
  ['项目名称', 'name'],
  ['主管部门及代码', 'department'],
  ['主管部门', 'department'],
  ['实施单位', 'implementer'],
  ['项目性质', 'nature'],
  ['项目类别', 'category'],
  ['计划开始日期', 'start'],
  ['计划完成日期', 'end'],
  ['项目期限', 'period'],
  ['实施期限', 'period'],
  ['项目资金总额', 'totalFunding'],
  ['年度资金申请总额', 'budgetYear'],
  ['年度资金总额', 'yearTotal'],
  ['其中[:：]?\\s*当年财政拨款', 'fiscalR'],
  ['当年财政拨款', 'fiscalR'],
  ['其中[:：]?\\s*财政资金', 'fiscalL'],
  ['其中[:：]?\\s*财政拨款', 'fiscal'],
  ['上年结转资金', 'carry'],
  ['其他资金', 'other'],
  ['年初预算数', 'initial'],
  ['全年预算数', 'fullBudget'],
  ['全年执行数', 'fullExec'],
  ['预算数', 'budgetL'],
  ['执行数', 'execR'],
  ['执行率', 'rate'],
  ['分值', 'weight'],
  ['得分', 'score'],
];
const LABEL_RE = new RegExp(HEAD_LABELS.map(([s]) => `(${s})`).join('|'), 'g');
const LABEL_ONLY = new RegExp(`^(?:${HEAD_LABELS.map(([s]) => s).join('|')})[:：]?$`);

function keyOfLabel(text: string): HeadKey {
  for (const [s, k] of HEAD_LABELS) if (new RegExp(`^${s}`).test(text)) return k;
  return 'name';
}

interface Token {
  kind: 'label' | 'num' | 'text';
  key?: HeadKey;
  text: string;
  col: number;
}

function tokensOf(cells: PCell[]): Token[] {
  const out: Token[] = [];
  for (const c of cells) {
    let text = c.text.trim();
    // `其中：财659.24政拨款`, `执行数：659.24`: a number inside a label (PDF glyph order)
    const inner = /^(\D*?)([-+]?\d[\d,]*\.\d+|[-+]?\d[\d,]*)(\D*)$/.exec(sq(text));
    if (inner && (inner[1] || inner[3]) && LABEL_ONLY.test(inner[1]! + inner[3]!)) {
      out.push({ kind: 'label', key: keyOfLabel(inner[1]! + inner[3]!), text: inner[1]! + inner[3]!, col: c.col });
      out.push({ kind: 'num', text: inner[2]!, col: c.col });
      continue;
    }
    let last = 0;
    for (const m of text.matchAll(LABEL_RE)) {
      const before = text.slice(last, m.index).replace(/^[:：\s]+/, '').trim();
      if (before) pushPiece(out, before, c.col);
      out.push({ kind: 'label', key: keyOfLabel(m[0]), text: m[0], col: c.col });
      last = (m.index ?? 0) + m[0].length;
    }
    const rest = text.slice(last).replace(/^[:：\s]+/, '').trim();
    if (rest) pushPiece(out, rest, c.col);
    text = '';
  }
  return out;
}

function pushPiece(out: Token[], s: string, col: number) {
  // `10,308,000.00年度…` was split at the label; `0.00 0.00` may remain glued
  for (const part of s.split(/\s+(?=[-+]?\d)/)) {
    const p = part.trim();
    if (!p) continue;
    out.push({ kind: isNum(p) ? 'num' : 'text', text: p, col });
  }
}

// ---------------------------------------------------------------------------
// indicator header

type Role = 'side' | 'l1' | 'l2' | 'l3' | 'target' | 'actual' | 'weight' | 'score' | 'note' | 'nature' | 'unit';
const IND_ROLES: Array<[RegExp, Role]> = [
  [/一级指标/, 'l1'],
  [/二级指标/, 'l2'],
  [/三级指标/, 'l3'],
  [/指标性质/, 'nature'],
  [/度量单位|计量单位/, 'unit'],
  [/实际完成|实际值|完成值|全年实际|实际指标值/, 'actual'],
  [/预期|指标值|目标值|绩效目标/, 'target'],
  [/^分值$|权重/, 'weight'],
  [/^得分$/, 'score'],
  [/偏差|原因|改进措施|备注/, 'note'],
];
const roleOfHeader = (s: string): Role | undefined => {
  const t = sq(s);
  if (!t) return undefined;
  for (const [re, r] of IND_ROLES) if (re.test(t)) return r;
  return undefined;
};

interface IndHeader {
  /** aligned: role of each column (from the header's spanning cells) */
  byCol?: Map<number, Role>;
  firstCol: number;
  table?: PRow['table'];
  row: number;
  /** the roles in printed order */
  seq: Role[];
}

function parseIndHeader(r: PRow): IndHeader {
  const seq: Role[] = [];
  if (r.glued || !r.aligned || !r.table) {
    const flat = r.cells.map((c) => c.text).join(' ');
    const found: Array<{ at: number; role: Role }> = [];
    let masked = sq(flat);
    for (const [re, role] of IND_ROLES) {
      const g = new RegExp(re.source.replace(/^\^|\$$/g, ''), 'g');
      for (const m of masked.matchAll(g)) found.push({ at: m.index ?? 0, role });
      masked = masked.replace(g, (s) => '\u0000'.repeat(s.length));
    }
    found.sort((a, b) => a.at - b.at);
    for (const f of found) if (!seq.includes(f.role)) seq.push(f.role);
    return { firstCol: 0, row: r.row, seq, ...(r.table ? { table: r.table } : {}) };
  }
  const filled = r.table.filled[r.row]!;
  const byCol = new Map<number, Role>();
  let firstCol = Infinity;
  filled.forEach((text, c) => {
    const role = roleOfHeader(text);
    if (!role) return;
    byCol.set(c, role);
    if (role === 'l1') firstCol = Math.min(firstCol, c);
    if (!seq.includes(role)) seq.push(role);
  });
  if (!Number.isFinite(firstCol)) firstCol = 0;
  return { byCol, firstCol, table: r.table, row: r.row, seq };
}

// ---------------------------------------------------------------------------

interface RawInd {
  f: Partial<Record<Role, string>>;
  cols: Partial<Record<Role, number>>;
  page?: number;
  row: PRow;
  /** l2 names the indicator (no 二级 word and the 二级 column holds a name) */
  nameInL2?: boolean;
}

interface Draft {
  kind: 'self_evaluation' | 'target';
  title: string;
  rows: PRow[];
  nameRow: PRow;
  head: PRow[];
  goalHeader?: PRow;
  goal: PRow[];
  header?: IndHeader;
  raw: RawInd[];
  /** context while reading: the current 二级 (to tell a name printed in the 二级 column) */
  ctxL2?: string;
  pendingL2?: string;
  total?: { weight?: number; score?: number; row: PRow };
}

const SIDE_RE = /^(?:年度)?绩效指标(?:完成情况)?$|^年度绩效指标完成情况$|^绩效$|^指标$|^目标$|^项目$|^绩效目标$|^项目绩效目标$/;
const GOAL_HEAD_RE = /^(?:年度总体目标(?:完成情况)?|预期目标|目标实际完成情况|实际完成情况|项目总目标|项目总体目标|总体目标|项目绩效目标|年度目标)$/;
const YEAR_ROW_RE = /^[（(]\s*\d{4}\s*年度?\s*[)）]$/;
const TOTAL_RE = /^(?:合计|总分|总计)$/;

function isPerfTitleText(s: string): { key: string; title: string } | undefined {
  const t = sq(s);
  if (!/表$/.test(t)) return undefined;
  const d = tableKeyOf(t);
  return d && PERF_PROJECT_KEYS.includes(d.key) ? { key: d.key, title: t } : undefined;
}

export function parseProjects(rows: PRow[], meta: Meta): PerfProject[] {
  const drafts: Draft[] = [];
  let cur: Draft | undefined;
  let pendingTitle: { key: string; title: string } | undefined;
  for (const r of rows) {
    const flat = sq(r.cells.map((c) => c.text).join(''));
    const title = r.cells.length === 1 ? isPerfTitleText(flat.replace(/^附[:：]?/, '')) : undefined;
    if (title) {
      pendingTitle = title;
      continue;
    }
    if (YEAR_ROW_RE.test(flat)) continue;
    if (/^项目名称/.test(flat)) {
      const key = pendingTitle?.key ?? r.table?.key ?? (meta.kind === 'final' ? 'performance_self_eval' : 'performance_target');
      cur = {
        kind: key === 'performance_self_eval' ? 'self_evaluation' : 'target',
        title: pendingTitle ? `${pendingTitle.key}: ${pendingTitle.title}` : r.tableLabel,
        rows: [r],
        nameRow: r,
        head: [r],
        goal: [],
        raw: [],
      };
      pendingTitle = undefined;
      drafts.push(cur);
      continue;
    }
    if (!cur) continue;
    cur.rows.push(r);
    if (/一级指标/.test(flat) && (/二级指标/.test(flat) || /三级指标/.test(flat))) {
      cur.header = parseIndHeader(r);
      continue;
    }
    if (!cur.header) {
      if (!cur.goalHeader && !r.glued && r.cells.some((c) => GOAL_HEAD_RE.test(sq(c.text))) && !r.cells.some((c) => isNum(c.text))) {
        cur.goalHeader = r;
        continue;
      }
      if (r.glued && /^(?:项目总体?目标|年度总体目标)/.test(flat)) {
        cur.goalHeader ??= r;
        continue;
      }
      if (cur.goalHeader) cur.goal.push(r);
      else cur.head.push(r);
      continue;
    }
    indicatorRow(cur, r);
  }
  return drafts.map((d) => finish(d, meta));
}

// ---------------------------------------------------------------------------
// indicator rows

function indicatorRow(d: Draft, r: PRow) {
  const h = d.header!;
  const first = sq(r.cells[0]!.text);
  if (TOTAL_RE.test(first)) {
    const nums = r.cells.filter((c) => isNum(c.text)).map((c) => Number(sq(c.text).replace(/,/g, '')));
    d.total = { ...(nums[0] !== undefined ? { weight: nums[0] } : {}), ...(nums[1] !== undefined ? { score: nums[1] } : {}), row: r };
    return;
  }
  if (r.glued) return gluedRow(d, r);
  let f: Partial<Record<Role, string>> = {};
  const cols: Partial<Record<Role, number>> = {};
  let nameInL2 = false;
  const byColumn = !!(h.byCol && r.aligned && r.table && r.table === h.table && r.row > h.row);
  if (byColumn) {
    for (const c of r.cells) {
      if (c.col < h.firstCol) continue; // the merged label on the left (年度绩效指标完成情况 / 绩效指标)
      const role = h.byCol!.get(c.col) ?? nearestRole(h.byCol!, c.col);
      if (!role || role === 'side') continue;
      f[role] = f[role] ? f[role] + c.text : c.text;
      cols[role] ??= c.col;
    }
    if (f.l2 && !isLevel2(f.l2) && f.l2.length > 2) nameInL2 = true;
  } else {
    const cells = r.cells.map((c) => c.text).filter((t) => !SIDE_RE.test(sq(t)));
    const s = sequenceRow(d, cells, h.seq);
    f = s.f;
    nameInL2 = s.nameInL2;
  }
  if (Object.keys(f).length === 0) return;
  // a row split by a page (or table) break continues the row above
  const prev = d.raw[d.raw.length - 1];
  if (prev && r.breakBefore && continues(prev, f, r)) {
    for (const [k, v] of Object.entries(f) as Array<[Role, string]>) {
      if (prev.row.table === r.table && prev.f[k] !== undefined) prev.f[k] = prev.f[k]! + v;
      else if (prev.row.table === r.table) prev.f[k] = v;
      else {
        // another grid: append to the longest text of the row above
        const target = (['l3', 'l2', 'target', 'actual'] as Role[]).filter((x) => prev.f[x]).sort((a, b) => prev.f[b]!.length - prev.f[a]!.length)[0];
        if (target) prev.f[target] = prev.f[target]! + v;
      }
    }
    return;
  }
  if (f.l1 && isLevel1(f.l1)) d.ctxL2 = undefined;
  if (f.l2) d.ctxL2 = f.l2;
  d.raw.push({ f, cols, ...(r.page !== undefined ? { page: r.page } : {}), row: r, nameInL2 });
}

function nearestRole(byCol: Map<number, Role>, col: number): Role | undefined {
  let best: Role | undefined;
  let bestCol = -1;
  for (const [c, role] of byCol) if (c <= col && c > bestCol) {
    best = role;
    bestCol = c;
  }
  return best;
}

function continues(prev: RawInd, f: Partial<Record<Role, string>>, r: PRow): boolean {
  const keys = Object.keys(f) as Role[];
  const vocab = (f.l1 && isLevel1(f.l1)) || (f.l2 && isLevel2(f.l2));
  if (vocab) return false;
  // `完` above the break + `成指标` below: the 一级 word split in two
  if (f.l1 && prev.f.l1 && isLevel1(prev.f.l1 + f.l1)) return true;
  if (f.l1 && !prev.f.l1 && f.l1.length <= 3 && !isLevel1(f.l1)) return true;
  // a lone piece of text with no target under a row that has one
  return keys.length === 1 && !r.glued && (!!prev.f.target || !!prev.f.actual || !!prev.f.l3);
}

/** Text exports: the cells in order, the 一级/二级 words by vocabulary, the rest in the header's order. */
function sequenceRow(d: Draft, cells: string[], seq: Role[]): { f: Partial<Record<Role, string>>; nameInL2: boolean } {
  const f: Partial<Record<Role, string>> = {};
  let i = 0;
  const c0 = cells[0];
  if (c0 !== undefined && isLevel1(c0) && (!isLevel2(c0) || (cells[1] !== undefined && isLevel2(cells[1])))) {
    f.l1 = c0;
    i++;
  }
  if (cells[i] !== undefined && isLevel2(cells[i]!)) {
    f.l2 = cells[i]!;
    i++;
  }
  let rest = cells.slice(i);
  const after = seq.filter((r) => r !== 'l1' && r !== 'l2' && r !== 'side');
  let slots = after.length ? after : (['l3', 'target', 'actual'] as Role[]);
  let nameInL2 = false;
  // weight / score: the numbers at the end (before a note)
  if (slots.includes('score') || slots.includes('weight')) {
    const numIdx = rest.map((t, k) => (isNum(t) ? k : -1)).filter((k) => k >= 0);
    const scoreSlots = slots.filter((s) => s === 'weight' || s === 'score');
    const tailNums = numIdx.slice(-scoreSlots.length);
    tailNums.forEach((k, n) => {
      f[scoreSlots[scoreSlots.length - tailNums.length + n]!] = rest[k]!;
    });
    const noteAfter = tailNums.length ? rest.slice(tailNums[tailNums.length - 1]! + 1) : [];
    if (noteAfter.length && slots.includes('note')) f.note = noteAfter.join('');
    rest = tailNums.length ? rest.slice(0, tailNums[0]) : rest;
    slots = slots.filter((s) => s !== 'weight' && s !== 'score' && s !== 'note');
  }
  if (rest.length === 0) return { f, nameInL2 };
  const ctx = f.l2 ?? (f.l1 ? undefined : d.ctxL2);
  if (!f.l2 && (ctx === undefined || !isLevel2(ctx)) && rest.length >= 2) {
    // the 二级 column names the indicator (窗口工作奖励金: 办理提速 | 70%以上 | 完成)
    f.l2 = rest[0]!;
    rest = rest.slice(1);
    slots = slots.filter((s) => s !== 'l3');
    nameInL2 = true;
  }
  rest.forEach((t, k) => {
    const slot = slots[Math.min(k, slots.length - 1)]!;
    f[slot] = f[slot] && k >= slots.length ? f[slot] + t : t;
  });
  return { f, nameInL2 };
}

function gluedRow(d: Draft, r: PRow) {
  const line = r.cells.map((c) => c.text).join(' ').trim();
  if (SIDE_RE.test(sq(line))) return;
  const g = splitGlued(line);
  if (!g.level1 && !g.level2) {
    // `服务对象满意度` … `指标`: a 二级 word broken over lines
    if (isLevel2(sq(line) + '指标')) {
      d.pendingL2 = sq(line) + '指标';
      return;
    }
  }
  let { level1, level2 } = g;
  if (d.pendingL2 && level2 && !level1 && isLevel1(level2) && level1Family(d.pendingL2).includes(level2)) {
    level1 = level2;
    level2 = d.pendingL2;
    d.pendingL2 = undefined;
  }
  const f: Partial<Record<Role, string>> = {};
  if (level1) f.l1 = level1;
  if (level2) f.l2 = level2;
  if (g.rest) {
    const nv = splitNameValue(g.rest);
    f.l3 = nv.name;
    if (nv.value) f.target = nv.value;
  }
  if (!f.l3 && !f.l1 && !f.l2) return;
  d.raw.push({ f, cols: {}, ...(r.page !== undefined ? { page: r.page } : {}), row: r, nameInL2: false });
}

// ---------------------------------------------------------------------------

function finish(d: Draft, meta: Meta): PerfProject {
  const head = readHead(d);
  const p: PerfProject = {
    name: head.name ?? '',
    ...(head.department ? { department: head.department } : {}),
    ...(head.implementer ? { implementer: head.implementer } : {}),
    kind: d.kind,
    indicators: [],
    evidence: [],
  };
  Object.assign(p, head.money);
  if (head.period) p.period = head.period;
  Object.assign(p, readGoals(d));
  // indicators: 一级/二级 carried down the merged cells
  let l1: string | undefined;
  let l2: string | undefined;
  const empty: string[] = [];
  const reasons: string[] = [];
  for (const raw of d.raw) {
    const f = { ...raw.f };
    if (f.l1 && isLevel1(f.l1)) {
      if (f.l1 !== l1) l2 = undefined;
      l1 = f.l1;
    }
    let rowL2 = f.l2;
    if (rowL2 && rowL2.length <= 2 && !isLevel2(rowL2)) rowL2 = undefined; // vertical fragment
    if (rowL2 && isLevel2(rowL2)) {
      const fam = level1Family(rowL2);
      if (fam.length && (!l1 || !fam.includes(l1)) && !(f.l1 && isLevel1(f.l1))) l1 = fam[0];
      l2 = rowL2;
    } else if (rowL2) {
      l2 = rowL2; // a name in the 二级 column
    }
    // a name printed in the 二级 column: its 三级 column holds the target
    let l3 = f.l3;
    let target = f.target;
    let actual = f.actual;
    const named = rowL2 && !isLevel2(rowL2);
    if (named && l3 && !target) {
      target = l3;
      l3 = undefined;
    }
    if (!l3 && !named) {
      if (l2 || target || actual) empty.push(l2 ?? target ?? actual ?? '');
      continue;
    }
    const ind: PerfIndicator = {
      ...(l1 ? { level1: l1 } : {}),
      ...(l2 ? { level2: l2 } : {}),
      ...(l3 ? { level3: l3 } : {}),
      ...(target ? { target } : {}),
      ...(actual && d.kind === 'self_evaluation' ? { actual } : {}),
    };
    if (f.nature || f.unit) {
      // 指标性质 | 指标值 | 度量单位 printed apart
      ind.target = [f.nature ?? '', target ?? '', f.unit ? `(${f.unit})` : ''].join('');
    }
    const w = f.weight !== undefined && isNum(f.weight) ? Number(sq(f.weight)) : undefined;
    const s = f.score !== undefined && isNum(f.score) ? Number(sq(f.score)) : undefined;
    if (w !== undefined) ind.weight = w;
    if (s !== undefined) ind.score = s;
    if (f.note) {
      ind.note = f.note;
      reasons.push(f.note);
    }
    const tv = parseValue(ind.target);
    if (tv) ind.targetValue = tv;
    const av = parseValue(ind.actual);
    if (av) ind.actualValue = av;
    if (d.kind === 'self_evaluation') {
      const met = targetMet(ind.target, ind.actual);
      if (met !== undefined) ind.met = met;
    }
    if (raw.page !== undefined) ind.page = raw.page;
    p.indicators.push(ind);
  }
  if (empty.length) p.emptyRows = empty;
  if (reasons.length) p.reasons = reasons;
  if (d.total?.score !== undefined) {
    p.score = d.total.score;
    if (d.total.weight !== undefined) p.scoreWeight = d.total.weight;
  }
  if (head.unit) p.printedUnit = head.unit;
  p.table = d.title;
  // evidence: the 项目名称 row and the money rows
  const ev = (r: PRow, quote: string, extra: Partial<Evidence> = {}): Evidence => ({
    file: r.file,
    ...(r.page !== undefined ? { page: r.page } : {}),
    ...(r.offset !== undefined ? { offset: r.offset } : {}),
    quote,
    source: 'table',
    table: d.title,
    ...(r.table ? { row: r.row } : {}),
    ...extra,
  });
  p.evidence.push(ev(d.nameRow, rowText(d.nameRow)));
  if (head.moneyRows.length) {
    p.evidence.push(ev(head.moneyRows[0]!, head.moneyRows.map(rowText).join(' '), { ...(head.printedBudget ? { printed: head.printedBudget } : {}), ...(head.unit ? { printedUnit: head.unit } : {}) }));
  }
  if (meta.kind === 'budget' && d.kind === 'self_evaluation' && p.executed === undefined) p.kind = 'target';
  return p;
}

const rowText = (r: PRow) => r.cells.map((c) => c.text).join(' ');

interface Head {
  name?: string;
  department?: string;
  implementer?: string;
  period?: { start?: string; end?: string };
  money: Partial<PerfProject>;
  moneyRows: PRow[];
  unit?: string;
  printedBudget?: string;
}

function readHead(d: Draft): Head {
  const h: Head = { money: {}, moneyRows: [] };
  const fen: Partial<Record<string, string>> = {};
  let unitText: string | undefined;
  let anchorL: number | undefined;
  let anchorR: number | undefined;
  let targetLayout = false;
  let colHeader: Token[] | undefined;
  const seen = new Set<string>();
  for (const r of d.head) {
    const toks = tokensOf(r.cells);
    const u = /[（(]\s*(万元|元|千元|亿元)\s*[)）]/.exec(r.cells.map((c) => c.text).join(''));
    if (u) unitText ??= u[1];
    const labels = toks.filter((t) => t.kind === 'label');
    if (labels.some((t) => t.key === 'totalFunding' || t.key === 'budgetYear')) targetLayout = true;
    // money columns (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分)
    const colKeys = labels.filter((t) => ['initial', 'fullBudget', 'fullExec', 'rate', 'weight', 'score'].includes(t.key!));
    if (colKeys.length >= 2 && !toks.some((t) => t.kind === 'num')) {
      colHeader = colKeys;
      continue;
    }
    let moneyRow = false;
    const counts = new Map<HeadKey, number>();
    for (let k = 0; k < toks.length; k++) {
      const t = toks[k]!;
      if (t.kind !== 'label') continue;
      const key = t.key!;
      // value: the tokens up to the next label
      const vals: Token[] = [];
      for (let j = k + 1; j < toks.length && toks[j]!.kind !== 'label'; j++) vals.push(toks[j]!);
      const text = vals.filter((v) => v.kind !== 'label').map((v) => v.text).join('');
      const num = vals.find((v) => v.kind === 'num');
      switch (key) {
        case 'name':
          if (text && !h.name) h.name = text;
          break;
        case 'department':
          if (text && !h.department) h.department = text;
          break;
        case 'implementer':
          if (text && !h.implementer) h.implementer = text;
          break;
        case 'start':
        case 'end': {
          const date = /\d{4}[-./年]\d{1,2}(?:[-./月]\d{1,2}日?)?/.exec(text)?.[0];
          if (date) (h.period ??= {})[key] = date;
          break;
        }
        case 'period': {
          const ds = [...text.matchAll(/\d{4}[-./年]\d{1,2}(?:[-./月]\d{1,2}日?)?/g)].map((m) => m[0]);
          if (ds.length) h.period = { start: ds[0]!, ...(ds[1] ? { end: ds[1] } : {}) };
          break;
        }
        case 'nature':
        case 'category':
          break;
        default: {
          if (colHeader && ['yearTotal', 'fiscal', 'fiscalR', 'carry', 'other'].includes(key)) {
            moneyRow = true;
            const nums = vals.filter((v) => v.kind === 'num' || /%$/.test(v.text));
            colHeader.forEach((hd, n) => {
              let v: Token | undefined;
              if (r.aligned && nums.some((x) => x.col !== t.col)) v = nums.find((x) => x.col === hd.col) ?? nums.filter((x) => x.col <= hd.col).pop();
              else v = nums[n];
              if (!v) return;
              const role = key === 'yearTotal' ? '' : key === 'carry' ? 'carry' : key === 'other' ? 'Other' : 'Fiscal';
              if (hd.key === 'fullBudget') set(`budget${role}`, v.text);
              else if (hd.key === 'fullExec') set(`executed${role}`, v.text);
              else if (hd.key === 'initial' && key === 'yearTotal') set('initial', v.text);
              else if (hd.key === 'rate' && key === 'yearTotal') set('rate', v.text);
            });
            break;
          }
          if (!num) {
            counts.set(key, (counts.get(key) ?? 0) + 1);
            if (['fiscal', 'other'].includes(key)) break;
            break;
          }
          moneyRow = true;
          let side: 'L' | 'R';
          if (['budgetL', 'totalFunding', 'fiscalL', 'initial'].includes(key)) {
            side = 'L';
            if (key === 'budgetL' || key === 'totalFunding') anchorL = t.col;
          } else if (['execR', 'budgetYear', 'fiscalR', 'carry', 'fullExec'].includes(key)) {
            side = 'R';
            if (key === 'execR' || key === 'budgetYear') anchorR = t.col;
          } else {
            const n = (counts.get(key) ?? 0) + 1;
            counts.set(key, n);
            const total = labels.filter((l) => l.key === key).length;
            if (total >= 2) side = n === 1 ? 'L' : 'R';
            else if (r.aligned && anchorL !== undefined && anchorR !== undefined) side = Math.abs(t.col - anchorL) <= Math.abs(t.col - anchorR) ? 'L' : 'R';
            else side = seen.has(`${key}L`) ? 'R' : 'L';
          }
          if (key === 'fiscal' || key === 'other') seen.add(`${key}${side}`);
          const field = moneyField(key, side, targetLayout);
          if (field) set(field, num.text);
          if (key === 'rate') set('rate', num.text);
        }
      }
    }
    if (moneyRow) h.moneyRows.push(r);
  }
  function set(field: string, printed: string) {
    if (fen[field] === undefined) fen[field] = printed;
  }
  const unit: MoneyUnit = normaliseUnit(unitText) ?? d.nameRow.table?.unit ?? '万元';
  h.unit = unitText ?? d.nameRow.table?.unitText ?? unit;
  const yuan = (printed: string | undefined) => {
    if (printed === undefined) return undefined;
    const f = toFen(printed, unit);
    return f === null ? undefined : fenToYuan(f);
  };
  const fields = ['budget', 'budgetFiscal', 'budgetOther', 'executed', 'executedFiscal', 'executedOther', 'totalFunding', 'totalFundingFiscal', 'totalFundingOther', 'carryOver'] as const;
  for (const k of fields) {
    const v = yuan(fen[k]);
    if (v !== undefined) (h.money as Record<string, number>)[k] = v;
  }
  if (fen.budget) h.printedBudget = fen.budget;
  if (fen.rate) {
    const n = Number(sq(fen.rate).replace(/%$/, ''));
    if (Number.isFinite(n)) h.money.executionRate = n;
  }
  if (h.money.budget === undefined && fen.initial) {
    const v = yuan(fen.initial);
    if (v !== undefined) h.money.budget = v;
  }
  return h;
}

function moneyField(key: HeadKey, side: 'L' | 'R', targetLayout: boolean): string | undefined {
  if (targetLayout) {
    switch (key) {
      case 'totalFunding': return 'totalFunding';
      case 'fiscalL': return 'totalFundingFiscal';
      case 'budgetYear': return 'budget';
      case 'fiscalR': return 'budgetFiscal';
      case 'carry': return 'carryOver';
      case 'fiscal': return side === 'L' ? 'totalFundingFiscal' : 'budgetFiscal';
      case 'other': return side === 'L' ? 'totalFundingOther' : 'budgetOther';
      default: return undefined;
    }
  }
  switch (key) {
    case 'budgetL': return 'budget';
    case 'execR': return 'executed';
    case 'fiscal':
    case 'fiscalL':
    case 'fiscalR': return side === 'L' ? 'budgetFiscal' : 'executedFiscal';
    case 'other': return side === 'L' ? 'budgetOther' : 'executedOther';
    case 'fullBudget': return 'budget';
    case 'fullExec': return 'executed';
    default: return undefined;
  }
}

function readGoals(d: Draft): Partial<PerfProject> {
  if (!d.goalHeader || d.goalHeader.glued) return {};
  const labels = d.goalHeader.cells.filter((c) => GOAL_HEAD_RE.test(sq(c.text)) && !/^(?:年度总体目标完成情况|项目绩效目标)$/.test(sq(c.text)));
  // the header cell on the far left is the block's label, not a slot
  const slots = labels.length > 2 ? labels.slice(1) : labels;
  const names = slots.map((c) => {
    const t = sq(c.text);
    if (/实际完成/.test(t)) return 'goalActual';
    if (/项目总体?目标/.test(t)) return 'totalGoal';
    return 'goal';
  });
  if (names.length === 0) return {};
  const minCol = Math.min(...slots.map((c) => c.col));
  const acc: string[] = names.map(() => '');
  for (const r of d.goal) {
    const cells = r.cells.filter((c) => !(r.aligned && r.table === d.goalHeader!.table && c.col < minCol) && !SIDE_RE.test(sq(c.text)) && !/^(?:成情况|完成情况)$/.test(sq(c.text)));
    cells.forEach((c, k) => {
      let slot = k;
      if (r.aligned && r.table === d.goalHeader!.table) {
        slot = 0;
        slots.forEach((s, n) => {
          if (s.col <= c.col) slot = n;
        });
      }
      if (slot < acc.length) acc[slot] += c.text;
    });
  }
  const out: Record<string, string> = {};
  names.forEach((n, k) => {
    if (acc[k]) out[n] = acc[k]!;
  });
  return out as Partial<PerfProject>;
}

export { isPlaceholder };
