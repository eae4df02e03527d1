import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { removeTempDirs, runCli } from '../helpers.js';
import { blackOnDefaultBackground, openMenu, startApp, type Terminal } from './tmux.js';

/** The app on the terminals learners reach it from (PuTTY, Xshell, MobaXterm, tmux, a console), in tmux. */

let terminal: Terminal | undefined;
test.after.each(() => {
  terminal?.close();
  terminal = undefined;
});
test.after(removeTempDirs);

/** Home, the lessons list, a lesson, its `?` overlay, the empty sandbox and settings, each as captured with escapes. */
async function visitScreens(on: Terminal): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  seen['home'] = (await on.waitFor('Start with the first lesson'), on.screenWithEscapes());
  on.keys('Enter');
  await on.waitFor(/1\. .*new/);
  seen['lessons'] = on.screenWithEscapes();
  on.keys('Enter');
  await on.waitFor(/\d+% +line 1\//);
  seen['lesson'] = on.screenWithEscapes();
  on.keys('?');
  await on.waitFor('On this screen');
  seen['help'] = on.screenWithEscapes();
  on.keys('x');
  await on.waitFor((screen) => !screen.includes('On this screen'));
  // two Escapes sent together arrive as one Meta-Escape
  on.keys('Escape');
  await on.waitFor(/1\. .*new/);
  on.keys('Escape');
  await on.waitFor('Continue: Why every connection is TLS');
  on.keys('j', 'Enter');
  await on.waitFor('No sandbox yet');
  seen['sandbox'] = on.screenWithEscapes();
  on.keys('Escape');
  await on.waitFor('Continue: Why every connection is TLS');
  on.keys('G', 'k', 'k', 'Enter');
  await on.waitFor('Language');
  seen['settings'] = on.screenWithEscapes();
  on.keys('Escape');
  await on.waitFor('Continue: Why every connection is TLS');
  on.keys('g', 'j', 'j', 'Enter');
  await on.waitFor('Practise which topic?');
  seen['practice topics'] = on.screenWithEscapes();
  on.keys('Escape');
  await on.waitFor((screen) => !screen.includes('Practise which topic?'));
  on.keys('g', 'j', 'j', 'j', 'j', 'j', 'Enter');
  await on.waitFor('Mastery by topic');
  seen['progress'] = on.screenWithEscapes();
  return seen;
}

/** The sandbox with a PKI: its tree, a certificate, and the verify dialog. */
async function visitSandbox(on: Terminal): Promise<Record<string, string>> {
  await on.waitFor('Start with the first lesson');
  on.keys('j', 'Enter');
  await on.waitFor(/├─ ✓ apiserver/);
  on.keys('j');
  await on.waitFor(/apiserver +\(pki\/apiserver\.crt\)/);
  const tree = on.screenWithEscapes();
  on.keys('v');
  await on.waitFor('y copy');
  return { 'sandbox tree': tree, 'verify dialog': on.screenWithEscapes() };
}

test('no text is drawn black on the default background, on 256-colour and 8-colour terminals', async () => {
  for (const term of ['tmux-256color', 'screen-256color', 'screen', 'xterm', 'linux']) {
    terminal = startApp({ env: { TERM: term } });
    const screens = await visitScreens(terminal);
    terminal.close();
    terminal = startApp({
      env: { TERM: term },
      prepare: (home) => void runCli(['pki', 'init', '--dir', join(home, 'data/kubetls/default/sandbox'), '--key-type', 'ecdsa-p256']),
    });
    Object.assign(screens, await visitSandbox(terminal));
    for (const [name, captured] of Object.entries(screens)) {
      assert.equal(blackOnDefaultBackground(captured), [], `${term}, ${name}: black text on the default background`);
    }
    // where the terminal has grey (terminfo read whole, 32-bit numbers included), it is used
    if (term.endsWith('256color')) assert.match(screens['home']!, /\x1b\[90m/, `${term}: grey is drawn as grey`);
    terminal.close();
  }
  terminal = undefined;
});

test('LANG=C: borders are ASCII, not the alternate character set shown as letters', async () => {
  for (const term of ['tmux-256color', 'xterm', 'screen', 'linux']) {
    terminal = startApp({ env: { TERM: term, LANG: 'C' } });
    await terminal.waitFor('Start with the first lesson');
    terminal.keys('Enter');
    const list = await terminal.waitFor(/1\. .*new/);
    assert.match(list, /^\+- Lessons -+\+$/m, `${term}: top border`);
    assert.match(list, /^\| 1\. .*\|$/m, `${term}: side borders`);
    assert.match(list, /^\+-{78}\+$/m, `${term}: bottom border`);
    assert.not.match(list, /lqq|qqk|mqq|qqj/, `${term}: no ACS letters`);
    assert.not.match(terminal.screenWithEscapes(), /[\x0e\x0f]|\x1b\(0/, `${term}: the alternate character set is not used`);
    terminal.close();
  }
  terminal = undefined;
});

test('a UTF-8 locale gets Unicode box characters on every terminal', async () => {
  for (const term of ['tmux-256color', 'xterm', 'linux']) {
    terminal = startApp({ env: { TERM: term } });
    await terminal.waitFor('Start with the first lesson');
    terminal.keys('Enter');
    const list = await terminal.waitFor(/1\. .*new/);
    assert.match(list, /^┌─ Lessons ─+┐$/m, term);
    assert.match(list, /^└─{78}┘$/m, term);
    terminal.close();
  }
  terminal = undefined;
});

const withSandbox = (home: string) => void runCli(['pki', 'init', '--dir', join(home, 'data/kubetls/default/sandbox'), '--key-type', 'ecdsa-p256']);

/** Press Escape until `pattern` shows (a text field takes the first one). */
async function escapeTo(on: Terminal, pattern: Parameters<Terminal['waitFor']>[0]): Promise<void> {
  for (let tries = 0; tries < 3; tries++) {
    on.keys('Escape');
    try {
      await on.waitFor(pattern, 2000);
      return;
    } catch {
      // still in a field or a dialog: once more
    }
  }
  await on.waitFor(pattern);
}

/**
 * Every screen a learner reaches, with a sandbox: home, Lessons, a lesson and its `?`, the Sandbox and
 * its dialogs (verify, handshake, generate, the faults), Practice with an answer, the Exam started and
 * left, Review, Progress, Settings, the message log. `look` is called on each, by name.
 */
async function walkEveryScreen(on: Terminal, look: (name: string) => void): Promise<void> {
  const home = 'Continue: Why every connection is TLS';
  await on.waitFor('Start with the first lesson');
  look('home');
  on.keys('Enter');
  await on.waitFor(/1\. .*new/);
  look('lessons');
  on.keys('Enter');
  await on.waitFor(/\d+% +line 1\//);
  look('lesson');
  on.keys('?');
  await on.waitFor('On this screen');
  look('help');
  on.keys('x');
  await on.waitFor((screen) => !screen.includes('On this screen'));
  on.keys('Escape');
  await on.waitFor(/1\. .*new/);
  on.keys('Escape');
  await on.waitFor(home);
  await walkSandbox(on, look);
  await escapeTo(on, home);
  openMenu(on, 'Practice quiz');
  await on.waitFor('Practise which topic?');
  look('practice topics');
  on.keys('Enter');
  await on.waitFor(/Question 1 of 10/);
  look('practice question');
  // a letter picks a choice or types an answer; Enter answers either
  on.keys('a', 'Enter');
  await on.waitFor(/(Enter|⏎) next/);
  look('practice answered');
  await escapeTo(on, home);
  openMenu(on, 'Exam');
  await on.waitFor(/Exam: 20 tasks/);
  look('exam start');
  on.keys('y');
  await on.waitFor(/Task 1 of 20/, 20_000);
  look('exam task');
  await escapeTo(on, 'Leaving submits the exam now');
  on.keys('y');
  await on.waitFor(/FAIL: 0%/);
  look('exam result');
  await escapeTo(on, home);
  openMenu(on, 'Review');
  await on.waitFor(/Nothing to review now|Review/);
  look('review');
  await escapeTo(on, home);
  openMenu(on, 'Progress');
  await on.waitFor('Mastery by topic');
  look('progress');
  await escapeTo(on, home);
  openMenu(on, 'Settings');
  await on.waitFor('Language');
  look('settings');
  await escapeTo(on, home);
  on.keys('M');
  await on.waitFor('Messages');
  look('messages');
}

/** The Sandbox's tree and detail, and its dialogs: verify, a handshake, generate, the fault menu. */
async function walkSandbox(on: Terminal, look: (name: string) => void): Promise<void> {
  openMenu(on, 'Sandbox');
  await on.waitFor(/ca +\(pki\/ca\.crt\)/);
  on.keys('j');
  await on.waitFor(/apiserver +\(pki\/apiserver\.crt\)/);
  look('sandbox');
  on.keys('v');
  await on.waitFor('Enter or Esc to close');
  look('verify');
  await escapeTo(on, (screen: string) => !screen.includes('Enter or Esc to close'));
  on.keys('h');
  await on.waitFor('Server (presents its certificate)');
  on.keys('Enter');
  await on.waitFor('Client (connects to');
  on.keys('Enter');
  await on.waitFor((screen) => screen.includes('Handshake: ') && screen.includes('Enter or Esc to close'), 15_000);
  look('handshake');
  await escapeTo(on, (screen: string) => !screen.includes('Enter or Esc to close'));
  on.keys('i');
  await on.waitFor(/ecdsa-p256/);
  look('generate');
  await escapeTo(on, (screen: string) => !screen.includes('ecdsa-p256'));
  on.keys('b');
  await on.waitFor('What should break in apiserver?');
  look('faults');
}

/** Question marks that stand for a character the terminal could not show: any `?` but a question's end, the help key and a question dialog's title. */
function symbolsShownAsQuestionMarks(screen: string): string[] {
  const questionEnd = /(?<=[\p{L}\p{N})'"`\]])\?(?=[\s'"`)\].,:|]|$)/gmu;
  const helpKey = /(?<=^|[\s|])\?(?= +help\b)/gm;
  const questionTitle = /(?<=\+- )\?(?= -)/g;
  return screen
    .replace(questionEnd, '')
    .replace(helpKey, '')
    .replace(questionTitle, '')
    .split('\n')
    .filter((line) => line.includes('?'));
}

test('LANG=C: every screen is drawn in ASCII, no symbol shown as ?', async () => {
  terminal = startApp({ env: { TERM: 'xterm', LANG: 'C' }, prepare: withSandbox });
  const problems: string[] = [];
  await walkEveryScreen(terminal, (name) => {
    const screen = terminal!.screen();
    for (const line of symbolsShownAsQuestionMarks(screen)) problems.push(`${name}: ${line}`);
    for (const line of screen.split('\n').filter((l) => /[^\x00-\x7f]/.test(l))) problems.push(`${name} (not ASCII): ${line}`);
  });
  assert.equal(problems, []);
});

test('NO_COLOR: no colour on any screen, emphasis by bold and inverse only', async () => {
  const withQuizzes = (home: string) => {
    withSandbox(home);
    // two scores: Progress draws its line chart
    for (const seed of ['1', '2']) runCli(['quiz', '--plain', '--count', '3', '--seed', seed], { input: 'a\nb\nc\n', env: { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') } });
  };
  terminal = startApp({ env: { NO_COLOR: '1' }, prepare: withQuizzes });
  const problems: string[] = [];
  let inverse = false;
  await walkEveryScreen(terminal, (name) => {
    const escapes = terminal!.screenWithEscapes();
    for (const code of colourCodes(escapes)) problems.push(`${name}: ESC[${code}m`);
    inverse ||= /\x1b\[[0-9;]*\b7m/.test(escapes);
  });
  assert.equal(problems, []);
  assert.ok(inverse, 'the selection is drawn in inverse');
});

/** The SGR sequences of a captured screen that set a colour (30-37, 40-47, 90-97, 100-107, 38;..., 48;...). */
function colourCodes(captured: string): string[] {
  return [...captured.matchAll(/\x1b\[([0-9;:]*)m/g)].map((m) => m[1]!).filter((params) => params.split(/[;:]/).some((p) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p)));
}

test.run();
