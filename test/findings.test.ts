/**
 * Findings: the tolerance policy, the engine, each rule on real wording, and
 * whole documents: the injected errors of putuo-czj-2024-js-testerr.pdf, the
 * real inconsistencies of the original and of the founding sample, and the
 * anomalies the gold files' notes list.
 */
import { describe, expect, it } from 'vitest';
import { readDisclosure } from '../src/extract.js';
import type { Block, Finding } from '../src/model.js';
import { runRules } from '../src/validate/engine.js';
import { amountVerdict, percentVerdict } from '../src/validate/tolerance.js';
import { buildContext } from '../parsers/rules/context.js';
import { changeRule, completionRule, shareRule, wordingSignRule } from '../parsers/rules/recompute.js';
import { yearPlaceholderRule, yearRule } from '../parsers/rules/year.js';
import { blankRule, templateRule } from '../parsers/rules/placeholders.js';
import type { SectionedBlock } from '../parsers/types.js';
import { corpus } from './helpers.js';

describe('tolerance policy', () => {
  it('amounts: equal ok; one or two hundredths of the printed unit info; more error', () => {
    expect(amountVerdict(29400500n * 100n, 29400500n * 100n, '万元')).toBe('ok');
    expect(amountVerdict(294006n * 10000n, 294005n * 10000n, '万元')).toBe('info'); // 2,940.06 vs 2,940.05
    expect(amountVerdict(294007n * 10000n, 294005n * 10000n, '万元')).toBe('info');
    expect(amountVerdict(294008n * 10000n, 294005n * 10000n, '万元')).toBe('error');
    // whole-yuan tables round to 1元
    expect(amountVerdict(94995790n * 100n, 94995789n * 100n, '元', 0)).toBe('info');
    expect(amountVerdict(94995790n * 100n, 94995700n * 100n, '元', 0)).toBe('error');
  });
  it('percentages at the precision printed: rounding ok, one digit off info, more error', () => {
    expect(percentVerdict(98.33587, '98.34')).toBe('ok');
    expect(percentVerdict(39.9851, '40')).toBe('ok');
    expect(percentVerdict(10.6470, '10.64')).toBe('info');
    expect(percentVerdict(71.6539, '71.73')).toBe('error');
  });
});

describe('engine', () => {
  it('isolates a rule that throws and stamps rule ids', () => {
    const found = runRules({}, [
      { id: 'a.ok', severity: 'error', description: '', reads: [], check: () => [{ message: 'x', evidence: [] }] },
      { id: 'b.bad', severity: 'error', description: '', reads: [], check: () => { throw new Error('boom'); } },
    ]);
    expect(found.map((f) => f.rule)).toEqual(['a.ok', 'engine.rule_failed']);
    expect(found[1]!.message).toContain('b.bad');
  });
});

function ctxOf(paragraphs: Array<[string, string?]>, kind: 'final' | 'budget' = 'final', year = 2024) {
  const blocks: SectionedBlock[] = paragraphs.map(([text, section], index) => ({
    block: { kind: 'paragraph', text, evidence: { file: 's.txt', page: 1, offset: 0, quote: text } } as Block,
    index,
    ...(section ? { section } : {}),
  }));
  return buildContext({ meta: { kind, year }, facts: [], tableCandidates: [], textCandidates: [], tables: [], blocks, tableItems: [], narrativeItems: [] });
}

// [rule, text, section, expected severity or null for no finding] — real corpus sentences
const RULE_CASES: Array<[string, string, string | undefined, 'error' | 'warning' | 'info' | null]> = [
  ['recompute.share', '2020年本年收入合计7865.6万元，其中：一般公共预算财政拨款收入7734.75万元，占98.34%；上级补助收入4.09万元，占0.05%；事业收入116.03万元，占1.48%。', 'income', null],
  ['recompute.share', '一般公共预算财政拨款支出2940.05万元，主要用于以下方面：一般公共服务支出（类）2106.66万元，占71.73%；社会保障和就业支出（类）326.72万元，占11.11%；', 'gpb.structure', 'error'],
  ['recompute.share', '2020年，政府采购支出总额2747.06万元，其中：政府采购货物支出428.67万元。授予中小企业合同金额291.41万元，占政府采购支出总额的10.61%', 'procurement', null],
  ['recompute.share', '2020年一般公共预算财政拨款支出7734.75万元，占本年支出合计的96.87%。', 'gpb.overview', null],
  ['recompute.change', '机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。', 'other', null],
  ['recompute.change', '（项）支出6106.99万元，与上年相比增加101.48万元，增长1.66%。主要原因是政策性调资。', 'appropriation_expenditure', 'error'],
  ['recompute.completion', '一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。', 'gpb.detail', null],
  ['recompute.completion', '（4）政府采购专项经费224.47绩效目标完成情况综述。项目全年预算数224.47万元，执行数为224.47元，完成预算的100%。', 'performance', 'error'],
  ['recompute.completion', '（1）窗口奖励金项目绩效目标完成情况综述。项目全年预算数150万元，执行数为129.81万元，完成预算的86.54%。', 'performance', null],
  ['wording.sign', '主要用于：局本部人员经费及公用经费等的基本支出。年初预算为 1560.05 万元，支出决算为1511.89万元。决算数小于预算数的主要原因：人员进出及退休变化。', 'gpb.detail', null],
  ['wording.sign', '主要用于：局本部人员经费及公用经费等的基本支出。年初预算为1560.05万元，支出决算为1511.89万元。决算数大于预算数的主要原因：人员进出及退休变化，减少人员经费开支。', 'gpb.detail', 'error'],
  ['wording.sign', '年初预算为 10.00 万元，支出决算为 10.00 万元。决算数与预算数基本持平。', 'gpb.detail', null],
  ['wording.sign', '（2）政府性基金收入预算0万元，与上年相比增加（减少）0万元，增长（减少）0%。', 'summary', null],
  ['year.mismatch', '第三部分上海市普陀区财政局2023年度部门决算情况说明', undefined, 'error'],
  ['year.mismatch', '截至2023年12月31日，上海市普陀区财政局共有车辆0辆。', 'assets', 'error'],
  ['year.mismatch', '截至2024年12月31日，上海市普陀区财政局共有车辆0辆。', 'assets', null],
  ['year.mismatch', '（一）因公出国（境）费0万元，与2023年预算持平。', 'three_public', null],
  ['year.mismatch', '2.从预算单位构成看，纳入本部门2023年部门汇总预算编制范围的二级预算单位包括：', 'organisation', 'error'],
  ['year.placeholder', '第二部分 上海市普陀区财政局202 年度部门决算表', undefined, 'error'],
  ['placeholder.blank', '1.因公出国（境）经费支出0万元，完成预算%。全年安排因公出国（境）团组0次', 'three_public', 'warning'],
  ['placeholder.blank', '截至2020年12月底，单位共有公务用车7辆，其中：轿车6辆、越野车.辆、载客汽车1辆。', 'three_public', 'warning'],
  ['placeholder.blank', '江苏省人大常委会办公厅2019年政府性基金支出预算支出 万元。', 'gov_fund', 'warning'],
  ['placeholder.blank', '（一）因公出国（境）费0万元，与2025年预算数持平，主要原因是。', 'three_public', 'warning'],
  ['placeholder.blank', '2020年政府性基金预算财政拨款支出0万元。', 'gov_fund', null],
  ['placeholder.template', '第二部分 上海市普陀区XX局2024年度部门决算表', undefined, 'error'],
  ['placeholder.template', '（2）政府性基金收入预算0万元，与上年相比增加（减少）0万元，增长（减少）0%。', 'summary', 'warning'],
  ['placeholder.template', '组织对大厅工作经费、政务服务和公共资源交易支撑项目（项目名称）开展了预算事前绩效评估', 'performance', 'warning'],
];
const RULES = { 'recompute.share': shareRule, 'recompute.change': changeRule, 'recompute.completion': completionRule, 'wording.sign': wordingSignRule, 'year.mismatch': yearRule, 'year.placeholder': yearPlaceholderRule, 'placeholder.blank': blankRule, 'placeholder.template': templateRule } as const;

describe('rules on real wording', () => {
  it.each(RULE_CASES)('%s: %s', (rule, text, section, expected) => {
    const found = runRules(ctxOf([[text, section]]), [RULES[rule as keyof typeof RULES]]);
    if (expected === null) expect(found).toEqual([]);
    else {
      expect(found.length, JSON.stringify(found)).toBeGreaterThan(0);
      expect(found[0]!.severity).toBe(expected);
      expect(found[0]!.rule).toBe(rule);
      expect(found[0]!.evidence[0]!.quote.length).toBeGreaterThan(0);
    }
  });
});

const has = (fs: Finding[], rule: string, severity: string, text: string | RegExp) =>
  fs.some((f) => f.rule === rule && f.severity === severity && (typeof text === 'string' ? f.message.includes(text) : text.test(f.message)));

describe('putuo-czj-2024-js-testerr.pdf: every injected error is flagged', async () => {
  const fs = (await readDisclosure([corpus('putuo-czj-2024-js-testerr.pdf')])).extraction.findings;
  const cases: Array<[string, string, string, string | RegExp, number?]> = [
    ['the heading names 2023 instead of 2024', 'year.mismatch', 'error', '2023年度部门决算', 18],
    ['the asset date names 2023-12-31 in a 2024 决算', 'year.mismatch', 'error', '截至2023年12月31日', 24],
    ['the prose total 2995.39 replaced by 0', 'prose.table', 'error', 'totals.total: the text states 0万元', 18],
    ['the 支出决算表 removed', 'completeness.tables', 'error', '(expenditure) is missing'],
    ['the 三公 table figures removed while the prose states 0.95', 'prose.table_blank', 'warning', 'three_public.budget', 22],
    ['决算数大于预算数 where 1511.89 < 1560.05', 'wording.sign', 'error', '1511.89万元 is less than 预算 1560.05万元', 19],
    ['决算数大于预算数 where 80.38 < 80.81', 'wording.sign', 'error', '80.38万元 is less than 预算 80.81万元', 20],
    ['决算数等于预算数 where 60.99 < 62.29', 'wording.sign', 'error', '60.99万元 is less than 预算 62.29万元', 21],
    ['a template XX left in a title', 'placeholder.template', 'error', 'XX局'],
  ];
  it.each(cases)('%s', (_what, rule, severity, text, page) => {
    const f = fs.find((x) => x.rule === rule && x.severity === severity && (typeof text === 'string' ? x.message.includes(text) : text.test(x.message)));
    expect(f, `${rule} ${String(text)}\n${fs.map((x) => `${x.rule} ${x.message}`).join('\n')}`).toBeDefined();
    if (page !== undefined) expect(f!.evidence.map((e) => e.page)).toContain(page);
  });
});

describe('putuo-czj-2024-js.pdf (the original): every error is a real inconsistency of the document', async () => {
  const fs = (await readDisclosure([corpus('putuo-czj-2024-js.pdf')])).extraction.findings;
  const errors = fs.filter((f) => f.severity === 'error');
  it('lists exactly the known errors', () => {
    // p21 prose: 财政拨款收入支出总计0.3万元 against the table's 2,961.68 (gold notes)
    // p21 prose: 一般公共服务支出（类）2106.66万元，占71.73% — 2106.66 / 2940.05 is 71.65%; the four shares add to 100.07%
    expect(errors.map((f) => `${f.rule}: ${f.message}`).sort()).toEqual([
      'prose.table: appropriation.total: the text states 0.3万元, the table prints 2961.68万元',
      'recompute.share: 2106.66万元，占71.73%: 2106.66万元 of the amount the sentence opens with is 71.6539%, printed 71.73%',
    ]);
  });
  it('finds every anomaly of the gold notes', () => {
    expect(has(fs, 'cross.class', 'info', '社会保障和就业: 收入支出决算总表 prints 326.71万元, 支出决算表 prints 326.72万元')).toBe(true);
    expect(has(fs, 'sum.table_total', 'info', '支出决算表: 合计 vs 类 rows: rows add to 2940.06万元, 合计 prints 2940.05万元')).toBe(true);
    expect(has(fs, 'sum.table_total', 'info', /basic.*2336.92万元, 合计 prints 2336.91万元/)).toBe(true);
    expect(has(fs, 'sum.table_total', 'info', '收入决算表: 合计 vs 类 rows: rows add to 2946.26万元')).toBe(true);
    expect(has(fs, 'sum.procurement', 'info', 'parts add to 251.26万元, total is 251.25万元')).toBe(true);
    expect(has(fs, 'sum.economic', 'info', '301 工资福利支出: its 款 add to 2082.86万元')).toBe(true);
    expect(has(fs, 'sum.economic', 'info', '302 商品和服务支出: its 款 add to 171.09万元')).toBe(true);
    // page 14 is printed as an image: read by OCR (it was a textless-page warning before OCR)
    expect(has(fs, 'reader.ocr_page', 'info', 'page 14')).toBe(true);
  });
});

describe('the founding sample: every error is real, the gold notes are found', async () => {
  const fs = (await readDisclosure([corpus('sichuan-zwfw-2020-js.txt')])).extraction.findings;
  it('lists exactly the known errors', () => {
    // 项目全年预算数224.47万元，执行数为224.47元，完成预算的100%: 元 for 万元
    // 《2020年XX项目支出绩效自评报告》 and the heading 2020年XX项目支出绩效自评报告: the template's XX left in
    expect(fs.filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.message}`)).toEqual([
      'recompute.completion: 预算数224.47万元，执行数为224.47元，完成预算的100%: 224.47元 of 224.47万元 is 0.0100%, printed 100%',
      'placeholder.template: a template placeholder: “项目预算。《2020年XX项目支出绩效”',
      'placeholder.template: a template placeholder: “2020年XX项目支出绩效”',
    ]);
  });
  it('finds every anomaly of the gold notes', () => {
    expect(has(fs, 'cross.chart', 'info', '2020年 8197.22万元, totals.total is 8197.23万元')).toBe(true);
    expect(has(fs, 'sum.items', 'info', '一般公共服务: its 8 项 add to 6804.90万元, the 类 is stated as 6804.88万元')).toBe(true);
    expect(has(fs, 'sum.items', 'info', '社会保障和就业: its 4 项 add to 580.17万元, the 类 is stated as 580.18万元')).toBe(true);
    expect(has(fs, 'placeholder.blank', 'warning', '完成预算%')).toBe(true);
    expect(has(fs, 'placeholder.blank', 'warning', '越野车.辆')).toBe(true);
    expect(has(fs, 'sum.expenditure', 'info', 'parts add to 7984.84万元, total is 7984.83万元')).toBe(true);
  });
});

describe('gold notes of the other gold documents', () => {
  it('putuo-wanli-2025-bmys: the 1元 gap of 21201, as rounding', async () => {
    const fs = (await readDisclosure([corpus('putuo-wanli-2025-bmys.pdf')])).extraction.findings;
    expect(has(fs, 'sum.hierarchy', 'info', '21201 城乡社区管理事务 vs its 项: rows add to 94995789.00元, 21201 prints 94995790.00元')).toBe(true);
    expect(has(fs, 'sum.columns', 'info', '21201 城乡社区管理事务: columns add to 94995789.00元')).toBe(true);
    expect(fs.filter((f) => f.severity === 'error')).toEqual([]);
  });
  it('js-rdbgt-2019-bmys: the prose slips of its notes', async () => {
    const fs = (await readDisclosure([corpus('js-rdbgt-2019-bmys.pdf'), corpus('js-rdbgt-2019-bmys-tables.pdf')])).extraction.findings;
    expect(has(fs, 'year.mismatch', 'error', '纳入本部门2018年部门汇总预算编制范围')).toBe(true);
    expect(has(fs, 'prose.line_item_level', 'warning', '行政事业单位离退休 a 类')).toBe(true);
    expect(has(fs, 'prose.line_item_level', 'warning', '住房改革支出 a 类')).toBe(true);
    expect(has(fs, 'placeholder.template', 'warning', '增加（减少）')).toBe(true);
    expect(has(fs, 'placeholder.blank', 'warning', '政府性基金支出预算支出万元')).toBe(true);
    // the identities all hold (gold checks): no sum.* error
    expect(fs.filter((f) => f.rule.startsWith('sum.') && f.severity === 'error')).toEqual([]);
  });
});
