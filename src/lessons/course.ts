import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../package-root.js';
import { readFrontMatter } from './front-matter.js';
import { BASE_LANGUAGE, type Language } from '../locale/catalogue.js';

/**
 * The course as its lesson files say it is: the lessons of `lessons/en` in their `order`, and the quiz
 * topics they teach (`quiz_topics`), in the same order. A lesson dropped into lessons/en (and ko) joins
 * the course, counts toward completion and brings its topic, with no code change. Read with the one
 * front-matter reader, once per directory; a file it cannot read is left to the loader, which reports it.
 */

export interface Course {
  /** Course lesson ids, in course order: what completion counts. */
  lessonIds: string[];
  /** Quiz topics, in the order of the lessons that teach them: what question banks and mastery use. */
  topics: string[];
}

const cache = new Map<string, Course>();

export function readCourse(lessonsRoot: string = packagePath('lessons')): Course {
  let course = cache.get(lessonsRoot);
  if (!course) {
    course = courseOf(join(lessonsRoot, BASE_LANGUAGE));
    cache.set(lessonsRoot, course);
  }
  return course;
}

function courseOf(folder: string): Course {
  let files: string[];
  try {
    files = readdirSync(folder).filter((file) => file.endsWith('.md'));
  } catch {
    return { lessonIds: [], topics: [] };
  }
  const lessons = files.flatMap((file) => {
    const fields = frontMatterOf(join(folder, file));
    const id = fields?.get('id')?.value;
    const order = fields?.get('order')?.value;
    const topics = fields?.get('quiz_topics')?.value;
    if (typeof id !== 'string' || typeof order !== 'number') return [];
    return [{ id, order, topics: Array.isArray(topics) ? topics.filter((t): t is string => typeof t === 'string') : [] }];
  });
  lessons.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return { lessonIds: lessons.map((l) => l.id), topics: [...new Set(lessons.flatMap((l) => l.topics))] };
}

function frontMatterOf(path: string) {
  try {
    return readFrontMatter(path)?.fields;
  } catch {
    return undefined;
  }
}

/** The course's quiz topics. */
export function courseTopics(lessonsRoot?: string): string[] {
  return readCourse(lessonsRoot).topics;
}

export function isCourseTopic(value: string, lessonsRoot?: string): boolean {
  return courseTopics(lessonsRoot).includes(value);
}

const namesCache = new Map<string, ReadonlyMap<string, string>>();

/** The names the course's lessons in `language` give their quiz topics (`topic_names`), read once. */
function topicNamesIn(language: Language, lessonsRoot: string): ReadonlyMap<string, string> {
  const cacheKey = `${lessonsRoot}\0${language}`;
  let names = namesCache.get(cacheKey);
  if (!names) {
    const folder = join(lessonsRoot, language);
    let files: string[] = [];
    try {
      files = readdirSync(folder).filter((file) => file.endsWith('.md'));
    } catch {
      // no lessons in this language: its names fall back to the base language's
    }
    const found = new Map<string, string>();
    for (const file of files) {
      const value = frontMatterOf(join(folder, file))?.get('topic_names')?.value;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      for (const [topic, name] of Object.entries(value as Record<string, unknown>)) if (typeof name === 'string' && name.trim() !== '') found.set(topic, name.trim());
    }
    names = found;
    namesCache.set(cacheKey, names);
  }
  return names;
}

/**
 * A quiz topic as a learner reads it: the name its lesson gives it in `language` (`topic_names` in
 * the front matter; `kubetls lessons check` reports a course topic without one), else the base
 * language's, else the topic's id.
 */
export function topicName(topic: string, language: Language, lessonsRoot: string = packagePath('lessons')): string {
  return topicNamesIn(language, lessonsRoot).get(topic) ?? topicNamesIn(BASE_LANGUAGE, lessonsRoot).get(topic) ?? topic;
}
