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

/**
 * The slant of a page from its ink: rows of text and ruling lines are dark along the
 * slant, so the row profile of the ink, sheared by the right angle, has the sharpest
 * peaks (the classic projection-profile method). Works where the text boxes are too
 * short to tell (a table's cells). Degrees, y down, as `skewOf`; within ±`range`.
 */
export function skewOfInk(grey: Uint8Array, w: number, h: number, range = 3): number {
  const threshold = paperOf(grey) - 60;
  const xs: number[] = [];
  const ys: number[] = [];
  // the dark pixels of every third column are enough (every row: skipping rows would
  // make the unsheared profile look sharpest)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x += 3) if (grey[y * w + x]! < threshold) xs.push(x), ys.push(y);
  if (xs.length < 500) return 0;
  const bins = new Float64Array(h + 2 * Math.ceil(w * Math.tan((range * Math.PI) / 180)) + 4);
  const off = (bins.length - h) / 2;
  const score = (deg: number) => {
    const t = Math.tan((deg * Math.PI) / 180);
    bins.fill(0);
    for (let i = 0; i < xs.length; i++) {
      const b = Math.round(ys[i]! - xs[i]! * t + off);
      if (b >= 0 && b < bins.length) bins[b]!++;
    }
    let s = 0;
    for (let i = 0; i < bins.length; i++) s += bins[i]! * bins[i]!;
    return s;
  };
  const best = (from: number, to: number, step: number) => {
    let a = 0;
    let top = -1;
    for (let d = from; d <= to + 1e-9; d += step) {
      const sc = score(d);
      if (sc > top) (top = sc), (a = d);
    }
    return a;
  };
  const coarse = best(-range, range, 0.1);
  return Math.round(best(coarse - 0.1, coarse + 0.1, 0.02) * 100) / 100;
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

/**
 * An image turned clockwise by `quarters` × 90° (any channel count). A page scanned
 * sideways or upside down is turned upright with it.
 */
export function turnImage(img: OcrImage, quarters: number): OcrImage {
  const q = ((quarters % 4) + 4) % 4;
  if (q === 0) return img;
  const { width: w, height: h } = img;
  const ch = Math.round(img.data.length / (w * h));
  const W = q === 2 ? w : h;
  const H = q === 2 ? h : w;
  const out = new Uint8Array(W * H * ch);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // where (x, y) goes: clockwise 90° → (h−1−y, x); 180° → (w−1−x, h−1−y); 270° → (y, w−1−x)
      const X = q === 1 ? h - 1 - y : q === 2 ? w - 1 - x : y;
      const Y = q === 1 ? x : q === 2 ? h - 1 - y : w - 1 - x;
      const from = (y * w + x) * ch;
      const to = (Y * W + X) * ch;
      for (let c = 0; c < ch; c++) out[to + c] = img.data[from + c]!;
    }
  }
  return { ...img, data: out, width: W, height: H };
}

/**
 * How much of the page was read as running lines: characters × confidence, over the
 * boxes wider than tall (the engine reads a tall box too, turned, but a page laid
 * on its side gives its lines as tall boxes, which the layout cannot use).
 */
function readable(boxes: readonly OcrBox[]): number {
  let s = 0;
  for (const b of boxes) if (b.box[2] - b.box[0] >= b.box[3] - b.box[1] || [...b.text].length < 2) s += b.confidence * [...b.text].length;
  return s;
}

/** The page is probably not upright: its text is mostly in tall boxes, or read with little confidence. */
function doubtful(boxes: readonly OcrBox[]): boolean {
  let chars = 0;
  let conf = 0;
  for (const b of boxes) {
    const n = [...b.text].length;
    chars += n;
    conf += b.confidence * n;
  }
  if (chars < 4) return false;
  return conf / chars < 0.8 || readable(boxes) < conf / 2;
}

/**
 * A page read upright: when the text read from the image as it is looks sideways or
 * upside down (tall lines, or little confidence), the image is read again turned by a
 * quarter, a half and three quarters, and the turn that reads best (clearly: 1.2 times
 * the first reading) is kept. An upright page costs one reading.
 */
export async function readUpright(image: OcrImage, read: (img: OcrImage) => Promise<OcrBox[]>): Promise<{ image: OcrImage; boxes: OcrBox[]; quarters: number }> {
  const boxes = await read(image);
  if (!doubtful(boxes)) return { image, boxes, quarters: 0 };
  let best = { image, boxes, quarters: 0, score: readable(boxes) };
  const first = best.score;
  for (const q of [1, 2, 3]) {
    const turned = turnImage(image, q);
    const b = await read(turned);
    const score = readable(b);
    if (score > best.score && score > first * 1.2) best = { image: turned, boxes: b, quarters: q, score };
  }
  return { image: best.image, boxes: best.boxes, quarters: best.quarters };
}

const NUMBER_TEXT = /^[-\d,.]+$/;
/** at most this many numbers of a page are read again (a page of odd print is not read twice over) */
const MAX_REREAD = 40;
/** Width of a number in character units: a digit is one, a point or comma half. */
const unitsOf = (t: string) => t.replace(/[^\d]/g, '').length + 0.5 * t.replace(/[\d]/g, '').length;
/** A box's width per unit of its text, in box heights, its end margins (half a height) left out. */
const widthPerUnit = (b: OcrBox) => {
  const h = b.box[3] - b.box[1];
  return (b.box[2] - b.box[0] - 0.5 * h) / h / unitsOf(b.text);
};

/**
 * The recogniser reads a repeated digit once when the two are printed close together
 * (`1668.14` → `168.14`): its alphabet has no way to say "the same digit again"
 * without a gap between. Such a number is wider than its text: the page's numbers
 * give the width of a digit (the median), and a number with room for one more digit
 * is read again alone, cut out of the page with a margin. The second reading is kept
 * when its length fits the box better. Returns the boxes and how many were read again.
 */
export async function rereadWideNumbers(image: OcrImage, boxes: OcrBox[], read: (img: OcrImage) => Promise<OcrBox[]>): Promise<{ boxes: OcrBox[]; reread: number }> {
  const numbers = boxes.filter((b) => NUMBER_TEXT.test(b.text) && unitsOf(b.text) >= 3);
  if (numbers.length < 5) return { boxes, reread: 0 };
  const ratios = numbers.map(widthPerUnit).sort((a, b) => a - b);
  const median = ratios[ratios.length >> 1]!;
  // the grey page only once a number is to be cut out of it (most pages have none)
  let grey: Uint8Array | undefined;
  let reread = 0;
  const out = boxes.slice();
  for (const [i, b] of out.entries()) {
    if (!numbers.includes(b)) continue;
    const units = unitsOf(b.text);
    if (widthPerUnit(b) * units < median * (units + 0.75) || reread >= MAX_REREAD) continue;
    const [x0, y0, x1, y1] = b.box.map(Math.round) as [number, number, number, number];
    const pad = Math.round(0.3 * (y1 - y0));
    const cx0 = Math.max(0, x0 - pad);
    const cy0 = Math.max(0, y0 - pad);
    const cw = Math.min(image.width, x1 + pad) - cx0;
    const ch = Math.min(image.height, y1 + pad) - cy0;
    if (cw <= 0 || ch <= 0) continue;
    grey ??= toGrey(image);
    const data = new Uint8Array(cw * ch);
    for (let y = 0; y < ch; y++) data.set(grey.subarray((cy0 + y) * image.width + cx0, (cy0 + y) * image.width + cx0 + cw), y * cw);
    reread++;
    const again = await read({ width: cw, height: ch, data });
    if (again.length !== 1 || !NUMBER_TEXT.test(again[0]!.text) || again[0]!.text === b.text) continue;
    const fit = (t: string) => Math.abs(widthPerUnit({ ...b, text: t }) - median);
    if (fit(again[0]!.text) < fit(b.text)) out[i] = { ...b, text: again[0]!.text, confidence: again[0]!.confidence };
  }
  return { boxes: out, reread };
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
 * of the engine's text boxes): it ends a run, and only a gap wholly under text joins
 * two pieces of one line again. Scans break thin lines and a slight
 * slant turns a line into a staircase of short runs in neighbouring rows (columns):
 * runs are collected from a few pixels long, chained when they continue one another,
 * and kept when the chain is long and thin. In image pixels.
 */
export function imageRulings(grey: Uint8Array, w: number, h: number, mask?: Uint8Array): { h: HSeg[]; v: VSeg[] } {
  const paper = paperOf(grey);
  const threshold = paper - 35;
  const gap = 3;
  const piece = 8;
  // along a line the ink is even and the noise is not: each pixel is looked at as the
  // mean of five along the scan, so a thin grey rule in a noisy scan stays one run
  const hMean = meanAlong(grey, w, h, true);
  const vMean = meanAlong(grey, w, h, false);
  const scan = (img: Uint8Array, n: number, len: number, at: (i: number, k: number) => number, out: Run[]) => {
    for (let i = 0; i < n; i++) {
      // a run of the mean image, from its first to its last pixel that is dark itself
      // (the mean reaches two pixels past a line's ends)
      let start = -1;
      let first = -1;
      let lastDark = -1;
      let last = -1;
      for (let k = 0; k <= len; k++) {
        const p = k < len ? at(i, k) : -1;
        // the glyphs of a text box are not ink of a ruling (nor bridge one: the strokes of
        // a column of digits would join, row after row, through the rules between them)
        if (p >= 0 && !mask?.[p] && img[p]! < threshold) {
          if (start < 0) start = k;
          if (grey[p]! < threshold) {
            if (first < 0) first = k;
            lastDark = k;
          }
          last = k;
        } else if (start >= 0 && k - last > gap) {
          if (first >= 0 && lastDark - first + 1 >= piece) out.push({ at: i, from: first, to: lastDark + 1 });
          start = -1;
          first = -1;
          lastDark = -1;
        }
      }
    }
  };
  const hRuns: Run[] = [];
  scan(hMean, h, w, (y, x) => y * w + x, hRuns);
  const vRuns: Run[] = [];
  scan(vMean, w, h, (x, y) => y * w + x, vRuns);
  const minH = Math.max(40, Math.round(w * 0.04));
  const minV = Math.max(30, Math.round(h * 0.015));
  // a row of characters whose strokes line up (the bottoms of a bold heading's glyphs,
  // chained over the gaps between them) has ink beside it along most of its length:
  // the other strokes of the glyphs. A ruling has ink beside it where text comes close
  // or another rule crosses it, well under half its length. (Horizontal only: a column
  // rule has the text of two columns beside it in every row of a dense table.)
  const dark = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && grey[y * w + x]! < threshold;
  const beside = (c: Run, at: (k: number, d: number) => [number, number]) => {
    let n = 0;
    for (let k = c.from; k < c.to; k++) if (dark(...at(k, -4)) || dark(...at(k, 4))) n++;
    return n / Math.max(1, c.to - c.from);
  };
  // and a ruling is one unbroken line: over nine tenths of its length there is ink on
  // it or within a pixel of it, once gaps of two pixels (noise) are closed. The strokes
  // of a column of left-aligned characters, stacked row above row with a rule between
  // them, leave gaps of several pixels at every stroke's end.
  // (any ink counts here, however light: a pale rule's pixels hover about the threshold)
  const faint = paper - 15;
  const inked = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && grey[y * w + x]! < faint;
  const unbroken = (c: Run, at: (k: number, d: number) => [number, number]) => {
    let covered = 0;
    let gapLen = 0;
    for (let k = c.from; k < c.to; k++) {
      if (inked(...at(k, -1)) || inked(...at(k, 0)) || inked(...at(k, 1))) {
        if (gapLen <= 2) covered += gapLen;
        gapLen = 0;
        covered++;
      } else gapLen++;
    }
    return covered / Math.max(1, c.to - c.from) >= 0.9;
  };
  // along the chain as it runs (a residual slant of 0.1° drifts 4 px over an A3 page)
  const line = (c: Run, k: number) => Math.round(c.at + (c.slope ?? 0) * (k - (c.mid ?? k)));
  const hAt = (c: Run) => (k: number, d: number): [number, number] => [k, line(c, k) + d];
  const vAt = (c: Run) => (k: number, d: number): [number, number] => [line(c, k) + d, k];
  // a gap in a line that lies wholly under text boxes (or is dark, within 2 px of the
  // line: what is left of a slant) hides the rest of it
  const hidden = (horizontal: boolean) => (at: number, from: number, to: number) => {
    if (!mask) return false;
    for (let k = from; k < to; k++) {
      let seen = false;
      for (let d = -2; d <= 2 && !seen; d++) {
        const [x, y] = horizontal ? [k, Math.round(at) + d] : [Math.round(at) + d, k];
        seen = dark(x, y) || (x >= 0 && y >= 0 && x < w && y < h && mask[y * w + x] === 1);
      }
      if (!seen) return false;
    }
    return true;
  };
  return {
    h: chain(hRuns, minH, hidden(true))
      .filter((c) => beside(c, hAt(c)) <= 0.5 && unbroken(c, hAt(c)))
      .map((c) => ({ y: c.at, x1: c.from, x2: c.to })),
    v: chain(vRuns, minV, hidden(false))
      .filter((c) => unbroken(c, vAt(c)))
      .map((c) => ({ x: c.at, y1: c.from, y2: c.to })),
  };
}

/** Each pixel as the mean of itself and two neighbours on each side along a row (`alongRows`) or a column; fewer at the edges. */
function meanAlong(grey: Uint8Array, w: number, h: number, alongRows: boolean): Uint8Array {
  const out = new Uint8Array(grey.length);
  const [len, step] = alongRows ? [w, 1] : [h, w];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const k = alongRows ? x : y;
      const lo = Math.max(0, k - 2);
      const hi = Math.min(len - 1, k + 2);
      let s = 0;
      for (let d = lo - k; d <= hi - k; d++) s += grey[i + d * step]!;
      out[i] = s / (hi - lo + 1);
    }
  }
  return out;
}

interface Run {
  /** the row (column) of the run; of a chain, its mean */
  at: number;
  from: number;
  to: number;
  /** of a chain: the rows it drifts per pixel along it (what is left of a slant), about `mid` */
  slope?: number;
  mid?: number;
}

/**
 * Chains of runs: a run joins the nearest chain whose last rows (columns) are within 2
 * of it, whose span it overlaps or touches (within 4 pixels), and which stays a thin
 * band (at most 6 rows from its first to its last: the staircase of a straightened
 * line, not the edges of a row of text between two rules). A chain is a ruling when
 * it is at least `min` long and at most 5 pixels thick on average.
 */
function chain(runs: Run[], min: number, hidden?: (at: number, from: number, to: number) => boolean): Run[] {
  const band = 6;
  runs.sort((a, b) => a.at - b.at || a.from - b.from);
  // sums for the chain's mean row and its drift along it (least squares of its runs' middles)
  interface Chain { from: number; to: number; atMin: number; atMax: number; sum: number; n: number; sk: number; skk: number; ska: number }
  const add = (c: Chain, at: number, from: number, to: number) => {
    const w = to - from;
    const k = (from + to) / 2;
    c.sum += at * w;
    c.n += w;
    c.sk += k * w;
    c.skk += k * k * w;
    c.ska += k * at * w;
  };
  const open: Chain[] = [];
  const done: Chain[] = [];
  for (const r of runs) {
    // chains left behind can take no more runs
    for (let i = open.length - 1; i >= 0; i--) if (r.at - open[i]!.atMax > 2) done.push(...open.splice(i, 1));
    let c: Chain | undefined;
    for (const o of open) {
      if (r.from > o.to + 4 || r.to < o.from - 4 || r.at - o.atMin > band) continue;
      if (!c || r.at - o.atMax < r.at - c.atMax) c = o;
    }
    if (c) {
      c.from = Math.min(c.from, r.from);
      c.to = Math.max(c.to, r.to);
      c.atMax = Math.max(c.atMax, r.at);
      add(c, r.at, r.from, r.to);
    } else {
      const c0: Chain = { from: r.from, to: r.to, atMin: r.at, atMax: r.at, sum: 0, n: 0, sk: 0, skk: 0, ska: 0 };
      add(c0, r.at, r.from, r.to);
      open.push(c0);
    }
  }
  done.push(...open);
  // a staircase's steps start as chains of their own (a step leaves a gap in each row):
  // chains at the same height (within 3: a 2-px line whose halves were chained apart) whose spans meet are one line
  const merged: Chain[] = [];
  for (const c of done.sort((a, b) => a.from - b.from)) {
    const at = c.sum / c.n;
    // (and a rule that passes under a text box, its piece there left out with the glyphs)
    const meets = (o: Chain) => (o.to >= c.from - 6 && o.from <= c.to + 6) || (o.to < c.from && !!hidden?.(at, o.to, c.from));
    const m = merged.find((o) => Math.abs(o.sum / o.n - at) <= 3 && meets(o));
    if (m) {
      m.from = Math.min(m.from, c.from);
      m.to = Math.max(m.to, c.to);
      m.atMin = Math.min(m.atMin, c.atMin);
      m.atMax = Math.max(m.atMax, c.atMax);
      m.sum += c.sum;
      m.n += c.n;
      m.sk += c.sk;
      m.skk += c.skk;
      m.ska += c.ska;
    } else merged.push({ ...c });
  }
  return merged
    .filter((c) => c.to - c.from >= min && c.n / (c.to - c.from) <= 5)
    .map((c) => {
      const mid = c.sk / c.n;
      const varK = c.skk / c.n - mid * mid;
      // only a long chain drifts enough to tell (and a residual slant is small: ±0.3°);
      // the runs of a short one, side by side in a thick line, give no slope worth having
      const fit = varK > 1 ? (c.ska / c.n - mid * (c.sum / c.n)) / varK : 0;
      const slope = c.to - c.from >= 300 ? Math.max(-0.005, Math.min(0.005, fit)) : 0;
      return { at: c.sum / c.n, from: c.from, to: c.to, slope, mid };
    })
    .sort((a, b) => a.at - b.at || a.from - b.from);
}

/**
 * The strokes of large or bold glyphs outside a box's core (the mask) can be long and
 * thin, and join the rules above and below a cell into what looks like a short rule.
 * A segment wholly inside a text box is such a stroke, and so is one that runs through
 * the middle of a box and hardly beyond it (less than a line's height past each end).
 * A table's rule runs past the text beside it, and one that crosses a box (two cells
 * read as one) runs on through other rows. A segment in the middle of text boxes over
 * half its length is glyph strokes of rows above one another, joined through the rules
 * between them.
 */
export function outsideText(r: { h: HSeg[]; v: VSeg[] }, boxes: readonly OcrBox[]): { h: HSeg[]; v: VSeg[] } {
  const stroke = (along0: number, along1: number, across: number, horizontal: boolean) =>
    boxes.some((b) => {
      const [x0, y0, x1, y1] = b.box;
      const bh = y1 - y0;
      const core = 0.2 * bh;
      // across: the segment runs through the box's core; along: it stays within a line's height of the box
      const [a0, a1, c0, c1] = horizontal ? [x0, x1, y0, y1] : [y0, y1, x0, x1];
      // wholly inside the box (2 px of slack): the bottoms of a heading's glyphs in a row
      if (along0 >= a0 - 2 && along1 <= a1 + 2 && across >= c0 - 2 && across <= c1 + 2) return true;
      return across > c0 + core && across < c1 - core && along0 >= a0 - bh && along1 <= a1 + bh && along1 > a0 && along0 < a1;
    });
  // strokes of glyphs in rows above one another, joined through the rules between the
  // rows: the segment lies in the cores of text boxes over most of its length
  // (a few rows long: a table's rule that crosses boxes because the engine read two
  // cells as one box runs on through the table)
  const throughText = (along0: number, along1: number, across: number, horizontal: boolean) => {
    let inside = 0;
    let tallest = 0;
    for (const b of boxes) {
      const [x0, y0, x1, y1] = b.box;
      const core = 0.2 * (y1 - y0);
      const [a0, a1, c0, c1] = horizontal ? [x0, x1, y0, y1] : [y0, y1, x0, x1];
      const overlap = Math.max(0, Math.min(a1, along1) - Math.max(a0, along0));
      if (overlap > 0 && across > c0 + core && across < c1 - core) {
        inside += overlap;
        tallest = Math.max(tallest, y1 - y0);
      }
    }
    return inside >= 0.5 * (along1 - along0) && along1 - along0 <= 4 * tallest;
  };
  const keep = (a0: number, a1: number, at: number, horizontal: boolean) => !stroke(a0, a1, at, horizontal) && !throughText(a0, a1, at, horizontal);
  return { h: r.h.filter((s) => keep(s.x1, s.x2, s.y, true)), v: r.v.filter((s) => keep(s.y1, s.y2, s.x, false)) };
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
 * The page's text items and rulings from its image and the engine's boxes. `scale`
 * is pixels per PDF point; the result is in points (viewport space, y down).
 */
export function ocrPageText(image: OcrImage, boxes: OcrBox[], scale: number): OcrPageText {
  const { width: w, height: h } = image;
  let grey = toGrey(image);
  // the ink's profile gives the slant of any page (a table of short cells too); long
  // text lines give it more precisely, when they agree with it (a few long boxes
  // whose corners are off can make the boxes alone see a slant on a straight page)
  const fromInk = skewOfInk(grey, w, h);
  const fromBoxes = skewOf(boxes);
  const skew = fromBoxes !== 0 && Math.abs(fromBoxes - fromInk) <= 0.1 ? fromBoxes : fromInk;
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
  // strokes of characters are not rulings: the text boxes are left out of the search,
  // and what is left must cross other rulings (a table's rules do; an underline does not)
  const r = connected(outsideText(imageRulings(grey, w, h, textMask(w, h, straight)), straight));
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
