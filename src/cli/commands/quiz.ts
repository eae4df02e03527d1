import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { KubetlsError, describeError, isKubetlsError } from '../../errors.js';
import { commandLanguage } from '../language.js';
import type { Diagnostic } from '../../lessons/diagnostic.js';
import type * as QuizEngine from '../../quiz/index.js';
import { localize } from '../../quiz/types.js';
import type { PreparedTask, TaskSandbox } from '../../quiz/fixit-sandbox.js';
import { MINUTES_PER_FIX_IT_TASK, MINUTES_PER_QUESTION } from '../../quiz/exam-time.js';
import type { AttemptRecord, ProgressStore } from '../../progress/index.js';

/**
 * `kubetls quiz --plain` and `kubetls exam --plain`: the quiz engine in line mode. Questions go to
 * stdout, answers come from stdin one line each (so a quiz can be piped, scripted and tested),
 * and the run ends with `Score: X/Y (P%)`. The engine is imported only when one of them runs.
 */

type Engine = typeof QuizEngine;
type Language = QuizEngine.Language;

const DEFAULT_QUIZ_COUNT = 10;
const DEFAULT_EXAM_COUNT = 20;
const MAX_MINUTES = 24 * 60;
const LANG_HELP = 'en or ko (default: ko when LANG starts with ko, else en)';

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
    .description('practice questions with immediate feedback and the lesson to read')
    .option('--plain', 'line mode: questions on stdout, one answer per line on stdin')
    .option('--topic <topics>', 'only these topics, comma-separated (the lesson ids: `kubetls lessons`)')
    .option('--count <n>', `how many questions (default ${DEFAULT_QUIZ_COUNT})`)
    .option('--seed <n>', 'shuffle with this seed to repeat a run exactly (0-4294967295)')
    .option('--sandbox <dir>', 'questions about your own sandbox PKI instead, with answers read from its files')
    .option('--review', 'the questions due for review: those answered wrong come back after 1, 2, 4, 8 and 16 days')
    .option('--fix-it', 'with --sandbox: fix-it tasks instead, kubetls breaks the sandbox and grades your repair with real checks')
    .option('--lang <lang>', LANG_HELP)
    .action(async (options: QuizOptions, command: Command) => runQuizCommand(options, command));

  program
    .command('exam')
    .description('a timed CKA-style exam: weighted tasks, flags, free navigation, a pass mark of 66%')
    .option('--plain', 'line mode: tasks on stdout, answers and commands on stdin')
    .option('--count <n>', `how many tasks (default ${DEFAULT_EXAM_COUNT})`)
    .option('--seed <n>', 'pick and shuffle with this seed to repeat an exam exactly (0-4294967295)')
    .option('--lang <lang>', LANG_HELP)
    .option('--minutes <m>', `time allowed (default ${MINUTES_PER_QUESTION} per question, ${MINUTES_PER_FIX_IT_TASK} per fix-it task)`)
    .option('--sandbox <dir>', 'mix in questions about your own sandbox PKI and fix-it tasks that break it (weighted higher, as in the CKA)')
    .option('--no-fix-it', 'with --sandbox: ask about the sandbox but leave it unbroken')
    .action(async (options: ExamOptions, command: Command) => runExamCommand(options, command));
}

async function runQuizCommand(options: QuizOptions, command: Command): Promise<void> {
  if (!options.plain) return openInApp(options, command, options.review ? 'review' : 'practice');
  const engine = await import('../../quiz/index.js');
  const lang = commandLanguage(command);
  const count = parseCount(options.count, DEFAULT_QUIZ_COUNT);
  const topics = parseTopics(options.topic, engine);
  const seed = parseSeed(options.seed, engine);
  if (options.fixIt && options.sandbox === undefined) throw new KubetlsError('--fix-it needs --sandbox DIR: the tasks break and grade that sandbox', { hint: 'e.g. `kubetls quiz --plain --fix-it --sandbox ~/kubetls-lab`' });
  if (options.fixIt && options.review) throw new KubetlsError('--fix-it and --review do not go together', { hint: 'a review with --sandbox brings back the fix-it tasks that are due' });
  const store = await openStore(command);
  if (options.fixIt && options.sandbox !== undefined) {
    const fixIt = await readyFixItTasks(options.sandbox, { required: true });
    const pool = topics.length > 0 ? fixIt.questions.filter((question) => topics.includes(question.topic)) : fixIt.questions;
    const selected = fixIt.select(pool, { count, seed });
    if (selected.length === 0) throw new KubetlsError(`no fix-it tasks for --topic ${options.topic ?? ''}`, { hint: `fix-it topics: ${[...new Set(fixIt.questions.map((question) => question.topic))].join(', ')}` });
    await runPlainQuiz({ engine, questions: selected, lang, seed, requested: count, input: process.stdin, output: process.stdout, sandbox: fixIt.sandbox, save: (state) => savePractice(store, state) });
    return;
  }
  // a review asks again whatever is due, from the banks and the sandbox alike
  const questions = await loadQuestions(engine, { sandbox: options.sandbox, withBanks: options.review === true || options.sandbox === undefined });
  if (options.review) {
    const now = engine.systemClock.now();
    const deck = store.read().review;
    const fixIt = options.sandbox !== undefined ? await readyFixItTasks(options.sandbox, { required: false }) : undefined;
    const all = [...questions, ...(fixIt?.questions ?? [])];
    const pool = topics.length > 0 ? all.filter((question) => topics.includes(question.topic)) : all;
    const review = engine.startReview(deck, pool, { now, seed, limit: count });
    await runPlainQuiz({ engine, questions: review.items.map((item) => item.presented), mode: 'review', nextDue: engine.nextDueDate(deck), lang, seed, input: process.stdin, output: process.stdout, sandbox: fixIt?.sandbox, save: (state) => savePractice(store, state) });
    return;
  }
  const selected = engine.selectQuestions(questions, { topics, count, seed });
  if (selected.length === 0) throw new KubetlsError(`no questions for --topic ${options.topic ?? ''}`, { hint: 'check the bank files in lessons/quiz/' });
  await runPlainQuiz({ engine, questions: selected, lang, seed, requested: count, input: process.stdin, output: process.stdout, save: (state) => savePractice(store, state) });
}

async function runExamCommand(options: ExamOptions, command: Command): Promise<void> {
  if (options.fixIt === false && options.sandbox === undefined) throw new KubetlsError('--no-fix-it goes with --sandbox DIR: without a sandbox an exam has no fix-it tasks anyway');
  if (!options.plain) return openInApp(options, command, 'exam');
  const engine = await import('../../quiz/index.js');
  const lang = commandLanguage(command);
  const store = await openStore(command);
  // in a class with an exam set, everyone gets the teacher's tasks: same seed, count and time, banks only
  const { classExamFor } = await import('../../classroom/files.js');
  const classExam = classExamFor(store.read());
  if (classExam) {
    process.stderr.write(`kubetls: notice: class exam ${classExam.id} set by your teacher: ${classExam.count} tasks, ${classExam.minutes} minutes, the same for everyone${options.sandbox !== undefined || options.seed !== undefined || options.count !== undefined || options.minutes !== undefined ? ' (your --seed, --count, --minutes and --sandbox are left aside)' : ''}\n`);
  }
  const count = classExam?.count ?? parseCount(options.count, DEFAULT_EXAM_COUNT);
  const seed = classExam?.seed ?? parseSeed(options.seed, engine);
  if (options.minutes !== undefined && !classExam) parseMinutes(engine, options.minutes, count, 0);
  const sandbox = classExam ? undefined : options.sandbox;
  const questions = await loadQuestions(engine, { sandbox, withBanks: true });
  const fixIt = sandbox !== undefined && options.fixIt !== false ? await readyFixItTasks(sandbox, { required: false }) : undefined;
  const tasks = fixIt ? fixIt.select(fixIt.questions, { count: engine.fixItTaskCount(count), seed, together: true }) : [];
  const asked = engine.selectQuestions(questions, { count: count - tasks.length, seed, spreadTopics: true });
  // the repairs sit among the questions, where the seed puts them
  const selected = fixIt ? fixIt.mix(asked, tasks, seed) : asked;
  if (selected.length === 0) throw new KubetlsError('the question banks hold no questions', { hint: 'check lessons/quiz/' });
  const minutes = classExam?.minutes ?? parseMinutes(engine, options.minutes, asked.length, tasks.length);
  await runPlainExam({
    engine, questions: selected, lang, seed, minutes, input: process.stdin, output: process.stdout, clock: engine.systemClock, sandbox: fixIt?.sandbox,
    save: (state, result) => saveAttempt(store, (progress) => progress.attemptFromExam(result, { startedAt: state.startedAt, ...(classExam ? { classExam: classExam.id } : {}) })),
  });
}

/** The profile's progress store, opened before the quiz starts so a bad --profile is said at once. */
async function openStore(command: Command): Promise<ProgressStore> {
  const { openProgressStore, resolveProfile } = await import('../../progress/index.js');
  const { profile: flag } = command.optsWithGlobals<{ profile?: string }>();
  const profile = resolveProfile({ flag, env: process.env });
  return openProgressStore({ profile, env: process.env });
}

/** A run that ended before the first question was answered or skipped is not an attempt (as in the app). */
async function savePractice(store: ProgressStore, state: QuizEngine.PracticeState): Promise<void> {
  if (state.items.some((item) => item.outcome)) await saveAttempt(store, (progress) => progress.attemptFromPractice(state));
}

/**
 * Keeps the attempt (and through it the review schedule) in the learner's progress. Saving never
 * spoils a finished quiz: a disk that cannot be written is reported on stderr by the store.
 */
async function saveAttempt(store: ProgressStore, makeAttempt: (progress: typeof import('../../progress/index.js')) => AttemptRecord): Promise<void> {
  const progress = await import('../../progress/index.js');
  store.update((current) => progress.recordAttempt(current, makeAttempt(progress)));
  const notice = store.takeNotice();
  const warning = store.warning();
  if (notice) process.stderr.write(`kubetls: notice: ${notice}\n`);
  if (warning) process.stderr.write(`kubetls: warning: ${warning}\n`);
}

/** Without --plain: the full-screen app, opened at that screen. The line-mode options need --plain. */
async function openInApp(options: object, command: Command, start: 'practice' | 'exam' | 'review'): Promise<void> {
  const lineModeOnly = Object.entries(options).filter(([key, value]) => value !== undefined && !['plain', 'review', 'fixIt', 'lang'].includes(key) && !(key === 'fixIt' && value === true));
  if (lineModeOnly.length > 0) {
    const flag = lineModeOnly[0]![0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new KubetlsError(`--${flag} works in line mode`, { hint: `add --plain, or run \`kubetls ${command.name()}\` alone for the full-screen app` });
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
    if (generated.questions.length === 0 && failure) {
      throw new KubetlsError(`--sandbox ${options.sandbox}: ${failure.message}`, { hint: `create one with \`kubetls pki init --dir ${options.sandbox}\`` });
    }
    sources.push({ name: `sandbox ${dir}`, questions: async () => generated });
    const manifests = generateManifestQuestions({ dir });
    sources.push({ name: `manifests of ${dir}`, questions: async () => ({ questions: manifests.questions, diagnostics: [] }) });
  }
  const { questions, diagnostics } = await engine.gatherQuestions(sources);
  reportDiagnostics(diagnostics);
  return questions;
}

interface ReadyFixIt {
  questions: QuizEngine.FixItQuestion[];
  sandbox: TaskSandbox;
  select(questions: readonly QuizEngine.FixItQuestion[], options: { count: number; seed: number; together?: boolean }): QuizEngine.PresentedQuestion[];
  mix(questions: readonly QuizEngine.PresentedQuestion[], tasks: readonly QuizEngine.PresentedQuestion[], seed: number): QuizEngine.PresentedQuestion[];
}

/**
 * The sandbox's fix-it tasks whose part of the sandbox works now (a task set on a part that is already
 * broken could not be graded fairly); the others are named on stderr. `required`: no task is an error.
 */
async function readyFixItTasks(sandboxDir: string, options: { required: boolean }): Promise<ReadyFixIt> {
  const { fixItQuestions, gradeTask, sandboxTasks } = await import('../../quiz/fixit-sandbox.js');
  const { mixTasksIn, selectFixItTasks } = await import('../../quiz/fixit.js');
  const dir = resolve(sandboxDir);
  // a cluster's own directory is read for questions, never broken for repairs
  const { assertSandbox, isSandbox, looksLikeKubeadmDir } = await import('../../pki/node-dir.js');
  if (!isSandbox(dir) && looksLikeKubeadmDir(dir)) {
    if (options.required) assertSandbox(dir);
    try {
      assertSandbox(dir);
    } catch (error) {
      if (isKubetlsError(error)) process.stderr.write(`kubetls: notice: no repair tasks: ${describeError(error)}\n`);
    }
    return { questions: [], sandbox: sandboxTasks(dir), select: () => [], mix: mixTasksIn };
  }
  const loaded = fixItQuestions(dir);
  const failure = loaded.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
  if (loaded.questions.length === 0 && failure) {
    if (options.required) throw new KubetlsError(`--sandbox ${sandboxDir}: ${failure.message}`, { hint: `create one with \`kubetls pki init --dir ${sandboxDir}\`` });
    process.stderr.write(`kubetls: notice: ${failure.message}\n`);
    return { questions: [], sandbox: sandboxTasks(dir), select: () => [], mix: mixTasksIn };
  }
  reportDiagnostics(loaded.diagnostics);
  const ready: QuizEngine.FixItQuestion[] = [];
  const broken: string[] = [];
  for (const question of loaded.questions) {
    const grade = await gradeTask(dir, question);
    if (grade.passed) ready.push(question);
    else broken.push(question.id);
  }
  if (broken.length > 0) {
    const message = `${broken.length} fix-it task${broken.length === 1 ? '' : 's'} left out, because the sandbox is already broken where ${broken.length === 1 ? 'it works' : 'they work'} (${broken.join(', ')})`;
    if (ready.length === 0 && options.required) throw new KubetlsError(message, { hint: `repair it (\`kubetls pki check-manifests\`, \`kubetls pki show\`) or start afresh with \`kubetls pki init --dir ${sandboxDir} --force\`` });
    process.stderr.write(`kubetls: notice: ${message}\n`);
  }
  return { questions: ready, sandbox: sandboxTasks(dir), select: selectFixItTasks, mix: mixTasksIn };
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
  if (!/^\d+$/.test(value.trim()) || count < 1) throw new KubetlsError(`--count must be a whole number of at least 1, not "${value}"`);
  return count;
}

function parseSeed(value: string | undefined, engine: Engine): number {
  if (value === undefined) return engine.freshSeed();
  const seed = Number(value);
  if (!/^\d+$/.test(value.trim()) || seed > engine.MAX_SEED) throw new KubetlsError(`--seed must be a whole number from 0 to ${engine.MAX_SEED}, not "${value}"`);
  return seed;
}

function parseMinutes(engine: Engine, value: string | undefined, questions: number, fixItTasks: number): number {
  if (value === undefined) return engine.examMinutes(questions, fixItTasks);
  const minutes = Number(value);
  if (value.trim() === '' || !Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_MINUTES) {
    throw new KubetlsError(`--minutes must be a number of minutes above 0 and up to ${MAX_MINUTES}, not "${value}"`);
  }
  return minutes;
}

function parseTopics(value: string | undefined, engine: Engine): string[] {
  if (value === undefined) return [];
  const topics = value.split(',').map((topic) => topic.trim()).filter((topic) => topic !== '');
  const known = engine.courseLessonIds();
  for (const topic of topics) {
    if (!known.includes(topic)) throw new KubetlsError(`--topic "${topic}" is not a topic`, { hint: `topics: ${known.join(', ')}` });
  }
  if (topics.length === 0) throw new KubetlsError('--topic needs at least one topic', { hint: `topics: ${known.join(', ')}` });
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

// --- words --------------------------------------------------------------------------------

const WORDS = {
  en: {
    quizIntro: (count: number, seed: number) => `kubetls quiz: ${count} question${count === 1 ? '' : 's'}, seed ${seed} (repeat this run with --seed ${seed})`,
    fewer: (count: number, requested: number) => `(only ${count} question${count === 1 ? '' : 's'} available, not ${requested})`,
    quizHelp: 'Answer with the letter(s) or the text; Enter alone skips a question, :quit stops.',
    reviewIntro: (count: number) => `kubetls review: ${count} question${count === 1 ? '' : 's'} due (answered wrong before; right now moves each one up a box)`,
    nothingDue: (next: string | undefined) => (next ? `Nothing is due for review; the next question comes back on ${next.slice(0, 10)}.` : 'Nothing to review: questions you answer wrong come back here on a schedule.'),
    question: 'Question',
    difficulty: 'difficulty',
    answerPrompt: 'answer',
    correct: 'Correct.',
    wrong: 'Wrong.',
    skipped: 'Skipped.',
    theAnswer: 'The answer',
    yourAnswer: 'Your answer',
    read: 'Read',
    stopped: (left: number) => `Stopped with ${left} question${left === 1 ? '' : 's'} not reached (not counted).`,
    hint: {
      single: 'one letter',
      multiple: 'all letters that apply, e.g. a,c',
      order: 'every letter in order, e.g. c a b d',
      path: 'a path',
      duration: 'a duration, e.g. 30 days',
      name: 'a name, exactly',
      text: 'text',
      list: 'all values, separated by commas',
    },
    examIntro: (count: number, minutes: string, seed: number) => `kubetls exam: ${count} task${count === 1 ? '' : 's'}, ${minutes}, pass mark 66%, seed ${seed}`,
    examHelp: 'Type an answer, or a command: :next, :prev, :goto N, :flag, :list, :submit. Enter alone moves on.',
    task: 'Task',
    weight: 'weight',
    flagged: 'flagged',
    left: 'left',
    minutes: (minutes: number) => `${formatNumber(minutes)} minute${minutes === 1 ? '' : 's'}`,
    overview: (answered: number, total: number) => `Answered ${answered} of ${total}.`,
    unanswered: 'Unanswered',
    flaggedList: 'Flagged',
    overviewPrompt: 'Type a task number to go back to it, or press Enter (or type :submit) to submit.',
    flagOn: 'Flagged for review.',
    flagOff: 'Flag removed.',
    badCommand: (text: string) => `unknown command "${text}" (:next, :prev, :goto N, :flag, :list, :submit)`,
    badTask: (total: number) => `a task number from 1 to ${total}`,
    timeUp: "Time is up. Answers typed from now on don't count.",
    submitted: 'Submitted.',
    inputEnded: 'Input ended: submitting.',
    review: 'Review',
    unansweredMark: '(no answer)',
    result: (passed: boolean, percent: number) => `Result: ${passed ? 'PASS' : 'FAIL'} - ${percent}% against a pass mark of 66%`,
    timeUsed: 'Time used',
    fixItLabel: 'fix-it',
    fixItIntro: (count: number, seed: number) => `kubetls fix-it: ${count} task${count === 1 ? '' : 's'}, seed ${seed} (repeat this run with --seed ${seed}). Each one breaks your sandbox; you repair it.`,
    restored: (what: string) => `kubetls repaired it so that the next task starts from a working sandbox: ${what}`,
    fixItHelp: (dir: string) => `kubetls has broken ${dir}. Repair it in another terminal with the real tools; then type done (or press Enter) to have it checked. hint shows where to look, skip gives up.`,
    fixItPrompt: 'done, hint or skip',
    fixItUnknown: 'type done when it is fixed, hint for a hint, or skip',
    hintLabel: 'Hint',
    notFixed: 'Not fixed yet. Still failing:',
    fixed: 'Fixed. Every check passes:',
    stillFailing: 'Still failing:',
    cannotSetUp: (message: string) => `This task cannot be set up: ${message}`,
    noSandbox: 'This task needs a sandbox: run it with --sandbox DIR.',
    examSetUp: (count: number, dir: string) => `${count} task${count === 1 ? ' breaks' : 's break'} something in ${dir} (set up now). Repair in another terminal and type done; the sandbox is graded as it is when the exam ends, as in the CKA.`,
    examFixIt: 'Repair it in the sandbox, then type done. It is graded when the exam ends.',
    examFixItPrompt: 'done, or Enter to move on',
    examFixItUnknown: 'type done when it is repaired, or press Enter to move on',
    markedDone: 'Marked done; graded when the exam ends.',
    checks: 'Checks',
    putBack: (dir: string, tasks: number[]) => `Not repaired: task${tasks.length === 1 ? '' : 's'} ${tasks.join(', ')}. kubetls put those parts of ${dir} back, so the sandbox works again; the checks above say what was wrong.`,
  },
  ko: {
    quizIntro: (count: number, seed: number) => `kubetls 퀴즈: ${count}문제, 시드 ${seed} (--seed ${seed}로 같은 순서를 다시 풀 수 있습니다)`,
    fewer: (count: number, requested: number) => `(요청한 ${requested}문제가 아니라 ${count}문제만 있습니다)`,
    quizHelp: '글자나 텍스트로 답하세요. 빈 줄은 건너뛰기, :quit는 종료입니다.',
    reviewIntro: (count: number) => `kubetls 복습: 복습할 문제 ${count}개(예전에 틀린 문제이며, 맞히면 한 칸씩 올라갑니다)`,
    nothingDue: (next: string | undefined) => (next ? `지금 복습할 문제가 없습니다. 다음 문제는 ${next.slice(0, 10)}에 돌아옵니다.` : '복습할 문제가 없습니다. 틀린 문제는 일정에 따라 여기로 돌아옵니다.'),
    question: '문제',
    difficulty: '난이도',
    answerPrompt: '답',
    correct: '정답입니다.',
    wrong: '틀렸습니다.',
    skipped: '건너뛰었습니다.',
    theAnswer: '정답',
    yourAnswer: '내 답',
    read: '읽을 레슨',
    stopped: (left: number) => `${left}문제에 이르기 전에 멈췄습니다(점수에 넣지 않습니다).`,
    hint: {
      single: '글자 하나',
      multiple: '해당하는 글자 모두, 예: a,c',
      order: '모든 글자를 순서대로, 예: c a b d',
      path: '경로',
      duration: '기간, 예: 30일',
      name: '이름, 정확하게',
      text: '텍스트',
      list: '모든 값, 쉼표로 구분',
    },
    examIntro: (count: number, minutes: string, seed: number) => `kubetls 시험: ${count}과제, ${minutes}, 합격선 66%, 시드 ${seed}`,
    examHelp: '답을 입력하거나 명령을 쓰세요: :next, :prev, :goto N, :flag, :list, :submit. 빈 줄은 다음으로 넘어갑니다.',
    task: '과제',
    weight: '배점',
    flagged: '표시됨',
    left: '남음',
    minutes: (minutes: number) => `${formatNumber(minutes)}분`,
    overview: (answered: number, total: number) => `${total}과제 중 ${answered}과제에 답했습니다.`,
    unanswered: '미응답',
    flaggedList: '검토 표시',
    overviewPrompt: '돌아갈 과제 번호를 입력하거나, Enter(또는 :submit)로 제출하세요.',
    flagOn: '검토 표시를 했습니다.',
    flagOff: '검토 표시를 지웠습니다.',
    badCommand: (text: string) => `알 수 없는 명령 "${text}" (:next, :prev, :goto N, :flag, :list, :submit)`,
    badTask: (total: number) => `1부터 ${total}까지의 과제 번호`,
    timeUp: '시간이 끝났습니다. 이제부터 입력한 답은 반영되지 않습니다.',
    submitted: '제출했습니다.',
    inputEnded: '입력이 끝나 제출합니다.',
    review: '검토',
    unansweredMark: '(답 없음)',
    result: (passed: boolean, percent: number) => `결과: ${passed ? '합격' : '불합격'} - ${percent}% (합격선 66%)`,
    timeUsed: '걸린 시간',
    fixItLabel: '고치기 과제',
    fixItIntro: (count: number, seed: number) => `kubetls 고치기 과제: ${count}개, 시드 ${seed} (--seed ${seed}로 같은 순서를 다시 풀 수 있습니다). 과제마다 샌드박스를 망가뜨리고, 여러분이 고칩니다.`,
    restored: (what: string) => `다음 과제를 정상인 샌드박스에서 시작하도록 kubetls가 고쳐 두었습니다: ${what}`,
    fixItHelp: (dir: string) => `kubetls가 ${dir}를 망가뜨렸습니다. 다른 터미널에서 실제 도구로 고친 뒤 done을 입력하거나 Enter를 누르면 검사합니다. hint는 살펴볼 곳을 알려 주고, skip은 포기합니다.`,
    fixItPrompt: 'done, hint 또는 skip',
    fixItUnknown: '고쳤으면 done, 힌트는 hint, 포기하려면 skip을 입력하세요',
    hintLabel: '힌트',
    notFixed: '아직 고쳐지지 않았습니다. 실패하는 검사:',
    fixed: '고쳤습니다. 모든 검사를 통과합니다:',
    stillFailing: '실패하는 검사:',
    cannotSetUp: (message: string) => `이 과제를 준비할 수 없습니다: ${message}`,
    noSandbox: '이 과제에는 샌드박스가 필요합니다. --sandbox DIR과 함께 실행하세요.',
    examSetUp: (count: number, dir: string) => `${count}개 과제가 ${dir}의 무언가를 망가뜨립니다(지금 준비했습니다). 다른 터미널에서 고치고 done을 입력하세요. CKA처럼 시험이 끝날 때의 샌드박스 상태로 채점합니다.`,
    examFixIt: '샌드박스에서 고친 뒤 done을 입력하세요. 시험이 끝날 때 채점합니다.',
    examFixItPrompt: 'done, 또는 Enter로 다음',
    examFixItUnknown: '고쳤으면 done을 입력하거나, Enter로 다음 과제로 넘어가세요',
    markedDone: '완료로 표시했습니다. 시험이 끝날 때 채점합니다.',
    checks: '검사',
    putBack: (dir: string, tasks: number[]) => `복구하지 못한 과제: ${tasks.join(', ')}번. kubetls가 ${dir}의 그 부분을 되돌려 놓아 샌드박스가 다시 동작합니다. 무엇이 틀렸는지는 위의 검사 결과에 있습니다.`,
  },
} as const;

/** This table is moving into the catalogues (locales/); until then a language without a column reads English. */
function wordsIn(lang: string): (typeof WORDS)[keyof typeof WORDS] {
  return lang === 'ko' ? WORDS.ko : WORDS.en;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (value: number): string => String(value).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}

function answerHint(question: QuizEngine.Question, lang: Language, engine: Engine, mode: 'practice' | 'exam' = 'practice'): string {
  if (engine.isFixItQuestion(question)) return mode === 'exam' ? wordsIn(lang).examFixItPrompt : wordsIn(lang).fixItPrompt;
  const hints = wordsIn(lang).hint;
  if (question.type !== 'text') return hints[question.type];
  return question.list ? `${hints[question.normalize]}; ${hints.list}` : hints[question.normalize];
}

/** The question as plain lines: prompt, then the choices with their letters. */
function questionLines(engine: Engine, presented: QuizEngine.PresentedQuestion, lang: Language): string[] {
  const lines = [localize(presented.question.prompt, lang)];
  for (const choice of engine.displayedChoices(presented, lang)) lines.push(`  ${choice.letter}) ${choice.text}`);
  return lines;
}

interface Output {
  write(text: string): unknown;
}

interface Session {
  engine: Engine;
  lang: Language;
  output: Output;
  /** Echo answers read from a pipe, so a transcript reads like a dialogue. */
  echo: boolean;
}

function say(session: Session, text = ''): void {
  session.output.write(`${text}\n`);
}

function askPrompt(session: Session, label: string): void {
  session.output.write(`${label}: `);
}

function echoAnswer(session: Session, text: string): void {
  if (session.echo) session.output.write(`${text}\n`);
}

function checkLine(check: QuizEngine.TaskCheck): string {
  return `  ${check.ok ? '✓' : '✗'} ${check.name}: ${check.message}`;
}

type Reader = ReturnType<typeof lineReader>;

/**
 * One fix-it task in practice: set it up, then grade on "done" (or Enter) until it passes, the learner
 * gives up, or the input ends. A failed check is shown and the learner can try again.
 */
async function practiceTask(
  session: Session,
  reader: Reader,
  question: QuizEngine.FixItQuestion,
  sandbox: TaskSandbox | undefined,
): Promise<{ action: QuizEngine.PracticeAction; grade?: QuizEngine.TaskGrade; restored?: string }> {
  const words = wordsIn(session.lang);
  if (!sandbox) {
    say(session, `  ${words.noSandbox}`);
    return { action: { type: 'skip' } };
  }
  let prepared: Awaited<ReturnType<TaskSandbox['prepare']>>;
  try {
    prepared = await sandbox.prepare(question);
  } catch (error) {
    if (!isKubetlsError(error)) throw error;
    say(session, `  ${words.cannotSetUp(describeError(error))}`);
    return { action: { type: 'skip' } };
  }
  say(session, words.fixItHelp(sandbox.dir));
  let last: QuizEngine.TaskGrade | undefined;
  // stopping part-way: the sandbox is put back, so what the learner does next starts from a working one
  const stop = async (): Promise<{ action: QuizEngine.PracticeAction; grade?: QuizEngine.TaskGrade }> => {
    say(session, `  ${words.restored(await sandbox.restore(prepared))}`);
    return { action: { type: 'finish' }, grade: last };
  };
  for (;;) {
    askPrompt(session, `${words.answerPrompt} (${words.fixItPrompt})`);
    const event = await reader.next();
    if (event.kind !== 'line') {
      say(session);
      return stop();
    }
    echoAnswer(session, event.text);
    const typed = event.text.trim().toLowerCase();
    if (typed === ':quit' || typed === ':q') return stop();
    if (typed === 'skip') {
      // the next task must start from a working sandbox: undo the fault, and say how
      const repaired = await sandbox.restore(prepared);
      return { action: { type: 'skip' }, grade: last, restored: repaired };
    }
    if (typed === 'hint') {
      say(session, `  ${words.hintLabel}: ${localize(question.hint, session.lang)}`);
      continue;
    }
    if (typed !== '' && typed !== 'done') {
      say(session, `  ${words.fixItUnknown}`);
      continue;
    }
    last = await sandbox.grade(question);
    if (last.passed) return { action: { type: 'answer', response: { kind: 'text', value: 'done', grade: last } }, grade: last };
    say(session, `  ${words.notFixed}`);
    for (const check of last.checks.filter((c) => !c.ok)) say(session, `  ${checkLine(check)}`);
  }
}

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
  /** Where fix-it tasks are set up and graded. */
  sandbox?: TaskSandbox;
  /** Keeps the run: done before the score is printed, so a score on screen is one that was kept. */
  save?: (state: QuizEngine.PracticeState) => Promise<void>;
}

export async function runPlainQuiz(options: PlainQuizOptions): Promise<{ state: QuizEngine.PracticeState; score: QuizEngine.Score }> {
  const { engine, lang } = options;
  const clock = options.clock ?? engine.systemClock;
  const words = wordsIn(lang);
  const session: Session = { engine, lang, output: options.output, echo: !options.input.isTTY };
  const reader = lineReader(options.input);
  const mode = options.mode ?? 'practice';
  let state = engine.startPractice(options.questions, clock.now(), mode);
  const onlyRepairs = options.questions.length > 0 && options.questions.every((presented) => engine.isFixItQuestion(presented.question));
  if (mode === 'review') say(session, options.questions.length > 0 ? words.reviewIntro(options.questions.length) : words.nothingDue(options.nextDue));
  else say(session, onlyRepairs ? words.fixItIntro(options.questions.length, options.seed) : words.quizIntro(options.questions.length, options.seed));
  if (options.requested !== undefined && options.requested > options.questions.length) say(session, words.fewer(options.questions.length, options.requested));
  if (options.questions.length > 0 && !onlyRepairs) say(session, words.quizHelp);

  try {
    while (state.phase !== 'finished') {
      const item = engine.currentItem(state);
      if (!item) break;
      const { question } = item.presented;
      say(session);
      const label = engine.isFixItQuestion(question) ? ` · ${words.fixItLabel}` : '';
      say(session, `${words.question} ${state.index + 1}/${state.items.length}${label} · ${question.topic} · ${words.difficulty} ${question.difficulty}`);
      for (const line of questionLines(engine, item.presented, lang)) say(session, line);
      let grade: QuizEngine.TaskGrade | undefined;
      let restored: string | undefined;
      if (engine.isFixItQuestion(question)) {
        const outcome = await practiceTask(session, reader, question, options.sandbox);
        grade = outcome.grade;
        restored = outcome.restored;
        state = engine.practiceReducer(state, outcome.action, clock.now());
      }
      // keep asking until the line is an answer, a skip, or the end
      while (state.phase === 'question') {
        askPrompt(session, `${words.answerPrompt} (${answerHint(question, lang, engine)})`);
        const event = await reader.next();
        if (event.kind !== 'line') {
          say(session);
          state = engine.practiceReducer(state, { type: 'finish' }, clock.now());
          break;
        }
        echoAnswer(session, event.text);
        const typed = event.text.trim();
        if (typed === ':quit' || typed === ':q') {
          state = engine.practiceReducer(state, { type: 'finish' }, clock.now());
          break;
        }
        if (typed === '') {
          state = engine.practiceReducer(state, { type: 'skip' }, clock.now());
          break;
        }
        const parsed = engine.parseResponse(item.presented, typed);
        if (!parsed.ok) {
          say(session, `  ${localize(parsed.message, lang)}`);
          continue;
        }
        state = engine.practiceReducer(state, { type: 'answer', response: parsed.response }, clock.now());
      }
      if (state.phase !== 'feedback') break;
      const outcome = state.items[state.index]?.outcome;
      const verdict = outcome?.correct ? words.correct : outcome?.response === undefined ? words.skipped : words.wrong;
      if (engine.isFixItQuestion(question)) {
        say(session, outcome?.correct ? words.fixed : words.skipped);
        // the failing checks were shown at the last "done"; the passing ones are the reward
        if (outcome?.correct) for (const check of grade?.checks ?? []) say(session, checkLine(check));
      } else {
        say(session, outcome?.correct ? verdict : `${verdict} ${words.theAnswer}: ${engine.correctAnswerText(item.presented, lang)}`);
      }
      say(session, localize(question.explanation, lang));
      if (restored) say(session, words.restored(restored));
      say(session, `${words.read}: kubetls lessons show ${question.lesson}`);
      state = engine.practiceReducer(state, { type: 'next' }, clock.now());
    }
  } finally {
    reader.close();
  }

  const score = engine.practiceScore(state);
  const unanswered = state.items.filter((item) => item.outcome === undefined).length;
  await options.save?.(state);
  say(session);
  if (unanswered > 0) say(session, words.stopped(unanswered));
  say(session, `Score: ${score.correct}/${score.total} (${score.percent}%)`);
  return { state, score };
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
  /** Where fix-it tasks are set up and graded. */
  sandbox?: TaskSandbox;
  /** Keeps the exam: done before the result is printed, so a score on screen is one that was kept. */
  save?: (state: QuizEngine.ExamState, result: QuizEngine.ExamResult) => Promise<void>;
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

export async function runPlainExam(options: PlainExamOptions): Promise<{ state: QuizEngine.ExamState; result: QuizEngine.ExamResult }> {
  const { engine, lang, clock } = options;
  const words = wordsIn(lang);
  const session: Session = { engine, lang, output: options.output, echo: !options.input.isTTY };
  const reader = lineReader(options.input);
  let state = engine.startExam(options.questions, { now: clock.now(), durationMs: options.minutes * 60_000 });
  const total = state.tasks.length;
  say(session, words.examIntro(total, words.minutes(options.minutes), options.seed));
  say(session, words.examHelp);
  // as in the CKA, the broken clusters are there from the start
  const repairs = state.tasks.flatMap((task, index) => (engine.isFixItQuestion(task.presented.question) ? [{ index, question: task.presented.question }] : []));
  const prepared: PreparedTask[] = [];
  if (repairs.length > 0) {
    if (!options.sandbox) throw new KubetlsError('this exam has fix-it tasks but no sandbox to set them up in', { hint: 'run it with --sandbox DIR' });
    for (const repair of repairs) prepared.push(await options.sandbox.prepare(repair.question));
    say(session, words.examSetUp(repairs.length, options.sandbox.dir));
    // setting up takes a moment; the clock starts when the tasks are ready
    state = engine.startExam(options.questions, { now: clock.now(), durationMs: options.minutes * 60_000 });
  }

  const act = (action: QuizEngine.ExamAction): void => {
    state = engine.examReducer(state, action, clock.now());
  };
  const showTask = (): void => {
    const task = state.tasks[state.current];
    if (!task) return;
    const flag = state.flagged[state.current] ? ` · ${words.flagged}` : '';
    const answered = state.responses[state.current];
    say(session);
    const repair = engine.isFixItQuestion(task.presented.question);
    say(session, `${words.task} ${state.current + 1}/${total}${repair ? ` · ${words.fixItLabel}` : ''} · ${words.weight} ${formatNumber(task.weight)}${flag} · ${formatClock(engine.remainingMs(state, clock.now()))} ${words.left}`);
    for (const line of questionLines(engine, task.presented, lang)) say(session, line);
    if (repair) say(session, `  (${words.examFixIt})`);
    if (answered !== undefined) say(session, `  (${words.yourAnswer}: ${engine.responseText(task.presented, answered)})`);
  };
  const showOverview = (): void => {
    const overview = engine.examOverview(state);
    say(session);
    say(session, `${words.overview(overview.answered.length, total)} ${formatClock(engine.remainingMs(state, clock.now()))} ${words.left}.`);
    if (overview.unanswered.length > 0) say(session, `${words.unanswered}: ${overview.unanswered.map((index) => index + 1).join(', ')}`);
    if (overview.flagged.length > 0) say(session, `${words.flaggedList}: ${overview.flagged.map((index) => index + 1).join(', ')}`);
  };
  /** Reads one line against the countdown; ends the exam on time-out or end of input. */
  const readLine = async (): Promise<string | undefined> => {
    const event = await reader.next(engine.remainingMs(state, clock.now()));
    if (event.kind === 'line') {
      echoAnswer(session, event.text);
      act({ type: 'tick' });
      if (state.status === 'submitted') {
        say(session, words.timeUp);
        return undefined;
      }
      return event.text;
    }
    if (event.kind === 'timeout') {
      say(session);
      act({ type: 'tick' });
      say(session, words.timeUp);
    } else {
      say(session);
      say(session, words.inputEnded);
      act({ type: 'submit' });
    }
    return undefined;
  };

  // `atOverview`: past the last task, waiting for "submit" or a task to go back to;
  // `revisiting`: a task picked from the overview, after which the overview comes back
  let atOverview = false;
  let revisiting = false;
  let shown = -1;
  try {
    while (state.status === 'running') {
      if (atOverview) {
        showOverview();
        say(session, words.overviewPrompt);
        session.output.write('> ');
        const line = await readLine();
        if (line === undefined) break;
        const typed = line.trim();
        // a bare number goes back to that task, like `:goto N`
        const command = /^\d+$/.test(typed) ? parseExamCommand(`:${typed}`, total) : parseExamCommand(typed, total);
        if (typed === '' || command?.kind === 'submit') {
          act({ type: 'submit' });
          say(session, words.submitted);
          break;
        }
        if (command?.kind === 'goto' || command?.kind === 'previous') {
          act({ type: 'goto', index: command.kind === 'goto' ? command.index : total - 1 });
          atOverview = false;
          revisiting = true;
          shown = -1;
        } else if (command?.kind !== 'list') {
          say(session, `  ${words.badTask(total)}`);
        }
        continue;
      }
      const task = state.tasks[state.current];
      if (!task) break;
      if (shown !== state.current) {
        showTask();
        shown = state.current;
      }
      askPrompt(session, `${words.answerPrompt} (${answerHint(task.presented.question, lang, engine, 'exam')})`);
      const line = await readLine();
      if (line === undefined) break;
      const typed = line.trim();
      const command = parseExamCommand(typed, total);
      const moveOn = (): void => {
        if (revisiting || state.current === total - 1) atOverview = true;
        else act({ type: 'next' });
      };
      if (command) {
        switch (command.kind) {
          case 'next':
            revisiting = false;
            moveOn();
            break;
          case 'previous':
            revisiting = false;
            act({ type: 'previous' });
            break;
          case 'goto':
            revisiting = false;
            act({ type: 'goto', index: command.index });
            break;
          case 'flag':
            act({ type: 'flag' });
            say(session, `  ${state.flagged[state.current] ? words.flagOn : words.flagOff}`);
            break;
          case 'list':
            showOverview();
            shown = -1;
            break;
          case 'submit':
            act({ type: 'submit' });
            say(session, words.submitted);
            break;
          case 'unknown':
            say(session, `  ${words.badCommand(command.text)}`);
            break;
        }
        continue;
      }
      if (typed === '') {
        moveOn();
        continue;
      }
      const question = task.presented.question;
      if (engine.isFixItQuestion(question)) {
        if (typed.toLowerCase() !== 'done' || !options.sandbox) {
          say(session, `  ${words.examFixItUnknown}`);
          continue;
        }
        // graded now for the record; the final grade is taken when the exam ends
        const grade = await options.sandbox.grade(question);
        act({ type: 'answer', response: { kind: 'text', value: 'done', grade } });
        say(session, `  ${words.markedDone}`);
        moveOn();
        continue;
      }
      const parsed = engine.parseResponse(task.presented, typed);
      if (!parsed.ok) {
        say(session, `  ${localize(parsed.message, lang)}`);
        continue;
      }
      act({ type: 'answer', response: parsed.response });
      moveOn();
    }
  } finally {
    reader.close();
  }

  // the CKA grades the clusters as they are at the end, whether or not a task was marked done
  const taskGrades = new Map<number, QuizEngine.TaskGrade>();
  for (const repair of repairs) if (options.sandbox) taskGrades.set(repair.index, await options.sandbox.grade(repair.question));
  const result = engine.gradeExam(state, { taskGrades });
  say(session);
  say(session, `${words.review}:`);
  result.tasks.forEach((taskResult, index) => {
    const { presented } = taskResult.task;
    const mark = taskResult.correct ? '✓' : '✗';
    say(session);
    say(session, `${mark} ${words.task} ${index + 1} · ${formatNumber(taskResult.earned)}/${formatNumber(taskResult.task.weight)}${taskResult.flagged ? ` · ${words.flagged}` : ''} · ${presented.question.topic}`);
    for (const line of questionLines(engine, presented, lang)) say(session, `  ${line}`);
    const given = taskResult.response === undefined ? words.unansweredMark : engine.responseText(presented, taskResult.response);
    say(session, `  ${words.yourAnswer}: ${given}`);
    if (taskResult.grade) {
      say(session, `  ${words.checks}:`);
      for (const check of taskResult.grade.checks) say(session, `  ${checkLine(check)}`);
    } else if (!taskResult.correct) {
      say(session, `  ${words.theAnswer}: ${engine.correctAnswerText(presented, lang)}`);
    }
    say(session, `  ${localize(presented.question.explanation, lang)}`);
    say(session, `  ${words.read}: kubetls lessons show ${presented.question.lesson}`);
  });
  // the next exam needs a working sandbox: what was not repaired is put back, as the app does
  const unrepaired = result.tasks.flatMap((taskResult, index) => (taskResult.grade && !taskResult.correct ? [{ number: index + 1, id: taskResult.task.presented.question.id }] : []));
  if (unrepaired.length > 0 && options.sandbox) {
    for (const { id } of unrepaired) {
      const task = prepared.find((candidate) => candidate.task.id === id);
      if (task) await options.sandbox.restore(task).catch(() => undefined);
    }
    say(session);
    say(session, words.putBack(options.sandbox.dir, unrepaired.map(({ number }) => number)));
  }
  await options.save?.(state, result);
  say(session);
  say(session, `${words.timeUsed}: ${formatClock(result.durationMs)}`);
  say(session, words.result(result.passed, result.percent));
  say(session, `Score: ${formatNumber(result.earned)}/${formatNumber(result.possible)} (${result.percent}%)`);
  return { state, result };
}
