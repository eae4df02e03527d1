import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  breakCertificate, fixCertificates, loadIdentity, renewCertificates, runHandshake, stepLine, verifyCertificate, type InitResult,
} from '../src/pki/index.js';
import { makeSandbox, rejects, removeTempDirs } from './helpers.js';

/** Handshakes on loopback between sandbox identities, and every fault caught by verify and by a handshake. */

let sandbox: InitResult;
test.before(async () => {
  sandbox = await makeSandbox();
});
test.after(removeTempDirs);

const dirOf = () => sandbox.dir;

test('a step is shown with its side once: "client rejects", not "client client rejects"', async () => {
  const sandbox = await makeSandbox();
  const steps: string[] = [];
  const report = await runHandshake({ dir: sandbox.dir, server: 'etcd/server', client: 'admin' }, (step) => {
    const { side, text } = stepLine(step);
    steps.push(`${side} ${text}`);
  });
  assert.not.ok(report.ok);
  assert.ok(steps.includes(steps.find((line) => /^\[client\] +rejects the server certificate/.test(line)) ?? ''), steps.join('\n'));
  assert.not.match(steps.join('\n'), /\b(client\]? client|server\]? server|both\]? both)\b/);
});

test('a step reads as one sentence: its side in brackets apart from a sentence about the other side, in English and Korean', async () => {
  const sandbox = await makeSandbox();
  const lines = (language: 'en' | 'ko') => async (server: string, client: string) => {
    const shown: string[] = [];
    await runHandshake({ dir: sandbox.dir, server, client, language }, (step) => {
      const { side, text } = stepLine(step, language);
      shown.push(`${side} ${text}`);
    });
    return shown;
  };
  const english = [...(await lines('en')('apiserver', 'admin')), ...(await lines('en')('etcd/server', 'admin'))];
  assert.ok(english.includes('[client] the server presents CN=kube-apiserver (issuer CN=kubernetes); the client verifies it against the CA in certificate-authority-data of admin.conf and finds 192.168.56.10 in its SANs'), english.join('\n'));
  assert.ok(english.some((line) => /^\[client\] the server presents CN=\S+ \(issuer CN=etcd-ca\)$/.test(line)), english.join('\n'));
  assert.ok(english.some((line) => /^\[server\] verifies the client certificate against /.test(line)), english.join('\n'));
  assert.ok(english.every((line) => /^\[(client|server|both)\] +\S/.test(line)), 'every side in brackets, in one column');
  assert.is(new Set(english.map((line) => /^\[\w+\] +/.exec(line)?.[0].length)).size, 1, 'the text starts in one column');
  const korean = await lines('ko')('etcd/server', 'admin');
  assert.ok(korean.some((line) => /^\[클라이언트\] 서버 인증서를 거부합니다: /.test(line)), korean.join('\n'));
  assert.ok(korean.some((line) => /^\[클라이언트\] 서버가 CN=\S+ \(발급자 CN=etcd-ca\)[을를] 제시합니다$/.test(line)), korean.join('\n'));
  assert.ok(korean.every((line) => /^\[(클라이언트|서버|양쪽)\] +\S/.test(line)), korean.join('\n'));
});

test('apiserver <- admin: mutual TLS, identity from CN and O', async () => {
  const report = await runHandshake({ dir: dirOf(), server: 'apiserver', client: 'admin' });
  assert.ok(report.ok, JSON.stringify(report.failure));
  assert.match(report.protocol ?? '', /^TLSv1\.[23]$/);
  assert.is(report.identity?.user, 'kubernetes-admin');
  assert.equal(report.identity?.groups, ['kubeadm:cluster-admins', 'system:authenticated']);
  assert.is(report.host, '192.168.56.10', 'dials the advertise address like the kubeconfig says');
  assert.ok(report.steps.some((s) => s.text.includes('server presents CN=kube-apiserver')));
});

test('a kubeconfig client trusts the CA embedded in it, as kubectl does, not pki/ca.crt', async () => {
  const { dir } = await makeSandbox();
  const said = (await runHandshake({ dir, server: 'apiserver', client: 'admin' })).steps.map((step) => step.text).join('\n');
  assert.match(said, /trusts servers signed by the CA in certificate-authority-data of admin\.conf/);
  // another CA pasted into certificate-authority-data: kubectl would refuse the apiserver, and so does this
  const admin = join(dir, 'admin.conf');
  const etcdCa = Buffer.from(readFileSync(join(dir, 'pki/etcd/ca.crt'))).toString('base64');
  writeFileSync(admin, readFileSync(admin, 'utf8').replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${etcdCa}`));
  const report = await runHandshake({ dir, server: 'apiserver', client: 'admin' });
  assert.is(report.failure?.side, 'client');
  assert.match(report.failure?.message ?? '', /self-signed certificate in certificate chain|unable to (verify the first certificate|get local issuer certificate)/);
});

test('every kubeconfig identity and the apiserver client certs reach the apiserver', async () => {
  const expected: Record<string, [string, string[]]> = {
    'super-admin': ['kubernetes-super-admin', ['system:masters']],
    'controller-manager': ['system:kube-controller-manager', []],
    scheduler: ['system:kube-scheduler', []],
    kubelet: ['system:node:controlplane', ['system:nodes']],
    'apiserver-kubelet-client': ['kube-apiserver-kubelet-client', ['kubeadm:cluster-admins']],
  };
  for (const [client, [user, groups]] of Object.entries(expected)) {
    const report = await runHandshake({ dir: dirOf(), server: 'apiserver', client });
    assert.ok(report.ok, `${client}: ${report.failure?.message}`);
    assert.is(report.identity?.user, user);
    assert.equal(report.identity?.groups, [...groups, 'system:authenticated']);
  }
});

test('front-proxy-client is accepted through the request-header CA, not as a user', async () => {
  const report = await runHandshake({ dir: dirOf(), server: 'apiserver', client: 'front-proxy-client' });
  assert.ok(report.ok);
  assert.match(report.identity!.authenticator, /request-header/);
  // a front proxy checks an extension API server with its APIService's caBundle, not with a kubeadm CA file
  assert.ok(report.steps.some((step) => step.actor === 'client' && /caBundle of the APIService/.test(step.text)));
  assert.not.ok(report.steps.some((step) => /trusts servers signed by/.test(step.text)));
});

test('etcd accepts the apiserver-etcd-client and etcd peers', async () => {
  assert.ok((await runHandshake({ dir: dirOf(), server: 'etcd/server', client: 'apiserver-etcd-client' })).ok);
  assert.ok((await runHandshake({ dir: dirOf(), server: 'etcd/server', client: 'etcd/healthcheck-client' })).ok);
  assert.ok((await runHandshake({ dir: dirOf(), server: 'etcd/peer', client: 'etcd/peer' })).ok);
});

test('wrong pairings fail with the real TLS error', async () => {
  // admin trusts the cluster CA, etcd is signed by etcd-ca
  const toEtcd = await runHandshake({ dir: dirOf(), server: 'etcd/server', client: 'admin' });
  assert.not.ok(toEtcd.ok);
  assert.is(toEtcd.failure?.side, 'client');
  assert.match(toEtcd.failure!.message, /self-signed certificate in certificate chain|unable to (verify the first certificate|get local issuer certificate)/);
  // the apiserver-etcd-client certificate is signed by etcd-ca: the apiserver does not trust it for users
  const etcdClientToApiserver = await runHandshake({ dir: dirOf(), server: 'apiserver', client: 'apiserver-etcd-client' });
  assert.not.ok(etcdClientToApiserver.ok);
  // a host that is not in the SANs
  const wrongHost = await runHandshake({ dir: dirOf(), server: 'apiserver', client: 'admin', host: 'api.example.com' });
  assert.is(wrongHost.failure?.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  assert.match(wrongHost.failure!.message, /Hostname\/IP does not match certificate's altnames: Host: api.example.com/);
});

test('unknown or unsuitable names are one clear error', async () => {
  await rejects(() => runHandshake({ dir: dirOf(), server: 'nope', client: 'admin' }), /unknown certificate "nope"/);
  await rejects(() => runHandshake({ dir: dirOf(), server: 'admin', client: 'admin' }), /admin is not a serving certificate/);
  await rejects(() => runHandshake({ dir: dirOf(), server: 'apiserver', client: 'ca' }), /ca is not a client identity/);
});

interface FaultCase {
  certificate: string;
  fault: string;
  server: string;
  client: string;
  /** What verify must say, and the purpose/host it checks with. */
  verifyReason: RegExp;
  purpose: 'server' | 'client';
  host?: string;
  /** What the handshake must say, on which side. */
  handshake: RegExp;
  side: 'client' | 'server';
  /** Whether `kubeadm certs renew` cures it (it copies SANs and usages from the broken certificate). */
  renewCures: boolean;
}

const FAULT_CASES: FaultCase[] = [
  { certificate: 'apiserver', fault: 'expired', server: 'apiserver', client: 'admin', verifyReason: /^x509: certificate has expired or is not yet valid: current time \S+ is after /, purpose: 'server', handshake: /certificate has expired/, side: 'client', renewCures: true },
  { certificate: 'admin', fault: 'expired', server: 'apiserver', client: 'admin', verifyReason: /^x509: certificate has expired or is not yet valid: current time \S+ is after /, purpose: 'client', handshake: /certificate has expired/, side: 'server', renewCures: true },
  { certificate: 'etcd/server', fault: 'not-yet-valid', server: 'etcd/server', client: 'apiserver-etcd-client', verifyReason: /^x509: certificate has expired or is not yet valid: current time \S+ is before /, purpose: 'server', handshake: /certificate is not yet valid/, side: 'client', renewCures: true },
  { certificate: 'apiserver-etcd-client', fault: 'not-yet-valid', server: 'etcd/server', client: 'apiserver-etcd-client', verifyReason: /^x509: certificate has expired or is not yet valid: current time \S+ is before /, purpose: 'client', handshake: /certificate is not yet valid/, side: 'server', renewCures: true },
  { certificate: 'apiserver', fault: 'wrong-ca', server: 'apiserver', client: 'admin', verifyReason: /^x509: certificate signed by unknown authority/, purpose: 'server', handshake: /unable to (verify the first certificate|get local issuer certificate)/, side: 'client', renewCures: true },
  { certificate: 'scheduler', fault: 'wrong-ca', server: 'apiserver', client: 'scheduler', verifyReason: /^x509: certificate signed by unknown authority/, purpose: 'client', handshake: /unable to (verify the first certificate|get local issuer certificate)/, side: 'server', renewCures: true },
  // the apiserver trusts the cluster CA for clients as well, so the wrong CA here must be the etcd CA
  { certificate: 'front-proxy-client', fault: 'wrong-ca', server: 'apiserver', client: 'front-proxy-client', verifyReason: /^x509: certificate signed by unknown authority/, purpose: 'client', handshake: /unable to (verify the first certificate|get local issuer certificate)/, side: 'server', renewCures: true },
  { certificate: 'apiserver', fault: 'missing-san', server: 'apiserver', client: 'admin', host: '192.168.56.10', verifyReason: /^x509: certificate is valid for 10\.96\.0\.1, not 192\.168\.56\.10$/, purpose: 'server', handshake: /Hostname\/IP does not match certificate's altnames/, side: 'client', renewCures: false },
  { certificate: 'etcd/server', fault: 'missing-san', server: 'etcd/server', client: 'apiserver-etcd-client', host: '127.0.0.1', verifyReason: /^x509: certificate is valid for .+, not 127\.0\.0\.1$/, purpose: 'server', handshake: /Hostname\/IP does not match/, side: 'client', renewCures: false },
  { certificate: 'apiserver', fault: 'wrong-usage', server: 'apiserver', client: 'admin', verifyReason: /^x509: certificate specifies an incompatible key usage$/, purpose: 'server', handshake: /unsuitable certificate purpose/, side: 'client', renewCures: false },
  { certificate: 'controller-manager', fault: 'wrong-usage', server: 'apiserver', client: 'controller-manager', verifyReason: /^x509: certificate specifies an incompatible key usage$/, purpose: 'client', handshake: /unsuitable certificate purpose/, side: 'server', renewCures: false },
  { certificate: 'apiserver', fault: 'key-mismatch', server: 'apiserver', client: 'admin', verifyReason: /^tls: private key does not match public key$/, purpose: 'server', handshake: /key values mismatch/, side: 'server', renewCures: true },
  { certificate: 'admin', fault: 'key-mismatch', server: 'apiserver', client: 'admin', verifyReason: /^tls: private key does not match public key$/, purpose: 'client', handshake: /key values mismatch/, side: 'client', renewCures: true },
];

for (const c of FAULT_CASES) {
  test(`fault ${c.fault} on ${c.certificate}: verify and handshake both catch it; renew ${c.renewCures ? 'cures' : 'does not cure'} it; fix does`, async () => {
    const dir = dirOf();
    const before = await runHandshake({ dir, server: c.server, client: c.client });
    assert.ok(before.ok, `healthy before: ${before.failure?.message}`);

    await breakCertificate({ dir, certificate: c.certificate, fault: c.fault });
    const broken = loadIdentity(dir, c.certificate);
    const ca = loadIdentity(dir, c.certificate.startsWith('etcd/') || c.certificate === 'apiserver-etcd-client' ? 'etcd/ca' : 'ca');
    const report = verifyCertificate(broken.certificate, { cas: [ca.certificate], purpose: c.purpose, host: c.host, keyPair: broken.keyPair });
    assert.not.ok(report.ok);
    assert.match(report.reason!, c.verifyReason);

    const handshake = await runHandshake({ dir, server: c.server, client: c.client });
    assert.not.ok(handshake.ok, 'handshake must fail');
    assert.is(handshake.failure?.side, c.side);
    assert.match(handshake.failure!.message, c.handshake);

    await renewCertificates({ dir, certificate: c.certificate });
    const afterRenew = await runHandshake({ dir, server: c.server, client: c.client });
    assert.is(afterRenew.ok, c.renewCures, `after renew: ${afterRenew.failure?.message}`);

    await fixCertificates({ dir, certificate: c.certificate });
    const afterFix = await runHandshake({ dir, server: c.server, client: c.client });
    assert.ok(afterFix.ok, `after fix: ${afterFix.failure?.message}`);
  });
}

test('faults that do not apply are refused with a reason', async () => {
  await rejects(() => breakCertificate({ dir: dirOf(), certificate: 'admin', fault: 'missing-san' }), /admin has no SANs to remove/);
  await rejects(() => breakCertificate({ dir: dirOf(), certificate: 'ca', fault: 'expired' }), /ca is a CA/);
  await rejects(() => breakCertificate({ dir: dirOf(), certificate: 'apiserver', fault: 'melted' }), /unknown fault "melted"/);
  await rejects(() => breakCertificate({ dir: dirOf(), certificate: 'apiserver', fault: 'missing-san', san: 'nothere' }), /"nothere" is not a SAN of apiserver/);
});

test('a handshake at a chosen time: a healthy PKI expires in a year', async () => {
  const later = new Date(Date.now() + 400 * 86_400_000);
  const expired = verifyCertificate(loadIdentity(dirOf(), 'apiserver').certificate, { cas: [loadIdentity(dirOf(), 'ca').certificate], at: later });
  const leaf = loadIdentity(dirOf(), 'apiserver').certificate;
  assert.is(expired.reason, `x509: certificate has expired or is not yet valid: current time ${later.toISOString().replace(/\.\d+Z$/, 'Z')} is after ${leaf.notAfter.toISOString().replace(/\.\d+Z$/, 'Z')}`);
  assert.match(expired.explanation ?? '', /^the certificate is outside/, 'the leaf itself: no CA named');
});

test("a leaf that outlives its CA: Go reports the CA's dates, and the explanation names the CA", async () => {
  const sandbox = await makeSandbox({ certValidityDays: 5000, caValidityDays: 3650 });
  const ca = loadIdentity(sandbox.dir, 'ca').certificate;
  const at = new Date(ca.notAfter.getTime() + 86_400_000);
  const report = verifyCertificate(loadIdentity(sandbox.dir, 'apiserver').certificate, { cas: [ca], at });
  const goTime = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');
  assert.is(report.reason, `x509: certificate has expired or is not yet valid: current time ${goTime(at)} is after ${goTime(ca.notAfter)}`);
  assert.match(report.explanation ?? '', /the CA certificate "kubernetes" above it/);
});

test.run();
