import { summarize, wholePercent } from '../progress/summary.js';
import type { Progress } from '../progress/schema.js';

/**
 * What a learner who joined a class shares with the teacher: lessons done, practice and exam scores,
 * mastery by topic, the last time they studied. Finished attempts only, and no question ids or
 * answers: an exam in progress is not in the progress file at all, and a finished one is a score.
 */

export const SUMMARY_VERSION = 1;

export interface ExamScore {
  at: string;
  percent: number;
  passed: boolean | null;
  /** The class exam it was (`kubetls class exam`), or null for an exam of the learner's own. */
  classExam: string | null;
}

export interface LearnerSummary {
  kubetlsClass: typeof SUMMARY_VERSION;
  name: string;
  /** The login that wrote the file (the teacher can tell two Kims apart), and its uid. */
  user: string;
  uid: number;
  /** kubetls profile, for learners who share one login. */
  profile: string;
  updatedAt: string;
  /** The last lesson read or attempt finished; null before any. */
  lastActive: string | null;
  lessons: { done: number; total: number; doneIds: string[] };
  practice: { attempts: number; lastPercent: number | null; bestPercent: number | null };
  /** Oldest first. */
  exams: ExamScore[];
  /** Topic -> whole percent of the latest answers, or null when never practised. */
  mastery: Record<string, number | null>;
  reviewDue: number;
  streakDays: number;
}

export interface LearnerIdentity {
  name: string;
  user: string;
  uid: number;
  profile: string;
}

export function learnerSummary(progress: Progress, identity: LearnerIdentity, now: number): LearnerSummary {
  const summary = summarize(progress, { now });
  const practice = summary.scores.filter((score) => score.mode !== 'exam');
  const exams = [...progress.attempts]
    .filter((attempt) => attempt.mode === 'exam')
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((attempt): ExamScore => ({ at: attempt.at, percent: wholePercent(attempt.score, attempt.max), passed: attempt.passed ?? null, classExam: attempt.classExam ?? null }));
  const times = [
    ...progress.attempts.map((attempt) => attempt.at),
    ...Object.values(progress.lessons).flatMap((lesson) => [lesson.lastReadAt, lesson.doneAt].filter((at): at is string => at !== undefined)),
  ].sort();
  return {
    kubetlsClass: SUMMARY_VERSION,
    name: identity.name,
    user: identity.user,
    uid: identity.uid,
    profile: identity.profile,
    updatedAt: new Date(now).toISOString(),
    lastActive: times[times.length - 1] ?? null,
    lessons: { done: summary.completion.done, total: summary.completion.total, doneIds: summary.completion.lessons.filter((lesson) => lesson.done).map((lesson) => lesson.id) },
    practice: {
      attempts: practice.length,
      lastPercent: practice[practice.length - 1]?.percent ?? null,
      bestPercent: practice.length ? Math.max(...practice.map((score) => score.percent)) : null,
    },
    exams,
    mastery: Object.fromEntries(summary.mastery.map((topic) => [topic.topic, topic.percent])),
    reviewDue: summary.review.due.length,
    streakDays: summary.streak.days,
  };
}

/** A file read from a class directory: the fields the table needs, of the right types. */
export function isLearnerSummary(value: unknown): value is LearnerSummary {
  const summary = value as LearnerSummary;
  return (
    typeof summary === 'object' && summary !== null && summary.kubetlsClass === SUMMARY_VERSION &&
    typeof summary.name === 'string' && typeof summary.user === 'string' && Number.isInteger(summary.uid) && typeof summary.profile === 'string' &&
    typeof summary.updatedAt === 'string' && typeof summary.lessons?.done === 'number' && typeof summary.lessons.total === 'number' &&
    Array.isArray(summary.exams) && typeof summary.mastery === 'object' && summary.mastery !== null && typeof summary.practice?.attempts === 'number'
  );
}
