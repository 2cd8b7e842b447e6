/**
 * Ruled table grids from a pdfjs operator list (see guides/stack.md §4).
 *
 * Everything here works in "device" space: the page viewport at scale 1
 * (origin top-left, y pointing down), after the page has been un-rotated so
 * that its text runs left to right. Pure functions on plain data: no pdfjs
 * import, so they can be unit-tested with hand-made segments.
 */
import type { Cell } from '../model.js';
import { collapseCjkSpacing, normaliseText } from './normalise.js';

/** A text run in device space: `x` left edge, `y` baseline, `w` advance width, `size` font size. */
export interface TItem {
  str: string;
  x: number;
  y: number;
  w: number;
  size: number;
  /** OCR confidence (0–1): the item was read from the page's image */
  conf?: number;
}

/** The lowest OCR confidence among items, or undefined when none was OCR'd. */
export function confOf(items: readonly TItem[]): number | undefined {
  let c: number | undefined;
  for (const it of items) if (it.conf !== undefined) c = c === undefined ? it.conf : Math.min(c, it.conf);
  return c;
}

export interface HSeg {
  y: number;
  x1: number;
  x2: number;
}
export interface VSeg {
  x: number;
  y1: number;
  y2: number;
}
export interface Rulings {
  h: HSeg[];
  v: VSeg[];
}

export type Matrix = [number, number, number, number, number, number];

/** pdfjs OPS values used here (pdfjs-dist 5.x; DrawOPS is not exported, so both are hard-coded). */
const OP = {
  save: 10,
  restore: 11,
  transform: 12,
  stroke: 20,
  closeStroke: 21,
  fill: 22,
  eoFill: 23,
  fillStroke: 24,
  eoFillStroke: 25,
  closeFillStroke: 26,
  closeEOFillStroke: 27,
  endPath: 28,
  setStrokeRGBColor: 58,
  setFillRGBColor: 59,
  paintFormXObjectBegin: 74,
  paintFormXObjectEnd: 75,
  constructPath: 91,
} as const;
const DRAW = { moveTo: 0, lineTo: 1, curveTo: 2, quadraticCurveTo: 3, closePath: 4 } as const;

const STROKES = new Set<number>([OP.stroke, OP.closeStroke, OP.fillStroke, OP.eoFillStroke, OP.closeFillStroke, OP.closeEOFillStroke]);
const FILLS = new Set<number>([OP.fill, OP.eoFill, OP.fillStroke, OP.eoFillStroke, OP.closeFillStroke, OP.closeEOFillStroke]);

/** Axis-alignment tolerance for stroked segments (pt). */
const AXIS_TOL = 0.8;
/** Filled rectangles thinner than this are rulings (WPS / Word cell borders). */
const THIN_FILL = 2.5;
/** Collinear pieces closer than this are one ruling. */
const MERGE_GAP = 2;
/** Crossing tolerance when connecting horizontal and vertical rulings. */
const TOUCH = 2;

export function mul(m1: readonly number[], m2: readonly number[]): Matrix {
  const [a1, b1, c1, d1, e1, f1] = m1 as Matrix;
  const [a2, b2, c2, d2, e2, f2] = m2 as Matrix;
  return [a1 * a2 + c1 * b2, b1 * a2 + d1 * b2, a1 * c2 + c1 * d2, b1 * c2 + d1 * d2, a1 * e2 + c1 * f2 + e1, b1 * e2 + d1 * f2 + f1];
}

export function apply(m: readonly number[], x: number, y: number): [number, number] {
  return [m[0]! * x + m[2]! * y + m[4]!, m[1]! * x + m[3]! * y + m[5]!];
}

const isWhite = (c: unknown) => typeof c === 'string' && /^#f{6}$/i.test(c);

/**
 * One painted path: its DrawOPS buffer in user space, the CTM it was painted
 * under, and whether it was stroked and/or filled in a colour other than white.
 * Both PDF readers produce these (pdfjs's operator list through
 * `paintsFromOperatorList`, the fast reader while it interprets the content
 * stream); `rulingsFromPaints` turns them into rulings once the page's
 * orientation is known.
 */
export interface Paint {
  ctm: Matrix;
  buf: ArrayLike<number>;
  stroke: boolean;
  fill: boolean;
}

/** The paint operator of a path: a pdfjs OPS value (stroke, fill, … endPath). */
export type PaintOp = number;
export const PAINT = {
  stroke: OP.stroke,
  closeStroke: OP.closeStroke,
  fill: OP.fill,
  eoFill: OP.eoFill,
  fillStroke: OP.fillStroke,
  eoFillStroke: OP.eoFillStroke,
  closeFillStroke: OP.closeFillStroke,
  closeEOFillStroke: OP.closeEOFillStroke,
  endPath: OP.endPath,
} as const;
export { DRAW };

/** Graphics state as far as rulings care: CTM and whether stroke/fill colours are white. */
export class PaintRecorder {
  readonly paints: Paint[] = [];
  ctm: Matrix = [1, 0, 0, 1, 0, 0];
  strokeWhite = false;
  fillWhite = false;
  private readonly stack: { ctm: Matrix; strokeWhite: boolean; fillWhite: boolean }[] = [];

  save(): void {
    this.stack.push({ ctm: this.ctm, strokeWhite: this.strokeWhite, fillWhite: this.fillWhite });
  }
  restore(): void {
    const s = this.stack.pop();
    if (s) ({ ctm: this.ctm, strokeWhite: this.strokeWhite, fillWhite: this.fillWhite } = s);
  }
  transform(m: readonly number[]): void {
    this.ctm = mul(this.ctm, m);
  }
  paint(op: PaintOp, buf: ArrayLike<number> | null | undefined): void {
    if (op === OP.endPath || !buf) return; // a clip path, not ink
    const stroke = STROKES.has(op) && !this.strokeWhite;
    const fill = FILLS.has(op) && !this.fillWhite;
    if (stroke || fill) this.paints.push({ ctm: this.ctm, buf, stroke, fill });
  }
}

/** The painted paths of a pdfjs operator list. */
export function paintsFromOperatorList(fnArray: ArrayLike<number>, argsArray: ArrayLike<unknown>): Paint[] {
  const rec = new PaintRecorder();
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i]!;
    const args = argsArray[i] as unknown[] | null;
    switch (fn) {
      case OP.save:
        rec.save();
        break;
      case OP.restore:
        rec.restore();
        break;
      case OP.transform:
        if (args && args.length >= 6) rec.transform(args as number[]);
        break;
      case OP.paintFormXObjectBegin: {
        rec.save();
        const m = args?.[0];
        if (Array.isArray(m) || ArrayBuffer.isView(m)) rec.transform(Array.from(m as ArrayLike<number>));
        break;
      }
      case OP.paintFormXObjectEnd:
        rec.restore();
        break;
      case OP.setStrokeRGBColor:
        rec.strokeWhite = isWhite(args?.[0]);
        break;
      case OP.setFillRGBColor:
        rec.fillWhite = isWhite(args?.[0]);
        break;
      case OP.constructPath: {
        if (!args) break;
        const bufs = args[1];
        rec.paint(args[0] as number, (Array.isArray(bufs) ? bufs[0] : bufs) as ArrayLike<number> | null | undefined);
        break;
      }
      default:
        break;
    }
  }
  return rec.paints;
}

/**
 * Ruling segments from painted paths. `base` maps user space to device space
 * (viewport transform, possibly followed by the un-rotation).
 */
export function rulingsFromPaints(paints: readonly Paint[], base: readonly number[]): Rulings {
  const h: HSeg[] = [];
  const v: VSeg[] = [];
  const addSeg = (x1: number, y1: number, x2: number, y2: number) => {
    if (Math.abs(y1 - y2) <= AXIS_TOL && Math.abs(x1 - x2) >= 0.5) {
      h.push({ y: (y1 + y2) / 2, x1: Math.min(x1, x2), x2: Math.max(x1, x2) });
    } else if (Math.abs(x1 - x2) <= AXIS_TOL && Math.abs(y1 - y2) >= 0.5) {
      v.push({ x: (x1 + x2) / 2, y1: Math.min(y1, y2), y2: Math.max(y1, y2) });
    }
  };
  for (const p of paints) walkPath(p.buf, mul(base, p.ctm), p.stroke ? addSeg : null, p.fill ? (poly) => thinFill(poly, addSeg) : null);
  return { h, v };
}

/** Collect ruling segments from an operator list (see `rulingsFromPaints`). */
export function rulingsFromOperatorList(fnArray: ArrayLike<number>, argsArray: ArrayLike<unknown>, base: readonly number[]): Rulings {
  return rulingsFromPaints(paintsFromOperatorList(fnArray, argsArray), base);
}

/** Walk a DrawOPS buffer: report stroked line segments and each line-only subpath polygon. */
function walkPath(
  buf: ArrayLike<number>,
  m: Matrix,
  onSeg: ((x1: number, y1: number, x2: number, y2: number) => void) | null,
  onPoly: ((pts: [number, number][]) => void) | null,
) {
  let cx = 0,
    cy = 0,
    sx = 0,
    sy = 0;
  let poly: [number, number][] = [];
  let curved = false;
  const endSub = () => {
    if (onPoly && !curved && poly.length >= 3) onPoly(poly);
    poly = [];
    curved = false;
  };
  let i = 0;
  while (i < buf.length) {
    const op = buf[i++]!;
    if (op === DRAW.moveTo) {
      endSub();
      [cx, cy] = apply(m, buf[i]!, buf[i + 1]!);
      i += 2;
      sx = cx;
      sy = cy;
      poly.push([cx, cy]);
    } else if (op === DRAW.lineTo) {
      const [x, y] = apply(m, buf[i]!, buf[i + 1]!);
      i += 2;
      onSeg?.(cx, cy, x, y);
      cx = x;
      cy = y;
      poly.push([x, y]);
    } else if (op === DRAW.curveTo) {
      [cx, cy] = apply(m, buf[i + 4]!, buf[i + 5]!);
      i += 6;
      curved = true;
    } else if (op === DRAW.quadraticCurveTo) {
      [cx, cy] = apply(m, buf[i + 2]!, buf[i + 3]!);
      i += 4;
      curved = true;
    } else if (op === DRAW.closePath) {
      if (cx !== sx || cy !== sy) onSeg?.(cx, cy, sx, sy);
      cx = sx;
      cy = sy;
    } else {
      break; // unknown code: stop rather than misread the buffer
    }
  }
  endSub();
}

/** A filled axis-aligned rectangle thinner than THIN_FILL becomes a ruling along its long axis. */
function thinFill(pts: [number, number][], addSeg: (x1: number, y1: number, x2: number, y2: number) => void) {
  if (pts.length > 5) return;
  let x1 = Infinity,
    y1 = Infinity,
    x2 = -Infinity,
    y2 = -Infinity;
  for (const [x, y] of pts) {
    x1 = Math.min(x1, x);
    x2 = Math.max(x2, x);
    y1 = Math.min(y1, y);
    y2 = Math.max(y2, y);
  }
  const w = x2 - x1;
  const hgt = y2 - y1;
  // axis-aligned: every vertex on the bounding box corners, give or take the line's own
  // width (some writers bevel a ruling's ends: 798 42.41 m 42 42.41 l 42 43.16 l 797.25 43.16 l)
  const slack = Math.min(w, hgt) + 0.3;
  for (const [x, y] of pts) {
    const onX = Math.abs(x - x1) < slack || Math.abs(x - x2) < slack;
    const onY = Math.abs(y - y1) < slack || Math.abs(y - y2) < slack;
    if (!onX || !onY) return;
  }
  if (hgt < THIN_FILL && w > hgt && w >= 1) addSeg(x1, (y1 + y2) / 2, x2, (y1 + y2) / 2);
  else if (w < THIN_FILL && hgt > w && hgt >= 1) addSeg((x1 + x2) / 2, y1, (x1 + x2) / 2, y2);
}

/** Merge collinear, overlapping or nearly touching pieces. */
export function mergeRulings(r: Rulings): Rulings {
  const h: HSeg[] = [];
  const hs = r.h.slice().sort((a, b) => a.y - b.y || a.x1 - b.x1);
  for (const group of clusterBy(hs, (s) => s.y, 1)) {
    const y = group.reduce((s, g) => s + g.y, 0) / group.length;
    group.sort((a, b) => a.x1 - b.x1);
    let cur: HSeg | null = null;
    for (const s of group) {
      if (cur && s.x1 <= cur.x2 + MERGE_GAP) cur.x2 = Math.max(cur.x2, s.x2);
      else {
        cur = { y, x1: s.x1, x2: s.x2 };
        h.push(cur);
      }
    }
  }
  const v: VSeg[] = [];
  const vs = r.v.slice().sort((a, b) => a.x - b.x || a.y1 - b.y1);
  for (const group of clusterBy(vs, (s) => s.x, 1)) {
    const x = group.reduce((s, g) => s + g.x, 0) / group.length;
    group.sort((a, b) => a.y1 - b.y1);
    let cur: VSeg | null = null;
    for (const s of group) {
      if (cur && s.y1 <= cur.y2 + MERGE_GAP) cur.y2 = Math.max(cur.y2, s.y2);
      else {
        cur = { x, y1: s.y1, y2: s.y2 };
        v.push(cur);
      }
    }
  }
  return { h, v };
}

/** Split a list sorted by key into runs whose consecutive keys differ by at most tol. */
function clusterBy<T>(sorted: T[], key: (t: T) => number, tol: number): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let last = -Infinity;
  for (const t of sorted) {
    const k = key(t);
    if (cur.length && k - last > tol) {
      out.push(cur);
      cur = [];
    }
    cur.push(t);
    last = k;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Cluster numbers (any order) within tol; returns sorted cluster means. */
function clusterValues(vals: number[], tol: number): number[] {
  const s = vals.slice().sort((a, b) => a - b);
  return clusterBy(s, (x) => x, tol).map((g) => g.reduce((a, b) => a + b, 0) / g.length);
}

/** Drop boundaries closer than minGap to the previous one (double borders). */
function dropThin(bounds: number[], minGap: number): number[] {
  const out: number[] = [];
  for (const b of bounds) {
    if (out.length && b - out[out.length - 1]! < minGap) {
      // keep the outermost boundary at the ends, the first one inside
      if (out.length === 1) continue;
      continue;
    }
    out.push(b);
  }
  // if the last boundary was swallowed, make sure the outer edge is the max
  if (bounds.length && out.length >= 2) out[out.length - 1] = Math.max(out[out.length - 1]!, bounds[bounds.length - 1]!);
  return out;
}

export interface GridCell {
  r: number;
  c: number;
  rowSpan: number;
  colSpan: number;
  items: TItem[];
}

export interface Grid {
  xs: number[];
  ys: number[];
  h: HSeg[];
  v: VSeg[];
  /** owner[r][c] = index in `cells` of the (merged) cell covering base cell (r, c) */
  owner: number[][];
  cells: GridCell[];
}

export function gridBox(g: Grid) {
  return { x1: g.xs[0]!, x2: g.xs[g.xs.length - 1]!, y1: g.ys[0]!, y2: g.ys[g.ys.length - 1]! };
}

export function hasV(g: Grid, x: number, y: number): boolean {
  return g.v.some((s) => Math.abs(s.x - x) <= TOUCH && y >= s.y1 - 1 && y <= s.y2 + 1);
}
export function hasH(g: Grid, y: number, x: number): boolean {
  return g.h.some((s) => Math.abs(s.y - y) <= TOUCH && x >= s.x1 - 1 && x <= s.x2 + 1);
}

/** Connected components of crossing rulings → grids with merged cells. */
export function buildGrids(raw: Rulings): Grid[] {
  const { h, v } = mergeRulings(raw);
  const n = h.length + v.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const touches = (a: HSeg, b: VSeg) => b.x >= a.x1 - TOUCH && b.x <= a.x2 + TOUCH && a.y >= b.y1 - TOUCH && a.y <= b.y2 + TOUCH;
  for (let i = 0; i < h.length; i++) {
    for (let j = 0; j < v.length; j++) {
      if (touches(h[i]!, v[j]!)) {
        const a = find(i);
        const b = find(h.length + j);
        if (a !== b) parent[a] = b;
      }
    }
  }
  const comps = new Map<number, { h: HSeg[]; v: VSeg[] }>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    let c = comps.get(root);
    if (!c) comps.set(root, (c = { h: [], v: [] }));
    if (i < h.length) c.h.push(h[i]!);
    else c.v.push(v[i - h.length]!);
  }
  const grids: Grid[] = [];
  for (const c of comps.values()) {
    if (c.h.length === 0 || c.v.length === 0) continue;
    const g = gridFromComponent(c.h, c.v);
    if (g) grids.push(g);
  }
  grids.sort((a, b) => a.ys[0]! - b.ys[0]! || a.xs[0]! - b.xs[0]!);
  return grids;
}

function gridFromComponent(h0: HSeg[], v0: VSeg[]): Grid | null {
  const h = h0.slice();
  const v = v0.slice();
  let xs = dropThin(clusterValues(v.map((s) => s.x), TOUCH), 3);
  let ys = dropThin(clusterValues(h.map((s) => s.y), TOUCH), 3);
  if (xs.length < 1 || ys.length < 1) return null;
  // synthetic outer rules where the crossing lines run past the last rule (tables broken across pages, open sides)
  const vTop = Math.min(...v.map((s) => s.y1));
  const vBot = Math.max(...v.map((s) => s.y2));
  const hLeft = Math.min(...h.map((s) => s.x1));
  const hRight = Math.max(...h.map((s) => s.x2));
  const EXT = 4;
  if (vTop < ys[0]! - EXT) ys = [vTop, ...ys];
  if (vBot > ys[ys.length - 1]! + EXT) ys = [...ys, vBot];
  if (hLeft < xs[0]! - EXT) xs = [hLeft, ...xs];
  if (hRight > xs[xs.length - 1]! + EXT) xs = [...xs, hRight];
  if (xs.length < 2 || ys.length < 2) return null;
  const X1 = xs[0]!,
    X2 = xs[xs.length - 1]!,
    Y1 = ys[0]!,
    Y2 = ys[ys.length - 1]!;
  // the outer synthetic rules count as present everywhere
  if (!h.some((s) => Math.abs(s.y - Y1) <= TOUCH)) h.push({ y: Y1, x1: X1, x2: X2 });
  if (!h.some((s) => Math.abs(s.y - Y2) <= TOUCH)) h.push({ y: Y2, x1: X1, x2: X2 });
  if (!v.some((s) => Math.abs(s.x - X1) <= TOUCH)) v.push({ x: X1, y1: Y1, y2: Y2 });
  if (!v.some((s) => Math.abs(s.x - X2) <= TOUCH)) v.push({ x: X2, y1: Y1, y2: Y2 });

  const R = ys.length - 1;
  const C = xs.length - 1;
  if (C < 2 && R < 2) return null; // a single box (frame, boxed paragraph) is not a table
  if (C < 1 || R < 1) return null;
  const g: Grid = { xs, ys, h, v, owner: [], cells: [] };

  // union-find over base cells: neighbours with no rule at the midpoint of their shared edge are one cell
  const id = (r: number, c: number) => r * C + c;
  const par = Array.from({ length: R * C }, (_, i) => i);
  const find = (i: number): number => {
    while (par[i] !== i) {
      par[i] = par[par[i]!]!;
      i = par[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a),
      rb = find(b);
    if (ra !== rb) par[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let r = 0; r < R; r++) {
    const ym = (ys[r]! + ys[r + 1]!) / 2;
    for (let c = 0; c < C - 1; c++) if (!hasV(g, xs[c + 1]!, ym)) union(id(r, c), id(r, c + 1));
  }
  for (let c = 0; c < C; c++) {
    const xm = (xs[c]! + xs[c + 1]!) / 2;
    for (let r = 0; r < R - 1; r++) if (!hasH(g, ys[r + 1]!, xm)) union(id(r, c), id(r + 1, c));
  }
  // make every merged region rectangular (bounding box), repeating until stable
  for (let changed = true; changed; ) {
    changed = false;
    const box = new Map<number, [number, number, number, number]>();
    for (let r = 0; r < R; r++)
      for (let c = 0; c < C; c++) {
        const k = find(id(r, c));
        const b = box.get(k);
        if (!b) box.set(k, [r, c, r, c]);
        else {
          b[0] = Math.min(b[0], r);
          b[1] = Math.min(b[1], c);
          b[2] = Math.max(b[2], r);
          b[3] = Math.max(b[3], c);
        }
      }
    for (const [k, [r1, c1, r2, c2]] of box)
      for (let r = r1; r <= r2; r++)
        for (let c = c1; c <= c2; c++)
          if (find(id(r, c)) !== find(k)) {
            union(id(r, c), k);
            changed = true;
          }
  }
  const index = new Map<number, number>();
  for (let r = 0; r < R; r++) {
    const row: number[] = [];
    for (let c = 0; c < C; c++) {
      const k = find(id(r, c));
      let ci = index.get(k);
      if (ci === undefined) {
        ci = g.cells.length;
        index.set(k, ci);
        g.cells.push({ r, c, rowSpan: 1, colSpan: 1, items: [] });
      }
      const cell = g.cells[ci]!;
      cell.rowSpan = Math.max(cell.rowSpan, r - cell.r + 1);
      cell.colSpan = Math.max(cell.colSpan, c - cell.c + 1);
      row.push(ci);
    }
    g.owner.push(row);
  }
  if (g.cells.length < 2) return null;
  return g;
}

const WIDE = /[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** Estimated advance of each character (1 em wide, 0.5 em other), scaled to the item's width. */
function advances(it: TItem): number[] {
  const chars = Array.from(it.str);
  const est = chars.map((ch) => (WIDE.test(ch) ? 1 : 0.5));
  const total = est.reduce((a, b) => a + b, 0) || 1;
  const k = it.w / total;
  return est.map((e) => e * k);
}

/**
 * Split text items that straddle a vertical rule of a grid (pdfjs merges close runs,
 * e.g. `24,458.43 一、一般公共服务支出` across two cells).
 */
export function splitStraddlers(items: TItem[], grids: Grid[]): TItem[] {
  if (grids.length === 0) return items;
  const out: TItem[] = [];
  // the parts of a split item are examined again (right part first) before the next item;
  // a stack per item keeps that order without shifting the whole list (quadratic on big pages)
  const stack: TItem[] = [];
  for (const item of items) {
    stack.push(item);
    while (stack.length) splitOne(stack.pop()!, grids, out, stack);
  }
  return out;
}

function splitOne(it: TItem, grids: Grid[], out: TItem[], stack: TItem[]): void {
  const cy = it.y - it.size / 3;
  let split: [TItem, TItem] | null = null;
  for (const g of grids) {
    if (cy < g.ys[0]! || cy > g.ys[g.ys.length - 1]!) continue;
    const margin = Math.min(it.size * 0.3, it.w * 0.1);
    for (let k = 0; k < g.xs.length && !split; k++) {
      const bx = g.xs[k]!;
      if (bx <= it.x + margin || bx >= it.x + it.w - margin) continue;
      if (!hasV(g, bx, cy)) continue;
      split = splitAt(it, bx);
    }
    if (split) break;
  }
  if (!split) {
    out.push(it);
    return;
  }
  for (const part of split) if (part.str.trim() !== '') stack.push(part);
}

function splitAt(it: TItem, bx: number): [TItem, TItem] | null {
  const chars = Array.from(it.str);
  if (chars.length < 2) return null;
  const adv = advances(it);
  let acc = 0;
  let best = -1;
  let bestD = Infinity;
  for (let i = 1; i < chars.length; i++) {
    acc += adv[i - 1]!;
    const d = Math.abs(it.x + acc - bx);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  if (best <= 0) return null;
  const leftW = adv.slice(0, best).reduce((a, b) => a + b, 0);
  return [
    { str: chars.slice(0, best).join(''), x: it.x, y: it.y, w: leftW, size: it.size, ...(it.conf !== undefined ? { conf: it.conf } : {}) },
    { str: chars.slice(best).join(''), x: it.x + leftW, y: it.y, w: it.w - leftW, size: it.size, ...(it.conf !== undefined ? { conf: it.conf } : {}) },
  ];
}

/** Find the grid and base cell containing a point. */
function locate(grids: Grid[], x: number, y: number): { g: Grid; r: number; c: number } | null {
  for (const g of grids) {
    const { x1, x2, y1, y2 } = gridBox(g);
    if (x < x1 || x > x2 || y < y1 || y > y2) continue;
    let c = 0;
    while (c < g.xs.length - 2 && x >= g.xs[c + 1]!) c++;
    let r = 0;
    while (r < g.ys.length - 2 && y >= g.ys[r + 1]!) r++;
    return { g, r, c };
  }
  return null;
}

/**
 * Assign items to grid cells by their centre. Returns the items that fall in
 * no grid (they become page lines).
 */
export function assignItems(items: TItem[], grids: Grid[]): TItem[] {
  const rest: TItem[] = [];
  for (const it of items) {
    const hit = locate(grids, it.x + it.w / 2, it.y - it.size / 3);
    if (!hit) {
      rest.push(it);
      continue;
    }
    hit.g.cells[hit.g.owner[hit.r]![hit.c]!]!.items.push(it);
  }
  return rest;
}

/** Build text lines from items: group by baseline, sort by x, space for gaps > 0.5 em, tab for > 2 em. */
export function itemsToLines(items: TItem[], tabs: boolean): { text: string; y: number; size: number; items: TItem[] }[] {
  const sorted = items.slice().sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: { y: number; size: number; items: TItem[] }[] = [];
  for (const it of sorted) {
    const cur = lines[lines.length - 1];
    if (cur && Math.abs(it.y - cur.y) <= Math.max(2, 0.4 * Math.max(it.size, cur.size))) {
      cur.items.push(it);
      cur.size = Math.max(cur.size, it.size);
    } else lines.push({ y: it.y, size: it.size, items: [it] });
  }
  return lines.map((l) => {
    l.items.sort((a, b) => a.x - b.x);
    let text = '';
    let end = -Infinity;
    for (const it of l.items) {
      const gap = it.x - end;
      const em = Math.max(it.size, 1);
      if (text !== '') {
        if (tabs && gap > 2 * em) text += '\t';
        else if (gap > 0.5 * em) text += ' ';
      }
      text += it.str;
      end = Math.max(end, it.x + it.w);
    }
    return { text, y: l.y, size: l.size, items: l.items };
  });
}

/** Join wrapped cell lines: nothing between CJK, a space between two words or numbers (`7368.86 7734.75`). */
function joinCellLines(lines: string[]): string {
  let out = '';
  for (const t of lines) {
    if (out !== '' && /[A-Za-z0-9%)]$/.test(out) && /^[A-Za-z0-9(-]/.test(t)) out += ' ';
    out += t;
  }
  return out;
}

/** Text of one cell: its lines joined without spaces between CJK. */
export function cellText(items: TItem[]): string {
  if (items.length === 0) return '';
  const lines = itemsToLines(items, false).map((l) => collapseCjkSpacing(normaliseText(l.text)).trim());
  return collapseCjkSpacing(joinCellLines(lines.filter((l) => l !== ''))).replace(/[ \t]+/g, ' ').trim();
}

/**
 * Rows of model cells: one cell per top-left position, none for covered positions.
 * `cols[i][j]` is the base column of `rows[i][j]`.
 */
export function gridRows(g: Grid, page: number): { rows: Cell[][]; cols: number[][] } {
  const R = g.ys.length - 1;
  const rows: Cell[][] = Array.from({ length: R }, () => []);
  const cols: number[][] = Array.from({ length: R }, () => []);
  const byPos = g.cells.slice().sort((a, b) => a.r - b.r || a.c - b.c);
  for (const c of byPos) {
    const conf = confOf(c.items);
    rows[c.r]!.push({ text: cellText(c.items), rowSpan: c.rowSpan, colSpan: c.colSpan, page, ...(conf !== undefined ? { conf } : {}) });
    cols[c.r]!.push(c.c);
  }
  return { rows, cols };
}

const NUMERIC_LINE = /^[-(（]?[\d,，.．]+[)）%]?$/;
const ONE_NUMBER = /^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$/;

/**
 * A row rule the page does not show (a pale rule lost in a scan): one cell then holds
 * two or more numbers stacked on separate lines, which no cell of a table does. Each
 * such row is cut between those lines, and every cell of the row is split with it, its
 * words going to the part they sit in. Cells spanning the row from above grow instead.
 */
export function splitStackedRows(g: Grid): void {
  for (let r = g.ys.length - 2; r >= 0; r--) {
    let cuts: number[] | undefined;
    for (const cell of g.cells) {
      if (cell.r !== r || cell.rowSpan !== 1 || cell.items.length < 2) continue;
      const lines = itemsToLines(cell.items, false);
      if (lines.length < 2 || !lines.every((l) => NUMERIC_LINE.test(l.text.replace(/\s+/g, '')))) continue;
      // a number too wide for its cell wraps (`24995.9` over `4`, `3800.0` over `0`): its
      // lines make one number, and its first line fills the cell or the last is a remnant
      const first = lines[0]!.items;
      const filledWidth = Math.max(...first.map((it) => it.x + it.w)) - Math.min(...first.map((it) => it.x));
      const texts = lines.map((l) => l.text.replace(/\s+/g, ''));
      const remnant = texts[texts.length - 1]!.length < texts[0]!.length;
      if (ONE_NUMBER.test(texts.join('')) && (remnant || filledWidth >= 0.7 * (g.xs[cell.c + cell.colSpan]! - g.xs[cell.c]!))) continue;
      // a cut halfway between one line's baseline and the next line's top
      const at = lines.slice(1).map((l, k) => (lines[k]!.y + l.y - l.size) / 2);
      if (at.every((y, k) => y > g.ys[r]! && y < g.ys[r + 1]! && y > lines[k]!.y - 0.2 * lines[k]!.size)) {
        cuts = at;
        break;
      }
    }
    if (cuts) cutRow(g, r, cuts);
  }
}

function cutRow(g: Grid, r: number, cuts: number[]): void {
  const n = cuts.length;
  const partOf = (it: TItem) => {
    const y = it.y - it.size / 3;
    let k = 0;
    while (k < n && y > cuts[k]!) k++;
    return k;
  };
  const cells: GridCell[] = [];
  for (const cell of g.cells) {
    if (cell.r > r) cells.push({ ...cell, r: cell.r + n });
    else if (cell.r + cell.rowSpan - 1 < r) cells.push(cell);
    else if (cell.r < r || cell.rowSpan > 1) cells.push({ ...cell, rowSpan: cell.rowSpan + n });
    else for (let k = 0; k <= n; k++) cells.push({ ...cell, r: r + k, items: cell.items.filter((it) => partOf(it) === k) });
  }
  g.ys = [...g.ys.slice(0, r + 1), ...cuts, ...g.ys.slice(r + 1)];
  for (const y of cuts) g.h.push({ y, x1: g.xs[0]!, x2: g.xs[g.xs.length - 1]! });
  const C = g.xs.length - 1;
  g.cells = cells;
  g.owner = Array.from({ length: g.ys.length - 1 }, () => new Array<number>(C).fill(0));
  cells.forEach((cell, i) => {
    for (let rr = cell.r; rr < cell.r + cell.rowSpan; rr++) for (let c = cell.c; c < cell.c + cell.colSpan; c++) g.owner[rr]![c] = i;
  });
}
