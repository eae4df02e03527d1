import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs, runCli } from '../helpers.js';
import { openFirstLesson, openMenu, startApp, type Terminal } from './tmux.js';
import { columns } from '../../src/text-width.cjs';

/** The full-screen app in a real terminal (tmux), as a learner uses it. */


/** A text question takes every letter as typing: Esc gives the keys back (s to skip, m to flag). */
async function leaveAnswerField(on: Terminal): Promise<void> {
  if (!/✎ .*█/.test(on.screen())) return;
  on.keys('Escape');
  await on.waitFor((screen) => !screen.includes('█'));
}

let terminal: Terminal | undefined;
test.after.each(() => {
  terminal?.close();
  terminal = undefined;
});
test.after(removeTempDirs);

test('home screen at 80x24: menu, next step, status bar with keys', async () => {
  terminal = startApp();
  const screen = await terminal.waitFor('Start with the first lesson');
  assert.match(screen, /^ kubetls .*profile: default {2}EN/m);
  for (const item of ['Lessons', 'Sandbox', 'Settings', 'Help', 'Quit']) assert.ok(screen.includes(item), item);
  assert.match(screen, /↑↓ move {2}⏎ open {2}\? help {2}q quit/);
  assert.not.match(screen, /\{[a-z/-]+\}/, 'no raw blessed tags on screen');
  for (const line of screen.split('\n')) assert.ok([...line].length <= 80, `fits 80 columns: ${line}`);
});

test('open a lesson, scroll it, see the position move, return with Esc', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  terminal.keys('Enter');
  await terminal.waitFor(/1\. .*new/);
  terminal.keys('Enter');
  const top = await terminal.waitFor(/\d+% +line 1\/\d+/);
  assert.match(top, /═{5,}/, 'the title is underlined');
  terminal.keys('PageDown');
  await terminal.waitFor(/\d+% +line (2[0-9]|1[0-9])\/\d+/);
  terminal.keys('G');
  await terminal.waitFor(/100% +line/);
  await terminal.waitFor('Lesson marked as done.');
  terminal.keys('Escape');
  await terminal.waitFor(/1\. .*done/);
});

test('? shows every key of the current screen, from the keymap', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  terminal.keys('?');
  const help = await terminal.waitFor('On this screen');
  assert.match(help, /Everywhere/);
  assert.match(help, /⏎\/l\/→ +open/);
  assert.match(help, /q Ctrl-C +quit/);
  terminal.keys('x');
  await terminal.waitFor('Start with the first lesson');
  assert.not.match(terminal.screen(), /On this screen/, 'any key closes help');
});

test('switch to Korean in settings: menus and lessons in Korean, aligned', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  openMenu(terminal, 'Settings');
  await terminal.waitFor('Language');
  terminal.keys('Enter');
  const settings = await terminal.waitFor('언어');
  assert.match(settings, /한국어/);
  terminal.keys('Escape');
  const home = await terminal.waitFor('레슨');
  assert.match(home, /샌드박스/);
  assert.match(home, /KO/);
  // the menu remembers Settings; go to the top for Lessons
  terminal.keys('g', 'Enter');
  const list = await terminal.waitFor(/1\. .*새 레슨/);
  // wide characters take two columns: every line still fits, and the right border lines up
  const rows = list.split('\n').filter((line) => line.startsWith('│') && line.trimEnd().endsWith('│'));
  assert.ok(rows.length > 5);

  // the same learner in a terminal that is not UTF-8: English this time, and Korean still saved
  terminal.keys('q');
  await terminal.waitForExit();
  const home2 = terminal.home;
  terminal.close();
  terminal = startApp({ home: home2, env: { LANG: 'C' } });
  const plain = await terminal.waitFor('Korean needs a UTF-8 terminal');
  assert.match(plain, /Lessons/);
  const saved = JSON.parse(readFileSync(join(home2, 'config/kubetls-nodejs/config.json'), 'utf8')) as { settings: { language: string } };
  assert.is(saved.settings.language, 'ko');
});

test('sandbox: generate a PKI with a progress bar, then a handshake with its steps', async () => {
  terminal = startApp({ columns: 100, rows: 30 });
  await terminal.waitFor('Start with the first lesson');
  terminal.keys('j', 'Enter');
  await terminal.waitFor('No sandbox yet');
  terminal.keys('i');
  await terminal.waitFor('Key type for the new PKI');
  terminal.keys('j', 'j', 'j', 'Enter');
  await terminal.waitFor(/Generated 16 keys and certificates/);
  const tree = await terminal.waitFor(/└─ ✓ apiserver-etcd-client/);
  assert.match(tree, /✓ ca/);
  assert.match(tree, /└─ ✓ apiserver-etcd-client/);
  assert.ok(existsSync(join(terminal.home, 'data/kubetls/default/sandbox/pki/ca.key')));
  terminal.keys('h');
  await terminal.waitFor('Server (presents its certificate)');
  terminal.keys('Enter');
  await terminal.waitFor('Client (connects to apiserver)');
  terminal.keys('Enter');
  const result = await terminal.waitFor('Handshake succeeded.');
  assert.match(result, /identity: user "kubernetes-admin"/);
});

test("the Sandbox screen draws the sandbox's own table: the hard way's kube-proxy, nodes that joined, users the CSR flow made", async () => {
  const sandboxOf = (home: string) => join(home, 'data', 'kubetls', 'default', 'sandbox');
  // the learner's sandbox made from the command line before the app starts
  const run = (dir: string, commands: string[][]) => {
    for (const args of commands) {
      const result = runCli([...args, '--dir', dir]);
      assert.is(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
    }
  };
  terminal = startApp({
    columns: 100,
    rows: 40,
    prepare: (home) => run(sandboxOf(home), [['pki', 'init', '--profile', 'hard-way', '--worker', 'worker-0=10.240.0.20', '--key-type', 'ecdsa-p256']]),
  });
  await terminal.waitFor('Start with the first lesson');
  openMenu(terminal, 'Sandbox');
  const hardWay = await terminal.waitFor(/kube-proxy/);
  assert.match(hardWay, /✓ kube-proxy/);
  assert.match(hardWay, /✓ node\/worker-0/);
  terminal.close();

  // a kubeadm sandbox a node joined (pki add-node) and a user got a certificate through the CSR flow
  terminal = startApp({
    columns: 100,
    rows: 40,
    prepare: (home) => run(sandboxOf(home), [
      ['pki', 'init', '--key-type', 'ecdsa-p256'],
      ['pki', 'add-node', 'node-1', '--ip', '192.168.56.21'],
      ['csr', 'create', '--user', 'jane'],
      ['csr', 'approve', '--user', 'jane'],
    ]),
  });
  await terminal.waitFor('Start with the first lesson');
  openMenu(terminal, 'Sandbox');
  const joined = await terminal.waitFor(/node-1/);
  assert.match(joined, /node\/node-1/);
  assert.match(joined, /users\/jane/);
  assert.match(joined, /kubelet/);
});

test('"Try it" in a lesson jumps into the sandbox with the lesson\'s actions; without a sandbox it offers one first', async () => {
  terminal = startApp({ columns: 100, rows: 30 });
  await openFirstLesson(terminal);
  terminal.keys('t');
  await terminal.waitFor('Generate one now?');
  terminal.keys('Enter');
  await terminal.waitFor('Key type for the new PKI');
  terminal.keys('j', 'j', 'j', 'Enter');
  const chooser = await terminal.waitFor('$ kubetls handshake --server apiserver --client admin');
  assert.match(chooser, /Generated 16 keys/);
  assert.match(chooser, /kubetls › .*Sandbox/);
  assert.not.match(chooser, /\$ kubetls pki init/, 'the sandbox just made was the lesson\'s pki init step');
});

test('"Try it" without a sandbox at 80x24: one question instead of the commands, never a dialog drawn over the empty box', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  terminal.keys('Enter');
  await terminal.waitFor(/1\. .*new/);
  terminal.keys('j', 'Enter');
  await terminal.waitFor(/\d+% +line 1\//);
  terminal.keys('t');
  const asked = await terminal.waitFor('Generate one now?');
  assert.match(asked.replace(/[│\s]+/g, ' '), /Try it runs its commands on a sandbox, and there is none yet\. Generate one now\?/);
  assert.not.match(asked, /No sandbox yet|┌─ try it|\$ kubetls/, asked);
  terminal.keys('n');
  const declined = await terminal.waitFor('No sandbox yet');
  assert.not.match(declined, /Generate one now\?/);
  terminal.keys('i');
  const keyType = await terminal.waitFor('Key type for the new PKI');
  assert.not.match(keyType, /No sandbox yet/, keyType);
  terminal.keys('Escape');
  await terminal.waitFor((screen) => screen.includes('No sandbox yet') && !screen.includes('Key type'));
});

test('/ searches every lesson and opens the one chosen at the match', async () => {
  terminal = startApp();
  await openFirstLesson(terminal);
  terminal.keys('/');
  await terminal.waitFor('Search all lessons');
  terminal.type('requestheader-allowed-names');
  terminal.keys('Enter');
  const results = await terminal.waitFor('Lessons that mention');
  assert.match(results, /apiserver as a client|wiring|Where each file/i);
  terminal.keys('Enter');
  await terminal.waitFor(/requestheader-allowed-names/);
});

test('progress survives a restart: the lesson read, the reading position, the language', async () => {
  terminal = startApp();
  await openFirstLesson(terminal);
  terminal.keys('G');
  await terminal.waitFor('Lesson marked as done.');
  terminal.keys('Escape');
  await terminal.waitFor(/1\. .*done/);
  terminal.keys('Escape');
  await terminal.waitFor('Next: Certificates from first principles');
  openMenu(terminal, 'Settings');
  await terminal.waitFor('Language');
  terminal.keys('Enter');
  await terminal.waitFor('한국어');
  terminal.keys('q');
  await terminal.waitForExit();
  const home = terminal.home;
  assert.ok(existsSync(join(home, 'config/kubetls-nodejs/config.json')), 'saved where conf keeps it');
  terminal.close();

  terminal = startApp({ home });
  const again = await terminal.waitFor('다음:');
  assert.match(again, /KO/);
  terminal.keys('Enter');
  await terminal.waitFor(/1\. .*완료/);
});

test("code cache: a new learner's first start takes the build's; with other V8 flags it makes and then uses its own", async () => {
  terminal = startApp();
  // the lesson list and reader are not in the cache (it holds what start-up compiled): they still work
  await openFirstLesson(terminal);
  terminal.keys('q');
  await terminal.waitForExit();
  assert.not.ok(existsSync(join(terminal.home, '.cache', 'kubetls')), "the build's cache was used: nothing written for this learner");
  terminal.close();

  // another V8 configuration (as another Node would be) rejects the build's cache
  const env = { NODE_OPTIONS: '--max-semi-space-size=4' };
  terminal = startApp({ env });
  await terminal.waitFor('Start with the first lesson');
  const home = terminal.home;
  const cacheDir = join(home, '.cache', 'kubetls');
  const cacheFiles = () => (existsSync(cacheDir) ? readdirSync(cacheDir) : []);
  for (let waited = 0; cacheFiles().length === 0 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  const [cacheFile] = cacheFiles();
  assert.ok(cacheFile, 'the start wrote a code cache of its own');
  const written = statSync(join(cacheDir, cacheFile!));
  assert.is(written.mode & 0o777, 0o600);
  assert.is(statSync(cacheDir).mode & 0o777, 0o700);
  terminal.keys('q');
  await terminal.waitForExit();
  terminal.close();

  terminal = startApp({ home, env });
  await openFirstLesson(terminal);
  terminal.keys('q');
  await terminal.waitForExit();
  // a cache V8 had rejected would have been written again
  assert.equal(cacheFiles(), [cacheFile]);
  assert.is(statSync(join(cacheDir, cacheFile!)).mtimeMs, written.mtimeMs, 'its own cache was used, not rewritten');
});

test('a damaged progress file is set aside, kept, and the learner told once', async () => {
  terminal = startApp({
    prepare: (home) => {
      mkdirSync(join(home, 'config/kubetls-nodejs'), { recursive: true });
      writeFileSync(join(home, 'config/kubetls-nodejs/config.json'), '{ this is not json');
    },
  });
  const screen = await terminal.waitFor(/About your saved progress/);
  // the dialog's words, whatever lines they wrapped onto
  const words = screen.split('\n').map((line) => /│(.*)│/.exec(line)?.[1] ?? '').join(' ').replace(/\s+/g, ' ');
  assert.match(words, /could not be read \(it is not valid JSON/);
  terminal.keys('Enter');
  await terminal.waitFor('Start with the first lesson');
  const kept = readdirSync(join(terminal.home, 'config/kubetls-nodejs')).filter((f) => f.includes('corrupt'));
  assert.is(kept.length, 1, 'the old file is kept beside the new one');
});

test('practice: ten questions with feedback, a score saved, and the misses scheduled for review', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  openMenu(terminal, 'Practice quiz');
  await terminal.waitFor('Practise which topic?');
  terminal.keys('Enter');
  await terminal.waitFor(/Question 1 of 10/);
  for (let n = 1; n <= 10; n++) {
    await leaveAnswerField(terminal);
    terminal.keys('s');
    const feedback = await terminal.waitFor(/The answer: /);
    assert.match(feedback, /Read: /, 'points at the lesson that teaches it');
    terminal.keys('Enter');
    if (n < 10) await terminal.waitFor(new RegExp(`Question ${n + 1} of 10`));
  }
  const done = await terminal.waitFor('Score: 0/10 (0%)');
  assert.match(done, /Saved to your progress/);
  terminal.keys('Enter');
  await terminal.waitFor('Start with the first lesson');
  openMenu(terminal, 'Review');
  // wrong answers come back tomorrow (Leitner box 1), not today
  await terminal.waitFor(/Nothing to review now\. Next card: \d{4}-\d\d-\d\d/);
  openMenu(terminal, 'Progress');
  const progress = await terminal.waitFor('Scores over time');
  assert.match(progress, /practice .* 0%/);
  assert.match(progress, /Review queue: 0 due now, 10 total/);
  assert.match(progress, /cards by review interval:[^\n]*\n.*1d:10  2d:0  4d:0  8d:0  16d:0/, 'the Leitner boxes are labelled');
});

test('progress: the scores chart draws cleanly, in colour and with NO_COLOR (no stray codes, no warnings over the screen)', async () => {
  const quizzes = (home: string) => {
    for (const seed of ['1', '2', '3']) {
      const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') };
      assert.is(runCli(['quiz', '--plain', '--count', '3', '--seed', seed], { input: 'a\nb\nc\n', env }).status, 0);
    }
  };
  for (const env of [{}, { NO_COLOR: '1' }] as Record<string, string>[]) {
    terminal = startApp({ prepare: quizzes, env });
    await terminal.waitFor('Start with the first lesson');
    openMenu(terminal, 'Progress');
    await terminal.waitFor('Scores over time');
    // the chart is drawn once the canvas has its size: give it a frame
    const screen = await terminal.waitFor((shown: string) => /⡇|⠇|⠃|⠁/.test(shown));
    assert.not.match(screen, /undefined|Deprecation|\[3/, JSON.stringify(env));
    assert.not.match(terminal.screenWithEscapes(), /\x1b\[3undefined|undefinedm/, 'no broken colour codes');
    terminal.close();
    terminal = undefined;
  }
});

test('exam: countdown, flag, overview, submit, a scored review of every task; quitting mid-exam submits it', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  openMenu(terminal, 'Exam');
  await terminal.waitFor(/Exam: 20 tasks, 30 minutes, pass mark 66%/);
  terminal.keys('y');
  const task = await terminal.waitFor(/Task 1 of 20/);
  assert.match(task, /(29:5\d|30:00) left/);
  await leaveAnswerField(terminal);
  terminal.keys('m');
  await terminal.waitFor(/⚑ flagged/);
  terminal.keys('o');
  await terminal.waitFor(/1\. \[unanswered\] ⚑/);
  terminal.keys('Escape');
  // a key right behind Escape can reach the app as one Meta sequence: let the overview close first
  await terminal.waitFor((screen: string) => !screen.includes('[unanswered]'));
  terminal.keys('S');
  await terminal.waitFor(/0 answered, 20 unanswered, 1 flagged\. Submit the exam\?/);
  terminal.keys('y');
  const result = await terminal.waitFor(/FAIL: 0% \(pass mark 66%\)/);
  assert.match(result, /✗  1\./);
  terminal.keys('Enter');
  await terminal.waitFor(/The answer: /);
  terminal.keys('Escape');
  await terminal.waitFor((screen: string) => !screen.includes('The answer: '));
  terminal.keys('Escape');
  await terminal.waitFor('Start with the first lesson');

  openMenu(terminal, 'Exam');
  await terminal.waitFor(/Exam: 20 tasks/);
  terminal.keys('y');
  await terminal.waitFor(/Task 1 of 20/);
  // → moves on from every kind of task, text ones included
  for (let task = 2; task <= 20; task++) {
    terminal.keys('Right');
    await terminal.waitFor(new RegExp(`Task ${task} of 20`));
  }
  await leaveAnswerField(terminal);
  terminal.keys('q');
  await terminal.waitFor('Quit kubetls? The exam is submitted');
  terminal.keys('y');
  await terminal.waitForExit();
  const saved = JSON.parse(readFileSync(join(terminal.home, 'config/kubetls-nodejs/config.json'), 'utf8')) as { attempts: { mode: string }[] };
  assert.equal(saved.attempts.map((attempt) => attempt.mode), ['exam', 'exam']);
});

test('fix-it: kubetls breaks the sandbox, the repair is made outside, Enter grades it with the real checks', async () => {
  terminal = startApp({
    columns: 100,
    rows: 30,
    prepare: (home) => {
      const made = runCli(['pki', 'init', '--dir', join(home, 'data/kubetls/default/sandbox'), '--key-type', 'ecdsa-p256', '--node-name', 'controlplane', '--advertise-address', '192.168.56.10']);
      assert.is(made.status, 0, made.stderr);
    },
  });
  const sandbox = join(terminal.home, 'data/kubetls/default/sandbox');
  await terminal.waitFor('Start with the first lesson');
  openMenu(terminal, 'Practice quiz');
  await terminal.waitFor('Fix-it tasks');
  terminal.keys('G', 'Enter');
  const task = await terminal.waitFor('What fails now:', 20_000);
  assert.match(task, /✗ /);
  terminal.keys('Enter');
  await terminal.waitFor('Still failing:', 20_000);
  // a repair with the real tools, from another terminal: a fresh PKI, manifests included
  assert.is(runCli(['pki', 'init', '--dir', sandbox, '--key-type', 'ecdsa-p256', '--node-name', 'controlplane', '--advertise-address', '192.168.56.10', '--force']).status, 0);
  terminal.keys('Enter');
  const fixed = await terminal.waitFor('Fixed: every check passes.', 20_000);
  assert.match(fixed, /✓ handshake/);
  terminal.keys('Enter');
  await terminal.waitFor(/Question 2 of 3/, 20_000);
  await terminal.waitFor('What fails now:', 20_000);
  terminal.keys('s');
  await terminal.waitFor('Skipped: kubetls repaired it for the next task.', 20_000);
});

test('exam with a sandbox: repairs among the tasks, the sandbox broken before the clock starts, graded on it at the end', async () => {
  const init = (sandbox: string, force = false) => {
    const made = runCli(['pki', 'init', '--dir', sandbox, '--key-type', 'ecdsa-p256', '--node-name', 'controlplane', '--advertise-address', '192.168.56.10', ...(force ? ['--force'] : [])]);
    assert.is(made.status, 0, made.stderr);
  };
  terminal = startApp({ columns: 100, rows: 30, prepare: (home) => init(join(home, 'data/kubetls/default/sandbox')) });
  const sandbox = join(terminal.home, 'data/kubetls/default/sandbox');
  const faults = () => Object.keys((JSON.parse(readFileSync(join(sandbox, 'kubetls-sandbox.json'), 'utf8')) as { faults?: object }).faults ?? {});
  const repairRows = (screen: string, tasks: number[], mark: string) => {
    for (const task of tasks) assert.match(screen, new RegExp(`${mark} +${task}\\.`), `task ${task} marked ${mark}`);
  };
  const runExam = async (repair: () => void): Promise<{ tasks: number[]; result: string }> => {
    await terminal!.waitFor('Start with the first lesson');
    openMenu(terminal!, 'Exam');
    const offer = await terminal!.waitFor(/Exam: 20 tasks, \d of them repairs that break your sandbox/, 30_000);
    const count = Number(/(\d) of them repairs/.exec(offer)![1]);
    assert.ok(count >= 1);
    assert.equal(faults(), [], 'nothing broken before the learner says yes');
    terminal!.keys('y');
    const started = await terminal!.waitFor(/Broken in your sandbox for [#\d, ]+:/, 30_000);
    const tasks = /Broken in your sandbox for ([#\d, ]+):/.exec(started)![1]!.split(', ').map((task) => Number(task.slice(1)));
    assert.is(tasks.length, count);
    // a certificate fault is recorded in the sandbox's record; a wrong-path one is the manifest itself (check-manifests finds it)
    const recorded = faults().length;
    const manifestsBroken = runCli(['pki', 'check-manifests', '--dir', sandbox]).status !== 0;
    assert.ok(recorded === count || (manifestsBroken && recorded < count), `one broken part per repair task: ${recorded} recorded faults, manifests ${manifestsBroken ? 'broken' : 'fine'}, ${count} repairs`);
    // the first repair: its symptom on screen, Enter marks it done and moves on
    await leaveAnswerField(terminal!);
    terminal!.keys('o');
    await terminal!.waitFor('all tasks');
    terminal!.keys(...Array<string>(tasks[0]! - 1).fill('Down'), 'Enter');
    await terminal!.waitFor(new RegExp(`Task ${tasks[0]} of 20 +fix-it ·`));
    await terminal!.waitFor('Enter marks the task done');
    // the sandbox screen from an exam: look and test, but kubetls names no fault and repairs nothing
    terminal!.keys('x');
    const look = await terminal!.waitFor(/• ca/);
    assert.not.match(look, /expired|not-yet-valid|wrong-ca|missing-san|key-mismatch|wrong-usage|wrong-path/);
    assert.not.match(look, / b break| f fix| i generate/);
    assert.match(look, /├─ • apiserver/, 'no verdicts in the tree either: the learner verifies');
    terminal!.keys('Escape');
    await terminal!.waitFor('Enter marks the task done');
    repair();
    terminal!.keys('Enter');
    await terminal!.waitFor(new RegExp(`Task ${tasks[0]! + 1} of 20`), 20_000);
    await leaveAnswerField(terminal!);
    terminal!.keys('S');
    await terminal!.waitFor(/1 answered, 19 unanswered/);
    terminal!.keys('y');
    const result = await terminal!.waitFor(/(PASS|FAIL): \d+%/, 30_000);
    return { tasks, result };
  };

  // left as it was broken: every repair fails; kubetls puts those parts back and says which
  const first = await runExam(() => undefined);
  repairRows(first.result, first.tasks, '✗');
  await terminal.waitFor(new RegExp(`Not repaired: ${first.tasks.map((task) => `#${task}`).join(', ')}\\. kubetls put those parts back`), 30_000);
  assert.equal(faults(), [], 'the sandbox works again');
  assert.is(runCli(['pki', 'check-manifests', '--dir', sandbox]).status, 0, 'and so do its manifests');
  terminal.keys('Escape');

  // repaired from another terminal (a fresh PKI, manifests included): every repair passes its real checks
  const second = await runExam(() => init(sandbox, true));
  repairRows(second.result, second.tasks, '✓');
  terminal.keys(...Array<string>(second.tasks[0]! - 1).fill('Down'), 'Enter');
  const checks = await terminal.waitFor('Checks on your sandbox when the exam ended:');
  assert.match(checks, /✓ (verify|handshake)/);
  assert.not.match(checks, /✗ (verify|SANs|manifest|handshake|grade)/);
  const saved = JSON.parse(readFileSync(join(terminal.home, 'config/kubetls-nodejs/config.json'), 'utf8')) as { attempts: { mode: string; outcomes: { questionId: string; correct: boolean }[] }[] };
  const repairsOf = (attempt: number) => saved.attempts[attempt]!.outcomes.filter((outcome) => outcome.questionId.startsWith('fixit.')).map((outcome) => outcome.correct);
  assert.equal(repairsOf(0), first.tasks.map(() => false));
  assert.equal(repairsOf(1), second.tasks.map(() => true));

  // quitting mid-exam with q: the repairs are graded and put back before the app ends
  terminal.keys('Escape');
  await terminal.waitFor((screen: string) => !screen.includes('Checks on your sandbox'));
  terminal.keys('Escape');
  await terminal.waitFor('Start with the first lesson');
  openMenu(terminal, 'Exam');
  await terminal.waitFor(/of them repairs that break your sandbox/, 30_000);
  terminal.keys('y');
  await terminal.waitFor(/Broken in your sandbox for/, 30_000);
  assert.ok(faults().length > 0 || runCli(['pki', 'check-manifests', '--dir', sandbox]).status !== 0, 'broken while the exam runs');
  await leaveAnswerField(terminal);
  terminal.keys('q');
  await terminal.waitFor('Quit kubetls? The exam is submitted');
  terminal.keys('y');
  await terminal.waitForExit();
  assert.equal(faults(), [], 'put back on the way out');
  assert.is(runCli(['pki', 'check-manifests', '--dir', sandbox]).status, 0);
  const after = JSON.parse(readFileSync(join(terminal.home, 'config/kubetls-nodejs/config.json'), 'utf8')) as { attempts: unknown[] };
  assert.is(after.attempts.length, 3, 'and the exam is saved');
});

test('kubetls exam opens the app at the exam', async () => {
  terminal = startApp({ args: ['exam'] });
  await terminal.waitFor(/Exam: 20 tasks, 30 minutes/);
  terminal.keys('y');
  await terminal.waitFor(/Task 1 of 20/);
});

test('too small: a clear message that recovers on resize', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  terminal.resize(60, 20);
  await terminal.waitFor('Make the window larger');
  terminal.resize(80, 24);
  await terminal.waitFor('Start with the first lesson');
});

test('q quits and gives the terminal back', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  terminal.keys('q');
  const after = await terminal.waitForExit();
  assert.match(after, /\[exit 0\]/);
  assert.not.match(after, /Start with the first lesson/, 'the alternate screen is gone');
});

test('TERM xterm-256color, screen-256color, tmux-256color, linux and vt100 all draw the home screen', async () => {
  for (const term of ['screen-256color', 'tmux-256color', 'linux', 'vt100']) {
    terminal = startApp({ env: { TERM: term } });
    const screen = await terminal.waitFor('Start with the first lesson');
    assert.match(screen, /Lessons/, term);
    terminal.keys('q');
    assert.match(await terminal.waitForExit(), /\[exit 0\]/, term);
    terminal.close();
  }
  terminal = undefined;
});

test('the header keeps the profile and the language on the longest breadcrumb, English and Korean, at 80x24', async () => {
  const cases = [
    { env: { LANG: 'C.UTF-8' }, lesson: 1, tag: /profile: default {2}EN$/, crumbs: /^ kubetls › Lessons › Certificates from first pr… › Sandbox /, sandbox: 'Sandbox' },
    { env: { LANG: 'ko_KR.UTF-8' }, lesson: 5, tag: /프로필: default {2}KO$/, crumbs: /^ kubetls › 레슨 › 클라이언트로서의 apiserver › 샌드박스 /, sandbox: '샌드박스' },
  ];
  for (const { env, lesson, tag, crumbs, sandbox } of cases) {
    terminal = startApp({ env, prepare: (home) => void runCli(['pki', 'init', '--dir', join(home, 'data/kubetls/default/sandbox'), '--key-type', 'ecdsa-p256']) });
    await terminal.waitFor(/kubetls/);
    terminal.keys('Enter');
    await terminal.waitFor(/1\. /);
    terminal.keys(...Array<string>(lesson).fill('j'), 'Enter');
    await terminal.waitFor(/\d+% +(line 1\/|1\/\d+줄)/);
    // the lesson's sandbox: a third crumb
    terminal.keys('t');
    const header = (await terminal.waitFor(`─ ${sandbox} `)).split('\n')[0]!;
    assert.match(header, tag, header);
    assert.match(header, crumbs, header);
    assert.ok(columns(header) <= 80, header);
    terminal.close();
  }
  terminal = undefined;
});

test('SIGTERM ends the app cleanly too', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  process.kill(terminal.pid(), 'SIGTERM');
  const after = await terminal.waitForExit();
  assert.match(after, /\[exit 143\]/);
  assert.not.match(after, /internal error|at .*\.js/);
});

test('SIGHUP (a dropped SSH link) ends the app cleanly', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  process.kill(terminal.pid(), 'SIGHUP');
  const after = await terminal.waitForExit();
  assert.match(after, /\[exit 129\]/);
  assert.not.match(after, /internal error|at .*\.js/);
});

test.run();
