/** PDF bytes → Document: the PDF reader's pages through the shared layout step. */
import type { Document, ReaderNote } from '../model.js';
import { IngestError } from './errors.js';
import { blocksFromPages } from './layout.js';

export async function pdfDocument(bytes: Uint8Array, label: string, info: { path: string; sha256: string; bytes: number }, opts: { ocr?: 'off' | 'auto' | 'force' } = {}): Promise<Document> {
  let mod: typeof import('./pdf.js');
  try {
    mod = await import('./pdf.js');
  } catch (e) {
    throw new IngestError(label, `PDF reader unavailable: ${(e as Error).message}`);
  }
  let res;
  try {
    res = await mod.readPdfPages(bytes, opts.ocr ? { ocr: opts.ocr } : {});
  } catch (e) {
    throw new IngestError(label, (e as Error).message);
  }
  const ocr = new Map(res.ocrPages.map((o) => [o.page, o]));
  const notes: ReaderNote[] = [];
  for (const p of res.textlessPages) {
    if (ocr.has(p)) continue;
    notes.push({
      rule: 'reader.textless_page',
      severity: 'warning',
      message: `page ${p} has no text layer (drawn as an image?): its content cannot be read without OCR`,
      evidence: [{ file: label, page: p, quote: '' }],
    });
  }
  for (const o of res.ocrPages) {
    if (o.blank) continue;
    notes.push(
      o.error
        ? { rule: 'reader.ocr_failed', severity: 'warning', message: `page ${o.page} could not be read by OCR: ${o.error}`, evidence: [{ file: label, page: o.page, quote: '' }] }
        : {
            rule: 'reader.ocr_page',
            severity: 'info',
            message: `page ${o.page} read by OCR from its image: ${o.boxes} text boxes${o.meanConfidence !== undefined ? `, mean confidence ${o.meanConfidence}` : ''}${o.turned ? `, turned upright by ${o.turned}°` : ''}${o.skew ? `, straightened ${o.skew}°` : ''}${o.reread ? `, ${o.reread} numbers read again alone` : ''}`,
            evidence: [{ file: label, page: o.page, quote: '', source: 'ocr' }],
          },
    );
  }
  return {
    file: { ...info, format: 'pdf', pages: res.pageCount },
    blocks: blocksFromPages(label, res.pages),
    notes,
  };
}
