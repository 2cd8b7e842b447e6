import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { expandGrid, keyedTables } from '../parsers/tables/grid.js';
import { readDisclosure, toExtractJson } from '../src/extract.js';
import { compareWithGold, describeComparison, loadGold } from '../src/gold.js';
import { readBytes, readDocument } from '../src/ingest/index.js';
import type { Block, ChartBlock, Document, TableBlock } from '../src/model.js';
import { Document as DocumentSchema } from '../src/model.js';
import { corpus, gold } from './helpers.js';
import { makeDocx, NUMBERING_XML, wc, wnum, wp, wr, wtbl } from './office-fixtures.js';

const texts = (blocks: Block[]) => blocks.filter((b) => b.kind === 'paragraph' || b.kind === 'heading').map((b) => (b as { text: string }).text);
const tablesOf = (d: Document) => d.blocks.filter((b): b is TableBlock => b.kind === 'table');
const enc = (s: string) => new TextEncoder().encode(s);

/** GBK/GB18030 bytes for a string (two-byte codes only, ASCII as is), built from the decoder: no encoder dependency. */
const GBK_TABLE = (() => {
  const m = new Map<string, [number, number]>();
  const d = new TextDecoder('gb18030');
  for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x40; b <= 0xfe; b++) if (b !== 0x7f) m.set(d.decode(new Uint8Array([a, b])), [a, b]);
  return m;
})();
function gbk(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else out.push(...GBK_TABLE.get(ch)!);
  }
  return new Uint8Array(out);
}

describe('sichuan-zwfw-2020-js: the .txt, .docx and .pdf give the gold facts and line items', async () => {
  const g = loadGold(gold('sichuan-zwfw-2020-js.json'));
  for (const name of ['sichuan-zwfw-2020-js.txt', 'sichuan-zwfw-2020-js.docx', 'sichuan-zwfw-2020-js.pdf']) {
    const j = toExtractJson(await readDisclosure([corpus(name)]));
    const c = compareWithGold(g, j);
    console.log(`${name}: ${describeComparison(c)}`);
    it(`${name}: meta, every fact, every line item`, () => {
      expect(j.meta).toEqual(g.meta);
      expect(c.facts.wrong).toEqual([]);
      expect(c.facts.missing).toEqual([]);
      expect(c.facts.matched.length).toBe(49);
      expect(c.lineItems.missing).toEqual([]);
      expect(c.lineItems.wrong).toEqual([]);
      expect(c.lineItems.matched).toBe(g.lineItems.length);
      expect(j.lineItems.length).toBe(g.lineItems.length);
    });
  }

  it('the .docx also matches its own gold file, with evidence offsets in the docx', async () => {
    const gd = loadGold(gold('sichuan-zwfw-2020-js-docx.json'));
    const j = toExtractJson(await readDisclosure([corpus('sichuan-zwfw-2020-js.docx')]));
    const c = compareWithGold(gd, j);
    expect(c.facts.matched.length).toBe(Object.keys(gd.facts).length);
    expect(c.meta.wrong).toEqual([]);
    expect(j.document.format).toBe('docx');
    const income = j.facts.find((f) => f.key === 'income.total')!;
    expect(income.evidence[0]).toMatchObject({ source: 'text', printed: '7865.6', printedUnit: '万元' });
    expect(income.evidence[0]!.offset).toBeTypeOf('number');
  });
});

describe('DOCX reader', async () => {
  const doc = await readDocument(corpus('sichuan-zwfw-2020-js.docx'));
  it('gives a valid Document whose headings and paragraphs are the text reader\'s', async () => {
    expect(() => DocumentSchema.parse(doc)).not.toThrow();
    const txt = await readDocument(corpus('sichuan-zwfw-2020-js.txt'));
    const docxHeads = doc.blocks.filter((b) => b.kind === 'heading').map((b) => (b as { text: string }).text);
    const txtHeads = txt.blocks.filter((b) => b.kind === 'heading').map((b) => (b as { text: string }).text);
    // the DOCX styles one more line as a heading than the text export's numbering rule finds
    expect(docxHeads.filter((h) => h !== '（二）结果应用情况（分值：10分）')).toEqual(txtHeads);
    expect(docxHeads).toContain('（二）结果应用情况（分值：10分）');
    expect(texts(doc.blocks).slice(0, 60)).toEqual(texts(txt.blocks).slice(0, 60));
    expect(texts(doc.blocks).join('\n')).not.toMatch(/_Toc|bookmark/);
  });
  it('keeps tables as aligned grids', () => {
    const t = tablesOf(doc);
    expect(t.length).toBeGreaterThanOrEqual(8);
    expect(t.every((b) => b.aligned)).toBe(true);
    expect(t[0]!.rows.flat().map((c) => c.text)).toContain('年度总体目标完成情况');
  });

  const chartXml = `<?xml version="1.0" encoding="UTF-8"?><c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart><c:title><c:tx><c:rich><a:p><a:r><a:t>收入决算结构图</a:t></a:r></a:p></c:rich></c:tx></c:title><c:plotArea><c:pieChart><c:ser><c:tx><c:strRef><c:strCache><c:pt idx="0"><c:v>收入</c:v></c:pt></c:strCache></c:strRef></c:tx><c:cat><c:strRef><c:strCache><c:ptCount val="2"/><c:pt idx="0"><c:v>财政拨款收入</c:v></c:pt><c:pt idx="1"><c:v>事业收入</c:v></c:pt></c:strCache></c:strRef></c:cat><c:val><c:numRef><c:numCache><c:ptCount val="2"/><c:pt idx="0"><c:v>7734.75</c:v></c:pt><c:pt idx="1"><c:v>116.03</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser></c:pieChart></c:plotArea></c:chart></c:chartSpace>`;
  const body = [
    `<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr><w:hyperlink w:anchor="_Toc100"><w:r><w:t>一、收入支出决算总体情况说明</w:t></w:r><w:r><w:tab/><w:t>3</w:t></w:r></w:hyperlink></w:p>`,
    `<w:p><w:hyperlink w:anchor="_Toc101"><w:r><w:t>二、收入决算情况说明 4</w:t></w:r></w:hyperlink></w:p>`,
    `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:bookmarkStart w:id="0" w:name="_Toc100"/><w:r><w:t>一、收入支出决算总体情况说明</w:t></w:r><w:bookmarkEnd w:id="0"/></w:p>`,
    wp('２０２０年度收、支总计８１９７．２３万元。'),
    wp('见第 PAGEREF _Toc100 \\h 3 页。'),
    wp('部门决算表', 'Heading2'),
    wtbl(
      wr(wc('项目', { merge: 'restart' }), wc('本年收入', { span: 2 })),
      wr(wc('', { merge: 'continue' }), wc('合计'), wc('财政拨款')),
      wr(wc('一般公共服务支出'), wc('6,804.88'), wc('6,804.88')),
    ),
  ].join('');
  const synthetic = await readBytes(makeDocx(body, [{ name: 'word/charts/chart1.xml', data: chartXml }]), 'synthetic.docx');

  it('drops TOC entries, bookmarks and leaked field codes; heading styles and numbering give headings', () => {
    const t = texts(synthetic.blocks);
    expect(t).toEqual(['一、收入支出决算总体情况说明', '2020年度收、支总计8197.23万元。', '见第 3 页。', '部门决算表']);
    expect(synthetic.blocks[0]!.kind).toBe('heading');
    // a Heading 2 style without numbering is a heading too
    expect(synthetic.blocks.find((b) => b.kind === 'heading' && b.text === '部门决算表')).toMatchObject({ level: 2 });
  });
  it('puts list numbers back from numbering.xml, so numbered titles are headings', async () => {
    const body = [
      wnum('收入支出决算总体情况说明', 1, 0),
      wp('2020年度收、支总计8197.23万元。'),
      wnum('收入决算情况说明', 1, 0),
      wnum('财政拨款收入', 1, 1),
      wnum('其他收入', 1, 1),
      wnum('说明', 1, 2),
      wnum('支出决算情况说明', 1, 0),
      wnum('要点', 2, 0),
    ].join('');
    const d = await readBytes(makeDocx(body, [{ name: 'word/numbering.xml', data: NUMBERING_XML }]), 'numbered.docx');
    expect(texts(d.blocks)).toEqual(['一、收入支出决算总体情况说明', '2020年度收、支总计8197.23万元。', '二、收入决算情况说明', '（一）财政拨款收入', '（二）其他收入', '1.说明', '三、支出决算情况说明', '要点']);
    expect(d.blocks.filter((b) => b.kind === 'heading').map((b) => (b as { text: string }).text)).toEqual(['一、收入支出决算总体情况说明', '二、收入决算情况说明', '（一）财政拨款收入', '（二）其他收入', '1.说明', '三、支出决算情况说明']);
  });
  it('turns gridSpan and vMerge into colSpan and rowSpan', () => {
    const [t] = tablesOf(synthetic);
    expect(t!.aligned).toBe(true);
    expect(t!.rows[0]).toEqual([
      { text: '项目', rowSpan: 2, colSpan: 1 },
      { text: '本年收入', rowSpan: 1, colSpan: 2 },
    ]);
    expect(t!.rows[1]!.map((c) => c.text)).toEqual(['合计', '财政拨款']);
    expect(expandGrid(t!).rows).toEqual([
      ['项目', '本年收入', ''],
      ['', '合计', '财政拨款'],
      ['一般公共服务支出', '6,804.88', '6,804.88'],
    ]);
  });
  it('keeps the cached data of word/charts/chart*.xml as a chart block', () => {
    const charts = synthetic.blocks.filter((b): b is ChartBlock => b.kind === 'chart');
    expect(charts).toHaveLength(1);
    expect(charts[0]!.title).toBe('收入决算结构图');
    expect(charts[0]!.series).toEqual([{ name: '收入', labels: ['财政拨款收入', '事业收入'], values: ['7734.75', '116.03'] }]);
    expect(charts[0]!.evidence.source).toBe('chart');
  });
});

describe('HTML reader: cq-jtw-2018-bmys.html (JSP source, tables as remote GIFs)', async () => {
  const doc = await readDocument(corpus('cq-jtw-2018-bmys.html'));
  const j = toExtractJson(await readDisclosure([corpus('cq-jtw-2018-bmys.html')]));
  it('is a 2018 部门预算 of 重庆市交通委员会', () => {
    expect(doc.file.format).toBe('html');
    expect(doc.file.encoding).toBe('utf-8');
    expect(j.meta).toMatchObject({ department: '重庆市交通委员会', year: 2018, kind: 'budget' });
  });
  it('keeps the article and drops the portal chrome and template source', () => {
    const t = texts(doc.blocks);
    expect(t[0]).toBe('重庆市交通委员会2018年部门预算情况说明');
    const all = t.join('\n');
    expect(all).toContain('一、单位基本情况');
    expect(all).toContain('（五）“三公”经费：指用一般公共预算财政拨款安排的因公出国（境）费');
    expect(all).not.toMatch(/当前位置|\$\{|<%|c:import|pageContext|禁止复制|#download/);
    expect(t).toContain('二、部门预算情况说明');
  });
  it('gives the narrative facts', () => {
    const v = (k: string) => j.facts.find((f) => f.key === k)?.value;
    expect(v('income.gpb')).toBe(3249703200);
    expect(v('gpb.expenditure')).toBe(3249703200);
    expect(v('expenditure.basic')).toBe(610421700);
    expect(v('expenditure.project')).toBe(2639281500);
    expect(v('three_public.total')).toBe(28006800);
    expect(v('procurement.total')).toBe(60604100);
    expect(j.facts.length).toBeGreaterThanOrEqual(10);
  });
  it('reports each table published as an image as a reader.image_table warning naming its src', () => {
    const f = j.findings.filter((x) => x.rule === 'reader.image_table');
    expect(f).toHaveLength(8);
    for (const x of f) {
      expect(x.severity).toBe('warning');
      expect(x.message).toMatch(/http:\/\/www\.cqjt\.gov\.cn:8080\/resource\/textnews\/20180307\/\d+\.gif/);
    }
    expect(j.tables).toEqual([]);
  });
});

describe('HTML reader: encodings, Word HTML, templates, tables', () => {
  const body = '<h1>某某局2020年度部门决算</h1><p>2020年本年收入合计7865.6万元。</p>';
  it('gb2312 in <meta> is decoded with the GBK decoder', async () => {
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>${body}</body></html>`;
    const doc = await readBytes(gbk(html), 'gbk.html');
    expect(doc.file.encoding).toBe('gbk');
    expect(texts(doc.blocks)).toEqual(['某某局2020年度部门决算', '2020年本年收入合计7865.6万元。']);
  });
  it('no declaration: GB18030 is detected when the bytes are not UTF-8', async () => {
    const doc = await readBytes(gbk(`<html><body>${body}</body></html>`), 'nodecl.html');
    expect(doc.file.encoding).toBe('gb18030');
    expect(texts(doc.blocks)[1]).toBe('2020年本年收入合计7865.6万元。');
  });
  it('an HTTP charset wins over the page', async () => {
    const { htmlDocument } = await import('../src/ingest/html.js');
    const bytes = gbk(`<html><head><meta charset="utf-8"></head><body>${body}</body></html>`);
    const doc = await htmlDocument(bytes, 'http.html', { path: 'http.html', sha256: '0'.repeat(64), bytes: bytes.length }, { contentType: 'text/html; charset=GB2312' });
    expect(doc.file.encoding).toBe('gbk');
    expect(texts(doc.blocks)[0]).toBe('某某局2020年度部门决算');
  });
  it('cleans Word HTML, JSP/JSTL tags, field codes and portal chrome; keeps tables with spans', async () => {
    const html = `<%@ page contentType="text/html; charset=UTF-8"%><%@ taglib prefix="c" uri="http://java.sun.com/jsp/jstl/core"%>
<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:"";}</style><script>var share = 1;</script></head>
<body><div class="nav"><a href="/">首页</a><a href="/xxgk">信息公开</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 预算公开</div>
<div class="article"><h2>某某局2020年度部门决算</h2>
<c:forEach items="\${list}" var="x"><span>\${x.name}</span></c:forEach>
<p class="MsoToc1"><a href="#_Toc123">一、收入支出决算总体情况说明<span style="mso-tab-count:1">…………</span>PAGEREF _Toc123 \\h 3</a></p>
<p class="MsoNormal" style="mso-outline-level:1"><![if !supportLists]><span>一、</span><![endif]>收入支出决算总体情况说明<o:p></o:p></p>
<p class="MsoNormal">2020年度收、支总计8197.23万元。<o:p>&nbsp;</o:p></p>
<p class="MsoNormal">附表：部门收支总表（单位：万元）</p>
<table border="1"><tr><td rowspan="2">项目</td><td colspan="2">本年收入</td></tr><tr><td>合计</td><td>财政拨款</td></tr><tr><td>一般公共服务支出</td><td>6,804.88</td><td>6,804.88</td></tr></table>
<p><img src="/upload/2020/biao1.png" width="700" height="900"></p>
<div class="bdshare"><a class="bds_weixin">分享到微信</a></div></div>
<div id="footer">版权所有：某某局 网站标识码 123</div></body></html>`;
    const doc = await readBytes(enc(html), 'word.html');
    const t = texts(doc.blocks);
    expect(t).toContain('某某局2020年度部门决算');
    expect(t).toContain('一、收入支出决算总体情况说明');
    expect(t).toContain('2020年度收、支总计8197.23万元。');
    const all = t.join('\n');
    expect(all).not.toMatch(/PAGEREF|_Toc|首页|当前位置|分享|版权所有|\$\{|mso-|var share/);
    const [tb] = tablesOf(doc);
    expect(tb!.aligned).toBe(true);
    expect(expandGrid(tb!).rows).toEqual([
      ['项目', '本年收入', ''],
      ['', '合计', '财政拨款'],
      ['一般公共服务支出', '6,804.88', '6,804.88'],
    ]);
    expect(doc.notes.map((n) => n.rule)).toEqual(['reader.image_table']);
    expect(doc.notes[0]!.message).toContain('/upload/2020/biao1.png');
  });
});

describe('Spreadsheet reader: the Putuo template workbooks', async () => {
  const NINE = ['summary', 'income', 'expenditure', 'appropriation_summary', 'gpb_expenditure', 'gov_fund', 'state_capital', 'gpb_basic', 'three_public'];
  for (const name of ['putuo-template-2026-bmys.xlsx', 'putuo-template-2026-dwys.xlsx', 'putuo-template-2026-dwys.xls']) {
    const doc = await readDocument(corpus(name));
    const keyed = keyedTables(doc.blocks.map((block, index) => ({ block, index })));
    it(`${name}: the nine 预算 tables are keyed, aligned, with their unit and the sheet name in the caption`, () => {
      expect(doc.file.format).toBe(name.endsWith('.xls') ? 'xls' : 'xlsx');
      expect(() => DocumentSchema.parse(doc)).not.toThrow();
      for (const k of NINE) expect(keyed.map((t) => t.key), k).toContain(k);
      // every sheet is a table; a table sheet's caption holds the sheet name and its title
      for (const t of tablesOf(doc)) {
        expect(t.aligned).toBe(true);
        expect(t.caption!.length).toBeGreaterThanOrEqual(1);
      }
      for (const t of keyed.filter((x) => x.key)) expect(t.title.length).toBeGreaterThan(2);
      expect(keyed.find((t) => t.key === 'summary')!.unitText).toBe('元');
      expect(keyed.find((t) => t.key === 'three_public')!.unitText).toBe('万元');
      // the 256-column !ref padding is trimmed
      for (const t of keyed) expect(t.width).toBeLessThanOrEqual(12);
    });
    it(`${name}: placeholders never become numbers`, async () => {
      const j = toExtractJson(await readDisclosure([corpus(name)]));
      expect(j.facts).toEqual([]);
      for (const li of j.lineItems) expect([li.total, li.basic, li.project].filter((v) => v !== undefined)).toEqual([]);
      const cells = tablesOf(doc).flatMap((t) => t.rows.flat().map((c) => c.text));
      expect(cells).toContain('…');
      expect(cells).toContain('205');
      expect(j.meta).toMatchObject({ year: 2026, kind: 'budget' });
    });
  }
  it('the .xls and the .xlsx of the 单位预算 template give the same tables', async () => {
    const a = tablesOf(await readDocument(corpus('putuo-template-2026-dwys.xls'))).map((t) => t.rows.map((r) => r.map((c) => c.text)));
    const b = tablesOf(await readDocument(corpus('putuo-template-2026-dwys.xlsx'))).map((t) => t.rows.map((r) => r.map((c) => c.text)));
    expect(a.length).toBe(b.length);
    expect(a[0]).toEqual(b[0]);
  });
});

describe('Spreadsheet reader: merges, number formats, units, padding', () => {
  it('reads a built workbook as printed', async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['2020年部门收支预算总表'],
      ['编制部门：某某局', '', '', '单位：万元'],
      ['项目', '预算数', '', ''],
      ['', '合计', '基本支出', '项目支出'],
      ['一般公共服务支出', 1234.5, 1000, 234.5],
      ['占比', 0.1234, 'XX', '…'],
    ]);
    ws['!merges'] = [
      { s: { r: 0, c: 0 }, e: { r: 0, c: 3 } },
      { s: { r: 2, c: 0 }, e: { r: 3, c: 0 } },
      { s: { r: 2, c: 1 }, e: { r: 2, c: 3 } },
    ];
    for (const a of ['B5', 'C5', 'D5']) ws[a]!.z = '#,##0.00';
    ws['B6']!.z = '0.00%';
    ws['!ref'] = 'A1:IV40';
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '收支总表');
    const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const doc = await readBytes(new Uint8Array(bytes), 'built.xlsx');
    const [t] = tablesOf(doc);
    expect(t!.caption).toEqual(['收支总表', '2020年部门收支预算总表', '编制部门：某某局 单位：万元']);
    expect(t!.rows[0]).toEqual([
      { text: '项目', rowSpan: 2, colSpan: 1 },
      { text: '预算数', rowSpan: 1, colSpan: 3 },
    ]);
    expect(expandGrid(t!).rows).toEqual([
      ['项目', '预算数', '', ''],
      ['', '合计', '基本支出', '项目支出'],
      ['一般公共服务支出', '1,234.50', '1,000.00', '234.50'],
      ['占比', '12.34%', 'XX', '…'],
    ]);
    const [k] = keyedTables(doc.blocks.map((block, index) => ({ block, index })));
    expect(k!.key).toBe('summary');
    expect(k!.unitText).toBe('万元');
  });
  it('an .xls (BIFF) workbook written by SheetJS is read the same way', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['2020年部门支出预算总表'], ['项目', '合计'], ['教育支出', 12.5]]), 'S1');
    const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
    const doc = await readBytes(new Uint8Array(bytes), 'built.xls');
    expect(doc.file.format).toBe('xls');
    expect(tablesOf(doc)[0]!.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['项目', '合计'],
      ['教育支出', '12.5'],
    ]);
  });
});
