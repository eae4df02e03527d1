import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import { translate } from '../../locale/catalogue.js';
import type { ExamAction, ExamResult, ExamState, TaskResult } from '../../quiz/exam.js';
import type { FixItSession, PutBack } from '../../quiz/fixit-session.js';
import { isFixItQuestion, localize, type FixItQuestion, type Language } from '../../quiz/types.js';
import { points, topicLabel } from '../../quiz/words.js';
import { escapeTags, paint } from '../theme.js';
import { scrollText, selectList, type ScrollText, type SelectList } from '../widgets.js';
import { truncateAtWord } from '../width.js';
import { columns } from '../../text-width.cjs';
import { answerBindings, answerHint, checkLines, correctPositions, draftFromResponse, renderQuestion, responseOf, type AnswerDraft } from './question.js';

/**
 * The exam: weighted tasks, a visible countdown, flags, free movement between tasks, submit early
 * or at time-out, a score against the pass mark, then a review of every task with its explanation.
 * With a sandbox some tasks are repairs, run by the fix-it session (src/quiz/fixit-session.ts): the
 * sandbox was broken before the clock started, every repair is graded on the sandbox as it is when the
 * exam ends, as the CKA does, the exam is saved, and what was not repaired is put back.
 */

type Engine = typeof import('../../quiz/index.js');

export interface ExamOptions {
  engine: Engine;
  state: ExamState;
  /** Called once with the graded exam (saves the attempt). */
  finished(state: ExamState, result: ExamResult): void;
  /** The session whose repairs are set up in the sandbox; it grades them and puts back what was not repaired. */
  session?: FixItSession;
  /** Open the sandbox screen (to look around while repairing). */
  openSandbox?(): void;
}

/** The screen's state beside the exam's: the answer being put together, the widgets, the countdown. */
interface ExamScreen {
  context: AppContext;
  options: ExamOptions;
  view?: View;
  state: ExamState;
  result?: ExamResult;
  draft: AnswerDraft;
  heading?: Widgets.TextElement;
  text?: ScrollText;
  review?: SelectList;
  parent?: Widgets.BoxElement;
  timer?: NodeJS.Timeout;
  grading: boolean;
  /** One grading however the end comes (submit, time-up, quit); quitting waits for the one under way. */
  finishing?: Promise<void>;
}

function clock(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
}

export function examView(context: AppContext, options: ExamOptions): View {
  const screen: ExamScreen = { context, options, state: options.state, draft: emptyFor(options.state), grading: false };
  const { shell } = context;
  const view: View = {
    title: () => shell.t('examTitle'),
    bindings: () => (screen.result ? reviewBindings(screen) : screen.grading ? [] : taskBindings(screen)),
    mount(body) {
      screen.parent = body;
      screen.heading = blessed.text({ parent: body, top: 0, left: 1, width: '100%-2', height: 1, tags: true, content: '' });
      if (screen.result) mountReview(screen, body, screen.result);
      else mountTask(screen, body);
      draw(screen);
    },
    unmount() {
      screen.heading?.destroy();
      screen.text?.element.destroy();
      screen.review?.element.destroy();
      screen.parent = undefined;
      screen.heading = undefined;
      screen.text = undefined;
      screen.review = undefined;
    },
    quitQuestion: () => (screen.result ? undefined : shell.t('quitConfirm')),
    beforeQuit() {
      if (screen.result) return;
      screen.state = options.engine.examReducer(screen.state, { type: 'submit' }, Date.now());
      finishNow(screen);
    },
    async settleBeforeQuit() {
      if (screen.result) return;
      screen.state = options.engine.examReducer(screen.state, { type: 'submit' }, Date.now());
      await finish(screen);
    },
  };
  screen.view = view;
  return view;
}

const language = (screen: ExamScreen): Language => screen.context.shell.preferences().language;

function emptyFor(current: ExamState): AnswerDraft {
  const task = current.tasks[current.current];
  return task ? draftFromResponse(task.presented, current.responses[current.current]) : { cursor: 0, picked: [], text: '' };
}

function dispatch(screen: ExamScreen, action: ExamAction): void {
  const before = screen.state.status;
  screen.state = screen.options.engine.examReducer(screen.state, action, Date.now());
  if (action.type === 'goto' || action.type === 'next' || action.type === 'previous') screen.draft = emptyFor(screen.state);
  if (before === 'running' && screen.state.status === 'submitted') void finish(screen);
  else draw(screen);
}

// ---- the end -----------------------------------------------------------------------------------

function stopClock(screen: ExamScreen): void {
  if (screen.timer) clearInterval(screen.timer);
  screen.timer = undefined;
}

function finish(screen: ExamScreen): Promise<void> {
  return (screen.finishing ??= gradeAndRecord(screen));
}

/** Graded once the exam ends, in the session's order: every repair on the sandbox as it is now, the exam saved, what was not repaired put back. */
async function gradeAndRecord(screen: ExamScreen): Promise<void> {
  if (screen.result) return;
  stopClock(screen);
  const { shell } = screen.context;
  const { session } = screen.options;
  if (session) {
    screen.grading = true;
    draw(screen);
    shell.notify(shell.t('examGrading'));
  }
  const { endExam } = await import('../../quiz/fixit-session.js');
  // the app may have quit while the sandbox was graded; that saved the exam already
  const { putBack } = await endExam(session, screen.state, (graded) => {
    if (!screen.result) record(screen, graded);
  });
  sayPutBack(screen, putBack);
}

/** The next exam or practice needs a working sandbox: the learner is told what was put back, and what could not be. */
function sayPutBack(screen: ExamScreen, putBack: readonly PutBack[]): void {
  const { shell } = screen.context;
  const numbers = (list: readonly PutBack[]) => list.map((task) => `#${(task.index ?? 0) + 1}`).join(', ');
  const done = putBack.filter((task) => task.ok);
  if (done.length > 0) shell.notify(shell.t('examPutBack', { tasks: numbers(done) }), 'bad');
  for (const task of putBack) if (!task.ok) shell.notify(translate(language(screen), 'quiz.exam.not-put-back', { n: (task.index ?? 0) + 1, reason: task.reason, dir: screen.options.session?.dir ?? '' }), 'bad');
}

/** When a signal ends the app there is no time to grade the sandbox: repairs count as they were when marked done. */
function finishNow(screen: ExamScreen): void {
  if (screen.result) return;
  stopClock(screen);
  record(screen, screen.options.engine.gradeExam(screen.state));
}

function record(screen: ExamScreen, graded: ExamResult): void {
  screen.result = graded;
  screen.grading = false;
  screen.options.finished(screen.state, graded);
  if (screen.state.endedBy === 'time-up') screen.context.shell.notify(screen.context.shell.t('examTimeUp'), 'bad');
  rebuild(screen);
}

/** Only while on screen: a view opened on top (the sandbox) keeps it until the learner comes back. */
function rebuild(screen: ExamScreen): void {
  if (!screen.parent || !screen.view) return;
  const body = screen.parent;
  screen.view.unmount();
  screen.view.mount(body);
}

// ---- drawing -----------------------------------------------------------------------------------

function mountTask(screen: ExamScreen, body: Widgets.BoxElement): void {
  const { engine } = screen.options;
  screen.text = scrollText(body, screen.context.shell.theme(), { top: 2, left: 1, width: '100%-2', height: '100%-2', content: '', wrap: true });
  // the countdown: only its cells change each second, which is all a slow link carries
  screen.timer ??= setInterval(() => {
    if (screen.state.status === 'running' && engine.remainingMs(screen.state, Date.now()) <= 0) dispatch(screen, { type: 'tick' });
    else draw(screen);
  }, 1000);
  screen.timer.unref();
}

function mountReview(screen: ExamScreen, body: Widgets.BoxElement, result: ExamResult): void {
  const { shell } = screen.context;
  const theme = shell.theme();
  screen.review = selectList(body, theme, {
    top: 2,
    left: 0,
    width: '100%',
    height: '100%-3',
    border: true,
    label: shell.t('examReviewHint'),
    items: result.tasks.map((task, index) => ({ label: reviewRow(screen, task, index, (body.width as number) - 2), markup: true })),
  });
}

/** A task's mark, number and question on one row; a question too long for it ends in … at a word (Enter shows it whole). */
function reviewRow(screen: ExamScreen, task: TaskResult, index: number, width: number): string {
  const { shell } = screen.context;
  const theme = shell.theme();
  const mark = task.correct ? paint(theme, 'ok', shell.unicode ? '✓' : '+') : paint(theme, 'bad', shell.unicode ? '✗' : 'x');
  const number = `${String(index + 1).padStart(2)}. `;
  const question = localize(task.task.presented.question.prompt, language(screen)).replace(/\s+/gu, ' ').trim();
  return `${mark} ${number}${escapeTags(truncateAtWord(question, width - 2 - columns(number), shell.unicode))}`;
}

function headingText(screen: ExamScreen): string {
  const { shell } = screen.context;
  const theme = shell.theme();
  const { result, state } = screen;
  if (result) {
    const line = shell.t(result.passed ? 'examPassed' : 'examFailed', { percent: result.percent, pass: result.passMark });
    return `{bold}${paint(theme, result.passed ? 'ok' : 'bad', line)}{/bold}  ${escapeTags(`${result.earned}/${result.possible}`)}`;
  }
  if (screen.grading) return `{bold}${escapeTags(shell.t('examGrading'))}{/bold}`;
  const task = state.tasks[state.current]!;
  const kind = isFixItQuestion(task.presented.question) ? `${shell.t('fixItLabel')} · ` : '';
  const flag = state.flagged[state.current] ? `  ${paint(theme, 'warn', `${shell.unicode ? '⚑' : '!'} ${shell.t('flagged')}`)}` : '';
  const left = screen.options.engine.remainingMs(state, Date.now());
  const time = paint(theme, left < 60_000 ? 'bad' : 'accent', shell.t('timeLeft', { time: clock(left) }));
  const about = `${kind}${topicLabel(task.presented.question.topic, language(screen))} · ${points(language(screen), task.weight)}`;
  return `{bold}${escapeTags(shell.t('taskOf', { n: state.current + 1, total: state.tasks.length }))}{/bold}  ${paint(theme, 'muted', escapeTags(about))}${flag}{|}${time}`;
}

function draw(screen: ExamScreen): void {
  if (!screen.heading) return;
  const { shell } = screen.context;
  screen.heading.setContent(headingText(screen));
  if (!screen.result && screen.text) {
    const task = screen.state.tasks[screen.state.current]!;
    const question = task.presented.question;
    if (isFixItQuestion(question)) screen.text.element.setContent(repairText(screen, question, screen.state.responses[screen.state.current] !== undefined));
    else screen.text.element.setContent(renderQuestion(task.presented, screen.draft, { theme: shell.theme(), unicode: shell.unicode, lang: language(screen), hint: answerHint(question.type, shell.t) }));
  }
  shell.render();
}

/** A repair on screen: the symptom, where the sandbox is, how it is graded; no hint, as in the exam. */
function repairText(screen: ExamScreen, question: FixItQuestion, done: boolean): string {
  const { shell } = screen.context;
  const theme = shell.theme();
  const lines = [`{bold}${escapeTags(localize(question.prompt, language(screen)))}{/bold}`, '', paint(theme, 'muted', escapeTags(shell.t('examFixItHow', { dir: screen.options.session?.dir ?? '' })))];
  if (done) lines.push('', paint(theme, 'ok', shell.t('examMarkedDone')));
  return lines.join('\n');
}

// ---- keys --------------------------------------------------------------------------------------

/** Marked done for the record (graded now); the grade that counts is taken when the exam ends. */
async function markDone(screen: ExamScreen, question: FixItQuestion): Promise<void> {
  const { session, engine } = screen.options;
  if (!session) return;
  const index = screen.state.current;
  const grade = await session.grade(question);
  if (screen.state.status !== 'running' || screen.state.current !== index) return;
  screen.state = engine.examReducer(screen.state, { type: 'answer', response: { kind: 'text', value: 'done', grade } }, Date.now());
  if (screen.state.status === 'submitted') void finish(screen);
  else dispatch(screen, { type: 'next' });
}

/** Answers count as soon as they are complete; taking a choice back clears the task again. */
function changeDraft(screen: ExamScreen, next: AnswerDraft): void {
  screen.draft = next;
  const task = screen.state.tasks[screen.state.current]!;
  const response = responseOf(task.presented, next);
  screen.state = screen.options.engine.examReducer(screen.state, response ? { type: 'answer', response } : { type: 'clear' }, Date.now());
  if (screen.state.status === 'submitted' && !screen.result) void finish(screen);
  else draw(screen);
}

async function overview(screen: ExamScreen): Promise<void> {
  const { shell } = screen.context;
  const { choose } = await import('../dialogs.js');
  const { state } = screen;
  const rows = state.tasks.map((task, index) => {
    const status = state.responses[index] ? shell.t('answered') : shell.t('unanswered');
    const flag = state.flagged[index] ? ` ${shell.unicode ? '⚑' : '!'}` : '';
    const kind = isFixItQuestion(task.presented.question) ? `${shell.t('fixItLabel')}: ` : '';
    return `${String(index + 1).padStart(2)}. [${status}]${flag} ${kind}${localize(task.presented.question.prompt, language(screen))}`;
  });
  const picked = await choose(shell.dialogs, shell.t('keyOverview'), rows, state.current);
  if (picked !== undefined) dispatch(screen, { type: 'goto', index: picked });
}

/** S submits; Esc, which means back everywhere else, says that leaving here submits. Both ask first. */
async function submit(screen: ExamScreen, leaving = false): Promise<void> {
  const { shell } = screen.context;
  const { confirm } = await import('../dialogs.js');
  const counts = screen.options.engine.examOverview(screen.state);
  const values = { answered: counts.answered.length, unanswered: counts.unanswered.length, flagged: counts.flagged.length };
  if (await confirm(shell.dialogs, shell.t(leaving ? 'examLeaveConfirm' : 'submitConfirm', values))) dispatch(screen, { type: 'submit' });
}

async function explain(screen: ExamScreen): Promise<void> {
  const { result, review } = screen;
  const task = result && review ? result.tasks[review.selected()] : undefined;
  if (!result || !review || !task) return;
  const { shell } = screen.context;
  const { showText } = await import('../dialogs.js');
  const presented = task.task.presented;
  const theme = shell.theme();
  const lang = language(screen);
  const lines = task.grade
    ? [`{bold}${escapeTags(localize(presented.question.prompt, lang))}{/bold}`, '', paint(theme, task.correct ? 'ok' : 'bad', shell.t('examChecks')), ...checkLines(task.grade, theme, shell.unicode)]
    : [
        renderQuestion(presented, draftFromResponse(presented, task.response), { theme, unicode: shell.unicode, lang, reveal: { correctPositions: correctPositions(presented) }, hint: '' }),
        task.correct ? paint(theme, 'ok', shell.t('right')) : paint(theme, 'bad', shell.t(task.response ? 'wrong' : 'skipped', { answer: screen.options.engine.correctAnswerText(presented, lang) })),
      ];
  lines.push('', escapeTags(localize(presented.question.explanation, lang)));
  await showText(shell.dialogs, shell.t('taskOf', { n: review.selected() + 1, total: result.tasks.length }), lines.join('\n'));
}

function reviewBindings(screen: ExamScreen): Binding[] {
  return [
    { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', status: true, run: () => screen.review?.move(-1) },
    { keys: ['down', 'j'], display: '↓', label: 'keyMove', run: () => screen.review?.move(1) },
    { keys: ['enter'], display: '⏎', ascii: 'Enter', label: 'keyOpen', status: true, run: () => explain(screen) },
  ];
}

function taskBindings(screen: ExamScreen): Binding[] {
  const { options } = screen;
  const task = screen.state.tasks[screen.state.current]!;
  const question = task.presented.question;
  const answering: Binding[] = isFixItQuestion(question)
    ? [
        { keys: ['enter'], display: '⏎', ascii: 'Enter', label: 'keyMarkDone', status: true, run: () => markDone(screen, question) },
        ...(options.openSandbox ? [{ keys: ['x'], display: 'x', label: 'keyOpenSandbox', status: true, run: () => options.openSandbox!() } satisfies Binding] : []),
      ]
    : [
        ...answerBindings(task.presented, { draft: () => screen.draft, change: (next) => changeDraft(screen, next) }),
        { keys: ['enter'], display: '⏎/→', ascii: 'Enter', label: 'keyNextTask', status: true, run: () => dispatch(screen, { type: 'next' }) },
      ];
  return [
    ...answering,
    { keys: ['right', ']'], display: '→', ascii: 'Right', label: 'keyNextTask', run: () => dispatch(screen, { type: 'next' }) },
    { keys: ['left', '['], display: '←', ascii: 'Left', label: 'keyPreviousTask', run: () => dispatch(screen, { type: 'previous' }) },
    { keys: ['m'], display: 'm', label: 'keyFlag', status: true, run: () => dispatch(screen, { type: 'flag' }) },
    { keys: ['o'], display: 'o', label: 'keyOverview', status: true, run: () => overview(screen) },
    { keys: ['S-s'], display: 'S', label: 'keySubmitExam', status: true, run: () => submit(screen) },
    // Esc or Backspace would otherwise leave the screen with the clock running: here they offer to submit
    { keys: ['escape', 'backspace'], display: 'Esc', label: 'keyLeaveExam', run: () => submit(screen, true) },
  ];
}
