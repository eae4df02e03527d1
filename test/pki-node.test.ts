import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { assertOneLineError, removeTempDirs, runCli, tempDir } from './helpers.js';
import { makeKubeadmNode, type FakeNode } from './support/kubeadm-node.js';
import { runAsNobody } from './support/portable-cli.js';
import { checkExpiration, checkManifests, readClusterState, specsOfDir, loadIdentity, copyNodeToSandbox, hostKubernetesDir } from '../src/pki/index.js';
import { generateSandboxQuestions } from '../src/quiz/sandbox-source.js';
import { generateManifestQuestions } from '../src/quiz/manifest-source.js';

/**
 * node-dir and node-copy: a directory kubeadm wrote, read as it is and never written. Each node here is
 * a fake root in kubeadm's exact layout (test/support/kubeadm-node.ts); checksums, modes, times and link
 * targets of everything under it are compared before and after every command.
 */

test.after(removeTempDirs);

/** Every entry under a root: kind, mode, size and times, content hash, link target. */
function snapshot(root: string): Map<string, string> {
  const entries = new Map<string, string>();
  const walk = (path: string) => {
    const stats = lstatSync(path);
    const mode = (stats.mode & 0o7777).toString(8);
    if (stats.isSymbolicLink()) entries.set(path, `link ${mode} -> ${readlinkSync(path)}`);
    else if (stats.isDirectory()) {
      entries.set(path, `dir ${mode} ${stats.mtimeMs} ${stats.uid}:${stats.gid}`);
      for (const name of readdirSync(path)) walk(join(path, name));
    } else entries.set(path, `file ${mode} ${stats.size} ${stats.mtimeMs} ${stats.uid}:${stats.gid} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
  };
  walk(root);
  return entries;
}

function assertUnchanged(before: Map<string, string>, root: string, label: string): void {
  const after = snapshot(root);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((path) => before.get(path) !== after.get(path));
  assert.equal(changed, [], `${label}: nothing under the node changes`);
}

/** Writers, each of which must refuse a node's directory with the way out. */
function writers(dir: string): string[][] {
  return [
    ['pki', 'break', '--dir', dir, '--cert', 'apiserver', '--fault', 'expired'],
    ['pki', 'break', '--dir', dir, '--cert', 'apiserver', '--fault', 'wrong-path'],
    ['pki', 'renew', '--dir', dir, '--cert', 'all'],
    ['pki', 'fix', '--dir', dir, '--cert', 'apiserver'],
    ['pki', 'add-node', 'worker-1', '--ip', '192.168.56.21', '--dir', dir],
    ['pki', 'forge', '--dir', dir, '--user', 'mallory', '--group', 'system:masters'],
    ['pki', 'init', '--dir', dir, '--force', '--key-type', 'ecdsa-p256'],
    ['csr', 'create', '--dir', dir, '--user', 'jane'],
    ['csr', 'approve', '--dir', dir, '--user', 'jane'],
    ['csr', 'deny', '--dir', dir, '--user', 'jane'],
  ];
}

const nodes: Record<string, FakeNode> = {};

test('a stacked control-plane node: its settings are read back from the files kubeadm wrote', async () => {
  const node = (nodes['stacked'] = await makeKubeadmNode({ root: join(tempDir('kubetls-node-'), 'root') }));
  const state = readClusterState(node.dir);
  assert.is(state.node?.root, node.root);
  assert.equal(
    { nodeName: state.cluster.nodeName, advertiseAddress: state.cluster.advertiseAddress, serviceCidr: state.cluster.serviceCidr, dnsDomain: state.cluster.dnsDomain, clusterName: state.cluster.clusterName, controlPlaneEndpoint: state.cluster.controlPlaneEndpoint, externalEtcd: state.cluster.externalEtcd, keyType: state.cluster.keyType, certSans: state.cluster.apiServerCertSans },
    { nodeName: 'cp-1', advertiseAddress: '192.168.56.10', serviceCidr: '10.96.0.0/12', dnsDomain: 'cluster.local', clusterName: undefined, controlPlaneEndpoint: undefined, externalEtcd: undefined, keyType: 'ecdsa-p256', certSans: [] },
  );
  assert.is(state.node?.sources.nodeName, 'the CN of pki/etcd/server.crt');
  assert.is(state.node?.sources.advertiseAddress, 'kube-apiserver.yaml --advertise-address');
  assert.is(state.node?.sources.serviceCidr, 'kube-apiserver.yaml --service-cluster-ip-range');
  assert.equal(state.nodes?.map(({ name, serving, pkiDir }) => ({ name, serving, pkiDir })), [{ name: 'cp-1', serving: 'self-signed', pkiDir: '../../var/lib/kubelet/pki' }]);
  assert.equal(state.node?.unreadable, [], 'root reads everything');
  // kubeadm's rows, then the node's kubelet
  assert.equal(specsOfDir(node.dir).map((spec) => spec.name).slice(-2), ['node/cp-1', 'node/cp-1/client']);

  const show = runCli(['pki', 'show', '--dir', node.dir]);
  assert.is(show.status, 0, show.stderr);
  assert.match(show.stdout, /^Cluster .*: kubeadm wrote it, kubetls only reads it\n {2}node cp-1, advertise address 192\.168\.56\.10, service CIDR 10\.96\.0\.0\/12, cluster "kubernetes", ecdsa-p256/);
  assert.match(show.stdout, /└── \/var\/lib\/kubelet\/pki\/kubelet-client-current\.pem {2}CN=system:node:cp-1 O=system:nodes {2}ok/);
  assert.match(show.stdout, /\/var\/lib\/kubelet\/pki\/kubelet\.crt {2}CN=cp-1@\d+/);
  assert.match(show.stdout, /✓ manifests\/kube-apiserver\.yaml {2}13 file flags name the right files/);
  assert.is(show.stderr, '');
  const json = JSON.parse(runCli(['pki', 'show', '--dir', node.dir, '--json']).stdout) as { kind: string; readOnly: boolean; manifests: { ok: boolean } };
  assert.equal([json.kind, json.readOnly, json.manifests.ok], ['kubeadm', true, true]);

  // kubeadm's real manifests (image, probes, every flag): each file flag names the right file, each value is kubeadm's
  const report = checkManifests(node.dir);
  assert.ok(report.ok, report.flags.filter((flag) => !flag.ok).map((flag) => `${flag.flag}: ${flag.message}`).join('\n'));
  const manifests = runCli(['pki', 'check-manifests', '--dir', node.dir, '--all']);
  assert.is(manifests.status, 0, manifests.stdout);
  assert.match(manifests.stdout, /✓ every flag names the file kubeadm wires in/);

  const expiration = checkExpiration(node.dir);
  assert.equal(expiration.certificates.map((row) => row.name), ['admin.conf', 'apiserver', 'apiserver-etcd-client', 'apiserver-kubelet-client', 'controller-manager.conf', 'etcd-healthcheck-client', 'etcd-peer', 'etcd-server', 'front-proxy-client', 'scheduler.conf', 'super-admin.conf']);
  assert.ok(expiration.certificates.every((row) => !row.missing && !row.externallyManaged));
  assert.equal(expiration.authorities.map((row) => row.name), ['ca', 'etcd-ca', 'front-proxy-ca']);
});

test("the kubelet's files: kubelet.conf names the rotating link, which is followed inside the node's root", async () => {
  const node = nodes['stacked']!;
  const pki = join(node.root, 'var/lib/kubelet/pki');
  const rotations = readdirSync(pki).filter((name) => /^kubelet-client-\d{4}(-\d\d){5}\.pem$/.test(name)).sort();
  assert.is(rotations.length, 2, 'each rotation leaves its file');
  // client-go's store: an absolute link to the newest pair, which is not there outside the node
  assert.is(readlinkSync(join(pki, 'kubelet-client-current.pem')), `/var/lib/kubelet/pki/${rotations[1]}`);
  const client = loadIdentity(node.dir, 'node/cp-1/client');
  assert.is(client.certificate.subject.commonName, 'system:node:cp-1');
  assert.equal(client.certificate.der, loadIdentity(node.dir, 'kubelet').certificate.der, 'kubelet.conf and the link are the same pair');
  const verify = runCli(['verify', join(node.dir, 'kubelet.conf')]);
  assert.is(verify.status, 0, verify.stderr);
  assert.match(verify.stdout, /chain: system:node:cp-1 -> kubernetes \(trusted\)/);
  const inspect = runCli(['inspect', join(pki, 'kubelet-client-current.pem')]);
  assert.is(inspect.status, 0, inspect.stderr);
  assert.match(inspect.stdout, /Subject: O = system:nodes, CN = system:node:cp-1/);
  // the kubelet's own serving certificate: signed by a CA it made for itself, which the bundle carries
  const serving = runCli(['verify', join(pki, 'kubelet.crt'), '--ca', join(pki, 'kubelet.crt'), '--purpose', 'server', '--host', 'cp-1']);
  assert.is(serving.status, 0, serving.stdout);
});

test('HA behind a load balancer, external etcd, external CA, rotated serving certificate: all read as kubeadm laid them out', async () => {
  const node = (nodes['external'] = await makeKubeadmNode({
    root: join(tempDir('kubetls-node-'), 'root'), etcd: 'external', externalCa: true, controlPlaneEndpoint: 'lb.example.com:6443', clusterName: 'prod', kubeletServing: 'rotated',
  }));
  const state = readClusterState(node.dir);
  assert.is(state.cluster.controlPlaneEndpoint, 'lb.example.com:6443');
  assert.is(state.node?.sources.controlPlaneEndpoint, 'the server of admin.conf');
  assert.is(state.cluster.clusterName, 'prod');
  assert.equal(state.cluster.externalEtcd?.endpoints, ['https://10.0.0.11:2379', 'https://10.0.0.12:2379', 'https://10.0.0.13:2379']);
  assert.is(state.node?.externalCa, true);
  assert.equal(state.cluster.apiServerCertSans, [], 'the load balancer is the endpoint, not an extra SAN');
  assert.is(state.nodes?.[0]?.serving, 'tls-bootstrap');
  const names = specsOfDir(node.dir).map((spec) => spec.name);
  assert.not.ok(names.some((name) => name.startsWith('etcd/') || name === 'apiserver-etcd-client'), 'no etcd certificates with an external etcd');

  // the apiserver's etcd client files sit in /etc/etcd/pki, mounted as etcd-certs-0; the signing flags are empty
  const report = checkManifests(node.dir);
  assert.ok(report.ok, report.flags.filter((flag) => !flag.ok).map((flag) => `${flag.flag}: ${flag.message}`).join('\n'));
  assert.equal(report.manifests.map((manifest) => manifest.component), ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);
  const etcdFlags = report.flags.filter((flag) => flag.flag.startsWith('--etcd-')).map((flag) => [flag.flag, flag.value, flag.ok]);
  assert.equal(etcdFlags, [
    ['--etcd-servers', 'https://10.0.0.11:2379,https://10.0.0.12:2379,https://10.0.0.13:2379', true],
    ['--etcd-cafile', '/etc/etcd/pki/ca.crt', true],
    ['--etcd-certfile', '/etc/etcd/pki/apiserver-etcd-client.crt', true],
    ['--etcd-keyfile', '/etc/etcd/pki/apiserver-etcd-client.key', true],
  ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)));
  assert.match(report.flags.find((flag) => flag.flag === '--cluster-signing-key-file')!.message, /empty on purpose/);

  const expiration = checkExpiration(node.dir);
  assert.not.ok(expiration.certificates.some((row) => row.name.startsWith('etcd') || row.name === 'apiserver-etcd-client'));
  assert.ok(expiration.certificates.filter((row) => row.authority === 'ca').every((row) => row.externallyManaged), 'no ca.key: externally managed');
  const show = runCli(['pki', 'show', '--dir', node.dir]);
  assert.match(show.stdout, /control-plane endpoint lb\.example\.com:6443/);
  assert.match(show.stdout, /external etcd https:\/\/10\.0\.0\.11:2379/);
  assert.match(show.stdout, /external CA: pki\/ca\.crt without pki\/ca\.key/);
  assert.match(show.stdout, /\/var\/lib\/kubelet\/pki\/kubelet-server-current\.pem {2}CN=system:node:cp-1/);
});

test("quiz --sandbox on a node: questions answered from the node's own certificates and manifests", () => {
  const node = nodes['stacked']!;
  const { questions } = generateSandboxQuestions({ dir: node.dir });
  const cn = questions.find((question) => question.id === 'sandbox.cn.etcd-server');
  assert.ok(cn && cn.type === 'text' && cn.accepted[0]?.[0] === 'cp-1', 'the CN of its etcd server certificate is the node name');
  const manifests = generateManifestQuestions({ dir: node.dir }).questions;
  assert.ok(manifests.length >= 20, `${manifests.length} manifest questions`);
  const external = generateSandboxQuestions({ dir: nodes['external']!.dir }).questions;
  assert.not.ok(external.some((question) => question.id.includes('etcd')), 'no etcd questions without etcd certificates');
  const run = runCli(['quiz', '--plain', '--sandbox', node.dir, '--count', '3', '--seed', '5'], { input: '\n\n\n', env: { KUBETLS_CONFIG_DIR: tempDir() } });
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /Score: \d\/3/);
});

test('every command that writes refuses a node in one line that offers the copy; nothing under the node changes', async () => {
  for (const [label, node] of Object.entries(nodes)) {
    const before = snapshot(node.root);
    for (const args of writers(node.dir)) {
      assertOneLineError(runCli(args), /is a cluster's own directory, not a kubetls sandbox: kubetls only reads it \(practise on a copy: `kubetls pki copy --from .* --to ~\/lab`\)$/, `${label}: ${args.slice(0, 2).join(' ')}`);
    }
    assertOneLineError(runCli(['quiz', '--plain', '--fix-it', '--sandbox', node.dir], { env: { KUBETLS_CONFIG_DIR: tempDir() } }), /cluster's own directory.*kubetls pki copy/, `${label}: quiz --fix-it`);
    const exam = runCli(['exam', '--plain', '--sandbox', node.dir, '--count', '3', '--seed', '1'], { input: ':submit\n', env: { KUBETLS_CONFIG_DIR: tempDir() } });
    assert.match(exam.stderr, /^kubetls: notice: no repair tasks: .*cluster's own directory.*kubetls pki copy/m, `${label}: exam`);
    // and the readers, for good measure
    for (const args of [['pki', 'show', '--dir', node.dir], ['pki', 'check-manifests', '--dir', node.dir, '--json'], ['check-expiration', '--dir', node.dir], ['csr', 'list', '--dir', node.dir], ['handshake', '--dir', node.dir, '--server', 'apiserver', '--client', 'admin']]) {
      const result = runCli(args);
      assert.is(result.status, 0, `${label}: ${args.join(' ')}: ${result.stderr}`);
    }
    const copy = runCli(['pki', 'copy', '--from', node.dir, '--to', join(tempDir(), 'lab')]);
    assert.is(copy.status, 0, copy.stderr);
    assertUnchanged(before, node.root, label);
  }
});

test('pki copy: a sandbox with the node\'s files, 0600/0700 as usual, to break and repair; the node stays as it was', async () => {
  const node = nodes['stacked']!;
  const before = snapshot(node.root);
  const lab = join(tempDir(), 'lab');
  const result = copyNodeToSandbox({ from: node.dir, to: lab });
  assert.equal(result.skipped, []);
  assert.is(lstatSync(lab).mode & 0o777, 0o700);
  assert.is(lstatSync(join(lab, 'pki')).mode & 0o777, 0o700);
  assert.is(lstatSync(join(lab, 'pki/ca.key')).mode & 0o777, 0o600);
  assert.is(lstatSync(join(lab, 'pki/ca.crt')).mode & 0o777, 0o644);
  assert.is(lstatSync(join(lab, 'admin.conf')).mode & 0o777, 0o600);
  assert.is(lstatSync(join(lab, 'manifests/kube-apiserver.yaml')).mode & 0o777, 0o600);
  // the kubelet's link, relative now, so the sandbox can move
  const current = join(lab, 'nodes/cp-1/var/lib/kubelet/pki/kubelet-client-current.pem');
  assert.match(readlinkSync(current), /^kubelet-client-\d{4}(-\d\d){5}\.pem$/);
  assert.equal(readFileSync(join(lab, 'manifests/etcd.yaml')), readFileSync(join(node.dir, 'manifests/etcd.yaml')));
  assert.is(readClusterState(lab).copiedFrom?.dir, realpathSync(node.dir));
  assert.ok(checkManifests(lab).ok, 'the copy checks as the node did');

  const broken = runCli(['pki', 'break', '--dir', lab, '--cert', 'apiserver', '--fault', 'missing-san']);
  assert.is(broken.status, 0, broken.stderr);
  assert.is(runCli(['handshake', '--dir', lab, '--server', 'apiserver', '--client', 'admin']).status, 1);
  assert.is(runCli(['pki', 'fix', '--dir', lab, '--cert', 'apiserver']).status, 0);
  const handshake = runCli(['handshake', '--dir', lab, '--server', 'apiserver', '--client', 'kubelet']);
  assert.is(handshake.status, 0, `kubelet.conf in the copy follows its link: ${handshake.stdout}`);
  assertOneLineError(runCli(['pki', 'copy', '--from', node.dir, '--to', lab]), /already exists and is not empty/, 'no clobbering');
  assertUnchanged(before, node.root, 'copy');
});

test('KUBETLS_NODE_ROOT points "this machine\'s cluster" at a fake root', () => {
  assert.is(hostKubernetesDir({}), '/etc/kubernetes');
  assert.is(hostKubernetesDir({ KUBETLS_NODE_ROOT: '/tmp/x' }), '/tmp/x/etc/kubernetes');
  const node = nodes['stacked']!;
  const lab = join(tempDir(), 'lab');
  const copy = runCli(['pki', 'copy', '--to', lab], { env: { KUBETLS_NODE_ROOT: node.root } });
  assert.is(copy.status, 0, copy.stderr);
  assert.match(copy.stdout, /^✓ Copied .*root\/etc\/kubernetes into /);
});

test('as a normal user: what only root can read is named in one line, and everything else works', async () => {
  if (process.getuid?.() !== 0) {
    console.log('\n  skipped: needs root to build a root-owned node and run kubetls as the user nobody');
    return;
  }
  // a parent nobody can walk through (temporary directories are 0700)
  const parent = tempDir('kubetls-node-');
  chmodSync(parent, 0o755);
  const node = await makeKubeadmNode({ root: join(parent, 'root') });
  const before = snapshot(node.root);
  const show = await runAsNobody(['pki', 'show', '--dir', node.dir]);
  assert.is(show.status, 0, show.stderr);
  const notice = show.stderr.trimEnd().split('\n');
  assert.is(notice.length, 1, show.stderr);
  assert.is(notice[0], 'kubetls: notice: not readable without root: 11 keys in pki/, pki/sa.pub, admin.conf, controller-manager.conf, kubelet.conf, scheduler.conf, super-admin.conf, manifests/, /var/lib/kubelet; everything else was read (sudo reads all of it)');
  assert.match(show.stdout, /node cp-1, advertise address 192\.168\.56\.10, service CIDR unknown \(its first address: 10\.96\.0\.1\)/);
  assert.match(show.stdout, /├── pki\/apiserver\.crt +CN=kube-apiserver {2}ok/);
  assert.match(show.stdout, /├── admin\.conf +root only/);

  const expiration = await runAsNobody(['check-expiration', '--dir', node.dir]);
  assert.is(expiration.status, 0, expiration.stderr);
  assert.match(expiration.stdout, /^admin\.conf +root only/m);
  assert.match(expiration.stdout, /^apiserver +\w{3} \d\d, \d{4}/m);
  assertOneLineError(await runAsNobody(['pki', 'check-manifests', '--dir', node.dir]), /cannot read .*manifests: permission denied \(kubeadm keeps static Pod manifests for root alone\) \(run it as root, e\.g\. `sudo kubetls pki check-manifests --dir .*`\)$/, 'check-manifests');
  const inspect = await runAsNobody(['inspect', join(node.dir, 'pki/apiserver.crt')]);
  assert.is(inspect.status, 0, inspect.stderr);
  assertOneLineError(await runAsNobody(['inspect', join(node.dir, 'pki/apiserver.key')]), /cannot open .*apiserver\.key: permission denied$/, 'a key');

  // a copy as nobody: everything readable comes along, the rest is named
  const labs = join(parent, 'labs');
  mkdirSync(labs);
  chownSync(labs, 65534, 65534);
  const copy = await runAsNobody(['pki', 'copy', '--from', node.dir, '--to', join(labs, 'lab')]);
  assert.is(copy.status, 0, copy.stderr);
  assert.match(copy.stdout, /not copied, only root can read them: 11 keys in pki\/, pki\/sa\.pub, admin\.conf, controller-manager\.conf, kubelet\.conf, scheduler\.conf, super-admin\.conf, manifests\/, \/var\/lib\/kubelet \(copy again with sudo/);
  const copied = await runAsNobody(['pki', 'show', '--dir', join(labs, 'lab')]);
  assert.is(copied.status, 0, copied.stderr);
  assert.match(copied.stdout, /copied from .* \(without the files only root can read\)/);
  assert.is(lstatSync(join(labs, 'lab/pki/ca.crt')).uid, 65534);
  assertOneLineError(await runAsNobody(['pki', 'renew', '--dir', join(labs, 'lab'), '--cert', 'apiserver']), /pki\/\S+\.key is missing \(the copy was made without root, which cannot read keys and kubeconfigs: copy again with `sudo kubetls pki copy --from .* --to DIR`\)$/, 'renew in a keyless copy');
  assertUnchanged(before, node.root, 'as nobody');
});

test.run();
