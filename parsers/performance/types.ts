/**
 * The `performance` structure as extracted: the zod shapes of src/model.ts
 * (PerformanceProject, Indicator, Performance) plus optional fields the
 * tables print (period, goals, parsed targets, the 评分表 rows). The extra
 * fields are additions to the output contract, never renames.
 */
import type { Evidence } from '../../src/model.js';
import type { ParsedValue } from './vocab.js';

export interface PerfIndicator {
  level1?: string;
  level2?: string;
  level3?: string;
  target?: string;
  actual?: string;
  weight?: number;
  score?: number;
  /** comparator, number and unit of the target / actual where printed as a quantity */
  targetValue?: ParsedValue;
  actualValue?: ParsedValue;
  /** did the actual meet the target (决算 only; absent where the text does not say) */
  met?: boolean;
  /** 偏差原因分析 / 备注 column */
  note?: string;
  page?: number;
}

export interface ScoreRow {
  level1?: string;
  level2?: string;
  level3?: string;
  rule?: string;
  weight?: number;
  score?: number;
  note?: string;
  total: boolean;
  page?: number;
  quote: string;
}

export interface ScoreTable {
  title: string;
  /** the project the title names, as the 评分表 prints it (窗口奖励金) */
  titleName?: string;
  /** how the table was tied to its project */
  matchedBy?: 'exact' | 'contains' | 'similar' | 'position';
  weight?: number;
  total?: number;
  rows: ScoreRow[];
  note?: string;
  evidence: Evidence;
}

export interface PerfProject {
  name: string;
  department?: string;
  implementer?: string;
  kind: 'self_evaluation' | 'target';
  budget?: number;
  budgetFiscal?: number;
  budgetOther?: number;
  executed?: number;
  executedFiscal?: number;
  executedOther?: number;
  totalFunding?: number;
  indicators: PerfIndicator[];
  score?: number;
  evidence: Evidence[];
  // --- additions (optional) ---
  /** 项目资金总额's parts (预算: 其中：财政资金 / 其他资金) */
  totalFundingFiscal?: number;
  totalFundingOther?: number;
  /** 上年结转资金 of the year's money */
  carryOver?: number;
  /** 执行率 as printed (%), where the table prints it */
  executionRate?: number;
  period?: { start?: string; end?: string };
  /** 年度总体目标 and (决算) its 实际完成情况; 预算: 项目总目标 */
  goal?: string;
  goalActual?: string;
  totalGoal?: string;
  /** 二级指标 rows printed without any indicator (成本指标 left blank) */
  emptyRows?: string[];
  /** the printed maximum of `score` (分值 合计) */
  scoreWeight?: number;
  scoreTable?: ScoreTable;
  /** reasons printed for deviations (偏差原因 column) */
  reasons?: string[];
  /** money unit the table printed (万元 / 元) */
  printedUnit?: string;
  /** key and title of the table the project was read from */
  table?: string;
}

export interface PerfResult {
  projects: PerfProject[];
  overallScore?: number;
  /** 总分 the overall score is out of (90 in the founding sample) */
  overallScoreOutOf?: number;
  overallEvidence?: Evidence[];
  /** 评分表 that no project could be matched to */
  unmatchedScores?: ScoreTable[];
}
