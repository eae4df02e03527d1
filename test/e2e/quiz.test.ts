import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeTempDirs } from '../helpers.js';
import { openMenu, startApp, type Terminal } from './tmux.js';

/** Practice and the exam in a real terminal, as a learner types and leaves them. */

let terminal: Terminal | undefined;
test.after.each(() => {
  terminal?.close();
  terminal = undefined;
});
test.after(removeTempDirs);

test('a typed answer starts with its first key: s is the answer\'s first letter, not skip', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  openMenu(terminal, 'Practice quiz');
  await terminal.waitFor('Practise which topic?');
  // client certificates: a third of its questions are typed
  terminal.keys('6');
  for (let n = 1; n <= 10; n++) {
    const question = await terminal.waitFor(new RegExp(`Question ${n} of 10`));
    if (!/✎ █/.test(question)) {
      terminal.keys('s');
      await terminal.waitFor(/The answer: /);
      terminal.keys('Enter');
      continue;
    }
    terminal.type('system:kube-controller-manager');
    const typed = await terminal.waitFor('✎ system:kube-controller-manager█');
    assert.not.match(typed, /The answer: /, 'no key was taken as a shortcut');
    assert.match(typed, /abc… type the answer/);
    terminal.keys('BSpace');
    await terminal.waitFor('✎ system:kube-controller-manage█');
    terminal.keys('Enter');
    await terminal.waitFor(/The answer: /);
    return;
  }
  assert.unreachable('no typed question among ten');
});

test('Enter twice on Exam starts one exam, with a sign of work from the first frame; Esc asks before it leaves', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  terminal.keys('g', 'j', 'j', 'j');
  await terminal.waitFor(/Exam +timed/);
  terminal.keys('Enter', 'Enter');
  // the second Enter waits for the question it answers (Enter means yes there), it does not start a second exam
  await terminal.waitFor(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] (Loading the questions|Preparing the exam)…|Task 1 of 20/);
  const task = await terminal.waitFor(/Task 1 of 20/, 20_000);
  assert.not.match(task, /Start\?|did not start/);
  if (/✎ .*█/.test(task)) {
    terminal.keys('Escape');
    await terminal.waitFor((screen) => !screen.includes('█'));
  }
  terminal.keys('Escape');
  const asked = await terminal.waitFor('Leaving submits the exam now');
  // the dialog's own text: what lies between its borders (the question under it shows at either side)
  const inside = asked.split('\n').flatMap((line) => (/│.*│/.test(line) ? [line.slice(line.indexOf('│') + 1, line.lastIndexOf('│'))] : [])).join(' ');
  assert.match(inside.replace(/\s+/g, ' '), /\(\d+ answered, \d+ unanswered\)\. Leave it\?/, asked);
  terminal.keys('n');
  await terminal.waitFor((screen) => !screen.includes('Leaving submits') && /Task 1 of 20/.test(screen));
  terminal.keys('Escape');
  await terminal.waitFor('Leaving submits the exam now');
  terminal.keys('y');
  const result = await terminal.waitFor(/FAIL: 0%/);
  // a question too long for its row ends in … at a word; none runs into the border cut mid-word
  const rows = result.split('\n').filter((line) => /│[✓✗] +\d+\. /.test(line)).map((line) => line.slice(line.indexOf('│') + 1, line.lastIndexOf('│')));
  assert.ok(rows.length > 10, result);
  assert.ok(rows.every((row) => !/[^\s…]$/.test(row)), result);
  assert.ok(rows.some((row) => /\S…\s*$/.test(row)), result);
});

test('keys typed while a screen loads go to that screen, in order, not to the one being left', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  // Enter opens Lessons; j and Enter, typed at once, are for the list: the second lesson opens
  terminal.keys('Enter', 'j', 'Enter');
  await terminal.waitFor(/Lessons › Certificates from first principles/);
});

test.run();
