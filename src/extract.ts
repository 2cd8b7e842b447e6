/**
 * Files of one disclosure → the `extract --json` object (../shared/spec/extract-json.md).
 */
import { createHash } from 'node:crypto';
import { extractDisclosure, type Extraction } from '../parsers/index.js';
import { readDocument, type OcrMode } from './ingest/index.js';
import { pairDisclosures, waitsForPartner } from './pairing.js';
import type { Document, Evidence, Fact, Finding, LineItem, Meta, SectionRef, TableRef } from './model.js';

export interface Disclosure {
  docs: Document[];
  extraction: Extraction;
  /** sha256 of the one file, or of the sorted file hashes for a multi-file disclosure */
  sha256: string;
}

export async function readDisclosure(files: string[], opts: { ocr?: OcrMode } = {}): Promise<Disclosure> {
  const docs: Document[] = [];
  for (const f of files) docs.push(await readDocument(f, opts));
  return disclosureOf(docs);
}

/**
 * The files given to `extract` as one disclosure, in the order ingest joins a pair it
 * found by content (src/pairing.ts): narrative before tables, whatever order they were
 * given in, so that extract prints what ingest stores. Anything else is read as given.
 */
export async function readParts(files: string[], opts: { ocr?: OcrMode } = {}): Promise<Disclosure> {
  const docs: Document[] = [];
  for (const f of files) docs.push(await readDocument(f, opts));
  if (docs.length === 2) {
    const each = docs.map((doc) => ({ doc, disclosure: { extraction: extractDisclosure([doc]) } }));
    const pair = pairDisclosures(each.filter((e) => waitsForPartner([e.doc.file.path], e.disclosure)));
    if (pair.length === 1 && pair[0]!.length === 2) return disclosureOf(pair[0]!.map((e) => e.doc));
  }
  return disclosureOf(docs);
}

/**
 * A group of parsed files that `pairDisclosures` put together, as one disclosure: a lone
 * member as it was read, a pair extracted again over both files' documents (parsing is
 * not repeated). `inputs` are the members' own file groups.
 */
export function joinParts(members: ReadonlyArray<{ files: string[]; disclosure: Disclosure }>): { files: string[]; inputs: string[][]; disclosure: Disclosure } {
  const files = members.flatMap((m) => m.files);
  const inputs = members.map((m) => m.files);
  return { files, inputs, disclosure: members.length === 1 ? members[0]!.disclosure : disclosureOf(members.flatMap((m) => m.disclosure.docs)) };
}

export function disclosureOf(docs: Document[]): Disclosure {
  const extraction = extractDisclosure(docs);
  return { docs, extraction, sha256: disclosureHash(docs) };
}

export function disclosureHash(docs: ReadonlyArray<{ file: { sha256: string } }>): string {
  if (docs.length === 1) return docs[0]!.file.sha256;
  return createHash('sha256').update(docs.map((d) => d.file.sha256).sort().join('\n')).digest('hex');
}

export interface ExtractJson {
  document: {
    path: string;
    sha256: string;
    format: string;
    pages: number | null;
    files: Array<{ path: string; sha256: string; format: string; pages: number | null }>;
  };
  meta: Meta;
  facts: Fact[];
  lineItems: LineItem[];
  sections: SectionRef[];
  tables: TableRef[];
  findings: Finding[];
  performance: Extraction['performance'];
}

function cleanEvidence(e: Evidence): Evidence {
  // stable key order for readers of the JSON
  const { source, confidence, file, page, offset, length, quote, printed, printedUnit, table, row, col } = e;
  return Object.fromEntries(
    Object.entries({ source, confidence, file, page, offset, length, quote, printed, printedUnit, table, row, col }).filter(([, v]) => v !== undefined),
  ) as Evidence;
}

export function toExtractJson(d: Disclosure): ExtractJson {
  const files = d.docs.map((doc) => ({ path: doc.file.path, sha256: doc.file.sha256, format: doc.file.format, pages: doc.file.pages }));
  const pages = files.every((f) => f.pages === null) ? null : files.reduce((s, f) => s + (f.pages ?? 0), 0);
  const x = d.extraction;
  return {
    document: { path: files[0]!.path, sha256: d.sha256, format: files[0]!.format, pages, files },
    meta: x.meta,
    facts: x.facts.map((f) => ({ ...f, evidence: f.evidence.map(cleanEvidence) })),
    lineItems: x.lineItems.map((li) => ({ ...li, evidence: li.evidence.map(cleanEvidence) })),
    sections: x.sections,
    tables: x.tables,
    findings: x.findings.map((f) => ({ ...f, evidence: f.evidence.map(cleanEvidence) })),
    performance: { ...x.performance, projects: x.performance.projects.map((p) => ({ ...p, evidence: p.evidence.map(cleanEvidence) })) },
  };
}
