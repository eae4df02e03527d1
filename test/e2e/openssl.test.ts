import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  breakCertificate, fixCertificates, formatCertificateText, inspectFiles, initSandbox, itemJson, loadIdentity, verifyCertificate,
  type InitResult, type Purpose,
} from '../../src/pki/index.js';
import { encodePem } from '../../src/pki/certificates/pem.js';
import { openssl, removeTempDirs, tempDir, TEST_CLUSTER } from '../helpers.js';

/** openssl, a real and independent peer, agrees with kubetls on every certificate it makes or breaks. */

let rsa: InitResult;
let ecdsa: InitResult;
test.before(async () => {
  rsa = await initSandbox({ dir: tempDir(), cluster: { ...TEST_CLUSTER, keyType: 'rsa-2048' } });
  ecdsa = await initSandbox({ dir: tempDir(), cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } });
});
test.after(removeTempDirs);

const CERT_FILES = [
  'pki/ca.crt', 'pki/apiserver.crt', 'pki/apiserver-kubelet-client.crt', 'pki/front-proxy-ca.crt', 'pki/front-proxy-client.crt',
  'pki/etcd/ca.crt', 'pki/etcd/server.crt', 'pki/etcd/peer.crt', 'pki/etcd/healthcheck-client.crt', 'pki/apiserver-etcd-client.crt',
];

test('inspect prints exactly what `openssl x509 -text -noout` prints (RSA, ECDSA, and an openssl-made Ed25519)', () => {
  const scratch = tempDir();
  assert.is(openssl(['genpkey', '-algorithm', 'ed25519', '-out', join(scratch, 'ed.key')]).status, 0);
  assert.is(openssl(['req', '-x509', '-key', join(scratch, 'ed.key'), '-out', join(scratch, 'ed.crt'), '-subj', '/O=k3s/CN=ed', '-days', '3', '-addext', 'subjectAltName=DNS:a.example,IP:fd00::1']).status, 0);
  const files = [...CERT_FILES.map((f) => join(rsa.dir, f)), ...CERT_FILES.map((f) => join(ecdsa.dir, f)), join(scratch, 'ed.crt')];
  for (const file of files) {
    const item = inspectFiles([file])[0]!;
    assert.ok(item.kind === 'certificate');
    const expected = openssl(['x509', '-in', file, '-text', '-noout']);
    assert.is(formatCertificateText(item.certificate), expected.stdout, file);
  }
});

test('--json values agree with openssl: subject, issuer, serial, dates, SANs, fingerprint', () => {
  const monthDate = (text: string) => new Date(text.replace(/^.*=/, '').trim()).toISOString().replace('.000Z', 'Z');
  for (const file of [...CERT_FILES.map((f) => join(rsa.dir, f)), join(ecdsa.dir, 'pki/apiserver.crt')]) {
    const json = itemJson(inspectFiles([file])[0]!) as any;
    const field = (...args: string[]) => openssl(['x509', '-in', file, '-noout', ...args]).stdout.trim();
    assert.is(field('-serial'), `serial=${json.serialNumber}`, `${file} serial`);
    assert.is(field('-fingerprint', '-sha256'), `sha256 Fingerprint=${json.sha256}`, `${file} fingerprint`);
    assert.is(field('-subject', '-nameopt', 'oneline'), `subject=${json.subject.text}`, `${file} subject`);
    assert.is(field('-issuer', '-nameopt', 'oneline'), `issuer=${json.issuer.text}`, `${file} issuer`);
    assert.is(monthDate(field('-startdate')), json.notBefore);
    assert.is(monthDate(field('-enddate')), json.notAfter);
    const sanLine = field('-ext', 'subjectAltName').split('\n')[1]?.trim() ?? '';
    const sans = sanLine ? sanLine.split(', ') : [];
    assert.equal(sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4)), json.sans.dns, `${file} DNS SANs`);
    assert.is(sans.filter((s) => s.startsWith('IP Address:')).length, json.sans.ip.length, `${file} IP SANs`);
    const text = field('-text');
    assert.is(/CA:TRUE/.test(text), json.isCA);
    assert.is(/TLS Web Server Authentication/.test(text), json.extKeyUsage.includes('serverAuth'));
    assert.is(/TLS Web Client Authentication/.test(text), json.extKeyUsage.includes('clientAuth'));
  }
});

interface Case {
  name: string;
  certificate: string;
  ca: string;
  purpose?: Purpose;
  host?: string;
}

const CASES: Case[] = [
  { name: 'apiserver as server, for its IP', certificate: 'apiserver', ca: 'ca', purpose: 'server', host: '192.168.56.10' },
  { name: 'apiserver for kubernetes.default.svc', certificate: 'apiserver', ca: 'ca', purpose: 'server', host: 'kubernetes.default.svc' },
  { name: 'apiserver for a name it lacks', certificate: 'apiserver', ca: 'ca', purpose: 'server', host: 'api.example.com' },
  { name: 'apiserver as a client', certificate: 'apiserver', ca: 'ca', purpose: 'client' },
  { name: 'apiserver against the etcd CA', certificate: 'apiserver', ca: 'etcd/ca', purpose: 'server' },
  { name: 'etcd server for ::1', certificate: 'etcd/server', ca: 'etcd/ca', purpose: 'server', host: '::1' },
  { name: 'etcd server for 10.0.0.1', certificate: 'etcd/server', ca: 'etcd/ca', purpose: 'server', host: '10.0.0.1' },
  { name: 'admin as client', certificate: 'admin', ca: 'ca', purpose: 'client' },
  { name: 'admin as server', certificate: 'admin', ca: 'ca', purpose: 'server' },
  { name: 'front-proxy-client against the cluster CA', certificate: 'front-proxy-client', ca: 'ca', purpose: 'client' },
];

/** What `openssl verify` (plus -verify_hostname/-verify_ip) says about one certificate. */
function opensslVerdict(dir: string, c: Case): { ok: boolean; output: string } {
  const certFile = join(tempDir(), 'subject.pem');
  writeFileSync(certFile, encodePem('CERTIFICATE', loadIdentity(dir, c.certificate).certificate.der));
  const args = ['verify', '-CAfile', join(dir, 'pki', `${c.ca}.crt`)];
  if (c.purpose) args.push('-purpose', c.purpose === 'server' ? 'sslserver' : 'sslclient');
  if (c.host) args.push(c.host.includes(':') || /^\d+\.\d+\.\d+\.\d+$/.test(c.host) ? '-verify_ip' : '-verify_hostname', c.host);
  args.push(certFile);
  const result = openssl(args);
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

function kubetlsVerdict(dir: string, c: Case) {
  return verifyCertificate(loadIdentity(dir, c.certificate).certificate, {
    cas: [loadIdentity(dir, c.ca).certificate],
    purpose: c.purpose,
    host: c.host,
  });
}

function agree(dir: string, label: string): void {
  for (const c of CASES) {
    const theirs = opensslVerdict(dir, c);
    const ours = kubetlsVerdict(dir, c);
    // the verdicts agree on a kubeadm PKI; the words are Go's (test/verify-parity.test.ts holds them to Go itself)
    assert.is(ours.ok, theirs.ok, `${label} ${c.name}: kubetls ${ours.ok ? 'OK' : ours.reason}, openssl: ${theirs.output}`);
    if (!ours.ok) assert.match(ours.reason!, /^x509: /, `${label} ${c.name}: Go's words`);
  }
}

test('kubetls verify and openssl verify agree on a healthy RSA and ECDSA PKI', () => {
  agree(rsa.dir, 'rsa');
  agree(ecdsa.dir, 'ecdsa');
});

test('... and on every fault, before and after repair', async () => {
  const dir = ecdsa.dir;
  const faults: [string, string][] = [
    ['apiserver', 'expired'], ['apiserver', 'not-yet-valid'], ['apiserver', 'wrong-ca'], ['apiserver', 'missing-san'],
    ['apiserver', 'wrong-usage'], ['admin', 'expired'], ['admin', 'wrong-ca'], ['admin', 'wrong-usage'], ['etcd/server', 'missing-san'],
  ];
  for (const [certificate, fault] of faults) {
    await breakCertificate({ dir, certificate, fault });
    agree(dir, `${certificate} ${fault}`);
    await fixCertificates({ dir, certificate });
    agree(dir, `${certificate} fixed`);
  }
});

test('a CSR prints exactly as `openssl req -text -noout`', async () => {
  const scratch = tempDir();
  const csr = join(scratch, 'u.csr');
  assert.is(openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(scratch, 'u.key'), '-out', csr, '-subj', '/O=dev/CN=jane', '-addext', 'subjectAltName=DNS:jane.example']).status, 0);
  const { formatRequestText } = await import('../../src/pki/certificates/format.js');
  const item = inspectFiles([csr])[0]!;
  assert.ok(item.kind === 'certificate-request');
  assert.is(formatRequestText(item.request), openssl(['req', '-in', csr, '-text', '-noout']).stdout);
  assert.ok(readFileSync(csr, 'utf8').includes('BEGIN CERTIFICATE REQUEST'));
});

test.run();
