/**
 * Table titles → canonical table keys, and the column roles of their headers,
 * as data. Titles are matched after `normaliseTableTitle` (year, 部门/单位
 * prefix, numbering such as 公开表七 / 表1 / 5．, quotes and spaces removed).
 * Order matters: more specific titles first.
 */

export interface TableDef {
  key: string;
  label: string;
  patterns: RegExp[];
  /**
   * Column roles in printed order for documents whose header cannot be read
   * into roles (text exports drop the header structure). Several layouts may
   * be listed; the reader picks the one whose count matches and whose
   * identities hold.
   */
  layouts?: string[][];
  /** for a table printed without a title: its header row (cells joined) */
  headerHints?: RegExp[];
}

export const TABLE_CATALOGUE: TableDef[] = [
  { key: 'appropriation_summary', label: '财政拨款收入支出决算总表 / 财政拨款收支预算总表', patterns: [/财政拨款收入?支出?(?:决算|预算)?总表$/, /财政拨款收支总表$/] },
  { key: 'summary', label: '收入支出决算总表 / 财务收支预算总表 / 收支预算总表', patterns: [/^(?:部门|单位)?(?:财务)?收入?支出?(?:决算|预算)?总表$/, /^收支(?:决算|预算)总表$/] },
  { key: 'income', label: '收入决算表 / 收入预算总表', patterns: [/^(?:部门|单位)?(?:财务)?收入(?:决算|预算)(?:总)?表$/], layouts: [['total', 'appropriation', 'business', 'operating', 'other']] },
  { key: 'gov_fund', label: '政府性基金预算财政拨款支出表', patterns: [/^政府性基金预算/, /^政府性基金支出/, /^财政拨款政府性基金/, /^政府性基金(?:基本)?支出(?:预算|决算)?表$/] },
  { key: 'appropriation_basic', label: '财政拨款基本支出预算表', patterns: [/^财政拨款基本支出(?:决算|预算)?表/] },
  { key: 'appropriation_expenditure', label: '财政拨款支出预算表（功能科目）', patterns: [/^财政拨款支出(?:决算|预算)?表/] },
  { key: 'expenditure', label: '支出决算表 / 支出预算总表', patterns: [/^(?:部门|单位)?支出(?:决算|预算)(?:总)?表$/], layouts: [['total', 'basic', 'project']] },
  { key: 'gpb_basic', label: '一般公共预算财政拨款基本支出决算表 / 一般公共预算基本支出部门预算经济分类预算表', patterns: [/^一般公共预算(?:财政拨款)?基本支出/], layouts: [['total', 'personnel', 'public']] },
  { key: 'three_public', label: '“三公”经费支出表', patterns: [/三公经费/], layouts: [
    ['total', 'overseas', 'reception', 'vehicle', 'vehicle_purchase', 'vehicle_operation', 'operating_costs'],
    ['total', 'overseas', 'reception', 'vehicle', 'vehicle_purchase', 'vehicle_operation'],
    ['total', 'overseas', 'vehicle', 'vehicle_purchase', 'vehicle_operation', 'reception'],
  ] },
  { key: 'operating_costs', label: '机关运行经费支出表', patterns: [/机关运行经费(?:支出)?(?:决算|预算)?表$/], headerHints: [/^(?:科目编码)?(?:科目名称)?机关运行经费支出$/] },
  { key: 'state_capital', label: '国有资本经营预算财政拨款支出表', patterns: [/^国有资本经营预算/] },
  { key: 'gpb_expenditure', label: '一般公共预算财政拨款支出决算表 / 一般公共预算支出功能分类预算表', patterns: [/^一般公共预算(?:财政拨款)?(?:当年拨款)?支出/], layouts: [['total', 'basic', 'project']] },
  { key: 'procurement', label: '政府采购预算表', patterns: [/^政府采购(?:支出|预算)?(?:决算|预算)?(?:明细)?表$/] },
  { key: 'performance_self_eval', label: '项目支出绩效自评表 / 项目绩效目标完成情况表', patterns: [/绩效(?:目标)?自评表$/, /绩效目标完成情况表$/] },
  { key: 'performance_target', label: '项目绩效目标表', patterns: [/绩效目标(?:表|申报表|填报表)$/] },
  { key: 'performance_score', label: '项目评分表', patterns: [/评分表$/] },
];

/** The standard tables of a disclosure (the 绩效 forms are not counted among them). */
export const STANDARD_TABLE_KEYS: string[] = TABLE_CATALOGUE.map((d) => d.key).filter((k) => !k.startsWith('performance_'));

export function normaliseTableTitle(title: string): string {
  return title
    .replace(/^\s*(?:公开表|表)\s*[一二三四五六七八九十\d]+(?:\s+|[：:、.．]\s*)/, '')
    .replace(/\s+/g, '')
    .replace(/^(?:附表|附件)\d*[：:、.．]?/, '')
    .replace(/^(?:公开表|表)[一二三四五六七八九十\d]+[：:、.．]?/, '')
    .replace(/^\d{1,2}[.．、](?!\d)/, '')
    .replace(/^.*?20\d\d年度?/, '')
    .replace(/^(?:区级|市级|省级)?(?:预算)?(?:部门|单位)?/, '')
    .replace(/[“”"'‘’]/g, '')
    .replace(/[（(](?:功能科目|经济科目|按功能分类|按经济分类)[)）]/g, '')
    .replace(/[（(]?续[表)）]?[)）]?$/, '');
}

export function tableKeyOf(title: string): TableDef | undefined {
  const t = normaliseTableTitle(title);
  if (t.length < 3 || t.length > 40 || !/表$/.test(t)) return undefined;
  return TABLE_CATALOGUE.find((d) => d.patterns.some((p) => p.test(t)));
}

/** Header words → column roles. Longest first, so 事业单位经营收入 is not read as 事业收入. */
export const COLUMN_ROLES: Array<[RegExp, string]> = [
  [/年初结转和?结余/, 'opening'],
  [/年末结转和?结余/, 'closing'],
  [/事业单位经营收入/, 'operating'],
  [/上级补助收入/, 'superior_subsidy'],
  [/附属单位上缴收入/, 'affiliated'],
  [/财政拨款收入|财政拨款/, 'appropriation'],
  [/事业收入/, 'business'],
  [/经营收入/, 'operating'],
  [/其他收入/, 'other'],
  [/基本支出/, 'basic'],
  [/项目支出/, 'project'],
  [/上缴上级支出/, 'to_superior'],
  [/经营支出/, 'operating_exp'],
  [/对附属单位补助支出/, 'to_affiliated'],
  [/人员经费/, 'personnel'],
  [/公用经费/, 'public'],
  [/因公出国[（(]境[)）]费?/, 'overseas'],
  [/公务接待费?/, 'reception'],
  [/购置费/, 'vehicle_purchase'],
  [/运行(?:维护)?费/, 'vehicle_operation'],
  [/机关运行经费/, 'operating_costs'],
  [/合计|总计|小计/, 'total'],
  [/^金额$|^(?:本年)?(?:预算|决算)数$/, 'total'],
];
