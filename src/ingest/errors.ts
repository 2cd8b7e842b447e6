/** A file that cannot be read: the message is one line and names the file. */
export class IngestError extends Error {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string) {
    const oneLine = reason.replace(/\s*\n\s*/g, ' ').trim();
    super(`${file}: ${oneLine}`);
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
