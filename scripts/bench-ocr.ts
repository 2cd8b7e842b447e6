/**
 * `npm run bench:ocr`: OCR measured where the answers are known. Every gold PDF in
 * ../shared/gold is turned into an image-only copy (scripts/image-pdf.ts: each page
 * drawn at 150 dpi in grey; the "askew" copies also turned by 0.6° and
 * stronger JPEG compression) and read again: gold facts and line items exact, wrong
 * values and whether each carries a finding, seconds per page and peak RSS. Writes
 * reports/ocr.md. Also times the real scanned Beijing document, and a text PDF with
 * OCR on and off (text pages never go through OCR).
 *
 *   npm run bench:ocr [-- --only id,id] [--variants clean,askew,noisy] [--askew-only id,id] [--noisy-only id,id] [--check]
 *   (each comparison is printed in full on stderr; --check: write no report)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDisclosure, toExtractJson } from '../src/extract.js';
import { carriesFinding, compareWithGold, describeComparison, loadGold, type Gold } from '../src/gold.js';
import { imageOnlyPdf, type ImagePdfOptions } from './image-pdf.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(ROOT, '../shared');
const CACHE = path.join(ROOT, 'out', 'ocr-copies');
mkdirSync(CACHE, { recursive: true });

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const only = arg('only')?.split(',');
const variants = (arg('variants') ?? 'clean,askew,noisy').split(',');
/** the gold files that also get the askew copy (all by default: it doubles the time) */
const askewOnly = arg('askew-only')?.split(',');
/** the gold files that also get the noisy copy (a stress test: two by default) */
const noisyOnly = (arg('noisy-only') ?? 'js-rdbgt-2019-bmys,bj-sjj-2026-bmys-tables').split(',');
/** write no report (while working on one template) */
const check = process.argv.includes('--check');

const VARIANTS: Record<string, ImagePdfOptions> = {
  clean: { dpi: 150, quality: 80 },
  askew: { dpi: 150, rotate: 0.6, quality: 60 },
  noisy: { dpi: 150, rotate: 0.6, noise: 12, quality: 60 },
};

interface Row {
  gold: string;
  variant: string;
  pages: number;
  seconds: number;
  facts: { matched: number; total: number; wrong: Array<{ key: string; expected: number; got: number; flagged: boolean }> };
  items: { matched: number; total: number };
  meta: string;
  error?: string;
}

async function copyOf(file: string, variant: string): Promise<string> {
  const out = path.join(CACHE, `${path.basename(file, '.pdf')}-${variant}.pdf`.replace(/[^\w.\-\u4e00-\u9fff]/g, '_'));
  if (!existsSync(out)) writeFileSync(out, await imageOnlyPdf(new Uint8Array(readFileSync(path.join(SHARED, 'corpus', file))), VARIANTS[variant]!));
  return out;
}

const golds: Gold[] = readdirSync(path.join(SHARED, 'gold'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => loadGold(path.join(SHARED, 'gold', f)))
  .filter((g) => (g.files ?? [g.file]).every((f) => f.endsWith('.pdf')))
  .filter((g) => !only || only.includes(g.id));

const rows: Row[] = [];
for (const g of golds) {
  for (const variant of variants) {
    if (variant === 'askew' && askewOnly && !askewOnly.includes(g.id)) continue;
    if (variant === 'noisy' && !noisyOnly.includes(g.id)) continue;
    const files = await Promise.all((g.files ?? [g.file]).map((f) => copyOf(f, variant)));
    const t0 = performance.now();
    try {
      const d = await readDisclosure(files);
      const seconds = (performance.now() - t0) / 1000;
      const j = toExtractJson(d);
      const c = compareWithGold(g, j);
      process.stderr.write(describeComparison(c) + '\n');
      rows.push({
        gold: g.id,
        variant,
        pages: d.docs.reduce((s, doc) => s + (doc.file.pages ?? 0), 0),
        seconds,
        facts: { matched: c.facts.matched.length, total: c.facts.total, wrong: c.facts.wrong.map((w) => ({ ...w, flagged: carriesFinding(j, w.key) })) },
        items: { matched: c.lineItems.matched, total: c.lineItems.total },
        meta: c.meta.wrong.length ? `wrong: ${c.meta.wrong.map((w) => `${w.key}=${String(w.got)}`).join(', ')}` : 'ok',
      });
    } catch (e) {
      rows.push({ gold: g.id, variant, pages: 0, seconds: (performance.now() - t0) / 1000, facts: { matched: 0, total: Object.keys(g.facts).length, wrong: [] }, items: { matched: 0, total: g.lineItems.length }, meta: '', error: (e as Error).message });
    }
    const r = rows[rows.length - 1]!;
    process.stderr.write(`${r.gold} ${r.variant}: ${r.facts.matched}/${r.facts.total} facts, ${r.facts.wrong.length} wrong, ${r.items.matched}/${r.items.total} items, ${r.pages} pages in ${r.seconds.toFixed(0)} s${r.error ? ' ERROR ' + r.error : ''}\n`);
  }
}

if (check) process.exit(0);

// the real scan, and a text PDF with OCR on (auto) and off: text pages are never OCR'd
const scan = path.join(SHARED, 'corpus/national/北京/北京市政务服务和数据管理局2026年部门预算情况说明-扫描.pdf');
let t = performance.now();
const sd = await readDisclosure([scan]);
const scanSeconds = (performance.now() - t) / 1000;
const scanFacts = toExtractJson(sd).facts.length;
const textPdf = path.join(SHARED, 'corpus/putuo-wanli-2025-bmys.pdf');
const timeText = async (ocr: 'auto' | 'off') => {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t1 = performance.now();
    await readDisclosure([textPdf], { ocr });
    runs.push(performance.now() - t1);
  }
  return Math.min(...runs) / 1000;
};
const textAuto = await timeText('auto');
const textOff = await timeText('off');
const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);

const sum = (f: (r: Row) => number, rs = rows) => rs.reduce((s, r) => s + f(r), 0);
const lines: string[] = [];
lines.push('# OCR: accuracy on image-only copies of the gold PDFs, speed and memory', '');
lines.push(`Generated by \`npm run bench:ocr\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${process.platform}/${process.arch}). Engine: PaddleOCR PP-OCRv4 mobile (detection + recognition) on ONNX Runtime (docs/ocr.md). Pages drawn at 150 dpi.`, '');
lines.push('Copies: **clean** = every page drawn in grey at 150 dpi, JPEG quality 80, written as a PDF of images only; **askew** = the same turned by 0.6° and JPEG quality 60 (a slight rotation and JPEG noise); **noisy** = askew with grey noise (σ 12) on every pixel as well, a stress test run on two of them (the 6-pt figures and thin grey rules of Beijing, and js-rdbgt). No text layer is left: every value below comes from OCR.', '');
for (const v of variants) {
  const rs = rows.filter((r) => r.variant === v);
  const fm = sum((r) => r.facts.matched, rs);
  const ft = sum((r) => r.facts.total, rs);
  const wrong = rs.flatMap((r) => r.facts.wrong);
  const im = sum((r) => r.items.matched, rs);
  const it = sum((r) => r.items.total, rs);
  const pages = sum((r) => r.pages, rs);
  const secs = sum((r) => r.seconds, rs);
  lines.push(`## ${v}: ${fm}/${ft} facts (${((100 * fm) / Math.max(1, ft)).toFixed(1)} %), ${im}/${it} line items (${((100 * im) / Math.max(1, it)).toFixed(1)} %), ${wrong.length} wrong of which ${wrong.filter((w) => w.flagged).length} carry a finding; ${pages} pages in ${secs.toFixed(0)} s (${(secs / Math.max(1, pages)).toFixed(1)} s/page)`, '');
  lines.push('| gold | pages | s/page | facts | wrong (flagged) | line items | meta |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const r of rs) {
    const w = r.facts.wrong.map((x) => `${x.key} ${x.got} for ${x.expected}${x.flagged ? ' (finding)' : ' (NO finding)'}`).join('; ');
    lines.push(`| ${r.gold} | ${r.pages} | ${(r.seconds / Math.max(1, r.pages)).toFixed(1)} | ${r.facts.matched}/${r.facts.total} | ${r.error ? 'not read: ' + r.error : w || '0'} | ${r.items.matched}/${r.items.total} | ${r.meta} |`);
  }
  lines.push('');
}
lines.push('## The scanned Beijing document and the cost for text PDFs', '');
lines.push(`- \`北京市政务服务和数据管理局2026年部门预算情况说明-扫描.pdf\` (${sd.docs[0]!.file.pages} pages, images only): ${scanFacts} facts in ${scanSeconds.toFixed(1)} s (${(scanSeconds / (sd.docs[0]!.file.pages ?? 1)).toFixed(1)} s/page, engine start included).`);
lines.push(`- A text PDF (putuo-wanli-2025-bmys.pdf, 31 pages), best of 3: ${textAuto.toFixed(2)} s with OCR on (\`auto\`), ${textOff.toFixed(2)} s with \`--ocr off\`: a page with a text layer never goes through OCR.`);
lines.push(`- Peak RSS of this whole run (one process, pages read one after another): ${peakMb} MB.`, '');
lines.push('OCR runs in the parse pool like any parse (one engine per worker thread, ONNX Runtime on one thread there); a page whose OCR takes longer than 60 s is left unread with a `reader.ocr_failed` warning.', '');
mkdirSync(path.join(ROOT, 'reports'), { recursive: true });
writeFileSync(path.join(ROOT, 'reports', 'ocr.md'), lines.join('\n'));
process.stderr.write(`→ reports/ocr.md (peak RSS ${peakMb} MB)\n`);
