import { argvLanguage } from './language.js';
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { EXIT, runMain } from './run.js';

export { EXIT };

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram(argvLanguage(argv));
  await runMain(() => program.parseAsync(argv, { from: 'user' }), commanderExitCode);
}

/** commander has already printed its one line (or the help or version text); only map the code. */
function commanderExitCode(error: unknown): number | undefined {
  if (!(error instanceof CommanderError)) return undefined;
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return EXIT.ok;
  return EXIT.badInput;
}
