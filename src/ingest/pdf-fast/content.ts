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

/** Whether a colour converts to #ffffff the way pdfjs converts it (Uint8ClampedArray rounding). */
function isWhiteColor(kind: ColorKind, c: number[]): boolean {
  const byte = (v: number) => {
    const x = Math.min(255, Math.max(0, v));
    // Uint8ClampedArray: round half to even
    const f = Math.floor(x);
    const d = x - f;
    return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
  };
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
  const { file, view } = ctx;
  const stack: TextState[] = [];
  let textState = initial;
  let currentTextState: TextState | null = null;

  // ---- pdfjs's textContentItem and helpers (horizontal fonts only)
  const item = {
    initialized: false,
    str: [] as string[],
    totalWidth: 0,
    width: 0,
    height: 0,
    prevTransform: null as Float64Array | null,
    prevTextRise: 0,
    textAdvanceScale: 0,
    spaceInFlowMin: 0,
    spaceInFlowMax: 0,
    trackingSpaceMin: Infinity,
    negativeSpaceMax: -Infinity,
    notASpace: -Infinity,
    transform: null as number[] | null,
  };
  const twoLastChars = [' ', ' '];
  let twoLastCharsPos = 0;
  const saveLastChar = (ch: string) => {
    const nextPos = (twoLastCharsPos + 1) % 2;
    const ret = twoLastChars[twoLastCharsPos] !== ' ' && twoLastChars[nextPos] === ' ';
    twoLastChars[twoLastCharsPos] = ch;
    twoLastCharsPos = nextPos;
    return ret;
  };
  const shouldAddWhitespace = () => twoLastChars[twoLastCharsPos] !== ' ' && twoLastChars[(twoLastCharsPos + 1) % 2] === ' ';
  const resetLastChars = () => {
    twoLastChars[0] = twoLastChars[1] = ' ';
    twoLastCharsPos = 0;
  };
  /**
   * pdfjs's getCurrentTextTransform: ctm × textMatrix × [fontSize·hScale 0 0 fontSize 0 rise],
   * written into `out` (same arithmetic, in the same order, as two Util.transform calls).
   */
  const textTransformInto = <T extends number[] | Float64Array>(out: T): T => {
    const tm = textState.textMatrix;
    const ctm = textState.ctm;
    const fa = textState.fontSize * textState.textHScale;
    const fd = textState.fontSize;
    const rise = textState.textRise;
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
  };
  const getCurrentTextTransform = () => textTransformInto(new Array<number>(6));
  const scratch = new Float64Array(6);
  const ensureTextContentItem = () => {
    if (item.initialized) return item;
    const trm = (item.transform = getCurrentTextTransform());
    item.width = item.totalWidth = 0;
    item.height = Math.hypot(trm[2]!, trm[3]!);
    const scaleLineX = Math.hypot(textState.textLineMatrix[0]!, textState.textLineMatrix[1]!);
    const scaleCtmX = Math.hypot(textState.ctm[0]!, textState.ctm[1]!);
    item.textAdvanceScale = scaleCtmX * scaleLineX;
    const { fontSize } = textState;
    item.trackingSpaceMin = fontSize * TRACKING_SPACE_FACTOR;
    item.notASpace = fontSize * NOT_A_SPACE_FACTOR;
    item.negativeSpaceMax = fontSize * NEGATIVE_SPACE_FACTOR;
    item.spaceInFlowMin = fontSize * SPACE_IN_FLOW_MIN_FACTOR;
    item.spaceInFlowMax = fontSize * SPACE_IN_FLOW_MAX_FACTOR;
    item.initialized = true;
    return item;
  };
  const updateAdvanceScale = () => {
    if (!item.initialized) return;
    const scaleLineX = Math.hypot(textState.textLineMatrix[0]!, textState.textLineMatrix[1]!);
    const scaleCtmX = Math.hypot(textState.ctm[0]!, textState.ctm[1]!);
    const scaleFactor = scaleCtmX * scaleLineX;
    if (scaleFactor === item.textAdvanceScale) return;
    item.totalWidth += item.width * item.textAdvanceScale;
    item.width = 0;
    item.textAdvanceScale = scaleFactor;
  };
  const flushTextContentItem = () => {
    if (!item.initialized) return;
    item.totalWidth += item.width * item.textAdvanceScale;
    let text = item.str.join('');
    text = normalizeUnicode(text);
    if (RTL.test(text)) throw new Unsupported('right-to-left text');
    if (text.trim() !== '') {
      if (ctx.items.length >= MAX_ITEMS_PER_PAGE) throw new Refused(`more than ${MAX_ITEMS_PER_PAGE} text items on one page`);
      ctx.items.push({ str: text, transform: item.transform!, width: Math.abs(item.totalWidth) });
    }
    item.initialized = false;
    item.str.length = 0;
  };
  const appendEOL = () => {
    resetLastChars();
    if (item.initialized) flushTextContentItem();
    // (an empty EOL item when nothing is open: blank items are not kept)
  };
  const addFakeSpaces = (width: number, textOrientation: number) => {
    if (textOrientation * item.spaceInFlowMin <= width && width <= textOrientation * item.spaceInFlowMax) {
      if (item.initialized) {
        resetLastChars();
        item.str.push(' ');
      }
      return false;
    }
    flushTextContentItem();
    resetLastChars();
    // pdfjs pushes a whitespace item here; blank items are not kept
    return true;
  };
  const compareWithLastPosition = (glyphWidth: number) => {
    const currentTransform = textTransformInto(scratch);
    let posX = currentTransform[4]!;
    let posY = currentTransform[5]!;
    if (posX + glyphWidth < view[0]! || posX > view[2]! || posY < view[1]! || posY > view[3]!) return false;
    if (!textState.font || !item.prevTransform) return true;
    let lastPosX = item.prevTransform[4]!;
    let lastPosY = item.prevTransform[5]!;
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
        [lastPosX, lastPosY] = inv(lastPosX, lastPosY, item.prevTransform);
      }
    }
    const advanceX = (posX - lastPosX) / item.textAdvanceScale;
    const advanceY = posY - lastPosY;
    const textOrientation = Math.sign(item.width || item.totalWidth);
    if (advanceX < textOrientation * item.negativeSpaceMax) {
      if (Math.abs(advanceY) > 0.5 * item.height) {
        appendEOL();
        return true;
      }
      resetLastChars();
      flushTextContentItem();
      return true;
    }
    const textRiseDelta = textState.textRise - item.prevTextRise;
    const advanceYCorrected = textRiseDelta === 0 ? advanceY : advanceY - (currentTransform[3]! / textState.fontSize) * textRiseDelta;
    if (Math.abs(advanceYCorrected) > item.height) {
      appendEOL();
      return true;
    }
    if (advanceX <= textOrientation * item.notASpace) resetLastChars();
    if (advanceX <= textOrientation * item.trackingSpaceMin) {
      if (shouldAddWhitespace()) {
        resetLastChars();
        flushTextContentItem();
      } else {
        item.width += advanceX;
      }
    } else if (!addFakeSpaces(advanceX, textOrientation)) {
      if (item.str.length === 0) resetLastChars();
      else item.width += advanceX;
    }
    if (Math.abs(advanceY) > item.height * VERTICAL_SHIFT_RATIO) flushTextContentItem();
    return true;
  };
  const buildTextContentItem = (chars: string | null, extraSpacing: number) => {
    const cur = currentTextState!;
    if (cur !== textState && (cur.fontSize !== textState.fontSize || (cur.fontName !== textState.fontName && cur.font?.name !== textState.font?.name))) {
      flushTextContentItem();
      currentTextState = textState.clone();
    }
    const font = textState.font!;
    const baseCharSpacing = textState.charSpacing;
    if (!chars) {
      const charSpacing = baseCharSpacing + extraSpacing;
      if (charSpacing) textState.translateTextMatrix(charSpacing * textState.textHScale, 0);
      return;
    }
    const glyphs = font.charsToGlyphs(chars);
    const scale = 0.001 * textState.fontSize;
    for (let i = 0, ii = glyphs.length; i < ii; i++) {
      const glyph = glyphs[i]!;
      if (glyph.isInvisibleFormatMark) continue;
      let charSpacing = baseCharSpacing + (i + 1 === ii ? extraSpacing : 0);
      let scaledDim = glyph.width * scale;
      if (glyph.code === 0x20) charSpacing += textState.wordSpacing;
      if (glyph.isWhitespace) {
        charSpacing += scaledDim;
        textState.translateTextMatrix(charSpacing * textState.textHScale, 0);
        saveLastChar(' ');
        continue;
      }
      if (!glyph.isZeroWidthDiacritic && !compareWithLastPosition(scaledDim)) {
        textState.translateTextMatrix(scaledDim * textState.textHScale, 0);
        continue;
      }
      const textChunk = ensureTextContentItem();
      if (glyph.isZeroWidthDiacritic) scaledDim = 0;
      scaledDim *= textState.textHScale;
      textState.translateTextMatrix(scaledDim, 0);
      textChunk.width += scaledDim;
      if (scaledDim) {
        textTransformInto((textChunk.prevTransform ??= new Float64Array(6)));
        textChunk.prevTextRise = textState.textRise;
      }
      if (saveLastChar(glyph.unicode)) textChunk.str.push(' ');
      textChunk.str.push(glyph.unicode);
      if (charSpacing) textState.translateTextMatrix(charSpacing * textState.textHScale, 0);
    }
  };

  // ---- paths (rulings)
  const rec = ctx.rec;
  let path: number[] = [];
  let cx = 0;
  let cy = 0;
  const paint = (op: PaintOp) => {
    if (op === PAINT.closeStroke || op === PAINT.closeFillStroke || op === PAINT.closeEOFillStroke) path.push(DRAW.closePath);
    rec.paint(op, path.length ? new Float32Array(path) : null);
    path = [];
  };

  // ---- the operator loop
  const lx = new Lexer(content);
  lx.refs = false;
  // operands of the current operator: args[0 … argc-1] (the array is reused, never truncated)
  const args: (PdfObj | Cmd | undefined)[] = new Array(64).fill(undefined);
  let argc = 0;
  const num = (i: number): number => {
    const v = args[i];
    if (typeof v !== 'number') throw new Unsupported('operand is not a number');
    return v;
  };
  const need = (n: number) => {
    if (argc !== n) throw new Unsupported('wrong operand count');
  };
  const setFont = (nameArg: string, size: number) => {
    if (textState.font && nameArg === textState.fontName && size === textState.fontSize) return;
    textState.fontName = nameArg;
    textState.fontSize = size;
    const fonts = file.get(resources.get('Font'));
    if (!isDict(fonts)) throw new Unsupported('no font resources');
    const raw = fonts.get(nameArg);
    if (raw === undefined) throw new Unsupported('font not found');
    const key: PdfObj = raw instanceof Ref ? `ref:${raw.num}:${raw.gen}` : raw;
    let font = ctx.cache.fonts.get(key);
    if (!font) {
      font = loadFont(file, raw);
      ctx.cache.fonts.set(key, font);
    }
    textState.font = font;
  };
  const show = (s: PdfObj | Cmd | undefined) => {
    if (typeof s !== 'string') throw new Unsupported('text operand is not a string');
    if (!textState.font) throw new Unsupported('text shown without a font');
    buildTextContentItem(s, 0);
  };
  const colour = (kind: ColorKind, stroke: boolean) => {
    const comps: number[] = [];
    for (let i = 0; i < argc; i++) {
      const a = args[i];
      if (typeof a === 'number') comps.push(a);
    }
    if (kind === 'pattern') return; // pdfjs emits no RGB colour for a pattern
    const white = isWhiteColor(kind, comps);
    if (stroke) rec.strokeWhite = white;
    else rec.fillWhite = white;
  };

  for (;;) {
    const t = lx.next();
    if (t === undefined) break;
    if (!(t instanceof Cmd)) {
      if (argc >= 64) throw new Unsupported('too many operands');
      args[argc++] = t;
      continue;
    }
    if (t === ARRAY_OPEN || t === DICT_OPEN) {
      lx.pos -= t === ARRAY_OPEN ? 1 : 2;
      const v = lx.object();
      if (v === undefined || v instanceof Cmd) throw new Unsupported('bad operand');
      if (argc >= 64) throw new Unsupported('too many operands');
      args[argc++] = v;
      continue;
    }
    if (++ctx.ops > MAX_OPS_PER_PAGE) throw new Refused(`more than ${MAX_OPS_PER_PAGE} operators on one page`);
    currentTextState ??= textState.clone();
    switch (t.op) {
      // graphics state
      case Op.op_q:
        stack.push(textState);
        textState = textState.clone();
        rec.save();
        break;
      case Op.op_Q: {
        const prev = stack.pop();
        if (prev) textState = prev;
        rec.restore();
        break;
      }
      case Op.op_cm: {
        need(6);
        const m = [num(0), num(1), num(2), num(3), num(4), num(5)];
        textState.ctm = mul(textState.ctm, m);
        rec.transform(m);
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
        need(1);
        const gsName = args[0];
        if (!(gsName instanceof Name)) throw new Unsupported('bad gs operand');
        const egs = file.get(resources.get('ExtGState'));
        const g = isDict(egs) ? file.get(egs.get(gsName.name)) : undefined;
        if (isDict(g) && g.has('Font')) throw new Unsupported('font set through ExtGState');
        break;
      }
      // colour
      case Op.op_CS:
      case Op.op_cs: {
        need(1);
        const kind = colourSpaceKind(file, resources, args[0]);
        if (t.cmd === 'CS') textState.strokeSpace = kind;
        else textState.fillSpace = kind;
        break;
      }
      case Op.op_SC:
      case Op.op_SCN:
        colour(textState.strokeSpace, true);
        break;
      case Op.op_sc:
      case Op.op_scn:
        colour(textState.fillSpace, false);
        break;
      case Op.op_G:
        textState.strokeSpace = 'gray';
        colour('gray', true);
        break;
      case Op.op_g:
        textState.fillSpace = 'gray';
        colour('gray', false);
        break;
      case Op.op_RG:
        textState.strokeSpace = 'rgb';
        colour('rgb', true);
        break;
      case Op.op_rg:
        textState.fillSpace = 'rgb';
        colour('rgb', false);
        break;
      case Op.op_K:
        textState.strokeSpace = 'cmyk';
        colour('cmyk', true);
        break;
      case Op.op_k:
        textState.fillSpace = 'cmyk';
        colour('cmyk', false);
        break;
      // paths
      case Op.op_m:
        need(2);
        cx = num(0);
        cy = num(1);
        path.push(DRAW.moveTo, cx, cy);
        break;
      case Op.op_l:
        need(2);
        cx = num(0);
        cy = num(1);
        path.push(DRAW.lineTo, cx, cy);
        break;
      case Op.op_c:
        need(6);
        path.push(DRAW.curveTo, num(0), num(1), num(2), num(3), num(4), num(5));
        cx = num(4);
        cy = num(5);
        break;
      case Op.op_v:
        need(4);
        path.push(DRAW.curveTo, cx, cy, num(0), num(1), num(2), num(3));
        cx = num(2);
        cy = num(3);
        break;
      case Op.op_y:
        need(4);
        path.push(DRAW.curveTo, num(0), num(1), num(2), num(3), num(2), num(3));
        cx = num(2);
        cy = num(3);
        break;
      case Op.op_h:
        path.push(DRAW.closePath);
        break;
      case Op.op_re: {
        need(4);
        const x = (cx = num(0));
        const y = (cy = num(1));
        const w = num(2);
        const h = num(3);
        const xw = x + w;
        const yh = y + h;
        if (w === 0 || h === 0) path.push(DRAW.moveTo, x, y, DRAW.lineTo, xw, yh, DRAW.closePath);
        else path.push(DRAW.moveTo, x, y, DRAW.lineTo, xw, y, DRAW.lineTo, xw, yh, DRAW.lineTo, x, yh, DRAW.closePath);
        break;
      }
      case Op.op_S:
        paint(PAINT.stroke);
        break;
      case Op.op_s:
        paint(PAINT.closeStroke);
        break;
      case Op.op_f:
      case Op.op_F:
        paint(PAINT.fill);
        break;
      case Op.op_fStar:
        paint(PAINT.eoFill);
        break;
      case Op.op_B:
        paint(PAINT.fillStroke);
        break;
      case Op.op_BStar:
        paint(PAINT.eoFillStroke);
        break;
      case Op.op_b:
        paint(PAINT.closeFillStroke);
        break;
      case Op.op_bStar:
        paint(PAINT.closeEOFillStroke);
        break;
      case Op.op_n:
        paint(PAINT.endPath);
        break;
      case Op.op_W:
      case Op.op_WStar:
        break;
      // text
      case Op.op_BT:
        textState.textMatrix = [1, 0, 0, 1, 0, 0];
        textState.textLineMatrix = [1, 0, 0, 1, 0, 0];
        break;
      case Op.op_ET:
        break;
      case Op.op_Tf: {
        need(2);
        const n = args[0];
        if (!(n instanceof Name)) throw new Unsupported('bad Tf operand');
        setFont(n.name, num(1));
        break;
      }
      case Op.op_Ts:
        need(1);
        textState.textRise = num(0);
        break;
      case Op.op_Tz:
        need(1);
        textState.textHScale = num(0) / 100;
        break;
      case Op.op_TL:
        need(1);
        textState.leading = num(0);
        break;
      case Op.op_Td:
        need(2);
        textState.translateTextLineMatrix(num(0), num(1));
        textState.textMatrix = textState.textLineMatrix.slice();
        break;
      case Op.op_TD:
        need(2);
        textState.leading = -num(1);
        textState.translateTextLineMatrix(num(0), num(1));
        textState.textMatrix = textState.textLineMatrix.slice();
        break;
      case Op.op_TStar:
        textState.carriageReturn();
        break;
      case Op.op_Tm:
        need(6);
        textState.textMatrix = [num(0), num(1), num(2), num(3), num(4), num(5)];
        textState.textLineMatrix = [num(0), num(1), num(2), num(3), num(4), num(5)];
        updateAdvanceScale();
        break;
      case Op.op_Tc:
        need(1);
        textState.charSpacing = num(0);
        break;
      case Op.op_Tw:
        need(1);
        textState.wordSpacing = num(0);
        break;
      case Op.op_Tj:
        need(1);
        show(args[0]);
        break;
      case Op.Quote:
        need(1);
        textState.carriageReturn();
        show(args[0]);
        break;
      case Op.DoubleQuote:
        need(3);
        textState.wordSpacing = num(0);
        textState.charSpacing = num(1);
        textState.carriageReturn();
        show(args[2]);
        break;
      case Op.op_TJ: {
        need(1);
        const arr = args[0];
        if (!Array.isArray(arr)) throw new Unsupported('TJ operand is not an array');
        if (!textState.font) throw new Unsupported('text shown without a font');
        const spaceFactor = (-1 * textState.fontSize) / 1000;
        let buf = '';
        let pending = false;
        for (const el of arr) {
          if (typeof el === 'string') {
            buf += el;
            pending = true;
          } else if (typeof el === 'number') {
            if (el !== 0) {
              buildTextContentItem(buf, el * spaceFactor);
              buf = '';
              pending = false;
            }
          } else {
            throw new Unsupported('bad TJ element');
          }
        }
        if (pending) buildTextContentItem(buf, 0);
        break;
      }
      // marked content
      case Op.op_BMC:
      case Op.op_BDC:
      case Op.op_EMC:
        flushTextContentItem();
        break;
      // XObjects and inline images
      case Op.op_Do: {
        flushTextContentItem();
        need(1);
        const xname = args[0];
        if (!(xname instanceof Name)) throw new Unsupported('bad Do operand');
        const xobjs = file.get(resources.get('XObject'));
        const raw = isDict(xobjs) ? xobjs.get(xname.name) : undefined;
        const xobj = file.get(raw);
        if (!isStream(xobj)) throw new Unsupported('XObject is not a stream');
        const sub = file.get(xobj.dict.get('Subtype'));
        if (!(sub instanceof Name)) throw new Unsupported('XObject without a subtype');
        if (sub.name === 'Form') runForm(ctx, xobj, raw, resources, textState);
        else if (sub.name !== 'Image' && sub.name !== 'PS') throw new Unsupported(`XObject ${sub.name}`);
        break;
      }
      case Op.op_BI:
        skipInlineImage(lx);
        break;
      default:
        throw new Unsupported(`operator ${t.cmd}`);
    }
    argc = 0;
  }
  flushTextContentItem();
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
