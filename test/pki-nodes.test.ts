import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, lstatSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  addNode, breakCertificate, fixCertificates, inspectFiles, loadIdentity, readState, renewCertificates, runHandshake, KUBELET_CLIENT_SIGNER, KUBELET_SERVING_SIGNER,
  type AddedNode, type InitResult, type ParsedCertificate,
} from '../src/pki/index.js';
import { parseKubeconfig } from '../src/pki/certificates/kubeconfig.js';
import { makeSandbox, openssl, rejects, removeTempDirs, runCli, tempDir, assertOneLineError } from './helpers.js';

/**
 * Worker nodes joining a kubeadm sandbox as a kubelet does: the client certificate through the TLS
 * bootstrap (a CSR the cluster CA signs), the serving certificate self-signed (kubelet.crt) or from a
 * kubelet-serving CSR. Expected values are written out; openssl and real handshakes check them.
 */

let sandbox: InitResult;
let selfSigned: AddedNode;
let bootstrapped: AddedNode;
const NOW = new Date('2026-03-01T10:00:00Z');

test.before(async () => {
  sandbox = await makeSandbox({ now: NOW });
  selfSigned = await addNode({ dir: sandbox.dir, name: 'node-1', ip: '192.168.56.21', now: NOW });
  bootstrapped = await addNode({ dir: sandbox.dir, name: 'node-2', ip: '192.168.56.22', serverTlsBootstrap: true, now: NOW });
});
test.after(removeTempDirs);

const pkiOf = (node: string) => join(sandbox.dir, 'nodes', node, 'var/lib/kubelet/pki');
const certificatesIn = (file: string): ParsedCertificate[] =>
  inspectFiles([file]).flatMap((item) => (item.kind === 'certificate' ? [item.certificate] : []));
const caFile = () => join(sandbox.dir, 'pki/ca.crt');
const DAY = 86_400_000;

test('the client certificate: CN=system:node:NAME, O=system:nodes, clientAuth, signed by the cluster CA, in kubelet-client-current.pem', () => {
  for (const [node, added] of [['node-1', selfSigned], ['node-2', bootstrapped]] as const) {
    const current = join(pkiOf(node), 'kubelet-client-current.pem');
    assert.ok(lstatSync(current).isSymbolicLink(), 'current is a link, as client-go\'s certificate store makes it');
    assert.is(readlinkSync(current), 'kubelet-client-2026-03-01-10-00-00.pem');
    assert.is(statSync(current).mode & 0o777, 0o600);
    const text = readFileSync(current, 'utf8');
    assert.match(text, /^-----BEGIN CERTIFICATE-----[\s\S]+-----BEGIN EC PRIVATE KEY-----/, 'the certificate, then the kubelet\'s ECDSA key');
    const [certificate] = certificatesIn(current);
    assert.is(certificate!.subject.commonName, `system:node:${node}`);
    assert.equal(certificate!.subject.organizations, ['system:nodes']);
    assert.is(certificate!.issuer.commonName, 'kubernetes');
    assert.equal(certificate!.extKeyUsage, ['clientAuth']);
    assert.equal(certificate!.keyUsage, ['digitalSignature']);
    assert.equal([certificate!.subjectAltNames.dns, certificate!.subjectAltNames.ip], [[], []]);
    assert.is(certificate!.publicKey.curve, 'P-256');
    // csrsigning: backdated five minutes, --cluster-signing-duration one year
    assert.is(certificate!.notBefore.getTime(), NOW.getTime() - 5 * 60_000);
    assert.is(certificate!.notAfter.getTime(), NOW.getTime() + 365 * DAY);
    assert.is(added.client.sha256Fingerprint.toString('hex'), certificate!.sha256Fingerprint.toString('hex'));
    const verified = openssl(['verify', '-CAfile', caFile(), '-purpose', 'sslclient', current]);
    assert.is(verified.status, 0, verified.stderr);
  }
});

test('the bootstrap CSR: node-csr-<digest>, signer kube-apiserver-client-kubelet, [digital signature, client auth], auto-approved', () => {
  const [path] = selfSigned.csrFiles;
  assert.match(path!, /nodes\/node-1\/csr\/node-csr-[A-Za-z0-9_-]{43}\.yaml$/);
  const object = parse(readFileSync(path!, 'utf8'));
  assert.is(object.kind, 'CertificateSigningRequest');
  assert.is(object.spec.signerName, KUBELET_CLIENT_SIGNER);
  assert.is(KUBELET_CLIENT_SIGNER, 'kubernetes.io/kube-apiserver-client-kubelet');
  assert.equal(object.spec.usages, ['digital signature', 'client auth']);
  assert.is(object.status.conditions[0].reason, 'AutoApproved');
  assert.is(object.status.conditions[0].message, 'Auto approving kubelet client certificate after SubjectAccessReview.');
  const request = Buffer.from(object.spec.request, 'base64').toString();
  const subject = openssl(['req', '-noout', '-subject', '-nameopt', 'oneline'], request);
  assert.is(subject.stdout.trim(), 'subject=O = system:nodes, CN = system:node:node-1');
  assert.is(openssl(['req', '-noout', '-verify'], request).status, 0, 'the kubelet signed its request');
  assert.is(Buffer.from(object.status.certificate, 'base64').toString(), readFileSync(join(pkiOf('node-1'), 'kubelet-client-current.pem'), 'utf8').split(/(?=-----BEGIN EC)/)[0]);
});

test('kubelet.crt, self-signed the way client-go makes it: leaf NAME@unix from CA NAME-ca@unix, serverAuth, DNS SAN = host name', () => {
  const file = join(pkiOf('node-1'), 'kubelet.crt');
  const [leaf, ownCa, ...rest] = certificatesIn(file);
  assert.is(rest.length, 0, 'the leaf, then the CA that signed it');
  const unix = Math.floor(NOW.getTime() / 1000);
  assert.is(leaf!.subject.commonName, `node-1@${unix}`);
  assert.is(leaf!.issuer.commonName, `node-1-ca@${unix}`);
  assert.is(ownCa!.subject.commonName, `node-1-ca@${unix}`);
  assert.ok(ownCa!.basicConstraints?.isCA);
  assert.is(leaf!.serialNumber.toString('hex'), '02');
  assert.is(ownCa!.serialNumber.toString('hex'), '01');
  assert.equal(leaf!.extKeyUsage, ['serverAuth']);
  assert.equal(leaf!.keyUsage, ['digitalSignature', 'keyEncipherment']);
  assert.equal([leaf!.subjectAltNames.dns, leaf!.subjectAltNames.ip], [['node-1'], []], 'GenerateSelfSignedCertKey(hostName, nil, nil): no IP');
  assert.is(leaf!.publicKey.bits, 2048);
  assert.is(leaf!.notBefore.getTime(), NOW.getTime() - 3_600_000, 'valid from an hour ago');
  assert.is(leaf!.notAfter.getTime() - leaf!.notBefore.getTime(), 365 * DAY);
  assert.is(statSync(join(pkiOf('node-1'), 'kubelet.key')).mode & 0o777, 0o600);
  // the cluster CA does not vouch for it; only its own CA does
  assert.is.not(openssl(['verify', '-CAfile', caFile(), file]).status, 0);
  const ownCaPem = readFileSync(file, 'utf8').split(/(?=-----BEGIN CERTIFICATE-----)/)[1]!;
  const ownCaFile = join(tempDir(), 'kubelet-ca.pem');
  writeFileSync(ownCaFile, ownCaPem);
  assert.is(openssl(['verify', '-CAfile', ownCaFile, file]).status, 0, 'verifies against the CA in its own file');
});

test('with serverTLSBootstrap: a kubelet-serving CSR, CN=system:node:NAME, O=system:nodes, SANs = name + IP, serverAuth, by the cluster CA', () => {
  const current = join(pkiOf('node-2'), 'kubelet-server-current.pem');
  assert.ok(lstatSync(current).isSymbolicLink());
  const [certificate] = certificatesIn(current);
  assert.is(certificate!.subject.commonName, 'system:node:node-2');
  assert.equal(certificate!.subject.organizations, ['system:nodes']);
  assert.is(certificate!.issuer.commonName, 'kubernetes');
  assert.equal(certificate!.extKeyUsage, ['serverAuth']);
  assert.equal([certificate!.subjectAltNames.dns, certificate!.subjectAltNames.ip], [['node-2'], ['192.168.56.22']]);
  assert.is(openssl(['verify', '-CAfile', caFile(), '-purpose', 'sslserver', '-verify_ip', '192.168.56.22', current]).status, 0);
  assert.is(openssl(['verify', '-CAfile', caFile(), '-verify_hostname', 'node-2', current]).status, 0);
  assert.is.not(openssl(['verify', '-CAfile', caFile(), '-verify_ip', '192.168.56.21', current]).status, 0);
  const object = parse(readFileSync(bootstrapped.csrFiles[1]!, 'utf8'));
  assert.is(object.spec.signerName, KUBELET_SERVING_SIGNER);
  assert.is(KUBELET_SERVING_SIGNER, 'kubernetes.io/kubelet-serving');
  assert.equal(object.spec.usages, ['digital signature', 'server auth']);
  assert.is(object.status.conditions[0].reason, 'KubectlApprove', 'kube-controller-manager never approves serving requests itself');
});

test('the node\'s files: kubelet.conf points at the rotating pair; config.yaml says which CA it trusts and how it serves', () => {
  const conf = join(sandbox.dir, 'nodes/node-1/etc/kubernetes/kubelet.conf');
  const kubeconfig = parseKubeconfig(readFileSync(conf, 'utf8'), conf);
  assert.is(kubeconfig.users[0]?.name, 'default-auth');
  assert.is(kubeconfig.users[0]?.certFile, '/var/lib/kubelet/pki/kubelet-client-current.pem');
  assert.is(kubeconfig.users[0]?.keyFile, '/var/lib/kubelet/pki/kubelet-client-current.pem');
  assert.is(kubeconfig.clusters[0]?.server, 'https://192.168.56.10:6443');
  assert.is(kubeconfig.clusters[0]?.caCertificate?.toString(), readFileSync(caFile(), 'utf8'));
  assert.is(readFileSync(join(sandbox.dir, 'nodes/node-1/etc/kubernetes/pki/ca.crt'), 'utf8'), readFileSync(caFile(), 'utf8'));
  const config1 = parse(readFileSync(join(sandbox.dir, 'nodes/node-1/var/lib/kubelet/config.yaml'), 'utf8'));
  const config2 = parse(readFileSync(join(sandbox.dir, 'nodes/node-2/var/lib/kubelet/config.yaml'), 'utf8'));
  assert.is(config1.authentication.x509.clientCAFile, '/etc/kubernetes/pki/ca.crt');
  assert.is(config1.serverTLSBootstrap, undefined);
  assert.is(config2.serverTLSBootstrap, true);
  assert.equal(readState(sandbox.dir).nodes?.map((n) => [n.name, n.ip, n.serving]), [['node-1', '192.168.56.21', 'self-signed'], ['node-2', '192.168.56.22', 'tls-bootstrap']]);
});

test('apiserver -> kubelet: refused with the self-signed kubelet.crt, accepted with the CA-issued one', async () => {
  const refused = await runHandshake({ dir: sandbox.dir, server: 'node/node-1', client: 'apiserver-kubelet-client' });
  assert.not.ok(refused.ok);
  assert.is(refused.failure?.side, 'client', 'the apiserver, as the client, rejects the kubelet');
  assert.is(refused.failure?.code, 'SELF_SIGNED_CERT_IN_CHAIN');
  assert.match(refused.failure?.explanation ?? '', /serverTLSBootstrap/);
  assert.is(refused.host, '192.168.56.21');
  // the command the explanation suggests works as written (on a copy, so node-1 stays self-signed here)
  const suggested = /\(kubetls (pki add-node .*)\)$/.exec(refused.failure?.explanation ?? '')?.[1];
  assert.ok(suggested, refused.failure?.explanation);
  const copy = join(tempDir(), 'copy');
  cpSync(sandbox.dir, copy, { recursive: true });
  const rejoined = runCli(suggested.replace(sandbox.dir, copy).split(' '));
  assert.is(rejoined.status, 0, rejoined.stderr);
  assert.ok((await runHandshake({ dir: copy, server: 'node/node-1', client: 'apiserver-kubelet-client' })).ok, 'accepted after the suggested re-join');
  const accepted = await runHandshake({ dir: sandbox.dir, server: 'node/node-2', client: 'apiserver-kubelet-client' });
  assert.ok(accepted.ok, accepted.failure?.message);
  assert.is(accepted.host, '192.168.56.22');
  assert.equal(accepted.identity?.groups, ['kubeadm:cluster-admins', 'system:authenticated']);
  assert.match(accepted.identity!.authenticator, /clientCAFile/);
});

test('kubelet -> apiserver with the bootstrapped client certificate: the Node authorizer\'s identity', async () => {
  const report = await runHandshake({ dir: sandbox.dir, server: 'apiserver', client: 'node/node-1/client' });
  assert.ok(report.ok, report.failure?.message);
  assert.equal(report.identity?.user, 'system:node:node-1');
  assert.equal(report.identity?.groups, ['system:nodes', 'system:authenticated']);
});

test('renew leaves kubelet certificates to the kubelet; fix re-issues a CA-signed one through the store; the self-signed one has no CA', async () => {
  await rejects(() => renewCertificates({ dir: sandbox.dir, certificate: 'node/node-2/client' }), /the kubelet rotates its client certificate itself/);
  await rejects(() => renewCertificates({ dir: sandbox.dir, certificate: 'node/node-2' }), /the kubelet rotates its serving certificate itself \(serverTLSBootstrap: true\)/);
  await rejects(() => fixCertificates({ dir: sandbox.dir, certificate: 'node/node-1' }), /no CA signs .*kubelet\.crt/);
  await rejects(() => breakCertificate({ dir: sandbox.dir, certificate: 'node/node-1', fault: 'expired' }), /self-signed by its kubelet/);
  await breakCertificate({ dir: sandbox.dir, certificate: 'node/node-2', fault: 'missing-san', now: NOW });
  const broken = await runHandshake({ dir: sandbox.dir, server: 'node/node-2', client: 'apiserver-kubelet-client' });
  assert.is(broken.failure?.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  const later = new Date(NOW.getTime() + 60_000);
  await fixCertificates({ dir: sandbox.dir, certificate: 'node/node-2', now: later });
  assert.is(readlinkSync(join(pkiOf('node-2'), 'kubelet-server-current.pem')), 'kubelet-server-2026-03-01-10-01-00.pem', 'a new pair, and the link moved to it');
  assert.ok((await runHandshake({ dir: sandbox.dir, server: 'node/node-2', client: 'apiserver-kubelet-client' })).ok);
  assert.equal(loadIdentity(sandbox.dir, 'node/node-2').certificate.subjectAltNames.ip, ['192.168.56.22']);
  // fix all re-creates the control plane, not the nodes' rotating certificates
  const fixedAll = await fixCertificates({ dir: sandbox.dir, certificate: 'all' });
  assert.not.ok(fixedAll.some((f) => f.certificate.startsWith('node/')));
});

// ---- the command line ----------------------------------------------------------------------


test('kubetls pki add-node, then the handshake shows the difference; --force re-joins with --server-tls-bootstrap', () => {
  const dir = sandbox.dir;
  const added = runCli(['pki', 'add-node', 'node-3', '--ip', '192.168.56.23', '--dir', dir]);
  assert.is(added.status, 0, added.stderr);
  assert.match(added.stdout, /node-3 joined/);
  assert.match(added.stdout, /client: +CN=system:node:node-3 O=system:nodes, issuer CN=kubernetes/);
  const refused = runCli(['handshake', '--dir', dir, '--server', 'node/node-3', '--client', 'apiserver-kubelet-client']);
  assert.is(refused.status, 1);
  assert.match(refused.stdout, /self-signed certificate in certificate chain/);
  assertOneLineError(runCli(['pki', 'add-node', 'node-3', '--ip', '192.168.56.23', '--dir', dir]), /node "node-3" is already in/);
  const rejoined = runCli(['pki', 'add-node', 'node-3', '--ip', '192.168.56.23', '--dir', dir, '--server-tls-bootstrap', '--force']);
  assert.is(rejoined.status, 0, rejoined.stderr);
  const accepted = runCli(['handshake', '--dir', dir, '--server', 'node/node-3', '--client', 'apiserver-kubelet-client']);
  assert.is(accepted.status, 0, accepted.stdout);
  assert.match(accepted.stdout, /handshake succeeded: apiserver-kubelet-client -> node\/node-3/);
});

test('bad add-node input gets one line', () => {
  assertOneLineError(runCli(['pki', 'add-node', 'Node_4', '--ip', '192.168.56.24', '--dir', sandbox.dir]), /node name "Node_4" is not a valid DNS-1123 subdomain/);
  assertOneLineError(runCli(['pki', 'add-node', 'node-4', '--ip', 'nine', '--dir', sandbox.dir]), /"nine" is not an IP address/);
  assertOneLineError(runCli(['pki', 'add-node', 'node-4', '--dir', sandbox.dir]), /--ip/);
  assertOneLineError(runCli(['pki', 'add-node', 'node-4', '--ip', '192.168.56.24', '--dir', join(sandbox.dir, 'nope')]), /is not a kubetls sandbox/);
});

test.run();
