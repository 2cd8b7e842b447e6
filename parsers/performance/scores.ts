/**
 * 评分表: each row's 分值 and 得分, the 合计, and the project the table
 * belongs to (its title names the project, often in other words than the
 * project's 自评表: 窗口奖励金项目评分表 ↔ 窗口工作奖励金); and the
 * department's overall self-evaluation score (a 整体支出绩效 table or the
 * sentence that states it).
 */
import type { Evidence } from '../../src/model.js';
import { tableLabel, type KeyedTable } from '../tables/grid.js';
import type { SectionedBlock } from '../types.js';
import type { PerfProject, ScoreRow, ScoreTable } from './types.js';

const sq = (s: string) => s.replace(/\s+/g, '');
const isNum = (s: string) => /^[-+]?\d+(?:\.\d+)?$/.test(sq(s));
const TOTAL_RE = /^(?:合计|总分|总计|得分合计)$/;

export function isScoreTable(t: KeyedTable): boolean {
  if (t.key === 'performance_score') return true;
  if (t.key) return false;
  const head = t.rows.slice(0, 4).map((r) => r.map(sq).join('|')).join('|');
  return /(?:^|\|)分值(?:\||$)/.test(head) && /(?:^|\|)得分(?:\||$)/.test(head) && /指标/.test(head);
}

export function isDepartmentTable(t: KeyedTable): boolean {
  return /整体(?:支出)?绩效/.test(t.title) || /部门整体/.test(t.title);
}

/** The project a 评分表 title names: `附：政府采购专项业务费项目评分表` → 政府采购专项业务费. */
export function titleName(title: string): string | undefined {
  const t = sq(title)
    .replace(/^(?:附件?\d*[:：、]?|表\d+[:：、]?)/, '')
    .replace(/^\d{4}年度?/, '')
    .replace(/(?:项目)?(?:支出)?(?:绩效)?(?:评价|自评)?(?:指标)?评分表$/, '')
    .replace(/[“”"《》]/g, '');
  return t.length >= 2 ? t : undefined;
}

export function parseScoreTable(t: KeyedTable): ScoreTable {
  const rows: ScoreRow[] = [];
  let header = -1;
  let weightCol: number | undefined;
  let scoreCol: number | undefined;
  let ruleCol: number | undefined;
  let l: [string?, string?, string?] = [];
  let total: number | undefined;
  let weight: number | undefined;
  let note: string | undefined;
  for (let r = 0; r < t.rows.length; r++) {
    const row = t.rows[r]!;
    const cells = row.map((text, col) => ({ text: text.replace(/\s+/g, ' ').trim(), col })).filter((c) => c.text !== '');
    if (cells.length === 0) continue;
    const flat = sq(cells.map((c) => c.text).join(''));
    if (header < 0) {
      const w = t.filled[r]!.findIndex((c) => sq(c) === '分值');
      const s = t.filled[r]!.findIndex((c) => sq(c) === '得分');
      if (w >= 0 && s >= 0) {
        header = r;
        if (t.aligned) {
          weightCol = w;
          scoreCol = s;
          const rc = t.filled[r]!.findIndex((c) => /计分规则|评分标准|评分规则|指标解释/.test(sq(c)));
          if (rc >= 0) ruleCol = rc;
        }
      }
      continue;
    }
    if (/^注[:：]/.test(flat)) {
      note = cells.map((c) => c.text).join('');
      continue;
    }
    const nums = cells.filter((c) => isNum(c.text));
    const texts = cells.filter((c) => !isNum(c.text));
    const page = t.rowPages[r] ?? t.pages[0];
    const quote = cells.map((c) => c.text).join(' ');
    let w: number | undefined;
    let s: number | undefined;
    if (nums.length >= 2) {
      w = Number(sq(nums[0]!.text));
      s = Number(sq(nums[1]!.text));
    } else if (nums.length === 1) {
      const c = nums[0]!;
      if (scoreCol !== undefined && c.col === scoreCol) s = Number(sq(c.text));
      else w = Number(sq(c.text));
    }
    if (TOTAL_RE.test(sq(texts[0]?.text ?? ''))) {
      weight = w;
      total = s;
      rows.push({ total: true, ...(w !== undefined ? { weight: w } : {}), ...(s !== undefined ? { score: s } : {}), ...(page !== undefined ? { page } : {}), quote });
      continue;
    }
    if (nums.length === 0) {
      // a group heading row (项目绩效（特性指标70分）): carried as 一级
      if (texts.length === 1) l = [texts[0]!.text];
      continue;
    }
    // labels before the numbers: the last is the rule, the others 三级/二级/一级 from the right
    const before = texts.filter((c) => c.col < nums[0]!.col);
    const after = texts.filter((c) => c.col > nums[nums.length - 1]!.col);
    let rule: string | undefined;
    let names = before.map((c) => c.text);
    if (ruleCol !== undefined) {
      rule = before.find((c) => c.col === ruleCol)?.text;
      names = before.filter((c) => c.col !== ruleCol).map((c) => c.text);
    } else if (names.length >= 2 || (names.length === 1 && l.length >= 2)) {
      rule = names.pop();
    }
    const lv: [string?, string?, string?] = [...l];
    if (names.length >= 3) {
      lv[0] = names[names.length - 3];
      lv[1] = names[names.length - 2];
      lv[2] = names[names.length - 1];
    } else if (names.length === 2) {
      lv[1] = names[0];
      lv[2] = names[1];
    } else if (names.length === 1) lv[2] = names[0];
    l = [lv[0], lv[1]];
    rows.push({
      ...(lv[0] ? { level1: lv[0] } : {}),
      ...(lv[1] ? { level2: lv[1] } : {}),
      ...(lv[2] ? { level3: lv[2] } : {}),
      ...(rule ? { rule } : {}),
      ...(w !== undefined ? { weight: w } : {}),
      ...(s !== undefined ? { score: s } : {}),
      ...(after.length ? { note: after.map((c) => c.text).join(' ') } : {}),
      total: false,
      ...(page !== undefined ? { page } : {}),
      quote,
    });
  }
  const totalRow = rows.find((x) => x.total);
  const evidence: Evidence = {
    file: t.file,
    ...((t.pages[0] ?? undefined) !== undefined ? { page: totalRow?.page ?? t.pages[0]! } : {}),
    quote: totalRow ? `${t.title} ${totalRow.quote}` : t.title,
    source: 'table',
    table: tableLabel(t),
  };
  const name = titleName(t.title);
  return {
    title: t.title,
    ...(name ? { titleName: name } : {}),
    ...(weight !== undefined ? { weight } : {}),
    ...(total !== undefined ? { total } : {}),
    rows,
    ...(note ? { note } : {}),
    evidence,
  };
}

/** Longest common subsequence length. */
function lcs(a: string, b: string): number {
  const dp = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let prev = 0;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = a[i - 1] === b[j - 1] ? prev + 1 : Math.max(dp[j]!, dp[j - 1]!);
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

const core = (s: string) => sq(s).replace(/[“”"《》（）()、，,]/g, '').replace(/(?:项目|经费|资金|专项)$/g, '');

/** How well a 评分表 title names a project: exact, contains, similar (all the title's characters in order), or nothing. */
export function nameMatch(title: string, project: string): { how: 'exact' | 'contains' | 'similar'; score: number } | undefined {
  const a = core(title);
  const b = core(project);
  if (!a || !b) return undefined;
  if (a === b) return { how: 'exact', score: 3 };
  if (a.includes(b) || b.includes(a)) return { how: 'contains', score: 2 + Math.min(a.length, b.length) / Math.max(a.length, b.length) };
  const n = lcs(a, b);
  const ratio = n / Math.min(a.length, b.length);
  const cover = n / Math.max(a.length, b.length);
  if (ratio >= 0.8 && cover >= 0.5 && n >= 3) return { how: 'similar', score: ratio + cover };
  return undefined;
}

/**
 * Tie each 评分表 to a project: by the name in its title (best match not yet
 * taken), else — untitled — to the project just above it. Returns the tables
 * no project took.
 */
export function attachScores(
  projects: Array<{ p: PerfProject; at: number }>,
  tables: Array<{ s: ScoreTable; at: number }>,
): ScoreTable[] {
  const unmatched: ScoreTable[] = [];
  const taken = new Set<PerfProject>();
  for (const { s, at } of tables) {
    let best: { p: PerfProject; how: 'exact' | 'contains' | 'similar'; score: number } | undefined;
    if (s.titleName) {
      for (const { p } of projects) {
        if (taken.has(p)) continue;
        const m = nameMatch(s.titleName, p.name);
        if (m && (!best || m.score > best.score)) best = { p, ...m };
      }
    }
    let how: ScoreTable['matchedBy'];
    let target: PerfProject | undefined;
    if (best) {
      target = best.p;
      how = best.how;
    } else if (!s.titleName) {
      target = projects.filter((x) => x.at < at && !taken.has(x.p)).pop()?.p;
      how = 'position';
    }
    if (!target) {
      unmatched.push(s);
      continue;
    }
    taken.add(target);
    s.matchedBy = how!;
    target.scoreTable = s;
    if (s.total !== undefined) {
      target.score = s.total;
      if (s.weight !== undefined) target.scoreWeight = s.weight;
    }
    const why =
      how === 'exact' ? '' : how === 'position' ? ' (untitled 评分表: the project just above it)' : ` (评分表 names “${s.titleName}”, matched to project “${target.name}” by ${how === 'contains' ? 'containment' : 'name similarity'})`;
    target.evidence.push({ ...s.evidence, quote: s.evidence.quote + why });
  }
  return unmatched;
}

const OVERALL_RE =
  /整体(?:支出)?绩效[^。；;]{0,24}?(?:自评|评价|综合)?得分(?:为|是|[:：])?\s*(\d+(?:\.\d+)?)\s*分?(?:\s*[（(]\s*(?:总分|满分)(?:为|是|[:：])?\s*(\d+(?:\.\d+)?)\s*分?\s*[)）])?/u;

/** The department's overall self-evaluation score: a 整体支出绩效 评分表's 合计, else the sentence. */
export function overallScore(tables: KeyedTable[], blocks: SectionedBlock[]): { score: number; outOf?: number; evidence: Evidence[] } | undefined {
  for (const t of tables) {
    if (!isDepartmentTable(t)) continue;
    const s = parseScoreTable(t);
    if (s.total !== undefined) return { score: s.total, ...(s.weight !== undefined ? { outOf: s.weight } : {}), evidence: [s.evidence] };
  }
  for (const sb of blocks) {
    const b = sb.block;
    if (b.kind !== 'paragraph' && b.kind !== 'heading') continue;
    const m = OVERALL_RE.exec(b.text);
    if (!m) continue;
    const start = Math.max(0, (m.index ?? 0) - 20);
    return {
      score: Number(m[1]),
      ...(m[2] ? { outOf: Number(m[2]) } : {}),
      evidence: [{
        ...b.evidence,
        quote: b.text.slice(start, (m.index ?? 0) + m[0].length).trim(),
        source: 'text',
        printed: m[1]!,
        ...(b.evidence.offset !== undefined ? { offset: b.evidence.offset + (m.index ?? 0), length: m[0].length } : {}),
      }],
    };
  }
  return undefined;
}
