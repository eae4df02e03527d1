import { isCorrect, type PresentedQuestion } from './present.js';
import type { Response, TaskGrade } from './types.js';

/**
 * A CKA-style exam as a pure state machine: weighted tasks, a deadline, flags for review, free
 * movement between tasks, submit early or at time-out, then a score against the pass mark. The
 * clock is passed in with every action, so a test can jump to the deadline.
 */

/** The CKA's pass mark, in percent. */
export const PASS_MARK = 66;

export interface ExamTask {
  presented: PresentedQuestion;
  weight: number;
}

export interface ExamState {
  tasks: ExamTask[];
  responses: (Response | undefined)[];
  flagged: boolean[];
  current: number;
  startedAt: number;
  deadline: number;
  status: 'running' | 'submitted';
  endedBy?: 'submit' | 'time-up';
  endedAt?: number;
}

export type ExamAction =
  | { type: 'answer'; response: Response }
  | { type: 'clear' }
  /** Toggle the current task's flag, or set it. */
  | { type: 'flag'; flagged?: boolean }
  | { type: 'goto'; index: number }
  | { type: 'next' }
  | { type: 'previous' }
  | { type: 'submit' }
  /** Nothing but the passing of time: ends the exam at the deadline. */
  | { type: 'tick' };

export function startExam(questions: readonly PresentedQuestion[], options: { now: number; durationMs: number }): ExamState {
  return {
    tasks: questions.map((presented) => ({ presented, weight: presented.question.weight })),
    responses: questions.map(() => undefined),
    flagged: questions.map(() => false),
    current: 0,
    startedAt: options.now,
    deadline: options.now + options.durationMs,
    status: 'running',
  };
}

export function examReducer(state: ExamState, action: ExamAction, now: number): ExamState {
  if (state.status === 'submitted') return state;
  // time is checked before anything else: an answer typed after the deadline does not count
  if (now >= state.deadline) return { ...state, status: 'submitted', endedBy: 'time-up', endedAt: state.deadline };
  const last = state.tasks.length - 1;
  switch (action.type) {
    case 'answer':
      return { ...state, responses: replaceAt(state.responses, state.current, action.response) };
    case 'clear':
      return { ...state, responses: replaceAt(state.responses, state.current, undefined) };
    case 'flag':
      return { ...state, flagged: replaceAt(state.flagged, state.current, action.flagged ?? !state.flagged[state.current]) };
    case 'goto':
      return Number.isInteger(action.index) && action.index >= 0 && action.index <= last ? { ...state, current: action.index } : state;
    case 'next':
      return { ...state, current: Math.min(last, state.current + 1) };
    case 'previous':
      return { ...state, current: Math.max(0, state.current - 1) };
    case 'submit':
      return { ...state, status: 'submitted', endedBy: 'submit', endedAt: now };
    case 'tick':
      return state;
  }
}

function replaceAt<T>(values: readonly T[], index: number, value: T): T[] {
  return values.map((existing, position) => (position === index ? value : existing));
}

export function remainingMs(state: ExamState, now: number): number {
  if (state.status === 'submitted') return 0;
  return Math.max(0, state.deadline - now);
}

/** Tasks still open: for the "before you submit" overview. Numbers are 0-based indices. */
export function examOverview(state: ExamState): { answered: number[]; unanswered: number[]; flagged: number[] } {
  const indices = state.tasks.map((_, index) => index);
  return {
    answered: indices.filter((index) => state.responses[index] !== undefined),
    unanswered: indices.filter((index) => state.responses[index] === undefined),
    flagged: indices.filter((index) => state.flagged[index]),
  };
}

export interface TaskResult {
  task: ExamTask;
  response: Response | undefined;
  correct: boolean;
  earned: number;
  flagged: boolean;
  /** A fix-it task's verdict: the checks the grader ran on the sandbox. */
  grade?: TaskGrade;
}

export interface GradeOptions {
  /**
   * Fix-it tasks graded on the sandbox as it is when the exam ends (task index -> verdict), as the CKA
   * grades the final state of its clusters. They count whether or not the learner said "done".
   */
  taskGrades?: ReadonlyMap<number, TaskGrade>;
}

export interface ExamResult {
  tasks: TaskResult[];
  earned: number;
  possible: number;
  /** Whole percent of the weighted points, rounded down: 65.9 is not a pass. */
  percent: number;
  passMark: number;
  passed: boolean;
  endedBy: 'submit' | 'time-up';
  durationMs: number;
}

export function gradeExam(state: ExamState, options: GradeOptions = {}): ExamResult {
  const tasks = state.tasks.map((task, index): TaskResult => {
    const response = state.responses[index];
    const final = options.taskGrades?.get(index);
    const graded: Response | undefined = final ? { kind: 'text', value: response?.kind === 'text' ? response.value : '', grade: final } : response;
    const correct = isCorrect(task.presented.question, graded);
    const grade = graded?.kind === 'text' ? graded.grade : undefined;
    return { task, response, correct, earned: correct ? task.weight : 0, flagged: state.flagged[index] ?? false, ...(grade ? { grade } : {}) };
  });
  const earned = tasks.reduce((sum, task) => sum + task.earned, 0);
  const possible = tasks.reduce((sum, task) => sum + task.task.weight, 0);
  const exact = possible === 0 ? 0 : (earned / possible) * 100;
  return {
    tasks,
    earned,
    possible,
    percent: Math.floor(exact + 1e-9),
    passMark: PASS_MARK,
    passed: exact + 1e-9 >= PASS_MARK,
    endedBy: state.endedBy ?? 'submit',
    durationMs: (state.endedAt ?? state.deadline) - state.startedAt,
  };
}
