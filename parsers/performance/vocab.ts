/**
 * Words of the 预算绩效 tables: the indicator levels of the national framework
 * (一级: 产出/效益/满意度/成本; 二级: 数量/质量/时效/成本/经济效益/…), the labels
 * of the header block (项目名称, 主管部门, 实施单位, the money block), and the
 * parse of a printed target or actual (`≥98%`, `约36万件`, `>300台`,
 * `=100.00(%)`, `1600次以上`) into comparator, number and unit.
 */

const squash = (s: string) => s.replace(/\s+/g, '');

/** 一级指标 words (`完成指标` is the Sichuan 2020 name of 产出指标). */
export const LEVEL1_RE = /^(?:产出|效益|满意度|成本|完成|效果|影响|社会效益|项目完成|项目效益)指标$/;
/** 二级指标 words. */
export const LEVEL2_RE =
  /^(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|环境效益|可持续影响|可持续发展|可持续|服务对象满意度|满意度|社会公众满意度|社会公众或服务对象满意度|经济成本|社会成本|生态环境成本|生态成本|环境成本|其他成本|其他)指标$/;

export const isLevel1 = (s: string) => LEVEL1_RE.test(squash(s));
export const isLevel2 = (s: string) => LEVEL2_RE.test(squash(s));

/** The 一级指标 a 二级指标 belongs to in the national framework (first = the usual one). */
export function level1Family(level2: string): string[] {
  const s = squash(level2);
  if (/^(?:经济|社会|生态环境|生态|环境|其他)成本指标$/.test(s)) return ['成本指标'];
  if (/^(?:数量|质量|时效)指标$/.test(s)) return ['产出指标', '完成指标'];
  if (s === '成本指标') return ['产出指标', '完成指标', '成本指标'];
  if (/效益指标$|^可持续/.test(s)) return ['效益指标', '项目效益指标'];
  if (/满意度指标$/.test(s)) return ['满意度指标', '效益指标'];
  return [];
}

/**
 * Glued text (a text export that dropped the cell borders): the 一级/二级 words
 * at the start of a line. `成本指标经济成本指标成本控制合理性合理` →
 * level1 成本指标, level2 经济成本指标, rest 成本控制合理性合理.
 */
const GLUED_L1 = /^(产出指标|效益指标|满意度指标|成本指标|完成指标)/;
const GLUED_L2 =
  /^(服务对象满意度指标|社会公众满意度指标|可持续影响指标|生态环境成本指标|经济效益指标|社会效益指标|生态效益指标|环境效益指标|经济成本指标|社会成本指标|数量指标|质量指标|时效指标|成本指标|满意度指标)/;

export function splitGlued(line: string): { level1?: string; level2?: string; rest: string } {
  let rest = line.trim();
  let level1: string | undefined;
  let level2: string | undefined;
  const a = GLUED_L1.exec(rest);
  if (a) {
    const after = rest.slice(a[1]!.length).trimStart();
    // `成本指标` / `满意度指标` are 一级 only when a 二级 word follows
    if (GLUED_L2.test(after) || !isLevel2(a[1]!)) {
      level1 = a[1]!;
      rest = after;
    }
  }
  const b = GLUED_L2.exec(rest);
  if (b) {
    level2 = b[1]!;
    rest = rest.slice(b[1]!.length).trimStart();
  }
  return { ...(level1 ? { level1 } : {}), ...(level2 ? { level2 } : {}), rest };
}

/** Short qualitative targets a text export glues to the indicator name (`违建处置提高`). */
const QUALITATIVE_TAIL = /(合理|合规|提高|提升|降低|减少|增强|扩大|有效|达标|良好|完成|及时|稳定|显著|明显|是|否|优|满意|符合要求|符合标准|正常运行|无事故|持续)$/;

/**
 * The name and the value of an indicator printed on one line without cell
 * borders: split at the last gap before a number or comparator, else at a short
 * qualitative word at the end.
 */
export function splitNameValue(rest: string): { name: string; value?: string } {
  const s = rest.trim();
  const gap = /^(.*\S)\s+(\S+)$/.exec(s);
  if (gap && /[≥≤<>=＞＜＝\d]/.test(gap[2]!)) return { name: gap[1]!, value: gap[2]! };
  const cmp = /^(.*?[\p{Script=Han}）)])((?:[≥≤<>=＞＜＝]|不低于|不少于|不高于|不超过|约|大于|小于|等于)\s*\d.*)$/u.exec(s);
  if (cmp) return { name: cmp[1]!, value: cmp[2]! };
  if (gap) return { name: gap[1]!, value: gap[2]! };
  const q = QUALITATIVE_TAIL.exec(s);
  if (q && s.length > q[1]!.length + 2) return { name: s.slice(0, s.length - q[1]!.length), value: q[1]! };
  return { name: s };
}

export interface ParsedValue {
  /** ≥ ≤ > < = ≈ */
  comparator?: string;
  number?: number;
  unit?: string;
}

const CMP: Record<string, string> = {
  '≥': '≥', '>=': '≥', '≧': '≥', '≤': '≤', '<=': '≤', '≦': '≤', '>': '>', '＞': '>', '<': '<', '＜': '<', '=': '=', '＝': '=', '==': '=',
  约: '≈', 大约: '≈', 不低于: '≥', 不少于: '≥', 至少: '≥', 不小于: '≥', 大于等于: '≥', 不高于: '≤', 不超过: '≤', 不多于: '≤', 不大于: '≤', 小于等于: '≤', 大于: '>', 超过: '>', 高于: '>', 多于: '>', 小于: '<', 低于: '<', 少于: '<', 等于: '=', 达到: '≥',
};
const CMP_WORDS = Object.keys(CMP).sort((a, b) => b.length - a.length).join("|");
const VALUE_RE = new RegExp(
  `^(?<label>[\\p{Script=Han}A-Za-z“”"（）()、]{0,16}?)\\s*(?<cmp>${CMP_WORDS})?\\s*(?<num>[-+]?\\d+(?:[.,]\\d+)*)\\s*(?<unit>[（(][^()（）\\d]{1,6}[)）]|[%％‰]|[^\\d\\s,，。；;]{0,4}?)\\s*(?<tail>以上|以下|以内|及以上|及以下|内)?$`,
  'u',
);

/** `≥98%` → ≥ 98 %; `约36万件` → ≈ 36 万件; `=100.00(%)` → = 100 %; `1600次以上` → ≥ 1600 次. */
export function parseValue(printed: string | undefined): ParsedValue | undefined {
  if (!printed) return undefined;
  const s = printed.replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/．/g, '.').trim();
  const m = VALUE_RE.exec(s);
  if (!m?.groups) return undefined;
  const { label = '', cmp, num = '', unit = '', tail } = m.groups;
  // a bare label before the number only with a comparator (`提醒率≥98%`), never `完成大厅358人…`
  if (label && !cmp) return undefined;
  if (/^\d{4}$/.test(num) && /^年/.test(unit)) return undefined;
  const n = Number(num.replace(/,/g, ''));
  if (!Number.isFinite(n)) return undefined;
  let comparator = cmp ? CMP[cmp] : undefined;
  if (!comparator && tail) comparator = /上/.test(tail) ? '≥' : '≤';
  const u = unit.replace(/^[（(]|[)）]$/g, '').replace('％', '%');
  return { ...(comparator ? { comparator } : {}), number: n, ...(u ? { unit: u } : {}) };
}

const DONE_RE = /^(?:已?(?:全部)?完成|已完成|已达到|达到|达标|已达标|完成目标|全年无投诉|是|符合|满足|实现|已实现|有效|良好)/;
const NOT_DONE_RE = /未完成|未达到|未达标|没有完成|未实现|部分完成|尚未/;

/** Did the actual meet the target? true / false where the printed values say, undefined otherwise. */
export function targetMet(target: string | undefined, actual: string | undefined): boolean | undefined {
  if (!actual) return undefined;
  if (NOT_DONE_RE.test(actual)) return false;
  const t = parseValue(target);
  const a = parseValue(actual);
  if (t?.number !== undefined && a?.number !== undefined && (!t.unit || !a.unit || t.unit === a.unit)) {
    const x = a.number;
    const y = t.number;
    switch (t.comparator) {
      case '≥': return x >= y;
      case '>': return x > y;
      case '≤': return x <= y;
      case '<': return x < y;
      case '≈': return Math.abs(x - y) <= Math.abs(y) * 0.1 || x >= y;
      default: return x >= y || x === y;
    }
  }
  if (DONE_RE.test(actual.trim())) return true;
  if (target && actual.trim() === target.trim()) return true;
  return undefined;
}

/** Printed text that is no indicator value: blank stand-ins and template words. */
export const PLACEHOLDER_RE = /^(?:[-—–_/／\\、.。…]+|无|暂无|待定|略|空|null|n\/a|XX+|xx+|××+|[0０]|\(?空\)?|指标\d*|\d+级指标|指标值|预期指标值|实际完成值)$/i;
export const isPlaceholder = (s: string | undefined) => s !== undefined && PLACEHOLDER_RE.test(s.replace(/\s+/g, ''));
