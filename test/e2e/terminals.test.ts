import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { removeTempDirs, runCli } from '../helpers.js';
import { blackOnDefaultBackground, startApp, type Terminal } from './tmux.js';

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

test.run();
