/**
 * GBK bytes of a string, for building test fixtures (Node decodes GBK but has
 * no encoder). The table is built once from the platform's GBK decoder.
 */
let table: Map<string, Buffer> | undefined;

export function encodeGbk(s: string, missing: 'question-mark' | 'throw' = 'question-mark'): Buffer {
  if (!table) {
    table = new Map();
    const dec = new TextDecoder('gbk');
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = dec.decode(Uint8Array.of(a, b));
        if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, Buffer.from([a, b]));
      }
    }
  }
  const out: Buffer[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      out.push(Buffer.from([c]));
      continue;
    }
    const b = table.get(ch);
    if (!b && missing === 'throw') throw new Error(`no GBK code for ${ch}`);
    out.push(b ?? Buffer.from('?'));
  }
  return Buffer.concat(out);
}
