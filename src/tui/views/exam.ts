import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import type { ExamResult, ExamState } from '../../quiz/exam.js';
import type { Language } from '../../quiz/types.js';
import { escapeTags, paint } from '../theme.js';
import { scrollText, selectList, type ScrollText, type SelectList } from '../widgets.js';
import { answerBindings, answerHint, draftFromResponse, renderQuestion, responseOf, type AnswerDraft } from './question.js';

/**
 * The exam: weighted tasks, a visible countdown, flags, free movement between tasks, submit early
 * or at time-out, a score against the pass mark, then a review of every task with its explanation.
 */

type Engine = typeof import('../../quiz/index.js');

export interface ExamOptions {
  engine: Engine;
  state: ExamState;
  /** Called once with the graded exam (saves the attempt). */
  finished(state: ExamState, result: ExamResult): void;
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
  const lang = (): Language => shell.preferences().language;

  function emptyFor(current: ExamState): AnswerDraft {
    const task = current.tasks[current.current];
    return task ? draftFromResponse(task.presented, current.responses[current.current]) : { cursor: 0, picked: [], text: '' };
  }

  const dispatch = (action: Parameters<Engine['examReducer']>[1]) => {
    const before = state.status;
    state = engine.examReducer(state, action, Date.now());
    if (action.type === 'goto' || action.type === 'next' || action.type === 'previous') draft = emptyFor(state);
    if (before === 'running' && state.status === 'submitted') finish();
    else draw();
  };

  const finish = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    result = engine.gradeExam(state);
    options.finished(state, result);
    if (state.endedBy === 'time-up') shell.notify(shell.t('examTimeUp'), 'bad');
    rebuild();
  };

  const headingText = () => {
    const theme = shell.theme();
    if (result) {
      const line = shell.t(result.passed ? 'examPassed' : 'examFailed', { percent: result.percent, pass: result.passMark });
      return `{bold}${paint(theme, result.passed ? 'ok' : 'bad', line)}{/bold}  ${escapeTags(`${result.earned}/${result.possible}`)}`;
    }
    const task = state.tasks[state.current]!;
    const flag = state.flagged[state.current] ? `  ${paint(theme, 'warn', `${shell.unicode ? '⚑' : '!'} ${shell.t('flagged')}`)}` : '';
    const left = engine.remainingMs(state, Date.now());
    const time = paint(theme, left < 60_000 ? 'bad' : 'accent', shell.t('timeLeft', { time: clock(left) }));
    return `{bold}${escapeTags(shell.t('taskOf', { n: state.current + 1, total: state.tasks.length }))}{/bold}  ${paint(theme, 'muted', `${task.presented.question.topic} · ${task.weight} pt`)}${flag}{|}${time}`;
  };

  const draw = () => {
    if (!heading) return;
    heading.setContent(headingText());
    if (!result && text) {
      const task = state.tasks[state.current]!;
      text.element.setContent(renderQuestion(task.presented, draft, { theme: shell.theme(), unicode: shell.unicode, lang: lang(), hint: answerHint(task.presented.question.type, shell.t) }));
    }
    shell.render();
  };

  /** Answers count as soon as they are complete; taking a choice back clears the task again. */
  const changeDraft = (next: AnswerDraft) => {
    draft = next;
    const task = state.tasks[state.current]!;
    const response = responseOf(task.presented, draft);
    state = engine.examReducer(state, response ? { type: 'answer', response } : { type: 'clear' }, Date.now());
    if (state.status === 'submitted' && !result) finish();
    else draw();
  };

  const typeText = async () => {
    const { input } = await import('../dialogs.js');
    const value = await input(shell.dialogs, shell.t('answerPrompt'), draft.text);
    if (value !== undefined) changeDraft({ ...draft, text: value });
  };

  const overview = async () => {
    const { choose } = await import('../dialogs.js');
    const rows = state.tasks.map((task, index) => {
      const status = state.responses[index] ? shell.t('answered') : shell.t('unanswered');
      const flag = state.flagged[index] ? ` ${shell.unicode ? '⚑' : '!'}` : '';
      return `${String(index + 1).padStart(2)}. [${status}]${flag} ${task.presented.question.prompt[lang()]}`;
    });
    const picked = await choose(shell.dialogs, shell.t('keyOverview'), rows, state.current);
    if (picked !== undefined) dispatch({ type: 'goto', index: picked });
  };

  const submit = async () => {
    const { confirm } = await import('../dialogs.js');
    const counts = engine.examOverview(state);
    const question = shell.t('submitConfirm', { answered: counts.answered.length, unanswered: counts.unanswered.length, flagged: counts.flagged.length });
    if (await confirm(shell.dialogs, question)) dispatch({ type: 'submit' });
  };

  const explain = async () => {
    if (!result || !review) return;
    const task = result.tasks[review.selected()];
    if (!task) return;
    const { showText } = await import('../dialogs.js');
    const presented = task.task.presented;
    const theme = shell.theme();
    const lines = [
      renderQuestion(presented, draftFromResponse(presented, task.response), { theme, unicode: shell.unicode, lang: lang(), reveal: { correctPositions: presented.question.type === 'text' ? [] : (presented.question.type === 'single' ? [presented.question.answer] : presented.question.answer).map((i) => presented.choiceOrder.indexOf(i)) }, hint: '' }),
      task.correct ? paint(theme, 'ok', shell.t('right')) : paint(theme, 'bad', shell.t(task.response ? 'wrong' : 'skipped', { answer: engine.correctAnswerText(presented, lang()) })),
      '',
      escapeTags(presented.question.explanation[lang()]),
    ];
    await showText(shell.dialogs, shell.t('taskOf', { n: review.selected() + 1, total: result.tasks.length }), lines.join('\n'));
  };

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
      const task = state.tasks[state.current]!;
      return [
        ...answerBindings(task.presented, { draft: () => draft, change: changeDraft, typeText }),
        { keys: ['enter', 'right', ']'], display: '⏎/→', ascii: 'Enter', label: 'keyNextTask', status: true, run: () => (task.presented.question.type === 'text' && !draft.text ? typeText() : dispatch({ type: 'next' })) },
        { keys: ['left', '['], display: '←', ascii: 'Left', label: 'keyPreviousTask', run: () => dispatch({ type: 'previous' }) },
        { keys: ['m'], display: 'm', label: 'keyFlag', status: true, run: () => dispatch({ type: 'flag' }) },
        { keys: ['o'], display: 'o', label: 'keyOverview', status: true, run: overview },
        { keys: ['S-s'], display: 'S', label: 'keySubmitExam', status: true, run: submit },
        { keys: ['escape'], display: 'Esc', label: 'keySubmitExam', run: submit },
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
            label: `${task.correct ? paint(theme, 'ok', shell.unicode ? '✓' : '+') : paint(theme, 'bad', shell.unicode ? '✗' : 'x')} ${String(index + 1).padStart(2)}. ${escapeTags(task.task.presented.question.prompt[lang()])}`,
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
      heading = undefined;
      text = undefined;
      review = undefined;
    },
    quitQuestion: () => (result ? undefined : shell.t('quitConfirm')),
    beforeQuit() {
      if (!result) dispatch({ type: 'submit' });
    },
  };
  return view;
}
