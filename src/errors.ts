/**
 * An error a learner can act on: what is wrong, where, and what to do.
 * The CLI and the TUI turn it into one line; anything else is a bug and gets a log file.
 */
export class KubetlsError extends Error {
  /** What the learner can do about it, e.g. "run `kubetls pki init --dir DIR` first". */
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KubetlsError';
    this.hint = options.hint;
  }
}

export function isKubetlsError(error: unknown): error is KubetlsError {
  return error instanceof KubetlsError;
}

/** The one line shown for a KubetlsError: message, then the hint if there is one. */
export function describeError(error: KubetlsError): string {
  return error.hint ? `${error.message} (${error.hint})` : error.message;
}
