import type { Language } from '../locale/catalogue.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../package-root.js';
import { FILE_LIMITS, readUserText } from '../user-file.js';
import { stripControlCharacters } from '../control-characters.js';

/**
 * The course's ids, titles and order read straight from the front matter lines, without the YAML
 * parser: enough for the home screen's "what next" line, at a fraction of the cost of loading the
 * library. The full loader (./load.ts) stays the authority; this returns undefined when a file is
 * not in the simple shape it understands, and the caller then uses the loader.
 */

export interface CourseEntry {
  id: string;
  title: string;
  order: number;
}

const FIELD = (name: string) => new RegExp(`^${name}:[ \\t]*(.+?)[ \\t]*$`, 'm');

function unquote(value: string): string | undefined {
  if (/^["'].*["']$/.test(value)) return value.slice(1, -1);
  // anything YAML would read differently from plain text (flow values, comments, escapes) is not ours to guess
  return /^[[{|>&*!%@`#]/.test(value) || value.includes(' #') ? undefined : value;
}

// the same directory as load.ts's courseLessonsDir(), without importing the loader and its YAML parser
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
    let text: string;
    try {
      text = readUserText(join(folder, file), { limit: FILE_LIMITS.lesson });
    } catch {
      return undefined; // the loader reports it
    }
    const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1];
    const id = frontMatter && FIELD('id').exec(frontMatter)?.[1];
    const title = frontMatter && FIELD('title').exec(frontMatter)?.[1];
    const order = frontMatter && FIELD('order').exec(frontMatter)?.[1];
    const cleanTitle = title && unquote(title) !== undefined ? stripControlCharacters(unquote(title)!) : undefined;
    if (!id || !cleanTitle || !order || !/^\d+$/.test(order)) return undefined;
    entries.push({ id: unquote(id) ?? id, title: cleanTitle, order: Number(order) });
  }
  return entries.sort((a, b) => a.order - b.order);
}
