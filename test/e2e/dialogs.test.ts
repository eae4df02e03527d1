import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { removeTempDirs, runCli } from '../helpers.js';
import { startApp, type Terminal } from './tmux.js';
import { columns } from '../../src/text-width.cjs';

/** Dialogs at 80x24, in English and Korean: every word on screen or a scroll away, nothing cut. */

let terminal: Terminal | undefined;
test.after.each(() => {
  terminal?.close();
  terminal = undefined;
});
test.after(removeTempDirs);

/** The app with a sandbox already made (ECDSA: quick), opened at the sandbox. */
async function openSandbox(args: string[] = []): Promise<Terminal> {
  const on = startApp({
    args,
    prepare: (home) => {
      const made = runCli(['pki', 'init', '--dir', join(home, 'data/kubetls/default/sandbox'), '--key-type', 'ecdsa-p256', '--node-name', 'controlplane', '--advertise-address', '192.168.56.10']);
      assert.is(made.status, 0, made.stderr);
    },
  });
  await on.waitFor(/Lessons|레슨/);
  on.keys('j', 'Enter');
  await on.waitFor(/├─ ✓ apiserver/);
  return on;
}

/** What a screen line shows from column `from` on (Hangul takes two columns, one character in the capture). */
function fromColumn(line: string, from: number): string {
  let column = 0;
  let index = 0;
  for (const char of line) {
    if (column >= from) break;
    column += columns(char);
    index += char.length;
  }
  return line.slice(index);
}

/** The rows of the dialog whose top border carries `title`, without its frame; undefined until it is drawn whole. */
function wholeDialog(screen: string, title: string): string[] | undefined {
  const lines = screen.split('\n');
  const top = lines.findIndex((line) => line.includes(`┌─ ${title} ─`));
  if (top < 0) return undefined;
  const left = columns(lines[top]!.slice(0, lines[top]!.indexOf(`┌─ ${title} ─`)));
  const rows: string[] = [];
  for (const line of lines.slice(top + 1)) {
    const inside = fromColumn(line, left);
    if (inside.startsWith('└')) return rows;
    if (!inside.startsWith('│')) return undefined;
    rows.push(inside.slice(1).replace(/│.*$/, '').trimEnd());
  }
  return undefined;
}

/** Waits for the dialog titled `title`, drawn whole (a capture can fall between two writes of a frame), showing `text`. */
async function dialogRows(on: Terminal, title: string, text: string | RegExp): Promise<string[]> {
  let rows: string[] | undefined;
  await on.waitFor((screen) => {
    rows = wholeDialog(screen, title);
    return rows !== undefined && (typeof text === 'string' ? rows.join('\n').includes(text) || screen.includes(text) : text.test(screen));
  });
  return rows!;
}

test('? fits 80x24 and scrolls; each key once, k and j included, on the sandbox and in a lesson', async () => {
  terminal = await openSandbox();
  terminal.keys('?');
  const first = await dialogRows(terminal, 'Keys', 'On this screen');
  assert.match(first.join('\n'), /↑\/k ↓\/j +move/);
  assert.match(first.join('\n'), /more below/);
  terminal.keys('G');
  const last = await dialogRows(terminal, 'Keys', 'earlier messages');
  const all = [...first, ...last].filter((row) => /^ {3}\S/.test(row));
  const keys = [...new Set(all)].flatMap((row) => row.trim().split(/ {2,}/)[0]!.split(/[ /]/));
  assert.equal(keys.filter((key, index) => keys.indexOf(key) !== index), [], 'no key listed twice');
  terminal.keys('x');
  await terminal.waitFor((screen) => !screen.includes('On this screen'));
  terminal.keys('Escape');
  await terminal.waitFor('Lessons');
  terminal.keys('g', 'Enter');
  await terminal.waitFor(/1\. /);
  terminal.keys('Enter');
  await terminal.waitFor(/\d+% +line 1\//);
  terminal.keys('?');
  assert.match((await dialogRows(terminal, 'Keys', 'On this screen')).join('\n'), /↑\/k ↓\/j +scroll/);
});

test('the fault menu shows each fault whole: the selected one under the list, wrapped', async () => {
  terminal = await openSandbox();
  terminal.keys('j');
  await terminal.waitFor(/apiserver +\(pki\/apiserver\.crt\)/);
  terminal.keys('b');
  await terminal.waitFor('What should break in apiserver?');
  terminal.keys('G');
  const menu = (await dialogRows(terminal, 'What should break in apiserver?', /a typo\)/)).join(' ').replace(/\s+/g, ' ');
  assert.match(menu, /wrong-path a static Pod manifest flag that names the wrong file \(another CA, another certificate, a typo\)/);
  terminal.keys('g');
  const expired = (await dialogRows(terminal, 'What should break in apiserver?', 'a year)')).join(' ').replace(/\s+/g, ' ');
  assert.match(expired, /expired notAfter in the past \(what happens when nobody renews for a year\)/);
});

test('the certificate view uses the dialog\'s width: validity and each SAN on one line', async () => {
  terminal = await openSandbox();
  terminal.keys('j');
  await terminal.waitFor(/apiserver +\(pki\/apiserver\.crt\)/);
  terminal.keys('Enter');
  await terminal.waitFor('─ apiserver ─');
  terminal.keys('G');
  const end = await dialogRows(terminal, 'apiserver', 'Subject Alternative Name');
  assert.ok(end.some((row) => /^ +DNS:kubernetes\.default\.svc\.cluster\.local,/.test(row)), end.join('\n'));
  assert.ok(end.some((row) => /^ +IP Address:10\.96\.0\.1, IP Address:192\.168\.56\.10$/.test(row)), end.join('\n'));
  terminal.keys('g');
  const top = await dialogRows(terminal, 'apiserver', 'Version: 3');
  assert.ok(top.some((row) => /Not Before: \w{3} +\d+ [\d:]+ \d{4} GMT$/.test(row)), top.join('\n'));
});

test("the pane beside the tree keeps each validity date on one line (openssl's indents at half their width there)", async () => {
  terminal = await openSandbox();
  terminal.keys('j');
  const pane = await terminal.waitFor(/apiserver +\(pki\/apiserver\.crt\)/);
  // the pane: right of the tree, inside its border
  const rows = pane.split('\n').map((line) => line.slice(line.indexOf('││') + 2, line.lastIndexOf('│')));
  const notBefore = rows.findIndex((row) => row.includes('Not Before:'));
  assert.ok(notBefore >= 0, pane);
  assert.match(rows[notBefore]!, /Not Before: \w{3} +\d+ [\d:]+ \d{4} GMT *$/, pane);
  assert.match(rows[notBefore + 1]!, /Not After : \w{3} +\d+ [\d:]+ \d{4} GMT *$/, pane);
});

test('Korean: the fault menu and ? are whole at 80x24', async () => {
  terminal = await openSandbox(['--lang', 'ko']);
  terminal.keys('?');
  const help = await dialogRows(terminal, '키', '이 화면에서');
  assert.match(help.join('\n'), /↑\/k ↓\/j +이동/);
  terminal.keys('x');
  await terminal.waitFor((screen) => !screen.includes('이 화면에서'));
  terminal.keys('j');
  await terminal.waitFor(/apiserver +\(pki\/apiserver\.crt\)/);
  terminal.keys('b');
  const menu = await terminal.waitFor('무엇을 고장 낼까요');
  for (const line of menu.split('\n')) assert.ok(line.length <= 80, line);
});

test('the exam overview shows the selected task whole under the list, in Korean too', async () => {
  for (const [args, start, title] of [[[], 'Start?', 'all tasks'], [['--lang', 'ko'], '시작할까요?', '전체 문제']] as const) {
    terminal = startApp({ args: [...args] });
    await terminal.waitFor(/Lessons|레슨/);
    terminal.keys('g', 'j', 'j', 'j');
    await terminal.waitFor(/Exam +timed|시험 +CKA/);
    terminal.keys('Enter');
    await terminal.waitFor(start, 20_000);
    terminal.keys('y');
    const task = await terminal.waitFor(/Task 1 of 20|20문제 중 1번/, 20_000);
    // the task's question as the task screen shows it, wrapped: its words in order
    const prompt = task.split('\n').slice(3).join(' ').split(/ {2,}|\n\n/)[0]!.replace(/\s+/g, ' ').trim().split(' ').slice(0, 12).join(' ');
    if (/✎ .*█/.test(task)) {
      terminal.keys('Escape');
      await terminal.waitFor((screen) => !screen.includes('█'));
    }
    terminal.keys('o');
    // the selected task whole: in its row when it fits the list, else wrapped under the list (waited for:
    // a busy machine draws the dialog's frame first)
    let shown = '';
    const overview = await terminal.waitFor((screen) => {
      const rows = wholeDialog(screen, title);
      shown = rows ? rows.join(' ').replace(/\s+/g, ' ') : '';
      return shown.includes(prompt.replace(/ +/g, ' '));
    }, 20_000).catch(() => terminal!.screen());
    assert.ok(shown.includes(prompt.replace(/ +/g, ' ')), `${title}: ${prompt}\nin: ${shown}`);
    for (const line of overview.split('\n')) assert.ok(columns(line) <= 80, line);
    terminal.close();
  }
  terminal = undefined;
});

test.run();
