/**
 * One entry for every format: read the bytes, hash them, sniff the format from
 * the content (not the extension), hand them to the reader.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Document, Format } from '../model.js';
import { IngestError, UnsupportedFormatError } from './errors.js';
import { textDocument } from './text.js';
import { listZip, ooxmlKind } from './zip.js';

/** Files larger than this are refused before they are read. */
export const MAX_INPUT_BYTES = 200 * 1024 * 1024;

export const KNOWN_EXTENSIONS = new Set(['.txt', '.text', '.pdf', '.docx', '.doc', '.html', '.htm', '.shtml', '.jsp', '.xlsx', '.xls']);

export type Sniffed = Format | 'ole' | 'zip' | 'unknown-binary';

export function sniff(bytes: Uint8Array): Sniffed {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 1024)));
  if (head.subarray(0, 1024).includes(Buffer.from('%PDF-'))) return 'pdf';
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05 || head[2] === 0x07)) {
    // the central directory names the parts; a truncated archive has none, so fall back to the local headers
    try {
      const kind = ooxmlKind(listZip(bytes));
      if (kind === 'docx' || kind === 'xlsx') return kind;
      return 'zip';
    } catch {
      const s = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 64 * 1024))).toString('latin1');
      if (s.includes('word/')) return 'docx';
      if (s.includes('xl/')) return 'xlsx';
      return 'zip';
    }
  }
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'ole';
  if (looksLikeHtml(bytes)) return 'html';
  return 'txt';
}

/** Markup at the start (after a BOM, blanks, an XML declaration or comments), or an <html> tag early on. */
export function looksLikeHtml(bytes: Uint8Array): boolean {
  const raw = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 4096)));
  let text: string;
  if (raw[0] === 0xff && raw[1] === 0xfe) text = raw.subarray(2).toString('utf16le');
  else if (raw[0] === 0xfe && raw[1] === 0xff) text = Buffer.from(raw.subarray(2)).swap16().toString('utf16le');
  else text = raw.toString('latin1').replace(/^\xef\xbb\xbf/, '');
  const t = text.trimStart().slice(0, 1024).toLowerCase();
  if (/^(?:<!doctype html|<html|<head|<meta|<body|<title|<\?xml[^>]*>\s*(?:<!doctype html|<html)|<%@|<%--|<!--)/.test(t)) return true;
  return /<html[\s>]/.test(t) || (/<(?:head|body)[\s>]/.test(t) && /<\/(?:p|div|title|table)>/.test(t));
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface ReadOptions {
  /** the name evidence uses for this file (defaults to its path) */
  label?: string;
  /** OCR of PDF pages without a text layer: `auto` (default), `force` (every page), `off` */
  ocr?: OcrMode;
}

import type { OcrMode } from './pdf.js';
export type { OcrMode };

export async function readDocument(file: string, opts: ReadOptions = {}): Promise<Document> {
  const label = opts.label ?? file;
  let st;
  try {
    st = await stat(file);
  } catch (e) {
    throw new IngestError(label, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!st.isFile()) throw new IngestError(label, 'not a regular file');
  if (st.size > MAX_INPUT_BYTES) throw new IngestError(label, `too large (${st.size} bytes; the limit is ${MAX_INPUT_BYTES})`);
  const bytes = new Uint8Array(await readFile(file));
  return readBytes(bytes, label, opts.ocr ? { ocr: opts.ocr } : {});
}

export async function readBytes(bytes: Uint8Array, label: string, opts: { ocr?: OcrMode } = {}): Promise<Document> {
  if (bytes.length === 0) throw new IngestError(label, 'empty file (0 bytes)');
  const hash = sha256(bytes);
  const ext = path.extname(label).toLowerCase();
  const kind = sniff(bytes);
  const info = { path: label, sha256: hash, bytes: bytes.length };
  switch (kind) {
    case 'pdf': {
      const { pdfDocument } = await import('./pdf-document.js');
      return pdfDocument(bytes, label, info, opts.ocr ? { ocr: opts.ocr } : {});
    }
    case 'docx': {
      const { docxDocument } = await import('./docx.js');
      return docxDocument(bytes, label, info);
    }
    case 'xlsx':
    case 'xls': {
      const { sheetDocument } = await import('./sheet.js');
      return sheetDocument(bytes, label, info, 'xlsx');
    }
    case 'html': {
      const { htmlDocument } = await import('./html.js');
      return htmlDocument(bytes, label, info, { namedAs: ext });
    }
    case 'ole':
      return oleDocument(bytes, label, info, ext);
    case 'zip':
      return zipDocument(bytes, label);
    case 'txt':
    default: {
      const refusal = refusedByName(bytes, label, 'txt');
      if (refusal) throw refusal;
      return textDocument(bytes, label, info);
    }
  }
}

/**
 * Text under a name that promises something else is refused by its name alone: an
 * unknown extension, or a binary format's extension on bytes that hold none of it.
 * (The same bytes under a .txt name are a text document.)
 */
export function refusedByName(bytes: Uint8Array, label: string, kind: Sniffed = sniff(bytes)): IngestError | undefined {
  if (kind !== 'txt') return undefined;
  const ext = path.extname(label).toLowerCase();
  if (ext !== '' && !KNOWN_EXTENSIONS.has(ext)) return new IngestError(label, `unknown file type '${ext}' (expected .pdf, .docx, .html, .txt, .xlsx or .xls)`);
  // named like a binary format but holds text: say what it really is
  if (['.pdf', '.docx', '.xlsx', '.xls', '.doc'].includes(ext)) return new IngestError(label, `named ${ext} but holds no ${ext.slice(1).toUpperCase()} data (${describeText(bytes)})`);
  return undefined;
}

function describeText(bytes: Uint8Array): string {
  const s = Buffer.from(bytes.subarray(0, 200)).toString('utf8').replace(/\s+/g, ' ').trim();
  return s ? `starts with "${s.slice(0, 40)}"` : 'blank';
}

/** Legacy OLE files: .xls workbooks are read; encrypted Office files and .doc/.ppt are refused, saying what they are. */
async function oleDocument(bytes: Uint8Array, label: string, info: { path: string; sha256: string; bytes: number }, ext: string): Promise<Document> {
  const { oleInfo, OleProblem } = await import('./ole.js');
  let kind;
  try {
    kind = oleInfo(bytes).kind;
  } catch (e) {
    if (e instanceof OleProblem) throw new IngestError(label, `legacy Office (OLE) file: ${e.message}`);
    throw e;
  }
  switch (kind) {
    case 'encrypted-ooxml':
      throw new IngestError(label, 'encrypted (password-protected) Office file: the package is an OLE EncryptedPackage; save it without a password');
    case 'xls': {
      const { sheetDocument } = await import('./sheet.js');
      return sheetDocument(bytes, label, info, 'xls');
    }
    case 'doc':
      throw new UnsupportedFormatError(label, 'legacy Word .doc (OLE) file: unsupported, convert it to DOCX');
    case 'ppt':
      throw new UnsupportedFormatError(label, 'legacy PowerPoint (OLE) file: unsupported');
    default:
      throw new UnsupportedFormatError(label, `legacy Office (OLE) file of unknown kind${ext ? ` (named ${ext})` : ''}: unsupported, convert it to DOCX or XLSX`);
  }
}

async function zipDocument(bytes: Uint8Array, label: string): Promise<never> {
  let what = 'a zip archive that is neither DOCX nor XLSX';
  try {
    const kind = ooxmlKind(listZip(bytes));
    if (kind === 'pptx') what = 'a PowerPoint (PPTX) file: unsupported';
  } catch (e) {
    what = `a zip archive that cannot be read (${(e as Error).message})`;
  }
  throw new IngestError(label, what);
}
