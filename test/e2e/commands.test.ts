import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { removeTempDirs, runCli } from '../helpers.js';
import { openFirstLesson, startApp, type Terminal } from './tmux.js';

/** Commands on screen, as a learner copies them at 80x24: whole words, ` \` continuations, and y. */

let terminal: Terminal | undefined;
test.after.each(() => {
  terminal?.close();
  terminal = undefined;
});
test.after(removeTempDirs);

test('lesson code at 80 columns continues after " \\" between words; y copies the command whole; YAML breaks after a / with its list dash', async () => {
  terminal = startApp();
  await openFirstLesson(terminal);
  terminal.keys('G');
  const end = await terminal.waitFor(/100% +line/);
  assert.match(end, /^ +kubetls handshake --dir ~\/kubetls-lab --server etcd\/server \\\n +--client apiserver-etcd-client$/m, 'broken between words, flag with its value');
  assert.not.match(end, /↪/);
  terminal.keys('y');
  await terminal.waitFor('Copy which command?');
  terminal.keys('j', 'j', 'Enter');
  await terminal.waitFor(/Copied to tmux's buffer/);
  assert.is(terminal.pasteBuffer(), 'kubetls handshake --dir ~/kubetls-lab --server etcd/server --client apiserver-etcd-client');
  // lesson 8's static pod manifest: a flag too long for the line
  terminal.keys('Escape');
  await terminal.waitFor(/8\. Where each file is wired in/);
  terminal.keys('g', ...Array<string>(7).fill('j'), 'Enter');
  let screen = await terminal.waitFor(/Where each file is wired in[\s\S]*\n═+/);
  while (!screen.includes('--kubelet-client-certificate=')) {
    const before = screen;
    terminal.keys('PageDown');
    screen = await terminal.waitFor((now) => now !== before);
  }
  assert.match(screen, /^ +- --kubelet-client-certificate=\/etc\/kubernetes\/pki\/\n +↪ apiserver-kubelet-client\.crt$/m, 'the dash with its flag, broken after a /');
});

test('"Try it" lists the commands it will run, not the lesson file\'s action ids', async () => {
  terminal = startApp({
    prepare: (home) => {
      const made = runCli(['pki', 'init', '--dir', join(home, 'data/kubetls/default/sandbox'), '--key-type', 'ecdsa-p256']);
      assert.is(made.status, 0, made.stderr);
    },
  });
  await openFirstLesson(terminal);
  terminal.keys('t');
  const chooser = await terminal.waitFor('$ kubetls handshake --server apiserver --client admin');
  assert.match(chooser, /\$ kubetls pki init/);
  assert.not.match(chooser, /handshake:|pki-init/);
});

test('the verify dialog shows its command and y copies one that runs as it is', async () => {
  terminal = startApp({
    prepare: (home) => {
      const made = runCli(['pki', 'init', '--dir', join(home, 'data/kubetls/default/sandbox'), '--key-type', 'ecdsa-p256']);
      assert.is(made.status, 0, made.stderr);
    },
  });
  await terminal.waitFor('Start with the first lesson');
  terminal.keys('j', 'Enter');
  await terminal.waitFor(/├─ ✓ apiserver/);
  terminal.keys('j');
  await terminal.waitFor(/apiserver +\(pki\/apiserver\.crt\)/);
  terminal.keys('v');
  const dialog = await terminal.waitFor('y copy');
  assert.match(dialog, /\$ kubetls verify pki\/apiserver\.crt --ca pki\/ca\.crt \\ +│[^\n]*\n[^\n]*│ {5}--purpose server --host /, 'wrapped like lesson code');
  terminal.keys('y');
  await terminal.waitFor(/Copied to tmux's buffer/);
  const copied = terminal.pasteBuffer();
  assert.match(copied, /^kubetls verify \/\S+\/pki\/apiserver\.crt --ca \/\S+\/pki\/ca\.crt --purpose server --host \S+$/);
  const ran = runCli(copied.split(' ').slice(1));
  assert.is(ran.status, 0, ran.stdout + ran.stderr);
});

test.run();
