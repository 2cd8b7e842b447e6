/**
 * Zip containers (DOCX, XLSX) read from the central directory only, so that a
 * file is judged before anything is inflated: truncated archives, encrypted
 * entries and zip bombs (parts that inflate past a limit, or at a ratio no
 * office document has) are refused in bounded time and memory.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** CRC-32 of the uncompressed data, from the central directory */
  crc: number;
}

export interface ZipLimits {
  /** sum of the uncompressed sizes */
  maxTotal: number;
  /** one part's uncompressed size */
  maxPart: number;
  /** uncompressed / compressed, for parts above `ratioFloor` bytes */
  maxRatio: number;
  ratioFloor: number;
  maxEntries: number;
}

export const ZIP_LIMITS: ZipLimits = {
  maxTotal: 200 * 1024 * 1024,
  maxPart: 100 * 1024 * 1024,
  maxRatio: 200,
  ratioFloor: 1024 * 1024,
  maxEntries: 20000,
};

/** A reason the archive cannot be read, phrased for an IngestError. */
export class ZipProblem extends Error {}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;

/** The central directory's entries; throws ZipProblem when it is missing or broken. */
export function listZip(bytes: Uint8Array): ZipEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 22) throw new ZipProblem('truncated zip archive (too short to hold a central directory)');
  let eocd = -1;
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipProblem('truncated or damaged zip archive (no end-of-central-directory record)');
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== ZIP64_LOCATOR) throw new ZipProblem('damaged zip64 archive (no zip64 locator)');
    const rec = Number(buf.readBigUInt64LE(loc + 8));
    if (rec + 56 > buf.length || buf.readUInt32LE(rec) !== ZIP64_EOCD) throw new ZipProblem('truncated zip64 archive');
    count = Number(buf.readBigUInt64LE(rec + 32));
    cdSize = Number(buf.readBigUInt64LE(rec + 40));
    cdOffset = Number(buf.readBigUInt64LE(rec + 48));
  }
  if (cdOffset + cdSize > buf.length) throw new ZipProblem('truncated zip archive (the central directory lies past the end of the file)');
  if (count > ZIP_LIMITS.maxEntries) throw new ZipProblem(`zip archive with ${count} entries (limit ${ZIP_LIMITS.maxEntries})`);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CEN) throw new ZipProblem('damaged zip archive (bad central directory entry)');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    if (p + 46 + nameLen + extraLen + commentLen > buf.length) throw new ZipProblem('truncated zip archive (central directory cut short)');
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    // zip64 sizes live in extra field 0x0001, in this order, only where the 32-bit field is saturated
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        const next = () => {
          const v = q + 8 <= e + 4 + len ? Number(buf.readBigUInt64LE(q)) : NaN;
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      e += 4 + len;
    }
    if (![size, compressedSize, localOffset].every(Number.isFinite)) throw new ZipProblem(`damaged zip archive (bad zip64 sizes for ${name})`);
    entries.push({ name, method, flags, compressedSize, size, localOffset, crc: buf.readUInt32LE(p + 16) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Judge an archive by its directory: throws ZipProblem when it must not be inflated. */
export function checkZip(bytes: Uint8Array, limits: ZipLimits = ZIP_LIMITS): ZipEntry[] {
  const entries = listZip(bytes);
  if (entries.length === 0) throw new ZipProblem('empty zip archive (no entries)');
  const total = entries.reduce((s, e) => s + e.size, 0);
  if (total > limits.maxTotal) throw new ZipProblem(`zip bomb? the parts inflate to ${total} bytes, more than ${limits.maxTotal}`);
  for (const e of entries) {
    if (e.flags & 0x1) throw new ZipProblem(`encrypted zip entry '${e.name}' (password-protected)`);
    if (e.method !== 0 && e.method !== 8) throw new ZipProblem(`zip entry '${e.name}' uses compression method ${e.method} (only stored and deflate are read)`);
    if (e.localOffset + 30 + e.compressedSize > bytes.length) throw new ZipProblem(`truncated zip archive (entry '${e.name}' runs past the end of the file)`);
    if (e.size > limits.maxPart) throw new ZipProblem(`zip bomb? entry '${e.name}' inflates to ${e.size} bytes (limit ${limits.maxPart})`);
    if (e.size >= limits.ratioFloor && e.size > limits.maxRatio * Math.max(1, e.compressedSize)) {
      throw new ZipProblem(`zip bomb? entry '${e.name}' inflates ${Math.round(e.size / Math.max(1, e.compressedSize))}-fold (${e.compressedSize} → ${e.size} bytes; limit ${limits.maxRatio})`);
    }
  }
  return entries;
}

/**
 * Inflate one entry, never past its declared size (a directory that lies
 * about sizes cannot make this allocate more).
 */
export function readZipEntry(bytes: Uint8Array, e: ZipEntry): Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOC) throw new ZipProblem(`damaged zip archive (no local header for '${e.name}')`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw new ZipProblem(`truncated zip archive (entry '${e.name}' runs past the end of the file)`);
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return Buffer.from(data);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw new ZipProblem(`zip bomb? entry '${e.name}' inflates past its declared ${e.size} bytes`);
    throw new ZipProblem(`damaged zip entry '${e.name}' (${(err as Error).message})`);
  }
}

/**
 * Inflate every entry within its declared size, so that a lying directory is
 * caught before a library inflates the archive without limits.
 */
export function verifyZip(bytes: Uint8Array, entries: ZipEntry[]): void {
  for (const e of entries) {
    if (e.name.endsWith('/') && e.size === 0) continue;
    const out = readZipEntry(bytes, e);
    if (out.length !== e.size) throw new ZipProblem(`damaged zip entry '${e.name}' (inflates to ${out.length} bytes, the directory says ${e.size})`);
    // damaged deflate data can still inflate to the right size: the checksum says whether it is the data that was zipped
    if (crc32(out) !== e.crc) throw new ZipProblem(`damaged zip entry '${e.name}' (its CRC-32 does not match)`);
  }
}

let CRC_TABLE: Uint32Array | undefined;

/** CRC-32 (IEEE), as zip stores it. */
export function crc32(data: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** What an OOXML package holds, by its part names. */
export function ooxmlKind(entries: ZipEntry[]): 'docx' | 'xlsx' | 'pptx' | 'zip' {
  const names = entries.map((e) => e.name);
  if (names.some((n) => n === 'word/document.xml' || /^word\/.+\.xml$/.test(n))) return 'docx';
  if (names.some((n) => n === 'xl/workbook.xml' || n === 'xl/workbook.bin' || /^xl\/.+\.xml$/.test(n))) return 'xlsx';
  if (names.some((n) => n.startsWith('ppt/'))) return 'pptx';
  return 'zip';
}
