/**
 * The outline: headings with levels and canonical keys, and every block's
 * section. Levels come from the numbering style (第一部分 > 一、 > （一） >
 * 1、/1. > （1）); where a heading's title is in the catalogue, the
 * catalogue's level wins, so lost auto-numbering (1、 2、 3、 四、 …) still
 * nests right.
 */
import type { Block } from '../model.js';

export interface SectionMatcher {
  (title: string): { key: string; level: number } | undefined;
}

export interface OutlineEntry {
  blockIndex: number;
  title: string;
  level: number;
  key?: string;
  numbering?: string;
}

const STYLES: Array<{ re: RegExp; level: number; style: string }> = [
  { re: /^第[一二三四五六七八九十]+部分/, level: 1, style: 'part' },
  { re: /^[一二三四五六七八九十百]+[、.．]/, level: 2, style: 'cn' },
  { re: /^[（(][一二三四五六七八九十百]+[)）]/, level: 3, style: 'cn-paren' },
  { re: /^\d{1,2}\s*[、.．](?!\d)/, level: 4, style: 'arabic' },
  { re: /^[（(]\d{1,2}[)）]/, level: 5, style: 'arabic-paren' },
  { re: /^[①-⑳]/, level: 6, style: 'circled' },
];

export function numberingOf(title: string): { style: string; level: number; text: string } | undefined {
  const t = title.trim();
  for (const s of STYLES) {
    const m = s.re.exec(t);
    if (m) return { style: s.style, level: s.level, text: m[0] };
  }
  return undefined;
}

export function buildOutline(blocks: Block[], match: SectionMatcher): OutlineEntry[] {
  const out: OutlineEntry[] = [];
  blocks.forEach((b, i) => {
    if (b.kind !== 'heading' && b.kind !== 'paragraph') return;
    const title = b.text.trim();
    if (title.length > 60) return;
    const cat = match(title);
    const num = numberingOf(title);
    if (b.kind === 'paragraph' && !cat) return;
    // a paragraph only counts as a heading when it is a catalogue title standing alone
    if (b.kind === 'paragraph' && /[，。；]./.test(title)) return;
    const level = cat ? cat.level : num ? num.level : (b.kind === 'heading' ? b.level : undefined) ?? 4;
    out.push({ blockIndex: i, title, level, ...(cat ? { key: cat.key } : {}), ...(num ? { numbering: num.text } : {}) });
  });
  return out;
}

/**
 * The section key in force at every block: the innermost keyed heading above
 * it. An unkeyed heading at a level equal to or above a keyed one closes it.
 */
export function sectionOfBlocks(blocks: Block[], outline: OutlineEntry[]): Array<string | undefined> {
  const keys: Array<string | undefined> = new Array(blocks.length).fill(undefined);
  const stack: OutlineEntry[] = [];
  let oi = 0;
  for (let i = 0; i < blocks.length; i++) {
    while (oi < outline.length && outline[oi]!.blockIndex === i) {
      const e = outline[oi]!;
      while (stack.length && stack[stack.length - 1]!.level >= e.level) stack.pop();
      stack.push(e);
      oi++;
    }
    for (let k = stack.length - 1; k >= 0; k--) {
      if (stack[k]!.key) {
        keys[i] = stack[k]!.key;
        break;
      }
    }
  }
  return keys;
}

/**
 * A title run into the paragraph that follows it (the title filled the line, so
 * the line break was taken for a wrap): split it off when a prefix of the
 * paragraph that ends a title word is a known section title, or when a short
 * numbered title ending 情况/说明 stands before a colon.
 */
export function splitRunInTitles(blocks: Block[], match: SectionMatcher): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.kind !== 'paragraph' || !numberingOf(b.text)) {
      out.push(b);
      continue;
    }
    let cut = -1;
    for (const m of b.text.slice(0, 70).matchAll(/(?:情况说明|说明|情况)/g)) {
      const end = (m.index ?? 0) + m[0].length;
      if (end < b.text.length && match(b.text.slice(0, end))) cut = end;
    }
    // a numbered title of some other matter, run in before a colon (（三）一般性支出情况：…),
    // ends the section before it even though it has no key of its own
    if (cut < 0) cut = /^[^：:。；，,]{2,34}?(?:情况|说明)(?=[：:])/.exec(b.text)?.[0].length ?? -1;
    if (cut < 0) {
      out.push(b);
      continue;
    }
    const title = b.text.slice(0, cut);
    const rest = b.text.slice(cut).replace(/^[：:]/, '').trim();
    out.push({ kind: 'heading', text: title, evidence: { ...b.evidence, quote: title, length: title.length } });
    out.push({ kind: 'paragraph', text: rest, evidence: { ...b.evidence, quote: rest.slice(0, 160), ...(b.evidence.offset !== undefined ? { offset: b.evidence.offset + cut } : {}), length: rest.length } });
  }
  return out;
}
