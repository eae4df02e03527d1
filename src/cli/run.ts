import { isKubetlsError, describeError } from '../errors.js';
import { writeCrashLog } from '../terminal/crash-log.js';
import { fileSystemRefusal } from '../fs-errors.js';
import { escapeControlCharacters } from '../control-characters.js';
import { BASE_LANGUAGE, translate, type Language } from '../locale/catalogue.js';

/** Exit codes: 0 done, 1 a check ran and failed (verify, handshake), 2 bad input, 70 internal error. */
export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, internal: 70 } as const;

/** The language of the one-line error: the command's, once commander has chosen the command (program.ts). */
let errorLanguage: Language = BASE_LANGUAGE;

export function reportErrorsIn(language: Language): void {
  errorLanguage = language;
}

/**
 * Runs one invocation and turns whatever it throws into one line and an exit code: a KubetlsError is
 * bad input (exit 2), anything else a bug (exit 70, with the details in a log file).
 */
export async function runMain(task: () => Promise<unknown>, mapError: (error: unknown) => number | undefined = () => undefined): Promise<void> {
  exitQuietlyWhenOutputCloses();
  try {
    await task();
  } catch (error) {
    process.exitCode = mapError(error) ?? reportError(error);
  }
}

function reportError(error: unknown): number {
  // messages quote what files hold (a kubeconfig's user name): one line, and nothing the terminal obeys
  const line = (text: string) => process.stderr.write(`kubetls: ${escapeControlCharacters(text, { oneLine: true })}\n`);
  if (isKubetlsError(error)) {
    line(describeError(error, errorLanguage));
    return EXIT.badInput;
  }
  const refused = fileSystemRefusal(error, errorLanguage);
  if (refused) {
    line(refused);
    return EXIT.badInput;
  }
  const logPath = writeCrashLog(error);
  const message = error instanceof Error ? error.message : String(error);
  line(translate(errorLanguage, 'errors.internal', { message, log: logPath }));
  return EXIT.internal;
}

/** `kubetls inspect … | head` closes the pipe early: that is the reader's choice, not an error. */
function exitQuietlyWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}
