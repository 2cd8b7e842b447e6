/** A file that cannot be read: the message is one line and names the file. */
export class IngestError extends Error {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string) {
    const oneLine = printable(reason);
    super(`${printable(file)}: ${oneLine}`);
    this.name = 'IngestError';
    this.file = file;
    this.reason = oneLine;
  }
}

/** The format is recognised but this version has no reader for it. */
export class UnsupportedFormatError extends IngestError {
  constructor(file: string, reason: string) {
    super(file, reason);
    this.name = 'UnsupportedFormatError';
  }
}

/**
 * The one-line message for a file that could not be read: a reader's own refusal (an
 * IngestError) names its file already; anything else (a bug a damaged file found in a
 * reader or a library) is named here.
 */
export function failureMessage(files: readonly string[], e: unknown): string {
  if (e instanceof IngestError) return e.message;
  const err = e instanceof Error ? e : new Error(String(e));
  return `${printable(files.join(' + '))}: cannot be read (${err.name}: ${printable(err.message)})`;
}

/** One line of printable text: line breaks, tabs, control characters and escape sequences become single spaces. */
export function printable(s: string): string {
  return s
    .replace(/\u001b\[[0-9;?]*[ -\/]*[@-~]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffe\uffff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
