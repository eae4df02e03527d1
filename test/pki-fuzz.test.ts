import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { isKubetlsError } from '../src/errors.js';
import { decodePemBlocks } from '../src/pki/certificates/pem.js';
import { verifyCertificate } from '../src/pki/verify/report.js';
import { parseCertificateDer } from '../src/pki/certificates/x509.js';
import type { FuzzJob, FuzzMessage } from './pki-fuzz-worker.js';
import { makeSandbox, openssl, REPO_ROOT, removeTempDirs, tempDir } from './helpers.js';

/**
 * A seeded mutation fuzzer over what `inspect` and `verify` read: real certificates, keys, CSRs and
 * kubeconfigs made here, bit-flipped, truncated, spliced, with DER lengths and PEM wrapping damaged.
 * Every input must end in a result or a KubetlsError (exit 2), never another exception (exit 70),
 * and the run must end. Every input that ever failed is kept in test/fixtures/fuzz-regressions/ and
 * replayed first. FUZZ_SEED and FUZZ_COUNT change the run; the seed is printed.
 */

const REGRESSIONS = join(REPO_ROOT, 'test', 'fixtures', 'fuzz-regressions');
const SEED = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : 0x6b75_6265;
const COUNT = process.env['FUZZ_COUNT'] ? Number(process.env['FUZZ_COUNT']) : 10_000;
// a hang guard, far above the slowest input (tens of milliseconds): only a hang gets near it
const SILENCE_LIMIT_MS = 60_000;

let job: FuzzJob;
test.before(async () => {
  const sandbox = await makeSandbox();
  const baseDir = tempDir('kubetls-fuzz-');
  const seeds: FuzzJob['seeds'] = [];
  const add = (name: string, bytes: Buffer) => {
    seeds.push({ name, bytes });
    writeFileSync(join(baseDir, name), bytes);
  };
  const file = (path: string) => readFileSync(join(sandbox.dir, path));
  for (const name of ['pki/ca.crt', 'pki/apiserver.crt', 'pki/apiserver-kubelet-client.crt', 'pki/etcd/server.crt', 'pki/apiserver.key', 'pki/sa.pub', 'admin.conf']) {
    add(name.replace(/\//g, '_'), file(name));
  }
  const derOf = (pem: Buffer) => decodePemBlocks(pem.toString('utf8'))[0]!.der;
  add('ca.der', derOf(file('pki/ca.crt')));
  add('apiserver.der', derOf(file('pki/apiserver.crt')));
  add('bundle.pem', Buffer.concat([file('pki/apiserver.crt'), file('pki/ca.crt'), file('pki/apiserver.key')]));
  // made by openssl: RSA and Ed25519 certificates, a PKCS#8 key, a CSR with extensions, an encrypted key
  const made = (name: string) => readFileSync(join(baseDir, name));
  const ok = (args: string[]) => assert.is(openssl(args).status, 0, args.join(' '));
  ok(['req', '-x509', '-newkey', 'rsa:1024', '-nodes', '-keyout', join(baseDir, 'rsa.key'), '-out', join(baseDir, 'rsa.crt'), '-subj', '/CN=rsa/O=system:masters', '-days', '2', '-addext', 'subjectAltName=DNS:a.example,IP:10.0.0.1,IP:::1,email:a@b.c,URI:spiffe://x/y', '-addext', 'keyUsage=critical,digitalSignature,keyCertSign', '-addext', 'extendedKeyUsage=serverAuth,clientAuth', '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:1']);
  ok(['genpkey', '-algorithm', 'ed25519', '-out', join(baseDir, 'ed.key')]);
  ok(['req', '-x509', '-key', join(baseDir, 'ed.key'), '-out', join(baseDir, 'ed.crt'), '-subj', '/CN=ed', '-days', '1']);
  ok(['req', '-new', '-key', join(baseDir, 'rsa.key'), '-out', join(baseDir, 'jane.csr'), '-subj', '/CN=jane/O=dev', '-addext', 'subjectAltName=DNS:jane.example', '-addext', 'extendedKeyUsage=clientAuth']);
  ok(['pkey', '-in', join(baseDir, 'rsa.key'), '-out', join(baseDir, 'rsa-pkcs1.key'), '-traditional']);
  ok(['pkey', '-in', join(baseDir, 'ed.key'), '-outform', 'DER', '-out', join(baseDir, 'ed.key.der')]);
  ok(['pkey', '-in', join(baseDir, 'ed.key'), '-aes256', '-passout', 'pass:x', '-out', join(baseDir, 'ed-encrypted.key')]);
  for (const name of ['rsa.crt', 'rsa.key', 'rsa-pkcs1.key', 'ed.key', 'ed.crt', 'jane.csr', 'ed.key.der', 'ed-encrypted.key']) seeds.push({ name, bytes: made(name) });
  seeds.push({ name: 'jane.csr.der', bytes: derOf(made('jane.csr')) });
  // a kubeconfig that names its files, relative to the directory the worker resolves them in
  copyFileSync(join(baseDir, 'rsa.crt'), join(baseDir, 'client.crt'));
  copyFileSync(join(baseDir, 'rsa.key'), join(baseDir, 'client.key'));
  copyFileSync(join(baseDir, 'ed.crt'), join(baseDir, 'ca.crt'));
  add('files.conf', Buffer.from(['apiVersion: v1', 'kind: Config', 'clusters:', '- name: k', '  cluster:', '    server: https://10.0.0.1:6443', '    certificate-authority: ca.crt', 'users:', '- name: u', '  user:', '    client-certificate: client.crt', '    client-key: client.key', ''].join('\n')));
  const regressions = existsSync(REGRESSIONS) ? readdirSync(REGRESSIONS).sort().map((name) => ({ name, bytes: readFileSync(join(REGRESSIONS, name)) })) : [];
  job = { seed: SEED, count: COUNT, seeds, regressions, baseDir };
});
test.after(removeTempDirs);

/** Keeps an input that failed, named by its content, so it is replayed on every later run. */
function keep(bytes: Uint8Array): string {
  mkdirSync(REGRESSIONS, { recursive: true });
  const path = join(REGRESSIONS, `${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.bin`);
  writeFileSync(path, bytes);
  return path;
}

test(`no input ends in an internal error or a hang (${COUNT} mutants and every kept crasher)`, async () => {
  const started = performance.now();
  const failures: string[] = [];
  const kinds = new Set<string>();
  const done = await new Promise<Extract<FuzzMessage, { kind: 'done' }>>((resolve, reject) => {
    const worker = new Worker(new URL('./pki-fuzz-worker.js', import.meta.url), { workerData: job });
    let last: Extract<FuzzMessage, { kind: 'input' }> | undefined;
    let watchdog: NodeJS.Timeout;
    const guard = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        void worker.terminate();
        const kept = last ? keep(last.bytes) : 'nothing';
        reject(new Error(`no progress for ${SILENCE_LIMIT_MS / 1000} s on ${last?.label ?? 'start-up'}: kept as ${kept}`));
      }, SILENCE_LIMIT_MS);
    };
    guard();
    worker.on('message', (message: FuzzMessage) => {
      guard();
      if (message.kind === 'input') last = message;
      else if (message.kind === 'failure') {
        // one kept input per kind of failure (message and place), so a new bug adds a file, not thousands
        const lines = message.error.split('\n');
        const kind = `${lines[0]} ${lines.find((line) => line.trim().startsWith('at ')) ?? ''}`.replace(/\d+/g, 'N');
        const kept = kinds.has(kind) ? 'same kind as one kept' : `kept as ${keep(message.bytes)}`;
        kinds.add(kind);
        failures.push(`${message.label}: ${lines.slice(0, 4).join(' | ')} (${kept})`);
      }
      else {
        clearTimeout(watchdog);
        resolve(message);
      }
    });
    worker.on('error', (error) => {
      clearTimeout(watchdog);
      reject(error);
    });
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`  fuzz: seed ${SEED} (FUZZ_SEED=${SEED} to repeat), ${done.inputs} inputs in ${seconds} s, inspect read ${done.accepted} and refused ${done.refused} with a KubetlsError; slowest ${done.slowestMs.toFixed(0)} ms (${done.slowestLabel})`);
  assert.ok(done.inputs >= COUNT, 'every input ran');
  assert.equal(failures, [], `${failures.length} inputs ended in something other than a KubetlsError:\n${failures.slice(0, 10).join('\n')}`);
});

// Found by fuzzing `verify` (bit flips in an apiserver certificate, checked against the CA beside them):
// the verifier that ran two implementations raised their disagreement on these as an internal error
// (exit 70). The one verifier now gives each a verdict, in Go's words.
const DISAGREEMENTS = join(REPO_ROOT, 'test', 'fixtures', 'verify-disagreements');
test('verify: a damaged certificate ends in a report or a KubetlsError, never an internal error', () => {
  const ca = parseCertificateDer(decodePemBlocks(readFileSync(join(DISAGREEMENTS, 'ca.crt'), 'utf8'))[0]!.der);
  for (const name of readdirSync(DISAGREEMENTS).filter((file) => file.startsWith('damaged-'))) {
    const certificate = parseCertificateDer(decodePemBlocks(readFileSync(join(DISAGREEMENTS, name), 'utf8'))[0]!.der);
    const options = name.includes('host') ? { cas: [ca], purpose: 'server' as const, host: '10.96.0.1' } : { cas: [ca] };
    try {
      const report = verifyCertificate(certificate, options);
      assert.not.ok(report.ok, `${name}: a damaged certificate does not verify`);
      assert.match(report.reason ?? '', /^x509: /, `${name}: Go's words`);
    } catch (error) {
      assert.ok(isKubetlsError(error), `${name}: ${String(error)}`);
    }
  }
});

test.run();
