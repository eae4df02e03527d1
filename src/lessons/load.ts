import { statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { packagePath } from '../package-root.js';
import { FILE_LIMITS, refusalReason, readUserDirectory, readUserText } from '../user-file.js';
import { stripControlCharacters } from '../control-characters.js';
import { courseTopics } from './course.js';
import { isTopicName, parseSandboxAction, type Language, type QuizTopic, type SandboxAction } from './catalog.js';
import { availableLanguages, BASE_LANGUAGE } from '../locale/catalogue.js';
import type { Diagnostic } from './diagnostic.js';
import { parseFrontMatter, splitLessonFile, type FrontMatterField } from './front-matter.js';

/**
 * Finds lesson files and reads their front matter. Bodies are kept as text and only lexed when a
 * lesson is shown or checked (see ./markdown.ts), so listing the course stays cheap.
 */

export type LessonSource = 'course' | 'extra';

export interface Lesson {
  id: string;
  title: string;
  description: string;
  keywords: string[];
  /** Position in the course; undefined sorts after every numbered lesson. */
  order: number | undefined;
  quizTopics: QuizTopic[];
  /** `topic_names`: what each of its quiz topics is called in the lesson's language (src/lessons/course.ts's topicName reads them). */
  topicNames: Readonly<Record<QuizTopic, string>>;
  sandboxActions: SandboxAction[];
  /** undefined: an extra lesson outside any `en/` or `ko/` folder, shown whatever the language. */
  lang: Language | undefined;
  source: LessonSource;
  /** Absolute path of the file. */
  file: string;
  /** File line of each front matter key, where problems with that field are reported. */
  fieldLines: Readonly<Record<string, number>>;
  body: string;
  /** File line of the body's first line. */
  bodyLine: number;
}

export interface LessonLibrary {
  lessons: Lesson[];
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** The course's `lessons/` directory; defaults to the one shipped with kubetls. */
  courseDir?: string;
  /** Teachers' directories (`--lessons-dir`), loaded after the course. */
  extraDirs?: readonly string[];
}

/** The `lessons/` directory of this package. */
export function courseLessonsDir(): string {
  return packagePath('lessons');
}

const COURSE_KEYS = new Set(['id', 'title', 'description', 'keywords', 'order', 'quiz_topics', 'topic_names', 'sandbox_actions']);
const LESSON_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Docusaurus strips a number prefix (`01-`, `1.`, `01_`) and blog posts a date prefix from file names.
const NAME_PREFIX = /^(?:\d{4}-\d{2}-\d{2}-|\d+[-_.]\s*)/;
const MAX_EXTRA_DEPTH = 4;

export function loadLessons(options: LoadOptions = {}): LessonLibrary {
  const diagnostics: Diagnostic[] = [];
  const lessons: Lesson[] = [];
  const courseDir = resolve(options.courseDir ?? courseLessonsDir());
  const groups: LessonFile[][] = [collectCourseFiles(courseDir, diagnostics)];
  for (const dir of options.extraDirs ?? []) groups.push(collectExtraFiles(resolve(dir), diagnostics));

  for (const group of groups) {
    const loaded: Lesson[] = [];
    for (const file of group) {
      const lesson = readLesson(file, diagnostics);
      if (lesson && !isDuplicate(lesson, lessons, diagnostics)) {
        lessons.push(lesson);
        loaded.push(lesson);
      }
    }
    checkLanguageParity(group, loaded, diagnostics);
  }
  checkCourseOrder(lessons.filter((lesson) => lesson.source === 'course'), diagnostics);
  return { lessons, diagnostics };
}

/** The lessons a learner sees in one language, in course order. */
export function lessonsInLanguage(library: LessonLibrary, lang: Language): Lesson[] {
  return library.lessons
    .filter((lesson) => lesson.lang === undefined || lesson.lang === lang)
    .sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity) || (a.source === b.source ? 0 : a.source === 'course' ? -1 : 1) || a.id.localeCompare(b.id));
}

export function findLesson(library: LessonLibrary, id: string, lang: Language): Lesson | undefined {
  return library.lessons.find((lesson) => lesson.id === id && (lesson.lang === lang || lesson.lang === undefined));
}

/** Every lesson id known in any language: the targets a link may point at. */
export function knownLessonIds(library: LessonLibrary): Set<string> {
  return new Set(library.lessons.map((lesson) => lesson.id));
}

interface LessonFile {
  path: string;
  source: LessonSource;
  lang: Language | undefined;
  /** The directory whose `en/` and `ko/` must hold the same ids, when the file is in one. */
  parityRoot: string | undefined;
}

function collectCourseFiles(courseDir: string, diagnostics: Diagnostic[]): LessonFile[] {
  if (!isDirectory(courseDir)) {
    diagnostics.push({ file: courseDir, line: 0, message: 'the course lesson directory is missing (is kubetls installed completely?)', severity: 'error' });
    return [];
  }
  return availableLanguages().flatMap((lang) => {
    const dir = join(courseDir, lang);
    if (!isDirectory(dir)) {
      diagnostics.push({ file: dir, line: 0, message: `the course has no ${lang} lessons directory`, severity: 'error' });
      return [];
    }
    return markdownFiles(dir, 0).map((path) => ({ path, source: 'course' as const, lang, parityRoot: courseDir }));
  });
}

function collectExtraFiles(dir: string, diagnostics: Diagnostic[]): LessonFile[] {
  if (!isDirectory(dir)) {
    diagnostics.push({ file: dir, line: 0, message: 'lesson directory not found', severity: 'error' });
    return [];
  }
  const files: LessonFile[] = [];
  const hasBothLanguages = availableLanguages().every((lang) => isDirectory(join(dir, lang)));
  for (const lang of availableLanguages()) {
    if (!isDirectory(join(dir, lang))) continue;
    for (const path of markdownFiles(join(dir, lang), MAX_EXTRA_DEPTH)) {
      files.push({ path, source: 'extra', lang, parityRoot: hasBothLanguages ? dir : undefined });
    }
  }
  const languageDirs = new Set(availableLanguages().map((lang) => join(dir, lang)));
  for (const path of markdownFiles(dir, MAX_EXTRA_DEPTH, languageDirs)) {
    files.push({ path, source: 'extra', lang: undefined, parityRoot: undefined });
  }
  return files;
}

/** `.md` files under `dir`, sorted, skipping hidden and `_partial` entries (as Docusaurus does) and READMEs. */
function markdownFiles(dir: string, depth: number, skipDirs: ReadonlySet<string> = new Set()): string[] {
  let entries;
  try {
    entries = readUserDirectory(dir);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth > 0 && !skipDirs.has(path)) files.push(...markdownFiles(path, depth - 1, skipDirs));
    } else if (entry.name.endsWith('.md') && entry.name.toLowerCase() !== 'readme.md') {
      files.push(path);
    }
  }
  return files;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readLesson(file: LessonFile, diagnostics: Diagnostic[]): Lesson | undefined {
  const report = (line: number, message: string, severity: Diagnostic['severity'] = 'warning'): void => {
    diagnostics.push({ file: file.path, line, message, severity });
  };
  let text: string;
  try {
    text = readUserText(file.path, { limit: FILE_LIMITS.lesson });
  } catch (error) {
    report(0, `${refusalReason(error)}; lesson skipped`, 'error');
    return undefined;
  }
  const split = splitLessonFile(text);
  if (split.problem) {
    report(split.problem.line, `${split.problem.message}; lesson skipped`, 'error');
    return undefined;
  }
  const strict = file.source === 'course';
  if (split.yaml === undefined && strict) {
    report(1, 'no front matter: a course lesson starts with --- and the fields id, title, description, keywords, order, quiz_topics, sandbox_actions; lesson skipped', 'error');
    return undefined;
  }
  const frontMatter = split.yaml === undefined ? { fields: new Map<string, FrontMatterField>(), problems: [] } : parseFrontMatter(split.yaml, split.yamlLine);
  if (frontMatter.problems.length > 0) {
    for (const problem of frontMatter.problems) report(problem.line, `${problem.message}; lesson skipped`, 'error');
    return undefined;
  }
  const fields = fieldReader(frontMatter.fields, report, strict);

  const id = lessonId(file, fields, report);
  if (id === undefined) return undefined;
  const title = fields.string('title') ?? (strict ? undefined : fields.string('sidebar_label') ?? firstHeading(split.body)) ?? id;
  const order = fields.number('order', strict) ?? (strict ? undefined : fields.number('sidebar_position', false));
  if (strict) {
    for (const [key, field] of frontMatter.fields) {
      if (!COURSE_KEYS.has(key)) report(field.line, `unknown front matter key "${key}" (course lessons use: ${[...COURSE_KEYS].join(', ')})`);
    }
  }
  // a course lesson names its topics (that is where the course's topics come from); a teacher's lesson links to the course's
  const quizTopics = fields.checkedList('quiz_topics', (value) => quizTopicCheck(value, strict));
  return {
    id,
    title,
    description: fields.string('description') ?? '',
    keywords: fields.stringList('keywords'),
    order,
    quizTopics,
    topicNames: topicNamesOf(frontMatter.fields.get('topic_names'), quizTopics, report, strict),
    sandboxActions: fields.checkedList('sandbox_actions', (value) => {
      const parsed = parseSandboxAction(value);
      return parsed.ok ? { ok: true, value: parsed.action } : { ok: false, message: parsed.message };
    }),
    lang: file.lang,
    source: file.source,
    file: file.path,
    fieldLines: Object.fromEntries([...frontMatter.fields].map(([key, field]) => [key, field.line])),
    body: split.body,
    bodyLine: split.bodyLine,
  };
}

function lessonId(file: LessonFile, fields: FieldReader, report: Reporter): string | undefined {
  const fileNameId = idFromFileName(file.path);
  const explicit = fields.string('id');
  if (file.source === 'course') {
    const line = fields.line('id');
    if (explicit === undefined) {
      if (!fields.has('id')) report(1, 'front matter has no "id" (a kebab-case name such as cluster-ca); lesson skipped', 'error');
      return undefined;
    }
    if (!LESSON_ID.test(explicit)) {
      report(line, `id "${explicit}" must be kebab-case: lowercase letters, digits and single dashes; lesson skipped`, 'error');
      return undefined;
    }
    if (explicit !== fileNameId) report(line, `id "${explicit}" does not match the file name (expected NN-${explicit}.md)`);
    return explicit;
  }
  if (explicit !== undefined) {
    if (LESSON_ID.test(explicit)) return explicit;
    report(fields.line('id'), `id "${explicit}" is not kebab-case; using "${toLessonId(explicit)}"`);
    const normalized = toLessonId(explicit);
    return normalized === '' ? undefined : normalized;
  }
  const slug = fields.string('slug');
  const fromSlug = slug === undefined ? undefined : toLessonId(slug.split('/').filter((part) => part !== '').pop() ?? '');
  const derived = fromSlug || fileNameId;
  if (derived === '') {
    report(1, 'cannot make a lesson id from the file name; add "id: some-name" to the front matter; lesson skipped', 'error');
    return undefined;
  }
  return derived;
}

/** `03-cluster-ca.md` -> `cluster-ca`; `2024-05-01-my-note.md` -> `my-note`; `notes/index.md` -> `notes`. */
export function idFromFileName(path: string): string {
  let name = basename(path).replace(/\.md$/, '');
  if (name === 'index') name = basename(dirname(path));
  return toLessonId(name.replace(NAME_PREFIX, ''));
}

function toLessonId(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The first `# Heading` outside code fences: Docusaurus's title when front matter has none. */
function firstHeading(body: string): string | undefined {
  let fence: string | undefined;
  for (const line of body.split('\n')) {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch?.[1]) {
      if (fence === undefined) fence = fenceMatch[1];
      else if (fenceMatch[1].startsWith(fence)) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const text = atxHeadingText(line);
    if (text) return text;
  }
  return undefined;
}

/** `# Title #` -> `Title`, without a regular expression that would backtrack on a long run of spaces. */
function atxHeadingText(line: string): string | undefined {
  const opening = /^ {0,3}#[ \t]/.exec(line);
  if (!opening) return undefined;
  let text = stripControlCharacters(line.slice(opening[0].length)).trim();
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  if (end === 0 || /\s/.test(text[end - 1]!)) text = text.slice(0, end).trimEnd();
  return text === '' ? undefined : text;
}

type Reporter = (line: number, message: string, severity?: Diagnostic['severity']) => void;

interface FieldReader {
  has(key: string): boolean;
  line(key: string): number;
  string(key: string): string | undefined;
  number(key: string, wholeNumber: boolean): number | undefined;
  stringList(key: string): string[];
  /** A list of strings, each checked; bad items are reported at their own line and left out. */
  checkedList<T>(key: string, check: (value: string) => { ok: true; value: T } | { ok: false; message: string }): T[];
}

/** Typed access to front matter fields; a value of the wrong type is reported and treated as absent. */
function quizTopicCheck(value: string, courseLesson: boolean): { ok: true; value: string } | { ok: false; message: string } {
  if (!isTopicName(value)) return { ok: false, message: `"${value}" is not a topic name (lower-case words joined by dashes, e.g. cluster-ca)` };
  if (!courseLesson && !courseTopics().includes(value)) return { ok: false, message: `unknown quiz topic "${value}" (the course's topics: ${courseTopics().join(', ')})` };
  return { ok: true, value };
}

/**
 * `topic_names: {cluster-ca: The cluster CA}`: a name for each topic in `quiz_topics`, in the file's
 * language, shown wherever a learner sees the topic. A course lesson names every topic it declares.
 */
function topicNamesOf(field: FrontMatterField | undefined, topics: readonly QuizTopic[], report: Reporter, strict: boolean): Record<QuizTopic, string> {
  const names: Record<QuizTopic, string> = {};
  const value = field?.value;
  if (field && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    report(field.line, '"topic_names" must map each quiz topic to its name, such as {cluster-ca: The cluster CA}');
  } else if (field) {
    for (const [topic, name] of Object.entries(value as Record<string, unknown>)) {
      const text = typeof name === 'string' ? stripControlCharacters(name).trim() : '';
      if (!topics.includes(topic)) report(field.line, `"topic_names" names "${topic}", which is not in this lesson's quiz_topics`);
      else if (text === '') report(field.line, `"topic_names" needs a non-empty name for "${topic}"`);
      else names[topic] = text;
    }
  }
  const unnamed = topics.filter((topic) => names[topic] === undefined);
  if (strict && unnamed.length > 0) report(field?.line ?? 1, `quiz topic${unnamed.length === 1 ? '' : 's'} ${unnamed.join(', ')} ha${unnamed.length === 1 ? 's' : 've'} no name: add topic_names: {${unnamed[0]}: ...}`);
  return names;
}

function fieldReader(fields: Map<string, FrontMatterField>, report: Reporter, strict: boolean): FieldReader {
  const missing = (key: string): undefined => {
    if (strict && COURSE_KEYS.has(key)) report(1, `front matter has no "${key}"`);
    return undefined;
  };
  const checkedList = <T>(key: string, check: (value: string) => { ok: true; value: T } | { ok: false; message: string }): T[] => {
    const field = fields.get(key);
    if (!field) return missing(key) ?? [];
    if (field.value === null) return [];
    if (!Array.isArray(field.value)) {
      report(field.line, `"${key}" must be a list, such as [a, b] or lines starting with "- "`);
      return [];
    }
    const values: T[] = [];
    field.value.forEach((item: unknown, index) => {
      const line = field.itemLines[index] ?? field.line;
      if (typeof item !== 'string' && typeof item !== 'number') {
        report(line, `"${key}" items must be plain text (got ${JSON.stringify(item)})`);
        return;
      }
      const result = check(stripControlCharacters(String(item)));
      if (result.ok) values.push(result.value);
      else report(line, result.message);
    });
    return values;
  };
  return {
    has: (key) => fields.has(key),
    line: (key) => fields.get(key)?.line ?? 1,
    string(key) {
      const field = fields.get(key);
      if (!field) return key === 'id' ? undefined : missing(key);
      // a title is printed in lists, headers and the terminal's own title: nothing in it may steer the terminal
      if (typeof field.value === 'string' && stripControlCharacters(field.value).trim() !== '') return stripControlCharacters(field.value).trim();
      if (typeof field.value === 'number') return String(field.value);
      report(field.line, `"${key}" must be a non-empty text`);
      return undefined;
    },
    number(key, wholeNumber) {
      const field = fields.get(key);
      if (!field) return missing(key);
      const value = field.value;
      if (typeof value === 'number' && Number.isFinite(value) && (!wholeNumber || (Number.isInteger(value) && value >= 0))) return value;
      report(field.line, `"${key}" must be ${wholeNumber ? 'a whole number such as 3' : 'a number'} (got ${JSON.stringify(value)})`);
      return undefined;
    },
    stringList: (key) => checkedList(key, (value) => ({ ok: true, value })),
    checkedList,
  };
}

function isDuplicate(lesson: Lesson, loaded: readonly Lesson[], diagnostics: Diagnostic[]): boolean {
  const clash = loaded.find((other) => other.id === lesson.id && (other.lang === undefined || lesson.lang === undefined || other.lang === lesson.lang));
  if (!clash) return false;
  diagnostics.push({
    file: lesson.file,
    line: lesson.fieldLines['id'] ?? 1,
    message: `duplicate lesson id "${lesson.id}" (already used by ${clash.file}); this file is skipped`,
    severity: 'error',
  });
  return true;
}

/** Each `en/` lesson needs a `ko/` twin with the same id, and the other way round. */
function checkLanguageParity(group: readonly LessonFile[], loaded: readonly Lesson[], diagnostics: Diagnostic[]): void {
  const roots = new Set(group.map((file) => file.parityRoot).filter((root): root is string => root !== undefined));
  for (const root of roots) {
    const inRoot = loaded.filter((lesson) => group.some((file) => file.path === lesson.file && file.parityRoot === root));
    for (const lang of availableLanguages()) {
      const ids = new Set(inRoot.filter((lesson) => lesson.lang === lang).map((lesson) => lesson.id));
      for (const lesson of inRoot) {
        if (lesson.lang === lang || ids.has(lesson.id)) continue;
        diagnostics.push({
          file: lesson.file,
          line: lesson.fieldLines['id'] ?? 1,
          message: `lesson "${lesson.id}" has no ${lang} version in ${relative(root, join(root, lang)) || lang}/ (every lesson exists in ${availableLanguages().join(', ')})`,
          severity: 'warning',
        });
      }
    }
  }
}

/** Course lessons need distinct `order` values, the same in every language. */
function checkCourseOrder(course: readonly Lesson[], diagnostics: Diagnostic[]): void {
  for (const lesson of course) {
    if (lesson.order === undefined) continue;
    const sameOrder = course.find((other) => other !== lesson && other.lang === lesson.lang && other.order === lesson.order && other.id < lesson.id);
    if (sameOrder) {
      diagnostics.push({ file: lesson.file, line: lesson.fieldLines['order'] ?? 1, message: `order ${lesson.order} is also used by "${sameOrder.id}"; give each lesson its own position`, severity: 'warning' });
    }
    const twin = course.find((other) => other.id === lesson.id && other.lang !== lesson.lang && other.order !== undefined);
    if (twin && twin.order !== lesson.order && lesson.lang !== BASE_LANGUAGE) {
      diagnostics.push({ file: lesson.file, line: lesson.fieldLines['order'] ?? 1, message: `order ${lesson.order} differs from the ${twin.lang} version's order ${twin.order}`, severity: 'warning' });
    }
  }
}
