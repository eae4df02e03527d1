import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { isKubetlsError, describeError } from '../errors.js';
import { writeCrashLog } from './crash-log.js';

/** Exit codes: 0 done, 1 a check ran and failed (verify, handshake), 2 bad input, 70 internal error. */
export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, internal: 70 } as const;

export async function main(argv: string[]): Promise<void> {
  exitQuietlyWhenOutputCloses();
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander already printed its one line (or the help/version text); only map the code
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) {
      return EXIT.ok;
    }
    return EXIT.badInput;
  }
  if (isKubetlsError(error)) {
    process.stderr.write(`kubetls: ${describeError(error)}\n`);
    return EXIT.badInput;
  }
  const logPath = writeCrashLog(error);
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`kubetls: internal error: ${message} (details in ${logPath})\n`);
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
