/** Hand-built PDFs for the reader tests (test/pdf.test.ts, test/pdf-fast.test.ts). */
import { deflateSync } from 'node:zlib';

/** Serialise PDF objects (1-based, in order) with a correct xref table. */
export function buildPdf(objs: string[], trailerExtra = ''): Uint8Array {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

/** An unfiltered stream; `dict` adds entries to its dictionary. */
export const stream = (content: string, dict = '') => `<< /Length ${Buffer.byteLength(content, 'latin1')} ${dict}>>\nstream\n${content}\nendstream`;

/** A FlateDecode stream; `damaged` drops the zlib checksum at the end, as some writers do. */
export function flateStream(content: string | Buffer, opts: { damaged?: boolean; dict?: string } = {}): string {
  let z = deflateSync(typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
  if (opts.damaged) z = z.subarray(0, z.length - 4);
  return `<< /Length ${z.length} /Filter /FlateDecode ${opts.dict ?? ''}>>\nstream\n${z.toString('latin1')}\nendstream`;
}
