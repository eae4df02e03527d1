import { csvField } from '../progress/export.js';
import { courseTopics } from '../lessons/course.js';
import type { ClassExam } from './files.js';
import type { LearnerSummary } from './summary.js';

/**
 * The teacher's table: one row per learner, the topics as columns (a heat map of mastery), the
 * lessons done, the best practice score, the exam (the class exam when one is set), and when each was
 * last active; sorted and filtered the same way in the app, as JSON and as CSV for a grading sheet.
 */

export interface ClassRow {
  name: string;
  user: string;
  profile: string;
  lessonsDone: number;
  lessonsTotal: number;
  practiceBest: number | null;
  practiceAttempts: number;
  /** The class exam's score when one is set, else the latest exam's. */
  exam: { percent: number; passed: boolean | null; classExam: string | null } | null;
  mastery: Record<string, number | null>;
  lastActive: string | null;
  updatedAt: string;
}

export const FIXED_SORT_KEYS = ['name', 'lessons', 'practice', 'exam', 'active'] as const;
export type SortKey = (typeof FIXED_SORT_KEYS)[number] | `topic:${string}`;

/** The topics of the course, then any others a learner's file names. */
export function classTopics(learners: readonly LearnerSummary[]): string[] {
  const topics = courseTopics();
  const extra = [...new Set(learners.flatMap((learner) => Object.keys(learner.mastery)))].filter((topic) => !topics.includes(topic)).sort();
  return [...topics, ...extra];
}

export function classRows(learners: readonly LearnerSummary[], exam?: ClassExam): ClassRow[] {
  return learners.map((learner) => {
    const exams = exam ? learner.exams.filter((score) => score.classExam === exam.id) : learner.exams;
    const latest = exams[exams.length - 1];
    return {
      name: learner.name,
      user: learner.user,
      profile: learner.profile,
      lessonsDone: learner.lessons.done,
      lessonsTotal: learner.lessons.total,
      practiceBest: learner.practice.bestPercent,
      practiceAttempts: learner.practice.attempts,
      exam: latest ? { percent: latest.percent, passed: latest.passed, classExam: latest.classExam } : null,
      mastery: learner.mastery,
      lastActive: learner.lastActive,
      updatedAt: learner.updatedAt,
    };
  });
}

/** Sorted by one column; rows without a value go last either way, names break ties. */
export function sortRows(rows: readonly ClassRow[], key: SortKey, descending = false): ClassRow[] {
  const value = (row: ClassRow): string | number | null => {
    if (key === 'name') return row.name.toLocaleLowerCase();
    if (key === 'lessons') return row.lessonsDone;
    if (key === 'practice') return row.practiceBest;
    if (key === 'exam') return row.exam?.percent ?? null;
    if (key === 'active') return row.lastActive;
    return row.mastery[key.slice('topic:'.length)] ?? null;
  };
  return [...rows].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x === null || y === null) return x === y ? a.name.localeCompare(b.name) : x === null ? 1 : -1;
    const order = x < y ? -1 : x > y ? 1 : 0;
    return (descending ? -order : order) || a.name.localeCompare(b.name);
  });
}

/** Rows whose name, login or profile contains the text (any case). */
export function filterRows(rows: readonly ClassRow[], text: string): ClassRow[] {
  const needle = text.trim().toLocaleLowerCase();
  if (!needle) return [...rows];
  return rows.filter((row) => [row.name, row.user, row.profile].some((field) => field.toLocaleLowerCase().includes(needle)));
}

/** RFC 4180, as `kubetls progress --csv`: a header, then one learner a line. */
export function classCsv(rows: readonly ClassRow[], topics: readonly string[]): string {
  const header = ['name', 'user', 'profile', 'lessons_done', 'lessons_total', 'practice_best', 'practice_attempts', 'exam_percent', 'exam_passed', 'class_exam', ...topics.map((topic) => `mastery_${topic}`), 'last_active'];
  const line = (values: readonly string[]) => `${values.map(csvField).join(',')}\r\n`;
  const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));
  return line(header) + rows.map((row) => line([
    row.name, row.user, row.profile, String(row.lessonsDone), String(row.lessonsTotal), text(row.practiceBest), String(row.practiceAttempts),
    text(row.exam?.percent), row.exam?.passed === null || row.exam === null ? '' : row.exam.passed ? 'yes' : 'no', row.exam?.classExam ?? '',
    ...topics.map((topic) => text(row.mastery[topic])), row.lastActive ?? '',
  ])).join('');
}
