/**
 * The rule engine: each rule is a small module (id, severity, one-line
 * description, what it reads, a check). The engine runs them all, isolates a
 * rule that throws (its failure becomes a finding, the others still run) and
 * stamps every finding with its rule id. Rules live under parsers/rules/.
 */
import type { Evidence, Finding } from '../model.js';

export type Severity = 'error' | 'warning' | 'info';

export interface RawFinding {
  severity?: Severity;
  message: string;
  evidence: Evidence[];
  /** a sub-id appended to the rule id: sum.columns + `basic` → sum.columns */
  detail?: string;
}

export interface Rule<C> {
  id: string;
  severity: Severity;
  description: string;
  /** what the rule reads: fact keys, table keys, section keys */
  reads: string[];
  check(ctx: C): RawFinding[];
}

export function runRules<C>(ctx: C, rules: Array<Rule<C>>): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    let found: RawFinding[];
    try {
      found = rule.check(ctx);
    } catch (e) {
      out.push({ rule: 'engine.rule_failed', severity: 'warning', message: `rule ${rule.id} could not run: ${(e as Error).message}`, evidence: [] });
      continue;
    }
    const seen = new Set<string>();
    for (const f of found) {
      // one finding per rule and message: a chart's two series, a sentence matched twice
      if (seen.has(f.message)) continue;
      seen.add(f.message);
      out.push({ rule: rule.id, severity: f.severity ?? rule.severity, message: f.message, evidence: f.evidence });
    }
  }
  return out;
}
