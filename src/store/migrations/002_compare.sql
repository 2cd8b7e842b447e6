-- 002_compare: comparison across years and departments.
-- Departments with a stable identity (names normalised, aliases recorded),
-- document versions (a re-published disclosure supersedes the old one, which
-- stays queryable), the classification dictionary, and the views journalists
-- query. View names and columns are part of the public contract.

-- A department or unit, stable across years and renamings.
CREATE TABLE departments (
  id           INTEGER PRIMARY KEY,
  key          TEXT NOT NULL UNIQUE,   -- normalised name the identity is matched on
  name         TEXT NOT NULL,          -- the name as most recently printed
  region       TEXT,                   -- 上海市普陀区, 江苏省 … (the administrative area)
  level        TEXT CHECK (level IN ('province', 'city', 'district', 'county')),
  created_at   TEXT NOT NULL
);

-- Every name a department was printed under.
CREATE TABLE department_aliases (
  alias        TEXT PRIMARY KEY,
  department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
  source       TEXT NOT NULL           -- normalised | override | document
);

ALTER TABLE documents ADD COLUMN department_id INTEGER REFERENCES departments(id);
-- version within department × year × kind × scope (1 = first published); superseded_by points at the newer one
ALTER TABLE documents ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE documents ADD COLUMN superseded_by INTEGER REFERENCES documents(id);
CREATE INDEX documents_department ON documents(department_id, year, kind, scope);

-- 支出功能分类 (function) and 部门预算支出经济分类 (economic) codes with their names per year.
CREATE TABLE classifications (
  system       TEXT NOT NULL CHECK (system IN ('function', 'economic')),
  code         TEXT NOT NULL,          -- 201 / 20106 / 2010601
  name         TEXT NOT NULL,
  year         INTEGER NOT NULL,
  source       TEXT NOT NULL,          -- bundled | document
  PRIMARY KEY (system, code, year, name)
);
-- A code renamed across years: 210 医疗卫生与计划生育支出 (≤2018) → 卫生健康支出 (2019–).
CREATE TABLE classification_renames (
  system       TEXT NOT NULL,
  code         TEXT NOT NULL,
  old_name     TEXT NOT NULL,
  new_name     TEXT NOT NULL,
  from_year    INTEGER NOT NULL,       -- first year of the new name
  PRIMARY KEY (system, code, from_year)
);

-- The current version of each department × year × kind × scope.
CREATE VIEW current_documents AS
  SELECT * FROM documents WHERE superseded_by IS NULL;

-- One row per department × year × kind (latest version; 部门 before 单位 when both exist).
CREATE VIEW department_years AS
  SELECT d.department_id, dep.name AS department, dep.region, dep.level,
         d.year, d.kind, d.scope, d.id AS document_id, d.version, d.path, d.ingested_at
  FROM current_documents d JOIN departments dep ON dep.id = d.department_id
  WHERE d.year IS NOT NULL AND d.kind IS NOT NULL
    AND d.id = (SELECT x.id FROM current_documents x
                WHERE x.department_id = d.department_id AND x.year = d.year AND x.kind = d.kind
                ORDER BY (x.scope = 'department') DESC, x.ingested_at DESC, x.id DESC LIMIT 1);

-- The main facts side by side, per department × year × kind (yuan; percent; counts).
CREATE VIEW facts_wide AS
  SELECT dy.department_id, dy.department, dy.region, dy.level, dy.year, dy.kind, dy.scope, dy.document_id,
    max(CASE WHEN f.key = 'totals.total' THEN f.value END) AS total,
    max(CASE WHEN f.key = 'income.total' THEN f.value END) AS income_total,
    max(CASE WHEN f.key = 'income.gpb' THEN f.value END) AS income_gpb,
    max(CASE WHEN f.key = 'expenditure.total' THEN f.value END) AS expenditure_total,
    max(CASE WHEN f.key = 'expenditure.basic' THEN f.value END) AS expenditure_basic,
    max(CASE WHEN f.key = 'expenditure.project' THEN f.value END) AS expenditure_project,
    max(CASE WHEN f.key = 'appropriation.total' THEN f.value END) AS appropriation_total,
    max(CASE WHEN f.key = 'gpb.expenditure' THEN f.value END) AS gpb_expenditure,
    max(CASE WHEN f.key = 'gpb.basic.personnel' THEN f.value END) AS personnel,
    max(CASE WHEN f.key = 'gpb.basic.public' THEN f.value END) AS public_costs,
    max(CASE WHEN f.key = 'three_public.total' THEN f.value END) AS three_public,
    max(CASE WHEN f.key = 'operating_costs.total' THEN f.value END) AS operating_costs,
    max(CASE WHEN f.key = 'procurement.total' THEN f.value END) AS procurement,
    max(CASE WHEN f.key = 'assets.vehicles' THEN f.value END) AS vehicles
  FROM department_years dy LEFT JOIN facts f ON f.document_id = dy.document_id
  GROUP BY dy.document_id;

-- 三公 across departments and years (yuan; counts).
CREATE VIEW three_public AS
  SELECT dy.department_id, dy.department, dy.region, dy.year, dy.kind, dy.document_id,
    max(CASE WHEN f.key = 'three_public.total' THEN f.value END) AS total,
    max(CASE WHEN f.key = 'three_public.budget' THEN f.value END) AS budget,
    max(CASE WHEN f.key = 'three_public.overseas' THEN f.value END) AS overseas,
    max(CASE WHEN f.key = 'three_public.vehicle' THEN f.value END) AS vehicle,
    max(CASE WHEN f.key = 'three_public.vehicle_purchase' THEN f.value END) AS vehicle_purchase,
    max(CASE WHEN f.key = 'three_public.vehicle_operation' THEN f.value END) AS vehicle_operation,
    max(CASE WHEN f.key = 'three_public.reception' THEN f.value END) AS reception,
    max(CASE WHEN f.key = 'three_public.vehicles_owned' THEN f.value END) AS vehicles_owned,
    max(CASE WHEN f.key = 'three_public.reception_batches' THEN f.value END) AS reception_batches
  FROM department_years dy LEFT JOIN facts f ON f.document_id = dy.document_id
  GROUP BY dy.document_id;

-- Line items by code across years; `name_current` is the code's name in the latest year known.
CREATE VIEW line_items_by_code AS
  SELECT li.code, li.level, li.name, li.path, li.class_name,
         (SELECT c.name FROM classifications c WHERE c.system = 'function' AND c.code = li.code ORDER BY c.year DESC LIMIT 1) AS name_current,
         dy.department_id, dy.department, dy.year, dy.kind, dy.document_id,
         li.total, li.basic, li.project, li.page
  FROM line_items li JOIN department_years dy ON dy.document_id = li.document_id;

-- Findings per document: counts by severity and the rules that fired.
CREATE VIEW findings_summary AS
  SELECT d.id AS document_id, dep.name AS department, d.year, d.kind, d.scope, d.path,
         coalesce(sum(f.severity = 'error'), 0) AS errors, coalesce(sum(f.severity = 'warning'), 0) AS warnings, coalesce(sum(f.severity = 'info'), 0) AS info,
         group_concat(DISTINCT CASE WHEN f.severity = 'error' THEN f.rule END) AS error_rules
  FROM documents d LEFT JOIN departments dep ON dep.id = d.department_id
  LEFT JOIN findings f ON f.document_id = d.id
  GROUP BY d.id;
