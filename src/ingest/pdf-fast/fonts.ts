/**
 * Fonts for the fast reader: what text extraction needs from a font (char codes
 * → Unicode, advance widths), computed the way pdfjs computes them, for the fonts
 * that Word, WPS, LibreOffice, ONLYOFFICE and Distiller write:
 * - Type0 with Identity-H and a ToUnicode CMap (TrueType or CFF descendants);
 * - simple TrueType / Type1 fonts with /Widths, and a ToUnicode CMap or a standard
 *   encoding for the printable ASCII range.
 * The font program itself is never parsed: pdfjs converts it for rendering, which
 * is most of what its text extraction costs. Anything else (Type3, vertical
 * writing, predefined CJK CMaps, glyph-name Differences without ToUnicode …)
 * throws `Unsupported` and the document goes to pdfjs.
 */
import { Lexer, Name, Ref, Unsupported, isDict, isName, isStream, type Dict, type PdfObj } from './lexer.js';
import { builtInCMap, readCharCode, type BuiltInCMap } from './cmaps.js';
import { ENCODINGS } from './encodings.js';
import type { PdfFile } from './objects.js';

export interface Glyph {
  unicode: string;
  /** advance width in glyph space (1/1000 of the font size) */
  width: number;
  code: number;
  isWhitespace: boolean;
  isZeroWidthDiacritic: boolean;
  isInvisibleFormatMark: boolean;
}

export interface FastFont {
  /** pdfjs's `font.name`: FontDescriptor /FontName, else /BaseFont */
  name: string;
  charsToGlyphs(chars: string): Glyph[];
}

const SPECIAL_CHAR = /^(\s)|(\p{Mn})|(\p{Cf})$/u;
const categoryCache = new Map<string, { isWhitespace: boolean; isZeroWidthDiacritic: boolean; isInvisibleFormatMark: boolean }>();
function category(ch: string) {
  let c = categoryCache.get(ch);
  if (!c) {
    const g = ch.match(SPECIAL_CHAR);
    c = { isWhitespace: !!g?.[1], isZeroWidthDiacritic: !!g?.[2], isInvisibleFormatMark: !!g?.[3] };
    if (categoryCache.size > 50_000) categoryCache.clear();
    categoryCache.set(ch, c);
  }
  return c;
}

/** A parsed ToUnicode CMap: code → Unicode string (pdfjs's readToUnicode). */
export function parseToUnicode(bytes: Uint8Array): Map<number, string> {
  const raw = new Map<number, string | number>();
  const lx = new Lexer(bytes);
  const str = (o: unknown) => {
    if (typeof o !== 'string') throw new Unsupported('bad ToUnicode entry');
    return o;
  };
  const toInt = (s: string) => {
    let n = 0;
    for (let i = 0; i < s.length; i++) n = n * 256 + s.charCodeAt(i);
    return n;
  };
  for (;;) {
    const t = lx.next();
    if (t === undefined) break;
    if (t instanceof Name || typeof t !== 'object' || t === null || Array.isArray(t) || t instanceof Ref) continue;
    const cmd = (t as { cmd?: string }).cmd;
    if (cmd === undefined) continue;
    if (cmd === 'endcmap') break;
    if (cmd === 'usecmap') throw new Unsupported('ToUnicode with usecmap');
    if (cmd === 'beginbfchar') {
      for (;;) {
        const a = lx.next();
        if ((a as { cmd?: string })?.cmd === 'endbfchar') break;
        const src = toInt(str(a));
        raw.set(src, str(lx.next()));
      }
    } else if (cmd === 'beginbfrange') {
      for (;;) {
        const a = lx.next();
        if ((a as { cmd?: string })?.cmd === 'endbfrange') break;
        let low = toInt(str(a));
        const high = toInt(str(lx.next()));
        if (high - low > 0xffff) throw new Unsupported('ToUnicode range too large');
        const d = lx.next();
        if (typeof d === 'string' || (typeof d === 'number' && Number.isInteger(d))) {
          let dst = typeof d === 'number' ? String.fromCharCode(d) : d;
          const last = dst.length - 1;
          while (low <= high) {
            raw.set(low++, dst);
            const next = dst.charCodeAt(last) + 1;
            if (next > 0xff) {
              dst = dst.substring(0, last - 1) + String.fromCharCode(dst.charCodeAt(last - 1) + 1) + '\x00';
              continue;
            }
            dst = dst.substring(0, last) + String.fromCharCode(next);
          }
        } else if ((d as { cmd?: string })?.cmd === '[') {
          for (;;) {
            const e = lx.next();
            if ((e as { cmd?: string })?.cmd === ']') break;
            if (e === undefined) throw new Unsupported('bad ToUnicode range');
            if (low <= high) raw.set(low, e as string);
            low++;
          }
        } else {
          throw new Unsupported('bad ToUnicode range');
        }
      }
    } else if (cmd === 'begincidchar' || cmd === 'begincidrange') {
      throw new Unsupported('CID mappings in a ToUnicode CMap');
    }
  }
  const map = new Map<number, string>();
  for (const [code, token0] of raw) {
    if (typeof token0 === 'number') {
      map.set(code, String.fromCodePoint(token0));
      continue;
    }
    if (typeof token0 !== 'string') throw new Unsupported('bad ToUnicode entry');
    let token = token0;
    if (token.length % 2 !== 0) token = '\u0000' + token;
    const cps: number[] = [];
    for (let k = 0; k < token.length; k += 2) {
      const w1 = (token.charCodeAt(k) << 8) | token.charCodeAt(k + 1);
      if ((w1 & 0xf800) !== 0xd800) {
        cps.push(w1);
        continue;
      }
      k += 2;
      const w2 = (token.charCodeAt(k) << 8) | token.charCodeAt(k + 1);
      cps.push(((w1 & 0x3ff) << 10) + (w2 & 0x3ff) + 0x10000);
    }
    map.set(code, String.fromCodePoint(...cps));
  }
  return map;
}

/** Load a font dictionary for text extraction (cached per document by the caller). */
export function loadFont(file: PdfFile, fontObj: PdfObj | undefined): FastFont {
  const dict = file.get(fontObj);
  if (!isDict(dict)) throw new Unsupported('font is not a dictionary');
  const subtype = file.get(dict.get('Subtype'));
  if (!(subtype instanceof Name)) throw new Unsupported('font without a subtype');
  const toUnicodeObj = file.get(dict.get('ToUnicode'));
  let toUnicode: Map<number, string> | null = null;
  if (isStream(toUnicodeObj)) {
    toUnicode = parseToUnicode(file.decode(toUnicodeObj));
    if (toUnicode.size === 0) toUnicode = null;
  } else if (toUnicodeObj !== undefined && toUnicodeObj !== null) {
    throw new Unsupported('ToUnicode is not a stream');
  }

  if (subtype.name === 'Type0') {
    const enc = file.get(dict.get('Encoding'));
    if (!(enc instanceof Name)) throw new Unsupported('embedded CMap');
    const identity = enc.name === 'Identity-H';
    if (!identity && (enc.name === 'Identity-V' || enc.name.endsWith('-V'))) throw new Unsupported('vertical writing');
    const cmap = identity ? null : builtInCMap(enc.name);
    if (cmap?.vertical) throw new Unsupported('vertical writing');
    const dfs = file.get(dict.get('DescendantFonts'));
    const cid = file.get(Array.isArray(dfs) ? dfs[0] : dfs);
    if (!isDict(cid)) throw new Unsupported('bad descendant font');
    const cidType = file.get(cid.get('Subtype'));
    if (!isName(cidType, 'CIDFontType2') && !isName(cidType, 'CIDFontType0')) throw new Unsupported('bad descendant font type');
    const descriptor = file.get(cid.get('FontDescriptor'));
    if (!isDict(descriptor)) throw new Unsupported('composite font without a descriptor');
    // pdfjs remaps non-embedded Identity-encoded fonts with standard names onto its own glyph maps
    if (identity && !hasFontFile(descriptor)) throw new Unsupported('composite font not embedded');
    if (!toUnicode) {
      // pdfjs: Unicode from the CID through Adobe's <registry>-<ordering>-UCS2 CMap
      if (!cmap) throw new Unsupported('composite font without ToUnicode');
      const info = file.get(cid.get('CIDSystemInfo'));
      const registry = isDict(info) ? file.get(info.get('Registry')) : undefined;
      const ordering = isDict(info) ? file.get(info.get('Ordering')) : undefined;
      if (typeof registry !== 'string' || typeof ordering !== 'string') throw new Unsupported('no CIDSystemInfo');
      const ucs2 = builtInCMap(`${registry}-${ordering}-UCS2`);
      toUnicode = new Map();
      for (const [code, c] of cmap.map) {
        if (typeof c !== 'number') continue;
        if (c > 0xffff) throw new Unsupported('CID above 65535');
        const u = ucs2.map.get(c);
        if (typeof u !== 'string' || !u) continue;
        let str = '';
        for (let i = 0; i < u.length; i += 2) str += String.fromCharCode((u.charCodeAt(i) << 8) + u.charCodeAt(i + 1));
        toUnicode.set(code, str);
      }
    }
    const dw = file.get(cid.get('DW'));
    const defaultWidth = typeof dw === 'number' ? Math.ceil(dw) : 1000;
    const widths = cidWidths(file, file.get(cid.get('W')));
    const name = fontName(file, descriptor, cid);
    const tu = toUnicode;
    return makeFont(
      name,
      cmap ? { cmap } : true,
      (code) => tu.get(code) || String.fromCharCode(code),
      (code) => {
        let widthCode = code;
        if (cmap) {
          const c = cmap.map.get(code);
          if (typeof c === 'string') throw new Unsupported('CID string in a CMap');
          if (c !== undefined) widthCode = c;
        }
        const w = widths.get(widthCode);
        return typeof w === 'number' ? w : defaultWidth;
      },
    );
  }

  if (subtype.name !== 'TrueType' && subtype.name !== 'Type1') throw new Unsupported(`font type ${subtype.name}`);
  const descriptor = file.get(dict.get('FontDescriptor'));
  if (!isDict(descriptor)) throw new Unsupported('simple font without a descriptor');
  const embedded = hasFontFile(descriptor);
  if (subtype.name === 'Type1' && !embedded) throw new Unsupported('non-embedded Type1 font');
  const name = fontName(file, descriptor, dict);
  // pdfjs substitutes non-embedded symbol fonts and GBK-named Chinese fonts
  if (!embedded && (/Symbol|Dingbats|Wingdings|Webdings/i.test(name) || /[^\x20-\x7e]/.test(name))) throw new Unsupported('non-embedded font pdfjs substitutes');
  const widthsArr = file.get(dict.get('Widths'));
  if (!Array.isArray(widthsArr)) throw new Unsupported('simple font without /Widths');
  const fc = file.get(dict.get('FirstChar'));
  const firstChar = Number.isInteger(fc) ? (fc as number) : 0;
  const widths: (number | undefined)[] = [];
  widthsArr.forEach((w, i) => {
    const v = file.get(w);
    if (typeof v === 'number') widths[firstChar + i] = v;
  });
  const mw = file.get(descriptor.get('MissingWidth'));
  const defaultWidth = typeof mw === 'number' ? mw : 0;

  // pdfjs's extractDataStructures: base encoding, Differences, default encoding
  const encObj = file.get(dict.get('Encoding'));
  let base: string | null = null;
  const differences = new Set<number>();
  if (encObj instanceof Name) base = encObj.name;
  else if (isDict(encObj)) {
    const b = file.get(encObj.get('BaseEncoding'));
    base = b instanceof Name ? b.name : null;
    const d = file.get(encObj.get('Differences'));
    if (Array.isArray(d)) {
      let index = 0;
      for (const entry of d) {
        const v = file.get(entry);
        if (typeof v === 'number') index = v;
        else if (v instanceof Name) {
          if (v.name !== '.notdef') differences.add(index);
          index++;
        } else throw new Unsupported('bad Differences');
      }
    }
  } else if (encObj !== undefined && encObj !== null) throw new Unsupported('bad Encoding');
  if (base === 'MacExpertEncoding') throw new Unsupported('MacExpertEncoding');
  if (base !== 'MacRomanEncoding' && base !== 'WinAnsiEncoding') base = null;
  const flagsObj = file.get(descriptor.get('Flags'));
  const flags = typeof flagsObj === 'number' ? flagsObj : 0;
  let symbolic = (flags & 4) !== 0;
  const nonsymbolic = (flags & 32) !== 0;
  if (subtype.name === 'TrueType' && symbolic && nonsymbolic && differences.size > 0) symbolic = false;
  const table = base
    ? ENCODINGS[base as 'WinAnsiEncoding' | 'MacRomanEncoding']
    : symbolic
      ? ENCODINGS.MacRomanEncoding
      : subtype.name === 'TrueType' && !nonsymbolic
        ? ENCODINGS.WinAnsiEncoding
        : ENCODINGS.StandardEncoding;
  const hasEncoding = base !== null || differences.size > 0;
  /** the encoding's Unicode for a code (pdfjs's _simpleFontToUnicode), or undefined */
  const fromEncoding = (code: number): string | undefined => {
    if (differences.has(code)) throw new Unsupported('glyph names from Differences');
    const ch = table[code];
    return ch && ch !== '\u0000' ? ch : undefined;
  };
  if (!toUnicode && embedded && (subtype.name === 'Type1' || symbolic)) throw new Unsupported('Unicode from the font program');
  return makeFont(name, false, (code) => {
    if (toUnicode) {
      if (toUnicode.has(code)) return toUnicode.get(code) || String.fromCharCode(code);
      if (hasEncoding) return fromEncoding(code) ?? String.fromCharCode(code);
      return String.fromCharCode(code);
    }
    return fromEncoding(code) ?? String.fromCharCode(code);
  }, (code) => {
    const w = widths[code];
    return typeof w === 'number' ? w : defaultWidth;
  });
}

function hasFontFile(descriptor: Dict): boolean {
  return descriptor.has('FontFile') || descriptor.has('FontFile2') || descriptor.has('FontFile3');
}

function fontName(file: PdfFile, descriptor: Dict, dict: Dict): string {
  const fn = file.get(descriptor.get('FontName'));
  if (fn instanceof Name) return fn.name;
  if (typeof fn === 'string') return fn;
  const bf = file.get(dict.get('BaseFont'));
  if (bf instanceof Name) return bf.name;
  throw new Unsupported('font without a name');
}

function cidWidths(file: PdfFile, w: PdfObj | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (!Array.isArray(w)) return out;
  for (let i = 0; i < w.length; i++) {
    const first = file.get(w[i++]);
    if (typeof first !== 'number' || !Number.isInteger(first)) break;
    let start = first;
    const code = file.get(w[i]);
    if (Array.isArray(code)) {
      for (const c of code) {
        const width = file.get(c);
        if (typeof width === 'number') out.set(start, width);
        start++;
      }
    } else if (typeof code === 'number' && Number.isInteger(code)) {
      const width = file.get(w[++i]);
      if (typeof width !== 'number') continue;
      if (code - start > 0xffff) throw new Unsupported('width range too large');
      for (let j = start; j <= code; j++) out.set(j, width);
    } else {
      break;
    }
  }
  return out;
}

function makeFont(name: string, composite: boolean | { cmap: BuiltInCMap }, unicodeOf: (code: number) => string, widthOf: (code: number) => number): FastFont {
  const glyphCache = new Map<number, Glyph>();
  const charsCache = new Map<string, Glyph[]>();
  const glyph = (code: number): Glyph => {
    let g = glyphCache.get(code);
    if (!g) {
      const unicode = unicodeOf(code);
      g = { unicode, width: widthOf(code), code, ...category(unicode) };
      glyphCache.set(code, g);
    }
    return g;
  };
  return {
    name,
    charsToGlyphs(chars: string): Glyph[] {
      let glyphs = charsCache.get(chars);
      if (glyphs) return glyphs;
      glyphs = [];
      if (typeof composite === 'object') {
        for (let i = 0; i < chars.length; ) {
          const { code, length } = readCharCode(composite.cmap, chars, i);
          i += length;
          glyphs.push(glyph(code));
        }
      } else if (composite) {
        if (chars.length % 2 !== 0) throw new Unsupported('odd byte count in a two-byte string');
        for (let i = 0; i < chars.length; i += 2) glyphs.push(glyph((chars.charCodeAt(i) << 8) | chars.charCodeAt(i + 1)));
      } else {
        for (let i = 0; i < chars.length; i++) glyphs.push(glyph(chars.charCodeAt(i)));
      }
      if (charsCache.size > 20_000) charsCache.clear();
      charsCache.set(chars, glyphs);
      return glyphs;
    },
  };
}
