import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, bundleForAnotherUser, runCli, removeTempDirs, tempDir, assertOneLineError } from './helpers.js';

/** The kubetls command as a learner types it: real process, real files, exit codes and one-line errors. */

let dir: string;
test.before(() => {
  dir = join(tempDir(), 'lab');
});
test.after(removeTempDirs);


test('--version and --help', () => {
  const version = runCli(['--version']);
  assert.is(version.status, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  for (const args of [['--help'], ['pki', '--help'], ['pki', 'init', '--help'], ['verify', '--help'], ['handshake', '--help'], ['csr', 'approve', '--help']]) {
    const help = runCli(args);
    assert.is(help.status, 0, args.join(' '));
    assert.match(help.stdout, /Usage: kubetls/);
  }
  // `kubetls help` and `kubetls help COMMAND`, as git and kubectl have them
  const root = runCli(['help']);
  assert.is(root.status, 0, root.stderr);
  assert.match(root.stdout, /^Usage: kubetls \[options\] \[command\]/);
  const verifyHelp = runCli(['help', 'verify']);
  assert.is(verifyHelp.status, 0, verifyHelp.stderr);
  assert.match(verifyHelp.stdout, /^Usage: kubetls verify/);
});

test('pki init writes the sandbox and draws the chain of trust; a second init is refused', () => {
  const init = runCli(['pki', 'init', '--dir', dir, '--key-type', 'ecdsa-p256', '--node-name', 'controlplane', '--advertise-address', '192.168.56.10']);
  assert.is(init.status, 0, init.stderr);
  assert.match(init.stdout, /Wrote a kubeadm-shaped PKI to .*lab \(16 ecdsa-p256 keys/);
  assert.match(init.stdout, /├── pki\/apiserver\.crt +CN=kube-apiserver/);
  assert.match(init.stdout, /└── pki\/apiserver-etcd-client\.crt +CN=kube-apiserver-etcd-client/);
  assert.ok(existsSync(join(dir, 'pki/etcd/peer.key')));
  assertOneLineError(runCli(['pki', 'init', '--dir', dir]), /already holds a PKI .*add --force/, 'second init');
});

test('inspect: text like openssl, --json for scripts', () => {
  const text = runCli(['inspect', join(dir, 'pki/apiserver.crt')]);
  assert.is(text.status, 0);
  assert.match(text.stdout, /^Certificate:\n    Data:\n        Version: 3 \(0x2\)/);
  assert.match(text.stdout, /X509v3 Subject Alternative Name: \n +DNS:controlplane, DNS:kubernetes/);
  const json = JSON.parse(runCli(['inspect', '--json', join(dir, 'admin.conf')]).stdout) as any[];
  assert.equal(json.map((i) => i.type), ['certificate', 'certificate', 'private-key']);
  assert.equal(json[1].subject.O, ['kubeadm:cluster-admins']);
});

test("verify: exit 0 when good, 1 with Go's reason and kubetls' explanation when not", () => {
  const good = runCli(['verify', join(dir, 'pki/apiserver.crt'), '--ca', join(dir, 'pki/ca.crt'), '--purpose', 'server', '--host', '10.96.0.1']);
  assert.is(good.status, 0, good.stdout);
  assert.match(good.stdout, /apiserver\.crt: OK/);
  const bad = runCli(['verify', join(dir, 'pki/apiserver.crt'), '--ca', join(dir, 'pki/etcd/ca.crt')]);
  assert.is(bad.status, 1);
  assert.match(bad.stdout, /verification failed: x509: certificate signed by unknown authority$/m);
  assert.match(bad.stdout, /why: no CA you trust signed this certificate/);
  const later = runCli(['verify', join(dir, 'pki/apiserver.crt'), '--ca', join(dir, 'pki/ca.crt'), '--at', '+400d', '--json']);
  assert.is(later.status, 1);
  assert.match(JSON.parse(later.stdout).reason, /^x509: certificate has expired or is not yet valid: current time \S+ is after /);
});

test('handshake, break, renew: the learner loop', () => {
  const ok = runCli(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'admin']);
  assert.is(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /identity: user "kubernetes-admin", groups \[kubeadm:cluster-admins, system:authenticated\]/);
  assert.match(ok.stdout, /handshake succeeded/);

  const broke = runCli(['pki', 'break', '--dir', dir, '--cert', 'apiserver', '--fault', 'expired']);
  assert.is(broke.status, 0, broke.stderr);
  const failed = runCli(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'admin']);
  assert.is(failed.status, 1);
  assert.match(failed.stdout, /handshake failed on the client side: certificate has expired \[CERT_HAS_EXPIRED\]/);
  const show = runCli(['pki', 'show', '--dir', dir]);
  assert.match(show.stdout, /pki\/apiserver\.crt +CN=kube-apiserver +broken: expired/);
  const expiration = runCli(['check-expiration', '--dir', dir]);
  assert.match(expiration.stdout, /\napiserver +\w{3} \d\d, \d{4} \d\d:\d\d UTC +<invalid> +ca +no/);

  const renewed = runCli(['pki', 'renew', '--dir', dir, '--cert', 'apiserver']);
  assert.is(renewed.status, 0, renewed.stderr);
  assert.is(runCli(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'admin']).status, 0);
});

test('csr create, approve, list, and a handshake as the new user', () => {
  const created = runCli(['csr', 'create', '--dir', dir, '--user', 'jane', '--group', 'developers']);
  assert.is(created.status, 0, created.stderr);
  assert.match(created.stdout, /kind: CertificateSigningRequest/);
  assert.match(created.stdout, /signerName: kubernetes.io\/kube-apiserver-client/);
  assert.is(runCli(['csr', 'approve', '--dir', dir, '--user', 'jane']).status, 0);
  assert.match(runCli(['csr', 'list', '--dir', dir]).stdout, /jane +kubernetes.io\/kube-apiserver-client +CN=jane O=developers +1d +Approved,Issued/);
  const handshake = runCli(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'users/jane', '--json']);
  assert.is(JSON.parse(handshake.stdout).identity.user, 'jane');
});

test('bad input: one line, exit 2, never a stack trace', () => {
  const scratch = tempDir();
  const garbage = join(scratch, 'garbage.crt');
  writeFileSync(garbage, Buffer.from([0, 1, 2, 3, 250, 251]));
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--bogus'], /unknown option '--bogus'/],
    [['pki', 'init'], /required option '--dir <dir>' not specified/],
    [['pki', 'init', '--dir', join(scratch, 'x'), '--key-type', 'dsa'], /argument 'dsa' is invalid.*rsa-2048/],
    [['pki', 'init', '--dir', join(scratch, 'x'), '--advertise-address', '300.1.1.1'], /advertise address "300.1.1.1" is not an IP address/],
    [['pki', 'init', '--dir', join(scratch, 'x'), '--cert-validity-days', 'ten'], /--cert-validity-days must be a positive whole number/],
    [['pki', 'init', '--dir', join(scratch, 'x'), '--now', 'yesterday'], /"yesterday" is not a time/],
    [['inspect', join(scratch, 'nope.crt')], /nope\.crt: no such file/],
    [['inspect', garbage], /garbage\.crt: not a certificate, certificate request, key or kubeconfig/],
    [['verify', garbage, '--ca', join(dir, 'pki/ca.crt')], /not a certificate/],
    [['verify', join(dir, 'pki/apiserver.crt'), '--ca', join(dir, 'pki/apiserver.key')], /no CA certificate found/],
    [['handshake', '--dir', dir, '--server', 'apiservr', '--client', 'admin'], /unknown certificate "apiservr"/],
    [['handshake', '--dir', scratch, '--server', 'apiserver', '--client', 'admin'], /is not a kubetls sandbox/],
    [['pki', 'break', '--dir', dir, '--cert', 'apiserver', '--fault', 'melted'], /argument 'melted' is invalid/],
    [['pki', 'renew', '--dir', dir, '--cert', 'ca'], /ca is a CA; kubeadm does not renew CAs/],
    [['pki', 'renew', '--dir', dir, '--cert', 'kubelet'], /the kubelet rotates its client certificate itself/],
    [['check-expiration', '--dir', scratch], /has no pki\/ directory/],
    [['csr', 'approve', '--dir', dir, '--user', 'nobody'], /no CertificateSigningRequest for "nobody"/],
    [['verify', join(dir, 'pki/apiserver.crt'), '--ca', join(dir, 'pki/ca.crt'), '--host', ''], /--host needs a name or an IP address/],
    [['help', 'frobnicate'], /unknown command 'frobnicate'/],
    [['exam', '--plain', '--no-fix-it'], /--no-fix-it goes with --sandbox DIR/],
    [['verify', join(dir, 'pki/apiserver.crt')], /--ca <file> is needed: which CA should the certificate chain to\?/],
    [['verify', join(dir, 'pki/apiserver.crt'), '--ca', join(dir, 'pki/ca.crt'), '--at', '2027-02-30'], /"2027-02-30" is not a time kubetls understands: there is no 2027-02-30 in the calendar/],
    [['verify', join(dir, 'pki/apiserver.crt'), '--ca', join(dir, 'pki/ca.crt'), '--at', '+99999999999999y'], /"\+99999999999999y" is outside the years 1950 to 9999/],
    [['pki', 'init', '--dir', join(scratch, 'x'), '--now', '9999-06-01'], /--ca-validity-days 3650 from 9999-06-01 ends after 9999/],
    [['pki', 'init', '--dir', join(scratch, 'x'), '--ca-validity-days', '99999999'], /--ca-validity-days 99999999 from \d{4}-\d\d-\d\d ends after 9999/],
  ];
  for (const [args, pattern] of cases) assertOneLineError(runCli(args), pattern, args.join(' '));
});

test('inspect and verify refuse what is not a regular file in one line, before reading it; so do the files a kubeconfig names', () => {
  const scratch = tempDir();
  const fifo = join(scratch, 'pipe.crt');
  assert.is(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  const kubeconfig = (name: string, field: string, path: string) => {
    const file = join(scratch, name);
    const user = field === 'certificate-authority' ? '[]' : `\n- name: u\n  user:\n    ${field}: ${path}`;
    const cluster = field === 'certificate-authority' ? `\n    ${field}: ${path}` : '';
    writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n    server: https://10.0.0.1:6443${cluster}\nusers: ${user}\n`);
    return file;
  };
  const large = join(scratch, 'large.pem');
  writeFileSync(large, '');
  truncateSync(large, 16 * 1024 * 1024 + 1);
  const ca = join(dir, 'pki/ca.crt');
  const escaping = join(scratch, 'escape.conf');
  writeFileSync(escaping, 'kind: Config\nclusters: []\nusers:\n- name: "a\\e]0;title\\a\\nb"\n  user:\n    client-certificate: /dev/zero\n');
  const cases: [string[], RegExp][] = [
    [['inspect', fifo], /pipe\.crt: is a named pipe \(FIFO\), not a regular file/],
    [['inspect', '/dev/zero'], /\/dev\/zero: is a device, not a regular file/],
    [['inspect', '/proc/self/maps'], /\/proc\/self\/maps: is a \/proc file/],
    [['inspect', scratch], /is a directory/],
    [['inspect', large], /large\.pem: is 16\.0 MiB, larger than the 16 MiB kubetls reads/],
    [['inspect', kubeconfig('zero.conf', 'certificate-authority', '/dev/zero')], /zero\.conf: cluster "k" certificate-authority \/dev\/zero: is a device/],
    [['inspect', kubeconfig('fifo.conf', 'client-certificate', fifo)], /fifo\.conf: user "u" client-certificate .*pipe\.crt: is a named pipe/],
    [['inspect', kubeconfig('key.conf', 'client-key', '/proc/self/environ')], /key\.conf: user "u" client-key \/proc\/self\/environ: is a \/proc file/],
    [['inspect', kubeconfig('self.conf', 'client-certificate', 'self.conf')], /self\.conf: user "u" client-certificate \(self\.conf\): not a certificate/],
    [['verify', fifo, '--ca', ca], /pipe\.crt: is a named pipe/],
    [['verify', join(dir, 'pki/apiserver.crt'), '--ca', fifo], /pipe\.crt: is a named pipe/],
    [['verify', join(dir, 'pki/apiserver.crt'), '--ca', ca, '--key', '/dev/zero'], /\/dev\/zero: is a device/],
    [['verify', kubeconfig('verify-zero.conf', 'client-certificate', '/dev/zero'), '--ca', ca], /\/dev\/zero: is a device/],
    // what the file says is quoted with its control characters escaped, so the message stays one line the terminal only shows
    [['inspect', escaping], /escape\.conf: user "a\\1B\]0;title\\07\\0Ab" client-certificate \/dev\/zero: is a device/],
    // pki init names what it found in a directory kubetls did not fill
    [['pki', 'init', '--dir', scratch, '--key-type', 'ecdsa-p256'], /holds files kubetls did not write: escape\.conf, fifo\.conf, key\.conf, large\.pem, pipe\.crt and \d+ more \(choose an empty or new --dir, or add --force/],
  ];
  for (const [args, pattern] of cases) assertOneLineError(runCli(args), pattern, args.join(' '));
});

test('verify: a kubeconfig brings its own CA (certificate-authority-data), as kubectl uses it', () => {
  const result = runCli(['verify', join(dir, 'admin.conf')]);
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /admin\.conf: OK/);
});

test('a user whose request is pending: the next step, not "recreate the sandbox"', () => {
  assert.is(runCli(['csr', 'create', '--dir', dir, '--user', 'pending-pat']).status, 0);
  assertOneLineError(runCli(['pki', 'break', '--dir', dir, '--cert', 'users/pending-pat', '--fault', 'expired']), /pending-pat has no certificate yet: the CertificateSigningRequest is not approved \(approve it with `kubetls csr approve --dir .* --user pending-pat`\)$/, 'break');
  assertOneLineError(runCli(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'users/pending-pat']), /not approved/, 'handshake');
});

test('a file system that says no: one line naming the path, exit 2, no crash report', () => {
  const scratch = tempDir();
  const file = join(scratch, 'a-file');
  writeFileSync(file, 'x');
  assertOneLineError(runCli(['pki', 'init', '--dir', join(file, 'lab'), '--key-type', 'ecdsa-p256']), /cannot create the directory .*a-file\/lab.*: part of the path is a file, not a directory$/, 'ENOTDIR');
  if (process.getuid?.() !== 0) return;
  // as an ordinary user: a directory and a file that are not theirs
  chmodSync(scratch, 0o755);
  const locked = join(scratch, 'locked');
  mkdirSync(locked, { mode: 0o555 });
  chmodSync(file, 0o000);
  // nobody may not be able to enter the clone (a 0700 home): kubetls bundled where nobody can read it
  const cli = bundleForAnotherUser(join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), 'main');
  const asNobody = (args: string[]) => {
    const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cli, ...args], { encoding: 'utf8', env: { ...process.env, HOME: scratch, XDG_CONFIG_HOME: scratch } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  assertOneLineError(asNobody(['pki', 'init', '--dir', join(locked, 'lab'), '--key-type', 'ecdsa-p256']), /cannot create the directory .*locked\/lab.*: permission denied$/, 'EACCES mkdir');
  assertOneLineError(asNobody(['inspect', file]), /cannot open .*a-file: permission denied$/, 'EACCES open');
});

test.run();
