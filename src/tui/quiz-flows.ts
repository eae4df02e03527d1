import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from './context.js';
import { isFixItQuestion, type FixItQuestion, type Question, type TaskGrade } from '../quiz/types.js';
import type { PreparedTask, TaskSandbox } from '../quiz/fixit-sandbox.js';

/**
 * How the home menu's Practice, Exam, Review and Progress start: questions from the banks and, when
 * the learner has a sandbox, questions answered from their own certificates; the run saved to the
 * progress store when it ends.
 */

type Engine = typeof import('../quiz/index.js');

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

export function quizFlows(context: AppContext, openLessonById: (id: string) => void): QuizFlows {
  const { shell } = context;
  let questions: Promise<Question[]> | undefined;

  const engine = (): Promise<Engine> => import('../quiz/index.js');
  const hasSandbox = () => existsSync(join(context.session.sandboxDir, 'kubetls-sandbox.json'));

  /** The sandbox's fix-it tasks, not yet checked. */
  const sandboxHost = async () => {
    const { fixItQuestions, sandboxTasks } = await import('../quiz/fixit-sandbox.js');
    const dir = context.session.sandboxDir;
    return { sandbox: sandboxTasks(dir), questions: fixItQuestions(dir).questions };
  };

  /** Fix-it tasks whose part of the sandbox works now (a task on an already broken part would grade itself), checked in parallel. */
  const readyTasks = async () => {
    if (!hasSandbox()) return undefined;
    const { fixItQuestions, sandboxTasks } = await import('../quiz/fixit-sandbox.js');
    const dir = context.session.sandboxDir;
    const sandbox = sandboxTasks(dir);
    const all = fixItQuestions(dir).questions;
    const verdicts = await Promise.all(all.map((question) => sandbox.grade(question).then((grade) => grade.passed, () => false)));
    const ready = all.filter((_, index) => verdicts[index]);
    return { sandbox, questions: ready, blocked: all.length - ready.length };
  };
  const openSandboxScreen = (inspectOnly = false) => void import('./views/sandbox.js').then(({ sandboxView }) => shell.open(sandboxView(context, { inspectOnly })));

  /** Banks plus the sandbox's own questions; loaded once per session (the sandbox at first use). */
  const allQuestions = (): Promise<Question[]> =>
    (questions ??= (async () => {
      const quiz = await engine();
      const sources = [quiz.bankSource()];
      if (hasSandbox()) {
        const [{ sandboxSource }, { manifestSource }] = await Promise.all([import('../quiz/sandbox-source.js'), import('../quiz/manifest-source.js')]);
        sources.push(sandboxSource({ dir: context.session.sandboxDir }), manifestSource({ dir: context.session.sandboxDir }));
      }
      return (await quiz.gatherQuestions(sources)).questions;
    })());

  const lessonTitle = async () => {
    const { readCourseIndex } = await import('../lessons/course-index.js');
    const titles = new Map((readCourseIndex(shell.preferences().language) ?? []).map((entry) => [entry.id, entry.title]));
    return (id: string) => titles.get(id);
  };

  type Progress = typeof import('../progress/index.js');
  /**
   * A recorder that writes at once: loaded before a run starts, so the result is saved even when
   * the run ends because the app is quitting (q in an exam, SIGHUP).
   */
  const recorder = async () => {
    const [progress, store] = await Promise.all([import('../progress/index.js'), context.progress()]);
    return (make: (module: Progress) => import('../progress/index.js').AttemptRecord) => {
      store.update((current) => progress.recordAttempt(current, make(progress)));
      const warning = store.warning();
      if (warning) shell.notify(warning, 'bad');
    };
  };

  const seed = () => Math.floor(Math.random() * 2 ** 32);

  /**
   * Breaks the sandbox for every fix-it task of an exam before the clock starts, with progress. If one
   * cannot be set up, what was broken is put back and the exam does not start.
   */
  const breakForExam = async (questions: FixItQuestion[], sandbox: TaskSandbox, checked: ReadonlyMap<string, TaskGrade> = new Map()): Promise<PreparedTask[] | undefined> => {
    const prepared: PreparedTask[] = [];
    try {
      for (const [index, question] of questions.entries()) {
        prepared.push(await shell.working(shell.t('examSettingUp', { n: index + 1, total: questions.length }), () => sandbox.prepare(question, { checked: checked.get(question.id) })));
      }
      return prepared;
    } catch (error) {
      for (const task of [...prepared].reverse()) await sandbox.restore(task).catch(() => undefined);
      shell.notify(shell.t('examSetUpFailed', { message: error instanceof Error ? error.message : String(error) }), 'bad');
      return undefined;
    }
  };

  type Recorder = Awaited<ReturnType<typeof recorder>>;
  type TaskHost = Awaited<ReturnType<typeof readyTasks>>;

  /** Practice and review share one screen; fix-it tasks bring the sandbox they break. */
  const openPractice = async (quiz: Engine, state: import('../quiz/practice.js').PracticeState, titleOf: (id: string) => string | undefined, record: Recorder, tasks?: TaskHost) => {
    const { practiceView } = await import('./views/practice.js');
    shell.open(
      practiceView(context, {
        engine: quiz,
        state,
        lessonTitle: titleOf,
        openLesson: openLessonById,
        finished: (final) => record((progress) => progress.attemptFromPractice(final)),
        tasks: tasks?.sandbox,
        openSandbox: () => openSandboxScreen(true),
      }),
    );
  };

  const startFixIt = async (quiz: Engine, titleOf: (id: string) => string | undefined, record: Recorder) => {
    const tasks = await readyTasks();
    if (!tasks || tasks.questions.length === 0) {
      shell.notify(shell.t('fixItNone'), 'bad');
      return;
    }
    const { selectFixItTasks } = await import('../quiz/fixit.js');
    const selected = selectFixItTasks(tasks.questions, { count: FIX_IT_COUNT, seed: seed() });
    await openPractice(quiz, quiz.startPractice(selected, Date.now()), titleOf, record, tasks);
  };

  let examUnderWay = false;

  /** Work that holds the event loop, started once the dialog just opened is on the screen. */
  const afterThisFrame = <T>(work: () => Promise<T>): Promise<T> => new Promise<void>((resolve) => setImmediate(resolve)).then(work);

  /**
   * The exam asks at once, with the numbers it will have, and loads meanwhile: the questions, and, with
   * a sandbox, the repairs picked and checked ready (about one task in five breaks part of the sandbox,
   * as in the CKA). After yes: what is still loading, then the sandbox broken, then the clock starts.
   */
  const startExam = async () => {
    // a class exam set by the teacher: the same tasks for everyone, from the banks, without repairs
    const classExamNow = async () => (await import('../classroom/files.js')).classExamFor((await context.progress()).read());
    const [quiz, { confirm }, sandboxTasks, classExam] = await shell.working(shell.t('examPreparing'), () => Promise.all([engine(), import('./dialogs.js'), hasSandbox() ? sandboxHost() : undefined, classExamNow()]));
    const host = classExam ? undefined : sandboxTasks;
    const examSeed = classExam?.seed ?? seed();
    const examCount = classExam?.count ?? EXAM_COUNT;
    // as many repairs as can be open together (the draw the exam makes, before each is checked ready)
    const fixit = host && host.questions.length > 0 ? await import('../quiz/fixit.js') : undefined;
    const repairs = fixit && host ? fixit.selectFixItTasks(host.questions, { count: quiz.fixItTaskCount(examCount), seed: examSeed, together: true }).length : 0;
    // each repair's part of the sandbox graded working: kept, so setting the repair up does not grade it again
    const checked = new Map<string, TaskGrade>();
    const preparing = afterThisFrame(async () => {
      const [pool, record] = await Promise.all([classExam ? quiz.gatherQuestions([quiz.bankSource()]).then((gathered) => gathered.questions) : allQuestions(), recorder()]);
      const ready = async (question: FixItQuestion) => {
        const grade = await host!.sandbox.grade(question);
        if (grade.passed) checked.set(question.id, grade);
        return grade.passed;
      };
      const picked = fixit && host ? await fixit.selectReadyFixItTasks(host.questions, { count: quiz.fixItTaskCount(examCount), seed: examSeed, together: true, ready }) : { tasks: [], blocked: 0 };
      const asked = quiz.selectQuestions(pool, { count: examCount - picked.tasks.length, seed: examSeed, spreadTopics: true });
      const selected = fixit ? fixit.mixTasksIn(asked, picked.tasks, examSeed) : asked;
      return { record, selected, tasks: picked.tasks, blocked: picked.blocked, minutes: classExam?.minutes ?? quiz.examMinutes(asked.length, picked.tasks.length) };
    });
    // a failure is said after yes, where the exam would have needed it
    preparing.catch(() => undefined);
    const start = { count: examCount, minutes: classExam?.minutes ?? quiz.examMinutes(examCount - repairs, repairs), pass: quiz.PASS_MARK, tasks: repairs };
    if (classExam) shell.notify(shell.t('examClassSet', { id: classExam.id }));
    if (!(await confirm(shell.dialogs, shell.t(repairs > 0 ? 'examStartFixIt' : 'examStart', start), { enter: true }))) return;
    const ready = await shell.working(shell.t('examPreparing'), () => preparing);
    if (ready.selected.length === 0) {
      shell.notify(shell.t('examNoQuestions'), 'bad');
      return;
    }
    if (ready.tasks.length < repairs) shell.notify(`${shell.t('examFewerRepairs', { tasks: ready.tasks.length, minutes: ready.minutes })}${ready.blocked > 0 ? ` ${shell.t('examFixItLeftOut', { count: ready.blocked })}` : ''}`, 'bad');
    const prepared = host ? await breakForExam(ready.tasks.map((task) => task.question).filter(isFixItQuestion), host.sandbox, checked) : [];
    if (!prepared) return;
    const { examView } = await import('./views/exam.js');
    // the clock starts once the sandbox is set up
    const state = quiz.startExam(ready.selected, { now: Date.now(), durationMs: ready.minutes * 60_000 });
    const repairNumbers = ready.selected.flatMap((presented, index) => (isFixItQuestion(presented.question) ? [index + 1] : []));
    if (repairNumbers.length > 0) shell.notify(shell.t('examSetUp', { tasks: repairNumbers.map((n) => `#${n}`).join(', ') }));
    shell.open(
      examView(context, {
        engine: quiz,
        state,
        tasks: host?.sandbox,
        openSandbox: () => openSandboxScreen(true),
        putBack: (question) => {
          const task = prepared.find((candidate) => candidate.task.id === question.id);
          return task && host ? host.sandbox.restore(task) : Promise.resolve();
        },
        finished: (final, result) => ready.record((progress) => progress.attemptFromExam(result, { startedAt: final.startedAt, ...(classExam ? { classExam: classExam.id } : {}) })),
      }),
    );
  };

  return {
    async prefetch(name) {
      if (name === 'practice') await Promise.all([import('./dialogs.js'), lessonTitle()]);
      else if (name === 'exam') await Promise.all([engine(), import('./dialogs.js'), hasSandbox() ? sandboxHost() : undefined]);
      else await Promise.all([engine(), context.progress()]);
    },

    async practice() {
      // the topics come from the course at once; the questions load while the learner picks one
      const [{ courseTopics }, titleOf, { choose }] = await Promise.all([import('../lessons/course.js'), lessonTitle(), import('./dialogs.js')]);
      const topics = courseTopics();
      const offerFixIt = hasSandbox();
      const labels = [shell.t('allTopics'), ...topics.map((topic) => titleOf(topic) ?? topic), ...(offerFixIt ? [shell.t('fixItTopic')] : [])];
      const choice = choose(shell.dialogs, shell.t('chooseTopic'), labels);
      const loading = afterThisFrame(() => Promise.all([engine(), allQuestions(), recorder()]));
      loading.catch(() => undefined);
      const picked = await choice;
      if (picked === undefined) return;
      const [quiz, pool, record] = await shell.working(shell.t('loadingQuestions'), () => loading);
      if (offerFixIt && picked === labels.length - 1) return startFixIt(quiz, titleOf, record);
      const selected = quiz.selectQuestions(pool, { topics: picked === 0 ? [] : [topics[picked - 1]!], count: PRACTICE_COUNT, seed: seed() });
      if (selected.length === 0) {
        shell.notify(shell.t('noQuestionsForTopic', { topic: labels[picked] ?? '' }), 'bad');
        return;
      }
      await openPractice(quiz, quiz.startPractice(selected, Date.now()), titleOf, record);
    },

    async exam() {
      // one exam at a time: Enter pressed again while this one is being set up does not start another
      if (examUnderWay) return;
      examUnderWay = true;
      try {
        await startExam();
      } finally {
        examUnderWay = false;
      }
    },

    async review() {
      const [quiz, store] = await shell.working(shell.t('loadingQuestions'), () => Promise.all([engine(), context.progress()]));
      const deck = store.read().review;
      // nothing due: said at once, without loading a question
      if (quiz.dueQuestionIds(deck, Date.now()).length === 0) {
        const next = quiz.nextDueDate(deck);
        shell.notify(next ? shell.t('nothingDue', { date: next.slice(0, 10) }) : shell.t('nothingDueEmpty'));
        return;
      }
      const [pool, titleOf, record] = await shell.working(shell.t('loadingQuestions'), () => Promise.all([allQuestions(), lessonTitle(), recorder()]));
      // fix-it tasks come back too, when the sandbox can host them
      const tasks = Object.keys(deck).some((id) => id.startsWith('fixit.')) ? await shell.working(shell.t('loadingQuestions'), readyTasks) : undefined;
      const state = quiz.startReview(deck, [...pool, ...(tasks?.questions ?? [])], { now: Date.now(), seed: seed(), limit: PRACTICE_COUNT });
      if (state.items.length === 0) {
        const next = quiz.nextDueDate(deck);
        shell.notify(next ? shell.t('nothingDue', { date: next.slice(0, 10) }) : shell.t('nothingDueEmpty'));
        return;
      }
      await openPractice(quiz, state, titleOf, record, tasks);
    },

    async progress() {
      const { progressView } = await import('./views/progress.js');
      shell.open(progressView(context));
    },
  };
}
