import { presentQuestion, type PresentedQuestion } from './present.js';
import { createRandom, shuffle, type Random } from './random.js';
import type { Question } from './types.js';

/**
 * Picks the questions of one run. Everything random (which questions, their order, the order of
 * their choices) comes from one seeded generator, so a seed replays the run exactly.
 */

export interface SelectOptions {
  /** Only these topics (empty or undefined: all). */
  topics?: readonly string[];
  /** At most this many questions. */
  count: number;
  seed: number;
  /**
   * Take topics in turn (an exam covers the syllabus) instead of drawing from the whole pool
   * (practice on what was asked for).
   */
  spreadTopics?: boolean;
}

export function selectQuestions(questions: readonly Question[], options: SelectOptions): PresentedQuestion[] {
  const random = createRandom(options.seed);
  const pool = options.topics && options.topics.length > 0 ? questions.filter((question) => options.topics?.includes(question.topic)) : [...questions];
  const chosen = options.spreadTopics ? spreadAcrossTopics(pool, options.count, random) : shuffle(pool, random).slice(0, options.count);
  return chosen.map((question) => presentQuestion(question, random));
}

function spreadAcrossTopics(pool: readonly Question[], count: number, random: Random): Question[] {
  const byTopic = new Map<string, Question[]>();
  for (const question of pool) byTopic.set(question.topic, [...(byTopic.get(question.topic) ?? []), question]);
  const queues = shuffle([...byTopic.keys()].sort(), random).map((topic) => shuffle(byTopic.get(topic) ?? [], random));
  const chosen: Question[] = [];
  while (chosen.length < count && queues.some((queue) => queue.length > 0)) {
    for (const queue of queues) {
      const next = queue.shift();
      if (next && chosen.length < count) chosen.push(next);
    }
  }
  // round-robin leaves topics in a fixed rotation: mix the final order too
  return shuffle(chosen, random);
}
