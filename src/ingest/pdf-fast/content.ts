/**
 * The content-stream interpreter of the fast reader. One pass over a page's
 * content yields both what pdfjs's `getTextContent` yields (text items built by
 * the same rules: the text state machine, glyph advances, the space and line-break
 * heuristics of its `buildTextContentItem` / `compareWithLastPosition`, Unicode
 * normalisation) and the painted paths that `getOperatorList` would give the
 * ruling finder (pdf-grid.ts).
 *
 * Ported from pdfjs-dist 5.6.205 (src/core/evaluator.js, Apache-2.0) for the
 * horizontal, non-Type3 case; everything outside that case throws `Unsupported`.
 */
import { DRAW, PAINT, PaintRecorder, mul, type Matrix, type Paint, type PaintOp } from '../pdf-grid.js';
import { loadFont, type FastFont } from './fonts.js';
import { ARRAY_OPEN, Cmd, DICT_OPEN, Lexer, Name, Ref, Refused, Unsupported, isDict, isName, isStream, type Dict, type PdfObj, type Stream } from './lexer.js';
import type { PdfFile } from './objects.js';

/** Content-stream operators, numbered so that the dispatch is a jump table (even before V8 optimises it). */
const enum Op {
  unknown = 0,
  op_q,
  op_Q,
  op_cm,
  op_w,
  op_J,
  op_j,
  op_M,
  op_d,
  op_ri,
  op_i,
  op_BX,
  op_EX,
  op_MP,
  op_DP,
  op_sh,
  op_d0,
  op_d1,
  op_Tr,
  op_gs,
  op_CS,
  op_cs,
  op_SC,
  op_SCN,
  op_sc,
  op_scn,
  op_G,
  op_g,
  op_RG,
  op_rg,
  op_K,
  op_k,
  op_m,
  op_l,
  op_c,
  op_v,
  op_y,
  op_h,
  op_re,
  op_S,
  op_s,
  op_f,
  op_F,
  op_fStar,
  op_B,
  op_BStar,
  op_b,
  op_bStar,
  op_n,
  op_W,
  op_WStar,
  op_BT,
  op_ET,
  op_Tf,
  op_Ts,
  op_Tz,
  op_TL,
  op_Td,
  op_TD,
  op_TStar,
  op_Tm,
  op_Tc,
  op_Tw,
  op_Tj,
  Quote,
  DoubleQuote,
  op_TJ,
  op_BMC,
  op_BDC,
  op_EMC,
  op_Do,
  op_BI,
}
const OP_NAMES: [string, Op][] = [
  ["q", Op.op_q],
  ["Q", Op.op_Q],
  ["cm", Op.op_cm],
  ["w", Op.op_w],
  ["J", Op.op_J],
  ["j", Op.op_j],
  ["M", Op.op_M],
  ["d", Op.op_d],
  ["ri", Op.op_ri],
  ["i", Op.op_i],
  ["BX", Op.op_BX],
  ["EX", Op.op_EX],
  ["MP", Op.op_MP],
  ["DP", Op.op_DP],
  ["sh", Op.op_sh],
  ["d0", Op.op_d0],
  ["d1", Op.op_d1],
  ["Tr", Op.op_Tr],
  ["gs", Op.op_gs],
  ["CS", Op.op_CS],
  ["cs", Op.op_cs],
  ["SC", Op.op_SC],
  ["SCN", Op.op_SCN],
  ["sc", Op.op_sc],
  ["scn", Op.op_scn],
  ["G", Op.op_G],
  ["g", Op.op_g],
  ["RG", Op.op_RG],
  ["rg", Op.op_rg],
  ["K", Op.op_K],
  ["k", Op.op_k],
  ["m", Op.op_m],
  ["l", Op.op_l],
  ["c", Op.op_c],
  ["v", Op.op_v],
  ["y", Op.op_y],
  ["h", Op.op_h],
  ["re", Op.op_re],
  ["S", Op.op_S],
  ["s", Op.op_s],
  ["f", Op.op_f],
  ["F", Op.op_F],
  ["f*", Op.op_fStar],
  ["B", Op.op_B],
  ["B*", Op.op_BStar],
  ["b", Op.op_b],
  ["b*", Op.op_bStar],
  ["n", Op.op_n],
  ["W", Op.op_W],
  ["W*", Op.op_WStar],
  ["BT", Op.op_BT],
  ["ET", Op.op_ET],
  ["Tf", Op.op_Tf],
  ["Ts", Op.op_Ts],
  ["Tz", Op.op_Tz],
  ["TL", Op.op_TL],
  ["Td", Op.op_Td],
  ["TD", Op.op_TD],
  ["T*", Op.op_TStar],
  ["Tm", Op.op_Tm],
  ["Tc", Op.op_Tc],
  ["Tw", Op.op_Tw],
  ["Tj", Op.op_Tj],
  ["'", Op.Quote],
  ["\"", Op.DoubleQuote],
  ["TJ", Op.op_TJ],
  ["BMC", Op.op_BMC],
  ["BDC", Op.op_BDC],
  ["EMC", Op.op_EMC],
  ["Do", Op.op_Do],
  ["BI", Op.op_BI],
];
for (const [name, op] of OP_NAMES) Cmd.get(name).op = op;

export interface FastTextItem {
  str: string;
  /** pdfjs's item transform (text space → user space) */
  transform: number[];
  width: number;
}

/** Per-document caches shared by every page. */
export interface DocCache {
  fonts: Map<PdfObj, FastFont>;
}

/** Limits per page (a page past them is refused: no disclosure page comes near them). */
export const MAX_ITEMS_PER_PAGE = 200_000;
const MAX_FORM_DEPTH = 12;
const MAX_OPS_PER_PAGE = 5_000_000;

const TRACKING_SPACE_FACTOR = 0.102;
const NOT_A_SPACE_FACTOR = 0.03;
const NEGATIVE_SPACE_FACTOR = -0.2;
const SPACE_IN_FLOW_MIN_FACTOR = 0.102;
const SPACE_IN_FLOW_MAX_FACTOR = 0.6;
const VERTICAL_SHIFT_RATIO = 0.25;

const NORMALIZE = /([\u00a0\u00b5\u037e\u0eb3\u2000-\u200a\u202f\u2126\ufb00-\ufb04\ufb06\ufb20-\ufb36\ufb38-\ufb3c\ufb3e\ufb40-\ufb41\ufb43-\ufb44\ufb46-\ufba1\ufba4-\ufba9\ufbae-\ufbb1\ufbd3-\ufbdc\ufbde-\ufbe7\ufbea-\ufbf8\ufbfc-\ufbfd\ufc00-\ufc5d\ufc64-\ufcf1\ufcf5-\ufd3d\ufd88\ufdf4\ufdfa-\ufdfb\ufe71\ufe77\ufe79\ufe7b\ufe7d]+)|(\ufb05+)/gu;
const normalizeUnicode = (s: string) => s.replaceAll(NORMALIZE, (_m, p1: string | undefined, p2: string | undefined) => (p1 ? p1.normalize('NFKC') : (p2 ?? '').replace(/\ufb05/g, 'ſt')));
/** Text pdfjs would run through its bidi algorithm: not handled here. */
const RTL = /[\u0590-\u08ac\ufb50-\ufdff\ufe70-\ufeff]/;

class TextState {
  ctm: readonly number[] = [1, 0, 0, 1, 0, 0];
  fontName: string | null = null;
  fontSize = 0;
  font: FastFont | null = null;
  textMatrix = [1, 0, 0, 1, 0, 0];
  textLineMatrix = [1, 0, 0, 1, 0, 0];
  charSpacing = 0;
  wordSpacing = 0;
  leading = 0;
  textHScale = 1;
  textRise = 0;
  // paint state (rulings)
  strokeSpace: ColorKind = 'gray';
  fillSpace: ColorKind = 'gray';

  clone(): TextState {
    const c = Object.assign(new TextState(), this);
    c.textMatrix = this.textMatrix.slice();
    c.textLineMatrix = this.textLineMatrix.slice();
    return c;
  }
  translateTextMatrix(x: number, y: number): void {
    const m = this.textMatrix;
    m[4] = m[0]! * x + m[2]! * y + m[4]!;
    m[5] = m[1]! * x + m[3]! * y + m[5]!;
  }
  translateTextLineMatrix(x: number, y: number): void {
    const m = this.textLineMatrix;
    m[4] = m[0]! * x + m[2]! * y + m[4]!;
    m[5] = m[1]! * x + m[3]! * y + m[5]!;
  }
  carriageReturn(): void {
    this.translateTextLineMatrix(0, -this.leading);
    this.textMatrix = this.textLineMatrix.slice();
  }
}

type ColorKind = 'gray' | 'rgb' | 'cmyk' | 'pattern' | 'other';

/** A colour component stored in a Uint8ClampedArray: clamped, rounded half to even. */
function byte(v: number): number {
  const x = Math.min(255, Math.max(0, v));
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
}

/** Whether a colour converts to #ffffff the way pdfjs converts it (Uint8ClampedArray rounding). */
function isWhiteColor(kind: ColorKind, c: number[]): boolean {
  if (kind === 'gray') return c.length >= 1 && byte(c[0]! * 255) === 255;
  if (kind === 'rgb') return c.length >= 3 && byte(c[0]! * 255) === 255 && byte(c[1]! * 255) === 255 && byte(c[2]! * 255) === 255;
  if (kind === 'cmyk') {
    if (c.length < 4) return false;
    const [cc, m, y, k] = c as [number, number, number, number];
    const r = 255 + cc * (-4.387332384609988 * cc + 54.48615194189176 * m + 18.82290502165302 * y + 212.25662451639585 * k + -285.2331026137004) + m * (1.7149763477362134 * m - 5.6096736904047315 * y + -17.873870861415444 * k - 5.497006427196366) + y * (-2.5217340131683033 * y - 21.248923337353073 * k + 17.5119270841813) + k * (-21.86122147463605 * k - 189.48180835922747);
    const g = 255 + cc * (8.841041422036149 * cc + 60.118027045597366 * m + 6.871425592049007 * y + 31.159100130055922 * k + -79.2970844816548) + m * (-15.310361306967817 * m + 17.575251261109482 * y + 131.35250912493976 * k - 190.9453302588951) + y * (4.444339102852739 * y + 9.8632861493405 * k - 24.86741582555878) + k * (-20.737325471181034 * k - 187.80453709719578);
    const b = 255 + cc * (0.8842522430003296 * cc + 8.078677503112928 * m + 30.89978309703729 * y - 0.23883238689178934 * k + -14.183576799673286) + m * (10.49593273432072 * m + 63.02378494754052 * y + 50.606957656360734 * k - 112.23884253719248) + y * (0.03296041114873217 * y + 115.60384449646641 * k + -193.58209356861505) + k * (-22.33816807309886 * k - 180.12613974708367);
    return byte(r) === 255 && byte(g) === 255 && byte(b) === 255;
  }
  throw new Unsupported('colour space');
}

interface Ctx {
  file: PdfFile;
  cache: DocCache;
  items: FastTextItem[];
  rec: PaintRecorder;
  view: readonly number[];
  ops: number;
  formStack: PdfObj[];
}

/** Interpret a page: its text items (as pdfjs's getTextContent) and painted paths. */
export function interpretPage(file: PdfFile, cache: DocCache, content: Uint8Array, resources: Dict, view: readonly number[]): { items: FastTextItem[]; paints: Paint[] } {
  const ctx: Ctx = { file, cache, items: [], rec: new PaintRecorder(), view, ops: 0, formStack: [] };
  run(ctx, content, resources, new TextState());
  return { items: ctx.items, paints: ctx.rec.paints };
}

/** One content stream (page or form): pdfjs's getTextContent for one stream, plus paths. */
function run(ctx: Ctx, content: Uint8Array, resources: Dict, initial: TextState): void {
  new Interpreter(ctx, content, resources, initial).run();
}

/** pdfjs's textContentItem (horizontal fonts only). */
class TextChunk {
  initialized = false;
  str: string[] = [];
  totalWidth = 0;
  width = 0;
  height = 0;
  prevTransform: Float64Array | null = null;
  prevTextRise = 0;
  textAdvanceScale = 0;
  spaceInFlowMin = 0;
  spaceInFlowMax = 0;
  trackingSpaceMin = Infinity;
  negativeSpaceMax = -Infinity;
  notASpace = -Infinity;
  transform: number[] | null = null;
}

/**
 * The interpreter of one content stream: its state in fields and its steps as methods
 * (pdfjs writes them as closures made per stream). V8 drops the optimised code of a
 * closure once every closure made from it has died, at a full GC; closures made per
 * page were compiled again every few documents (--trace-opt: each of them five times
 * in 200 documents, the optimising compiler's work running beside the parse). A
 * method is one function for the life of the thread and keeps its code.
 */
class Interpreter {
  readonly file: PdfFile;
  readonly view: readonly number[];
  readonly stack: TextState[] = [];
  textState: TextState;
  currentTextState: TextState | null = null;
  readonly item = new TextChunk();
  readonly twoLastChars = [' ', ' '];
  twoLastCharsPos = 0;
  readonly scratch = new Float64Array(6);
  // paths (rulings)
  readonly rec: PaintRecorder;
  path: number[] = [];
  cx = 0;
  cy = 0;
  // operands of the current operator: args[0 … argc-1] (the array is reused, never truncated)
  readonly lx: Lexer;
  readonly args: (PdfObj | Cmd | undefined)[] = new Array(64).fill(undefined);
  argc = 0;

  constructor(
    readonly ctx: Ctx,
    content: Uint8Array,
    readonly resources: Dict,
    initial: TextState,
  ) {
    this.file = ctx.file;
    this.view = ctx.view;
    this.textState = initial;
    this.rec = ctx.rec;
    this.lx = new Lexer(content);
    this.lx.refs = false;
  }

  saveLastChar(ch: string) {
    const nextPos = (this.twoLastCharsPos + 1) % 2;
    const ret = this.twoLastChars[this.twoLastCharsPos] !== ' ' && this.twoLastChars[nextPos] === ' ';
    this.twoLastChars[this.twoLastCharsPos] = ch;
    this.twoLastCharsPos = nextPos;
    return ret;
  }

  shouldAddWhitespace() {
    return this.twoLastChars[this.twoLastCharsPos] !== ' ' && this.twoLastChars[(this.twoLastCharsPos + 1) % 2] === ' ';
  }

  resetLastChars() {
    this.twoLastChars[0] = this.twoLastChars[1] = ' ';
    this.twoLastCharsPos = 0;
  }

  /**
   * pdfjs's getCurrentTextTransform: ctm × textMatrix × [fontSize·hScale 0 0 fontSize 0 rise],
   * written into `out` (same arithmetic, in the same order, as two Util.transform calls).
   */
  textTransformInto<T extends number[] | Float64Array>(out: T): T {
    const tm = this.textState.textMatrix;
    const ctm = this.textState.ctm;
    const fa = this.textState.fontSize * this.textState.textHScale;
    const fd = this.textState.fontSize;
    const rise = this.textState.textRise;
    const a0 = tm[0]! * fa + tm[2]! * 0;
    const a1 = tm[1]! * fa + tm[3]! * 0;
    const a2 = tm[0]! * 0 + tm[2]! * fd;
    const a3 = tm[1]! * 0 + tm[3]! * fd;
    const a4 = tm[0]! * 0 + tm[2]! * rise + tm[4]!;
    const a5 = tm[1]! * 0 + tm[3]! * rise + tm[5]!;
    const c0 = ctm[0]!;
    const c1 = ctm[1]!;
    const c2 = ctm[2]!;
    const c3 = ctm[3]!;
    out[0] = c0 * a0 + c2 * a1;
    out[1] = c1 * a0 + c3 * a1;
    out[2] = c0 * a2 + c2 * a3;
    out[3] = c1 * a2 + c3 * a3;
    out[4] = c0 * a4 + c2 * a5 + ctm[4]!;
    out[5] = c1 * a4 + c3 * a5 + ctm[5]!;
    return out;
  }

  getCurrentTextTransform() {
    return this.textTransformInto(new Array<number>(6));
  }

  ensureTextContentItem() {
    if (this.item.initialized) return this.item;
    const trm = (this.item.transform = this.getCurrentTextTransform());
    this.item.width = this.item.totalWidth = 0;
    this.item.height = Math.hypot(trm[2]!, trm[3]!);
    const scaleLineX = Math.hypot(this.textState.textLineMatrix[0]!, this.textState.textLineMatrix[1]!);
    const scaleCtmX = Math.hypot(this.textState.ctm[0]!, this.textState.ctm[1]!);
    this.item.textAdvanceScale = scaleCtmX * scaleLineX;
    const { fontSize } = this.textState;
    this.item.trackingSpaceMin = fontSize * TRACKING_SPACE_FACTOR;
    this.item.notASpace = fontSize * NOT_A_SPACE_FACTOR;
    this.item.negativeSpaceMax = fontSize * NEGATIVE_SPACE_FACTOR;
    this.item.spaceInFlowMin = fontSize * SPACE_IN_FLOW_MIN_FACTOR;
    this.item.spaceInFlowMax = fontSize * SPACE_IN_FLOW_MAX_FACTOR;
    this.item.initialized = true;
    return this.item;
  }

  updateAdvanceScale() {
    if (!this.item.initialized) return;
    const scaleLineX = Math.hypot(this.textState.textLineMatrix[0]!, this.textState.textLineMatrix[1]!);
    const scaleCtmX = Math.hypot(this.textState.ctm[0]!, this.textState.ctm[1]!);
    const scaleFactor = scaleCtmX * scaleLineX;
    if (scaleFactor === this.item.textAdvanceScale) return;
    this.item.totalWidth += this.item.width * this.item.textAdvanceScale;
    this.item.width = 0;
    this.item.textAdvanceScale = scaleFactor;
  }

  flushTextContentItem() {
    if (!this.item.initialized) return;
    this.item.totalWidth += this.item.width * this.item.textAdvanceScale;
    let text = this.item.str.join('');
    text = normalizeUnicode(text);
    if (RTL.test(text)) throw new Unsupported('right-to-left text');
    if (text.trim() !== '') {
      if (this.ctx.items.length >= MAX_ITEMS_PER_PAGE) throw new Refused(`more than ${MAX_ITEMS_PER_PAGE} text items on one page`);
      this.ctx.items.push({ str: text, transform: this.item.transform!, width: Math.abs(this.item.totalWidth) });
    }
    this.item.initialized = false;
    this.item.str.length = 0;
  }

  appendEOL() {
    this.resetLastChars();
    if (this.item.initialized) this.flushTextContentItem();
    // (an empty EOL this.item when nothing is open: blank items are not kept)
  }

  addFakeSpaces(width: number, textOrientation: number) {
    if (textOrientation * this.item.spaceInFlowMin <= width && width <= textOrientation * this.item.spaceInFlowMax) {
      if (this.item.initialized) {
        this.resetLastChars();
        this.item.str.push(' ');
      }
      return false;
    }
    this.flushTextContentItem();
    this.resetLastChars();
    // pdfjs pushes a whitespace this.item here; blank items are not kept
    return true;
  }

  compareWithLastPosition(glyphWidth: number) {
    const currentTransform = this.textTransformInto(this.scratch);
    let posX = currentTransform[4]!;
    let posY = currentTransform[5]!;
    if (posX + glyphWidth < this.view[0]! || posX > this.view[2]! || posY < this.view[1]! || posY > this.view[3]!) return false;
    if (!this.textState.font || !this.item.prevTransform) return true;
    let lastPosX = this.item.prevTransform[4]!;
    let lastPosY = this.item.prevTransform[5]!;
    if (lastPosX === posX && lastPosY === posY) return true;
    let rotate = -1;
    if (currentTransform[0] && currentTransform[1] === 0 && currentTransform[2] === 0) rotate = currentTransform[0] > 0 ? 0 : 180;
    else if (currentTransform[1] && currentTransform[0] === 0 && currentTransform[3] === 0) rotate = currentTransform[1] > 0 ? 90 : 270;
    switch (rotate) {
      case 0:
        break;
      case 90:
        [posX, posY] = [posY, posX];
        [lastPosX, lastPosY] = [lastPosY, lastPosX];
        break;
      case 180:
        [posX, posY, lastPosX, lastPosY] = [-posX, -posY, -lastPosX, -lastPosY];
        break;
      case 270:
        [posX, posY] = [-posY, -posX];
        [lastPosX, lastPosY] = [-lastPosY, -lastPosX];
        break;
      default: {
        const inv = (x: number, y: number, m: ArrayLike<number>) => {
          const scale = Math.hypot(m[0]!, m[1]!);
          return [(m[0]! * x + m[1]! * y) / scale, (m[2]! * x + m[3]! * y) / scale] as const;
        };
        [posX, posY] = inv(posX, posY, currentTransform);
        [lastPosX, lastPosY] = inv(lastPosX, lastPosY, this.item.prevTransform);
      }
    }
    const advanceX = (posX - lastPosX) / this.item.textAdvanceScale;
    const advanceY = posY - lastPosY;
    const textOrientation = Math.sign(this.item.width || this.item.totalWidth);
    if (advanceX < textOrientation * this.item.negativeSpaceMax) {
      if (Math.abs(advanceY) > 0.5 * this.item.height) {
        this.appendEOL();
        return true;
      }
      this.resetLastChars();
      this.flushTextContentItem();
      return true;
    }
    const textRiseDelta = this.textState.textRise - this.item.prevTextRise;
    const advanceYCorrected = textRiseDelta === 0 ? advanceY : advanceY - (currentTransform[3]! / this.textState.fontSize) * textRiseDelta;
    if (Math.abs(advanceYCorrected) > this.item.height) {
      this.appendEOL();
      return true;
    }
    if (advanceX <= textOrientation * this.item.notASpace) this.resetLastChars();
    if (advanceX <= textOrientation * this.item.trackingSpaceMin) {
      if (this.shouldAddWhitespace()) {
        this.resetLastChars();
        this.flushTextContentItem();
      } else {
        this.item.width += advanceX;
      }
    } else if (!this.addFakeSpaces(advanceX, textOrientation)) {
      if (this.item.str.length === 0) this.resetLastChars();
      else this.item.width += advanceX;
    }
    if (Math.abs(advanceY) > this.item.height * VERTICAL_SHIFT_RATIO) this.flushTextContentItem();
    return true;
  }

  buildTextContentItem(chars: string | null, extraSpacing: number) {
    const cur = this.currentTextState!;
    if (cur !== this.textState && (cur.fontSize !== this.textState.fontSize || (cur.fontName !== this.textState.fontName && cur.font?.name !== this.textState.font?.name))) {
      this.flushTextContentItem();
      this.currentTextState = this.textState.clone();
    }
    const font = this.textState.font!;
    const baseCharSpacing = this.textState.charSpacing;
    if (!chars) {
      const charSpacing = baseCharSpacing + extraSpacing;
      if (charSpacing) this.textState.translateTextMatrix(charSpacing * this.textState.textHScale, 0);
      return;
    }
    const glyphs = font.charsToGlyphs(chars);
    const scale = 0.001 * this.textState.fontSize;
    for (let i = 0, ii = glyphs.length; i < ii; i++) {
      const glyph = glyphs[i]!;
      if (glyph.isInvisibleFormatMark) continue;
      let charSpacing = baseCharSpacing + (i + 1 === ii ? extraSpacing : 0);
      let scaledDim = glyph.width * scale;
      if (glyph.code === 0x20) charSpacing += this.textState.wordSpacing;
      if (glyph.isWhitespace) {
        charSpacing += scaledDim;
        this.textState.translateTextMatrix(charSpacing * this.textState.textHScale, 0);
        this.saveLastChar(' ');
        continue;
      }
      if (!glyph.isZeroWidthDiacritic && !this.compareWithLastPosition(scaledDim)) {
        this.textState.translateTextMatrix(scaledDim * this.textState.textHScale, 0);
        continue;
      }
      const textChunk = this.ensureTextContentItem();
      if (glyph.isZeroWidthDiacritic) scaledDim = 0;
      scaledDim *= this.textState.textHScale;
      this.textState.translateTextMatrix(scaledDim, 0);
      textChunk.width += scaledDim;
      if (scaledDim) {
        this.textTransformInto((textChunk.prevTransform ??= new Float64Array(6)));
        textChunk.prevTextRise = this.textState.textRise;
      }
      if (this.saveLastChar(glyph.unicode)) textChunk.str.push(' ');
      textChunk.str.push(glyph.unicode);
      if (charSpacing) this.textState.translateTextMatrix(charSpacing * this.textState.textHScale, 0);
    }
  }

  paint(op: PaintOp) {
    if (op === PAINT.closeStroke || op === PAINT.closeFillStroke || op === PAINT.closeEOFillStroke) this.path.push(DRAW.closePath);
    this.rec.paint(op, this.path.length ? new Float32Array(this.path) : null);
    this.path = [];
  }

  num(i: number): number {
    const v = this.args[i];
    if (typeof v !== 'number') throw new Unsupported('operand is not a number');
    return v;
  }

  need(n: number) {
    if (this.argc !== n) throw new Unsupported('wrong operand count');
  }

  setFont(nameArg: string, size: number) {
    if (this.textState.font && nameArg === this.textState.fontName && size === this.textState.fontSize) return;
    this.textState.fontName = nameArg;
    this.textState.fontSize = size;
    const fonts = this.file.get(this.resources.get('Font'));
    if (!isDict(fonts)) throw new Unsupported('no font this.resources');
    const raw = fonts.get(nameArg);
    if (raw === undefined) throw new Unsupported('font not found');
    const key: PdfObj = raw instanceof Ref ? `ref:${raw.num}:${raw.gen}` : raw;
    let font = this.ctx.cache.fonts.get(key);
    if (!font) {
      font = loadFont(this.file, raw);
      this.ctx.cache.fonts.set(key, font);
    }
    this.textState.font = font;
  }

  show(s: PdfObj | Cmd | undefined) {
    if (typeof s !== 'string') throw new Unsupported('text operand is not a string');
    if (!this.textState.font) throw new Unsupported('text shown without a font');
    this.buildTextContentItem(s, 0);
  }

  colour(kind: ColorKind, stroke: boolean) {
    const comps: number[] = [];
    for (let i = 0; i < this.argc; i++) {
      const a = this.args[i];
      if (typeof a === 'number') comps.push(a);
    }
    if (kind === 'pattern') return; // pdfjs emits no RGB this.colour for a pattern
    const white = isWhiteColor(kind, comps);
    if (stroke) this.rec.strokeWhite = white;
    else this.rec.fillWhite = white;
  }

  /** The operator loop. */
  run(): void {
    for (;;) {
      const t = this.lx.next();
      if (t === undefined) break;
      if (!(t instanceof Cmd)) {
        if (this.argc >= 64) throw new Unsupported('too many operands');
        this.args[this.argc++] = t;
        continue;
      }
      if (t === ARRAY_OPEN || t === DICT_OPEN) {
        this.lx.pos -= t === ARRAY_OPEN ? 1 : 2;
        const v = this.lx.object();
        if (v === undefined || v instanceof Cmd) throw new Unsupported('bad operand');
        if (this.argc >= 64) throw new Unsupported('too many operands');
        this.args[this.argc++] = v;
        continue;
      }
      if (++this.ctx.ops > MAX_OPS_PER_PAGE) throw new Refused(`more than ${MAX_OPS_PER_PAGE} operators on one page`);
      this.currentTextState ??= this.textState.clone();
      switch (t.op) {
        // graphics state
        case Op.op_q:
          this.stack.push(this.textState);
          this.textState = this.textState.clone();
          this.rec.save();
          break;
        case Op.op_Q: {
          const prev = this.stack.pop();
          if (prev) this.textState = prev;
          this.rec.restore();
          break;
        }
        case Op.op_cm: {
          this.need(6);
          const m = [this.num(0), this.num(1), this.num(2), this.num(3), this.num(4), this.num(5)];
          this.textState.ctm = mul(this.textState.ctm, m);
          this.rec.transform(m);
          break;
        }
        case Op.op_w:
        case Op.op_J:
        case Op.op_j:
        case Op.op_M:
        case Op.op_d:
        case Op.op_ri:
        case Op.op_i:
        case Op.op_BX:
        case Op.op_EX:
        case Op.op_MP:
        case Op.op_DP:
        case Op.op_sh:
        case Op.op_d0:
        case Op.op_d1:
        case Op.op_Tr:
          break;
        case Op.op_gs: {
          this.need(1);
          const gsName = this.args[0];
          if (!(gsName instanceof Name)) throw new Unsupported('bad gs operand');
          const egs = this.file.get(this.resources.get('ExtGState'));
          const g = isDict(egs) ? this.file.get(egs.get(gsName.name)) : undefined;
          if (isDict(g) && g.has('Font')) throw new Unsupported('font set through ExtGState');
          break;
        }
        // this.colour
        case Op.op_CS:
        case Op.op_cs: {
          this.need(1);
          const kind = colourSpaceKind(this.file, this.resources, this.args[0]);
          if (t.cmd === 'CS') this.textState.strokeSpace = kind;
          else this.textState.fillSpace = kind;
          break;
        }
        case Op.op_SC:
        case Op.op_SCN:
          this.colour(this.textState.strokeSpace, true);
          break;
        case Op.op_sc:
        case Op.op_scn:
          this.colour(this.textState.fillSpace, false);
          break;
        case Op.op_G:
          this.textState.strokeSpace = 'gray';
          this.colour('gray', true);
          break;
        case Op.op_g:
          this.textState.fillSpace = 'gray';
          this.colour('gray', false);
          break;
        case Op.op_RG:
          this.textState.strokeSpace = 'rgb';
          this.colour('rgb', true);
          break;
        case Op.op_rg:
          this.textState.fillSpace = 'rgb';
          this.colour('rgb', false);
          break;
        case Op.op_K:
          this.textState.strokeSpace = 'cmyk';
          this.colour('cmyk', true);
          break;
        case Op.op_k:
          this.textState.fillSpace = 'cmyk';
          this.colour('cmyk', false);
          break;
        // paths
        case Op.op_m:
          this.need(2);
          this.cx = this.num(0);
          this.cy = this.num(1);
          this.path.push(DRAW.moveTo, this.cx, this.cy);
          break;
        case Op.op_l:
          this.need(2);
          this.cx = this.num(0);
          this.cy = this.num(1);
          this.path.push(DRAW.lineTo, this.cx, this.cy);
          break;
        case Op.op_c:
          this.need(6);
          this.path.push(DRAW.curveTo, this.num(0), this.num(1), this.num(2), this.num(3), this.num(4), this.num(5));
          this.cx = this.num(4);
          this.cy = this.num(5);
          break;
        case Op.op_v:
          this.need(4);
          this.path.push(DRAW.curveTo, this.cx, this.cy, this.num(0), this.num(1), this.num(2), this.num(3));
          this.cx = this.num(2);
          this.cy = this.num(3);
          break;
        case Op.op_y:
          this.need(4);
          this.path.push(DRAW.curveTo, this.num(0), this.num(1), this.num(2), this.num(3), this.num(2), this.num(3));
          this.cx = this.num(2);
          this.cy = this.num(3);
          break;
        case Op.op_h:
          this.path.push(DRAW.closePath);
          break;
        case Op.op_re: {
          this.need(4);
          const x = (this.cx = this.num(0));
          const y = (this.cy = this.num(1));
          const w = this.num(2);
          const h = this.num(3);
          const xw = x + w;
          const yh = y + h;
          if (w === 0 || h === 0) this.path.push(DRAW.moveTo, x, y, DRAW.lineTo, xw, yh, DRAW.closePath);
          else this.path.push(DRAW.moveTo, x, y, DRAW.lineTo, xw, y, DRAW.lineTo, xw, yh, DRAW.lineTo, x, yh, DRAW.closePath);
          break;
        }
        case Op.op_S:
          this.paint(PAINT.stroke);
          break;
        case Op.op_s:
          this.paint(PAINT.closeStroke);
          break;
        case Op.op_f:
        case Op.op_F:
          this.paint(PAINT.fill);
          break;
        case Op.op_fStar:
          this.paint(PAINT.eoFill);
          break;
        case Op.op_B:
          this.paint(PAINT.fillStroke);
          break;
        case Op.op_BStar:
          this.paint(PAINT.eoFillStroke);
          break;
        case Op.op_b:
          this.paint(PAINT.closeFillStroke);
          break;
        case Op.op_bStar:
          this.paint(PAINT.closeEOFillStroke);
          break;
        case Op.op_n:
          this.paint(PAINT.endPath);
          break;
        case Op.op_W:
        case Op.op_WStar:
          break;
        // text
        case Op.op_BT:
          this.textState.textMatrix = [1, 0, 0, 1, 0, 0];
          this.textState.textLineMatrix = [1, 0, 0, 1, 0, 0];
          break;
        case Op.op_ET:
          break;
        case Op.op_Tf: {
          this.need(2);
          const n = this.args[0];
          if (!(n instanceof Name)) throw new Unsupported('bad Tf operand');
          this.setFont(n.name, this.num(1));
          break;
        }
        case Op.op_Ts:
          this.need(1);
          this.textState.textRise = this.num(0);
          break;
        case Op.op_Tz:
          this.need(1);
          this.textState.textHScale = this.num(0) / 100;
          break;
        case Op.op_TL:
          this.need(1);
          this.textState.leading = this.num(0);
          break;
        case Op.op_Td:
          this.need(2);
          this.textState.translateTextLineMatrix(this.num(0), this.num(1));
          this.textState.textMatrix = this.textState.textLineMatrix.slice();
          break;
        case Op.op_TD:
          this.need(2);
          this.textState.leading = -this.num(1);
          this.textState.translateTextLineMatrix(this.num(0), this.num(1));
          this.textState.textMatrix = this.textState.textLineMatrix.slice();
          break;
        case Op.op_TStar:
          this.textState.carriageReturn();
          break;
        case Op.op_Tm:
          this.need(6);
          this.textState.textMatrix = [this.num(0), this.num(1), this.num(2), this.num(3), this.num(4), this.num(5)];
          this.textState.textLineMatrix = [this.num(0), this.num(1), this.num(2), this.num(3), this.num(4), this.num(5)];
          this.updateAdvanceScale();
          break;
        case Op.op_Tc:
          this.need(1);
          this.textState.charSpacing = this.num(0);
          break;
        case Op.op_Tw:
          this.need(1);
          this.textState.wordSpacing = this.num(0);
          break;
        case Op.op_Tj:
          this.need(1);
          this.show(this.args[0]);
          break;
        case Op.Quote:
          this.need(1);
          this.textState.carriageReturn();
          this.show(this.args[0]);
          break;
        case Op.DoubleQuote:
          this.need(3);
          this.textState.wordSpacing = this.num(0);
          this.textState.charSpacing = this.num(1);
          this.textState.carriageReturn();
          this.show(this.args[2]);
          break;
        case Op.op_TJ: {
          this.need(1);
          const arr = this.args[0];
          if (!Array.isArray(arr)) throw new Unsupported('TJ operand is not an array');
          if (!this.textState.font) throw new Unsupported('text shown without a font');
          const spaceFactor = (-1 * this.textState.fontSize) / 1000;
          let buf = '';
          let pending = false;
          for (const el of arr) {
            if (typeof el === 'string') {
              buf += el;
              pending = true;
            } else if (typeof el === 'number') {
              if (el !== 0) {
                this.buildTextContentItem(buf, el * spaceFactor);
                buf = '';
                pending = false;
              }
            } else {
              throw new Unsupported('bad TJ element');
            }
          }
          if (pending) this.buildTextContentItem(buf, 0);
          break;
        }
        // marked content
        case Op.op_BMC:
        case Op.op_BDC:
        case Op.op_EMC:
          this.flushTextContentItem();
          break;
        // XObjects and inline images
        case Op.op_Do: {
          this.flushTextContentItem();
          this.need(1);
          const xname = this.args[0];
          if (!(xname instanceof Name)) throw new Unsupported('bad Do operand');
          const xobjs = this.file.get(this.resources.get('XObject'));
          const raw = isDict(xobjs) ? xobjs.get(xname.name) : undefined;
          const xobj = this.file.get(raw);
          if (!isStream(xobj)) throw new Unsupported('XObject is not a stream');
          const sub = this.file.get(xobj.dict.get('Subtype'));
          if (!(sub instanceof Name)) throw new Unsupported('XObject without a subtype');
          if (sub.name === 'Form') runForm(this.ctx, xobj, raw, this.resources, this.textState);
          else if (sub.name !== 'Image' && sub.name !== 'PS') throw new Unsupported(`XObject ${sub.name}`);
          break;
        }
        case Op.op_BI:
          skipInlineImage(this.lx);
          break;
        default:
          throw new Unsupported(`operator ${t.cmd}`);
      }
      this.argc = 0;
    }
    this.flushTextContentItem();
    this.flushTextContentItem();
  }
}

function runForm(ctx: Ctx, xobj: Stream, raw: PdfObj | undefined, resources: Dict, state: TextState): void {
  const key = raw instanceof Ref ? raw.num : xobj;
  if (ctx.formStack.includes(key) || ctx.formStack.length >= MAX_FORM_DEPTH) throw new Unsupported('form XObjects nested too deeply or in a cycle');
  ctx.formStack.push(key);
  try {
    const formState = state.clone();
    const mObj = ctx.file.get(xobj.dict.get('Matrix'));
    let matrix: Matrix | null = null;
    if (Array.isArray(mObj) && mObj.length === 6 && mObj.every((x) => typeof x === 'number')) matrix = mObj as Matrix;
    if (matrix) formState.ctm = mul(formState.ctm, matrix);
    const local = ctx.file.get(xobj.dict.get('Resources'));
    ctx.rec.save();
    if (matrix) ctx.rec.transform(matrix);
    try {
      run(ctx, ctx.file.decodeCached(xobj), isDict(local) ? local : resources, formState);
    } finally {
      ctx.rec.restore();
    }
  } finally {
    ctx.formStack.pop();
  }
}

function colourSpaceKind(file: PdfFile, resources: Dict, arg: PdfObj | Cmd | undefined): ColorKind {
  if (!(arg instanceof Name)) throw new Unsupported('bad colour space operand');
  const byName = (n: string): ColorKind | null =>
    n === 'DeviceGray' || n === 'G' ? 'gray' : n === 'DeviceRGB' || n === 'RGB' ? 'rgb' : n === 'DeviceCMYK' || n === 'CMYK' ? 'cmyk' : n === 'Pattern' ? 'pattern' : null;
  const direct = byName(arg.name);
  if (direct) return direct;
  const spaces = file.get(resources.get('ColorSpace'));
  const cs = isDict(spaces) ? file.get(spaces.get(arg.name)) : undefined;
  if (cs instanceof Name) {
    const k = byName(cs.name);
    if (k) return k;
  }
  if (Array.isArray(cs) && cs.length >= 1) {
    const family = file.get(cs[0]);
    if (isName(family, 'ICCBased')) {
      const s = file.get(cs[1]);
      const n = isStream(s) ? file.get(s.dict.get('N')) : undefined;
      if (n === 1) return 'gray';
      if (n === 3) return 'rgb';
      if (n === 4) return 'cmyk';
    }
    if (isName(family, 'Pattern')) return 'pattern';
  }
  // Indexed, Separation, DeviceN, Lab, CalRGB …: colours the ruling finder cannot judge the way pdfjs does
  throw new Unsupported('colour space');
}

/** Skip `BI … ID <data> EI`: the data ends at the first EI between white space. */
function skipInlineImage(lx: Lexer): void {
  for (;;) {
    const t = lx.next();
    if (t === undefined) throw new Unsupported('unterminated inline image');
    if (t === Cmd.get('ID')) break;
  }
  const b = lx.bytes;
  let p = lx.pos + 1; // one white-space byte after ID
  for (; p + 1 < lx.end; p++) {
    if (b[p] === 0x45 && b[p + 1] === 0x49 && isWs(b[p - 1]!) && (p + 2 >= lx.end || isWs(b[p + 2]!))) {
      lx.pos = p + 2;
      return;
    }
  }
  throw new Unsupported('unterminated inline image');
}
const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0;
