/**
 * Pairing by content (src/pairing.ts): a narrative and a tables part of one
 * department × year × kind × scope are one disclosure, when there is exactly one of each.
 */
import { describe, expect, it } from 'vitest';
import type { DisclosurePart } from '../parsers/disclosure.js';
import { pairDisclosures, pairParts, partKey, waitsForPartner } from '../src/pairing.js';
import type { Meta } from '../src/model.js';

const meta = (m: Partial<Meta> = {}): Meta => ({ department: '北京市审计局', year: 2026, kind: 'budget', scope: 'department', ...m });
const part = (p: DisclosurePart, m: Partial<Meta> = {}) => ({ key: partKey(meta(m)), part: p });

describe('pairing by content (src/pairing.ts)', () => {
  it('a narrative and a tables part of one department × year × kind × scope pair, narrative first', () => {
    expect(pairParts([part('narrative'), part('tables')])).toEqual([[0, 1]]);
    expect(pairParts([part('tables'), part('narrative')])).toEqual([[1, 0]]);
  });

  it('the department is matched by identity, not as printed', () => {
    const a = part('narrative', { department: '中国共产党北京市委员会军民融合发展委员会办公室' });
    const b = part('tables', { department: '中共北京市委军民融合发展委员会办公室' });
    expect(pairParts([a, b])).toEqual([[0, 1]]);
  });

  it('two narratives and one tables part of one key: ambiguous, nothing pairs', () => {
    expect(pairParts([part('narrative'), part('narrative'), part('tables')])).toEqual([[0], [1], [2]]);
    expect(pairParts([part('narrative'), part('tables'), part('tables')])).toEqual([[0], [1], [2]]);
  });

  it('a different scope, year, kind or department does not pair', () => {
    expect(pairParts([part('narrative'), part('tables', { scope: 'unit' })])).toEqual([[0], [1]]);
    expect(pairParts([part('narrative'), part('tables', { year: 2025 })])).toEqual([[0], [1]]);
    expect(pairParts([part('narrative'), part('tables', { kind: 'final' })])).toEqual([[0], [1]]);
    expect(pairParts([part('narrative'), part('tables', { department: '北京市公安局' })])).toEqual([[0], [1]]);
  });

  it('a whole disclosure never pairs', () => {
    expect(pairParts([part('whole'), part('tables')])).toEqual([[0], [1]]);
    expect(pairParts([part('narrative'), part('whole')])).toEqual([[0], [1]]);
    expect(pairParts([part('whole'), part('whole')])).toEqual([[0], [1]]);
  });

  it('a part that does not say whose it is pairs with nothing', () => {
    expect(partKey(meta({ department: undefined }))).toBeUndefined();
    expect(partKey(meta({ year: undefined }))).toBeUndefined();
    expect(partKey(meta({ kind: undefined }))).toBeUndefined();
    expect(pairParts([part('narrative', { department: undefined }), part('tables', { department: undefined })])).toEqual([[0], [1]]);
    // an unknown scope pairs only with an unknown scope
    expect(pairParts([part('narrative', { scope: undefined }), part('tables', { scope: undefined })])).toEqual([[0, 1]]);
    expect(pairParts([part('narrative', { scope: undefined }), part('tables')])).toEqual([[0], [1]]);
  });

  it('several keys at once: each pair in place of its first member, the rest in order', () => {
    const parts = [part('tables', { department: 'A局' }), part('narrative', { department: 'B局' }), part('whole'), part('narrative', { department: 'A局' }), part('tables', { department: 'B局' }), part('tables', { department: 'C局' })];
    expect(pairParts(parts)).toEqual([[3, 0], [1, 4], [2], [5]]);
    expect(pairParts([])).toEqual([]);
  });

  it('only a single file that is a disclosure and holds one part waits for a partner', () => {
    const x = (p: DisclosurePart, disclosure = true) => ({ extraction: { meta: meta(), part: p, disclosure } }) as unknown as Parameters<typeof waitsForPartner>[1];
    expect(waitsForPartner(['a.pdf'], x('narrative'))).toBe(true);
    expect(waitsForPartner(['a.pdf'], x('tables'))).toBe(true);
    expect(waitsForPartner(['a.pdf'], x('whole'))).toBe(false);
    expect(waitsForPartner(['a.pdf'], x('tables', false))).toBe(false);
    expect(waitsForPartner(['a.pdf', 'b.pdf'], x('tables'))).toBe(false); // joined by '+' or by name already
    const items = [{ name: 'n', disclosure: x('narrative') }, { name: 't', disclosure: x('tables') }];
    expect(pairDisclosures(items).map((g) => g.map((i) => i.name))).toEqual([['n', 't']]);
  });
});
