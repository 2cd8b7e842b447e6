/**
 * The object layer of the fast PDF reader: cross-reference tables and streams
 * (with /Prev chains and object streams), indirect objects, stream filters, the
 * page tree. Strict: damage, encryption or an unfamiliar filter throws
 * `Unsupported` and pdfjs reads the document instead. Limits (`Refused`) stop
 * compression bombs before they are inflated.
 */
import zlib from 'node:zlib';
import { Cmd, Lexer, Name, Ref, Refused, Unsupported, hexDigit, isDict, isName, isStream, latin1, type Dict, type PdfObj, type Stream } from './lexer.js';

/** No single stream is inflated past this. */
export const MAX_STREAM_BYTES = 64 * 1024 * 1024;
/** Nor all of a document's streams together (forms repeated on every page are decoded once). */
export const MAX_DOCUMENT_INFLATED = 1024 * 1024 * 1024;
/** Decoded form XObjects and the like kept per document. */
const DECODED_CACHE_BYTES = 32 * 1024 * 1024;

type XrefEntry = { type: 1; offset: number; gen: number } | { type: 2; stream: number } | { type: 0 };

export interface PageNode {
  dict: Dict;
  resources: Dict;
  mediaBox: number[] | null;
  cropBox: number[] | null;
  rotate: number;
}

export class PdfFile {
  private readonly xref = new Map<number, XrefEntry>();
  trailer: Dict = new Map();
  private readonly cache = new Map<number, PdfObj>();
  private readonly objStreams = new Map<number, { bytes: Uint8Array; offsets: Map<number, number>; first: number }>();
  private inflated = 0;
  private readonly decoded = new Map<number, Uint8Array>();
  private decodedBytes = 0;
  private fetching = new Set<number>();

  constructor(readonly bytes: Uint8Array) {
    this.readXref();
    if (this.trailer.has('Encrypt')) throw new Unsupported('encrypted');
  }

  // -------------------------------------------------------------------------
  // cross-reference

  private readXref(): void {
    const b = this.bytes;
    const tailStart = Math.max(0, b.length - 2048);
    const tail = latin1(b, tailStart, b.length);
    const at = tail.lastIndexOf('startxref');
    if (at < 0) throw new Unsupported('no startxref');
    const m = /^startxref\s+(\d+)/.exec(tail.slice(at));
    if (!m) throw new Unsupported('bad startxref');
    let offset = Number(m[1]);
    const seen = new Set<number>();
    let first = true;
    while (offset >= 0) {
      if (seen.has(offset) || seen.size > 64 || offset >= b.length) throw new Unsupported('bad xref chain');
      seen.add(offset);
      const trailer = this.readSection(offset);
      if (first) {
        this.trailer = trailer;
        first = false;
      }
      const stm = trailer.get('XRefStm');
      if (typeof stm === 'number' && !seen.has(stm)) {
        seen.add(stm);
        this.readSection(stm);
      }
      const prev = trailer.get('Prev');
      offset = typeof prev === 'number' ? prev : -1;
    }
    if (!isDict(this.trailer.get('Root')) && !(this.trailer.get('Root') instanceof Ref)) throw new Unsupported('no Root');
  }

  /** One xref section at `offset` (table or stream); earlier-read (newer) entries win. */
  private readSection(offset: number): Dict {
    const lx = new Lexer(this.bytes, offset);
    const t = lx.next();
    if (t === Cmd.get('xref')) {
      for (;;) {
        const s = lx.next();
        if (s === Cmd.get('trailer')) break;
        const n = lx.next();
        if (typeof s !== 'number' || typeof n !== 'number' || !Number.isInteger(s) || !Number.isInteger(n) || n < 0 || n > 10_000_000) throw new Unsupported('bad xref table');
        for (let i = 0; i < n; i++) {
          const off = lx.next();
          const gen = lx.next();
          const kind = lx.next();
          if (typeof off !== 'number' || typeof gen !== 'number') throw new Unsupported('bad xref entry');
          const num = s + i;
          if (this.xref.has(num)) continue;
          if (kind === Cmd.get('n')) {
            if (num === 0 && off === 0) continue;
            this.xref.set(num, { type: 1, offset: off, gen });
          } else if (kind === Cmd.get('f')) this.xref.set(num, { type: 0 });
          else throw new Unsupported('bad xref entry');
        }
      }
      const trailer = lx.object();
      if (!isDict(trailer)) throw new Unsupported('bad trailer');
      return trailer;
    }
    // an xref stream: `n g obj << /Type /XRef … >> stream`
    lx.pos = offset;
    const obj = this.parseIndirect(offset, undefined);
    if (!isStream(obj) || !isName(obj.dict.get('Type'), 'XRef')) throw new Unsupported('bad xref stream');
    const w = obj.dict.get('W');
    if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 8)) throw new Unsupported('bad /W');
    const [w0, w1, w2] = w as number[];
    const size = obj.dict.get('Size');
    const index = obj.dict.get('Index') ?? [0, size ?? 0];
    if (!Array.isArray(index) || index.length % 2 !== 0) throw new Unsupported('bad /Index');
    const data = this.decode(obj, MAX_STREAM_BYTES);
    const rowLen = w0! + w1! + w2!;
    let p = 0;
    const field = (len: number) => {
      let v = 0;
      for (let k = 0; k < len; k++) v = v * 256 + data[p++]!;
      return v;
    };
    for (let k = 0; k < index.length; k += 2) {
      const start = index[k];
      const count = index[k + 1];
      if (typeof start !== 'number' || typeof count !== 'number') throw new Unsupported('bad /Index');
      for (let i = 0; i < count; i++) {
        if (p + rowLen > data.length) throw new Unsupported('xref stream too short');
        const type = w0 === 0 ? 1 : field(w0!);
        const f2 = field(w1!);
        const f3 = field(w2!);
        const num = start + i;
        if (this.xref.has(num)) continue;
        if (type === 0) this.xref.set(num, { type: 0 });
        else if (type === 1) this.xref.set(num, { type: 1, offset: f2, gen: f3 });
        else if (type === 2) this.xref.set(num, { type: 2, stream: f2 }); // f3, the index, is not needed: the stream's header names its objects
        // other types: ignored, as the spec says
      }
    }
    return obj.dict;
  }

  // -------------------------------------------------------------------------
  // objects

  /** Resolve a reference (anything else is returned as it is). */
  get(o: PdfObj | undefined): PdfObj | undefined {
    if (!(o instanceof Ref)) return o;
    return this.fetch(o);
  }

  fetch(ref: Ref): PdfObj {
    const cached = this.cache.get(ref.num);
    if (cached !== undefined) return cached;
    if (this.fetching.has(ref.num)) throw new Unsupported('reference cycle');
    this.fetching.add(ref.num);
    try {
      const e = this.xref.get(ref.num);
      let obj: PdfObj;
      if (!e || e.type === 0) obj = null;
      else if (e.type === 1) {
        if (e.offset >= this.bytes.length) throw new Unsupported('xref offset past the end');
        obj = this.parseIndirect(e.offset, ref);
      } else {
        obj = this.fromObjectStream(e.stream, ref.num);
      }
      if (this.cache.size > 200_000) this.cache.clear();
      this.cache.set(ref.num, obj);
      return obj;
    } finally {
      this.fetching.delete(ref.num);
    }
  }

  /** `num gen obj <object> [stream … endstream] endobj` at `offset`. */
  private parseIndirect(offset: number, ref: Ref | undefined): PdfObj {
    const lx = new Lexer(this.bytes, offset);
    const num = lx.next();
    const gen = lx.next();
    const kw = lx.next();
    if (typeof num !== 'number' || typeof gen !== 'number' || kw !== Cmd.get('obj')) throw new Unsupported('xref offset does not point at an object');
    if (ref && (num !== ref.num || gen !== ref.gen)) throw new Unsupported('xref offset points at another object');
    const obj = lx.object();
    if (obj === undefined || obj instanceof Cmd) throw new Unsupported('bad object');
    const save = lx.pos;
    const after = lx.next();
    if (after === Cmd.get('stream')) {
      if (!isDict(obj)) throw new Unsupported('stream without a dictionary');
      let p = lx.pos;
      const b = this.bytes;
      if (b[p] === 0x0d && b[p + 1] === 0x0a) p += 2;
      else if (b[p] === 0x0a || b[p] === 0x0d) p += 1;
      else throw new Unsupported('bad stream keyword');
      const lenObj = obj.get('Length');
      const length = lenObj instanceof Ref ? this.fetch(lenObj) : lenObj;
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || p + length > b.length) throw new Unsupported('bad stream length');
      // the data must be followed by endstream
      const lx2 = new Lexer(b, p + length);
      if (lx2.next() !== Cmd.get('endstream')) throw new Unsupported('stream length does not reach endstream');
      const s: Stream = { kind: 'stream', dict: obj, start: p, end: p + length };
      if (ref) s.ref = ref;
      return s;
    }
    lx.pos = save;
    return obj;
  }

  private fromObjectStream(streamNum: number, num: number): PdfObj {
    let os = this.objStreams.get(streamNum);
    if (!os) {
      const s = this.fetch(new Ref(streamNum, 0));
      if (!isStream(s) || !isName(s.dict.get('Type'), 'ObjStm')) throw new Unsupported('bad object stream');
      const n = s.dict.get('N');
      const first = s.dict.get('First');
      if (typeof n !== 'number' || typeof first !== 'number' || n < 0 || n > 1_000_000) throw new Unsupported('bad object stream header');
      const bytes = this.decode(s, MAX_STREAM_BYTES);
      const lx = new Lexer(bytes, 0, Math.min(first, bytes.length));
      const offsets = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const on = lx.next();
        const off = lx.next();
        if (typeof on !== 'number' || typeof off !== 'number') throw new Unsupported('bad object stream header');
        if (!offsets.has(on)) offsets.set(on, off);
      }
      os = { bytes, offsets, first };
      this.objStreams.set(streamNum, os);
    }
    const off = os.offsets.get(num);
    if (off === undefined) throw new Unsupported('object missing from its object stream');
    const lx = new Lexer(os.bytes, os.first + off);
    const obj = lx.object();
    if (obj === undefined || obj instanceof Cmd) throw new Unsupported('bad object in object stream');
    return obj;
  }

  dictOf(o: PdfObj | undefined): Dict | undefined {
    const v = this.get(o);
    return isDict(v) ? v : undefined;
  }

  // -------------------------------------------------------------------------
  // streams

  /** `decode`, remembered for streams used again and again (form XObjects). */
  decodeCached(s: Stream): Uint8Array {
    const key = s.ref?.num;
    if (key === undefined) return this.decode(s);
    const hit = this.decoded.get(key);
    if (hit) return hit;
    const out = this.decode(s);
    if (this.decodedBytes + out.length <= DECODED_CACHE_BYTES) {
      this.decoded.set(key, out);
      this.decodedBytes += out.length;
    }
    return out;
  }

  /** The decoded bytes of a stream; at most `limit` bytes (a bomb is refused). */
  decode(s: Stream, limit = MAX_STREAM_BYTES): Uint8Array {
    let data: Uint8Array = this.bytes.subarray(s.start, s.end);
    const f = this.get(s.dict.get('Filter'));
    const filters = f === undefined || f === null ? [] : Array.isArray(f) ? f.map((x) => this.get(x)) : [f];
    const p = this.get(s.dict.get('DecodeParms'));
    const parms = Array.isArray(p) ? p.map((x) => this.get(x)) : [p];
    filters.forEach((name, i) => {
      if (!(name instanceof Name)) throw new Unsupported('bad filter');
      const parm = parms[i];
      switch (name.name) {
        case 'FlateDecode':
        case 'Fl':
          data = this.inflate(data, limit);
          if (isDict(parm)) data = unpredict(data, parm, (x) => this.get(x));
          break;
        case 'ASCIIHexDecode':
        case 'AHx':
          data = asciiHex(data);
          break;
        case 'ASCII85Decode':
        case 'A85':
          data = ascii85(data);
          break;
        default:
          throw new Unsupported(`filter ${name.name}`);
      }
    });
    return data;
  }

  private inflate(data: Uint8Array, limit: number): Uint8Array {
    const room = Math.min(limit, MAX_DOCUMENT_INFLATED - this.inflated);
    let out: Buffer;
    try {
      out = zlib.inflateSync(data, { maxOutputLength: Math.max(1, room) });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        if (room < limit) throw new Refused(`its streams inflate to more than ${MAX_DOCUMENT_INFLATED / 1048576} MB in total (compression bomb?)`);
        throw new Refused(`a stream inflates to more than ${limit / 1048576} MB (compression bomb?)`);
      }
      throw new Unsupported('damaged deflate data');
    }
    this.inflated += out.length;
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }

  // -------------------------------------------------------------------------
  // pages

  pages(): PageNode[] {
    const root = this.dictOf(this.trailer.get('Root'));
    if (!root) throw new Unsupported('no catalog');
    const top = this.dictOf(root.get('Pages'));
    if (!top) throw new Unsupported('no page tree');
    const count = this.get(top.get('Count'));
    const out: PageNode[] = [];
    const seen = new Set<PdfObj>();
    const walk = (node: Dict, inherited: Omit<PageNode, 'dict'>, depth: number) => {
      if (depth > 64 || seen.has(node)) throw new Unsupported('bad page tree');
      seen.add(node);
      const res = this.get(node.get('Resources'));
      // /Resources at several levels are merged, the nearest level's entries first (pdfjs's Dict.merge)
      let resources = inherited.resources;
      if (isDict(res)) {
        resources = new Map(res);
        for (const [k, v] of inherited.resources) if (!resources.has(k)) resources.set(k, v);
      }
      const mb = this.box(node.get('MediaBox'));
      const cb = this.box(node.get('CropBox'));
      const rot = this.get(node.get('Rotate'));
      const here = {
        resources,
        mediaBox: mb ?? inherited.mediaBox,
        cropBox: cb ?? inherited.cropBox,
        rotate: typeof rot === 'number' ? rot : inherited.rotate,
      };
      const type = this.get(node.get('Type'));
      const kids = this.get(node.get('Kids'));
      if (isName(type, 'Page') || (!Array.isArray(kids) && !isName(type, 'Pages'))) {
        out.push({ dict: node, resources: here.resources, mediaBox: here.mediaBox, cropBox: here.cropBox, rotate: here.rotate });
        if (out.length > 100_000) throw new Unsupported('too many pages');
        return;
      }
      if (!Array.isArray(kids)) throw new Unsupported('bad page tree');
      for (const k of kids) {
        const kd = this.dictOf(k);
        if (!kd) throw new Unsupported('bad page tree node');
        walk(kd, here, depth + 1);
      }
    };
    walk(top, { resources: new Map(), mediaBox: null, cropBox: null, rotate: 0 }, 0);
    if (typeof count === 'number' && count !== out.length) throw new Unsupported('page count does not match the page tree');
    return out;
  }

  private box(o: PdfObj | undefined): number[] | null {
    const v = this.get(o);
    if (!Array.isArray(v) || v.length !== 4) return null;
    const nums = v.map((x) => this.get(x));
    if (!nums.every((x) => typeof x === 'number')) return null;
    return nums as number[];
  }

  /** The page's content streams, decoded and joined. */
  contents(page: PageNode): Uint8Array {
    const c = this.get(page.dict.get('Contents'));
    const parts: Uint8Array[] = [];
    if (isStream(c)) parts.push(this.decode(c));
    else if (Array.isArray(c)) {
      for (const x of c) {
        const s = this.get(x);
        if (isStream(s)) parts.push(this.decode(s));
        else if (s !== null) throw new Unsupported('bad content array');
      }
    } else if (c !== undefined && c !== null) throw new Unsupported('bad /Contents');
    if (parts.length === 1) return parts[0]!;
    const total = parts.reduce((n, p) => n + p.length + 1, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
      out[at++] = 0x0a;
    }
    return out;
  }
}

function unpredict(data: Uint8Array, parm: Dict, get: (o: PdfObj | undefined) => PdfObj | undefined): Uint8Array {
  const pred = get(parm.get('Predictor'));
  if (pred === undefined || pred === 1) return data;
  if (typeof pred !== 'number' || pred < 10) throw new Unsupported('TIFF predictor');
  const colors = (get(parm.get('Colors')) as number | undefined) ?? 1;
  const bpc = (get(parm.get('BitsPerComponent')) as number | undefined) ?? 8;
  const columns = (get(parm.get('Columns')) as number | undefined) ?? 1;
  if (![colors, bpc, columns].every((x) => typeof x === 'number' && Number.isInteger(x) && x > 0 && x < 1e6)) throw new Unsupported('bad predictor parameters');
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((columns * colors * bpc) / 8);
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  let prev = new Uint8Array(rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]!;
    const src = data.subarray(r * (rowLen + 1) + 1, (r + 1) * (rowLen + 1));
    const row = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const left = i >= bpp ? row[i - bpp]! : 0;
      const up = prev[i]!;
      const ul = i >= bpp ? prev[i - bpp]! : 0;
      let v = src[i]!;
      switch (type) {
        case 0:
          break;
        case 1:
          v += left;
          break;
        case 2:
          v += up;
          break;
        case 3:
          v += (left + up) >> 1;
          break;
        case 4: {
          const p = left + up - ul;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - ul);
          v += pa <= pb && pa <= pc ? left : pb <= pc ? up : ul;
          break;
        }
        default:
          throw new Unsupported('bad PNG predictor row');
      }
      row[i] = v & 0xff;
    }
    prev = row;
  }
  return out;
}

function asciiHex(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let first = -1;
  for (const c of data) {
    if (c === 0x3e) break;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0) continue;
    const d = hexDigit(c);
    if (d < 0) throw new Unsupported('bad ASCIIHex data');
    if (first < 0) first = d;
    else {
      out.push((first << 4) | d);
      first = -1;
    }
  }
  if (first >= 0) out.push(first << 4);
  return Uint8Array.from(out);
}

function ascii85(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  const group: number[] = [];
  let i = 0;
  if (data[0] === 0x3c && data[1] === 0x7e) i = 2;
  for (; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x7e) break;
    if (c <= 0x20) continue;
    if (c === 0x7a && group.length === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    if (c < 0x21 || c > 0x75) throw new Unsupported('bad ASCII85 data');
    group.push(c - 0x21);
    if (group.length === 5) {
      let v = 0;
      for (const g of group) v = v * 85 + g;
      out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
      group.length = 0;
    }
  }
  if (group.length) {
    const n = group.length;
    while (group.length < 5) group.push(84);
    let v = 0;
    for (const g of group) v = v * 85 + g;
    const bytes = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    out.push(...bytes.slice(0, n - 1));
  }
  return Uint8Array.from(out);
}
