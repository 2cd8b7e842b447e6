// Dev aid: what OCR sees on a page of an image PDF: boxes, whether the page is
// rulings found (before/after `connected`), and a PNG with the rulings drawn.
//   npx tsx scripts/ocr-debug.mts FILE.pdf PAGE [OUT.png]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { renderPages } from '../src/ingest/pdf.js';
import { recognise } from '../src/ingest/ocr/engine.js';
import { connected, imageRulings, ocrPageText, rotateGrey, paperOf, skewOf, skewOfInk, toGrey } from '../src/ingest/ocr/page.js';
const [file, pageArg, png] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(file!));
await renderPages(bytes, [Number(pageArg)], 150, async (p) => {
  const boxes = await recognise(p.image);
  const grey = toGrey(p.image);
  console.log(`page ${p.page}: ${p.image.width}x${p.image.height}, ${boxes.length} boxes, skew ${skewOf(boxes).toFixed(2)} ink ${skewOfInk(grey, p.image.width, p.image.height)}, paper ${paperOf(grey)}`);
  const raw = imageRulings(grey, p.image.width, p.image.height);
  const con = connected(raw);
  console.log(`raw (no mask) h ${raw.h.length} v ${raw.v.length}; connected h ${con.h.length} v ${con.v.length}`);
  const t = ocrPageText(p.image, boxes, p.scale);
  console.log(`ocrPageText rulings h ${t.rulings.h.length} v ${t.rulings.v.length}`);
  for (const s of t.rulings.h) console.log(`  H y=${s.y.toFixed(1)} ${s.x1.toFixed(1)}-${s.x2.toFixed(1)}`);
  for (const s of t.rulings.v) console.log(`  V x=${s.x.toFixed(1)} ${s.y1.toFixed(1)}-${s.y2.toFixed(1)}`);
  for (const b of boxes.slice(0, Number(process.env.NBOX ?? 400))) console.log(`  [${b.box.map((v) => Math.round(v)).join(',')}] ${b.confidence.toFixed(2)} ${b.text}`);
  if (png) {
    const req = createRequire(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    const { createCanvas } = req('@napi-rs/canvas');
    const { width: w, height: h } = p.image;
    const c = createCanvas(w, h);
    const ctx = c.getContext('2d');
    const id = ctx.createImageData(w, h);
    // drawn straightened, as the rulings were found (the boxes and yellow raw rulings are of the slanted image)
    const shown = t.skew ? rotateGrey(grey, w, h, t.skew) : grey;
    for (let i = 0; i < w * h; i++) { id.data[i * 4] = id.data[i * 4 + 1] = id.data[i * 4 + 2] = shown[i]; id.data[i * 4 + 3] = 255; }
    ctx.putImageData(id, 0, 0);
    ctx.lineWidth = 2;
    ctx.strokeStyle = 'rgba(0,160,255,0.6)';
    for (const b of boxes) ctx.strokeRect(b.box[0], b.box[1], b.box[2] - b.box[0], b.box[3] - b.box[1]);
    ctx.strokeStyle = 'rgba(255,200,0,0.9)';
    for (const s of raw.h) { ctx.beginPath(); ctx.moveTo(s.x1, s.y); ctx.lineTo(s.x2, s.y); ctx.stroke(); }
    for (const s of raw.v) { ctx.beginPath(); ctx.moveTo(s.x, s.y1); ctx.lineTo(s.x, s.y2); ctx.stroke(); }
    ctx.strokeStyle = 'rgba(255,0,0,0.9)';
    for (const s of t.rulings.h) { ctx.beginPath(); ctx.moveTo(s.x1 * p.scale, s.y * p.scale); ctx.lineTo(s.x2 * p.scale, s.y * p.scale); ctx.stroke(); }
    for (const s of t.rulings.v) { ctx.beginPath(); ctx.moveTo(s.x * p.scale, s.y1 * p.scale); ctx.lineTo(s.x * p.scale, s.y2 * p.scale); ctx.stroke(); }
    writeFileSync(png, c.toBuffer('image/png'));
  }
});
process.exit(0);
