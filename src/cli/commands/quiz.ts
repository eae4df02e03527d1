import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { KubetlsError, describeError, isKubetlsError } from '../../errors.js';
import { commandLanguage } from '../language.js';
import { openCommandStore } from '../store.js';
import type { Diagnostic } from '../../lessons/diagnostic.js';
import { translate, translatorFor, type Params } from '../../locale/catalogue.js';
import type * as QuizEngine from '../../quiz/index.js';
import { localize } from '../../quiz/types.js';
import { counted, formatNumber, topicLabel } from '../../quiz/words.js';
import type { FixItSession, PutBack } from '../../quiz/fixit-session.js';
import type { AttemptRecord, ProgressStore } from '../../progress/index.js';

/**
 * `kubetls quiz --plain` and `kubetls exam --plain`: the quiz engine in line mode. Questions go to
 * stdout, answers come from stdin one line each (so a quiz can be piped, scripted and tested),
 * and the run ends with `Score: X/Y (P%)`. The engine is imported only when one of them runs.
 */

type Engine = typeof QuizEngine;
type Language = QuizEngine.Language;

export const DEFAULT_QUIZ_COUNT = 10;
export const DEFAULT_EXAM_COUNT = 20;
const MAX_MINUTES = 24 * 60;

interface CommonOptions {
  plain?: boolean;
  sandbox?: string;
  count?: string;
  seed?: string;
  lang?: string;
}

interface QuizOptions extends CommonOptions {
  topic?: string;
  review?: boolean;
  fixIt?: boolean;
}

interface ExamOptions extends CommonOptions {
  minutes?: string;
  /** false with --no-fix-it. */
  fixIt?: boolean;
}

export function registerQuizCommands(program: Command): void {
  program
    .command('quiz')
    .option('--plain')
    .option('--topic <topics>')
    .option('--count <n>')
    .option('--seed <n>')
    .option('--sandbox <dir>')
    .option('--review')
    .option('--fix-it')
    .option('--lang <lang>')
    .action(async (options: QuizOptions, command: Command) => runQuizCommand(options, command));

  program
    .command('exam')
    .option('--plain')
    .option('--count <n>')
    .option('--seed <n>')
    .option('--lang <lang>')
    .option('--minutes <m>')
    .option('--sandbox <dir>')
    .option('--no-fix-it')
    .action(async (options: ExamOptions, command: Command) => runExamCommand(options, command));
}

/** What every plain run needs: the engine, the options, the store, and the words. */
interface QuizRun {
  engine: Engine;
  lang: Language;
  seed: number;
  count: number;
  topics: string[];
  topicFlag: string | undefined;
  store: ProgressStore;
}

async function runQuizCommand(options: QuizOptions, command: Command): Promise<void> {
  if (!options.plain) return openInApp(options, command, options.review ? 'review' : 'practice');
  const engine = await import('../../quiz/index.js');
  const lang = commandLanguage(command);
  const count = parseCount(options.count, DEFAULT_QUIZ_COUNT);
  const topics = parseTopics(options.topic, engine);
  const seed = parseSeed(options.seed, engine);
  if (options.fixIt && options.sandbox === undefined) throw KubetlsError.said('quiz.errors.fix-it-needs-sandbox', {}, { key: 'quiz.errors.fix-it-example' });
  if (options.fixIt && options.review) throw KubetlsError.said('quiz.errors.fix-it-review', {}, { key: 'quiz.errors.fix-it-review-hint' });
  const run: QuizRun = { engine, lang, seed, count, topics, topicFlag: options.topic, store: await openCommandStore(command) };
  if (options.fixIt && options.sandbox !== undefined) return runFixItQuiz(run, options.sandbox);
  if (options.review) return runReview(run, options.sandbox);
  const selected = engine.selectQuestions(await loadQuestions(engine, { sandbox: options.sandbox, withBanks: options.sandbox === undefined }), { topics, count, seed });
  if (selected.length === 0) throw KubetlsError.said('quiz.errors.no-questions-for-topic', { topic: options.topic ?? '' }, { key: 'quiz.errors.check-banks' });
  await runPlainQuiz({ ...plainIo(run), questions: selected, requested: count });
}

/** The line-mode streams and the saving of a practice run, for a run of the command. */
function plainIo(run: QuizRun) {
  return { engine: run.engine, lang: run.lang, seed: run.seed, input: process.stdin, output: process.stdout, save: (state: QuizEngine.PracticeState) => savePractice(run.store, state, run.lang) };
}

async function runFixItQuiz(run: QuizRun, sandboxDir: string): Promise<void> {
  const fixIt = await readyFixItTasks(sandboxDir, { required: true, lang: run.lang });
  const pool = run.topics.length > 0 ? fixIt.questions.filter((question) => run.topics.includes(question.topic)) : fixIt.questions;
  const { selectFixItTasks } = await import('../../quiz/fixit.js');
  const selected = selectFixItTasks(pool, { count: run.count, seed: run.seed });
  if (selected.length === 0) {
    const topics = [...new Set(fixIt.questions.map((question) => question.topic))].join(', ');
    throw KubetlsError.said('quiz.errors.no-fix-it-for-topic', { topic: run.topicFlag ?? '' }, { key: 'quiz.errors.fix-it-topics', params: { topics } });
  }
  await runPlainQuiz({ ...plainIo(run), questions: selected, requested: run.count, session: fixIt.session });
}

/** A review asks again whatever is due, from the banks and the sandbox alike. */
async function runReview(run: QuizRun, sandboxDir: string | undefined): Promise<void> {
  const { engine } = run;
  const questions = await loadQuestions(engine, { sandbox: sandboxDir, withBanks: true });
  const deck = run.store.read().review;
  const fixIt = sandboxDir !== undefined ? await readyFixItTasks(sandboxDir, { required: false, lang: run.lang }) : undefined;
  const all = [...questions, ...(fixIt?.questions ?? [])];
  const pool = run.topics.length > 0 ? all.filter((question) => run.topics.includes(question.topic)) : all;
  const review = engine.startReview(deck, pool, { now: engine.systemClock.now(), seed: run.seed, limit: run.count });
  await runPlainQuiz({ ...plainIo(run), questions: review.items.map((item) => item.presented), mode: 'review', nextDue: engine.nextDueDate(deck), session: fixIt?.session });
}

async function runExamCommand(options: ExamOptions, command: Command): Promise<void> {
  if (options.fixIt === false && options.sandbox === undefined) throw KubetlsError.said('quiz.errors.no-fix-it-alone');
  if (!options.plain) return openInApp(options, command, 'exam');
  const engine = await import('../../quiz/index.js');
  const lang = commandLanguage(command);
  const store = await openCommandStore(command);
  // in a class with an exam set, everyone gets the teacher's tasks: same seed, count and time, banks only
  const { classExamFor } = await import('../../classroom/files.js');
  const classExam = classExamFor(store.read());
  if (classExam) {
    const aside = options.sandbox !== undefined || options.seed !== undefined || options.count !== undefined || options.minutes !== undefined;
    notice(lang, translate(lang, aside ? 'quiz.notice.class-exam-aside' : 'quiz.notice.class-exam', { id: classExam.id, count: classExam.count, minutes: classExam.minutes }));
  }
  const count = classExam?.count ?? parseCount(options.count, DEFAULT_EXAM_COUNT);
  const seed = classExam?.seed ?? parseSeed(options.seed, engine);
  if (options.minutes !== undefined && !classExam) parseMinutes(engine, options.minutes, count, 0);
  const sandbox = classExam ? undefined : options.sandbox;
  const questions = await loadQuestions(engine, { sandbox, withBanks: true });
  const repairs = sandbox !== undefined && options.fixIt !== false ? await examRepairs(sandbox, { count: engine.fixItTaskCount(count), seed, lang }) : undefined;
  const asked = engine.selectQuestions(questions, { count: count - (repairs?.tasks.length ?? 0), seed, spreadTopics: true });
  // the repairs sit among the questions, where the seed puts them
  const selected = repairs ? (await import('../../quiz/fixit.js')).mixTasksIn(asked, repairs.tasks, seed) : asked;
  if (selected.length === 0) throw KubetlsError.said('quiz.errors.no-questions', {}, { key: 'quiz.errors.check-quiz-dir' });
  const minutes = classExam?.minutes ?? parseMinutes(engine, options.minutes, asked.length, repairs?.tasks.length ?? 0);
  await runPlainExam({
    engine, questions: selected, lang, seed, minutes, input: process.stdin, output: process.stdout, clock: engine.systemClock, session: repairs?.session, checked: repairs?.checked,
    save: (state, result) => saveAttempt(store, lang, (progress) => progress.attemptFromExam(result, { startedAt: state.startedAt, ...(classExam ? { classExam: classExam.id } : {}) })),
  });
}


/** A run that ended before the first question was answered or skipped is not an attempt (as in the app). */
async function savePractice(store: ProgressStore, state: QuizEngine.PracticeState, lang: Language): Promise<void> {
  if (state.items.some((item) => item.outcome)) await saveAttempt(store, lang, (progress) => progress.attemptFromPractice(state));
}

/**
 * Keeps the attempt (and through it the review schedule) in the learner's progress. Saving never
 * spoils a finished quiz: a disk that cannot be written is reported on stderr by the store.
 */
async function saveAttempt(store: ProgressStore, lang: Language, makeAttempt: (progress: typeof import('../../progress/index.js')) => AttemptRecord): Promise<void> {
  const progress = await import('../../progress/index.js');
  store.update((current) => progress.recordAttempt(current, makeAttempt(progress)));
  const said = store.takeNotice();
  const warning = store.warning();
  if (said) notice(lang, said);
  if (warning) process.stderr.write(`${translate(lang, 'quiz.notice.warning', { message: warning })}\n`);
}

function notice(lang: Language, message: string): void {
  process.stderr.write(`${translate(lang, 'quiz.notice.line', { message })}\n`);
}

/** Without --plain: the full-screen app, opened at that screen. The line-mode options need --plain. */
async function openInApp(options: object, command: Command, start: 'practice' | 'exam' | 'review'): Promise<void> {
  const lineModeOnly = Object.entries(options).filter(([key, value]) => value !== undefined && !['plain', 'review', 'fixIt', 'lang'].includes(key) && !(key === 'fixIt' && value === true));
  if (lineModeOnly.length > 0) {
    const flag = lineModeOnly[0]![0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw KubetlsError.said('quiz.errors.line-mode-only', { flag }, { key: 'quiz.errors.line-mode-hint', params: { command: command.name() } });
  }
  const { launchApp } = await import('./app.js');
  const globals = command.optsWithGlobals() as { profile?: string; lessonsDir?: string; lang?: string };
  await launchApp({ profile: globals.profile, lessonsDir: globals.lessonsDir, lang: globals.lang, start });
}

async function loadQuestions(engine: Engine, options: { sandbox: string | undefined; withBanks: boolean }): Promise<QuizEngine.Question[]> {
  const sources: QuizEngine.QuestionSource[] = options.withBanks ? [engine.bankSource()] : [];
  if (options.sandbox !== undefined) {
    const { generateSandboxQuestions } = await import('../../quiz/sandbox-source.js');
    const { generateManifestQuestions } = await import('../../quiz/manifest-source.js');
    const dir = resolve(options.sandbox);
    const generated = generateSandboxQuestions({ dir });
    // a sandbox that cannot be read is bad input, not a bank problem to warn about
    const failure = generated.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
    if (generated.questions.length === 0 && failure) throw unusableSandbox(options.sandbox, failure.message);
    sources.push({ name: `sandbox ${dir}`, questions: async () => generated });
    const manifests = generateManifestQuestions({ dir });
    sources.push({ name: `manifests of ${dir}`, questions: async () => ({ questions: manifests.questions, diagnostics: [] }) });
  }
  const { questions, diagnostics } = await engine.gatherQuestions(sources);
  reportDiagnostics(diagnostics);
  return questions;
}

function unusableSandbox(sandbox: string, reason: string): KubetlsError {
  return KubetlsError.said('quiz.errors.sandbox-unusable', { sandbox, reason }, { key: 'quiz.errors.create-sandbox', params: { sandbox } });
}

/**
 * The sandbox's fix-it tasks, not yet checked, and the sandbox to run them on; none (with a notice) for
 * a cluster's own directory, which is read for questions and never broken for repairs. `required`: a
 * sandbox without tasks is an error.
 */
async function sandboxFixIt(sandboxDir: string, options: { required: boolean; lang: Language }): Promise<{ dir: string; questions: QuizEngine.FixItQuestion[] }> {
  const { fixItQuestions } = await import('../../quiz/fixit-sandbox.js');
  const dir = resolve(sandboxDir);
  const { assertSandbox, isSandbox, looksLikeKubeadmDir } = await import('../../pki/node/node-dir.js');
  if (!isSandbox(dir) && looksLikeKubeadmDir(dir)) {
    try {
      assertSandbox(dir);
    } catch (error) {
      if (options.required || !isKubetlsError(error)) throw error;
      notice(options.lang, translate(options.lang, 'quiz.notice.no-repairs', { reason: describeError(error, options.lang) }));
    }
    return { dir, questions: [] };
  }
  const loaded = fixItQuestions(dir);
  const failure = loaded.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
  if (loaded.questions.length === 0 && failure) {
    if (options.required) throw unusableSandbox(sandboxDir, failure.message);
    notice(options.lang, failure.message);
    return { dir, questions: [] };
  }
  reportDiagnostics(loaded.diagnostics);
  return { dir, questions: loaded.questions };
}

/** The sandbox that sets tasks up and grades them (its checks in `lang`), and the session that runs them on it. */
async function openSandbox(dir: string, lang: Language) {
  const [{ sandboxTasks }, fixItSessions] = await Promise.all([import('../../quiz/fixit-sandbox.js'), import('../../quiz/fixit-session.js')]);
  const sandbox = sandboxTasks(dir, { language: lang });
  return { sandbox, session: fixItSessions.fixItSession(sandbox, lang), ...fixItSessions };
}

/**
 * The fix-it tasks whose part of the sandbox works now (a task set on a part that is already broken
 * could not be graded fairly); the others are named on stderr. `required`: no task is an error.
 */
async function readyFixItTasks(sandboxDir: string, options: { required: boolean; lang: Language }): Promise<{ questions: QuizEngine.FixItQuestion[]; session: FixItSession }> {
  const { dir, questions } = await sandboxFixIt(sandboxDir, options);
  const { sandbox, session, tasksReadyNow } = await openSandbox(dir, options.lang);
  const { ready, blocked } = await tasksReadyNow(sandbox, questions);
  if (blocked.length > 0) {
    const message = counted(options.lang, 'quiz.notice.left-out', blocked.length, { tasks: blocked.map((question) => question.id).join(', ') });
    if (ready.length === 0 && options.required) throw new KubetlsError(message, { hint: translate(options.lang, 'quiz.errors.repair-or-afresh', { sandbox: sandboxDir }) });
    notice(options.lang, message);
  }
  return { questions: ready, session };
}

/** An exam's repairs: picked as the app picks them (the same seed, the same tasks), each checked ready. */
async function examRepairs(sandboxDir: string, options: { count: number; seed: number; lang: Language }) {
  const { dir, questions } = await sandboxFixIt(sandboxDir, { required: false, lang: options.lang });
  if (questions.length === 0) return undefined;
  const { sandbox, session, pickExamRepairs } = await openSandbox(dir, options.lang);
  const picked = await pickExamRepairs(sandbox, questions, { count: options.count, seed: options.seed });
  if (picked.blocked.length > 0) notice(options.lang, counted(options.lang, 'quiz.notice.left-out', picked.blocked.length, { tasks: picked.blocked.join(', ') }));
  return { tasks: picked.tasks, checked: picked.checked, session };
}

/** Problems in bank files go to stderr, one line each; the good questions are still asked. */
function reportDiagnostics(diagnostics: readonly Diagnostic[]): void {
  if (diagnostics.length === 0) return;
  const base = process.cwd();
  for (const diagnostic of diagnostics) {
    const file = diagnostic.file.startsWith(`${base}/`) ? diagnostic.file.slice(base.length + 1) : diagnostic.file;
    const where = diagnostic.line > 0 ? `${file}:${diagnostic.line}` : file;
    process.stderr.write(`kubetls: ${diagnostic.severity}: ${where}: ${diagnostic.message}\n`);
  }
}

// --- flags ---------------------------------------------------------------------------------

function parseCount(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const count = Number(value);
  if (!/^\d+$/.test(value.trim()) || count < 1) throw KubetlsError.said('quiz.errors.count', { value });
  return count;
}

function parseSeed(value: string | undefined, engine: Engine): number {
  if (value === undefined) return engine.freshSeed();
  const seed = Number(value);
  if (!/^\d+$/.test(value.trim()) || seed > engine.MAX_SEED) throw KubetlsError.said('quiz.errors.seed', { value, max: engine.MAX_SEED });
  return seed;
}

function parseMinutes(engine: Engine, value: string | undefined, questions: number, fixItTasks: number): number {
  if (value === undefined) return engine.examMinutes(questions, fixItTasks);
  const minutes = Number(value);
  if (value.trim() === '' || !Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_MINUTES) throw KubetlsError.said('quiz.errors.minutes', { value, max: MAX_MINUTES });
  return minutes;
}

function parseTopics(value: string | undefined, engine: Engine): string[] {
  if (value === undefined) return [];
  const topics = value.split(',').map((topic) => topic.trim()).filter((topic) => topic !== '');
  const known = engine.courseLessonIds();
  const hint = { key: 'quiz.errors.topics', params: { topics: known.join(', ') } };
  for (const topic of topics) if (!known.includes(topic)) throw KubetlsError.said('quiz.errors.topic', { topic }, hint);
  if (topics.length === 0) throw KubetlsError.said('quiz.errors.no-topic', {}, hint);
  return topics;
}

// --- line input ----------------------------------------------------------------------------

type LineEvent = { kind: 'line'; text: string } | { kind: 'eof' } | { kind: 'timeout' };

/** Lines from a stream, one at a time, optionally with a deadline (the exam's countdown). */
function lineReader(input: NodeJS.ReadableStream): { next(timeoutMs?: number): Promise<LineEvent>; close(): void } {
  const lines: string[] = [];
  let ended = false;
  let waiting: ((event: LineEvent) => void) | undefined;
  const reader = createInterface({ input, terminal: false, crlfDelay: Infinity });
  reader.on('line', (line) => {
    if (waiting) {
      const deliver = waiting;
      waiting = undefined;
      deliver({ kind: 'line', text: line });
    } else {
      lines.push(line);
    }
  });
  reader.on('close', () => {
    ended = true;
    if (waiting) {
      const deliver = waiting;
      waiting = undefined;
      deliver({ kind: 'eof' });
    }
  });
  return {
    next(timeoutMs) {
      const queued = lines.shift();
      if (queued !== undefined) return Promise.resolve({ kind: 'line', text: queued });
      if (ended) return Promise.resolve({ kind: 'eof' });
      return new Promise((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        waiting = (event) => {
          if (timer) clearTimeout(timer);
          resolve(event);
        };
        if (timeoutMs !== undefined) {
          timer = setTimeout(() => {
            waiting = undefined;
            resolve({ kind: 'timeout' });
          }, Math.max(0, timeoutMs));
        }
      });
    },
    close() {
      reader.close();
    },
  };
}

// --- saying things ------------------------------------------------------------------------

interface Output {
  write(text: string): unknown;
}

interface Session {
  engine: Engine;
  lang: Language;
  /** kubetls' words in the learner's language (locales/<code>/quiz.yaml). */
  t: Translate;
  output: Output;
  /** Echo answers read from a pipe, so a transcript reads like a dialogue. */
  echo: boolean;
}

type Translate = (key: string, params?: Params) => string;

function plainSession(options: { engine: Engine; lang: Language; output: Output; input: { isTTY?: boolean } }): Session {
  const t = translatorFor(options.lang);
  return { engine: options.engine, lang: options.lang, t: (key, params) => t(`quiz.${key}`, params), output: options.output, echo: !options.input.isTTY };
}

function say(session: Session, text = ''): void {
  session.output.write(`${text}\n`);
}

function askPrompt(session: Session, how: string): void {
  session.output.write(`${session.t('prompt', { how })}: `);
}

function echoAnswer(session: Session, text: string): void {
  if (session.echo) session.output.write(`${text}\n`);
}

/** Parts of a heading line, joined the language's way ("Task 2/4 · fix-it · weight 6"). */
function heading(session: Session, parts: (string | false | undefined)[]): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join(session.t('separator'));
}

function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (value: number): string => String(value).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}

/** How to answer this question, for the prompt. */
function answerHint(session: Session, question: QuizEngine.Question, mode: 'practice' | 'exam' = 'practice'): string {
  const { t } = session;
  if (session.engine.isFixItQuestion(question)) return mode === 'exam' ? t('exam.fixit-how') : t('fixit.how');
  if (question.type !== 'text') return t(`how.${question.type}`);
  const how = t(`how.${question.normalize}`);
  return question.list ? t('how.list', { how }) : how;
}

/** The question as plain lines: prompt, then the choices with their letters. */
function questionLines(session: Session, presented: QuizEngine.PresentedQuestion): string[] {
  const lines = [localize(presented.question.prompt, session.lang)];
  for (const choice of session.engine.displayedChoices(presented, session.lang)) lines.push(`  ${choice.letter}) ${choice.text}`);
  return lines;
}

function checkLine(check: QuizEngine.TaskCheck): string {
  return `  ${check.ok ? '✓' : '✗'} ${check.name}: ${check.message}`;
}

function readLessonLine(session: Session, question: QuizEngine.Question): string {
  return session.t('read', { command: `kubetls lessons show ${question.lesson}` });
}

function scoreLine(session: Session, earned: number, possible: number, percent: number): string {
  return session.t('score', { earned: formatNumber(earned), possible: formatNumber(possible), percent });
}

/** What kubetls did to put a task back, or why it could not. */
function putBackLine(session: Session, dir: string, putBack: PutBack): string {
  return putBack.ok ? session.t('fixit.restored', { what: putBack.done }) : session.t('fixit.not-restored', { reason: putBack.reason, dir });
}

type Reader = ReturnType<typeof lineReader>;

// --- practice ------------------------------------------------------------------------------

export interface PlainQuizOptions {
  engine: Engine;
  questions: QuizEngine.PresentedQuestion[];
  /** `review`: the questions due on the Leitner schedule. */
  mode?: 'practice' | 'review';
  /** For a review with nothing due: when the next question comes back. */
  nextDue?: string | undefined;
  lang: Language;
  seed: number;
  /** The --count asked for, to say when the bank had fewer. */
  requested?: number;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: Output;
  clock?: QuizEngine.Clock;
  /** Where fix-it tasks are set up, graded and put back. */
  session?: FixItSession;
  /** Keeps the run: done before the score is printed, so a score on screen is one that was kept. */
  save?: (state: QuizEngine.PracticeState) => Promise<void>;
}

interface PracticeRun {
  session: Session;
  options: PlainQuizOptions;
  reader: Reader;
  clock: QuizEngine.Clock;
  state: QuizEngine.PracticeState;
}

export async function runPlainQuiz(options: PlainQuizOptions): Promise<{ state: QuizEngine.PracticeState; score: QuizEngine.Score }> {
  const { engine } = options;
  const clock = options.clock ?? engine.systemClock;
  const session = plainSession(options);
  const run: PracticeRun = { session, options, reader: lineReader(options.input), clock, state: engine.startPractice(options.questions, clock.now(), options.mode ?? 'practice') };
  sayQuizIntro(session, options);
  try {
    while (run.state.phase !== 'finished') {
      const item = engine.currentItem(run.state);
      if (!item) break;
      await askPracticeItem(run, item.presented);
    }
  } finally {
    run.reader.close();
  }
  const { state } = run;
  const score = engine.practiceScore(state);
  await options.save?.(state);
  say(session);
  const stopped = stoppedLine(session, state);
  if (stopped) say(session, stopped);
  say(session, scoreLine(session, score.correct, score.total, score.percent));
  return { state, score };
}

/** A run left early stops at a question shown but not answered; the ones after it were not reached. */
function stoppedLine(session: Session, state: QuizEngine.PracticeState): string | undefined {
  const current = state.items[state.index];
  if (!current || current.outcome) return undefined;
  const after = state.items.length - state.index - 1;
  const n = state.index + 1;
  return after === 0 ? session.t('practice.stopped-at-last', { n }) : counted(session.lang, 'quiz.practice.stopped-before', after, { n });
}

function sayQuizIntro(session: Session, options: PlainQuizOptions): void {
  const { lang } = session;
  const count = options.questions.length;
  const onlyRepairs = count > 0 && options.questions.every((presented) => session.engine.isFixItQuestion(presented.question));
  if (options.mode === 'review') {
    say(session, count > 0 ? counted(lang, 'quiz.practice.review-intro', count) : options.nextDue ? session.t('practice.nothing-due', { date: options.nextDue.slice(0, 10) }) : session.t('practice.nothing-due-empty'));
  } else {
    say(session, counted(lang, onlyRepairs ? 'quiz.fixit.intro' : 'quiz.practice.intro', count, { seed: options.seed }));
  }
  if (options.requested !== undefined && options.requested > count) say(session, counted(lang, 'quiz.practice.fewer', count, { requested: options.requested }));
  if (count > 0 && !onlyRepairs) say(session, session.t('practice.help'));
}

/** One question (or fix-it task) asked, answered and given its feedback. */
async function askPracticeItem(run: PracticeRun, presented: QuizEngine.PresentedQuestion): Promise<void> {
  const { session, options } = run;
  const { engine, t } = session;
  const { question } = presented;
  const act = (action: QuizEngine.PracticeAction): void => {
    run.state = engine.practiceReducer(run.state, action, run.clock.now());
  };
  say(session);
  const number = t('practice.question', { n: run.state.index + 1, total: run.state.items.length });
  say(session, heading(session, [number, engine.isFixItQuestion(question) && t('fixit-label'), topicLabel(question.topic, session.lang), t('practice.difficulty', { level: question.difficulty })]));
  for (const line of questionLines(session, presented)) say(session, line);
  let repair: FixItOutcome | undefined;
  if (engine.isFixItQuestion(question)) {
    repair = await practiceTask(session, run.reader, question, options.session);
    act(repair.action);
  } else {
    act(await readPracticeAnswer(run, presented));
  }
  if (run.state.phase !== 'feedback') {
    if (repair?.putBack && options.session) say(session, `  ${putBackLine(session, options.session.dir, repair.putBack)}`);
    return;
  }
  sayFeedback(run, presented, repair);
  act({ type: 'next' });
}

/** Asks until the line is an answer, a skip, or the end. */
async function readPracticeAnswer(run: PracticeRun, presented: QuizEngine.PresentedQuestion): Promise<QuizEngine.PracticeAction> {
  const { session } = run;
  for (;;) {
    askPrompt(session, answerHint(session, presented.question));
    const event = await run.reader.next();
    if (event.kind !== 'line') {
      say(session);
      return { type: 'finish' };
    }
    echoAnswer(session, event.text);
    const typed = event.text.trim();
    if (typed === ':quit' || typed === ':q') return { type: 'finish' };
    if (typed === '') return { type: 'skip' };
    const parsed = session.engine.parseResponse(presented, typed);
    if (parsed.ok) return { type: 'answer', response: parsed.response };
    say(session, `  ${localize(parsed.message, session.lang)}`);
  }
}

function sayFeedback(run: PracticeRun, presented: QuizEngine.PresentedQuestion, repair: FixItOutcome | undefined): void {
  const { session } = run;
  const { engine, t, lang } = session;
  const { question } = presented;
  const outcome = run.state.items[run.state.index]?.outcome;
  if (engine.isFixItQuestion(question)) {
    say(session, outcome?.correct ? t('fixit.fixed') : t('fixit.gave-up'));
    // the failing checks were shown at the last "done"; the passing ones are the reward
    if (outcome?.correct) for (const check of repair?.grade?.checks ?? []) say(session, checkLine(check));
  } else if (outcome?.correct) {
    say(session, t('practice.correct'));
  } else {
    say(session, t(outcome?.response === undefined ? 'practice.skipped-answer' : 'practice.wrong-answer', { answer: engine.correctAnswerText(presented, lang) }));
  }
  say(session, localize(question.explanation, lang));
  if (repair?.putBack && run.options.session) say(session, putBackLine(session, run.options.session.dir, repair.putBack));
  say(session, readLessonLine(session, question));
}

interface FixItOutcome {
  action: QuizEngine.PracticeAction;
  grade?: QuizEngine.TaskGrade;
  /** What kubetls put back when the task was given up or left. */
  putBack?: PutBack;
}

/**
 * One fix-it task in practice: set it up, then grade on "done" (or Enter) until it passes, the learner
 * gives up, or the input ends. A failed check is shown and the learner can try again. A task that cannot
 * be set up is left out: the learner did nothing wrong.
 */
async function practiceTask(session: Session, reader: Reader, question: QuizEngine.FixItQuestion, fixIt: FixItSession | undefined): Promise<FixItOutcome> {
  const { t } = session;
  const setUp = fixIt ? await fixIt.setUp(question) : { ok: false as const, reason: t('errors.exam-needs-sandbox-hint') };
  if (!fixIt || !setUp.ok) {
    say(session, `  ${t('fixit.cannot-set-up', { reason: setUp.ok ? '' : setUp.reason })}`);
    return { action: { type: 'leave-out' } };
  }
  say(session, t('fixit.help', { dir: fixIt.dir }));
  let last: QuizEngine.TaskGrade | undefined;
  for (;;) {
    askPrompt(session, t('fixit.how'));
    const event = await reader.next();
    if (event.kind === 'line') echoAnswer(session, event.text);
    else say(session);
    const typed = event.kind === 'line' ? event.text.trim().toLowerCase() : ':quit';
    // stopping part-way: what is still broken is put back, so what the learner does next starts from a working sandbox
    if (typed === ':quit' || typed === ':q') return { action: { type: 'finish' }, grade: last, putBack: await fixIt.leave(question) };
    if (typed === 'skip') return { action: { type: 'skip' }, grade: last, putBack: await fixIt.putBack(question) };
    if (typed === 'hint') {
      say(session, `  ${t('fixit.hint', { hint: localize(question.hint, session.lang) })}`);
      continue;
    }
    if (typed !== '' && typed !== 'done') {
      say(session, `  ${t('fixit.unknown')}`);
      continue;
    }
    last = await fixIt.grade(question);
    if (last.passed) return { action: { type: 'answer', response: { kind: 'text', value: 'done', grade: last } }, grade: last };
    say(session, `  ${t('fixit.not-fixed')}`);
    for (const check of last.checks.filter((c) => !c.ok)) say(session, `  ${checkLine(check)}`);
  }
}

// --- exam ----------------------------------------------------------------------------------

export interface PlainExamOptions {
  engine: Engine;
  questions: QuizEngine.PresentedQuestion[];
  lang: Language;
  seed: number;
  minutes: number;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: Output;
  clock: QuizEngine.Clock;
  /** Where fix-it tasks are set up, graded and put back. */
  session?: FixItSession;
  /** Grades that just found the repairs' parts working (they are not graded again when set up). */
  checked?: ReadonlyMap<string, QuizEngine.TaskGrade>;
  /** Keeps the exam: done before the result is printed, so a score on screen is one that was kept. */
  save?: (state: QuizEngine.ExamState, result: QuizEngine.ExamResult) => Promise<void>;
}

/** The exam under way: its state, and where the learner is (`atOverview`: past the last task, `revisiting`: a task picked from the overview). */
interface ExamRun {
  session: Session;
  options: PlainExamOptions;
  reader: Reader;
  state: QuizEngine.ExamState;
  total: number;
  atOverview: boolean;
  revisiting: boolean;
  /** The task whose text is on screen, so it is printed again only when the learner moves. */
  shown: number;
}

export async function runPlainExam(options: PlainExamOptions): Promise<{ state: QuizEngine.ExamState; result: QuizEngine.ExamResult }> {
  const { engine, clock } = options;
  const session = plainSession(options);
  const start = () => engine.startExam(options.questions, { now: clock.now(), durationMs: options.minutes * 60_000 });
  const run: ExamRun = { session, options, reader: lineReader(options.input), state: start(), total: options.questions.length, atOverview: false, revisiting: false, shown: -1 };
  say(session, counted(session.lang, 'quiz.exam.intro', run.total, { minutes: counted(session.lang, 'quiz.exam.minutes', options.minutes, { n: formatNumber(options.minutes) }), pass: engine.PASS_MARK, seed: options.seed }));
  say(session, session.t('exam.help'));
  try {
    // as in the CKA, the broken clusters are there from the start, and the clock starts when they are ready
    if (await setUpRepairs(run)) run.state = start();
    while (run.state.status === 'running') {
      const more = run.atOverview ? await overviewStep(run) : await taskStep(run);
      if (!more) break;
    }
  } finally {
    run.reader.close();
  }
  const { endExam } = await import('../../quiz/fixit-session.js');
  const { result, putBack } = await endExam(options.session, run.state, (graded) => options.save?.(run.state, graded));
  sayExamReview(session, result);
  sayPutBack(session, options.session?.dir ?? '', putBack);
  say(session);
  say(session, session.t('exam.time-used', { time: formatClock(result.durationMs) }));
  say(session, session.t(result.passed ? 'exam.passed' : 'exam.failed', { percent: result.percent, pass: result.passMark }));
  say(session, scoreLine(session, result.earned, result.possible, result.percent));
  return { state: run.state, result };
}

/** Breaks the sandbox for every repair; true when there were any. One that cannot be set up puts the others back and ends here. */
async function setUpRepairs(run: ExamRun): Promise<boolean> {
  const { engine } = run.session;
  const repairs = run.state.tasks.map((task) => task.presented.question).filter(engine.isFixItQuestion);
  if (repairs.length === 0) return false;
  const fixIt = run.options.session;
  if (!fixIt) throw KubetlsError.said('quiz.errors.exam-needs-sandbox', {}, { key: 'quiz.errors.exam-needs-sandbox-hint' });
  const outcome = await fixIt.setUpAll(repairs, { checked: run.options.checked });
  if (!outcome.ok) throw KubetlsError.said('quiz.exam.not-set-up', { reason: outcome.reason });
  say(run.session, counted(run.session.lang, 'quiz.exam.set-up', repairs.length, { dir: fixIt.dir }));
  return true;
}

function examAct(run: ExamRun, action: QuizEngine.ExamAction): void {
  run.state = run.session.engine.examReducer(run.state, action, run.options.clock.now());
}

function timeLeft(run: ExamRun): string {
  return run.session.t('exam.time-left', { time: formatClock(run.session.engine.remainingMs(run.state, run.options.clock.now())) });
}

function showTask(run: ExamRun): void {
  const { session, state } = run;
  const { engine, t } = session;
  const task = state.tasks[state.current];
  if (!task) return;
  const repair = engine.isFixItQuestion(task.presented.question);
  const answered = state.responses[state.current];
  say(session);
  say(session, heading(session, [t('exam.task', { n: state.current + 1, total: run.total }), repair && t('fixit-label'), t('exam.weight', { weight: formatNumber(task.weight) }), state.flagged[state.current] && t('exam.flagged'), timeLeft(run)]));
  for (const line of questionLines(session, task.presented)) say(session, line);
  if (repair) say(session, `  ${t('exam.fixit')}`);
  if (answered !== undefined) say(session, `  ${t('exam.answered', { answer: engine.responseText(task.presented, answered) })}`);
}

function showOverview(run: ExamRun): void {
  const { session } = run;
  const overview = session.engine.examOverview(run.state);
  const numbers = (indices: number[]) => indices.map((index) => index + 1).join(', ');
  say(session);
  say(session, session.t('exam.overview', { answered: overview.answered.length, total: run.total, time: formatClock(session.engine.remainingMs(run.state, run.options.clock.now())) }));
  if (overview.unanswered.length > 0) say(session, session.t('exam.unanswered-list', { tasks: numbers(overview.unanswered) }));
  if (overview.flagged.length > 0) say(session, session.t('exam.flagged-list', { tasks: numbers(overview.flagged) }));
}

/** Reads one line against the countdown; undefined when the exam ended (time-out or end of input). */
async function readExamLine(run: ExamRun): Promise<string | undefined> {
  const { session } = run;
  const event = await run.reader.next(session.engine.remainingMs(run.state, run.options.clock.now()));
  if (event.kind === 'line') {
    echoAnswer(session, event.text);
    examAct(run, { type: 'tick' });
    if (run.state.status !== 'submitted') return event.text;
    say(session, session.t('exam.time-up'));
    return undefined;
  }
  say(session);
  if (event.kind === 'timeout') {
    examAct(run, { type: 'tick' });
    say(session, session.t('exam.time-up'));
  } else {
    say(session, session.t('exam.input-ended'));
    examAct(run, { type: 'submit' });
  }
  return undefined;
}

/** Past the last task: a number goes back to it, Enter or :submit submits. False when the exam ended. */
async function overviewStep(run: ExamRun): Promise<boolean> {
  showOverview(run);
  say(run.session, run.session.t('exam.overview-prompt'));
  run.session.output.write('> ');
  const line = await readExamLine(run);
  if (line === undefined) return false;
  const typed = line.trim();
  // a bare number goes back to that task, like `:goto N`
  const command = parseExamCommand(/^\d+$/.test(typed) ? `:${typed}` : typed, run.total);
  if (typed === '' || command?.kind === 'submit') {
    examAct(run, { type: 'submit' });
    say(run.session, run.session.t('exam.submitted'));
    return false;
  }
  if (command?.kind === 'goto' || command?.kind === 'previous') {
    examAct(run, { type: 'goto', index: command.kind === 'goto' ? command.index : run.total - 1 });
    run.atOverview = false;
    run.revisiting = true;
    run.shown = -1;
  } else if (command?.kind !== 'list') {
    say(run.session, `  ${run.session.t('exam.bad-task', { total: run.total })}`);
  }
  return true;
}

/** On a task: an answer, "done" for a repair, Enter to move on, or a command. False when the exam ended. */
async function taskStep(run: ExamRun): Promise<boolean> {
  const task = run.state.tasks[run.state.current];
  if (!task) return false;
  if (run.shown !== run.state.current) {
    showTask(run);
    run.shown = run.state.current;
  }
  askPrompt(run.session, answerHint(run.session, task.presented.question, 'exam'));
  const line = await readExamLine(run);
  if (line === undefined) return false;
  const typed = line.trim();
  const command = parseExamCommand(typed, run.total);
  if (command) examCommand(run, command);
  else if (typed === '') moveOn(run);
  else await answerTask(run, task.presented, typed);
  return true;
}

function moveOn(run: ExamRun): void {
  if (run.revisiting || run.state.current === run.total - 1) run.atOverview = true;
  else examAct(run, { type: 'next' });
}

function examCommand(run: ExamRun, command: ExamCommand): void {
  const { t } = run.session;
  if (command.kind === 'next' || command.kind === 'previous' || command.kind === 'goto') run.revisiting = false;
  switch (command.kind) {
    case 'next':
      return moveOn(run);
    case 'previous':
      return examAct(run, { type: 'previous' });
    case 'goto':
      return examAct(run, { type: 'goto', index: command.index });
    case 'flag':
      examAct(run, { type: 'flag' });
      return say(run.session, `  ${run.state.flagged[run.state.current] ? t('exam.flag-on') : t('exam.flag-off')}`);
    case 'list':
      showOverview(run);
      run.shown = -1;
      return;
    case 'submit':
      examAct(run, { type: 'submit' });
      return say(run.session, t('exam.submitted'));
    case 'unknown':
      return say(run.session, `  ${t('exam.bad-command', { text: command.text })}`);
  }
}

async function answerTask(run: ExamRun, presented: QuizEngine.PresentedQuestion, typed: string): Promise<void> {
  const { session } = run;
  const question = presented.question;
  if (session.engine.isFixItQuestion(question)) {
    if (typed.toLowerCase() !== 'done' || !run.options.session) return say(session, `  ${session.t('exam.fixit-unknown')}`);
    // graded now for the record; the grade that counts is taken when the exam ends
    const grade = await run.options.session.grade(question);
    examAct(run, { type: 'answer', response: { kind: 'text', value: 'done', grade } });
    say(session, `  ${session.t('exam.marked-done')}`);
    return moveOn(run);
  }
  const parsed = session.engine.parseResponse(presented, typed);
  if (!parsed.ok) return say(session, `  ${localize(parsed.message, session.lang)}`);
  examAct(run, { type: 'answer', response: parsed.response });
  moveOn(run);
}

/** Every task with its points, the answer given, the checks or the right answer, and where to read up. */
function sayExamReview(session: Session, result: QuizEngine.ExamResult): void {
  const { engine, t, lang } = session;
  say(session);
  say(session, t('exam.review'));
  result.tasks.forEach((taskResult, index) => {
    const { presented } = taskResult.task;
    const points = t('exam.review-task', { n: index + 1, earned: formatNumber(taskResult.earned), weight: formatNumber(taskResult.task.weight) });
    say(session);
    say(session, `${taskResult.correct ? '✓' : '✗'} ${heading(session, [points, taskResult.flagged && t('exam.flagged'), topicLabel(presented.question.topic, lang)])}`);
    for (const line of questionLines(session, presented)) say(session, `  ${line}`);
    say(session, `  ${t('your-answer', { answer: taskResult.response === undefined ? t('exam.no-answer') : engine.responseText(presented, taskResult.response) })}`);
    if (taskResult.grade) {
      say(session, `  ${t('exam.checks')}`);
      for (const check of taskResult.grade.checks) say(session, `  ${checkLine(check)}`);
    } else if (!taskResult.correct) {
      say(session, `  ${t('the-answer', { answer: engine.correctAnswerText(presented, lang) })}`);
    }
    say(session, `  ${localize(presented.question.explanation, lang)}`);
    say(session, `  ${readLessonLine(session, presented.question)}`);
  });
}

/** The next exam needs a working sandbox: what was not repaired was put back; what could not be is said. */
function sayPutBack(session: Session, dir: string, putBack: readonly PutBack[]): void {
  if (putBack.length === 0) return;
  const numbers = (list: readonly PutBack[]) => list.map((task) => (task.index ?? 0) + 1);
  const done = putBack.filter((task) => task.ok);
  say(session);
  if (done.length > 0) say(session, counted(session.lang, 'quiz.exam.put-back', done.length, { tasks: numbers(done).join(', '), dir }));
  for (const task of putBack) if (!task.ok) say(session, session.t('exam.not-put-back', { n: (task.index ?? 0) + 1, reason: task.reason, dir }));
}

type ExamCommand =
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'goto'; index: number }
  | { kind: 'flag' }
  | { kind: 'list' }
  | { kind: 'submit' }
  | { kind: 'unknown'; text: string };

function parseExamCommand(typed: string, total: number): ExamCommand | undefined {
  if (!typed.startsWith(':')) return undefined;
  const [word = '', argument] = typed.slice(1).trim().split(/\s+/);
  switch (word.toLowerCase()) {
    case 'n':
    case 'next':
      return { kind: 'next' };
    case 'p':
    case 'prev':
    case 'previous':
      return { kind: 'previous' };
    case 'f':
    case 'flag':
      return { kind: 'flag' };
    case 'l':
    case 'list':
      return { kind: 'list' };
    case 's':
    case 'submit':
      return { kind: 'submit' };
    case 'g':
    case 'goto': {
      const number = Number(argument);
      return Number.isInteger(number) && number >= 1 && number <= total ? { kind: 'goto', index: number - 1 } : { kind: 'unknown', text: typed };
    }
    default: {
      // `:7` goes to task 7
      const number = Number(word);
      return Number.isInteger(number) && number >= 1 && number <= total ? { kind: 'goto', index: number - 1 } : { kind: 'unknown', text: typed };
    }
  }
}

