/**
 * What each template must contain, as data: the standard tables and the
 * explanation sections of a region's 决算 or 预算. A document is matched to a
 * template by its department's region and its kind.
 */
import type { Meta } from '../../src/model.js';

export interface Template {
  id: string;
  label: string;
  applies(meta: Meta): boolean;
  tables: string[];
  sections: string[];
}

const NINE = ['summary', 'income', 'expenditure', 'appropriation_summary', 'gpb_expenditure', 'gpb_basic', 'three_public', 'gov_fund', 'state_capital'];
const FINAL_SECTIONS = ['summary', 'income', 'expenditure', 'appropriation', 'gpb', 'gpb_basic', 'three_public', 'gov_fund', 'state_capital'];

export const TEMPLATES: Template[] = [
  { id: 'shanghai.final', label: '上海 部门/单位决算', applies: (m) => m.kind === 'final' && /^上海/.test(m.department ?? ''), tables: NINE, sections: [...FINAL_SECTIONS, 'other'] },
  { id: 'shanghai.budget', label: '上海 部门/单位预算', applies: (m) => m.kind === 'budget' && /^上海/.test(m.department ?? ''), tables: NINE, sections: ['summary', 'three_public', 'operating_costs', 'procurement', 'assets'] },
  { id: 'jiangsu.budget', label: '江苏 省级部门预算', applies: (m) => m.kind === 'budget' && /江苏/.test(m.department ?? ''),
    tables: ['summary', 'income', 'expenditure', 'appropriation_summary', 'appropriation_expenditure', 'appropriation_basic', 'gpb_expenditure', 'gpb_basic', 'three_public', 'gov_fund', 'operating_costs', 'procurement'],
    sections: ['summary', 'income', 'expenditure', 'appropriation', 'gpb', 'gpb_basic', 'three_public', 'operating_costs', 'procurement', 'assets'] },
  { id: 'sichuan.final', label: '四川 部门决算', applies: (m) => m.kind === 'final' && /^四川/.test(m.department ?? ''), tables: NINE, sections: [...FINAL_SECTIONS, 'other'] },
  { id: 'generic.final', label: '部门决算', applies: (m) => m.kind === 'final', tables: NINE, sections: FINAL_SECTIONS },
];

export function templateOf(meta: Meta): Template | undefined {
  return TEMPLATES.find((t) => t.applies(meta));
}
