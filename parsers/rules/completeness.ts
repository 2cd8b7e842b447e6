/**
 * Everything the template asks for is there:
 *  - completeness.tables: the standard tables of the document's template (a
 *    narrative-only file, with none of them, is noted as info: its tables are
 *    published elsewhere or as images);
 *  - completeness.sections: the explanation sections of the template.
 */
import type { RawFinding, Rule } from '../../src/validate/engine.js';
import { TABLE_CATALOGUE } from '../catalogue/tables.js';
import { templateOf } from '../catalogue/templates.js';
import type { CheckContext } from './context.js';
import type { Evidence } from '../../src/model.js';
import type { KeyedTable } from '../tables/grid.js';

const label = (key: string) => TABLE_CATALOGUE.find((d) => d.key === key)?.label ?? key;

export const tablesRule: Rule<CheckContext> = {
  id: 'completeness.tables',
  severity: 'error',
  description: "the template's standard tables are all published",
  reads: ['tables'],
  check(ctx) {
    const tpl = templateOf(ctx.meta);
    if (!tpl) return [];
    const present = new Set(ctx.tables.map((t) => t.key).filter(Boolean));
    const missing = tpl.tables.filter((k) => !present.has(k));
    if (missing.length === 0) return [];
    const file = ctx.blocks[0]?.block.evidence.file ?? '';
    if (missing.length === tpl.tables.length) {
      return [{ severity: 'info', message: `none of the ${tpl.tables.length} standard tables of a ${tpl.label} is in this file (published separately, or as images)`, evidence: [{ file, quote: '' }] }];
    }
    return missing.map((k): RawFinding => ({ message: `${tpl.label}: the ${label(k)} (${k}) is missing`, evidence: [{ file, quote: '' }] }));
  },
};

export const sectionsRule: Rule<CheckContext> = {
  id: 'completeness.sections',
  severity: 'warning',
  description: "the template's explanation sections are all there",
  reads: ['sections'],
  check(ctx) {
    const tpl = templateOf(ctx.meta);
    if (!tpl) return [];
    const present = new Set(ctx.blocks.map((b) => b.section?.split('.')[0]).filter(Boolean));
    const file = ctx.blocks[0]?.block.evidence.file ?? '';
    // a document with no explanation at all (a tables-only file) is not missing sections one by one
    if (!tpl.sections.some((s) => present.has(s))) return [];
    return tpl.sections.filter((s) => !present.has(s)).map((s) => ({ message: `${tpl.label}: no section “${s}” in the explanation`, evidence: [{ file, quote: '' }] }));
  },
};

/** The table each core fact is read from: where one of them is present and the fact is not, the gap is said. */
export const CORE_FACT_TABLES: Array<{ key: string; label: string; tables: string[] }> = [
  { key: 'totals.total', label: '收支总计', tables: ['summary'] },
  { key: 'income.total', label: '本年收入合计', tables: ['summary', 'income'] },
  { key: 'expenditure.total', label: '本年支出合计', tables: ['summary', 'expenditure'] },
  { key: 'gpb.expenditure', label: '一般公共预算财政拨款支出', tables: ['gpb_expenditure'] },
  { key: 'three_public.total', label: '“三公”经费', tables: ['three_public'] },
];

export const factsRule: Rule<CheckContext> = {
  id: 'completeness.facts',
  severity: 'warning',
  description: 'a core fact whose standard table is present but gave no value (blank or not read with confidence)',
  reads: ['tables', ...CORE_FACT_TABLES.map((c) => c.key)],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const c of CORE_FACT_TABLES) {
      if (ctx.facts.has(c.key)) continue;
      const t = ctx.tables.find((x) => x.key && c.tables.includes(x.key));
      if (!t) continue;
      out.push({ message: `${c.key} (${c.label}): the ${t.title} is there but no value was read from it (a blank cell, or a layout not read with confidence)`, evidence: [tableEvidence(t)] });
    }
    if (ctx.tableItems.length === 0) {
      const t = ctx.tables.find((x) => x.key === 'gpb_expenditure' || x.key === 'appropriation_expenditure');
      if (t) out.push({ message: `line items: the ${t.title} is there but no coded row was read from it`, evidence: [tableEvidence(t)] });
    }
    return out;
  },
};

/** A table as evidence: its file, first page and title. */
function tableEvidence(t: KeyedTable): Evidence {
  return { file: t.file, ...(t.pages[0] !== undefined ? { page: t.pages[0] } : {}), quote: t.title, source: 'table', table: t.title };
}
