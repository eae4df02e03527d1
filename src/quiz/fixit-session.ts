import { describeError, isKubetlsError } from '../errors.js';
import { translate, type Language } from '../locale/catalogue.js';
import { gradeExam, type ExamResult, type ExamState } from './exam.js';
import { selectReadyFixItTasks } from './fixit.js';
import type { PreparedTask, TaskSandbox } from './fixit-sandbox.js';
import type { PresentedQuestion } from './present.js';
import { isFixItQuestion, type FixItQuestion, type TaskGrade } from './types.js';

/**
 * One fix-it session, whichever shell runs it (the plain CLI, the app's exam and practice): the faults
 * set up in the learner's sandbox before the clock starts, the real checks at the end (or per task in
 * practice), and what was not repaired put back, always in that order. Anything that goes wrong on the
 * sandbox is one kind of outcome, never an exception the shell has to catch: a grade that cannot run
 * fails that task with the reason, a task that cannot be set up is left out with the reason, a task that
 * cannot be put back says why. The shells only say what happened, in the learner's language.
 */

export interface FixItSession {
  readonly dir: string;
  /**
   * An exam's tasks, all broken before the clock starts (as in the CKA). `checked`: grades just taken
   * that found a task's part working, so it is not graded again. A task that cannot be set up puts back
   * the ones already broken, and the exam cannot start: the reason is returned.
   */
  setUpAll(questions: readonly FixItQuestion[], options?: SetUpAllOptions): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** One practice task, broken now; what fails, or why it cannot be set up (then it is left out, not counted). */
  setUp(question: FixItQuestion): Promise<{ ok: true; failing: TaskGrade } | { ok: false; reason: string }>;
  /** The real checks on the sandbox as it is now; a check that cannot run fails the task with its reason. */
  grade(question: FixItQuestion): Promise<TaskGrade>;
  /** Given up: what the task broke is put back, so the next one starts from a working sandbox. */
  putBack(question: FixItQuestion): Promise<PutBack | undefined>;
  /** Left with the task open: put back unless the learner has repaired it already (then nothing is done). */
  leave(question: FixItQuestion): Promise<PutBack | undefined>;
  /** The end of an exam: every repair graded as the sandbox is now, marked done or not. Task index -> grade. */
  gradeRepairs(state: ExamState): Promise<Map<number, TaskGrade>>;
  /** After a graded exam: the repairs that failed are put back. */
  putBackUnrepaired(result: ExamResult): Promise<PutBack[]>;
}

export interface SetUpAllOptions {
  checked?: ReadonlyMap<string, TaskGrade>;
  /** Runs each task's set-up (the app shows "setting up 2 of 3" around it). */
  step?: <T>(index: number, total: number, work: () => Promise<T>) => Promise<T>;
}

/** One task put back: what kubetls did (a command or a manifest line, as printed), or why it could not. */
export type PutBack = { id: string; index?: number; ok: true; done: string } | { id: string; index?: number; ok: false; reason: string };

/** `language`: the words of the grade a check that could not run gives, and of every reason. */
export function fixItSession(sandbox: TaskSandbox, language: Language): FixItSession {
  const open = new Map<string, PreparedTask>();
  const reason = (error: unknown): string => reasonOf(error, language);

  const grade = (question: FixItQuestion): Promise<TaskGrade> => sandbox.grade(question).catch((error: unknown) => ungraded(reason(error), language));

  /** Undefined when the task is not open (never set up, repaired, or put back already). */
  const putBack = async (question: FixItQuestion): Promise<PutBack | undefined> => {
    const prepared = open.get(question.id);
    if (!prepared) return undefined;
    try {
      const done = await sandbox.restore(prepared);
      open.delete(question.id);
      return { id: question.id, ok: true, done };
    } catch (error) {
      return { id: question.id, ok: false, reason: reason(error) };
    }
  };

  const setUp = async (question: FixItQuestion, checked?: TaskGrade): Promise<{ ok: true; failing: TaskGrade } | { ok: false; reason: string }> => {
    try {
      const prepared = await sandbox.prepare(question, checked ? { checked } : undefined);
      open.set(question.id, prepared);
      return { ok: true, failing: prepared.grade };
    } catch (error) {
      return { ok: false, reason: reason(error) };
    }
  };

  return {
    dir: sandbox.dir,
    setUp: (question) => setUp(question),
    async setUpAll(questions, options = {}) {
      const step = options.step ?? ((_index, _total, work) => work());
      for (const [index, question] of questions.entries()) {
        const outcome = await step(index, questions.length, () => setUp(question, options.checked?.get(question.id)));
        if (outcome.ok) continue;
        // the last broken first: each put back on the sandbox as the next one left it
        for (const done of [...questions.slice(0, index)].reverse()) await putBack(done);
        return outcome;
      }
      return { ok: true };
    },
    grade,
    putBack,
    async leave(question) {
      if (!open.has(question.id)) return undefined;
      if ((await grade(question)).passed) {
        open.delete(question.id);
        return undefined;
      }
      return putBack(question);
    },
    async gradeRepairs(state) {
      const grades = new Map<number, TaskGrade>();
      for (const [index, task] of state.tasks.entries()) {
        const question = task.presented.question;
        if (isFixItQuestion(question)) grades.set(index, await grade(question));
      }
      return grades;
    },
    async putBackUnrepaired(result) {
      const done: PutBack[] = [];
      for (const [index, task] of result.tasks.entries()) {
        const question = task.task.presented.question;
        if (!task.grade || task.correct || !isFixItQuestion(question)) continue;
        const outcome = await putBack(question);
        if (outcome) done.push({ ...outcome, index });
      }
      return done;
    },
  };
}

/**
 * The end of an exam, in the one order every shell keeps: the repairs graded on the sandbox, the exam
 * scored and saved (before anything is shown, so a score on screen is one that was kept), then what was
 * not repaired put back. Without a session (no repairs), the same minus the sandbox.
 */
export async function endExam(
  session: FixItSession | undefined,
  state: ExamState,
  save: (result: ExamResult) => unknown,
): Promise<{ result: ExamResult; putBack: PutBack[] }> {
  const taskGrades = session ? await session.gradeRepairs(state) : new Map<number, TaskGrade>();
  const result = gradeExam(state, { taskGrades });
  await save(result);
  const putBack = session ? await session.putBackUnrepaired(result) : [];
  return { result, putBack };
}

/** A task's verdict when its checks could not run (the sandbox removed mid-exam): not repaired, and why. */
export function ungraded(reason: string, language: Language): TaskGrade {
  return { passed: false, checks: [{ name: translate(language, 'quiz.check.grade'), ok: false, message: translate(language, 'quiz.check.could-not-run', { reason }) }] };
}

function reasonOf(error: unknown, language: Language): string {
  if (isKubetlsError(error)) return describeError(error, language);
  return error instanceof Error ? error.message : String(error);
}

// ---- which tasks can be set up now -------------------------------------------------------------

/** Tasks whose part of the sandbox works now (one on a part already broken would grade itself), checked together. */
export async function tasksReadyNow(sandbox: TaskSandbox, questions: readonly FixItQuestion[]): Promise<{ ready: FixItQuestion[]; blocked: FixItQuestion[] }> {
  const verdicts = await Promise.all(questions.map((question) => sandbox.grade(question).then((grade) => grade.passed, () => false)));
  return { ready: questions.filter((_, index) => verdicts[index]), blocked: questions.filter((_, index) => !verdicts[index]) };
}

/**
 * An exam's repairs: as many as can be open together, each checked ready; the grades that found them
 * ready are kept (`checked`) so setting them up does not grade them again. The same seed picks the same
 * tasks in the CLI and the app.
 */
export async function pickExamRepairs(
  sandbox: TaskSandbox,
  questions: readonly FixItQuestion[],
  options: { count: number; seed: number },
): Promise<{ tasks: PresentedQuestion[]; blocked: string[]; checked: Map<string, TaskGrade> }> {
  const checked = new Map<string, TaskGrade>();
  const blocked: string[] = [];
  const ready = async (question: FixItQuestion): Promise<boolean> => {
    const grade = await sandbox.grade(question).catch(() => undefined);
    if (grade?.passed) checked.set(question.id, grade);
    else blocked.push(question.id);
    return grade?.passed ?? false;
  };
  const { tasks } = await selectReadyFixItTasks(questions, { ...options, together: true, ready });
  return { tasks, blocked, checked };
}
