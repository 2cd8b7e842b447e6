import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readText, splitRow } from '../src/ingest/text.js';
import { IngestError } from '../src/ingest/errors.js';
import type { Block, ChartBlock, TableBlock } from '../src/model.js';
import { corpus } from './helpers.js';

const enc = (s: string) => new TextEncoder().encode(s);
const paras = (blocks: Block[]) => blocks.filter((b) => b.kind === 'paragraph' || b.kind === 'heading').map((b) => (b as { text: string }).text);

describe('Word export to text: the founding sample', () => {
  const r = readText(new Uint8Array(readFileSync(corpus('sichuan-zwfw-2020-js.txt'))), 'sichuan-zwfw-2020-js.txt');
  const text = paras(r.blocks).join('\n');

  it('is unpaged, UTF-8, and every block has an offset', () => {
    expect(r.pages).toBeNull();
    expect(r.encoding).toBe('utf-8');
    for (const b of r.blocks) expect(b.evidence.offset).toBeTypeOf('number');
  });
  it('drops the [bookmark: _Toc…] noise', () => {
    expect(text).not.toContain('[bookmark');
    expect(text).toContain('第一部分部门概况'); // letter-spacing between CJK collapsed
    expect(text).toContain('1、收入支出决算总体情况说明');
  });
  it('rebuilds tab-indented tables as grids, joining vertical text and continuation lines', () => {
    const tables = r.blocks.filter((b): b is TableBlock => b.kind === 'table');
    expect(tables.length).toBeGreaterThanOrEqual(10);
    const first = tables[0]!;
    expect(first.rows[0]![0]!.text).toBe('项目绩效目标完成情况表');
    const cells = first.rows.flat().map((c) => c.text);
    expect(cells).toContain('年度总体目标完成情况'); // 年/度/总/体/目/标/完/成/情/况 on ten lines
    expect(cells).toContain('项目预算执行情况（万元）'); // a cell continued on lines without a tab
    const row = first.rows.find((rw) => rw[0]?.text === '项目名称');
    expect(row?.map((c) => c.text)).toEqual(['项目名称', '大厅工作经费']);
  });
  it('reads the chart data at the end as chart series, not prose', () => {
    const charts = r.blocks.filter((b): b is ChartBlock => b.kind === 'chart');
    expect(charts.map((c) => c.title)).toContain('2020年与2019年收入支出对比图');
    const income = charts.find((c) => c.title === '收入决算结构图（单位：万元）')!;
    expect(income.series[0]).toEqual({ labels: ['一般公共预算财政拨款收入', '上级补助收入', '事业收入', '其他收入'], values: ['7734.75', '4.09', '116.03', '10.73'] });
    const cmp = charts.find((c) => c.title === '2020年与2019年收入支出对比图')!;
    expect(cmp.series.map((s) => s.name)).toEqual(['收入', '支出']);
    expect(text).not.toContain('7408.45');
  });
});

describe('page text (PDF-to-text output)', () => {
  it('splits pages at -- PAGE_BREAK -- lines', () => {
    const r = readText(new Uint8Array(readFileSync(corpus('putuo-wanli-2025-bmys-pages.txt'))), 'w.txt');
    expect(r.pages).toBe(31);
  });
  it('splits pages at form feeds, with no empty page after a final \\f', () => {
    const r = readText(new Uint8Array(readFileSync(corpus('putuo-chengguan-2026-bmys-pages.txt'))), 'c.txt');
    expect(r.pages).toBe(24);
    expect(readText(enc('第一页内容。\f第二页内容。\f'), 'x.txt').pages).toBe(2);
  });
  it('joins soft line breaks inside sentences and across a page break', () => {
    // wrapped lines reach the right margin (full width); a short line ends its paragraph
    const r = readText(enc('本部门二〇二四年度本年收入合计与上年相比的支出决\n算减少五十六万元，主要原因是人员变化与退休等因素\n短行结束。\n\f上海市普陀区财政局本年度的政府采购预算比上年预增\n加三百万元。'), 'x.txt');
    const t = paras(r.blocks);
    expect(t[0]).toBe('本部门二〇二四年度本年收入合计与上年相比的支出决算减少五十六万元，主要原因是人员变化与退休等因素短行结束。');
    expect(t[1]).toBe('上海市普陀区财政局本年度的政府采购预算比上年预增加三百万元。');
    const across = readText(enc('第一段的第一行文字写满整个版面宽度直到右边距为止\n第一段结束。\n本部门二〇二四年度本年收入合计与上年相比的支出决\n算减少五十六万元，主要原因是人员变化与退休等因素比\f上年增加了不少的数额。\n'), 'x.txt');
    expect(paras(across.blocks).slice(1)).toEqual(['本部门二〇二四年度本年收入合计与上年相比的支出决算减少五十六万元，主要原因是人员变化与退休等因素比上年增加了不少的数额。']);
  });
  it('drops page-number footers (- 1 -, ─ 6 ─, bare numbers, 第 N 页)', () => {
    for (const footer of ['- 1 -', '─ 6 ─', '—1 —', '12', '第 3 页']) {
      const r = readText(enc(`正文第一行。\n${footer}\f第二页正文。\n`), 'x.txt');
      expect(paras(r.blocks).join('|'), footer).toBe('正文第一行。|第二页正文。');
    }
  });
  it('collapses letter-spaced CJK', () => {
    const r = readText(enc('城 乡 社 区 管 理 事 务。\f第二页。'), 'x.txt');
    expect(paras(r.blocks)[0]).toBe('城乡社区管理事务。');
  });
  it('reads a table from its 单位 line, cells split at tabs, spaces and numbered labels', () => {
    const r = readText(enc('2026年部门财务收支预算总表\n编制部门：普陀区城市管理行政执法局 单位：元\n本年收入 本年支出\n一、财政拨款收入 47,483,458一、社会保障和就业支出 6,397,096\n收入总计 47,483,458 支出总计 47,483,458\f下一页。'), 'x.txt');
    const t = r.blocks.find((b): b is TableBlock => b.kind === 'table')!;
    expect(t.aligned).toBe(false);
    expect(t.caption?.[0]).toBe('2026年部门财务收支预算总表');
    expect(t.rows[1]!.map((c) => c.text)).toEqual(['一、财政拨款收入', '47,483,458', '一、社会保障和就业支出', '6,397,096']);
  });
  it('splits rows of codes, names and amounts', () => {
    expect(splitRow('208 \t05 \t01 \t行政单位离退休 \t259,320 \t259,320 \t0')).toEqual(['208', '05', '01', '行政单位离退休', '259,320', '259,320', '0']);
    expect(splitRow('1. 一般公共预算 47,483,458二、卫生健康支出 1,439,040')).toEqual(['1. 一般公共预算', '47,483,458', '二、卫生健康支出', '1,439,040']);
  });
});

describe('encodings and bad text', () => {
  const sample = '2020年本年收入合计7865.6万元，其中：一般公共预算财政拨款收入7734.75万元。';
  it('UTF-8 with a BOM', () => {
    const r = readText(new Uint8Array([0xef, 0xbb, 0xbf, ...enc(sample)]), 'x.txt');
    expect(r.encoding).toBe('utf-8-bom');
    expect(paras(r.blocks)[0]).toBe(sample);
  });
  it('GB18030 / GBK detected when the bytes are not UTF-8', () => {
    // GBK bytes of 收入合计 (encoded here by hand: TextEncoder only writes UTF-8)
    const gbk = new Uint8Array([0xca, 0xd5, 0xc8, 0xeb, 0xba, 0xcf, 0xbc, 0xc6, 0x31, 0x32, 0x2e, 0x35, 0xcd, 0xf2, 0xd4, 0xaa, 0xa1, 0xa3]);
    const r = readText(gbk, 'gbk.txt');
    expect(r.encoding).toBe('gb18030');
    expect(paras(r.blocks)[0]).toBe('收入合计12.5万元。');
  });
  it('refuses empty, whitespace-only and binary input with a one-line error naming the file', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(), /empty/],
      [enc('   \n\n  '), /whitespace/],
      [new Uint8Array([0x25, 0x00, 0x13, 0x88, 0xff, 0x00, 0x01]), /binary/],
      [new Uint8Array(Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 256)), /binary|garbled|not valid/],
    ];
    for (const [bytes, re] of cases) {
      let err: unknown;
      try {
        readText(bytes, 'bad.txt');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(IngestError);
      const msg = (err as Error).message;
      expect(msg.startsWith('bad.txt: ')).toBe(true);
      expect(msg).toMatch(re);
      expect(msg).not.toContain('\n');
    }
  });
});
