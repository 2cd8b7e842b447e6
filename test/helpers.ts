import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** ../shared beside the checkout. Tests fail loudly when it is missing; they never skip. */
export const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared');
if (!existsSync(path.join(SHARED, 'corpus')) || !existsSync(path.join(SHARED, 'gold'))) {
  throw new Error(`the shared corpus is missing: expected ${SHARED}/corpus and ${SHARED}/gold beside the checkout`);
}
export const corpus = (name: string) => path.join(SHARED, 'corpus', name);
export const gold = (name: string) => path.join(SHARED, 'gold', name);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The command as a user runs it (`node bin/disclosures.js …`, what `npx disclosures` runs). */
export function runCli(args: string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/disclosures.js'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
