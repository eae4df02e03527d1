import { isCorrect, type PresentedQuestion } from './present.js';
import type { Response } from './types.js';

/**
 * Practice (and review) as a pure state machine: the screen shows `state`, sends an action, and
 * gets the next state. Each answer gets immediate feedback before the next question.
 */

export interface PracticeItem {
  presented: PresentedQuestion;
  /** Set once answered or skipped; undefined while not reached. */
  outcome?: { response: Response | undefined; correct: boolean; at: number };
}

export interface PracticeState {
  mode: 'practice' | 'review';
  items: PracticeItem[];
  index: number;
  /** `question`: waiting for an answer; `feedback`: showing whether it was right; `finished`: done. */
  phase: 'question' | 'feedback' | 'finished';
  startedAt: number;
  finishedAt?: number;
}

export type PracticeAction =
  | { type: 'answer'; response: Response }
  /** "I don't know": counts as wrong and shows the answer. */
  | { type: 'skip' }
  | { type: 'next' }
  /** The current question cannot be asked (a fix-it task that could not be set up): it leaves the run, counted neither way. */
  | { type: 'leave-out' }
  /** Stop now (quit, or the input ended): questions not reached count neither way (see practiceScore). */
  | { type: 'finish' };

export function startPractice(questions: readonly PresentedQuestion[], now: number, mode: PracticeState['mode'] = 'practice'): PracticeState {
  return {
    mode,
    items: questions.map((presented) => ({ presented })),
    index: 0,
    phase: questions.length === 0 ? 'finished' : 'question',
    startedAt: now,
    ...(questions.length === 0 ? { finishedAt: now } : {}),
  };
}

export function practiceReducer(state: PracticeState, action: PracticeAction, now: number): PracticeState {
  if (state.phase === 'finished') return state;
  switch (action.type) {
    case 'answer':
    case 'skip': {
      if (state.phase !== 'question') return state;
      const item = state.items[state.index];
      if (!item) return state;
      const response = action.type === 'answer' ? action.response : undefined;
      const outcome = { response, correct: isCorrect(item.presented.question, response), at: now };
      const items = state.items.map((candidate, index) => (index === state.index ? { ...candidate, outcome } : candidate));
      return { ...state, items, phase: 'feedback' };
    }
    case 'next': {
      if (state.phase !== 'feedback') return state;
      const index = state.index + 1;
      if (index >= state.items.length) return { ...state, phase: 'finished', finishedAt: now };
      return { ...state, index, phase: 'question' };
    }
    case 'leave-out': {
      if (state.phase !== 'question') return state;
      const items = state.items.filter((_, index) => index !== state.index);
      if (state.index >= items.length) return { ...state, items, phase: 'finished', finishedAt: now };
      return { ...state, items };
    }
    case 'finish':
      return { ...state, phase: 'finished', finishedAt: now };
  }
}

export function currentItem(state: PracticeState): PracticeItem | undefined {
  return state.phase === 'finished' ? undefined : state.items[state.index];
}

export interface Score {
  correct: number;
  total: number;
  /** Whole percent, rounded down like the exam's and the progress summary's (2 of 3 is 66%); 0 when there was nothing to answer. */
  percent: number;
}

export function scoreOf(correct: number, total: number): Score {
  return { correct, total, percent: total === 0 ? 0 : Math.floor((correct / total) * 100 + 1e-9) };
}

/**
 * The questions answered or skipped ("don't know" counts as wrong); a run left early is scored on what
 * was reached: three right answers and then Esc is 3/3, not 3/10.
 */
export function practiceScore(state: PracticeState): Score {
  return scoreOf(state.items.filter((item) => item.outcome?.correct).length, state.items.filter((item) => item.outcome).length);
}
