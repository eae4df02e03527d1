import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { packagePath } from '../package-root.js';
import { registerPkiCommands } from './commands/pki.js';
import { MAX_WIDTH, MIN_WIDTH, registerLessonsCommands } from './commands/lessons.js';
import { DEFAULT_EXAM_COUNT, DEFAULT_QUIZ_COUNT, registerQuizCommands } from './commands/quiz.js';
import { MINUTES_PER_FIX_IT_TASK, MINUTES_PER_QUESTION } from '../quiz/exam-time.js';
import { registerProgressCommands } from './commands/progress.js';
import { registerClassCommands } from './commands/class.js';
import { commandLanguage } from './language.js';
import { reportErrorsIn } from './run.js';
import { commanderError, localizeHelp } from './help.js';
import { BASE_LANGUAGE, translate, type Language } from '../locale/catalogue.js';

/** The numbers the help quotes, from where the commands take them. */
const HELP_VALUES = {
  minWidth: MIN_WIDTH,
  maxWidth: MAX_WIDTH,
  quizCount: DEFAULT_QUIZ_COUNT,
  examCount: DEFAULT_EXAM_COUNT,
  minutesPerQuestion: MINUTES_PER_QUESTION,
  minutesPerFixIt: MINUTES_PER_FIX_IT_TASK,
};

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/**
 * The whole command tree. Each command's work lives in its own module under ./commands and is
 * imported only when that command runs, so `kubetls --help` and start-up stay cheap.
 */
export function buildProgram(language: Language = BASE_LANGUAGE): Command {
  const program = new Command('kubetls')
    .version(packageVersion(), '-V, --version')
    .option('--lessons-dir <dir>')
    .option('--profile <name>')
    .option('--lang <lang>')
    // `help [command]` is a command of its own below, so an unknown topic is one line, not the whole help
    .helpCommand(false)
    .exitOverride()
    // one line for bad input: commander's message, reworded, with where to look
    .configureOutput({ outputError: (text, write) => write(`kubetls: ${translate(language, 'help.commander.see-help', { error: commanderError(text.trim().replace(/^error: /, ''), language) })}\n`) })
    // errors from here on are said in the command's language (a bad --lang itself is said in the base language)
    .hook('preAction', (_program, action) => reportErrorsIn(commandLanguage(action)));
  // the root runs with no command (and global options only); anything else left over is a typo
  program.allowExcessArguments(true).action(async () => {
    const [word] = program.args;
    if (word !== undefined) program.error(`unknown command '${word}'`, { code: 'commander.unknownCommand', exitCode: 2 });
    const { launchApp } = await import('./commands/app.js');
    await launchApp(program.opts());
  });
  registerPkiCommands(program);
  registerLessonsCommands(program);
  registerQuizCommands(program);
  registerProgressCommands(program);
  registerClassCommands(program);
  program
    .command('help [command]')
    .action((topic: string | undefined) => {
      const command = topic === undefined ? program : program.commands.find((candidate) => candidate.name() === topic && candidate.name() !== 'help');
      if (command) command.outputHelp();
      else program.error(`unknown command '${topic}'`, { code: 'commander.unknownCommand', exitCode: 2 });
    });
  localizeHelp(program, language, HELP_VALUES);
  return program;
}
