-- 001_init: the first schema of the disclosures store.
-- One row per disclosure in `documents`; everything else hangs off document_id
-- and is deleted with it. Money is kept exact as integer fen (*_fen, 0.01 yuan)
-- beside a convenient yuan number (value / total / basic / project).

-- A disclosure: one or several files (narrative + tables) read as one.
CREATE TABLE documents (
  id           INTEGER PRIMARY KEY,
  sha256       TEXT NOT NULL UNIQUE,   -- of the file, or of the sorted file hashes for several files
  path         TEXT NOT NULL,          -- first file as given on the command line
  format       TEXT NOT NULL,          -- pdf | docx | html | txt | xlsx | xls (of the first file)
  pages        INTEGER,                -- total pages; NULL for unpaged text
  file_count   INTEGER NOT NULL,
  department   TEXT,                   -- 部门/单位 as the document names itself
  year         INTEGER,                -- fiscal year reported on
  kind         TEXT CHECK (kind IN ('final', 'budget')),       -- 决算 / 预算
  scope        TEXT CHECK (scope IN ('department', 'unit')),   -- 部门 / 单位
  fact_count   INTEGER NOT NULL DEFAULT 0,
  ingested_at  TEXT NOT NULL           -- ISO 8601 UTC
);
CREATE INDEX documents_dept_year ON documents(department, year, kind);

-- The files of each disclosure.
CREATE TABLE document_files (
  document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  path         TEXT NOT NULL,
  sha256       TEXT NOT NULL,
  format       TEXT NOT NULL,
  pages        INTEGER,
  bytes        INTEGER NOT NULL,
  encoding     TEXT,
  PRIMARY KEY (document_id, seq)
);
CREATE INDEX document_files_sha ON document_files(sha256);

-- Facts in long form: one row per document × canonical key (see facts.md).
CREATE TABLE facts (
  document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  key          TEXT NOT NULL,          -- e.g. three_public.total
  label        TEXT,                   -- Chinese label of the key
  value        REAL NOT NULL,          -- yuan (≤ 2 decimals), percent as printed, or count
  value_fen    INTEGER,                -- exact money in fen (0.01 yuan); NULL for percent/count
  unit         TEXT NOT NULL CHECK (unit IN ('yuan', 'percent', 'count')),
  source       TEXT,                   -- table | text: where the value was read
  file         TEXT,                   -- file the value was read from
  page         INTEGER,                -- 1-based page (paged formats)
  quote        TEXT,                   -- the words or table row it was read from
  printed      TEXT,                   -- the number as printed
  printed_unit TEXT,                   -- 元 / 万元 as printed
  evidence     TEXT NOT NULL,          -- JSON array of all evidence entries
  PRIMARY KEY (document_id, key)
);
CREATE INDEX facts_key ON facts(key);

-- Rows of the 一般公共预算 function-classification table (or narrative 类/款/项 paths).
CREATE TABLE line_items (
  document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  code         TEXT,                   -- 201 / 20106 / 2010601; NULL when only names are given
  level        INTEGER NOT NULL,       -- 1 类, 2 款, 3 项
  name         TEXT NOT NULL,          -- 科目名称
  path         TEXT NOT NULL,          -- 类/款/项 names joined by ' / '
  class_name   TEXT NOT NULL,          -- the 类 name (first element of the path)
  total        REAL, basic REAL, project REAL,               -- yuan
  total_fen    INTEGER, basic_fen INTEGER, project_fen INTEGER,  -- exact
  file         TEXT, page INTEGER, quote TEXT,
  evidence     TEXT NOT NULL,
  PRIMARY KEY (document_id, seq)
);
CREATE INDEX line_items_code ON line_items(code);

-- Text of the document by section (heading to next heading).
CREATE TABLE sections (
  id           INTEGER PRIMARY KEY,
  document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  key          TEXT,                   -- canonical section key in force (three_public, gpb.detail …); NULL if none
  title        TEXT NOT NULL,
  level        INTEGER,
  file         TEXT,
  page         INTEGER,
  text         TEXT NOT NULL,
  search_text  TEXT NOT NULL           -- normalised copy (NFKC, no quotes/spaces) for full-text search
);
CREATE INDEX sections_doc ON sections(document_id, seq);
CREATE VIRTUAL TABLE sections_fts USING fts5(search_text, content='sections', content_rowid='id', tokenize='trigram');
CREATE TRIGGER sections_ai AFTER INSERT ON sections BEGIN
  INSERT INTO sections_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER sections_ad AFTER DELETE ON sections BEGIN
  INSERT INTO sections_fts(sections_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;

-- Tables as read (grids), keyed where recognised.
CREATE TABLE tables (
  id           INTEGER PRIMARY KEY,
  document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  key          TEXT,                   -- summary, gpb_expenditure, three_public … NULL if not recognised
  title        TEXT,
  file         TEXT,
  page         INTEGER,                -- first page
  pages        TEXT,                   -- JSON array of pages
  unit         TEXT,                   -- 元 / 万元 from the 单位 line
  n_rows       INTEGER NOT NULL,
  n_cols       INTEGER NOT NULL
);
CREATE INDEX tables_doc ON tables(document_id);

CREATE TABLE cells (
  table_id     INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
  row          INTEGER NOT NULL,
  col          INTEGER NOT NULL,
  text         TEXT NOT NULL,
  row_span     INTEGER NOT NULL DEFAULT 1,
  col_span     INTEGER NOT NULL DEFAULT 1,
  page         INTEGER,
  PRIMARY KEY (table_id, row, col)
);

-- What does not add up, or could not be read.
CREATE TABLE findings (
  id           INTEGER PRIMARY KEY,
  document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  rule         TEXT NOT NULL,          -- rule id, e.g. fact.prose_vs_table
  severity     TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  message      TEXT NOT NULL,
  file         TEXT,
  page         INTEGER,                -- first page of the evidence
  pages        TEXT,                   -- JSON array of all evidence pages
  quote        TEXT,                   -- first quote
  evidence     TEXT NOT NULL           -- JSON array of evidence entries
);
CREATE INDEX findings_doc ON findings(document_id);
CREATE INDEX findings_rule ON findings(rule, severity);
