/** PDF bytes → Document: the PDF reader's pages through the shared layout step. */
import type { Document, ReaderNote } from '../model.js';
import { IngestError } from './errors.js';
import { blocksFromPages } from './layout.js';

export async function pdfDocument(bytes: Uint8Array, label: string, info: { path: string; sha256: string; bytes: number }): Promise<Document> {
  let mod: typeof import('./pdf.js');
  try {
    mod = await import('./pdf.js');
  } catch (e) {
    throw new IngestError(label, `PDF reader unavailable: ${(e as Error).message}`);
  }
  let res;
  try {
    res = await mod.readPdfPages(bytes);
  } catch (e) {
    throw new IngestError(label, (e as Error).message);
  }
  const notes: ReaderNote[] = res.textlessPages.map((p) => ({
    rule: 'reader.textless_page',
    severity: 'warning' as const,
    message: `page ${p} has no text layer (drawn as an image?): its content cannot be read without OCR`,
    evidence: [{ file: label, page: p, quote: '' }],
  }));
  return {
    file: { ...info, format: 'pdf', pages: res.pageCount },
    blocks: blocksFromPages(label, res.pages),
    notes,
  };
}
