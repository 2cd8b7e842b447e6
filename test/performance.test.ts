import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractPerformance, parseValue, type PerfResult } from '../parsers/performance/index.js';
import { performanceFindings } from '../parsers/performance/rules.js';
import { nameMatch } from '../parsers/performance/scores.js';
import { readDisclosure } from '../src/extract.js';
import { Performance } from '../src/model.js';
import { storePerformance } from '../src/store/performance.js';
import { openStore } from '../src/store/store.js';
import { corpus, gold } from './helpers.js';

interface GoldProject {
  name: string;
  implementer?: string;
  budget?: number;
  budgetFiscal?: number;
  budgetOther?: number;
  executed?: number;
  executedFiscal?: number;
  executedOther?: number;
  indicators: number;
  score?: number;
}

async function perfOf(file: string): Promise<PerfResult> {
  const d = await readDisclosure([corpus(file)]);
  return extractPerformance(d.extraction.blocks, d.extraction.keyedTables, d.extraction.meta);
}

const MONEY = ['budget', 'budgetFiscal', 'budgetOther', 'executed', 'executedFiscal', 'executedOther'] as const;

const g = JSON.parse(readFileSync(gold('sichuan-zwfw-2020-js.json'), 'utf8')) as { performance: { projects: GoldProject[]; overallScore: number } };

describe.each(['txt', 'docx', 'pdf'])('founding sample sichuan-zwfw-2020-js.%s: performance against the gold', (ext) => {
  const file = `sichuan-zwfw-2020-js.${ext}`;
  const perfP = perfOf(file);

  it('gives the four projects with names, money, indicator counts and scores', async () => {
    const perf = await perfP;
    expect(perf.projects.map((p) => p.name)).toEqual(g.performance.projects.map((p) => p.name));
    for (const gp of g.performance.projects) {
      const p = perf.projects.find((x) => x.name === gp.name)!;
      expect(p.kind, gp.name).toBe('self_evaluation');
      expect(p.implementer, gp.name).toBe(gp.implementer);
      for (const k of MONEY) expect({ project: gp.name, [k]: p[k] }).toEqual({ project: gp.name, [k]: gp[k] });
      expect({ project: gp.name, indicators: p.indicators.length }).toEqual({ project: gp.name, indicators: gp.indicators });
      expect({ project: gp.name, score: p.score }).toEqual({ project: gp.name, score: gp.score });
      // every indicator names itself and carries its levels down the merged cells
      for (const i of p.indicators) {
        expect(i.level1, JSON.stringify(i)).toBeDefined();
        expect(i.level3 ?? i.level2, JSON.stringify(i)).toBeTruthy();
      }
      // evidence: file, quote, table on each project
      for (const e of p.evidence) {
        expect(e.file).toBe(corpus(file));
        expect(e.quote).not.toBe('');
        expect(e.table).toMatch(/^performance_/);
        if (ext === 'pdf') expect(e.page).toBeGreaterThan(0);
      }
    }
  });

  it('matches 窗口奖励金项目评分表 to 窗口工作奖励金 and says so', async () => {
    const p = (await perfP).projects.find((x) => x.name === '窗口工作奖励金')!;
    expect(p.scoreTable?.title).toMatch(/窗口奖励金项目评分表/);
    expect(p.scoreTable?.matchedBy).toBe('similar');
    expect(p.evidence.some((e) => /窗口奖励金.*matched to project “窗口工作奖励金”/.test(e.quote))).toBe(true);
    const cg = (await perfP).projects.find((x) => x.name === '政府采购专项业务费')!;
    expect(cg.scoreTable?.total).toBe(96.78);
    expect(cg.scoreWeight).toBe(100);
  });

  it('gives the overall score 81.1 of 90', async () => {
    const perf = await perfP;
    expect(perf.overallScore).toBe(g.performance.overallScore);
    expect(perf.overallScoreOutOf).toBe(90);
    expect(perf.overallEvidence?.[0]?.quote).toMatch(/81\.1分/);
  });

  it('reads the 效益 rows of 窗口工作奖励金 whose indicator sits in the 二级 column', async () => {
    const p = (await perfP).projects.find((x) => x.name === '窗口工作奖励金')!;
    const speed = p.indicators.find((i) => i.level2 === '办理提速');
    expect(speed).toMatchObject({ level1: '效益指标', target: '70%以上', actual: '完成' });
    expect(speed?.level3).toBeUndefined();
    expect(p.indicators.find((i) => i.level2 === '窗口工作奖励金影响年限')?.target).toBe('至政务服务实体大厅撤销年限');
  });

  it('is valid against the Performance schema', async () => {
    const perf = await perfP;
    expect(() => Performance.parse(perf)).not.toThrow();
  });
});

describe('every format gives the same indicators', () => {
  it('txt, docx and pdf agree row by row', async () => {
    const strip = (r: PerfResult) => r.projects.map((p) => p.indicators.map(({ page: _page, ...i }) => i));
    const [a, b, c] = await Promise.all(['txt', 'docx', 'pdf'].map((e) => perfOf(`sichuan-zwfw-2020-js.${e}`)));
    expect(strip(b!)).toEqual(strip(a!));
    expect(strip(c!)).toEqual(strip(a!));
  });
});

const TITLE_RE = /财政项目支出绩效目标(?:填报|申报)表/g;

describe('putuo-wanli-2023-bmys.pdf: every 财政项目支出绩效目标填报表', async () => {
  const perf = await perfOf('putuo-wanli-2023-bmys.pdf');
  const text = execFileSync('pdftotext', ['-layout', corpus('putuo-wanli-2023-bmys.pdf'), '-'], { encoding: 'utf8' });
  const titles = text.match(TITLE_RE)?.length ?? 0;
  const names = [...text.matchAll(/项目名称\s+(\S+)/g)].map((m) => m[1]!);

  it('gives one project per table title', () => {
    expect(titles).toBe(5);
    expect(perf.projects.length).toBe(titles);
    expect(perf.projects.map((p) => p.name)).toEqual(names);
  });

  it('gives each its money and indicators', () => {
    for (const p of perf.projects) {
      expect(p.kind).toBe('target');
      expect(p.budget, p.name).toBeGreaterThan(0);
      expect(p.totalFunding, p.name).toBeGreaterThan(0);
      expect(p.executed).toBeUndefined();
      expect(p.indicators.length, p.name).toBeGreaterThan(0);
      for (const i of p.indicators) {
        expect(i.actual).toBeUndefined();
        expect(i.level1 && i.level2 && i.level3 && i.target, JSON.stringify(i)).toBeTruthy();
      }
      expect(p.evidence[0]?.page).toBeGreaterThanOrEqual(31);
    }
    expect(perf.projects.map((p) => p.indicators.length)).toEqual([5, 4, 4, 43, 9]);
    expect(perf.projects[0]).toMatchObject({ name: '新建万里街道社区公共服务中心', budget: 4100000, budgetFiscal: 4100000, budgetOther: 0, totalFunding: 4100000, carryOver: 0, period: { start: '2023-01-01', end: '2023-12-31' } });
    expect(perf.projects[4]).toMatchObject({ budget: 10903043, budgetFiscal: 11419043 });
    expect(perf.projects[1]!.indicators[0]).toMatchObject({ level1: '产出指标', level2: '数量指标', level3: '补贴对象申请审核完成率', target: '=100.00(%)', targetValue: { comparator: '=', number: 100, unit: '%' } });
  });

  it('flags the 当年财政拨款 above its 年度资金申请总额', () => {
    const f = performanceFindings(perf);
    expect(f.some((x) => x.rule === 'performance.rate' && /公共服务设施运行经费/.test(x.message))).toBe(true);
  });
});

describe('putuo-chengguan-2026-bmys-pages.txt: a 绩效目标申报表 printed as loose lines', async () => {
  const perf = await perfOf('putuo-chengguan-2026-bmys-pages.txt');
  const text = readFileSync(corpus('putuo-chengguan-2026-bmys-pages.txt'), 'utf8');
  const titles = text.match(TITLE_RE)?.length ?? 0;

  it('gives one project per table title, with name, money and indicators', () => {
    expect(titles).toBe(1);
    expect(perf.projects.length).toBe(titles);
    const p = perf.projects[0]!;
    expect(p).toMatchObject({ name: '拆违经费', kind: 'target', budget: 3498000, budgetFiscal: 3498000, budgetOther: 0, totalFunding: 10308000, carryOver: 0 });
    expect(p.indicators.length).toBe(8);
    expect(p.indicators[0]).toMatchObject({ level1: '成本指标', level2: '经济成本指标', level3: '成本控制合理性', target: '合理' });
    expect(p.indicators.find((i) => i.level3 === '群众政策知晓度')).toMatchObject({ level1: '效益指标', level2: '社会效益指标', target: '≥90.00(%)' });
    expect(p.indicators[7]).toMatchObject({ level1: '满意度指标', level2: '服务对象满意度指标', level3: '群众满意度' });
  });
});

describe('other documents have no 绩效 tables and give no projects', () => {
  it.each(['putuo-czj-2024-js.pdf', 'putuo-wanli-2025-bmys-pages.txt'])('%s', async (f) => {
    expect((await perfOf(f)).projects).toEqual([]);
  });
});

describe('parsed targets', () => {
  it.each([
    ['≥98%', { comparator: '≥', number: 98, unit: '%' }],
    ['约36万件', { comparator: '≈', number: 36, unit: '万件' }],
    ['>300台', { comparator: '>', number: 300, unit: '台' }],
    ['=100.00(%)', { comparator: '=', number: 100, unit: '%' }],
    ['1600次以上', { comparator: '≥', number: 1600, unit: '次' }],
    ['提醒率≥98%', { comparator: '≥', number: 98, unit: '%' }],
    ['不低于50%', { comparator: '≥', number: 50, unit: '%' }],
    ['12次', { number: 12, unit: '次' }],
  ])('%s', (printed, want) => {
    expect(parseValue(printed)).toEqual(want);
  });
  it.each(['完成大厅358人工作服制作', '2020年12月底前', '通过有关部门验收'])('%s is text', (printed) => {
    expect(parseValue(printed)).toBeUndefined();
  });
  it('matches 评分表 names to projects', () => {
    expect(nameMatch('窗口奖励金', '窗口工作奖励金')?.how).toBe('similar');
    expect(nameMatch('大厅工作经费', '大厅工作经费')?.how).toBe('exact');
    expect(nameMatch('政府采购专项业务费', '大厅工作经费')).toBeUndefined();
  });
});

describe('findings over the founding sample', async () => {
  const perf = await perfOf('sichuan-zwfw-2020-js.txt');
  const f = performanceFindings(perf);
  it('flags execution over budget without a reason', () => {
    expect(f.find((x) => x.rule === 'performance.over_budget')?.message).toMatch(/政府采购专项业务费.*234\.66万元.*224\.47万元/);
  });
  it('notes the rescaled 96.78 (info, explained by the note) and the blank indicator rows', () => {
    expect(f.find((x) => x.rule === 'performance.score_sum')).toMatchObject({ severity: 'info' });
    expect(f.filter((x) => x.rule === 'performance.placeholder' && x.severity === 'info').length).toBe(3);
  });
});

describe('store', async () => {
  const perf = await perfOf('sichuan-zwfw-2020-js.txt');
  it('writes projects, indicators and scores linked to the document, and the views read them', () => {
    const db = openStore(':memory:');
    const id = Number(
      db.prepare(`INSERT INTO documents (sha256, path, format, pages, file_count, department, year, kind, scope, fact_count, ingested_at)
                  VALUES ('${'a'.repeat(64)}', 'x.txt', 'txt', NULL, 1, '四川省政务服务和公共资源交易服务中心', 2020, 'final', 'department', 0, '2024-01-01T00:00:00Z')`).run().lastInsertRowid,
    );
    const n = db.transaction(() => storePerformance(db, id, perf))();
    expect(n.projects).toBe(4);
    expect(n.indicators).toBe(16 + 11 + 16 + 6);
    const rows = db.prepare('SELECT project, budget, executed, execution_rate, indicators, score FROM performance_overview WHERE document_id = ? ORDER BY project').all(id) as Array<Record<string, unknown>>;
    expect(rows.length).toBe(4);
    const cg = rows.find((r) => r.project === '政府采购专项业务费')!;
    expect(cg).toMatchObject({ budget: 2244700, executed: 2346600, execution_rate: 104.54, indicators: 6, score: 96.78 });
    const fen = db.prepare('SELECT budget_fen, executed_other_fen FROM performance_projects WHERE name = ?').get('大厅工作经费') as { budget_fen: number; executed_other_fen: number };
    expect(fen).toEqual({ budget_fen: 770440000, executed_other_fen: 96310000 });
    const overall = db.prepare("SELECT score, weight FROM performance_scores WHERE scope = 'department' AND document_id = ?").get(id);
    expect(overall).toEqual({ score: 81.1, weight: 90 });
    const money = db.prepare('SELECT projects, executed FROM performance_money_by_outcome').get() as { projects: number; executed: number };
    expect(money.projects).toBe(4);
    expect(money.executed).toBeCloseTo(7679400 + 1298100 + 6592400 + 2346600, 2);
    // deleting the document deletes its 绩效 rows
    db.prepare('DELETE FROM documents WHERE id = ?').run(id);
    expect((db.prepare('SELECT COUNT(*) AS n FROM performance_indicators').get() as { n: number }).n).toBe(0);
    db.close();
  });
});
