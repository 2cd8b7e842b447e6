-- 003_crawl: the scheduled crawler (src/crawl/, docs/crawl.md).
-- Self-contained: nothing here alters the tables of 001. A run keeps its work
-- queue in the database so that a run killed at any moment is resumed by the
-- next one; every fetch is logged; fetched files live content-addressed in
-- raw/ beside the database; the disclosures found are linked to `documents`
-- by URL and detail page, with versions (superseded_by) and gone marks.

-- One crawl (or crawl + ingest) run. finished_at NULL = running or killed.
CREATE TABLE crawl_runs (
  id           INTEGER PRIMARY KEY,
  command      TEXT NOT NULL,                -- crawl | run
  started_at   TEXT NOT NULL,                -- ISO 8601 UTC
  resumed_at   TEXT,                         -- last time an interrupted run was taken up again
  finished_at  TEXT,
  status       TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  pid          INTEGER,
  config       TEXT NOT NULL,                -- the sources as JSON
  summary      TEXT                          -- JSON summary written at the end
);

-- Every URL the crawler has met: listing pages, detail pages, documents.
CREATE TABLE crawl_urls (
  id            INTEGER PRIMARY KEY,
  url           TEXT NOT NULL UNIQUE,        -- absolute, without fragment
  kind          TEXT NOT NULL CHECK (kind IN ('listing', 'detail', 'document')),
  source        TEXT NOT NULL,               -- source name from the configuration
  final_url     TEXT,                        -- after redirects, last successful fetch
  etag          TEXT,                        -- validators of the last successful fetch
  last_modified TEXT,
  sha256        TEXT,                        -- content of the last successful fetch (file in raw/)
  bytes         INTEGER,
  content_type  TEXT,                        -- as the server said
  format        TEXT,                        -- as sniffed from the bytes
  first_seen    TEXT NOT NULL,
  last_seen     TEXT NOT NULL,               -- last run that found a link to it
  last_fetched  TEXT,                        -- last successful fetch (200 or 304)
  gone_at       TEXT,                        -- gone upstream (404/410 or no longer linked); never deleted
  gone_reason   TEXT
);

-- The work queue of each run: what to fetch and how far it got.
CREATE TABLE crawl_queue (
  run_id     INTEGER NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
  url_id     INTEGER NOT NULL REFERENCES crawl_urls(id),
  seq        INTEGER NOT NULL,               -- discovery order within the run
  kind       TEXT NOT NULL CHECK (kind IN ('listing', 'detail', 'document')),
  depth      INTEGER NOT NULL DEFAULT 0,
  parent_id  INTEGER REFERENCES crawl_urls(id),  -- page it was first found on
  state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
  outcome    TEXT,                           -- fetched | not-modified | same-bytes | failed | blocked | gone
  error      TEXT,                           -- reason when failed / skipped
  transient  INTEGER NOT NULL DEFAULT 0,     -- 1: failed in a way a later run may not (network, 5xx)
  page_is_disclosure INTEGER NOT NULL DEFAULT 0,  -- detail page without attachments that is the disclosure itself
  PRIMARY KEY (run_id, url_id)
);
CREATE INDEX crawl_queue_state ON crawl_queue(run_id, state, seq);

-- Links found on each page in a run (in page order): a detail page's attachments are one disclosure.
CREATE TABLE crawl_links (
  run_id     INTEGER NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
  page_id    INTEGER NOT NULL REFERENCES crawl_urls(id),
  seq        INTEGER NOT NULL,
  url_id     INTEGER NOT NULL REFERENCES crawl_urls(id),
  role       TEXT NOT NULL CHECK (role IN ('listing', 'detail', 'document')),
  text       TEXT,                           -- the link text
  PRIMARY KEY (run_id, page_id, url_id)
);

-- The fetch log: one row per HTTP exchange that ended a fetch (after retries and redirects).
CREATE TABLE crawl_fetches (
  id             INTEGER PRIMARY KEY,
  run_id         INTEGER NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
  url            TEXT NOT NULL,
  final_url      TEXT,
  source_page    TEXT,                       -- the page the link was found on
  status         INTEGER,                    -- HTTP status; NULL when no response (network, timeout)
  outcome        TEXT NOT NULL,              -- fetched | not-modified | failed | blocked
  etag           TEXT,
  last_modified  TEXT,
  content_type   TEXT,
  format         TEXT,
  sha256         TEXT,
  bytes          INTEGER,
  attempts       INTEGER NOT NULL DEFAULT 1,
  retrieved_at   TEXT NOT NULL,
  error          TEXT
);
CREATE INDEX crawl_fetches_url ON crawl_fetches(url);

-- Disclosures found by the crawler: the attachments of one detail page (or the
-- page itself, or one document linked from a listing). One row per version:
-- new bytes in any file → a new row, the previous one superseded once stored.
CREATE TABLE crawl_disclosures (
  id             INTEGER PRIMARY KEY,
  page_url       TEXT NOT NULL,              -- detail page (or the document URL for a lone document)
  source         TEXT NOT NULL,
  files_key      TEXT NOT NULL,              -- the files' sha256 in group order, joined by ','
  files          TEXT NOT NULL,              -- JSON [{url, sha256, format, path}] in page order
  hints          TEXT,                       -- JSON {kind, year, region} from the configuration
  status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'stored', 'failed', 'unsupported')),
  outcome        TEXT,                       -- inserted | unchanged (the bytes were already stored)
  message        TEXT,                       -- why it failed
  document_id    INTEGER REFERENCES documents(id) ON DELETE SET NULL,
  found_run      INTEGER REFERENCES crawl_runs(id) ON DELETE SET NULL,
  stored_run     INTEGER REFERENCES crawl_runs(id) ON DELETE SET NULL,
  first_seen     TEXT NOT NULL,
  last_seen      TEXT NOT NULL,
  stored_at      TEXT,
  superseded_by  INTEGER REFERENCES crawl_disclosures(id),
  superseded_at  TEXT,
  gone_at        TEXT,
  UNIQUE (page_url, files_key)
);
CREATE INDEX crawl_disclosures_status ON crawl_disclosures(status);
CREATE INDEX crawl_disclosures_doc ON crawl_disclosures(document_id);

-- Where each stored document came from: one row per file URL.
CREATE VIEW crawl_documents AS
  SELECT d.document_id              AS document_id,
         json_extract(f.value, '$.url')    AS url,
         json_extract(f.value, '$.sha256') AS sha256,
         d.page_url                 AS source_page,
         d.source                   AS source,
         d.first_seen               AS first_seen,
         d.last_seen                AS last_seen,
         d.stored_at                AS retrieved_at,
         d.superseded_by            AS superseded_by,
         COALESCE(d.gone_at, u.gone_at) AS gone_at
  FROM crawl_disclosures d
  JOIN json_each(d.files) f
  LEFT JOIN crawl_urls u ON u.url = json_extract(f.value, '$.url')
  WHERE d.document_id IS NOT NULL;
