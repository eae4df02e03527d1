import type { Language, QuizTopic } from '../lessons/catalog.js';
import type { BASE_LANGUAGE } from '../locale/catalogue.js';
import { BASE_LANGUAGE as BASE, availableLanguages, translate, type Params } from '../locale/catalogue.js';

/**
 * The shape of a quiz question once loaded, whatever its source: a YAML bank in `lessons/quiz/`
 * or (later) a generator that reads the learner's own sandbox PKI. The engine (practice, exam,
 * review) only ever sees these types.
 */

export type { Language, QuizTopic };

/** Content in every language kubetls has a catalogue for, keyed by its code (`en`, `ko`). */
export type LocalizedText = Readonly<Record<typeof BASE_LANGUAGE, string> & Record<Language, string>>;

export const QUESTION_TYPES = ['single', 'multiple', 'text', 'order'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** How a free-text answer is compared: see `normalize.ts`. */
export const NORMALIZE_KINDS = ['path', 'duration', 'name', 'text'] as const;
export type NormalizeKind = (typeof NORMALIZE_KINDS)[number];

export type Difficulty = 1 | 2 | 3;

export interface Choice {
  text: LocalizedText;
  /** Written once for every language (a path, a CN, a flag): shown as it is. */
  literal: boolean;
}

/** Where a question came from, for diagnostics and for the review screen. */
export type QuestionOrigin = { kind: 'bank'; file: string; line: number } | { kind: 'generated'; source: string };

interface QuestionBase {
  id: string;
  topic: QuizTopic;
  difficulty: Difficulty;
  /** The lesson that teaches it: practice feedback says "read lesson X". */
  lesson: string;
  prompt: LocalizedText;
  explanation: LocalizedText;
  /** Points in an exam; defaults to the difficulty. */
  weight: number;
  /** A reference fact the answer key is tested against (`apiserver.cn`, `not apiserver.sans`). */
  fact?: string;
  origin: QuestionOrigin;
}

export interface SingleChoiceQuestion extends QuestionBase {
  type: 'single';
  choices: Choice[];
  /** Index into `choices`. */
  answer: number;
}

export interface MultipleChoiceQuestion extends QuestionBase {
  type: 'multiple';
  choices: Choice[];
  /** Indices into `choices`, ascending; every one must be picked and no other. */
  answer: number[];
}

export interface OrderQuestion extends QuestionBase {
  type: 'order';
  choices: Choice[];
  /** Indices into `choices` in the correct sequence (a permutation of all of them); the one shown as the answer. */
  answer: number[];
  /** Other sequences that are right too, when some steps do not depend on each other. */
  alsoAccepted?: number[][];
}

export interface TextQuestion extends QuestionBase {
  type: 'text';
  normalize: NormalizeKind;
  /**
   * Accepted answers. Without `list`, each entry is one alternative of one value. With `list`,
   * there is one entry: the values that must all be given, in any order.
   */
  accepted: string[][];
  list: boolean;
}

export type Question = SingleChoiceQuestion | MultipleChoiceQuestion | OrderQuestion | TextQuestion;

/**
 * A fix-it task: kubetls breaks something in the learner's sandbox and the learner repairs it with the
 * real tools. It travels through the engine (practice, exam, review, progress) as a question answered
 * with a line of text ("done"), but only the sandbox grader's verdict, carried in the response, counts:
 * what was typed is never compared. Its `accepted` list is empty, so an ungraded answer is never right.
 */
export interface FixItQuestion extends TextQuestion {
  task: FixItFault;
  /** Where to look, without giving the fix away: the lesson section, the command that shows it. */
  hint: LocalizedText;
}

/** What kubetls breaks for a task (the arguments of `kubetls pki break`). */
export interface FixItFault {
  certificate: string;
  fault: 'expired' | 'not-yet-valid' | 'wrong-ca' | 'missing-san' | 'wrong-usage' | 'key-mismatch' | 'wrong-path';
  san?: string;
  flag?: string;
  to?: string;
}

/** One real check the grader ran: a verify, the manifest check, a handshake. */
export interface TaskCheck {
  name: string;
  ok: boolean;
  /** What passed, or the error the real tool reports. */
  message: string;
}

export interface TaskGrade {
  passed: boolean;
  checks: TaskCheck[];
}

export function isFixItQuestion(question: Question): question is FixItQuestion {
  return (question as Partial<FixItQuestion>).task !== undefined;
}
export type ChoiceQuestion = SingleChoiceQuestion | MultipleChoiceQuestion | OrderQuestion;

export function isChoiceQuestion(question: Question): question is ChoiceQuestion {
  return question.type !== 'text';
}

/** A learner's answer, independent of how the choices were shuffled on screen. A fix-it task's carries the grader's verdict. */
export type Response = { kind: 'choices'; indices: number[] } | { kind: 'text'; value: string; grade?: TaskGrade };

/** The text in `lang`, else in the base language (content is checked for every language when loaded). */
export function localize(text: LocalizedText | undefined, lang: Language): string {
  return text?.[lang] ?? text?.[BASE] ?? '';
}

/** A catalogue string in every language there is a catalogue for: adding a language adds its text here too. */
export function saidInEvery(key: string, params: Params = {}): LocalizedText {
  return Object.fromEntries(availableLanguages().map((language) => [language, translate(language, key, params)])) as LocalizedText;
}

/** The same text in every language: a path, a name, a flag. */
export function sameInEvery(text: string): LocalizedText {
  return Object.fromEntries(availableLanguages().map((language) => [language, text])) as LocalizedText;
}

/** Texts joined language by language (several explanations into one). */
export function joinedInEvery(texts: readonly LocalizedText[], separator: string): LocalizedText {
  return Object.fromEntries(availableLanguages().map((language) => [language, texts.map((text) => localize(text, language)).join(separator)])) as LocalizedText;
}
