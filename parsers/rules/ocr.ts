/**
 * Figures read by OCR are checked, not trusted: the identities check them like any
 * other figure (their findings name the OCR'd cells, whose evidence says `ocr`), and
 * a fact or line item whose reading the engine was not sure of is named here, so
 * that no uncertain number is stored without a finding.
 */
import type { Evidence } from '../../src/model.js';
import type { RawFinding, Rule } from '../../src/validate/engine.js';
import type { CheckContext } from './context.js';
import { evidenceOf, firstDataRow, isAmount, labelOf, tableLabel } from '../tables/grid.js';
import { isNumeric } from '../../src/money.js';

/** Below this confidence an OCR reading is doubtful (correct readings of printed digits score ≥ 0.95). */
export const OCR_CONFIDENCE_MIN = 0.9;

const doubtful = (e: Evidence | undefined) => e?.source === 'ocr' && e.confidence !== undefined && e.confidence < OCR_CONFIDENCE_MIN;

export const ocrConfidenceRule: Rule<CheckContext> = {
  id: 'ocr.low_confidence',
  severity: 'warning',
  description: `a fact or line item read by OCR with a confidence below ${OCR_CONFIDENCE_MIN}: check it against the page`,
  reads: [],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const [key, c] of ctx.chosen) {
      if (key.startsWith('x.') || !doubtful(c.evidence)) continue;
      out.push({ message: `${key}: ${c.evidence.printed ?? c.evidence.quote} was read by OCR with confidence ${c.evidence.confidence!.toFixed(2)}: check it against page ${c.evidence.page ?? '?'}`, evidence: [c.evidence] });
    }
    for (const li of [...ctx.tableItems, ...ctx.narrativeItems]) {
      const e = li.evidence.find(doubtful);
      if (!e) continue;
      out.push({ message: `line item ${li.code ?? ''} ${li.path.join('/')}: read by OCR with confidence ${e.confidence!.toFixed(2)}: check it against page ${e.page ?? '?'}`.replace(/\s+/g, ' '), evidence: [e] });
    }
    return out;
  },
};

/** Digits and separators only, but not a number (`6,93.74`: a digit lost between a comma and the point). */
const GARBLED = /^[-\d,，.．\s]*\d[-\d,，.．\s]*\d[-\d,，.．\s]*$/;

export const ocrUnreadableRule: Rule<CheckContext> = {
  id: 'ocr.unreadable_number',
  severity: 'warning',
  description: 'a table cell read by OCR holds digits that do not make a number (a digit or separator lost): its value is not used',
  reads: [],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const t of ctx.tables) {
      if (!t.conf) continue;
      for (let r = firstDataRow(t); r < t.rows.length; r++) {
        t.rows[r]!.forEach((cell, c) => {
          const s = cell.trim();
          if (!GARBLED.test(s) || isNumeric(s) || /^\d+(?:\s+\d+)+$/.test(s)) return;
          const label = labelOf(t.rows[r]!.slice(0, c).reverse().find((x) => x.trim() !== '' && !isNumeric(x) && !GARBLED.test(x.trim())) ?? '');
          out.push({ message: `${t.title}: ${label ? `row ${label}, ` : ''}the cell read as ${s} is not a number: check it against page ${t.rowPages[r] ?? t.pages[0] ?? '?'}`, evidence: [evidenceOf(t, { printed: s, row: r, col: c })] });
        });
      }
    }
    return out;
  },
};

/**
 * A value read by OCR printed as a bare integer in a table whose other amounts carry
 * decimals (`2` where the table prints `19,572.91`) may be a row number or a mark read
 * as a digit. The row's identities may still hold by chance; this says so.
 */
export const ocrBareIntegerRule: Rule<CheckContext> = {
  id: 'ocr.bare_integer',
  severity: 'warning',
  description: 'a fact read by OCR printed without the decimals every other amount of its table has (a row number or a stray mark read as a digit?)',
  reads: [],
  check(ctx) {
    const out: RawFinding[] = [];
    for (const [key, c] of ctx.chosen) {
      const e = c.evidence;
      if (key.startsWith('x.') || e.source !== 'ocr' || !e.printed || !/^\d{1,3}$/.test(e.printed.trim()) || e.row === undefined) continue;
      const t = ctx.tables.find((x) => x.file === e.file && tableLabel(x) === e.table && x.rows[e.row!]?.[e.col!] !== undefined);
      if (!t) continue;
      const amounts = t.rows.slice(firstDataRow(t)).flat().map((x) => x.trim()).filter((x) => isAmount(x) && !/^\d{1,3}$/.test(x));
      if (amounts.length < 3 || !amounts.every((x) => /[.．]\d{1,2}$/.test(x))) continue;
      out.push({ message: `${key}: ${e.printed} was read by OCR as a bare integer where every other amount of ${t.title} has decimals: check it against page ${e.page ?? '?'}`, evidence: [e] });
    }
    return out;
  },
};
