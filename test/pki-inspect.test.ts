import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inspectBytes, inspectFiles, itemJson, itemText, type InitResult } from '../src/pki/index.js';
import { MAX_KEYS_PER_FILE } from '../src/pki/certificates/inspect.js';
import { decodePemBlocks, encodePem } from '../src/pki/certificates/pem.js';
import { parseCertificateDer, parseCertificateRequestDer } from '../src/pki/certificates/x509.js';
import { isKubetlsError } from '../src/errors.js';
import { makeSandbox, openssl, removeTempDirs, tempDir } from './helpers.js';

/** inspect: every kind of file a cluster holds, and one clear line for anything else. */

let sandbox: InitResult;
let scratch: string;
test.before(async () => {
  sandbox = await makeSandbox();
  scratch = tempDir();
});
test.after(removeTempDirs);

const pki = (file: string) => join(sandbox.dir, 'pki', file);

test('a PEM certificate', () => {
  const [item] = inspectFiles([pki('apiserver.crt')]);
  assert.is(item?.kind, 'certificate');
  const json = itemJson(item!) as Record<string, any>;
  assert.equal(json['subject'], { CN: 'kube-apiserver', O: [], text: 'CN = kube-apiserver' });
  assert.is(json['issuer'].CN, 'kubernetes');
  assert.equal(json['extKeyUsage'], ['serverAuth']);
  assert.equal(json['keyUsage'], ['digitalSignature']);
  assert.is(json['isCA'], false);
  assert.equal(json['publicKey'], { type: 'ec', bits: 256, curve: 'P-256' });
  assert.match(json['sha256'], /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  assert.match(json['notAfter'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(json['sans'].ip.includes('10.96.0.1'));
});

test('a DER certificate reads the same as its PEM', () => {
  const der = decodePemBlocks(readFileSync(pki('ca.crt'), 'utf8'))[0]!.der;
  writeFileSync(join(scratch, 'ca.der'), der);
  const fromDer = itemJson(inspectFiles([join(scratch, 'ca.der')])[0]!) as Record<string, unknown>;
  const fromPem = itemJson(inspectFiles([pki('ca.crt')])[0]!) as Record<string, unknown>;
  assert.equal({ ...fromDer, source: '' }, { ...fromPem, source: '' });
});

test('a bundle of several certificates, each named by position and line', () => {
  const bundle = join(scratch, 'bundle.pem');
  writeFileSync(bundle, ['apiserver.crt', 'ca.crt', 'etcd/ca.crt'].map((f) => readFileSync(pki(f), 'utf8')).join(''));
  const items = inspectFiles([bundle]);
  assert.is(items.length, 3);
  assert.match(items[1]!.source, /\[2\/3, line \d+\]/);
  assert.equal(items.map((i) => (itemJson(i) as any).subject.CN), ['kube-apiserver', 'kubernetes', 'etcd-ca']);
});

test('a kubeconfig: the CA data, the client certificate and its key, matched', () => {
  const items = inspectFiles([join(sandbox.dir, 'admin.conf')]);
  assert.equal(items.map((i) => i.kind), ['certificate', 'certificate', 'private-key']);
  assert.match(items[0]!.source, /cluster "kubernetes" certificate-authority-data/);
  assert.match(items[1]!.source, /user "kubernetes-admin" client-certificate-data/);
  const key = items[2]!;
  assert.ok(key.kind === 'private-key' && key.matches.length === 1 && key.matches[0] === items[1]!.source, 'the embedded key belongs to the embedded cert');
});

test('a kubeconfig that points at files', () => {
  const dir = join(scratch, 'kc');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config'), [
    'apiVersion: v1', 'kind: Config',
    'clusters:', `- name: k`, `  cluster:`, `    server: https://10.0.0.1:6443`, `    certificate-authority: ${pki('ca.crt')}`,
    'users:', '- name: u', '  user:', `    client-certificate: ${pki('apiserver-kubelet-client.crt')}`, `    client-key: ${pki('apiserver-kubelet-client.key')}`,
  ].join('\n'));
  const items = inspectFiles([join(dir, 'config')]);
  assert.equal(items.map((i) => i.kind), ['certificate', 'certificate', 'private-key']);
});

test('a private key: its type and which certificate it belongs to', () => {
  const items = inspectFiles([pki('apiserver.key'), pki('apiserver.crt'), pki('ca.crt')]);
  const key = items[0]!;
  assert.ok(key.kind === 'private-key');
  assert.equal(key.matches, [pki('apiserver.crt')]);
  assert.match(itemText(key, false), /Private Key: ECDSA P-256\n.*\n    matches the certificate in .*apiserver\.crt/);
  const alone = inspectFiles([pki('sa.key'), pki('ca.crt')])[0]!;
  assert.match(itemText(alone, false), /matches none of the certificates given/);
  assert.is((itemJson(inspectFiles([pki('sa.pub')])[0]!) as any).type, 'public-key');
});

test('a CSR, an Ed25519 certificate and an RSA key made by openssl', () => {
  const key = join(scratch, 'ed.key');
  const cert = join(scratch, 'ed.crt');
  const csr = join(scratch, 'jane.csr');
  assert.is(openssl(['genpkey', '-algorithm', 'ed25519', '-out', key]).status, 0);
  assert.is(openssl(['req', '-x509', '-key', key, '-out', cert, '-subj', '/CN=ed', '-days', '1']).status, 0);
  assert.is(openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(scratch, 'jane.key'), '-out', csr, '-subj', '/CN=jane/O=dev']).status, 0);
  const ed = itemJson(inspectFiles([cert])[0]!) as any;
  assert.equal(ed.publicKey, { type: 'ed25519', bits: 256, curve: null });
  const request = itemJson(inspectFiles([csr])[0]!) as any;
  assert.is(request.type, 'certificate-request');
  assert.equal(request.subject, { CN: 'jane', O: ['dev'], text: 'CN = jane, O = dev' });
  const rsaKey = itemJson(inspectFiles([join(scratch, 'jane.key')])[0]!) as any;
  assert.equal(rsaKey.publicKey, { type: 'rsa', bits: 2048, curve: null });
});

test('bad input: one clear error naming the file', () => {
  const write = (name: string, content: string | Buffer) => {
    const path = join(scratch, name);
    writeFileSync(path, content);
    return path;
  };
  const cases: [string, RegExp][] = [
    [join(scratch, 'missing.crt'), /missing\.crt: no such file/],
    [scratch, /is a directory/],
    [write('empty.crt', ''), /empty\.crt: the file is empty/],
    [write('garbage.bin', Buffer.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3])), /garbage\.bin: not a certificate, certificate request, key or kubeconfig/],
    [write('text.txt', 'hello world\n'), /text\.txt: not a certificate/],
    [write('broken.crt', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), /broken\.crt: the certificate is damaged/],
    [write('other.pem', '-----BEGIN DH PARAMETERS-----\nAAAA\n-----END DH PARAMETERS-----\n'), /of type "DH PARAMETERS"/],
    [write('bad.conf', 'kind: Config\nclusters: [\n'), /bad\.conf: not valid YAML/],
    [write('token.conf', 'kind: Config\nclusters: []\nusers:\n- name: u\n  user:\n    token: abc\n'), /without certificates/],
  ];
  for (const [path, message] of cases) assert.throws(() => inspectFiles([path]), message, path);
  const encrypted = join(scratch, 'enc.key');
  assert.is(openssl(['genpkey', '-algorithm', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-aes256', '-pass', 'pass:secret', '-out', encrypted]).status, 0);
  assert.throws(() => inspectFiles([encrypted]), /enc\.key: the private key is encrypted/);
});

test('PEM: blocks found in one pass, with their lines; an unclosed BEGIN, a stray END and headers do not confuse it', () => {
  const ca = readFileSync(pki('ca.crt'), 'utf8');
  const key = readFileSync(pki('apiserver.key'), 'utf8');
  const text = ['junk before', '-----BEGIN CERTIFICATE-----', 'never closed', '-----END CERTIFICATE-----stray', ca.trimEnd(), '-----END CERTIFICATE-----', key.trimEnd(), ''].join('\n');
  const blocks = decodePemBlocks(text);
  assert.equal(blocks.map((b) => [b.label, b.line]), [['CERTIFICATE', 2], ['CERTIFICATE', 5], ['EC PRIVATE KEY', 5 + ca.trimEnd().split('\n').length + 1]]);
  assert.is(blocks[2]!.text, key.trimEnd(), 'the block as written');
  // a BEGIN inside an open block starts over; an END of another label is text
  const nested = decodePemBlocks(`-----BEGIN CERTIFICATE-----\nAAAA\n${ca}`);
  assert.is(nested.length, 1);
  assert.ok(nested[0]!.der.equals(decodePemBlocks(ca)[0]!.der));
  const legacy = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n';
  assert.equal([...decodePemBlocks(legacy)[0]!.der], [0, 0, 0]);
  assert.throws(() => inspectBytes(Buffer.from(legacy), 'legacy.key'), /legacy\.key: the private key is encrypted/);
});

test('PEM in linear time: 1 MB of BEGIN lines, 8,000 copies of a certificate (35 s and 57 s before)', () => {
  const started = performance.now();
  assert.is(decodePemBlocks('-----BEGIN CERTIFICATE-----\n'.repeat(40_000)).length, 0);
  const ca = readFileSync(pki('ca.crt'), 'utf8');
  const copies = decodePemBlocks(ca.repeat(8000));
  assert.is(copies.length, 8000);
  assert.is(copies[7999]!.line, 7999 * ca.split('\n').length - 7999 + 1);
  // a hang guard, not a speed test: bench/ measures the 10 MB bundle
  assert.ok(performance.now() - started < 20_000, 'finished');
});

test('a bundle of keys and certificates: each key is itself, matched to its own certificate', () => {
  const bundle = join(scratch, 'pairs.pem');
  writeFileSync(bundle, ['apiserver.key', 'front-proxy-client.key', 'apiserver.crt', 'front-proxy-client.crt'].map((f) => readFileSync(pki(f), 'utf8')).join(''));
  const [first, second] = inspectFiles([bundle]);
  assert.ok(first?.kind === 'private-key' && second?.kind === 'private-key');
  assert.equal([first.matches.length, second.matches.length], [1, 1]);
  assert.match(first.matches[0]!, /\[3\/4/);
  assert.match(second.matches[0]!, /\[4\/4/);
});

test('limits: more keys than kubetls reads from one file, and a kubeconfig whose files add up to more than one file may hold', () => {
  const key = readFileSync(pki('sa.pub'), 'utf8');
  assert.throws(() => inspectBytes(Buffer.from(key.repeat(MAX_KEYS_PER_FILE + 1)), 'keys.pem'), /keys\.pem: holds more than 1000 keys/);
  assert.is(inspectBytes(Buffer.from(key.repeat(3)), 'three.pem').length, 3);
  const big = join(scratch, 'big-bundle.pem');
  const ca = readFileSync(pki('ca.crt'), 'utf8');
  writeFileSync(big, ca.repeat(Math.ceil((9 * 2 ** 20) / ca.length)));
  const config = join(scratch, 'twice.conf');
  writeFileSync(config, ['kind: Config', 'clusters:', '- name: a', '  cluster:', `    certificate-authority: ${big}`, '- name: b', '  cluster:', `    certificate-authority: ${big}`, 'users: []'].join('\n'));
  assert.throws(() => inspectFiles([config]), /twice\.conf: cluster "b" certificate-authority .*big-bundle\.pem: is 9\.0 MiB, larger than the [\d.]+ MiB left of the 16 MiB .*twice\.conf and the files it names may hold together/);
});

/** The error a parse ends in: it must be a KubetlsError (exit 2), never another exception (exit 70). */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(isKubetlsError(error), `a KubetlsError, got ${String(error)}`);
    return (error as Error).message;
  }
  return 'accepted';
}

test('damaged DER: every truncation and every one-byte change of a certificate is read or refused with a KubetlsError', () => {
  const der = decodePemBlocks(readFileSync(pki('apiserver.crt'), 'utf8'))[0]!.der;
  for (let length = 0; length < der.length; length++) {
    assert.match(refusal(() => parseCertificateDer(der.subarray(0, length))), /^not a valid certificate \(/, `cut at ${length}`);
    refusal(() => parseCertificateRequestDer(der.subarray(0, length)));
  }
  for (let at = 0; at < der.length; at++) {
    const changed = Buffer.from(der);
    changed[at] = changed[at]! ^ 0xff;
    refusal(() => parseCertificateDer(changed));
  }
});

test('impossible validity times are damage, not a date in the next month (30 February was read as 2 March)', () => {
  const der = decodePemBlocks(readFileSync(pki('apiserver.crt'), 'utf8'))[0]!.der;
  const notBefore = parseCertificateDer(der).notBefore;
  const stamp = (date: Date) => date.toISOString().replace(/[-:T]/g, '').slice(2, 14);
  const at = der.indexOf(Buffer.from(`${stamp(notBefore)}Z`, 'latin1'));
  assert.ok(at > 0, 'notBefore found as UTCTime');
  const withTime = (time: string) => {
    const changed = Buffer.from(der);
    changed.write(time, at, 'latin1');
    return changed;
  };
  for (const time of ['260230120000Z', '261301120000Z', '260100120000Z', '261206240000Z', '261206116000Z', '261206115960Z', '2612061134ZZZ', '99123123595 ']) {
    assert.match(refusal(() => parseCertificateDer(withTime(time))), /not a valid certificate \((impossible|malformed) validity time/, time);
    const file = join(scratch, 'impossible.crt');
    writeFileSync(file, encodePem('CERTIFICATE', withTime(time)));
    assert.throws(() => inspectFiles([file]), /impossible\.crt: the certificate is damaged/, time);
  }
  // 29 February in a leap year, and a two-digit year from 1950 to 2049, are fine
  assert.is(parseCertificateDer(withTime('280229235959Z')).notBefore.toISOString(), '2028-02-29T23:59:59.000Z');
  assert.is(parseCertificateDer(withTime('500101000000Z')).notBefore.toISOString(), '1950-01-01T00:00:00.000Z');
});

test('a kubeconfig with more lines and items than any real one is refused before the YAML parser sees it (16 MB of them took 50 s and 3.7 GB, or ran out of memory)', () => {
  for (const [name, text] of [
    ['lines.conf', `kind: Config\nusers: []\nclusters:\n${'- {}\n'.repeat(25_000)}`],
    ['flow.conf', `kind: Config\nusers: []\nclusters: [${'1,'.repeat(25_000)}]\n`],
  ] as const) {
    assert.match(refusal(() => inspectBytes(Buffer.from(text), name)), new RegExp(`^${name.replace('.', '\\.')}: more than 20000 lines and list items`));
  }
  // a kubeconfig with many contexts still reads
  const admin = readFileSync(join(sandbox.dir, 'admin.conf'), 'utf8');
  // the items indented as the file indents its own (client-go writes "- " at the key's column)
  const indent = /^contexts:\n( *)- /m.exec(admin)![1]!;
  const many = admin.replace(/^contexts:\n/m, `contexts:\n${`${indent}- context: {cluster: kubernetes, user: kubernetes-admin}\n${indent}  name: other\n`.repeat(2000)}`);
  assert.is(inspectBytes(Buffer.from(many), 'many.conf').length, 3);
});

test('names from a certificate are printed with their control characters escaped, as openssl does', () => {
  const key = join(scratch, 'escape.key');
  const cert = join(scratch, 'escape.crt');
  assert.is(openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=evil\u001b]0;pwned\u0007', '-addext', 'subjectAltName=DNS:a\u001b[2Jb', '-days', '1']).status, 0);
  const text = itemText(inspectFiles([cert])[0]!, true);
  assert.match(text, /Subject: CN = evil\\1B\]0\\;pwned\\07\n/);
  assert.match(text, /DNS:a\\1B\[2Jb/);
  assert.not.match(text, /[\u001b\u0007]/);
});

test('a key that cannot be decoded, a public key that is not one, base64 that is not: one line each', () => {
  const key = readFileSync(pki('apiserver.key'), 'utf8');
  const broken = key.replace(/\n([A-Za-z0-9+/]{10})/, '\nAAAAAAAAAA');
  assert.throws(() => inspectBytes(Buffer.from(broken), 'broken.key'), /broken\.key: not a private key kubetls can read/);
  assert.throws(() => inspectBytes(Buffer.from('-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n'), 'pub.pem'), /pub\.pem: the public key is damaged/);
  assert.throws(() => inspectBytes(Buffer.from('-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n'), 'bang.pem'), /bang\.pem: the certificate is damaged/);
});

test.run();
