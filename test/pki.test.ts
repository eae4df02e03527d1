import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { initSandbox, loadIdentity, parseCertificateDer, firstAddressOfCidr, parseTime, resolveClusterOptions, type InitResult } from '../src/pki/index.js';
import { decodePemBlocks } from '../src/pki/certificates/pem.js';
import { makeSandbox, rejects, removeTempDirs, tempDir, TEST_CLUSTER } from './helpers.js';
import { isKubetlsError } from '../src/errors.js';

/**
 * The kubeadm certificate set, written out from ../shared/reference/kubeadm-pki.md (not derived from
 * src/pki/certificates/spec.ts, so a wrong row in the table fails here).
 */
interface Expected {
  file: string;
  signer: string | 'self';
  cn: string;
  o: string[];
  eku: string[];
  dns: string[];
  ip: string[];
}

const APISERVER_DNS = ['controlplane', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
const ETCD_SANS = { dns: ['controlplane', 'localhost'], ip: ['192.168.56.10', '127.0.0.1', '::1'] };

const EXPECTED: Expected[] = [
  { file: 'pki/ca.crt', signer: 'self', cn: 'kubernetes', o: [], eku: [], dns: ['kubernetes'], ip: [] },
  { file: 'pki/apiserver.crt', signer: 'kubernetes', cn: 'kube-apiserver', o: [], eku: ['serverAuth'], dns: APISERVER_DNS, ip: ['10.96.0.1', '192.168.56.10'] },
  { file: 'pki/apiserver-kubelet-client.crt', signer: 'kubernetes', cn: 'kube-apiserver-kubelet-client', o: ['kubeadm:cluster-admins'], eku: ['clientAuth'], dns: [], ip: [] },
  { file: 'pki/front-proxy-ca.crt', signer: 'self', cn: 'front-proxy-ca', o: [], eku: [], dns: ['front-proxy-ca'], ip: [] },
  { file: 'pki/front-proxy-client.crt', signer: 'front-proxy-ca', cn: 'front-proxy-client', o: [], eku: ['clientAuth'], dns: [], ip: [] },
  { file: 'pki/etcd/ca.crt', signer: 'self', cn: 'etcd-ca', o: [], eku: [], dns: ['etcd-ca'], ip: [] },
  { file: 'pki/etcd/server.crt', signer: 'etcd-ca', cn: 'controlplane', o: [], eku: ['serverAuth', 'clientAuth'], ...ETCD_SANS },
  { file: 'pki/etcd/peer.crt', signer: 'etcd-ca', cn: 'controlplane', o: [], eku: ['serverAuth', 'clientAuth'], ...ETCD_SANS },
  { file: 'pki/etcd/healthcheck-client.crt', signer: 'etcd-ca', cn: 'kube-etcd-healthcheck-client', o: [], eku: ['clientAuth'], dns: [], ip: [] },
  { file: 'pki/apiserver-etcd-client.crt', signer: 'etcd-ca', cn: 'kube-apiserver-etcd-client', o: [], eku: ['clientAuth'], dns: [], ip: [] },
  { file: 'admin.conf', signer: 'kubernetes', cn: 'kubernetes-admin', o: ['kubeadm:cluster-admins'], eku: ['clientAuth'], dns: [], ip: [] },
  { file: 'super-admin.conf', signer: 'kubernetes', cn: 'kubernetes-super-admin', o: ['system:masters'], eku: ['clientAuth'], dns: [], ip: [] },
  { file: 'controller-manager.conf', signer: 'kubernetes', cn: 'system:kube-controller-manager', o: [], eku: ['clientAuth'], dns: [], ip: [] },
  { file: 'scheduler.conf', signer: 'kubernetes', cn: 'system:kube-scheduler', o: [], eku: ['clientAuth'], dns: [], ip: [] },
  { file: 'kubelet.conf', signer: 'kubernetes', cn: 'system:node:controlplane', o: ['system:nodes'], eku: ['clientAuth'], dns: [], ip: [] },
];

const DAY = 86_400_000;
const NOW = new Date('2026-03-01T12:00:00Z');

let rsa: InitResult;
let ecdsa: InitResult;

test.before(async () => {
  rsa = await initSandbox({ dir: tempDir(), cluster: { ...TEST_CLUSTER, keyType: 'rsa-2048', now: NOW } });
  ecdsa = await initSandbox({ dir: tempDir(), cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256', now: NOW } });
});
test.after(removeTempDirs);

function certificateIn(dir: string, file: string) {
  const text = readFileSync(join(dir, file), 'utf8');
  if (file.endsWith('.conf')) {
    const config = parse(text) as { users: { user: Record<string, string> }[] };
    const pem = Buffer.from(config.users[0]!.user['client-certificate-data']!, 'base64').toString('utf8');
    return parseCertificateDer(decodePemBlocks(pem)[0]!.der);
  }
  return parseCertificateDer(decodePemBlocks(text)[0]!.der);
}

for (const row of EXPECTED) {
  test(`${row.file}: subject, issuer, usages, SANs, validity (RSA and ECDSA)`, () => {
    for (const [sandbox, keyType] of [[rsa, 'rsa'], [ecdsa, 'ec']] as const) {
      const cert = certificateIn(sandbox.dir, row.file);
      const isCA = row.signer === 'self';
      assert.is(cert.subject.commonName, row.cn, `${row.file} CN`);
      assert.equal(cert.subject.organizations, row.o, `${row.file} O`);
      assert.is(cert.issuer.commonName, isCA ? row.cn : row.signer, `${row.file} issuer`);
      assert.equal(cert.extKeyUsage ?? [], row.eku, `${row.file} EKU`);
      assert.equal(cert.subjectAltNames.dns, row.dns, `${row.file} DNS SANs`);
      assert.equal(cert.subjectAltNames.ip, row.ip, `${row.file} IP SANs`);
      assert.is(cert.basicConstraints?.isCA, isCA, `${row.file} CA flag`);
      assert.is(cert.publicKey.type, keyType);
      assert.is(cert.publicKey.bits, keyType === 'rsa' ? 2048 : 256);
      const expectedKeyUsage = isCA
        ? ['digitalSignature', 'keyEncipherment', 'keyCertSign']
        : keyType === 'rsa' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'];
      assert.equal(cert.keyUsage, expectedKeyUsage, `${row.file} key usage`);
      // CAs: 10 years, backdated 5 minutes; leaves: 1 year, starting when their CA does
      const lifetime = cert.notAfter.getTime() - NOW.getTime();
      assert.is(Math.round(lifetime / DAY), isCA ? 3650 : 365, `${row.file} validity`);
      assert.is(NOW.getTime() - cert.notBefore.getTime(), 5 * 60_000, `${row.file} notBefore`);
      assert.is(cert.version, 3);
    }
  });
}

test('every certificate verifies against its CA with node:crypto, ECDSA signatures included', () => {
  for (const sandbox of [rsa, ecdsa]) {
    const cas = new Map(['kubernetes', 'front-proxy-ca', 'etcd-ca'].map((cn) => {
      const file = cn === 'kubernetes' ? 'pki/ca.crt' : cn === 'etcd-ca' ? 'pki/etcd/ca.crt' : 'pki/front-proxy-ca.crt';
      return [cn, new X509Certificate(readFileSync(join(sandbox.dir, file)))];
    }));
    for (const row of EXPECTED) {
      const cert = new X509Certificate(certificateIn(sandbox.dir, row.file).der);
      const ca = cas.get(row.signer === 'self' ? row.cn : row.signer)!;
      assert.ok(cert.checkIssued(ca), `${row.file} issued by ${row.signer}`);
      assert.ok(cert.verify(ca.publicKey), `${row.file} signature`);
    }
  }
  const signature = certificateIn(ecdsa.dir, 'pki/apiserver.crt').signatureAlgorithm.name;
  assert.is(signature, 'ecdsa-with-SHA256');
  assert.is(certificateIn(rsa.dir, 'pki/apiserver.crt').signatureAlgorithm.name, 'sha256WithRSAEncryption');
});

test('kubeadm layout with keys 0600, directories 0700, certificates 0644', () => {
  const dir = rsa.dir;
  const mode = (path: string) => statSync(join(dir, path)).mode & 0o777;
  for (const d of ['.', 'pki', 'pki/etcd']) assert.is(mode(d), 0o700, `${d} is 0700`);
  const keys = ['ca', 'apiserver', 'apiserver-kubelet-client', 'front-proxy-ca', 'front-proxy-client', 'etcd/ca', 'etcd/server', 'etcd/peer', 'etcd/healthcheck-client', 'apiserver-etcd-client', 'sa'];
  for (const key of keys) assert.is(mode(`pki/${key}.key`), 0o600, `${key}.key is 0600`);
  assert.is(mode('pki/sa.pub'), 0o600);
  for (const conf of ['admin.conf', 'super-admin.conf', 'controller-manager.conf', 'scheduler.conf', 'kubelet.conf']) assert.is(mode(conf), 0o600, conf);
  for (const row of EXPECTED.filter((r) => r.file.endsWith('.crt'))) assert.is(mode(row.file), 0o644, row.file);
  assert.match(readFileSync(join(dir, 'pki/apiserver.key'), 'utf8'), /^-----BEGIN RSA PRIVATE KEY-----/);
  assert.match(readFileSync(join(ecdsa.dir, 'pki/apiserver.key'), 'utf8'), /^-----BEGIN EC PRIVATE KEY-----/);
  assert.match(readFileSync(join(dir, 'pki/sa.pub'), 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
  assert.not.ok(existsSync(join(dir, 'pki/ca.key.tmp-' + process.pid)), 'no temporary files left');
});

test('16 keys: 10 certificate keys, sa, and 5 kubeconfig users', () => {
  assert.is(rsa.material.size, 16);
  const distinct = new Set([...rsa.material.values()].map((m) => m.keyPair!.publicKey.export({ type: 'spki', format: 'der' }).toString('hex')));
  assert.is(distinct.size, 16, 'every key is its own');
});

test('kubeconfig files: one cluster, one user, one context, certificates embedded', () => {
  const config = parse(readFileSync(join(ecdsa.dir, 'admin.conf'), 'utf8')) as Record<string, any>;
  assert.is(config['kind'], 'Config');
  assert.is(config['clusters'][0].name, 'kubernetes');
  assert.is(config['clusters'][0].cluster.server, 'https://192.168.56.10:6443');
  const caData = Buffer.from(config['clusters'][0].cluster['certificate-authority-data'], 'base64').toString('utf8');
  assert.is(caData, readFileSync(join(ecdsa.dir, 'pki/ca.crt'), 'utf8'));
  assert.is(config['users'][0].name, 'kubernetes-admin');
  assert.is(config['contexts'][0].name, 'kubernetes-admin@kubernetes');
  assert.is(config['current-context'], 'kubernetes-admin@kubernetes');
  const kubelet = parse(readFileSync(join(ecdsa.dir, 'kubelet.conf'), 'utf8')) as Record<string, any>;
  assert.is(kubelet['users'][0].name, 'system:node:controlplane');
  const identity = loadIdentity(ecdsa.dir, 'admin');
  assert.ok(new X509Certificate(identity.certificate.der).checkPrivateKey(identity.keyPair.privateKey), 'embedded key matches embedded cert');
});

test('never overwrites a PKI without force; force replaces it', async () => {
  const sandbox = await makeSandbox();
  const before = readFileSync(join(sandbox.dir, 'pki/ca.crt'), 'utf8');
  try {
    await initSandbox({ dir: sandbox.dir, cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } });
    assert.unreachable('should refuse');
  } catch (error) {
    assert.match(String(error), /already holds a PKI/);
  }
  assert.is(readFileSync(join(sandbox.dir, 'pki/ca.crt'), 'utf8'), before, 'untouched');
  // a user the old CA vouched for goes with it: a certificate from another CA would look like the cluster's
  mkdirSync(join(sandbox.dir, 'users'), { recursive: true });
  writeFileSync(join(sandbox.dir, 'users/alice.crt'), before);
  await initSandbox({ dir: sandbox.dir, force: true, cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } });
  assert.is.not(readFileSync(join(sandbox.dir, 'pki/ca.crt'), 'utf8'), before, 'replaced');
  assert.not.ok(existsSync(join(sandbox.dir, 'users')), 'users/ removed with the old CA');
});

test('a directory holding anything kubetls did not write is refused by name, and nothing is written', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  mkdirSync(join(dir, 'photos'));
  symlinkSync('/etc', join(dir, 'etc-link'));
  const before = readdirSync(dir).sort();
  await rejects(() => initSandbox({ dir, cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } }), /holds files kubetls did not write: etc-link, notes\.txt, photos\//);
  assert.equal(readdirSync(dir).sort(), before, 'nothing written');
  // in a sandbox of its own, what is not in its record is named too
  const sandbox = await makeSandbox();
  writeFileSync(join(sandbox.dir, 'pki', 'my-own.pem'), 'mine');
  symlinkSync('/etc/hostname', join(sandbox.dir, 'pki', 'front-proxy-ca.crt.bak'));
  await rejects(() => initSandbox({ dir: sandbox.dir, cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } }), /holds files kubetls did not write: pki\/front-proxy-ca\.crt\.bak, pki\/my-own\.pem$/);
});

test('with --force: a link is moved aside, never followed out of the directory; modes of directories it did not make are kept; what it replaces is backed up', async () => {
  const dir = tempDir();
  const outside = tempDir();
  const outsideFile = join(outside, 'precious.conf');
  writeFileSync(outsideFile, 'precious');
  chmodSync(outside, 0o755);
  chmodSync(dir, 0o750);
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  symlinkSync(outside, join(dir, 'pki'));
  symlinkSync(outsideFile, join(dir, 'admin.conf'));
  symlinkSync(outsideFile, join(dir, `scheduler.conf.tmp-${process.pid}`));
  const made = await initSandbox({ dir, force: true, cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } });
  assert.equal(readdirSync(outside), ['precious.conf'], 'nothing written through the pki link');
  assert.is(readFileSync(outsideFile, 'utf8'), 'precious', 'nothing written through the admin.conf link or a planted temporary file');
  assert.is(statSync(outside).mode & 0o777, 0o755);
  assert.is(statSync(dir).mode & 0o777, 0o750, 'the directory it did not create keeps its mode');
  assert.is(statSync(join(dir, 'pki')).mode & 0o777, 0o700, 'the pki/ it made is private');
  assert.ok(lstatSync(join(dir, 'pki')).isDirectory() && lstatSync(join(dir, 'admin.conf')).isFile());
  assert.is(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine', 'what it does not replace stays');
  const backup = made.backup!;
  assert.match(backup, /kubetls-backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
  assert.is(statSync(backup).mode & 0o777, 0o700);
  assert.is(readlinkSync(join(backup, 'pki')), outside, 'the links themselves are kept');
  assert.is(readlinkSync(join(backup, 'admin.conf')), outsideFile);
  // a second --force keeps the first PKI, byte for byte, in a backup of its own
  const ca = readFileSync(join(dir, 'pki/ca.key'));
  const again = await initSandbox({ dir, force: true, cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } });
  assert.is.not(again.backup, backup);
  assert.ok(readFileSync(join(again.backup!, 'pki/ca.key')).equals(ca));
  assert.is(statSync(join(again.backup!, 'pki/ca.key')).mode & 0o777, 0o600);
  assert.ok(existsSync(join(again.backup!, 'kubetls-sandbox.json')) && existsSync(join(again.backup!, 'manifests')));
  // and a later init without --force is refused only for the PKI, not for its own backups
  await rejects(() => initSandbox({ dir, cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } }), /holds files kubetls did not write: notes\.txt$/);
  rmSync(join(dir, 'notes.txt'));
  await rejects(() => initSandbox({ dir, cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } }), /already holds a PKI/);
});

test('forced inits keep the newest three backups and remove the older ones, never a link or anything else', async () => {
  const dir = join(tempDir(), 'lab');
  await initSandbox({ dir, cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } });
  // a teacher's own folder and a link that only look like backups by name stay
  mkdirSync(join(dir, 'notes'));
  const outside = tempDir();
  symlinkSync(outside, join(dir, 'kubetls-backup-0000-link'));
  const made: string[] = [];
  const removed: string[] = [];
  for (let round = 0; round < 5; round++) {
    const result = await initSandbox({ dir, force: true, cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } });
    made.push(result.backup!);
    removed.push(...result.removedBackups);
  }
  assert.equal(removed, made.slice(0, 2), 'the two oldest went, oldest first');
  const left = readdirSync(dir).filter((name) => name.startsWith('kubetls-backup-')).sort();
  assert.equal(left, ['kubetls-backup-0000-link', ...made.slice(2).map((path) => basename(path))].sort());
  assert.ok(lstatSync(join(dir, 'kubetls-backup-0000-link')).isSymbolicLink() && existsSync(join(dir, 'notes')));
  assert.equal(readdirSync(outside), [], 'nothing removed through the link');
});

test('options: extra SANs, another service CIDR and DNS domain, RSA 3072, validity periods', async () => {
  const sandbox = await initSandbox({
    dir: tempDir(),
    cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256', serviceCidr: '10.100.0.0/16', dnsDomain: 'corp.local', apiServerCertSans: ['k8s.example.com', '203.0.113.7'], certValidityDays: 30, caValidityDays: 365, now: NOW },
  });
  const apiserver = certificateIn(sandbox.dir, 'pki/apiserver.crt');
  assert.ok(apiserver.subjectAltNames.dns.includes('kubernetes.default.svc.corp.local'));
  assert.ok(apiserver.subjectAltNames.dns.includes('k8s.example.com'));
  assert.equal(apiserver.subjectAltNames.ip, ['10.100.0.1', '192.168.56.10', '203.0.113.7']);
  assert.is(Math.round((apiserver.notAfter.getTime() - NOW.getTime()) / DAY), 30);
  assert.is(Math.round((certificateIn(sandbox.dir, 'pki/ca.crt').notAfter.getTime() - NOW.getTime()) / DAY), 365);
  const rsa3072 = await initSandbox({ dir: tempDir(), cluster: { ...TEST_CLUSTER, keyType: 'rsa-3072' } });
  assert.is(certificateIn(rsa3072.dir, 'pki/ca.crt').publicKey.bits, 3072);
});

test('bad options are one clear error each', () => {
  const cases: [Parameters<typeof resolveClusterOptions>[0], RegExp][] = [
    [{ nodeName: 'Bad_Name' }, /node name "Bad_Name" is not a valid DNS-1123 subdomain/],
    [{ advertiseAddress: '10.0.0' }, /advertise address "10.0.0" is not an IP address/],
    [{ serviceCidr: '10.96.0.0' }, /service CIDR "10.96.0.0" is not a valid CIDR/],
    [{ keyType: 'dsa' as never }, /unknown key type "dsa"/],
    [{ apiServerCertSans: ['not valid!'] }, /extra SAN "not valid!"/],
    [{ certValidityDays: 0 }, /certificate validity must be a positive number/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => resolveClusterOptions({ ...TEST_CLUSTER, ...options }), message);
  }
});

test('first address of a service CIDR, IPv4 and IPv6', () => {
  assert.is(firstAddressOfCidr('10.96.0.0/12'), '10.96.0.1');
  assert.is(firstAddressOfCidr('10.100.7.9/16'), '10.100.0.1');
  assert.is(firstAddressOfCidr('fd00:10:96::/112'), 'fd00:10:96::1');
});

test('times: now, ISO dates, offsets; nonsense is refused', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  assert.is(parseTime('now', now).toISOString(), now.toISOString());
  assert.is(parseTime('+400d', now).toISOString(), '2027-02-05T00:00:00.000Z');
  assert.is(parseTime('-1y', now).toISOString(), '2025-01-01T00:00:00.000Z');
  assert.is(parseTime('2027-01-31', now).toISOString(), '2027-01-31T00:00:00.000Z');
  assert.is(parseTime('2027-01-31T12:30:00Z', now).toISOString(), '2027-01-31T12:30:00.000Z');
  assert.throws(() => parseTime('tomorrow', now), /not a time kubetls understands/);
  assert.throws(() => parseTime('2027-13-45', now), /not a time/);
});

test('times: a date that does not exist is refused, not rolled over (30 February became 2 March); so is a time no certificate can state', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  assert.is(parseTime('2028-02-29', now).toISOString(), '2028-02-29T00:00:00.000Z');
  assert.is(parseTime('2027-01-31T12:30:00.25+02:00', now).toISOString(), '2027-01-31T10:30:00.250Z');
  assert.is(parseTime('2027-01-31 23:59', now).getMinutes(), 59, 'a date-time without a zone is local time');
  for (const [text, pattern] of [
    ['2027-02-30', /there is no 2027-02-30 in the calendar/],
    ['2027-02-29', /there is no 2027-02-29 in the calendar/],
    ['2027-04-31', /no 2027-04-31/],
    ['2027-00-10', /no 2027-00-10/],
    ['2027-01-31T24:00:00Z', /no 2027-01-31 24:00:00/],
    ['2027-01-31T12:60', /no 2027-01-31 12:60:00/],
    ['2027-01-31T12:00:00+25:00', /\+25:00 is not a UTC offset/],
    ['+99999999999999999999y', /outside the years 1950 to 9999/],
    ['+9000y', /outside the years 1950 to 9999/],
    ['-100y', /outside the years 1950 to 9999/],
    ['1949-12-31', /outside the years/],
    ['+NaNy', /not a time kubetls understands/],
    ['+1.5d', /not a time kubetls understands/],
  ] as const) {
    assert.throws(() => parseTime(text, now), (error: Error) => isKubetlsError(error) && pattern.test(error.message), text);
  }
});

test.run();
