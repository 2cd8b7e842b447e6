/**
 * PDF reader: bytes → per-page ordered lines and ruled tables (`PageContent[]`),
 * for `blocksFromPages` (layout.ts) to turn into blocks.
 *
 * pdfjs-dist 5.6.205 legacy build; both halves of pdfjs (API and "worker") run on
 * the calling thread, set up once per thread (`loadRuntime`). CPU parallelism
 * comes from the parse pool's worker threads (src/pool.ts). Lines are
 * rebuilt from text items by baseline; tables come from the ruling lines of
 * the operator list (pdf-grid.ts), which is only fetched for pages whose text
 * looks tabular. Methods follow guides/stack.md §2–§4.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Cell } from '../model.js';
import { isFooterLine, type PageContent, type PageItem } from './layout.js';
import {
  assignItems,
  splitStackedRows,
  buildGrids,
  gridRows,
  itemsToLines,
  rulingsFromOperatorList,
  rulingsFromPaints,
  splitStraddlers,
  type Rulings,
  mul,
  type Grid,
  type Matrix,
  type TItem,
} from './pdf-grid.js';
import { readingOrderLines } from './pdf-lines.js';
import { findUnruledTables } from './pdf-unruled.js';
import { progress } from '../progress.js';

export class PdfError extends Error {
  override name = 'PdfError';
}

export interface PdfPages {
  /** which reader produced the pages */
  engine: 'fast' | 'pdfjs';
  pageCount: number;
  pages: PageContent[];
  /** 1-based numbers of pages with (almost) no text layer: drawn as images, need OCR */
  textlessPages: number[];
  /** the pages read by OCR (textless ones, or all with `ocr: 'force'`) */
  ocrPages: OcrPageNote[];
}

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfWorker = InstanceType<Pdfjs['PDFWorker']>;

interface Runtime {
  pdfjs: Pdfjs;
  /** the pdfjs "worker" half, run on this thread through a cheap in-thread port (see `ThreadPort`) */
  worker: PdfWorker;
}

let runtimePromise: Promise<Runtime> | undefined;
let assetDirs: { cMapUrl: string; standardFontDataUrl: string; wasmUrl: string } | undefined;

const PDFJS_MODULE = 'pdfjs-dist/legacy/build/pdf.mjs';
const WORKER_MODULE = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
type WorkerModule = { WorkerMessageHandler: { initializeFromPort(port: unknown): void } };

/**
 * Load pdfjs once per thread (each worker thread of the parse pool has its own).
 *
 * Speed (measured on the corpus PDFs; together these halve the reader's CPU time):
 * - The two pdfjs modules (3.5 MB) are loaded with `require` (Node ≥ 20.19 loads ES
 *   modules that way) and with source maps off while they load. Through `import()`
 *   the tsx loader rewrites their dynamic imports and generates a source map that
 *   Node then parses: ~2 s of CPU per thread instead of ~0.2 s.
 * - The legacy build's core-js replaces `Array.prototype.push`, `JSON.parse` and
 *   `JSON.stringify` with spec-edge-case polyfills that are many times slower than
 *   V8's; ~10 % of parse time went to the `push` polyfill alone. The natives are put back.
 * - pdfjs inflates every content stream through the async `DecompressionStream`, one
 *   thread-pool round trip per stream; a synchronous zlib TransformStream does the
 *   same work without the idle waits (`installSyncDecompression`).
 * - The worker half runs on this thread, set up once, over a port that skips the
 *   deep copy pdfjs's fake worker makes of every message (`ThreadPort`).
 */
function loadRuntime(): Promise<Runtime> {
  runtimePromise ??= (async () => {
    const natives = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify };
    const { pdfjs, workerModule } = await loadModules();
    if (Array.prototype.push !== natives.push) Object.defineProperty(Array.prototype, 'push', { value: natives.push, writable: true, configurable: true, enumerable: false });
    if (JSON.parse !== natives.parse) Object.defineProperty(JSON, 'parse', { value: natives.parse, writable: true, configurable: true, enumerable: false });
    if (JSON.stringify !== natives.stringify) Object.defineProperty(JSON, 'stringify', { value: natives.stringify, writable: true, configurable: true, enumerable: false });
    installSyncDecompression();
    const port = new ThreadPort();
    workerModule.WorkerMessageHandler.initializeFromPort(port);
    // the typings of the constructor omit `port`; PDFWorker.create takes the same parameters and declares it
    const worker = pdfjs.PDFWorker.create({ port: port as never, verbosity: pdfjs.VerbosityLevel.ERRORS });
    await worker.promise;
    return { pdfjs, worker };
  })().catch((e: unknown) => {
    runtimePromise = undefined; // let a later call try again
    throw e;
  });
  return runtimePromise;
}

let renderRuntime: Promise<Runtime> | undefined;

/** A second pdfjs "worker" on this thread for drawing pages (fonts passed, images decoded). */
function loadRenderRuntime(): Promise<Runtime> {
  renderRuntime ??= (async () => {
    const { pdfjs } = await loadRuntime();
    const { workerModule } = await loadModules();
    const port = new ThreadPort(true);
    workerModule.WorkerMessageHandler.initializeFromPort(port);
    const worker = pdfjs.PDFWorker.create({ port: port as never, verbosity: pdfjs.VerbosityLevel.ERRORS });
    await worker.promise;
    return { pdfjs, worker };
  })().catch((e: unknown) => {
    renderRuntime = undefined;
    throw e;
  });
  return renderRuntime;
}

/** A page drawn to pixels: RGBA at `scale` pixels per PDF point, and its size in points. */
export interface RenderedPage {
  page: number;
  image: { width: number; height: number; data: Uint8Array };
  scale: number;
  /** the page's viewport at scale 1 (points, y down) */
  width: number;
  height: number;
}

/**
 * Draw pages of a PDF to pixels at `dpi`, one at a time (each page's pixels are
 * handed to `onPage` and dropped before the next is drawn).
 */
export async function renderPages(bytes: Uint8Array, pages: number[], dpi: number, onPage: (p: RenderedPage) => Promise<void>): Promise<void> {
  const { pdfjs, worker } = await loadRenderRuntime();
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    worker,
    ...pdfjsAssets(),
    cMapPacked: true,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    enableXfa: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    const doc = await task.promise;
    const factory = (doc as unknown as { canvasFactory: { create(w: number, h: number): { canvas: unknown; context: CanvasLike }; destroy(c: unknown): void } }).canvasFactory;
    // one canvas while the page size stays the same (a thousand pages, one allocation)
    let cc: { canvas: unknown; context: CanvasLike; w: number; h: number } | undefined;
    try {
      for (const n of pages) {
        if (n < 1 || n > doc.numPages) continue;
        const page = await doc.getPage(n);
        try {
          const vp1 = page.getViewport({ scale: 1 });
          const scale = dpi / 72;
          const viewport = page.getViewport({ scale });
          // a page of absurd size is drawn no larger than 4,000 px a side
          const w = Math.max(1, Math.min(4000, Math.ceil(viewport.width)));
          const h = Math.max(1, Math.min(4000, Math.ceil(viewport.height)));
          if (!cc || cc.w !== w || cc.h !== h) {
            if (cc) factory.destroy(cc);
            cc = { ...factory.create(w, h), w, h };
          }
          cc.context.fillStyle = '#ffffff';
          cc.context.fillRect(0, 0, w, h);
          await page.render({ canvas: cc.canvas as never, canvasContext: cc.context as never, viewport }).promise;
          const img = cc.context.getImageData(0, 0, w, h);
          await onPage({ page: n, image: { width: img.width, height: img.height, data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength) }, scale, width: vp1.width, height: vp1.height });
        } finally {
          page.cleanup();
        }
      }
    } finally {
      if (cc) factory.destroy(cc);
    }
  } catch (e) {
    throw toPdfError(e);
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

/** Share of the page's pixels darker than `darkBelow` (ink), sampled on every `step`th row and column. */
function inkOf(img: { width: number; height: number; data: Uint8Array }, step = 4, darkBelow = 128): number {
  const ch = Math.round(img.data.length / (img.width * img.height));
  let dark = 0;
  let n = 0;
  for (let y = 0; y < img.height; y += step) {
    for (let x = 0; x < img.width; x += step) {
      const i = (y * img.width + x) * ch;
      const g = ch >= 3 ? (img.data[i]! + img.data[i + 1]! + img.data[i + 2]!) / 3 : img.data[i]!;
      if (g < darkBelow) dark++;
      n++;
    }
  }
  return n ? dark / n : 0;
}

/** `p`, or a rejection once `ms` have passed (the work itself runs on; its result is dropped). */
function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

interface CanvasLike {
  fillStyle: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  getImageData(x: number, y: number, w: number, h: number): { width: number; height: number; data: Uint8ClampedArray };
}

async function loadModules(): Promise<{ pdfjs: Pdfjs; workerModule: WorkerModule }> {
  const sourceMaps = process.sourceMapsEnabled;
  try {
    const req = createRequire(import.meta.url);
    if (sourceMaps) process.setSourceMapsEnabled(false);
    try {
      return { pdfjs: req(PDFJS_MODULE) as Pdfjs, workerModule: req(WORKER_MODULE) as WorkerModule };
    } finally {
      if (sourceMaps) process.setSourceMapsEnabled(true);
    }
  } catch {
    // no require(esm) in this runtime: the ordinary (slower) way
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const workerModule = (await import(WORKER_MODULE as string)) as WorkerModule;
    return { pdfjs, workerModule };
  }
}

/**
 * The channel between pdfjs's API half and its worker half when both run on this
 * thread. pdfjs's own fake-worker port `structuredClone`s every message, which cost
 * more than our whole table code. Here:
 * - stream chunks (text-content items, operator-list pieces) are passed by reference;
 *   only the chunk object and its top-level arrays are copied, because the worker
 *   empties or replaces them right after sending. The receiving side never mutates
 *   them, and buffers listed for transfer are never touched again by the sender;
 * - other stream messages (pull, close, cancel …) carry a number or a freshly
 *   wrapped error: passed as they are;
 * - fonts are not sent at all: the API half would only turn them into CSS @font-face
 *   rules (base64 of the whole font program) for rendering, which this reader never
 *   does. Text extraction and operator lists do not depend on them (the worker keeps
 *   its own copy);
 * - every other message (requests, replies) is structured-cloned as before.
 */
class ThreadPort {
  #listeners = new Map<(e: { data: unknown }) => void, (() => void) | null>();
  /** a port for rendering (OCR of image-only pages) passes fonts: drawn text needs them */
  constructor(private readonly keepFonts = false) {}

  postMessage(msg: unknown, transfer?: Transfer): void {
    const data = this.#pass(msg, transfer);
    if (data === DROP) return;
    const event = { data };
    queueMicrotask(() => {
      for (const [listener] of this.#listeners) listener.call(this, event);
    });
  }

  #pass(msg: unknown, transfer?: Transfer): unknown {
    const m = msg as { stream?: number; chunk?: unknown; action?: string; data?: unknown } | null;
    if (m && typeof m === 'object') {
      if (m.stream === STREAM_ENQUEUE && m.chunk && typeof m.chunk === 'object' && !Array.isArray(m.chunk)) {
        const chunk: Record<string, unknown> = { ...(m.chunk as Record<string, unknown>) };
        for (const k of Object.keys(chunk)) if (Array.isArray(chunk[k])) chunk[k] = (chunk[k] as unknown[]).slice();
        return { ...m, chunk };
      }
      // other stream messages carry a number or a freshly wrapped error
      if (typeof m.stream === 'number' && m.stream !== STREAM_ENQUEUE) return msg;
      if (!this.keepFonts && m.action === 'commonobj' && Array.isArray(m.data) && m.data[1] === 'Font') return DROP;
    }
    return structuredClone(msg, transfer ? { transfer } : undefined);
  }

  addEventListener(_type: string, listener: (e: { data: unknown }) => void, options?: { signal?: AbortSignal } | null): void {
    const signal = options?.signal;
    let detach: (() => void) | null = null;
    if (signal) {
      if (signal.aborted) return;
      const onAbort = () => this.removeEventListener(_type, listener);
      signal.addEventListener('abort', onAbort);
      detach = () => signal.removeEventListener('abort', onAbort);
    }
    this.#listeners.set(listener, detach);
  }

  removeEventListener(_type: string, listener: (e: { data: unknown }) => void): void {
    this.#listeners.get(listener)?.();
    this.#listeners.delete(listener);
  }

  terminate(): void {
    for (const detach of this.#listeners.values()) detach?.();
    this.#listeners.clear();
  }
}
type Transfer = NonNullable<Parameters<typeof structuredClone>[1]>['transfer'];
/** pdfjs MessageHandler's StreamKind.ENQUEUE */
const STREAM_ENQUEUE = 4;
const DROP = Symbol('drop');

/**
 * Replace the global `DecompressionStream` (this thread only) by one that inflates
 * with synchronous zlib for deflate / deflate-raw / gzip: same bytes, same errors (a
 * corrupt stream errors the readable side, and pdfjs then falls back to its own
 * tolerant inflater), but no thread-pool round trip per content stream.
 * Other formats go to the native class.
 */
/** No stream pdfjs asks us to inflate may grow past this (the fast reader has the same limit). */
const MAX_INFLATED_STREAM = 64 * 1024 * 1024;
/** Streams refused as compression bombs on this thread so far. */
let bombsSeen = 0;
const bombError = () => new PdfError(`refused: a stream inflates to more than ${MAX_INFLATED_STREAM / 1048576} MB (compression bomb?)`);

function installSyncDecompression(): void {
  const Native = (globalThis as { DecompressionStream?: new (format: string) => unknown }).DecompressionStream;
  if (!Native || (Native as { syncZlib?: boolean }).syncZlib) return;
  const NativeCtor = Native;
  const opts = { maxOutputLength: MAX_INFLATED_STREAM };
  const inflaters: Record<string, (b: Buffer) => Buffer> = {
    deflate: (b) => zlib.inflateSync(b, opts),
    'deflate-raw': (b) => zlib.inflateRawSync(b, opts),
    gzip: (b) => zlib.gunzipSync(b, opts),
  };
  class SyncDecompressionStream {
    static readonly syncZlib = true;
    readonly readable!: ReadableStream<Uint8Array>;
    readonly writable!: WritableStream<ArrayBufferView | ArrayBuffer>;
    constructor(format: string) {
      const inflate = inflaters[format];
      if (!inflate) return new NativeCtor(format) as SyncDecompressionStream;
      const parts: Buffer[] = [];
      const ts = new TransformStream<ArrayBufferView | ArrayBuffer, Uint8Array>({
        transform(chunk) {
          const view = ArrayBuffer.isView(chunk) ? chunk : new Uint8Array(chunk);
          // a copy, as the native stream takes one: the writer may reuse its buffer
          parts.push(Buffer.from(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)));
        },
        flush(controller) {
          let out: Buffer;
          try {
            out = inflate(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
          } catch (e) {
            if ((e as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') throw e;
            // a compression bomb: pdfjs gets an empty stream (an error would send it to
            // its own inflater, which has no limit) and the read is refused (readWithPdfjs)
            bombsSeen++;
            out = Buffer.alloc(0);
          }
          controller.enqueue(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
        },
      });
      this.readable = ts.readable;
      this.writable = ts.writable;
    }
  }
  (globalThis as { DecompressionStream?: unknown }).DecompressionStream = SyncDecompressionStream;
}

function pdfjsAssets() {
  if (!assetDirs) {
    const root = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    assetDirs = {
      cMapUrl: path.join(root, 'cmaps') + path.sep,
      standardFontDataUrl: path.join(root, 'standard_fonts') + path.sep,
      // image decoders (JPX, JBIG2): only drawing a page (OCR) decodes images
      wasmUrl: path.join(root, 'wasm') + path.sep,
    };
  }
  return assetDirs;
}

/** Pages with fewer non-space characters than this have no usable text layer. */
const TEXTLESS_CHARS = 10;

const oneLine = (s: string, max = 200) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
};

/** Check the header and trailer bytes before pdfjs sees them. */
function sniff(bytes: Uint8Array): void {
  if (bytes.byteLength === 0) throw new PdfError('not a PDF (empty input)');
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64)).toString('utf8').trimStart();
    const tok = /^<[^>\s]{0,20}>?/.exec(text)?.[0] ?? (text.split(/\s/)[0] ?? '').slice(0, 16);
    const start = tok.replace(/[^\x20-\x7e\u00a0-\ufffc]/g, '?');
    throw new PdfError(`not a PDF (starts with ${start || 'whitespace'})`);
  }
  const tailLen = Math.min(bytes.byteLength, 4096);
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + bytes.byteLength - tailLen, tailLen).toString('latin1');
  if (!tail.includes('%%EOF')) throw new PdfError(`truncated or corrupt PDF: no %%EOF marker at the end (${bytes.byteLength} bytes; file cut short?)`);
}

function toPdfError(e: unknown): PdfError {
  if (e instanceof PdfError) return e;
  const err = e as { name?: string; message?: string } | undefined;
  const name = err?.name ?? '';
  const msg = oneLine(String(err?.message ?? e));
  if (name === 'PasswordException') return new PdfError('encrypted PDF (password required)');
  if (name === 'InvalidPDFException') return new PdfError(`truncated or corrupt PDF: ${msg || 'invalid PDF structure'}`);
  return new PdfError(`truncated or corrupt PDF: ${name && name !== 'Error' ? name + ': ' : ''}${msg}`);
}

export interface ReadPdfOptions {
  /** fetch the operator list (rulings) on every page, not only on pages that look tabular */
  rulingsOnEveryPage?: boolean;
  /**
   * `auto` (default): the fast reader (pdf-fast/) when it covers the document,
   * pdfjs otherwise; `pdfjs` or `fast` force one (`fast` throws PdfError when the
   * fast reader does not cover the document).
   */
  engine?: 'auto' | 'pdfjs' | 'fast';
  /**
   * OCR: `auto` (default) reads the pages without a text layer from their image;
   * `force` reads every page from its image (a text layer that is garbage); `off` never.
   */
  ocr?: OcrMode;
  /** resolution the pages are drawn at for OCR (default 150 dpi) */
  ocrDpi?: number;
  /** a page whose OCR takes longer than this is left unread, with a note (default 60 s) */
  ocrPageMs?: number;
}

export type OcrMode = 'off' | 'auto' | 'force';

/**
 * The OCR mode a command line set for the whole process (`--ocr`, through
 * DISCLOSURES_OCR, which the parse workers inherit); `auto` when unset.
 */
export function ocrModeFromEnv(): OcrMode {
  const v = process.env.DISCLOSURES_OCR;
  return v === 'off' || v === 'force' ? v : 'auto';
}

/** What OCR did on a page: its mean confidence, or why it could not read it. */
export interface OcrPageNote {
  page: number;
  boxes: number;
  meanConfidence?: number;
  skew?: number;
  /** degrees the page image was turned (clockwise) to read it upright */
  turned?: number;
  /** numbers read a second time, alone, because their box had room for one more digit */
  reread?: number;
  /** nothing is drawn on the page: nothing to read, nothing to say */
  blank?: boolean;
  error?: string;
}

/** Read a PDF into per-page lines and tables. Throws PdfError for encrypted, corrupt or non-PDF input. */
export async function readPdfPages(bytes: Uint8Array, options: ReadPdfOptions = {}): Promise<PdfPages> {
  sniff(bytes);
  const engine = options.engine ?? 'auto';
  if (engine !== 'pdfjs') {
    const fast = await readFast(bytes, options);
    if (fast) return fast;
    if (engine === 'fast') throw new PdfError('the fast reader does not cover this PDF');
  }
  return readWithPdfjs(bytes, options);
}

/**
 * The fast reader (pdf-fast/): null when it does not cover the document, which
 * pdfjs then reads. Its limits (a compression bomb) refuse the document.
 */
async function readFast(bytes: Uint8Array, options: ReadPdfOptions): Promise<PdfPages | null> {
  let fast: typeof import('./pdf-fast/index.js');
  try {
    fast = await import('./pdf-fast/index.js');
  } catch {
    return null;
  }
  try {
    const doc = fast.openFast(bytes);
    const pages = new Pages(options);
    for (let n = 1; n <= doc.pageCount; n++) {
      const p = doc.page(n);
      await pages.add({ vp: fast.viewport(p.view, p.rotate), items: p.items, rulings: (base) => rulingsFromPaints(p.paints, base) }, n);
    }
    return await pages.finish('fast', doc.pageCount, bytes);
  } catch (e) {
    if (e instanceof fast.Refused) throw new PdfError(`refused: ${e.message}`);
    // Unsupported: outside what the fast reader covers. Anything else would be a
    // bug in it, or input it chokes on: pdfjs gets the document either way.
    if (process.env.DISCLOSURES_PDF_DEBUG) {
      const why = e instanceof fast.Unsupported ? e.message : `unexpected ${(e as Error)?.name}: ${(e as Error)?.message}`;
      process.stderr.write(`fast PDF reader: ${why}; reading with pdfjs\n`);
    }
    return null;
  }
}

/** The pages a reader gives, laid out one by one; then the tables continued across pages. */
class Pages {
  private readonly raw: RawPage[] = [];
  private readonly textless: number[] = [];
  constructor(private readonly options: ReadPdfOptions) {}

  async add(src: PageSource, n: number): Promise<void> {
    const prev = this.raw[this.raw.length - 1];
    const wantRulings = this.options.rulingsOnEveryPage === true || (prev !== undefined && endsWithTable(prev));
    const rp = await layoutPage(src, n, wantRulings);
    if (rp.chars < TEXTLESS_CHARS) this.textless.push(n);
    this.raw.push(rp);
  }

  async finish(engine: PdfPages['engine'], pageCount: number, bytes: Uint8Array): Promise<PdfPages> {
    const ocrPages = await this.ocr(bytes);
    mergeContinuations(this.raw);
    captionsFromPreviousPage(this.raw);
    return { engine, pageCount, pages: this.raw.map(toPageContent), textlessPages: this.textless, ocrPages };
  }

  /** Pages without a text layer (or every page, forced) read again from their image. */
  private async ocr(bytes: Uint8Array): Promise<OcrPageNote[]> {
    const mode = this.options.ocr ?? ocrModeFromEnv();
    if (mode === 'off') return [];
    const wanted = mode === 'force' ? this.raw.map((r) => r.page) : this.textless;
    if (wanted.length === 0) return [];
    const { recognise } = await import('./ocr/engine.js');
    const { ocrPageText, readUpright, rereadWideNumbers } = await import('./ocr/page.js');
    const notes: OcrPageNote[] = [];
    const limit = this.options.ocrPageMs ?? 60_000;
    // a blank page (or one drawn in white) has nothing to read: a thumbnail tells, and
    // neither the full-size drawing nor the engine is spent on it
    const inked: number[] = [];
    await renderPages(bytes, wanted, 18, async (p) => {
      // at thumbnail size small print is grey, not black: anything clearly darker than paper counts
      if (inkOf(p.image, 1, 200) >= 0.0005) inked.push(p.page);
      else notes.push({ page: p.page, boxes: 0, blank: true });
    });
    await renderPages(bytes, inked, this.options.ocrDpi ?? 150, async (p) => {
      let read;
      const started = Date.now();
      try {
        read = await withTimeout(readUpright(p.image, recognise), limit, `OCR took longer than ${limit / 1000} s`);
      } catch (e) {
        notes.push({ page: p.page, boxes: 0, error: (e as Error).message.split('\n')[0]! });
        return;
      }
      const { quarters } = read;
      let boxes = read.boxes;
      let reread = 0;
      // within what is left of the page's time limit; past it, the first reading stands
      const left = limit - (Date.now() - started);
      if (left > 0) {
        try {
          ({ boxes, reread } = await withTimeout(rereadWideNumbers(read.image, boxes, recognise), left, `OCR took longer than ${limit / 1000} s`));
        } catch {
          // the first reading stands
        }
      }
      const text = ocrPageText(read.image, boxes, p.scale);
      const identity = [1, 0, 0, 1, 0, 0];
      // a page scanned on its side is laid out upright: its width and height trade places
      const [width, height] = quarters % 2 ? [p.height, p.width] : [p.width, p.height];
      const src: PageSource = { vp: { transform: identity, width, height }, items: text.items, rulings: () => text.rulings };
      const rp = await layoutPage(src, p.page, true);
      const at = this.raw.findIndex((r) => r.page === p.page);
      if (at >= 0) this.raw[at] = rp;
      progress();
      const mean = boxes.length ? boxes.reduce((s, b) => s + b.confidence, 0) / boxes.length : undefined;
      notes.push({ page: p.page, boxes: boxes.length, ...(mean !== undefined ? { meanConfidence: Math.round(mean * 1000) / 1000 } : {}), skew: Math.round(text.skew * 100) / 100, ...(quarters ? { turned: quarters * 90 } : {}), ...(reread ? { reread } : {}) });
    });
    return notes;
  }
}

async function readWithPdfjs(bytes: Uint8Array, options: ReadPdfOptions): Promise<PdfPages> {
  const { pdfjs, worker } = await loadRuntime();
  const bombsBefore = bombsSeen;
  const data = new Uint8Array(bytes); // pdfjs detaches the buffer it is given
  let task: ReturnType<Pdfjs['getDocument']>;
  try {
    task = pdfjs.getDocument({
      data,
      worker,
      ...pdfjsAssets(),
      cMapPacked: true,
      isEvalSupported: false,
      // Fonts stay in the worker half (see ThreadPort). `true` would make the worker
      // build a vector path for every glyph drawn, for a renderer that never runs.
      disableFontFace: false,
      fontExtraProperties: false,
      useSystemFonts: false,
      useWorkerFetch: false,
      isOffscreenCanvasSupported: false,
      isImageDecoderSupported: false,
      // images are never looked at: skip decoding them for the operator list
      maxImageSize: 0,
      stopAtErrors: false,
      enableXfa: false,
      verbosity: pdfjs.VerbosityLevel.ERRORS,
    });
  } catch (e) {
    throw toPdfError(e);
  }
  try {
    const doc = await task.promise;
    const pageCount = doc.numPages;
    const pages = new Pages(options);
    for (let n = 1; n <= pageCount; n++) {
      if (bombsSeen !== bombsBefore) throw bombError();
      const page = await doc.getPage(n);
      try {
        const tc = await page.getTextContent();
        const items: { str: string; transform: number[]; width: number }[] = [];
        for (const it of tc.items) if ('str' in it) items.push(it);
        const rulings = async (base: number[]) => {
          const ol = await page.getOperatorList();
          return rulingsFromOperatorList(ol.fnArray, ol.argsArray, base);
        };
        await pages.add({ vp: page.getViewport({ scale: 1 }), items, rulings }, n);
      } finally {
        page.cleanup();
      }
    }
    if (bombsSeen !== bombsBefore) throw bombError();
    return await pages.finish('pdfjs', pageCount, bytes);
  } catch (e) {
    if (bombsSeen !== bombsBefore) throw bombError();
    throw toPdfError(e);
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------
// one page

interface LineEntry {
  kind: 'line';
  text: string;
  /** sort key: vertical middle of the line */
  y: number;
  size: number;
  x0: number;
  x1: number;
  conf?: number;
}
interface TableEntry {
  kind: 'table';
  rows: Cell[][];
  /** base column index of each cell in `rows` */
  cols: number[][];
  /** column boundaries (for continuation matching) */
  xs: number[];
  top: number;
  bottom: number;
  y: number;
  caption?: string[];
  pages: number[];
  /** emptied when merged into the table on a previous page */
  dropped?: boolean;
}
type Entry = LineEntry | TableEntry;

interface RawPage {
  page: number;
  entries: Entry[];
  chars: number;
}

/** What a reader gives for one page: viewport, text items (pdfjs's shape) and rulings on demand. */
interface PageSource {
  vp: { transform: number[]; width: number; height: number };
  /** `conf`: OCR confidence, for items read from the page's image */
  items: readonly { str: string; transform: number[]; width: number; conf?: number }[];
  rulings: (base: number[]) => Rulings | Promise<Rulings>;
}

async function layoutPage(src: PageSource, n: number, wantRulings: boolean): Promise<RawPage> {
  const vp = src.vp;
  // items in viewport space (y down), with their text direction
  const rawItems: { str: string; m: number[]; w: number; conf?: number }[] = [];
  let chars = 0;
  for (const it of src.items) {
    if (it.str.trim() === '') continue;
    chars += it.str.replace(/\s+/g, '').length;
    rawItems.push({ str: it.str, m: mul(vp.transform, it.transform), w: it.width, ...(it.conf !== undefined ? { conf: it.conf } : {}) });
  }
  // un-rotate: dominant text direction (weighted by characters) becomes left-to-right
  const angle = dominantAngle(rawItems);
  const rot = rotation(angle, vp.width, vp.height);
  const items: TItem[] = rawItems.map((r) => {
    const [x, y] = [rot.m[0] * r.m[4]! + rot.m[2] * r.m[5]! + rot.m[4], rot.m[1] * r.m[4]! + rot.m[3] * r.m[5]! + rot.m[5]];
    const size = Math.hypot(r.m[2]!, r.m[3]!) || Math.hypot(r.m[0]!, r.m[1]!) || 1;
    // `width` is the advance along the text direction, in page units (viewport scale 1)
    return { str: r.str, x, y, w: Math.max(0, r.w), size, ...(r.conf !== undefined ? { conf: r.conf } : {}) };
  });

  let grids: Grid[] = [];
  if (wantRulings || looksTabular(items)) {
    const base = mul(rot.m, vp.transform);
    grids = buildGrids(await src.rulings(base));
  }
  let rest = items;
  if (grids.length) {
    rest = assignItems(splitStraddlers(items, grids), grids);
    for (const g of grids) splitStackedRows(g);
  }
  // aligned numeric columns without rulings
  const unruled = findUnruledTables(rest, n);
  rest = unruled.rest;

  const entries: Entry[] = [];
  for (const l of readingOrderLines(rest, rot.width)) entries.push({ kind: 'line', text: l.text, y: l.y, size: l.size, x0: l.x0, x1: l.x1, ...(l.conf !== undefined ? { conf: l.conf } : {}) });
  for (const g of grids) {
    const { rows, cols } = gridRows(g, n);
    entries.push({ kind: 'table', rows, cols, xs: g.xs, top: g.ys[0]!, bottom: g.ys[g.ys.length - 1]!, y: g.ys[0]!, pages: [n] });
  }
  for (const t of unruled.tables) {
    entries.push({ kind: 'table', rows: t.rows, cols: t.rows.map((r) => r.map((_, j) => j)), xs: t.xs, top: t.top, bottom: t.bottom, y: t.top, pages: [n] });
  }
  entries.sort((a, b) => a.y - b.y);
  addCaptions(entries);
  return { page: n, entries, chars };
}

function dominantAngle(items: { str: string; m: number[] }[]): number {
  const votes = new Map<number, number>();
  for (const it of items) {
    const a = Math.round((Math.atan2(it.m[1]!, it.m[0]!) * 180) / Math.PI / 90) * 90;
    const k = ((a % 360) + 360) % 360;
    votes.set(k, (votes.get(k) ?? 0) + it.str.length);
  }
  let best = 0;
  let bestN = -1;
  for (const [k, v] of votes) if (v > bestN || (v === bestN && k === 0)) [best, bestN] = [k, v];
  return best;
}

/** Matrix that turns the page so that text at `angle` (device space, y down) runs left to right. */
function rotation(angle: number, w: number, h: number): { m: Matrix; width: number; height: number } {
  switch (angle) {
    case 90: // text runs downwards: (x, y) → (y, w - x)
      return { m: [0, -1, 1, 0, 0, w], width: h, height: w };
    case 180:
      return { m: [-1, 0, 0, -1, w, h], width: w, height: h };
    case 270: // text runs upwards: (x, y) → (h - y, x)
      return { m: [0, 1, -1, 0, h, 0], width: h, height: w };
    default:
      return { m: [1, 0, 0, 1, 0, 0], width: w, height: h };
  }
}

const NUMERIC = /^[-−(（]?\d{1,3}(?:,\d{3})+(?:\.\d+)?[)）]?$|^[-−(（]?\d+\.\d+[)）]?$|^[-−]?\d+$/;

/** Worth fetching the operator list: a 单位 line, a table title, several numeric runs, or tab-separated lines. */
function looksTabular(items: TItem[]): boolean {
  let tabbed = 0;
  for (const l of itemsToLines(items, true)) if (l.text.includes('\t') && ++tabbed >= 3) return true;
  let numeric = 0;
  for (const it of items) {
    const s = it.str.trim();
    if (/单位[：:]|编制(?:部门|单位)|本表无数据/.test(s)) return true;
    if (/表[一二三四五六七八九十\d]*\s*$/.test(s) && s.length <= 40) return true;
    for (const tok of s.split(/\s+/)) if (NUMERIC.test(tok)) numeric++;
    if (numeric >= 6) return true;
  }
  return false;
}

/** The 1–3 non-empty lines directly above each table (title, 编制单位/单位 line). */
function addCaptions(entries: Entry[]): void {
  for (let i = 0; i < entries.length; i++) {
    const t = entries[i]!;
    if (t.kind !== 'table') continue;
    const cap: string[] = [];
    let below = t.top;
    for (let j = i - 1; j >= 0 && cap.length < 3; j--) {
      const e = entries[j]!;
      if (e.kind !== 'line') break;
      const text = e.text.replace(/\t/g, ' ').replace(/\s+/g, ' ').trim();
      if (text === '') continue;
      if (below - e.y > Math.max(60, e.size * 3.5)) break;
      if (/^第[一二三四五六七八九十]+部分/.test(text)) break; // a part heading, not the table's title
      // narrative, not a title: a long line or a sentence. When it sits at line
      // spacing right above the last line taken, that line was its tail: drop it too.
      if (text.length > 40 || /[。；]/.test(text)) {
        if (cap.length && below - e.y < e.size * 1.6 && !/[。；：:！？!?]$/.test(text)) cap.shift();
        break;
      }
      cap.unshift(text);
      below = e.y - e.size;
    }
    if (cap.length) t.caption = cap;
  }
}

// ---------------------------------------------------------------------------
// tables continued on the next page

const isFooterish = (e: Entry) => e.kind === 'line' && (e.text.trim() === '' || isFooterLine(e.text));

const COL_TOL = 4;
const sameColumns = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) <= COL_TOL);
const indexIn = (xs: number[], x: number) => xs.findIndex((u) => Math.abs(u - x) <= COL_TOL);

/**
 * Column boundaries shared by two parts of one table: equal, or one part's rules
 * a subset of the other's (a continuation whose rows lack some inner rules), with
 * the same outer edges. Null when the parts are not the same table.
 */
function commonColumns(a: number[], b: number[]): number[] | null {
  if (sameColumns(a, b)) return a;
  if (a.length < 2 || b.length < 2) return null;
  if (Math.abs(a[0]! - b[0]!) > COL_TOL || Math.abs(a[a.length - 1]! - b[b.length - 1]!) > COL_TOL) return null;
  const [big, small] = a.length >= b.length ? [a, b] : [b, a];
  return small.every((x) => indexIn(big, x) >= 0) ? big : null;
}

/** Re-express a table's cells on a finer set of column boundaries. */
function remapColumns(t: TableEntry, xs: number[]): void {
  if (t.xs === xs || sameColumns(t.xs, xs)) return;
  t.rows.forEach((row, i) =>
    row.forEach((cell, j) => {
      const c = t.cols[i]![j]!;
      const c2 = indexIn(xs, t.xs[c]!);
      const e2 = indexIn(xs, t.xs[c + cell.colSpan]!);
      t.cols[i]![j] = c2;
      cell.colSpan = Math.max(1, e2 - c2);
    }),
  );
  t.xs = xs;
}

const rowKey = (r: Cell[]) => r.map((c) => `${c.text}|${c.rowSpan}|${c.colSpan}`).join('\u0001');

function endsWithTable(rp: RawPage): boolean {
  let k = rp.entries.length - 1;
  while (k >= 0 && isFooterish(rp.entries[k]!)) k--;
  return rp.entries[k]?.kind === 'table';
}

/** The text of the first line on a page (past blank and page-number lines), normalised. */
function topLine(rp: RawPage): string | undefined {
  const e = rp.entries.find((x) => !isFooterish(x) && !(x.kind === 'table' && x.dropped));
  return e?.kind === 'line' ? e.text.replace(/\s+/g, '') : undefined;
}

/**
 * Index of the first entry of a page that belongs to its content: page numbers are
 * skipped, and so is a running head — a line that also tops the page the table
 * comes from (`无锡市统计局 2026 年度部门预算公开` above every page of Jiangsu's
 * city disclosures) is page furniture, not a title of what follows it.
 */
function firstContent(next: RawPage, runningHead: string | undefined): number {
  let j = 0;
  while (j < next.entries.length && isFooterish(next.entries[j]!)) j++;
  const e = next.entries[j];
  if (runningHead && e?.kind === 'line' && e.text.replace(/\s+/g, '') === runningHead) {
    j++;
    while (j < next.entries.length && isFooterish(next.entries[j]!)) j++;
  }
  return j;
}

function mergeContinuations(pages: RawPage[]): void {
  for (let p = 0; p < pages.length - 1; p++) {
    const cur = pages[p]!;
    const head = topLine(cur);
    const real = cur.entries.filter((e) => !(e.kind === 'table' && e.dropped));
    // the last non-footer entry of the page must be a table …
    let k = real.length - 1;
    while (k >= 0 && isFooterish(real[k]!)) k--;
    const last = real[k];
    if (!last || last.kind !== 'table') continue;
    // … and it carries on at the top of the following page(s)
    for (let q = p + 1; q < pages.length; q++) {
      const next = pages[q]!;
      const j = firstContent(next, head);
      const first = next.entries[j];
      if (!first || first.kind !== 'table') break;
      const xs = commonColumns(last.xs, first.xs);
      if (!xs) break;
      remapColumns(last, xs);
      remapColumns(first, xs);
      let rows = first.rows;
      let cols = first.cols;
      // drop header rows repeated from the first part
      let h = 0;
      while (h < rows.length && h < last.rows.length && rowKey(rows[h]!) === rowKey(last.rows[h]!)) h++;
      rows = rows.slice(h);
      cols = cols.slice(h);
      last.rows.push(...rows);
      last.cols.push(...cols);
      last.pages.push(next.page);
      first.dropped = true;
      // continue only if this table is also the last thing on that page
      const rest = next.entries.slice(j + 1).filter((e) => !isFooterish(e));
      if (rest.length > 0) break;
    }
  }
}

/**
 * A table that opens a page with no caption above it takes its caption from the
 * short lines that end the previous page (a title printed just before the page break).
 */
function captionsFromPreviousPage(pages: RawPage[]): void {
  for (let p = 1; p < pages.length; p++) {
    const entries = pages[p]!.entries;
    let j = 0;
    while (j < entries.length && isFooterish(entries[j]!)) j++;
    const first = entries[j];
    if (!first || first.kind !== 'table' || first.dropped || first.caption) continue;
    const prev = pages[p - 1]!.entries.filter((e) => !(e.kind === 'table' && e.dropped));
    let k = prev.length - 1;
    while (k >= 0 && isFooterish(prev[k]!)) k--;
    const cap: string[] = [];
    for (; k >= 0 && cap.length < 3; k--) {
      const e = prev[k]!;
      if (e.kind !== 'line') break;
      const text = e.text.replace(/\s+/g, ' ').trim();
      if (text.length > 40 || /[。；]/.test(text)) break;
      cap.unshift(text);
    }
    if (cap.length) first.caption = cap;
  }
}

function toPageContent(rp: RawPage): PageContent {
  const items: PageItem[] = [];
  for (const e of rp.entries) {
    if (e.kind === 'line') items.push({ kind: 'line', text: e.text, size: e.size, x0: e.x0, x1: e.x1, ...(e.conf !== undefined ? { conf: e.conf } : {}) });
    else if (!e.dropped) {
      items.push({
        kind: 'table',
        rows: e.rows,
        aligned: true,
        ...(e.caption ? { caption: e.caption } : {}),
        ...(e.pages.length > 1 ? { pages: e.pages } : {}),
      });
    }
  }
  return { page: rp.page, items };
}
