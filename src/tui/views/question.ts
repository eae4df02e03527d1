import type { PresentedQuestion } from '../../quiz/present.js';
import { localize, type Language, type Response, type TaskGrade } from '../../quiz/types.js';
import { PRINTABLE, type Binding } from '../keymap.js';
import { escapeTags, paint, type Theme } from '../theme.js';
import type { UiKey } from '../strings.js';

/**
 * One question on screen and the learner's answer being put together: a cursor over the choices,
 * the letters picked (several for multiple choice, a sequence for ordering), or typed text. Shared by
 * practice, review and the exam, which decide what happens on submit.
 */

export interface AnswerDraft {
  cursor: number;
  /** Display positions picked; for ordering, in the order picked. */
  picked: number[];
  text: string;
  /** A text answer's field gives the keys back (Esc): letters are the screen's shortcuts again until i. */
  leftField?: boolean;
}

export function emptyDraft(): AnswerDraft {
  return { cursor: 0, picked: [], text: '' };
}

/** Whether the keys type into the answer: a text question, from the first key, until Esc. */
export function typingAnswer(presented: PresentedQuestion, draft: AnswerDraft): boolean {
  return presented.question.type === 'text' && !draft.leftField;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export function draftFromResponse(presented: PresentedQuestion, response: Response | undefined): AnswerDraft {
  if (!response) return emptyDraft();
  if (response.kind === 'text') return { cursor: 0, picked: [], text: response.value };
  const picked = response.indices.map((index) => presented.choiceOrder.indexOf(index));
  return { cursor: picked[0] ?? 0, picked, text: '' };
}

/** The draft as a response the engine grades, or undefined while it is not a complete answer. */
export function responseOf(presented: PresentedQuestion, draft: AnswerDraft): Response | undefined {
  const { question } = presented;
  if (question.type === 'text') return draft.text.trim() ? { kind: 'text', value: draft.text.trim() } : undefined;
  const indices = draft.picked.map((position) => presented.choiceOrder[position]!);
  if (question.type === 'single') return indices.length === 1 ? { kind: 'choices', indices } : undefined;
  if (question.type === 'multiple') return indices.length > 0 ? { kind: 'choices', indices: [...indices].sort((a, b) => a - b) } : undefined;
  return indices.length === presented.choiceOrder.length ? { kind: 'choices', indices } : undefined;
}

/** How to build an answer to this kind of question (the key that submits it is the screen's to add). */
export function answerHint(type: string, t: (key: UiKey) => string): string {
  return t(type === 'single' ? 'hintSingle' : type === 'multiple' ? 'hintMultiple' : type === 'order' ? 'hintOrder' : 'hintText');
}

/** A fix-it task's checks, one line each: ✓/✗, the check, and what the real tool said. */
export function checkLines(grade: TaskGrade | undefined, theme: Theme, unicode: boolean): string[] {
  return (grade?.checks ?? []).map((check) => `${check.ok ? paint(theme, 'ok', unicode ? '✓' : '+') : paint(theme, 'bad', unicode ? '✗' : 'x')} ${escapeTags(check.name)}: ${escapeTags(check.message)}`);
}

export interface QuestionLook {
  theme: Theme;
  unicode: boolean;
  lang: Language;
  /** After answering: mark the right choices and the learner's wrong ones. */
  reveal?: { correctPositions: number[] };
  /** Labels: the how-to line under the choices. */
  hint: string;
}

export function renderQuestion(presented: PresentedQuestion, draft: AnswerDraft, look: QuestionLook): string {
  const { question } = presented;
  const lines = [`{bold}${escapeTags(localize(question.prompt, look.lang))}{/bold}`, ''];
  if (question.type === 'text') {
    const typing = !draft.leftField && !look.reveal;
    const cursor = typing ? (look.unicode ? '█' : '_') : '';
    const field = draft.text || typing ? `${escapeTags(draft.text)}${cursor}` : paint(look.theme, 'muted', look.unicode ? '…' : '...');
    lines.push(`  ${look.unicode ? '✎' : '>'} ${field}`);
  } else {
    presented.choiceOrder.forEach((index, position) => {
      const text = localize(question.choices[index]?.text, look.lang);
      const here = position === draft.cursor && !look.reveal;
      const pickedAt = draft.picked.indexOf(position);
      let mark: string;
      if (question.type === 'order') mark = pickedAt >= 0 ? `(${pickedAt + 1})` : '( )';
      else if (question.type === 'multiple') mark = pickedAt >= 0 ? '[x]' : '[ ]';
      else mark = pickedAt >= 0 ? (look.unicode ? '(●)' : '(*)') : '( )';
      let row = `${here ? (look.unicode ? '▶' : '>') : ' '} ${mark} ${LETTERS[position]}) ${escapeTags(text)}`;
      if (look.reveal) {
        const right = look.reveal.correctPositions.includes(position);
        if (right) row = paint(look.theme, 'ok', `${row.replace(/^ /, look.unicode ? '✓' : '+')}`);
        else if (pickedAt >= 0) row = paint(look.theme, 'bad', `${row.replace(/^ /, look.unicode ? '✗' : 'x')}`);
      } else if (here) {
        row = `{bold}${row}{/bold}`;
      }
      lines.push(row);
    });
  }
  lines.push('', paint(look.theme, 'muted', look.hint));
  return lines.join('\n');
}

/** Display positions of the right answer, for the reveal (in sequence for ordering). */
export function correctPositions(presented: PresentedQuestion): number[] {
  const { question } = presented;
  if (question.type === 'text') return [];
  const answer = question.type === 'single' ? [question.answer] : question.answer;
  return answer.map((index) => presented.choiceOrder.indexOf(index));
}

export interface DraftControls {
  draft(): AnswerDraft;
  change(next: AnswerDraft): void;
}

/**
 * Keys that build the answer: ↑↓ (or j/k) move, the choice letters pick, Space toggles or adds to the
 * sequence, Backspace takes the last one back. A text answer takes every key that types from the first
 * (no letter is a shortcut there: `system:kube-controller-manager` starts with the skip key), Backspace
 * rubs out, and Esc gives the keys back to the screen until i.
 */
export function answerBindings(presented: PresentedQuestion, controls: DraftControls): Binding[] {
  const { question } = presented;
  if (question.type === 'text') {
    const draft = () => controls.draft();
    if (!typingAnswer(presented, draft())) {
      return [{ keys: ['i'], display: 'i', label: 'keyTypeAnswer', status: true, run: () => controls.change({ ...draft(), leftField: false }) }];
    }
    return [
      { keys: [PRINTABLE], display: 'abc…', ascii: 'abc...', label: 'keyTypeAnswer', status: true, run: (event) => controls.change({ ...draft(), text: draft().text + (event.ch ?? '') }) },
      { keys: ['backspace'], display: 'Bksp', label: 'keyRubOut', run: () => controls.change({ ...draft(), text: [...draft().text].slice(0, -1).join('') }) },
      { keys: ['C-u'], display: 'Ctrl-U', label: 'keyClearAnswer', run: () => controls.change({ ...draft(), text: '' }) },
      { keys: ['escape'], display: 'Esc', label: 'keyLeaveField', status: true, run: () => controls.change({ ...draft(), leftField: true }) },
    ];
  }
  const count = presented.choiceOrder.length;
  const letters = LETTERS.slice(0, count).split('');
  const draft = () => controls.draft();
  const pick = (position: number) => {
    const current = draft();
    if (question.type === 'single') return controls.change({ ...current, cursor: position, picked: [position] });
    const has = current.picked.includes(position);
    if (question.type === 'multiple') {
      return controls.change({ ...current, cursor: position, picked: has ? current.picked.filter((p) => p !== position) : [...current.picked, position] });
    }
    // ordering: a letter adds that step next; picking it again takes it (and what followed) back
    return controls.change({ ...current, cursor: position, picked: has ? current.picked.slice(0, current.picked.indexOf(position)) : [...current.picked, position] });
  };
  const move = (delta: number) => {
    const current = draft();
    controls.change({ ...current, cursor: Math.max(0, Math.min(count - 1, current.cursor + delta)) });
  };
  const bindings: Binding[] = [
    { keys: letters, display: `a-${letters[letters.length - 1]}`, label: 'keyPick', status: true, run: () => undefined },
    { keys: ['up', ...(letters.includes('k') ? [] : ['k'])], display: '↑↓', ascii: 'Up/Down', label: 'keyMove', run: () => move(-1) },
    { keys: ['down', ...(letters.includes('j') ? [] : ['j'])], display: '↓', ascii: 'Down', label: 'keyMove', run: () => move(1) },
    { keys: ['space'], display: 'Space', label: 'keyPick', run: () => pick(draft().cursor) },
  ];
  if (question.type === 'order') {
    bindings.push({ keys: ['backspace'], display: 'Bksp', label: 'keyUndo', run: () => controls.change({ ...draft(), picked: draft().picked.slice(0, -1) }) });
  }
  // each letter picks its own choice
  return [...letters.map((letter, position): Binding => ({ keys: [letter], display: letter, label: 'keyPick', hidden: true, run: () => pick(position) })), ...bindings.slice(1), bindings[0]!];
}
