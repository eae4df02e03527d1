import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  breakCertificate, initSandbox, inspectFiles, loadIdentity, readState, renewCertificates, runHandshake, sandboxSpecs, HARD_WAY_SPECS, KUBEADM_SPECS,
  type InitResult, type ParsedCertificate,
} from '../src/pki/index.js';
import { parseKubeconfig } from '../src/pki/certificates/kubeconfig.js';
import { openssl, rejects, removeTempDirs, runCli, tempDir, TEST_CLUSTER, assertOneLineError } from './helpers.js';

/**
 * The hard-way profile against "Kubernetes the Hard Way" (kelseyhightower/kubernetes-the-hard-way, cfssl
 * edition, docs/04-certificate-authority.md and 05-kubernetes-configuration-files.md), written out here
 * literally, and checked with openssl and real handshakes.
 */

let sandbox: InitResult;
const WORKERS = [
  { name: 'worker-0', ip: '10.240.0.20' },
  { name: 'worker-1', ip: '10.240.0.21' },
];
test.before(async () => {
  sandbox = await initSandbox({
    dir: tempDir(),
    profile: 'hard-way',
    workers: WORKERS,
    cluster: { ...TEST_CLUSTER, serviceCidr: undefined, advertiseAddress: '10.240.0.10', keyType: 'ecdsa-p256' },
  });
});
test.after(removeTempDirs);

const KTHW = 'C = US, ST = Oregon, L = Portland';

interface Expected {
  file: string;
  subject: string;
  dns: string[];
  ip: string[];
  kubeconfig?: { file: string; server: string; user: string };
}

/** Every certificate of the profile, as the tutorial makes it. */
const EXPECTED: Record<string, Expected> = {
  'kube-api-server': {
    file: 'pki/kube-api-server.crt',
    subject: `${KTHW}, O = Kubernetes, OU = Kubernetes The Hard Way, CN = kubernetes`,
    dns: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster', 'kubernetes.default.svc.cluster.local'],
    ip: ['10.32.0.1', '10.240.0.10', '127.0.0.1'],
  },
  'service-accounts': { file: 'pki/service-accounts.crt', subject: `${KTHW}, O = Kubernetes, OU = Kubernetes The Hard Way, CN = service-accounts`, dns: [], ip: [] },
  admin: {
    file: 'pki/admin.crt',
    subject: `${KTHW}, O = system:masters, OU = Kubernetes The Hard Way, CN = admin`,
    dns: [], ip: [],
    kubeconfig: { file: 'admin.kubeconfig', server: 'https://127.0.0.1:6443', user: 'admin' },
  },
  'kube-controller-manager': {
    file: 'pki/kube-controller-manager.crt',
    subject: `${KTHW}, O = system:kube-controller-manager, OU = Kubernetes The Hard Way, CN = system:kube-controller-manager`,
    dns: [], ip: [],
    kubeconfig: { file: 'kube-controller-manager.kubeconfig', server: 'https://127.0.0.1:6443', user: 'system:kube-controller-manager' },
  },
  'kube-scheduler': {
    file: 'pki/kube-scheduler.crt',
    subject: `${KTHW}, O = system:kube-scheduler, OU = Kubernetes The Hard Way, CN = system:kube-scheduler`,
    dns: [], ip: [],
    kubeconfig: { file: 'kube-scheduler.kubeconfig', server: 'https://127.0.0.1:6443', user: 'system:kube-scheduler' },
  },
  'kube-proxy': {
    file: 'pki/kube-proxy.crt',
    subject: `${KTHW}, O = system:node-proxier, OU = Kubernetes The Hard Way, CN = system:kube-proxy`,
    dns: [], ip: [],
    kubeconfig: { file: 'kube-proxy.kubeconfig', server: 'https://10.240.0.10:6443', user: 'system:kube-proxy' },
  },
  'node/worker-0': {
    file: 'pki/worker-0.crt',
    subject: `${KTHW}, O = system:nodes, OU = Kubernetes The Hard Way, CN = system:node:worker-0`,
    dns: ['worker-0'], ip: ['10.240.0.20'],
    kubeconfig: { file: 'worker-0.kubeconfig', server: 'https://10.240.0.10:6443', user: 'system:node:worker-0' },
  },
  'node/worker-1': {
    file: 'pki/worker-1.crt',
    subject: `${KTHW}, O = system:nodes, OU = Kubernetes The Hard Way, CN = system:node:worker-1`,
    dns: ['worker-1'], ip: ['10.240.0.21'],
    kubeconfig: { file: 'worker-1.kubeconfig', server: 'https://10.240.0.10:6443', user: 'system:node:worker-1' },
  },
};

const certificateAt = (file: string): ParsedCertificate => {
  const item = inspectFiles([join(sandbox.dir, file)])[0]!;
  assert.ok(item.kind === 'certificate', file);
  return item.certificate;
};
const field = (file: string, ...args: string[]) => openssl(['x509', '-in', join(sandbox.dir, file), '-noout', ...args]).stdout.trim();

test('the table: one CA and the tutorial\'s identities, plus one kubelet certificate per worker', () => {
  assert.equal(HARD_WAY_SPECS.map((s) => s.name), ['ca', 'kube-api-server', 'service-accounts', 'admin', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy']);
  assert.equal(sandboxSpecs(readState(sandbox.dir)).map((s) => s.name), [...HARD_WAY_SPECS.map((s) => s.name), 'node/worker-0', 'node/worker-1']);
  assert.equal([...sandbox.material.keys()].sort(), [...HARD_WAY_SPECS.map((s) => s.name), 'node/worker-0', 'node/worker-1'].sort());
  assert.is(readState(sandbox.dir).profile, 'hard-way');
  assert.ok(KUBEADM_SPECS.length > HARD_WAY_SPECS.length, 'the kubeadm table is a different one');
});

test('the CA: CN=Kubernetes, O=Kubernetes, OU=CA, self-signed, CA:TRUE', () => {
  assert.is(field('pki/ca.crt', '-subject', '-nameopt', 'oneline'), `subject=${KTHW}, O = Kubernetes, OU = CA, CN = Kubernetes`);
  assert.is(field('pki/ca.crt', '-issuer', '-nameopt', 'oneline'), `issuer=${KTHW}, O = Kubernetes, OU = CA, CN = Kubernetes`);
  assert.ok(certificateAt('pki/ca.crt').basicConstraints?.isCA);
});

test('every certificate: subject, issuer, SANs and serverAuth+clientAuth (the tutorial\'s one cfssl profile), as openssl reads them', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    assert.is(field(expected.file, '-subject', '-nameopt', 'oneline'), `subject=${expected.subject}`, `${name} subject`);
    assert.is(field(expected.file, '-issuer', '-nameopt', 'oneline'), `issuer=${KTHW}, O = Kubernetes, OU = CA, CN = Kubernetes`, `${name} issuer`);
    const certificate = certificateAt(expected.file);
    assert.equal(certificate.subjectAltNames.dns, expected.dns, `${name} DNS SANs`);
    assert.equal(certificate.subjectAltNames.ip, expected.ip, `${name} IP SANs`);
    assert.equal(certificate.extKeyUsage, ['serverAuth', 'clientAuth'], `${name} extended key usage`);
    assert.equal(certificate.keyUsage, ['digitalSignature'], `${name} key usage (ECDSA: no key encipherment)`);
    assert.not.ok(certificate.basicConstraints?.isCA, `${name} is not a CA`);
    const verified = openssl(['verify', '-CAfile', join(sandbox.dir, 'pki/ca.crt'), join(sandbox.dir, expected.file)]);
    assert.is(verified.status, 0, `${name}: ${verified.stderr}`);
    if (expected.ip.length) {
      for (const ip of expected.ip) assert.is(openssl(['verify', '-CAfile', join(sandbox.dir, 'pki/ca.crt'), '-verify_ip', ip, join(sandbox.dir, expected.file)]).status, 0, `${name} for ${ip}`);
    }
  }
});

test('kubeconfigs embed the same certificate and key, point at the tutorial\'s server, cluster kubernetes-the-hard-way, context default', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    if (!expected.kubeconfig) continue;
    const path = join(sandbox.dir, expected.kubeconfig.file);
    const contents = parseKubeconfig(readFileSync(path, 'utf8'), path);
    assert.is(contents.clusters[0]?.name, 'kubernetes-the-hard-way');
    assert.is(contents.clusters[0]?.server, expected.kubeconfig.server, `${name} server`);
    assert.equal(contents.clusters[0]?.caCertificate?.toString(), readFileSync(join(sandbox.dir, 'pki/ca.crt'), 'utf8'));
    assert.is(contents.users[0]?.name, expected.kubeconfig.user);
    assert.is(contents.currentContext, 'default');
    assert.is(contents.users[0]?.clientCertificate?.toString(), readFileSync(join(sandbox.dir, expected.file), 'utf8'), `${name} embeds its .crt`);
    assert.is(contents.users[0]?.clientKey?.toString(), readFileSync(join(sandbox.dir, expected.file.replace(/\.crt$/, '.key')), 'utf8'), `${name} embeds its .key`);
  }
});

test('handshakes: admin is system:masters at the API server; the API server reaches each kubelet (CA-signed, --kubelet-certificate-authority=ca.pem)', async () => {
  const admin = await runHandshake({ dir: sandbox.dir, server: 'kube-api-server', client: 'admin' });
  assert.ok(admin.ok, admin.failure?.message);
  assert.equal(admin.identity, { user: 'admin', groups: ['system:masters', 'system:authenticated'], authenticator: 'x509 client certificate: user = CN, groups = O' });
  const proxy = await runHandshake({ dir: sandbox.dir, server: 'kube-api-server', client: 'kube-proxy' });
  assert.equal(proxy.identity?.groups, ['system:node-proxier', 'system:authenticated']);
  const node = await runHandshake({ dir: sandbox.dir, server: 'kube-api-server', client: 'node/worker-1' });
  assert.is(node.identity?.user, 'system:node:worker-1');
  for (const worker of WORKERS) {
    const kubelet = await runHandshake({ dir: sandbox.dir, server: `node/${worker.name}`, client: 'kube-api-server' });
    assert.ok(kubelet.ok, `${worker.name}: ${kubelet.failure?.message}`);
    assert.is(kubelet.host, worker.ip, 'the apiserver dials the worker\'s address');
    assert.is(kubelet.identity?.user, 'kubernetes', 'the kubelet sees the API server as user "kubernetes"');
  }
});

test('renewal re-signs and rewrites the kubeconfig that embeds the certificate; a single-CA profile has no wrong-ca fault', async () => {
  const before = loadIdentity(sandbox.dir, 'admin').certificate;
  await renewCertificates({ dir: sandbox.dir, certificate: 'admin' });
  const after = certificateAt('pki/admin.crt');
  assert.not.equal(after.serialNumber, before.serialNumber);
  assert.is(field('pki/admin.crt', '-subject', '-nameopt', 'oneline'), `subject=${EXPECTED['admin']!.subject}`, 'the subject survives renewal');
  const kubeconfig = parseKubeconfig(readFileSync(join(sandbox.dir, 'admin.kubeconfig'), 'utf8'), 'admin.kubeconfig');
  assert.is(kubeconfig.users[0]?.clientCertificate?.toString(), readFileSync(join(sandbox.dir, 'pki/admin.crt'), 'utf8'));
  assert.ok((await runHandshake({ dir: sandbox.dir, server: 'kube-api-server', client: 'admin' })).ok);
  await rejects(() => breakCertificate({ dir: sandbox.dir, certificate: 'admin', fault: 'wrong-ca' }), /single CA/);
  await breakCertificate({ dir: sandbox.dir, certificate: 'node/worker-0', fault: 'missing-san' });
  const broken = await runHandshake({ dir: sandbox.dir, server: 'node/worker-0', client: 'kube-api-server' });
  assert.is(broken.failure?.code, 'ERR_TLS_CERT_ALTNAME_INVALID', 'the worker\'s IP was the SAN removed');
});

test('default workers and the default service CIDR of the tutorial', async () => {
  const defaults = await initSandbox({ dir: tempDir(), profile: 'hard-way', cluster: { ...TEST_CLUSTER, serviceCidr: undefined, keyType: 'ecdsa-p256' } });
  assert.equal(readState(defaults.dir).workers, [
    { name: 'worker-0', ip: '10.240.0.20' },
    { name: 'worker-1', ip: '10.240.0.21' },
    { name: 'worker-2', ip: '10.240.0.22' },
  ]);
  assert.is(defaults.cluster.serviceCidr, '10.32.0.0/24');
  assert.ok(loadIdentity(defaults.dir, 'kube-api-server').certificate.subjectAltNames.ip.includes('10.32.0.1'));
});

// ---- the command line ----------------------------------------------------------------------


test('`kubetls pki init --profile hard-way` as the issue writes it; the root --profile before the command stays a progress profile', () => {
  const dir = join(tempDir(), 'hard');
  const init = runCli(['pki', 'init', '--profile', 'hard-way', '--dir', dir, '--key-type', 'ecdsa-p256', '--worker', 'node-0=192.168.56.20']);
  assert.is(init.status, 0, init.stderr);
  assert.match(init.stdout, /Wrote a "Kubernetes the Hard Way" PKI/);
  assert.match(init.stdout, /└── pki\/node-0\.crt +CN=system:node:node-0 O=system:nodes/);
  assert.equal(readState(dir).workers, [{ name: 'node-0', ip: '192.168.56.20' }]);
  const handshake = runCli(['handshake', '--dir', dir, '--server', 'node/node-0', '--client', 'kube-api-server']);
  assert.is(handshake.status, 0, handshake.stdout);

  const kubeadm = join(tempDir(), 'kubeadm');
  assert.is(runCli(['--profile', 'alice', 'pki', 'init', '--dir', kubeadm, '--key-type', 'ecdsa-p256']).status, 0);
  assert.is(readState(kubeadm).profile, 'kubeadm');
  const equals = join(tempDir(), 'equals');
  assert.is(runCli(['pki', 'init', `--dir=${equals}`, '--profile=hard-way', '--key-type', 'ecdsa-p256']).status, 0);
  assert.is(readState(equals).profile, 'hard-way');
});

test('bad profile input gets one line', () => {
  const dir = join(tempDir(), 'bad');
  assertOneLineError(runCli(['pki', 'init', '--profile', 'kubespray', '--dir', dir]), /unknown PKI profile "kubespray"/);
  assertOneLineError(runCli(['pki', 'init', '--dir', dir, '--worker', 'w1=10.0.0.1']), /--worker belongs to the hard-way profile/);
  assertOneLineError(runCli(['pki', 'init', '--profile', 'hard-way', '--dir', dir, '--worker', 'w1']), /--worker "w1" is not NAME=IP/);
  assertOneLineError(runCli(['pki', 'init', '--profile', 'hard-way', '--dir', dir, '--worker', 'w1=10.0.0.300']), /"10\.0\.0\.300" is not an IP address/);
  assertOneLineError(runCli(['pki', 'init', '--profile', 'hard-way', '--dir', dir, '--worker', 'W_1=10.0.0.1']), /worker name "W_1" is not a valid DNS-1123/);
  assertOneLineError(runCli(['pki', 'init', '--profile', 'hard-way', '--dir', dir, '--worker', 'a=10.0.0.1', '--worker', 'a=10.0.0.2']), /listed twice/);
});

test.run();
