import type { Widgets } from 'blessed';
import blessed from '../blessed.js';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import type { PracticeState } from '../../quiz/practice.js';
import type { Language } from '../../quiz/types.js';
import { escapeTags, paint } from '../theme.js';
import { scrollText, type ScrollText } from '../widgets.js';
import { answerBindings, correctPositions, emptyDraft, renderQuestion, responseOf, type AnswerDraft } from './question.js';

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
}

export function practiceView(context: AppContext, options: PracticeOptions): View {
  const { shell } = context;
  const { engine } = options;
  let state = options.state;
  let draft: AnswerDraft = emptyDraft();
  let text: ScrollText | undefined;
  let heading: Widgets.TextElement | undefined;
  let reported = false;
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

  const hintFor = (type: string) => shell.t(type === 'single' ? 'hintSingle' : type === 'multiple' ? 'hintMultiple' : type === 'order' ? 'hintOrder' : 'hintText');

  const draw = () => {
    if (!text || !heading) return;
    const theme = shell.theme();
    if (state.phase === 'finished') {
      const score = engine.practiceScore(state);
      heading.setContent(`{bold}${escapeTags(shell.t('quizDone', { score: score.correct, max: score.total, percent: score.percent }))}{/bold}  ${paint(theme, 'muted', shell.t('quizSaved'))}`);
      const rows = state.items.map((item, index) => {
        const ok = item.outcome?.correct ?? false;
        const mark = ok ? paint(theme, 'ok', shell.unicode ? '✓' : '+') : paint(theme, 'bad', shell.unicode ? '✗' : 'x');
        return `${mark} ${String(index + 1).padStart(2)}. ${escapeTags(item.presented.question.prompt[lang()])}`;
      });
      text.element.setContent(rows.join('\n'));
      shell.render();
      return;
    }
    const item = engine.currentItem(state)!;
    const question = item.presented.question;
    heading.setContent(`{bold}${escapeTags(shell.t('questionOf', { n: state.index + 1, total: state.items.length }))}{/bold}  ${paint(theme, 'muted', `${question.topic} · ${'★'.repeat(question.difficulty)}`)}`);
    const feedback = state.phase === 'feedback' && item.outcome;
    const body = renderQuestion(item.presented, feedback ? { ...draft, picked: responsePositions(item) } : draft, {
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
      lines.push('', escapeTags(question.explanation[lang()]));
    }
    text.element.setContent(lines.join('\n'));
    shell.render();
  };

  const responsePositions = (item: NonNullable<ReturnType<Engine['currentItem']>>): number[] => {
    const response = item.outcome?.response;
    if (!response || response.kind !== 'choices') return [];
    return response.indices.map((index) => item.presented.choiceOrder.indexOf(index));
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

  const typeText = async () => {
    const { input } = await import('../dialogs.js');
    const value = await input(shell.dialogs, shell.t('answerPrompt'), draft.text);
    if (value === undefined) return;
    draft = { ...draft, text: value };
    draw();
    if (value.trim()) submit();
  };

  /** Leaving part-way keeps what was answered: the run ends here and is saved. */
  const finishEarly = () => {
    if (state.phase !== 'finished' && state.items.some((item) => item.outcome)) dispatch({ type: 'finish' });
  };
  const leave = () => {
    finishEarly();
    shell.back();
  };

  const phaseBindings = (): Binding[] => {
    if (state.phase === 'finished') return [{ keys: ['enter'], display: '⏎', ascii: 'Enter', label: 'keyBack', status: true, run: () => shell.back() }];
    const item = engine.currentItem(state)!;
    if (state.phase === 'feedback') {
      return [
        { keys: ['escape'], display: 'Esc', label: 'keyBack', run: leave },
        { keys: ['enter', 'n', 'right'], display: '⏎', ascii: 'Enter', label: 'keyNextQuestion', status: true, run: () => dispatch({ type: 'next' }) },
        { keys: ['l'], display: 'l', label: 'keyReadLesson', status: true, run: () => options.openLesson(item.presented.question.lesson) },
      ];
    }
    return [
      { keys: ['escape'], display: 'Esc', label: 'keyBack', run: leave },
      ...answerBindings(item.presented, { draft: () => draft, change: (next) => { draft = next; draw(); }, typeText }),
      { keys: ['enter'], display: '⏎', ascii: 'Enter', label: 'keySubmit', status: true, run: () => (item.presented.question.type === 'text' && !draft.text ? typeText() : submit()) },
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
  };
  return view;
}
