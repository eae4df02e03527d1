import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { columns } from '../src/text-width.cjs';

/** `kubetls lessons`, `lessons show`, `lessons check`, run as a learner runs them: node bin/kubetls.cjs. */

const repository = fileURLToPath(new URL('../../', import.meta.url));
const notes = 'test/fixtures/lessons/notes';

// progress is read for the STATUS column: keep it away from the real ~/.config
const progressDir = mkdtempSync(join(tmpdir(), 'kubetls-lessons-cli-'));

function kubetls(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/kubetls.cjs', ...args], {
    cwd: repository,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', LANG: 'C.UTF-8', KUBETLS_CONFIG_DIR: progressDir, ...env },
    // a hang guard only: a FIFO among the lessons once blocked the loader forever
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function assertOneLineError(result: { status: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.is(result.status, 2, result.stderr);
  assert.is(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.is(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0] ?? '', pattern);
  assert.not.match(result.stderr, /\n\s+at /, 'no stack trace');
}

test('lessons lists the course in order, in English or Korean', () => {
  const english = kubetls(['lessons']);
  assert.is(english.status, 0, english.stderr);
  const lines = english.stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^\s*#\s+ID\s+STATUS\s+TITLE$/);
  assert.match(lines[1] ?? '', /^\s*1\s+zero-trust\s+new\s+\S/);
  const korean = kubetls(['lessons', '--lang', 'ko']);
  assert.is(korean.status, 0, korean.stderr);
  assert.match(korean.stdout, /[가-힣]/, 'Korean titles');
  const byLocale = kubetls(['lessons'], { LANG: 'ko_KR.UTF-8' });
  assert.is(byLocale.stdout, korean.stdout, 'the language follows a Korean locale');
});

test('lessons show prints a rendered lesson that fits the width, in both languages', () => {
  for (const lang of ['en', 'ko']) {
    const result = kubetls(['lessons', 'show', 'zero-trust', '--lang', lang, '--width', '60']);
    assert.is(result.status, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.ok(lines.length > 20);
    for (const line of lines) assert.ok(columns(line) <= 60, `${lang}: ${columns(line)} columns: "${line}"`);
    assert.match(lines[1] ?? '', /^═+$/, 'the title is underlined');
    assert.not.match(result.stdout, /^#|:::|\]\(/m, 'rendered, not raw markdown');
  }
});

test('lessons show: default width 80 when not a terminal, ASCII on request or in a non-UTF-8 locale', () => {
  const result = kubetls(['lessons', 'show', 'zero-trust']);
  const widest = Math.max(...result.stdout.split('\n').map((line) => columns(line)));
  assert.ok(widest <= 80 && widest > 60, `widest line ${widest}`);
  for (const args of [['--ascii'], []]) {
    const ascii = kubetls(['lessons', 'show', 'zero-trust', ...args], args.length === 0 ? { LANG: 'C' } : {});
    assert.is(ascii.status, 0, ascii.stderr);
    assert.not.match(ascii.stdout, /[─│┌┐└┘├┤┬┴┼→←↑↓▶◀•]/, `no line drawing with ${args.join(' ') || 'LANG=C'}`);
    assert.match(ascii.stdout, /^\+-+\+/m);
  }
});

test('bad input: unknown id, bad width, bad language, missing directory, each one line and exit 2', () => {
  assertOneLineError(kubetls(['lessons', 'show', 'no-such-lesson']), /^kubetls: no lesson "no-such-lesson" \(run `kubetls lessons` to list them\)$/);
  assertOneLineError(kubetls(['lessons', 'show', 'zero']), /^kubetls: no lesson "zero" \(did you mean zero-trust\?\)$/);
  assertOneLineError(kubetls(['lessons', 'show', 'zero-trust', '--width', '12']), /^kubetls: --width must be a whole number of columns from 20 to 1000, not "12"$/);
  assertOneLineError(kubetls(['lessons', 'show', 'zero-trust', '--width', 'wide']), /--width must be a whole number/);
  assertOneLineError(kubetls(['lessons', 'show', 'zero-trust', '--lang', 'fr']), /^kubetls: --lang must be en or ko, not "fr"$/);
  assertOneLineError(kubetls(['--lessons-dir', '/no/such/dir', 'lessons']), /^kubetls: --lessons-dir \/no\/such\/dir: no such directory/);
  assertOneLineError(kubetls(['lessons', 'zero-trust']), /^kubetls: "zero-trust" is not a lessons command \(to read a lesson: kubetls lessons show zero-trust\)$/);
});

test('--lessons-dir adds a teacher\'s notes; broken files are reported by file and line and the rest load', () => {
  const listed = kubetls(['--lessons-dir', notes, 'lessons']);
  assert.is(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /^\s*3\s+tls-study\s+new\s+My TLS study note {2}\(test\/fixtures\/lessons\/notes\/docusaurus\/2024-05-01-study-note\.md\)$/m);
  assert.match(listed.stdout, /^\s*-\s+fine-note\s+new\s+Fine note/m);
  assert.match(listed.stderr, /^kubetls: error: test\/fixtures\/lessons\/notes\/broken-yaml\.md:\d: front matter is not valid YAML/m);
  assert.match(listed.stderr, /^kubetls: error: test\/fixtures\/lessons\/notes\/zz-duplicate-note\.md:2: duplicate lesson id "fine-note"/m);
  assert.not.match(listed.stdout, /Same id as another note/);

  const shown = kubetls(['lessons', 'show', 'tls-study', '--lessons-dir', notes, '--width', '40']);
  assert.is(shown.status, 0, shown.stderr);
  assert.match(shown.stdout, /^My TLS study note\n═+\n/, 'a note without a heading gets its title as one');
  assert.match(shown.stdout, /┌─ INFO ─+┐/);
});

test('a teacher\'s folder holding a FIFO, a device and an oversized file: each is named and skipped, the rest load', () => {
  const folder = join(progressDir, 'hostile-notes');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'fine.md'), '# Fine\n\nA note.\n');
  assert.is(spawnSync('mkfifo', [join(folder, 'pipe.md')]).status, 0, 'mkfifo');
  symlinkSync('/dev/zero', join(folder, 'zero.md'));
  writeFileSync(join(folder, 'huge.md'), '');
  truncateSync(join(folder, 'huge.md'), 2 * 1024 * 1024);
  const listed = kubetls(['--lessons-dir', folder, 'lessons']);
  assert.is(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /^\s*-\s+fine\s+new\s+Fine/m);
  assert.match(listed.stderr, /^kubetls: error: .*pipe\.md: is a named pipe \(FIFO\), not a regular file; lesson skipped$/m);
  assert.match(listed.stderr, /^kubetls: error: .*zero\.md: is a device, not a regular file; lesson skipped$/m);
  assert.match(listed.stderr, /^kubetls: error: .*huge\.md: is 2 MiB, larger than the 256 KiB kubetls reads; lesson skipped$/m);
  assert.is(listed.stderr.trimEnd().split('\n').length, 3, listed.stderr);
});

test('lessons check lists every problem with file:line and exits 1', () => {
  const result = kubetls(['lessons', 'check', '--lessons-dir', notes]);
  assert.is(result.status, 1, result.stderr);
  assert.match(result.stdout, /^warning: test\/fixtures\/lessons\/notes\/unclosed\.md:9: ":::tip" is never closed/m);
  assert.match(result.stdout, /^warning: test\/fixtures\/lessons\/notes\/dead-link\.md:9: link to unknown lesson "no-such-lesson"/m);
  assert.match(result.stdout, /^\d+ lesson files loaded, \d+ problems$/m);
});

test('the command tree loads no lesson engine: yaml and marked wait for a lessons command', () => {
  const compiled = readFileSync(join(repository, 'dist/src/cli/commands/lessons.js'), 'utf8');
  const staticImports = [...compiled.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gm)].map((match) => match[1]);
  assert.ok(staticImports.length > 0);
  // the language, the catalogue and the width table are small leaves: none loads yaml, marked or string-width
  const light = /^node:|\/errors\.js$|\/lessons\/diagnostic\.js$|\/terminal\/language\.js$|^\.\.\/language\.js$|\/locale\/catalogue\.js$|\/terminal\/width\.js$|\/text-width\.cjs$|^\.\.\/store\.js$|^commander$/;
  const heavy = staticImports.filter((specifier) => !light.test(specifier ?? ''));
  assert.equal(heavy, [], 'only light modules are imported before a lessons command runs');
  assert.match(compiled, /await import\('\.\.\/\.\.\/lessons\/load\.js'\)/);
});

test.run();
