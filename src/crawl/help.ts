/** Help texts of `disclosures crawl` and `disclosures run` (a module of their own, so that `--help` loads nothing else). */
import { DEFAULT_DB } from './defaults.js';

const COMMON = `Sources:
  --config FILE       sources as JSON (see docs/crawl.md); or, without a file:
  --start URL         a listing page to start from (repeatable)
  --allow-host HOST   a host links may lead to (repeatable; default: the hosts of the start URLs)
  --max-depth N       link levels below the start pages (default 1: listing → detail pages)
  --max-pages N       listing pages followed through pagination per source (default 50)

Fetching (override the configuration):
  --delay MS          minimum delay between two requests to one host (default 1000)
  --concurrency N     requests in flight per host (default 2)
  --timeout MS        per request, headers and body (default 30000)
  --retries N         retries on timeouts, network errors, 429 and 5xx (default 3)
  --max-bytes N       refuse larger files (default 104857600)
  --user-agent UA     the User-Agent sent (default: disclosures-crawler/… with a URL)
  --ignore-robots     do not read robots.txt (only for portals you are allowed to crawl)

Output:
  --db PATH           the SQLite store (default ${DEFAULT_DB}); fetched files go to raw/ beside it
  --log-format FMT    text (default: a progress bar on a terminal, plain lines otherwise)
                      or json (one JSON object per line on stdout, the summary last)
  --quiet             only failures and the summary`;

const EXIT_TEXT = `Exit: 0 all went well, 1 some documents failed (named in the summary), 2 usage or
configuration error, 3 another run holds the lock on this database, 4 fetching failed
entirely (no start page could be fetched).`;

export const CRAWL_HELP = `Usage: disclosures crawl (--config FILE | --start URL [--start URL…]) [options]

Discovers disclosures on the portals (listing pages → detail pages → attachments),
fetches what is new or changed (conditional requests), keeps every file under
raw/ beside the database and logs every fetch in it. The attachments of one detail
page become one pending disclosure; add --ingest (or use 'disclosures run') to store
them. Safe to rerun and to kill: the next run takes up the work where it stopped.

${COMMON}
  --ingest            also ingest what was found (as 'disclosures run')
  --jobs N            parsing threads when ingesting (default: the number of cores)
  --ocr MODE          off | auto (default: PDF pages without a text layer) | force

${EXIT_TEXT}`;

export const RUN_HELP = `Usage: disclosures run (--config FILE | --start URL …) [options]

For schedulers (cron, systemd timers): crawl and ingest in one go. Discovers what is
new on each source, fetches it politely, stores each new disclosure (or new version)
in the database, marks what is gone upstream, and prints a summary (discovered,
fetched, unchanged, ingested, failed). A document that is not a 预算/决算 disclosure
(a notice, a 公报) is named, recorded as not_disclosure and not stored; it is not a
failure. A lone narrative file and a lone tables file of the same department, year,
kind and scope are stored as one disclosure. A lock stops two runs on one database; a
run killed midway is finished by the next one, with no duplicates.

${COMMON}
  --jobs N            parsing threads (default: the number of cores)
  --ocr MODE          off | auto (default: PDF pages without a text layer) | force
  --retry-failed      ingest again disclosures that failed in earlier runs (and
                      those taken for not a disclosure), e.g. after an upgrade

${EXIT_TEXT}`;

