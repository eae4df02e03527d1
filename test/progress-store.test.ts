import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, readdirSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_PROFILE, SCHEMA_VERSION, configDir, emptyProgress, markLessonDone, openProgressStore, profileDir, recordAttempt, resolveProfile,
  saveLessonPosition, updateSettings, type Progress,
} from '../src/progress/index.js';
import { KubetlsError } from '../src/errors.js';
import { bundleForAnotherUser, removeTempDirs, tempDir } from './helpers.js';

/**
 * The progress store on real files: where it writes, profiles, migrations of real files, damage,
 * disks that refuse writes, and real processes writing at the same time.
 */

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/progress/', import.meta.url));
const WRITER = fileURLToPath(new URL('./fixtures/progress/writer.js', import.meta.url));
const mounted: string[] = [];

test.after(() => {
  for (const point of mounted.splice(0)) spawnSync('umount', ['-l', point]);
  removeTempDirs();
});

function storeDirWith(fixtureName?: string): string {
  const dir = tempDir('kubetls-progress-');
  if (fixtureName) copyFileSync(join(FIXTURES, fixtureName), join(dir, 'config.json'));
  return dir;
}

function lesson(id: string, at = Date.parse('2025-03-03T09:00:00.000Z')) {
  return (progress: Progress) => markLessonDone(progress, { lessonId: id, at });
}

function attemptNumber(n: number) {
  return (progress: Progress) =>
    recordAttempt(progress, { id: `a${n}`, at: new Date(Date.UTC(2025, 2, 3, 9, n)).toISOString(), mode: 'practice', topics: ['wiring'], outcomes: [{ questionId: `q${n}`, topic: 'wiring', correct: false }], score: 0, max: 1 });
}

/** Files in `dir` other than the store's own (config.json and its lock). */
function asideFiles(dir: string, kind: 'corrupt' | 'backup'): string[] {
  return readdirSync(dir).filter((name) => name.startsWith(`config.json.${kind}-`));
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

/** A mount this test may make only with CAP_SYS_ADMIN (root in CI); otherwise the test says it was skipped. */
function mountOrSkip(args: string[], point: string, what: string): boolean {
  const result = run('mount', [...args, point]);
  if (!result.ok) {
    console.log(`\n  skipped (${what}): mount is not permitted here: ${result.output}`);
    return false;
  }
  mounted.push(point);
  return true;
}

function unmount(point: string): void {
  const result = run('umount', [point]);
  assert.ok(result.ok, `umount ${point}: ${result.output}`);
  mounted.splice(mounted.indexOf(point), 1);
}

test('location: KUBETLS_CONFIG_DIR or conf\'s config directory; one directory per profile', () => {
  assert.is(configDir({ env: { KUBETLS_CONFIG_DIR: '/srv/class' } }), '/srv/class');
  assert.is(configDir({ dir: 'rel', env: { KUBETLS_CONFIG_DIR: '/srv/class' } }), join(process.cwd(), 'rel'), 'the option wins, made absolute');
  assert.match(configDir({ env: {} }), /kubetls-nodejs$/);
  assert.is(profileDir('/srv/class', DEFAULT_PROFILE), '/srv/class');
  assert.is(profileDir('/srv/class', 'ann'), '/srv/class/profiles/ann');
  const store = openProgressStore({ dir: '/srv/class', profile: 'ann' });
  assert.is(store.path, '/srv/class/profiles/ann/config.json');
});

test('profiles: --profile, then KUBETLS_PROFILE, then "default"; a bad name is one clear error', () => {
  assert.is(resolveProfile({ env: {} }), 'default');
  assert.is(resolveProfile({ env: { KUBETLS_PROFILE: 'bob' } }), 'bob');
  assert.is(resolveProfile({ env: { KUBETLS_PROFILE: '' } }), 'default');
  assert.is(resolveProfile({ flag: 'ann', env: { KUBETLS_PROFILE: 'bob' } }), 'ann');
  for (const [flag, env, source] of [['../etc', undefined, '--profile'], [undefined, 'Ann', 'KUBETLS_PROFILE'], ['', undefined, '--profile'], ['a'.repeat(33), undefined, '--profile'], ['-x', undefined, '--profile']] as const) {
    let error: unknown;
    try {
      resolveProfile({ flag, env: env === undefined ? {} : { KUBETLS_PROFILE: env } });
    } catch (caught) {
      error = caught;
    }
    assert.instance(error, KubetlsError, String(flag ?? env));
    assert.match((error as KubetlsError).message, new RegExp(`^invalid profile name ".*" \\(from ${source}\\)$`));
    assert.match((error as KubetlsError).hint ?? '', /lower-case letters, digits/);
  }
});

test('a new store reads as empty, writes nothing until a change, then keeps it for the next process', () => {
  const dir = storeDirWith();
  const store = openProgressStore({ dir, defaultSettings: { language: 'ko', theme: 'dark', monochrome: false } });
  assert.equal(store.read(), emptyProgress({ language: 'ko', theme: 'dark', monochrome: false }));
  assert.not.ok(existsSync(store.path), 'reading does not create the file');
  store.update(lesson('zero-trust'));
  const onDisk = JSON.parse(readFileSync(store.path, 'utf8')) as Progress;
  assert.is(onDisk.schemaVersion, SCHEMA_VERSION);
  assert.is(onDisk.settings.language, 'ko');
  assert.ok(onDisk.lessons['zero-trust']?.done);
  assert.equal(readdirSync(dir), ['config.json'], 'no lock or temporary file left behind');
  assert.equal(openProgressStore({ dir }).read(), onDisk);
  assert.is(store.warning(), undefined);
  assert.is(store.takeNotice(), undefined);
});

test('only the learner can read their progress: the file is 0600 in a 0700 directory, also when an older file was 0644', () => {
  const dir = join(tempDir('kubetls-progress-'), 'new', 'kubetls');
  const store = openProgressStore({ dir });
  store.update(lesson('zero-trust'));
  assert.is(statSync(store.path).mode & 0o777, 0o600);
  assert.is(statSync(dir).mode & 0o777, 0o700);
  chmodSync(store.path, 0o644);
  store.update(lesson('cluster-ca'));
  assert.is(statSync(store.path).mode & 0o777, 0o600, 'rewritten with the private mode');
});

test('profiles are kept apart', () => {
  const dir = storeDirWith();
  const ann = openProgressStore({ dir, profile: 'ann' });
  const bob = openProgressStore({ dir, profile: 'bob' });
  const shared = openProgressStore({ dir });
  ann.update(lesson('zero-trust'));
  bob.update(lesson('wiring'));
  bob.update((progress) => updateSettings(progress, { language: 'ko' }));
  assert.equal(Object.keys(ann.read().lessons), ['zero-trust']);
  assert.equal(Object.keys(bob.read().lessons), ['wiring']);
  assert.is(ann.read().settings.language, 'en');
  assert.equal(shared.read().lessons, {});
  assert.ok(ann.path !== bob.path && existsSync(ann.path) && existsSync(bob.path));
  assert.not.ok(existsSync(shared.path), 'the default profile was never written');
});

test('migration: every earlier-version file is read, upgraded on the first save, and read back the same', () => {
  for (const name of readdirSync(FIXTURES).filter((file) => /^v0-.*\.json$/.test(file))) {
    const dir = storeDirWith(name);
    const original = readFileSync(join(dir, 'config.json'), 'utf8');
    const store = openProgressStore({ dir });
    const read = store.read();
    assert.is(read.schemaVersion, 1, name);
    assert.is(readFileSync(store.path, 'utf8'), original, `${name}: reading alone does not rewrite it`);
    const saved = store.update(lesson('wiring'));
    const onDisk = JSON.parse(readFileSync(store.path, 'utf8')) as Progress;
    assert.is(onDisk.schemaVersion, 1, name);
    assert.equal(onDisk, saved, name);
    assert.equal(openProgressStore({ dir }).read(), saved, name);
    assert.is(store.takeNotice(), undefined, `${name} is not damage`);
  }
  const session = openProgressStore({ dir: storeDirWith('v0-session.json') }).read();
  assert.equal(session.settings, { language: 'ko', theme: 'light', monochrome: true });
  assert.equal(session.lessons['cluster-ca'], { done: false, line: 42, percent: 35.5 });
  assert.equal(openProgressStore({ dir: storeDirWith('v1-sample.json') }).read(), JSON.parse(readFileSync(join(FIXTURES, 'v1-sample.json'), 'utf8')));
});

test('a file from a newer kubetls is left untouched; this session works in memory and says so', () => {
  const dir = storeDirWith('v2-future.json');
  const original = readFileSync(join(dir, 'config.json'), 'utf8');
  const store = openProgressStore({ dir });
  assert.equal(store.read().lessons, {});
  const after = store.update(lesson('wiring'));
  assert.ok(after.lessons['wiring']?.done, 'the change is there for this session');
  assert.ok(store.read().lessons['wiring']?.done);
  assert.match(store.warning() ?? '', /newer kubetls \(progress schema 2; this one knows 1\); it is left untouched/);
  assert.is(store.flush(), false);
  assert.throws(() => store.reset(), /cannot reset .*newer kubetls/);
  assert.is(readFileSync(store.path, 'utf8'), original);
  assert.equal(readdirSync(dir), ['config.json']);
});

test('damage: an unreadable or invalid file is moved aside, a fresh store starts, and the learner is told once', () => {
  for (const [name, reason] of [
    ['damaged-truncated.json', /it is not valid JSON: /],
    ['damaged-not-an-object.json', /it holds a list, not a JSON object/],
    ['damaged-schema.json', /it does not fit the progress schema: `attempts\/0\/at` must match format "date-time"; `settings\/language` must match pattern/],
  ] as const) {
    const dir = storeDirWith(name);
    const original = readFileSync(join(dir, 'config.json'));
    const store = openProgressStore({ dir, now: () => Date.parse('2025-03-03T09:08:07.654Z') });
    assert.equal(store.read(), emptyProgress(), name);
    assert.equal(asideFiles(dir, 'corrupt'), ['config.json.corrupt-2025-03-03T09-08-07.654Z'], name);
    assert.equal(readFileSync(join(dir, 'config.json.corrupt-2025-03-03T09-08-07.654Z')), original, `${name}: kept byte for byte`);
    const notice = store.takeNotice() ?? '';
    assert.match(notice, reason, name);
    assert.match(notice, new RegExp(`it was kept as ${dir}/config\\.json\\.corrupt-2025-03-03T09-08-07\\.654Z and a fresh one was started`), name);
    assert.is(store.takeNotice(), undefined, `${name}: told once`);
    assert.is(store.warning(), undefined, name);
    store.update(lesson('wiring'));
    assert.ok(openProgressStore({ dir }).read().lessons['wiring']?.done, `${name}: the fresh store saves`);
  }
});

test('damage found while saving: moved aside under the lock, and the change is saved on a fresh store', () => {
  const dir = storeDirWith('v1-sample.json');
  const store = openProgressStore({ dir, now: () => Date.parse('2025-03-04T00:00:00.000Z') });
  store.read();
  writeFileSync(store.path, '{"schemaVersion": 1, "lessons": ');
  // two moved aside in the same millisecond do not overwrite each other
  writeFileSync(join(dir, 'config.json.corrupt-2025-03-04T00-00-00.000Z'), 'an earlier one');
  const saved = store.update(lesson('wiring'));
  assert.equal(Object.keys(saved.lessons), ['wiring']);
  assert.equal(asideFiles(dir, 'corrupt').sort(), ['config.json.corrupt-2025-03-04T00-00-00.000Z', 'config.json.corrupt-2025-03-04T00-00-00.000Z-1']);
  assert.is(readFileSync(join(dir, 'config.json.corrupt-2025-03-04T00-00-00.000Z-1'), 'utf8'), '{"schemaVersion": 1, "lessons": ');
  assert.match(store.takeNotice() ?? '', /not valid JSON/);
});

test('reset: a timestamped backup of the file as it was; settings and sandbox place stay', () => {
  const dir = storeDirWith('v1-sample.json');
  const original = readFileSync(join(dir, 'config.json'));
  const store = openProgressStore({ dir, now: () => Date.parse('2025-03-06T10:00:00.000Z') });
  const result = store.reset();
  assert.is(result.backupPath, join(dir, 'config.json.backup-2025-03-06T10-00-00.000Z'));
  assert.equal(readFileSync(result.backupPath!), original);
  assert.equal(result.progress, { ...emptyProgress(), sandboxDir: '/home/ann/kubetls-lab' });
  assert.equal(openProgressStore({ dir }).read(), result.progress);
  // a profile with no file yet: nothing to back up
  const fresh = openProgressStore({ dir, profile: 'new' }).reset();
  assert.is(fresh.backupPath, undefined);
});

function runWriter(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WRITER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('two processes writing 500 updates each at the same time: all 1000 are kept', async () => {
  const dir = storeDirWith();
  const [first, second] = await Promise.all([runWriter(['attempts', dir, 'A', '500']), runWriter(['attempts', dir, 'B', '500'])]);
  for (const writer of [first, second]) {
    assert.is(writer.code, 0, writer.stderr);
    assert.is(JSON.parse(writer.stdout).warning, null, 'nothing was left in memory');
  }
  const progress = openProgressStore({ dir }).read();
  const ids = progress.attempts.map((attempt) => attempt.id);
  assert.is(ids.length, 1000);
  for (const label of ['A', 'B']) for (let index = 0; index < 500; index++) assert.ok(ids.includes(`${label}-${index}`), `${label}-${index}`);
  assert.is(Object.keys(progress.review).length, 1000, 'every Leitner card too');
  // the test means something only if the two really ran at the same time
  const switches = ids.filter((id, index) => index > 0 && id[0] !== ids[index - 1]![0]).length;
  assert.ok(switches >= 2, `the writers interleaved (${switches} switches between A and B)`);
  assert.equal(readdirSync(dir), ['config.json']);
});

test('lock: a process killed while holding it does not block the others', async () => {
  const dir = storeDirWith('v1-sample.json');
  const lockPath = join(dir, 'config.json.lock');
  const holder = spawn(process.execPath, [WRITER, 'hold-lock', lockPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
  holder.kill('SIGKILL');
  await new Promise((resolve) => holder.once('close', resolve));
  assert.ok(existsSync(lockPath), 'the crash left its lock behind');
  const store = openProgressStore({ dir });
  const started = Date.now();
  store.update(lesson('wiring'));
  // its process is gone, so the lock is broken at once, not after the 10 s age limit
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  assert.is(store.warning(), undefined);
  assert.ok(openProgressStore({ dir }).read().lessons['wiring']?.done);
  assert.not.ok(existsSync(lockPath));
});

test('lock: one from another host is broken once old; a live holder makes the change wait in memory', () => {
  const dir = storeDirWith('v1-sample.json');
  const lockPath = join(dir, 'config.json.lock');
  writeFileSync(lockPath, JSON.stringify({ pid: 1, host: 'some-other-host', token: 'theirs' }));
  let store = openProgressStore({ dir, lock: { staleMs: 300, timeoutMs: 5000 } });
  const started = Date.now();
  store.update(lesson('wiring'));
  const waited = Date.now() - started;
  assert.ok(waited >= 250 && waited < 3000, `waited for the lock to age (${waited} ms)`);
  assert.ok(openProgressStore({ dir }).read().lessons['wiring']?.done);

  // held by a live process on this host (this one): not stale, so the change is kept in memory
  writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'held' }));
  let clock = Date.parse('2025-03-06T10:00:00.000Z');
  store = openProgressStore({ dir, now: () => clock, lock: { staleMs: 60_000, timeoutMs: 200 }, retrySaveMs: 1000 });
  store.update(lesson('renewal'));
  assert.ok(store.read().lessons['renewal']?.done);
  assert.match(store.warning() ?? '', /cannot be saved .*ELOCKTIMEOUT: .*config\.json\.lock is held by another kubetls/);
  store.update(lesson('kubeconfig')); // within retrySaveMs: straight to memory, no waiting
  assert.not.ok(openProgressStore({ dir }).read().lessons['renewal'], 'not on disk yet');
  // the holder lets go: the next save writes both changes, in order, onto the fresh file
  unlinkSync(lockPath);
  clock += 1000;
  store.update(lesson('inspecting'));
  assert.is(store.warning(), undefined);
  assert.equal(Object.keys(openProgressStore({ dir }).read().lessons).filter((id) => ['renewal', 'kubeconfig', 'inspecting'].includes(id)), ['renewal', 'kubeconfig', 'inspecting']);
});

test('cannot write: a directory that cannot exist (its parent is a file) keeps working in memory', () => {
  const base = tempDir('kubetls-progress-');
  writeFileSync(join(base, 'not-a-dir'), 'a file');
  const store = openProgressStore({ dir: join(base, 'not-a-dir', 'kubetls') });
  assert.equal(store.read(), emptyProgress());
  store.update(lesson('wiring'));
  assert.ok(store.read().lessons['wiring']?.done);
  assert.match(store.warning() ?? '', /progress cannot be saved in .*not-a-dir\/kubetls \(ENOTDIR: .*\); this session's changes are kept in memory/);
  assert.is(store.flush(), false);
  assert.is(readFileSync(join(base, 'not-a-dir'), 'utf8'), 'a file');
});

test('cannot write: a read-only file system (EROFS) — the file is read, kept, and saved to once writable again', () => {
  const dir = storeDirWith('v1-sample.json');
  const original = readFileSync(join(dir, 'config.json'));
  // a bind mount of the directory onto itself, then made read-only: root cannot write through it either
  if (!mountOrSkip(['--bind', dir], dir, 'EROFS')) return;
  assert.ok(run('mount', ['-o', 'remount,ro,bind', dir]).ok, 'remount read-only');
  assert.throws(() => writeFileSync(join(dir, 'probe'), 'x'), /EROFS/, 'really read-only, even for root');
  const store = openProgressStore({ dir });
  assert.is(store.read().attempts.length, 3);
  store.update(lesson('wiring'));
  assert.ok(store.read().lessons['wiring']?.done, 'working in memory');
  assert.match(store.warning() ?? '', /cannot be saved .*\(EROFS: /);
  assert.is(store.flush(), false);
  assert.equal(readFileSync(join(dir, 'config.json')), original, 'the file is untouched');
  unmount(dir);
  assert.is(store.flush(), true, 'saved once the disk allows');
  assert.is(store.warning(), undefined);
  const saved = openProgressStore({ dir }).read();
  assert.ok(saved.lessons['wiring']?.done);
  assert.is(saved.attempts.length, 3, 'on top of what was there');
});

test('cannot write: a damaged file on a read-only file system stays where it is', () => {
  const dir = storeDirWith('damaged-truncated.json');
  const original = readFileSync(join(dir, 'config.json'));
  if (!mountOrSkip(['--bind', dir], dir, 'EROFS, damaged')) return;
  assert.ok(run('mount', ['-o', 'remount,ro,bind', dir]).ok);
  const store = openProgressStore({ dir });
  assert.equal(store.read(), emptyProgress());
  assert.match(store.warning() ?? '', /EROFS/);
  assert.is(store.takeNotice(), undefined, 'nothing was moved');
  unmount(dir);
  assert.equal(readFileSync(join(dir, 'config.json')), original);
  assert.equal(asideFiles(dir, 'corrupt'), []);
});

test('cannot write: a full disk (ENOSPC on a small tmpfs) — working in memory, the file untouched', () => {
  const dir = tempDir('kubetls-progress-');
  if (!mountOrSkip(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs'], dir, 'ENOSPC')) return;
  copyFileSync(join(FIXTURES, 'v1-sample.json'), join(dir, 'config.json'));
  const original = readFileSync(join(dir, 'config.json'));
  // fill every block that is left
  const filler = join(dir, 'filler');
  writeFileSync(filler, '');
  for (let chunk = Buffer.alloc(4096, 1); ; ) {
    try {
      writeFileSync(filler, chunk, { flag: 'a' });
    } catch (error) {
      assert.is((error as NodeJS.ErrnoException).code, 'ENOSPC');
      break;
    }
  }
  const store = openProgressStore({ dir });
  store.update(attemptNumber(1));
  assert.is(store.read().attempts.length, 4, 'working in memory');
  assert.match(store.warning() ?? '', /cannot be saved .*\(ENOSPC: /);
  assert.equal(readFileSync(join(dir, 'config.json')), original, 'the file is untouched');
  assert.equal(readdirSync(dir).sort(), ['config.json', 'filler'], 'no lock or temporary file left behind');
  unmount(dir);
});

test('cannot write: no permission (EACCES), as an ordinary user — the file untouched', async () => {
  if (process.getuid?.() !== 0) {
    console.log('\n  skipped (EACCES): needs root to run the writer as the user nobody');
    return;
  }
  const dir = storeDirWith('v1-sample.json');
  chmodSync(dir, 0o755);
  const original = readFileSync(join(dir, 'config.json'));
  // nobody may not be able to enter the clone (a 0700 home): the writer bundled where nobody can read it
  const writer = bundleForAnotherUser(WRITER);
  const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, writer, 'attempts', dir, 'N', '3'], { encoding: 'utf8' });
  assert.is(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { attempts: number; warning: string };
  assert.is(report.attempts, 6, 'the three saved ones and three in memory');
  assert.match(report.warning, /cannot be saved .*\(EACCES: /);
  assert.equal(readFileSync(join(dir, 'config.json')), original);
  assert.equal(readdirSync(dir), ['config.json']);
});

test('lock files that are old enough are broken, even when their content is unreadable', () => {
  const dir = storeDirWith();
  const lockPath = join(dir, 'config.json.lock');
  writeFileSync(lockPath, '');
  const old = new Date(Date.now() - 60_000);
  utimesSync(lockPath, old, old);
  const store = openProgressStore({ dir });
  store.update((progress) => saveLessonPosition(progress, { lessonId: 'wiring', line: 10, percent: 20, at: Date.now() }));
  assert.is(store.warning(), undefined);
  assert.is(openProgressStore({ dir }).read().lessons['wiring']?.line, 10);
});

test.run();
