import { readCourse } from '../lessons/course.js';
import { LEITNER_BOXES, dueQuestionIds, nextDueDate } from '../quiz/review.js';
import { dayBefore, localDay } from './days.js';
import type { AttemptMode, Progress } from './schema.js';

/**
 * What the Progress screen draws and `kubetls progress` prints, computed from the stored data:
 * course completion (a gauge), mastery by topic (bars), scores over time (a line), the review
 * queue and the streak of study days. Pure: the time is passed in.
 */

/** Mastery looks at each topic's latest answers, so it rises as the learner improves. */
export const MASTERY_WINDOW = 20;

export interface SummaryOptions {
  now: number;
  /** The course's lessons, in order (default: those of lessons/en, src/lessons/course.ts). */
  lessonIds?: readonly string[];
  /** Topics always listed, in this order (default: the course's quiz topics); others found in attempts follow. */
  topics?: readonly string[];
}

export interface LessonCompletion {
  id: string;
  done: boolean;
  percent: number;
  doneAt?: string;
}

export interface TopicMastery {
  topic: string;
  /** All answers ever given in the topic. */
  answered: number;
  correct: number;
  /** The latest `MASTERY_WINDOW` answers: what `percent` is computed from. */
  recentAnswered: number;
  recentCorrect: number;
  /** Whole percent of `recentCorrect`, or null when the topic was never practised. */
  percent: number | null;
}

export interface ScorePoint {
  id: string;
  at: string;
  mode: AttemptMode;
  score: number;
  max: number;
  /** Whole percent, rounded down like the exam's (65.9 is not 66). */
  percent: number;
  passed?: boolean;
}

export interface DueCard {
  questionId: string;
  box: number;
  due: string;
  streak: number;
}

export interface ProgressSummary {
  /** How many of each topic's latest answers `mastery` looks at. */
  masteryWindow: number;
  completion: { done: number; total: number; percent: number; lessons: LessonCompletion[] };
  mastery: TopicMastery[];
  /** Oldest first. */
  scores: ScorePoint[];
  attempts: { total: number; practice: number; exam: number; review: number; examsPassed: number };
  streak: {
    /** Consecutive study days ending today, or yesterday when today has no study yet. */
    days: number;
    studiedToday: boolean;
    longest: number;
    lastStudyDay?: string;
  };
  review: {
    cards: number;
    /** Due now: the longest overdue first. */
    due: DueCard[];
    /** Cards per Leitner box, box 1 first. */
    boxes: number[];
    nextDue?: string;
  };
}

export function wholePercent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.floor((part / whole) * 100 + 1e-9);
}

export function summarize(progress: Progress, options: SummaryOptions): ProgressSummary {
  const attempts = [...progress.attempts].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : 1));
  return {
    masteryWindow: MASTERY_WINDOW,
    completion: completionOf(progress, options.lessonIds ?? readCourse().lessonIds),
    mastery: masteryOf(attempts, options.topics ?? readCourse().topics),
    scores: attempts.map((attempt) => ({
      id: attempt.id,
      at: attempt.at,
      mode: attempt.mode,
      score: attempt.score,
      max: attempt.max,
      percent: wholePercent(attempt.score, attempt.max),
      ...(attempt.passed === undefined ? {} : { passed: attempt.passed }),
    })),
    attempts: {
      total: attempts.length,
      practice: attempts.filter((attempt) => attempt.mode === 'practice').length,
      exam: attempts.filter((attempt) => attempt.mode === 'exam').length,
      review: attempts.filter((attempt) => attempt.mode === 'review').length,
      examsPassed: attempts.filter((attempt) => attempt.mode === 'exam' && attempt.passed === true).length,
    },
    streak: streakOf(progress.studyDays, localDay(options.now)),
    review: reviewOf(progress, options.now),
  };
}

function completionOf(progress: Progress, lessonIds: readonly string[]): ProgressSummary['completion'] {
  const lessons = lessonIds.map((id): LessonCompletion => {
    const record = progress.lessons[id];
    const entry: LessonCompletion = { id, done: record?.done ?? false, percent: record?.done ? 100 : Math.floor(record?.percent ?? 0) };
    return record?.doneAt ? { ...entry, doneAt: record.doneAt } : entry;
  });
  const done = lessons.filter((lesson) => lesson.done).length;
  return { done, total: lessonIds.length, percent: wholePercent(done, lessonIds.length), lessons };
}

function masteryOf(attempts: Progress['attempts'], topics: readonly string[]): TopicMastery[] {
  // newest answers first, per topic
  const answers = new Map<string, boolean[]>();
  for (const attempt of [...attempts].reverse()) {
    for (const outcome of attempt.outcomes) {
      const list = answers.get(outcome.topic) ?? [];
      list.push(outcome.correct);
      answers.set(outcome.topic, list);
    }
  }
  const others = [...answers.keys()].filter((topic) => !topics.includes(topic)).sort();
  return [...topics, ...others].map((topic) => {
    const all = answers.get(topic) ?? [];
    const recent = all.slice(0, MASTERY_WINDOW);
    const recentCorrect = recent.filter(Boolean).length;
    return {
      topic,
      answered: all.length,
      correct: all.filter(Boolean).length,
      recentAnswered: recent.length,
      recentCorrect,
      percent: recent.length === 0 ? null : wholePercent(recentCorrect, recent.length),
    };
  });
}

function streakOf(studyDays: readonly string[], today: string): ProgressSummary['streak'] {
  // a day after today (a clock that was wrong) does not count
  const sorted = [...new Set(studyDays.filter((day) => day <= today))].sort();
  const days = new Set(sorted);
  const studiedToday = days.has(today);
  let current = 0;
  for (let day = studiedToday ? today : dayBefore(today); days.has(day); day = dayBefore(day)) current++;
  let longest = 0;
  let run = 0;
  let previous: string | undefined;
  for (const day of sorted) {
    run = previous !== undefined && dayBefore(day) === previous ? run + 1 : 1;
    longest = Math.max(longest, run);
    previous = day;
  }
  return previous === undefined ? { days: current, studiedToday, longest } : { days: current, studiedToday, longest, lastStudyDay: previous };
}

function reviewOf(progress: Progress, now: number): ProgressSummary['review'] {
  const deck = progress.review;
  const due = dueQuestionIds(deck, now).map((questionId) => {
    const card = deck[questionId]!;
    return { questionId, box: card.box, due: card.due, streak: card.streak };
  });
  const boxes = Array.from({ length: LEITNER_BOXES }, (_, index) => Object.values(deck).filter((card) => card.box === index + 1).length);
  const nextDue = nextDueDate(deck);
  const summary = { cards: Object.keys(deck).length, due, boxes };
  return nextDue === undefined ? summary : { ...summary, nextDue };
}
