/**
 * Long work that is making progress says so: OCR reads a scanned document page after
 * page, for minutes. A parse worker forwards each beat to the pool, which then
 * restarts that job's time limit (the limit stops a parser that hangs, not one that
 * works through a long document). Outside a worker nothing listens.
 */
let hook: (() => void) | undefined;

export function onProgress(fn: (() => void) | undefined): void {
  hook = fn;
}

export function progress(): void {
  hook?.();
}
