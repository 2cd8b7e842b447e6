/**
 * 预算绩效 → the `performance` part of `extract --json`
 * (../shared/spec/extract-json.md): one project per 绩效目标表 / 绩效自评表 /
 * 绩效目标完成情况表 with its money (yuan), its indicators and — where a 评分表
 * names it — its score; and the department's overall score. Pure: blocks and
 * keyed tables in, data out.
 */
import type { Meta } from '../../src/model.js';
import type { KeyedTable } from '../tables/grid.js';
import type { SectionedBlock } from '../types.js';
import { parseProjects } from './projects.js';
import { looseRows, tableRows, type PRow } from './rows.js';
import { attachScores, isDepartmentTable, isScoreTable, overallScore, parseScoreTable } from './scores.js';
import type { PerfProject, PerfResult } from './types.js';

export type { PerfIndicator, PerfProject, PerfResult, ScoreRow, ScoreTable } from './types.js';
export { parseValue, targetMet } from './vocab.js';

/** Where a row sits in the document (block index), to order tables and loose lines together. */
const at = (r: PRow) => (r.table ? r.table.blockIndex : r.row);

export function extractPerformance(blocks: SectionedBlock[], tables: KeyedTable[], meta: Meta): PerfResult {
  const rows = [...tableRows(tables, blocks), ...looseRows(blocks)];
  // stable: table rows keep their order within a table
  const ordered = rows.map((r, i) => ({ r, i })).sort((a, b) => at(a.r) - at(b.r) || a.i - b.i).map((x) => x.r);
  const all = parseProjects(ordered, meta);
  // the block each project starts at: the table (or line) of its 项目名称 row
  const starts = new Map<PerfProject, number>();
  let k = 0;
  for (const r of ordered) {
    if (/^项目名称/.test(r.cells.map((c) => c.text).join('').replace(/\s+/g, ''))) {
      const p = all[k++];
      if (p) starts.set(p, at(r));
    }
  }
  const projects = all.filter((p) => p.name !== '');
  const scoreTables = tables.filter((t) => isScoreTable(t) && !isDepartmentTable(t)).map((t) => ({ s: parseScoreTable(t), at: t.blockIndex }));
  const unmatched = attachScores(projects.map((p) => ({ p, at: starts.get(p) ?? 0 })), scoreTables);
  const overall = overallScore(tables, blocks);
  return {
    projects,
    ...(overall ? { overallScore: overall.score, ...(overall.outOf !== undefined ? { overallScoreOutOf: overall.outOf } : {}), overallEvidence: overall.evidence } : {}),
    ...(unmatched.length ? { unmatchedScores: unmatched } : {}),
  };
}
