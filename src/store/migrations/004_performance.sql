-- 004_performance: 预算绩效 — projects, their indicators and the 评分表 rows,
-- each linked to its document; money exact in fen beside yuan, as in 001.

-- One row per 绩效目标表 / 绩效自评表 / 绩效目标完成情况表.
CREATE TABLE performance_projects (
  id                   INTEGER PRIMARY KEY,
  document_id          INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq                  INTEGER NOT NULL,
  name                 TEXT NOT NULL,
  department           TEXT,          -- 主管部门 as printed
  implementer          TEXT,          -- 实施单位
  kind                 TEXT NOT NULL CHECK (kind IN ('self_evaluation', 'target')),
  period_start         TEXT,          -- 计划开始日期 as printed
  period_end           TEXT,
  budget               REAL, budget_fen INTEGER,                 -- 预算数 (决算) / 年度资金申请总额 (预算), yuan
  budget_fiscal        REAL, budget_fiscal_fen INTEGER,
  budget_other         REAL, budget_other_fen INTEGER,
  executed             REAL, executed_fen INTEGER,               -- 执行数 (决算 only)
  executed_fiscal      REAL, executed_fiscal_fen INTEGER,
  executed_other       REAL, executed_other_fen INTEGER,
  total_funding        REAL, total_funding_fen INTEGER,          -- 项目资金总额 (预算: the whole project)
  carry_over           REAL, carry_over_fen INTEGER,             -- 上年结转资金
  execution_rate       REAL,          -- executed / budget × 100, computed (NULL without both)
  printed_rate         REAL,          -- 执行率 as printed, where printed
  goal                 TEXT,          -- 年度总体目标
  goal_actual          TEXT,          -- its 实际完成情况 (决算)
  indicator_count      INTEGER NOT NULL,
  indicators_met       INTEGER NOT NULL DEFAULT 0,   -- indicators whose printed actual meets the target
  indicators_missed    INTEGER NOT NULL DEFAULT 0,   -- … that falls short
  score                REAL,          -- 评分表 合计 得分 (or 自评表 总分)
  score_weight         REAL,          -- 分值 合计
  score_table          TEXT,          -- title of the 评分表 and how it was matched
  file                 TEXT, page INTEGER, quote TEXT,
  evidence             TEXT NOT NULL, -- JSON array
  UNIQUE (document_id, seq)
);
CREATE INDEX performance_projects_doc ON performance_projects(document_id);
CREATE INDEX performance_projects_name ON performance_projects(name);

-- Every indicator row that names an indicator.
CREATE TABLE performance_indicators (
  project_id           INTEGER NOT NULL REFERENCES performance_projects(id) ON DELETE CASCADE,
  document_id          INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq                  INTEGER NOT NULL,
  level1               TEXT, level2 TEXT, level3 TEXT,
  target               TEXT,          -- as printed
  target_comparator    TEXT,          -- ≥ ≤ > < = ≈
  target_number        REAL,
  target_unit          TEXT,
  actual               TEXT,          -- as printed (决算)
  actual_comparator    TEXT,
  actual_number        REAL,
  actual_unit          TEXT,
  met                  INTEGER CHECK (met IN (0, 1)),  -- NULL where the text does not say
  weight               REAL, score REAL,
  note                 TEXT,
  page                 INTEGER,
  PRIMARY KEY (project_id, seq)
);
CREATE INDEX performance_indicators_doc ON performance_indicators(document_id);

-- 评分表 rows (scope project) and the department's overall score (scope department, total = 1).
CREATE TABLE performance_scores (
  id                   INTEGER PRIMARY KEY,
  document_id          INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  project_id           INTEGER REFERENCES performance_projects(id) ON DELETE CASCADE,
  scope                TEXT NOT NULL CHECK (scope IN ('project', 'department')),
  title                TEXT,          -- the 评分表 title as printed
  seq                  INTEGER NOT NULL,
  level1               TEXT, level2 TEXT, level3 TEXT,
  rule                 TEXT,          -- 计分规则
  weight               REAL,          -- 分值 (for the department: the 总分 it is out of)
  score                REAL,          -- 得分
  note                 TEXT,          -- 评分说明
  total                INTEGER NOT NULL DEFAULT 0,  -- 1 for the 合计 row / the overall score
  file                 TEXT, page INTEGER, quote TEXT
);
CREATE INDEX performance_scores_doc ON performance_scores(document_id);

-- Across departments and years: each project's money, how much of it was spent,
-- whether its indicators met their targets, and its score.
CREATE VIEW performance_overview AS
SELECT d.department                  AS department,
       d.year                        AS year,
       d.kind                        AS document_kind,
       p.document_id                 AS document_id,
       p.name                        AS project,
       p.kind                        AS kind,
       p.budget                      AS budget,
       p.executed                    AS executed,
       p.execution_rate              AS execution_rate,
       p.indicator_count             AS indicators,
       p.indicators_met              AS indicators_met,
       p.indicators_missed           AS indicators_missed,
       CASE WHEN p.kind <> 'self_evaluation' THEN NULL
            WHEN p.indicators_missed > 0 THEN 0
            WHEN p.indicators_met > 0 THEN 1
            ELSE NULL END            AS met_targets,
       p.score                       AS score,
       p.score_weight                AS score_weight
FROM performance_projects p
JOIN documents d ON d.id = p.document_id;

-- Money by outcome per department and year: how much went to projects that met their targets.
CREATE VIEW performance_money_by_outcome AS
SELECT department, year,
       COUNT(*)                                                    AS projects,
       SUM(budget)                                                 AS budget,
       SUM(executed)                                               AS executed,
       SUM(CASE WHEN met_targets = 1 THEN executed END)            AS executed_met,
       SUM(CASE WHEN met_targets = 0 THEN executed END)            AS executed_missed,
       SUM(CASE WHEN met_targets IS NULL THEN COALESCE(executed, budget) END) AS unjudged
FROM performance_overview
GROUP BY department, year;
