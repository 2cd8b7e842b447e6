/**
 * Wording patterns for facts stated in prose, as data. Each rule names a fact
 * key, its unit, the sections it may be read from (section keys or their
 * prefixes; empty = anywhere) and regular expressions with named groups:
 *   v   the value as printed          u   its unit (万元/元/亿元), money only
 *   dir 增加/减少/增长/下降/持平 (signs a change)   p   a percent printed with the change
 *   s, su  the amount the sentence is about, for rules with `confirmedBy`
 * The first match in document order wins; later matches of the same value
 * become extra evidence, different values become findings.
 * Adding a wording variant = adding a pattern here and a case in its test.
 */

export const NUM = String.raw`-?\d[\d,，]*(?:\.\d+)?`;
const V = String.raw`(?<v>${NUM})`;
const U = String.raw`(?<u>万元|亿元|元)`;
const VU = V + U;
/** “三公” with or without its quotes */
const SG = String.raw`[“"‘]?三公[”"’]?`;
const IS = String.raw`(?:为|是|达|共计)?`;
const JS = String.raw`(?:决算|预算)?(?:数)?`;
/** filler words between a label and its amount: 支出 / 决算 / 预算 / 数 (never 年初预算: that is another key) */
const FILL = String.raw`(?:支出|决算|(?<!年初)预算|数|总额|金额)*`;
/** Beijing: （一）因公出国（境）费用。2026年预算数51.3万元: the item, then the year's figure */
const LEAD = String.raw`(?:[。.．]\s*\d{4}年度?)?`;
const PCT_AFTER = String.raw`(?:[，,、]\s*(?<pdir>增长|下降|降低|减少|增加|上升)(?<p>${NUM})\s*[%％])?`;
const CHANGE = String.raw`(?<dir>增加|减少|增长|下降|降低|上升)${VU}${PCT_AFTER}`;
/** an income or expenditure total stated as the subject of its sentence: 收入预算为6053.42万元 / 部门预算收入5,417.80万元 / 支出预算… */
/** the words of a stated total of `side` (收入, 支出 or either), not a part of it (拨款收入, 事业收入 …) */
const STATED_WORDS = (side: string, notAfter = '') =>
  String.raw`(?<!拨款|基金|其他|事业|经营|上缴|补助|服务${notAfter})(?:${side}预算(?:总额|总计)?|预算${side}(?:总额|总计)?|${side}(?:总额|总计))(?:为|是|共计)?`;
const STATED = String.raw`${STATED_WORDS('(?:收入|支出)')}(?<s>${NUM})(?<su>万元|亿元|元)`;
/** not in the clause about one fund's procurement (其中一般公共预算拨款政府采购504.98万元：政府采购货物预算…) */
const NOT_OF_FUND = String.raw`(?<!拨款政府采购[^。；;]*)`;
const VS_PRIOR = String.raw`(?:[，,]?\s*(?:比|较|与)(?:上年|上一年|\d{4}年度?)(?:年初)?(?:预算|决算)?(?:数)?(?:${NUM}(?:万元|元))?(?:相比)?[，,]?)`;

/** sections about the 财政拨款 (by fund), not the department's whole budget */
const APPROPRIATION_SECTIONS = ['appropriation', 'appropriation_basic', 'appropriation_expenditure', 'gpb', 'gpb_basic', 'gov_fund', 'state_capital'];

export type FactUnit = 'yuan' | 'percent' | 'count';

export interface ProseRule {
  key: string;
  unit: FactUnit;
  sections?: string[];
  kinds?: Array<'final' | 'budget'>;
  /** for change rules: also emit this percent key from group p */
  pctKey?: string;
  /**
   * Sections whose figures are of another scope: the rule is never read there, not even
   * where the outline has none of its own sections (the 财政拨款 sections state the
   * 基本支出 and 项目支出 of an appropriation, not of the department)
   */
  notIn?: string[];
  /**
   * The sentence names its subject only by an amount (group s): the value is
   * this rule's fact when that amount is the value of one of these keys.
   */
  confirmedBy?: string[];
  patterns: RegExp[];
}

const r = (s: string) => new RegExp(s, 'u');

export const PROSE_RULES: ProseRule[] = [
  // totals
  { key: 'totals.total', unit: 'yuan', sections: ['summary', 'part.explanation'], patterns: [
    r(String.raw`(?<!财政拨款)(?<!财政拨款收入)收[、，,]?\s*支(?:决算|预算)?总(?:计|预算)各?${IS}${VU}`),
    r(String.raw`(?<!财政拨款)收入[、，,]?\s*支出(?:决算|预算)?总计各?${IS}${VU}`),
  ] },
  { key: 'totals.change', unit: 'yuan', pctKey: 'totals.change_pct', sections: ['summary', 'part.explanation'], patterns: [
    r(String.raw`(?<!财政拨款)收[、，,]?\s*支(?:决算|预算)?总(?:计|预算)各?${CHANGE}`),
    r(String.raw`(?<!财政拨款)收入[、，,]?\s*支出(?:决算|预算)?总计各?${CHANGE}`),
  ] },
  // the change of 收支总计 stated of the budget's income or expenditure: the
  // amount it is stated of must be 收支总计 (a 决算's 本年收入 is not)
  { key: 'totals.change', unit: 'yuan', pctKey: 'totals.change_pct', confirmedBy: ['totals.total'], sections: ['summary', 'income', 'expenditure', 'part.explanation'], patterns: [
    r(String.raw`${STATED}${VS_PRIOR}${CHANGE}`),
    r(String.raw`(?<!支出)${STATED}(?:(?!支出)[^。])*。(?:(?!支出)[^。])*?收入(?:预算)?(?:总额|总计)?(?:比|较)(?:上年|去年|上一年|\d{4}年度?)(?:年初)?(?:预算|决算)?(?:数)?[，,]?${CHANGE}`),
  ] },
  // a budget narrative published without its tables (Beijing's 附件1): 收支总计 is the
  // income it states when the expenditure it states is the same amount (收入总计 = 支出总计)
  { key: 'x.stated.expenditure', unit: 'yuan', kinds: ['budget'], sections: ['summary', 'expenditure', 'part.explanation'], patterns: [
    r(String.raw`${STATED_WORDS('支出', '|基本|项目')}${VU}`),
  ] },
  { key: 'totals.total', unit: 'yuan', kinds: ['budget'], confirmedBy: ['x.stated.expenditure'], sections: ['summary', 'income', 'part.explanation'], patterns: [
    r(String.raw`${STATED_WORDS('收入')}(?<s>(?<v>${NUM}))(?<su>(?<u>万元|亿元|元))`),
  ] },
  // income
  { key: 'income.total', unit: 'yuan', sections: ['income', 'summary', 'part.explanation'], patterns: [
    r(String.raw`本年收入合计${IS}${VU}`),
    r(String.raw`(?:当年)?收入(?:预算)?合计${IS}${VU}`),
  ] },
  { key: 'income.gpb', unit: 'yuan', sections: ['income', 'summary', 'part.explanation'], patterns: [
    r(String.raw`一般公共预算财政拨款收入(?:预算)?${IS}${VU}`),
    r(String.raw`一般公共预算(?:拨款)?收入预算${IS}${VU}`),
    r(String.raw`一般公共预算拨款收入${IS}${VU}`),
  ] },
  { key: 'income.gov_fund', unit: 'yuan', sections: ['income', 'summary', 'part.explanation'], patterns: [
    r(String.raw`政府性基金预算财政拨款收入(?:预算)?${IS}${VU}`),
    r(String.raw`政府性基金(?:预算)?(?:拨款)?收入预算${IS}${VU}`),
    r(String.raw`政府性基金预算收入${IS}${VU}`),
    r(String.raw`政府性基金预算拨款收入${IS}${VU}`),
  ] },
  { key: 'income.state_capital', unit: 'yuan', sections: ['income', 'summary', 'part.explanation'], patterns: [
    r(String.raw`国有资本经营预算财政拨款收入(?:预算)?${IS}${VU}`),
    r(String.raw`国有资本经营预算拨款收入${IS}${VU}`),
  ] },
  { key: 'income.superior_subsidy', unit: 'yuan', sections: ['income', 'summary', 'part.explanation'], patterns: [r(String.raw`上级补助收入(?:预算)?${IS}${VU}`)] },
  { key: 'income.business', unit: 'yuan', sections: ['income', 'summary', 'part.explanation'], patterns: [r(String.raw`(?<!附属单位上缴|单位经营)事业收入(?:预算)?${IS}${VU}`)] },
  { key: 'income.operating', unit: 'yuan', sections: ['income', 'summary', 'part.explanation'], patterns: [r(String.raw`(?:事业单位)?经营(?:服务)?收入(?:预算)?${IS}${VU}`)] },
  { key: 'income.affiliated', unit: 'yuan', sections: ['income', 'summary', 'part.explanation'], patterns: [r(String.raw`附属单位上缴收入(?:预算)?${IS}${VU}`)] },
  { key: 'income.other', unit: 'yuan', sections: ['income', 'summary', 'part.explanation'], patterns: [r(String.raw`(?<!资金)其他收入(?:预算)?${IS}${VU}`)] },
  { key: 'carryover.opening', unit: 'yuan', sections: ['income', 'summary', 'part.explanation'], patterns: [
    r(String.raw`年初结转(?:和|及)?结余${IS}${VU}`),
    r(String.raw`上年结转(?:和|及)?(?:结余)?(?:资金)?(?:预算数)?${IS}${VU}`),
  ] },
  { key: 'carryover.closing', unit: 'yuan', sections: ['expenditure', 'summary', 'part.explanation'], patterns: [
    r(String.raw`年末结转(?:和|及)?结余${IS}${VU}`),
    r(String.raw`结转下年(?:资金)?(?:预算数)?${IS}${VU}`),
    r(String.raw`年终结转(?:和|及)?结余(?:资金)?${IS}${VU}`),
  ] },
  // expenditure
  { key: 'expenditure.total', unit: 'yuan', sections: ['expenditure', 'summary', 'part.explanation'], patterns: [
    r(String.raw`本年支出合计${IS}${VU}`),
    r(String.raw`(?:当年)?支出(?:预算)?合计${IS}${VU}`),
  ] },
  { key: 'expenditure.basic', unit: 'yuan', sections: ['expenditure'], notIn: APPROPRIATION_SECTIONS, patterns: [r(String.raw`(?<!财政拨款|公共预算|拨款)基本支出(?:决算|预算)?${IS}${VU}`)] },
  { key: 'expenditure.project', unit: 'yuan', sections: ['expenditure'], notIn: APPROPRIATION_SECTIONS, patterns: [r(String.raw`(?<!财政拨款|公共预算|拨款)项目支出(?:决算|预算)?${IS}${VU}`)] },
  // not canonical (x.*): Jiangsu's 单位预留机动经费, part of 本年支出 beside 基本/项目支出
  { key: 'x.expenditure.reserve', unit: 'yuan', sections: ['expenditure', 'summary'], patterns: [r(String.raw`单位预留机动经费(?:预算数)?${IS}${VU}`)] },
  { key: 'expenditure.to_superior', unit: 'yuan', sections: ['expenditure'], patterns: [r(String.raw`上缴上级支出${IS}${VU}`)] },
  { key: 'expenditure.operating', unit: 'yuan', sections: ['expenditure'], patterns: [r(String.raw`(?<!对附属单位补助)经营支出${IS}${VU}`)] },
  { key: 'expenditure.to_affiliated', unit: 'yuan', sections: ['expenditure'], patterns: [r(String.raw`对附属单位补助支出${IS}${VU}`)] },
  // appropriation (财政拨款)
  { key: 'appropriation.total', unit: 'yuan', sections: ['appropriation'], patterns: [
    r(String.raw`财政拨款收[、，,]?\s*支(?:决算|预算)?总(?:计|预算)各?${IS}${VU}`),
    r(String.raw`财政拨款收入支出(?:决算|预算)?总计各?${IS}${VU}`),
  ] },
  { key: 'appropriation.change', unit: 'yuan', pctKey: 'appropriation.change_pct', sections: ['appropriation', 'summary'], patterns: [
    r(String.raw`财政拨款收[、，,]?\s*支(?:决算|预算)?总(?:计|预算)各?${CHANGE}`),
    r(String.raw`财政拨款收入支出(?:决算|预算)?总计各?${CHANGE}`),
    r(String.raw`(?<!一般公共预算)财政拨款(?:收入|支出预算|支出)${IS}${NUM}(?:万元|元)${VS_PRIOR}${CHANGE}`),
  ] },
  // general public budget (一般公共预算财政拨款)
  { key: 'gpb.expenditure', unit: 'yuan', sections: ['gpb', 'summary'], patterns: [
    r(String.raw`一般公共预算财政拨款支出(?:决算|预算)?(?:数)?${IS}${VU}`),
    r(String.raw`一般公共预算(?:财政)?拨款支出预算${IS}${VU}`),
  ] },
  { key: 'gpb.change', unit: 'yuan', pctKey: 'gpb.change_pct', sections: ['gpb', 'summary'], patterns: [
    r(String.raw`一般公共预算财政拨款(?:支出)?(?:决算|预算)?${CHANGE}`),
    r(String.raw`一般公共预算财政拨款支出(?:决算|预算)?${IS}${NUM}(?:万元|元)[，,。]\s*(?:与\d{4}年度?相比|与上年相比|比上年)[，,]?\s*一般公共预算财政拨款(?:支出)?${CHANGE}`),
    r(String.raw`一般公共预算(?:财政)?拨款支出(?:决算|预算)?${IS}${NUM}(?:万元|元)${VS_PRIOR}${CHANGE}`),
    r(String.raw`一般公共预算财政拨款支出(?:预算)?${IS}${NUM}(?:万元|元)[，,]\s*与上年相比${CHANGE}`),
  ] },
  // inside the 一般公共预算 section the central template says 财政拨款支出 for it
  { key: 'gpb.change', unit: 'yuan', pctKey: 'gpb.change_pct', sections: ['gpb'], patterns: [
    r(String.raw`(?:与(?:上年|\d{4}年度?)相比[，,]\s*)(?<!预算)财政拨款支出(?:决算)?${CHANGE}`),
  ] },
  { key: 'gpb.budget', unit: 'yuan', sections: ['gpb'], kinds: ['final'], patterns: [r(String.raw`(?:一般公共预算|(?<!预算))财政拨款支出年初预算${IS}${VU}`)] },
  { key: 'gpb.completion_pct', unit: 'percent', sections: ['gpb'], kinds: ['final'], patterns: [
    r(String.raw`一般公共预算(?:财政拨款)?支出决算(?:数)?${IS}${NUM}(?:万元|元)?[，,]\s*完成(?:年初)?预算的?(?<v>${NUM})\s*[%％]`),
    r(String.raw`一般公共预算财政拨款支出(?:决算)?${IS}${NUM}(?:万元|元)[，,][^。；]{0,20}?完成(?:年初)?预算的?(?<v>${NUM})\s*[%％]`),
    r(String.raw`(?:一般公共预算|(?<!预算))财政拨款支出年初预算${IS}${NUM}(?:万元|元)[，,]\s*支出决算${IS}${NUM}(?:万元|元)[，,]\s*完成(?:年初)?预算的?(?<v>${NUM})\s*[%％]`),
  ] },
  { key: 'gpb.basic', unit: 'yuan', sections: ['gpb_basic', 'gpb', 'summary'], patterns: [r(String.raw`一般公共预算(?:财政拨款)?基本支出(?:决算|预算)?${IS}${VU}`)] },
  { key: 'gpb.basic.personnel', unit: 'yuan', sections: ['gpb_basic'], patterns: [r(String.raw`(?<!在职|离退休|退休|离休)人员经费(?:支出)?(?:决算|预算)?${IS}${VU}`)] },
  { key: 'gpb.basic.public', unit: 'yuan', sections: ['gpb_basic'], patterns: [r(String.raw`(?<!日常)公用经费(?:支出)?(?:决算|预算)?${IS}${VU}`)] },
  // 三公
  // a 预算 states its 三公 预算数; a 决算 its 决算数 (its 预算数 is three_public.budget)
  { key: 'three_public.total', unit: 'yuan', sections: ['three_public'], kinds: ['budget'], patterns: [r(String.raw`${SG}经费(?:财政拨款)?(?:支出)?${JS}${IS}${VU}`)] },
  { key: 'three_public.total', unit: 'yuan', sections: ['three_public'], kinds: ['final'], patterns: [
    r(String.raw`${SG}经费(?:财政拨款)?(?:支出)?(?:决算)?(?:数)?${IS}${VU}`),
    r(String.raw`${SG}经费(?:财政拨款)?支出(?:年初)?预算(?:数)?${IS}${NUM}(?:万元|元)[，,]\s*支出决算(?:数)?${IS}${VU}`),
  ] },
  { key: 'three_public.budget', unit: 'yuan', sections: ['three_public'], kinds: ['final'], patterns: [
    r(String.raw`${SG}经费(?:财政拨款)?(?:支出)?年初预算${IS}${VU}`),
    r(String.raw`${SG}经费(?:财政拨款)?支出预算(?:数)?${IS}${VU}(?=[，,]\s*支出决算)`),
  ] },
  { key: 'three_public.overseas', unit: 'yuan', sections: ['three_public'], patterns: [r(String.raw`因公出国[（(]境[)）](?:费用|经费|费)${LEAD}${FILL}${IS}${VU}`)] },
  { key: 'three_public.vehicle', unit: 'yuan', sections: ['three_public'], patterns: [r(String.raw`公务用车购置[及和]运行(?:维护)?费${LEAD}${FILL}${IS}${VU}`)] },
  { key: 'three_public.vehicle_purchase', unit: 'yuan', sections: ['three_public'], patterns: [r(String.raw`公务用车购置(?!及)(?:费)?${FILL}${IS}${VU}`)] },
  { key: 'three_public.vehicle_operation', unit: 'yuan', sections: ['three_public'], patterns: [r(String.raw`公务用车运行(?:维护|维修)?费${FILL}${IS}${VU}`)] },
  { key: 'three_public.reception', unit: 'yuan', sections: ['three_public'], patterns: [r(String.raw`公务接待费${LEAD}${FILL}${IS}[.．]?${VU}`)] },
  { key: 'three_public.overseas_groups', unit: 'count', sections: ['three_public'], patterns: [
    r(String.raw`因公出国[（(]境[)）](?:团组|团)数?(?:共|为)?(?<v>\d+)(?:个|次)`),
    r(String.raw`出国团组数?(?:共|为)?(?<v>\d+)个`),
  ] },
  { key: 'three_public.overseas_persons', unit: 'count', sections: ['three_public'], patterns: [r(String.raw`(?:团组数?\d+(?:个|次)[，,、；;]?\s*(?:全年)?(?:累计|共)?(?:因公)?(?:出国[（(]境[)）])?(?:累计|共)?|因公出国[（(]境[)）]人员?|出国[（(]境[)）](?:累计|共)?)(?<v>\d+)人次?`)] },
  { key: 'three_public.vehicles_purchased', unit: 'count', sections: ['three_public'], patterns: [
    r(String.raw`(?:更新)?购置公务用车(?<v>\d+)辆`),
    r(String.raw`新增(?<v>\d+)辆公务用车`),
    r(String.raw`公务用车购置数(?:量)?(?:为)?(?<v>\d+)辆`),
    r(String.raw`(?:更新)?购置(?<v>\d+)辆公务用车`),
  ] },
  { key: 'three_public.vehicles_owned', unit: 'count', sections: ['three_public'], patterns: [
    r(String.raw`(?:共有|保有)公务用车(?<v>\d+)辆`),
    r(String.raw`(?:公务用车|年末|实际)保有量(?:为)?(?<v>\d+)辆`),
  ] },
  { key: 'three_public.reception_batches', unit: 'count', sections: ['three_public'], patterns: [r(String.raw`(?:国内公务|公务|国内)接待(?:共|了)?(?<v>\d+)(?:批次?|次)`)] },
  { key: 'three_public.reception_persons', unit: 'count', sections: ['three_public'], patterns: [r(String.raw`(?:国内公务|公务|国内)接待(?:共|了)?\d+(?:批次?|次)[，,、]?\s*(?:共|累计)?(?:接待)?(?:人数)?(?:共|为)?(?<v>\d+)人次?`)] },
  // other funds
  { key: 'gov_fund.expenditure', unit: 'yuan', sections: ['gov_fund', 'summary'], patterns: [
    r(String.raw`政府性基金预算财政拨款支出(?:决算|预算)?${IS}${VU}`),
    r(String.raw`政府性基金(?:预算)?拨款支出预算${IS}${VU}`),
    r(String.raw`政府性基金预算支出${IS}${VU}`),
  ] },
  { key: 'state_capital.expenditure', unit: 'yuan', sections: ['state_capital', 'summary'], patterns: [
    r(String.raw`国有资本经营预算财政拨款支出(?:决算|预算)?${IS}${VU}`),
    r(String.raw`国有资本经营预算(?:拨款)?支出预算${IS}${VU}`),
  ] },
  { key: 'operating_costs.total', unit: 'yuan', sections: ['operating_costs', 'other'], patterns: [r(String.raw`机关运行经费(?:财政拨款)?${FILL}${IS}${VU}`), r(String.raw`一般公共预算财政拨款运行经费${FILL}${IS}${VU}`)] },
  // procurement (the parts of one fund's procurement are not the parts of the whole: Chongqing
  // states 政府采购预算总额…：政府采购货物预算…；其中一般公共预算拨款政府采购…：政府采购货物预算…)
  { key: 'procurement.total', unit: 'yuan', sections: ['procurement', 'other'], patterns: [
    r(String.raw`政府采购(?:支出)?(?:总额|预算|金额|总计)(?:总额)?(?:[（(][^（()）]{1,12}[)）])?${IS}${VU}`),
  ] },
  { key: 'procurement.goods', unit: 'yuan', sections: ['procurement', 'other'], patterns: [r(String.raw`${NOT_OF_FUND}政府采购货物(?:支出|预算)?${IS}${VU}`), r(String.raw`${NOT_OF_FUND}(?:(?:拟)?(?:采购|购买)货物|货物采购)(?:支出|预算|金额)${IS}${VU}`), r(String.raw`${NOT_OF_FUND}货物类(?:项目|采购)?(?:支出|预算|金额)?${IS}${VU}`)] },
  { key: 'procurement.works', unit: 'yuan', sections: ['procurement', 'other'], patterns: [r(String.raw`${NOT_OF_FUND}政府采购工程(?:支出|预算)?${IS}${VU}`), r(String.raw`${NOT_OF_FUND}(?:(?:拟)?(?:采购|购买)工程|工程采购)(?:支出|预算|金额)${IS}${VU}`), r(String.raw`${NOT_OF_FUND}工程类(?:项目|采购)?(?:支出|预算|金额)?${IS}${VU}`)] },
  { key: 'procurement.services', unit: 'yuan', sections: ['procurement', 'other'], patterns: [r(String.raw`${NOT_OF_FUND}政府采购服务(?:支出|预算)?${IS}${VU}`), r(String.raw`${NOT_OF_FUND}(?:(?:拟)?(?:采购|购买)服务|服务采购)(?:支出|预算|金额)${IS}${VU}`), r(String.raw`${NOT_OF_FUND}服务类(?:项目|采购)?(?:支出|预算|金额)?${IS}${VU}`)] },
  { key: 'procurement.sme', unit: 'yuan', sections: ['procurement', 'other'], patterns: [
    r(String.raw`授予中小企业合同(?:金额)?${IS}${VU}`),
    r(String.raw`面向中小企业预留政府采购项目预算(?:金额)?${IS}${VU}`),
  ] },
  { key: 'procurement.small_micro', unit: 'yuan', sections: ['procurement', 'other'], patterns: [
    r(String.raw`授予小微企业合同(?:金额)?${IS}${VU}`),
    r(String.raw`预留给小型和微型企业的政府采购项目预算(?:金额)?${IS}${VU}`),
    r(String.raw`面向小微企业预留政府采购项目预算(?:金额)?${IS}${VU}`),
  ] },
  // assets
  { key: 'assets.vehicles', unit: 'count', sections: ['assets', 'other'], patterns: [r(String.raw`共有(?:车辆|公务用车)(?<v>\d+)辆`)] },
  { key: 'assets.equipment_1m', unit: 'count', sections: ['assets', 'other'], patterns: [
    // holdings, not what the budget buys (安排购置单位价值100万元以上的设备0台)
    r(String.raw`(?<!购置|新增|配置|购买)(?:单价|单位价值)100万元(?:[（(]含[)）])?以上(?:的)?设备(?:[（(]不含车辆[)）])?(?<v>\d+)台`),
    // 专用设备 counted from 100万元 and 通用设备 from 50万元: only with no 通用设备 over 50万元
    // is the 专用 count every piece of 100万元 and more
    r(String.raw`单价50万元(?:[（(]含[)）])?以上(?:的)?通用设备0台(?:[（(]套[)）])?[，,、；;]\s*(?:单价)?100万元(?:[（(]含[)）])?以上(?:的)?专用设备(?<v>\d+)台`),
  ] },
  // performance
  { key: 'performance.projects', unit: 'count', sections: ['performance', 'other'], patterns: [
    r(String.raw`编报绩效目标的项目(?:共)?(?<v>\d+)个`),
    r(String.raw`对(?<v>\d+)个项目开展了?(?:绩效目标完成情况|绩效)?(?:自评|评价)`),
    r(String.raw`绩效自评的(?:\d{4}年度?)?项目(?<v>\d+)个`),
    r(String.raw`共(?<v>\d+)个项目实行绩效目标管理`),
    r(String.raw`对(?<v>\d+)个[^，,。；]{0,12}?项目(?:支出)?开展了?(?:绩效)?(?:自评|评价)`),
    r(String.raw`编报(?<v>\d+)个项目(?:的)?绩效目标`),
  ] },
  { key: 'performance.amount', unit: 'yuan', sections: ['performance', 'other'], patterns: [
    r(String.raw`涉及(?:项目)?(?:预算)?资金${IS}${VU}`),
    r(String.raw`纳入[^，,。；]{0,24}?绩效目标(?:管理)?的(?:金额|资金)${IS}(?<v>${NUM})(?<u>万元|亿元|元|万)(?![\p{Script=Han}])`),
    r(String.raw`实行了?绩效目标管理[，,]\s*涉及[^，,。；]{0,16}?(?:资金|财政拨款)(?:合计)?${IS}${VU}`),
  ] },
];
