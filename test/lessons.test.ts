import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSandboxAction } from '../src/lessons/catalog.js';
import { courseTopics, readCourse, topicName } from '../src/lessons/course.js';
import { packagePath } from '../src/package-root.js';
import { emptyProgress } from '../src/progress/schema.js';
import { summarize } from '../src/progress/summary.js';
import { checkLesson, checkLibrary } from '../src/lessons/check.js';
import { formatDiagnostic, type Diagnostic } from '../src/lessons/diagnostic.js';
import { parseFrontMatter, parseFrontMatterWithYaml, readFrontMatter, splitLessonFile } from '../src/lessons/front-matter.js';
import { readCourseIndex } from '../src/lessons/course-index.js';
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { courseLessonsDir, findLesson, idFromFileName, lessonsInLanguage, loadLessons, type LessonLibrary } from '../src/lessons/load.js';

/** src/lessons loading and checking: fixtures for every kind of mistake, and the real course. */

const fixtures = fileURLToPath(new URL('../../test/fixtures/lessons/', import.meta.url));
const courseFixture = join(fixtures, 'course');
const notesFixture = join(fixtures, 'notes');
const scratchDirs: string[] = [];
test.after(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

function loadFixtures(): LessonLibrary {
  return loadLessons({ courseDir: courseFixture, extraDirs: [notesFixture] });
}

function diagnosticsFor(diagnostics: readonly Diagnostic[], fileName: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.file.endsWith(`/${fileName}`));
}

test('the course directory is found from the built module, next to package.json', () => {
  assert.ok(courseLessonsDir().endsWith('/lessons'), courseLessonsDir());
  const library = loadLessons();
  assert.ok(library.lessons.length > 0, 'the shipped course has lessons');
});

test('front matter: split at the --- lines, keys keep their file line numbers', () => {
  const split = splitLessonFile('---\nid: x\ntitle: T\nsandbox_actions:\n  - csr\n  - pki-init\n---\n\n# Body\n');
  assert.is(split.yaml, 'id: x\ntitle: T\nsandbox_actions:\n  - csr\n  - pki-init');
  assert.is(split.bodyLine, 8);
  assert.is(split.body, '\n# Body\n');
  const parsed = parseFrontMatter(split.yaml ?? '', split.yamlLine);
  assert.equal(parsed.problems, []);
  assert.is(parsed.fields.get('title')?.line, 3);
  assert.equal(parsed.fields.get('sandbox_actions')?.itemLines, [5, 6]);
  assert.is(splitLessonFile('no front matter').yaml, undefined);
  assert.ok(splitLessonFile('---\nid: x\n').problem, 'an unclosed front matter block is a problem');
  assert.is(splitLessonFile('\uFEFF---\r\nid: x\r\n---\r\nbody').yaml, 'id: x', 'BOM and CRLF are tolerated');
});

/** Every lesson file kubetls ships or tests with. */
function lessonFiles(): string[] {
  const roots = [packagePath('lessons'), fixtures];
  return roots.flatMap((root) => readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.md')).map((file) => join(root, file)));
}

const asPlain = (parsed: ReturnType<typeof parseFrontMatter>) => ({ fields: Object.fromEntries(parsed.fields), problems: parsed.problems });

test('front matter: the quick reader and the YAML parser agree on every lesson file', () => {
  const files = lessonFiles();
  assert.ok(files.length >= 24, `${files.length} lesson files`);
  for (const file of files) {
    const split = splitLessonFile(readFileSync(file, 'utf8'));
    if (split.yaml === undefined) continue;
    assert.equal(asPlain(parseFrontMatter(split.yaml, split.yamlLine)), asPlain(parseFrontMatterWithYaml(split.yaml, split.yamlLine)), file);
  }
});

test('front matter: shapes YAML reads its own way are left to the YAML parser, with the same answer', () => {
  const samples = [
    'order: 007', 'order: 1.5', 'order: -3', 'order: 0x10', 'title: yes', 'title: No', 'title: null', 'title: ~', 'title: TRUE',
    'title: "quoted: yes"', "title: 'single'", 'title: a # comment', 'title: key: value', 'title: ends with:', 'title: .inf',
    'keywords: [a, "b"]', 'keywords: [-text, -1, 0600]', 'keywords: [a, [b]]', 'keywords: [a, 1]', 'keywords: [a,, b]', 'keywords: []',
    'sandbox_actions:\n  - csr\n    - nested', 'sandbox_actions:\n- csr', 'sandbox_actions:\n  - 5', 'sandbox_actions:',
    'id: a\nid: b', '# comment\nid: a', 'id: a\n  continued', 'title: 한국어 제목', 'id:\ttab', 'nested:\n  key: value',
  ];
  for (const yaml of samples) assert.equal(asPlain(parseFrontMatter(yaml, 2)), asPlain(parseFrontMatterWithYaml(yaml, 2)), JSON.stringify(yaml));
});

test('front matter from the top of a file: a block longer than the first read is still whole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubetls-front-'));
  scratchDirs.push(dir);
  const long = `---\nid: long\ndescription: ${'word '.repeat(2000)}\norder: 3\n---\n# Body\n`;
  writeFileSync(join(dir, 'long.md'), long);
  const fields = readFrontMatter(join(dir, 'long.md'))?.fields;
  assert.is(fields?.get('order')?.value, 3);
  assert.is(fields?.get('order')?.line, 4);
  writeFileSync(join(dir, 'none.md'), '# Just a body\n');
  assert.is(readFrontMatter(join(dir, 'none.md')), undefined);
});

test("the course index (the home screen's) matches the loader and does not load the YAML parser", () => {
  const library = loadLessons();
  for (const language of ['en', 'ko']) {
    const index = readCourseIndex(language);
    const loaded = lessonsInLanguage(library, language).filter((lesson) => lesson.source === 'course');
    assert.equal(index, loaded.map((lesson) => ({ id: lesson.id, title: lesson.title, order: lesson.order })), language);
  }
  const module = join(fileURLToPath(new URL('../src/lessons/course-index.js', import.meta.url)));
  const program = `const { readCourseIndex } = await import(${JSON.stringify(module)});
const { createRequire } = await import('node:module');
const index = readCourseIndex('en');
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => /[\\/]yaml[\\/]/.test(file));
console.log(JSON.stringify({ lessons: index?.length, loaded }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' });
  assert.is(run.status, 0, run.stderr);
  const { lessons, loaded } = JSON.parse(run.stdout) as { lessons: number; loaded: string[] };
  assert.ok(lessons > 0);
  assert.equal(loaded, []);
});

test('sandbox actions: every documented form parses, typos are named', () => {
  for (const text of ['pki-init', 'csr', 'check-expiration', 'inspect:ca', 'verify:etcd/server', 'renew:admin', 'handshake:etcd/server:apiserver-etcd-client', 'break:apiserver:missing-san']) {
    assert.ok(parseSandboxAction(text).ok, text);
  }
  const action = parseSandboxAction('handshake:etcd/server:apiserver-etcd-client');
  assert.equal(action.ok && action.action, { verb: 'handshake', server: 'etcd/server', client: 'apiserver-etcd-client', text: 'handshake:etcd/server:apiserver-etcd-client' });
  const cases: [string, RegExp][] = [
    ['inspect:apiserver.crt', /unknown certificate "apiserver\.crt"/],
    ['break:apiserver:melted', /unknown fault "melted"/],
    ['handshake:apiserver', /takes 2 arguments/],
    ['pki-init:now', /takes no arguments/],
    ['teleport', /unknown sandbox action "teleport"/],
  ];
  for (const [text, message] of cases) {
    const parsed = parseSandboxAction(text);
    assert.not.ok(parsed.ok, text);
    assert.match(parsed.ok ? '' : parsed.message, message);
  }
});

test('ids from file names follow Docusaurus: number and date prefixes dropped, index takes its folder', () => {
  assert.is(idFromFileName('/x/03-cluster-ca.md'), 'cluster-ca');
  assert.is(idFromFileName('/x/2024-05-01-My_Study Note.md'), 'my-study-note');
  assert.is(idFromFileName('/blog/welcome/index.md'), 'welcome');
});

test('malformed files give a diagnostic naming file and line, and every other lesson still loads', () => {
  const library = loadFixtures();
  const diagnostics = checkLibrary(library);
  const ids = library.lessons.map((lesson) => lesson.id);

  const yaml = diagnosticsFor(diagnostics, 'broken-yaml.md');
  assert.is(yaml.length, 1);
  assert.is(yaml[0]?.severity, 'error');
  assert.match(yaml[0]?.message ?? '', /not valid YAML/);
  // the unterminated `[` is on line 4; yaml notices it where the next key starts
  assert.ok(yaml[0]?.line === 4 || yaml[0]?.line === 5, `line ${yaml[0]?.line}`);
  assert.not.ok(ids.includes('broken-yaml'));

  const unclosed = diagnosticsFor(diagnostics, 'unclosed.md');
  assert.equal(unclosed.map((d) => [d.line, d.severity]), [[9, 'warning']]);
  assert.match(unclosed[0]?.message ?? '', /":::tip" is never closed/);
  assert.ok(ids.includes('unclosed'), 'a lesson with an unclosed call-out still loads');

  const duplicate = diagnosticsFor(diagnostics, 'duplicate.md');
  assert.equal(duplicate.map((d) => [d.line, d.severity]), [[2, 'error']]);
  assert.match(duplicate[0]?.message ?? '', /duplicate lesson id "sampler" \(already used by .*course\/en\/01-sampler\.md\)/);
  assert.is(library.lessons.filter((lesson) => lesson.id === 'sampler').length, 2, 'only the course en and ko "sampler" loaded');
  const sameFolder = diagnosticsFor(diagnostics, 'zz-duplicate-note.md');
  assert.equal(sameFolder.map((d) => [d.line, d.severity]), [[2, 'error']]);
  assert.match(sameFolder[0]?.message ?? '', /duplicate lesson id "fine-note" \(already used by .*notes\/fine-note\.md\)/);
  assert.is(findLesson(library, 'fine-note', 'en')?.title, 'Fine note', 'the first file keeps the id');

  const deadLink = diagnosticsFor(diagnostics, 'dead-link.md');
  assert.equal(deadLink.map((d) => d.line), [9, 10]);
  assert.match(deadLink[0]?.message ?? '', /link to unknown lesson "no-such-lesson"/);
  assert.match(deadLink[1]?.message ?? '', /unknown certificate "no-such-cert"/);

  assert.equal(diagnosticsFor(diagnostics, 'stray.md').map((d) => d.line), [8]);

  const badFields = diagnosticsFor(diagnostics, 'bad-fields.md');
  assert.equal(badFields.map((d) => d.line), [4, 5, 8, 9], 'each bad value at its own line');
  const lesson = library.lessons.find((candidate) => candidate.id === 'bad-fields');
  assert.equal(lesson?.quizTopics, ['cluster-ca'], 'good values are kept');
  assert.equal(lesson?.sandboxActions.map((action) => action.text), ['inspect:ca']);

  for (const id of ['sampler', 'second', 'fine-note', 'tls-study', 'dead-link', 'stray', 'bad-fields', 'unclosed']) assert.ok(ids.includes(id), `${id} loaded`);
  assert.not.ok(ids.includes('partial') || ids.includes('readme'), 'partials and READMEs are not lessons');
  assert.equal(diagnosticsFor(diagnostics, '01-sampler.md'), [], 'the sampler fixture itself is clean');
  assert.equal(diagnosticsFor(diagnostics, '02-second.md'), []);
});

test('Docusaurus notes: id from slug or file name, order from sidebar_position, title from the first heading', () => {
  const library = loadFixtures();
  const note = findLesson(library, 'tls-study', 'ko');
  assert.ok(note, 'a note outside en/ and ko/ is shown in every language');
  assert.is(note?.title, 'My TLS study note');
  assert.is(note?.order, 3);
  assert.is(note?.description, 'A blog post from a Docusaurus site');
  const fine = findLesson(library, 'fine-note', 'en');
  assert.is(fine?.title, 'Fine note');
  assert.is(fine?.order, undefined);
  const order = lessonsInLanguage(library, 'en').map((lesson) => lesson.id);
  assert.equal(order.slice(0, 3), ['sampler', 'second', 'tls-study'], 'numbered lessons first, course before notes at equal order');
});

test('front matter is stripped of control characters as the body is: a title cannot set the terminal title', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubetls-titles-'));
  scratchDirs.push(dir);
  writeFileSync(join(dir, 'evil.md'), ['---', 'title: "Evil \\e]0;pwned\\a title\\e[2J"', 'description: "desc\\e[31m red"', 'keywords: ["a\\u202Eb"]', '---', '', 'Body.', ''].join('\n'));
  writeFileSync(join(dir, 'heading.md'), '# Heading \u001b]0;pwned\u0007 text\n\nBody.\n');
  const library = loadLessons({ courseDir: courseFixture, extraDirs: [dir] });
  const evil = findLesson(library, 'evil', 'en');
  assert.is(evil?.title, 'Evil ]0;pwned title[2J');
  assert.is(evil?.description, 'desc[31m red');
  assert.equal(evil?.keywords, ['ab']);
  assert.is(findLesson(library, 'heading', 'en')?.title, 'Heading ]0;pwned text');
  for (const lesson of library.lessons) assert.not.match(`${lesson.title}${lesson.description}${lesson.keywords.join('')}`, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/, lesson.file);
});

test('a teacher\'s folder holding a device or an oversized lesson: each is a diagnostic, the rest load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubetls-hostile-'));
  scratchDirs.push(dir);
  writeFileSync(join(dir, 'fine.md'), '# Fine\n');
  symlinkSync('/dev/zero', join(dir, 'zero.md'));
  writeFileSync(join(dir, 'big.md'), 'x'.repeat(256 * 1024 + 1));
  const library = loadLessons({ courseDir: courseFixture, extraDirs: [dir] });
  assert.ok(findLesson(library, 'fine', 'en'));
  assert.equal(
    library.diagnostics.filter((diagnostic) => diagnostic.file.startsWith(dir)).map((diagnostic) => [diagnostic.file.slice(dir.length), diagnostic.severity, diagnostic.message]),
    [
      ['/big.md', 'error', 'is 256 KiB, larger than the 256 KiB kubetls reads; lesson skipped'],
      ['/zero.md', 'error', 'is a device, not a regular file; lesson skipped'],
    ],
  );
});

test('broken front matter gives a few lines, not one per YAML error (10,000 open brackets gave hundreds)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubetls-brackets-'));
  scratchDirs.push(dir);
  writeFileSync(join(dir, 'brackets.md'), `---\ntitle: ${'['.repeat(10_000)}\n---\nbody\n`);
  const library = loadLessons({ courseDir: courseFixture, extraDirs: [dir] });
  const problems = diagnosticsFor(library.diagnostics, 'brackets.md');
  assert.ok(problems.length >= 1 && problems.length <= 3, `${problems.length} diagnostics`);
  assert.match(problems[problems.length - 1]!.message, /front matter is not valid YAML: .*(\(and \d+ more YAML errors after it\))?; lesson skipped$/);
});

test('checking a lesson with a 20,000-item list and an over-emphasised paragraph ends, with lines still right', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubetls-long-'));
  scratchDirs.push(dir);
  const body = ['# Long', '', '- item *x*\n'.repeat(20_000).trimEnd(), '', '*a* '.repeat(300), '', 'See [this](no-such-lesson).', ''].join('\n');
  writeFileSync(join(dir, 'long.md'), body);
  const library = loadLessons({ courseDir: courseFixture, extraDirs: [dir] });
  const started = performance.now();
  const diagnostics = checkLesson(findLesson(library, 'long', 'en')!, library);
  // a hang guard (this took 8 s for 256 KiB before): speed is not what is tested
  assert.ok(performance.now() - started < 30_000, 'finished');
  assert.equal(diagnostics.map((diagnostic) => [diagnostic.line, diagnostic.message.replace(/ \(lesson ids.*/, '')]), [[20_006, 'link to unknown lesson "no-such-lesson"']]);
});

test('a diagnostic prints as file:line: message, relative to a base directory', () => {
  const diagnostic: Diagnostic = { file: join(notesFixture, 'unclosed.md'), line: 9, message: 'x', severity: 'warning' };
  assert.is(formatDiagnostic(diagnostic, fixtures), 'notes/unclosed.md:9: x');
  assert.is(formatDiagnostic({ ...diagnostic, line: 0 }, '/elsewhere'), `${diagnostic.file}: x`);
});

test('en and ko must hold the same ids; course lessons need every field and a Try it section', () => {
  const root = mkdtempSync(join(tmpdir(), 'kubetls-lessons-'));
  scratchDirs.push(root);
  mkdirSync(join(root, 'en'));
  mkdirSync(join(root, 'ko'));
  const lesson = (id: string, order: number, extra = ''): string =>
    `---\nid: ${id}\ntitle: T\ndescription: D\nkeywords: []\norder: ${order}\nquiz_topics: [zero-trust]\nsandbox_actions: []\n${extra}topic_names: {zero-trust: Zero trust}\n---\n\n# T\n\n## Try it\n\n1. step\n`;
  writeFileSync(join(root, 'en', '01-both.md'), lesson('both', 1));
  writeFileSync(join(root, 'ko', '01-both.md'), lesson('both', 1));
  writeFileSync(join(root, 'en', '02-only-english.md'), lesson('only-english', 2));
  writeFileSync(join(root, 'ko', '03-wrong-name.md'), lesson('other-name', 3, 'quiz_topic: [typo]\n'));
  writeFileSync(join(root, 'en', '04-no-try.md'), '---\nid: no-try\ntitle: T\n---\n\n# T\n');
  const library = loadLessons({ courseDir: root });
  const messages = checkLibrary(library).map((d) => `${d.file.slice(root.length + 1)}:${d.line}: ${d.message}`);
  const expect = (pattern: RegExp): void => assert.ok(messages.some((message) => pattern.test(message)), `${pattern} in\n${messages.join('\n')}`);
  expect(/^en\/02-only-english\.md:2: lesson "only-english" has no ko version/);
  expect(/^ko\/03-wrong-name\.md:2: lesson "other-name" has no en version/);
  expect(/^ko\/03-wrong-name\.md:2: id "other-name" does not match the file name/);
  expect(/^ko\/03-wrong-name\.md:9: unknown front matter key "quiz_topic"/);
  expect(/^en\/04-no-try\.md:1: front matter has no "description"/);
  expect(/^en\/04-no-try\.md:1: front matter has no "order"/);
  expect(/^en\/04-no-try\.md:\d+: a course lesson ends with a "## Try it" section/);
  assert.not.ok(messages.some((message) => message.startsWith('en/01-both.md') || message.startsWith('ko/01-both.md')), messages.join('\n'));
});

test('the real course: en and ko hold the same ids, and every lesson loads without diagnostics', () => {
  const library = loadLessons();
  const ids = (lang: 'en' | 'ko'): string[] => lessonsInLanguage(library, lang).map((lesson) => lesson.id);
  assert.equal(ids('ko'), ids('en'), 'the same lessons, in the same order, in both languages');
  const problems = checkLibrary(library).map((diagnostic) => formatDiagnostic(diagnostic, process.cwd()));
  assert.equal(problems, [], `lesson problems:\n${problems.join('\n')}`);
  // the course covers issue 3's twelve chapters, one quiz topic each
  const taught = new Set(lessonsInLanguage(library, 'en').flatMap((lesson) => lesson.quizTopics));
  const missing = courseTopics().filter((topic) => !taught.has(topic));
  assert.equal(missing, [], `quiz topics no lesson teaches yet: ${missing.join(', ')}`);
});

test('topicName: a topic as the learner reads it, in their language, from the lesson that teaches it', () => {
  for (const topic of courseTopics()) {
    assert.is.not(topicName(topic, 'en'), topic, `${topic} has an English name`);
    assert.ok(/[\uac00-\ud7a3]/.test(topicName(topic, 'ko')) || /^[A-Z]/.test(topicName(topic, 'ko')), `${topic} has a Korean name: ${topicName(topic, 'ko')}`);
  }
  assert.is(topicName('cluster-ca', 'en'), 'The cluster CA');
  assert.is(topicName('cluster-ca', 'ko'), '클러스터 CA');
  // a language with no lessons falls back to the base language's name, a topic no lesson names to its id
  assert.is(topicName('cluster-ca', 'xx'), 'The cluster CA');
  assert.is(topicName('no-such-topic', 'ko'), 'no-such-topic');
});

test('topic_names is checked at load: keys among quiz_topics, names non-empty, every course topic named', () => {
  const root = mkdtempSync(join(tmpdir(), 'kubetls-topic-names-'));
  scratchDirs.push(root);
  for (const lang of ['en', 'ko']) mkdirSync(join(root, lang));
  const lesson = (id: string, order: number, names: string): string =>
    `---\nid: ${id}\ntitle: T\ndescription: D\nkeywords: []\norder: ${order}\nquiz_topics: [zero-trust]\n${names}sandbox_actions: []\n---\n\n# T\n\n## Try it\n\n1. step\n`;
  const files = { '01-named.md': lesson('named', 1, 'topic_names: {zero-trust: Zero trust}\n'), '02-unnamed.md': lesson('unnamed', 2, ''), '03-stray.md': lesson('stray', 3, 'topic_names: {zero-trust: Z, wiring: W}\n'), '04-empty.md': lesson('empty', 4, "topic_names: {zero-trust: ''}\n"), '05-list.md': lesson('list', 5, 'topic_names: [a]\n') };
  for (const lang of ['en', 'ko']) for (const [name, text] of Object.entries(files)) writeFileSync(join(root, lang, name), text);
  const library = loadLessons({ courseDir: root });
  const messages = library.diagnostics.filter((d) => d.file.includes('/en/')).map((d) => `${d.file.slice(root.length + 1)}:${d.line}: ${d.message}`);
  const expect = (pattern: RegExp): void => assert.ok(messages.some((message) => pattern.test(message)), `${pattern} in\n${messages.join('\n')}`);
  expect(/^en\/02-unnamed\.md:1: quiz topic zero-trust has no name/);
  expect(/^en\/03-stray\.md:8: "topic_names" names "wiring", which is not in this lesson's quiz_topics/);
  expect(/^en\/04-empty\.md:8: "topic_names" needs a non-empty name for "zero-trust"/);
  expect(/^en\/05-list\.md:8: "topic_names" must map each quiz topic to its name/);
  assert.not.ok(messages.some((message) => message.startsWith('en/01-named.md')), messages.join('\n'));
  assert.equal(findLesson(library, 'named', 'en')?.topicNames, { 'zero-trust': 'Zero trust' });
});

test('checking one lesson needs only that lesson and the ids around it', () => {
  const library = loadFixtures();
  const second = findLesson(library, 'second', 'en');
  assert.ok(second);
  assert.equal(checkLesson(second!, library), [], 'a ./01-sampler.md link resolves to the lesson in that file');
});

test('a lesson added as files joins the course: it counts toward completion and brings its topic', () => {
  const root = mkdtempSync(join(tmpdir(), 'kubetls-course-'));
  const names: Record<string, string> = { en: 'Backing up etcd', ko: 'etcd 백업' };
  for (const lang of ['en', 'ko']) {
    cpSync(packagePath('lessons', lang), join(root, lang), { recursive: true });
    writeFileSync(join(root, lang, '13-etcd-backup.md'), `---\nid: etcd-backup\ntitle: Backing up etcd\norder: 13\nquiz_topics: [etcd-backup]\ntopic_names: {etcd-backup: ${names[lang]}}\n---\n\n# Backing up etcd\n\netcdctl snapshot save, with the etcd client certificate.\n`);
  }
  assert.is(topicName('etcd-backup', 'ko', root), 'etcd 백업', "the new topic's name in each language comes with it");
  assert.is(topicName('etcd-backup', 'en', root), 'Backing up etcd');
  const course = readCourse(root);
  assert.is(course.lessonIds.length, readCourse().lessonIds.length + 1);
  assert.is(course.lessonIds.at(-1), 'etcd-backup');
  assert.is(course.topics.at(-1), 'etcd-backup');
  const progress = emptyProgress();
  for (const id of readCourse().lessonIds) progress.lessons[id] = { done: true, line: 1, percent: 100 } as (typeof progress.lessons)[string];
  const summary = summarize(progress, { now: Date.now(), lessonIds: course.lessonIds, topics: course.topics });
  assert.is(summary.completion.total, course.lessonIds.length);
  assert.is(summary.completion.done, course.lessonIds.length - 1, 'the new lesson is one still to read');
  assert.ok(summary.mastery.some((entry) => entry.topic === 'etcd-backup'), 'and its topic is listed');
  const library = loadLessons({ courseDir: root });
  assert.ok(library.lessons.some((lesson) => lesson.id === 'etcd-backup' && lesson.quizTopics.includes('etcd-backup')));
  rmSync(root, { recursive: true, force: true });
});

test.run();
