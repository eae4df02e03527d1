import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { breakCertificate, checkManifests, fixCertificates, readState, renewCertificates, type StaticPodComponent } from '../src/pki/index.js';
import {
  createRandom, gradeExam, isCorrect, practiceReducer, presentQuestion, startExam, startPractice, type FixItQuestion, type Question, type TaskGrade,
} from '../src/quiz/index.js';
import { footprintOf, footprintsMeet, loadFixItTasks, parseFixItText, selectFixItTasks } from '../src/quiz/fixit.js';
import { fixItQuestions, gradeTask, prepareTask, restoreTask } from '../src/quiz/fixit-sandbox.js';
import { generateManifestQuestions } from '../src/quiz/manifest-source.js';
import { topicName } from '../src/lessons/course.js';
import { REFERENCE_FLAGS } from './fixtures/lessons/kubeadm-facts.js';
import { BIN, assertOneLineError, makeSandbox, removeTempDirs, runCli, tempDir } from './helpers.js';

/**
 * Fix-it tasks (src/quiz/fixit.ts, fixit-sandbox.ts) on real sandboxes: each fails once it is set up,
 * a plausible wrong repair leaves it failing, and the repair a learner would make - `pki renew`,
 * `pki fix`, an edit of the manifest - makes it pass. The repairs are written out here, not taken
 * from the tasks' explanations. Then the engine, the manifest questions and the plain CLI end to end.
 */

test.after(removeTempDirs);

/** What a learner does with an editor: one flag's value changed, every other line as it was. */
function editFlag(dir: string, component: StaticPodComponent, flag: string, value: string): void {
  const file = join(dir, 'manifests', `${component}.yaml`);
  const pattern = new RegExp(`^(\\s*- ${flag}=).*$`, 'm');
  const text = readFileSync(file, 'utf8');
  assert.match(text, pattern, `${flag} in ${component}.yaml`);
  writeFileSync(file, text.replace(pattern, `$1${value}`));
}

type Repair = (dir: string) => Promise<unknown> | unknown;
const renew = (certificate: string): Repair => (dir) => renewCertificates({ dir, certificate });
const fix = (certificate: string): Repair => (dir) => fixCertificates({ dir, certificate });
const viaCli = (...args: string[]): Repair => (dir) => {
  const result = runCli([...args, '--dir', dir]);
  assert.is(result.status, 0, result.stderr);
};
const edit = (component: StaticPodComponent, flag: string, value: string): Repair => (dir) => editFlag(dir, component, flag, value);

/** For each task: a repair that looks reasonable but misses the point, and the one that works. */
const REPAIRS: Record<string, { wrong: Repair; right: Repair }> = {
  'fixit.apiserver-expired': { wrong: renew('admin'), right: viaCli('pki', 'renew', '--cert', 'apiserver') },
  'fixit.etcd-peer-not-yet-valid': { wrong: renew('etcd/server'), right: viaCli('pki', 'renew', '--cert', 'etcd/peer') },
  'fixit.etcd-client-expired': { wrong: renew('etcd/server'), right: renew('apiserver-etcd-client') },
  'fixit.admin-wrong-ca': { wrong: renew('apiserver'), right: viaCli('pki', 'renew', '--cert', 'admin') },
  // renewal copies the SANs it finds
  'fixit.apiserver-missing-san': { wrong: renew('apiserver'), right: viaCli('pki', 'fix', '--cert', 'apiserver') },
  'fixit.apiserver-key-mismatch': { wrong: renew('apiserver-kubelet-client'), right: renew('apiserver') },
  // and the usages
  'fixit.etcd-client-wrong-usage': { wrong: renew('apiserver-etcd-client'), right: fix('apiserver-etcd-client') },
  // new certificates do not mend a flag
  'fixit.etcd-cafile-wrong-path': { wrong: fix('all'), right: edit('kube-apiserver', '--etcd-cafile', '/etc/kubernetes/pki/etcd/ca.crt') },
  'fixit.client-ca-wrong-path': { wrong: renew('all'), right: edit('kube-apiserver', '--client-ca-file', '/etc/kubernetes/pki/ca.crt') },
  'fixit.tls-cert-typo': { wrong: fix('apiserver'), right: edit('kube-apiserver', '--tls-cert-file', '/etc/kubernetes/pki/apiserver.crt') },
  'fixit.etcd-certfile-wrong-path': { wrong: renew('apiserver-etcd-client'), right: edit('kube-apiserver', '--etcd-certfile', '/etc/kubernetes/pki/apiserver-etcd-client.crt') },
  // the right CA, but still outside etcd's volumes
  'fixit.etcd-trusted-ca-wrong-path': { wrong: edit('etcd', '--trusted-ca-file', '/etc/kubernetes/pki/etcd/../ca.crt'), right: edit('etcd', '--trusted-ca-file', '/etc/kubernetes/pki/etcd/ca.crt') },
};

async function taskIn(dir: string, id: string): Promise<FixItQuestion> {
  const found = fixItQuestions(dir).questions.find((question) => question.id === id);
  if (!found) throw new Error(`no task ${id}`);
  return found;
}

const failingNames = (grade: TaskGrade) => grade.checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.message}`).join('\n');

test('the fix-it tasks load, read in both languages and take the sandbox\'s own address, node and directory', async () => {
  const { tasks, diagnostics } = loadFixItTasks();
  assert.equal(diagnostics, []);
  assert.ok(tasks.length >= 10, `${tasks.length} tasks`);
  assert.equal(tasks.map((task) => task.id).sort(), Object.keys(REPAIRS).sort(), 'every task has its repairs in this test');
  for (const fault of ['expired', 'not-yet-valid', 'wrong-ca', 'missing-san', 'wrong-usage', 'key-mismatch', 'wrong-path']) {
    assert.ok(tasks.some((task) => task.fault.fault === fault), `a task for ${fault}`);
  }
  const sandbox = await makeSandbox({ nodeName: 'cp-7', advertiseAddress: '10.1.2.3' });
  const { questions } = fixItQuestions(sandbox.dir);
  for (const question of questions) {
    for (const text of [question.prompt, question.hint, question.explanation]) {
      assert.match(text["ko"] ?? "", /[가-힣]/, question.id);
      assert.not.match(`${text.en} ${text.ko}`, /\{(ip|node|svc|dir)\}/, `${question.id}: placeholders filled in`);
    }
    assert.ok(question.weight > 3, `${question.id}: weighted above a question (${question.weight})`);
  }
  assert.match(questions.find((q) => q.id === 'fixit.apiserver-missing-san')!.prompt.en, /not 10\.1\.2\.3`/);
  assert.ok(questions.find((q) => q.id === 'fixit.tls-cert-typo')!.prompt.en.includes(sandbox.dir));
});

test('a task file with mistakes is reported by file and line', () => {
  const text = [
    '- id: fixit.one',
    '  topic: wiring',
    '  difficulty: 2',
    '  lesson: wiring',
    '  break: { cert: apiserver, fault: melted }',
    '  prompt: { en: "Fix {host}", ko: "고치세요" }',
    '  hint: { en: h, ko: 힌트 }',
    '  explanation: { en: e, ko: 설명 }',
    '- id: fixit.two',
    '  topic: wiring',
    '  difficulty: 2',
    '  lesson: nowhere',
    '  break: { cert: apiserver, fault: expired, flag: --tls-cert-file }',
    '  prompt: { en: p }',
    '  hint: { en: h, ko: 힌트 }',
    '  explanation: { en: e, ko: 설명 }',
    '- id: fixit.three',
    '  topic: wiring',
    '  difficulty: 2',
    '  lesson: wiring',
    '  break: { cert: apiserver, fault: wrong-path, flag: --etcd-cafile }',
    '  prompt: { en: p, ko: 문제 }',
    '  hint: { en: h, ko: 힌트 }',
    '  explanation: { en: e, ko: 설명 }',
  ].join('\n');
  const { tasks, diagnostics } = parseFixItText(text, 'bad.yaml');
  assert.is(tasks.length, 0);
  const lines = diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`);
  assert.ok(lines.some((l) => /^bad\.yaml:5 task "fixit\.one": break\.fault must be one of expired, .*wrong-path$/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^bad\.yaml:6 task "fixit\.one": prompt\.en names \{host\}/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^bad\.yaml:12 task "fixit\.two": lesson must be a lesson id/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^bad\.yaml:13 task "fixit\.two": break\.flag goes with fault wrong-path/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^bad\.yaml:14 task "fixit\.two": prompt has no ko text/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^bad\.yaml:21 task "fixit\.three": no manifest flag "--etcd-cafile" names apiserver \(its flags: /.test(l)), lines.join('\n'));
});

for (const id of Object.keys(REPAIRS)) {
  test(`${id}: passes before, fails once set up, fails after the wrong repair, passes after the right one`, async () => {
    const { dir } = await makeSandbox();
    const task = await taskIn(dir, id);
    assert.ok((await gradeTask(dir, task)).passed, 'a fresh sandbox passes');
    const prepared = await prepareTask(dir, task);
    assert.not.ok(prepared.grade.passed);
    assert.ok(prepared.grade.checks.some((check) => check.name.startsWith('handshake') && !check.ok), `the handshake the fault breaks fails:\n${failingNames(prepared.grade)}`);
    await REPAIRS[id]!.wrong(dir);
    const afterWrong = await gradeTask(dir, task);
    assert.not.ok(afterWrong.passed, 'the wrong repair is not enough');
    await REPAIRS[id]!.right(dir);
    const afterRight = await gradeTask(dir, task);
    assert.ok(afterRight.passed, failingNames(afterRight));
    assert.ok(afterRight.checks.some((check) => check.name.startsWith('verify')), 'a verify was among the checks');
  });
}

test('a task is not set up where the sandbox is already broken; restoring a given-up task leaves a working sandbox', async () => {
  const { dir } = await makeSandbox();
  await breakCertificate({ dir, certificate: 'apiserver', fault: 'expired' });
  const expired = await taskIn(dir, 'fixit.apiserver-expired');
  let refused = '';
  await prepareTask(dir, expired).catch((error: Error) => {
    refused = error.message;
  });
  assert.match(refused, /^the sandbox is already broken where task fixit\.apiserver-expired works \(verify pki\/apiserver\.crt \(CA ca\): x509: certificate has expired or is not yet valid/);
  await renewCertificates({ dir, certificate: 'apiserver' });
  for (const id of ['fixit.tls-cert-typo', 'fixit.etcd-client-wrong-usage']) {
    const task = await taskIn(dir, id);
    const prepared = await prepareTask(dir, task);
    const what = await restoreTask(dir, prepared);
    assert.ok((await gradeTask(dir, task)).passed, `${id} restored by: ${what}`);
  }
});

test('tasks chosen to be open together do not spoil each other', async () => {
  const { dir: probe } = await makeSandbox();
  const all = fixItQuestions(probe).questions;
  let most = 0;
  for (const seed of [1, 2, 3]) {
    const chosen = selectFixItTasks(all, { count: 4, seed, together: true }).map((presented) => presented.question as FixItQuestion);
    most = Math.max(most, chosen.length);
    for (const [i, a] of chosen.entries()) for (const b of chosen.slice(i + 1)) assert.not.ok(footprintsMeet(footprintOf(a.task), footprintOf(b.task)), `${a.id} and ${b.id}`);
    const { dir } = await makeSandbox();
    const tasks = await Promise.all(chosen.map((question) => taskIn(dir, question.id)));
    for (const task of tasks) await prepareTask(dir, task);
    // repair one at a time: each passes as soon as its own repair is done, whatever the others' state
    for (const [index, task] of tasks.entries()) {
      await REPAIRS[task.id]!.right(dir);
      assert.ok((await gradeTask(dir, task)).passed, `seed ${seed}: ${task.id}`);
      for (const other of tasks.slice(index + 1)) assert.not.ok((await gradeTask(dir, other)).passed, `seed ${seed}: ${other.id} still broken`);
    }
  }
  assert.ok(most >= 3, `at least one seed opens three tasks at once (${most})`);
  // in practice, tasks come one after the other, so any may follow any
  assert.is(selectFixItTasks(all, { count: all.length, seed: 9 }).length, all.length);
});

test('the engine: a fix-it answer counts only with a passing grade; an exam grades the sandbox as it is at the end', async () => {
  const { dir } = await makeSandbox();
  const task = await taskIn(dir, 'fixit.apiserver-expired');
  const passed: TaskGrade = { passed: true, checks: [{ name: 'handshake admin -> apiserver', ok: true, message: 'TLSv1.3' }] };
  const failed: TaskGrade = { passed: false, checks: [{ name: 'handshake admin -> apiserver', ok: false, message: 'certificate has expired' }] };
  assert.not.ok(isCorrect(task, { kind: 'text', value: 'done' }), 'typing is not repairing');
  assert.not.ok(isCorrect(task, { kind: 'text', value: 'done', grade: failed }));
  assert.ok(isCorrect(task, { kind: 'text', value: 'done', grade: passed }));
  const presented = presentQuestion(task, createRandom(1));
  let practice = startPractice([presented], 0);
  practice = practiceReducer(practice, { type: 'answer', response: { kind: 'text', value: 'done', grade: passed } }, 5);
  assert.ok(practice.items[0]?.outcome?.correct);
  const other: Question = { id: 'x', topic: 'wiring', difficulty: 1, lesson: 'wiring', prompt: { en: 'q', ko: '질문' }, explanation: { en: 'e', ko: '설명' }, weight: 1, origin: { kind: 'generated', source: 't' }, type: 'text', normalize: 'text', list: false, accepted: [['yes']] };
  const exam = startExam([presented, presentQuestion(other, createRandom(1))], { now: 0, durationMs: 60_000 });
  // "done" was typed while it still failed; at the end it passes: the end counts
  const answered = { ...exam, responses: [{ kind: 'text' as const, value: 'done', grade: failed }, { kind: 'text' as const, value: 'yes' }], status: 'submitted' as const, endedBy: 'submit' as const, endedAt: 10 };
  const atEnd = gradeExam(answered, { taskGrades: new Map([[0, passed]]) });
  assert.equal([atEnd.earned, atEnd.possible, atEnd.tasks[0]?.grade?.passed], [task.weight + 1, task.weight + 1, true]);
  const notMarked = gradeExam({ ...answered, responses: [undefined, undefined] }, { taskGrades: new Map([[0, passed]]) });
  assert.is(notMarked.earned, task.weight, 'graded even without "done", as the CKA grades the cluster');
  assert.is(gradeExam(answered).earned, 1, 'without a final grade, the grade recorded at "done" counts');
});

test('manifest questions: keyed to the reference for a fresh sandbox; after a wrong-path fault the key stays, the wrong file is offered, and "which flag is wrong" names it', async () => {
  const { dir } = await makeSandbox();
  const fresh = generateManifestQuestions({ dir });
  assert.equal(fresh.diagnostics, []);
  const keyed = (question: Question) => (question.type === 'single' ? question.choices[question.answer]?.text.en : undefined);
  let checked = 0;
  for (const component of ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler'] as const) {
    for (const [flag, value] of Object.entries(REFERENCE_FLAGS[component])) {
      const question = fresh.questions.find((q) => q.id === `manifest.${component}.${flag.slice(2)}`);
      if (!value?.startsWith('/etc/kubernetes/')) {
        assert.is(question, undefined, `${component} ${flag} names no file`);
        continue;
      }
      assert.ok(question, `a question for ${component} ${flag}`);
      assert.is(keyed(question!), value, `${component} ${flag}`);
      assert.ok(question!.type === 'single' && question.choices.length >= 3 && question.choices.every((choice) => choice.text.en.startsWith('/etc/kubernetes/')), `${component} ${flag}: files of the sandbox as choices`);
      checked += 1;
    }
  }
  assert.is(checked, 31, 'every file flag of the reference for the four static Pods');
  assert.not.ok(fresh.questions.some((q) => q.id.startsWith('manifest.wrong-flag')), 'nothing is wrong yet');

  await breakCertificate({ dir, certificate: 'etcd/ca', fault: 'wrong-path' });
  const broken = generateManifestQuestions({ dir }).questions;
  const cafile = broken.find((q) => q.id === 'manifest.kube-apiserver.etcd-cafile')!;
  assert.is(keyed(cafile), '/etc/kubernetes/pki/etcd/ca.crt', 'still what kubeadm writes');
  assert.ok(cafile.type === 'single' && cafile.choices.some((choice) => choice.text.en === '/etc/kubernetes/pki/ca.crt'), 'the file the manifest names now is a choice');
  assert.match(cafile.explanation.en, /Your manifest names \/etc\/kubernetes\/pki\/ca\.crt now/);
  const wrongFlag = broken.find((q) => q.id === 'manifest.wrong-flag.kube-apiserver')!;
  assert.is(keyed(wrongFlag), '--etcd-cafile=/etc/kubernetes/pki/ca.crt');
});

/** The real CLI with a learner at the keyboard: wait for what it prints, act in "another terminal", type. */
function startCli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', LANG: 'C.UTF-8', ...env } });
  let stdout = '';
  let stderr = '';
  const waiting: { pattern: RegExp; resolve: () => void }[] = [];
  const settle = () => {
    for (const waiter of [...waiting]) {
      if (waiter.pattern.test(stdout)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    settle();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    waitFor(pattern: RegExp): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${stdout}\n${stderr}`)), 30_000);
        waiting.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
        settle();
      });
    },
    type(line: string): void {
      child.stdin.write(`${line}\n`);
    },
    async end(): Promise<{ status: number | null; stdout: string; stderr: string }> {
      child.stdin.end();
      const status = await exited;
      return { status, stdout, stderr };
    },
  };
}

test('quiz --plain --fix-it end to end: set up, a "done" that still fails, the repair in another terminal, a pass, and the attempt saved', async () => {
  const { dir } = await makeSandbox();
  const config = tempDir('kubetls-fixit-');
  const seed = 4;
  const [expected] = selectFixItTasks(fixItQuestions(dir).questions, { count: 1, seed });
  const task = expected!.question as FixItQuestion;
  const run = startCli(['quiz', '--plain', '--fix-it', '--sandbox', dir, '--count', '1', '--seed', String(seed)], { KUBETLS_CONFIG_DIR: config });
  await run.waitFor(/answer \(done, hint or skip\): $/);
  run.type('hint');
  await run.waitFor(/Hint: .*\n.*answer \(done, hint or skip\): $/);
  run.type('done');
  await run.waitFor(/Not fixed yet\. Still failing:\n(.*\n)+answer \(done, hint or skip\): $/);
  await REPAIRS[task.id]!.right(dir);
  run.type('done');
  const result = await run.end();
  assert.is(result.status, 0, result.stderr);
  assert.ok(result.stdout.includes(task.prompt.en), 'the task as the exam words it');
  assert.match(result.stdout, /^Question 1\/1 · fix-it · /m);
  assert.match(result.stdout, /^Fixed\. Every check passes:\n {2}✓ /m);
  assert.match(result.stdout, /  ✗ handshake .*fails on the/);
  assert.is(result.stdout.trimEnd().split('\n').pop(), 'Score: 1/1 (100%)');
  const saved = JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')) as { attempts: { outcomes: { questionId: string; correct: boolean }[] }[] };
  assert.equal(saved.attempts[0]?.outcomes, [{ questionId: task.id, topic: task.topic, correct: true }]);
});

test('quiz --plain --fix-it: skip gives up, repairs the sandbox for the next task and counts as wrong', async () => {
  const { dir } = await makeSandbox();
  const config = tempDir('kubetls-fixit-');
  const result = runCli(['quiz', '--plain', '--fix-it', '--sandbox', dir, '--count', '2', '--seed', '1'], { input: 'skip\nskip\n', env: { KUBETLS_CONFIG_DIR: config } });
  assert.is(result.status, 0, result.stderr);
  assert.is(result.stdout.match(/^kubetls repaired it so that the next task starts from a working sandbox: /gm)?.length, 2);
  assert.is(result.stdout.trimEnd().split('\n').pop(), 'Score: 0/2 (0%)');
  const everyTask = fixItQuestions(dir).questions;
  for (const task of everyTask) assert.ok((await gradeTask(dir, task)).passed, `${task.id} works again`);
});

test('exam --plain --sandbox: a fix-it task among the questions, graded on the sandbox at the end even without "done"', async () => {
  const { dir } = await makeSandbox();
  const config = tempDir('kubetls-fixit-');
  const run = startCli(['exam', '--plain', '--sandbox', dir, '--count', '4', '--seed', '12'], { KUBETLS_CONFIG_DIR: config });
  await run.waitFor(/1 task breaks something in .* \(set up now\)/);
  // the same seed picks the same task: repair it in "another terminal", then submit without typing anything
  const [picked] = selectFixItTasks(fixItQuestions(dir).questions, { count: 1, seed: 12, together: true });
  const own = picked!.question as FixItQuestion;
  assert.not.ok((await gradeTask(dir, own)).passed, `${own.id} is set up`);
  await REPAIRS[own.id]!.right(dir);
  for (let i = 0; i < 6; i++) run.type('');
  const result = await run.end();
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /^Task \d\/4 · fix-it · weight \d+ · /m);
  assert.match(result.stdout, new RegExp(`^✓ Task \\d · ${own.weight}/${own.weight} · ${topicName(own.topic, 'en')}$`, 'm'));
  assert.match(result.stdout, /^ {2}Checks:\n( {4}✓ .*\n)+/m);
  const saved = JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')) as { attempts: { mode: string; outcomes: { questionId: string; correct: boolean }[] }[] };
  assert.ok(saved.attempts[0]?.outcomes.some((outcome) => outcome.questionId === own.id && outcome.correct));

  const untouched = await makeSandbox();
  const failed = runCli(['exam', '--plain', '--sandbox', untouched.dir, '--count', '1', '--seed', '3'], { input: '', env: { KUBETLS_CONFIG_DIR: tempDir('kubetls-fixit-') } });
  assert.is(failed.status, 0, failed.stderr);
  assert.match(failed.stdout, /^ {4}✗ /m);
  assert.match(failed.stdout, /^Not repaired: task \d\. kubetls put that part of .* back, so the sandbox works again/m);
  assert.ok(checkManifests(untouched.dir).ok && Object.keys(readState(untouched.dir).faults).length === 0, 'and it does');
  assert.match(failed.stdout.trimEnd().split('\n').pop() ?? '', /^Score: 0\/\d+ \(0%\)$/);
});

test('bad input: --fix-it without --sandbox, with --review, or on a sandbox without a kubeadm control plane is one line, exit 2', async () => {
  const config = tempDir('kubetls-fixit-');
  assertOneLineError(runCli(['quiz', '--plain', '--fix-it'], { env: { KUBETLS_CONFIG_DIR: config } }), /--fix-it needs --sandbox DIR/, 'no sandbox');
  assertOneLineError(runCli(['quiz', '--plain', '--fix-it', '--review', '--sandbox', config], { env: { KUBETLS_CONFIG_DIR: config } }), /--fix-it and --review do not go together/, 'review');
  assertOneLineError(runCli(['quiz', '--plain', '--fix-it', '--sandbox', join(config, 'none')], { env: { KUBETLS_CONFIG_DIR: config } }), /no fix-it tasks: .*not a kubetls sandbox/, 'missing');
  // with the apiserver and etcd down, every task's handshake fails before anything is set up
  const { dir } = await makeSandbox();
  await breakCertificate({ dir, certificate: 'apiserver', fault: 'wrong-path', to: 'typo' });
  await breakCertificate({ dir, certificate: 'etcd/ca', fault: 'wrong-path', flag: 'etcd:--trusted-ca-file' });
  const none = runCli(['quiz', '--plain', '--fix-it', '--sandbox', dir], { env: { KUBETLS_CONFIG_DIR: config } });
  assertOneLineError(none, /^kubetls: \d+ fix-it tasks left out, because the sandbox is already broken where they work \(fixit\..*\) \(repair it .* or start afresh with `kubetls pki init --dir .* --force`\)$/, 'everything broken');
});

test.run();
