import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import type { PracticeState } from '../../quiz/practice.js';
import { isFixItQuestion, localize, type FixItQuestion, type Language, type TaskGrade } from '../../quiz/types.js';
import type { PreparedTask, TaskSandbox } from '../../quiz/fixit-sandbox.js';
import { escapeTags, paint } from '../theme.js';
import { scrollText, type ScrollText } from '../widgets.js';
import { answerBindings, answerHint, checkLines, correctPositions, draftFromResponse, emptyDraft, renderQuestion, responseOf, type AnswerDraft } from './question.js';

/**
 * Practice and review: one question at a time, immediate feedback with the explanation and the
 * lesson that teaches it, a score at the end that is saved to the learner's progress.
 */

type Engine = typeof import('../../quiz/index.js');

export interface PracticeOptions {
  engine: Engine;
  state: PracticeState;
  lessonTitle(id: string): string | undefined;
  openLesson(id: string): void;
  /** Called once, when the run is finished (saves the attempt). */
  finished(state: PracticeState): void;
  /** For fix-it tasks: the sandbox they break and grade. */
  tasks?: TaskSandbox;
  /** Open the sandbox screen (to look around while fixing). */
  openSandbox?(): void;
}

export function practiceView(context: AppContext, options: PracticeOptions): View {
  const { shell } = context;
  const { engine } = options;
  let state = options.state;
  let draft: AnswerDraft = emptyDraft();
  let text: ScrollText | undefined;
  let heading: Widgets.TextElement | undefined;
  let reported = false;
  /** Fix-it: the task set up for the current question, and the latest grade of the learner's repair. */
  let prepared: { index: number; task: PreparedTask } | undefined;
  let preparing: number | undefined;
  let lastGrade: TaskGrade | undefined;
  let showHint = false;
  const lang = (): Language => shell.preferences().language;
  const now = () => Date.now();

  const dispatch = (action: Parameters<Engine['practiceReducer']>[1]) => {
    state = engine.practiceReducer(state, action, now());
    draft = emptyDraft();
    if (state.phase === 'finished' && !reported) {
      reported = true;
      options.finished(state);
    }
    draw();
  };

  const hintFor = (type: string) => shell.t('hintAnswer', { how: answerHint(type, shell.t) });

  /** A fix-it task on screen: the symptom, what fails now, then the grade of each try. */
  const drawTask = (task: FixItQuestion) => {
    const theme = shell.theme();
    const here = prepared?.index === state.index ? prepared.task : undefined;
    const lines = [`{bold}${escapeTags(localize(task.prompt, lang()))}{/bold}`, ''];
    if (!here) lines.push(paint(theme, 'muted', shell.t('fixItPreparing')));
    else {
      // the hint right under the task, where h shows it in view; the long check list below it scrolls
      if (showHint) lines.push(paint(theme, 'accent', shell.t('fixItHint')), escapeTags(localize(task.hint, lang())), '');
      lines.push(paint(theme, 'accent', shell.t(lastGrade ? 'fixItStillFails' : 'fixItFailsNow')), ...checkLines(lastGrade ?? here.grade, theme, shell.unicode));
      lines.push('', paint(theme, 'muted', shell.t('fixItHow', { dir: options.tasks?.dir ?? '' })));
    }
    text!.element.setContent(lines.join('\n'));
  };

  /** Break the sandbox for the current task, once; the learner then repairs it with the real tools. */
  const ensurePrepared = () => {
    const item = engine.currentItem(state);
    if (!item || !isFixItQuestion(item.presented.question) || !options.tasks || state.phase !== 'question') return;
    if (prepared?.index === state.index || preparing === state.index) return;
    preparing = state.index;
    const index = state.index;
    lastGrade = undefined;
    showHint = false;
    void options.tasks
      .prepare(item.presented.question)
      .then((task) => {
        prepared = { index, task };
        draw();
      })
      .catch((error: unknown) => {
        shell.notify(error instanceof Error ? error.message : String(error), 'bad');
        dispatch({ type: 'skip' });
      })
      .finally(() => (preparing = undefined));
  };

  const gradeRepair = async () => {
    const item = engine.currentItem(state);
    if (!item || !isFixItQuestion(item.presented.question) || !options.tasks || prepared?.index !== state.index) return;
    shell.notify(shell.t('fixItGrading'));
    const grade = await options.tasks.grade(item.presented.question);
    if (grade.passed) {
      lastGrade = grade;
      dispatch({ type: 'answer', response: { kind: 'text', value: 'done', grade } });
      return;
    }
    lastGrade = grade;
    shell.notify(shell.t('fixItNotYet'), 'bad');
    draw();
  };

  /** Give up: kubetls repairs that part, so the next task starts from a working sandbox. */
  const giveUp = async () => {
    const item = engine.currentItem(state);
    if (item && isFixItQuestion(item.presented.question) && options.tasks && prepared?.index === state.index) await options.tasks.restore(prepared.task);
    dispatch({ type: 'skip' });
  };

  const draw = () => {
    if (!text || !heading) return;
    const theme = shell.theme();
    if (state.phase === 'finished') {
      const score = engine.practiceScore(state);
      heading.setContent(`{bold}${escapeTags(shell.t('quizDone', { score: score.correct, max: score.total, percent: score.percent }))}{/bold}  ${paint(theme, 'muted', shell.t('quizSaved'))}`);
      const rows = state.items.map((item, index) => {
        const ok = item.outcome?.correct ?? false;
        const mark = ok ? paint(theme, 'ok', shell.unicode ? '✓' : '+') : paint(theme, 'bad', shell.unicode ? '✗' : 'x');
        return `${mark} ${String(index + 1).padStart(2)}. ${escapeTags(localize(item.presented.question.prompt, lang()))}`;
      });
      text.element.setContent(rows.join('\n'));
      shell.render();
      return;
    }
    const item = engine.currentItem(state)!;
    const question = item.presented.question;
    ensurePrepared();
    heading.setContent(`{bold}${escapeTags(shell.t('questionOf', { n: state.index + 1, total: state.items.length }))}{/bold}  ${paint(theme, 'muted', `${question.topic} · ${'★'.repeat(question.difficulty)}`)}`);
    const feedback = state.phase === 'feedback' && item.outcome;
    if (isFixItQuestion(question) && !feedback) {
      drawTask(question);
      shell.render();
      return;
    }
    if (isFixItQuestion(question) && feedback) {
      const grade = item.outcome!.response?.kind === 'text' ? item.outcome!.response.grade : undefined;
      const verdict = item.outcome!.correct ? paint(shell.theme(), 'ok', shell.t('fixItFixed')) : paint(shell.theme(), 'bad', shell.t('fixItGaveUp'));
      text.element.setContent([`{bold}${escapeTags(localize(question.prompt, lang()))}{/bold}`, '', verdict, ...checkLines(grade, shell.theme(), shell.unicode), '', escapeTags(localize(question.explanation, lang()))].join('\n'));
      shell.render();
      return;
    }
    // after answering, the answer as given: the letters picked, or the text typed
    const body = renderQuestion(item.presented, feedback ? draftFromResponse(item.presented, item.outcome!.response) : draft, {
      theme,
      unicode: shell.unicode,
      lang: lang(),
      reveal: feedback ? { correctPositions: correctPositions(item.presented) } : undefined,
      hint: feedback ? '' : hintFor(question.type),
    });
    const lines = [body];
    if (feedback) {
      const answer = engine.correctAnswerText(item.presented, lang());
      const verdict = item.outcome!.correct
        ? paint(theme, 'ok', shell.t('right'))
        : paint(theme, 'bad', item.outcome!.response ? shell.t('wrong', { answer }) : shell.t('skipped', { answer }));
      const title = options.lessonTitle(question.lesson);
      // the verdict and where to read up stay in view; a long explanation scrolls below them
      lines.push(verdict);
      if (title) lines.push(paint(theme, 'accent', shell.t('readLesson', { title })));
      lines.push('', escapeTags(localize(question.explanation, lang())));
    }
    text.element.setContent(lines.join('\n'));
    shell.render();
  };

  const submit = () => {
    const item = engine.currentItem(state);
    if (!item) return;
    const response = responseOf(item.presented, draft);
    if (!response) {
      shell.notify(shell.t('incomplete'));
      return;
    }
    dispatch({ type: 'answer', response });
  };

  /** Leaving part-way keeps what was answered: the run ends here and is saved. */
  const finishEarly = () => {
    if (state.phase !== 'finished' && state.items.some((item) => item.outcome)) dispatch({ type: 'finish' });
  };
  /** A task set up and not repaired is put back when the learner leaves: the sandbox is theirs to use again. */
  const putBackOpenTask = async () => {
    const item = engine.currentItem(state);
    if (!item || item.outcome || !options.tasks || prepared?.index !== state.index) return;
    const task = prepared.task;
    prepared = undefined;
    if ((await options.tasks.grade(task.task)).passed) return;
    await options.tasks.restore(task);
    shell.notify(shell.t('fixItPutBack'));
  };
  const leave = async () => {
    await putBackOpenTask().catch(() => undefined);
    finishEarly();
    shell.back();
  };

  const phaseBindings = (): Binding[] => {
    if (state.phase === 'finished') return [{ keys: ['enter'], display: '⏎', ascii: 'Enter', label: 'keyBack', status: true, run: () => shell.back() }];
    const item = engine.currentItem(state)!;
    if (state.phase === 'feedback') {
      return [
        { keys: ['escape'], display: 'Esc', label: 'keyBack', status: true, run: leave },
        { keys: ['enter', 'n', 'right'], display: '⏎', ascii: 'Enter', label: 'keyNextQuestion', status: true, run: () => dispatch({ type: 'next' }) },
        { keys: ['l'], display: 'l', label: 'keyReadLesson', status: true, run: () => options.openLesson(item.presented.question.lesson) },
      ];
    }
    if (isFixItQuestion(item.presented.question)) {
      return [
        { keys: ['escape'], display: 'Esc', label: 'keyBack', status: true, run: leave },
        { keys: ['enter'], display: '⏎', ascii: 'Enter', label: 'keyCheckRepair', status: true, run: gradeRepair },
        { keys: ['h'], display: 'h', label: 'keyHint', status: true, run: () => { showHint = true; draw(); } },
        ...(options.openSandbox ? [{ keys: ['x'], display: 'x', label: 'keyOpenSandbox', status: true, run: () => options.openSandbox!() } satisfies Binding] : []),
        { keys: ['s'], display: 's', label: 'keySkip', status: true, run: giveUp },
      ];
    }
    return [
      // first: a typed answer takes the keys it types with, Esc included
      ...answerBindings(item.presented, { draft: () => draft, change: (next) => { draft = next; draw(); } }),
      { keys: ['escape'], display: 'Esc', label: 'keyBack', status: true, run: leave },
      { keys: ['enter'], display: '⏎', ascii: 'Enter', label: 'keySubmit', status: true, run: submit },
      { keys: ['s'], display: 's', label: 'keySkip', status: true, run: () => dispatch({ type: 'skip' }) },
    ];
  };

  const view: View = {
    title: () => shell.t(state.mode === 'review' ? 'reviewTitle' : 'quizTitle'),
    bindings(): Binding[] {
      const scrolling: Binding[] = [
        { keys: ['pageup'], display: 'PgUp', label: 'keyPage', run: () => text?.page(-1) },
        { keys: ['pagedown'], display: 'PgDn', label: 'keyPage', run: () => text?.page(1) },
      ];
      return [...phaseBindings(), ...scrolling];
    },
    mount(body) {
      heading = blessed.text({ parent: body, top: 0, left: 1, width: '100%-2', height: 1, tags: true, content: '' });
      text = scrollText(body, shell.theme(), { top: 2, left: 1, width: '100%-2', height: '100%-2', content: '', wrap: true });
      draw();
    },
    unmount() {
      heading?.destroy();
      text?.element.destroy();
      heading = undefined;
      text = undefined;
    },
    beforeQuit: finishEarly,
    settleBeforeQuit: () => putBackOpenTask(),
  };
  return view;
}
