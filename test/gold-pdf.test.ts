/**
 * Every gold document read from PDF: 100 % of gold facts and line items, evidence with pages, and
 * the standard tables recognised in every Shanghai 决算 and 预算 PDF.
 */
import { describe, expect, it } from 'vitest';
import { readDisclosure, toExtractJson } from '../src/extract.js';
import { compareWithGold, describeComparison, loadGold } from '../src/gold.js';
import { corpus, gold } from './helpers.js';

const GOLD_PDF: Array<[string, string[]]> = [
  ['putuo-czj-2024-js.json', ['putuo-czj-2024-js.pdf']],
  ['putuo-wanli-2025-bmys.json', ['putuo-wanli-2025-bmys.pdf']],
  ['js-rdbgt-2019-bmys.json', ['js-rdbgt-2019-bmys.pdf', 'js-rdbgt-2019-bmys-tables.pdf']],
  ['sichuan-zwfw-2020-js-pdf.json', ['sichuan-zwfw-2020-js.pdf']],
];

describe.each(GOLD_PDF)('%s from PDF', async (goldFile, files) => {
  const g = loadGold(gold(goldFile));
  const j = toExtractJson(await readDisclosure(files.map(corpus)));
  const c = compareWithGold(g, j);

  it('meta', () => expect(j.meta).toEqual(g.meta));
  it('every gold fact', () => {
    expect(c.facts.wrong, describeComparison(c)).toEqual([]);
    expect(c.facts.missing, describeComparison(c)).toEqual([]);
  });
  it('every gold line item', () => {
    expect(c.lineItems.missing, describeComparison(c)).toEqual([]);
    expect(c.lineItems.wrong, describeComparison(c)).toEqual([]);
  });
  it('table facts cite the page the gold cites, in the right file', () => {
    for (const [key, gf] of Object.entries(g.facts)) {
      const f = j.facts.find((x) => x.key === key)!;
      if (gf.page === undefined || (gf as { source?: string }).source !== 'table') continue;
      const pages = f.evidence.filter((e) => e.source === 'table').map((e) => e.page);
      expect(pages, key).toContain(gf.page);
      if (gf.file) expect(f.evidence.some((e) => e.file.endsWith(gf.file!)), key).toBe(true);
    }
  });
});

describe('one disclosure in two files', async () => {
  const j = toExtractJson(await readDisclosure([corpus('js-rdbgt-2019-bmys.pdf'), corpus('js-rdbgt-2019-bmys-tables.pdf')]));
  it('lists both files and names the file in every evidence', () => {
    expect(j.document.files.map((f) => f.path.split('/').pop())).toEqual(['js-rdbgt-2019-bmys.pdf', 'js-rdbgt-2019-bmys-tables.pdf']);
    expect(j.document.pages).toBe(32);
    for (const f of j.facts) for (const e of f.evidence) expect(e.file).toMatch(/js-rdbgt-2019-bmys(-tables)?\.pdf$/);
    expect(j.facts.find((f) => f.key === 'totals.total')!.evidence[0]!.file).toMatch(/-tables\.pdf$/);
    expect(j.facts.find((f) => f.key === 'totals.change')!.evidence[0]!.file).toMatch(/bmys\.pdf$/);
  });
});

const NINE_FINAL = ['summary', 'income', 'expenditure', 'appropriation_summary', 'gpb_expenditure', 'gpb_basic', 'three_public', 'gov_fund', 'state_capital'];
const SHANGHAI_PDFS: Array<[string, string[]]> = [
  ['putuo-czj-2024-js.pdf', NINE_FINAL],
  ['template-bmjs-2024-xxju.pdf', NINE_FINAL],
  ['putuo-czj-2024-js-testerr.pdf', NINE_FINAL.filter((k) => k !== 'expenditure')], // the 支出决算表 was removed on purpose
  ['putuo-sfj-2026-bmys.pdf', NINE_FINAL],
  ['putuo-sfj-2026-dwys.pdf', NINE_FINAL],
  ['putuo-wanli-2023-bmys.pdf', NINE_FINAL],
  ['putuo-wanli-2024-bmys.pdf', NINE_FINAL],
  ['putuo-wanli-2025-bmys.pdf', NINE_FINAL],
];

describe('the nine standard tables in every Shanghai PDF', () => {
  it.each(SHANGHAI_PDFS)('%s', async (file, expected) => {
    const j = toExtractJson(await readDisclosure([corpus(file)]));
    const keys = new Set(j.tables.map((t) => t.key));
    for (const k of expected) expect(keys, `${file} lacks ${k}`).toContain(k);
    if (file.includes('testerr')) expect(keys.has('expenditure')).toBe(false);
    for (const t of j.tables) if (NINE_FINAL.includes(t.key)) expect(t.unit, `${file} ${t.key} unit`).toMatch(/^(万元|元)$/);
  });
});
