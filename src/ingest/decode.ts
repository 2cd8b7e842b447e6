/**
 * Bytes → string for text-like input: BOM first, then strict UTF-8, then
 * GB18030 (which covers GBK and GB2312). Binary data is refused.
 */
import { IngestError } from './errors.js';

export interface Decoded {
  text: string;
  encoding: string;
}

export function decodeText(bytes: Uint8Array, file: string): Decoded {
  if (bytes.length === 0) throw new IngestError(file, 'empty file (0 bytes)');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return checked(strict('utf-8', bytes.subarray(3), file), 'utf-8-bom', file);
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return checked(strict('utf-16le', bytes.subarray(2), file), 'utf-16le', file);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return checked(strict('utf-16be', bytes.subarray(2), file), 'utf-16be', file);
  if (bytes.includes(0)) throw new IngestError(file, 'binary data (NUL bytes), not a text disclosure');
  try {
    return checked(new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'utf-8', file);
  } catch (e) {
    if (e instanceof IngestError) throw e;
  }
  let gb: string;
  try {
    gb = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
  } catch {
    throw new IngestError(file, 'not valid UTF-8 or GB18030 text (binary or unknown encoding)');
  }
  return checked(gb, 'gb18030', file);
}

function strict(enc: string, bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder(enc, { fatal: true }).decode(bytes);
  } catch {
    throw new IngestError(file, `invalid ${enc} text after its byte-order mark`);
  }
}

/**
 * Plausibility: text disclosures are CJK, ASCII and punctuation. Random bytes
 * that happen to decode as GB18030 are mostly rare ideographs and controls.
 */
function checked(text: string, encoding: string, file: string): Decoded {
  let controls = 0;
  let common = 0;
  let total = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    total++;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || (c >= 0x7f && c < 0xa0)) controls++;
    else if (c < 0x7f || (c >= 0x4e00 && c <= 0x9fa5) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) || c === 0x2026 || (c >= 0x2010 && c <= 0x201f) || c === 0xfeff) common++;
  }
  if (total === 0) throw new IngestError(file, 'empty text');
  if (controls / total > 0.01 || common / total < 0.85) {
    throw new IngestError(file, `binary or garbled data, not a text disclosure (decoded as ${encoding}: ${Math.round((100 * common) / total)}% plausible characters)`);
  }
  if (text.trim() === '') throw new IngestError(file, 'file holds only whitespace');
  return { text, encoding };
}
