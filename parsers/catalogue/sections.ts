/**
 * Section titles → canonical section keys, as data. Titles are matched after
 * `normaliseTitle` (numbering, years, quotes, spaces and trailing punctuation
 * removed). Entries are tried in order: put the more specific first.
 *
 * `level` is where the section sits in the outline whatever numbering the
 * document printed (the founding sample lost its auto-numbering: 1、 2、 3、
 * 四、 …): 1 = part (第一部分), 2 = section (一、), 3 = subsection (（一）).
 *
 * Covers the 决算 and 预算 templates of Sichuan, Shanghai (district 部门/单位
 * 预算 and 决算) and Jiangsu (省级部门预算) as seen in the corpus.
 */
export interface SectionDef {
  key: string;
  level: 1 | 2 | 3;
  /** Chinese label, for documentation and the store */
  label: string;
  patterns: RegExp[];
}

export const SECTION_CATALOGUE: SectionDef[] = [
  // parts
  { key: 'part.overview', level: 1, label: '部门概况', patterns: [/^第.部分(?:部门|单位)?概况$/, /^(?:部门|单位)概况$/] },
  { key: 'part.explanation', level: 1, label: '决算/预算情况说明', patterns: [/^第.部分.*(?:决算|预算)(?:情况)?说明$/, /^第.部分.*(?:部门|单位)?(?:决算|预算)?情况说明$/] },
  { key: 'part.tables', level: 1, label: '决算/预算报表', patterns: [/^第.部分.*(?:决算|预算)(?:报|公开)?表$/, /^(?:部门|单位)?(?:决算|预算)(?:公开)?表$/] },
  { key: 'part.glossary', level: 1, label: '名词解释', patterns: [/^第.部分名[词称]解释$/] },
  { key: 'part.appendix', level: 1, label: '附件', patterns: [/^第.部分附件$/, /^附件$/] },
  { key: 'part.other', level: 1, label: '其他', patterns: [/^第.部分(?:其他|其它)/] },
  // parts named after what they explain (Shenzhen: 第二部分 部门预算收支总体情况 … 第六部分 部门预算绩效管理情况)
  { key: 'summary', level: 1, label: '收支总体情况', patterns: [/^第.部分(?:部门|单位)?(?:预算|决算)?收支(?:预算|决算)?总体?情况(?:说明)?$/] },
  { key: 'expenditure', level: 1, label: '支出具体情况', patterns: [/^第.部分(?:部门|单位)?(?:预算|决算)?支出(?:预算|决算)?具体情况(?:说明)?$/] },
  { key: 'procurement', level: 1, label: '政府采购', patterns: [/^第.部分政府采购(?:预算|决算|支出)*(?:情况)?(?:说明)?$/] },
  { key: 'three_public', level: 1, label: '“三公”经费', patterns: [/^第.部分.*三公经费.*情况(?:说明)?$/] },
  { key: 'performance', level: 1, label: '预算绩效', patterns: [/^第.部分(?:部门|单位)?(?:预算)?绩效(?:管理|目标)?(?:工作)?情况(?:说明)?$/] },

  // overview
  { key: 'functions', level: 2, label: '主要职能', patterns: [/主要职能(?:及主要工作)?$/, /^基本职能/, /^职能职责$/] },
  { key: 'organisation', level: 2, label: '机构设置', patterns: [/机构设置(?:情况)?$/, /(?:决算|预算)单位构成$/, /^部门预算单位构成$/] },

  // the explanation, 决算 and 预算 alike
  // Chongqing: 三、财政拨款情况说明 (一般公共预算 and 政府性基金 财政拨款收支, 基本支出 and 项目支出 of the 一般公共预算)
  { key: 'appropriation', level: 2, label: '财政拨款收支总体情况', patterns: [/^财政拨款收入?支出?(?:决算|预算)?总体情况(?:说明)?$/, /^财政拨款收支(?:决算|预算)?(?:总体)?情况(?:说明)?$/, /^财政拨款(?:预算)?情况说明$/] },
  { key: 'gpb_basic', level: 2, label: '一般公共预算财政拨款基本支出', patterns: [/^一般公共预算(?:财政拨款)?基本支出(?:决算|预算)?情况(?:说明)?$/] },
  { key: 'gpb.overview', level: 3, label: '一般公共预算财政拨款支出总体情况', patterns: [/^一般公共预算财政拨款支出(?:决算|预算)?总体情况(?:说明)?$/] },
  { key: 'gpb.structure', level: 3, label: '一般公共预算财政拨款支出结构情况', patterns: [/^一般公共预算财政拨款支出(?:决算|预算)?结构情况(?:说明)?$/] },
  { key: 'gpb.detail', level: 3, label: '一般公共预算财政拨款支出具体情况', patterns: [/^一般公共预算财政拨款支出(?:决算|预算)?具体情况(?:说明)?$/] },
  { key: 'gpb', level: 2, label: '一般公共预算财政拨款支出', patterns: [/^一般公共预算(?:财政拨款|当年拨款)?支出(?:决算|预算)?情况(?:说明)?$/, /^一般公共预算(?:财政拨款)?支出(?:决算|预算)?(?:总体)?情况(?:说明)?$/] },
  { key: 'three_public.overview', level: 3, label: '“三公”经费总体情况', patterns: [/^三公经费(?:财政拨款)?支出(?:决算|预算)?总体情况(?:说明)?$/] },
  { key: 'three_public.detail', level: 3, label: '“三公”经费具体情况', patterns: [/^三公经费(?:财政拨款)?支出(?:决算|预算)?具体情况(?:说明)?$/] },
  { key: 'three_public', level: 2, label: '“三公”经费', patterns: [/三公经费.*情况(?:说明)?$/, /三公经费(?:财政拨款)?(?:支出)?(?:决算|预算)?说明$/] },
  { key: 'gov_fund', level: 2, label: '政府性基金预算', patterns: [/^政府性基金预算(?:财政拨款)?(?:收入)?支出(?:决算|预算)?情况(?:说明)?$/, /^(?:财政拨款)?政府性基金(?:预算)?(?:基本)?支出(?:预算|决算)?情况(?:说明)?$/] },
  { key: 'state_capital', level: 2, label: '国有资本经营预算', patterns: [/^国有资本经营预算(?:财政拨款)?(?:收入)?支出(?:决算|预算)?情况(?:说明)?$/] },
  { key: 'appropriation_basic', level: 2, label: '财政拨款基本支出', patterns: [/^财政拨款基本支出(?:决算|预算)?情况(?:说明)?$/] },
  { key: 'appropriation_expenditure', level: 2, label: '财政拨款支出', patterns: [/^财政拨款支出(?:决算|预算)?情况(?:说明)?$/] },
  { key: 'summary', level: 2, label: '收支总体情况', patterns: [/^收支(?:决算|预算)?总(?:体)?情况(?:说明)?$/, /^收入支出(?:决算|预算)?总体情况(?:说明)?$/, /^收支(?:决算|预算)?总体情况(?:说明)?$/, /^(?:部门|单位)?(?:预算)?编制说明$/, /^(?:部门|单位)?收支(?:决算|预算)?总(?:体)?情况(?:说明)?$/] },
  { key: 'income', level: 2, label: '收入情况', patterns: [/^(?:部门|单位)?收入(?:决算|预算)?(?:总体)?情况(?:说明)?$/] },
  { key: 'expenditure', level: 2, label: '支出情况', patterns: [/^(?:部门|单位)?支出(?:决算|预算)?(?:总体)?情况(?:说明)?$/] },
  { key: 'other', level: 2, label: '其他重要事项', patterns: [/^其他(?:重要事项|相关情况|需要说明)(?:的)?(?:情况)?说明$/, /^其他重要事项的情况说明$/] },
  { key: 'operating_costs', level: 3, label: '机关运行经费', patterns: [/机关运行经费(?:支出)?(?:决算|预算)?(?:情况)?(?:说明)?$/] },
  { key: 'procurement', level: 3, label: '政府采购', patterns: [/^政府采购(?:支出|预算)*(?:情况)?(?:说明)?$/] },
  { key: 'assets', level: 3, label: '国有资产占有使用情况', patterns: [/^国有资产(?:占有|占用)(?:使用)?(?:及新增资产配置)?情况(?:说明)?$/] },
  { key: 'performance', level: 3, label: '预算绩效', patterns: [/^(?:预算)?绩效(?:管理|目标设置|目标)?(?:工作)?(?:开展)?(?:情况)?说明$/, /^(?:预算)?绩效(?:管理|目标设置|目标)?(?:工作)?(?:开展)?情况$/, /^绩效目标设置情况$/] },
  { key: 'glossary', level: 2, label: '名词解释', patterns: [/^名[词称]解释$/] },
  { key: 'project_notes', level: 2, label: '项目经费情况说明', patterns: [/^项目经费情况说明$/] },
];

/** Strip numbering, years, quotes, spaces and trailing punctuation from a heading. */
export function normaliseTitle(title: string): string {
  return title
    .replace(/^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十\d]+[)）][、.．]?|\d{1,2}(?:[.．]\d{1,2})*(?:[、.．]|(?=[\p{Script=Han}]))|[①-⑳])\s*/u, '')
    .replace(/\d{4}\s*年度?/g, '')
    .replace(/\s+/g, '')
    .replace(/[“”"'‘’「」]/g, '')
    .replace(/[（(](?:部门|单位)[)）]/g, '')
    .replace(/^(?:上海市|江苏省|四川省|重庆市)?[\p{Script=Han}]{0,30}?(?=(?:部门|单位)?(?:主要职能|机构设置))/u, '')
    .replace(/[。.．:：;；，,\s]+$/, '')
    // Jiangsu titles its explanations after the tables: 收支预算总表情况说明
    .replace(/表(?=情况(?:说明)?$)/, '');
}

export function sectionKeyOf(title: string): SectionDef | undefined {
  const t = normaliseTitle(title);
  if (t.length === 0 || t.length > 40) return undefined;
  return SECTION_CATALOGUE.find((d) => d.patterns.some((p) => p.test(t)));
}
