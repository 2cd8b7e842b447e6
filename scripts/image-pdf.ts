/**
 * Image-only copies of text PDFs, for testing and measuring OCR where the true
 * values are known (the gold files): every page drawn at `dpi`, in grey, optionally
 * turned by a small angle and with noise, JPEG-compressed, and written as a PDF
 * whose pages hold only that image (no text layer at all).
 *
 *   npx tsx scripts/image-pdf.ts IN.pdf OUT.pdf [--dpi 150] [--rotate 0.6] [--noise 12] [--quality 70] [--turn 1|2|3] [--pages 1,2,5]
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { renderPages } from '../src/ingest/pdf.js';
import { rotateGrey, toGrey, turnImage } from '../src/ingest/ocr/page.js';
import { mulberry32 } from './hostile-gen.js';

export interface ImagePdfOptions {
  dpi?: number;
  /** degrees: the scan sits askew by this much */
  rotate?: number;
  /** standard deviation of the grey noise added, in grey levels (0 = none) */
  noise?: number;
  /** JPEG quality, 1–100 */
  quality?: number;
  /** which pages (1-based); all by default */
  pages?: number[];
  /** quarter turns clockwise: a page scanned sideways (1, 3) or upside down (2) */
  turn?: number;
  /** seed of the noise, so copies are the same on every run */
  seed?: number;
}

type CanvasModule = { createCanvas(w: number, h: number): { getContext(k: '2d'): { createImageData(w: number, h: number): { data: Uint8ClampedArray }; putImageData(d: unknown, x: number, y: number): void }; toBuffer(mime: 'image/jpeg', quality?: number): Buffer } };

function canvasModule(): CanvasModule {
  // pdfjs-dist draws with @napi-rs/canvas: the same package encodes the JPEGs
  const req = createRequire(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  return req('@napi-rs/canvas') as CanvasModule;
}

export async function imageOnlyPdf(bytes: Uint8Array, opts: ImagePdfOptions = {}): Promise<Uint8Array> {
  const dpi = opts.dpi ?? 150;
  const { createCanvas } = canvasModule();
  const random = mulberry32(opts.seed ?? 20261205);
  const pages: Array<{ w: number; h: number; jpeg: Buffer; pw: number; ph: number }> = [];
  let count = 0;
  {
    // page count: render asks for pages that exist only
    const probe: number[] = opts.pages ?? Array.from({ length: 2000 }, (_, i) => i + 1);
    await renderPages(bytes, probe, dpi, async (p) => {
      count++;
      const turned = turnImage({ data: toGrey(p.image), width: p.image.width, height: p.image.height }, opts.turn ?? 0);
      const { width: w, height: h } = turned;
      let grey = turned.data;
      if (opts.rotate) grey = rotateGrey(grey, w, h, opts.rotate);
      const canvas = createCanvas(w, h);
      const ctx = canvas.getContext('2d');
      const id = ctx.createImageData(w, h);
      const sd = opts.noise ?? 0;
      for (let i = 0; i < w * h; i++) {
        let g = grey[i]!;
        if (sd > 0) {
          // Box–Muller
          const n = Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random());
          g = Math.max(0, Math.min(255, Math.round(g + n * sd)));
        }
        id.data[i * 4] = g;
        id.data[i * 4 + 1] = g;
        id.data[i * 4 + 2] = g;
        id.data[i * 4 + 3] = 255;
      }
      ctx.putImageData(id, 0, 0);
      const side = (opts.turn ?? 0) % 2 === 1;
      pages.push({ w, h, jpeg: canvas.toBuffer('image/jpeg', opts.quality ?? 75), pw: side ? p.height : p.width, ph: side ? p.width : p.height });
    });
  }
  if (count === 0) throw new Error('no page drawn');
  return writeImagePdf(pages);
}

/** A PDF of one JPEG per page, drawn over the whole page (`pw` × `ph` points). */
export function writeImagePdf(pages: Array<{ w: number; h: number; jpeg: Buffer; pw: number; ph: number }>): Uint8Array {
  const chunks: Buffer[] = [];
  const offsets: number[] = [];
  let pos = 0;
  const put = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    chunks.push(buf);
    pos += buf.length;
  };
  const obj = (n: number, body: () => void) => {
    offsets[n] = pos;
    put(`${n} 0 obj\n`);
    body();
    put('\nendobj\n');
  };
  put('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  const n = pages.length;
  // 1 catalog, 2 pages, then per page: page, contents, image
  const kids = pages.map((_, i) => `${3 + i * 3} 0 R`).join(' ');
  obj(1, () => put('<< /Type /Catalog /Pages 2 0 R >>'));
  obj(2, () => put(`<< /Type /Pages /Count ${n} /Kids [${kids}] >>`));
  pages.forEach((p, i) => {
    const page = 3 + i * 3;
    const pw = p.pw.toFixed(2);
    const ph = p.ph.toFixed(2);
    const content = `q ${pw} 0 0 ${ph} 0 0 cm /Im0 Do Q`;
    obj(page, () => put(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${pw} ${ph}] /Resources << /XObject << /Im0 ${page + 2} 0 R >> >> /Contents ${page + 1} 0 R >>`));
    obj(page + 1, () => put(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`));
    obj(page + 2, () => {
      put(`<< /Type /XObject /Subtype /Image /Width ${p.w} /Height ${p.h} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${p.jpeg.length} >>\nstream\n`);
      put(p.jpeg);
      put('\nendstream');
    });
  });
  const xref = pos;
  const total = 3 + n * 3;
  put(`xref\n0 ${total}\n0000000000 65535 f \n`);
  for (let k = 1; k < total; k++) put(`${String(offsets[k]).padStart(10, '0')} 00000 n \n`);
  put(`trailer\n<< /Size ${total} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(chunks));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output, ...rest] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write('usage: tsx scripts/image-pdf.ts IN.pdf OUT.pdf [--dpi N] [--rotate DEG] [--noise SD] [--quality Q] [--turn 1|2|3] [--pages 1,2]\n');
    process.exit(2);
  }
  const opt = (name: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const pages = opt('pages')?.split(',').map(Number);
  const out = await imageOnlyPdf(new Uint8Array(readFileSync(input)), {
    ...(opt('dpi') ? { dpi: Number(opt('dpi')) } : {}),
    ...(opt('rotate') ? { rotate: Number(opt('rotate')) } : {}),
    ...(opt('noise') ? { noise: Number(opt('noise')) } : {}),
    ...(opt('quality') ? { quality: Number(opt('quality')) } : {}),
    ...(opt('turn') ? { turn: Number(opt('turn')) } : {}),
    ...(pages ? { pages } : {}),
  });
  writeFileSync(output, out);
}
