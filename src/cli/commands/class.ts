import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { KubetlsError, say } from '../../errors.js';
import { styleFor } from '../output.js';
import { commandLanguage } from '../language.js';
import { openCommandStore } from '../store.js';
import { translate, translatorFor } from '../../locale/catalogue.js';
import { padColumns } from '../../terminal/width.js';
import { columns } from '../../text-width.cjs';

/**
 * `kubetls class`: a learner joins or leaves a class (their summary is written into its directory on
 * each change); the teacher sees the class as a table (full-screen, or --json/--csv for a grading sheet)
 * and sets one exam for everyone. The work is imported only when a command runs.
 */


const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

interface TableOptions {
  dir?: string;
  json?: boolean;
  csv?: boolean;
  plain?: boolean;
  sort?: string;
  desc?: boolean;
  filter?: string;
}

export function registerClassCommands(program: Command): void {
  const klass = program
    .command('class');

  // the default: `kubetls class --dir DIR` (its options are its own, so `class join --dir` stays join's)
  klass
    .command('table', { isDefault: true })
    .option('--dir <dir>')
    .option('--json')
    .addOption(new Option('--csv').conflicts('json'))
    .option('--plain')
    .addOption(new Option('--sort <column>').default('name'))
    .option('--desc')
    .option('--filter <text>')
    .action(async (options: TableOptions, command: Command) => showClass(options, command));

  klass
    .command('join')
    .requiredOption('--dir <dir>')
    .requiredOption('--name <name>')
    .action(async (options: { dir: string; name: string }, command: Command) => joinClass(options, command));

  klass
    .command('leave')
    .action(async (_options: object, command: Command) => leaveClass(command));

  klass
    .command('exam')
    .requiredOption('--dir <dir>')
    .option('--seed <n>')
    .addOption(new Option('--count <n>').default('20'))
    .addOption(new Option('--minutes <m>').default('30'))
    .option('--end')
    .action(async (options: { dir: string; seed?: string; count: string; minutes: string; end?: boolean }, command: Command) => setExam(options, command));
}


async function joinClass(options: { dir: string; name: string }, command: Command): Promise<void> {
  const [{ assertClassDir, classDirWarning, learnerFileName, currentIdentity }, progress] = await Promise.all([import('../../classroom/index.js'), import('../../progress/index.js')]);
  const dir = resolve(options.dir);
  const language = commandLanguage(command);
  const t = translatorFor(language);
  const name = options.name.trim();
  if (name === '' || name.length > 80 || /[\u0000-\u001f]/.test(name)) throw KubetlsError.said('class.errors.badName', {}, { key: 'class.errors.nameExample' });
  assertClassDir(dir);
  const store = await openCommandStore(command);
  store.update((current) => progress.joinClass(current, { dir, name, at: Date.now() }));
  const warning = store.warning(language);
  if (warning) throw new KubetlsError(warning);
  const style = styleFor();
  print(t('class.join.joined', { ok: style.ok, dir, name }));
  print(t('class.join.summaryAt', { path: `${dir}/${learnerFileName(currentIdentity(store.profile, name).uid, store.profile)}` }));
  print(t('class.join.shared'));
  const risk = classDirWarning(dir);
  if (risk) process.stderr.write(`kubetls: ${t('class.notice')}: ${say(language, risk)}\n`);
  print(t('class.join.stop'));
}

async function leaveClass(command: Command): Promise<void> {
  const [{ withdrawProgress }, progress] = await Promise.all([import('../../classroom/index.js'), import('../../progress/index.js')]);
  const store = await openCommandStore(command);
  const membership = store.read().classroom;
  if (!membership) throw KubetlsError.said('class.errors.notInClass', {}, { key: 'class.errors.joinOne' });
  store.update((current) => progress.leaveClass(current));
  const removed = withdrawProgress(membership.dir, store.profile);
  print(translate(commandLanguage(command), 'class.leave.left', { ok: styleFor().ok, dir: membership.dir, file: removed }));
}

async function setExam(options: { dir: string; seed?: string; count: string; minutes: string; end?: boolean }, command: Command): Promise<void> {
  const [{ setClassExam, endClassExam }, engine] = await Promise.all([import('../../classroom/index.js'), import('../../quiz/index.js')]);
  const dir = resolve(options.dir);
  const style = styleFor();
  const t = translatorFor(commandLanguage(command));
  if (options.end) {
    print(endClassExam(dir) ? t('class.exam.ended', { ok: style.ok }) : t('class.exam.noneSet', { dir }));
    return;
  }
  const whole = (value: string, flag: string, max: number) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || number < 1 || number > max) throw KubetlsError.said('class.errors.badWhole', { flag, max, value });
    return number;
  };
  const seed = options.seed === undefined ? engine.freshSeed() : Number(options.seed);
  if (options.seed !== undefined && (!/^\d+$/.test(options.seed.trim()) || seed > engine.MAX_SEED)) throw KubetlsError.said('class.errors.badSeed', { max: engine.MAX_SEED, value: options.seed });
  const exam = setClassExam(dir, { seed, count: whole(options.count, '--count', 200), minutes: whole(options.minutes, '--minutes', 600) });
  print(t('class.exam.set', { ok: style.ok, id: exam.id, count: exam.count, minutes: exam.minutes, seed: exam.seed }));
  print(t('class.exam.everyone'));
  print(t('class.exam.scores', { dir: options.dir }));
}

async function showClass(options: TableOptions, command: Command): Promise<void> {
  const [extra] = command.args;
  if (extra !== undefined) throw KubetlsError.said('class.errors.notAClassCommand', { quoted: `"${extra}"` }, { key: 'class.errors.classCommands' });
  if (!options.dir) throw KubetlsError.said('class.errors.needsDir', {}, { key: 'class.errors.dirExample' });
  const language = commandLanguage(command);
  const classroom = await import('../../classroom/index.js');
  const dir = resolve(options.dir);
  const roster = classroom.readRoster(dir);
  const topics = classroom.classTopics(roster.learners);
  const sort = sortKeyOf(options.sort ?? 'name', topics);
  const exam = classroom.readClassExam(dir);
  const rows = classroom.filterRows(classroom.sortRows(classroom.classRows(roster.learners, exam), sort, options.desc ?? false), options.filter ?? '');
  for (const problem of roster.problems) process.stderr.write(`kubetls: ${translate(language, 'class.notice')}: ${say(language, problem)}\n`);
  if (options.json) {
    print(JSON.stringify({ dir, exam: exam ?? null, topics, learners: rows }, null, 2));
    return;
  }
  if (options.csv) {
    process.stdout.write(classroom.classCsv(rows, topics));
    return;
  }
  if (!options.plain && process.stdout.isTTY && process.stdin.isTTY) {
    const { launchApp } = await import('./app.js');
    const globals = command.optsWithGlobals() as { profile?: string; lessonsDir?: string };
    await launchApp({ profile: globals.profile, lessonsDir: globals.lessonsDir, classDir: dir });
    return;
  }
  const { topicName } = await import('../../lessons/course.js');
  printTable(rows, topics, { examId: exam?.id, language, topicName: (topic) => topicName(topic, language) });
}

function sortKeyOf(value: string, topics: readonly string[]): import('../../classroom/index.js').SortKey {
  if (['name', 'lessons', 'practice', 'exam', 'active'].includes(value)) return value as 'name';
  if (topics.includes(value)) return `topic:${value}`;
  throw KubetlsError.said('class.errors.badSort', { value }, { key: 'class.errors.sortColumns', params: { topics: topics.join(', ') } });
}

/** Without a terminal: the same table as text, topics numbered under it by name. */
function printTable(
  rows: readonly import('../../classroom/index.js').ClassRow[],
  topics: readonly string[],
  context: { examId: string | undefined; language: string; topicName: (topic: string) => string },
): void {
  const t = translatorFor(context.language);
  const percent = (value: number | null | undefined) => (value === null || value === undefined ? '-' : String(value));
  const verdict = (passed: boolean | null | undefined) => (passed === true ? ` ${t('class.pass')}` : passed === false ? ` ${t('class.fail')}` : '');
  const header = [
    t('class.column.name'), t('class.column.login'), t('class.column.lessons'), t('class.column.practice'), t(context.examId ? 'class.column.classExam' : 'class.column.exam'),
    ...topics.map((_, index) => t('class.column.topic', { number: index + 1 })), t('class.column.lastActive'),
  ];
  const lines = rows.map((row) => [
    row.name, row.profile === 'default' ? row.user : `${row.user}/${row.profile}`, `${row.lessonsDone}/${row.lessonsTotal}`, percent(row.practiceBest),
    row.exam ? `${row.exam.percent}${verdict(row.exam.passed)}` : '-',
    ...topics.map((topic) => percent(row.mastery[topic])), row.lastActive ? row.lastActive.slice(0, 16).replace('T', ' ') : '-',
  ]);
  const table = [header, ...lines];
  const widths = header.map((_, column) => Math.max(...table.map((line) => columns(line[column]!))));
  print(table.map((line) => line.map((cell, column) => (column < line.length - 1 ? padColumns(cell, widths[column]! + 2) : cell)).join('').trimEnd()).join('\n'));
  if (rows.length === 0) print(t('class.nobody'));
  print(topics.map((topic, index) => t('class.legend', { number: index + 1, name: context.topicName(topic) })).join('  '));
}
