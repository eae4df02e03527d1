import { listMatches, splitList, valueMatches } from './normalize.js';
import { shuffle, type Random } from './random.js';
import { isFixItQuestion, localize, saidInEvery, type Language, type LocalizedText, type OrderQuestion, type Question, type Response } from './types.js';

/**
 * A question as one learner sees it: choices in a shuffled order, labelled a, b, c... Typed
 * answers are read back into choice indices of the bank, so grading never depends on the shuffle.
 */

export interface PresentedQuestion {
  question: Question;
  /** Displayed position -> index into `question.choices` (empty for text questions). */
  choiceOrder: number[];
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export function letterOf(position: number): string {
  return LETTERS[position] ?? '?';
}

/** Every sequence an ordering question accepts, the one shown as the answer first. */
function acceptedOrders(question: OrderQuestion): number[][] {
  return [question.answer, ...(question.alsoAccepted ?? [])];
}

function isAcceptedOrder(question: OrderQuestion, indices: readonly number[]): boolean {
  return acceptedOrders(question).some((order) => order.length === indices.length && order.every((index, position) => indices[position] === index));
}

export function presentQuestion(question: Question, random: Random): PresentedQuestion {
  if (question.type === 'text') return { question, choiceOrder: [] };
  const indices = question.choices.map((_, index) => index);
  let choiceOrder = shuffle(indices, random);
  // an ordering task shown already in a right order would answer itself
  if (question.type === 'order' && choiceOrder.length > 1) {
    for (let attempt = 0; attempt < 8 && isAcceptedOrder(question, choiceOrder); attempt += 1) choiceOrder = shuffle(indices, random);
    for (let turn = 0; turn < choiceOrder.length && isAcceptedOrder(question, choiceOrder); turn += 1) choiceOrder = [...choiceOrder.slice(1), ...choiceOrder.slice(0, 1)];
  }
  return { question, choiceOrder };
}

/** The choices in display order, with their letters. */
export function displayedChoices(presented: PresentedQuestion, lang: Language): { letter: string; text: string }[] {
  const { question } = presented;
  if (question.type === 'text') return [];
  return presented.choiceOrder.map((index, position) => ({ letter: letterOf(position), text: localize(question.choices[index]?.text, lang) }));
}

export type ParsedResponse = { ok: true; response: Response } | { ok: false; message: LocalizedText };

/**
 * Reads a typed answer: one letter for single choice (`b`), letters for multiple choice (`a,c`,
 * `a c` or `ac`), every letter once for ordering (`c a b d`), the text itself otherwise. A blank
 * line is not parsed here: callers decide whether it means "skip".
 */
export function parseResponse(presented: PresentedQuestion, typed: string): ParsedResponse {
  const { question } = presented;
  if (question.type === 'text') return { ok: true, response: { kind: 'text', value: typed.trim() } };
  const count = presented.choiceOrder.length;
  const range = `a-${letterOf(count - 1)}`;
  const cleaned = typed.trim().toLowerCase().replace(/[()[\].)]/g, ' ');
  const tokens = cleaned.split(/[\s,;]+/).filter((token) => token !== '');
  // `ac` is two letters; `a c` and `a,c` too
  const letters = tokens.length === 1 && /^[a-z]+$/.test(tokens[0] ?? '') ? [...(tokens[0] ?? '')] : tokens;
  const positions: number[] = [];
  for (const letter of letters) {
    const position = LETTERS.indexOf(letter);
    if (letter.length !== 1 || position < 0 || position >= count) {
      return { ok: false, message: saidInEvery('questions.answer.notALetter', { typed: `"${typed.trim()}"`, range }) };
    }
    positions.push(position);
  }
  if (positions.length === 0) return { ok: false, message: saidInEvery('questions.answer.withALetter', { range }) };
  if (new Set(positions).size !== positions.length) return { ok: false, message: saidInEvery('questions.answer.eachLetterOnce') };
  const indices = positions.map((position) => presented.choiceOrder[position] as number);
  switch (question.type) {
    case 'single':
      if (indices.length !== 1) return { ok: false, message: saidInEvery('questions.answer.oneLetter', { range }) };
      return { ok: true, response: { kind: 'choices', indices } };
    case 'multiple':
      return { ok: true, response: { kind: 'choices', indices: [...indices].sort((a, b) => a - b) } };
    case 'order':
      if (indices.length !== count) {
        return { ok: false, message: saidInEvery('questions.answer.allInOrder', { count, example: [...LETTERS.slice(0, count)].reverse().join(' ') }) };
      }
      return { ok: true, response: { kind: 'choices', indices } };
  }
}

/** Is the response right? Unanswered (undefined) is wrong. */
export function isCorrect(question: Question, response: Response | undefined): boolean {
  if (response === undefined) return false;
  if (isFixItQuestion(question)) return response.kind === 'text' && response.grade?.passed === true;
  if (question.type === 'text') {
    if (response.kind !== 'text') return false;
    if (question.list) return question.accepted.some((values) => listMatches(question.normalize, values, splitList(response.value)));
    return question.accepted.some(([value]) => value !== undefined && valueMatches(question.normalize, value, response.value));
  }
  if (response.kind !== 'choices') return false;
  if (question.type === 'order') return isAcceptedOrder(question, response.indices);
  const expected = question.type === 'single' ? [question.answer] : question.answer;
  return expected.length === response.indices.length && expected.every((index, position) => response.indices[position] === index);
}

/** The correct answer as the learner would type it on this screen: `b`, `a, c`, `c a b d`, or the text. */
export function correctAnswerText(presented: PresentedQuestion, lang: Language): string {
  const { question } = presented;
  if (isFixItQuestion(question)) return localize(saidInEvery('questions.answer.fixedCluster'), lang);
  if (question.type === 'text') {
    const first = question.accepted[0] ?? [];
    return first.join(', ');
  }
  const positionOf = (index: number): string => letterOf(presented.choiceOrder.indexOf(index));
  switch (question.type) {
    case 'single':
      return `${positionOf(question.answer)}) ${localize(question.choices[question.answer]?.text, lang)}`;
    case 'multiple':
      return question.answer.map(positionOf).sort().join(', ');
    case 'order':
      return question.answer.map(positionOf).join(' ');
  }
}

/** What the learner answered, as shown on this screen (letters, or the text). */
export function responseText(presented: PresentedQuestion, response: Response | undefined): string {
  if (response === undefined) return '';
  if (response.kind === 'text') return response.value;
  const letters = response.indices.map((index) => letterOf(presented.choiceOrder.indexOf(index)));
  return presented.question.type === 'order' ? letters.join(' ') : [...letters].sort().join(', ');
}
