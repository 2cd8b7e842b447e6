/**
 * Exact money: printed decimal strings → integer fen (0.01 yuan), never float 万元.
 * `2,946.25` 万元 → 2_946_250_000 fen → 29462500 yuan.
 */

export type MoneyUnit = '元' | '万元' | '亿元' | '千元';

const SCALE_FEN: Record<MoneyUnit, bigint> = {
  元: 100n,
  千元: 100_000n,
  万元: 1_000_000n,
  亿元: 10_000_000_000n,
};

/** Normalise a printed number: full-width digits, thousands separators, spaces, (x) negatives. */
export function cleanNumber(printed: string): string | null {
  const digits = printed.replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[．]/g, '.').replace(/\s/g, '');
  // thousands separators group by three: `32,801,936639` is a misread (OCR took the point
  // for a comma), not 32 billion
  if (/[,，]/.test(digits)) {
    const int = digits.replace(/^[+＋\-－—–−（(]+/, '').split('.')[0]!;
    const groups = int.split(/[,，]/);
    if (!/^\d{1,3}$/.test(groups[0]!) || groups.slice(1).some((g) => !/^\d{3}$/.test(g.replace(/[)）]$/, '')))) return null;
  }
  let s = digits
    .replace(/[,，]/g, '')
    .replace(/^[+＋]/, '');
  let neg = false;
  const paren = /^[（(](.*)[)）]$/.exec(s);
  if (paren) {
    neg = true;
    s = paren[1]!;
  }
  if (/^[-－—–−]/.test(s)) {
    neg = !neg;
    s = s.slice(1);
  }
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s)) return null;
  if (s.startsWith('.')) s = '0' + s;
  if (s.endsWith('.')) s = s.slice(0, -1);
  return (neg ? '-' : '') + s;
}

/** Is this cell text a number (amount, percent or count) as printed? */
export function isNumeric(text: string): boolean {
  const t = text.trim().replace(/%$/, '');
  return t !== '' && cleanNumber(t) !== null;
}

/**
 * Printed amount in `unit` → integer fen (bigint). Digits beyond the fen are
 * rounded half away from zero (a 万元 figure with 7 decimals is rare but printed).
 */
export function toFen(printed: string, unit: MoneyUnit): bigint | null {
  const n = cleanNumber(printed);
  if (n === null) return null;
  const neg = n.startsWith('-');
  const [intPart, frac = ''] = (neg ? n.slice(1) : n).split('.');
  const scale = SCALE_FEN[unit];
  const decimals = frac.length;
  const digits = BigInt((intPart ?? '0') + frac);
  const den = 10n ** BigInt(decimals);
  let q = (digits * scale) / den;
  const r = (digits * scale) % den;
  if (r * 2n >= den) q += 1n;
  return neg ? -q : q;
}

/** fen → yuan as a JSON number with at most two decimals (exact for |yuan| < 2^53/100). */
export function fenToYuan(fen: bigint): number {
  return Number(fen) / 100;
}

export function yuanOf(printed: string, unit: MoneyUnit): number | null {
  const f = toFen(printed, unit);
  return f === null ? null : fenToYuan(f);
}

/** yuan (number, ≤2 decimals) → integer fen, exactly. */
export function yuanToFen(yuan: number): bigint {
  return BigInt(Math.round(yuan * 100));
}

/** A percent as printed: `10.64%` → 10.64; signless. */
export function percentOf(printed: string): number | null {
  const n = cleanNumber(printed.replace(/%$/, ''));
  return n === null ? null : Number(n);
}

export function normaliseUnit(u: string | undefined): MoneyUnit | undefined {
  if (!u) return undefined;
  const t = u.replace(/\s/g, '');
  if (t === '元' || t === '人民币元') return '元';
  if (t === '万元') return '万元';
  if (t === '亿元') return '亿元';
  if (t === '千元') return '千元';
  return undefined;
}

/** Count of decimals printed (for tolerance: a value printed to 0.01 万元 is exact to 100 yuan). */
export function printedDecimals(printed: string): number {
  const n = cleanNumber(printed);
  if (n === null) return 0;
  const i = n.indexOf('.');
  return i < 0 ? 0 : n.length - i - 1;
}
