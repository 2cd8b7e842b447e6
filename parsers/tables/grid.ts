/**
 * Tables as the readers see them: titled, keyed, with a unit, continuation
 * parts merged, rows of plain strings (a spanning cell's text at its top-left
 * position, '' where it covers), and helpers to find rows and read values.
 */
import { isNumeric, normaliseUnit, toFen, type MoneyUnit } from '../../src/money.js';
import type { Evidence, TableBlock } from '../../src/model.js';
import { COLUMN_ROLES, tableKeyOf, TABLE_CATALOGUE, type TableDef } from '../catalogue/tables.js';
import type { SectionedBlock } from '../types.js';

export interface KeyedTable {
  key?: string;
  def?: TableDef;
  title: string;
  unit?: MoneyUnit;
  unitText?: string;
  file: string;
  pages: number[];
  aligned: boolean;
  /** full grid: every row has `width` strings */
  rows: string[][];
  /** the same grid with a spanning cell's text in every position it covers */
  filled: string[][];
  /** page of each row */
  rowPages: Array<number | undefined>;
  /** OCR confidence of each cell (same shape as rows) when the table was read from an image */
  conf?: Array<Array<number | undefined>>;
  width: number;
  blockIndex: number;
}

const UNIT_RE = /单位\s*[:：]\s*(?:人民币)?\s*(万元|元|亿元|千元)/;

/** No disclosure table is wider than this; wider spans are clipped. */
const MAX_COLUMNS = 64;

/** Expand spans into a full grid. */
export function expandGrid(block: TableBlock): { rows: string[][]; filled: string[][]; rowPages: Array<number | undefined>; conf?: Array<Array<number | undefined>>; width: number } {
  const occupied: boolean[][] = [];
  const rows: string[][] = [];
  const filled: string[][] = [];
  const rowPages: Array<number | undefined> = [];
  const conf: Array<Array<number | undefined>> = [];
  let ocr = false;
  let width = 0;
  // spans are clipped to the rows that exist and to a sane width: a hostile
  // colspan="1000" on every cell must not expand into hundreds of millions of cells
  const nRows = block.rows.length;
  block.rows.forEach((row, r) => {
    rows[r] ??= [];
    occupied[r] ??= [];
    let c = 0;
    for (const cell of row) {
      while (occupied[r]![c]) c++;
      if (c >= MAX_COLUMNS) break;
      const rowSpan = Math.min(cell.rowSpan, nRows - r);
      const colSpan = Math.min(cell.colSpan, MAX_COLUMNS - c);
      for (let dr = 0; dr < rowSpan; dr++) {
        for (let dc = 0; dc < colSpan; dc++) {
          (occupied[r + dr] ??= [])[c + dc] = true;
          (rows[r + dr] ??= [])[c + dc] = dr === 0 && dc === 0 ? cell.text : '';
          (filled[r + dr] ??= [])[c + dc] = cell.text;
          if (cell.conf !== undefined) {
            (conf[r + dr] ??= [])[c + dc] = cell.conf;
            ocr = true;
          }
        }
      }
      rowPages[r] ??= cell.page;
      c += colSpan;
    }
  });
  for (const r of rows) width = Math.max(width, r.length);
  for (let r = 0; r < rows.length; r++) {
    const row = (rows[r] ??= []);
    const f = (filled[r] ??= []);
    for (let c = 0; c < width; c++) {
      row[c] ??= '';
      f[c] ??= '';
    }
  }
  if (ocr) for (let r = 0; r < rows.length; r++) conf[r] ??= [];
  return { rows, filled, rowPages, ...(ocr ? { conf } : {}), width };
}

function lastTextBlocks(blocks: SectionedBlock[], index: number, n: number): string[] {
  const out: string[] = [];
  for (let k = index - 1; k >= 0 && out.length < n; k--) {
    const b = blocks[k]!.block;
    if (b.kind === 'table' || b.kind === 'chart') break;
    out.unshift(b.text);
  }
  return out;
}

/** Find each table's title and unit, merge untitled continuations into the table before them. */
export function keyedTables(blocks: SectionedBlock[], match: (t: string) => TableDef | undefined = tableKeyOf): KeyedTable[] {
  const tables: KeyedTable[] = [];
  const continued = new Set<KeyedTable>();
  for (const sb of blocks) {
    if (sb.block.kind !== 'table') continue;
    const block = sb.block;
    const { rows, filled, rowPages, conf, width } = expandGrid(block);
    dropRowNumberColumns(rows, filled);
    if (block.aligned) splitJoinedAmounts(rows, filled, conf);
    // the caption the reader saw, and the short text blocks just above (a title may sit a few lines up)
    const above = [...new Set([...lastTextBlocks(blocks, sb.index, 5), ...(block.caption ?? [])])];
    const firstRowTexts = rows.slice(0, 3).map((r) => r.filter((c) => c !== '').join(''));
    let title = '';
    let def: TableDef | undefined;
    // a title set on two lines (`…支出预算` / `表`) is tried joined too
    const joined = above.slice(1).map((line, i) => above[i]! + line);
    for (const cand of [...above.slice().reverse(), ...joined.reverse(), ...firstRowTexts]) {
      const d = match(cand);
      if (d) {
        title = cand.replace(/\s+/g, '');
        def = d;
        break;
      }
    }
    if (!def && !(prevIsTable(blocks, sb.index) && (block.caption?.length ?? 0) === 0)) {
      const head = (rows[0] ?? []).join('').replace(/\s+/g, '');
      def = TABLE_CATALOGUE.find((d) => d.headerHints?.some((re) => re.test(head)));
      if (def) title = def.label;
    }
    const unitText = [...above, ...firstRowTexts].map((t) => UNIT_RE.exec(t)?.[1]).find((u) => u);
    const prev = tables[tables.length - 1];
    const prevBlock = sb.index > 0 ? blocks[sb.index - 1]!.block : undefined;
    if (!def && prev && prevBlock?.kind === 'table' && (block.caption?.length ?? 0) === 0 && width <= prev.width + 1) {
      appendContinuation(prev, rows, filled, rowPages, block.pages ?? [], conf);
      continued.add(prev);
      continue;
    }
    // a table printed over several pages with its title repeated on each (Shenzhen, Changsha,
    // Foshan): the same key, file and header on the next page continue it
    if (def && prev && prev.key === def.key && !def.key.startsWith('performance_') && prev.file === block.evidence.file && continuesOnNextPage(prev, block.pages ?? [], width)) {
      appendContinuation(prev, rows, filled, rowPages, block.pages ?? [], conf);
      continued.add(prev);
      continue;
    }
    const unit = normaliseUnit(unitText);
    tables.push({
      ...(def ? { key: def.key, def } : {}),
      title: title || (above[above.length - 1] ?? firstRowTexts[0] ?? '').replace(/\s+/g, ''),
      ...(unit ? { unit, unitText: unitText! } : {}),
      file: block.evidence.file,
      pages: block.pages ?? (block.evidence.page ? [block.evidence.page] : []),
      aligned: block.aligned,
      rows,
      filled,
      rowPages,
      ...(conf ? { conf } : {}),
      width,
      blockIndex: sb.index,
    });
  }
  // a continuation printed without the header (the central 收支总表's second page) has its
  // 行次 column recognised only under the header of the whole table
  for (const t of continued) dropRowNumberColumns(t.rows, t.filled);
  return tables;
}

function continuesOnNextPage(prev: KeyedTable, pages: number[], width: number): boolean {
  const last = prev.pages[prev.pages.length - 1];
  const first = pages[0];
  if (last === undefined || first === undefined || (first !== last + 1 && first !== last)) return false;
  return Math.abs(width - prev.width) <= 1;
}

/**
 * Rows of a continuation part go under the table: its repeated header rows are
 * dropped, and so is a 合计 row that repeats one already there (佛山 prints the 合计
 * row again on every page).
 */
function appendContinuation(prev: KeyedTable, rows: string[][], filled: string[][], rowPages: Array<number | undefined>, pages: number[], conf?: Array<Array<number | undefined>>): void {
  if (conf && !prev.conf) prev.conf = prev.rows.map(() => []);
  for (const p of pages) if (!prev.pages.includes(p)) prev.pages.push(p);
  const header = new Set(prev.rows.slice(0, 6).map((r) => r.join('|')));
  const totals = new Set(prev.rows.filter((r) => /^(?:合计|总计)$/.test(labelOf(r.find((c) => c.trim() !== '') ?? ''))).map((r) => r.join('|')));
  rows.forEach((r, i) => {
    const joined = padTo(r, prev.width).join('|');
    if (header.has(joined) && !r.some((c) => isNumeric(c))) return;
    if (totals.has(joined)) return;
    prev.rows.push(padTo(r, prev.width));
    prev.filled.push(padTo(filled[i]!, prev.width));
    prev.rowPages.push(rowPages[i]);
    if (prev.conf) prev.conf.push(conf?.[i] ?? []);
  });
}

function prevIsTable(blocks: SectionedBlock[], index: number): boolean {
  return index > 0 && blocks[index - 1]!.block.kind === 'table';
}

function padTo(r: string[], w: number): string[] {
  const out = r.slice();
  while (out.length < w) out.push('');
  return out;
}

export const isAmount = (s: string) => isNumeric(s) && !/%$/.test(s.trim());

/** The label of a cell: numbering and spaces removed. */
export function labelOf(s: string): string {
  return s
    .replace(/\s+/g, '')
    .replace(/^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[.．、](?!\d)|[（(][一二三四五六七八九十\d]+[)）]|、)/, '')
    .replace(/[“”"]/g, '');
}

export interface ValueRef {
  printed: string;
  row: number;
  col: number;
}

/** Label → the numeric cells that follow it in the row, up to the next label. */
export function labelValues(t: KeyedTable): Array<{ label: string; row: number; col: number; values: ValueRef[] }> {
  const out: Array<{ label: string; row: number; col: number; values: ValueRef[] }> = [];
  t.rows.forEach((row, r) => {
    let cur: { label: string; row: number; col: number; values: ValueRef[] } | null = null;
    row.forEach((cell, c) => {
      const s = cell.trim();
      if (s === '') return;
      if (isAmount(s)) {
        cur?.values.push({ printed: s, row: r, col: c });
        return;
      }
      cur = { label: labelOf(s), row: r, col: c, values: [] };
      out.push(cur);
    });
  });
  return out;
}

/** Index of the first row that holds an amount: rows above it are the header. */
export function firstDataRow(t: KeyedTable): number {
  const i = t.rows.findIndex((r) => r.some((c) => isAmount(c) && !/^\d{2,3}$/.test(c.trim())) && !isColumnNumberRow(r));
  return i < 0 ? t.rows.length : i;
}

/**
 * A cell's text without spaces, or its numbers of at most `digits` digits when it holds
 * several of them apart (`10 11`, `16 17`: one OCR line over two columns or rows).
 */
const SEVERAL_NUMBERS = { 2: /^\d{1,2}(?:\s+\d{1,2})+$/, 3: /^\d{1,3}(?:\s+\d{1,3})+$/ };
function smallNumbers(cell: string, digits: 2 | 3): string[] {
  const t = cell.trim();
  return SEVERAL_NUMBERS[digits].test(t) ? t.split(/\s+/) : [cell.replace(/\s+/g, '')];
}

/**
 * A row that numbers the columns (`栏次 | | 1 | 2 | 3`, `** | ** | 1 | 2`): small
 * integers in sequence, and no label but 栏次/行次/项目/**.
 */
export function isColumnNumberRow(r: string[]): boolean {
  // two numbers in one cell (`10 11`: a scan's OCR line over two narrow columns) count as two
  const cells = r.flatMap((c) => smallNumbers(c, 2)).filter((c) => c !== '');
  const nums = cells.filter((c) => /^\d{1,2}$/.test(c)).map(Number);
  if (nums.length < 2) return false;
  if (!cells.every((c) => /^\d{1,2}$/.test(c) || /^(?:栏次|行次|项目|\*+|[类款项]|金额|合计)$/.test(c))) return false;
  // 1 2 3 …, also with a number or two lost (a scan read by OCR: `1 3 4 5 … 12`)
  if (!nums.every((n, k) => k === 0 || n > nums[k - 1]!)) return false;
  return nums[0]! <= 2 && nums[nums.length - 1]! - nums[0]! + 1 <= nums.length + 2;
}

/**
 * 行次/栏次 columns number the rows (central and Foshan 决算: `一、一般公共预算财政拨款收入 | 1 |
 * 19,572.91`): they are row labels, never amounts. Their data cells are emptied so that
 * no reader takes a row number for a value.
 */
export function dropRowNumberColumns(rows: string[][], filled: string[][]): void {
  const top = rows.findIndex((r) => r.some((c) => /\d[.．]\d/.test(c)));
  const head = top < 0 ? rows.length : Math.min(top, 8);
  const width = rows[0]?.length ?? 0;
  for (let c = 0; c < width; c++) {
    const headers = filled.slice(0, head).map((r) => (r[c] ?? '').replace(/\s+/g, ''));
    const named = headers.some((h) => /^(?:行次|栏次|序号)$/.test(h));
    if (!named) {
      // the 行次 and 金额 columns read as one (a scan whose rule between them was lost:
      // `行次金额` over `27 19,572.91`): the leading row number is dropped from each cell
      if (headers.some((h) => /^(?:行次|栏次)./.test(h))) stripRowNumbers(rows, filled, head, c);
      continue;
    }
    // `16 17`: two row numbers in one cell (an OCR line over two rows) are still row numbers
    const data = rows
      .slice(head)
      .flatMap((r) => smallNumbers(r[c] ?? '', 3))
      .filter((x) => x !== '');
    // row numbers; a scan read by OCR may garble a few (`L5`, `?`, `50°`), never into an amount
    const numbers = data.filter((x) => /^\d{1,3}$/.test(x)).length;
    if (data.length === 0 || numbers < 0.5 * data.length || !data.every((x) => /^\d{1,3}$/.test(x) || (x.length <= 3 && !/\d[.,]\d/.test(x)))) continue;
    for (let r = head; r < rows.length; r++) {
      rows[r]![c] = '';
      filled[r]![c] = '';
    }
  }
}

/**
 * Two amounts in one cell with the cell to its right empty (`341.104788 341.104788 | `):
 * the rule between two columns was not seen (a scan), so the second goes right.
 */
export function splitJoinedAmounts(rows: string[][], filled: string[][], conf?: Array<Array<number | undefined>>): void {
  for (const [r, row] of rows.entries()) {
    for (let c = 0; c + 1 < row.length; c++) {
      const parts = row[c]!.trim().split(/\s+/);
      if (parts.length !== 2 || row[c + 1]!.trim() !== '' || !parts.every((p) => isAmount(p) && /[.．]\d+$/.test(p))) continue;
      row[c] = parts[0]!;
      row[c + 1] = parts[1]!;
      if (filled[r]) {
        filled[r]![c] = parts[0]!;
        filled[r]![c + 1] = parts[1]!;
      }
      if (conf?.[r]) conf[r]![c + 1] = conf[r]![c];
    }
  }
}

const ROW_NUMBER = /^[\dIl|]{1,3}$/;

function stripRowNumbers(rows: string[][], filled: string[][], head: number, c: number): void {
  const cells = rows.slice(head).map((r) => (r[c] ?? '').trim()).filter((x) => x !== '');
  const split = cells.map((x) => x.split(/\s+/));
  // most cells start with a row number, alone or before an amount
  if (cells.length === 0 || split.filter((p) => ROW_NUMBER.test(p[0]!) && (p.length === 1 || isNumeric(p.slice(1).join('')))).length < 0.8 * cells.length) return;
  for (let r = head; r < rows.length; r++) {
    const parts = (rows[r]![c] ?? '').trim().split(/\s+/);
    if (!ROW_NUMBER.test(parts[0]!)) continue;
    rows[r]![c] = parts.slice(1).join(' ');
    filled[r]![c] = rows[r]![c]!;
  }
}

/**
 * Column roles from the header. Aligned grids: the header text above each
 * column. Text exports: the roles in the order their words appear.
 */
/**
 * The role of each column. `ofWhich` marks the columns printed under 其中 (Beijing's
 * 支出总表: 合计 | 基本支出 | 项目支出 | 其中: 事业单位经营支出 …): they may be inside
 * another column rather than beside it, which the table's own sums decide.
 */
export function headerRoles(t: KeyedTable): { roles: string[]; byColumn: boolean; ofWhich?: boolean[] } {
  const top = firstDataRow(t);
  if (t.aligned) {
    const roles: string[] = [];
    const paths: string[][] = [];
    for (let c = 0; c < t.width; c++) {
      const path = t.filled.slice(0, top).map((r) => (r[c] ?? '').replace(/\s+/g, ''));
      paths.push(path);
      // a column under 上年结转/年初结转 (or 年末结转) holds carry-overs, whatever its own cell says
      let role = path.some((x) => CARRY_IN.test(x)) ? 'opening' : path.some((x) => CARRY_OUT.test(x)) ? 'closing' : '';
      // else the lowest header cell that names a role wins (合计 under 收入预算); a 小计 under
      // 基本支出 is the 基本支出 column (Beijing 05表: 基本支出 | 小计 · 人员经费 · 公用经费)
      for (let r = top - 1; r >= 0 && !role; r--) {
        role = roleOf(path[r]!) ?? '';
        if (role === 'total' && /^小计$/.test(path[r]!)) {
          const parent = path.slice(0, r).reverse().map((x) => roleOf(x)).find((x) => x && x !== 'total');
          if (parent) role = parent;
        }
      }
      roles.push(role);
    }
    // a 合计 beside carry-over columns and not under 本年收入 is the grand total (收入 + 结转), not 本年收入合计
    if (roles.includes('opening')) roles.forEach((role, c) => {
      if (role === 'total' && !paths[c]!.some((x) => /本年|当年/.test(x))) roles[c] = 'grand';
    });
    const ofWhich = paths.map((path) => path.some((x) => /^其中/.test(x)));
    return { roles, byColumn: true, ...(ofWhich.some(Boolean) ? { ofWhich } : {}) };
  }
  const header = t.rows.slice(0, top).map((r) => r.join(' ')).join(' ').replace(/\s+/g, '');
  const found: Array<{ at: number; role: string; len: number }> = [];
  let masked = header;
  for (const [re, role] of COLUMN_ROLES) {
    const g = new RegExp(re.source, 'g');
    for (const m of masked.matchAll(g)) {
      found.push({ at: m.index ?? 0, role, len: m[0].length });
    }
    masked = masked.replace(g, (s) => '\u0000'.repeat(s.length));
  }
  found.sort((a, b) => a.at - b.at);
  return { roles: found.map((f) => f.role), byColumn: false };
}

const CARRY_IN = /^(?:上年|年初)结[转余]|^上年结余/;
const CARRY_OUT = /^(?:年末|年终)结[转余]|^结转下年/;

export function roleOf(text: string): string | undefined {
  for (const [re, role] of COLUMN_ROLES) if (re.test(text)) return role;
  return undefined;
}

/**
 * The values of a data row by role. Aligned: by column. Otherwise by order,
 * when the count of amounts equals the count of roles (or a catalogue layout).
 */
export function rowByRole(t: KeyedTable, row: number, roles: { roles: string[]; byColumn: boolean }, layouts?: string[][]): Map<string, ValueRef> | undefined {
  const cells = t.rows[row]!;
  const out = new Map<string, ValueRef>();
  if (roles.byColumn) {
    cells.forEach((cell, c) => {
      const role = roles.roles[c];
      if (role && isAmount(cell) && !out.has(role)) out.set(role, { printed: cell.trim(), row, col: c });
    });
    return out;
  }
  // amounts come after the label: the 类/款/项 codes before it are not amounts
  const from = codedRow(cells)?.from ?? 0;
  const amounts: ValueRef[] = [];
  cells.forEach((cell, c) => {
    if (c >= from && isAmount(cell)) amounts.push({ printed: cell.trim(), row, col: c });
  });
  const candidates = [roles.roles, ...(layouts ?? [])].filter((l) => l.length === amounts.length);
  const layout = candidates[0];
  if (!layout) {
    if (amounts.length >= 1 && (roles.roles[0] === 'total' || layouts?.[0]?.[0] === 'total')) out.set('total', amounts[0]!);
    return out;
  }
  layout.forEach((role, i) => {
    if (!out.has(role)) out.set(role, amounts[i]!);
  });
  return out;
}

/** How evidence names a table: its canonical key and printed title (`summary: 收支总表`), or the title alone. */
export function tableLabel(t: Pick<KeyedTable, 'key' | 'title'>): string {
  return t.key ? `${t.key}: ${t.title}` : t.title;
}

export function evidenceOf(t: KeyedTable, ref: ValueRef, quoteRow?: number): Evidence {
  const row = t.rows[quoteRow ?? ref.row]!;
  const conf = t.conf?.[ref.row]?.[ref.col];
  return {
    file: t.file,
    ...(t.rowPages[ref.row] ?? t.pages[0] ? { page: (t.rowPages[ref.row] ?? t.pages[0])! } : {}),
    quote: row.filter((c) => c.trim() !== '').join(' '),
    // a cell read from a page's image: OCR, with the confidence of its words
    ...(conf !== undefined ? { source: 'ocr' as const, confidence: conf } : { source: 'table' as const }),
    table: tableLabel(t),
    row: ref.row,
    col: ref.col,
    printed: ref.printed,
    ...(t.unitText ? { printedUnit: t.unitText } : {}),
  };
}

export function fenOf(t: KeyedTable, printed: string): bigint | null {
  return toFen(printed, t.unit ?? '万元');
}

export function tableDef(key: string): TableDef | undefined {
  return TABLE_CATALOGUE.find((d) => d.key === key);
}

/** `201 05 07 专项普查活动 …`, `2010507 专项普查活动 …`, `201 一般公共服务支出 …` */
export function codedRow(row: string[]): { code: string; name: string; from: number } | undefined {
  const cells = row.map((c) => c.trim());
  let i = 0;
  while (i < cells.length && cells[i] === '') i++;
  const first = cells[i] ?? '';
  let code = '';
  const whole = /^(\d{3}(?:\d{2}){0,2})$/.exec(first);
  if (whole) {
    code = whole[1]!;
    i++;
    for (let k = 0; k < 2 && i < cells.length; k++) {
      const gluedSub = /^(\d{2})\s*([\p{Script=Han}].*)$/u.exec(cells[i]!);
      // `301 | 2 | 津贴补贴`: a 款 printed without its leading zero
      if (/^\d{1,2}$/.test(cells[i]!) && code.length < 7) {
        code += cells[i]!.padStart(2, '0');
        i++;
      } else if (gluedSub && code.length < 7) {
        // `301 01基本工资`: the last code part glued to the name
        return { code: code + gluedSub[1]!, name: gluedSub[2]!.replace(/\s+/g, ''), from: i + 1 };
      } else if (cells[i] === '') i++;
      else break;
    }
  } else {
    // `2010801 行政运行`, `[201]一般公共服务支出` (Guangzhou), `2010801-行政运行` (Beijing 03表)
    const glued = /^[\[【]?(\d{3}(?:\d{2}){0,2})[\]】]?\s*[-－]?\s*([\p{Script=Han}].*)$/u.exec(first);
    if (!glued) return undefined;
    code = glued[1]!;
    return { code, name: glued[2]!.replace(/\s+/g, ''), from: i + 1 };
  }
  while (i < cells.length && cells[i] === '') i++;
  const name = cells[i];
  if (!name || isAmount(name)) return undefined;
  return { code, name: name.replace(/\s+/g, ''), from: i + 1 };
}

const FUNCTION_CODE = /^2\d{2}(?:\d{2}){0,2}$/;

const amountsOf = (cells: string[], from: number) => cells.slice(from).map((x) => (isAmount(x) ? x.trim() : '')).join('|');

/**
 * The coded rows of a function table, in order, with the codes completed from the
 * rows above where a layout prints only the 款 or 项 part (Changsha: `201 | | | 一般公共服务支出`,
 * then `| 40 | | 信访事务`, then `201 | 40 | 01 | 行政运行`).
 */
export function codedRows(t: KeyedTable, from = firstDataRow(t)): Array<{ row: number; code: string; name: string; from: number; repeat?: true }> {
  const out: Array<{ row: number; code: string; name: string; from: number; repeat?: true }> = [];
  let cls = '';
  let kuan = '';
  for (let r = from; r < t.rows.length; r++) {
    const cells = t.rows[r]!;
    const c = codedRow(cells);
    // 支出功能分类 codes are 2xx: a 114 / 114001 in the code column is a 部门/单位代码 (Jiangsu's 收入总表 rows are units)
    if (c && !FUNCTION_CODE.test(c.code)) continue;
    if (c) {
      // a 类 or 款 heads its rows once: the same 类/款 line again right below it (code, name and
      // amounts: 无锡发改委 prints its only 项 2199999 as a second `21999 其他支出`) is its one
      // child printed with the parent's code, not a sibling. (项 rows may repeat: Beijing's
      // detail tables list a 项 once per project or economic item.)
      const prev = out[out.length - 1];
      if (prev && c.code.length < 7 && prev.row === r - 1 && prev.code === c.code && prev.name === c.name && amountsOf(t.rows[prev.row]!, prev.from) === amountsOf(cells, c.from)) {
        out.push({ row: r, ...c, repeat: true });
        continue;
      }
      out.push({ row: r, ...c });
      cls = c.code.slice(0, 3);
      kuan = c.code.length >= 5 ? c.code.slice(0, 5) : '';
      continue;
    }
    // a part code alone in the 款 or 项 column, then the name
    const i = cells.findIndex((x) => x.trim() !== '');
    const part = (cells[i] ?? '').trim();
    const j = cells.findIndex((x, k) => k > i && x.trim() !== '');
    const name = (cells[j] ?? '').trim();
    if (!/^\d{2}$/.test(part) || !name || isAmount(name) || !/\p{Script=Han}/u.test(name)) continue;
    const code = kuan && i >= 2 ? kuan + part : cls ? cls + part : '';
    if (!code) continue;
    out.push({ row: r, code, name: name.replace(/\s+/g, ''), from: j + 1 });
    if (code.length === 5) kuan = code;
  }
  return out;
}
