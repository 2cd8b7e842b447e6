/**
 * Is this a 预算/决算 disclosure at all? Crawlers also bring back notices, 政府公报,
 * evaluation reports and 绩效 forms; stored, they would be empty disclosures that
 * hide a gap. A document is a disclosure when it prints one of the core tables
 * or two standard tables (one 项目支出情况表 in an evaluation report is not
 * enough), or when its title or cover names a 预算/决算 and its outline has the
 * disclosure's sections. A document without a text layer cannot tell: it is kept
 * (with a finding per page) so that it is not silently lost.
 */
import type { Document, Meta, SectionRef } from '../src/model.js';
import type { KeyedTable } from './tables/grid.js';
import { CORE_TABLE_KEYS, STANDARD_TABLE_KEYS } from './catalogue/tables.js';

/** The standard table keys among a document's tables. */
function standardKeys(tables: ReadonlyArray<{ key?: string }>): Set<string> {
  return new Set(tables.map((t) => t.key).filter((k): k is string => !!k && STANDARD_TABLE_KEYS.includes(k)));
}

/** At least half of the pages have no text layer (a scan, pages rasterised on export). */
export function mostlyTextless(docs: ReadonlyArray<Pick<Document, 'file' | 'notes'>>): boolean {
  const pages = docs.reduce((s, d) => s + (d.file.pages ?? 0), 0);
  const textless = docs.reduce((s, d) => s + d.notes.filter((n) => n.rule === 'reader.textless_page').length, 0);
  return pages > 0 && textless * 2 >= pages;
}

export function classifyDisclosure(docs: Document[], meta: Meta, tables: KeyedTable[], sections: SectionRef[]): { disclosure: boolean; reason?: string } {
  const standard = standardKeys(tables);
  if (standard.size >= 2 || [...standard].some((k) => CORE_TABLE_KEYS.includes(k))) return { disclosure: true };
  if (mostlyTextless(docs)) return { disclosure: true };
  const sectionKeys = new Set(sections.map((s) => s.key.split('.')[0]));
  if (meta.kind !== undefined && sectionKeys.size >= 2) return { disclosure: true };
  const why = [meta.kind === undefined ? 'no 预算/决算 title' : `titled as a ${meta.kind === 'final' ? '决算' : '预算'}`, 'no standard table', `${sectionKeys.size} disclosure section${sectionKeys.size === 1 ? '' : 's'}`];
  return { disclosure: false, reason: `not a 预算/决算 disclosure (${why.join(', ')})` };
}

/**
 * What part of a disclosure one file holds: the whole of it, only the narrative
 * (情况说明: explanation sections, no standard tables; Beijing's 附件1), or only
 * the tables (报表: standard tables, no explanation sections; 附件2, Jiangsu's
 * 公开表). Two parts of one department × year × kind × scope are one disclosure.
 */
export type DisclosurePart = 'whole' | 'narrative' | 'tables';

const NARRATIVE_SECTION = /^(?!part\.)(?!functions$|organisation$|glossary$)/;

export function disclosurePart(tables: Array<{ key?: string }>, sections: SectionRef[]): DisclosurePart {
  const standard = standardKeys(tables);
  const explained = new Set(sections.map((s) => s.key).filter((k) => NARRATIVE_SECTION.test(k)));
  if (standard.size === 0 && explained.size >= 2) return 'narrative';
  if (standard.size >= 3 && explained.size < 2) return 'tables';
  return 'whole';
}
