import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { KubetlsError } from '../../errors.js';
import { commandLanguage } from '../language.js';
import { openCommandStore } from '../store.js';
import { BASE_LANGUAGE, translatorFor } from '../../locale/catalogue.js';
import { padColumns } from '../../terminal/width.js';
import { columns } from '../../text-width.cjs';
import { formatDiagnostic, type Diagnostic } from '../../lessons/diagnostic.js';
import type { LessonLibrary } from '../../lessons/load.js';

/**
 * `kubetls lessons [list]`, `lessons show ID` (plain-text rendering) and `lessons check` (validate
 * lesson files, for teachers). The lesson engine is imported only when one of them runs.
 */

export const MIN_WIDTH = 20;
export const MAX_WIDTH = 1000;

interface LessonsOptions {
  lang?: string;
}

interface ShowOptions extends LessonsOptions {
  width?: string;
  ascii?: boolean;
}

export function registerLessonsCommands(program: Command): void {
  const lessons = program.command('lessons');

  lessons
    .command('list', { isDefault: true })
    .option('--lang <lang>')
    // `kubetls lessons zero-trust` most likely means `show`: say so instead of "too many arguments"
    .allowExcessArguments(true)
    .action(async (options: LessonsOptions, command: Command) => {
      const [extra] = command.args;
      if (extra !== undefined) throw KubetlsError.said('lessons.errors.notACommand', { quoted: `"${extra}"` }, { key: 'lessons.errors.readInstead', params: { word: extra } });
      await listLessons(options, command);
    });

  lessons
    .command('show')
    .argument('<id>')
    .option('--lang <lang>')
    .option('--width <columns>')
    .option('--ascii')
    .action(async (id: string, options: ShowOptions, command: Command) => showLesson(id, options, command));

  lessons
    .command('check')
    .action(async (_options: unknown, command: Command) => checkLessons(command));
}

async function listLessons(_options: LessonsOptions, command: Command): Promise<void> {
  const lang = commandLanguage(command);
  const t = translatorFor(lang);
  const library = await loadLibrary(command);
  const { lessonsInLanguage } = await import('../../lessons/load.js');
  reportDiagnostics(library.diagnostics);
  const lessons = lessonsInLanguage(library, lang);
  if (lessons.length === 0) {
    process.stdout.write(`${t('lessons.list.none')}\n`);
    return;
  }
  const saved = await savedLessons(command);
  const status = (id: string): string => {
    const record = saved[id];
    if (record?.done) return t('lessons.list.done');
    return record && record.percent > 0 ? t('lessons.list.read', { percent: record.percent }) : t('lessons.list.new');
  };
  // Columns are measured with kubetls' one width function (status words are Hangul in Korean); the
  // title comes last and is never padded.
  const rows = lessons.map((lesson) => ({
    position: lesson.order === undefined ? '-' : String(lesson.order),
    id: lesson.id,
    status: status(lesson.id),
    title: lesson.source === 'extra' ? `${lesson.title}  (${shortPath(lesson.file)})` : lesson.title,
  }));
  const header = { position: t('lessons.list.position'), id: t('lessons.list.id'), status: t('lessons.list.status'), title: t('lessons.list.title') };
  const widest = (key: 'position' | 'id' | 'status') => Math.max(...[header, ...rows].map((row) => columns(row[key])));
  const [positionWidth, idWidth, statusWidth] = [widest('position'), widest('id'), widest('status')];
  const format = (row: typeof header): string =>
    `${' '.repeat(positionWidth - columns(row.position))}${row.position}  ${padColumns(row.id, idWidth)}  ${padColumns(row.status, statusWidth)}  ${row.title}`;
  process.stdout.write([header, ...rows].map(format).join('\n') + '\n');
}

/** The learner's lessons in the active profile (read only; a damaged or unreadable file lists all as new). */
async function savedLessons(command: Command): Promise<Record<string, { done: boolean; percent: number }>> {
  const store = await openCommandStore(command);
  const notice = store.takeNotice(commandLanguage(command));
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
    if (elsewhere) throw KubetlsError.said('lessons.errors.noVersion', { quoted: `"${id}"`, language: lang }, { key: 'lessons.errors.tryLanguage', params: { language: elsewhere.lang ?? BASE_LANGUAGE } });
    const similar = library.lessons.map((candidate) => candidate.id).filter((known, index, all) => all.indexOf(known) === index && (known.includes(id) || id.includes(known)));
    throw KubetlsError.said(
      'lessons.errors.noLesson',
      { quoted: `"${id}"` },
      similar.length > 0 ? { key: 'lessons.errors.didYouMean', params: { ids: similar.join(', ') } } : { key: 'lessons.errors.listThem' },
    );
  }
  const { renderLesson, plainText } = await import('../../lessons/render.js');
  const { checkLesson, lessonIdForPath } = await import('../../lessons/check.js');
  const document = renderLesson(lesson, {
    width,
    boxDrawing: options.ascii || !isUtf8Locale() ? 'ascii' : 'unicode',
    quoteInlineCode: true,
    lessonIdForPath: lessonIdForPath(lesson, library),
    language: lang,
  });
  process.stdout.write(`${plainText(document)}\n`);
  reportDiagnostics([...library.diagnostics.filter((diagnostic) => diagnostic.file === lesson.file), ...checkLesson(lesson, library)]);
}

async function checkLessons(command: Command): Promise<void> {
  const t = translatorFor(commandLanguage(command));
  const library = await loadLibrary(command);
  const { checkLibrary } = await import('../../lessons/check.js');
  const { formatDiagnostic, sortDiagnostics } = await import('../../lessons/diagnostic.js');
  const diagnostics = sortDiagnostics(checkLibrary(library));
  for (const diagnostic of diagnostics) process.stdout.write(`${diagnostic.severity}: ${formatDiagnostic(diagnostic, process.cwd())}\n`);
  const files = new Set(library.lessons.map((lesson) => lesson.file)).size;
  // the diagnostics are for lesson authors and stay in English; the count is the learner's too
  const summaryKey = files === 1 ? (diagnostics.length === 1 ? 'summaryOneEach' : 'summaryOneFile') : diagnostics.length === 1 ? 'summaryOneProblem' : 'summary';
  process.stdout.write(`${t(`lessons.check.${summaryKey}`, { files, problems: diagnostics.length })}\n`);
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
    if (!isDirectory) throw KubetlsError.said('lessons.errors.noLessonsDir', { dir: globals.lessonsDir ?? '' }, { key: 'lessons.errors.pointAtLessons' });
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
    throw KubetlsError.said('lessons.errors.badWidth', { min: MIN_WIDTH, max: MAX_WIDTH, value: requested });
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
