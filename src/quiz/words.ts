import { translate, type Language, type Params } from '../locale/catalogue.js';
import type { QuizTopic } from './types.js';
import { topicName } from '../lessons/course.js';

/**
 * Words the quiz shells share: a count said with the language's plural form, points, and a topic's
 * name. The catalogue holds the words (locales/<code>/quiz.yaml); these choose among them.
 */

/** `key`-one or `key`-other, as the language's plural rules choose for `count` (Korean has only -other). */
export function counted(language: Language, key: string, count: number, params: Params = {}): string {
  const form = new Intl.PluralRules(language).select(count) === 'one' ? 'one' : 'other';
  return translate(language, `${key}-${form}`, { count, ...params });
}

/** "3 pts", "3점". */
export function points(language: Language, value: number): string {
  return counted(language, 'quiz.points', value, { n: formatNumber(value) });
}

/** Whole numbers as they are; a weight like 1.5 with at most two decimals. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

/** The name a learner reads for a topic: the course's name for it (its lessons' `topic_names`), else its id. */
export function topicLabel(topic: QuizTopic, language: Language): string {
  return topicName(topic, language);
}
