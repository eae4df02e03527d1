import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { approveCsr, createCsr, csrPaths, denyCsr, listCsrs, runHandshake, breakCertificate, fixCertificates, type InitResult } from '../src/pki/index.js';
import { makeSandbox, openssl, rejects, removeTempDirs } from './helpers.js';

/** The Certificates API flow: key + CSR -> CertificateSigningRequest -> approve -> kubeconfig -> a real handshake. */

let sandbox: InitResult;
test.before(async () => {
  sandbox = await makeSandbox();
});
test.after(removeTempDirs);

test('create: a key (0600), a CSR openssl accepts, and the CertificateSigningRequest kubectl takes', async () => {
  const created = await createCsr({ dir: sandbox.dir, user: 'jane', groups: ['developers', 'qa'], expirationSeconds: 86400 });
  assert.is(statSync(created.paths.key).mode & 0o777, 0o600);
  const check = openssl(['req', '-in', created.paths.request, '-noout', '-verify', '-subject', '-nameopt', 'oneline']);
  assert.is(check.status, 0, check.stderr);
  assert.match(`${check.stdout}${check.stderr}`, /verify OK|Certificate request self-signature verify OK/);
  assert.match(check.stdout, /subject=O = developers, O = qa, CN = jane/);
  const manifest = parse(created.manifest) as Record<string, any>;
  assert.is(manifest['apiVersion'], 'certificates.k8s.io/v1');
  assert.is(manifest['kind'], 'CertificateSigningRequest');
  assert.is(manifest['metadata'].name, 'jane');
  assert.is(manifest['spec'].signerName, 'kubernetes.io/kube-apiserver-client');
  assert.equal(manifest['spec'].usages, ['client auth']);
  assert.is(manifest['spec'].expirationSeconds, 86400);
  assert.is(Buffer.from(manifest['spec'].request, 'base64').toString('utf8'), readFileSync(created.paths.request, 'utf8'));
  assert.equal(listCsrs(sandbox.dir).map((c) => [c.name, c.condition]), [['jane', 'Pending']]);
});

test('approve: the cluster CA signs for expirationSeconds, the user reaches the apiserver as jane in her groups', async () => {
  const approved = await approveCsr({ dir: sandbox.dir, user: 'jane' });
  const certificate = approved.certificate;
  assert.is(certificate.subject.commonName, 'jane');
  assert.equal(certificate.subject.organizations, ['developers', 'qa']);
  assert.is(certificate.issuer.commonName, 'kubernetes');
  assert.equal(certificate.extKeyUsage, ['clientAuth']);
  const lifetime = certificate.notAfter.getTime() - certificate.notBefore.getTime();
  assert.is(lifetime, 86400_000 + 5 * 60_000, 'one day, backdated five minutes');
  const manifest = parse(readFileSync(approved.paths.manifest, 'utf8')) as Record<string, any>;
  assert.is(manifest['status'].conditions[0].type, 'Approved');
  assert.is(Buffer.from(manifest['status'].certificate, 'base64').toString('utf8'), readFileSync(approved.paths.certificate, 'utf8'));
  assert.is(statSync(approved.paths.kubeconfig).mode & 0o777, 0o600);
  const verify = openssl(['verify', '-CAfile', `${sandbox.dir}/pki/ca.crt`, '-purpose', 'sslclient', approved.paths.certificate]);
  assert.is(verify.status, 0, verify.stdout + verify.stderr);

  const handshake = await runHandshake({ dir: sandbox.dir, server: 'apiserver', client: 'users/jane' });
  assert.ok(handshake.ok, handshake.failure?.message);
  assert.is(handshake.identity?.user, 'jane');
  assert.equal(handshake.identity?.groups, ['developers', 'qa', 'system:authenticated']);
  assert.equal(listCsrs(sandbox.dir).map((c) => c.condition), ['Approved,Issued']);
});

test('a user certificate can be broken and fixed without losing its groups', async () => {
  await breakCertificate({ dir: sandbox.dir, certificate: 'users/jane', fault: 'expired' });
  assert.not.ok((await runHandshake({ dir: sandbox.dir, server: 'apiserver', client: 'users/jane' })).ok);
  await fixCertificates({ dir: sandbox.dir, certificate: 'users/jane' });
  const after = await runHandshake({ dir: sandbox.dir, server: 'apiserver', client: 'users/jane' });
  assert.equal(after.identity?.groups, ['developers', 'qa', 'system:authenticated']);
});

test('a second request of the same name is refused, as the API server does; replace starts over without a stale certificate', async () => {
  const jane = csrPaths(sandbox.dir, 'jane');
  const key = readFileSync(jane.key, 'utf8');
  await rejects(() => createCsr({ dir: sandbox.dir, user: 'jane' }), /a CertificateSigningRequest named "jane" already exists/);
  assert.is(readFileSync(jane.key, 'utf8'), key, 'her key is untouched');
  await createCsr({ dir: sandbox.dir, user: 'jane', groups: ['developers', 'qa'], replace: true });
  assert.is.not(readFileSync(jane.key, 'utf8'), key, 'a new key');
  assert.not.ok(existsSync(jane.certificate) || existsSync(jane.kubeconfig), 'the certificate for the old key is gone');
  await approveCsr({ dir: sandbox.dir, user: 'jane' });
  assert.ok((await runHandshake({ dir: sandbox.dir, server: 'apiserver', client: 'users/jane' })).ok, 'the new pair works');
});

test('approving twice, denying, and bad requests are refused with a reason', async () => {
  await rejects(() => approveCsr({ dir: sandbox.dir, user: 'jane' }), /already approved/);
  await createCsr({ dir: sandbox.dir, user: 'mallory', groups: ['system:masters'] });
  const denied = denyCsr({ dir: sandbox.dir, user: 'mallory' });
  assert.is((parse(readFileSync(denied.manifest, 'utf8')) as any).status.conditions[0].type, 'Denied');
  await rejects(() => approveCsr({ dir: sandbox.dir, user: 'mallory' }), /already denied/);

  await createCsr({ dir: sandbox.dir, user: 'eve' });
  const eve = csrPaths(sandbox.dir, 'eve');
  const edit = (change: (m: any) => void) => {
    const manifest = parse(readFileSync(eve.manifest, 'utf8'));
    change(manifest);
    writeFileSync(eve.manifest, stringify(manifest));
  };
  edit((m) => (m.spec.usages = ['client auth', 'server auth']));
  await rejects(() => approveCsr({ dir: sandbox.dir, user: 'eve' }), /usages \[client auth, server auth\] are not allowed/);
  edit((m) => { m.spec.usages = ['client auth']; m.spec.signerName = 'kubernetes.io/kubelet-serving'; });
  await rejects(() => approveCsr({ dir: sandbox.dir, user: 'eve' }), /signerName is "kubernetes.io\/kubelet-serving"/);
  edit((m) => { m.spec.signerName = 'kubernetes.io/kube-apiserver-client'; m.spec.request = Buffer.from('not a csr').toString('base64'); });
  await rejects(() => approveCsr({ dir: sandbox.dir, user: 'eve' }), /spec.request is not a base64-encoded PEM certificate request/);
  // a request whose signed part was altered (proof of possession fails)
  const pem = readFileSync(eve.request, 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const index = der.indexOf(Buffer.from('eve'));
  der[index] = 'z'.charCodeAt(0);
  const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  edit((m) => (m.spec.request = Buffer.from(tampered).toString('base64')));
  await rejects(() => approveCsr({ dir: sandbox.dir, user: 'eve' }), /signature does not verify/);

  await rejects(() => createCsr({ dir: sandbox.dir, user: 'Not Valid' }), /cannot name a CertificateSigningRequest/);
  await rejects(() => createCsr({ dir: sandbox.dir, user: 'bob', expirationSeconds: 60 }), /at least 600/);
  await rejects(() => approveCsr({ dir: sandbox.dir, user: 'nobody' }), /no CertificateSigningRequest for "nobody"/);
});

test.run();
