import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isKubetlsError } from '../src/errors.js';
import { FILE_LIMITS, readUserDirectory, readUserFile, readUserFileHead, readUserText, refusalReason } from '../src/user-file.js';
import { REPO_ROOT, removeTempDirs, tempDir } from './helpers.js';

/** user-file: whatever path a learner names, its bytes or one KubetlsError, never a hang or a flood. */

let scratch: string;
test.before(() => {
  scratch = tempDir();
});
test.after(removeTempDirs);

const write = (name: string, content: string | Buffer): string => {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
};

function refusal(run: () => unknown): { message: string; reason: string } {
  try {
    run();
  } catch (error) {
    assert.ok(isKubetlsError(error), `a KubetlsError, got ${String(error)}`);
    return { message: (error as Error).message, reason: refusalReason(error) };
  }
  throw new Error('expected a refusal');
}

test('a regular file, and a symbolic link to one, are read whole', () => {
  const path = write('ca.crt', 'hello\n');
  assert.is(readUserText(path, { limit: FILE_LIMITS.pki }), 'hello\n');
  symlinkSync(path, join(scratch, 'link.crt'));
  assert.is(readUserText(join(scratch, 'link.crt'), { limit: FILE_LIMITS.pki }), 'hello\n');
  assert.is(readUserFile(write('empty', ''), { limit: 10 }).length, 0);
});

test('a file at the limit is read; one byte more is refused, named, with its size', () => {
  assert.is(readUserFile(write('ten', '0123456789'), { limit: 10 }).length, 10);
  const eleven = write('eleven', '0123456789A');
  assert.match(refusal(() => readUserFile(eleven, { limit: 10 })).message, /eleven: is 11 bytes, larger than the 10 bytes kubetls reads/);
  // a sparse file: refused from its size, without reading 17 MiB
  const big = write('big.pem', '');
  truncateSync(big, FILE_LIMITS.pki + 1);
  assert.match(refusal(() => readUserFile(big, { limit: FILE_LIMITS.pki })).message, /big\.pem: is 16\.0 MiB, larger than the 16 MiB kubetls reads/);
});

test('what is not a regular file is refused before it is read', () => {
  mkdirSync(join(scratch, 'dir'));
  symlinkSync('/dev/zero', join(scratch, 'zero.crt'));
  const cases: [string, RegExp][] = [
    [join(scratch, 'missing'), /missing: no such file$/],
    [join(scratch, 'dir'), /dir: is a directory$/],
    ['/dev/zero', /\/dev\/zero: is a device, not a regular file$/],
    ['/dev/null', /\/dev\/null: is a device, not a regular file$/],
    [join(scratch, 'zero.crt'), /zero\.crt: is a device/],
    ['/proc/self/status', /\/proc\/self\/status: is a \/proc file/],
    ['/proc/self/environ', /is a \/proc file/],
    [join(write('plain', 'x'), 'below'), /cannot (open|read) .*plain\/below: part of the path is a file, not a directory$/],
  ];
  for (const [path, pattern] of cases) assert.match(refusal(() => readUserFile(path, { limit: FILE_LIMITS.pki })).message, pattern, path);
});

test('messages name the file as the caller does; the reason stands alone for reports that name it already', () => {
  const { message, reason } = refusal(() => readUserFile('/dev/zero', { limit: 10, name: 'admin.conf: user "u" client-certificate /dev/zero' }));
  assert.is(message, 'admin.conf: user "u" client-certificate /dev/zero: is a device, not a regular file');
  assert.is(reason, 'is a device, not a regular file');
});

test('a FIFO with no writer is refused at once (it would block a plain read forever)', () => {
  const fifo = join(scratch, 'pipe.crt');
  assert.is(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  // in a child process, so a regression fails the test instead of hanging the suite
  const module = pathToFileURL(join(REPO_ROOT, 'dist/src/user-file.js')).href;
  const script = `import(${JSON.stringify(module)}).then((m) => { try { m.readUserFile(${JSON.stringify(fifo)}, { limit: 1024 }); } catch (e) { console.log(e.message); } })`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.is(child.signal, null, 'did not have to be killed');
  assert.match(child.stdout, /pipe\.crt: is a named pipe \(FIFO\), not a regular file/);
});

test('a folder: its entries sorted by name, links described as links and not followed', () => {
  const folder = join(scratch, 'folder');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  writeFileSync(join(folder, 'b.md'), 'b');
  writeFileSync(join(folder, 'a.md'), 'a');
  symlinkSync('/etc', join(folder, 'out'));
  const entries = readUserDirectory(folder);
  assert.equal(entries.map((entry) => entry.name), ['a.md', 'b.md', 'out', 'sub']);
  const out = entries.find((entry) => entry.name === 'out')!;
  assert.ok(out.isSymbolicLink());
  assert.not.ok(out.isDirectory(), 'a link out of the folder is not walked into as a folder');
  assert.ok(entries.find((entry) => entry.name === 'sub')!.isDirectory());
});

test('a folder that is not one, made up by the kernel, missing or too large is refused, named', () => {
  assert.match(refusal(() => readUserDirectory(write('plain.txt', 'x'))).reason, /is not a directory/);
  assert.match(refusal(() => readUserDirectory('/proc/self')).reason, /is a \/proc folder/);
  assert.match(refusal(() => readUserDirectory('/sys/kernel')).reason, /is a \/sys folder/);
  assert.match(refusal(() => readUserDirectory(join(scratch, 'nowhere'), { name: 'the class directory' })).message, /^the class directory: no such file/);
  const crowded = join(scratch, 'crowded');
  mkdirSync(crowded);
  for (let n = 0; n < 6; n++) writeFileSync(join(crowded, `f${n}`), '');
  assert.is(readUserDirectory(crowded, { limit: 6 }).length, 6);
  assert.match(refusal(() => readUserDirectory(crowded, { limit: 5 })).reason, /holds more than 5 entries/);
});

test('the head of a file: at most the bytes asked for, and the whole size', () => {
  const path = write('head.md', '---\nid: x\n---\nbody');
  assert.equal(readUserFileHead(path, { limit: FILE_LIMITS.lesson, bytes: 4 }), { head: Buffer.from('---\n'), size: 18 });
  assert.is(readUserFileHead(path, { limit: FILE_LIMITS.lesson, bytes: 100 }).head.toString(), '---\nid: x\n---\nbody');
  assert.match(refusal(() => readUserFileHead(path, { limit: 10, bytes: 4 })).reason, /larger than/);
});

test.run();
