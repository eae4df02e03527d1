import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addNode, approveCsr, breakCertificate, createCsr, describeHsmKey, fixCertificates, initSandbox, readState, renewCertificates, runHandshake,
  type InitResult,
} from '../../src/pki/index.js';
import { parseKubeconfig } from '../../src/pki/certificates/kubeconfig.js';
import { decodePemBlocks } from '../../src/pki/certificates/pem.js';
import { openssl, removeTempDirs, runCli, tempDir, TEST_CLUSTER, assertOneLineError } from '../helpers.js';

/**
 * The cluster CA key in a real SoftHSM 2 token, through PKCS#11: made inside the token, never on disk,
 * every cluster-CA signature a C_Sign call, and the rest of kubetls (renew, fix, break, csr approve,
 * add-node, handshakes, check-expiration) none the wiser. openssl and softhsm2-util are the outside
 * witnesses. And the forge demonstration: a stolen ca.key mints system:masters; an HSM leaves nothing to steal.
 */

let rsa: string;
let ecdsa: InitResult;
test.before(async () => {
  rsa = join(tempDir(), 'hsm-rsa');
  const init = runCli(['pki', 'init', '--ca-in-hsm', '--dir', rsa, '--key-type', 'rsa-2048', '--node-name', 'controlplane', '--advertise-address', '192.168.56.10']);
  assert.is(init.status, 0, init.stderr);
  assert.match(init.stdout, /the cluster CA key was generated inside a SoftHSM token/);
  ecdsa = await initSandbox({ dir: tempDir(), cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' }, caInHsm: {} });
});
test.after(removeTempDirs);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

const spki = (key: Parameters<typeof createPublicKey>[0]) => createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('hex');

/** Every private key kubetls could have written, as PEM in a file or embedded in a kubeconfig. */
function privateKeysUnder(dir: string): { file: string; spki: string }[] {
  const keys: { file: string; spki: string }[] = [];
  for (const file of filesUnder(dir)) {
    const text = readFileSync(file, 'latin1');
    for (const block of decodePemBlocks(text).filter((b) => b.label.endsWith('PRIVATE KEY'))) {
      keys.push({ file, spki: spki(`-----BEGIN ${block.label}-----\n${block.der.toString('base64')}\n-----END ${block.label}-----\n`) });
    }
    if (/^kind:\s*Config/m.test(text)) {
      for (const user of parseKubeconfig(text, file).users) if (user.clientKey) keys.push({ file, spki: spki(user.clientKey.toString()) });
    }
  }
  return keys;
}

const caSpki = (dir: string) => spki(new X509Certificate(readFileSync(join(dir, 'pki/ca.crt'))).publicKey.export({ type: 'spki', format: 'pem' }));

function assertNoCaKeyOnDisk(dir: string): void {
  assert.not.ok(existsSync(join(dir, 'pki/ca.key')), 'no pki/ca.key');
  assert.not.ok(filesUnder(dir).some((f) => f.endsWith('/ca.key') && !f.includes('/etcd/')), 'no ca.key anywhere in the sandbox');
  const keys = privateKeysUnder(dir);
  assert.ok(keys.length > 10, 'the other keys are found, so the search works');
  const leaked = keys.filter((k) => k.spki === caSpki(dir));
  assert.equal(leaked, [], 'no file holds the private half of ca.crt');
}

/** openssl verifies every certificate the cluster CA signed, and ca.crt itself. */
function assertAllVerify(dir: string, files: string[]): void {
  for (const file of files) {
    const verified = openssl(['verify', '-CAfile', join(dir, 'pki/ca.crt'), join(dir, file)]);
    assert.is(verified.status, 0, `${file}: ${verified.stderr}`);
  }
}
const CA_SIGNED = ['pki/ca.crt', 'pki/apiserver.crt', 'pki/apiserver-kubelet-client.crt'];

function embeddedCertificate(dir: string, kubeconfig: string): string {
  const path = join(dir, tempName(kubeconfig));
  const contents = parseKubeconfig(readFileSync(join(dir, kubeconfig), 'utf8'), kubeconfig);
  writeFileSync(path, contents.users[0]!.clientCertificate!);
  return tempName(kubeconfig);
}
const tempName = (kubeconfig: string) => `${kubeconfig.replace(/\W/g, '-')}.pem`;

test('the token lives in the sandbox: softhsm2-util sees it there, and the key is sensitive and not extractable', () => {
  const state = readState(rsa);
  assert.ok(state.hsm, 'the sandbox records the token');
  assert.is(state.hsm!.config, 'hsm/softhsm2.conf');
  assert.match(readFileSync(join(rsa, 'hsm/softhsm2.conf'), 'utf8'), new RegExp(`directories.tokendir = ${join(rsa, 'hsm/tokens')}`));
  const slots = spawnSync('softhsm2-util', ['--show-slots'], { encoding: 'utf8', env: { ...process.env, SOFTHSM2_CONF: join(rsa, 'hsm/softhsm2.conf') } });
  assert.is(slots.status, 0, slots.stderr);
  assert.match(slots.stdout, /Label:\s+kubetls\s*\n/);
  assert.equal(describeHsmKey(rsa, state.hsm!), { tokenLabel: 'kubetls', keyLabel: 'kubernetes-ca', sensitive: true, extractable: false, secretReadable: false });
  assert.equal(describeHsmKey(ecdsa.dir, readState(ecdsa.dir).hsm!).secretReadable, false);
});

test('no ca.key anywhere on disk, and everything the cluster CA signed verifies (RSA and ECDSA)', () => {
  for (const dir of [rsa, ecdsa.dir]) {
    assertNoCaKeyOnDisk(dir);
    assertAllVerify(dir, [...CA_SIGNED, embeddedCertificate(dir, 'admin.conf'), embeddedCertificate(dir, 'super-admin.conf'), embeddedCertificate(dir, 'kubelet.conf')]);
    // the other CAs keep their keys on disk, as in kubeadm's external-CA mode
    assert.ok(existsSync(join(dir, 'pki/etcd/ca.key')) && existsSync(join(dir, 'pki/front-proxy-ca.key')));
  }
  const ca = new X509Certificate(readFileSync(join(ecdsa.dir, 'pki/ca.crt')));
  assert.is(ca.publicKey.asymmetricKeyType, 'ec', 'the key type follows --key-type');
  assert.is(new X509Certificate(readFileSync(join(rsa, 'pki/ca.crt'))).publicKey.asymmetricKeyDetails?.modulusLength, 2048);
});

test('check-expiration: the cluster CA and what it signs are EXTERNALLY MANAGED, the etcd and front-proxy CAs are not', () => {
  const result = runCli(['check-expiration', '--dir', rsa]);
  assert.is(result.status, 0, result.stderr);
  const row = (name: string) => result.stdout.split('\n').find((line) => line.startsWith(`${name} `)) ?? '';
  assert.match(row('ca'), /\byes\s*$/);
  assert.match(row('apiserver'), /\bca\s+yes\s*$/);
  assert.match(row('admin.conf'), /\bca\s+yes\s*$/);
  assert.match(row('etcd-ca'), /\bno\s*$/);
  assert.match(row('apiserver-etcd-client'), /\betcd-ca\s+no\s*$/);
});

test('handshakes work as before: the apiserver trusts what the HSM signed', async () => {
  for (const dir of [rsa, ecdsa.dir]) {
    const report = await runHandshake({ dir, server: 'apiserver', client: 'admin' });
    assert.ok(report.ok, report.failure?.message);
  }
});

test('renew, fix, break, csr approve and add-node all sign through PKCS#11', async () => {
  for (const dir of [rsa, ecdsa.dir]) {
    const before = readFileSync(join(dir, 'pki/apiserver.crt'), 'utf8');
    await renewCertificates({ dir, certificate: 'all' });
    assert.is.not(readFileSync(join(dir, 'pki/apiserver.crt'), 'utf8'), before, 'renewed');
    await breakCertificate({ dir, certificate: 'apiserver', fault: 'expired' });
    await fixCertificates({ dir, certificate: 'apiserver' });
    await createCsr({ dir, user: 'jane', groups: ['developers'] });
    await approveCsr({ dir, user: 'jane' });
    await addNode({ dir, name: 'node-1', ip: '192.168.56.21', serverTlsBootstrap: true });
    assertAllVerify(dir, [...CA_SIGNED, 'users/jane.crt', 'nodes/node-1/var/lib/kubelet/pki/kubelet-client-current.pem', 'nodes/node-1/var/lib/kubelet/pki/kubelet-server-current.pem', embeddedCertificate(dir, 'admin.conf')]);
    assert.ok((await runHandshake({ dir, server: 'node/node-1', client: 'apiserver-kubelet-client' })).ok);
    assert.ok((await runHandshake({ dir, server: 'apiserver', client: 'users/jane' })).ok);
    assertNoCaKeyOnDisk(dir);
  }
  // the same from the command line
  assert.is(runCli(['pki', 'renew', '--dir', rsa, '--cert', 'admin']).status, 0);
  assert.is(runCli(['csr', 'create', '--dir', rsa, '--user', 'joe']).status, 0);
  const approved = runCli(['csr', 'approve', '--dir', rsa, '--user', 'joe']);
  assert.is(approved.status, 0, approved.stderr);
  assertAllVerify(rsa, ['users/joe.crt', embeddedCertificate(rsa, 'admin.conf')]);
});

test('a wrong PIN in the record: signing is refused by the token, in one line', () => {
  const dir = join(tempDir(), 'pin');
  assert.is(runCli(['pki', 'init', '--ca-in-hsm', '--dir', dir, '--key-type', 'ecdsa-p256']).status, 0);
  const state = JSON.parse(readFileSync(join(dir, 'kubetls-sandbox.json'), 'utf8'));
  state.hsm.pin = '00000000';
  writeFileSync(join(dir, 'kubetls-sandbox.json'), JSON.stringify(state));
  assertOneLineError(runCli(['pki', 'renew', '--dir', dir, '--cert', 'apiserver']), /the HSM refused the recorded PIN/);
});

// ---- forge ---------------------------------------------------------------------------------


test('forge with ca.key on disk: mallory in system:masters, accepted by the apiserver', () => {
  const dir = join(tempDir(), 'on-disk');
  assert.is(runCli(['pki', 'init', '--dir', dir, '--key-type', 'ecdsa-p256', '--advertise-address', '192.168.56.10']).status, 0);
  const forged = runCli(['pki', 'forge', '--dir', dir, '--user', 'mallory', '--group', 'system:masters']);
  assert.is(forged.status, 0, forged.stderr);
  assert.match(forged.stdout, /signed CN=mallory O=system:masters/);
  assert.is(openssl(['verify', '-CAfile', join(dir, 'pki/ca.crt'), join(dir, 'forged/mallory.crt')]).status, 0, 'a certificate the cluster CA "signed"');
  const kubeconfig = parseKubeconfig(readFileSync(join(dir, 'forged/mallory.kubeconfig'), 'utf8'), 'mallory.kubeconfig');
  assert.is(kubeconfig.clusters[0]?.server, 'https://192.168.56.10:6443');
  const handshake = runCli(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'forged/mallory', '--json']);
  assert.is(handshake.status, 0, handshake.stdout);
  const report = JSON.parse(handshake.stdout);
  assert.equal(report.identity.user, 'mallory');
  assert.equal(report.identity.groups, ['system:masters', 'system:authenticated']);
});

test('forge with the key in the HSM: one line, nothing to steal, nothing written', () => {
  const result = runCli(['pki', 'forge', '--dir', rsa, '--user', 'mallory', '--group', 'system:masters']);
  assert.is(result.status, 1);
  const lines = result.stdout.trimEnd().split('\n');
  assert.is(lines.length, 1, result.stdout);
  assert.match(lines[0]!, /there is no .*pki\/ca\.key to steal: the cluster CA key was generated inside the HSM token "kubetls"/);
  assert.not.ok(existsSync(join(rsa, 'forged')));
});

// ---- without SoftHSM, and re-initialising ----------------------------------------------------

test('--ca-in-hsm without the module says what to install, and writes nothing', () => {
  const dir = join(tempDir(), 'no-hsm');
  assertOneLineError(runCli(['pki', 'init', '--ca-in-hsm', '--hsm-module', '/nonexistent/libsofthsm2.so', '--dir', dir]), /no PKCS#11 module at \/nonexistent\/libsofthsm2\.so .*apt-get install softhsm2/);
  assert.not.ok(existsSync(dir), 'nothing else changes');
  assertOneLineError(runCli(['pki', 'init', '--hsm-module', '/usr/lib/softhsm/libsofthsm2.so', '--dir', dir]), /--hsm-module goes with --ca-in-hsm/);
  assertOneLineError(runCli(['pki', 'init', '--ca-in-hsm', '--hsm-module', '/etc/hostname', '--dir', dir]), /cannot be loaded as a PKCS#11 module/);
  assert.not.ok(existsSync(dir));
});

test('--force replaces the token with a new one; a plain re-init brings ca.key back and drops the token', async () => {
  const dir = join(tempDir(), 'again');
  assert.is(runCli(['pki', 'init', '--ca-in-hsm', '--dir', dir, '--key-type', 'ecdsa-p256']).status, 0);
  const first = caSpki(dir);
  const reinit = runCli(['pki', 'init', '--ca-in-hsm', '--dir', dir, '--key-type', 'ecdsa-p256', '--force']);
  assert.is(reinit.status, 0, reinit.stderr);
  assert.is.not(caSpki(dir), first, 'a new CA key, made in a new token');
  assert.is(readdirSync(join(dir, 'hsm/tokens')).length, 1, 'one token, the old one is gone');
  assertNoCaKeyOnDisk(dir);
  assert.ok((await runHandshake({ dir, server: 'apiserver', client: 'admin' })).ok);
  assert.is(runCli(['pki', 'init', '--dir', dir, '--key-type', 'ecdsa-p256', '--force']).status, 0);
  assert.ok(existsSync(join(dir, 'pki/ca.key')));
  assert.not.ok(existsSync(join(dir, 'hsm')));
  assert.is(readState(dir).hsm, undefined);
});

test.run();
