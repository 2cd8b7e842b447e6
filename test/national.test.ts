/**
 * The national corpus (../shared/corpus/national: 177 files from Beijing, Guangdong,
 * Fujian, Hunan, Jiangsu cities, Chongqing, Yunnan and central departments, under
 * the names crawlers gave them): meta from the content for every file, what is not
 * a disclosure, the parts of one disclosure paired, and the coverage the issue asks
 * for. Expected meta: test/fixtures/national-meta.json, read by hand from each
 * file's cover, title or table header.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coverageRows, type CoverageRow } from '../scripts/coverage.js';
import { corpus } from './helpers.js';

interface Expected {
  disclosure: boolean;
  department?: string;
  year?: number;
  kind?: string;
  scope?: string;
  textLayer?: boolean;
  pairWith?: string;
}
const EXPECTED = JSON.parse(readFileSync(new URL('./fixtures/national-meta.json', import.meta.url), 'utf8')) as Record<string, Expected>;

describe('the national corpus', async () => {
  const { rows } = await coverageRows([corpus('national')]);
  const byFile = new Map<string, CoverageRow>();
  for (const r of rows) for (const f of r.files) byFile.set(f.replace(/^national\//, ''), r);

  it('reads every file (none fails)', () => {
    expect(rows.filter((r) => r.status === 'failed').map((r) => r.message)).toEqual([]);
    expect(byFile.size).toBe(Object.keys(EXPECTED).length);
  });

  it('names what is not a disclosure (a 公报 notice, an evaluation report, 绩效 forms) and nothing else', () => {
    const notDisclosure = Object.entries(EXPECTED).filter(([, e]) => !e.disclosure).map(([f]) => f).sort();
    expect(rows.filter((r) => r.status === 'not-disclosure').flatMap((r) => r.files.map((f) => f.replace(/^national\//, ''))).sort()).toEqual(notDisclosure);
  });

  it('reads department, year, kind and scope from the content of every file with a text layer, whatever the file is called', () => {
    const wrong: string[] = [];
    for (const [file, e] of Object.entries(EXPECTED)) {
      if (!e.disclosure || e.textLayer === false) continue;
      const m = byFile.get(file)!.meta;
      for (const k of ['department', 'year', 'kind', 'scope'] as const) if (m[k] !== e[k]) wrong.push(`${file}: ${k} ${String(m[k])} ≠ ${String(e[k])}`);
    }
    expect(wrong).toEqual([]);
  });

  it('joins a narrative and its tables published as two files (Beijing 附件1 + 附件2) into one disclosure', () => {
    // a part without a text layer cannot say whose it is until it is OCR'd (issue 15)
    const pairs = Object.entries(EXPECTED).filter(([f, e]) => e.pairWith && EXPECTED[e.pairWith]?.pairWith === f && f < e.pairWith && e.textLayer !== false && EXPECTED[e.pairWith]!.textLayer !== false);
    expect(pairs.length).toBeGreaterThanOrEqual(25);
    const apart = pairs.filter(([a, e]) => byFile.get(a) !== byFile.get(e.pairWith!)).map(([a]) => a);
    expect(apart).toEqual([]);
    for (const [a] of pairs) expect(byFile.get(a)!.files).toHaveLength(2);
  });

  it('is complete (meta, the four core facts, coded line items, ≥ 6 canonical tables) for ≥ 95 % of the disclosures that carry their tables', () => {
    const withTables = rows.filter((r) => r.status === 'read' && !r.limitation);
    const complete = withTables.filter((r) => r.complete);
    const short = withTables.filter((r) => !r.complete).map((r) => `${r.files.join(' + ')}: ${r.missing.join(', ')}`);
    expect(complete.length / withTables.length, short.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('balances the summary table of every disclosure that has one (收入总计 = 支出总计): the 行次 column is never read as an amount', () => {
    const off = rows.filter((r) => r.balance === 'off').map((r) => `${r.files[0]}: ${r.balanceNote}`);
    expect(off).toEqual([]);
    expect(rows.filter((r) => r.balance === 'ok').length).toBeGreaterThanOrEqual(120);
  });
});
