/**
 * The national gold files (../shared/gold: central 决算, Shenzhen 预算, Beijing 报表,
 * Changsha, Fuzhou 单位预算, Foshan 决算 under a lying file name): meta exact, every
 * fact and every line item, none wrong.
 */
import { describe, expect, it } from 'vitest';
import { readDisclosure, toExtractJson } from '../src/extract.js';
import { compareWithGold, describeComparison, loadGold } from '../src/gold.js';
import { corpus, gold } from './helpers.js';

const NATIONAL = [
  'bj-sjj-2026-bmys-tables.json',
  'cn-gjxfj-2024-js.json',
  'fj-fzgawzzx-2026-dwys.json',
  'gd-fsgdj-2019-js.json',
  'gd-sztjj-2026-bmys.json',
  'hn-csxfj-2026-bmys.json',
];

describe.each(NATIONAL)('%s', async (goldFile) => {
  const g = loadGold(gold(goldFile));
  const j = toExtractJson(await readDisclosure((g.files ?? [g.file]).map(corpus)));
  const c = compareWithGold(g, j);

  it('meta exact, from the content', () => expect(j.meta).toEqual(g.meta));
  it('every gold fact, none wrong', () => {
    expect(c.facts.wrong, describeComparison(c)).toEqual([]);
    expect(c.facts.missing, describeComparison(c)).toEqual([]);
  });
  it('every gold line item, with its path and money columns', () => {
    expect(c.lineItems.missing, describeComparison(c)).toEqual([]);
    expect(c.lineItems.wrong, describeComparison(c)).toEqual([]);
  });
  it('every fact read from a table cites its page', () => {
    for (const f of j.facts) for (const e of f.evidence) if (e.source === 'table') expect(e.page, f.key).toBeTypeOf('number');
  });
});

describe('the central 决算 layout: 行次 beside every amount', async () => {
  const j = toExtractJson(await readDisclosure([corpus('national/武汉/信访局_国家信访局2024年度部门决算公开.pdf')]));
  it('reads 收入支出总计 22,066.59万元, not the row number 31', () => {
    expect(j.facts.find((f) => f.key === 'totals.total')).toMatchObject({ value: 220665900 });
    expect(j.facts.find((f) => f.key === 'totals.total')!.evidence[0]).toMatchObject({ printed: '22,066.59', page: 7 });
  });
});
