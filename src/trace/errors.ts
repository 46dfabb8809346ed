// The two ways reading or writing a trace stops early, told apart by callers: the user
// cancelled, or the file is not something we can read (with a one-line reason to show).

/** The user (or a caller's AbortSignal) cancelled: not an error to report. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'cancelled') {
    super(message);
  }
}

/** The file is missing, unreadable, not a trace, or of an unsupported version. One line. */
export class TraceFileError extends Error {
  override readonly name = 'TraceFileError';
}

export function isCancelled(error: unknown): error is CancelledError {
  return error instanceof CancelledError;
}
