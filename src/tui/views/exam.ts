import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import type { ExamResult, ExamState } from '../../quiz/exam.js';
import type { TaskSandbox } from '../../quiz/fixit-sandbox.js';
import { isFixItQuestion, localize, type FixItQuestion, type Language, type TaskGrade } from '../../quiz/types.js';
import { escapeTags, paint } from '../theme.js';
import { scrollText, selectList, type ScrollText, type SelectList } from '../widgets.js';
import { answerBindings, answerHint, checkLines, correctPositions, draftFromResponse, renderQuestion, responseOf, type AnswerDraft } from './question.js';

/**
 * The exam: weighted tasks, a visible countdown, flags, free movement between tasks, submit early
 * or at time-out, a score against the pass mark, then a review of every task with its explanation.
 * With a sandbox some tasks are repairs: the sandbox is broken before the clock starts and every
 * repair is graded with the real checks on the sandbox as it is when the exam ends, as the CKA does.
 */

type Engine = typeof import('../../quiz/index.js');

export interface ExamOptions {
  engine: Engine;
  state: ExamState;
  /** Called once with the graded exam (saves the attempt). */
  finished(state: ExamState, result: ExamResult): void;
  /** The sandbox the fix-it tasks broke, already set up; it grades them. */
  tasks?: TaskSandbox;
  /** Open the sandbox screen (to look around while repairing). */
  openSandbox?(): void;
  /** Put back what a task broke, once the exam is graded and the task was not repaired. */
  putBack?(question: FixItQuestion): Promise<unknown>;
}

/** A grader that could not run (the sandbox removed mid-exam) fails the task with the reason. */
function failedGrade(error: unknown): TaskGrade {
  return { passed: false, checks: [{ name: 'grade', ok: false, message: error instanceof Error ? error.message : String(error) }] };
}

function clock(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
}

export function examView(context: AppContext, options: ExamOptions): View {
  const { shell } = context;
  const { engine } = options;
  let state = options.state;
  let result: ExamResult | undefined;
  let draft: AnswerDraft = emptyFor(state);
  let heading: Widgets.TextElement | undefined;
  let text: ScrollText | undefined;
  let review: SelectList | undefined;
  let parent: Widgets.BoxElement | undefined;
  let timer: NodeJS.Timeout | undefined;
  let grading = false;
  const lang = (): Language => shell.preferences().language;

  function emptyFor(current: ExamState): AnswerDraft {
    const task = current.tasks[current.current];
    return task ? draftFromResponse(task.presented, current.responses[current.current]) : { cursor: 0, picked: [], text: '' };
  }

  const dispatch = (action: Parameters<Engine['examReducer']>[1]) => {
    const before = state.status;
    state = engine.examReducer(state, action, Date.now());
    if (action.type === 'goto' || action.type === 'next' || action.type === 'previous') draft = emptyFor(state);
    if (before === 'running' && state.status === 'submitted') void finish();
    else draw();
  };

  const repairs = () => state.tasks.flatMap((task, index) => (isFixItQuestion(task.presented.question) ? [{ index, question: task.presented.question }] : []));

  /** Graded once the exam ends: the questions as answered, every repair on the sandbox as it is now. */
  let finishing: Promise<void> | undefined;
  // one grading however the end comes (submit, time-up, quit); quitting waits for the one under way
  const finish = (): Promise<void> => (finishing ??= gradeAndRecord());
  const gradeAndRecord = async () => {
    if (result) return;
    if (timer) clearInterval(timer);
    timer = undefined;
    const open = repairs();
    const taskGrades = new Map<number, TaskGrade>();
    if (open.length > 0 && options.tasks) {
      grading = true;
      draw();
      shell.notify(shell.t('examGrading'));
      for (const { index, question } of open) taskGrades.set(index, await options.tasks.grade(question).catch((error: unknown) => failedGrade(error)));
      // the app may have quit while the sandbox was graded; that saved the exam already
      if (result) return;
    }
    const graded = engine.gradeExam(state, { taskGrades });
    record(graded);
    await putBackUnrepaired(graded);
  };

  /** The next exam or practice needs a working sandbox: what was not repaired is put back, and the learner told. */
  const putBackUnrepaired = async (graded: ExamResult) => {
    const unrepaired = graded.tasks.flatMap((task, index) => (task.grade && !task.correct && isFixItQuestion(task.task.presented.question) ? [{ index, question: task.task.presented.question }] : []));
    if (unrepaired.length === 0 || !options.putBack) return;
    for (const { question } of unrepaired) await options.putBack(question).catch(() => undefined);
    shell.notify(shell.t('examPutBack', { tasks: unrepaired.map(({ index }) => `#${index + 1}`).join(', ') }), 'bad');
  };

  /** When a signal ends the app there is no time to grade the sandbox: repairs count as they were when marked done. */
  const finishNow = () => {
    if (result) return;
    if (timer) clearInterval(timer);
    timer = undefined;
    record(engine.gradeExam(state));
  };

  const record = (graded: ExamResult) => {
    result = graded;
    grading = false;
    options.finished(state, graded);
    if (state.endedBy === 'time-up') shell.notify(shell.t('examTimeUp'), 'bad');
    rebuild();
  };

  const headingText = () => {
    const theme = shell.theme();
    if (result) {
      const line = shell.t(result.passed ? 'examPassed' : 'examFailed', { percent: result.percent, pass: result.passMark });
      return `{bold}${paint(theme, result.passed ? 'ok' : 'bad', line)}{/bold}  ${escapeTags(`${result.earned}/${result.possible}`)}`;
    }
    if (grading) return `{bold}${escapeTags(shell.t('examGrading'))}{/bold}`;
    const task = state.tasks[state.current]!;
    const kind = isFixItQuestion(task.presented.question) ? `${shell.t('fixItLabel')} · ` : '';
    const flag = state.flagged[state.current] ? `  ${paint(theme, 'warn', `${shell.unicode ? '⚑' : '!'} ${shell.t('flagged')}`)}` : '';
    const left = engine.remainingMs(state, Date.now());
    const time = paint(theme, left < 60_000 ? 'bad' : 'accent', shell.t('timeLeft', { time: clock(left) }));
    return `{bold}${escapeTags(shell.t('taskOf', { n: state.current + 1, total: state.tasks.length }))}{/bold}  ${paint(theme, 'muted', `${kind}${task.presented.question.topic} · ${task.weight} pt`)}${flag}{|}${time}`;
  };

  const draw = () => {
    if (!heading) return;
    heading.setContent(headingText());
    if (!result && text) {
      const task = state.tasks[state.current]!;
      const question = task.presented.question;
      if (isFixItQuestion(question)) text.element.setContent(repairText(question, state.responses[state.current] !== undefined));
      else text.element.setContent(renderQuestion(task.presented, draft, { theme: shell.theme(), unicode: shell.unicode, lang: lang(), hint: answerHint(task.presented.question.type, shell.t) }));
    }
    shell.render();
  };

  /** A repair on screen: the symptom, where the sandbox is, how it is graded; no hint, as in the exam. */
  const repairText = (question: FixItQuestion, done: boolean) => {
    const theme = shell.theme();
    const lines = [`{bold}${escapeTags(localize(question.prompt, lang()))}{/bold}`, '', paint(theme, 'muted', escapeTags(shell.t('examFixItHow', { dir: options.tasks?.dir ?? '' })))];
    if (done) lines.push('', paint(theme, 'ok', shell.t('examMarkedDone')));
    return lines.join('\n');
  };

  /** Marked done for the record (graded now); the grade that counts is taken when the exam ends. */
  const markDone = async (question: FixItQuestion) => {
    if (!options.tasks) return;
    const index = state.current;
    const grade = await options.tasks.grade(question).catch((error: unknown) => failedGrade(error));
    if (state.status !== 'running' || state.current !== index) return;
    state = engine.examReducer(state, { type: 'answer', response: { kind: 'text', value: 'done', grade } }, Date.now());
    if (state.status === 'submitted') void finish();
    else dispatch({ type: 'next' });
  };

  /** Answers count as soon as they are complete; taking a choice back clears the task again. */
  const changeDraft = (next: AnswerDraft) => {
    draft = next;
    const task = state.tasks[state.current]!;
    const response = responseOf(task.presented, draft);
    state = engine.examReducer(state, response ? { type: 'answer', response } : { type: 'clear' }, Date.now());
    if (state.status === 'submitted' && !result) void finish();
    else draw();
  };


  const overview = async () => {
    const { choose } = await import('../dialogs.js');
    const rows = state.tasks.map((task, index) => {
      const status = state.responses[index] ? shell.t('answered') : shell.t('unanswered');
      const flag = state.flagged[index] ? ` ${shell.unicode ? '⚑' : '!'}` : '';
      const kind = isFixItQuestion(task.presented.question) ? `${shell.t('fixItLabel')}: ` : '';
      return `${String(index + 1).padStart(2)}. [${status}]${flag} ${kind}${localize(task.presented.question.prompt, lang())}`;
    });
    const picked = await choose(shell.dialogs, shell.t('keyOverview'), rows, state.current);
    if (picked !== undefined) dispatch({ type: 'goto', index: picked });
  };

  /** S submits; Esc, which means back everywhere else, says that leaving here submits. Both ask first. */
  const submit = async (leaving = false) => {
    const { confirm } = await import('../dialogs.js');
    const counts = engine.examOverview(state);
    const values = { answered: counts.answered.length, unanswered: counts.unanswered.length, flagged: counts.flagged.length };
    if (await confirm(shell.dialogs, shell.t(leaving ? 'examLeaveConfirm' : 'submitConfirm', values))) dispatch({ type: 'submit' });
  };

  const explain = async () => {
    if (!result || !review) return;
    const task = result.tasks[review.selected()];
    if (!task) return;
    const { showText } = await import('../dialogs.js');
    const presented = task.task.presented;
    const theme = shell.theme();
    const lines = task.grade
      ? [`{bold}${escapeTags(localize(presented.question.prompt, lang()))}{/bold}`, '', paint(theme, task.correct ? 'ok' : 'bad', shell.t('examChecks')), ...checkLines(task.grade, theme, shell.unicode)]
      : [
          renderQuestion(presented, draftFromResponse(presented, task.response), { theme, unicode: shell.unicode, lang: lang(), reveal: { correctPositions: correctPositions(presented) }, hint: '' }),
          task.correct ? paint(theme, 'ok', shell.t('right')) : paint(theme, 'bad', shell.t(task.response ? 'wrong' : 'skipped', { answer: engine.correctAnswerText(presented, lang()) })),
        ];
    lines.push('', escapeTags(localize(presented.question.explanation, lang())));
    await showText(shell.dialogs, shell.t('taskOf', { n: review.selected() + 1, total: result.tasks.length }), lines.join('\n'));
  };

  /** Only while on screen: a view opened on top (the sandbox) keeps it until the learner comes back. */
  const rebuild = () => {
    if (!parent) return;
    const body = parent;
    view.unmount();
    view.mount(body);
  };

  const view: View = {
    title: () => shell.t('examTitle'),
    bindings(): Binding[] {
      if (result) {
        return [
          { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', status: true, run: () => review?.move(-1) },
          { keys: ['down', 'j'], display: '↓', label: 'keyMove', run: () => review?.move(1) },
          { keys: ['enter'], display: '⏎', ascii: 'Enter', label: 'keyOpen', status: true, run: explain },
        ];
      }
      if (grading) return [];
      const task = state.tasks[state.current]!;
      const question = task.presented.question;
      const answering: Binding[] = isFixItQuestion(question)
        ? [
            { keys: ['enter'], display: '⏎', ascii: 'Enter', label: 'keyMarkDone', status: true, run: () => markDone(question) },
            ...(options.openSandbox ? [{ keys: ['x'], display: 'x', label: 'keyOpenSandbox', status: true, run: () => options.openSandbox!() } satisfies Binding] : []),
          ]
        : [
            ...answerBindings(task.presented, { draft: () => draft, change: changeDraft }),
            { keys: ['enter'], display: '⏎/→', ascii: 'Enter', label: 'keyNextTask', status: true, run: () => dispatch({ type: 'next' }) },
          ];
      return [
        ...answering,
        { keys: ['right', ']'], display: '→', ascii: 'Right', label: 'keyNextTask', run: () => dispatch({ type: 'next' }) },
        { keys: ['left', '['], display: '←', ascii: 'Left', label: 'keyPreviousTask', run: () => dispatch({ type: 'previous' }) },
        { keys: ['m'], display: 'm', label: 'keyFlag', status: true, run: () => dispatch({ type: 'flag' }) },
        { keys: ['o'], display: 'o', label: 'keyOverview', status: true, run: overview },
        { keys: ['S-s'], display: 'S', label: 'keySubmitExam', status: true, run: () => submit() },
        // Esc or Backspace would otherwise leave the screen with the clock running: here they offer to submit
        { keys: ['escape', 'backspace'], display: 'Esc', label: 'keyLeaveExam', run: () => submit(true) },
      ];
    },
    mount(body) {
      parent = body;
      heading = blessed.text({ parent: body, top: 0, left: 1, width: '100%-2', height: 1, tags: true, content: '' });
      if (result) {
        const theme = shell.theme();
        review = selectList(body, theme, {
          top: 2,
          left: 0,
          width: '100%',
          height: '100%-3',
          border: true,
          label: shell.t('examReviewHint'),
          items: result.tasks.map((task, index) => ({
            label: `${task.correct ? paint(theme, 'ok', shell.unicode ? '✓' : '+') : paint(theme, 'bad', shell.unicode ? '✗' : 'x')} ${String(index + 1).padStart(2)}. ${escapeTags(localize(task.task.presented.question.prompt, lang()))}`,
            markup: true,
          })),
        });
      } else {
        text = scrollText(body, shell.theme(), { top: 2, left: 1, width: '100%-2', height: '100%-2', content: '', wrap: true });
        // the countdown: only its cells change each second, which is all a slow link carries
        timer ??= setInterval(() => {
          if (state.status === 'running' && engine.remainingMs(state, Date.now()) <= 0) dispatch({ type: 'tick' });
          else draw();
        }, 1000);
        timer.unref();
      }
      draw();
    },
    unmount() {
      heading?.destroy();
      text?.element.destroy();
      review?.element.destroy();
      parent = undefined;
      heading = undefined;
      text = undefined;
      review = undefined;
    },
    quitQuestion: () => (result ? undefined : shell.t('quitConfirm')),
    beforeQuit() {
      if (result) return;
      state = engine.examReducer(state, { type: 'submit' }, Date.now());
      finishNow();
    },
    async settleBeforeQuit() {
      if (result) return;
      state = engine.examReducer(state, { type: 'submit' }, Date.now());
      await finish();
    },
  };
  return view;
}
