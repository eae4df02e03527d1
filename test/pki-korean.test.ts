import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCertificateText, inspectFiles } from '../src/pki/index.js';
import { removeTempDirs, runCli, tempDir, type CliResult } from './helpers.js';
import { englishProse, hasHangul } from './support/prose.js';
import { makeKubeadmNode, type FakeNode } from './support/kubeadm-node.js';

/**
 * Issue #16 for the PKI side: every line the sandbox and certificate commands print in kubetls' own
 * voice comes from the catalogues. The same session of commands (good ones and failing ones: a broken
 * certificate, the wrong CA, a missing file, a wrong manifest flag) runs in Korean and in English; in
 * Korean no line may hold English prose outside what is kept as the tools print it
 * (test/support/prose.ts), in English no line may hold Hangul.
 */

test.after(removeTempDirs);

interface Step {
  args: string[];
  result: CliResult;
  /** Lines printed as a tool prints them (openssl's dump, the CSR object kubectl would take): not kubetls' voice. */
  kept: Set<string>;
}

let node: FakeNode;
test.before(async () => {
  node = await makeKubeadmNode({ root: join(tempDir('kubetls-ko-node-'), 'root') });
});

function environment(language: 'en' | 'ko', config: string): NodeJS.ProcessEnv {
  return { LANG: language === 'ko' ? 'ko_KR.UTF-8' : 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', KUBETLS_CONFIG_DIR: config, NO_COLOR: '1' };
}

/** openssl's dump of every certificate in these files, as kubetls prints it (kept as openssl prints it). */
function dumpLines(files: string[]): string[] {
  const items = inspectFiles(files);
  const lines = items.flatMap((item) => (item.kind === 'certificate' ? formatCertificateText(item.certificate).split('\n') : []));
  return [...lines, ...items.map((item) => `==> ${item.source} <==`)];
}

/** Every pki, inspect, verify, handshake, csr and check-expiration command, the failing ones too. */
function session(language: 'en' | 'ko'): Step[] {
  const work = tempDir(`kubetls-${language}-`);
  const config = join(work, 'config');
  mkdirSync(config);
  const env = environment(language, config);
  const dir = join(work, 'lab');
  const hard = join(work, 'hard');
  const steps: Step[] = [];
  const run = (args: string[], kept: string[] = []) => {
    const result = runCli(args, { env, cwd: work });
    steps.push({ args, result, kept: new Set(kept.map((line) => line.trimEnd())) });
    return result;
  };
  const pki = (file: string) => join(dir, 'pki', file);

  run(['pki', 'init', '--dir', dir, '--key-type', 'ecdsa-p256', '--node-name', 'controlplane', '--advertise-address', '192.168.56.10', '--cert-validity-days', '4000']);
  run(['pki', 'init', '--dir', dir]);
  run(['pki', 'init', '--dir', join(work, 'x'), '--worker', 'w1=10.0.0.1']);
  run(['pki', 'init', '--dir', hard, '--pki-profile', 'hard-way', '--key-type', 'ecdsa-p256']);
  run(['pki', 'show', '--dir', dir]);
  run(['pki', 'show', '--dir', hard]);
  run(['pki', 'show', '--dir', join(work, 'nowhere')]);
  run(['inspect', pki('apiserver.crt'), pki('apiserver.key')], dumpLines([pki('apiserver.crt'), pki('apiserver.key')]));
  run(['inspect', pki('front-proxy-ca.key')], dumpLines([pki('front-proxy-ca.key')]));
  run(['inspect', pki('missing.crt')]);
  run(['inspect', join(dir, 'kubetls-sandbox.json')]);
  run(['verify', pki('apiserver.crt'), '--ca', pki('ca.crt'), '--host', '192.168.56.10', '--purpose', 'server', '--key', pki('apiserver.key')]);
  run(['verify', join(dir, 'admin.conf')]);
  run(['verify', pki('apiserver.crt'), '--ca', pki('etcd/ca.crt')]);
  run(['verify', pki('apiserver.crt'), '--ca', pki('ca.crt'), '--host', 'api.example.com']);
  run(['verify', pki('apiserver.crt'), '--ca', pki('ca.crt'), '--purpose', 'client']);
  run(['verify', pki('apiserver.crt'), '--ca', pki('ca.crt'), '--key', pki('apiserver-etcd-client.key')]);
  run(['verify', pki('apiserver.crt')]);
  run(['verify', pki('apiserver.crt'), '--ca', pki('ca.crt'), '--host', '']);
  run(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'admin']);
  run(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'front-proxy-client']);
  run(['handshake', '--dir', dir, '--server', 'etcd/server', '--client', 'apiserver-etcd-client']);
  run(['handshake', '--dir', dir, '--server', 'etcd/server', '--client', 'admin']);
  run(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'admin', '--host', 'api.example.com']);
  run(['handshake', '--dir', dir, '--server', 'admin', '--client', 'admin']);
  run(['check-expiration', '--dir', dir]);
  run(['check-expiration', '--dir', work]);

  // faults, seen, then repaired
  run(['pki', 'break', '--dir', dir, '--cert', 'apiserver', '--fault', 'expired']);
  run(['pki', 'show', '--dir', dir]);
  run(['verify', pki('apiserver.crt'), '--ca', pki('ca.crt')]);
  run(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'admin']);
  run(['check-expiration', '--dir', dir]);
  run(['pki', 'renew', '--dir', dir, '--cert', 'apiserver']);
  run(['pki', 'break', '--dir', dir, '--cert', 'etcd/server', '--fault', 'wrong-ca']);
  run(['handshake', '--dir', dir, '--server', 'etcd/server', '--client', 'apiserver-etcd-client']);
  run(['pki', 'break', '--dir', dir, '--cert', 'apiserver-etcd-client', '--fault', 'not-yet-valid']);
  run(['handshake', '--dir', dir, '--server', 'etcd/server', '--client', 'apiserver-etcd-client']);
  run(['pki', 'fix', '--dir', dir, '--cert', 'all']);
  run(['pki', 'break', '--dir', dir, '--cert', 'apiserver', '--fault', 'missing-san']);
  run(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'admin']);
  run(['pki', 'renew', '--dir', dir, '--cert', 'apiserver']);
  run(['pki', 'fix', '--dir', dir, '--cert', 'apiserver']);
  run(['pki', 'break', '--dir', dir, '--cert', 'apiserver-kubelet-client', '--fault', 'wrong-usage']);
  run(['pki', 'break', '--dir', dir, '--cert', 'admin', '--fault', 'key-mismatch']);
  run(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'admin']);
  run(['pki', 'break', '--dir', dir, '--cert', 'front-proxy-client', '--fault', 'wrong-ca']);
  run(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'front-proxy-client']);
  run(['pki', 'fix', '--dir', dir, '--cert', 'all']);
  run(['pki', 'break', '--dir', dir, '--cert', 'apiserver-etcd-client', '--fault', 'wrong-path']);
  run(['pki', 'check-manifests', '--dir', dir]);
  run(['pki', 'show', '--dir', dir]);
  run(['handshake', '--dir', dir, '--server', 'etcd/server', '--client', 'apiserver-etcd-client']);
  run(['pki', 'renew', '--dir', dir, '--cert', 'apiserver-etcd-client']);
  run(['pki', 'break', '--dir', dir, '--cert', 'apiserver', '--fault', 'wrong-path', '--to', 'typo']);
  run(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'admin']);
  run(['pki', 'check-manifests', '--dir', dir, '--all']);
  run(['pki', 'break', '--dir', dir, '--cert', 'ca', '--fault', 'expired']);
  run(['pki', 'break', '--dir', dir, '--cert', 'apiserver', '--fault', 'expired', '--san', 'kubernetes']);
  run(['pki', 'break', '--dir', dir, '--cert', 'admin', '--fault', 'missing-san']);
  run(['pki', 'renew', '--dir', dir, '--cert', 'ca']);
  run(['pki', 'renew', '--dir', dir, '--cert', 'nonsense']);
  run(['pki', 'init', '--dir', dir, '--force', '--key-type', 'ecdsa-p256', '--node-name', 'controlplane', '--advertise-address', '192.168.56.10']);
  run(['pki', 'check-manifests', '--dir', dir]);

  // the Certificates API, a joined node, a stolen CA key
  run(['csr', 'list', '--dir', dir]);
  run(['csr', 'create', '--dir', dir, '--user', 'jane', '--group', 'system:masters']);
  steps[steps.length - 1]!.kept = new Set(readFileSync(join(dir, 'users/jane-csr.yaml'), 'utf8').split('\n'));
  run(['csr', 'create', '--dir', dir, '--user', 'jane']);
  run(['csr', 'approve', '--dir', dir, '--user', 'jane']);
  run(['csr', 'approve', '--dir', dir, '--user', 'jane']);
  run(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'users/jane']);
  run(['csr', 'create', '--dir', dir, '--user', 'bob']);
  steps[steps.length - 1]!.kept = new Set(readFileSync(join(dir, 'users/bob-csr.yaml'), 'utf8').split('\n'));
  run(['handshake', '--dir', dir, '--server', 'apiserver', '--client', 'users/bob']);
  run(['csr', 'deny', '--dir', dir, '--user', 'bob']);
  run(['csr', 'approve', '--dir', dir, '--user', 'nobody']);
  run(['csr', 'list', '--dir', dir]);
  run(['pki', 'add-node', 'node-1', '--ip', '192.168.56.21', '--dir', dir]);
  run(['pki', 'add-node', 'node-2', '--ip', '192.168.56.22', '--dir', dir, '--server-tls-bootstrap']);
  run(['pki', 'add-node', 'node-1', '--ip', '192.168.56.21', '--dir', dir]);
  run(['handshake', '--dir', dir, '--server', 'node/node-1', '--client', 'apiserver-kubelet-client']);
  run(['handshake', '--dir', dir, '--server', 'node/node-2', '--client', 'apiserver-kubelet-client']);
  run(['pki', 'renew', '--dir', dir, '--cert', 'node/node-2']);
  run(['pki', 'show', '--dir', dir]);
  run(['pki', 'forge', '--dir', dir, '--user', 'mallory', '--group', 'system:masters']);

  // a cluster kubeadm wrote: read, never written; a copy to practise on
  run(['pki', 'show', '--dir', node.dir]);
  run(['pki', 'check-manifests', '--dir', node.dir]);
  run(['check-expiration', '--dir', node.dir]);
  run(['pki', 'break', '--dir', node.dir, '--cert', 'apiserver', '--fault', 'expired']);
  run(['pki', 'copy', '--from', node.dir, '--to', join(work, 'copy')]);
  run(['pki', 'copy', '--from', node.dir, '--to', join(work, 'copy')]);
  run(['pki', 'show', '--dir', join(work, 'copy')]);
  return steps;
}

/** The lines of a step that are kubetls' own, each with the command that printed it. */
function ownLines(step: Step): { line: string; where: string }[] {
  const where = `kubetls ${step.args.join(' ')}`;
  return `${step.result.stdout}\n${step.result.stderr}`
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '' && !step.kept.has(line))
    .map((line) => ({ line, where }));
}

let korean: Step[];
let english: Step[];

test('in Korean: no English prose outside what is kept as the tools print it', () => {
  korean = session('ko');
  const prose = korean.flatMap(ownLines).flatMap(({ line, where }) => {
    const found = englishProse(line);
    return found ? [`${where}\n    ${line}\n    English: "${found}"`] : [];
  });
  assert.equal(prose, [], `English prose in Korean output:\n${prose.join('\n')}`);
});

test('in Korean: the session really ran (certificates made, faults caught, errors one line)', () => {
  const said = (index: number) => `${korean[index]!.result.stdout}${korean[index]!.result.stderr}`;
  assert.is(korean[0]!.result.status, 0, said(0));
  assert.match(said(0), /kubeadm 형태의 PKI를 .*에 만들었습니다/);
  const handshakes = korean.filter((step) => step.args[0] === 'handshake');
  assert.ok(handshakes.some((step) => step.result.status === 0 && /핸드셰이크 성공/.test(step.result.stdout)));
  assert.ok(handshakes.some((step) => step.result.status === 1 && /쪽에서 핸드셰이크 실패/.test(step.result.stdout)));
  assert.ok(handshakes.some((step) => /^✓ \[서버\]\s+.*검증합니다/m.test(step.result.stdout)), 'the side column in Korean');
  const errors = korean.filter((step) => step.result.status === 2);
  assert.ok(errors.length >= 15, `${errors.length} refused commands`);
  for (const step of errors) {
    const lines = step.result.stderr.trimEnd().split('\n');
    assert.is(lines.length, 1, `${step.args.join(' ')}: one line\n${step.result.stderr}`);
    assert.ok(hasHangul(lines[0]!), `${step.args.join(' ')}: said in Korean: ${lines[0]}`);
  }
});

test('in English: no Hangul anywhere, and the same session', () => {
  english = session('en');
  assert.equal(english.map((step) => step.result.status), korean.map((step) => step.result.status), 'the same exit codes in both languages');
  const hangul = english.flatMap(ownLines).filter(({ line }) => hasHangul(line)).map(({ line, where }) => `${where}\n    ${line}`);
  assert.equal(hangul, [], hangul.join('\n'));
});

test('the prose detector: kept spans pass, prose does not', () => {
  assert.is(englishProse('✓ [클라이언트] 서버가 CN=kube-apiserver (발급자 CN=kubernetes)를 제시합니다'), undefined);
  assert.is(englishProse('✗ [클라이언트] 서버 인증서를 거부합니다: self-signed certificate in certificate chain. Go 클라이언트의 로그: tls: failed to verify certificate: x509: certificate signed by unknown authority'), undefined);
  assert.is(englishProse('  고치기:    `kubetls pki fix --dir /tmp/lab --cert apiserver`를 쓰세요'), undefined);
  assert.is(englishProse('kubetls: open /etc/kubernetes/pki/apisrever.crt: no such file or directory'), undefined);
  assert.is(englishProse('NAME   SIGNERNAME   SUBJECT   REQUESTEDDURATION   CONDITION'), undefined);
  assert.is(englishProse('✓ apiserver renewed, valid until 2027-01-01T00:00:00Z'), 'apiserver renewed, valid until');
  assert.is(englishProse('  Repair it:   edit manifests/kube-apiserver.yaml so that --etcd-certfile names /etc/kubernetes/pki/x.crt'), 'Repair it: edit');
  assert.ok(hasHangul('검증 실패'));
  assert.not.ok(hasHangul('verification failed'));
});

test.run();
