/**
 * The document model every reader produces and every extractor reads, and the
 * shapes of what extraction yields (facts, line items, findings, performance).
 * Types are derived from the zod schemas; schemas are checked at the
 * boundaries (reader output, extract output, store input).
 */
import { z } from 'zod';

export const Format = z.enum(['pdf', 'docx', 'html', 'txt', 'xlsx', 'xls']);
export type Format = z.infer<typeof Format>;

/** Where a block, fact or finding came from. `page` is 1-based for paged input. */
export const Evidence = z.object({
  file: z.string(),
  page: z.number().int().positive().optional(),
  /** character offset and length in the normalised text of `file` */
  offset: z.number().int().nonnegative().optional(),
  length: z.number().int().nonnegative().optional(),
  quote: z.string(),
  source: z.enum(['text', 'table', 'chart', 'ocr']).optional(),
  /** OCR evidence (a page without a text layer): the engine's confidence, 0–1 */
  confidence: z.number().min(0).max(1).optional(),
  /** canonical table key and the table title, for table evidence */
  table: z.string().optional(),
  row: z.number().int().nonnegative().optional(),
  col: z.number().int().nonnegative().optional(),
  /** the number as printed and the unit it was printed in */
  printed: z.string().optional(),
  printedUnit: z.string().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const Cell = z.object({
  text: z.string(),
  rowSpan: z.number().int().positive().default(1),
  colSpan: z.number().int().positive().default(1),
  page: z.number().int().positive().optional(),
  /** read by OCR: the lowest confidence of its words (0–1) */
  conf: z.number().min(0).max(1).optional(),
});
export type Cell = z.infer<typeof Cell>;

const BlockBase = z.object({ evidence: Evidence });

export const HeadingBlock = BlockBase.extend({
  kind: z.literal('heading'),
  text: z.string(),
  /** level as the reader knows it (styles); the segmenter computes its own */
  level: z.number().int().positive().optional(),
});
export const ParagraphBlock = BlockBase.extend({ kind: z.literal('paragraph'), text: z.string() });
export const TableBlock = BlockBase.extend({
  kind: z.literal('table'),
  /** rows of cells; a spanning cell appears once, at its top-left position */
  rows: z.array(z.array(Cell)),
  /**
   * true when every row's cells sit in their true columns (ruled grids, HTML,
   * spreadsheets); false when blank cells may have been dropped (text exports).
   */
  aligned: z.boolean(),
  pages: z.array(z.number().int().positive()).optional(),
  /** text just above the table (title, 单位 line), when the reader knows it */
  caption: z.array(z.string()).optional(),
});
export const ChartSeries = z.object({
  name: z.string().optional(),
  labels: z.array(z.string()),
  values: z.array(z.string()),
});
export const ChartBlock = BlockBase.extend({
  kind: z.literal('chart'),
  title: z.string(),
  series: z.array(ChartSeries),
});
export const Block = z.discriminatedUnion('kind', [HeadingBlock, ParagraphBlock, TableBlock, ChartBlock]);
export type HeadingBlock = z.infer<typeof HeadingBlock>;
export type ParagraphBlock = z.infer<typeof ParagraphBlock>;
export type TableBlock = z.infer<typeof TableBlock>;
export type ChartBlock = z.infer<typeof ChartBlock>;
export type Block = z.infer<typeof Block>;

export const FileInfo = z.object({
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  format: Format,
  pages: z.number().int().nonnegative().nullable(),
  bytes: z.number().int().nonnegative(),
  encoding: z.string().optional(),
});
export type FileInfo = z.infer<typeof FileInfo>;

/** Something a reader noticed that is not data (a page without text, an image table). */
export const ReaderNote = z.object({
  rule: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  evidence: z.array(Evidence),
});
export type ReaderNote = z.infer<typeof ReaderNote>;

/** What one reader makes of one file. */
export const Document = z.object({
  file: FileInfo,
  blocks: z.array(Block),
  notes: z.array(ReaderNote).default([]),
});
export type Document = z.infer<typeof Document>;

// ---------------------------------------------------------------------------
// Extraction output (see ../shared/spec/facts.md and extract-json.md)

export const Unit = z.enum(['yuan', 'percent', 'count']);
export type Unit = z.infer<typeof Unit>;

export const Fact = z.object({
  key: z.string(),
  /** yuan with at most two decimals, a percent as printed, or a count */
  value: z.number(),
  unit: Unit,
  evidence: z.array(Evidence).min(1),
});
export type Fact = z.infer<typeof Fact>;

export const LineItem = z.object({
  code: z.string().regex(/^\d{3}(\d{2}){0,2}$/).optional(),
  name: z.string(),
  path: z.array(z.string()).min(1),
  total: z.number().optional(),
  basic: z.number().optional(),
  project: z.number().optional(),
  evidence: z.array(Evidence).min(1),
});
export type LineItem = z.infer<typeof LineItem>;

export const Severity = z.enum(['error', 'warning', 'info']);
export const Finding = z.object({
  rule: z.string(),
  severity: Severity,
  message: z.string(),
  evidence: z.array(Evidence),
});
export type Finding = z.infer<typeof Finding>;

export const Meta = z.object({
  department: z.string().optional(),
  year: z.number().int().optional(),
  kind: z.enum(['final', 'budget']).optional(),
  scope: z.enum(['department', 'unit']).optional(),
});
export type Meta = z.infer<typeof Meta>;

export const SectionRef = z.object({
  key: z.string(),
  title: z.string(),
  level: z.number().int().positive(),
  page: z.number().int().positive().optional(),
  offset: z.number().int().nonnegative().optional(),
  file: z.string(),
});
export type SectionRef = z.infer<typeof SectionRef>;

export const TableRef = z.object({
  key: z.string(),
  title: z.string(),
  page: z.number().int().positive().optional(),
  pages: z.array(z.number().int().positive()).optional(),
  unit: z.string().optional(),
  rows: z.number().int().nonnegative(),
  file: z.string(),
});
export type TableRef = z.infer<typeof TableRef>;

export const Indicator = z.object({
  level1: z.string().optional(),
  level2: z.string().optional(),
  level3: z.string().optional(),
  target: z.string().optional(),
  actual: z.string().optional(),
  weight: z.number().optional(),
  score: z.number().optional(),
});
export const PerformanceProject = z.object({
  name: z.string(),
  department: z.string().optional(),
  implementer: z.string().optional(),
  kind: z.enum(['self_evaluation', 'target']),
  budget: z.number().optional(),
  budgetFiscal: z.number().optional(),
  budgetOther: z.number().optional(),
  executed: z.number().optional(),
  executedFiscal: z.number().optional(),
  executedOther: z.number().optional(),
  totalFunding: z.number().optional(),
  indicators: z.array(Indicator),
  score: z.number().optional(),
  evidence: z.array(Evidence),
});
export type PerformanceProject = z.infer<typeof PerformanceProject>;
export const Performance = z.object({
  projects: z.array(PerformanceProject),
  overallScore: z.number().optional(),
});
