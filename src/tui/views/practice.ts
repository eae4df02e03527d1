import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import { translate } from '../../locale/catalogue.js';
import type { FixItSession, PutBack } from '../../quiz/fixit-session.js';
import type { PracticeAction, PracticeState } from '../../quiz/practice.js';
import { isFixItQuestion, localize, type FixItQuestion, type Language, type TaskGrade } from '../../quiz/types.js';
import { topicLabel } from '../../quiz/words.js';
import { escapeTags, paint } from '../theme.js';
import { scrollText, type ScrollText } from '../widgets.js';
import { answerBindings, answerHint, checkLines, correctPositions, draftFromResponse, emptyDraft, renderQuestion, responseOf, type AnswerDraft } from './question.js';

/**
 * Practice and review: one question at a time, immediate feedback with the explanation and the
 * lesson that teaches it, a score at the end that is saved to the learner's progress. Fix-it tasks go
 * through the fix-it session (src/quiz/fixit-session.ts): set up when reached, graded on Enter, put back
 * when given up or left.
 */

type Engine = typeof import('../../quiz/index.js');

export interface PracticeOptions {
  engine: Engine;
  state: PracticeState;
  lessonTitle(id: string): string | undefined;
  openLesson(id: string): void;
  /** Called once, when the run is finished (saves the attempt). */
  finished(state: PracticeState): void;
  /** For fix-it tasks: the session that sets them up in the sandbox, grades and puts back. */
  session?: FixItSession;
  /** Open the sandbox screen (to look around while fixing). */
  openSandbox?(): void;
}

/** The screen's state beside the run's: the answer being put together, and the fix-it task under way. */
interface PracticeScreen {
  context: AppContext;
  options: PracticeOptions;
  state: PracticeState;
  draft: AnswerDraft;
  text?: ScrollText;
  heading?: Widgets.TextElement;
  reported: boolean;
  /** The task set up for the question at `index`, with what failed right after the break. */
  task?: { index: number; failing: TaskGrade };
  settingUp?: number;
  lastGrade?: TaskGrade;
  showHint: boolean;
}

export function practiceView(context: AppContext, options: PracticeOptions): View {
  const screen: PracticeScreen = { context, options, state: options.state, draft: emptyDraft(), reported: false, showHint: false };
  const { shell } = context;
  const view: View = {
    title: () => shell.t(screen.state.mode === 'review' ? 'reviewTitle' : 'quizTitle'),
    bindings(): Binding[] {
      const scrolling: Binding[] = [
        { keys: ['pageup'], display: 'PgUp', label: 'keyPage', run: () => screen.text?.page(-1) },
        { keys: ['pagedown'], display: 'PgDn', label: 'keyPage', run: () => screen.text?.page(1) },
      ];
      return [...phaseBindings(screen), ...scrolling];
    },
    mount(body) {
      screen.heading = blessed.text({ parent: body, top: 0, left: 1, width: '100%-2', height: 1, tags: true, content: '' });
      screen.text = scrollText(body, shell.theme(), { top: 2, left: 1, width: '100%-2', height: '100%-2', content: '', wrap: true });
      draw(screen);
    },
    unmount() {
      screen.heading?.destroy();
      screen.text?.element.destroy();
      screen.heading = undefined;
      screen.text = undefined;
    },
    beforeQuit: () => finishEarly(screen),
    settleBeforeQuit: () => leaveOpenTask(screen),
  };
  return view;
}

const language = (screen: PracticeScreen): Language => screen.context.shell.preferences().language;

function dispatch(screen: PracticeScreen, action: PracticeAction): void {
  screen.state = screen.options.engine.practiceReducer(screen.state, action, Date.now());
  screen.draft = emptyDraft();
  if (screen.state.phase === 'finished' && !screen.reported) {
    screen.reported = true;
    screen.options.finished(screen.state);
  }
  draw(screen);
}

/** The current question when it is a fix-it task with a session to run it. */
function currentTask(screen: PracticeScreen): { question: FixItQuestion; session: FixItSession } | undefined {
  const item = screen.options.engine.currentItem(screen.state);
  const question = item?.presented.question;
  return question && isFixItQuestion(question) && screen.options.session ? { question, session: screen.options.session } : undefined;
}

// ---- fix-it tasks ------------------------------------------------------------------------------

/** Break the sandbox for the current task, once; the learner then repairs it with the real tools. One that cannot be set up is left out. */
function ensureSetUp(screen: PracticeScreen): void {
  const current = currentTask(screen);
  const index = screen.state.index;
  if (!current || screen.state.phase !== 'question' || screen.task?.index === index || screen.settingUp === index) return;
  screen.settingUp = index;
  screen.lastGrade = undefined;
  screen.showHint = false;
  void current.session.setUp(current.question).then((outcome) => {
    screen.settingUp = undefined;
    if (outcome.ok) {
      screen.task = { index, failing: outcome.failing };
      draw(screen);
      return;
    }
    screen.context.shell.notify(translate(language(screen), 'quiz.fixit.cannot-set-up', { reason: outcome.reason }), 'bad');
    dispatch(screen, { type: 'leave-out' });
  });
}

async function gradeRepair(screen: PracticeScreen): Promise<void> {
  const current = currentTask(screen);
  if (!current || screen.task?.index !== screen.state.index) return;
  const { shell } = screen.context;
  shell.notify(shell.t('fixItGrading'));
  const grade = await current.session.grade(current.question);
  screen.lastGrade = grade;
  if (grade.passed) return dispatch(screen, { type: 'answer', response: { kind: 'text', value: 'done', grade } });
  shell.notify(shell.t('fixItNotYet'), 'bad');
  draw(screen);
}

/** What could not be put back is said, with what to do; the rest is said by the screen's own words. */
function sayIfNotPutBack(screen: PracticeScreen, putBack: PutBack | undefined): void {
  if (putBack && !putBack.ok) screen.context.shell.notify(translate(language(screen), 'quiz.fixit.not-restored', { reason: putBack.reason, dir: screen.options.session?.dir ?? '' }), 'bad');
}

/** Give up: kubetls repairs that part, so the next task starts from a working sandbox. */
async function giveUp(screen: PracticeScreen): Promise<void> {
  const current = currentTask(screen);
  if (current && screen.task?.index === screen.state.index) sayIfNotPutBack(screen, await current.session.putBack(current.question));
  dispatch(screen, { type: 'skip' });
}

/** A task set up and not repaired is put back when the learner leaves: the sandbox is theirs to use again. */
async function leaveOpenTask(screen: PracticeScreen): Promise<void> {
  const current = currentTask(screen);
  const item = screen.options.engine.currentItem(screen.state);
  if (!current || item?.outcome || screen.task?.index !== screen.state.index) return;
  screen.task = undefined;
  const putBack = await current.session.leave(current.question);
  if (putBack?.ok) screen.context.shell.notify(screen.context.shell.t('fixItPutBack'));
  sayIfNotPutBack(screen, putBack);
}

/** Leaving part-way keeps what was answered: the run ends here and is saved. */
function finishEarly(screen: PracticeScreen): void {
  if (screen.state.phase !== 'finished' && screen.state.items.some((item) => item.outcome)) dispatch(screen, { type: 'finish' });
}

async function leave(screen: PracticeScreen): Promise<void> {
  await leaveOpenTask(screen);
  finishEarly(screen);
  screen.context.shell.back();
}

// ---- drawing -----------------------------------------------------------------------------------

function draw(screen: PracticeScreen): void {
  const { text, heading } = screen;
  if (!text || !heading) return;
  const { shell } = screen.context;
  if (screen.state.phase === 'finished') drawFinished(screen, text, heading);
  else {
    const item = screen.options.engine.currentItem(screen.state)!;
    const question = item.presented.question;
    ensureSetUp(screen);
    // without Unicode the screen's stand-ins draw these as - and * (src/terminal/ascii.ts)
    const about = `${topicLabel(question.topic, language(screen))} · ${'★'.repeat(question.difficulty)}`;
    heading.setContent(`{bold}${escapeTags(shell.t('questionOf', { n: screen.state.index + 1, total: screen.state.items.length }))}{/bold}  ${paint(shell.theme(), 'muted', escapeTags(about))}`);
    text.element.setContent(isFixItQuestion(question) ? taskText(screen, question) : questionText(screen));
  }
  shell.render();
}

function drawFinished(screen: PracticeScreen, text: ScrollText, heading: Widgets.TextElement): void {
  const { shell } = screen.context;
  const theme = shell.theme();
  const score = screen.options.engine.practiceScore(screen.state);
  heading.setContent(`{bold}${escapeTags(shell.t('quizDone', { score: score.correct, max: score.total, percent: score.percent }))}{/bold}  ${paint(theme, 'muted', shell.t('quizSaved'))}`);
  const rows = screen.state.items.map((item, index) => {
    const mark = item.outcome?.correct ? paint(theme, 'ok', shell.unicode ? '✓' : '+') : paint(theme, 'bad', shell.unicode ? '✗' : 'x');
    return `${mark} ${String(index + 1).padStart(2)}. ${escapeTags(localize(item.presented.question.prompt, language(screen)))}`;
  });
  text.element.setContent(rows.join('\n'));
}

/** A fix-it task on screen: the symptom, what fails now, then the grade of each try; after it, the verdict and the explanation. */
function taskText(screen: PracticeScreen, task: FixItQuestion): string {
  const { shell } = screen.context;
  const theme = shell.theme();
  const lang = language(screen);
  const lines = [`{bold}${escapeTags(localize(task.prompt, lang))}{/bold}`, ''];
  const outcome = screen.state.phase === 'feedback' ? screen.state.items[screen.state.index]?.outcome : undefined;
  if (outcome) {
    const grade = outcome.response?.kind === 'text' ? outcome.response.grade : undefined;
    lines.push(outcome.correct ? paint(theme, 'ok', shell.t('fixItFixed')) : paint(theme, 'bad', shell.t('fixItGaveUp')), ...checkLines(grade, theme, shell.unicode), '', escapeTags(localize(task.explanation, lang)));
    return lines.join('\n');
  }
  const here = screen.task?.index === screen.state.index ? screen.task : undefined;
  if (!here) return [...lines, paint(theme, 'muted', shell.t('fixItPreparing'))].join('\n');
  // the hint right under the task, where h shows it in view; the long check list below it scrolls
  if (screen.showHint) lines.push(paint(theme, 'accent', shell.t('fixItHint')), escapeTags(localize(task.hint, lang)), '');
  lines.push(paint(theme, 'accent', shell.t(screen.lastGrade ? 'fixItStillFails' : 'fixItFailsNow')), ...checkLines(screen.lastGrade ?? here.failing, theme, shell.unicode));
  lines.push('', paint(theme, 'muted', shell.t('fixItHow', { dir: screen.options.session?.dir ?? '' })));
  return lines.join('\n');
}

/** A question, and after answering the answer as given (the letters picked, or the text typed) with the verdict. */
function questionText(screen: PracticeScreen): string {
  const { shell } = screen.context;
  const theme = shell.theme();
  const lang = language(screen);
  const item = screen.options.engine.currentItem(screen.state)!;
  const question = item.presented.question;
  const feedback = screen.state.phase === 'feedback' ? item.outcome : undefined;
  const body = renderQuestion(item.presented, feedback ? draftFromResponse(item.presented, feedback.response) : screen.draft, {
    theme,
    unicode: shell.unicode,
    lang,
    reveal: feedback ? { correctPositions: correctPositions(item.presented) } : undefined,
    hint: feedback ? '' : shell.t('hintAnswer', { how: answerHint(question.type, shell.t) }),
  });
  if (!feedback) return body;
  const answer = screen.options.engine.correctAnswerText(item.presented, lang);
  const verdict = feedback.correct ? paint(theme, 'ok', shell.t('right')) : paint(theme, 'bad', shell.t(feedback.response ? 'wrong' : 'skipped', { answer }));
  const title = screen.options.lessonTitle(question.lesson);
  // the verdict and where to read up stay in view; a long explanation scrolls below them
  return [body, verdict, ...(title ? [paint(theme, 'accent', shell.t('readLesson', { title }))] : []), '', escapeTags(localize(question.explanation, lang))].join('\n');
}

// ---- keys --------------------------------------------------------------------------------------

function submit(screen: PracticeScreen): void {
  const item = screen.options.engine.currentItem(screen.state);
  if (!item) return;
  const response = responseOf(item.presented, screen.draft);
  if (!response) return screen.context.shell.notify(screen.context.shell.t('incomplete'));
  dispatch(screen, { type: 'answer', response });
}

function phaseBindings(screen: PracticeScreen): Binding[] {
  const { shell } = screen.context;
  const { options } = screen;
  if (screen.state.phase === 'finished') return [{ keys: ['enter'], display: '⏎', ascii: 'Enter', label: 'keyBack', status: true, run: () => shell.back() }];
  const item = options.engine.currentItem(screen.state)!;
  const back: Binding = { keys: ['escape'], display: 'Esc', label: 'keyBack', status: true, run: () => leave(screen) };
  if (screen.state.phase === 'feedback') {
    return [
      back,
      { keys: ['enter', 'n', 'right'], display: '⏎', ascii: 'Enter', label: 'keyNextQuestion', status: true, run: () => dispatch(screen, { type: 'next' }) },
      { keys: ['l'], display: 'l', label: 'keyReadLesson', status: true, run: () => options.openLesson(item.presented.question.lesson) },
    ];
  }
  if (isFixItQuestion(item.presented.question)) {
    return [
      back,
      { keys: ['enter'], display: '⏎', ascii: 'Enter', label: 'keyCheckRepair', status: true, run: () => gradeRepair(screen) },
      { keys: ['h'], display: 'h', label: 'keyHint', status: true, run: () => ((screen.showHint = true), draw(screen)) },
      ...(options.openSandbox ? [{ keys: ['x'], display: 'x', label: 'keyOpenSandbox', status: true, run: () => options.openSandbox!() } satisfies Binding] : []),
      { keys: ['s'], display: 's', label: 'keySkip', status: true, run: () => giveUp(screen) },
    ];
  }
  return [
    // first: a typed answer takes the keys it types with, Esc included
    ...answerBindings(item.presented, { draft: () => screen.draft, change: (next) => ((screen.draft = next), draw(screen)) }),
    back,
    { keys: ['enter'], display: '⏎', ascii: 'Enter', label: 'keySubmit', status: true, run: () => submit(screen) },
    { keys: ['s'], display: 's', label: 'keySkip', status: true, run: () => dispatch(screen, { type: 'skip' }) },
  ];
}
