import { describe, expect, it } from 'vitest';
import { readDisclosure, toExtractJson } from '../src/extract.js';
import { compareWithGold, describeComparison, loadGold } from '../src/gold.js';
import { corpus, gold } from './helpers.js';

describe('founding sample sichuan-zwfw-2020-js.txt against its gold file', async () => {
  const g = loadGold(gold('sichuan-zwfw-2020-js.json'));
  const j = toExtractJson(await readDisclosure([corpus('sichuan-zwfw-2020-js.txt')]));

  it('reads the meta', () => {
    expect(j.meta).toEqual(g.meta);
  });

  it('gives every gold fact exactly (value and unit)', () => {
    for (const [key, f] of Object.entries(g.facts)) {
      const got = j.facts.find((x) => x.key === key);
      expect(got, `fact ${key}`).toBeDefined();
      expect({ key, value: got!.value, unit: got!.unit }).toEqual({ key, value: f.value, unit: f.unit });
    }
    expect(Object.keys(g.facts).length).toBe(49);
  });

  it('gives every gold line item exactly (path and total)', () => {
    for (const li of g.lineItems) {
      const got = j.lineItems.find((x) => x.path.join('/') === li.path.join('/'));
      expect(got, `line item ${li.path.join('/')}`).toBeDefined();
      expect(got!.total, li.path.join('/')).toBe(li.total);
    }
    expect(j.lineItems.length).toBe(g.lineItems.length);
  });

  it('reads 教育 as the 结构 paragraph prints it (13.6万元 = 136,000 yuan)', () => {
    expect(j.lineItems.find((x) => x.path.join('/') === '教育')?.total).toBe(136000);
  });

  it('every fact carries evidence with a quote and an offset in the text', () => {
    for (const f of j.facts) {
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.evidence[0]!.quote.length).toBeGreaterThan(3);
      expect(f.evidence[0]!.offset).toBeTypeOf('number');
    }
    const income = j.facts.find((f) => f.key === 'income.total')!;
    expect(income.evidence[0]).toMatchObject({ source: 'text', printed: '7865.6', printedUnit: '万元' });
  });
});

describe('putuo-wanli-2025-bmys-pages.txt (page text of the PDF) against the gold file', async () => {
  const g = loadGold(gold('putuo-wanli-2025-bmys.json'));
  const j = toExtractJson(await readDisclosure([corpus('putuo-wanli-2025-bmys-pages.txt')]));
  const c = compareWithGold(g, j);
  console.log(`putuo-wanli-2025-bmys-pages.txt: ${describeComparison(c)}`);

  it('reads the meta', () => {
    expect(j.meta).toEqual(g.meta);
  });
  it('gives every gold fact', () => {
    expect(c.facts.wrong).toEqual([]);
    expect(c.facts.missing).toEqual([]);
    expect(c.facts.matched.length).toBe(34);
  });
  it('gives at least 95 % of the gold line items', () => {
    expect(c.lineItems.matched / c.lineItems.total).toBeGreaterThanOrEqual(0.95);
  });
  it('pages follow the PAGE_BREAK markers: table facts cite the page of the PDF', () => {
    expect(j.document.pages).toBe(31);
    const tp = j.facts.find((f) => f.key === 'three_public.total')!;
    expect(tp.evidence[0]).toMatchObject({ source: 'table', page: 29, printed: '37.91', printedUnit: '万元' });
    const income = j.facts.find((f) => f.key === 'income.total')!;
    expect(income.evidence[0]).toMatchObject({ page: 13, printedUnit: '元' });
  });
  it('finds all nine budget tables', () => {
    const keys = j.tables.map((t) => t.key);
    for (const k of ['summary', 'income', 'expenditure', 'appropriation_summary', 'gpb_expenditure', 'gov_fund', 'state_capital', 'gpb_basic', 'three_public']) expect(keys).toContain(k);
  });
  it('keeps the table value where the prose rounds it, and finds no difference in that rounding', () => {
    // 一般公共预算拨款支出预算18,976.76万元 (p6) is 189,767,551元 (p24) rounded to 0.01万元
    expect(j.facts.find((x) => x.key === 'gpb.expenditure')!.value).toBe(189767551);
    expect(j.findings.filter((x) => x.message.startsWith('gpb.expenditure'))).toEqual([]);
  });
  it('finds the 1元 gap of row 21201 and its 项 rows as rounding (info), not an error', () => {
    const gaps = j.findings.filter((x) => x.rule === 'sum.hierarchy' && x.message.includes('21201'));
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) expect(g.severity).toBe('info');
    expect(j.findings.filter((x) => x.severity === 'error')).toEqual([]);
  });
});
