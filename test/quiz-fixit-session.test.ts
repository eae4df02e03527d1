import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { breakCertificate, fixCertificates, renewCertificates } from '../src/pki/index.js';
import { createRandom, examReducer, practiceReducer, practiceScore, presentQuestion, startExam, startPractice, type ExamResult, type FixItQuestion } from '../src/quiz/index.js';
import { footprintOf, footprintsMeet } from '../src/quiz/fixit.js';
import { fixItQuestions, gradeTask, sandboxTasks, type TaskSandbox } from '../src/quiz/fixit-sandbox.js';
import { endExam, fixItSession, pickExamRepairs, tasksReadyNow } from '../src/quiz/fixit-session.js';
import { makeSandbox, removeTempDirs } from './helpers.js';

/**
 * The one fix-it session every shell runs (src/quiz/fixit-session.ts), on real sandboxes: set up before
 * the clock, graded at the end, saved, then what was not repaired put back; a grade that cannot run
 * fails only its task, with the reason, and the rest is still graded and put back.
 */

test.after(removeTempDirs);

// two tasks that can be open together: the apiserver's serving certificate expired, the etcd client's usage wrong
const EXPIRED = 'fixit.apiserver-expired';
const USAGE = 'fixit.etcd-client-wrong-usage';

function taskIn(dir: string, id: string): FixItQuestion {
  const found = fixItQuestions(dir).questions.find((question) => question.id === id);
  if (!found) throw new Error(`no task ${id}`);
  return found;
}

/** An exam of the given tasks, submitted at once (the answers do not matter: the sandbox is graded). */
function submittedExam(tasks: FixItQuestion[]) {
  const random = createRandom(1);
  const state = startExam(tasks.map((task) => presentQuestion(task, random)), { now: 0, durationMs: 60_000 });
  return examReducer(state, { type: 'submit' }, 10);
}

test('the two tasks used here do not spoil each other', async () => {
  const { dir } = await makeSandbox();
  assert.not.ok(footprintsMeet(footprintOf(taskIn(dir, EXPIRED).task), footprintOf(taskIn(dir, USAGE).task)));
});

test('set up -> repair one -> graded, saved, then only the unrepaired one put back', async () => {
  const { dir } = await makeSandbox();
  const [expired, usage] = [taskIn(dir, EXPIRED), taskIn(dir, USAGE)];
  const session = fixItSession(sandboxTasks(dir), 'en');
  const steps: number[] = [];
  assert.equal(await session.setUpAll([expired, usage], { step: (index, _total, work) => (steps.push(index), work()) }), { ok: true });
  assert.equal(steps, [0, 1]);
  for (const task of [expired, usage]) assert.not.ok((await gradeTask(dir, task)).passed, `${task.id} is set up`);
  await renewCertificates({ dir, certificate: 'apiserver' });

  let atSave: boolean | undefined;
  let saved: ExamResult | undefined;
  const { result, putBack } = await endExam(session, submittedExam([expired, usage]), async (graded) => {
    saved = graded;
    // saved before anything is put back: the unrepaired task still fails here
    atSave = (await gradeTask(dir, usage)).passed;
  });
  assert.is(saved, result);
  assert.is(atSave, false);
  assert.equal(result.tasks.map((task) => task.correct), [true, false]);
  assert.is(result.earned, expired.weight);
  assert.equal(putBack.map(({ id, index, ok }) => ({ id, index, ok })), [{ id: USAGE, index: 1, ok: true }]);
  assert.ok((await gradeTask(dir, usage)).passed, 'put back: it works again');
  assert.ok((await gradeTask(dir, expired)).passed, 'the repair is kept');
});

test('a grade that throws: that task is not repaired, with the reason; the rest is graded and the sandbox still put back', async () => {
  const { dir } = await makeSandbox();
  const [expired, usage] = [taskIn(dir, EXPIRED), taskIn(dir, USAGE)];
  const real = sandboxTasks(dir, { language: 'ko' });
  let failGrades = false;
  const flaky: TaskSandbox = {
    ...real,
    grade: (task) => (failGrades && task.id === EXPIRED ? Promise.reject(new Error('the sandbox disk went away')) : real.grade(task)),
  };
  const session = fixItSession(flaky, 'ko');
  assert.equal(await session.setUpAll([expired, usage]), { ok: true });
  await fixCertificates({ dir, certificate: 'apiserver-etcd-client' });
  failGrades = true;
  const { result, putBack } = await endExam(session, submittedExam([expired, usage]), () => undefined);
  const [first, second] = result.tasks;
  assert.not.ok(first?.correct);
  assert.equal(first?.grade?.checks, [{ name: '채점', ok: false, message: '검사를 실행할 수 없었습니다: the sandbox disk went away' }]);
  assert.ok(second?.correct, 'the other task is still graded');
  assert.ok(second?.grade?.checks.some((check) => check.name.startsWith('핸드셰이크 ')), 'its checks in the learner\'s language');
  assert.equal(putBack.map(({ id, ok }) => ({ id, ok })), [{ id: EXPIRED, ok: true }]);
  assert.ok((await gradeTask(dir, expired)).passed, 'put back although its grade failed');
});

test('a task that cannot be set up: the ones already broken are put back and the reason said in the learner\'s language', async () => {
  const { dir } = await makeSandbox();
  const [expired, usage] = [taskIn(dir, EXPIRED), taskIn(dir, USAGE)];
  await breakCertificate({ dir, certificate: 'apiserver-etcd-client', fault: 'expired' });
  const session = fixItSession(sandboxTasks(dir, { language: 'ko' }), 'ko');
  const outcome = await session.setUpAll([expired, usage]);
  assert.not.ok(outcome.ok);
  assert.match(outcome.ok ? '' : outcome.reason, /^과제 fixit\.etcd-client-wrong-usage가 다룰 부분이 샌드박스에서 이미 망가져 있습니다\(verify .*x509: certificate has expired/);
  assert.ok((await gradeTask(dir, expired)).passed, 'the first task was put back');
});

test('practice: a task left after its repair is not touched; one left broken is put back; giving up puts it back', async () => {
  const { dir } = await makeSandbox();
  const expired = taskIn(dir, EXPIRED);
  const session = fixItSession(sandboxTasks(dir), 'en');
  const first = await session.setUp(expired);
  assert.ok(first.ok && !first.failing.passed, 'what fails now');
  await renewCertificates({ dir, certificate: 'apiserver' });
  assert.is(await session.leave(expired), undefined, 'repaired: nothing to put back');
  assert.ok((await session.setUp(expired)).ok);
  assert.ok((await session.leave(expired))?.ok, 'left broken: put back');
  assert.ok((await gradeTask(dir, expired)).passed);
  assert.ok((await session.setUp(expired)).ok);
  const gaveUp = await session.putBack(expired);
  assert.ok(gaveUp?.ok && gaveUp.done.includes('apiserver'), JSON.stringify(gaveUp));
  assert.is(await session.putBack(expired), undefined, 'nothing open any more');
});

test('which tasks can start: those whose part works; an exam\'s pick keeps the grades that found them ready', async () => {
  const { dir } = await makeSandbox();
  await breakCertificate({ dir, certificate: 'apiserver', fault: 'expired' });
  const sandbox = sandboxTasks(dir);
  const all = fixItQuestions(dir).questions;
  const { ready, blocked } = await tasksReadyNow(sandbox, all);
  assert.ok(blocked.some((task) => task.id === EXPIRED) && !ready.some((task) => task.id === EXPIRED));
  assert.is(ready.length + blocked.length, all.length);
  const picked = await pickExamRepairs(sandbox, all, { count: 3, seed: 5 });
  assert.ok(picked.tasks.length > 0 && picked.tasks.every((task) => picked.checked.get(task.question.id)?.passed));
});

test('practice: a task that cannot be set up leaves the run, counted neither way', () => {
  const random = createRandom(1);
  const question = (id: string): FixItQuestion => ({
    id, topic: 'wiring', difficulty: 1, lesson: 'wiring', prompt: { en: id, ko: id }, explanation: { en: 'e', ko: 'e' }, hint: { en: 'h', ko: 'h' }, weight: 1,
    origin: { kind: 'generated', source: 't' }, type: 'text', normalize: 'text', list: false, accepted: [], task: { certificate: 'apiserver', fault: 'expired' },
  });
  let state = startPractice([question('a'), question('b')].map((q) => presentQuestion(q, random)), 0);
  state = practiceReducer(state, { type: 'leave-out' }, 1);
  assert.equal([state.items.length, state.index, state.phase], [1, 0, 'question']);
  state = practiceReducer(state, { type: 'leave-out' }, 2);
  assert.equal([state.items.length, state.phase, practiceScore(state).total], [0, 'finished', 0]);
});

test.run();
