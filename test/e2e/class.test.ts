import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs, tempDir } from '../helpers.js';
import { joinClass, newAttemptId, openProgressStore, recordAttempt } from '../../src/progress/index.js';
import { setClassExam } from '../../src/classroom/index.js';
import { startApp, type Terminal } from './tmux.js';

/** The teacher's table and a class exam, in the real app in a real terminal. */

let terminal: Terminal | undefined;
test.after.each(() => {
  terminal?.close();
  terminal = undefined;
});
test.after(removeTempDirs);

function learner(dir: string, profile: string, name: string, right: number, of: number): string {
  const config = tempDir();
  const store = openProgressStore({ dir: config, profile });
  store.update((progress) => joinClass(progress, { dir, name, at: Date.now() }));
  const outcomes = Array.from({ length: of }, (_, index) => ({ questionId: `wiring.q${index}`, topic: 'wiring', correct: index < right }));
  store.update((progress) => recordAttempt(progress, { id: newAttemptId(), at: new Date().toISOString(), mode: 'practice', topics: ['wiring'], outcomes, score: right, max: of }));
  return config;
}

test("kubetls class --dir: learners x topics, sorted, filtered, and a newcomer appears without a restart", async () => {
  const dir = join(tempDir('kubetls-class-'), 'class');
  mkdirSync(dir, { mode: 0o3770 });
  learner(dir, 'kim', 'Kim Minji', 9, 10);
  learner(dir, 'lee', 'Lee Jun', 3, 10);
  terminal = startApp({ columns: 100, rows: 30, args: ['class', '--dir', dir] });
  const table = await terminal.waitFor(/Lee Jun/);
  assert.match(table, /NAME +LESS\. PRAC CLASS|NAME +LESS\. PRAC +EXAM/);
  assert.match(table, /Kim Minji +0\/12 +90 +- +· +· +· +· +· +· +· +90/);
  assert.match(table, /Sorted by name ↑, 2 learners\./);
  // s: lessons, practice; S: the highest first
  terminal.keys('s', 's', 'S');
  await terminal.waitFor(/Sorted by practice ↓/);
  assert.ok(terminal.screen().indexOf('Kim Minji') < terminal.screen().indexOf('Lee Jun'));
  terminal.keys('/');
  await terminal.waitFor('Show learners whose name or login contains');
  terminal.type('lee');
  terminal.keys('Enter');
  const filtered = await terminal.waitFor(/1 learners "lee"/);
  assert.not.match(filtered, /Kim Minji/);
  terminal.keys('/');
  await terminal.waitFor('Show learners whose name or login contains');
  terminal.keys(...Array<string>(5).fill('BSpace'), 'Enter');
  learner(dir, 'park', 'Park Soo', 5, 10);
  await terminal.waitFor(/Park Soo/, 8000);
});

test('a learner in a class starts an exam in the app: the class exam, with its count and time', async () => {
  const dir = join(tempDir('kubetls-class-'), 'class');
  mkdirSync(dir, { mode: 0o3770 });
  const config = learner(dir, 'default', 'Kim Minji', 1, 1);
  const exam = setClassExam(dir, { seed: 42, count: 4, minutes: 7 });
  terminal = startApp({ columns: 100, rows: 30, args: ['exam'], env: { KUBETLS_CONFIG_DIR: config } });
  const start = await terminal.waitFor(/Exam: 4 tasks, 7 minutes/);
  assert.match(start, new RegExp(`Class exam ${exam.id}, set by your teacher`));
});

test.run();
