/**
 * Document meta (department, year, kind, scope) from the content, never from the
 * file name. In order of trust:
 *  1. the cover: the short lines of the first page (before 目录) joined, since
 *     covers break titles anywhere (`2026年深圳市统计局（本级）部门预` / `算`,
 *     `2026年度` / `福州市公安局文职人员` / `管理中心单位预算`);
 *  2. title lines near the top, alone and joined with the next one or two;
 *  3. the header that names the department above a table or in a form
 *     (`部门名称：…`, `单位名称:…`, `部门：…`, a `部门名称 | …` cell);
 *  4. the scope sentence (纳入…2020年度部门决算编制范围) and, last, any short line
 *     that names a department with a year and a kind (`附件：北京市审计局2026年度部门预算报表`).
 * Year and kind fall back to headings (第一部分 2026年度部门预算情况说明), a year line
 * under a table title (`（2026年度）`) and the table titles' 预算/决算.
 * The wording is data: parsers/catalogue/meta-wording.ts.
 */
import type { Meta } from '../src/model.js';
import type { SectionedBlock } from './types.js';
import { HEADER_LABELS, LEVEL_WORDS, NAME_CHARS, NOT_A_NAME, ORG_NAME_END, YEAR_LINE } from './catalogue/meta-wording.js';

const KIND = String.raw`(?<scope>部门|单位)?(?<kind>决算|预算)`;
// `2026年度`, `2026年`, `2026（年度）`, and `2026 部门预算` without 年 (北京 国资委)
const YEAR = String.raw`(?<y>20\d\d)(?:年度?|[（(]年度[)）]|(?=(?:部门|单位)(?:预算|决算)))`;
/** `国家信访局2024年度部门决算`, `北京市审计局2026年度部门预算信息公开` */
const NAME_FIRST = new RegExp(String.raw`(?<d>${NAME_CHARS}{2,40}?)${YEAR}${LEVEL_WORDS}?${KIND}`, 'gu');
/** `2026年深圳市统计局（本级）部门预算`, `2026年度无锡市统计局部门预算公开` */
const YEAR_FIRST = new RegExp(String.raw`^${YEAR}(?<d>${NAME_CHARS}{2,40}?)${LEVEL_WORDS}?${KIND}`, 'u');
/** year and kind alone: `第一部分2026年度部门预算情况说明`, `2024年度部门决算` */
const YEAR_KIND = new RegExp(String.raw`${YEAR}${LEVEL_WORDS}?${KIND}`, 'u');
const SCOPE_SENTENCE = new RegExp(String.raw`纳入(?<d>${NAME_CHARS}{2,40}?)${YEAR}${KIND}(?:编制|汇编)?范围`, 'u');
const SAYS_SCOPE = /(?<scope>部门|单位)(?<kind>决算|预算)(?:公开|情况说明|信息公开)?$/u;
const HEADER = new RegExp(String.raw`(?:^|\s|[^\p{Script=Han}])(?:${HEADER_LABELS.join('|')})\s*[:：]\s*(?<d>${NAME_CHARS}{2,40}?)(?=\s|金额单位|单位\s*[:：]|$)`, 'gu');
const CONTENTS = /^目\s*录$|^目录/;
const NUMBERED = /^(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）])/u;
/** what may stand before a name in a title line: 第二部分, 附件：, 目录 */
const PREFIX = /^(?:第[一二三四五六七八九十\d]+部分|附件\d*[：:]?|附表\d*[：:]?|目录|正文)/u;

interface Found {
  department?: string;
  year?: number;
  kind?: 'final' | 'budget';
  scope?: 'department' | 'unit';
}

const squash = (s: string) => s.replace(/\s+/g, '');

function fromGroups(g: Record<string, string | undefined>): Found {
  return {
    ...(g['y'] ? { year: Number(g['y']) } : {}),
    ...(g['kind'] ? { kind: g['kind'] === '决算' ? ('final' as const) : ('budget' as const) } : {}),
    ...(g['scope'] ? { scope: g['scope'] === '单位' ? ('unit' as const) : ('department' as const) } : {}),
  };
}

/** The name as the document prints it, or undefined when the words are not an organisation's name. */
export function departmentName(raw: string): string | undefined {
  let d = raw
    .replace(/^(?:附件|附表)\d*[：:、]?/, '')
    .replace(/^(?:关于)/, '')
    .replace(/[（(](?:部门|单位)[)）]$/, '')
    .replace(/(?:20\d\d)$/, '')
    .trim();
  // `北京市医疗保障局部门 2026 年度部门预算`: the template word glued to the name
  if (/(?:部门|单位)$/.test(d) && ORG_NAME_END.test(d.slice(0, -2))) d = d.slice(0, -2);
  if (d.length < 3 || NOT_A_NAME.test(d) || !ORG_NAME_END.test(d)) return undefined;
  return d;
}

/** Titles in a string: year first at its start, or a name followed by year and kind anywhere. */
function titlesIn(s: string): Found[] {
  const out: Found[] = [];
  const yf = YEAR_FIRST.exec(s);
  if (yf?.groups) {
    const d = departmentName(yf.groups['d']!);
    if (d) out.push({ department: d, ...fromGroups(yf.groups) });
  }
  for (const m of s.matchAll(NAME_FIRST)) {
    const g = m.groups!;
    const d = departmentName(g['d']!.replace(PREFIX, ''));
    if (d) out.push({ department: d, ...fromGroups(g) });
  }
  return out;
}

function textOf(b: SectionedBlock): string {
  return b.block.kind === 'paragraph' || b.block.kind === 'heading' ? b.block.text : '';
}

/** The cover: the first page's lines before 目录 (the next page's too when the first holds one line or none). */
function coverText(blocks: SectionedBlock[]): string {
  const lines: string[] = [];
  const first = blocks[0]?.block.evidence.page;
  for (const b of blocks.slice(0, 20)) {
    if (b.block.kind === 'table') break;
    const t = squash(textOf(b));
    if (!t) continue;
    if (CONTENTS.test(t) || /^第.部分/.test(t)) break;
    const page = b.block.evidence.page;
    if (first !== undefined && page !== undefined && page > first && lines.length >= 2) break;
    if (t.length > 60) break;
    lines.push(t);
  }
  return lines.join('');
}

/** Department names in the headers above tables and in form cells (`部门名称 | 北京市审计局`). */
function headerNames(blocks: SectionedBlock[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    const texts: string[] = [];
    if (b.block.kind === 'table') {
      texts.push(...(b.block.caption ?? []));
      for (const row of b.block.rows.slice(0, 4)) {
        const cells = row.map((c) => squash(c.text));
        cells.forEach((c, i) => {
          texts.push(c);
          if (/^(?:部门|单位)名称[:：]?$/.test(c)) {
            const next = cells.slice(i + 1).find((x) => x !== '');
            if (next) texts.push(`部门名称：${next}`);
          }
        });
      }
    } else {
      const t = textOf(b);
      if (t.length < 120) texts.push(t);
    }
    for (const t of texts) {
      for (const m of t.replace(/\s*([:：])\s*/g, '$1').matchAll(HEADER)) {
        const d = departmentName(m.groups!['d']!.replace(/\s+/g, ''));
        if (d) out.push(d);
      }
    }
  }
  return out;
}

function mostCommon(xs: string[]): string | undefined {
  const n = new Map<string, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  let best: string | undefined;
  for (const [x, c] of n) if (best === undefined || c > n.get(best)!) best = x;
  return best;
}

export function extractMeta(blocks: SectionedBlock[]): Meta {
  const meta: Found = {};
  const take = (f: Found | undefined) => {
    if (!f) return;
    if (f.department) meta.department ??= f.department;
    if (f.year !== undefined && (f.department || meta.year === undefined)) meta.year ??= f.year;
    if (f.kind) meta.kind ??= f.kind;
    if (f.scope) meta.scope ??= f.scope;
  };
  const texts = blocks.slice(0, 80).map(textOf).filter((t) => t);

  // 1. the cover, joined
  const cover = coverText(blocks);
  take(titlesIn(cover)[0]);
  // 2. title lines near the top, alone and joined with the next one or two
  if (!meta.department) {
    const heads = texts.slice(0, 15).map(squash);
    for (let i = 0; i < heads.length && !meta.department; i++) {
      // a numbered heading (第一部分 概况, 一、…) is a line of its own, never half of a title
      const joins = NUMBERED.test(heads[i]!) ? [heads[i]!] : [heads[i]!, heads[i]! + (heads[i + 1] ?? ''), heads[i]! + (heads[i + 1] ?? '') + (heads[i + 2] ?? '')];
      for (const s of joins) {
        if (s.length > 70 || /[，。；]/.test(s)) continue;
        const f = titlesIn(s)[0];
        if (f) {
          take(f);
          break;
        }
      }
    }
  }
  // 3. the header naming the department above tables, or a form's 部门名称 cell
  if (!meta.department) meta.department = mostCommon(headerNames(blocks));
  // 4. the scope sentence, then any short line naming a department with year and kind
  for (const t of texts) {
    const m = SCOPE_SENTENCE.exec(squash(t));
    if (m?.groups) {
      const d = departmentName(m.groups['d']!);
      take({ ...(d ? { department: d } : {}), ...fromGroups(m.groups) });
      break;
    }
  }
  if (!meta.department) {
    for (const b of blocks) {
      const t = squash(textOf(b));
      if (!t || t.length > 60 || /[，。；]/.test(t)) continue;
      const f = titlesIn(t)[0];
      if (f) {
        take(f);
        break;
      }
    }
  }
  // year and kind from headings: 第一部分 2026年度部门预算情况说明
  if (meta.year === undefined || meta.kind === undefined) {
    for (const t of texts) {
      const yk = YEAR_KIND.exec(squash(t));
      if (yk?.groups) {
        take(fromGroups(yk.groups));
        break;
      }
    }
  }
  if (meta.scope === undefined) {
    const t = [cover, ...texts.map(squash)].find((x) => x.length < 60 && SAYS_SCOPE.test(x.replace(/公开目录$|目录$/, '')));
    if (t) take(fromGroups(SAYS_SCOPE.exec(t.replace(/公开目录$|目录$/, ''))!.groups!));
  }
  // a tables-only file: the kind from its table titles, the year from a title or a year line (（2026年度）)
  if (meta.kind === undefined || meta.year === undefined) {
    const titles = blocks
      .flatMap((b) => (b.block.kind === 'table' ? b.block.caption ?? [] : b.block.kind === 'heading' || b.block.kind === 'paragraph' ? [b.block.text] : []))
      .map(squash)
      .filter((t) => t.length < 40);
    const tableTitles = titles.filter((t) => /表$/.test(t));
    const budget = tableTitles.filter((t) => /预算/.test(t.replace(/一般公共预算|政府性基金预算|国有资本经营预算/g, ''))).length;
    const final = tableTitles.filter((t) => /决算/.test(t)).length;
    if (meta.kind === undefined && budget + final > 0) meta.kind = final > budget ? 'final' : 'budget';
    const y = tableTitles.map((t) => /(20\d\d)\s*年/.exec(t)?.[1]).find((x) => x) ?? titles.map((t) => YEAR_LINE.exec(t)?.groups?.['y']).find((x) => x);
    if (meta.year === undefined && y) meta.year = Number(y);
  }
  if (meta.kind !== undefined) meta.scope ??= 'department';
  const out: Meta = {};
  if (meta.department) out.department = meta.department;
  if (meta.year !== undefined) out.year = meta.year;
  if (meta.kind) out.kind = meta.kind;
  if (meta.scope) out.scope = meta.scope;
  return out;
}
