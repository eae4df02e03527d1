import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { KubetlsError } from '../../errors.js';
import { barParts } from '../../terminal/bars.js';
import { CSV_COLUMNS } from '../../progress/csv-columns.js';
import type { ProgressStore, ProgressSummary } from '../../progress/index.js';

/**
 * `kubetls progress [--json|--csv]` and `kubetls progress reset [--yes]`. The store is imported
 * only when one of them runs. The profile is the root's `--profile` (or KUBETLS_PROFILE), and
 * KUBETLS_CONFIG_DIR moves every profile's file elsewhere (a classroom share, a test).
 */

const PROGRESS_HELP = [
  '',
  'CSV columns: one row per quiz attempt, oldest first (RFC 4180: CRLF line ends):',
  ...CSV_COLUMNS.map(([name, meaning]) => `  ${name.padEnd(12)} ${meaning}`),
  '',
  'Where: $KUBETLS_CONFIG_DIR, else $XDG_CONFIG_HOME/kubetls-nodejs',
  '(~/.config/kubetls-nodejs): the default profile in config.json,',
  'profile NAME in profiles/NAME/config.json.',
].join('\n');

interface ShowOptions {
  json?: boolean;
  csv?: boolean;
}

export function registerProgressCommands(program: Command): void {
  const progress = program
    .command('progress')
    .description('what you have done so far: lessons, scores, mastery by topic, review queue, study streak')
    .option('--json', 'print the summary as JSON, for scripts')
    .addOption(new Option('--csv', 'print every quiz attempt as CSV, for spreadsheets').conflicts('json'))
    .addHelpText('after', PROGRESS_HELP)
    .action(async (options: ShowOptions, command: Command) => {
      refuseArguments(command);
      await showProgress(options, command);
    });

  progress
    .command('reset')
    .description("clear this profile's progress (settings stay); the old file is kept as a timestamped backup")
    .option('--yes', 'reset without asking')
    .action(async (options: { yes?: boolean }, command: Command) => {
      refuseArguments(command);
      await resetProgress(options, command);
    });
}

/** The root lets extra words through (its own check names unknown commands); these take none. */
function refuseArguments(command: Command): void {
  const [extra] = command.args;
  if (extra === undefined) return;
  throw new KubetlsError(`"${extra}" is not something \`kubetls ${command.name() === 'reset' ? 'progress reset' : 'progress'}\` takes`, {
    hint: '`kubetls progress` shows the summary, `kubetls progress reset` clears it; see kubetls progress --help',
  });
}

async function openStore(command: Command): Promise<ProgressStore> {
  const { openProgressStore, resolveProfile } = await import('../../progress/index.js');
  const { profile: flag } = command.optsWithGlobals<{ profile?: string }>();
  const profile = resolveProfile({ flag, env: process.env });
  return openProgressStore({ profile, env: process.env });
}

/** A damaged file moved aside, or a disk that cannot be written: said once, on stderr. */
function reportStoreMessages(store: ProgressStore): { notice: string | undefined; warning: string | undefined } {
  const notice = store.takeNotice();
  const warning = store.warning();
  if (notice) process.stderr.write(`kubetls: notice: ${notice}\n`);
  if (warning) process.stderr.write(`kubetls: warning: ${warning}\n`);
  return { notice, warning };
}

async function showProgress(options: ShowOptions, command: Command): Promise<void> {
  const store = await openStore(command);
  const { summarize, attemptsCsv, progressReport } = await import('../../progress/index.js');
  const progress = store.read();
  const messages = reportStoreMessages(store);
  const now = Date.now();
  if (options.csv) {
    process.stdout.write(attemptsCsv(progress));
    return;
  }
  const summary = summarize(progress, { now });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(progressReport({ profile: store.profile, file: store.path, now, summary, ...messages }), null, 2)}\n`);
    return;
  }
  const { styleFor } = await import('../output.js');
  process.stdout.write(progressText(summary, { profile: store.profile, file: store.path, unicode: styleFor().unicode }));
}

const WIDTH = 80;
const BAR_WIDTH = 20;
const RECENT_ATTEMPTS = 5;
const DUE_LISTED = 6;

function bar(percent: number, unicode: boolean): string {
  const drawn = barParts(percent / 100, BAR_WIDTH, unicode).join('');
  return unicode ? drawn : `[${drawn}]`;
}

function localTime(iso: string): string {
  const date = new Date(iso);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** Keeps a line inside 80 columns: a long path keeps its end, which tells files apart; other text its start, which names it. */
function fitPath(line: string): string {
  return line.length <= WIDTH ? line : `…${line.slice(line.length - WIDTH + 1)}`;
}

function fit(line: string): string {
  return line.length <= WIDTH ? line : `${line.slice(0, WIDTH - 1)}…`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Every text is ASCII or box/bar characters one column wide, so `length` is the width. */
export function progressText(summary: ProgressSummary, context: { profile: string; file: string; unicode: boolean }): string {
  const { completion, attempts, streak, scores, mastery, review } = summary;
  const lines: string[] = [];
  lines.push(`Progress of profile "${context.profile}"`, fitPath(`file: ${context.file}`), '');
  lines.push(`Lessons   ${bar(completion.percent, context.unicode)} ${completion.done} of ${completion.total} done (${completion.percent}%)`);
  const inProgress = completion.lessons.filter((lesson) => !lesson.done && lesson.percent > 0);
  if (inProgress.length > 0) lines.push(fit(`          reading: ${inProgress.map((lesson) => `${lesson.id} ${lesson.percent}%`).join(', ')}`));
  const streakText =
    streak.days === 0
      ? streak.lastStudyDay ? `none at the moment (last study day ${streak.lastStudyDay}; longest ${plural(streak.longest, 'day')})` : 'no study days yet'
      : `${plural(streak.days, 'day')} in a row, ${streak.studiedToday ? 'today included' : 'study today to keep it'} (longest ${plural(streak.longest, 'day')})`;
  lines.push(fit(`Streak    ${streakText}`));
  lines.push(
    attempts.total === 0
      ? 'Quizzes   no attempts yet'
      : fit(`Quizzes   ${plural(attempts.total, 'attempt')}: ${attempts.practice} practice, ${plural(attempts.exam, 'exam')} (${attempts.examsPassed} passed), ${plural(attempts.review, 'review')}`),
  );
  if (scores.length > 0) {
    const shown = Math.min(scores.length, RECENT_ATTEMPTS);
    lines.push('', shown < scores.length ? `Latest scores (newest first; ${shown} of ${scores.length})` : `Latest scores (newest first; ${scores.length} in all)`);
    for (const point of scores.slice(-RECENT_ATTEMPTS).reverse()) {
      const verdict = point.passed === undefined ? '    ' : point.passed ? 'pass' : 'fail';
      lines.push(`  ${localTime(point.at)}  ${point.mode.padEnd(8)}  ${String(point.percent).padStart(3)}%  ${verdict}  ${point.score} of ${point.max} points`);
    }
  }
  const topicWidth = Math.min(24, Math.max(...mastery.map((entry) => entry.topic.length)));
  lines.push('', `Mastery by topic (right answers among the latest ${summary.masteryWindow} in each)`);
  for (const entry of mastery) {
    const name = entry.topic.length > topicWidth ? `${entry.topic.slice(0, topicWidth - 1)}…` : entry.topic.padEnd(topicWidth);
    lines.push(
      entry.percent === null
        ? `  ${name}  not practised yet`
        : `  ${name}  ${bar(entry.percent, context.unicode)} ${String(entry.percent).padStart(3)}%  ${plural(entry.answered, 'answer')}`,
    );
  }
  lines.push('');
  if (review.cards === 0) {
    lines.push('Review    no questions waiting (a wrong answer puts its question here)');
  } else {
    lines.push(`Review    ${review.due.length} due now, ${plural(review.cards, 'question')} in the boxes (${review.boxes.join('/')})`);
    if (review.due.length === 0 && review.nextDue) lines.push(`          next due ${localTime(review.nextDue)}`);
    for (const card of review.due.slice(0, DUE_LISTED)) lines.push(fit(`  ${card.questionId}  box ${card.box}, due since ${localTime(card.due)}`));
    if (review.due.length > DUE_LISTED) lines.push(`  and ${review.due.length - DUE_LISTED} more`);
  }
  // fitted paths are already within the width, so fit() keeps them as they are
  return `${lines.map(fit).join('\n')}\n`;
}

async function resetProgress(options: { yes?: boolean }, command: Command): Promise<void> {
  const store = await openStore(command);
  // nothing saved: nothing to reset, and no empty profile left behind by asking
  if (!existsSync(store.path)) {
    process.stdout.write(`Profile "${store.profile}" has no saved progress: nothing to reset.\n`);
    return;
  }
  if (!options.yes) {
    if (!process.stdin.isTTY) {
      throw new KubetlsError('progress reset asks for confirmation, and stdin is not a terminal', { hint: 'add --yes to reset without asking' });
    }
    const answer = await ask(`Reset the progress of profile "${store.profile}" (${store.path})? A backup is kept. [y/N] `);
    if (!/^(y|yes)$/i.test(answer.trim())) {
      process.stdout.write('Nothing was changed.\n');
      return;
    }
  }
  const result = store.reset();
  process.stdout.write(
    result.backupPath
      ? `Progress of profile "${store.profile}" was reset; settings were kept.\nBackup of the old file: ${result.backupPath}\n`
      : `Profile "${store.profile}" had no saved progress.\n`,
  );
}

/** One line from the terminal; end of input counts as "no". */
async function ask(question: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  const reader = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    let answered = false;
    reader.question(question, (answer) => {
      answered = true;
      reader.close();
      resolve(answer);
    });
    reader.on('close', () => {
      if (!answered) {
        process.stderr.write('\n');
        resolve('');
      }
    });
  });
}
