import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { KubetlsError } from '../../errors.js';
import { styleFor } from '../output.js';

/**
 * `kubetls class`: a learner joins or leaves a class (their summary is written into its directory on
 * each change); the teacher sees the class as a table (full-screen, or --json/--csv for a grading sheet)
 * and sets one exam for everyone. The work is imported only when a command runs.
 */

const CLASS_HELP = [
  '',
  'Setting up a class directory (once, by the teacher, on the shared server):',
  '  sudo groupadd kubetls-class',
  '  sudo usermod -aG kubetls-class TEACHER; sudo usermod -aG kubetls-class LEARNER ...',
  '  sudo install -d -o TEACHER -g kubetls-class -m 3770 /srv/kubetls-class',
  'setgid (2000): every file joins the class group, so the teacher can read it;',
  'sticky (1000): only a file\'s owner can replace or remove it. Each learner\'s',
  'file is written 0640 by that learner alone; class-exam.json counts only when',
  'the directory\'s owner (the teacher) wrote it.',
].join('\n');

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
    .command('class')
    .description("a class on a shared server: the teacher's table of learners and topics; `class join` to share your progress with it")
    .addHelpText('after', CLASS_HELP);

  // the default: `kubetls class --dir DIR` (its options are its own, so `class join --dir` stays join's)
  klass
    .command('table', { isDefault: true })
    .description('the default, `kubetls class --dir DIR`: learners x topics (a heat map of mastery), lessons, practice, exam, last active')
    .option('--dir <dir>', 'the class directory, e.g. /srv/kubetls-class')
    .option('--json', 'print the table as JSON')
    .addOption(new Option('--csv', 'print the table as CSV, for a grading sheet').conflicts('json'))
    .option('--plain', 'print the table as text instead of the full-screen view')
    .option('--sort <column>', 'name, lessons, practice, exam, active, or a topic (e.g. wiring)', 'name')
    .option('--desc', 'sort from the highest')
    .option('--filter <text>', 'only learners whose name or login contains this')
    .action(async (options: TableOptions, command: Command) => showClass(options, command));

  klass
    .command('join')
    .description('share your progress with a class: your summary (lessons done, scores, mastery by topic, last active) is written there on each change')
    .requiredOption('--dir <dir>', 'the class directory your teacher gave you')
    .requiredOption('--name <name>', 'your name as the teacher should see it, e.g. "Kim Minji"')
    .action(async (options: { dir: string; name: string }, command: Command) => joinClass(options, command));

  klass
    .command('leave')
    .description('stop sharing: your summary is taken out of the class directory')
    .action(async (_options: object, command: Command) => leaveClass(command));

  klass
    .command('exam')
    .description('set one exam for the class: every learner who starts `kubetls exam` gets the same tasks')
    .requiredOption('--dir <dir>', 'the class directory')
    .option('--seed <n>', 'the seed that picks and orders the tasks (0-4294967295; default: a fresh one)')
    .option('--count <n>', 'how many tasks', '20')
    .option('--minutes <m>', 'time allowed', '30')
    .option('--end', 'end the class exam: learners take their own again')
    .action(async (options: { dir: string; seed?: string; count: string; minutes: string; end?: boolean }) => setExam(options));
}

async function storeFor(command: Command) {
  const { openProgressStore, resolveProfile } = await import('../../progress/index.js');
  const { profile: flag } = command.optsWithGlobals<{ profile?: string }>();
  const profile = resolveProfile({ flag, env: process.env });
  return openProgressStore({ profile, env: process.env });
}

async function joinClass(options: { dir: string; name: string }, command: Command): Promise<void> {
  const [{ assertClassDir, classDirWarning, learnerFileName, currentIdentity }, progress] = await Promise.all([import('../../classroom/index.js'), import('../../progress/index.js')]);
  const dir = resolve(options.dir);
  const name = options.name.trim();
  if (name === '' || name.length > 80 || /[\u0000-\u001f]/.test(name)) throw new KubetlsError('--name needs your name (1 to 80 characters, no control characters)', { hint: 'e.g. --name "Kim Minji"' });
  assertClassDir(dir);
  const store = await storeFor(command);
  store.update((current) => progress.joinClass(current, { dir, name, at: Date.now() }));
  const warning = store.warning();
  if (warning) throw new KubetlsError(warning);
  const style = styleFor();
  print(`${style.ok} You joined the class in ${dir} as ${name}.`);
  print(`  Your summary is in ${dir}/${learnerFileName(currentIdentity(store.profile, name).uid, store.profile)}, written again on each change:`);
  print('  lessons done, practice and exam scores, mastery by topic, when you were last active; never your answers.');
  const risk = classDirWarning(dir);
  if (risk) process.stderr.write(`kubetls: notice: ${risk}\n`);
  print('Stop any time: kubetls class leave');
}

async function leaveClass(command: Command): Promise<void> {
  const [{ withdrawProgress }, progress] = await Promise.all([import('../../classroom/index.js'), import('../../progress/index.js')]);
  const store = await storeFor(command);
  const membership = store.read().classroom;
  if (!membership) throw new KubetlsError('you are not in a class', { hint: 'join one with `kubetls class join --dir DIR --name "Your Name"`' });
  store.update((current) => progress.leaveClass(current));
  const removed = withdrawProgress(membership.dir, store.profile);
  print(`${styleFor().ok} You left the class in ${membership.dir}; your summary (${removed}) was removed and nothing more is written there.`);
}

async function setExam(options: { dir: string; seed?: string; count: string; minutes: string; end?: boolean }): Promise<void> {
  const [{ setClassExam, endClassExam }, engine] = await Promise.all([import('../../classroom/index.js'), import('../../quiz/index.js')]);
  const dir = resolve(options.dir);
  const style = styleFor();
  if (options.end) {
    print(endClassExam(dir) ? `${style.ok} The class exam has ended: learners take exams of their own again.` : `No class exam was set in ${dir}.`);
    return;
  }
  const whole = (value: string, flag: string, max: number) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || number < 1 || number > max) throw new KubetlsError(`${flag} must be a whole number from 1 to ${max}, not "${value}"`);
    return number;
  };
  const seed = options.seed === undefined ? engine.freshSeed() : Number(options.seed);
  if (options.seed !== undefined && (!/^\d+$/.test(options.seed.trim()) || seed > engine.MAX_SEED)) throw new KubetlsError(`--seed must be a whole number from 0 to ${engine.MAX_SEED}, not "${options.seed}"`);
  const exam = setClassExam(dir, { seed, count: whole(options.count, '--count', 200), minutes: whole(options.minutes, '--minutes', 600) });
  print(`${style.ok} Class exam ${exam.id}: ${exam.count} tasks, ${exam.minutes} minutes, seed ${exam.seed}.`);
  print('  Every learner of the class who starts `kubetls exam` now gets these tasks (from the question banks; no sandbox repairs, which differ per learner).');
  print(`  Their scores show in \`kubetls class --dir ${options.dir}\`; end it with \`kubetls class exam --dir ${options.dir} --end\`.`);
}

async function showClass(options: TableOptions, command: Command): Promise<void> {
  const [extra] = command.args;
  if (extra !== undefined) throw new KubetlsError(`"${extra}" is not a class command`, { hint: 'kubetls class join | leave | exam, or kubetls class --dir DIR for the table' });
  if (!options.dir) throw new KubetlsError('--dir is needed: which class directory?', { hint: 'e.g. kubetls class --dir /srv/kubetls-class' });
  const classroom = await import('../../classroom/index.js');
  const dir = resolve(options.dir);
  const roster = classroom.readRoster(dir);
  const topics = classroom.classTopics(roster.learners);
  const sort = sortKeyOf(options.sort ?? 'name', topics);
  const exam = classroom.readClassExam(dir);
  const rows = classroom.filterRows(classroom.sortRows(classroom.classRows(roster.learners, exam), sort, options.desc ?? false), options.filter ?? '');
  for (const problem of roster.problems) process.stderr.write(`kubetls: notice: ${problem}\n`);
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
  printTable(rows, topics, exam?.id);
}

function sortKeyOf(value: string, topics: readonly string[]): import('../../classroom/index.js').SortKey {
  if (['name', 'lessons', 'practice', 'exam', 'active'].includes(value)) return value as 'name';
  if (topics.includes(value)) return `topic:${value}`;
  throw new KubetlsError(`--sort "${value}" is not a column`, { hint: `name, lessons, practice, exam, active, or a topic: ${topics.join(', ')}` });
}

/** Without a terminal: the same table as text, topics numbered under it. */
function printTable(rows: readonly import('../../classroom/index.js').ClassRow[], topics: readonly string[], examId: string | undefined): void {
  const percent = (value: number | null | undefined) => (value === null || value === undefined ? '-' : String(value));
  const header = ['NAME', 'LOGIN', 'LESSONS', 'PRACTICE', examId ? 'CLASS EXAM' : 'EXAM', ...topics.map((_, index) => `T${index + 1}`), 'LAST ACTIVE'];
  const lines = rows.map((row) => [
    row.name, row.profile === 'default' ? row.user : `${row.user}/${row.profile}`, `${row.lessonsDone}/${row.lessonsTotal}`, percent(row.practiceBest),
    row.exam ? `${row.exam.percent}${row.exam.passed === true ? ' pass' : row.exam.passed === false ? ' fail' : ''}` : '-',
    ...topics.map((topic) => percent(row.mastery[topic])), row.lastActive ? row.lastActive.slice(0, 16).replace('T', ' ') : '-',
  ]);
  const table = [header, ...lines];
  const widths = header.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  print(table.map((line) => line.map((cell, column) => (column < line.length - 1 ? cell.padEnd(widths[column]! + 2) : cell)).join('').trimEnd()).join('\n'));
  if (rows.length === 0) print('(no learner has joined yet: `kubetls class join --dir DIR --name "Name"`)');
  print(topics.map((topic, index) => `T${index + 1} ${topic}`).join('  '));
}
