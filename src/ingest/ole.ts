/**
 * OLE compound files (legacy .doc/.xls, and encrypted OOXML, which Office
 * wraps in an OLE file with `EncryptionInfo` + `EncryptedPackage` streams):
 * just enough of the format to list the stream names, with bounded loops.
 */

export interface OleInfo {
  streams: string[];
  kind: 'encrypted-ooxml' | 'doc' | 'xls' | 'ppt' | 'unknown';
}

const FREE = 0xffffffff;
const END = 0xfffffffe;

export class OleProblem extends Error {}

export function oleInfo(bytes: Uint8Array): OleInfo {
  const streams = oleStreamNames(bytes);
  const has = (n: string) => streams.some((s) => s.toLowerCase() === n.toLowerCase());
  let kind: OleInfo['kind'] = 'unknown';
  if (has('EncryptedPackage') || has('EncryptionInfo')) kind = 'encrypted-ooxml';
  else if (has('WordDocument')) kind = 'doc';
  else if (has('Workbook') || has('Book')) kind = 'xls';
  else if (has('PowerPoint Document')) kind = 'ppt';
  return { streams, kind };
}

/** Names of the directory entries (storages and streams). */
export function oleStreamNames(bytes: Uint8Array): string[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 512) throw new OleProblem('truncated OLE compound file (shorter than its 512-byte header)');
  const shift = buf.readUInt16LE(30);
  if (shift !== 9 && shift !== 12) throw new OleProblem(`damaged OLE compound file (sector size 2^${shift})`);
  const sectorSize = 1 << shift;
  const numFatSectors = buf.readUInt32LE(44);
  const firstDirSector = buf.readUInt32LE(48);
  const firstDifat = buf.readUInt32LE(68);
  const numDifat = buf.readUInt32LE(72);
  const maxSectors = Math.ceil(buf.length / sectorSize) + 1;
  const sectorOffset = (s: number) => (s + 1) * sectorSize;
  const inFile = (s: number) => s < maxSectors && sectorOffset(s) + sectorSize <= buf.length;

  // FAT sector numbers: 109 in the header, the rest in the DIFAT chain
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < numFatSectors; i++) {
    const s = buf.readUInt32LE(76 + 4 * i);
    if (s !== FREE) fatSectors.push(s);
  }
  let d = firstDifat;
  for (let n = 0; n < numDifat && d !== END && d !== FREE; n++) {
    if (!inFile(d)) throw new OleProblem('truncated OLE compound file (DIFAT past the end)');
    const off = sectorOffset(d);
    for (let i = 0; i < sectorSize / 4 - 1 && fatSectors.length < numFatSectors; i++) {
      const s = buf.readUInt32LE(off + 4 * i);
      if (s !== FREE) fatSectors.push(s);
    }
    d = buf.readUInt32LE(off + sectorSize - 4);
  }
  const fatNext = (s: number): number => {
    const per = sectorSize / 4;
    const fs = fatSectors[Math.floor(s / per)];
    if (fs === undefined || !inFile(fs)) throw new OleProblem('truncated OLE compound file (allocation table past the end)');
    return buf.readUInt32LE(sectorOffset(fs) + 4 * (s % per));
  };

  const names: string[] = [];
  let s = firstDirSector;
  for (let guard = 0; s !== END && s !== FREE; guard++) {
    if (guard > maxSectors) throw new OleProblem('damaged OLE compound file (directory chain loops)');
    if (!inFile(s)) throw new OleProblem('truncated OLE compound file (directory past the end of the file)');
    const off = sectorOffset(s);
    for (let e = 0; e < sectorSize / 128; e++) {
      const base = off + e * 128;
      const nameLen = buf.readUInt16LE(base + 64);
      const type = buf[base + 66];
      if (type === 0 || nameLen < 2 || nameLen > 64) continue;
      names.push(buf.toString('utf16le', base, base + nameLen - 2));
    }
    s = fatNext(s);
  }
  if (names.length === 0) throw new OleProblem('damaged OLE compound file (empty directory)');
  return names;
}
