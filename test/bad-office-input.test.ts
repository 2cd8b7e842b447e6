import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { failureMessage, IngestError, UnsupportedFormatError } from '../src/ingest/errors.js';
import { readBytes, readDocument, sniff } from '../src/ingest/index.js';
import { cellText } from '../src/ingest/sheet.js';
import { corpus } from './helpers.js';
import { docxParts, makeDocx, makeOle, makeZip, wp } from './office-fixtures.js';

/** The reader refuses the bytes with one line that names the file, quickly. */
async function refused(bytes: Uint8Array, label: string, says: RegExp, maxMs = 3000): Promise<IngestError> {
  const t = performance.now();
  let err: unknown;
  try {
    await readBytes(bytes, label);
  } catch (e) {
    err = e;
  }
  const ms = performance.now() - t;
  expect(err, `${label} should be refused`).toBeInstanceOf(IngestError);
  const e = err as IngestError;
  expect(e.message).not.toContain('\n');
  expect(e.message.startsWith(`${label}: `)).toBe(true);
  expect(e.message).toMatch(says);
  expect(ms).toBeLessThan(maxMs);
  return e;
}

const simpleDocx = () => makeDocx(wp('第一部分 部门概况', 'Heading1') + wp('2020年本年收入合计7865.6万元。'));

describe('zip bombs are refused from the central directory, before anything is inflated', () => {
  it('a part that claims more than 100 MB', async () => {
    const parts = docxParts(wp('正文'));
    parts.push({ name: 'word/media/huge.bin', data: Buffer.alloc(1000), claimSize: 150 * 1024 * 1024 });
    await refused(makeZip(parts), 'bomb-part.docx', /zip bomb\?.*huge\.bin.*inflates to 157286400 bytes/);
  });
  it('parts that claim more than 200 MB together', async () => {
    const parts = docxParts(wp('正文'));
    for (let i = 0; i < 3; i++) parts.push({ name: `word/media/p${i}.bin`, data: Buffer.alloc(10), claimSize: 90 * 1024 * 1024, store: true });
    await refused(makeZip(parts), 'bomb-total.xlsx', /zip bomb\?.*inflate to \d+ bytes, more than 209715200/);
  });
  it('a part that inflates more than 200-fold (8 MB of zeros)', async () => {
    const parts = docxParts(wp('正文'));
    parts.push({ name: 'word/media/zeros.bin', data: Buffer.alloc(8 * 1024 * 1024) });
    await refused(makeZip(parts), 'bomb-ratio.docx', /zip bomb\?.*zeros\.bin.*inflates \d+-fold/);
  });
  it('a directory that understates a part: inflation stops at the declared size', async () => {
    const parts = docxParts(wp('正文'));
    parts.push({ name: 'word/media/liar.bin', data: Buffer.alloc(4 * 1024 * 1024, 0x41), claimSize: 1000 });
    await refused(makeZip(parts), 'bomb-liar.docx', /zip bomb\?.*liar\.bin.*past its declared 1000 bytes/);
  });
  it('an XLSX bomb is refused the same way', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['a']]), 'S');
    const ok = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    expect(sniff(ok)).toBe('xlsx');
    const parts = [{ name: 'xl/workbook.xml', data: '<workbook/>' }, { name: 'xl/worksheets/sheet9.xml', data: Buffer.alloc(10), claimSize: 120 * 1024 * 1024 }];
    await refused(makeZip(parts), 'bomb.xlsx', /^bomb\.xlsx: XLSX: zip bomb\?/);
  });
});

describe('damaged, truncated, encrypted and empty files', () => {
  it('a malformed zip (local header, then garbage)', async () => {
    const bytes = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(300, 0x5a)]);
    await refused(bytes, 'garbage.docx', /(truncated|damaged) .*zip archive|zip archive that cannot be read/);
  });
  it('a zip with a broken central directory entry', async () => {
    const z = simpleDocx();
    const cd = z.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    z.writeUInt32LE(0xdeadbeef, cd);
    await refused(z, 'bad-cd.docx', /damaged zip archive/);
  });
  it('a truncated DOCX (the corpus file cut in half)', async () => {
    const full = readFileSync(corpus('sichuan-zwfw-2020-js.docx'));
    await refused(full.subarray(0, Math.floor(full.length / 2)), 'half.docx', /DOCX: truncated or damaged zip archive/);
  });
  it('a truncated XLSX (the corpus workbook cut in half)', async () => {
    const full = readFileSync(corpus('putuo-template-2026-bmys.xlsx'));
    await refused(full.subarray(0, Math.floor(full.length / 2)), 'half.xlsx', /XLSX: truncated or damaged zip archive/);
  });
  it('a truncated .xls (BIFF in OLE, cut to its header)', async () => {
    const full = readFileSync(corpus('putuo-template-2026-dwys.xls'));
    await refused(full.subarray(0, 2000), 'cut.xls', /truncated|damaged|cannot be read/);
  });
  it('an .xls with a damaged record is read, and what the workbook reader skipped is a note naming the file, not console output', async () => {
    const full = readFileSync(corpus('putuo-template-2026-dwys.xls'));
    const intact = await readBytes(full, 'intact.xls');
    const damaged = Buffer.from(full);
    damaged[4586] = damaged[4587] = 0x40; // a BIFF record header: now an unknown record type 0x4040
    const printed: unknown[] = [];
    const saved = console.error;
    console.error = (...a: unknown[]) => void printed.push(a);
    let doc;
    try {
      doc = await readBytes(damaged, 'damaged.xls');
    } finally {
      console.error = saved;
    }
    expect(printed).toEqual([]);
    expect(console.error).toBe(saved);
    expect(doc.notes.map((n) => [n.rule, n.severity])).toContainEqual(['reader.sheet_damaged', 'warning']);
    const note = doc.notes.find((n) => n.rule === 'reader.sheet_damaged')!;
    expect(note.message).toMatch(/skipped 1 damaged or unknown part \(Missing Info for XLS Record 0x4040\)/);
    expect(note.evidence[0]!.file).toBe('damaged.xls');
    expect(intact.notes.filter((n) => n.rule === 'reader.sheet_damaged')).toEqual([]);
    expect(doc.blocks.length).toBe(intact.blocks.length);
  });
  it('an .xls whose damaged records leave a number where a cell\'s text goes is read (scripts/mutate-corpus.ts, seed 1, copy 222)', async () => {
    const damaged = Buffer.from(readFileSync(corpus('putuo-template-2026-dwys.xls')));
    // the 36 random bytes of that copy: [offset, byte]
    const changes = [[12794, 141], [42263, 235], [71946, 107], [75738, 165], [105663, 144], [122435, 176], [139370, 58], [145922, 215], [148292, 122], [165394, 5], [175687, 58], [189176, 110], [196990, 95], [201562, 26], [209228, 63], [227286, 210], [252529, 237], [273442, 213], [277061, 245], [280901, 109], [290890, 211], [302640, 32], [306462, 214], [311532, 10], [325227, 250], [346220, 175], [371420, 169], [409906, 78], [420196, 22], [421709, 152], [423033, 3], [473653, 116], [475674, 43], [489474, 11], [494659, 198], [508567, 211]];
    for (const [at, byte] of changes) damaged[at!] = byte!;
    const doc = await readBytes(damaged, 'damaged.xls'); // was: TypeError t.split is not a function
    expect(doc.blocks.length).toBeGreaterThan(20);
    expect(cellText({ t: 'n', v: 5, w: 5 as unknown as string })).toBe('5');
  });
  it('an error that is not a reader\'s own refusal still gives one line naming the file', () => {
    expect(failureMessage(['a.xls'], new TypeError('t.split is not a function'))).toBe('a.xls: cannot be read (TypeError: t.split is not a function)');
    expect(failureMessage(['a.pdf', 'a-tables.pdf'], new RangeError('Maximum call stack\nsize exceeded'))).toBe('a.pdf + a-tables.pdf: cannot be read (RangeError: Maximum call stack size exceeded)');
    expect(failureMessage(['b.txt'], new IngestError('b.txt', 'empty file (0 bytes)'))).toBe('b.txt: empty file (0 bytes)');
  });
  it('a zip whose entry runs past the end of the file', async () => {
    const z = simpleDocx();
    // claim a larger compressed size for the first entry in the directory
    const cd = z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    z.writeUInt32LE(10_000_000, cd + 20);
    await refused(z, 'short.docx', /runs past the end of the file/);
  });
  it('an encrypted Office file (OLE with EncryptionInfo + EncryptedPackage), whatever its name', async () => {
    const ole = makeOle(['EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']);
    await refused(ole, 'secret.docx', /encrypted \(password-protected\) Office file/);
    await refused(ole, 'secret.xlsx', /encrypted \(password-protected\) Office file/);
  });
  it('an encrypted zip entry', async () => {
    const z = simpleDocx();
    const cd = z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    z.writeUInt16LE(z.readUInt16LE(cd + 8) | 1, cd + 8);
    await refused(z, 'zipcrypto.docx', /encrypted zip entry/);
  });
  it('a legacy Word .doc: unsupported, convert to DOCX', async () => {
    const e = await refused(makeOle(['WordDocument', '1Table', '\u0005SummaryInformation']), 'old.doc', /legacy Word \.doc .*convert it to DOCX/);
    expect(e).toBeInstanceOf(UnsupportedFormatError);
  });
  it('an OLE file cut inside its header', async () => {
    await refused(makeOle(['WordDocument']).subarray(0, 300), 'cut.doc', /truncated OLE compound file/);
  });
  it('an empty file', async () => {
    await refused(new Uint8Array(0), 'empty.xlsx', /empty file \(0 bytes\)/);
    const dir = mkdtempSync(path.join(tmpdir(), 'office-'));
    writeFileSync(path.join(dir, 'empty.docx'), '');
    await expect(readDocument(path.join(dir, 'empty.docx'))).rejects.toThrow(/empty\.docx: empty file/);
  });
  it('a DOCX without word/document.xml', async () => {
    await refused(makeZip([{ name: 'word/styles.xml', data: '<w:styles/>' }]), 'nobody.docx', /without word\/document\.xml/);
  });
  it('a plain zip named .docx says what it is', async () => {
    await refused(makeZip([{ name: 'readme.txt', data: 'hello' }]), 'archive.docx', /zip archive that is neither DOCX nor XLSX/);
  });
});

describe('formats are sniffed from content, not the extension', () => {
  it('an HTML error page saved as .pdf is refused, saying it is an HTML page', async () => {
    const page = '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>';
    const e = await refused(new TextEncoder().encode(page), 'report.pdf', /named \.pdf but is an HTML page titled "404 Not Found"/);
    expect(e.reason.length).toBeLessThan(200);
  });
  it('an HTML disclosure saved as .pdf is read as HTML', async () => {
    const text = '重庆市某某局2018年部门预算情况说明。'.repeat(1) + '<p>2018年一般公共预算财政拨款收入324970.32万元，一般公共预算财政拨款支出324970.32万元，主要用于公路水路交通基础设施建设、铁路民航事业发展、交通信息化及节能减排项目建设等重点工作，保障在职人员工资福利及社会保险缴费、离退休人员离退休费及生活补助。</p>'.repeat(3);
    const doc = await readBytes(new TextEncoder().encode(`<html><body><h2>${text}</h2></body></html>`), 'page.pdf');
    expect(doc.file.format).toBe('html');
  });
  it('a DOCX named .doc is read as DOCX', async () => {
    const doc = await readBytes(simpleDocx(), 'misnamed.doc');
    expect(doc.file.format).toBe('docx');
    expect(doc.blocks.map((b) => (b.kind === 'heading' || b.kind === 'paragraph' ? b.text : ''))).toEqual(['第一部分部门概况', '2020年本年收入合计7865.6万元。']);
  });
  it('an XLSX named .xls and an .xls named .xlsx are read as what they are', async () => {
    const xlsx = await readBytes(readFileSync(corpus('putuo-template-2026-dwys.xlsx')), 'misnamed.xls');
    expect(xlsx.file.format).toBe('xlsx');
    const xls = await readBytes(readFileSync(corpus('putuo-template-2026-dwys.xls')), 'misnamed.xlsx');
    expect(xls.file.format).toBe('xls');
  });
  it('sniff looks at the zip directory for DOCX/XLSX', () => {
    expect(sniff(simpleDocx())).toBe('docx');
    expect(sniff(makeZip([{ name: 'a.txt', data: 'x' }]))).toBe('zip');
    expect(sniff(makeOle(['WordDocument']))).toBe('ole');
    expect(sniff(new TextEncoder().encode('<%@ page contentType="text/html; charset=UTF-8"%>\n<html><body>x</body></html>'))).toBe('html');
  });
});
