/**
 * Pairing by content: portals publish one department's disclosure as two files with
 * unrelated names (Beijing's 附件1 …情况说明 and 附件2 …报表). Once parsed, each file
 * says which part it holds (parsers/disclosure.ts `disclosurePart`) and whose
 * disclosure it is (meta). A narrative and a tables part of the same department ×
 * year × kind × scope are one disclosure — when there is exactly one of each: two
 * narratives for one key could belong to either table file, and a wrong join is worse
 * than two half disclosures, so an ambiguous set stays apart.
 *
 * Pure: keys and parts in, groups of indices out. Used by ingest (src/run-ingest.ts,
 * for `disclosures ingest` and the crawler), `check` (src/cli.ts) and `extract`
 * (readParts in src/extract.ts).
 */
import { departmentKey } from '../parsers/departments.js';
import type { DisclosurePart } from '../parsers/disclosure.js';
import type { Disclosure } from './extract.js';
import type { Meta } from './model.js';

/**
 * The identity two parts must share, or undefined when the meta cannot tell (no
 * department, year or kind: a part that does not say whose it is pairs with nothing).
 * The scope must be equal too, an unknown scope only with an unknown one.
 */
export function partKey(meta: Meta): string | undefined {
  if (!meta.department || meta.year === undefined || !meta.kind) return undefined;
  const dept = departmentKey(meta.department);
  if (!dept) return undefined;
  return [dept, meta.year, meta.kind, meta.scope ?? ''].join('|');
}

export interface PartOf {
  /** partKey of its meta */
  key: string | undefined;
  part: DisclosurePart;
}

/**
 * Groups of indices into `parts`, each one disclosure: [narrative, tables] for a pair
 * (narrative first: its title and cover come first, as in the published order), [i]
 * for everything else. Every index appears once; groups follow the order of their
 * first member in `parts`, so the result does not depend on anything but the input.
 */
export function pairParts(parts: ReadonlyArray<PartOf>): number[][] {
  const byKey = new Map<string, { narrative: number[]; tables: number[] }>();
  parts.forEach((p, i) => {
    if (p.key === undefined || p.part === 'whole') return;
    let slot = byKey.get(p.key);
    if (!slot) byKey.set(p.key, (slot = { narrative: [], tables: [] }));
    slot[p.part].push(i);
  });
  const partner = new Map<number, number[]>();
  for (const { narrative, tables } of byKey.values()) {
    if (narrative.length !== 1 || tables.length !== 1) continue;
    const group = [narrative[0]!, tables[0]!];
    for (const i of group) partner.set(i, group);
  }
  const groups: number[][] = [];
  parts.forEach((_p, i) => {
    const g = partner.get(i);
    if (!g) groups.push([i]);
    else if (Math.min(...g) === i) groups.push(g);
  });
  return groups;
}

/**
 * Whether a parsed group waits for a partner before it is stored or reported: a single
 * file (explicit '+' groups and <name>-tables pairs are already joined) that is a
 * disclosure and holds only its narrative or only its tables.
 */
export function waitsForPartner(files: ReadonlyArray<string>, d: Pick<Disclosure, 'extraction'>): boolean {
  return files.length === 1 && d.extraction.disclosure && d.extraction.part !== 'whole';
}

/** pairParts over parsed disclosures: groups of the items themselves, a pair narrative first. */
export function pairDisclosures<T extends { disclosure: Pick<Disclosure, 'extraction'> }>(items: ReadonlyArray<T>): T[][] {
  const groups = pairParts(items.map((it) => ({ key: partKey(it.disclosure.extraction.meta), part: it.disclosure.extraction.part })));
  return groups.map((g) => g.map((i) => items[i]!));
}
