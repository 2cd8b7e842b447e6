/**
 * Crash test (issue #8, item 4), CI size: 30 distinct documents, the CLI killed
 * with SIGKILL at 12 random (seeded) moments and rerun each time, then run to
 * completion. After every kill the store passes integrity_check and holds no
 * partial document; at the end it holds every document exactly once.
 * Full size (100 × 50): `npx tsx scripts/crash.ts --report`.
 */
import { describe, expect, it } from 'vitest';
import { crashTest, storeProblems, type CrashResult } from '../scripts/crash.js';
import './helpers.js'; // fails loudly when the shared corpus is missing

export const CI_CRASH = { docs: 30, kills: 12, seed: 20260808 };

describe(`crash test: ${CI_CRASH.docs} documents, SIGKILL ${CI_CRASH.kills} times`, () => {
  let r: CrashResult;

  it('the store survives every kill and ends with every document exactly once', async () => {
    r = await crashTest(CI_CRASH);
    // the kills landed while the CLI was working, not after it had finished
    expect(r.kills.filter((k) => !k.finishedFirst).length).toBeGreaterThanOrEqual(Math.ceil(CI_CRASH.kills / 2));
    const afterKills = r.kills.flatMap((k, i) => storeProblems(k.check).map((p) => `after kill ${i + 1} (${k.delayMs} ms): ${p}`));
    expect(afterKills).toEqual([]);

    expect(r.finalExitCode, r.finalStderr).toBe(0);
    expect(r.final.integrity).toBe('ok');
    expect(r.final.foreignKeys).toBe(0);
    expect(r.final.documents).toBe(CI_CRASH.docs);
    expect(r.storedSha).toEqual(r.expectedSha);
    expect(r.final.partialDocuments).toEqual([]);
    expect(Object.values(r.final.orphans).every((n) => n === 0), JSON.stringify(r.final.orphans)).toBe(true);
    expect(r.final.withoutSections).toEqual([]);
  }, 400_000);
});
