/**
 * Adobe's predefined CMaps (GBK-EUC-H, UniGB-UCS2-H, Adobe-GB1-UCS2 …) for the fast
 * reader, read from the packed `.bcmap` files pdfjs-dist ships (the same data pdfjs
 * uses), decoded as pdfjs's BinaryCMapReader decodes them. Kept per thread once read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Unsupported } from './lexer.js';

export interface BuiltInCMap {
  vertical: boolean;
  /** codespace ranges by byte length (index 0 = one byte): [low, high, low, high …] */
  codespace: number[][];
  /** code → CID (number) or → UTF-16BE bytes as a binary string (the UCS2 maps) */
  map: Map<number, number | string>;
}

const cache = new Map<string, BuiltInCMap>();
let dir: string | undefined;

function cmapDir(): string {
  dir ??= path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'cmaps');
  return dir;
}

export function builtInCMap(name: string, depth = 0): BuiltInCMap {
  const hit = cache.get(name);
  if (hit) return hit;
  if (!/^[A-Za-z0-9-]+$/.test(name) || depth > 4) throw new Unsupported(`CMap ${name}`);
  const file = path.join(cmapDir(), `${name}.bcmap`);
  if (!existsSync(file)) throw new Unsupported(`unknown CMap ${name}`);
  const cmap = readBinaryCMap(new Uint8Array(readFileSync(file)), (use) => builtInCMap(use, depth + 1));
  cache.set(name, cmap);
  return cmap;
}

/** pdfjs's readCharCode: the shortest code that falls in a codespace range. */
export function readCharCode(cmap: BuiltInCMap, s: string, offset: number): { code: number; length: number } {
  let c = 0;
  for (let n = 0; n < cmap.codespace.length; n++) {
    c = ((c << 8) | s.charCodeAt(offset + n)) >>> 0;
    const r = cmap.codespace[n]!;
    for (let k = 0; k < r.length; k += 2) if (c >= r[k]! && c <= r[k + 1]!) return { code: c, length: n + 1 };
  }
  return { code: 0, length: 1 };
}

function readBinaryCMap(data: Uint8Array, extend: (name: string) => BuiltInCMap): BuiltInCMap {
  let pos = 0;
  const byte = () => {
    if (pos >= data.length) throw new Unsupported('unexpected end of a bcmap');
    return data[pos++]!;
  };
  const readNumber = () => {
    let n = 0;
    let last: boolean;
    do {
      const b = byte();
      last = !(b & 0x80);
      n = (n << 7) | (b & 0x7f);
    } while (!last);
    return n;
  };
  const readSigned = () => {
    const n = readNumber();
    return n & 1 ? ~(n >>> 1) : n >>> 1;
  };
  const readHex = (num: Uint8Array, size: number) => {
    for (let i = 0; i <= size; i++) num[i] = byte();
  };
  const tmpBuf = new Uint8Array(19);
  const readHexNumber = (num: Uint8Array, size: number) => {
    let last: boolean;
    let sp = 0;
    do {
      const b = byte();
      last = !(b & 0x80);
      tmpBuf[sp++] = b & 0x7f;
    } while (!last);
    let i = size;
    let buffer = 0;
    let bufferSize = 0;
    while (i >= 0) {
      while (bufferSize < 8 && tmpBuf.length > 0) {
        buffer |= tmpBuf[--sp]! << bufferSize;
        bufferSize += 7;
      }
      num[i] = buffer & 255;
      i--;
      buffer >>= 8;
      bufferSize -= 8;
    }
  };
  const readHexSigned = (num: Uint8Array, size: number) => {
    readHexNumber(num, size);
    const sign = num[size]! & 1 ? 255 : 0;
    let c = 0;
    for (let i = 0; i <= size; i++) {
      c = ((c & 1) << 8) | num[i]!;
      num[i] = (c >> 1) ^ sign;
    }
  };
  const readString = () => {
    const len = readNumber();
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(readNumber());
    return s;
  };
  const hexToInt = (a: Uint8Array, size: number) => {
    let n = 0;
    for (let i = 0; i <= size; i++) n = (n << 8) | a[i]!;
    return n >>> 0;
  };
  const hexToStr = (a: Uint8Array, size: number) => (size === 1 ? String.fromCharCode(a[0]!, a[1]!) : size === 3 ? String.fromCharCode(a[0]!, a[1]!, a[2]!, a[3]!) : String.fromCharCode(...a.subarray(0, size + 1)));
  const addHex = (a: Uint8Array, b: Uint8Array, size: number) => {
    let c = 0;
    for (let i = size; i >= 0; i--) {
      c += a[i]! + b[i]!;
      a[i] = c & 255;
      c >>= 8;
    }
  };
  const incHex = (a: Uint8Array, size: number) => {
    let c = 1;
    for (let i = size; i >= 0 && c > 0; i--) {
      c += a[i]!;
      a[i] = c & 255;
      c >>= 8;
    }
  };

  const cmap: BuiltInCMap = { vertical: false, codespace: [[], [], [], []], map: new Map() };
  const header = byte();
  cmap.vertical = !!(header & 1);
  let useCMap: string | null = null;
  const start = new Uint8Array(16);
  const end = new Uint8Array(16);
  const char = new Uint8Array(16);
  const charCode = new Uint8Array(16);
  const tmp = new Uint8Array(16);
  const cidRange = (lo: number, hi: number, dst: number) => {
    if (hi - lo > 0xffffff) throw new Unsupported('bcmap range too large');
    for (let c = lo; c <= hi; c++) cmap.map.set(c, dst++);
  };
  const bfRange = (lo: number, hi: number, dstLow: string) => {
    if (hi - lo > 0xffffff) throw new Unsupported('bcmap range too large');
    const lastByte = dstLow.length - 1;
    while (lo <= hi) {
      cmap.map.set(lo++, dstLow);
      const next = dstLow.charCodeAt(lastByte) + 1;
      if (next > 0xff) {
        dstLow = dstLow.substring(0, lastByte - 1) + String.fromCharCode(dstLow.charCodeAt(lastByte - 1) + 1) + '\x00';
        continue;
      }
      dstLow = dstLow.substring(0, lastByte) + String.fromCharCode(next);
    }
  };
  /**
   * The ranges of one entry: the first written in full, each next one relative to
   * the end of the one before (or starting right after it, in a sequence). `each`
   * gets every range as it is read, and reads the range's own data after it.
   */
  const ranges = (size: number, count: number, sequence: boolean, each: (lo: number, hi: number) => void) => {
    readHex(start, size);
    readHexNumber(end, size);
    addHex(end, start, size);
    each(hexToInt(start, size), hexToInt(end, size));
    for (let i = 1; i < count; i++) {
      incHex(end, size);
      if (sequence) start.set(end);
      else {
        readHexNumber(start, size);
        addHex(start, end, size);
      }
      readHexNumber(end, size);
      addHex(end, start, size);
      each(hexToInt(start, size), hexToInt(end, size));
    }
  };
  while (pos < data.length) {
    const b = byte();
    const type = b >> 5;
    if (type === 7) {
      if ((b & 0x1f) === 0) readString();
      else if ((b & 0x1f) === 1) useCMap = readString();
      continue;
    }
    const sequence = !!(b & 0x10);
    const dataSize = b & 15;
    if (dataSize + 1 > 16) throw new Unsupported('bad bcmap');
    const ucs2DataSize = 1;
    const subitemsCount = readNumber();
    switch (type) {
      case 0: // codespace ranges
        ranges(dataSize, subitemsCount, false, (lo, hi) => cmap.codespace[dataSize]!.push(lo, hi));
        break;
      case 1: // notdef ranges (not used)
        ranges(dataSize, subitemsCount, false, () => readNumber());
        break;
      case 2: {
        readHex(char, dataSize);
        let code = readNumber();
        cmap.map.set(hexToInt(char, dataSize), code);
        for (let i = 1; i < subitemsCount; i++) {
          incHex(char, dataSize);
          if (!sequence) {
            readHexNumber(tmp, dataSize);
            addHex(char, tmp, dataSize);
          }
          code = readSigned() + (code + 1);
          cmap.map.set(hexToInt(char, dataSize), code);
        }
        break;
      }
      case 3:
        ranges(dataSize, subitemsCount, sequence, (lo, hi) => cidRange(lo, hi, readNumber()));
        break;
      case 4:
        readHex(char, ucs2DataSize);
        readHex(charCode, dataSize);
        cmap.map.set(hexToInt(char, ucs2DataSize), hexToStr(charCode, dataSize));
        for (let i = 1; i < subitemsCount; i++) {
          incHex(char, ucs2DataSize);
          if (!sequence) {
            readHexNumber(tmp, ucs2DataSize);
            addHex(char, tmp, ucs2DataSize);
          }
          incHex(charCode, dataSize);
          readHexSigned(tmp, dataSize);
          addHex(charCode, tmp, dataSize);
          cmap.map.set(hexToInt(char, ucs2DataSize), hexToStr(charCode, dataSize));
        }
        break;
      case 5:
        ranges(ucs2DataSize, subitemsCount, sequence, (lo, hi) => {
          readHex(charCode, dataSize);
          bfRange(lo, hi, hexToStr(charCode, dataSize));
        });
        break;
      default:
        throw new Unsupported(`bcmap entry type ${type}`);
    }
  }
  if (useCMap) {
    const parent = extend(useCMap);
    if (cmap.codespace.every((r) => r.length === 0)) cmap.codespace = parent.codespace.map((r) => r.slice());
    for (const [k, v] of parent.map) if (!cmap.map.has(k)) cmap.map.set(k, v);
  }
  return cmap;
}
