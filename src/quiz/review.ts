import { startPractice, type PracticeState } from './practice.js';
import { presentQuestion } from './present.js';
import { createRandom } from './random.js';
import type { Question } from './types.js';

/**
 * Spaced review with Leitner boxes. A question answered wrong (in practice, an exam or a review)
 * goes into box 1 and comes back the next day. Each right answer when it is due moves it up a box,
 * and each box waits twice as long: 1, 2, 4, 8, 16 days. Right in box 5, it leaves the deck: the
 * learner has now got it right five times in a row, spread over a month.
 */

export const LEITNER_INTERVAL_DAYS = [1, 2, 4, 8, 16] as const;
export const LEITNER_BOXES = LEITNER_INTERVAL_DAYS.length;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface LeitnerCard {
  /** 1 to LEITNER_BOXES. */
  box: number;
  /** When it is next due, ISO 8601 (stored as text so the progress file stays readable). */
  due: string;
}

/** Question id -> card. Plain data, ready for the progress store. */
export type LeitnerDeck = Readonly<Record<string, LeitnerCard>>;

function cardIn(box: number, now: number): LeitnerCard {
  const days = LEITNER_INTERVAL_DAYS[box - 1] ?? LEITNER_INTERVAL_DAYS[LEITNER_INTERVAL_DAYS.length - 1];
  return { box, due: new Date(now + (days ?? 1) * DAY_MS).toISOString() };
}

export function isDue(card: LeitnerCard, now: number): boolean {
  return Date.parse(card.due) <= now;
}

/**
 * The deck after one answer. Wrong: box 1, due tomorrow. Right and due: up one box (or out of the
 * deck from the last box). Right but not yet due, or not in the deck: no change, since answering
 * early must not skip the wait that makes the schedule work.
 */
export function recordAnswer(deck: LeitnerDeck, questionId: string, correct: boolean, now: number): LeitnerDeck {
  const card = deck[questionId];
  if (!correct) return { ...deck, [questionId]: cardIn(1, now) };
  if (!card || !isDue(card, now)) return deck;
  const { [questionId]: _graduated, ...rest } = deck;
  if (card.box >= LEITNER_BOXES) return rest;
  return { ...rest, [questionId]: cardIn(card.box + 1, now) };
}

/** Applies several outcomes in order (an exam's or a practice run's). */
export function recordAnswers(deck: LeitnerDeck, outcomes: readonly { id: string; correct: boolean }[], now: number): LeitnerDeck {
  return outcomes.reduce((current, outcome) => recordAnswer(current, outcome.id, outcome.correct, now), deck);
}

/** Ids due now: the longest overdue first, then the lower box. */
export function dueQuestionIds(deck: LeitnerDeck, now: number): string[] {
  return Object.entries(deck)
    .filter(([, card]) => isDue(card, now))
    .sort(([idA, a], [idB, b]) => Date.parse(a.due) - Date.parse(b.due) || a.box - b.box || (idA < idB ? -1 : 1))
    .map(([id]) => id);
}

/** When the next card falls due, for "come back on ..." (undefined: the deck is empty). */
export function nextDueDate(deck: LeitnerDeck): string | undefined {
  return Object.values(deck).map((card) => card.due).sort()[0];
}

/**
 * A review run over the due questions that still exist in the bank (a card whose question was
 * removed from the bank is skipped). Choices are shuffled with `seed`; the order is the schedule's.
 */
export function startReview(deck: LeitnerDeck, questions: readonly Question[], options: { now: number; seed: number; limit?: number }): PracticeState {
  const byId = new Map(questions.map((question) => [question.id, question]));
  const random = createRandom(options.seed);
  const due = dueQuestionIds(deck, options.now)
    .map((id) => byId.get(id))
    .filter((question): question is Question => question !== undefined)
    .slice(0, options.limit ?? Number.POSITIVE_INFINITY);
  return startPractice(due.map((question) => presentQuestion(question, random)), options.now, 'review');
}

/** The deck after a practice or review run: only questions that were answered or skipped count. */
export function applyPracticeRun(deck: LeitnerDeck, state: PracticeState, now: number): LeitnerDeck {
  const outcomes = state.items.flatMap((item) => (item.outcome ? [{ id: item.presented.question.id, correct: item.outcome.correct }] : []));
  return recordAnswers(deck, outcomes, now);
}
