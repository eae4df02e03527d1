import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { KubetlsError } from '../../errors.js';
import { barParts } from '../../terminal/bars.js';
import type { ProgressStore, ProgressSummary } from '../../progress/index.js';
import { commandLanguage } from '../language.js';
import { openCommandStore } from '../store.js';
import { translatorFor, type Language } from '../../locale/catalogue.js';
import { padColumns, truncate } from '../../terminal/width.js';
import { columns } from '../../text-width.cjs';

/**
 * `kubetls progress [--json|--csv]` and `kubetls progress reset [--yes]`. The store is imported
 * only when one of them runs. The profile is the root's `--profile` (or KUBETLS_PROFILE), and
 * KUBETLS_CONFIG_DIR moves every profile's file elsewhere (a classroom share, a test).
 */


interface ShowOptions {
  json?: boolean;
  csv?: boolean;
}

export function registerProgressCommands(program: Command): void {
  const progress = program
    .command('progress')
    .option('--json')
    .addOption(new Option('--csv').conflicts('json'))
    .action(async (options: ShowOptions, command: Command) => {
      refuseArguments(command);
      await showProgress(options, command);
    });

  progress
    .command('reset')
    .option('--yes')
    .action(async (options: { yes?: boolean }, command: Command) => {
      refuseArguments(command);
      await resetProgress(options, command);
    });
}

/** The root lets extra words through (its own check names unknown commands); these take none. */
function refuseArguments(command: Command): void {
  const [extra] = command.args;
  if (extra === undefined) return;
  throw KubetlsError.said(
    'progress.errors.notTaken',
    { quoted: `"${extra}"`, command: `kubetls ${command.name() === 'reset' ? 'progress reset' : 'progress'}` },
    { key: 'progress.errors.whatItTakes' },
  );
}


/** A damaged file moved aside, or a disk that cannot be written: said once, on stderr. */
function reportStoreMessages(store: ProgressStore, language: Language): { notice: string | undefined; warning: string | undefined } {
  const t = translatorFor(language);
  const notice = store.takeNotice(language);
  const warning = store.warning(language);
  if (notice) process.stderr.write(`kubetls: ${t('progress.notice')}: ${notice}\n`);
  if (warning) process.stderr.write(`kubetls: ${t('progress.warning')}: ${warning}\n`);
  return { notice, warning };
}

async function showProgress(options: ShowOptions, command: Command): Promise<void> {
  const store = await openCommandStore(command);
  const { summarize, attemptsCsv, progressReport } = await import('../../progress/index.js');
  const progress = store.read();
  const language = commandLanguage(command);
  const messages = reportStoreMessages(store, language);
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
  const [{ styleFor }, { topicName }] = await Promise.all([import('../output.js'), import('../../lessons/course.js')]);
  const context = { profile: store.profile, file: store.path, unicode: styleFor().unicode, language, topicName: (topic: string) => topicName(topic, language) };
  process.stdout.write(progressText(summary, context));
}

const WIDTH = 80;
const BAR_WIDTH = 20;
const RECENT_ATTEMPTS = 5;
const DUE_LISTED = 6;
const TOPIC_WIDTH = 26;

type Translate = (key: string, params?: Record<string, string | number>) => string;

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
  if (columns(line) <= WIDTH) return line;
  let tail = '';
  for (const char of [...line].reverse()) {
    if (columns(char + tail) > WIDTH - 1) break;
    tail = char + tail;
  }
  return `…${tail}`;
}

function fit(line: string): string {
  return truncate(line, WIDTH, true);
}

/** "1 day", "3 days": a count with its unit, in the command's language. */
function counted(t: Translate, unit: string, count: number): string {
  return t(`progress.unit.${unit}.${count === 1 ? 'one' : 'many'}`, { count });
}

interface ProgressTextContext {
  profile: string;
  file: string;
  unicode: boolean;
  language: Language;
  /** A topic as the learner reads it (src/lessons/course.ts's topicName, loaded with the summary). */
  topicName: (topic: string) => string;
}

/**
 * The summary as text within 80 columns. Columns are measured with kubetls' width table: labels,
 * topic names and mode words are Hangul in Korean, two columns a character.
 */
export function progressText(summary: ProgressSummary, context: ProgressTextContext): string {
  const t = translatorFor(context.language);
  const labelWidth = Math.max(8, ...['lessons', 'streak', 'quizzes', 'review'].map((key) => columns(t(`progress.label.${key}`)))) + 2;
  const label = (key: string, text: string) => `${padColumns(t(`progress.label.${key}`), labelWidth)}${text}`;
  const indent = ' '.repeat(labelWidth);
  const { completion } = summary;
  const lines: string[] = [t('progress.title', { profile: context.profile }), fitPath(t('progress.file', { file: context.file })), ''];
  lines.push(label('lessons', t('progress.lessons', { bar: bar(completion.percent, context.unicode), done: completion.done, total: completion.total, percent: completion.percent })));
  const inProgress = completion.lessons.filter((lesson) => !lesson.done && lesson.percent > 0);
  if (inProgress.length > 0) lines.push(`${indent}${t('progress.reading', { lessons: inProgress.map((lesson) => `${lesson.id} ${lesson.percent}%`).join(', ') })}`);
  lines.push(label('streak', streakText(summary.streak, t)), label('quizzes', quizzesText(summary.attempts, t)));
  lines.push(...scoreLines(summary.scores, t), '', ...masteryLines(summary, t, context), '', ...reviewLines(summary.review, t, label, indent));
  // fitted paths are already within the width, so fit() keeps them as they are
  return `${lines.map(fit).join('\n')}\n`;
}

function streakText(streak: ProgressSummary['streak'], t: Translate): string {
  const longest = counted(t, 'day', streak.longest);
  if (streak.days === 0) return streak.lastStudyDay ? t('progress.streak.broken', { day: streak.lastStudyDay, longest }) : t('progress.streak.never');
  return t(streak.studiedToday ? 'progress.streak.running' : 'progress.streak.keepItUp', { days: counted(t, 'day', streak.days), longest });
}

function quizzesText(attempts: ProgressSummary['attempts'], t: Translate): string {
  if (attempts.total === 0) return t('progress.quizzes.none');
  return t('progress.quizzes.line', {
    attempts: counted(t, 'attempt', attempts.total), practice: attempts.practice, exams: counted(t, 'exam', attempts.exam), passed: attempts.examsPassed, reviews: counted(t, 'review', attempts.review),
  });
}

function scoreLines(scores: ProgressSummary['scores'], t: Translate): string[] {
  if (scores.length === 0) return [];
  const shown = Math.min(scores.length, RECENT_ATTEMPTS);
  const modeWidth = Math.max(...['practice', 'exam', 'review'].map((mode) => columns(t(`progress.mode.${mode}`))));
  const verdictWidth = Math.max(columns(t('progress.scores.pass')), columns(t('progress.scores.fail')));
  const lines = ['', shown < scores.length ? t('progress.scores.some', { shown, total: scores.length }) : t('progress.scores.all', { total: scores.length })];
  for (const point of scores.slice(-RECENT_ATTEMPTS).reverse()) {
    const verdict = point.passed === undefined ? '' : t(point.passed ? 'progress.scores.pass' : 'progress.scores.fail');
    const mode = padColumns(t(`progress.mode.${point.mode}`), modeWidth);
    lines.push(`  ${localTime(point.at)}  ${mode}  ${String(point.percent).padStart(3)}%  ${padColumns(verdict, verdictWidth)}  ${t('progress.scores.points', { score: point.score, max: point.max })}`);
  }
  return lines;
}

function masteryLines(summary: ProgressSummary, t: Translate, context: ProgressTextContext): string[] {
  const names = summary.mastery.map((entry) => context.topicName(entry.topic));
  const nameWidth = Math.min(TOPIC_WIDTH, Math.max(...names.map((name) => columns(name))));
  const lines = [t('progress.mastery.title', { window: summary.masteryWindow })];
  summary.mastery.forEach((entry, index) => {
    const name = padColumns(truncate(names[index] ?? entry.topic, nameWidth, context.unicode), nameWidth);
    lines.push(
      entry.percent === null
        ? `  ${name}  ${t('progress.mastery.notYet')}`
        : `  ${name}  ${bar(entry.percent, context.unicode)} ${String(entry.percent).padStart(3)}%  ${counted(t, 'answer', entry.answered)}`,
    );
  });
  return lines;
}

function reviewLines(review: ProgressSummary['review'], t: Translate, label: (key: string, text: string) => string, indent: string): string[] {
  if (review.cards === 0) return [label('review', t('progress.review.empty'))];
  const lines = [label('review', t('progress.review.due', { due: review.due.length, questions: counted(t, 'question', review.cards), boxes: review.boxes.join('/') }))];
  if (review.due.length === 0 && review.nextDue) lines.push(`${indent}${t('progress.review.nextDue', { time: localTime(review.nextDue) })}`);
  for (const card of review.due.slice(0, DUE_LISTED)) lines.push(`  ${card.questionId}  ${t('progress.review.card', { box: card.box, time: localTime(card.due) })}`);
  if (review.due.length > DUE_LISTED) lines.push(`  ${t('progress.review.more', { count: review.due.length - DUE_LISTED })}`);
  return lines;
}

async function resetProgress(options: { yes?: boolean }, command: Command): Promise<void> {
  const store = await openCommandStore(command);
  const t = translatorFor(commandLanguage(command));
  // nothing saved: nothing to reset, and no empty profile left behind by asking
  if (!existsSync(store.path)) {
    process.stdout.write(`${t('progress.reset.nothingSaved', { profile: store.profile })}\n`);
    return;
  }
  if (!options.yes) {
    if (!process.stdin.isTTY) {
      throw KubetlsError.said('progress.errors.needsTerminal', {}, { key: 'progress.errors.addYes' });
    }
    const answer = await ask(t('progress.reset.ask', { profile: store.profile, path: store.path }));
    if (!t('progress.reset.yes').split('|').includes(answer.trim().toLowerCase())) {
      process.stdout.write(`${t('progress.reset.unchanged')}\n`);
      return;
    }
  }
  const result = store.reset();
  process.stdout.write(
    result.backupPath
      ? `${t('progress.reset.done', { profile: store.profile })}\n${t('progress.reset.backup', { path: result.backupPath })}\n`
      : `${t('progress.reset.hadNothing', { profile: store.profile })}\n`,
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
