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
