import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs, tempDir } from '../helpers.js';
import { makeKubeadmNode } from '../support/kubeadm-node.js';
import { startApp, type Terminal } from './tmux.js';

/** The app's view of this machine's cluster (a fake node through KUBETLS_NODE_ROOT), in a real terminal. */

let terminal: Terminal | undefined;
test.after.each(() => {
  terminal?.close();
  terminal = undefined;
});
test.after(removeTempDirs);

function digest(root: string): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    const stats = lstatSync(path);
    hash.update(`${path} ${stats.mode} ${stats.mtimeMs}\n`);
    if (stats.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
    else if (stats.isFile()) hash.update(readFileSync(path));
  };
  walk(root);
  return hash.digest('hex');
}

test("the Sandbox screen offers this machine's cluster, read-only: its certificates, check-expiration, and a copy to practise on", async () => {
  const node = await makeKubeadmNode({ root: join(tempDir('kubetls-node-'), 'root') });
  const before = digest(node.root);
  terminal = startApp({ columns: 100, rows: 30, env: { KUBETLS_NODE_ROOT: node.root } });
  await terminal.waitFor('Start with the first lesson');
  terminal.keys('j', 'Enter');
  await terminal.waitFor(/This machine has a kubeadm cluster: press o to look at it \(read-only\)/);
  terminal.keys('o');
  const view = await terminal.waitFor(/kubeadm wrote these files; kubetls only reads them\./);
  assert.match(view, /node cp-1, 192\.168\.56\.10, service CIDR 10\.96\.0\.0\/12/);
  assert.match(view, /✓ ca/);
  assert.match(view, /✓ {3}node\/cp-1\/client/);
  terminal.keys('j');
  await terminal.waitFor(/apiserver +\(pki\/apiserver\.crt\)/);
  terminal.keys('x');
  await terminal.waitFor(/super-admin\.conf/);
  terminal.keys('Escape');
  // a key right after Esc would read as Alt+key
  await terminal.waitFor((screen) => !screen.includes('RESIDUAL TIME'));
  terminal.keys('c');
  await terminal.waitFor('Copy this cluster into a new sandbox to practise on');
  // the field holds a suggestion (the sandbox's directory and the node's name): clear it
  terminal.keys(...Array<string>(160).fill('BSpace'));
  const lab = join(terminal.home, 'lab');
  terminal.type(lab);
  terminal.keys('Enter');
  await terminal.waitFor(/Copied to .*lab: break and repair it there/);
  assert.ok(existsSync(join(lab, 'kubetls-sandbox.json')));
  assert.is(digest(node.root), before, 'nothing under the node changed');
});

test.run();
