import { normaliseTitle, sectionKeyOf } from '/work/main/parsers/catalogue/sections.ts';
import { normaliseTableTitle, tableKeyOf } from '/work/main/parsers/catalogue/tables.ts';
import { extractMeta } from '/work/main/parsers/meta.ts';
for (const t of ['2025年部门预算编制说明']) console.log(JSON.stringify(normaliseTitle(t)), sectionKeyOf(t)?.key);
for (const t of ['公开表七 一般公共预算支出预算表（功能科目）','公开表十二 2019年政府采购预算表']) console.log(JSON.stringify(normaliseTableTitle(t)), tableKeyOf(t)?.key);
const para = (text: string, i=0) => ({ block: { kind: 'paragraph' as const, text, evidence: { file: 'x', quote: '' } }, index: i });
console.log(extractMeta([para('第一部分 部门概况'), para('纳入四川省政府政务服务和公共资源交易服务中心2020年度部门决算编制范围的二级预算单位包括：',1)]));
