/**
 * One table of real corpus wording per extractor family: each case is a
 * sentence as a document prints it, the section it stands in, and what the
 * extractor must read from it (or that it must read nothing).
 */
import { describe, expect, it } from 'vitest';
import type { Block } from '../src/model.js';
import { proseCandidates } from '../parsers/prose/facts.js';
import { narrativeLineItems } from '../parsers/prose/line-items.js';
import { extractMeta } from '../parsers/meta.js';
import { sectionKeyOf } from '../parsers/catalogue/sections.js';
import { tableKeyOf } from '../parsers/catalogue/tables.js';
import { fenToYuan } from '../src/money.js';
import type { SectionedBlock } from '../parsers/types.js';

function para(text: string, section?: string, index = 0): SectionedBlock {
  const block: Block = { kind: 'paragraph', text, evidence: { file: 'snippet.txt', page: 1, offset: 0, quote: text } };
  return { block, index, ...(section ? { section } : {}) };
}

function read(text: string, section: string | undefined, kind: 'final' | 'budget' = 'final') {
  const out = new Map<string, number>();
  for (const c of proseCandidates([para(text, section), para('占位', 'glossary', 1)], { kind })) {
    if (!out.has(c.key)) out.set(c.key, c.unit === 'yuan' ? fenToYuan(c.fen!) : c.number!);
  }
  return out;
}

// [section, text, expected facts] — every sentence is copied from a corpus document
const CASES: Array<[string, string, Record<string, number>, ('final' | 'budget')?]> = [
  // sichuan-zwfw-2020-js (决算, Sichuan)
  ['summary', '2020年度收、支总计8197.23万元。与2019年相比，收、支总计各增加788.78万元，增长10.64%。', { 'totals.total': 81972300, 'totals.change': 7887800, 'totals.change_pct': 10.64 }],
  ['income', '2020年本年收入合计7865.6万元，其中：一般公共预算财政拨款收入7734.75万元，占98.34%；政府性基金预算财政拨款收入0万元，占0%；上级补助收入4.09万元，占0.05%；事业收入116.03万元，占1.48%；经营收入0万元，占0%；附属单位上缴收入0万元，占0%；其他收入10.73万元，占0.14%。',
    { 'income.total': 78656000, 'income.gpb': 77347500, 'income.gov_fund': 0, 'income.superior_subsidy': 40900, 'income.business': 1160300, 'income.operating': 0, 'income.affiliated': 0, 'income.other': 107300 }],
  ['expenditure', '2020年本年支出合计7984.83万元，其中：基本支出3192.77万元，占40%；项目支出4792.07万元，占60%；上缴上级支出0万元，占0%；经营支出0万元，占0%；对附属单位补助支出0万元，占0%。',
    { 'expenditure.total': 79848300, 'expenditure.basic': 31927700, 'expenditure.project': 47920700, 'expenditure.to_superior': 0, 'expenditure.operating': 0, 'expenditure.to_affiliated': 0 }],
  ['appropriation', '2020年财政拨款收、支总计7734.75万元。与2019年相比，财政拨款收、支总计各增加365.89万元，增长4.97%。', { 'appropriation.total': 77347500, 'appropriation.change': 3658900, 'appropriation.change_pct': 4.97 }],
  ['gpb.overview', '2020年一般公共预算财政拨款支出7734.75万元，占本年支出合计的96.87%。与2019年相比，一般公共预算财政拨款增加365.89万元，增长4.97%。', { 'gpb.expenditure': 77347500, 'gpb.change': 3658900, 'gpb.change_pct': 4.97 }],
  ['gpb.detail', '2020年一般公共预算支出决算数为7734.75，完成预算100%。其中：', { 'gpb.completion_pct': 100 }],
  ['gpb_basic', '2020年一般公共预算财政拨款基本支出3087.82万元，其中：人员经费2316.17万元，主要包括：基本工资；公用经费771.65万元，主要包括：办公费',
    { 'gpb.basic': 30878200, 'gpb.basic.personnel': 23161700, 'gpb.basic.public': 7716500 }],
  ['three_public.overview', '2020年“三公”经费财政拨款支出决算为43.16万元，完成预算100%。', { 'three_public.total': 431600 }],
  ['three_public.detail', '2020年“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0万元，占0%；公务用车购置及运行维护费支出决算42.85万元，占99.28%；公务接待费支出决算0.31万元，占0.72%。',
    { 'three_public.overseas': 0, 'three_public.vehicle': 428500, 'three_public.reception': 3100 }],
  ['three_public.detail', '1.因公出国（境）经费支出0万元，完成预算%。全年安排因公出国（境）团组0次，出国（境）0人。', { 'three_public.overseas_groups': 0, 'three_public.overseas_persons': 0 }],
  ['three_public.detail', '其中：公务用车购置支出0万元。全年按规定更新购置公务用车0辆，其中：轿车0辆、金额0元，越野车0辆、金额0万元，载客汽车0辆、金额0万元0。截至2020年12月底，单位共有公务用车7辆，其中：轿车6辆、越野车.辆、载客汽车1辆。',
    { 'three_public.vehicle_purchase': 0, 'three_public.vehicles_purchased': 0, 'three_public.vehicles_owned': 7 }],
  ['three_public.detail', '公务用车运行维护费支出42.85万元。主要用于全省公共服务平台建设指导', { 'three_public.vehicle_operation': 428500 }],
  ['three_public.detail', '国内公务接待支出0.31万元，主要用于开展业务活动开支的用餐。国内公务接待2批次，15人次（不包括陪同人员），共计支出0.31万元', { 'three_public.reception_batches': 2, 'three_public.reception_persons': 15 }],
  ['gov_fund', '2020年政府性基金预算财政拨款支出0万元。', { 'gov_fund.expenditure': 0 }],
  ['state_capital', '2020年国有资本经营预算财政拨款支出0万元。', { 'state_capital.expenditure': 0 }],
  ['operating_costs', '机关运行经费支出0万元。主要原因是我单位是事业单位，无机关运行经费支出。', { 'operating_costs.total': 0 }],
  ['procurement', '2020年，政府采购支出总额2747.06万元，其中：政府采购货物支出428.67万元、政府采购工程支出0万元、政府采购服务支出2318.39万元。授予中小企业合同金额291.41万元，占政府采购支出总额的10.61%，其中：授予小微企业合同金额103.95万元，占政府采购支出总额的3.78%。',
    { 'procurement.total': 27470600, 'procurement.goods': 4286700, 'procurement.works': 0, 'procurement.services': 23183900, 'procurement.sme': 2914100, 'procurement.small_micro': 1039500 }],
  ['assets', '截至2020年12月31日，共有车辆7辆，其中：主要领导干部用车1辆。单价50万元以上通用设备0台（套），单价100万元以上专用设备0台（套）', { 'assets.vehicles': 7 }],
  ['performance', '年终执行完毕后，对4个项目开展了绩效目标完成情况自评。', { 'performance.projects': 4 }],
  // putuo-czj-2024-js (决算, Shanghai)
  ['summary', '上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入支出总计减少56.95万元，下降1.87%。', { 'totals.total': 29953900, 'totals.change': -569500, 'totals.change_pct': -1.87 }],
  ['gpb.overview', '一般公共预算财政拨款支出2940.05万元，占本年支出合计的100.00%。与2023年度相比，一般公共预算财政拨款支出减少63.14万元，下降2.10%。', { 'gpb.expenditure': 29400500, 'gpb.change': -631400, 'gpb.change_pct': -2.1 }],
  ['gpb.detail', '一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。', { 'gpb.budget': 29939200, 'gpb.completion_pct': 98.2 }],
  ['three_public', '“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%，其中：因公出国（境）费决算为0.00万元，完成预算的0%；公务用车购置及运行维护费支出决算为0.00万元，完成预算的0%；公务接待费支出决算为0.00万元，完成预算的0%。',
    { 'three_public.budget': 9500, 'three_public.total': 0, 'three_public.overseas': 0, 'three_public.vehicle': 0, 'three_public.reception': 0 }],
  ['other', '机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。', { 'operating_costs.total': 1846500 }],
  ['procurement', '上海市普陀区财政局2024年度政府采购金额（以合同签订为准）为251.25万元，其中：货物采购金额4.79万元、工程采购金额0万元、服务采购金额246.47万元。2024年度本部门面向中小企业预留政府采购项目预算金额246.47万元，面向小微企业预留政府采购项目预算金额0万元。',
    { 'procurement.total': 2512500, 'procurement.goods': 47900, 'procurement.works': 0, 'procurement.services': 2464700, 'procurement.sme': 2464700, 'procurement.small_micro': 0 }],
  ['assets', '截至2024年12月31日，本部门共有车辆0辆，其中：其他用车0辆。单价100万元（含）以上设备（不含车辆）2台（套）。', { 'assets.vehicles': 0, 'assets.equipment_1m': 2 }],
  // putuo-wanli-2025-bmys (预算, Shanghai)
  ['summary', '支出预算18,976.76万元，其中：财政拨款支出预算18,976.76万元，比2024年预算增加3,355.65万元。财政拨款支出预算中，一般公共预算拨款支出预算18,976.76万元，比2024年预算增加3,355.65万元；政府性基金拨款支出预算0.00万元，比2024年预算持平；国有资本经营预算拨款支出预算0.00万元，比2024年预算持平。',
    { 'appropriation.change': 33556500, 'gpb.expenditure': 189767600, 'gpb.change': 33556500, 'gov_fund.expenditure': 0, 'state_capital.expenditure': 0 }, 'budget'],
  ['three_public', '2025年“三公”经费预算数为37.91万元，比2024年预算减少10万元。', { 'three_public.total': 379100 }, 'budget'],
  ['three_public', '（二）公务用车购置及运行费36.56万元，比2024年预算减少10万元，主要原因是2025年新增1辆公务用车购置，但与2024年购置的车辆类型不同。其中：公务用车购置费15万元，比2024年预算减少10万元',
    { 'three_public.vehicle': 365600, 'three_public.vehicles_purchased': 1, 'three_public.vehicle_purchase': 150000 }, 'budget'],
  ['operating_costs', '2025年上海市普陀区人民政府万里街道办事处（部门）下属1家机关和1家参公事业单位财政拨款的机关运行经费预算为464.64万元', { 'operating_costs.total': 4646400 }, 'budget'],
  ['procurement', '2025年本部门政府采购预算4821.20万元，其中：政府采购货物预算57.43万元、政府采购工程预算3780.72万元、政府采购服务预算983.05万元。2025年本部门面向中小企业预留政府采购项目预算金额1928.48万元，其中，预留给小型和微型企业的政府采购项目预算为1349.94万元。',
    { 'procurement.total': 48212000, 'procurement.goods': 574300, 'procurement.works': 37807200, 'procurement.services': 9830500, 'procurement.sme': 19284800, 'procurement.small_micro': 13499400 }, 'budget'],
  ['performance', '本部门3个预算单位开展了2025年项目预算绩效目标编报工作，编报绩效目标的项目49个，涉及项目预算资金8825.98万元。', { 'performance.projects': 49, 'performance.amount': 88259800 }, 'budget'],
  // js-rdbgt-2019-bmys (预算, Jiangsu)
  ['summary', '江苏省人大常委会办公厅2019年度收入、支出预算总计18330.37万元，与上年相比收、支预算总计各增加2432.93万元，增长15.3%。', { 'totals.total': 183303700, 'totals.change': 24329300, 'totals.change_pct': 15.3 }, 'budget'],
  ['summary', '（2）政府性基金收入预算0万元，与上年相比增加（减少）0万元，增长（减少）0%。', { 'income.gov_fund': 0 }, 'budget'],
  ['summary', '4．上年结转资金预算数为0万元。', { 'carryover.opening': 0 }, 'budget'],
  ['gpb', '江苏省人大常委会办公厅2019年一般公共预算财政拨款支出预算18330.37万元，与上年相比增加2432.93万元，增长15.3%。', { 'gpb.expenditure': 183303700, 'gpb.change': 24329300, 'gpb.change_pct': 15.3 }, 'budget'],
  ['three_public', '（1）公务用车购置预算支出0万元，比上年预算增加（减少）0万元。', { 'three_public.vehicle_purchase': 0 }, 'budget'],
  ['operating_costs', '2019年本部门一般公共预算机关运行经费预算支出1642.08万元，与上年相比增加62.7万元', { 'operating_costs.total': 16420800 }, 'budget'],
  ['procurement', '2019年度本部门政府采购支出预算总额2416.43万元，其中：拟采购货物支出233.1万元、拟购买服务支出2183.33万元。', { 'procurement.total': 24164300, 'procurement.goods': 2331000, 'procurement.services': 21833300 }, 'budget'],
  ['assets', '本部门共有车辆54辆，其中，一般公务用车54辆。单价20万元（含）以上的设备69台（套）。', { 'assets.vehicles': 54 }, 'budget'],
  // the national 决算 template's wording (财政部 部门决算 公开模板)
  ['three_public', '2023年度“三公”经费财政拨款支出预算为12.50万元，支出决算为10.20万元，完成预算的81.60%。', { 'three_public.budget': 125000, 'three_public.total': 102000 }],
  ['three_public', '全年安排因公出国（境）团组2个，累计6人次。', { 'three_public.overseas_groups': 2, 'three_public.overseas_persons': 6 }],
  ['three_public', '国内公务接待15批次120人次（不包括陪同人员）。', { 'three_public.reception_batches': 15, 'three_public.reception_persons': 120 }],
  // cq-jtw-2018-bmys (预算, Chongqing, HTML)
  ['summary', '2018年政府性基金预算收入38610万元，政府性基金预算支出38610万元，比2017年增加18610万元', { 'income.gov_fund': 386100000, 'gov_fund.expenditure': 386100000 }, 'budget'],
  ['three_public', '2018年“三公”经费预算2800.68万元,比2017年减少295.18万元。其中:因公出国(境)费用60万元,比2017年减少25.36万元', { 'three_public.total': 28006800, 'three_public.overseas': 600000 }, 'budget'],
  ['performance', '3.绩效目标设置情况。2018年项目支出均实行了绩效目标管理，涉及一般公共预算当年财政拨款263928.15万元。', { 'performance.amount': 2639281500 }, 'budget'],
  ['operating_costs', '1.机关运行经费情况。2018年一般公共预算财政拨款运行经费16252.11万元，比上年增加654.94万元', { 'operating_costs.total': 162521100 }, 'budget'],
  // the central 决算 template (国家信访局 2024): 财政拨款支出 inside the 一般公共预算 part
  ['gpb.overview', '国家信访局2024年度财政拨款支出13733.8万元，占总支出94.24%。与2023年度相比，财政拨款支出减少287.41万元，降低2.05%。', { 'gpb.change': -2874100, 'gpb.change_pct': -2.05 }],
  ['gpb.detail', '国家信访局2024年度财政拨款支出年初预算为15068.55万元，支出决算为13733.8万元，完成年初预算的91.14%。其中：', { 'gpb.budget': 150685500, 'gpb.completion_pct': 91.14 }],
  ['three_public', '按照批准的因公出国（境）计划，2024年度共执行因公出国（境）团组数1个；全年因公出国（境）累计1人次；', { 'three_public.overseas_groups': 1, 'three_public.overseas_persons': 1 }],
  ['three_public', '2024年度，国家信访局没有购置车辆，年末实际保有量为15辆，全年公务用车运行维护费支出40.61万元', { 'three_public.vehicles_owned': 15 }],
  ['three_public', '国家信访局使用一般公共预算财政拨款支出的公务接待10批次、152人次，全部为国内公务接待', { 'three_public.reception_batches': 10, 'three_public.reception_persons': 152 }],
  ['performance', '其中，一级项目7个、二级项目16个，共涉及资金5105.75万元，占一般公共预算项目支出总额的100%。', { 'performance.amount': 51057500 }],
  // Foshan 决算 (2019)
  ['three_public', '机关及下属0个单位出国团组0个、累计0人次；公务用车购置支出为0万元，2019年公务用车购置数0辆；发生国内接待1次，接待人数共13人', { 'three_public.overseas_groups': 0, 'three_public.overseas_persons': 0, 'three_public.vehicles_purchased': 0, 'three_public.reception_batches': 1, 'three_public.reception_persons': 13 }],
  ['performance', '2019年度我部门组织对7个一般公共预算项目支出开展绩效自评，其中一级项目6个，二级项目1个，共涉及资金940.15万元', { 'performance.projects': 7, 'performance.amount': 9401500 }],
  // Shenzhen and Changsha 预算 (2026)
  ['operating_costs', '2026年本单位机关运行经费财政拨款预算742.77万元，较2025年年初预算减少0.52万元，下降0.07%。', { 'operating_costs.total': 7427700 }, 'budget'],
  ['procurement', '2026年本单位政府采购预算总额43.9万元，其中，货物类采购预算25.4万元；工程类采购预算0万元；服务类采购预算18.5万元。', { 'procurement.total': 439000, 'procurement.goods': 254000, 'procurement.works': 0, 'procurement.services': 185000 }, 'budget'],
  ['procurement', '其中：货物类项目8.00万元、工程类项目0.00万元、服务类项目86.28万元', { 'procurement.goods': 80000, 'procurement.works': 0, 'procurement.services': 862800 }, 'budget'],
  ['performance', '涉及预算资金1,313.80万元，设置并编报4个项目绩效目标', { 'performance.amount': 13138000, 'performance.projects': 4 }, 'budget'],
  ['performance', '本单位所有支出实行绩效目标管理。纳入2026年部门整体支出绩效目标的金额为1935.36万元，其中，基本支出1517.95万元', { 'performance.amount': 19353600 }, 'budget'],
  ['assets', '截至2025年12月底，本单位共有公务用车2辆，其中，机要通信用车1辆', { 'assets.vehicles': 2 }, 'budget'],
  ['income', '事业单位经营服务收入0.00万元，上级补助收入0.00万元', { 'income.operating': 0 }, 'budget'],
  // Beijing 情况说明 (附件1, published apart from its tables)
  ['income', '1.一般公共预算拨款收入1368602.75万元。2.政府性基金预算拨款收入10365.00万元。3.国有资本经营预算拨款收入0.00万元。10.上年结转结余64363.73万元。', { 'income.gpb': 13686027500, 'income.gov_fund': 103650000, 'income.state_capital': 0, 'carryover.opening': 643637300 }, 'budget'],
  ['three_public', '（一）因公出国（境）费用。2026年预算数166.98万元，主要用于参加国际交通会议。（二）公务接待费。2026年预算数3.55万元。（三）公务用车购置和运行维护费。2026年预算数1157.69万元，包括公务用车购置费预算666.41万元、公务用车运行维护费预算491.28万元。',
    { 'three_public.overseas': 1669800, 'three_public.reception': 35500, 'three_public.vehicle': 11576900, 'three_public.vehicle_purchase': 6664100, 'three_public.vehicle_operation': 4912800 }, 'budget'],
  ['expenditure', '（三）年终结转结余资金0.00万元。', { 'carryover.closing': 0 }, 'budget'],
];

// sentences that must not give a key (a part of it is not the whole)
const NOT: Array<[string, string, string]> = [
  // Shenzhen: 在职人员经费 is one part of 人员经费, beside 对个人和家庭的补助 and 增人增资
  ['gpb_basic', '深圳市统计局（本级）预算5,417.80万元，包括在职人员经费2,830.73万元、公用经费502.22万元、对个人和家庭的补助支出571.04万元', 'gpb.basic.personnel'],
  // Beijing: what the budget buys is not what the department holds
  ['assets', '2026年部门预算安排购置车辆0辆；安排购置单位价值100万元以上的设备0台。', 'assets.equipment_1m'],
];

describe('prose fact patterns read real corpus wording', () => {
  for (const [section, text, expected, kind] of CASES) {
    it(`${section}: ${text.slice(0, 40)}…`, () => {
      const got = read(text, section, kind ?? 'final');
      for (const [k, v] of Object.entries(expected)) expect([k, got.get(k)]).toEqual([k, v]);
    });
  }

  it('does not read a key outside its sections when the document has those sections', () => {
    // 基本支出 in the 一般公共预算 part is not the all-funds expenditure.basic
    const blocks = [para('2020年本年支出合计7984.83万元，其中：基本支出3192.77万元', 'expenditure', 0), para('一般公共预算财政拨款基本支出3087.82万元', 'gpb_basic', 1)];
    const c = proseCandidates(blocks, { kind: 'final' }).filter((x) => x.key === 'expenditure.basic');
    expect(c.map((x) => fenToYuan(x.fen!))).toEqual([31927700]);
  });

  it('a change stated of the income is totals.change only when that income is 收支总计', () => {
    const text = '2026年,福州市公安局文职人员管理中心收入预算为6053.42万元，比上年增加172.97万元，增长2.94%，主要原因是队伍流动性较大。';
    const c = proseCandidates([para(text, 'summary')], { kind: 'budget' }).filter((x) => x.key.startsWith('totals.change'));
    expect(c.map((x) => [x.key, x.unit === 'yuan' ? fenToYuan(x.fen!) : x.number, x.confirm && fenToYuan(x.confirm.fen)])).toEqual([
      ['totals.change', 1729700, 60534200],
      ['totals.change_pct', 2.94, 60534200],
    ]);
    expect(c.every((x) => x.confirm?.keys.includes('totals.total'))).toBe(true);
    // Changsha states the change in a later sentence of the same paragraph
    const cs = proseCandidates([para('（一）收入预算：2026年本单位收入预算1935.36万元，其中：一般公共预算拨款收入1935.36万元，上年结转0.00万元。收入较去年增加54.13万元，上升2.88%。', 'summary')], { kind: 'budget' });
    expect(cs.filter((x) => x.key === 'totals.change').map((x) => [fenToYuan(x.fen!), fenToYuan(x.confirm!.fen)])).toEqual([[541300, 19353600]]);
  });

  for (const [section, text, key] of NOT) {
    it(`no ${key} in: ${text.slice(0, 30)}…`, () => expect(read(text, section, 'budget').has(key)).toBe(false));
  }

  it('a budget narrative without its tables: 收支总计 is the income it states when it states the same expenditure', () => {
    const blocks = [
      para('2026年度收入预算1448787.35万元，比2025年年初预算数1506121.45万元减少57334.09万元，下降3.81%。', 'income', 0),
      para('2026年支出预算1448787.35万元，比2025年年初预算数1506121.45万元减少57334.09万元，下降3.81%。', 'expenditure', 1),
    ];
    const c = proseCandidates(blocks, { kind: 'budget' });
    const total = c.find((x) => x.key === 'totals.total')!;
    expect([fenToYuan(total.fen!), total.confirm?.keys, fenToYuan(total.confirm!.fen)]).toEqual([14487873500, ['x.stated.expenditure'], 14487873500]);
    expect(c.find((x) => x.key === 'x.stated.expenditure')?.fen).toBe(total.fen);
    expect(c.find((x) => x.key === 'totals.change')).toMatchObject({ fen: -57334090000n });
    // a 决算 states 本年收入 and 本年支出: no 收支总计 from them
    expect(proseCandidates(blocks, { kind: 'final' }).some((x) => x.key === 'totals.total')).toBe(false);
  });

  it("a unit's figures under its own heading are not the department's (Shenzhen 第三部分)", () => {
    const h = (text: string, index: number): SectionedBlock => ({ block: { kind: 'heading', text, evidence: { file: 's.pdf', page: 1, quote: text } }, index, section: 'expenditure' });
    const blocks = [
      h('第三部分部门预算支出具体情况', 0),
      h('一、市建筑工务署本级', 1),
      para('市建筑工务署本级预算14,480.17万元，包括在职人员经费3,169.47万元、公用经费751.34万元、项目支出9,866.11万元。', 'expenditure', 2),
      h('二、一带一路环境技术交流与转移中心（深圳）', 3),
      para('项目支出2,100.00万元，主要用于生态环境国际合作。', 'expenditure', 4),
      h('第四部分政府采购预算情况', 5),
      para('2026年政府采购预算总额94.28万元。', 'procurement', 6),
    ];
    const keys = (department: string) => proseCandidates(blocks, { kind: 'budget', department }).map((c) => c.key);
    expect(keys('深圳市建筑工务署')).toEqual(['procurement.total']);
    // the department is the 本级 itself: its heading is the department's
    const own = [h('一、深圳市统计局（本级）', 0), para('深圳市统计局（本级）预算5,417.80万元，包括公用经费502.22万元、项目支出1,313.80万元。', 'expenditure', 1)];
    expect(proseCandidates(own, { kind: 'budget', department: '深圳市统计局（本级）' }).map((c) => c.key)).toContain('expenditure.project');
  });

  it('leaves blank amounts alone (placeholders are not zeros)', () => {
    const got = read('江苏省人大常委会办公厅2019年政府性基金支出预算支出 万元。与上年相比增加（减少）0万元', 'gov_fund', 'budget');
    expect(got.has('gov_fund.expenditure')).toBe(false);
  });

  it('reads 100万元 equipment only when the threshold is 100万元 for all equipment', () => {
    expect(read('单价100万元以上专用设备0台（套）', 'assets').has('assets.equipment_1m')).toBe(false);
    expect(read('单价100万元（含）以上设备（不含车辆）0台（套）', 'assets').get('assets.equipment_1m')).toBe(0);
    // no 通用设备 of 50万元 or more: the 专用 count is all equipment of 100万元 or more
    expect(read('单价50万元以上通用设备0台（套），单价100万元以上专用设备3台（套）', 'assets').get('assets.equipment_1m')).toBe(3);
    expect(read('单价50万元以上通用设备2台（套），单价100万元以上专用设备3台（套）', 'assets').has('assets.equipment_1m')).toBe(false);
    expect(read('单位价值50万元以上设备1台，其中，单位价值100万元以上设备0台', 'assets').get('assets.equipment_1m')).toBe(0);
  });
});

describe('narrative line items (类/款/项 paths)', () => {
  it('reads the 结构 paragraph as class rows, 类 marker and 支出 dropped', () => {
    const items = narrativeLineItems([para('2020年一般公共预算财政拨款支出7734.75万元，主要用于以下方面:一般公共服务（类）支出6,804.88万元，占87.98%；教育支出（类）13.6万元，占0.18%；社会保障和就业（类）支出580.18万元，占7.5%；卫生健康支出134.12万元，占1.73%；住房保障支出201.97万元，占2.61%。', 'gpb.structure')]);
    expect(items.map((i) => [i.path.join('/'), i.total])).toEqual([
      ['一般公共服务', 68048800], ['教育', 136000], ['社会保障和就业', 5801800], ['卫生健康', 1341200], ['住房保障', 2019700],
    ]);
  });
  it('reads a 具体情况 line with a parenthesis inside a name', () => {
    const [li] = narrativeLineItems([para('1.1.4一般公共服务（类）政府办公厅（室）及相关机构事务（款）其他政府办公厅（室）及相关机构事务（项）: 支出决算为1355.35万元，完成预算100%。', 'gpb.detail')]);
    expect(li).toMatchObject({ path: ['一般公共服务', '政府办公厅（室）及相关机构事务', '其他政府办公厅（室）及相关机构事务'], total: 13553500 });
    expect(li!.code).toBeUndefined();
  });
  it('reads the Shanghai budget list (quoted path, 科目 amount)', () => {
    const [li] = narrativeLineItems([para('24. “城乡社区支出（类）城乡社区管理事务（款）行政运行（项）”科目1788.77万元，主要用于城乡社区管理事务行政运行。', 'summary')]);
    expect(li).toMatchObject({ path: ['城乡社区支出', '城乡社区管理事务', '行政运行'], total: 17887700 });
  });
  it('skips path headings without an amount', () => {
    expect(narrativeLineItems([para('3.1社会保障和就业支出（类）行政事业单位养老支出（款）', 'gpb.detail')])).toEqual([]);
  });
});

describe('meta from the cover and the scope sentence', () => {
  it('Shanghai cover', () => {
    expect(extractMeta([para('上海市普陀区2025年区级部门预算'), para('预算主管部门：上海市普陀区人民政府万里街道办事处', undefined, 1)])).toEqual({ department: '上海市普陀区人民政府万里街道办事处', year: 2025, kind: 'budget', scope: 'department' });
  });
  it('Shanghai 决算 title', () => {
    expect(extractMeta([para('上海市普陀区财政局2024年度部门决算')])).toEqual({ department: '上海市普陀区财政局', year: 2024, kind: 'final', scope: 'department' });
  });
  it('unit budget', () => {
    expect(extractMeta([para('上海市普陀区司法局2026年单位预算')])).toMatchObject({ year: 2026, kind: 'budget', scope: 'unit' });
  });
  it('Sichuan scope sentence', () => {
    expect(extractMeta([para('第一部分 部门概况'), para('纳入四川省政府政务服务和公共资源交易服务中心2020年度部门决算编制范围的二级预算单位包括：', undefined, 1)])).toEqual({ department: '四川省政府政务服务和公共资源交易服务中心', year: 2020, kind: 'final', scope: 'department' });
  });
});

describe('catalogues', () => {
  const sections: Array<[string, string | undefined]> = [
    ['第一部分 部门概况', 'part.overview'],
    ['第二部分 2020年度部门决算情况说明', 'part.explanation'],
    ['1、 收入支出决算总体情况说明', 'summary'],
    ['四、财政拨款收入支出决算总体情况说明', 'appropriation'],
    ['（三）一般公共预算财政拨款支出决算具体情况', 'gpb.detail'],
    ['七、“三公”经费财政拨款支出决算情况说明', 'three_public'],
    ['一、2025年“三公”经费预算情况说明', 'three_public'],
    ['九、一般公共预算“三公”经费、会议费、培训费支出预算情况说明', 'three_public'],
    ['2025年部门预算编制说明', 'summary'],
    ['一、收支预算总体情况说明', 'summary'],
    ['十一、一般公共预算机关运行经费支出预算情况说明', 'operating_costs'],
    ['十二、政府采购支出预算情况说明', 'procurement'],
    ['十三、国有资产占用情况', 'assets'],
    ['十四、预算绩效目标设置情况说明', 'performance'],
    ['上海市普陀区人民政府万里街道办事处（部门）主要职能', 'functions'],
    ['名词解释', 'glossary'],
    ['（1）抓好疫情期间实体大厅防控工作', undefined],
  ];
  for (const [title, key] of sections) it(`section ${title}`, () => expect(sectionKeyOf(title)?.key).toBe(key));

  const tables: Array<[string, string | undefined]> = [
    ['2025年部门财务收支预算总表', 'summary'],
    ['收入支出决算总表', 'summary'],
    ['2025年部门收入预算总表', 'income'],
    ['收入决算表', 'income'],
    ['支出决算表', 'expenditure'],
    ['财政拨款收入支出决算总表', 'appropriation_summary'],
    ['4．2025年部门财政拨款收支预算总表', 'appropriation_summary'],
    ['一般公共预算财政拨款支出决算表', 'gpb_expenditure'],
    ['2025年部门一般公共预算支出功能分类预算表', 'gpb_expenditure'],
    ['一般公共预算财政拨款基本支出决算表', 'gpb_basic'],
    ['2025年部门一般公共预算基本支出部门预算经济分类预算表', 'gpb_basic'],
    ['一般公共预算财政拨款“三公”经费支出决算表', 'three_public'],
    ['2025年部门“三公”经费和机关运行经费预算表', 'three_public'],
    ['政府性基金预算财政拨款收入支出决算表', 'gov_fund'],
    ['国有资本经营预算财政拨款支出决算表', 'state_capital'],
    ['公开表七 一般公共预算支出预算表（功能科目）', 'gpb_expenditure'],
    ['公开表十二 2019年政府采购预算表', 'procurement'],
    ['项目支出绩效目标自评表', 'performance_self_eval'],
    ['窗口奖励金项目评分表', 'performance_score'],
    ['编制部门：上海市普陀区人民政府万里街道办事处 单位：元', undefined],
  ];
  for (const [title, key] of tables) it(`table ${title}`, () => expect(tableKeyOf(title)?.key).toBe(key));
});

describe('docs/keys.md', () => {
  it('lists every canonical section, table and fact key (regenerate with npx tsx scripts/keys-doc.ts)', async () => {
    const { readFileSync } = await import('node:fs');
    const { SECTION_CATALOGUE } = await import('../parsers/catalogue/sections.js');
    const { TABLE_CATALOGUE } = await import('../parsers/catalogue/tables.js');
    const { FACT_ORDER } = await import('../parsers/fact-keys.js');
    const doc = readFileSync(new URL('../docs/keys.md', import.meta.url), 'utf8');
    for (const k of [...SECTION_CATALOGUE.map((d) => d.key), ...TABLE_CATALOGUE.map((d) => d.key), ...FACT_ORDER]) expect(doc).toContain(`\`${k}\``);
  });
});
