import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { KubetlsError } from '../../errors.js';
import { commandLanguage } from '../language.js';
import { formatDiagnostic, type Diagnostic } from '../../lessons/diagnostic.js';
import type { LessonLibrary } from '../../lessons/load.js';

/**
 * `kubetls lessons [list]`, `lessons show ID` (plain-text rendering) and `lessons check` (validate
 * lesson files, for teachers). The lesson engine is imported only when one of them runs.
 */

const MIN_WIDTH = 20;
const MAX_WIDTH = 1000;
const LANG_HELP = 'en or ko (default: ko when LANG starts with ko, else en)';

interface LessonsOptions {
  lang?: string;
}

interface ShowOptions extends LessonsOptions {
  width?: string;
  ascii?: boolean;
}

export function registerLessonsCommands(program: Command): void {
  const lessons = program.command('lessons').description('the lessons: list them (the default), show one, check lesson files');

  lessons
    .command('list', { isDefault: true })
    .description('list the lessons: position, id, title')
    .option('--lang <lang>', LANG_HELP)
    // `kubetls lessons zero-trust` most likely means `show`: say so instead of "too many arguments"
    .allowExcessArguments(true)
    .action(async (options: LessonsOptions, command: Command) => {
      const [extra] = command.args;
      if (extra !== undefined) throw new KubetlsError(`"${extra}" is not a lessons command`, { hint: `to read a lesson: kubetls lessons show ${extra}` });
      await listLessons(options, command);
    });

  lessons
    .command('show')
    .description('print one lesson as plain text')
    .argument('<id>', 'lesson id, as `kubetls lessons` lists it')
    .option('--lang <lang>', LANG_HELP)
    .option('--width <columns>', `wrap to this many columns, ${MIN_WIDTH}-${MAX_WIDTH} (default: the terminal's width, or 80)`)
    .option('--ascii', 'draw boxes and arrows with + - | > < (default when the locale is not UTF-8)')
    .action(async (id: string, options: ShowOptions, command: Command) => showLesson(id, options, command));

  lessons
    .command('check')
    .description('check every lesson file (front matter, links, call-outs); exit 1 if any has a problem')
    .action(async (_options: unknown, command: Command) => checkLessons(command));
}

async function listLessons(_options: LessonsOptions, command: Command): Promise<void> {
  const lang = commandLanguage(command);
  const library = await loadLibrary(command);
  const { lessonsInLanguage } = await import('../../lessons/load.js');
  reportDiagnostics(library.diagnostics);
  const lessons = lessonsInLanguage(library, lang);
  if (lessons.length === 0) {
    process.stdout.write('no lessons found\n');
    return;
  }
  const saved = await savedLessons(command);
  const status = (id: string): string => {
    const record = saved[id];
    if (record?.done) return 'done';
    return record && record.percent > 0 ? `${record.percent}%` : 'new';
  };
  // Positions, ids and status are ASCII, so padding them needs no width tables; the title (Hangul in
  // Korean) comes last and is never padded.
  const rows = lessons.map((lesson) => ({
    position: lesson.order === undefined ? '-' : String(lesson.order),
    id: lesson.id,
    status: status(lesson.id),
    title: lesson.source === 'extra' ? `${lesson.title}  (${shortPath(lesson.file)})` : lesson.title,
  }));
  const positionWidth = Math.max(1, ...rows.map((row) => row.position.length));
  const idWidth = Math.max(2, ...rows.map((row) => row.id.length));
  const statusWidth = Math.max(6, ...rows.map((row) => row.status.length));
  const format = (position: string, id: string, state: string, title: string): string =>
    `${position.padStart(positionWidth)}  ${id.padEnd(idWidth)}  ${state.padEnd(statusWidth)}  ${title}`;
  process.stdout.write([format('#', 'ID', 'STATUS', 'TITLE'), ...rows.map((row) => format(row.position, row.id, row.status, row.title))].join('\n') + '\n');
}

/** The learner's lessons in the active profile (read only; a damaged or unreadable file lists all as new). */
async function savedLessons(command: Command): Promise<Record<string, { done: boolean; percent: number }>> {
  const { openProgressStore } = await import('../../progress/index.js');
  const profile = (command.optsWithGlobals() as { profile?: string }).profile;
  const store = openProgressStore({ profile, env: process.env });
  const notice = store.takeNotice();
  if (notice) process.stderr.write(`kubetls: ${notice}\n`);
  return store.read().lessons;
}

async function showLesson(id: string, options: ShowOptions, command: Command): Promise<void> {
  const lang = commandLanguage(command);
  const width = chooseWidth(options.width);
  const { isUtf8Locale } = await import('../../terminal/language.js');
  const library = await loadLibrary(command);
  const { findLesson } = await import('../../lessons/load.js');
  const lesson = findLesson(library, id, lang);
  if (!lesson) {
    const elsewhere = library.lessons.find((candidate) => candidate.id === id);
    if (elsewhere) throw new KubetlsError(`lesson "${id}" has no ${lang} version`, { hint: `try --lang ${elsewhere.lang ?? 'en'}` });
    const similar = library.lessons.map((candidate) => candidate.id).filter((known, index, all) => all.indexOf(known) === index && (known.includes(id) || id.includes(known)));
    throw new KubetlsError(`no lesson "${id}"`, { hint: similar.length > 0 ? `did you mean ${similar.join(', ')}?` : 'run `kubetls lessons` to list them' });
  }
  const { renderLesson, plainText } = await import('../../lessons/render.js');
  const { checkLesson, lessonIdForPath } = await import('../../lessons/check.js');
  const document = renderLesson(lesson, {
    width,
    boxDrawing: options.ascii || !isUtf8Locale() ? 'ascii' : 'unicode',
    quoteInlineCode: true,
    lessonIdForPath: lessonIdForPath(lesson, library),
  });
  process.stdout.write(`${plainText(document)}\n`);
  reportDiagnostics([...library.diagnostics.filter((diagnostic) => diagnostic.file === lesson.file), ...checkLesson(lesson, library)]);
}

async function checkLessons(command: Command): Promise<void> {
  const library = await loadLibrary(command);
  const { checkLibrary } = await import('../../lessons/check.js');
  const { formatDiagnostic, sortDiagnostics } = await import('../../lessons/diagnostic.js');
  const diagnostics = sortDiagnostics(checkLibrary(library));
  for (const diagnostic of diagnostics) process.stdout.write(`${diagnostic.severity}: ${formatDiagnostic(diagnostic, process.cwd())}\n`);
  const files = new Set(library.lessons.map((lesson) => lesson.file)).size;
  process.stdout.write(`${files} lesson file${files === 1 ? '' : 's'} loaded, ${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}\n`);
  // 1: the check ran and found problems (main.ts's EXIT.checkFailed)
  if (diagnostics.length > 0) process.exitCode = 1;
}

async function loadLibrary(command: Command): Promise<LessonLibrary> {
  const globals = command.optsWithGlobals<{ lessonsDir?: string }>();
  const extraDirs = globals.lessonsDir === undefined ? [] : [resolve(globals.lessonsDir)];
  for (const dir of extraDirs) {
    let isDirectory = false;
    try {
      isDirectory = statSync(dir).isDirectory();
    } catch {
      // reported below
    }
    if (!isDirectory) throw new KubetlsError(`--lessons-dir ${globals.lessonsDir}: no such directory`, { hint: 'point it at a folder of .md lesson files' });
  }
  const { loadLessons } = await import('../../lessons/load.js');
  return loadLessons({ extraDirs });
}

function chooseWidth(requested: string | undefined): number {
  if (requested === undefined) {
    const terminal = process.stdout.isTTY ? process.stdout.columns : undefined;
    return terminal ? Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, terminal)) : 80;
  }
  const width = Number(requested);
  if (!/^\d+$/.test(requested.trim()) || width < MIN_WIDTH || width > MAX_WIDTH) {
    throw new KubetlsError(`--width must be a whole number of columns from ${MIN_WIDTH} to ${MAX_WIDTH}, not "${requested}"`);
  }
  return width;
}

/** Problems in lesson files go to stderr, one line each, without stopping the command. */
function reportDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const diagnostic of diagnostics) process.stderr.write(`kubetls: ${diagnostic.severity}: ${formatDiagnostic(diagnostic, process.cwd())}\n`);
}

function shortPath(file: string): string {
  const shorter = relative(process.cwd(), file);
  return shorter.startsWith('..') || isAbsolute(shorter) ? file : shorter;
}
