/**
 * Hostile inputs for the readers, generated (no binary blobs in the repo):
 * mutations of corpus files and of small files built here. Deterministic from
 * the seed: the same options give the same cases, byte for byte.
 *
 * Families (round-robin by weight, so every size covers every family):
 *  - PDF: truncation at many offsets (with and without a re-appended %%EOF),
 *    byte flips in the xref table / in streams / anywhere, removed %%EOF,
 *    garbled and duplicated objects, bad startxref, /Encrypt dictionaries,
 *    a /Count of 1e9 pages, deep /Kids trees, arrays and dictionaries nested
 *    10k deep, thousands of empty pages, xref /Prev loops, bad filters and
 *    flate bombs in content streams;
 *  - zip (DOCX/XLSX): truncation, central-directory and EOCD damage, zip bombs
 *    (declared, ratio, lying directory, overlapping entries), missing parts,
 *    garbage / deeply nested / entity-bomb XML, huge sheet dimensions and merges;
 *  - OLE (.xls): truncation, flips, cyclic FAT and directory chains;
 *  - text: invalid UTF-8, mixed GBK/UTF-8, UTF-16 without BOM, NUL-filled,
 *    0- and 1-byte files, enormous single lines, a million form feeds;
 *  - HTML: deep nesting, huge tables and spans, lying charsets, truncation;
 *  - wrong extensions (PDF named .docx, DOCX named .pdf, HTML named .xls, text named .pdf …).
 *
 * Used by test/hostile.test.ts (CI size) and scripts/hostile.ts (full size).
 */
import { encodeGbk } from './gbk.js';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as Z, deflateRawSync, deflateSync } from 'node:zlib';
import * as XLSX from '@e965/xlsx';
import { listZip, readZipEntry } from '../src/ingest/zip.js';
import { docxParts, makeOle, makeZip, wp, wc, wr, wtbl, type ZipPart } from '../test/office-fixtures.js';

export type Expect = 'error' | 'parse' | 'either';

export interface HostileCase {
  /** file name (unique): NNNN-family-detail.ext */
  name: string;
  bytes: Uint8Array;
  /** what a correct reader does with it: refuse it, read it, or either */
  expect: Expect;
  family: string;
  /** when refused, the one-line reason must match this (the right kind of error) */
  says?: RegExp;
}

export interface HostileOptions {
  count: number;
  seed: number;
  /** default: ../shared/corpus beside the checkout */
  corpusDir?: string;
  /** size of the enormous single-line text cases (default 2 MB; the full run streams 50 MB to disk instead, see writeHugeLine) */
  hugeLineBytes?: number;
  /** pages of the generated many-empty-pages PDF (default 2000) */
  manyPages?: number;
  /** depth of the nested /Kids tree and of the nested arrays (default 10000) */
  nestDepth?: number;
  /** inflated size of the flate bomb in a PDF content stream (default 256 MB; compressed ~256 KB) */
  flateBombBytes?: number;
}

export const DEFAULT_CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/corpus');

// ---------------------------------------------------------------------------
// randomness

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** integer in [a, b] */
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(this.next() * 256);
    return b;
  }
}

// ---------------------------------------------------------------------------
// byte helpers

const L = (s: string) => Buffer.from(s, 'latin1');
const U = (s: string) => Buffer.from(s, 'utf8');

/** Offset of a zip's first central-directory header. */
const centralDirectory = (z: Buffer) => z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));

export function flip(buf: Buffer, rng: Rng, from: number, to: number, n: number): Buffer {
  const out = Buffer.from(buf);
  if (to <= from) return out;
  for (let k = 0; k < n; k++) {
    const i = rng.int(from, to - 1);
    out[i] = rng.chance(0.5) ? out[i]! ^ (1 << rng.int(0, 7)) : rng.int(0, 255);
  }
  return out;
}

/**
 * A damaged copy of a real document, the ways downloads and disks damage files: random
 * bytes, a cut, damage in the last sixteenth (cross-reference tables and streams, zip
 * directories, closing tags), a copied run, a deleted run, changed digits (offsets,
 * lengths, counts, amounts), and, when keywords are given, one byte of a keyword. One
 * kind, chosen with `rnd`; returns the bytes and a tag for the case name.
 */
export function damageCopy(b: Buffer, rnd: () => number, keywords: readonly string[] = []): [Buffer, string] {
  const ri = (n: number) => Math.floor(rnd() * n);
  const x = Buffer.from(b);
  switch (ri(keywords.length ? 7 : 6)) {
    case 0: {
      const n = 1 + ri(40);
      for (let i = 0; i < n; i++) x[ri(x.length)] = ri(256);
      return [x, `bytes${n}`];
    }
    case 1: {
      const at = ri(x.length);
      return [x.subarray(0, at), `cut${at}`];
    }
    case 2: {
      const n = 1 + ri(10);
      for (let i = 0; i < n; i++) x[x.length - 1 - ri(Math.max(1, x.length >> 4))] = ri(256);
      return [x, `tail${n}`];
    }
    case 3: {
      const at = ri(x.length);
      const from = ri(x.length);
      const len = 1 + ri(4096);
      return [splice(x, at, 0, x.subarray(from, from + len)), `copy${len}at${at}`];
    }
    case 4: {
      const at = ri(x.length);
      const len = 1 + ri(8192);
      return [splice(x, at, len, Buffer.alloc(0)), `del${len}at${at}`];
    }
    case 5: {
      const n = 1 + ri(30);
      for (let done = 0, t = 0; t < 20_000 && done < n; t++) {
        const i = ri(x.length);
        if (x[i]! >= 0x30 && x[i]! <= 0x39) {
          x[i] = 0x30 + ri(10);
          done++;
        }
      }
      return [x, `digits${n}`];
    }
    default: {
      const kw = keywords[ri(keywords.length)]!;
      const hits = allIndexes(x, kw).slice(0, 5000);
      if (hits.length) x[hits[ri(hits.length)]! + ri(kw.length)] = ri(256);
      return [x, `kw-${kw.replace(/\W/g, '')}`];
    }
  }
}

function splice(buf: Buffer, at: number, del: number, ins: Buffer): Buffer {
  return Buffer.concat([buf.subarray(0, at), ins, buf.subarray(at + del)]);
}

function allIndexes(buf: Buffer, needle: string): number[] {
  const out: number[] = [];
  const n = L(needle);
  for (let i = buf.indexOf(n); i >= 0; i = buf.indexOf(n, i + 1)) out.push(i);
  return out;
}

// ---------------------------------------------------------------------------
// PDF building

/** A PDF from object bodies (numbered 1…n in order), with a correct xref table. */
export function pdfFromObjects(objs: Array<string | Buffer>, trailerExtra = '', version = '1.4'): Buffer {
  const parts: Buffer[] = [L(`%PDF-${version}\n%\xe2\xe3\xcf\xd3\n`)];
  let off = parts[0]!.length;
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(off);
    const b = Buffer.concat([L(`${i + 1} 0 obj\n`), typeof o === 'string' ? L(o) : o, L('\nendobj\n')]);
    parts.push(b);
    off += b.length;
  });
  const xref = `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` + offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  const trailer = `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R${trailerExtra} >>\nstartxref\n${off}\n%%EOF\n`;
  return Buffer.concat([...parts, L(xref + trailer)]);
}

export function pdfStream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([L(`<< ${dict} /Length ${data.length} >>\nstream\n`), data, L('\nendstream')]);
}

const WORDS = ['Department', 'budget', 'final', 'accounts', 'income', 'expenditure', 'general', 'public', 'fund', 'total', 'basic', 'project', 'salary', 'vehicles', 'reception', 'travel'];

function pageContent(rng: Rng, lines: number): string {
  const ops: string[] = ['BT', '/F1 11 Tf', '14 TL', '56 780 Td'];
  for (let i = 0; i < lines; i++) {
    const words = Array.from({ length: rng.int(2, 7) }, () => rng.pick(WORDS)).join(' ');
    const num = `${rng.int(0, 99999)}.${String(rng.int(0, 99)).padStart(2, '0')}`;
    ops.push(`(${words} ${num}) Tj T*`);
  }
  ops.push('ET');
  return ops.join('\n');
}

export interface TextPdfOptions {
  pages: number;
  lines?: number;
  compress?: boolean;
  /** extra entries in each page dictionary */
  pageExtra?: string;
  trailerExtra?: string;
  /** extra objects appended after the page objects (numbered from the returned `nextObj`) */
  extraObjects?: Array<string | Buffer>;
}

/** A small, valid PDF with ASCII text on each page (Helvetica, one content stream per page). */
export function textPdf(rng: Rng, o: TextPdfOptions): Buffer {
  const objs: Array<string | Buffer> = [];
  const n = o.pages;
  const pageNum = (i: number) => 4 + 2 * i;
  objs.push('<< /Type /Catalog /Pages 2 0 R >>');
  objs.push(`<< /Type /Pages /Kids [${Array.from({ length: n }, (_, i) => `${pageNum(i)} 0 R`).join(' ')}] /Count ${n} >>`);
  objs.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  for (let i = 0; i < n; i++) {
    objs.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageNum(i) + 1} 0 R${o.pageExtra ?? ''} >>`);
    const content = L(pageContent(rng, o.lines ?? 12));
    objs.push(o.compress ? pdfStream('/Filter /FlateDecode', deflateSync(content)) : pdfStream('', content));
  }
  objs.push(...(o.extraObjects ?? []));
  return pdfFromObjects(objs, o.trailerExtra ?? '');
}

/** A PDF of `n` pages without content (bytes stay small: ~80 per page). */
export function emptyPagesPdf(n: number): Buffer {
  const objs: string[] = ['<< /Type /Catalog /Pages 2 0 R >>'];
  objs.push(`<< /Type /Pages /Kids [${Array.from({ length: n }, (_, i) => `${i + 3} 0 R`).join(' ')}] /Count ${n} /MediaBox [0 0 200 200] >>`);
  for (let i = 0; i < n; i++) objs.push('<< /Type /Page /Parent 2 0 R >>');
  return pdfFromObjects(objs);
}

/** A page tree `depth` levels deep (each /Pages node has one kid), one page at the bottom. */
export function deepKidsPdf(rng: Rng, depth: number): Buffer {
  const objs: Array<string | Buffer> = ['<< /Type /Catalog /Pages 2 0 R >>'];
  for (let d = 0; d < depth; d++) objs.push(`<< /Type /Pages /Kids [${d + 3} 0 R] /Count 1${d > 0 ? ` /Parent ${d + 1} 0 R` : ''} >>`);
  const page = depth + 2;
  const font = page + 2;
  objs.push(`<< /Type /Page /Parent ${page - 1} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${page + 1} 0 R >>`);
  objs.push(pdfStream('', L(pageContent(rng, 5))));
  objs.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  return pdfFromObjects(objs);
}

/**
 * Zlib (or raw deflate) stream of `bytes` bytes of `unit` repeated, built from one
 * full-flush block repeated, so a gigabyte bomb costs milliseconds to make
 * (~1 KB per MB inflated) and never sits in memory inflated.
 */
export function repeatDeflate(unit: Buffer, bytes: number, format: 'zlib' | 'raw' = 'zlib'): Buffer {
  const per = Math.max(1, Math.floor((1 << 20) / unit.length));
  const plain = Buffer.alloc(per * unit.length, unit);
  const chunk = deflateRawSync(plain, { level: 9, finishFlush: Z.Z_FULL_FLUSH });
  const whole = Math.floor(bytes / plain.length);
  const tail = Buffer.alloc(bytes - whole * plain.length, unit);
  const parts: Buffer[] = [];
  if (format === 'zlib') parts.push(Buffer.from([0x78, 0xda]));
  for (let i = 0; i < whole; i++) parts.push(chunk);
  parts.push(deflateRawSync(tail, { level: 9 })); // the final block
  if (format === 'zlib') {
    // adler32 over `whole` copies of `plain`, then `tail`: a += S, b += n·a + W per block
    const MOD = 65521;
    const sums = (buf: Buffer) => {
      let s = 0;
      let w = 0;
      for (let i = 0; i < buf.length; i++) {
        s = (s + buf[i]!) % MOD;
        w = (w + (buf.length - i) * buf[i]!) % MOD;
      }
      return { n: buf.length % MOD, s, w };
    };
    let a = 1;
    let b = 0;
    const add = (x: { n: number; s: number; w: number }) => {
      b = (b + x.n * a + x.w) % MOD;
      a = (a + x.s) % MOD;
    };
    const p = sums(plain);
    for (let i = 0; i < whole; i++) add(p);
    add(sums(tail));
    const adler = Buffer.alloc(4);
    adler.writeUInt32BE(((b << 16) | a) >>> 0);
    parts.push(adler);
  }
  return Buffer.concat(parts);
}

export const zeroDeflate = (bytes: number, format: 'zlib' | 'raw' = 'zlib') => repeatDeflate(Buffer.alloc(1), bytes, format);

// ---------------------------------------------------------------------------
// text helpers

export { encodeGbk };

const ZH = ['部门', '预算', '决算', '收入', '支出', '合计', '一般公共预算', '财政拨款', '基本支出', '项目支出', '三公经费', '公务接待费', '公务用车', '单位：万元', '说明', '机关运行经费', '政府采购', '国有资产'];

function zhLine(rng: Rng): string {
  return Array.from({ length: rng.int(2, 6) }, () => rng.pick(ZH)).join('') + `${rng.int(0, 99999)}.${rng.int(0, 99)}万元。`;
}

/** A small text disclosure (paged with form feeds or a Word export). */
function zhText(rng: Rng, lines: number): string {
  const out: string[] = [`${rng.pick(['某某区', '某某市', '某某县'])}${rng.pick(['财政局', '司法局', '城管局'])}${rng.int(2015, 2026)}年部门${rng.pick(['预算', '决算'])}`];
  for (let i = 0; i < lines; i++) out.push(i % 9 === 0 ? `${'一二三四五六七八九'[i % 9]}、${rng.pick(ZH)}情况` : zhLine(rng));
  return out.join('\n') + '\n';
}

/** Stream `bytes` bytes of one line (no newline) to `file`, so the 50 MB case never sits in a string. */
export async function writeHugeLine(file: string, bytes: number, seed = 1): Promise<void> {
  const rng = new Rng(seed);
  const unit = U(Array.from({ length: 256 }, () => zhLine(rng).replace('。', '，')).join(''));
  const out = createWriteStream(file);
  let left = bytes;
  while (left > 0) {
    const n = Math.min(left, unit.length);
    // cut at a character boundary (UTF-8 lead byte)
    let k = n;
    if (k < unit.length) while (k > 0 && (unit[k]! & 0xc0) === 0x80) k--;
    const chunk = k > 0 ? unit.subarray(0, k) : L('a'.repeat(n));
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    left -= chunk.length;
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

// ---------------------------------------------------------------------------
// the families

interface Made {
  bytes: Uint8Array;
  ext: string;
  tag: string;
  expect: Expect;
  says?: RegExp;
}

interface Family {
  id: string;
  weight: number;
  /** how many distinct cases it has (default: unlimited) */
  max?: number;
  make: (rng: Rng, k: number) => Made;
}

interface Bases {
  pdfs: Array<{ name: string; bytes: Buffer }>;
  smallPdf: () => Buffer;
  docx: Buffer;
  corpusDocx: Buffer;
  xlsx: Buffer;
  corpusXlsx: Buffer;
  xls: Buffer;
  corpusXls: Buffer;
  texts: Array<{ name: string; bytes: Buffer }>;
  html: Buffer;
  /** a corpus PDF with embedded CFF fonts */
  fontPdf: Buffer;
}

function loadBases(corpusDir: string, rng: Rng): Bases {
  const read = (n: string) => {
    const f = path.join(corpusDir, n);
    if (!existsSync(f)) throw new Error(`hostile-gen: corpus file missing: ${f}`);
    return readFileSync(f);
  };
  const small = [textPdf(rng, { pages: 3, compress: true }), textPdf(rng, { pages: 2, compress: false }), textPdf(rng, { pages: 5, compress: true, lines: 30 })];
  const docx = makeZip(
    docxParts(
      wp('某某区财政局2020年部门决算', 'Heading1') +
        wp('一、部门概况', 'Heading2') +
        wp('2020年本年收入合计7865.6万元，本年支出合计7801.2万元。') +
        wtbl(wr(wc('项目'), wc('金额')), wr(wc('收入合计'), wc('7865.6')), wr(wc('支出合计'), wc('7801.2'))) +
        wp('二、三公经费', 'Heading2') +
        wp('“三公”经费支出12.3万元。'),
    ),
  );
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(
    wb,
    XLSX.utils.aoa_to_sheet([['收支预算总表'], ['单位：万元'], ['项目', '本年预算'], ['一般公共预算拨款收入', 1234.5], ['收入总计', 1234.5]]),
    '收支总表',
  );
  const xlsx = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  const xls = XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
  return {
    pdfs: [
      { name: 'tables', bytes: read('js-rdbgt-2019-bmys-tables.pdf') },
      { name: 'sfj', bytes: read('putuo-sfj-2026-dwys.pdf') },
      { name: 'wanli', bytes: read('putuo-wanli-2024-bmys.pdf') },
    ],
    smallPdf: () => rng.pick(small),
    docx,
    corpusDocx: read('sichuan-zwfw-2020-js.docx'),
    xlsx,
    corpusXlsx: read('putuo-template-2026-dwys.xlsx'),
    xls,
    corpusXls: read('putuo-template-2026-dwys.xls'),
    texts: [
      { name: 'pages', bytes: read('putuo-chengguan-2026-bmys-pages.txt') },
      { name: 'word', bytes: read('sichuan-zwfw-2020-js.txt') },
    ],
    html: read('cq-jtw-2018-bmys.html'),
    fontPdf: read('putuo-czj-2024-js.pdf'),
  };
}

/** Unzip into parts (for rebuilding with something missing or replaced). */
function zipParts(z: Buffer): ZipPart[] {
  return listZip(z).map((e) => ({ name: e.name, data: readZipEntry(z, e) }));
}

const EXT_ALL = ['.pdf', '.docx', '.xlsx', '.xls', '.doc', '.html', '.htm', '.txt'];

function families(b: Bases, o: Required<Omit<HostileOptions, 'corpusDir'>>): Family[] {
  /** the generated DOCX and XLSX most zip families damage */
  const generatedZips = [
    ['docx', b.docx, '.docx'],
    ['xlsx', b.xlsx, '.xlsx'],
  ] as const;
  // a base PDF: mostly the small generated ones (fast), sometimes a corpus file
  const basePdf = (rng: Rng): { name: string; bytes: Buffer } => (rng.chance(0.75) ? { name: 'gen', bytes: b.smallPdf() } : rng.pick(b.pdfs.slice(0, rng.chance(0.7) ? 1 : 3)));
  const pdf = (bytes: Buffer, tag: string, expect: Expect, says?: RegExp): Made => ({ bytes, ext: '.pdf', tag, expect, ...(says ? { says } : {}) });
  const hasEofInTail = (buf: Buffer) => buf.subarray(Math.max(0, buf.length - 4096)).includes(L('%%EOF'));

  const F: Family[] = [
    // ---------------- PDF
    {
      id: 'pdf-trunc',
      weight: 6,
      make: (rng) => {
        const base = basePdf(rng);
        const at = rng.chance(0.2) ? rng.int(1, 64) : rng.int(1, base.bytes.length - 8);
        const cut = base.bytes.subarray(0, at);
        return pdf(cut, `${base.name}-at${at}`, hasEofInTail(cut) ? 'either' : 'error');
      },
    },
    {
      id: 'pdf-trunc-eof',
      weight: 5,
      make: (rng) => {
        const base = basePdf(rng);
        const at = rng.int(16, base.bytes.length - 8);
        return pdf(Buffer.concat([base.bytes.subarray(0, at), L('\n%%EOF\n')]), `${base.name}-at${at}`, 'either');
      },
    },
    {
      id: 'pdf-flip-xref',
      weight: 4,
      make: (rng) => {
        const base = basePdf(rng);
        const x = base.bytes.lastIndexOf(L('xref'));
        const t = base.bytes.indexOf(L('trailer'), x);
        const from = x >= 0 ? x : Math.floor(base.bytes.length * 0.9);
        const to = t > from ? t : base.bytes.length;
        const n = rng.int(1, 40);
        return pdf(flip(base.bytes, rng, from, to, n), `${base.name}-x${n}`, 'either');
      },
    },
    {
      id: 'pdf-flip-stream',
      weight: 5,
      make: (rng) => {
        const base = basePdf(rng);
        const starts = allIndexes(base.bytes, 'stream\n').concat(allIndexes(base.bytes, 'stream\r\n')).filter((i) => base.bytes[i - 1] !== 0x64 /* not endstream */);
        const s = starts.length ? rng.pick(starts) + 7 : 0;
        let e = base.bytes.indexOf(L('endstream'), s);
        if (e < 0) e = base.bytes.length;
        const n = rng.int(1, 16);
        return pdf(flip(base.bytes, rng, s, e, n), `${base.name}-s${s}-${n}`, 'either');
      },
    },
    {
      id: 'pdf-flip-any',
      weight: 4,
      make: (rng) => {
        const base = basePdf(rng);
        const n = rng.int(1, 200);
        return pdf(flip(base.bytes, rng, 16, base.bytes.length - 8, n), `${base.name}-${n}`, 'either');
      },
    },
    {
      id: 'pdf-no-eof',
      weight: 2,
      make: (rng, k) => {
        const base = basePdf(rng);
        const i = base.bytes.lastIndexOf(L('%%EOF'));
        const how = k % 3;
        let out: Buffer;
        if (how === 0) out = splice(base.bytes, i, 5, L(''));
        else if (how === 1) out = splice(base.bytes, i, 5, L('%%EOX'));
        else out = Buffer.concat([base.bytes, L('\n'), rng.bytes(5000 + rng.int(0, 3000)).map((c) => (c === 0x25 ? 0x20 : c))]);
        return pdf(hasEofInTail(out) ? splice(out, out.lastIndexOf(L('%%EOF')), 5, L('%%E0F')) : out, `${base.name}-${['del', 'mangle', 'junk-after'][how]}`, hasEofInTail(out) ? 'either' : 'error', /%%EOF|truncated|corrupt/);
      },
    },
    {
      id: 'pdf-garble-obj',
      weight: 4,
      make: (rng, k) => {
        const base = basePdf(rng);
        const objs = allIndexes(base.bytes, ' 0 obj');
        const at = objs.length ? rng.pick(objs) : 100;
        const how = k % 4;
        let out: Buffer;
        if (how === 0) out = splice(base.bytes, at, 6, L(' 0 jbo'));
        else if (how === 1) {
          // duplicate an object with a different body just before the xref
          const end = base.bytes.indexOf(L('endobj'), at);
          const start = base.bytes.lastIndexOf(L('\n'), at) + 1;
          const copy = flip(base.bytes.subarray(start, end + 6), rng, 0, Math.max(1, end - start), 8);
          const x = base.bytes.lastIndexOf(L('xref'));
          out = splice(base.bytes, x, 0, Buffer.concat([copy, L('\n')]));
        } else if (how === 2) out = splice(base.bytes, at, rng.int(10, 400), rng.bytes(rng.int(0, 300)));
        else out = splice(base.bytes, at, 0, L(` 0 obj << /Type /Page /Parent 1 0 R /Kids [1 0 R] >> endobj\n${rng.int(1, 9)}`));
        return pdf(out, `${base.name}-${['kw', 'dup', 'garbage', 'cycle'][how]}-${at}`, 'either');
      },
    },
    {
      id: 'pdf-startxref',
      weight: 2,
      make: (rng, k) => {
        const base = basePdf(rng);
        const i = base.bytes.lastIndexOf(L('startxref'));
        const j = base.bytes.indexOf(L('%%EOF'), i);
        const v = ['-1', '0', '99999999999', '1e9', 'abc', String(rng.int(0, base.bytes.length)), '18446744073709551617', ''][k % 8]!;
        return pdf(splice(base.bytes, i, j - i, L(`startxref\n${v}\n`)), `${base.name}-${v.replace(/\W/g, 'x') || 'none'}`, 'either');
      },
    },
    {
      id: 'pdf-encrypt',
      weight: 3,
      make: (rng, k) => {
        const hex = (n: number) => rng.bytes(n).toString('hex');
        const dicts = [
          `<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${hex(32)}> /U <${hex(32)}> /P -3904 >>`,
          `<< /Filter /Standard /V 2 /R 3 /Length 128 /O <${hex(32)}> /U <${hex(32)}> /P -1028 >>`,
          `<< /Filter /Standard /V 4 /R 4 /Length 128 /CF << /StdCF << /CFM /AESV2 /AuthEvent /DocOpen /Length 16 >> >> /StmF /StdCF /StrF /StdCF /O <${hex(32)}> /U <${hex(32)}> /P -1028 >>`,
          `<< /Filter /Standard /V 5 /R 6 /Length 256 /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF /O <${hex(48)}> /U <${hex(48)}> /OE <${hex(32)}> /UE <${hex(32)}> /Perms <${hex(16)}> /P -1028 >>`,
          `<< /Filter /FOPN_fLock /V 1 /R 2 /O <${hex(32)}> /U <${hex(32)}> /P -4 >>`,
          `<< /Filter /Standard /V 99 /R 99 /O <${hex(32)}> /U <${hex(32)}> /P -4 >>`,
        ];
        const v = k % dicts.length;
        const rngPdf = new Rng(k + 7);
        const pages = textPdf(rngPdf, { pages: rng.int(1, 3), compress: rng.chance(0.5) });
        // append the /Encrypt object and point the trailer at it (rebuilt, so the xref stays right)
        const objs = rebuildObjects(pages);
        objs.push(dicts[v]!);
        const out = pdfFromObjects(objs, ` /Encrypt ${objs.length} 0 R /ID [<${hex(16)}> <${hex(16)}>]`);
        return pdf(out, `v${v}-${k}`, v >= 4 ? 'either' : 'error', /encrypt|password/i);
      },
    },
    {
      id: 'pdf-huge-count',
      weight: 1,
      max: 6,
      make: (rng, k) => {
        const count = ['1000000000', '2147483648', '1e9', '-1', '0', '99999999999999999999'][k]!;
        const objs = rebuildObjects(textPdf(rng, { pages: 1 }));
        objs[1] = String(objs[1]).replace(/\/Count \d+/, `/Count ${count}`);
        return pdf(pdfFromObjects(objs), `count-${count.replace(/\W/g, 'x')}`, 'either');
      },
    },
    {
      id: 'pdf-deep-kids',
      weight: 1,
      max: 3,
      make: (rng, k) => {
        const depth = [o.nestDepth, 200, Math.floor(o.nestDepth / 4)][k]!;
        return pdf(deepKidsPdf(rng, depth), `depth${depth}`, 'either');
      },
    },
    {
      id: 'pdf-nested',
      weight: 1,
      max: 6,
      make: (rng, k) => {
        const d = o.nestDepth;
        const variants = [
          { tag: 'array-in-page', pageExtra: ` /Junk ${'['.repeat(d)}${']'.repeat(d)}` },
          { tag: 'dict-in-page', pageExtra: ` /Junk ${'<< /A '.repeat(d)}1${' >>'.repeat(d)}` },
          { tag: 'array-unclosed', pageExtra: ` /Junk ${'['.repeat(d)}` },
          { tag: 'array-in-content', content: `BT /F1 11 Tf 56 780 Td ${'['.repeat(d)}(x)${']'.repeat(d)} TJ ET` },
          { tag: 'dict-in-content', content: `BT /F1 11 Tf 56 780 Td ${'<< /A '.repeat(d)}1${' >>'.repeat(d)} BDC (deep) Tj EMC ET` },
          { tag: 'q-stack', content: `${'q '.repeat(d)}BT /F1 11 Tf 56 780 Td (saved states) Tj ET${' Q'.repeat(d)}` },
        ];
        const v = variants[k]!;
        let out: Buffer;
        if (v.pageExtra) out = textPdf(rng, { pages: 1, pageExtra: v.pageExtra });
        else {
          const objs = rebuildObjects(textPdf(rng, { pages: 1 }));
          objs[4] = pdfStream('', L(v.content!));
          out = pdfFromObjects(objs);
        }
        return pdf(out, v.tag, 'either');
      },
    },
    {
      id: 'pdf-many-pages',
      weight: 1,
      max: 2,
      make: (_rng, k) => {
        const n = k === 0 ? o.manyPages : Math.floor(o.manyPages / 2) + 1;
        return pdf(emptyPagesPdf(n), `${n}pages`, 'parse');
      },
    },
    {
      id: 'pdf-xref-loop',
      weight: 1,
      max: 4,
      make: (rng, k) => {
        const base = textPdf(rng, { pages: 1 });
        const sx = base.lastIndexOf(L('startxref'));
        const xrefAt = Number(/startxref\n(\d+)/.exec(base.subarray(sx).toString('latin1'))![1]);
        let out: Buffer;
        if (k === 0) out = Buffer.from(base.toString('latin1').replace('/Root 1 0 R', `/Root 1 0 R /Prev ${xrefAt}`), 'latin1');
        else if (k === 1) {
          // an incremental update whose /Prev points at itself
          const upd = `\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 6 /Root 1 0 R /Prev ${base.length + 1} >>\nstartxref\n${base.length + 1}\n%%EOF\n`;
          out = Buffer.concat([base, L(upd)]);
        } else if (k === 2) out = Buffer.from(base.toString('latin1').replace('/Type /Catalog /Pages 2 0 R', '/Type /Catalog /Pages 1 0 R /Kids [1 0 R] /Count 1'), 'latin1');
        else out = Buffer.from(base.toString('latin1').replace(/\/Parent 2 0 R/, '/Parent 4 0 R /Type /Pages /Kids [4 0 R] /Count 1'), 'latin1');
        return pdf(out, ['prev-self', 'update-self', 'root-cycle', 'kid-self'][k]!, 'either');
      },
    },
    {
      id: 'pdf-bad-filter',
      weight: 2,
      max: 9,
      make: (rng, k) => {
        const objs = rebuildObjects(textPdf(rng, { pages: 1 }));
        const content = L(pageContent(rng, 8));
        const variants: Array<[string, Buffer]> = [
          ['flate-garbage', pdfStream('/Filter /FlateDecode', rng.bytes(2000))],
          ['lzw-garbage', pdfStream('/Filter /LZWDecode', rng.bytes(2000))],
          ['length-huge', Buffer.from(pdfStream('', content).toString('latin1').replace(/\/Length \d+/, '/Length 999999999'), 'latin1')],
          ['length-negative', Buffer.from(pdfStream('', content).toString('latin1').replace(/\/Length \d+/, '/Length -5'), 'latin1')],
          ['predictor', pdfStream('/Filter /FlateDecode /DecodeParms << /Predictor 15 /Columns 99999999 /Colors 60 /BitsPerComponent 16 >>', deflateSync(content))],
          ['filter-chain', pdfStream(`/Filter [${'/ASCIIHexDecode '.repeat(200)}]`, L(content.toString('hex')))],
          ['unknown-filter', pdfStream('/Filter /NoSuchDecode', content)],
          ['flate-bomb', pdfStream('/Filter /FlateDecode', zeroDeflate(o.flateBombBytes))],
          ['flate-bomb-text', pdfStream('/Filter /FlateDecode', repeatDeflate(L('(x) Tj '), Math.floor(o.flateBombBytes / 2)))],
        ];
        const [tag, stream] = variants[k]!;
        objs[4] = stream;
        return pdf(pdfFromObjects(objs), tag, 'either');
      },
    },

    // ---------------- zip: DOCX / XLSX
    {
      id: 'zip-trunc',
      weight: 4,
      make: (rng) => {
        const [name, z, ext] = rng.pick([
          ['docx', b.docx, '.docx'],
          ['xlsx', b.xlsx, '.xlsx'],
          ['cdocx', b.corpusDocx, '.docx'],
          ['cxlsx', b.corpusXlsx, '.xlsx'],
        ] as const);
        const at = rng.int(1, z.length - 1);
        return { bytes: z.subarray(0, at), ext, tag: `${name}-at${at}`, expect: 'error' };
      },
    },
    {
      id: 'zip-cd-flip',
      weight: 4,
      make: (rng) => {
        const [name, z, ext] = rng.pick(generatedZips);
        const cd = centralDirectory(z);
        const n = rng.int(1, 12);
        return { bytes: flip(z, rng, cd, z.length, n), ext, tag: `${name}-${n}`, expect: 'either' };
      },
    },
    {
      id: 'zip-data-flip',
      weight: 3,
      make: (rng) => {
        const [name, z, ext] = rng.pick(generatedZips);
        const cd = centralDirectory(z);
        const n = rng.int(1, 30);
        return { bytes: flip(z, rng, 0, cd, n), ext, tag: `${name}-${n}`, expect: 'either' };
      },
    },
    {
      id: 'zip-eocd',
      weight: 2,
      make: (rng, k) => {
        const [name, z, ext] = rng.pick(generatedZips);
        const out = Buffer.from(z);
        const e = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
        const field = [8, 10, 12, 16, 20][k % 5]!;
        const values = [0, 1, 0xffff, 0xffffffff, out.length, rng.int(0, 0xffffffff)];
        const v = rng.pick(values);
        if (field <= 10 || field === 20) out.writeUInt16LE(v & 0xffff, e + field);
        else out.writeUInt32LE(v >>> 0, e + field);
        return { bytes: out, ext, tag: `${name}-f${field}-${v}`, expect: 'either' };
      },
    },
    {
      id: 'zip-bomb',
      weight: 2,
      max: 8,
      make: (rng, k) => {
        const mb = 1024 * 1024;
        const docx = k % 2 === 0;
        const parts = docx ? docxParts(wp('正文')) : zipParts(b.xlsx);
        const ext = docx ? '.docx' : '.xlsx';
        switch (k >> 1) {
          case 0:
            parts.push({ name: docx ? 'word/media/huge.bin' : 'xl/media/huge.bin', data: Buffer.alloc(1000), claimSize: 150 * mb });
            return { bytes: makeZip(parts), ext, tag: 'declared', expect: 'error', says: /zip bomb/ };
          case 1:
            parts.push({ name: docx ? 'word/media/zeros.bin' : 'xl/media/zeros.bin', data: Buffer.alloc(12 * mb) });
            return { bytes: makeZip(parts), ext, tag: 'ratio', expect: 'error', says: /zip bomb/ };
          case 2:
            parts.push({ name: docx ? 'word/media/liar.bin' : 'xl/media/liar.bin', data: Buffer.alloc(6 * mb, 0x41), claimSize: 1000 });
            return { bytes: makeZip(parts), ext, tag: 'liar', expect: 'error', says: /zip bomb|damaged/ };
          default:
            return { bytes: overlappingBomb(parts, rng.int(200, 400), docx ? 'word/media/o' : 'xl/worksheets/o'), ext, tag: 'overlap', expect: 'error', says: /zip bomb|damaged|entries/ };
        }
      },
    },
    {
      id: 'zip-missing',
      weight: 2,
      make: (rng, k) => {
        const docx = k % 2 === 0;
        const parts = docx ? zipParts(rng.chance(0.3) ? b.corpusDocx : b.docx) : zipParts(b.xlsx);
        const names = parts.map((p) => p.name);
        const drop = names[(k >> 1) % names.length]!;
        const kept = parts.filter((p) => p.name !== drop);
        const essential = docx ? drop === 'word/document.xml' : drop === 'xl/workbook.xml';
        return { bytes: makeZip(kept), ext: docx ? '.docx' : '.xlsx', tag: `no-${drop.replace(/\W+/g, '_')}`, expect: essential ? 'error' : 'either' };
      },
    },
    {
      id: 'zip-xml',
      weight: 3,
      make: (rng, k) => {
        const docx = k % 2 === 0;
        const parts = docx ? zipParts(b.docx) : zipParts(b.xlsx);
        const target = docx ? 'word/document.xml' : rng.pick(parts.map((p) => p.name).filter((n) => n.endsWith('.xml')));
        const part = parts.find((p) => p.name === target)!;
        const orig = Buffer.from(part.data as Uint8Array);
        const d = o.nestDepth;
        const variants: Array<[string, () => Buffer]> = [
          ['garbage', () => rng.bytes(rng.int(1, 3000))],
          ['truncated', () => orig.subarray(0, rng.int(1, orig.length - 1))],
          ['flipped', () => flip(orig, rng, 0, orig.length, rng.int(1, 20))],
          ['empty', () => Buffer.alloc(0)],
          ['entity-bomb', () => U(`<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${'b' + i} "${`&${i ? 'b' + (i - 1) : 'a'};`.repeat(10)}">`).join('')}]>` + orig.toString('utf8').replace(/<w:t xml:space="preserve">[^<]*/, '<w:t xml:space="preserve">&b8;').replace(/^<\?xml[^>]*>/, ''))],
          ['deep', () => U(docx ? `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${'<w:tbl><w:tr><w:tc>'.repeat(Math.floor(d / 3))}${wp('深')}${'</w:tc></w:tr></w:tbl>'.repeat(Math.floor(d / 3))}</w:body></w:document>` : `<?xml version="1.0"?>${'<a>'.repeat(d)}${'</a>'.repeat(d)}`)],
          ['utf16-declared', () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(orig.toString('utf8').replace('UTF-8', 'UTF-16'), 'utf16le')])],
          ['gbk-bytes', () => encodeGbk(orig.toString('utf8'))],
          ['huge-attr', () => U(orig.toString('utf8').replace('<w:body>', `<w:body><w:p w:rsidR="${'9'.repeat(4 * 1024 * 1024)}"/>`).replace('<sheetData>', `<sheetData><row r="1" spans="${'1'.repeat(4 * 1024 * 1024)}"/>`))],
        ];
        const [tag, mk] = variants[Math.floor(k / 2) % variants.length]!;
        part.data = mk();
        return { bytes: makeZip(parts), ext: docx ? '.docx' : '.xlsx', tag: `${docx ? 'docx' : 'xlsx'}-${tag}-${target.replace(/\W+/g, '_')}`, expect: 'either' };
      },
    },
    {
      id: 'xlsx-huge-grid',
      weight: 1,
      max: 6,
      make: (_rng, k) => {
        const parts = zipParts(b.xlsx);
        const sheet = parts.find((p) => /^xl\/worksheets\/sheet\d*\.xml$/.test(p.name))!;
        let x = Buffer.from(sheet.data as Uint8Array).toString('utf8');
        const tag = ['dimension', 'far-cell', 'merge-all', 'many-merges', 'row-spans', 'col-widths'][k]!;
        if (k === 0) x = x.replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>');
        else if (k === 1) x = x.replace('</sheetData>', '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row></sheetData>').replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>');
        else if (k === 2) x = x.replace('</sheetData>', '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>');
        else if (k === 3) x = x.replace('</sheetData>', `</sheetData><mergeCells count="20000">${Array.from({ length: 20000 }, (_, i) => `<mergeCell ref="A${i * 50 + 10}:Z${i * 50 + 59}"/>`).join('')}</mergeCells>`);
        else if (k === 4) x = x.replace('<sheetData>', `<sheetData>${Array.from({ length: 5000 }, (_, i) => `<row r="${i * 200 + 100}"><c r="XF${i * 200 + 100}"><v>${i}</v></c></row>`).join('')}`);
        else x = x.replace('<sheetData>', `<cols><col min="1" max="16384" width="9" customWidth="1"/></cols><sheetData>`);
        sheet.data = x;
        return { bytes: makeZip(parts), ext: '.xlsx', tag, expect: 'either' };
      },
    },
    {
      id: 'zip-method',
      weight: 1,
      max: 6,
      make: (_rng, k) => {
        const z = Buffer.from(k % 2 ? b.xlsx : b.docx);
        const cd = centralDirectory(z);
        const tag = ['encrypted', 'method99', 'zip64-fake'][k >> 1]!;
        if (k >> 1 === 0) z.writeUInt16LE(z.readUInt16LE(cd + 8) | 1, cd + 8);
        else if (k >> 1 === 1) z.writeUInt16LE(99, cd + 10);
        else z.writeUInt32LE(0xffffffff, cd + 24);
        return { bytes: z, ext: k % 2 ? '.xlsx' : '.docx', tag, expect: 'error', ...(k >> 1 === 0 ? { says: /encrypt|password/i } : {}) };
      },
    },

    // ---------------- OLE (.xls)
    {
      id: 'ole-trunc',
      weight: 2,
      make: (rng) => {
        const corpus = rng.chance(0.25);
        const z = corpus ? b.corpusXls : b.xls;
        const at = rng.int(1, z.length - 1);
        return { bytes: z.subarray(0, at), ext: '.xls', tag: `${corpus ? 'c' : 'gen'}-at${at}`, expect: 'either' };
      },
    },
    {
      id: 'ole-flip',
      weight: 2,
      make: (rng) => {
        const header = rng.chance(0.5);
        const n = rng.int(1, 20);
        return { bytes: flip(b.xls, rng, header ? 0 : 512, header ? 512 : b.xls.length, n), ext: '.xls', tag: `${header ? 'header' : 'body'}-${n}`, expect: 'either' };
      },
    },
    {
      id: 'ole-chains',
      weight: 1,
      max: 6,
      make: (_rng, k) => {
        const ole = makeOle(['Workbook', 'EncryptionInfo'].slice(0, 1 + (k % 2)));
        const tag = ['fat-cycle', 'dir-cycle', 'difat-loop', 'sector-shift', 'many-fat', 'dir-far'][k]!;
        if (k === 0) ole.writeUInt32LE(1, 512 + 4); // FAT: directory sector 1 → 1 → …
        else if (k === 1) ole.writeUInt32LE(1, 1024 + 128 + 72); // entry 1 is its own right sibling
        else if (k === 2) {
          ole.writeUInt32LE(1, 68);
          ole.writeUInt32LE(0xffffff, 72);
        } else if (k === 3) ole.writeUInt16LE(30, 30);
        else if (k === 4) ole.writeUInt32LE(0x7fffffff, 44);
        else ole.writeUInt32LE(0x7ffffff0, 48);
        return { bytes: ole, ext: k % 2 ? '.doc' : '.xls', tag, expect: 'error' };
      },
    },

    // ---------------- text
    {
      id: 'txt-invalid-utf8',
      weight: 3,
      make: (rng) => {
        const base = rng.chance(0.5) ? U(zhText(rng, rng.int(10, 60))) : rng.pick(b.texts).bytes.subarray(0, 20000);
        const bad = [Buffer.from([0xc0, 0x80]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff]), Buffer.from([0xe4, 0xb8]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), Buffer.from([0x80])];
        let out: Buffer = Buffer.from(base);
        const n = rng.int(1, 30);
        for (let i = 0; i < n; i++) out = splice(out, rng.int(0, out.length), 0, rng.pick(bad));
        return { bytes: out, ext: rng.pick(['.txt', '.txt', '.html', '']), tag: `${n}`, expect: 'either' };
      },
    },
    {
      id: 'txt-mixed-gbk',
      weight: 2,
      make: (rng) => {
        const lines = zhText(rng, rng.int(10, 80)).split('\n');
        const out = Buffer.concat(lines.map((l) => Buffer.concat([rng.chance(0.5) ? encodeGbk(l) : U(l), L('\n')])));
        return { bytes: out, ext: '.txt', tag: `${lines.length}`, expect: 'either' };
      },
    },
    {
      id: 'txt-gbk',
      weight: 1,
      make: (rng) => ({ bytes: encodeGbk(zhText(rng, rng.int(5, 80))), ext: '.txt', tag: 'pure', expect: 'parse' }),
    },
    {
      id: 'txt-utf16-nobom',
      weight: 2,
      make: (rng, k) => {
        const s = k % 3 === 0 ? zhText(rng, 20).replace(/[\x00-\x7f]/g, '') : zhText(rng, 20);
        const le = Buffer.from(s, 'utf16le');
        const be = Buffer.from(le).swap16();
        const bom = k % 4 === 3;
        return { bytes: bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), le.subarray(0, le.length - 1)]) : k % 2 ? be : le, ext: rng.pick(['.txt', '.html', '.pdf']), tag: `${bom ? 'bom-odd' : k % 2 ? 'be' : 'le'}${k % 3 === 0 ? '-cjk-only' : ''}`, expect: 'either' };
      },
    },
    {
      id: 'txt-nul',
      weight: 1,
      make: (rng) => {
        const n = rng.pick([1, 2, 100, 4096, 65536, 1 << 20]);
        const ext = rng.pick(EXT_ALL);
        return { bytes: Buffer.alloc(n), ext, tag: `${n}`, expect: 'error' };
      },
    },
    {
      id: 'empty',
      weight: 2,
      max: EXT_ALL.length + 1,
      make: (_rng, k) => ({ bytes: new Uint8Array(0), ext: k < EXT_ALL.length ? EXT_ALL[k]! : '', tag: 'zero', expect: 'error', says: /empty/ }),
    },
    {
      id: 'one-byte',
      weight: 2,
      max: 32,
      make: (_rng, k) => {
        const values = [0x00, 0x0a, 0x20, 0x25, 0x3c, 0x41, 0x50, 0x7f, 0x80, 0xd0, 0xef, 0xfe, 0xff, 0x0c, 0x09, 0xe4];
        const exts = ['.txt', '.pdf', '.docx', '.html'];
        const v = values[k % values.length]!;
        const ext = exts[Math.floor(k / values.length) % exts.length]!;
        return { bytes: Uint8Array.of(v), ext, tag: v.toString(16).padStart(2, '0'), expect: 'either' };
      },
    },
    {
      id: 'huge-line',
      weight: 1,
      max: 6,
      make: (rng, k) => {
        const n = o.hugeLineBytes;
        const variants: Array<[string, () => Buffer, Expect]> = [
          ['zh', () => U(Array.from({ length: Math.ceil(n / 3000) }, () => zhLine(rng).replace('。', '，')).join('')).subarray(0, n), 'either'],
          ['ascii', () => Buffer.alloc(n, 'a'), 'either'],
          ['digits', () => Buffer.alloc(n, '1,234.56 '), 'either'],
          ['blank', () => Buffer.alloc(n, ' \t'), 'error'],
          ['tabs-cells', () => Buffer.alloc(n, '合计\t1234.5\t'), 'either'],
          // one fact stated tens of thousands of times (a quadratic check took minutes on 14 MB)
          ['facts', () => Buffer.alloc(n, '本单位2023年度收入合计1234.56万元，比上年增加12.3万元。'), 'either'],
        ];
        const [tag, mk, expect] = variants[k]!;
        const bytes = mk();
        let end = bytes.length;
        while (end > 0 && (bytes[end - 1]! & 0xc0) === 0x80) end--;
        if (end > 0 && bytes[end - 1]! >= 0xc0) end--; // drop a cut lead byte
        return { bytes: bytes.subarray(0, end), ext: '.txt', tag, expect };
      },
    },
    {
      id: 'txt-pathological',
      weight: 2,
      max: 8,
      make: (rng, k) => {
        const n = Math.min(o.hugeLineBytes, 2 * 1024 * 1024);
        const variants: Array<[string, () => Buffer]> = [
          ['form-feeds', () => Buffer.alloc(n, '\f')],
          ['form-feeds-text', () => Buffer.alloc(n, '收入合计12.3\f')],
          ['page-markers', () => Buffer.alloc(n, '-- PAGE_BREAK --\n')],
          ['short-lines', () => Buffer.alloc(n, 'a\n')],
          ['blank-lines', () => Buffer.alloc(n, '\n')],
          ['crs', () => Buffer.alloc(n, '\r')],
          ['bookmarks', () => Buffer.alloc(n, '[bookmark: _Toc1]')],
          ['toc-leaders', () => U(zhText(rng, 5) + `一、收入${'…'.repeat(Math.floor(n / 3))}3\n`)],
        ];
        const [tag, mk] = variants[k]!;
        return { bytes: mk(), ext: '.txt', tag, expect: 'either' };
      },
    },
    {
      id: 'txt-control',
      weight: 1,
      max: 4,
      make: (rng, k) => {
        const variants: Array<[string, Buffer, string]> = [
          ['escape-as-pdf', L('\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m report'), '.pdf'],
          ['nel-as-docx', U('第一行\u0085第二行\u2028第三行'), '.docx'],
          ['cr-as-xlsx', L('line one\rline two\rline three'), '.xlsx'],
          ['controls-txt', Buffer.concat([U(zhText(rng, 10)), L('\x01\x02\x1b[2J\x7f'.repeat(50))]), '.txt'],
        ];
        const [tag, bytes, ext] = variants[k]!;
        return { bytes, ext, tag, expect: 'error' };
      },
    },
    {
      id: 'random-bytes',
      weight: 2,
      make: (rng) => {
        const n = rng.pick([2, 3, 17, 512, 4096, 100000]);
        const bytes = rng.bytes(n);
        return { bytes, ext: rng.pick(EXT_ALL), tag: `${n}`, expect: 'either' };
      },
    },

    // ---------------- HTML
    {
      id: 'html-hostile',
      weight: 3,
      max: 14,
      make: (rng, k) => {
        const d = o.nestDepth;
        const body = (s: string) => U(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某局2020年部门预算</title></head><body>${s}</body></html>`);
        const variants: Array<[string, () => Buffer]> = [
          ['deep-div', () => body(`${'<div>'.repeat(d)}<p>2020年收入合计100万元。</p>${'</div>'.repeat(d)}`)],
          ['deep-table', () => body(`${'<table><tr><td>'.repeat(Math.floor(d / 3))}深${'</td></tr></table>'.repeat(Math.floor(d / 3))}`)],
          ['unclosed-div', () => body(`${'<div><span><b>'.repeat(Math.floor(d / 3))}收入`)],
          ['big-table', () => body(`<table>${Array.from({ length: 2000 }, (_, r) => `<tr>${Array.from({ length: 30 }, (_, c) => `<td>${r * 30 + c}</td>`).join('')}</tr>`).join('')}</table>`)],
          ['huge-colspan', () => body('<table><tr><td colspan="1000000">单位：万元</td></tr><tr><td>收入</td><td>1</td></tr></table>')],
          ['huge-rowspan', () => body('<table><tr><td rowspan="65534">项目</td><td colspan="999999999">x</td></tr><tr><td>1</td></tr></table>')],
          ['many-spans', () => body(`<table>${Array.from({ length: 300 }, () => `<tr><td rowspan="1000" colspan="1000">x</td></tr>`).join('')}</table>`)],
          ['charset-lie-gbk', () => Buffer.concat([L('<html><head><meta charset="gbk"></head><body><p>'), U(zhText(rng, 20)), L('</p></body></html>')])],
          ['charset-utf16', () => Buffer.concat([L('<html><head><meta charset="utf-16"></head><body><p>'), U(zhText(rng, 5)), L('</p></body></html>')])],
          ['charset-bogus', () => Buffer.concat([L('<html><head><meta charset="x-no-such-charset-\u00ff"></head><body><p>'), encodeGbk(zhText(rng, 20)), L('</p></body></html>')])],
          ['script-only', () => body(`<script>${'var a=1;'.repeat(100000)}</script>`)],
          ['comment-unclosed', () => U(`<html><body><!-- ${'x'.repeat(1 << 20)}`)],
          ['attr-huge', () => body(`<p class="${'c'.repeat(4 << 20)}">收入</p>`)],
          ['many-paragraphs', () => body(Array.from({ length: 50000 }, (_, i) => `<p>第${i}段</p>`).join(''))],
        ];
        const [tag, mk] = variants[k]!;
        return { bytes: mk(), ext: rng.pick(['.html', '.htm']), tag, expect: 'either' };
      },
    },
    {
      id: 'html-trunc',
      weight: 2,
      make: (rng) => {
        const at = rng.int(1, b.html.length - 1);
        return { bytes: b.html.subarray(0, at), ext: '.html', tag: `at${at}`, expect: 'either' };
      },
    },

    // ---------------- wrong extensions
    {
      id: 'wrong-ext',
      weight: 3,
      max: 16,
      make: (rng, k) => {
        const text = rng.pick(b.texts).bytes;
        const variants: Array<[string, Buffer, string, Expect]> = [
          ['pdf-as-docx', b.pdfs[0]!.bytes, '.docx', 'parse'],
          ['pdf-as-xlsx', b.smallPdf(), '.xlsx', 'parse'],
          ['pdf-as-html', b.smallPdf(), '.html', 'parse'],
          ['pdf-as-txt', b.smallPdf(), '.txt', 'parse'],
          ['docx-as-pdf', b.docx, '.pdf', 'parse'],
          ['docx-as-xlsx', b.docx, '.xlsx', 'parse'],
          ['xlsx-as-docx', b.xlsx, '.docx', 'parse'],
          ['xls-as-doc', b.xls, '.doc', 'parse'],
          ['html-as-xls', b.html, '.xls', 'parse'],
          ['html-as-pdf', b.html, '.pdf', 'parse'],
          ['html-as-docx', b.html, '.docx', 'parse'],
          ['text-as-pdf', text, '.pdf', 'error'],
          ['text-as-docx', text, '.docx', 'error'],
          ['text-as-xlsx', text, '.xlsx', 'error'],
          ['text-as-html', text, '.html', 'parse'],
          ['docx-unknown-ext', b.docx, '.bin', 'parse'],
        ];
        const [tag, bytes, ext, expect] = variants[k]!;
        return { bytes, ext, tag, expect };
      },
    },

    // ---------------- regressions: exact recipes of cases that found bugs in bigger runs
    {
      id: 'regress',
      weight: 2,
      max: 6,
      make: (_rng, k) => {
        if (k === 5) {
          // 3,606 bytes cut out of an embedded CFF font: pdfjs's CFF parser spent minutes and gigabytes on it
          const at = 1506680;
          return pdf(Buffer.concat([b.fontPdf.subarray(0, at), b.fontPdf.subarray(at + 3606)]), 'cff-font-hang', 'parse');
        }
        if (k < 4) {
          // small PDFs with flipped bytes after which pdfjs leaves a promise rejection unhandled
          const [seed, n] = ([[43, 63], [51, 71], [58, 78], [63, 23]] as const)[k]!;
          const base = textPdf(new Rng(7), { pages: 5, compress: true });
          return pdf(flip(base, new Rng(seed), 16, base.length - 8, n), `late-reject-${seed}`, 'either');
        }
        // an XLSX whose deflate data has flipped bytes (CRC mismatch): SheetJS's own inflater spins
        const zdf = F.find((f) => f.id === 'zip-data-flip')!;
        const m = zdf.make(new Rng(caseSeed(20260808, 'zip-data-flip', 69)), 69);
        return { ...m, tag: 'xlsx-inflate-spin' };
      },
    },
  ];
  return F;
}

/** The object bodies of a PDF made by pdfFromObjects (to rebuild it with changes). */
function rebuildObjects(pdf: Buffer): Array<string | Buffer> {
  const out: Array<string | Buffer> = [];
  for (let n = 1; ; n++) {
    const start = pdf.indexOf(L(`\n${n} 0 obj\n`));
    if (start < 0) break;
    const bodyStart = start + `\n${n} 0 obj\n`.length;
    const end = pdf.indexOf(L('\nendobj\n'), bodyStart);
    const body = pdf.subarray(bodyStart, end);
    out.push(body.includes(L('stream\n')) ? Buffer.from(body) : body.toString('latin1'));
  }
  return out;
}

/** A zip whose central directory lists `copies` entries that all point at one local entry of 5 MB of zeros. */
function overlappingBomb(parts: ZipPart[], copies: number, prefix: string): Buffer {
  const zeros = Buffer.alloc(5 * 1024 * 1024);
  const z = makeZip([{ name: `${prefix}0.xml`, data: zeros }, ...parts]);
  const entries = listZip(z);
  const first = entries[0]!;
  // append extra directory entries that reuse the first local header
  const cdStart = z.readUInt32LE(z.length - 22 + 16);
  const cdLen = z.readUInt32LE(z.length - 22 + 12);
  const firstCd = z.subarray(cdStart, cdStart + 46 + Buffer.byteLength(first.name));
  const extra: Buffer[] = [];
  for (let i = 1; i <= copies; i++) {
    const name = U(`${prefix}${i}.xml`);
    const h = Buffer.from(firstCd.subarray(0, 46));
    h.writeUInt16LE(name.length, 28);
    extra.push(h, name);
  }
  const cd = Buffer.concat([z.subarray(cdStart, cdStart + cdLen), ...extra]);
  const eocd = Buffer.from(z.subarray(z.length - 22));
  const count = entries.length + copies;
  eocd.writeUInt16LE(count, 8);
  eocd.writeUInt16LE(count, 10);
  eocd.writeUInt32LE(cd.length, 12);
  return Buffer.concat([z.subarray(0, cdStart), cd, eocd]);
}

// ---------------------------------------------------------------------------

export function generateHostileCases(opts: HostileOptions): HostileCase[] {
  const o: Required<Omit<HostileOptions, 'corpusDir'>> = {
    count: opts.count,
    seed: opts.seed,
    hugeLineBytes: opts.hugeLineBytes ?? 2 * 1024 * 1024,
    manyPages: opts.manyPages ?? 2000,
    nestDepth: opts.nestDepth ?? 10000,
    flateBombBytes: opts.flateBombBytes ?? 256 * 1024 * 1024,
  };
  const rng = new Rng(opts.seed);
  const bases = loadBases(opts.corpusDir ?? DEFAULT_CORPUS, new Rng(opts.seed ^ 0x5eed));
  const fams = families(bases, o);
  const used = new Map<string, number>();
  const cases: HostileCase[] = [];
  const names = new Set<string>();
  for (let i = 0; i < opts.count; i++) {
    // weighted round-robin: the family furthest behind its share goes next
    let best: Family | undefined;
    let bestScore = Infinity;
    for (const f of fams) {
      const n = used.get(f.id) ?? 0;
      if (f.max !== undefined && n >= f.max) continue;
      const score = (n + 1) / f.weight;
      if (score < bestScore) {
        best = f;
        bestScore = score;
      }
    }
    if (!best) break;
    const k = used.get(best.id) ?? 0;
    used.set(best.id, k + 1);
    // each case has its own stream, so changing one family does not shift the others
    const caseRng = new Rng(caseSeed(opts.seed, best.id, k));
    void rng;
    const m = best.make(caseRng, k);
    const tag = m.tag.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 40);
    let name = `${String(i).padStart(4, '0')}-${best.id}-${tag}${m.ext}`;
    while (names.has(name)) name = name.replace(/(\.[a-z]*)?$/, `x$1`);
    names.add(name);
    cases.push({ name, bytes: m.bytes, expect: m.expect, family: best.id, ...(m.says ? { says: m.says } : {}) });
  }
  return cases;
}

function caseSeed(seed: number, family: string, k: number): number {
  return (seed * 1000003 + hashString(family) * 7919 + k) >>> 0;
}

function hashString(s: string): number {
  return createHash('sha256').update(s).digest().readUInt32LE(0);
}

/** Families and their counts (for the report). */
export function familyCounts(cases: HostileCase[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cases) out[c.family] = (out[c.family] ?? 0) + 1;
  return out;
}

// ---------------------------------------------------------------------------
// known bugs

export interface KnownBug {
  id: string;
  where: string;
  /** the cases (by name, index stripped) that show it */
  cases: RegExp;
  symptom: string;
}

/**
 * Reader bugs the hostile cases found (see reports/robustness.md). Their cases are
 * kept out of the main hostile run and ingest; test/hostile.test.ts has an
 * `it.fails` for each. Remove an entry when its bug is fixed.
 */
export const KNOWN_BUGS: KnownBug[] = [];


/** A case name without its NNNN- index (stable across sizes). */
export const stem = (name: string) => name.replace(/^\d{4}-/, '');
export const bugOf = (name: string): KnownBug | undefined => KNOWN_BUGS.find((b) => b.cases.test(stem(name)));

// ---------------------------------------------------------------------------
// running cases one by one, each in a worker thread that can be terminated:
// a reader that spins forever or exhausts its heap fails its case, not the run

export interface CaseResult {
  name: string;
  outcome: 'parsed' | 'refused' | 'threw' | 'timeout' | 'crashed';
  /** readBytes time, or the time until the worker was stopped */
  ms: number;
  /** time of the extraction (parsers) after a successful read */
  extractMs?: number;
  /** error class name and message (refused: an IngestError; threw: anything else) */
  error?: { name: string; message: string; unsupported: boolean };
  /** the extraction threw after the read succeeded */
  extractError?: { name: string; message: string };
  /** whether the extraction takes it for a 预算/决算 disclosure (ingest stores only those) */
  disclosure?: boolean;
  pages?: number | null;
  blocks?: number;
  sha256?: string;
  /** promise rejections the reader left unhandled (they kill the ingest worker, or a --jobs 1 CLI) */
  unhandledRejections?: string[];
  /** growth of this process's RSS while the case ran (MB; other lanes' cases run at the same time) */
  rssGrowthMb?: number;
}

const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** CommonJS source of the worker: register tsx, load the readers, answer {file, label} with a CaseResult. */
function workerSource(): string {
  const api = pathToFileURLString(path.join(ROOT_DIR, 'node_modules/tsx/dist/esm/api/index.mjs'));
  const ingest = pathToFileURLString(path.join(ROOT_DIR, 'src/ingest/index.ts'));
  const errors = pathToFileURLString(path.join(ROOT_DIR, 'src/ingest/errors.ts'));
  const extract = pathToFileURLString(path.join(ROOT_DIR, 'src/extract.ts'));
  return `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
(async () => {
  const { register } = await import(${JSON.stringify(api)});
  register();
  const { readBytes } = await import(${JSON.stringify(ingest)});
  const { IngestError, UnsupportedFormatError } = await import(${JSON.stringify(errors)});
  const { disclosureOf } = await import(${JSON.stringify(extract)});
  // a promise left rejected by a reader kills a worker thread (and a --jobs 1 CLI): note it for the case that caused it
  let late = [];
  process.on('unhandledRejection', (e) => { late.push(String(e && e.message || e).slice(0, 300)); });
  parentPort.on('message', async ({ file, label, extract }) => {
    late = [];
    const bytes = new Uint8Array(readFileSync(file));
    const t0 = performance.now();
    let r;
    try {
      const doc = await readBytes(bytes, label);
      r = { outcome: 'parsed', ms: performance.now() - t0, pages: doc.file.pages, blocks: doc.blocks.length, sha256: doc.file.sha256 };
      if (extract) {
        const t1 = performance.now();
        try {
          r.disclosure = disclosureOf([doc]).extraction.disclosure;
        } catch (e) {
          r.extractError = { name: String(e && e.name), message: String(e && e.message) };
        }
        r.extractMs = performance.now() - t1;
      }
    } catch (e) {
      const ingest = e instanceof IngestError;
      r = { outcome: ingest ? 'refused' : 'threw', ms: performance.now() - t0, error: { name: String(e && e.name), message: String(e && e.message), unsupported: e instanceof UnsupportedFormatError } };
    }
    // let rejections the reader left behind surface
    await new Promise((res) => setTimeout(res, 15));
    if (late.length) r.unhandledRejections = late;
    parentPort.postMessage(r);
  });
  parentPort.postMessage({ ready: true });
})().catch((e) => { throw e; });
`;
}

function pathToFileURLString(p: string): string {
  return new URL(`file://${p.split(path.sep).map(encodeURIComponent).join('/')}`).href;
}

export interface RunOptions {
  jobs: number;
  /** a case still running after this is stopped and counted as a timeout */
  timeoutMs: number;
  /** heap limit of each worker (MB) */
  maxOldGenerationSizeMb?: number;
  /** also run the extraction (parsers) on what was read */
  extract?: boolean;
  /** the label given to readBytes (default: the file name) */
  label?: (file: string) => string;
  onResult?: (r: CaseResult, done: number, total: number) => void;
}

export interface RunStats {
  /** peak RSS of this process during the run (MB) */
  peakRssMb: number;
  wallMs: number;
}

/** Read each file in an isolated worker thread, `jobs` at a time. */
export async function runCasesIsolated(files: string[], opts: RunOptions, stats?: RunStats): Promise<CaseResult[]> {
  const { Worker } = await import('node:worker_threads');
  const results: CaseResult[] = new Array(files.length);
  const t0run = performance.now();
  let peak = process.memoryUsage.rss();
  const running = new Map<number, { start: number; max: number }>();
  const sampler = setInterval(() => {
    const r = process.memoryUsage.rss();
    peak = Math.max(peak, r);
    for (const m of running.values()) m.max = Math.max(m.max, r);
  }, 25);
  let next = 0;
  let done = 0;
  const src = workerSource();
  const dead = new WeakSet<object>();
  const spawn = () =>
    new Promise<InstanceType<typeof Worker>>((resolve, reject) => {
      const w = new Worker(src, { eval: true, resourceLimits: { maxOldGenerationSizeMb: opts.maxOldGenerationSizeMb ?? 2048 }, stdout: true, stderr: true });
      w.stdout.resume();
      w.stderr.resume();
      // an error between cases must not take this process down; the next case sees the worker gone
      w.on('error', () => undefined);
      w.once('exit', () => dead.add(w));
      const onMsg = (m: { ready?: boolean }) => {
        if (m.ready) {
          w.off('message', onMsg);
          w.off('error', reject);
          resolve(w);
        }
      };
      w.on('message', onMsg);
      w.once('error', reject);
    });
  const lane = async () => {
    let w = await spawn();
    try {
      while (next < files.length) {
        if (dead.has(w)) w = await spawn();
        const i = next++;
        const file = files[i]!;
        const label = opts.label ? opts.label(file) : path.basename(file);
        const t0 = performance.now();
        const rss0 = process.memoryUsage.rss();
        running.set(i, { start: rss0, max: rss0 });
        const r = await new Promise<CaseResult>((resolve) => {
          let settled = false;
          const finish = (x: Omit<CaseResult, 'name'>) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            w.off('message', onMsg);
            w.off('error', onErr);
            w.off('exit', onExit);
            resolve({ name: label, ...x });
          };
          const onMsg = (m: Omit<CaseResult, 'name'>) => finish(m);
          const onErr = (e: Error) => finish({ outcome: 'crashed', ms: performance.now() - t0, error: { name: (e as NodeJS.ErrnoException).code ?? e.name, message: e.message, unsupported: false } });
          const onExit = (code: number) => finish({ outcome: 'crashed', ms: performance.now() - t0, error: { name: 'exit', message: `worker exited with code ${code}`, unsupported: false } });
          const timer = setTimeout(() => finish({ outcome: 'timeout', ms: performance.now() - t0 }), opts.timeoutMs);
          w.on('message', onMsg);
          w.once('error', onErr);
          w.once('exit', onExit);
          w.postMessage({ file, label, extract: opts.extract ?? false });
        });
        const m = running.get(i)!;
        running.delete(i);
        r.rssGrowthMb = Math.round((Math.max(m.max, process.memoryUsage.rss()) - m.start) / 1048576);
        results[i] = r;
        done++;
        opts.onResult?.(r, done, files.length);
        if (r.outcome === 'timeout' || r.outcome === 'crashed') {
          await w.terminate().catch(() => undefined);
          w = await spawn();
        }
      }
    } finally {
      await w.terminate().catch(() => undefined);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, lane));
  } finally {
    clearInterval(sampler);
  }
  if (stats) {
    stats.peakRssMb = Math.round(peak / 1048576);
    stats.wallMs = performance.now() - t0run;
  }
  return results;
}

/** Line breaks: a refusal is one line. */
export const LINE_BREAK = /[\n\r\v\f\u2028\u2029]/;
/** Control characters: a refusal printed to a terminal must not carry escapes or NULs. */
export const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;

/** What is wrong with one case's result (empty: it was read, or refused with one line naming the file, in bounds). */
export function caseProblems(c: HostileCase, r: CaseResult, bounds: { boundMs: number; caseRssMb: number }): string[] {
  const BOUND_MS = bounds.boundMs;
  const CASE_RSS_MB = bounds.caseRssMb;
  const out: string[] = [];
  const total = r.ms + (r.extractMs ?? 0);
  if (r.outcome === 'timeout') out.push(`no answer within ${BOUND_MS} ms`);
  else if (r.outcome === 'crashed') out.push(`the worker died: ${r.error?.name} ${r.error?.message}`);
  else if (r.outcome === 'threw') out.push(`threw ${r.error?.name} (not an IngestError): ${r.error?.message}`);
  else if (total > BOUND_MS) out.push(`took ${Math.round(total)} ms`);
  if (r.outcome === 'refused') {
    const m = r.error!.message;
    if (!m.startsWith(`${c.name}: `)) out.push(`message does not start with the file name: ${JSON.stringify(m.slice(0, 120))}`);
    if (LINE_BREAK.test(m)) out.push(`message is not one line: ${JSON.stringify(m.slice(0, 200))}`);
    if (c.says && !c.says.test(m)) out.push(`wrong kind of refusal (want ${c.says}): ${JSON.stringify(m.slice(0, 200))}`);
    if (c.expect === 'parse') out.push(`should have been read: ${JSON.stringify(m.slice(0, 200))}`);
  }
  if (r.outcome === 'parsed') {
    if (c.expect === 'error') out.push(`should have been refused (read: ${r.pages ?? '-'} pages, ${r.blocks} blocks)`);
    if (r.extractError) out.push(`the extraction threw ${r.extractError.name}: ${r.extractError.message}`);
  }
  if ((r.rssGrowthMb ?? 0) > CASE_RSS_MB) out.push(`RSS grew by ${r.rssGrowthMb} MB`);
  if (r.unhandledRejections?.length) out.push(`left a promise rejection unhandled (kills the parse worker, or a --jobs 1 process): ${r.unhandledRejections[0]}`);
  return out;
}
