import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Cell } from '../src/model.js';
import type { PageContent, PageItem } from '../src/ingest/layout.js';
import { blocksFromPages } from '../src/ingest/layout.js';
import { PdfError, readPdfPages, type PdfPages } from '../src/ingest/pdf.js';
import { buildGrids, gridRows, assignItems, splitStackedRows, splitStraddlers, type TItem } from '../src/ingest/pdf-grid.js';
import { readingOrderLines } from '../src/ingest/pdf-lines.js';
import { findUnruledTables } from '../src/ingest/pdf-unruled.js';
import { buildPdf, flateStream, stream } from './pdf-fixtures.js';

// captured before the first read loads pdfjs (whose legacy build replaces them)
const NATIVES = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify };

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
if (!existsSync(CORPUS)) throw new Error(`corpus directory missing: ${CORPUS} (tests read the real PDFs; they must not be skipped)`);

const bytesOf = (name: string) => {
  const p = CORPUS + name;
  if (!existsSync(p)) throw new Error(`corpus file missing: ${p}`);
  return new Uint8Array(readFileSync(p));
};

const cache = new Map<string, Promise<PdfPages>>();
const read = (name: string) => {
  let p = cache.get(name);
  if (!p) cache.set(name, (p = readPdfPages(bytesOf(name))));
  return p;
};

type TableItem = Extract<PageItem, { kind: 'table' }>;
interface Found extends TableItem {
  page: number;
}

function tables(doc: PdfPages): Found[] {
  return doc.pages.flatMap((p) => p.items.filter((i): i is TableItem => i.kind === 'table').map((t) => ({ ...t, page: p.page })));
}

function tableByCaption(doc: PdfPages, title: string): Found {
  const t = tables(doc).find((t) => t.caption?.some((c) => c.includes(title)));
  if (!t) throw new Error(`no table captioned ${title}; captions: ${JSON.stringify(tables(doc).map((t) => t.caption))}`);
  return t;
}

const texts = (row: Cell[]) => row.map((c) => c.text);
const rowWith = (t: TableItem, label: string) => t.rows.find((r) => r.some((c) => c.text === label));

/** Rebuild the full grid from top-left cells; throws when cells overlap or rows do not fill the same width. */
function expand(rows: Cell[][]): (Cell | null)[][] {
  const grid: (Cell | null | undefined)[][] = rows.map(() => []);
  const covered: boolean[][] = rows.map(() => []);
  rows.forEach((row, r) => {
    let c = 0;
    for (const cell of row) {
      while (covered[r]![c]) c++;
      for (let dr = 0; dr < cell.rowSpan; dr++)
        for (let dc = 0; dc < cell.colSpan; dc++) {
          if (r + dr >= rows.length) throw new Error(`rowSpan runs past the table at row ${r}`);
          if (covered[r + dr]![c + dc]) throw new Error(`overlap at ${r + dr},${c + dc}`);
          covered[r + dr]![c + dc] = true;
          grid[r + dr]![c + dc] = dr === 0 && dc === 0 ? cell : null;
        }
      c += cell.colSpan;
    }
  });
  const width = Math.max(...covered.map((r) => r.length));
  covered.forEach((r, i) => {
    for (let c = 0; c < width; c++) if (!r[c]) throw new Error(`hole at ${i},${c} (width ${width})`);
  });
  return grid as (Cell | null)[][];
}

const lines = (p: PageContent) => p.items.filter((i): i is Extract<PageItem, { kind: 'line' }> => i.kind === 'line').map((l) => l.text);

describe('readPdfPages on the corpus', () => {
  it('putuo-czj-2024-js (ONLYOFFICE): 收入支出决算总表 across pages 6–7', async () => {
    const doc = await read('putuo-czj-2024-js.pdf');
    expect(doc.pageCount).toBe(25);
    const t = tableByCaption(doc, '收入支出决算总表');
    expect(t.page).toBe(6);
    expect(t.pages).toEqual([6, 7]);
    expect(t.aligned).toBe(true);
    expect(t.caption).toEqual(['收入支出决算总表', '单位：万元']);
    // header: 收入 and 支出 each span two columns
    expect(t.rows[0]!.map((c) => [c.text, c.colSpan])).toEqual([
      ['收入', 2],
      ['支出', 2],
    ]);
    expect(texts(t.rows[1]!)).toEqual(['项目', '决算数', '项目', '决算数']);
    expect(texts(rowWith(t, '本年收入合计')!)).toEqual(['本年收入合计', '2,946.25', '本年支出合计', '2,940.05']);
    expect(texts(rowWith(t, '一、一般公共预算财政拨款收入')!)).toEqual(['一、一般公共预算财政拨款收入', '2,940.05', '一、一般公共服务支出', '2,106.66']);
    const total = rowWith(t, '总计')!;
    expect(texts(total)).toEqual(['总计', '2,995.39', '总计', '2,995.39']);
    expect(total[0]!.page).toBe(7);
    expect(texts(rowWith(t, '年初结转和结余')!)).toEqual(['年初结转和结余', '49.14', '年末结转和结余', '55.34']);
    expect(t.rows.length).toBe(32);
    expect(expand(t.rows)[0]!.length).toBe(4);
    // text inside the grid is not repeated as lines; the caption is
    const p6 = doc.pages[5]!;
    expect(lines(p6).some((l) => l.includes('2,946.25'))).toBe(false);
    expect(lines(p6)).toContain('收入支出决算总表');
    // the table sits after its caption lines in page order
    const idx = p6.items.findIndex((i) => i.kind === 'table');
    expect(p6.items.slice(0, idx).some((i) => i.kind === 'line' && i.text === '单位：万元')).toBe(true);
    // page 7 holds nothing but the continuation
    expect(doc.pages[6]!.items.filter((i) => i.kind === 'table')).toHaveLength(0);
    expect(lines(doc.pages[6]!).join('')).not.toContain('2,995.39');
  });

  it('putuo-czj-2024-js: 支出决算表 and 一般公共预算财政拨款支出决算表 rows with merged header cells', async () => {
    const doc = await read('putuo-czj-2024-js.pdf');
    const exp = tableByCaption(doc, '一般公共预算财政拨款支出决算表');
    expect(exp.page).toBe(15);
    expect(texts(rowWith(exp, '行政运行')!)).toEqual(['201', '06', '01', '行政运行', '1,511.89', '1,503.52', '8.37']);
    const spend = tableByCaption(doc, '支出决算表');
    expect(spend.page).toBe(10);
    expect(spend.pages).toEqual([10, 11]);
    const head = spend.rows[0]!;
    expect(head[0]).toMatchObject({ text: '项目', colSpan: 4, rowSpan: 1 });
    expect(head[1]).toMatchObject({ text: '本年支出合计', rowSpan: 3, colSpan: 1 });
    expect(texts(rowWith(spend, '住房公积金')!)).toEqual(['221', '02', '01', '住房公积金', '187.19', '187.19', '', '', '', '']);
    const income = tableByCaption(doc, '收入决算表');
    expect(texts(rowWith(income, '行政运行')!).slice(0, 6)).toEqual(['201', '06', '01', '行政运行', '1,511.90', '1,511.89']);
    // every table of the file rebuilds into a full rectangle
    for (const t of tables(doc)) expect(() => expand(t.rows)).not.toThrow();
    // ten grids: the unit list on page 5 and the nine standard tables
    expect(tables(doc).map((t) => t.page)).toEqual([5, 6, 8, 10, 12, 15, 16, 18, 19, 20]);
  });

  it('putuo-wanli-2025-bmys (WPS, 元): 一般公共预算支出功能分类预算表 merged over pages 20–24', async () => {
    const doc = await read('putuo-wanli-2025-bmys.pdf');
    expect(doc.pageCount).toBe(31);
    const t = tableByCaption(doc, '2025年部门一般公共预算支出功能分类预算表');
    expect(t.page).toBe(20);
    expect(t.pages).toEqual([20, 21, 22, 23, 24]);
    expect(t.caption).toEqual(['2025年部门一般公共预算支出功能分类预算表', '编制部门：上海市普陀区人民政府万里街道办事处 单位：元']);
    const data = t.rows.filter((r) => /^\d{3}$/.test(r[0]?.text ?? ''));
    expect(data.length).toBeGreaterThanOrEqual(66);
    // repeated header rows of pages 21–24 were dropped
    expect(t.rows.filter((r) => r.some((c) => c.text === '功能分类科目编码'))).toHaveLength(1);
    expect(t.rows.filter((r) => texts(r).join('|') === '类|款|项')).toHaveLength(1);
    expect(texts(data.find((r) => r[3]?.text === '行政运行')!)).toEqual(['212', '01', '01', '行政运行', '17,887,739', '17,737,739', '150,000']);
    expect(texts(data[0]!)).toEqual(['201', '', '', '一般公共服务支出', '3,296,600', '0', '3,296,600']);
    const total = t.rows[t.rows.length - 1]!;
    expect(total.map((c) => [c.text, c.colSpan])).toEqual([
      ['合计', 4],
      ['189,767,551', 1],
      ['101,341,746', 1],
      ['88,425,805', 1],
    ]);
    expect(total[0]!.page).toBe(24);
    for (let p = 21; p <= 24; p++) expect(doc.pages[p - 1]!.items.filter((i) => i.kind === 'table')).toHaveLength(0);
    const g = expand(t.rows);
    expect(g.every((r) => r.length === 7)).toBe(true);
    // the 收支预算总表 on page 19 has the 元 amounts too
    const sum = tableByCaption(doc, '2025年部门财政拨款收支预算总表');
    expect(texts(rowWith(sum, '收入总计')!)).toEqual(['收入总计', '189,767,551', '支出总计', '189,767,551', '189,767,551', '', '']);
  });

  it('js-rdbgt-2019-bmys-tables (Acrobat Distiller, A3): twelve 公开表', async () => {
    const doc = await read('js-rdbgt-2019-bmys-tables.pdf');
    expect(doc.pageCount).toBe(13);
    const all = tables(doc);
    expect(all).toHaveLength(12);
    expect(all.every((t) => t.caption?.some((c) => /^公开表[一二三四五六七八九十]+$/.test(c)))).toBe(true);
    const t5 = tableByCaption(doc, '财政拨款支出预算表（功能科目）');
    expect(texts(t5.rows[0]!)).toEqual(['功能科目编码', '功能科目名称', '金额']);
    expect(t5.rows[1]!.map((c) => [c.text, c.colSpan])).toEqual([
      ['合计', 2],
      ['18,330.37', 1],
    ]);
    expect(texts(rowWith(t5, '行政运行')!)).toEqual(['2010101', '行政运行', '7,448.20']);
    expect(texts(rowWith(t5, '人大会议')!)).toEqual(['2010104', '人大会议', '1,469.73']);
    const t3 = tableByCaption(doc, '支出预算总表');
    expect(t3.rows.map(texts)).toEqual([
      ['合计', '基本支出', '项目支出', '单位预留机动经费', '结转下年资金'],
      ['18,330.37', '9,312.90', '6,459.58', '2,557.89', ''],
    ]);
    const t2 = tableByCaption(doc, '收入预算总表');
    expect(rowWith(t2, '一般公共预算资金')![0]).toMatchObject({ rowSpan: 3, colSpan: 1 });
    expect(texts(rowWith(t2, '收入总计')!)).toEqual(['收入总计', '18,330.37']);
    const procurement = tableByCaption(doc, '2019年政府采购预算表');
    expect(procurement.pages).toEqual([12, 13]);
  });

  it('sichuan-zwfw-2020-js (LibreOffice, 40 pages): narrative lines and 评分表 grids', async () => {
    const doc = await read('sichuan-zwfw-2020-js.pdf');
    expect(doc.pageCount).toBe(40);
    expect(doc.textlessPages).toEqual([]);
    const t = tableByCaption(doc, '窗口奖励金项目评分表');
    expect(t.page).toBe(27);
    expect(t.pages).toEqual([27, 28]);
    expect(texts(t.rows[0]!)).toEqual(['一级指标', '二级指标', '三级指标', '计分规则', '分值', '得分', '评分说明']);
    expect(texts(t.rows[t.rows.length - 1]!)).toEqual(['合计', '', '', '', '100', '100', '']);
    expect(lines(doc.pages[19]!)).toContain('第三部分名词解释');
    expect(lines(doc.pages[19]!)).toContain('1.财政拨款收入：指单位从同级财政部门取得的财政预算资金。');
    for (const x of tables(doc)) expect(() => expand(x.rows)).not.toThrow();
  });

  it('Jiangsu narrative file: lines in reading order, page-number footer last, no grids', async () => {
    const doc = await read('js-rdbgt-2019-bmys.pdf');
    expect(doc.pageCount).toBe(19);
    expect(tables(doc)).toHaveLength(0);
    const p3 = lines(doc.pages[2]!);
    expect(p3[p3.length - 1]).toMatch(/^\s*[-─—]\s*1\s*[-─—]\s*$/);
    expect(p3[p3.length - 2]).toBe('（九）撤销本级人民政府的不适当的决定和命令；');
    expect(lines(doc.pages[1]!).slice(-2)).toEqual(['第三部分 2019年度部门预算情况说明', '第四部分 名词解释']);
  });

  it('textless pages are reported', async () => {
    const doc = await read('putuo-czj-2024-js.pdf');
    expect(doc.textlessPages).toEqual([14]);
    const rd = await read('js-rdbgt-2017-bmys.pdf');
    expect(rd.textlessPages).toContain(31);
  });

  it('feeds blocksFromPages', async () => {
    const doc = await read('putuo-wanli-2025-bmys.pdf');
    const blocks = blocksFromPages('putuo-wanli-2025-bmys.pdf', doc.pages);
    const tb = blocks.filter((b) => b.kind === 'table');
    // nine tables; the 支出预算总表 runs over pages 14–18 (page 18 holds only its 合计 row, whose grid lacks the inner code rules)
    expect(tb.length).toBe(9);
    const sp = tb.find((b) => b.kind === 'table' && b.caption?.[0] === '2025年部门支出预算总表');
    expect(sp && sp.kind === 'table' && sp.pages).toEqual([14, 15, 16, 17, 18]);
    expect(sp && sp.kind === 'table' && sp.rows[sp.rows.length - 1]!.map((c) => [c.text, c.colSpan, c.page])).toEqual([
      ['合计', 4, 18],
      ['189,767,551', 1, 18],
      ['101,341,746', 1, 18],
      ['88,425,805', 1, 18],
    ]);
    const fn = tb.find((b) => b.kind === 'table' && b.caption?.[0] === '2025年部门一般公共预算支出功能分类预算表');
    expect(fn && fn.kind === 'table' && fn.pages).toEqual([20, 21, 22, 23, 24]);
  });
});

// ---------------------------------------------------------------------------

/** A minimal PDF whose trailer has a standard-security /Encrypt dictionary (RC4 40-bit, non-empty user password). */
function encryptedPdf(): Uint8Array {
  return buildPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
      stream('(x) Tj'),
      `<< /Filter /Standard /V 1 /R 2 /O <${'6f'.repeat(32)}> /U <${'75'.repeat(32)}> /P -44 >>`,
    ],
    `/Encrypt 5 0 R /ID [<${'ab'.repeat(16)}> <${'ab'.repeat(16)}>] `,
  );
}

/**
 * A one-page PDF with a ruled 4×3 table in Helvetica, drawn in a 300×200 landscape
 * frame. `cm` places that frame on the page: identity for an upright landscape
 * page, or a 90° rotation onto a portrait page (content drawn sideways, no /Rotate).
 */
function tablePdf(cm: string, w: number, h: number, content: 'plain' | 'flate' | 'flate-no-checksum' = 'plain'): Uint8Array {
  const rows = [
    ['Item', '2023', '2024'],
    ['Staff', '1,200.50', '1,300.00'],
    ['Rent', '300.00', '310.25'],
    ['Total', '1,500.50', '1,610.25'],
  ];
  const xs = [40, 120, 190, 260];
  let c = `q ${cm} cm 0.5 w 0 0 0 RG\n`;
  for (const y of [150, 125, 100, 75, 50]) c += `${xs[0]} ${y} m ${xs[3]} ${y} l S\n`;
  for (const x of xs) c += `${x} 50 m ${x} 150 l S\n`;
  c += 'BT /F1 12 Tf 40 170 Td (Table 1 Budget) Tj ET\n';
  rows.forEach((r, i) => r.forEach((t, j) => (c += `BT /F1 9 Tf ${xs[j]! + 5} ${150 - 25 * i - 16} Td (${t}) Tj ET\n`)));
  c += 'BT /F1 9 Tf 40 30 Td (Note below the table) Tj ET\nQ';
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
    content === 'plain' ? stream(c) : flateStream(c, { damaged: content === 'flate-no-checksum' }),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ]);
}

describe('generated PDFs', () => {
  const expected = [
    ['Item', '2023', '2024'],
    ['Staff', '1,200.50', '1,300.00'],
    ['Rent', '300.00', '310.25'],
    ['Total', '1,500.50', '1,610.25'],
  ];
  it('reads a ruled table, with its caption and the lines around it in order', async () => {
    const doc = await readPdfPages(tablePdf('1 0 0 1 0 0', 300, 200));
    expect(doc.pageCount).toBe(1);
    const items = doc.pages[0]!.items;
    expect(items.map((i) => i.kind)).toEqual(['line', 'table', 'line']);
    const t = items[1] as TableItem;
    expect(t.rows.map(texts)).toEqual(expected);
    expect(t.caption).toEqual(['Table 1 Budget']);
    expect(items[2]).toMatchObject({ kind: 'line', text: 'Note below the table' });
  });

  it('un-rotates content drawn sideways on a portrait page', async () => {
    const doc = await readPdfPages(tablePdf('0 1 -1 0 200 0', 200, 300));
    const items = doc.pages[0]!.items;
    expect(items.map((i) => i.kind)).toEqual(['line', 'table', 'line']);
    expect((items[1] as TableItem).rows.map(texts)).toEqual(expected);
  });
});

describe('pdfjs runtime (one per thread)', () => {
  it('puts back the natives the legacy build replaces with slow polyfills', async () => {
    await readPdfPages(tablePdf('1 0 0 1 0 0', 300, 200));
    expect(Array.prototype.push).toBe(NATIVES.push);
    expect(JSON.parse).toBe(NATIVES.parse);
    expect(JSON.stringify).toBe(NATIVES.stringify);
  });

  it('reads flate-compressed content, and a damaged stream through pdfjs own inflater', async () => {
    const plain = await readPdfPages(tablePdf('1 0 0 1 0 0', 300, 200));
    expect(await readPdfPages(tablePdf('1 0 0 1 0 0', 300, 200, 'flate'))).toEqual(plain);
    expect(await readPdfPages(tablePdf('1 0 0 1 0 0', 300, 200, 'flate-no-checksum'))).toEqual(plain);
  });

  it('its synchronous DecompressionStream is a working stream that errors on bad input', async () => {
    await readPdfPages(tablePdf('1 0 0 1 0 0', 300, 200));
    const text = 'budget 预算 '.repeat(500);
    const inflate = async (format: 'deflate' | 'gzip', bytes: Uint8Array) => {
      const ds = new DecompressionStream(format);
      const writer = ds.writable.getWriter();
      void writer.write(bytes).then(() => writer.close()).catch(() => undefined);
      const parts: Uint8Array[] = [];
      for await (const part of ds.readable as unknown as AsyncIterable<Uint8Array>) parts.push(part);
      return Buffer.concat(parts).toString('utf8');
    };
    expect(await inflate('deflate', new Uint8Array(deflateSync(text)))).toBe(text);
    expect(await inflate('gzip', new Uint8Array(gzipSync(text)))).toBe(text);
    await expect(inflate('deflate', new Uint8Array(Buffer.from('not zlib data')))).rejects.toThrow();
  });

  it('reads documents concurrently with the same result as one at a time', async () => {
    const names = ['js-rdbgt-2019-bmys-tables.pdf', 'putuo-sfj-2026-dwys.pdf', 'js-swbgt-2019-bmys.pdf'];
    const oneByOne: PdfPages[] = [];
    for (const n of names) oneByOne.push(await readPdfPages(bytesOf(n)));
    const together = await Promise.all(names.map((n) => readPdfPages(bytesOf(n))));
    expect(together).toEqual(oneByOne);
    // a failing document in the mix does not disturb the others
    const mixed = await Promise.allSettled([readPdfPages(bytesOf(names[0]!)), readPdfPages(encryptedPdf()), readPdfPages(bytesOf(names[1]!))]);
    expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(mixed[0]!.status === 'fulfilled' && mixed[0]!.value).toEqual(oneByOne[0]);
    expect(mixed[2]!.status === 'fulfilled' && mixed[2]!.value).toEqual(oneByOne[1]);
  });
});

describe('readPdfPages errors', () => {
  const expectPdfError = async (bytes: Uint8Array, re: RegExp) => {
    const err = await readPdfPages(bytes).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PdfError);
    const msg = (err as PdfError).message;
    expect(msg).toMatch(re);
    expect(msg).not.toMatch(/[\r\n]/);
    return msg;
  };

  it('non-PDF bytes', async () => {
    expect(await expectPdfError(new Uint8Array(Buffer.from('<html><head><title>404</title></head></html>')), /^not a PDF \(starts with <html>/)).toBe(
      'not a PDF (starts with <html>)',
    );
    await expectPdfError(new Uint8Array(0), /^not a PDF/);
    await expectPdfError(new Uint8Array(Buffer.from('PK\u0003\u0004 docx zip')), /^not a PDF/);
  });

  it('truncated PDF', async () => {
    const full = bytesOf('putuo-wanli-2025-bmys.pdf');
    await expectPdfError(full.slice(0, Math.floor(full.length / 2)), /^truncated or corrupt PDF: /);
    // middle cut out, trailer kept
    const spliced = new Uint8Array([...full.slice(0, 60_000), ...full.slice(full.length - 1500)]);
    await expectPdfError(spliced, /^truncated or corrupt PDF: /);
    await expectPdfError(new Uint8Array(Buffer.from('%PDF-1.7\ngarbage\n%%EOF\n')), /^truncated or corrupt PDF: /);
  });

  it('encrypted PDF with a user password', async () => {
    expect(await expectPdfError(encryptedPdf(), /encrypted/)).toBe('encrypted PDF (password required)');
  });

  it('the caller keeps its bytes (pdfjs gets a copy)', async () => {
    const b = bytesOf('js-rdbgt-2019-bmys-tables.pdf');
    const n = b.byteLength;
    await readPdfPages(b);
    expect(b.byteLength).toBe(n);
  });
});

describe('grid building on synthetic rulings', () => {
  // a 3×3 grid, x 0..300 by 100, y 0..60 by 20; header row: the first two columns merged;
  // left column: rows 1–2 merged
  const h = [
    { y: 0, x1: 0, x2: 300 },
    { y: 20, x1: 0, x2: 300 },
    { y: 40, x1: 100, x2: 300 }, // missing under the left column → rowSpan 2
    { y: 60, x1: 0, x2: 300 },
  ];
  const v = [
    { x: 0, y1: 0, y2: 60 },
    { x: 100, y1: 20, y2: 60 }, // missing in the header → colSpan 2
    { x: 200, y1: 0, y2: 60 },
    { x: 300, y1: 0, y2: 60 },
  ];
  it('finds merged cells and keeps one cell per top-left position', () => {
    const grids = buildGrids({ h, v });
    expect(grids).toHaveLength(1);
    const items: TItem[] = [
      { str: '项目', x: 80, y: 15, w: 20, size: 10 },
      { str: '金额', x: 230, y: 15, w: 20, size: 10 },
      { str: '一般', x: 10, y: 45, w: 20, size: 10 },
      { str: '公共', x: 10, y: 47 + 10, w: 20, size: 10 },
      // one pdfjs run straddling the rule at x = 200
      { str: '1,234.50 合计', x: 155, y: 35, w: 65, size: 10 },
      { str: 'outside', x: 10, y: 90, w: 30, size: 10 },
    ];
    const rest = assignItems(splitStraddlers(items, grids), grids);
    expect(rest.map((i) => i.str)).toEqual(['outside']);
    const { rows } = gridRows(grids[0]!, 1);
    expect(rows.map((r) => r.map((c) => [c.text, c.rowSpan, c.colSpan]))).toEqual([
      [
        ['项目', 1, 2],
        ['金额', 1, 1],
      ],
      [
        ['一般公共', 2, 1],
        ['1,234.50', 1, 1],
        ['合计', 1, 1],
      ],
      [
        ['', 1, 1],
        ['', 1, 1],
      ],
    ]);
    expect(() => expand(rows)).not.toThrow();
  });

  it('adds a synthetic bottom rule when the verticals run past the last horizontal (page break)', () => {
    const grids = buildGrids({
      h: [
        { y: 0, x1: 0, x2: 200 },
        { y: 20, x1: 0, x2: 200 },
      ],
      v: [0, 100, 200].map((x) => ({ x, y1: 0, y2: 40 })),
    });
    expect(grids).toHaveLength(1);
    expect(grids[0]!.ys).toEqual([0, 20, 40]);
  });

  // a label column and an amount column; the rule between the last two rows was lost
  const lostRule = () =>
    buildGrids({
      h: [0, 20, 60].map((y) => ({ y, x1: 0, x2: 300 })),
      v: [0, 100, 300].map((x) => ({ x, y1: 0, y2: 60 })),
    });
  it('cuts a row whose amount cell holds two numbers stacked (a row rule lost in a scan)', () => {
    const grids = lostRule();
    const items: TItem[] = [
      { str: '项目', x: 10, y: 15, w: 20, size: 10 },
      { str: 'C-服务', x: 10, y: 35, w: 30, size: 10 },
      { str: '4,749.949530', x: 230, y: 34, w: 60, size: 10 },
      { str: '合计', x: 40, y: 55, w: 20, size: 10 },
      { str: '4,988.729130', x: 230, y: 55, w: 60, size: 10 },
    ];
    assignItems(items, grids);
    splitStackedRows(grids[0]!);
    expect(gridRows(grids[0]!, 1).rows.map((r) => r.map((c) => c.text))).toEqual([['项目', ''], ['C-服务', '4,749.949530'], ['合计', '4,988.729130']]);
  });
  it('leaves a number that wraps in a narrow cell as one cell', () => {
    const grids = buildGrids({
      h: [0, 20, 60].map((y) => ({ y, x1: 0, x2: 140 })),
      v: [0, 100, 140].map((x) => ({ x, y1: 0, y2: 60 })),
    });
    const items: TItem[] = [
      { str: '支出合计', x: 10, y: 45, w: 40, size: 10 },
      { str: '24995.9', x: 102, y: 35, w: 36, size: 10 },
      { str: '4', x: 133, y: 55, w: 5, size: 10 },
    ];
    assignItems(items, grids);
    splitStackedRows(grids[0]!);
    expect(gridRows(grids[0]!, 1).rows.map((r) => r.map((c) => c.text))).toEqual([['', ''], ['支出合计', '24995.9 4']]);
  });
  it('leaves a wrapped number whose last line is a remnant as one cell, however wide the cell', () => {
    const grids = lostRule();
    const items: TItem[] = [
      { str: '合计', x: 10, y: 45, w: 20, size: 10 },
      { str: '3800.0', x: 255, y: 35, w: 30, size: 10 },
      { str: '0', x: 280, y: 55, w: 5, size: 10 },
    ];
    assignItems(items, grids);
    splitStackedRows(grids[0]!);
    expect(gridRows(grids[0]!, 1).rows.map((r) => r.map((c) => c.text))).toEqual([['', ''], ['合计', '3800.0 0']]);
  });

  it('ignores a lone frame', () => {
    expect(
      buildGrids({
        h: [
          { y: 0, x1: 0, x2: 500 },
          { y: 800, x1: 0, x2: 500 },
        ],
        v: [
          { x: 0, y1: 0, y2: 800 },
          { x: 500, y1: 0, y2: 800 },
        ],
      }),
    ).toHaveLength(0);
  });
});

describe('reading order and unruled tables on synthetic items', () => {
  const W = 600;
  const line = (str: string, x: number, y: number, w: number): TItem => ({ str, x, y, w, size: 10 });

  it('reads a two-column band column by column, full-width lines in place', () => {
    const items: TItem[] = [line('两栏排版的标题横跨整个页面宽度', 100, 40, 400)];
    for (let i = 0; i < 12; i++) {
      items.push(line(`左栏第${i + 1}行正文内容排满本栏宽度为止`, 50, 80 + i * 16, 240));
      items.push(line(`右栏第${i + 1}行正文内容排满本栏宽度为止`, 310, 84 + i * 16, 240));
    }
    items.push(line('页面底部的通栏说明文字同样横跨两栏', 100, 400, 400));
    const out = readingOrderLines(items, W).map((l) => l.text);
    expect(out[0]).toBe('两栏排版的标题横跨整个页面宽度');
    expect(out.slice(1, 13)).toEqual(Array.from({ length: 12 }, (_, i) => `左栏第${i + 1}行正文内容排满本栏宽度为止`));
    expect(out.slice(13, 25)).toEqual(Array.from({ length: 12 }, (_, i) => `右栏第${i + 1}行正文内容排满本栏宽度为止`));
    expect(out[25]).toBe('页面底部的通栏说明文字同样横跨两栏');
    // sort keys keep the band between the two full-width lines
    const ys = readingOrderLines(items, W).map((l) => l.y);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
  });

  it('keeps key/value lines (ragged left parts) in top-to-bottom order, tab-separated', () => {
    const items: TItem[] = [];
    for (let i = 0; i < 12; i++) {
      items.push(line('项目' + '名'.repeat(i % 4), 50, 80 + i * 16, 20 + (i % 4) * 10));
      items.push(line(`${i + 1},000.00`, 310, 80 + i * 16, 40));
    }
    const out = readingOrderLines(items, W).map((l) => l.text);
    expect(out[0]).toBe('项目\t1,000.00');
    expect(out[1]).toBe('项目名\t2,000.00');
  });

  it('detects aligned numeric columns without rulings', () => {
    const items: TItem[] = [line('narrative 收入 2,946.25 万元，增长 3.5%，支出 2,940.05 万元。', 50, 40, 450)];
    const rowsIn = [
      ['一、一般公共预算', '2,940.05', '2,106.66', '833.39'],
      ['二、政府性基金', '', '', ''],
      ['三、其他收入', '6.20', '0.00', '6.20'],
      ['合计', '2,946.25', '2,106.66', '839.59'],
    ];
    rowsIn.forEach((r, i) => {
      const y = 80 + i * 18;
      items.push(line(r[0]!, 50, y, r[0]!.length * 10));
      // right-aligned numbers ending at 300, 400, 500
      [300, 400, 500].forEach((right, k) => {
        const s = r[k + 1]!;
        if (s) items.push(line(s, right - s.length * 5, y, s.length * 5));
      });
    });
    const { tables, rest } = findUnruledTables(items, 3);
    expect(rest.map((i) => i.str)).toEqual([items[0]!.str]);
    expect(tables).toHaveLength(1);
    expect(tables[0]!.rows.map((r) => r.map((c) => c.text))).toEqual(rowsIn);
    expect(tables[0]!.rows.every((r) => r.every((c) => c.page === 3 && c.colSpan === 1))).toBe(true);
  });
});

describe('paragraphs from line geometry', () => {
  const line = (text: string, x0: number, x1: number, size = 15) => ({ kind: 'line' as const, text, x0, x1, size });
  it('joins lines that reach the right margin, however spaced, and keeps a larger centred title apart', () => {
    const blocks = blocksFromPages('g.pdf', [{ page: 1, items: [
      line('第二部分 部门预算收支总体情况', 132, 462, 22),
      line('2026年深圳市统计局（本级）部门预算收入5,417.80万元，', 118, 521),
      line('较2025年年初预算增加206.09万元，增长4.0%。2026年深圳', 88, 507),
      // letter-spaced to fill the line: its characters count wide, its right edge is the margin
      line('55.78% ； 货 物 采 购 授 予 中 小 企 业 合 同 金额 占 货 物 支 出 金 额 的', 88, 507),
      line('9.16%，服务采购授予中小企业合同金额占服务支出金额的90.84%。', 88, 400),
      line('预算收支增加主要原因说明：1.落实零基预算改革要求，', 118, 506),
      line('打破“基数”观念，根据年度任务安排支出。', 88, 340),
    ] }]);
    expect(blocks.map((b) => [b.kind, b.kind === 'paragraph' || b.kind === 'heading' ? b.text.slice(0, 12) : ''])).toEqual([
      ['heading', '第二部分部门预算收支总体'],
      ['paragraph', '2026年深圳市统计局（'],
      ['paragraph', '预算收支增加主要原因说明'],
    ]);
  });
  it('a ragged-right line is wrapped when what starts the next line would not have fitted', () => {
    const blocks = blocksFromPages('g.pdf', [{ page: 1, items: [
      line('2020年度收、支总计8197.23万元。与2019年相比，收、支总计各增加788.78万元，增长', 57, 530, 12),
      line('10.64%。主要变动原因是一般公开财政拨款预算收入和年初结转结余增加，一般公共服务支出增', 57, 562, 12),
      line('加。', 57, 81, 12),
      line('2020年本年收入合计7865.6万元，其中：一般公共预算财政拨款收入7734.75万元，占98.3', 57, 564, 12),
    ] }]);
    expect(blocks.map((b) => (b.kind === 'paragraph' ? b.text.slice(-8) : b.kind))).toEqual(['共服务支出增加。', '万元，占98.3']);
  });
});
