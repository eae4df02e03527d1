import { randomUUID } from 'node:crypto';
import { KubetlsError } from '../errors.js';
// the modules themselves, not quiz/index.js: that would also load the question-bank parser (YAML) with every progress write
import type { ExamResult } from '../quiz/exam.js';
import type { PracticeState } from '../quiz/practice.js';
import { recordAnswer } from '../quiz/review.js';
import { localDay, withDay } from './days.js';
import {
  ATTEMPT_MODES, emptyProgress, type AttemptRecord, type Progress, type QuestionOutcome, type ReviewCard, type Settings,
} from './schema.js';

/**
 * Every change to progress is one of these pure functions, `(progress, ...) -> progress`. The
 * store applies them under its lock to a freshly read file, so two processes that each record
 * something both keep what they recorded.
 */

export type Mutation = (progress: Progress) => Progress;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The learner scrolled a lesson: where they are (the line it reopens at), how far they have read (the
 * furthest point, which scrolling back up does not lower), and that they studied today.
 */
export function saveLessonPosition(progress: Progress, change: { lessonId: string; line: number; percent: number; at: number }): Progress {
  const previous = progress.lessons[change.lessonId];
  // a NaN would be written as null and make the whole file fail validation on the next read
  const line = Number.isFinite(change.line) ? Math.max(0, Math.floor(change.line)) : (previous?.line ?? 0);
  const reached = Number.isFinite(change.percent) ? Math.min(100, Math.max(0, change.percent)) : 0;
  const percent = previous?.done ? 100 : Math.max(previous?.percent ?? 0, reached);
  return {
    ...progress,
    lessons: { ...progress.lessons, [change.lessonId]: { ...previous, done: previous?.done ?? false, line, percent, lastReadAt: iso(change.at) } },
    lastLesson: change.lessonId,
    studyDays: withDay(progress.studyDays, localDay(change.at)),
  };
}

/** A lesson read to the end. The first date it was done is kept. */
export function markLessonDone(progress: Progress, change: { lessonId: string; at: number }): Progress {
  const previous = progress.lessons[change.lessonId];
  const doneAt = previous?.doneAt ?? iso(change.at);
  return {
    ...progress,
    lessons: { ...progress.lessons, [change.lessonId]: { line: previous?.line ?? 0, ...previous, done: true, percent: 100, doneAt, lastReadAt: iso(change.at) } },
    lastLesson: change.lessonId,
    studyDays: withDay(progress.studyDays, localDay(change.at)),
  };
}

export function newAttemptId(): string {
  return randomUUID();
}

/** What is wrong with an attempt handed over by the quiz engine, or undefined. */
export function attemptProblem(attempt: AttemptRecord): string | undefined {
  if (typeof attempt.id !== 'string' || attempt.id === '') return 'it has no id';
  const where = `attempt ${attempt.id}`;
  if (typeof attempt.at !== 'string' || Number.isNaN(Date.parse(attempt.at))) return `${where}: "at" is not an ISO 8601 time`;
  if (!ATTEMPT_MODES.includes(attempt.mode)) return `${where}: mode ${JSON.stringify(attempt.mode)} is not one of ${ATTEMPT_MODES.join(', ')}`;
  const count = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
  if (!count(attempt.max) || !count(attempt.score)) return `${where}: score and max must be numbers, 0 or more`;
  if (attempt.passed !== undefined && typeof attempt.passed !== 'boolean') return `${where}: passed must be true or false`;
  if (attempt.durationMs !== undefined && !count(attempt.durationMs)) return `${where}: durationMs must be a number, 0 or more`;
  if (attempt.score > attempt.max) return `${where}: score ${attempt.score} is more than max ${attempt.max}`;
  if (!Array.isArray(attempt.topics) || attempt.topics.some((topic) => typeof topic !== 'string' || topic === '')) return `${where}: topics must be names`;
  if (!Array.isArray(attempt.outcomes)) return `${where}: outcomes must be a list`;
  for (const outcome of attempt.outcomes) {
    if (typeof outcome.questionId !== 'string' || outcome.questionId === '' || typeof outcome.topic !== 'string' || outcome.topic === '') {
      return `${where}: every outcome needs a questionId and a topic`;
    }
    if (typeof outcome.correct !== 'boolean') return `${where}: outcome ${outcome.questionId} has no "correct"`;
    if (outcome.answeredInMs !== undefined && !count(outcome.answeredInMs)) return `${where}: outcome ${outcome.questionId}: answeredInMs must be a number, 0 or more`;
  }
  return undefined;
}

/**
 * A finished practice run, exam or review: kept with its outcomes, and every outcome moves its
 * question's Leitner card (see src/quiz/review.ts). An id that is already recorded changes nothing.
 */
export function recordAttempt(progress: Progress, attempt: AttemptRecord): Progress {
  const problem = attemptProblem(attempt);
  if (problem) throw new KubetlsError(`cannot record a quiz attempt: ${problem}`);
  if (progress.attempts.some((existing) => existing.id === attempt.id)) return progress;
  const at = Date.parse(attempt.at);
  return {
    ...progress,
    attempts: [...progress.attempts, { ...attempt, at: iso(at), topics: [...attempt.topics], outcomes: attempt.outcomes.map((outcome) => ({ ...outcome })) }],
    review: reviewAfter(progress.review, attempt.outcomes, at),
    studyDays: withDay(progress.studyDays, localDay(at)),
  };
}

/** The Leitner move is the quiz engine's; the run of right answers is counted here. */
function reviewAfter(review: Readonly<Record<string, ReviewCard>>, outcomes: readonly QuestionOutcome[], now: number): Record<string, ReviewCard> {
  let deck: Record<string, ReviewCard> = { ...review };
  for (const outcome of outcomes) {
    const before = deck[outcome.questionId];
    const moved = recordAnswer(deck, outcome.questionId, outcome.correct, now)[outcome.questionId];
    const { [outcome.questionId]: _replaced, ...others } = deck;
    deck = others;
    if (!moved) continue; // right in the last box: it has left the deck
    const changed = moved.box !== before?.box || moved.due !== before?.due;
    const streak = !outcome.correct ? 0 : changed ? (before?.streak ?? 0) + 1 : (before?.streak ?? 0);
    deck[outcome.questionId] = { box: moved.box, due: moved.due, streak };
  }
  return deck;
}

export function updateSettings(progress: Progress, changes: Partial<Settings>): Progress {
  return { ...progress, settings: { ...progress.settings, ...changes } };
}

/** `undefined` goes back to the profile's default sandbox place. */
export function setSandboxDir(progress: Progress, dir: string | undefined): Progress {
  const { sandboxDir: _previous, ...rest } = progress;
  return dir === undefined || dir === '' ? rest : { ...rest, sandboxDir: dir };
}

/** `kubetls progress reset`: lessons, attempts, review cards and study days go; settings and the sandbox place stay. */
export function clearProgress(progress: Progress): Progress {
  const cleared = emptyProgress(progress.settings);
  return { ...cleared, ...(progress.sandboxDir === undefined ? {} : { sandboxDir: progress.sandboxDir }), ...(progress.classroom ? { classroom: progress.classroom } : {}) };
}

/** `kubetls class join`: from now on the learner's summary is written into the class directory. */
export function joinClass(progress: Progress, membership: { dir: string; name: string; at: number }): Progress {
  return { ...progress, classroom: { dir: membership.dir, name: membership.name, joinedAt: iso(membership.at) } };
}

/** `kubetls class leave`. */
export function leaveClass(progress: Progress): Progress {
  const { classroom: _left, ...rest } = progress;
  return rest;
}

/**
 * The record of a practice or review run (src/quiz/practice.ts). Its outcomes are the questions
 * answered or skipped, and the score is out of those, as the quiz shows it: questions never reached
 * (the run was left early) count neither way.
 */
export function attemptFromPractice(state: PracticeState, options: { id?: string } = {}): AttemptRecord {
  const finishedAt = state.finishedAt ?? state.items.reduce((latest, item) => Math.max(latest, item.outcome?.at ?? 0), state.startedAt);
  const outcomes = state.items.flatMap((item) => (item.outcome ? [{ questionId: item.presented.question.id, topic: item.presented.question.topic, correct: item.outcome.correct }] : []));
  return {
    id: options.id ?? newAttemptId(),
    at: iso(finishedAt),
    mode: state.mode,
    topics: uniqueTopics(state.items.map((item) => item.presented.question.topic)),
    outcomes,
    score: outcomes.filter((outcome) => outcome.correct).length,
    max: outcomes.length,
    durationMs: finishedAt - state.startedAt,
  };
}

/**
 * The record of a graded exam (src/quiz/exam.ts): weighted points out of every task, pass or fail. Its
 * outcomes, which move topic mastery and the review deck, are the tasks answered and the repairs graded
 * on the sandbox: a task left unanswered (the exam left early) says nothing about what the learner knows.
 */
export function attemptFromExam(result: ExamResult, options: { startedAt: number; id?: string; classExam?: string }): AttemptRecord {
  return {
    ...(options.classExam ? { classExam: options.classExam } : {}),
    id: options.id ?? newAttemptId(),
    at: iso(options.startedAt + result.durationMs),
    mode: 'exam',
    topics: uniqueTopics(result.tasks.map((task) => task.task.presented.question.topic)),
    outcomes: result.tasks
      .filter((task) => task.response !== undefined || task.grade !== undefined)
      .map((task) => ({ questionId: task.task.presented.question.id, topic: task.task.presented.question.topic, correct: task.correct })),
    score: result.earned,
    max: result.possible,
    passed: result.passed,
    durationMs: result.durationMs,
  };
}

function uniqueTopics(topics: readonly string[]): string[] {
  return [...new Set(topics)];
}
