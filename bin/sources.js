// Which code the `disclosures` command runs: the compiled JavaScript in dist/ when it
// was built from the sources as they are now, else the TypeScript sources through tsx.
// The fingerprint is every source file's path, size and modification time, so a
// source edited after the build sends the command back to the sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
export const STAMP = path.join(DIST, '.sources');
/** Source trees compiled into dist/ (files other than .ts are copied as they are). */
export const SOURCE_DIRS = ['src', 'parsers'];

export function fingerprint() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        out.push(`${path.relative(ROOT, p)}\t${s.size}\t${Math.round(s.mtimeMs)}`);
      }
    }
  };
  for (const d of SOURCE_DIRS) walk(path.join(ROOT, d));
  return out.join('\n');
}

/** True when dist/ holds a build of the current sources. */
export function distIsCurrent() {
  try {
    return existsSync(STAMP) && readFileSync(STAMP, 'utf8') === fingerprint();
  } catch {
    return false;
  }
}

/** Build dist/ unless it is current (the benchmarks measure the build the command runs); throws when that fails. */
export function ensureBuilt() {
  if (distIsCurrent()) return;
  const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (b.status !== 0 || !distIsCurrent()) throw new Error('npm run build failed: the benchmark measures the compiled build');
}
