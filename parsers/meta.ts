/**
 * Document meta (department, year, kind, scope) from the title, the cover and
 * the first sentences that name the reporting scope.
 */
import type { Meta } from '../src/model.js';
import type { SectionedBlock } from './types.js';

const HAN_NAME = String.raw`[\p{Script=Han}（）()·]{2,40}?`;

const TITLE = new RegExp(String.raw`^(?<d>${HAN_NAME})(?<y>20\d\d)\s*年度?\s*(?:区级|市级|省级|县级)?(?<scope>部门|单位)?(?<kind>决算|预算)`, 'u');
const COVER_DEPT = /(?:预算|决算)?(?:主管|编制)?(?:部门|单位)(?:名称)?\s*[:：]\s*(?<d>[\p{Script=Han}（）()·]{2,40}?)(?=单位\s*[:：]|\s|$)/u;
const SCOPE_SENTENCE = new RegExp(String.raw`纳入(?<d>${HAN_NAME})(?<y>20\d\d)\s*年度?(?<scope>部门|单位)?(?<kind>决算|预算)(?:编制|汇编)?范围`, 'u');
const YEAR_KIND = /(?<y>20\d\d)\s*年度?\s*(?:区级|市级|省级|县级)?(?<scope>部门|单位)?(?<kind>决算|预算)/u;
const SAYS_UNIT_BUDGET = /(?<scope>部门|单位)(?<kind>决算|预算)(?:公开|情况说明)?$/u;

export function extractMeta(blocks: SectionedBlock[]): Meta {
  const meta: Meta = {};
  const head = blocks.slice(0, 60);
  const texts = head.map((b) => (b.block.kind === 'paragraph' || b.block.kind === 'heading' ? b.block.text : '')).filter((t) => t);

  // a title may be set on two lines (`…办公厅2018年度部门` / `预算公开`): also try each line joined with the next
  const heads = texts.slice(0, 12);
  const firstTexts = heads.flatMap((t, i) => (i + 1 < heads.length && t.length < 30 && heads[i + 1]!.length < 30 ? [t, t + heads[i + 1]!] : [t]));
  for (const [i, t] of firstTexts.entries()) {
    const line = t.replace(/\s+/g, '');
    // a cover set on two lines: the name, then `2019年度部门预算公开`
    const prev = i > 0 ? firstTexts[i - 1]!.replace(/\s+/g, '') : '';
    if (YEAR_KIND.test(line) && /^\d{4}/.test(line) && line.length < 30 && /^[\p{Script=Han}（）()·]{4,40}$/u.test(prev) && !/目录|部分/.test(prev)) {
      meta.department ??= cleanDept(prev);
    }
    const m = line.length <= 45 && !/[，。：:；]/.test(line) ? TITLE.exec(line) : null;
    if (m?.groups && !/^(?:第|目录|纳入|关于)/.test(line)) {
      const d = cleanDept(m.groups['d']!);
      if (d && !/^(?:上海市|江苏省|四川省|重庆市)?[\p{Script=Han}]{0,3}区?$/u.test(d)) meta.department ??= d;
      meta.year ??= Number(m.groups['y']);
      meta.kind ??= m.groups['kind'] === '决算' ? 'final' : 'budget';
      if (m.groups['scope']) meta.scope ??= m.groups['scope'] === '单位' ? 'unit' : 'department';
    }
    const c = COVER_DEPT.exec(t);
    if (c?.groups && !meta.department) meta.department = cleanDept(c.groups['d']!);
    const yk = YEAR_KIND.exec(line);
    if (yk?.groups && line.length < 40) {
      meta.year ??= Number(yk.groups['y']);
      meta.kind ??= yk.groups['kind'] === '决算' ? 'final' : 'budget';
      if (yk.groups['scope']) meta.scope ??= yk.groups['scope'] === '单位' ? 'unit' : 'department';
    }
  }
  for (const t of texts) {
    const m = SCOPE_SENTENCE.exec(t.replace(/\s+/g, ''));
    if (m?.groups) {
      meta.department ??= cleanDept(m.groups['d']!);
      meta.year ??= Number(m.groups['y']);
      meta.kind ??= m.groups['kind'] === '决算' ? 'final' : 'budget';
      if (m.groups['scope']) meta.scope ??= m.groups['scope'] === '单位' ? 'unit' : 'department';
      break;
    }
  }
  // headings such as 第二部分 2020年度部门决算情况说明 give year and kind
  if (meta.year === undefined || meta.kind === undefined) {
    for (const t of texts) {
      const yk = YEAR_KIND.exec(t.replace(/\s+/g, ''));
      if (yk?.groups) {
        meta.year ??= Number(yk.groups['y']);
        meta.kind ??= yk.groups['kind'] === '决算' ? 'final' : 'budget';
        if (yk.groups['scope']) meta.scope ??= yk.groups['scope'] === '单位' ? 'unit' : 'department';
        break;
      }
    }
  }
  if (meta.scope === undefined) {
    const t = texts.find((x) => SAYS_UNIT_BUDGET.test(x.replace(/\s+/g, '')));
    if (t) meta.scope = SAYS_UNIT_BUDGET.exec(t.replace(/\s+/g, ''))!.groups!['scope'] === '单位' ? 'unit' : 'department';
  }
  // a tables-only file: the kind from its table titles, the year from a title that prints one
  if (meta.kind === undefined || meta.year === undefined) {
    const titles = blocks.flatMap((b) => (b.block.kind === 'table' ? b.block.caption ?? [] : b.block.kind === 'heading' || b.block.kind === 'paragraph' ? [b.block.text] : [])).filter((t) => t.length < 40 && /表$/.test(t.replace(/\s+/g, '')));
    const budget = titles.filter((t) => /预算/.test(t)).length;
    const final = titles.filter((t) => /决算/.test(t)).length;
    if (meta.kind === undefined && budget + final > 0) meta.kind = final > budget ? 'final' : 'budget';
    const y = titles.map((t) => /(20\d\d)\s*年/.exec(t)?.[1]).find((x) => x);
    if (meta.year === undefined && y) meta.year = Number(y);
  }
  if (meta.kind !== undefined) meta.scope ??= 'department';
  return meta;
}

function cleanDept(d: string): string | undefined {
  const t = d
    .replace(/^(?:关于)/, '')
    .replace(/[（(](?:部门|单位)[)）]$/, '')
    .replace(/(?:20\d\d)$/, '')
    .trim();
  return t.length >= 2 ? t : undefined;
}
