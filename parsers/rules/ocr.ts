/**
 * Figures read by OCR are checked, not trusted: the identities check them like any
 * other figure (their findings name the OCR'd cells, whose evidence says `ocr`), and
 * a fact or line item whose reading the engine was not sure of is named here, so
 * that no uncertain number is stored without a finding.
 */
import type { Evidence } from '../../src/model.js';
import type { RawFinding, Rule } from '../../src/validate/engine.js';
import type { CheckContext } from './context.js';

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
