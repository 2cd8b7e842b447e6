/**
 * Page lines in reading order: baseline grouping (pdf-grid `itemsToLines`) plus
 * two-column pages. A page (or a band of it between full-width lines) is read
 * as two columns only when a clear gutter near the middle separates two blocks
 * of justified text; otherwise lines stay in top-to-bottom order. Single-column
 * pages — every page of the current corpus — come out unchanged.
 */
import { confOf, itemsToLines, type TItem } from './pdf-grid.js';

export interface OrderedLine {
  text: string;
  /** sort key in page space (y down): the line's vertical middle, or a rank inside a two-column band */
  y: number;
  size: number;
  /** the line's left and right edges in page space */
  x0: number;
  x1: number;
  /** OCR confidence of its least certain word, when it was read from the image */
  conf?: number;
}

const extent = (items: TItem[]) => {
  const conf = confOf(items);
  return { x0: Math.min(...items.map((it) => it.x)), x1: Math.max(...items.map((it) => it.x + it.w)), ...(conf !== undefined ? { conf } : {}) };
};

const mid = (l: { y: number; size: number }) => l.y - l.size * 0.35;

export function readingOrderLines(items: TItem[], pageWidth: number): OrderedLine[] {
  const lines = itemsToLines(items, true);
  const plain = () => lines.map((l) => ({ text: l.text, y: mid(l), size: l.size, ...extent(l.items) }));
  if (lines.length < 10 || pageWidth <= 0) return plain();
  const gutter = findGutter(lines, pageWidth);
  if (gutter === null) return plain();

  // split into bands separated by lines that cross the gutter
  const out: OrderedLine[] = [];
  let band: typeof lines = [];
  const flush = () => {
    if (band.length === 0) return;
    const left: TItem[] = [];
    const right: TItem[] = [];
    for (const l of band) for (const it of l.items) (it.x + it.w / 2 < gutter ? left : right).push(it);
    const top = mid(band[0]!);
    const bottom = mid(band[band.length - 1]!);
    const ordered = [...itemsToLines(left, true), ...itemsToLines(right, true)];
    ordered.forEach((l, i) => out.push({ text: l.text, y: top + ((bottom - top) * i) / Math.max(1, ordered.length), size: l.size, ...extent(l.items) }));
    band = [];
  };
  for (const l of lines) {
    if (crosses(l.items, gutter)) {
      flush();
      out.push({ text: l.text, y: mid(l), size: l.size, ...extent(l.items) });
    } else band.push(l);
  }
  flush();
  return out;
}

const crosses = (items: TItem[], x: number) => items.some((it) => it.x < x - 1 && it.x + it.w > x + 1);

/**
 * The x of a column gutter, or null. Conditions: an empty vertical strip ≥ 1 em
 * wide in the middle 30–70 % of the page, crossed by at most 10 % of the lines (or two);
 * at least 5 lines on each side; and the left column's lines mostly end at the
 * same x (justified column text, not key/value pairs or a ragged list).
 */
function findGutter(lines: { items: TItem[]; size: number }[], pageWidth: number): number | null {
  const sizes = lines.map((l) => l.size).sort((a, b) => a - b);
  const em = sizes[Math.floor(sizes.length / 2)] ?? 10;
  const lo = Math.floor(pageWidth * 0.3);
  const hi = Math.ceil(pageWidth * 0.7);
  const cross = new Array<number>(hi - lo + 1).fill(0);
  for (const l of lines) {
    for (const it of l.items) {
      const a = Math.max(lo, Math.floor(it.x));
      const b = Math.min(hi, Math.ceil(it.x + it.w));
      for (let x = a; x <= b; x++) cross[x - lo]!++;
    }
  }
  // widest run of positions crossed by ≤ 10 % of the lines
  const limit = Math.max(2, Math.floor(lines.length * 0.1));
  let best: [number, number] | null = null;
  let start = -1;
  for (let i = 0; i <= cross.length; i++) {
    const free = i < cross.length && cross[i]! <= limit;
    if (free && start < 0) start = i;
    if (!free && start >= 0) {
      if (!best || i - start > best[1] - best[0]) best = [start, i];
      start = -1;
    }
  }
  if (!best || best[1] - best[0] < em) return null;
  const gx = lo + (best[0] + best[1]) / 2;
  const gLeft = lo + best[0];
  let leftN = 0,
    rightN = 0,
    flush = 0;
  for (const l of lines) {
    if (crosses(l.items, gx)) continue;
    const left = l.items.filter((it) => it.x + it.w / 2 < gx);
    const right = l.items.filter((it) => it.x + it.w / 2 >= gx);
    if (left.length) {
      leftN++;
      const end = Math.max(...left.map((it) => it.x + it.w));
      if (gLeft - end <= 1.5 * em) flush++;
    }
    if (right.length) rightN++;
  }
  if (leftN < 5 || rightN < 5) return null;
  if (flush < leftN * 0.6) return null;
  return gx;
}
