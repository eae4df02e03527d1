import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { removeTempDirs, runCli } from '../helpers.js';
import { startApp, type Terminal } from './tmux.js';

/**
 * Every action that can take a while says so the moment its key is pressed: the working line (a
 * spinner and what is being done) is drawn before the work starts, however quick the work then is.
 * Read from everything the app wrote, since a quick action's line is gone before a capture sees it.
 */

let terminal: Terminal | undefined;
test.after.each(() => {
  terminal?.close();
  terminal = undefined;
});
test.after(removeTempDirs);

const SPINNER = '[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]';

/** Presses `keys`, waits for `done`, and returns what was written in between. */
async function writtenWhile(on: Terminal, keys: string[], done: RegExp | string | ((screen: string) => boolean)): Promise<string> {
  const before = on.written().length;
  on.keys(...keys);
  await on.waitFor(done, 20_000);
  return on.written().slice(before);
}

/** The app at home, over a sandbox made with ECDSA keys (quick). */
async function startWithSandbox(): Promise<Terminal> {
  const on = startApp({
    prepare: (home) => {
      const made = runCli(['pki', 'init', '--dir', join(home, 'data', 'kubetls', 'default', 'sandbox'), '--key-type', 'ecdsa-p256']);
      assert.is(made.status, 0, made.stderr);
    },
  });
  await on.waitFor('Start with the first lesson');
  return on;
}

/**
 * blessed writes only the cells that changed, moving the cursor over the rest: a cell of the label
 * already on the screen from an earlier frame comes out as a blank, so each may be its letter or one.
 */
function assertWorkingLine(written: string, label: string): void {
  const cells = [...label].map((char) => `[${char.replace(/[\]\\^-]/g, '\\$&')} ]`).join('');
  assert.match(written, new RegExp(`${SPINNER} ${cells}`), `the working line "${label}" was drawn`);
}

test('opening the Sandbox and Lessons, verify, handshake, break, renew and re-create each draw a working line first', async () => {
  terminal = await startWithSandbox();
  assertWorkingLine(await writtenWhile(terminal, ['Enter'], /1\. Why every connection is TLS/), 'Opening Lessons…');
  await writtenWhile(terminal, ['Escape'], 'Start with the first lesson');
  assertWorkingLine(await writtenWhile(terminal, ['j', 'Enter'], /└─ ✓ apiserver-etcd-client/), 'Opening Sandbox…');
  await writtenWhile(terminal, ['j'], /apiserver +\(pki\/apiserver\.crt\)/);
  assertWorkingLine(await writtenWhile(terminal, ['v'], /chain/), 'Verifying apiserver…');
  await writtenWhile(terminal, ['Escape'], /apiserver +\(pki\/apiserver\.crt\)/);
  await writtenWhile(terminal, ['h'], 'Server (presents its certificate)');
  await writtenWhile(terminal, ['Enter'], 'Client (connects to apiserver)');
  // the steps play, then the result waits for Enter or Esc
  assertWorkingLine(await writtenWhile(terminal, ['Enter'], /Enter or Esc to close/), 'Handshake: admin to apiserver…');
  await writtenWhile(terminal, ['Escape'], (screen) => !screen.includes('Handshake: admin →'));
  await writtenWhile(terminal, ['b'], 'What should break');
  assertWorkingLine(await writtenWhile(terminal, ['4'], /Broke apiserver/), 'Breaking apiserver…');
  assertWorkingLine(await writtenWhile(terminal, ['r'], /apiserver renewed/), 'Renewing apiserver…');
  assertWorkingLine(await writtenWhile(terminal, ['f'], /apiserver re-created/), 'Re-creating apiserver…');
});

test('a key pressed while the handshake steps play shows the result at once, still over the Sandbox', async () => {
  terminal = await startWithSandbox();
  terminal.keys('j', 'Enter');
  await terminal.waitFor(/└─ ✓ apiserver-etcd-client/);
  terminal.keys('h');
  await terminal.waitFor('Server (presents its certificate)');
  terminal.keys('Enter');
  await terminal.waitFor('Client (connects to apiserver)');
  // Esc at once: it ends the steps' play, it does not take the learner out of the Sandbox
  terminal.keys('Enter', 'Escape');
  const result = await terminal.waitFor(/Enter or Esc to close/);
  assert.match(result, /^ kubetls › Sandbox/m, result);
  terminal.keys('Escape');
  const back = await terminal.waitFor((screen) => !screen.includes('Handshake: admin →'));
  assert.match(back, /^ kubetls › Sandbox/m, back);
});

test.run();
