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

/** Files larger than this are refused before they are read. */
export const MAX_INPUT_BYTES = 200 * 1024 * 1024;

export const KNOWN_EXTENSIONS = new Set(['.txt', '.text', '.pdf', '.docx', '.doc', '.html', '.htm', '.shtml', '.jsp', '.xlsx', '.xls']);

export type Sniffed = Format | 'ole' | 'zip' | 'unknown-binary';

export function sniff(bytes: Uint8Array): Sniffed {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 1024)));
  if (head.subarray(0, 1024).includes(Buffer.from('%PDF-'))) return 'pdf';
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05 || head[2] === 0x07)) {
    const s = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 64 * 1024))).toString('latin1');
    if (s.includes('word/')) return 'docx';
    if (s.includes('xl/')) return 'xlsx';
    return 'zip';
  }
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'ole';
  const text = head.toString('latin1').replace(/^\ufeff|^\xef\xbb\xbf/, '').trimStart().slice(0, 512).toLowerCase();
  if (/^(?:<!doctype html|<html|<head|<meta|<body|<\?xml[^>]*>\s*<html|<%@|<!--)/.test(text) || /<html[\s>]/.test(text)) return 'html';
  return 'txt';
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface ReadOptions {
  /** the name evidence uses for this file (defaults to its path) */
  label?: string;
}

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
  return readBytes(bytes, label);
}

export async function readBytes(bytes: Uint8Array, label: string): Promise<Document> {
  if (bytes.length === 0) throw new IngestError(label, 'empty file (0 bytes)');
  const hash = sha256(bytes);
  const ext = path.extname(label).toLowerCase();
  const kind = sniff(bytes);
  const info = { path: label, sha256: hash, bytes: bytes.length };
  switch (kind) {
    case 'pdf': {
      const { pdfDocument } = await import('./pdf-document.js');
      return pdfDocument(bytes, label, info);
    }
    case 'docx':
      throw new UnsupportedFormatError(label, 'DOCX is not read yet (skipped)');
    case 'xlsx':
      throw new UnsupportedFormatError(label, 'XLSX spreadsheets are not read yet (skipped)');
    case 'html':
      throw new UnsupportedFormatError(label, 'HTML pages are not read yet (skipped)');
    case 'ole':
      throw new UnsupportedFormatError(label, ext === '.xls' ? 'legacy .xls spreadsheets are not read yet (skipped)' : 'legacy Office (OLE) file such as .doc: unsupported, convert it to DOCX');
    case 'zip':
      throw new IngestError(label, 'a zip archive that is neither DOCX nor XLSX');
    case 'txt':
    default:
      if (ext !== '' && !KNOWN_EXTENSIONS.has(ext)) throw new IngestError(label, `unknown file type '${ext}' (expected .pdf, .docx, .html, .txt, .xlsx or .xls)`);
      if (['.pdf', '.docx', '.xlsx', '.xls', '.doc'].includes(ext)) {
        // named like a binary format but holds text: say what it really is
        throw new IngestError(label, `named ${ext} but holds no ${ext.slice(1).toUpperCase()} data (${describeText(bytes)})`);
      }
      return textDocument(bytes, label, info);
  }
}

function describeText(bytes: Uint8Array): string {
  const s = Buffer.from(bytes.subarray(0, 200)).toString('utf8').replace(/\s+/g, ' ').trim();
  return s ? `starts with "${s.slice(0, 40)}"` : 'blank';
}
