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

test('a practice left after three answers keeps those three: Review and Progress count no question that was never asked', async () => {
  terminal = startApp();
  await terminal.waitFor('Start with the first lesson');
  openMenu(terminal, 'Practice quiz');
  await terminal.waitFor('Practise which topic?');
  terminal.keys('Enter');
  for (let n = 1; n <= 3; n++) {
    const question = await terminal.waitFor(new RegExp(`Question ${n} of 10`));
    // a typed question takes s as a letter: Esc gives the keys back first
    if (/✎ .*█/.test(question)) {
      terminal.keys('Escape');
      await terminal.waitFor((screen) => !screen.includes('█'));
    }
    terminal.keys('s');
    await terminal.waitFor(/The answer: /);
    terminal.keys('Enter');
  }
  const fourth = await terminal.waitFor(/Question 4 of 10/);
  if (/✎ .*█/.test(fourth)) {
    terminal.keys('Escape');
    await terminal.waitFor((screen) => !screen.includes('█'));
  }
  terminal.keys('Escape');
  await terminal.waitFor(/Start with the first lesson|Leave/);
  if (/Leave/.test(terminal.screen())) terminal.keys('y');
  await terminal.waitFor('Start with the first lesson');
  openMenu(terminal, 'Progress');
  const progress = await terminal.waitFor('Scores over time');
  // the three skipped come back for review; the seven never asked are neither wrong nor due
  assert.match(progress, /Review queue: 0 due now, 3 total/, progress);
  assert.match(progress, /1d:3  2d:0/);
});

test('Enter typed while kubetls starts opens the entry: it arrives as a line feed, as Ctrl-J does', async () => {
  terminal = startApp();
  // at once, before the terminal is switched to raw input: the tty hands this Enter over as \n
  terminal.keys('j', 'Enter');
  await terminal.waitFor(/kubetls › Sandbox/);
  terminal.keys('Escape');
  await terminal.waitFor('Start with the first lesson');
  // Ctrl-J on the drawn home screen is the same line feed
  terminal.keys('C-j');
  await terminal.waitFor(/kubetls › Sandbox/);
});

test.run();
