/**
 * Writes a document's `performance` (projects, indicators, 评分表 rows, the
 * overall score) into the tables of migrations/004_performance.sql. Called
 * inside the document's write transaction (storeDisclosure): no transaction
 * of its own. Money exact as fen beside yuan.
 */
import type { PerfProject, PerfResult } from '../../parsers/performance/types.js';
import { yuanToFen } from '../money.js';
import type { Db } from './store.js';

const json = (v: unknown) => JSON.stringify(v);
const n = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const fen = (v: number | undefined) => (v === undefined ? null : yuanToFen(v));

/** executed / budget × 100 to two decimals, from exact fen. */
export function executionRate(p: Pick<PerfProject, 'budget' | 'executed'>): number | undefined {
  if (p.budget === undefined || p.executed === undefined || p.budget === 0) return undefined;
  const b = yuanToFen(p.budget);
  const e = yuanToFen(p.executed);
  return Number((e * 10000n + b / 2n) / b) / 100;
}

export interface StoredPerformance {
  projects: number;
  indicators: number;
  scores: number;
}

export function storePerformance(db: Db, documentId: number, performance: PerfResult): StoredPerformance {
  const insProject = db.prepare(`INSERT INTO performance_projects
    (document_id, seq, name, department, implementer, kind, period_start, period_end,
     budget, budget_fen, budget_fiscal, budget_fiscal_fen, budget_other, budget_other_fen,
     executed, executed_fen, executed_fiscal, executed_fiscal_fen, executed_other, executed_other_fen,
     total_funding, total_funding_fen, carry_over, carry_over_fen, execution_rate, printed_rate,
     goal, goal_actual, indicator_count, indicators_met, indicators_missed, score, score_weight, score_table,
     file, page, quote, evidence)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insInd = db.prepare(`INSERT INTO performance_indicators
    (project_id, document_id, seq, level1, level2, level3, target, target_comparator, target_number, target_unit,
     actual, actual_comparator, actual_number, actual_unit, met, weight, score, note, page)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insScore = db.prepare(`INSERT INTO performance_scores
    (document_id, project_id, scope, title, seq, level1, level2, level3, rule, weight, score, note, total, file, page, quote)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const out: StoredPerformance = { projects: 0, indicators: 0, scores: 0 };
  performance.projects.forEach((p, seq) => {
    const e = p.evidence[0];
    const met = p.indicators.filter((i) => i.met === true).length;
    const missed = p.indicators.filter((i) => i.met === false).length;
    const st = p.scoreTable;
    const pid = Number(
      insProject.run(
        documentId, seq, p.name, n(p.department), n(p.implementer), p.kind, n(p.period?.start), n(p.period?.end),
        n(p.budget), fen(p.budget), n(p.budgetFiscal), fen(p.budgetFiscal), n(p.budgetOther), fen(p.budgetOther),
        n(p.executed), fen(p.executed), n(p.executedFiscal), fen(p.executedFiscal), n(p.executedOther), fen(p.executedOther),
        n(p.totalFunding), fen(p.totalFunding), n(p.carryOver), fen(p.carryOver), n(executionRate(p)), n(p.executionRate),
        n(p.goal), n(p.goalActual), p.indicators.length, met, missed, n(p.score), n(p.scoreWeight),
        st ? `${st.title}${st.matchedBy && st.matchedBy !== 'exact' ? ` (${st.matchedBy})` : ''}` : null,
        n(e?.file), n(e?.page), n(e?.quote), json(p.evidence),
      ).lastInsertRowid,
    );
    out.projects++;
    p.indicators.forEach((i, k) => {
      insInd.run(
        pid, documentId, k, n(i.level1), n(i.level2), n(i.level3),
        n(i.target), n(i.targetValue?.comparator), n(i.targetValue?.number), n(i.targetValue?.unit),
        n(i.actual), n(i.actualValue?.comparator), n(i.actualValue?.number), n(i.actualValue?.unit),
        i.met === undefined ? null : i.met ? 1 : 0, n(i.weight), n(i.score), n(i.note), n(i.page),
      );
      out.indicators++;
    });
    if (st) {
      st.rows.forEach((r, k) => {
        insScore.run(documentId, pid, 'project', st.title, k, n(r.level1), n(r.level2), n(r.level3), n(r.rule), n(r.weight), n(r.score), n(r.note), r.total ? 1 : 0, st.evidence.file, n(r.page), r.quote);
        out.scores++;
      });
    }
  });
  for (const st of performance.unmatchedScores ?? []) {
    st.rows.forEach((r, k) => {
      insScore.run(documentId, null, 'project', st.title, k, n(r.level1), n(r.level2), n(r.level3), n(r.rule), n(r.weight), n(r.score), n(r.note), r.total ? 1 : 0, st.evidence.file, n(r.page), r.quote);
      out.scores++;
    });
  }
  if (performance.overallScore !== undefined) {
    const e = performance.overallEvidence?.[0];
    insScore.run(documentId, null, 'department', null, 0, null, null, null, null, n(performance.overallScoreOutOf), performance.overallScore, null, 1, n(e?.file), n(e?.page), n(e?.quote));
    out.scores++;
  }
  return out;
}
