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

/**
 * Patterns are tested on the canonical form of a title (`normaliseTableTitle`):
 * numbering, department and year, 部门/单位, the kind words 预算/决算, 财政拨款 after
 * a fund name, 情况/明细 and 本年 removed; 一般公共预算 → 一般公共; 收入支出 → 收支; a
 * qualifier (按经济分类) kept as a trailing `#经济`. So `预算05表 一般公共预算支出表`,
 * `五、一般公共预算拨款支出预算表`, `一般公共预算财政拨款支出决算表` and
 * `一般公共预算支出情况表（按功能分类科目）` are all `一般公共支出表`.
 */
export const TABLE_CATALOGUE: TableDef[] = [
  { key: 'performance_self_eval', label: '项目支出绩效自评表 / 项目绩效目标完成情况表', patterns: [/绩效(?:目标)?自评表$/, /绩效目标完成表$/] },
  { key: 'performance_target', label: '项目绩效目标表', patterns: [/绩效目标(?:表|申报表|填报表)$/] },
  { key: 'performance_score', label: '项目评分表', patterns: [/评分表$/] },
  { key: 'appropriation_summary', label: '财政拨款收入支出决算总表 / 财政拨款收支预算总表', patterns: [/^财政拨款收支总表$/] },
  { key: 'summary', label: '收入支出决算总表 / 收支预算总表 / 收支总表', patterns: [/^(?:财务)?收支总表$/] },
  { key: 'income', label: '收入决算表 / 收入预算总表 / 收入总表', patterns: [/^(?:财务)?收入(?:总)?表$/], layouts: [['total', 'appropriation', 'business', 'operating', 'other']] },
  { key: 'three_public', label: '“三公”经费支出表', patterns: [/三公经费/], layouts: [
    ['total', 'overseas', 'reception', 'vehicle', 'vehicle_purchase', 'vehicle_operation', 'operating_costs'],
    ['total', 'overseas', 'reception', 'vehicle', 'vehicle_purchase', 'vehicle_operation'],
    ['total', 'overseas', 'vehicle', 'vehicle_purchase', 'vehicle_operation', 'reception'],
  ] },
  { key: 'gov_fund', label: '政府性基金预算财政拨款支出表', patterns: [/^政府性基金/] },
  { key: 'state_capital', label: '国有资本经营预算财政拨款支出表', patterns: [/^国有资本经营/] },
  { key: 'operating_costs', label: '机关运行经费支出表', patterns: [/机关运行经费(?:支出)?表$/], headerHints: [/^(?:科目编码)?(?:科目名称)?机关运行经费支出$/] },
  { key: 'appropriation_basic', label: '财政拨款基本支出预算表', patterns: [/^财政拨款基本支出/] },
  { key: 'appropriation_expenditure', label: '财政拨款支出预算表（功能科目）', patterns: [/^财政拨款支出(?:功能分类)?表$/] },
  { key: 'expenditure', label: '支出决算表 / 支出预算总表 / 支出总表', patterns: [/^支出(?:总)?表$/], layouts: [['total', 'basic', 'project']] },
  { key: 'gpb_basic', label: '一般公共预算财政拨款基本支出决算表 / 一般公共预算基本支出表（经济分类）', patterns: [/^一般公共(?:当年)?基本支出/], layouts: [['total', 'personnel', 'public']] },
  { key: 'gpb_economic', label: '一般公共预算支出表（按经济分类）', patterns: [/^一般公共(?:当年)?支出表#经济$/, /^一般公共(?:当年)?支出(?:部门|政府)?经济分类表$/] },
  { key: 'gpb_project', label: '一般公共预算项目支出表', patterns: [/^一般公共(?:当年)?项目支出/] },
  { key: 'gpb_expenditure', label: '一般公共预算财政拨款支出决算表 / 一般公共预算支出表（功能分类）', patterns: [/^一般公共(?:当年)?支出(?:功能分类)?表$/], layouts: [['total', 'basic', 'project']] },
  { key: 'basic_expenditure', label: '基本支出总表 / 基本支出预算表', patterns: [/^基本支出(?:总)?表(?:#经济)?$/] },
  { key: 'project_expenditure', label: '项目支出总表 / 项目支出及其他支出预算表', patterns: [/^项目支出(?:及其他支出)?(?:总)?表$/] },
  { key: 'procurement', label: '政府采购预算表 / 政府采购支出表', patterns: [/^政府采购(?:支出)?表$/] },
  { key: 'purchase_services', label: '政府购买服务预算表', patterns: [/政府购买服务(?:支出)?表$/] },
];

/** The standard tables of a disclosure (the 绩效 forms are not counted among them). */
export const STANDARD_TABLE_KEYS: string[] = TABLE_CATALOGUE.map((d) => d.key).filter((k) => !k.startsWith('performance_'));
/** The tables every 预算/决算 template has in one form or another (a 项目支出表 alone is not a disclosure). */
export const CORE_TABLE_KEYS = ['summary', 'income', 'expenditure', 'appropriation_summary', 'gpb_expenditure', 'gpb_basic', 'three_public', 'gov_fund', 'state_capital'];

const CN_NUM = '一二三四五六七八九十';
/** Numbering before a title: 表1 / 表一 / 附表1-1 / 公开表七 / 预算01表 / 公开 01 表 / 预算表12 / （一） / 一、 / 5． */
const NUM = String.raw`(?:\d{1,2}|[${CN_NUM}]{1,3})`;
const NUMBERING = new RegExp(
  [
    String.raw`^(?:附件|附表|公开表|预算表|决算表|表)\s*${NUM}(?:\s*[-－—]\s*${NUM})?\s*[：:、.．]?`,
    String.raw`^[\p{Script=Han}]{0,4}?\s*\d{1,2}(?:[-－—]\d{1,2})?\s*表\s*[：:、.．]?`,
    String.raw`^[（(]${NUM}[)）]`,
    String.raw`^[${CN_NUM}]{1,3}[、.．]`,
    String.raw`^\d{1,2}[.．、](?!\d)`,
  ].join('|'),
  'u',
);

/** The canonical form of a table title (see TABLE_CATALOGUE). */
export function normaliseTableTitle(title: string): string {
  let t = title.trim().replace(/[“”"'‘’「」]/g, '');
  for (let i = 0; i < 4; i++) {
    const before = t;
    t = t.replace(NUMBERING, '').trim();
    if (t === before) break;
  }
  // `表一一般公共预算…` printed without a space: the numeral took the 一 of 一般
  t = t.replace(/\s+/g, '').replace(/^般公共/, '一般公共');
  const economic = /[（(][^）)]*经济(?:分类)?(?:科目)?[)）]/.test(t);
  t = t
    .replace(/^.*?20\d\d年度?/, '')
    .replace(/[（(][^）)]*(?:功能|经济)(?:分类)?(?:科目)?[)）]/g, '')
    .replace(/[（(]?续[表)）]?[)）]?$/, '')
    .replace(/^(?:区级|市级|省级|县级)/, '')
    .replace(/一般公共预算/g, '一般公共')
    .replace(/政府性基金预算/g, '政府性基金')
    .replace(/国有资本经营预算/g, '国有资本经营')
    .replace(/(一般公共|政府性基金|国有资本经营)(?:财政)?拨款/g, '$1')
    .replace(/预算|决算/g, '')
    .replace(/^(?:部门|单位)+/, '')
    .replace(/(?<=\p{Script=Han})部门(?=\p{Script=Han})/gu, '')
    .replace(/收入支出/g, '收支')
    .replace(/总体情况表$/, '总表')
    .replace(/(?:情况|明细)表$/, '表')
    .replace(/^本年/, '');
  return economic && !/经济分类/.test(t) ? `${t}#经济` : t;
}

export function tableKeyOf(title: string): TableDef | undefined {
  const t = normaliseTableTitle(title);
  if (t.length < 3 || t.length > 40 || !/表(?:#经济)?$/.test(t)) return undefined;
  return TABLE_CATALOGUE.find((d) => d.patterns.some((p) => p.test(t)));
}

/** Header words → column roles. Longest first, so 事业单位经营收入 is not read as 事业收入. */
export const COLUMN_ROLES: Array<[RegExp, string]> = [
  // Shenzhen's 支出总表: 政府采购项目 | 小计 · 其中：预留给中小企业的 · 其中：预留给小型、微型企业的
  [/小型[、和及]?微型企业|小微企业/, 'procurement_small_micro'],
  [/中小企业/, 'procurement_sme'],
  [/政府采购/, 'procurement'],
  [/年初结转和?结余/, 'opening'],
  [/年末结转和?结余/, 'closing'],
  [/事业单位经营收入/, 'operating'],
  [/上级补助收入/, 'superior_subsidy'],
  [/附属单位上缴收入/, 'affiliated'],
  [/财政拨款收入|财政拨款/, 'appropriation'],
  // the funds of an appropriation, as columns (收入总表: 一般公共预算 | 政府性基金预算 | 国有资本经营预算)
  [/^一般公共预算(?:财政)?(?:拨款|资金)?(?:收入)?$/, 'gpb'],
  [/^政府性基金(?:预算)?(?:财政)?(?:拨款|资金)?(?:收入)?$/, 'gov_fund'],
  [/^国有资本经营(?:预算)?(?:财政)?(?:拨款|资金)?(?:收入)?$/, 'state_capital'],
  [/^财政专户(?:管理)?(?:拨款|资金)?(?:收入)?$/, 'special_account'],
  [/事业收入/, 'business'],
  [/经营收入/, 'operating'],
  [/其他收入/, 'other'],
  [/基本支出/, 'basic'],
  [/项目支出/, 'project'],
  [/单位预留机动经费|预留机动经费/, 'reserve'],
  [/上缴上级支出/, 'to_superior'],
  [/经营支出/, 'operating_exp'],
  [/对附属单位补助支出/, 'to_affiliated'],
  [/人员经费|^人员类$/, 'personnel'],
  [/公用经费/, 'public'],
  [/因公出国[（(]境[)）]费?/, 'overseas'],
  [/公务接待费?/, 'reception'],
  [/购置费/, 'vehicle_purchase'],
  [/运行(?:维护)?费/, 'vehicle_operation'],
  [/机关运行经费/, 'operating_costs'],
  [/合计|总计|小计/, 'total'],
  [/^金额$|^(?:本年)?(?:预算|决算)数$/, 'total'],
];
