/**
 * A page image → what the PDF page pipeline reads from a text page: text items (the
 * OCR engine's boxes, each with its confidence) and ruling segments (long dark runs
 * of the binarised image). The same grid, table and line code then runs on them as
 * on a page with a text layer, so scanned tables reach the same table readers.
 *
 * Coordinates: the image is `scale` pixels per PDF point, y down. A page scanned
 * slightly askew is straightened first: the slant of the engine's text boxes gives
 * the angle, the boxes are turned back, and so is the image before rulings are
 * looked for (a 1° slant moves a ruling 28 px over an A4 width).
 */
import type { HSeg, Rulings, VSeg } from '../pdf-grid.js';
import type { OcrBox, OcrImage } from './engine.js';

export interface OcrPageText {
  /** items as the PDF pipeline takes them, in viewport space (identity transform), with confidence */
  items: Array<{ str: string; transform: number[]; width: number; conf: number }>;
  rulings: Rulings;
  /** the slant that was straightened, in degrees */
  skew: number;
}

/** Grey levels (0 black … 255 white) of an RGBA, RGB or grey image. */
export function toGrey(img: OcrImage): Uint8Array {
  const n = img.width * img.height;
  const ch = Math.round(img.data.length / n);
  if (ch === 1) return img.data;
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += ch) out[i] = (img.data[j]! * 299 + img.data[j + 1]! * 587 + img.data[j + 2]! * 114) / 1000;
  return out;
}

/** The slant of the page's text, in degrees (positive: lines rise to the right… in y-down pixels, fall). */
export function skewOf(boxes: readonly OcrBox[]): number {
  const angles: Array<{ a: number; w: number }> = [];
  for (const b of boxes) {
    if (!b.quad) continue;
    const [p0, p1, , p3] = b.quad;
    const dx = p1![0] - p0![0];
    const dy = p1![1] - p0![1];
    const h = Math.hypot(p3![0] - p0![0], p3![1] - p0![1]);
    const w = Math.hypot(dx, dy);
    // long lines only: a short box's corners say little about its slant
    if (w < 4 * h || w < 60) continue;
    angles.push({ a: (Math.atan2(dy, dx) * 180) / Math.PI, w });
  }
  if (angles.length < 3) return 0;
  angles.sort((x, y) => x.a - y.a);
  // weighted median
  const total = angles.reduce((s, x) => s + x.w, 0);
  let acc = 0;
  for (const x of angles) {
    acc += x.w;
    if (acc >= total / 2) return Math.abs(x.a) > 10 ? 0 : x.a;
  }
  return 0;
}

/** Turn a grey image by −angle degrees about its centre (nearest neighbour; white outside). */
export function rotateGrey(grey: Uint8Array, w: number, h: number, angle: number): Uint8Array {
  const out = new Uint8Array(w * h).fill(255);
  const t = (angle * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const cx = w / 2;
  const cy = h / 2;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    for (let x = 0; x < w; x++) {
      const dx = x - cx;
      // the source pixel of (x, y) in the straightened image
      const sx = Math.round(cx + dx * cos - dy * sin);
      const sy = Math.round(cy + dx * sin + dy * cos);
      if (sx >= 0 && sy >= 0 && sx < w && sy < h) out[y * w + x] = grey[sy * w + sx]!;
    }
  }
  return out;
}

/** A point of the slanted image in the straightened one (turned by −angle about the centre). */
function straighten(p: [number, number], w: number, h: number, angle: number): [number, number] {
  const t = (-angle * Math.PI) / 180;
  const dx = p[0] - w / 2;
  const dy = p[1] - h / 2;
  return [w / 2 + dx * Math.cos(t) - dy * Math.sin(t), h / 2 + dx * Math.sin(t) + dy * Math.cos(t)];
}

/**
 * The glyphs of the text boxes: not looked at for rulings. The detector pads each box
 * by about 0.3 of its height on every side (PaddleOCR's unclip), and a ruling beside
 * the text lies in that padding: only the box's core is left out.
 */
function textMask(w: number, h: number, boxes: readonly OcrBox[]): Uint8Array {
  const mask = new Uint8Array(w * h);
  for (const b of boxes) {
    const pad = (b.box[3] - b.box[1]) * 0.22;
    const x0 = Math.max(0, Math.floor(b.box[0] + pad));
    const x1 = Math.min(w, Math.ceil(b.box[2] - pad));
    const y0 = Math.max(0, Math.floor(b.box[1] + pad));
    const y1 = Math.min(h, Math.ceil(b.box[3] - pad));
    for (let y = y0; y < y1; y++) mask.fill(1, y * w + x0, y * w + Math.max(x0, x1));
  }
  return mask;
}

/**
 * The grey level of the paper: the commonest level among the light ones. Rulings are
 * often thin and grey (Beijing prints them in light grey): anything clearly darker than
 * the paper may be one, as the text has been blanked out first.
 */
export function paperOf(grey: Uint8Array): number {
  const hist = new Array<number>(256).fill(0);
  for (let i = 0; i < grey.length; i += 7) hist[grey[i]!]!++;
  let best = 255;
  for (let v = 160; v < 256; v++) if (hist[v]! > hist[best]!) best = v;
  return best;
}

/**
 * Ruling lines of a grey image: horizontal and vertical runs of dark pixels far
 * longer than any stroke of a character. Text is not looked at (`mask`: the glyphs
 * of the engine's text boxes) and does not break a run. Scans break thin lines and a slight
 * slant turns a line into a staircase of short runs in neighbouring rows (columns):
 * runs are collected from a few pixels long, chained when they continue one another,
 * and kept when the chain is long and thin. In image pixels.
 */
export function imageRulings(grey: Uint8Array, w: number, h: number, mask?: Uint8Array, threshold = paperOf(grey) - 35): { h: HSeg[]; v: VSeg[] } {
  const gap = 3;
  const piece = 8;
  const scan = (n: number, len: number, at: (i: number, k: number) => number, out: Run[], bridge: boolean) => {
    for (let i = 0; i < n; i++) {
      let start = -1;
      let lastDark = -1;
      let last = -1;
      for (let k = 0; k <= len; k++) {
        const p = k < len ? at(i, k) : -1;
        if (p >= 0 && mask?.[p]) {
          // the glyphs of a text box: not ink of a ruling; across a line of text (a
          // vertical scan) no gap either: a box read over a column rule hides a piece of it
          if (start >= 0 && bridge) last = k;
        } else if (p >= 0 && grey[p]! < threshold) {
          if (start < 0) start = k;
          lastDark = k;
          last = k;
        } else if (start >= 0 && k - last > gap) {
          if (lastDark - start + 1 >= piece) out.push({ at: i, from: start, to: lastDark + 1 });
          start = -1;
        }
      }
    }
  };
  const hRuns: Run[] = [];
  scan(h, w, (y, x) => y * w + x, hRuns, false);
  const vRuns: Run[] = [];
  scan(w, h, (x, y) => y * w + x, vRuns, false);
  const minH = Math.max(40, Math.round(w * 0.04));
  const minV = Math.max(30, Math.round(h * 0.015));
  return {
    h: chain(hRuns, minH).map((c) => ({ y: c.at, x1: c.from, x2: c.to })),
    v: chain(vRuns, minV).map((c) => ({ x: c.at, y1: c.from, y2: c.to })),
  };
}

interface Run {
  /** the row (column) of the run */
  at: number;
  from: number;
  to: number;
}

/**
 * Chains of runs: a run joins a chain whose last rows (columns) are within 2 of it
 * and whose span it overlaps or touches (within 4 pixels). A chain is a ruling when it
 * is at least `min` long and at most 5 pixels thick on average (a staircase of a thin
 * line is; a block of ink is not).
 */
function chain(runs: Run[], min: number): Run[] {
  runs.sort((a, b) => a.at - b.at || a.from - b.from);
  const open: Array<{ from: number; to: number; atMax: number; sum: number; n: number }> = [];
  const done: typeof open = [];
  for (const r of runs) {
    // chains left behind can take no more runs
    for (let i = open.length - 1; i >= 0; i--) if (r.at - open[i]!.atMax > 2) done.push(...open.splice(i, 1));
    const c = open.find((o) => r.from <= o.to + 4 && r.to >= o.from - 4);
    if (c) {
      c.from = Math.min(c.from, r.from);
      c.to = Math.max(c.to, r.to);
      c.atMax = Math.max(c.atMax, r.at);
      c.sum += r.at * (r.to - r.from);
      c.n += r.to - r.from;
    } else open.push({ from: r.from, to: r.to, atMax: r.at, sum: r.at * (r.to - r.from), n: r.to - r.from });
  }
  done.push(...open);
  return done
    .filter((c) => c.to - c.from >= min && c.n / (c.to - c.from) <= 5)
    .map((c) => ({ at: c.sum / c.n, from: c.from, to: c.to }))
    .sort((a, b) => a.at - b.at || a.from - b.from);
}

/**
 * A table's rules cross one another: a horizontal ruling is kept when two vertical
 * ones meet it, and a vertical one when two horizontal ones do (3 px of slack). A
 * stroke of a large title or a smudge meets none.
 */
export function connected(r: { h: HSeg[]; v: VSeg[] }): { h: HSeg[]; v: VSeg[] } {
  const tol = 3;
  const meets = (a: HSeg, b: VSeg) => b.x >= a.x1 - tol && b.x <= a.x2 + tol && a.y >= b.y1 - tol && a.y <= b.y2 + tol;
  let h = r.h;
  let v = r.v;
  // twice: dropping one kind can leave the other alone
  for (let pass = 0; pass < 2; pass++) {
    h = h.filter((a) => v.filter((b) => meets(a, b)).length >= 2);
    v = v.filter((b) => h.filter((a) => meets(a, b)).length >= 2);
  }
  return { h, v };
}

/**
 * Whether the boxes sit in a table's rows: a third or more of the lines of boxes
 * hold two boxes or more (cells side by side). Running text is one box a line.
 */
export function tabular(boxes: readonly OcrBox[]): boolean {
  const lines: Array<{ y0: number; y1: number; n: number }> = [];
  for (const b of [...boxes].sort((a, c) => a.box[1] - c.box[1])) {
    const mid = (b.box[1] + b.box[3]) / 2;
    const line = lines.find((l) => mid > l.y0 && mid < l.y1);
    if (line) line.n++;
    else lines.push({ y0: b.box[1], y1: b.box[3], n: 1 });
  }
  if (lines.length === 0) return false;
  return lines.filter((l) => l.n >= 2).length >= lines.length / 3;
}

/**
 * The page's text items and rulings from its image and the engine's boxes. `scale`
 * is pixels per PDF point; the result is in points (viewport space, y down).
 */
export function ocrPageText(image: OcrImage, boxes: OcrBox[], scale: number): OcrPageText {
  const { width: w, height: h } = image;
  const skew = skewOf(boxes);
  let grey = toGrey(image);
  let straight = boxes;
  if (Math.abs(skew) >= 0.15) {
    grey = rotateGrey(grey, w, h, skew);
    straight = boxes.map((b) => {
      const pts = (b.quad ?? [[b.box[0], b.box[1]], [b.box[2], b.box[1]], [b.box[2], b.box[3]], [b.box[0], b.box[3]]]).map((p) => straighten(p as [number, number], w, h, skew));
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      return { ...b, box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as [number, number, number, number], quad: pts };
    });
  }
  // strokes of characters are not rulings: the text boxes are left out of the search;
  // and a page of running text (one box a line) has no table to rule: none is looked for
  const r = tabular(straight) ? connected(imageRulings(grey, w, h, textMask(w, h, straight))) : { h: [], v: [] };
  const rulings: Rulings = {
    h: r.h.map((s) => ({ y: s.y / scale, x1: s.x1 / scale, x2: s.x2 / scale })),
    v: r.v.map((s) => ({ x: s.x / scale, y1: s.y1 / scale, y2: s.y2 / scale })),
  };
  const items: OcrPageText['items'] = [];
  for (const b of straight) {
    const [bx0, y0, bx1, y1] = b.box.map((v) => v / scale) as [number, number, number, number];
    const bh = y1 - y0;
    // the text itself, without the detector's padding: a padded box reaches over the
    // ruling beside it, and the grid would cut its last character off into the next cell
    const pad = Math.min(bh * 0.25, (bx1 - bx0) * 0.2);
    const x0 = bx0 + pad;
    const x1 = bx1 - pad;
    // the detector's box has a margin round the glyphs: the glyphs are ~3/4 of its height
    const size = Math.max(1, bh * 0.75);
    const baseline = y1 - bh * 0.18;
    items.push({ str: b.text, transform: [size, 0, 0, -size, x0, baseline], width: Math.max(0, x1 - x0), conf: b.confidence });
  }
  return { items, rulings, skew };
}
