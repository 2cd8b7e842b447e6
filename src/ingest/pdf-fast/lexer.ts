/**
 * PDF tokens and objects for the fast reader (see ./index.ts): a small, strict
 * lexer over bytes. Anything unusual throws `Unsupported`, and the caller hands
 * the whole document to pdfjs, which is tolerant of damage; so this code only
 * needs to be right on well-formed input, never clever on broken input.
 *
 * Numbers, literal and hex strings and names are decoded exactly as pdfjs's
 * Lexer decodes them (same escapes, same arithmetic), so that text positions
 * computed from them match pdfjs's to the last bit.
 */

/** The fast reader cannot read this document: use pdfjs instead. */
export class Unsupported extends Error {
  override name = 'Unsupported';
}

/** The document is hostile or beyond a limit: refuse it (pdfjs would fare no better). */
export class Refused extends Error {
  override name = 'Refused';
}

export class Name {
  private static readonly table = new Map<string, Name>();
  private constructor(readonly name: string) {}
  static get(name: string): Name {
    let n = Name.table.get(name);
    if (!n) {
      if (Name.table.size > 100_000) Name.table.clear();
      n = new Name(name);
      Name.table.set(name, n);
    }
    return n;
  }
}

export class Ref {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

/** A keyword that is not a value (operators in content streams, `obj`, `R` …). */
export class Cmd {
  private static readonly table = new Map<string, Cmd>();
  /** operator number for the content interpreter's dispatch (0: not an operator it knows) */
  op = 0;
  private constructor(readonly cmd: string) {}
  static get(cmd: string): Cmd {
    let c = Cmd.table.get(cmd);
    if (!c) {
      if (Cmd.table.size > 10_000) throw new Unsupported('too many distinct keywords');
      c = new Cmd(cmd);
      Cmd.table.set(cmd, c);
    }
    return c;
  }
}

export type Dict = Map<string, PdfObj>;
export interface Stream {
  kind: 'stream';
  dict: Dict;
  /** raw (still encoded) data range in the file */
  start: number;
  end: number;
  ref?: Ref;
}
/** PDF strings are kept as binary strings (one char per byte), as pdfjs keeps them. */
export type PdfObj = number | boolean | null | string | Name | Ref | PdfObj[] | Dict | Stream;

export const isDict = (o: unknown): o is Dict => o instanceof Map;
export const isStream = (o: unknown): o is Stream => typeof o === 'object' && o !== null && (o as Stream).kind === 'stream';
export const isName = (o: unknown, name?: string): o is Name => o instanceof Name && (name === undefined || o.name === name);

/** 1 for whitespace, 2 for delimiters (pdfjs's specialChars). */
const SPECIAL = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) SPECIAL[c] = 1;
for (const c of [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]) SPECIAL[c] = 2;

export function hexDigit(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  if (ch >= 0x41 && ch <= 0x46) return ch - 0x37;
  if (ch >= 0x61 && ch <= 0x66) return ch - 0x57;
  return -1;
}

const MAX_NESTING = 256;
/** short keywords by their bytes (see Lexer.next) */
const SHORT_CMDS = new Map<number, Cmd>();
const MAX_TOKEN = 1 << 24;

export class Lexer {
  pos: number;
  /** read `n g R` as a reference (off in content streams, where it cannot occur) */
  refs = true;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  /** Skip whitespace and comments; the next byte, or -1 at the end. */
  skipSpace(): number {
    const b = this.bytes;
    while (this.pos < this.end) {
      const ch = b[this.pos]!;
      if (SPECIAL[ch] === 1) {
        this.pos++;
      } else if (ch === 0x25) {
        while (this.pos < this.end && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else {
        return ch;
      }
    }
    return -1;
  }

  /**
   * The next token: a value (number, string, name, boolean, null), a Cmd, or one of
   * the structural markers '[' ']' '<<' '>>' as Cmd. Undefined at the end.
   */
  next(): PdfObj | Cmd | undefined {
    const ch = this.skipSpace();
    if (ch < 0) return undefined;
    const b = this.bytes;
    switch (ch) {
      case 0x2f: // /Name
        return this.name();
      case 0x28:
        return this.literal();
      case 0x3c:
        if (b[this.pos + 1] === 0x3c) {
          this.pos += 2;
          return DICT_OPEN;
        }
        return this.hex();
      case 0x3e:
        if (b[this.pos + 1] === 0x3e) {
          this.pos += 2;
          return DICT_CLOSE;
        }
        throw new Unsupported('stray >');
      case 0x5b:
        this.pos++;
        return ARRAY_OPEN;
      case 0x5d:
        this.pos++;
        return ARRAY_CLOSE;
      case 0x7b:
      case 0x7d:
        this.pos++;
        return Cmd.get(ch === 0x7b ? '{' : '}');
      case 0x29:
        throw new Unsupported('stray )');
    }
    if ((ch >= 0x30 && ch <= 0x39) || ch === 0x2b || ch === 0x2d || ch === 0x2e) return this.number();
    // keyword: operators of up to three bytes (nearly all of them) without building a string
    const start = this.pos;
    while (this.pos < this.end && SPECIAL[b[this.pos]!] === 0) this.pos++;
    const len = this.pos - start;
    if (len <= 3) {
      const key = (len << 24) | (b[start]! << 16) | (len > 1 ? b[start + 1]! << 8 : 0) | (len > 2 ? b[start + 2]! : 0);
      let c = SHORT_CMDS.get(key);
      if (!c) {
        c = Cmd.get(latin1(b, start, this.pos));
        SHORT_CMDS.set(key, c);
      }
      return c;
    }
    const word = latin1(b, start, this.pos);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return Cmd.get(word);
  }

  number(): number {
    const b = this.bytes;
    let ch = b[this.pos]!;
    let sign = 1;
    let divideBy = 0;
    if (ch === 0x2d) {
      sign = -1;
      ch = b[++this.pos] ?? -1;
    } else if (ch === 0x2b) {
      ch = b[++this.pos] ?? -1;
    }
    if (ch === 0x2e) {
      divideBy = 10;
      ch = b[++this.pos] ?? -1;
    }
    if (ch < 0x30 || ch > 0x39) throw new Unsupported('invalid number');
    let value = ch - 0x30;
    let digits = 1;
    for (;;) {
      ch = this.pos + 1 < this.end ? b[++this.pos]! : (this.pos++, -1);
      if (ch >= 0x30 && ch <= 0x39) {
        if (divideBy !== 0) divideBy *= 10;
        value = value * 10 + (ch - 0x30);
        if (++digits > 15) throw new Unsupported('number with too many digits');
      } else if (ch === 0x2e) {
        if (divideBy === 0) divideBy = 1;
        else throw new Unsupported('invalid number');
      } else {
        if (ch >= 0 && SPECIAL[ch] === 0) throw new Unsupported('invalid number');
        break;
      }
    }
    if (ch < 0) this.pos = this.end;
    if (divideBy !== 0) value /= divideBy;
    return sign * value;
  }

  name(): Name {
    const b = this.bytes;
    this.pos++; // '/'
    const start = this.pos;
    let escaped = false;
    while (this.pos < this.end && SPECIAL[b[this.pos]!] === 0) {
      if (b[this.pos] === 0x23) escaped = true;
      this.pos++;
    }
    if (!escaped) return Name.get(latin1(b, start, this.pos));
    let s = '';
    for (let i = start; i < this.pos; i++) {
      const c = b[i]!;
      if (c === 0x23) {
        const h1 = hexDigit(b[i + 1] ?? -1);
        const h2 = hexDigit(b[i + 2] ?? -1);
        if (h1 < 0 || h2 < 0 || i + 2 >= this.pos) throw new Unsupported('bad # escape in a name');
        s += String.fromCharCode((h1 << 4) | h2);
        i += 2;
      } else {
        s += String.fromCharCode(c);
      }
    }
    return Name.get(s);
  }

  literal(): string {
    const b = this.bytes;
    this.pos++; // '('
    let depth = 1;
    const start = this.pos;
    // fast path: no escapes
    let i = this.pos;
    for (; i < this.end; i++) {
      const c = b[i]!;
      if (c === 0x5c) break;
      if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) {
        this.pos = i + 1;
        return latin1(b, start, i);
      }
    }
    if (i >= this.end) throw new Unsupported('unterminated string');
    depth = 1;
    const out: number[] = [];
    i = start;
    for (;;) {
      if (i >= this.end) throw new Unsupported('unterminated string');
      if (out.length > MAX_TOKEN) throw new Unsupported('string too long');
      const c = b[i++]!;
      if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) break;
        out.push(c);
      } else if (c === 0x5c) {
        if (i >= this.end) throw new Unsupported('unterminated string');
        const e = b[i++]!;
        switch (e) {
          case 0x6e:
            out.push(0x0a);
            break;
          case 0x72:
            out.push(0x0d);
            break;
          case 0x74:
            out.push(0x09);
            break;
          case 0x62:
            out.push(0x08);
            break;
          case 0x66:
            out.push(0x0c);
            break;
          case 0x5c:
          case 0x28:
          case 0x29:
            out.push(e);
            break;
          case 0x0d:
            if (b[i] === 0x0a) i++;
            break;
          case 0x0a:
            break;
          default:
            if (e >= 0x30 && e <= 0x37) {
              let x = e & 0x0f;
              if (b[i]! >= 0x30 && b[i]! <= 0x37) {
                x = (x << 3) + (b[i++]! & 0x0f);
                if (b[i]! >= 0x30 && b[i]! <= 0x37) x = (x << 3) + (b[i++]! & 0x0f);
              }
              if (x > 0xff) throw new Unsupported('octal escape above 255');
              out.push(x);
            } else {
              out.push(e);
            }
        }
      } else {
        out.push(c);
      }
    }
    this.pos = i;
    return fromCodes(out);
  }

  hex(): string {
    const b = this.bytes;
    this.pos++; // '<'
    const out: number[] = [];
    let first = -1;
    for (;;) {
      if (this.pos >= this.end) throw new Unsupported('unterminated hex string');
      const c = b[this.pos++]!;
      if (c === 0x3e) break;
      if (SPECIAL[c] === 1) continue;
      const d = hexDigit(c);
      if (d < 0) throw new Unsupported('bad hex string');
      if (first < 0) first = d;
      else {
        out.push((first << 4) | d);
        first = -1;
      }
      if (out.length > MAX_TOKEN) throw new Unsupported('hex string too long');
    }
    if (first >= 0) out.push(first << 4);
    return fromCodes(out);
  }

  /**
   * A whole object (arrays and dicts parsed; `n g R` turned into a Ref). Returns the
   * Cmd when the next token is a keyword other than true/false/null.
   */
  object(depth = 0): PdfObj | Cmd | undefined {
    if (depth > MAX_NESTING) throw new Unsupported('objects nested too deeply');
    const t = this.next();
    if (t === ARRAY_OPEN) {
      const arr: PdfObj[] = [];
      for (;;) {
        const v = this.object(depth + 1);
        if (v === ARRAY_CLOSE) break;
        if (v === undefined || v instanceof Cmd) throw new Unsupported('bad array');
        arr.push(v);
      }
      return arr;
    }
    if (t === DICT_OPEN) {
      const dict: Dict = new Map();
      for (;;) {
        const k = this.object(depth + 1);
        if (k === DICT_CLOSE) break;
        if (!(k instanceof Name)) throw new Unsupported('bad dictionary key');
        const v = this.object(depth + 1);
        if (v === undefined || v instanceof Cmd) throw new Unsupported('bad dictionary value');
        dict.set(k.name, v);
      }
      return dict;
    }
    if (this.refs && typeof t === 'number' && Number.isInteger(t) && t >= 0) {
      // `n g R`
      const save = this.pos;
      const g = this.next();
      if (typeof g === 'number') {
        const r = this.next();
        if (r === CMD_R) return new Ref(t, g);
      }
      this.pos = save;
    }
    return t;
  }
}

export const ARRAY_OPEN = Cmd.get('[');
export const ARRAY_CLOSE = Cmd.get(']');
export const DICT_OPEN = Cmd.get('<<');
export const DICT_CLOSE = Cmd.get('>>');
export const CMD_R = Cmd.get('R');

export function latin1(b: Uint8Array, start: number, end: number): string {
  if (end - start < 64) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1');
}

function fromCodes(codes: number[]): string {
  let s = '';
  for (let i = 0; i < codes.length; i += 8192) s += String.fromCharCode(...codes.slice(i, i + 8192));
  return s;
}
