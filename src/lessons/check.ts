import { dirname, resolve } from 'node:path';
import type { Tokens } from 'marked';
import { ADMONITION_KINDS, isAdmonitionKind, parseSandboxAction } from './catalog.js';
import type { Diagnostic } from './diagnostic.js';
import { knownLessonIds, type Lesson, type LessonLibrary } from './load.js';
import { isAdmonition, isStrayFence, lexLessonSource, walkTokensWithLines } from './markdown.js';
import { classifyLink, plainInline } from './render.js';

/**
 * Checks what front matter cannot show: call-outs that are never closed, links to lessons that
 * do not exist, `sandbox:` links with a bad action, emphasis markers markdown did not recognise,
 * and a course lesson without its "Try it" section. Lexes the body, so it runs when a lesson is
 * shown or when the whole course is checked, not when lessons are listed.
 */
export function checkLesson(lesson: Lesson, library: LessonLibrary): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (line: number, message: string): void => {
    diagnostics.push({ file: lesson.file, line, message, severity: 'warning' });
  };
  const ids = knownLessonIds(library);
  const idForPath = lessonIdForPath(lesson, library);
  let hasTryIt = false;

  const { tokens, source } = lexLessonSource(lesson.body);
  walkTokensWithLines(tokens, source, lesson.bodyLine, (token, line) => {
    if (isAdmonition(token)) {
      if (!token.closed) report(line, `":::${token.kind}" is never closed: add a line with only ::: where the call-out ends`);
      if (!isAdmonitionKind(token.kind)) report(line, `unknown admonition kind ":::${token.kind}" (use ${ADMONITION_KINDS.filter((kind) => kind !== 'caution').join(', ')})`);
    } else if (isStrayFence(token)) {
      report(line, 'this ::: closes no call-out (is an opening ":::tip" missing, or is there one ::: too many?)');
    } else if (token.type === 'link') {
      const link = token as Tokens.Link;
      const target = classifyLink(link.href, idForPath);
      if (target.kind === 'lesson' && !ids.has(target.id)) {
        report(line, `link to unknown lesson "${link.href}" (lesson ids: ${[...ids].sort().join(', ') || 'none loaded'})`);
      } else if (target.kind === 'sandbox') {
        const parsed = parseSandboxAction(target.action);
        if (!parsed.ok) report(line, parsed.message);
      }
    } else if (token.type === 'text' && !('tokens' in token && token.tokens)) {
      // CommonMark leaves ** as text when the closing marker sits between punctuation and a
      // letter, as in **상호 TLS(mTLS)**는: the learner would see the asterisks
      const text = (token as Tokens.Text).text;
      const at = token.raw.indexOf('**');
      if (text.includes('**')) report(line + (at > 0 ? token.raw.slice(0, at).split('\n').length - 1 : 0), `"${text.trim().slice(0, 40)}": ** was not read as bold; put a space after the closing ** or move punctuation outside it`);
    } else if (token.type === 'heading' && (token as Tokens.Heading).depth === 2 && /^try it\b/i.test(plainInline((token as Tokens.Heading).tokens))) {
      hasTryIt = true;
    }
  });
  if (lesson.source === 'course' && !hasTryIt) report(lesson.bodyLine, 'a course lesson ends with a "## Try it" section of sandbox steps');
  return diagnostics;
}

/** Front matter diagnostics from loading, plus every lesson's body checks. */
export function checkLibrary(library: LessonLibrary): Diagnostic[] {
  return [...library.diagnostics, ...library.lessons.flatMap((lesson) => checkLesson(lesson, library))];
}

/** Resolves `[text](./02-other.md)` against the lesson's folder to the id of the lesson in that file. */
export function lessonIdForPath(lesson: Lesson, library: LessonLibrary): (path: string) => string | undefined {
  return (path) => {
    let decoded = path;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // a stray % in a file name: use the path as written
    }
    const file = resolve(dirname(lesson.file), decoded);
    return library.lessons.find((other) => other.file === file)?.id;
  };
}
