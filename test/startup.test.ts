import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_FILE } from '../src/build/bundle.js';
import { REPO_ROOT, assertOneLineError, removeTempDirs, tempDir } from './helpers.js';
import { createRequire } from 'node:module';
import { utimesSync } from 'node:fs';

/** The start-up path of plain `kubetls`: the bundle the build writes and the code cache that runs it. */

const CACHED_SCRIPT = join(REPO_ROOT, 'dist', 'src', 'startup', 'cached-script.cjs');

function writeBundle(dir: string, body: string, name = 'bundle.cjs'): string {
  const file = join(dir, name);
  const id = createHash('sha256').update(body).digest('hex');
  writeFileSync(file, `// kubetls-bundle ${id}\n${body}`);
  return file;
}

// enough functions that V8 has real code to cache, and an answer that shows the code ran
const BODY = `${Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join('\n')}
module.exports = { answer: f41(1), dir: __dirname, resolved: typeof require.resolve };`;

interface Start {
  cache: string;
  exports: { answer: number; dir: string; resolved: string };
  cacheFile: string | null;
  written: string | null;
}

/**
 * One start, in its own process as a real one is: within one process V8 finds a script it compiled
 * before in its own memory and never looks at the cache, which would hide a cache that does not work.
 */
function start(file: string, cacheDir: string | undefined): Start {
  return startWithShared(file, cacheDir, undefined);
}

function startWithShared(file: string, cacheDir: string | undefined, sharedCacheDir: string | undefined): Start {
  const program = `const { runCachedScript } = require(${JSON.stringify(CACHED_SCRIPT)});
const run = runCachedScript(${JSON.stringify(file)}, ${JSON.stringify(cacheDir ?? null)} ?? undefined, ${JSON.stringify(sharedCacheDir ?? null)} ?? undefined);
console.log(JSON.stringify({ cache: run.cache, exports: run.exports, cacheFile: run.cacheFile ?? null, written: run.writeCache() ?? null }));`;
  const result = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8' });
  assert.is(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Start;
}

test.after.each(removeTempDirs);

test('first start: no cache yet, so it writes one (0600, in a 0700 directory); the next start uses it', () => {
  const dir = tempDir();
  const cacheDir = join(tempDir(), 'cache', 'kubetls');
  const file = writeBundle(dir, BODY);
  const first = start(file, cacheDir);
  assert.is(first.cache, 'missing');
  assert.equal(first.exports, { answer: 42, dir, resolved: 'function' });
  assert.ok(first.written && existsSync(first.written), 'cache written');
  assert.is(statSync(first.written).mode & 0o777, 0o600);
  assert.is(statSync(cacheDir).mode & 0o777, 0o700);

  const second = start(file, cacheDir);
  assert.is(second.cache, 'used');
  assert.is(second.exports.answer, 42);
  assert.is(second.written, null, 'a cache that was used is not written again');
});

test('a damaged cache is rejected by V8, the script still runs, and a good cache replaces it', () => {
  const cacheDir = tempDir();
  const file = writeBundle(tempDir(), BODY);
  const { written } = start(file, cacheDir);
  writeFileSync(written!, Buffer.alloc(4096, 7));
  const damaged = start(file, cacheDir);
  assert.is(damaged.cache, 'rejected');
  assert.is(damaged.exports.answer, 42);
  assert.is(damaged.written, written);
  assert.is(start(file, cacheDir).cache, 'used');
});

test('a rebuilt bundle gets its own cache file, and the old one is removed', () => {
  const cacheDir = tempDir();
  const dir = tempDir();
  start(writeBundle(dir, BODY), cacheDir);
  // same length, other content: V8 alone would take the old cache (it checks the source's length)
  const rebuilt = start(writeBundle(dir, BODY.replace('x + 41', 'x + 14')), cacheDir);
  assert.is(rebuilt.cache, 'missing');
  assert.is(rebuilt.exports.answer, 15);
  assert.equal(readdirSync(cacheDir), [rebuilt.cacheFile!.split('/').pop()]);
});

test("the build's shared cache is read when the learner has none, and nothing is written for them", () => {
  const file = writeBundle(tempDir(), BODY);
  const shared = tempDir();
  const made = start(file, shared);
  assert.ok(made.written);
  const userDir = join(tempDir(), 'kubetls');
  const learner = startWithShared(file, userDir, shared);
  assert.is(learner.cache, 'used');
  assert.is(learner.written, null);
  assert.not.ok(existsSync(userDir));
  // no home at all (no user directory): the build's cache still counts as used
  assert.is(startWithShared(file, undefined, shared).cache, 'used');
});

test('no cache directory, or a bundle without an id: runs without a cache', () => {
  const dir = tempDir();
  assert.is(start(writeBundle(dir, BODY), undefined).cache, 'off');
  const plain = join(dir, 'plain.cjs');
  writeFileSync(plain, BODY);
  const run = start(plain, tempDir());
  assert.is(run.cache, 'off');
  assert.is(run.written, null);
});

test('a cache directory that cannot be written: no error, just no cache', () => {
  const blocked = tempDir();
  writeFileSync(join(blocked, 'kubetls'), 'a file where the directory would go');
  const run = start(writeBundle(tempDir(), BODY), join(blocked, 'kubetls'));
  assert.is(run.exports.answer, 42);
  assert.is(run.written, null);
});

test('the built bundle: its id is the hash of its code, and it holds only the blessed widgets the app uses', () => {
  const text = readFileSync(BUNDLE_FILE, 'utf8');
  const newline = text.indexOf('\n');
  const id = /^\/\/ kubetls-bundle ([0-9a-f]{64})$/.exec(text.slice(0, newline))?.[1];
  assert.is(id, createHash('sha256').update(text.slice(newline + 1)).digest('hex'));
  // ASCII, so the launcher reads it without UTF-8 decoding; Korean in regular expressions is escaped
  assert.not.match(text, /[^\x00-\x7f]/);
  assert.match(text, /years\?\|\\ub144\)/);
  assert.ok(text.includes('node_modules/blessed/lib/widgets/screen.js'), 'blessed is inside the bundle');
  // blessed's unicode.js would pull in every widget (terminal, image, video...) through require('../')
  for (const unused of ['widgets/terminal.js', 'widgets/video.js', 'widgets/image.js', 'lib/blessed.js']) assert.not.ok(text.includes(`node_modules/blessed/lib/${unused}`), unused);
  // blessed reads its own terminfo copies from next to tput.js, not from next to the bundle
  assert.not.ok(/__dirname \+ ['"]\/\.\.\/usr/.test(text), 'tput.js still looks next to the bundle');
  assert.ok(BUNDLE_FILE.startsWith(REPO_ROOT));
});

test('the build leaves a code cache next to the bundle that this Node takes, readable by every user', () => {
  const dir = join(REPO_ROOT, 'dist', 'app');
  const cached = readdirSync(dir).filter((name) => name.endsWith('.v8'));
  assert.is(cached.length, 1, `one cache file in ${dir}`);
  assert.is(statSync(join(dir, cached[0]!)).mode & 0o777, 0o644);
  const learner = startWithShared(BUNDLE_FILE, join(tempDir(), 'kubetls'), dir);
  assert.is(learner.cache, 'used');
});

test('a Node 20 before 20.12 (no vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER) still runs the bundle, with its cache', () => {
  const script = join(REPO_ROOT, 'dist', 'src', 'startup', 'cached-script.cjs');
  const code = `delete require('node:vm').constants; const run = require(${JSON.stringify(script)}).runCachedScript(${JSON.stringify(BUNDLE_FILE)}, ${JSON.stringify(join(tempDir(), 'kubetls'))}, ${JSON.stringify(join(REPO_ROOT, 'dist', 'app'))}); console.log(typeof run.exports.start, run.cache)`;
  const old = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  assert.is(old.status, 0, old.stderr);
  assert.is(old.stdout.trim(), 'function used');
});

test('a missing bundle is one clear line, not a stack trace', () => {
  // the launcher in a dist/ without app/: a checkout where only tsc ran
  const startup = join(tempDir(), 'dist', 'src', 'startup');
  mkdirSync(startup, { recursive: true });
  for (const name of ['launch.cjs', 'cached-script.cjs']) copyFileSync(join(REPO_ROOT, 'dist', 'src', 'startup', name), join(startup, name));
  copyFileSync(join(REPO_ROOT, 'dist', 'src', 'places.cjs'), join(startup, '..', 'places.cjs'));
  const run = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(startup, 'launch.cjs'))}).launchBundledApp()`], { encoding: 'utf8' });
  assertOneLineError({ status: run.status, stdout: run.stdout, stderr: run.stderr }, /app\/kubetls\.cjs is missing: run `npm run build`/, 'missing bundle', 70);
  // a damaged bundle (a half-copied install): also one line
  mkdirSync(join(startup, '..', '..', 'app'));
  writeFileSync(join(startup, '..', '..', 'app', 'kubetls.cjs'), 'this is not JavaScript {');
  const damaged = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(startup, 'launch.cjs'))}).launchBundledApp()`], { encoding: 'utf8' });
  assertOneLineError({ status: damaged.status, stdout: damaged.stdout, stderr: damaged.stderr }, /kubetls\.cjs could not be loaded \(.*\): run `npm run build`/, 'damaged bundle', 70);
});

test('npm start builds only when a file the compiler reads changed since the last build', () => {
  const { isStale } = createRequire(import.meta.url)(join(REPO_ROOT, 'scripts', 'build-if-changed.cjs')) as { isStale(root: string): boolean };
  const root = tempDir('kubetls-stale-');
  const file = (path: string, age: number) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), '');
    const when = new Date(Date.now() - age * 1000);
    utimesSync(join(root, path), when, when);
  };
  assert.ok(isStale(root), 'never built');
  file('src/tui/app.ts', 60);
  file('test/fixtures/progress/writer.ts', 60);
  file('package.json', 60);
  file('dist/app/kubetls.cjs', 30);
  assert.not.ok(isStale(root), 'built after the last change');
  file('bench/results/bench-1.json', 0);
  file('lessons/en/01-zero-trust.md', 0);
  assert.not.ok(isStale(root), 'bench results and lessons are not built');
  file('test/fixtures/progress/writer.ts', 0);
  assert.ok(isStale(root), 'a test fixture is compiled too');
  file('dist/app/kubetls.cjs', 0);
  file('package-lock.json', -5);
  assert.ok(isStale(root), 'new dependencies');
  assert.match(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'), /"start": "node scripts\/start\.cjs"/);
});

test.run();
