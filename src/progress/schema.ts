import { BASE_LANGUAGE } from '../locale/catalogue.js';
/**
 * What the progress file holds, as TypeScript types and as the JSON Schema the store validates
 * every read and write against (conf runs it through ajv). The two are kept side by side so a
 * field added to one is added to the other; `test/progress.test.ts` checks they agree.
 *
 * Version 1 is the first versioned schema. A change of shape bumps `SCHEMA_VERSION` and adds a
 * step to `migrations.ts`.
 */

export const SCHEMA_VERSION = 1;

export const ATTEMPT_MODES = ['practice', 'exam', 'review'] as const;
export type AttemptMode = (typeof ATTEMPT_MODES)[number];

export const SETTINGS_THEMES = ['dark', 'light'] as const;

export interface LessonRecord {
  done: boolean;
  /** First visible line when the learner left the lesson, and how far through that was (0..100). */
  line: number;
  percent: number;
  /** When the lesson was first marked done (ISO 8601). */
  doneAt?: string;
  /** When the learner last read it (ISO 8601). */
  lastReadAt?: string;
}

/** One question of an attempt, as it was answered. */
export interface QuestionOutcome {
  questionId: string;
  topic: string;
  correct: boolean;
  /** How long the learner took on it, when the quiz measured that. */
  answeredInMs?: number;
}

/** A finished practice run, exam or review, as the quiz engine hands it over. */
export interface AttemptRecord {
  /** Unique: recording the same id twice keeps the first (a retried save does not count twice). */
  id: string;
  /** When it finished (ISO 8601). */
  at: string;
  mode: AttemptMode;
  topics: string[];
  outcomes: QuestionOutcome[];
  /** Points earned and possible (an exam weighs questions; practice counts one point each). */
  score: number;
  max: number;
  /** Exams only: whether the score reached the pass mark. */
  passed?: boolean;
  durationMs?: number;
  /** An exam the teacher set for the class (`kubetls class exam`): its id, so the class table can show it. */
  classExam?: string;
}

/** The class a learner opted into (`kubetls class join`): their summary is written there on each change. */
export interface ClassMembership {
  dir: string;
  /** The name the teacher sees. */
  name: string;
  joinedAt: string;
}

/** Leitner state of one question: the box, when it is next due, and its run of right answers. */
export interface ReviewCard {
  box: number;
  /** ISO 8601. */
  due: string;
  streak: number;
}

export interface Settings {
  /** A catalogue's code (locales/<code>/); one that is not shipped falls back when read. */
  language: string;
  theme: (typeof SETTINGS_THEMES)[number];
  monochrome: boolean;
}

export interface Progress {
  schemaVersion: typeof SCHEMA_VERSION;
  /** Lesson id -> where the learner is in it. */
  lessons: Record<string, LessonRecord>;
  /** The lesson opened last, to offer "continue". */
  lastLesson?: string;
  attempts: AttemptRecord[];
  /** Question id -> Leitner card. */
  review: Record<string, ReviewCard>;
  settings: Settings;
  /** Where the learner keeps the sandbox PKI; absent means the default place for the profile. */
  sandboxDir?: string;
  /** Local calendar days (YYYY-MM-DD) with any study, ascending, for the streak. */
  studyDays: string[];
  /** Present while the learner is in a class. */
  classroom?: ClassMembership;
}

export const DEFAULT_SETTINGS: Settings = { language: BASE_LANGUAGE, theme: 'dark', monochrome: false };

export function emptyProgress(settings: Settings = DEFAULT_SETTINGS): Progress {
  return { schemaVersion: SCHEMA_VERSION, lessons: {}, attempts: [], review: {}, settings: { ...settings }, studyDays: [] };
}

const isoTime = { type: 'string', format: 'date-time' } as const;
const nonNegative = { type: 'number', minimum: 0 } as const;
const idText = { type: 'string', minLength: 1 } as const;

/**
 * The JSON Schema (2020-12, as conf's ajv reads it) of a version-1 file, as conf's `schema`
 * option: one entry per top-level property. Unknown extra properties are allowed, so a
 * hand-added note does not get a learner's whole file moved aside.
 */
export const PROGRESS_JSON_SCHEMA = {
  schemaVersion: { const: SCHEMA_VERSION },
  lessons: {
    type: 'object',
    additionalProperties: {
      type: 'object',
      required: ['done', 'line', 'percent'],
      properties: {
        done: { type: 'boolean' },
        line: { type: 'integer', minimum: 0 },
        percent: { type: 'number', minimum: 0, maximum: 100 },
        doneAt: isoTime,
        lastReadAt: isoTime,
      },
    },
  },
  lastLesson: idText,
  attempts: {
    type: 'array',
    items: {
      type: 'object',
      required: ['id', 'at', 'mode', 'topics', 'outcomes', 'score', 'max'],
      properties: {
        id: idText,
        at: isoTime,
        mode: { enum: [...ATTEMPT_MODES] },
        topics: { type: 'array', items: idText },
        outcomes: {
          type: 'array',
          items: {
            type: 'object',
            required: ['questionId', 'topic', 'correct'],
            properties: { questionId: idText, topic: idText, correct: { type: 'boolean' }, answeredInMs: nonNegative },
          },
        },
        score: nonNegative,
        max: nonNegative,
        passed: { type: 'boolean' },
        durationMs: nonNegative,
        classExam: idText,
      },
    },
  },
  review: {
    type: 'object',
    additionalProperties: {
      type: 'object',
      required: ['box', 'due', 'streak'],
      properties: { box: { type: 'integer', minimum: 1 }, due: isoTime, streak: { type: 'integer', minimum: 0 } },
    },
  },
  settings: {
    type: 'object',
    required: ['language', 'theme', 'monochrome'],
    properties: { language: { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$' }, theme: { enum: [...SETTINGS_THEMES] }, monochrome: { type: 'boolean' } },
  },
  sandboxDir: idText,
  studyDays: { type: 'array', items: { type: 'string', format: 'date' } },
  classroom: {
    type: 'object',
    required: ['dir', 'name', 'joinedAt'],
    properties: { dir: idText, name: idText, joinedAt: isoTime },
  },
} as const;

/** Every top-level property a version-1 file must have (the optional ones are left out). */
export const REQUIRED_PROPERTIES = ['schemaVersion', 'lessons', 'attempts', 'review', 'settings', 'studyDays'] as const;

/**
 * conf's `rootSchema`. conf reads a missing file as `{}` and validates that too, so the empty
 * object stands for "no file yet"; anything else must be a whole version-1 store.
 */
export const PROGRESS_ROOT_SCHEMA = {
  if: { minProperties: 1 },
  then: { required: [...REQUIRED_PROPERTIES] },
} as const;
