import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs, runCli, tempDir, assertOneLineError } from './helpers.js';
import { portableModule, runAs, setprivArgs } from './support/portable-cli.js';
import { joinClass, leaveClass, newAttemptId, openProgressStore, recordAttempt, type AttemptRecord } from '../src/progress/index.js';
import {
  classCsv, classRows, classTopics, filterRows, learnerFileName, learnerSummary, readClassExam, readRoster, setClassExam, sortRows,
} from '../src/classroom/index.js';

/** src/classroom: learners' summaries in a shared class directory, the teacher's table, the class exam. */

test.after(removeTempDirs);

const uid = process.getuid?.() ?? 0;

function attempt(overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    id: newAttemptId(), at: '2026-03-02T10:00:00.000Z', mode: 'practice', topics: ['wiring'],
    outcomes: [{ questionId: 'wiring.secret-question', topic: 'wiring', correct: true }, { questionId: 'wiring.other', topic: 'wiring', correct: false }],
    score: 1, max: 2, ...overrides,
  };
}

function classDir(): string {
  const dir = join(tempDir('kubetls-class-'), 'class');
  mkdirSync(dir);
  chmodSync(dir, 0o3770);
  return dir;
}

test('a summary holds scores and mastery, never a question or an answer', () => {
  const store = openProgressStore({ dir: tempDir() });
  let progress = store.update((current) => recordAttempt(current, attempt()));
  progress = store.update((current) => recordAttempt(current, attempt({ mode: 'exam', at: '2026-03-03T10:00:00.000Z', score: 9, max: 10, passed: true, classExam: 'exam-1' })));
  const summary = learnerSummary(progress, { name: 'Kim Minji', user: 'kim', uid: 1000, profile: 'default' }, Date.parse('2026-03-04T00:00:00Z'));
  assert.equal(summary.practice, { attempts: 1, lastPercent: 50, bestPercent: 50 });
  assert.equal(summary.exams, [{ at: '2026-03-03T10:00:00.000Z', percent: 90, passed: true, classExam: 'exam-1' }]);
  assert.is(summary.mastery['wiring'], 50, 'two of the four latest answers');
  assert.is(summary.lastActive, '2026-03-03T10:00:00.000Z');
  assert.not.match(JSON.stringify(summary), /secret-question|questionId|outcomes/);
});

test('join: the summary follows every saved change, 0640, atomically; leave takes it away', () => {
  const dir = classDir();
  const config = tempDir();
  const store = openProgressStore({ dir: config, profile: 'kim' });
  store.update((current) => joinClass(current, { dir, name: 'Kim Minji', at: Date.now() }));
  const file = join(dir, learnerFileName(uid, 'kim'));
  assert.ok(existsSync(file), 'written at once');
  assert.is(statSync(file).mode & 0o777, 0o640);
  store.update((current) => recordAttempt(current, attempt()));
  assert.is((JSON.parse(readFileSync(file, 'utf8')) as { practice: { attempts: number } }).practice.attempts, 1, 'and again on the next change');
  store.update(leaveClass);
  store.update((current) => recordAttempt(current, attempt()));
  const left = runCli(['--profile', 'kim', 'class', 'leave'], { env: { KUBETLS_CONFIG_DIR: config } });
  assertOneLineError(left, /you are not in a class/, 'left already');
  // the CLI: join, leave
  const joined = runCli(['--profile', 'lee', 'class', 'join', '--dir', dir, '--name', 'Lee Jun'], { env: { KUBETLS_CONFIG_DIR: config } });
  assert.is(joined.status, 0, joined.stderr);
  assert.match(joined.stdout, /You joined the class in .* as Lee Jun\.\n.*lee\.learner\.json, written again on each change:\n.*never your answers\./);
  const leeFile = join(dir, learnerFileName(uid, 'lee'));
  assert.ok(existsSync(leeFile));
  const leave = runCli(['--profile', 'lee', 'class', 'leave'], { env: { KUBETLS_CONFIG_DIR: config } });
  assert.is(leave.status, 0, leave.stderr);
  assert.not.ok(existsSync(leeFile), 'leaving removes the summary');
  assertOneLineError(runCli(['class', 'join', '--dir', join(dir, 'nope'), '--name', 'X'], { env: { KUBETLS_CONFIG_DIR: config } }), /no such class directory/, 'a missing class');
});

test('the table: sorted, filtered, as CSV and JSON; only files whose owner is the learner they name', () => {
  const dir = classDir();
  const summaries = [
    { name: 'Kim Minji', profile: 'kim', attempts: [attempt({ score: 1, max: 1, outcomes: [{ questionId: 'wiring.a', topic: 'wiring', correct: true }] })] },
    { name: 'Lee Jun', profile: 'lee', attempts: [attempt({ score: 0, max: 1, outcomes: [{ questionId: 'wiring.a', topic: 'wiring', correct: false }] })] },
    { name: 'Park Soo', profile: 'park', attempts: [] },
  ];
  for (const learner of summaries) {
    const store = openProgressStore({ dir: tempDir(), profile: learner.profile });
    store.update((current) => joinClass(current, { dir, name: learner.name, at: Date.now() }));
    for (const record of learner.attempts) store.update((current) => recordAttempt(current, record));
  }
  const roster = readRoster(dir);
  assert.equal(roster.problems, []);
  const rows = classRows(roster.learners);
  assert.equal(sortRows(rows, 'practice', true).map((row) => row.name), ['Kim Minji', 'Lee Jun', 'Park Soo'], 'never practised goes last');
  assert.equal(sortRows(rows, 'topic:wiring').map((row) => row.name), ['Lee Jun', 'Kim Minji', 'Park Soo']);
  assert.equal(filterRows(rows, 'lee').map((row) => row.name), ['Lee Jun']);
  const csv = classCsv(sortRows(rows, 'name'), classTopics(roster.learners));
  assert.match(csv, /^name,user,profile,lessons_done,lessons_total,practice_best,practice_attempts,exam_percent,exam_passed,class_exam,mastery_zero-trust,/);
  assert.match(csv, /\r\nKim Minji,[^,]+,kim,0,12,100,1,,,,/);
  const json = JSON.parse(runCli(['class', '--dir', dir, '--json', '--sort', 'wiring', '--desc']).stdout) as { learners: { name: string }[] };
  assert.equal(json.learners.map((row) => row.name), ['Kim Minji', 'Lee Jun', 'Park Soo']);
  const text = runCli(['class', '--dir', dir, '--filter', 'park']);
  assert.is(text.status, 0, text.stderr);
  assert.match(text.stdout, /^NAME +LOGIN +LESSONS +PRACTICE +EXAM +T1 /);
  assert.match(text.stdout, /\nPark Soo +\S+ +0\/12 +- +- /);
  assertOneLineError(runCli(['class', '--dir', dir, '--sort', 'height']), /--sort "height" is not a column/, 'sort');

  // a link, a damaged file, and a file that claims to be another uid's
  symlinkSync(join(dir, learnerFileName(uid, 'kim')), join(dir, learnerFileName(uid, 'ghost')));
  writeFileSync(join(dir, learnerFileName(uid, 'broken')), '{');
  const impostor = join(dir, learnerFileName(uid + 4242, 'default'));
  writeFileSync(impostor, readFileSync(join(dir, learnerFileName(uid, 'kim'))));
  const checked = readRoster(dir);
  assert.is(checked.learners.length, 3);
  assert.equal(checked.problems.map((problem) => String(problem.params?.['file'])).sort(), [learnerFileName(uid, 'broken'), learnerFileName(uid, 'ghost'), learnerFileName(uid + 4242, 'default')].sort());
});

test('class exam: every learner gets the same tasks, and the table shows their scores', () => {
  const dir = classDir();
  const config = tempDir();
  for (const [profile, name] of [['kim', 'Kim Minji'], ['lee', 'Lee Jun']]) {
    assert.is(runCli(['--profile', profile!, 'class', 'join', '--dir', dir, '--name', name!], { env: { KUBETLS_CONFIG_DIR: config } }).status, 0);
  }
  const set = runCli(['class', 'exam', '--dir', dir, '--seed', '42', '--count', '6', '--minutes', '12']);
  assert.is(set.status, 0, set.stderr);
  const exam = readClassExam(dir)!;
  assert.equal([exam.seed, exam.count, exam.minutes], [42, 6, 12]);
  const tasks = (profile: string, extra: string[] = []) => {
    const run = runCli(['--profile', profile, 'exam', '--plain', ...extra], { input: ':submit\n', env: { KUBETLS_CONFIG_DIR: config } });
    assert.is(run.status, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`notice: class exam ${exam.id} set by your teacher: 6 tasks, 12 minutes`));
    return run.stdout.split('\n').filter((line) => /^(Task \d|kubetls exam:)/.test(line) || /^ {2}\S/.test(line)).join('\n');
  };
  const kim = tasks('kim');
  assert.match(kim, /^kubetls exam: 6 tasks, 12 minutes, pass mark 66%, seed 42/);
  assert.is(tasks('lee', ['--seed', '7', '--count', '3']), kim, "the teacher's exam, whatever the learner asks for");
  const table = JSON.parse(runCli(['class', '--dir', dir, '--json']).stdout) as { exam: { id: string }; learners: { name: string; exam: { percent: number; classExam: string } }[] };
  assert.equal(table.learners.map((row) => [row.name, row.exam.classExam]), [['Kim Minji', exam.id], ['Lee Jun', exam.id]]);
  assert.is(runCli(['class', 'exam', '--dir', dir, '--end']).status, 0);
  assert.is(readClassExam(dir), undefined);
});

test('the class exam counts only when the owner of the class directory wrote it', () => {
  if (uid !== 0) return;
  const dir = classDir();
  setClassExam(dir, { seed: 1, count: 5, minutes: 5 });
  chownSync(join(dir, 'class-exam.json'), 4321, 4321);
  assert.is(readClassExam(dir), undefined, 'a learner cannot set the exam for everyone');
});

// ---- a shared server: real users, a setgid and sticky directory ---------------------------------

const CLASS_GROUP = 47000;
const TEACHER = { uid: 47001, gid: 47001, groups: [CLASS_GROUP] };
const learner = (index: number) => ({ uid: 47100 + index, gid: 47100 + index, groups: [CLASS_GROUP] });

/** /srv/kubetls-class as the README sets it up: the teacher's, the class group's, setgid and sticky (3770). */
function sharedClass(): { dir: string; configs: string } {
  const base = tempDir('kubetls-shared-');
  chmodSync(base, 0o755);
  const dir = join(base, 'class');
  mkdirSync(dir);
  chownSync(dir, TEACHER.uid, CLASS_GROUP);
  chmodSync(dir, 0o3770);
  const configs = join(base, 'configs');
  mkdirSync(configs);
  chmodSync(configs, 0o1777);
  return { dir, configs };
}

function configFor(configs: string, user: { uid: number; gid: number }): string {
  const path = join(configs, String(user.uid));
  if (!existsSync(path)) {
    mkdirSync(path);
    chownSync(path, user.uid, user.gid);
  }
  return path;
}

test("permissions: each learner's file is theirs alone; another member cannot change, replace or remove it", async () => {
  if (uid !== 0) {
    console.log('\n  skipped: needs root to run learners as other users');
    return;
  }
  const { dir, configs } = sharedClass();
  const [kim, lee] = [learner(1), learner(2)];
  for (const [who, name] of [[kim, 'Kim Minji'], [lee, 'Lee Jun']] as const) {
    const joined = await runAs(who, ['class', 'join', '--dir', dir, '--name', name], { KUBETLS_CONFIG_DIR: configFor(configs, who) });
    assert.is(joined.status, 0, joined.stderr);
    assert.is(joined.stderr, '', 'a setgid, sticky directory: no warning');
  }
  const kimFile = join(dir, learnerFileName(kim.uid, 'default'));
  const stats = lstatSync(kimFile);
  assert.equal([stats.uid, stats.gid, stats.mode & 0o7777], [kim.uid, CLASS_GROUP, 0o640], "kim's, in the class group (setgid), 0640");

  // Lee tries: write into it, rename his own file over it, remove it
  const attack = await portableModule('dist/test/support/class-attack.js', 'class-attack');
  const tried = spawnAs(lee, [attack, kimFile, join(dir, learnerFileName(lee.uid, 'default'))]);
  assert.equal(JSON.parse((await tried).stdout), { write: 'EACCES', rename: 'EPERM', unlink: 'EPERM' });
  assert.is(readRoster(dir).learners.find((entry) => entry.uid === kim.uid)?.name, 'Kim Minji', "Kim's summary is as Kim wrote it");

  // the teacher, in the group, reads the table; someone outside the class cannot
  const table = await runAs(TEACHER, ['class', '--dir', dir, '--csv']);
  assert.is(table.status, 0, table.stderr);
  assert.match(table.stdout, /\r\nKim Minji,uid 47101,default,/);
  assert.match(table.stdout, /\r\nLee Jun,uid 47102,default,/);
  const outsider = await runAs({ uid: 47900, gid: 47900 }, ['class', '--dir', dir, '--csv']);
  assert.match(outsider.stderr, /cannot read .*class: permission denied/);
  // the exam is the teacher's to set: a learner's class-exam.json does not count
  const learnerExam = await runAs(lee, ['class', 'exam', '--dir', dir, '--seed', '9']);
  assert.is(learnerExam.status, 0, learnerExam.stderr);
  assert.is(readClassExam(dir), undefined, "a learner's exam file is ignored");
  unlinkSync(join(dir, 'class-exam.json'));
  assert.is((await runAs(TEACHER, ['class', 'exam', '--dir', dir, '--seed', '9'])).status, 0);
  assert.is(readClassExam(dir)?.seed, 9);
});

function spawnAs(user: { uid: number; gid: number; groups?: number[] }, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('setpriv', [...setprivArgs(user), process.execPath, ...args], { env: { PATH: process.env['PATH'], HOME: '/nonexistent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('forty learners writing at once lose nothing; the teacher never reads half a file', async () => {
  if (uid !== 0) {
    console.log('\n  skipped: needs root to run forty learners as forty users');
    return;
  }
  const { dir, configs } = sharedClass();
  const writer = await portableModule('dist/test/support/class-writer.js', 'class-writer');
  const RUNS = 6;
  const learners = Array.from({ length: 40 }, (_, index) => learner(10 + index));
  // and one learner in two terminals at once: both runs count
  const twice = learner(60);
  const jobs = [
    ...learners.map((who, index) => spawnAs(who, [writer, configFor(configs, who), 'default', dir, `Learner ${index + 1}`, String(RUNS)])),
    spawnAs(twice, [writer, configFor(configs, twice), 'default', dir, 'Two Panes', String(RUNS)]),
    spawnAs(twice, [writer, configFor(configs, twice), 'default', dir, 'Two Panes', String(RUNS)]),
  ];
  let reads = 0;
  const seenProblems: unknown[] = [];
  let running = true;
  const watcher = (async () => {
    while (running) {
      seenProblems.push(...readRoster(dir).problems);
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  })();
  const results = await Promise.all(jobs);
  running = false;
  await watcher;
  for (const result of results) assert.is(result.status, 0, result.stderr);
  assert.equal(seenProblems, [], `${reads} reads while they wrote: every file whole`);
  const roster = readRoster(dir);
  assert.is(roster.learners.length, 41);
  for (const who of learners) assert.is(roster.learners.find((entry) => entry.uid === who.uid)?.practice.attempts, RUNS, `uid ${who.uid}`);
  assert.is(roster.learners.find((entry) => entry.uid === twice.uid)?.practice.attempts, 2 * RUNS, 'two processes of one learner: both runs kept, the summary the last');
  // no temporary files left behind
  assert.equal(readdirSync(dir).filter((name) => name.startsWith('.')), []);
});

test.run();
