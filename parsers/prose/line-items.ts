/**
 * Line items from the narrative: 类/款/项 paths stated in sentences.
 *  - the 结构 paragraph: `一般公共服务（类）支出6,804.88万元，占87.98%；教育支出（类）13.6万元…` → class rows
 *  - the 具体情况 list: `1.1.1一般公共服务（类）政府办公厅（室）及相关机构事务（款）一般行政管理事务（项）:支出决算为258.88万元`
 *  - Shanghai budgets: `1. “一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”科目43.83万元`
 * These have a path and a total and no code.
 */
import { normaliseUnit, toFen, fenToYuan } from '../../src/money.js';
import type { LineItem } from '../../src/model.js';
import type { SectionedBlock } from '../types.js';
import { NUM } from './patterns.js';

/** a name: no clause punctuation; a short parenthesis such as （室） is part of it, （类）（款）（项） are not */
const NAME = String.raw`(?:[^（()）：:；;，,。“”"]|[（(](?![类款项][)）])[^（()）]{1,6}[)）])+?`;
const PATH_ITEM = new RegExp(
  String.raw`(?:^|[\s。；;])(?:\d+(?:\.\d+)*[.．、]?\s*)?[“"]?(?<lei>${NAME})[（(]类[)）](?:(?<kuan>${NAME})[（(]款[)）])?(?:(?<xiang>${NAME})[（(]项[)）])?[”"]?\s*(?:科目)?[:：]?\s*(?:\d{4}年度?(?:预算|决算)(?:数)?为?|支出决算(?:数)?为|支出(?:预算|决算)?(?:数)?(?:为)?|决算数为|预算数为|为)?\s*(?<v>${NUM})(?<u>万元|元)`,
  'gu',
);

/** `（一）一般公共服务（类）` heading a list of 款/项 lines that omit the 类 */
const CLASS_HEADING = /^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．])\s*(?<lei>[^（()）：:；;，,。]+?)[（(]类[)）]\s*$/u;
const KUAN_ITEM = new RegExp(
  String.raw`(?:^|[\s。；;])(?:\d+(?:\.\d+)*[.．、]?\s*)?[“"]?(?<kuan>${NAME})[（(]款[)）](?<xiang>${NAME})[（(]项[)）][”"]?\s*(?:科目)?[:：]?\s*(?:支出(?:预算|决算)?(?:数)?(?:为)?|预算数为|决算数为|为)?\s*(?<v>${NUM})(?<u>万元|元)`,
  'gu',
);

const CLASS_SHARE = new RegExp(String.raw`(?<name>[^：:；;，,。、\d]+?)(?<v>${NUM})(?<u>万元|元)[，,]\s*占`, 'gu');

function classNameOf(raw: string): string {
  return raw
    .replace(/^.*?(?:主要用于以下方面|具体如下|其中)[:：]?/, '')
    .replace(/[“”"\s]/g, '')
    .replace(/[（(]类[)）]/g, '')
    .replace(/支出$/, '')
    .replace(/[（(]类[)）]/g, '')
    .replace(/支出$/, '');
}

function clean(name: string | undefined): string | undefined {
  const t = name?.replace(/[“”"\s]/g, '').replace(/^[-－—–]+/, '').replace(/^\d+(?:\.\d+)*[.．、]?/, '');
  return t ? t : undefined;
}

export function narrativeLineItems(blocks: SectionedBlock[]): LineItem[] {
  const items: LineItem[] = [];
  const seen = new Set<string>();
  const add = (li: LineItem) => {
    const k = li.path.join('/');
    if (seen.has(k)) return;
    seen.add(k);
    items.push(li);
  };
  let currentClass: string | undefined;
  for (const sb of blocks) {
    const b = sb.block;
    if (b.kind !== 'paragraph' && b.kind !== 'heading') continue;
    const text = b.text;
    const heading = CLASS_HEADING.exec(text);
    if (heading?.groups) {
      currentClass = clean(heading.groups['lei']);
      continue;
    }
    const ev = (quote: string, at: number, printed: string, unit: string) => ({
      file: b.evidence.file,
      ...(b.evidence.page !== undefined ? { page: b.evidence.page } : {}),
      ...(b.evidence.offset !== undefined ? { offset: b.evidence.offset + at, length: quote.length } : {}),
      quote: quote.trim(),
      source: 'text' as const,
      printed,
      printedUnit: unit,
    });
    // 结构: class totals with their shares
    if (sb.section === 'gpb.structure' || /主要用于以下方面/.test(text)) {
      for (const m of text.matchAll(CLASS_SHARE)) {
        const g = m.groups!;
        if (!/类|支出|服务|保障|健康|教育|科学|文化|卫生|住房|农林|交通|城乡|节能/.test(g['name']!)) continue;
        const name = classNameOf(g['name']!);
        if (!name || /合计|总计|财政拨款/.test(name)) continue;
        const fen = toFen(g['v']!, normaliseUnit(g['u']) ?? '万元');
        if (fen === null) continue;
        add({ name, path: [name], total: fenToYuan(fen), evidence: [ev(m[0], m.index ?? 0, g['v']!, g['u']!)] });
      }
      continue;
    }
    if (!/[（(]类[)）]/.test(text)) {
      // Jiangsu lists 款（款）项（项） under a （一）X（类） heading
      if (currentClass && /[（(]款[)）]/.test(text)) {
        for (const m of text.matchAll(KUAN_ITEM)) {
          const g = m.groups!;
          const path = [currentClass, clean(g['kuan']), clean(g['xiang'])].filter((x): x is string => !!x);
          const fen = toFen(g['v']!, normaliseUnit(g['u']) ?? '万元');
          if (fen === null || path.length < 3) continue;
          add({ name: path[2]!, path, total: fenToYuan(fen), evidence: [ev(m[0], m.index ?? 0, g['v']!, g['u']!)] });
        }
      }
      continue;
    }
    for (const m of text.matchAll(PATH_ITEM)) {
      const g = m.groups!;
      const path = [clean(g['lei']), clean(g['kuan']), clean(g['xiang'])].filter((x): x is string => !!x);
      if (path.length === 0) continue;
      const fen = toFen(g['v']!, normaliseUnit(g['u']) ?? '万元');
      if (fen === null) continue;
      add({ name: path[path.length - 1]!, path, total: fenToYuan(fen), evidence: [ev(m[0], m.index ?? 0, g['v']!, g['u']!)] });
    }
  }
  return items;
}
