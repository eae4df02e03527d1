import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { directoryFingerprint, whileUnchanged } from '../src/pki/sandbox/unchanged.js';
import { readSandboxModel } from '../src/pki/index.js';
import { makeSandbox, removeTempDirs, tempDir } from './helpers.js';

/** src/pki/sandbox/unchanged.ts: a look at a sandbox is reused only while nothing in it changed, and only for seconds. */

test('a look is reused while the directory is unchanged, and made again when a file changes, appears or is re-moded', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.crt'), 'one');
  let made = 0;
  const look = (now?: number) => whileUnchanged('count', dir, () => ++made, now);
  assert.is(look(), 1);
  assert.is(look(), 1, 'unchanged: reused');
  writeFileSync(join(dir, 'a.crt'), 'two!');
  assert.is(look(), 2, 'a file rewritten');
  mkdirSync(join(dir, 'pki'));
  writeFileSync(join(dir, 'pki', 'b.key'), 'key');
  assert.is(look(), 3, 'a file added below');
  utimesSync(join(dir, 'pki', 'b.key'), new Date(2020, 1, 1), new Date(2020, 1, 1));
  assert.is(look(), 4, 'a file touched');
  assert.is(look(Date.now() + 11_000), 5, 'after ten seconds: made again (health depends on the clock)');
});

test('backups are not part of the look; a directory that cannot be walked is never reused', () => {
  const dir = tempDir();
  const before = directoryFingerprint(dir);
  mkdirSync(join(dir, 'kubetls-backup-2026-01-01T00-00-00Z'));
  assert.is(directoryFingerprint(dir), before);
  assert.is(directoryFingerprint(join(dir, 'missing')), undefined);
  let made = 0;
  whileUnchanged('count', join(dir, 'missing'), () => ++made);
  whileUnchanged('count', join(dir, 'missing'), () => ++made);
  assert.is(made, 2);
});

test('the sandbox model is the same object while unchanged, and a new one once a certificate is renewed on disk', async () => {
  const { dir } = await makeSandbox();
  const first = readSandboxModel(dir);
  assert.is(readSandboxModel(dir), first);
  writeFileSync(join(dir, 'pki', 'apiserver.crt'), 'not a certificate any more');
  const after = readSandboxModel(dir);
  assert.is.not(after, first);
  assert.is.not(readSandboxModel(dir, new Date()), after, 'at a chosen time it is read anew');
});

test.after(removeTempDirs);
test.run();
