/**
 * What extractors see and what they yield. An extractor never reads a file
 * and never touches the database: it gets blocks with their section keys.
 */
import type { Block, Evidence, Finding, LineItem, Meta } from '../src/model.js';

export interface SectionedBlock {
  block: Block;
  /** innermost canonical section key in force, if any */
  section?: string;
  index: number;
}

export interface ExtractContext {
  blocks: SectionedBlock[];
  meta: Meta;
}

/**
 * Whether evidence was read from a table or from running text; OCR evidence
 * (`source: 'ocr'`) is either, as its `table` says.
 */
export function readFrom(e: Evidence | undefined): 'table' | 'text' | undefined {
  if (!e) return undefined;
  if (e.source === 'ocr') return e.table !== undefined ? 'table' : 'text';
  return e.source === 'table' ? 'table' : e.source === 'text' ? 'text' : undefined;
}

/** The candidate of each key that precedence chooses: the first (table candidates come first). */
export function firstByKey(cands: Iterable<Candidate>): Map<string, Candidate> {
  const chosen = new Map<string, Candidate>();
  for (const c of cands) if (!chosen.has(c.key)) chosen.set(c.key, c);
  return chosen;
}

/** A fact candidate before precedence (table over text) is applied. */
export interface Candidate {
  key: string;
  unit: 'yuan' | 'percent' | 'count';
  /** yuan in integer fen for money; the number for percent/count */
  fen?: bigint;
  number?: number;
  evidence: Evidence;
  /**
   * A prose figure stated of a subject amount (`收入预算为6053.42万元，比上年增加172.97万元`):
   * it is the fact of its key only when that amount is the value of one of
   * these facts (here `totals.total`); otherwise it describes something else.
   */
  confirm?: { keys: string[]; fen: bigint };
}

export interface TableLineItem extends Omit<LineItem, 'evidence'> {
  evidence: Evidence[];
}

export interface ExtractorOutput {
  candidates: Candidate[];
  lineItems?: LineItem[];
  findings?: Finding[];
}
