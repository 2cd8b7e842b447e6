/**
 * One run per database: an exclusive lock file `<db>.lock` holding the pid,
 * host and start time, created with O_EXCL. A lock whose process is gone (a
 * run killed with -9, a reboot) is stale and taken over; a lock from another
 * host is honoured for `staleAfterMs` (the pid cannot be checked from here).
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

export class LockHeldError extends Error {
  constructor(
    readonly file: string,
    readonly holder: LockInfo | null,
  ) {
    super(`another run holds the lock ${file}${holder ? ` (pid ${holder.pid} on ${holder.host}, since ${holder.started})` : ''}`);
    this.name = 'LockHeldError';
  }
}

export interface Lock {
  file: string;
  /** true when a stale lock of a dead run was taken over */
  tookOver: LockInfo | null;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readInfo(file: string): LockInfo | null {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
    return typeof j.pid === 'number' ? j : null;
  } catch {
    return null;
  }
}

export function acquireLock(file: string, staleAfterMs = 24 * 3600 * 1000): Lock {
  const me: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  let tookOver: LockInfo | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      let released = false;
      return {
        file,
        tookOver,
        release() {
          if (released) return;
          released = true;
          const cur = readInfo(file);
          if (cur && cur.pid === me.pid && cur.host === me.host) {
            try {
              unlinkSync(file);
            } catch {
              // already gone
            }
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readInfo(file);
    let stale: boolean;
    if (!holder) {
      // unreadable: a run killed between creating and writing the file, or garbage; stale once it cannot be mid-write
      let age = Infinity;
      try {
        age = Date.now() - statSync(file).mtimeMs;
      } catch {
        // gone meanwhile
      }
      stale = age > 10_000;
    } else if (holder.host === me.host) stale = !alive(holder.pid);
    else stale = Date.now() - Date.parse(holder.started) > staleAfterMs;
    if (!stale) throw new LockHeldError(file, holder);
    tookOver = holder ?? { pid: 0, host: '?', started: '?' };
    try {
      unlinkSync(file);
    } catch {
      // someone else removed it: retry
    }
  }
  throw new LockHeldError(file, readInfo(file));
}
