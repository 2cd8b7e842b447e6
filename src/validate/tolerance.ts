/**
 * The one tolerance policy. Printed amounts are rounded to 0.01 of their unit
 * (万元 → 100 yuan, 元 → 0.01 yuan), and a sum of n printed values can drift by
 * up to n half-units; we call a gap of at most two hundredths of the unit
 * `info` (rounding) and anything larger `error`. Recomputed percentages are
 * compared at the precision printed: equal after rounding → ok, off by one in
 * the last printed digit → `info` (truncation or double rounding), more → `error`.
 */
export type Verdict = 'ok' | 'info' | 'error';

/** fen per unit of the printed amount */
export function unitFen(printedUnit: string | undefined): bigint {
  if (printedUnit === '元') return 100n;
  if (printedUnit === '亿元') return 10_000_000_000n;
  if (printedUnit === '千元') return 100_000n;
  return 1_000_000n; // 万元, the usual unit
}

export function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** Decimals printed: `2,946.25` → 2, `189,767,551` → 0. */
export function decimalsOf(printed: string | undefined): number {
  if (!printed) return 2;
  const t = printed.trim().replace(/[%％]$/, '');
  const dot = t.search(/[.．]/);
  return dot < 0 ? 0 : t.length - dot - 1;
}

/**
 * Compare two amounts in fen printed in `printedUnit` (the coarser of the two
 * sides) with `decimals` decimals (the fewest printed; 2 unless known). The
 * last printed digit is the rounding step: a gap of up to two steps is `info`.
 */
export function amountVerdict(a: bigint, b: bigint, printedUnit: string | undefined, decimals = 2): Verdict {
  const gap = abs(a - b);
  if (gap === 0n) return 'ok';
  const step = unitFen(printedUnit) / 10n ** BigInt(Math.min(Math.max(decimals, 0), 2));
  return gap <= 2n * step ? 'info' : 'error';
}

/**
 * A sum of `parts` rounded amounts (2 decimals of `printedUnit`) against the total
 * printed for them: each part may be off by half a step, so beyond `amountVerdict`'s
 * two steps a gap of up to n half-steps is rounding too (`info`).
 */
export function sumVerdict(sum: bigint, total: bigint, printedUnit: string | undefined, parts: number, decimals = 2): Verdict {
  const v = amountVerdict(sum, total, printedUnit, decimals);
  if (v !== 'error') return v;
  const step = unitFen(printedUnit) / 10n ** BigInt(Math.min(Math.max(decimals, 0), 2));
  return abs(sum - total) * 2n <= BigInt(parts) * step ? 'info' : 'error';
}

/** A percent recomputed from amounts against the percent as printed. */
export function percentVerdict(recomputed: number, printed: string): Verdict {
  const dot = printed.indexOf('.');
  const decimals = dot < 0 ? 0 : printed.length - dot - 1;
  const value = Number(printed);
  const step = 10 ** -decimals;
  const rounded = Math.round(recomputed / step) * step;
  if (Math.abs(rounded - value) < step / 1000) return 'ok';
  return Math.abs(recomputed - value) <= step * 1.0001 ? 'info' : 'error';
}

export function fmtFen(fen: bigint, unit: string | undefined = '万元'): string {
  const per = unitFen(unit);
  const neg = fen < 0n;
  const a = neg ? -fen : fen;
  const whole = a / per;
  const frac = a % per;
  const digits = per.toString().length - 1;
  let fracStr = frac.toString().padStart(digits, '0').replace(/0+$/, '');
  if (fracStr.length < 2 && digits >= 2) fracStr = fracStr.padEnd(2, '0');
  return `${neg ? '-' : ''}${whole}${fracStr ? '.' + fracStr : ''}${unit}`;
}

/**
 * Is `printed` (in fen, printed in `unit` with `decimals` decimals) the rounding of
 * the more precise `precise`? E.g. 25.93万元 for a table's 259,320元.
 */
export function isRoundingOf(printedFen: bigint, precise: bigint, unit: string | undefined, printedText: string | undefined): boolean {
  const dot = printedText?.indexOf('.') ?? -1;
  const decimals = printedText && dot >= 0 ? printedText.length - dot - 1 : 0;
  const step = unitFen(unit) / 10n ** BigInt(decimals);
  return abs(printedFen - precise) * 2n <= step;
}
