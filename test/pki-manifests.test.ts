import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  KUBEADM_SPECS, STATIC_POD_COMPONENTS, breakCertificate, checkManifests, expectedFlags, fixCertificates, initSandbox, readManifest, renewCertificates, resolveClusterOptions,
  runHandshake, type FlagCheck, type InitResult, type StaticPodComponent,
} from '../src/pki/index.js';
import { REFERENCE_FLAGS, SOURCE_CHECKED_FLAGS } from './fixtures/lessons/kubeadm-facts.js';
import { TEST_CLUSTER, assertOneLineError, makeSandbox, rejects, removeTempDirs, runCli, tempDir } from './helpers.js';

/**
 * The static Pod manifests of a kubeadm sandbox (src/pki/manifests/static-pods.ts): written as kubeadm writes them
 * (checked against the reference's flag table, not against the code that wrote them), checked flag by
 * flag, broken with wrong-path, and honoured by handshakes.
 */

test.after(removeTempDirs);

interface Pod {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    containers: { command: string[]; volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[];
    volumes: { name: string; hostPath: { path: string; type: string } }[];
    hostNetwork: boolean;
    priorityClassName: string;
  };
}

function pod(dir: string, component: StaticPodComponent): Pod {
  return parse(readFileSync(join(dir, 'manifests', `${component}.yaml`), 'utf8')) as Pod;
}

/** The command's flags as a map; a flag given twice keeps its last value. */
function flagsOf(dir: string, component: StaticPodComponent): Map<string, string> {
  const [name, ...args] = pod(dir, component).spec.containers[0]!.command;
  assert.is(name, component);
  return new Map(args.map((arg) => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]));
}

function failing(dir: string): FlagCheck[] {
  return checkManifests(dir).flags.filter((flag) => !flag.ok);
}

/** What a learner does with an editor: one line of the manifest changed, the rest as it was. */
function editFlag(dir: string, component: StaticPodComponent, flag: string, value: string): void {
  const file = join(dir, 'manifests', `${component}.yaml`);
  const text = readFileSync(file, 'utf8');
  const pattern = new RegExp(`^(\\s*- ${flag}=).*$`, 'm');
  assert.match(text, pattern, `${flag} in ${component}.yaml`);
  writeFileSync(file, text.replace(pattern, `$1${value}`));
}

test('pki init writes the four manifests with every flag and value the reference lists, and none it says kubeadm leaves unset', async () => {
  const { dir } = await makeSandbox();
  for (const component of STATIC_POD_COMPONENTS) {
    const manifest = pod(dir, component);
    assert.is(manifest.apiVersion, 'v1');
    assert.is(manifest.kind, 'Pod');
    assert.equal([manifest.metadata.name, manifest.metadata.namespace, manifest.metadata.labels], [component, 'kube-system', { component, tier: 'control-plane' }]);
    assert.ok(manifest.spec.hostNetwork);
    assert.is(manifest.spec.priorityClassName, 'system-node-critical');
    assert.is(statSync(join(dir, 'manifests', `${component}.yaml`)).mode & 0o777, 0o600, 'written 0600 like kubeadm');
    const flags = flagsOf(dir, component);
    for (const [flag, value] of Object.entries({ ...REFERENCE_FLAGS[component], ...SOURCE_CHECKED_FLAGS[component] })) {
      if (value === undefined) assert.not.ok(flags.has(flag), `${component} ${flag} is left unset by kubeadm`);
      else assert.is(flags.get(flag), value, `${component} ${flag}`);
    }
    const names = [...flags.keys()];
    assert.equal(names, [...names].sort(), `${component}: flags sorted by name, as kubeadm's ArgumentsToCommand sorts them`);
  }
});

test('the flags that name no file carry kubeadm manifests.go and etcd/local.go values for this cluster', async () => {
  const { dir } = await makeSandbox();
  const apiserver = flagsOf(dir, 'kube-apiserver');
  assert.equal(Object.fromEntries(['--advertise-address', '--authorization-mode', '--enable-admission-plugins', '--service-account-issuer', '--service-cluster-ip-range', '--kubelet-preferred-address-types'].map((f) => [f, apiserver.get(f)])), {
    '--advertise-address': '192.168.56.10',
    '--authorization-mode': 'Node,RBAC',
    '--enable-admission-plugins': 'NodeRestriction',
    '--service-account-issuer': 'https://kubernetes.default.svc.cluster.local',
    '--service-cluster-ip-range': '10.96.0.0/12',
    '--kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
  });
  const etcd = flagsOf(dir, 'etcd');
  assert.equal(Object.fromEntries(['--name', '--advertise-client-urls', '--listen-client-urls', '--listen-peer-urls', '--initial-cluster', '--listen-metrics-urls', '--data-dir'].map((f) => [f, etcd.get(f)])), {
    '--name': 'controlplane',
    '--advertise-client-urls': 'https://192.168.56.10:2379',
    '--listen-client-urls': 'https://127.0.0.1:2379,https://192.168.56.10:2379',
    '--listen-peer-urls': 'https://192.168.56.10:2380',
    '--initial-cluster': 'controlplane=https://192.168.56.10:2380',
    '--listen-metrics-urls': 'http://127.0.0.1:2381',
    '--data-dir': '/var/lib/etcd',
  });
  assert.equal(Object.fromEntries(['--bind-address', '--cluster-name', '--controllers', '--use-service-account-credentials'].map((f) => [f, flagsOf(dir, 'kube-controller-manager').get(f)])), {
    '--bind-address': '127.0.0.1',
    '--cluster-name': 'kubernetes',
    '--controllers': '*,bootstrapsigner,tokencleaner',
    '--use-service-account-credentials': 'true',
  });
  // the volumes: the apiserver and controller-manager see /etc/kubernetes/pki, etcd only pki/etcd, the scheduler only its kubeconfig
  const mounts = (component: StaticPodComponent) => pod(dir, component).spec.containers[0]!.volumeMounts.map((m) => `${m.name}:${m.mountPath}${m.readOnly ? ':ro' : ''}`);
  assert.ok(mounts('kube-apiserver').includes('k8s-certs:/etc/kubernetes/pki:ro'));
  assert.equal(mounts('etcd'), ['etcd-certs:/etc/kubernetes/pki/etcd', 'etcd-data:/var/lib/etcd']);
  assert.equal(mounts('kube-scheduler'), ['kubeconfig:/etc/kubernetes/scheduler.conf:ro']);
  assert.ok(mounts('kube-controller-manager').includes('kubeconfig:/etc/kubernetes/controller-manager.conf:ro'));
});

test('an IPv6 control plane dials etcd on ::1 and brackets its addresses', () => {
  const cluster = resolveClusterOptions({ ...TEST_CLUSTER, advertiseAddress: 'fd00::10', serviceCidr: 'fd00:96::/112' });
  const value = (component: StaticPodComponent, flag: string) => expectedFlags(component, cluster, KUBEADM_SPECS).find((f) => f.flag === flag)?.value;
  assert.is(value('kube-apiserver', '--etcd-servers'), 'https://[::1]:2379');
  assert.is(value('etcd', '--listen-client-urls'), 'https://[::1]:2379,https://[fd00::10]:2379');
  assert.is(value('etcd', '--initial-cluster'), 'controlplane=https://[fd00::10]:2380');
});

test('with the CA key off the node, kubeadm leaves the controller-manager signing flags empty', () => {
  const cluster = resolveClusterOptions(TEST_CLUSTER);
  const signing = expectedFlags('kube-controller-manager', cluster, KUBEADM_SPECS, { externalCa: true }).filter((f) => f.flag.startsWith('--cluster-signing-'));
  assert.equal(signing.map((f) => [f.flag, f.value]), [['--cluster-signing-cert-file', ''], ['--cluster-signing-key-file', '']]);
});

test('check-manifests: a fresh sandbox passes every flag; each file flag is checked for kind, chain, usage and pair', async () => {
  const { dir } = await makeSandbox();
  const report = checkManifests(dir);
  assert.ok(report.ok, JSON.stringify(failing(dir)));
  const files = report.flags.filter((flag) => flag.kind === 'file');
  const expectedFileFlags = KUBEADM_SPECS.flatMap((spec) => spec.usedBy.filter((use) => STATIC_POD_COMPONENTS.includes(use.component as StaticPodComponent)));
  assert.is(files.length, expectedFileFlags.length, 'one verdict per usedBy row of a static Pod');
  const message = (component: string, flag: string) => files.find((f) => f.component === component && f.flag === flag)?.message ?? '';
  assert.match(message('kube-apiserver', '--etcd-cafile'), /the etcd CA \(CN=etcd-ca\)/);
  assert.match(message('kube-apiserver', '--tls-cert-file'), /CN=kube-apiserver, signed by ca, serverAuth/);
  assert.match(message('kube-apiserver', '--etcd-keyfile'), /private key of the certificate that --etcd-certfile names/);
  assert.match(message('kube-apiserver', '--service-account-key-file'), /public half of the key that --service-account-signing-key-file names/);
  assert.match(message('kube-scheduler', '--kubeconfig'), /CN=system:kube-scheduler, signed by ca, clientAuth/);
});

test('check-manifests names what is wrong: another CA, a file outside the volumes, a typo, a certificate with another key, the wrong identity, the wrong usage', async () => {
  const { dir } = await makeSandbox();
  editFlag(dir, 'kube-apiserver', '--client-ca-file', '/etc/kubernetes/pki/front-proxy-ca.crt');
  editFlag(dir, 'etcd', '--trusted-ca-file', '/etc/kubernetes/pki/ca.crt');
  editFlag(dir, 'kube-apiserver', '--tls-cert-file', '/etc/kubernetes/pki/apiserver.cert');
  editFlag(dir, 'kube-apiserver', '--etcd-certfile', '/etc/kubernetes/pki/etcd/server.crt');
  // another identity's kubeconfig where the container can see it
  copyFileSync(join(dir, 'scheduler.conf'), join(dir, 'pki', 'scheduler-copy.conf'));
  editFlag(dir, 'kube-controller-manager', '--kubeconfig', '/etc/kubernetes/pki/scheduler-copy.conf');
  editFlag(dir, 'kube-controller-manager', '--root-ca-file', '/etc/kubernetes/pki/apiserver.crt');
  const wrong = new Map(failing(dir).map((flag) => [`${flag.component} ${flag.flag}`, flag.message]));
  assert.match(wrong.get('kube-apiserver --client-ca-file') ?? '', /is the front-proxy CA \(CN=front-proxy-ca\), not the right one: --client-ca-file needs the cluster CA \(CN=kubernetes, pki\/ca\.crt\)/);
  assert.match(wrong.get('etcd --trusted-ca-file') ?? '', /^open \/etc\/kubernetes\/pki\/ca\.crt: no such file or directory \(the container sees only its volumes: \/etc\/kubernetes\/pki\/etcd, \/var\/lib\/etcd\)$/);
  assert.match(wrong.get('kube-apiserver --tls-cert-file') ?? '', /^open \/etc\/kubernetes\/pki\/apiserver\.cert: no such file or directory$/);
  assert.match(wrong.get('kube-apiserver --etcd-certfile') ?? '', /is CN=controlplane \(pki\/etcd\/server\.crt\): --etcd-certfile needs pki\/apiserver-etcd-client\.crt/);
  assert.match(wrong.get('kube-apiserver --etcd-keyfile') ?? '', /does not belong to the certificate that --etcd-certfile names: key values mismatch/);
  assert.match(wrong.get('kube-controller-manager --kubeconfig') ?? '', /is the identity CN=system:kube-scheduler: it needs controller-manager\.conf \(CN=system:kube-controller-manager\)/);
  assert.match(wrong.get('kube-controller-manager --root-ca-file') ?? '', /is not a CA certificate \(CN=kube-apiserver, pki\/apiserver\.crt\)/);
  assert.is(wrong.size, 7, [...wrong.keys()].join(', '));

  const usage = await makeSandbox();
  await breakCertificate({ dir: usage.dir, certificate: 'apiserver-etcd-client', fault: 'wrong-usage' });
  assert.match(failing(usage.dir).map((f) => `${f.flag}: ${f.message}`).join('\n'), /--etcd-certfile: CN=kube-apiserver-etcd-client: x509: certificate specifies an incompatible key usage \(needs clientAuth, has serverAuth\)/);
});

test('a manifest the kubelet cannot parse, or one that is missing, is reported and its component does not run', async () => {
  const { dir } = await makeSandbox();
  writeFileSync(join(dir, 'manifests', 'etcd.yaml'), 'apiVersion: v1\nkind Pod\n  spec: [\n');
  const report = checkManifests(dir);
  const etcd = report.manifests.find((m) => m.component === 'etcd')!;
  assert.is(etcd.status, 'invalid');
  assert.match(etcd.problem ?? '', /^manifests\/etcd\.yaml: couldn't parse as pod \(yaml: line \d+: /);
  assert.not.ok(report.ok);
  const toEtcd = await runHandshake({ dir, server: 'etcd/server', client: 'apiserver-etcd-client' });
  assert.is(toEtcd.failure?.side, 'server');
  assert.match(toEtcd.failure!.message, /^etcd is not running: manifests\/etcd\.yaml: couldn't parse as pod/);
  const { dir: moved } = await makeSandbox();
  // the classic restart: the manifest moved out of the directory, and not moved back
  copyFileSync(join(moved, 'manifests', 'kube-apiserver.yaml'), join(moved, 'kube-apiserver.yaml.bak'));
  writeFileSync(join(moved, 'manifests', 'kube-apiserver.yaml'), '');
  assert.is(readManifest(moved, 'kube-apiserver').status, 'invalid');
  // a "billion laughs" of aliases is a manifest that cannot be parsed, not an internal error
  const laughs = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, index) => `${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[index]}`).join(', ')}]`), 'kind: Pod'].join('\n');
  writeFileSync(join(moved, 'manifests', 'kube-apiserver.yaml'), laughs);
  assert.match(readManifest(moved, 'kube-apiserver').problem ?? '', /couldn't parse as pod \(yaml: .*alias/i);
  // and so much YAML that parsing it would take minutes is refused before it is parsed
  writeFileSync(join(moved, 'manifests', 'kube-apiserver.yaml'), `kind: Pod\nspec: [${'1,'.repeat(30_000)}]\n`);
  assert.throws(() => readManifest(moved, 'kube-apiserver'), /kube-apiserver\.yaml: more than 20000 lines and list items/);
});

test('wrong-path: the default wrong file per kind, --flag, --to and typo; refused where no manifest names the file', async () => {
  const { dir } = await makeSandbox();
  const cases: [string, string | undefined, string | undefined, string, string][] = [
    ['ca', undefined, undefined, 'kube-apiserver --client-ca-file', '/etc/kubernetes/pki/front-proxy-ca.crt'],
    ['etcd/ca', undefined, undefined, 'kube-apiserver --etcd-cafile', '/etc/kubernetes/pki/ca.crt'],
    ['apiserver-etcd-client', undefined, undefined, 'kube-apiserver --etcd-certfile', '/etc/kubernetes/pki/etcd/server.crt'],
    ['etcd/ca', 'etcd:--peer-trusted-ca-file', undefined, 'etcd --peer-trusted-ca-file', '/etc/kubernetes/pki/ca.crt'],
    ['front-proxy-client', '--proxy-client-key-file', 'typo', 'kube-apiserver --proxy-client-key-file', '/etc/kubernetes/pki/front-proyx-client.key'],
    ['controller-manager', undefined, 'pki/elsewhere.conf', 'kube-controller-manager --kubeconfig', '/etc/kubernetes/pki/elsewhere.conf'],
  ];
  for (const [certificate, flag, to, where, value] of cases) {
    const result = await breakCertificate({ dir, certificate, fault: 'wrong-path', flag, to });
    assert.is(`${result.manifest?.component} ${result.manifest?.flag}`, where, certificate);
    assert.is(result.manifest?.value, value, certificate);
    const [component, name] = where.split(' ') as [StaticPodComponent, string];
    assert.is(flagsOf(dir, component).get(name), value, 'written into the manifest');
  }
  await rejects(() => breakCertificate({ dir, certificate: 'etcd/healthcheck-client', fault: 'wrong-path' }), /no static Pod manifest names etcd\/healthcheck-client/);
  await rejects(() => breakCertificate({ dir, certificate: 'apiserver', fault: 'wrong-path', flag: '--etcd-cafile' }), /no manifest flag "--etcd-cafile" names apiserver/);
});

test('renew and fix make certificates, not manifests: they name a flag still pointing elsewhere', async () => {
  const { dir } = await makeSandbox();
  await breakCertificate({ dir, certificate: 'apiserver-etcd-client', fault: 'wrong-path' });
  const [fixed] = await fixCertificates({ dir, certificate: 'apiserver-etcd-client' });
  const wrong = 'manifests/kube-apiserver.yaml: --etcd-certfile=/etc/kubernetes/pki/etcd/server.crt (kubeadm: /etc/kubernetes/pki/apiserver-etcd-client.crt)';
  assert.equal(fixed?.misnamedFlags, [wrong]);
  assert.not.ok(checkManifests(dir).ok, 'the manifest is left as it was');
  const cli = runCli(['pki', 'renew', '--dir', dir, '--cert', 'apiserver-etcd-client']);
  assert.is(cli.status, 0, cli.stderr);
  assert.ok(cli.stdout.includes(`still wrong in a manifest: ${wrong}; edit the manifest (renew makes certificates, not manifests)`), cli.stdout);
  editFlag(dir, 'kube-apiserver', '--etcd-certfile', '/etc/kubernetes/pki/apiserver-etcd-client.crt');
  const [clean] = await fixCertificates({ dir, certificate: 'apiserver-etcd-client' });
  assert.equal(clean?.misnamedFlags, []);
});

test('a key flag is checked against the certificate flag of its own pair', async () => {
  const { dir } = await makeSandbox();
  const messageOf = (component: StaticPodComponent, flag: string) => checkManifests(dir).flags.find((f) => f.component === component && f.flag === flag)?.message;
  // ca.crt is named by --client-ca-file too, but the signing key pairs with the signing certificate
  assert.is(messageOf('kube-controller-manager', '--cluster-signing-key-file'), 'the private key of the certificate that --cluster-signing-cert-file names');
  assert.is(messageOf('kube-apiserver', '--tls-private-key-file'), 'the private key of the certificate that --tls-cert-file names');
  assert.is(messageOf('etcd', '--peer-key-file'), 'the private key of the certificate that --peer-cert-file names');
});

test('check-manifests tells a wrong file in a right flag (pki fix) from a flag naming the wrong file (edit)', async () => {
  const { dir } = await makeSandbox();
  await breakCertificate({ dir, certificate: 'apiserver', fault: 'wrong-usage' });
  const content = runCli(['pki', 'check-manifests', '--dir', dir]);
  assert.is(content.status, 1);
  assert.match(content.stdout, /the manifests name the right file for apiserver, but what it holds is wrong: `kubetls pki fix --dir .* --cert apiserver` re-creates it/);
  assert.not.match(content.stdout, /problems? in the manifests/);
  await fixCertificates({ dir, certificate: 'apiserver' });
  await breakCertificate({ dir, certificate: 'apiserver', fault: 'wrong-path' });
  const path = runCli(['pki', 'check-manifests', '--dir', dir]);
  assert.match(path.stdout, /1 problem in the manifests: edit them/);
  assert.not.match(path.stdout, /pki fix/, 'the key that no longer pairs is the manifest\'s doing too');
});

test('the edit keeps the rest of the manifest as the learner left it', async () => {
  const { dir } = await makeSandbox();
  const file = join(dir, 'manifests', 'kube-apiserver.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('    - --secure-port=6443', '    - --secure-port=6443   # checked on Monday'));
  await breakCertificate({ dir, certificate: 'etcd/ca', fault: 'wrong-path' });
  const text = readFileSync(file, 'utf8');
  assert.match(text, /- --secure-port=6443 {3}# checked on Monday/);
  assert.match(text, /- --etcd-cafile=\/etc\/kubernetes\/pki\/ca\.crt\n/);
});

test('handshakes present what the manifests name, so the real error shows', async () => {
  const { dir } = await makeSandbox();
  assert.ok((await runHandshake({ dir, server: 'apiserver', client: 'admin' })).ok);
  // the apiserver serving with its kubelet client pair: a complete pair, so it starts, and the client sees the wrong certificate
  editFlag(dir, 'kube-apiserver', '--tls-cert-file', '/etc/kubernetes/pki/apiserver-kubelet-client.crt');
  editFlag(dir, 'kube-apiserver', '--tls-private-key-file', '/etc/kubernetes/pki/apiserver-kubelet-client.key');
  const presented = await runHandshake({ dir, server: 'apiserver', client: 'admin' });
  assert.is(presented.failure?.side, 'client');
  assert.ok(presented.steps.some((step) => step.text.includes('server presents CN=kube-apiserver-kubelet-client')), JSON.stringify(presented.steps));
  assert.ok(presented.steps.some((step) => step.text.includes('pki/apiserver-kubelet-client.crt (--tls-cert-file in manifests/kube-apiserver.yaml)')));
  // the apiserver checking etcd with the cluster CA
  const { dir: etcdCa } = await makeSandbox();
  await breakCertificate({ dir: etcdCa, certificate: 'etcd/ca', fault: 'wrong-path' });
  const toEtcd = await runHandshake({ dir: etcdCa, server: 'etcd/server', client: 'apiserver-etcd-client' });
  assert.is(toEtcd.failure?.side, 'client');
  assert.match(toEtcd.failure!.message, /self-signed certificate in certificate chain|unable to (verify the first certificate|get local issuer certificate)/);
  assert.ok(toEtcd.steps.some((step) => step.text.includes('trusts servers signed by the CA in --etcd-cafile (pki/ca.crt)')));
  // a typo: nothing listens
  const { dir: typo } = await makeSandbox();
  await breakCertificate({ dir: typo, certificate: 'apiserver', fault: 'wrong-path', to: 'typo' });
  const refused = await runHandshake({ dir: typo, server: 'apiserver', client: 'admin' });
  assert.equal([refused.failure?.side, refused.failure?.code], ['server', 'ENOENT']);
  assert.match(refused.failure!.message, /^kube-apiserver is not running: open \/etc\/kubernetes\/pki\/apisrever\.crt: no such file or directory$/);
  assert.ok(refused.steps.some((step) => step.text === 'client cannot connect: connect ECONNREFUSED 192.168.56.10:6443'));
  // renewing certificates does not touch a manifest; setting the flag back does
  await renewCertificates({ dir: typo, certificate: 'all' });
  await fixCertificates({ dir: typo, certificate: 'apiserver' });
  assert.not.ok((await runHandshake({ dir: typo, server: 'apiserver', client: 'admin' })).ok);
  editFlag(typo, 'kube-apiserver', '--tls-cert-file', '/etc/kubernetes/pki/apiserver.crt');
  assert.ok((await runHandshake({ dir: typo, server: 'apiserver', client: 'admin' })).ok);
  assert.ok(checkManifests(typo).ok);
});

test('a sandbox made with the CA key in SoftHSM has empty signing flags, passes the check and still shakes hands', async () => {
  const dir = join(tempDir(), 'hsm');
  await initSandbox({ dir, cluster: { ...TEST_CLUSTER, keyType: 'rsa-2048' }, caInHsm: {} });
  const flags = flagsOf(dir, 'kube-controller-manager');
  assert.equal([flags.get('--cluster-signing-cert-file'), flags.get('--cluster-signing-key-file')], ['', '']);
  const report = checkManifests(dir);
  assert.ok(report.ok, JSON.stringify(report.flags.filter((f) => !f.ok)));
  assert.match(report.flags.find((f) => f.flag === '--cluster-signing-key-file')!.message, /empty on purpose: the CA key is not on this node/);
  assert.ok((await runHandshake({ dir, server: 'apiserver', client: 'controller-manager' })).ok);
});

test('the hard way has no static Pods: no manifests, wrong-path refused, handshakes as before', async () => {
  const dir = join(tempDir(), 'hard');
  const made: InitResult = await initSandbox({ dir, profile: 'hard-way', cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } });
  assert.not.ok(made.files.some((file) => file.includes('/manifests/')));
  await rejects(() => breakCertificate({ dir, certificate: 'kube-api-server', fault: 'wrong-path' }), /wrong-path edits a static Pod manifest, and this sandbox has none/);
  assert.ok((await runHandshake({ dir, server: 'kube-api-server', client: 'admin' })).ok);
});

test('CLI: pki check-manifests lists every file flag and exits 1 on a wrong one; pki break --fault wrong-path says how to see and repair it; bad input is one line', async () => {
  const { dir } = await makeSandbox();
  const healthy = runCli(['pki', 'check-manifests', '--dir', dir]);
  assert.is(healthy.status, 0, healthy.stderr);
  assert.match(healthy.stdout, /^manifests\/etcd\.yaml$/m);
  assert.match(healthy.stdout, /^ {2}✓ --etcd-cafile=\/etc\/kubernetes\/pki\/etcd\/ca\.crt {2}the etcd CA \(CN=etcd-ca\)$/m);
  assert.match(healthy.stdout, /every flag names the file kubeadm wires in/);
  const broke = runCli(['pki', 'break', '--dir', dir, '--cert', 'apiserver-etcd-client', '--fault', 'wrong-path']);
  assert.is(broke.status, 0, broke.stderr);
  assert.match(broke.stdout, /Broke the wiring of apiserver-etcd-client: manifests\/kube-apiserver\.yaml: --etcd-certfile=\/etc\/kubernetes\/pki\/etcd\/server\.crt \(kubeadm: \/etc\/kubernetes\/pki\/apiserver-etcd-client\.crt\)/);
  assert.match(broke.stdout, /See it fail: kubetls handshake --dir .* --server etcd\/server --client apiserver-etcd-client/);
  const check = runCli(['pki', 'check-manifests', '--dir', dir]);
  assert.is(check.status, 1);
  assert.match(check.stdout, /^ {2}✗ --etcd-certfile=\/etc\/kubernetes\/pki\/etcd\/server\.crt \(line \d+\) {2}is CN=controlplane/m);
  const json = JSON.parse(runCli(['pki', 'check-manifests', '--dir', dir, '--json']).stdout) as { ok: boolean; flags: { flag: string; ok: boolean }[] };
  assert.equal([json.ok, json.flags.filter((f) => !f.ok).map((f) => f.flag)], [false, ['--etcd-certfile', '--etcd-keyfile']]);
  const show = runCli(['pki', 'show', '--dir', dir]);
  assert.match(show.stdout, /static Pod manifests/);
  assert.match(show.stdout, /manifests\/kube-apiserver\.yaml {2}--etcd-certfile=\/etc\/kubernetes\/pki\/etcd\/server\.crt: is CN=controlplane/);
  assertOneLineError(runCli(['pki', 'break', '--dir', dir, '--cert', 'apiserver', '--fault', 'expired', '--flag', '--tls-cert-file']), /--flag and --to go with --fault wrong-path/, 'flag without wrong-path');
  assertOneLineError(runCli(['pki', 'check-manifests', '--dir', join(dir, 'nope')]), /is not a kubetls sandbox/, 'not a sandbox');
});

test.run();
