import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from './context.js';
import { isFixItQuestion, type FixItQuestion, type Question, type TaskGrade } from '../quiz/types.js';
import type { TaskSandbox } from '../quiz/fixit-sandbox.js';
import type { FixItSession } from '../quiz/fixit-session.js';
import type { PracticeState } from '../quiz/practice.js';
import { topicLabel } from '../quiz/words.js';

/**
 * How the home menu's Practice, Exam, Review and Progress start: questions from the banks and, when
 * the learner has a sandbox, questions answered from their own certificates and fix-it tasks run by the
 * fix-it session (src/quiz/fixit-session.ts); the run saved to the progress store when it ends.
 */

type Engine = typeof import('../quiz/index.js');
type Progress = typeof import('../progress/index.js');

const PRACTICE_COUNT = 10;
const FIX_IT_COUNT = 3;
const EXAM_COUNT = 20;

export interface QuizFlows {
  /** Loads ahead what the first screen of a flow needs (the questions load once that screen is up). */
  prefetch(name: 'practice' | 'exam' | 'review'): Promise<void>;
  practice(): Promise<void>;
  exam(): Promise<void>;
  review(): Promise<void>;
  progress(): Promise<void>;
}

/** What the flows share: the app, and the questions, loaded once per session (the sandbox's at first use). */
interface Flows {
  context: AppContext;
  openLessonById(id: string): void;
  questions?: Promise<Question[]>;
}

export function quizFlows(context: AppContext, openLessonById: (id: string) => void): QuizFlows {
  const flows: Flows = { context, openLessonById };
  let examUnderWay = false;
  return {
    async prefetch(name) {
      if (name === 'practice') await Promise.all([import('./dialogs.js'), lessonTitle(context)]);
      else if (name === 'exam') await Promise.all([engine(), import('./dialogs.js'), hasSandbox(context) ? sandboxHost(context) : undefined]);
      else await Promise.all([engine(), context.progress()]);
    },
    practice: () => startPractice(flows),
    async exam() {
      // one exam at a time: Enter pressed again while this one is being set up does not start another
      if (examUnderWay) return;
      examUnderWay = true;
      try {
        await startExam(flows);
      } finally {
        examUnderWay = false;
      }
    },
    review: () => startReview(flows),
    async progress() {
      const { progressView } = await import('./views/progress.js');
      context.shell.open(progressView(context));
    },
  };
}

const engine = (): Promise<Engine> => import('../quiz/index.js');
const hasSandbox = (context: AppContext) => existsSync(join(context.session.sandboxDir, 'kubetls-sandbox.json'));
const randomSeed = () => Math.floor(Math.random() * 2 ** 32);

/** Work that holds the event loop, started once the dialog just opened is on the screen. */
const afterThisFrame = <T>(work: () => Promise<T>): Promise<T> => new Promise<void>((resolve) => setImmediate(resolve)).then(work);

/** The sandbox's fix-it tasks, not yet checked, and the sandbox that sets them up and grades them. */
async function sandboxHost(context: AppContext) {
  const { fixItQuestions, sandboxTasks } = await import('../quiz/fixit-sandbox.js');
  const dir = context.session.sandboxDir;
  return { sandbox: sandboxTasks(dir, { language: context.shell.preferences().language }), questions: fixItQuestions(dir).questions };
}

/** The session a run of fix-it tasks goes through: set up, graded, put back. */
async function openSession(context: AppContext, sandbox: TaskSandbox): Promise<FixItSession> {
  return (await import('../quiz/fixit-session.js')).fixItSession(sandbox, context.shell.preferences().language);
}

/** Fix-it tasks whose part of the sandbox works now (a task on an already broken part would grade itself), checked in parallel. */
async function readyTasks(context: AppContext) {
  if (!hasSandbox(context)) return undefined;
  const [host, { tasksReadyNow }] = await Promise.all([sandboxHost(context), import('../quiz/fixit-session.js')]);
  const { ready } = await tasksReadyNow(host.sandbox, host.questions);
  return { session: await openSession(context, host.sandbox), questions: ready };
}
type TaskHost = Awaited<ReturnType<typeof readyTasks>>;

function openSandboxScreen(context: AppContext): void {
  void import('./views/sandbox.js').then(({ sandboxView }) => context.shell.open(sandboxView(context, { inspectOnly: true })));
}

/** Banks plus the sandbox's own questions; loaded once per session (the sandbox at first use). */
function allQuestions(flows: Flows): Promise<Question[]> {
  return (flows.questions ??= (async () => {
    const quiz = await engine();
    const sources = [quiz.bankSource()];
    const dir = flows.context.session.sandboxDir;
    if (hasSandbox(flows.context)) {
      const [{ sandboxSource }, { manifestSource }] = await Promise.all([import('../quiz/sandbox-source.js'), import('../quiz/manifest-source.js')]);
      sources.push(sandboxSource({ dir }), manifestSource({ dir }));
    }
    return (await quiz.gatherQuestions(sources)).questions;
  })());
}

async function lessonTitle(context: AppContext): Promise<(id: string) => string | undefined> {
  const { readCourseIndex } = await import('../lessons/course-index.js');
  const titles = new Map((readCourseIndex(context.shell.preferences().language) ?? []).map((entry) => [entry.id, entry.title]));
  return (id: string) => titles.get(id);
}

/**
 * A recorder that writes at once: loaded before a run starts, so the result is saved even when
 * the run ends because the app is quitting (q in an exam, SIGHUP).
 */
async function recorder(context: AppContext) {
  const [progress, store] = await Promise.all([import('../progress/index.js'), context.progress()]);
  return (make: (module: Progress) => import('../progress/index.js').AttemptRecord) => {
    store.update((current) => progress.recordAttempt(current, make(progress)));
    const warning = store.warning(context.shell.preferences().language);
    if (warning) context.shell.notify(warning, 'bad');
  };
}
type Recorder = Awaited<ReturnType<typeof recorder>>;

// ---- practice and review -----------------------------------------------------------------------

/** Practice and review share one screen; fix-it tasks bring the session that runs them. */
async function openPractice(flows: Flows, run: { quiz: Engine; state: PracticeState; titleOf: (id: string) => string | undefined; record: Recorder; tasks?: TaskHost }): Promise<void> {
  const { practiceView } = await import('./views/practice.js');
  flows.context.shell.open(
    practiceView(flows.context, {
      engine: run.quiz,
      state: run.state,
      lessonTitle: run.titleOf,
      openLesson: flows.openLessonById,
      finished: (final) => run.record((progress) => progress.attemptFromPractice(final)),
      session: run.tasks?.session,
      openSandbox: () => openSandboxScreen(flows.context),
    }),
  );
}

async function startFixIt(flows: Flows, quiz: Engine, titleOf: (id: string) => string | undefined, record: Recorder): Promise<void> {
  const tasks = await readyTasks(flows.context);
  if (!tasks || tasks.questions.length === 0) return flows.context.shell.notify(flows.context.shell.t('fixItNone'), 'bad');
  const { selectFixItTasks } = await import('../quiz/fixit.js');
  const selected = selectFixItTasks(tasks.questions, { count: FIX_IT_COUNT, seed: randomSeed() });
  await openPractice(flows, { quiz, state: quiz.startPractice(selected, Date.now()), titleOf, record, tasks });
}

async function startPractice(flows: Flows): Promise<void> {
  const { context } = flows;
  const { shell } = context;
  // the topics come from the course at once; the questions load while the learner picks one
  const [{ courseTopics }, titleOf, { choose }] = await Promise.all([import('../lessons/course.js'), lessonTitle(context), import('./dialogs.js')]);
  const topics = courseTopics();
  const offerFixIt = hasSandbox(context);
  const labels = [shell.t('allTopics'), ...topics.map((topic) => titleOf(topic) ?? topicLabel(topic, shell.preferences().language)), ...(offerFixIt ? [shell.t('fixItTopic')] : [])];
  const choice = choose(shell.dialogs, shell.t('chooseTopic'), labels);
  const loading = afterThisFrame(() => Promise.all([engine(), allQuestions(flows), recorder(context)]));
  loading.catch(() => undefined);
  const picked = await choice;
  if (picked === undefined) return;
  const [quiz, pool, record] = await shell.working(shell.t('loadingQuestions'), () => loading);
  if (offerFixIt && picked === labels.length - 1) return startFixIt(flows, quiz, titleOf, record);
  const selected = quiz.selectQuestions(pool, { topics: picked === 0 ? [] : [topics[picked - 1]!], count: PRACTICE_COUNT, seed: randomSeed() });
  if (selected.length === 0) return shell.notify(shell.t('noQuestionsForTopic', { topic: labels[picked] ?? '' }), 'bad');
  await openPractice(flows, { quiz, state: quiz.startPractice(selected, Date.now()), titleOf, record });
}

async function startReview(flows: Flows): Promise<void> {
  const { context } = flows;
  const { shell } = context;
  const [quiz, store] = await shell.working(shell.t('loadingQuestions'), () => Promise.all([engine(), context.progress()]));
  const deck = store.read().review;
  const nothingDue = () => {
    const next = quiz.nextDueDate(deck);
    shell.notify(next ? shell.t('nothingDue', { date: next.slice(0, 10) }) : shell.t('nothingDueEmpty'));
  };
  // nothing due: said at once, without loading a question
  if (quiz.dueQuestionIds(deck, Date.now()).length === 0) return nothingDue();
  const [pool, titleOf, record] = await shell.working(shell.t('loadingQuestions'), () => Promise.all([allQuestions(flows), lessonTitle(context), recorder(context)]));
  // fix-it tasks come back too, when the sandbox can host them
  const tasks = Object.keys(deck).some((id) => id.startsWith('fixit.')) ? await shell.working(shell.t('loadingQuestions'), () => readyTasks(context)) : undefined;
  const state = quiz.startReview(deck, [...pool, ...(tasks?.questions ?? [])], { now: Date.now(), seed: randomSeed(), limit: PRACTICE_COUNT });
  if (state.items.length === 0) return nothingDue();
  await openPractice(flows, { quiz, state, titleOf, record, tasks });
}

// ---- the exam ----------------------------------------------------------------------------------

/** What the exam needs before it asks to start: the engine, a class exam if one is set, the sandbox, and how many repairs it will have. */
async function planExam(context: AppContext) {
  const { shell } = context;
  // a class exam set by the teacher: the same tasks for everyone, from the banks, without repairs
  const classExamNow = async () => (await import('../classroom/files.js')).classExamFor((await context.progress()).read());
  const [quiz, { confirm }, sandboxTasks, classExam] = await shell.working(shell.t('examPreparing'), () => Promise.all([engine(), import('./dialogs.js'), hasSandbox(context) ? sandboxHost(context) : undefined, classExamNow()]));
  const host = classExam ? undefined : sandboxTasks;
  const seed = classExam?.seed ?? randomSeed();
  const count = classExam?.count ?? EXAM_COUNT;
  // as many repairs as can be open together (the draw the exam makes, before each is checked ready)
  const fixit = host && host.questions.length > 0 ? await import('../quiz/fixit.js') : undefined;
  const repairs = fixit && host ? fixit.selectFixItTasks(host.questions, { count: quiz.fixItTaskCount(count), seed, together: true }).length : 0;
  return { quiz, confirm, classExam, host, seed, count, repairs };
}
type ExamPlan = Awaited<ReturnType<typeof planExam>>;

/** The questions, and with a sandbox the repairs picked and checked ready (kept, so setting them up does not grade them again). */
async function prepareExam(flows: Flows, { quiz, classExam, host, seed, count }: ExamPlan) {
  const [pool, record] = await Promise.all([classExam ? quiz.gatherQuestions([quiz.bankSource()]).then((gathered) => gathered.questions) : allQuestions(flows), recorder(flows.context)]);
  const none = { tasks: [], blocked: [], checked: new Map<string, TaskGrade>() };
  const picked = host && host.questions.length > 0 ? await (await import('../quiz/fixit-session.js')).pickExamRepairs(host.sandbox, host.questions, { count: quiz.fixItTaskCount(count), seed }) : none;
  const asked = quiz.selectQuestions(pool, { count: count - picked.tasks.length, seed, spreadTopics: true });
  const selected = picked.tasks.length > 0 ? (await import('../quiz/fixit.js')).mixTasksIn(asked, picked.tasks, seed) : asked;
  return { record, selected, picked, minutes: classExam?.minutes ?? quiz.examMinutes(asked.length, picked.tasks.length) };
}
type PreparedExam = Awaited<ReturnType<typeof prepareExam>>;

/**
 * The exam asks at once, with the numbers it will have, and loads meanwhile: the questions, and, with
 * a sandbox, the repairs picked and checked ready (about one task in five breaks part of the sandbox,
 * as in the CKA). After yes: what is still loading, then the sandbox broken, then the clock starts.
 */
async function startExam(flows: Flows): Promise<void> {
  const { shell } = flows.context;
  const plan = await planExam(flows.context);
  const preparing = afterThisFrame(() => prepareExam(flows, plan));
  // a failure is said after yes, where the exam would have needed it
  preparing.catch(() => undefined);
  const start = { count: plan.count, minutes: plan.classExam?.minutes ?? plan.quiz.examMinutes(plan.count - plan.repairs, plan.repairs), pass: plan.quiz.PASS_MARK, tasks: plan.repairs };
  if (plan.classExam) shell.notify(shell.t('examClassSet', { id: plan.classExam.id }));
  if (!(await plan.confirm(shell.dialogs, shell.t(plan.repairs > 0 ? 'examStartFixIt' : 'examStart', start), { enter: true }))) return;
  const ready = await shell.working(shell.t('examPreparing'), () => preparing);
  if (ready.selected.length === 0) return shell.notify(shell.t('examNoQuestions'), 'bad');
  const { tasks, blocked } = ready.picked;
  if (tasks.length < plan.repairs) shell.notify(`${shell.t('examFewerRepairs', { tasks: tasks.length, minutes: ready.minutes })}${blocked.length > 0 ? ` ${shell.t('examFixItLeftOut', { count: blocked.length })}` : ''}`, 'bad');
  const session = plan.host && tasks.length > 0 ? await openSession(flows.context, plan.host.sandbox) : undefined;
  if (session && !(await breakForExam(flows.context, tasks.map((task) => task.question).filter(isFixItQuestion), session, ready.picked.checked))) return;
  await openExam(flows, plan, ready, session);
}

/**
 * Breaks the sandbox for every fix-it task of an exam before the clock starts, with progress. If one
 * cannot be set up, the session puts back what was broken and the exam does not start.
 */
async function breakForExam(context: AppContext, questions: FixItQuestion[], session: FixItSession, checked: ReadonlyMap<string, TaskGrade>): Promise<boolean> {
  const { shell } = context;
  const step = <T>(index: number, total: number, work: () => Promise<T>) => shell.working(shell.t('examSettingUp', { n: index + 1, total }), work);
  const outcome = await session.setUpAll(questions, { checked, step });
  if (!outcome.ok) shell.notify(shell.t('examSetUpFailed', { message: outcome.reason }), 'bad');
  return outcome.ok;
}

/** The clock starts here, once the sandbox is set up. */
async function openExam(flows: Flows, plan: ExamPlan, ready: PreparedExam, session: FixItSession | undefined): Promise<void> {
  const { shell } = flows.context;
  const { examView } = await import('./views/exam.js');
  const state = plan.quiz.startExam(ready.selected, { now: Date.now(), durationMs: ready.minutes * 60_000 });
  const repairNumbers = ready.selected.flatMap((presented, index) => (isFixItQuestion(presented.question) ? [index + 1] : []));
  if (repairNumbers.length > 0) shell.notify(shell.t('examSetUp', { tasks: repairNumbers.map((n) => `#${n}`).join(', ') }));
  const classExam = plan.classExam ? { classExam: plan.classExam.id } : {};
  shell.open(
    examView(flows.context, {
      engine: plan.quiz,
      state,
      session,
      openSandbox: () => openSandboxScreen(flows.context),
      finished: (final, result) => ready.record((progress) => progress.attemptFromExam(result, { startedAt: final.startedAt, ...classExam })),
    }),
  );
}
