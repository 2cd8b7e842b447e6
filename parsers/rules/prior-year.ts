/**
 * Prior-year checks across documents: a document that states a change against
 * the prior year (与2023年度相比，减少56.95万元；比2024年预算增加3,355.65万元)
 * is checked against the prior year's document of the same department and kind
 * when the store has it. The finding goes on the document that makes the claim.
 */
import type { Evidence, Finding } from '../../src/model.js';
import { amountVerdict, decimalsOf, fmtFen, percentVerdict, unitFen } from '../../src/validate/tolerance.js';

export const PRIOR_YEAR_LINKS: Array<{ change: string; pct: string; base: string; label: string }> = [
  { change: 'totals.change', pct: 'totals.change_pct', base: 'totals.total', label: '收入支出总计' },
  { change: 'appropriation.change', pct: 'appropriation.change_pct', base: 'appropriation.total', label: '财政拨款收入支出总计' },
  { change: 'gpb.change', pct: 'gpb.change_pct', base: 'gpb.expenditure', label: '一般公共预算财政拨款支出' },
];

export interface FactRow {
  key: string;
  value: number;
  value_fen: bigint | null;
  printed: string | null;
  printed_unit: string | null;
  evidence: Evidence[];
}

export function priorYearFindings(current: Map<string, FactRow>, prior: Map<string, FactRow>, priorYear: number, priorLabel: string): Finding[] {
  const out: Finding[] = [];
  for (const link of PRIOR_YEAR_LINKS) {
    const chg = current.get(link.change);
    const base = current.get(link.base);
    const before = prior.get(link.base);
    if (!chg || !base || !before || chg.value_fen === null || base.value_fen === null || before.value_fen === null) continue;
    const implied = base.value_fen - chg.value_fen;
    const ev = [chg.evidence[0]!, base.evidence[0]!, before.evidence[0]!];
    // the change is the difference of two rounded prints: the implied prior is exact to one step of its last digit
    const unit = chg.printed_unit ?? '万元';
    const step = (unitFen(unit) / 10n ** BigInt(decimalsOf(chg.printed ?? undefined)));
    const gap = implied > before.value_fen ? implied - before.value_fen : before.value_fen - implied;
    if (gap > step) {
      const v = amountVerdict(implied, before.value_fen, unit, decimalsOf(chg.printed ?? undefined));
      out.push({
        rule: 'prior_year.change',
        severity: v === 'info' ? 'info' : 'error',
        message: `${link.label}: ${fmtFen(base.value_fen)} with a stated change of ${fmtFen(chg.value_fen)} implies ${fmtFen(implied)} for ${priorYear}; the ${priorYear} document (${priorLabel}) gives ${fmtFen(before.value_fen)}`,
        evidence: ev,
      });
    }
    const pct = current.get(link.pct);
    if (pct?.printed && before.value_fen !== 0n) {
      const got = (Number(chg.value_fen < 0n ? -chg.value_fen : chg.value_fen) / Number(before.value_fen)) * 100;
      const v = percentVerdict(got, pct.printed.replace(/[%％]$/, ''));
      if (v !== 'ok') {
        out.push({
          rule: 'prior_year.change_pct',
          severity: v,
          message: `${link.label}: the change ${fmtFen(chg.value_fen)} is ${got.toFixed(4)}% of the ${priorYear} figure ${fmtFen(before.value_fen)}; printed ${pct.printed}`,
          evidence: [pct.evidence[0]!, before.evidence[0]!],
        });
      }
    }
  }
  return out;
}
