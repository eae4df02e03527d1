import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../package-root.js';
import { readFrontMatter } from './front-matter.js';

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
    course = courseOf(join(lessonsRoot, 'en'));
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
