-- 005_not_disclosure: a crawled document that turns out not to be a 预算/决算
-- disclosure (a notice, a 政府公报, an evaluation report) is recorded as such in
-- crawl_disclosures (status 'not_disclosure', the reason in message) instead of
-- failing: it was read and recognised, it is not stored, and it is not taken up
-- again by the next run (only by `run --retry-failed`).
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt with the
-- same columns and rows. The links between versions (superseded_by) are set again
-- after the rename: while the old table exists, the rebuilt one's references would
-- point at it, and dropping it would break them.

DROP VIEW crawl_documents;

CREATE TABLE crawl_disclosures_rebuilt (
  id             INTEGER PRIMARY KEY,
  page_url       TEXT NOT NULL,              -- detail page (or the document URL for a lone document)
  source         TEXT NOT NULL,
  files_key      TEXT NOT NULL,              -- the files' sha256 in group order, joined by ','
  files          TEXT NOT NULL,              -- JSON [{url, sha256, format, path}] in page order
  hints          TEXT,                       -- JSON {kind, year, region} from the configuration
  status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'stored', 'failed', 'unsupported', 'not_disclosure')),
  outcome        TEXT,                       -- inserted | unchanged (the bytes were already stored)
  message        TEXT,                       -- why it failed, or why it is not a disclosure
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
INSERT INTO crawl_disclosures_rebuilt (id, page_url, source, files_key, files, hints, status, outcome, message, document_id, found_run, stored_run, first_seen, last_seen, stored_at, superseded_by, superseded_at, gone_at)
  SELECT id, page_url, source, files_key, files, hints, status, outcome, message, document_id, found_run, stored_run, first_seen, last_seen, stored_at, NULL, superseded_at, gone_at
  FROM crawl_disclosures;
CREATE TEMP TABLE crawl_disclosures_links AS SELECT id, superseded_by FROM crawl_disclosures WHERE superseded_by IS NOT NULL;
DROP TABLE crawl_disclosures;
ALTER TABLE crawl_disclosures_rebuilt RENAME TO crawl_disclosures;
UPDATE crawl_disclosures SET superseded_by = (SELECT l.superseded_by FROM crawl_disclosures_links l WHERE l.id = crawl_disclosures.id)
  WHERE id IN (SELECT id FROM crawl_disclosures_links);
DROP TABLE crawl_disclosures_links;
CREATE INDEX crawl_disclosures_status ON crawl_disclosures(status);
CREATE INDEX crawl_disclosures_doc ON crawl_disclosures(document_id);

-- Where each stored document came from: one row per file URL (as in 003).
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
