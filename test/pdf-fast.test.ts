/**
 * The fast PDF reader (src/ingest/pdf-fast/) against pdfjs: on every corpus PDF
 * and on generated pages that exercise the text state machine, both readers must
 * give the same pages; documents outside the fast reader's scope go to pdfjs; a
 * compression bomb is refused.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PdfError, readPdfPages } from '../src/ingest/pdf.js';
import { builtInCMap, readCharCode } from '../src/ingest/pdf-fast/cmaps.js';
import { parseToUnicode } from '../src/ingest/pdf-fast/fonts.js';
import { Lexer, Refused, Unsupported } from '../src/ingest/pdf-fast/lexer.js';
import { openFast } from '../src/ingest/pdf-fast/index.js';
import { damageCopy, mulberry32 } from '../scripts/hostile-gen.js';
import { SHARED } from './helpers.js';
import { buildPdf, flateStream, stream } from './pdf-fixtures.js';

const CORPUS = `${SHARED}/corpus/`;
const corpusPdfs = readdirSync(CORPUS).filter((f) => f.endsWith('.pdf')).sort();
/** corpus PDFs the fast reader leaves to pdfjs, and why (none at present) */
const LEFT_TO_PDFJS: Record<string, string> = {};

describe('fast reader on the corpus', () => {
  it('covers the corpus PDFs and gives pdfjs’s pages exactly', { timeout: 240_000 }, async () => {
    expect(corpusPdfs.length).toBeGreaterThanOrEqual(19);
    for (const f of corpusPdfs) {
      const bytes = new Uint8Array(readFileSync(CORPUS + f));
      const auto = await readPdfPages(bytes);
      const ref = await readPdfPages(bytes, { engine: 'pdfjs' });
      expect(auto.engine, f).toBe(f in LEFT_TO_PDFJS ? 'pdfjs' : 'fast');
      expect(auto.pageCount, f).toBe(ref.pageCount);
      expect(auto.textlessPages, f).toEqual(ref.textlessPages);
      expect(auto.pages, f).toEqual(ref.pages);
    }
  });
});

// ---------------------------------------------------------------------------
// generated documents

/** Widths for codes 32–126 (a proportional font). */
const WIDTHS = Array.from({ length: 95 }, (_, i) => 250 + ((i * 37) % 450)).join(' ');
/** A ToUnicode CMap for a two-byte font: codes 0x0001–0x0200 → U+4E00…, one bfrange crossing a 0xFF boundary, and bfchar digits. */
const TO_UNICODE = [
  '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
  '1 begincodespacerange <0000> <FFFF> endcodespacerange',
  '2 beginbfrange <0001> <0100> <4E00> <0101> <0103> [<002C> <002E> <FF08>] endbfrange',
  '12 beginbfchar <0110> <0030> <0111> <0031> <0112> <0032> <0113> <0033> <0114> <0034> <0115> <0035> <0116> <0036> <0117> <0037> <0118> <0038> <0119> <0039> <011A> <0020> <011B> <00A0> endbfchar',
  'endcmap CMapName currentdict /CMap defineresource pop end end',
].join('\n');

/**
 * A document with the two kinds of font the fast reader covers: /F1 a simple
 * TrueType font (WinAnsi, not embedded), /F2 a Type0 Identity-H font with the
 * ToUnicode above; `pages` are content streams; `/Fm` a form XObject.
 */
function fontDoc(pages: string[], form = 'BT /F1 10 Tf 5 5 Td (in a form) Tj ET 0 0 m 50 0 l S'): Uint8Array {
  const n = pages.length;
  const descriptor = 10 + 2 * n; // after the pages (10…) and their contents
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${10 + i} 0 R`).join(' ')}] /Count ${n} /Resources 3 0 R /MediaBox [0 0 400 300] >>`,
    '<< /Font << /F1 4 0 R /F2 5 0 R >> /XObject << /Fm 9 0 R >> /ExtGState << /G0 << /CA 1 >> >> >>',
    `<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar 32 /LastChar 126 /Widths [${WIDTHS}] /Encoding /WinAnsiEncoding /FontDescriptor 6 0 R >>`,
    '<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 8 0 R >>',
    '<< /Type /FontDescriptor /FontName /Arial /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>',
    `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${descriptor} 0 R /DW 1000 /W [272 [500 500 500 500 500 500 500 500 500 500 333 333]] >>`,
    flateStream(TO_UNICODE),
    stream(form, '/Type /XObject /Subtype /Form /BBox [0 0 200 100] /Matrix [1 0 0 1 30 40] '),
    ...pages.map((_, i) => `<< /Type /Page /Parent 2 0 R /Contents ${10 + n + i} 0 R >>`),
    ...pages.map((c) => flateStream(c)),
    `<< /Type /FontDescriptor /FontName /ABCDEF+SimSun /Flags 4 /FontBBox [0 -140 1000 860] /ItalicAngle 0 /Ascent 860 /Descent -140 /CapHeight 700 /StemV 80 /FontFile2 ${descriptor + 1} 0 R >>`,
    stream('not really a font'),
  ]);
}

/** Two-byte string of CIDs for /F2. */
const cid = (...codes: number[]) => '<' + codes.map((c) => c.toString(16).padStart(4, '0')).join('') + '>';
const digits = (s: string) => cid(...[...s].map((ch) => (ch === '.' ? 0x102 : ch === ',' ? 0x101 : 0x110 + Number(ch))));

async function sameBothWays(bytes: Uint8Array) {
  const auto = await readPdfPages(bytes, { rulingsOnEveryPage: true });
  const ref = await readPdfPages(bytes, { engine: 'pdfjs', rulingsOnEveryPage: true });
  expect(auto.engine).toBe('fast');
  expect(auto.pages).toEqual(ref.pages);
  return auto;
}

describe('fast reader on generated pages', () => {
  it('reads both font kinds, forms, rulings and text state like pdfjs', async () => {
    const doc = await sameBothWays(
      fontDoc([
        [
          'BT /F1 14 Tf 40 260 Td (Budget 2024: summary) Tj ET',
          'BT /F2 12 Tf 40 240 Td ' + cid(1, 2, 3, 0x11a, 4, 5) + ' Tj ET',
          'q 0.5 w 0 0 0 RG 40 220 m 360 220 l S 40 150 m 360 150 l S 40 150 m 40 220 l S 200 150 m 200 220 l S 360 150 m 360 220 l S Q',
          'BT /F2 10 Tf 45 200 Td ' + cid(6, 7) + " Tj 160 0 Td [" + digits('1,200.50') + '] TJ ET',
          'BT /F2 10 Tf 45 170 Td ' + cid(8, 9, 10) + ' Tj 160 0 Td ' + digits('300.00') + ' Tj ET',
          '/Fm Do',
          'BT /F1 9 Tf 2 Tc 1 Tw 90 Tz 40 120 Td (Spaced out words here) Tj ET',
          'BT /F1 9 Tf 40 100 Td [(Ker) -120 (ned) 30 (text) -600 (with a gap)] TJ ET',
          'BT /F1 9 Tf 12 TL 40 80 Td (line one) Tj T* (line two) Tj (line three) \' 2 0 (line four) " ET',
          'BT /F1 9 Tf 3 Ts 40 60 Td (raised) Tj 0 Ts ( and level) Tj ET',
          'BT /F1 9 Tf 0 1 -1 0 380 40 Tm (rotated text) Tj ET',
          '/G0 gs 1 1 1 rg 40 30 320 1 re f 0 0 0 rg 40 20 320 1 re f',
          '/P <</MCID 0>> BDC BT /F1 9 Tf 40 10 Td (marked) Tj ET EMC',
        ].join('\n'),
      ]),
    );
    const text = JSON.stringify(doc.pages);
    expect(text).toContain('Budget 2024: summary');
    expect(text).toContain('一丁');
    expect(text).toContain('1,200.50');
    expect(text).toContain('in a form');
  });

  it('gives pdfjs’s pages on random text-state programs', { timeout: 120_000 }, async () => {
    let seed = 20261129;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const num = (lo: number, hi: number, dp = 2) => (lo + rnd() * (hi - lo)).toFixed(dp);
    const words = ['Total', 'Staff', 'Rent', '2024', '1,234.56', 'a b', '  ', 'x', '(paren)', 'end.'];
    const esc = (s: string) => s.replace(/[()\\]/g, (c) => '\\' + c);
    const pages: string[] = [];
    for (let p = 0; p < 24; p++) {
      const ops: string[] = [];
      for (let k = 0; k < 40; k++) {
        const f = pick(['F1', 'F2']);
        const show = () =>
          f === 'F1'
            ? pick([`(${esc(pick(words))}) Tj`, `[(${esc(pick(words))}) ${num(-800, 300, 0)} (${esc(pick(words))})] TJ`, `(${esc(pick(words))}) '`])
            : pick([`${cid(1 + Math.floor(rnd() * 300), 1 + Math.floor(rnd() * 300))} Tj`, `${digits(num(0, 9999))} Tj`, `[${cid(5, 6)} ${num(-500, 500, 0)} ${digits('12.5')}] TJ`]);
        const body = [`/${f} ${pick(['9', '10.5', '12', '0.8'])} Tf`];
        if (rnd() < 0.3) body.push(`${num(0, 2)} Tc`);
        if (rnd() < 0.2) body.push(`${num(0, 4)} Tw`);
        if (rnd() < 0.15) body.push(`${num(50, 150, 0)} Tz`);
        if (rnd() < 0.15) body.push(`${num(-3, 3)} Ts`);
        if (rnd() < 0.2) body.push(`${num(8, 16)} TL`);
        body.push(rnd() < 0.2 ? `${num(0.5, 1.5)} 0 0 ${num(0.5, 1.5)} ${num(0, 380)} ${num(0, 290)} Tm` : `${num(0, 380)} ${num(0, 290)} Td`);
        for (let s = 0; s < 1 + Math.floor(rnd() * 4); s++) {
          body.push(show());
          if (rnd() < 0.4) body.push(pick([`${num(-20, 60)} ${num(-14, 2)} Td`, 'T*', `${num(2, 30)} 0 Td`]));
        }
        const bt = `BT ${body.join(' ')} ET`;
        ops.push(rnd() < 0.2 ? `q ${num(0.8, 1.2)} 0 0 ${num(0.8, 1.2)} ${num(-10, 10)} ${num(-10, 10)} cm ${bt} Q` : bt);
        if (rnd() < 0.1) ops.push('/Fm Do');
      }
      pages.push(ops.join('\n'));
    }
    await sameBothWays(fontDoc(pages));
  });
});

describe('fast reader scope and limits', () => {
  it('leaves fonts it does not cover to pdfjs, which reads them', async () => {
    // a non-embedded standard Type1 font: widths come from pdfjs's built-in metrics
    const bytes = buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
      stream('BT /F1 12 Tf 20 100 Td (Helvetica text) Tj ET'),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    ]);
    const doc = await readPdfPages(bytes);
    expect(doc.engine).toBe('pdfjs');
    expect(doc.pages[0]!.items).toMatchObject([{ kind: 'line', text: 'Helvetica text' }]);
    await expect(readPdfPages(bytes, { engine: 'fast' })).rejects.toThrow(PdfError);
  });

  it('refuses a compression bomb before inflating it', async () => {
    const bytes = buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R >>',
      flateStream(Buffer.alloc(80 * 1024 * 1024, 0x20)),
    ]);
    const before = process.memoryUsage().rss;
    await expect(readPdfPages(bytes)).rejects.toThrow(/refused: page 1: a stream inflates to more than 64 MB/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('parses ToUnicode CMaps as pdfjs does (bfrange carry, arrays, UTF-16)', () => {
    const map = parseToUnicode(new Uint8Array(Buffer.from('2 beginbfrange <00FE> <0101> <00FE> <0010> <0011> [<D83DDE00> <0041>] endbfrange 1 beginbfchar <0020> <0030> endbfchar', 'latin1')));
    // pdfjs's carry: after U+00FF the next destination is U+0100 (last byte wraps, the byte before it is incremented)
    expect([map.get(0xfe), map.get(0xff), map.get(0x100), map.get(0x101)]).toEqual(['þ', 'ÿ', 'Ā', 'ā']);
    expect(map.get(0x10)).toBe('😀');
    expect(map.get(0x11)).toBe('A');
    expect(map.get(0x20)).toBe('0');
  });

  it('decodes predefined CJK CMaps (a non-embedded GBK-EUC-H font, as in putuo-czj-2024-js-testerr)', async () => {
    const gbk = builtInCMap('GBK-EUC-H');
    const ucs2 = builtInCMap('Adobe-GB1-UCS2');
    // GBK 中 = D6 D0, then ASCII 'A' (one byte)
    const first = readCharCode(gbk, '\xd6\xd0A', 0);
    expect(first.length).toBe(2);
    const cidOf = gbk.map.get(first.code) as number;
    expect(ucs2.map.get(cidOf)).toBe('\x4e\x2d');
    expect(readCharCode(gbk, '\xd6\xd0A', 2).length).toBe(1);
    const doc = await readPdfPages(new Uint8Array(readFileSync(CORPUS + 'putuo-czj-2024-js-testerr.pdf')));
    expect(doc.engine).toBe('fast');
  });

  it('lexes numbers and strings like pdfjs', () => {
    const lx = new Lexer(new Uint8Array(Buffer.from('12.5 -.25 +3 (a\\(b\\)c\\101\\\r\nd) <48 65 6C6C 6F> /A#42', 'latin1')));
    expect([lx.next(), lx.next(), lx.next(), lx.next(), lx.next()]).toEqual([12.5, -0.25, 3, 'a(b)cAd', 'Hello']);
    expect((lx.next() as { name: string }).name).toBe('AB');
  });

  it('opens the corpus PDFs' + "'" + ' object structure (xref streams, object streams, page trees)', () => {
    for (const f of corpusPdfs.filter((f) => !(f in LEFT_TO_PDFJS))) {
      const doc = openFast(new Uint8Array(readFileSync(CORPUS + f)));
      expect(doc.pageCount, f).toBeGreaterThan(10);
    }
  });
});

describe('pdfjs fallback limits', () => {
  it('refuses a compression bomb in a document the fast reader leaves to pdfjs', async () => {
    const bytes = buildPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
      flateStream(Buffer.alloc(80 * 1024 * 1024, 0x20)),
      // a standard Type1 font without widths: outside the fast reader's scope
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]);
    const before = process.memoryUsage().rss;
    await expect(readPdfPages(bytes, { engine: 'pdfjs' })).rejects.toThrow(/refused: a stream inflates to more than 64 MB/);
    expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
  });
});

/**
 * The fast reader is new code reading untrusted bytes; pdfjs reads whatever it declines.
 * Damaged copies of the real corpus PDFs (WPS and Word exports: xref and object
 * streams, CID fonts) must be read, declined (Unsupported: pdfjs takes over) or refused
 * (a limit), never fail in another way (a TypeError would be a bug that the fallback
 * hides) and never take long. A run of 5,500 such cases (seeds 7 and 12345) found
 * nothing; this is a deterministic sample, damaged by the hostile generator's
 * damageCopy (as scripts/mutate-corpus.ts does) plus damaged PDF keywords.
 */
describe('fast reader on damaged corpus PDFs', () => {
  it('reads, declines or refuses each damaged copy, quickly', () => {
    const rnd = mulberry32(20261129);
    const ri = (n: number) => Math.floor(rnd() * n);
    const bases = corpusPdfs.map((f) => readFileSync(CORPUS + f));
    const KEYWORDS = ['obj', 'endobj', 'stream', 'endstream', 'xref', 'trailer', 'startxref', '/Length', '/Filter', '/W', '/Index', '/Prev', '/First', '/N ', '/Kids', '/Count', '/Contents', '/Font', '/ToUnicode', 'Tj', 'TJ', 'Tf', 'cm'];
    const outcomes = { read: 0, declined: 0, refused: 0 };
    const wrong: string[] = [];
    for (let i = 0; i < 400; i++) {
      const base = ri(bases.length);
      const [bytes, how] = damageCopy(bases[base]!, rnd, KEYWORDS);
      const t0 = performance.now();
      try {
        const doc = openFast(new Uint8Array(bytes));
        for (let n = 1; n <= doc.pageCount; n++) doc.page(n);
        outcomes.read++;
      } catch (e) {
        if (e instanceof Unsupported) outcomes.declined++;
        else if (e instanceof Refused) outcomes.refused++;
        else wrong.push(`${corpusPdfs[base]} (${how}): ${(e as Error).name}: ${(e as Error).message}`);
      }
      const ms = performance.now() - t0;
      if (ms > 5000) wrong.push(`${corpusPdfs[base]} (${how}): ${Math.round(ms)} ms`);
    }
    expect(wrong).toEqual([]);
    // both paths are exercised: damage the reader copes with, and damage it leaves to pdfjs
    expect(outcomes.read).toBeGreaterThan(20);
    expect(outcomes.declined).toBeGreaterThan(200);
  }, 120_000);
});
