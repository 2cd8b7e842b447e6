/**
 * Unruled tables: runs of text lines whose numeric cells line up in columns
 * without any ruling. Conservative: a run needs at least three rows with three
 * or more numeric cells (runs of text separated by gaps wider than 1 em), the
 * numeric cells of those rows must share their right edges, and every line in
 * the run must fit the column structure. Narrative text with figures never
 * qualifies, because its numbers sit inside longer runs of text.
 */
import type { Cell } from '../model.js';
import { cellText, confOf, itemsToLines, type TItem } from './pdf-grid.js';

export interface UnruledTable {
  rows: Cell[][];
  xs: number[];
  top: number;
  bottom: number;
}

const NUMERIC = /^[-−(（]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[)）%]?$/;

interface Chunk {
  x1: number;
  x2: number;
  items: TItem[];
  text: string;
  numeric: boolean;
}
interface Row {
  y: number;
  size: number;
  chunks: Chunk[];
  items: TItem[];
}

function chunksOf(items: TItem[]): Chunk[] {
  const sorted = items.slice().sort((a, b) => a.x - b.x);
  const out: Chunk[] = [];
  for (const it of sorted) {
    const cur = out[out.length - 1];
    if (cur && it.x - cur.x2 <= Math.max(it.size, 4)) {
      cur.items.push(it);
      cur.x2 = Math.max(cur.x2, it.x + it.w);
    } else out.push({ x1: it.x, x2: it.x + it.w, items: [it], text: '', numeric: false });
  }
  for (const c of out) {
    c.text = c.items.map((i) => i.str).join('').trim();
    c.numeric = NUMERIC.test(c.text.replace(/\s+/g, ''));
  }
  return out;
}

/**
 * Find unruled tables among the items that no ruled grid claimed. Returns the
 * tables and the items left over for ordinary lines.
 */
export function findUnruledTables(items: TItem[], page: number): { tables: UnruledTable[]; rest: TItem[] } {
  const lines = itemsToLines(items, false);
  const rows: Row[] = lines.map((l) => ({ y: l.y, size: l.size, chunks: chunksOf(l.items), items: l.items }));
  const isNumRow = (r: Row) => r.chunks.filter((c) => c.numeric).length >= 3;
  const tables: UnruledTable[] = [];
  const used = new Set<TItem>();
  let i = 0;
  while (i < rows.length) {
    if (!isNumRow(rows[i]!)) {
      i++;
      continue;
    }
    // candidate run: numeric rows plus lines between them, while the gap between lines stays small
    let j = i + 1;
    let lastNum = i;
    while (j < rows.length && rows[j]!.y - rows[j - 1]!.y <= 3 * Math.max(rows[j]!.size, rows[j - 1]!.size)) {
      if (isNumRow(rows[j]!)) lastNum = j;
      j++;
    }
    const run = rows.slice(i, lastNum + 1);
    const t = tableFromRun(run, page);
    if (t) {
      tables.push(t);
      for (const r of run) for (const it of r.items) used.add(it);
    }
    i = lastNum + 1;
  }
  return { tables, rest: used.size ? items.filter((it) => !used.has(it)) : items };
}

function tableFromRun(run: Row[], page: number): UnruledTable | null {
  const numRows = run.filter((r) => r.chunks.filter((c) => c.numeric).length >= 3);
  if (numRows.length < 3) return null;
  // numeric columns: right edges shared by most numeric rows
  const edges = numRows.flatMap((r) => r.chunks.filter((c) => c.numeric).map((c) => c.x2)).sort((a, b) => a - b);
  const clusters: number[][] = [];
  for (const e of edges) {
    const cur = clusters[clusters.length - 1];
    if (cur && e - cur[cur.length - 1]! <= 3) cur.push(e);
    else clusters.push([e]);
  }
  const strong = clusters.filter((c) => c.length >= Math.ceil(numRows.length * 0.5));
  if (strong.length < 3) return null;
  // every numeric cell must end on a strong edge
  const strongEdges = strong.map((c) => c.reduce((a, b) => a + b, 0) / c.length);
  for (const r of numRows) for (const c of r.chunks) if (c.numeric && !strongEdges.some((e) => Math.abs(e - c.x2) <= 3)) return null;
  // columns = union of chunk extents over the run; a chunk spanning two numeric columns breaks the table
  const spans = run.flatMap((r) => r.chunks.map((c) => [c.x1, c.x2] as [number, number])).sort((a, b) => a[0] - b[0]);
  const cols: [number, number][] = [];
  for (const [a, b] of spans) {
    const cur = cols[cols.length - 1];
    if (cur && a <= cur[1] + 1) cur[1] = Math.max(cur[1], b);
    else cols.push([a, b]);
  }
  if (cols.length < 3) return null;
  const colOfEdge = strongEdges.map((e) => cols.findIndex(([a, b]) => e >= a - 1 && e <= b + 1));
  if (new Set(colOfEdge).size !== strongEdges.length) return null; // two numeric columns fused
  const xs = [cols[0]![0], ...cols.slice(1).map(([a], k) => (cols[k]![1] + a) / 2), cols[cols.length - 1]![1]];
  const rows: Cell[][] = run.map((r) => {
    const byCol: TItem[][] = cols.map(() => []);
    for (const ch of r.chunks) {
      const k = cols.findIndex(([a, b]) => ch.x1 >= a - 1 && ch.x2 <= b + 1);
      byCol[k < 0 ? 0 : k]!.push(...ch.items);
    }
    return byCol.map((its) => {
      const conf = confOf(its);
      return { text: cellText(its), rowSpan: 1, colSpan: 1, page, ...(conf !== undefined ? { conf } : {}) };
    });
  });
  const first = run[0]!;
  const last = run[run.length - 1]!;
  return { rows, xs, top: first.y - first.size, bottom: last.y + last.size * 0.3 };
}
