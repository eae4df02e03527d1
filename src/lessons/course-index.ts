import type { Language } from '../locale/catalogue.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../package-root.js';
import { stripControlCharacters } from '../control-characters.js';
import { readFrontMatter } from './front-matter.js';

/**
 * The course's ids, titles and order from each lesson's front matter alone (the top of each file,
 * read with the one front-matter reader): enough for the home screen's "what next" line, without
 * loading the library. The full loader (./load.ts) stays the authority; this returns undefined when a
 * file lacks one of the three, and the caller then uses the loader, which reports it.
 */

export interface CourseEntry {
  id: string;
  title: string;
  order: number;
}

// the same directory as load.ts's courseLessonsDir(), without importing the loader
const COURSE_DIR = packagePath('lessons');

export function readCourseIndex(lang: Language, dir: string = COURSE_DIR): CourseEntry[] | undefined {
  const folder = join(dir, lang);
  let files: string[];
  try {
    files = readdirSync(folder).filter((file) => file.endsWith('.md'));
  } catch {
    return undefined;
  }
  const entries: CourseEntry[] = [];
  for (const file of files) {
    const entry = courseEntry(join(folder, file));
    if (!entry) return undefined;
    entries.push(entry);
  }
  return entries.sort((a, b) => a.order - b.order);
}

function courseEntry(path: string): CourseEntry | undefined {
  let fields;
  try {
    fields = readFrontMatter(path)?.fields;
  } catch {
    return undefined;
  }
  const id = fields?.get('id')?.value;
  const title = fields?.get('title')?.value;
  const order = fields?.get('order')?.value;
  if (typeof id !== 'string' || id === '' || typeof title !== 'string' || typeof order !== 'number' || !Number.isInteger(order)) return undefined;
  const shown = stripControlCharacters(title);
  return shown === '' ? undefined : { id, title: shown, order };
}
