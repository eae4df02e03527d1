import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endingOf, particleFor, withParticle, type Particle } from '../src/locale/particles.js';

// word, particle asked for, what a Korean reader writes
const CASES: [string, Particle, string][] = [
  ['인증서', '을', '인증서를'],
  ['키', '을', '키를'],
  ['서명', '을', '서명을'],
  ['파일', '으로', '파일로'],
  ['디렉터리', '으로', '디렉터리로'],
  ['인증 기관', '이', '인증 기관이'],
  ['apiserver', '을', 'apiserver를'],
  ['kube-apiserver', '은', 'kube-apiserver는'],
  ['80x24', '이', '80x24가'],
  ['--proxy-client-key-file', '은', '--proxy-client-key-file은'],
  ['--proxy-client-key-file', '으로', '--proxy-client-key-file로'],
  ['ca.key', '을', 'ca.key를'],
  ['ca.crt', '과', 'ca.crt와'],
  ['admin.conf', '이', 'admin.conf가'],
  ['kube-apiserver.yaml', '을', 'kube-apiserver.yaml을'],
  ['kube-apiserver.yaml', '으로', 'kube-apiserver.yaml로'],
  ['etcd', '은', 'etcd는'],
  ['kubelet', '이', 'kubelet이'],
  ['kubectl', '으로', 'kubectl로'],
  ['kubeadm', '을', 'kubeadm을'],
  ['CA', '을', 'CA를'],
  ['CSR', '이', 'CSR이'],
  ['SAN', '이', 'SAN이'],
  ['PKI', '은', 'PKI는'],
  ['HSM', '과', 'HSM과'],
  ['TLS', '을', 'TLS를'],
  ['10', '이', '10이'],
  ['2', '을', '2를'],
  ['3', '은', '3은'],
  ['7', '으로', '7로'],
  ['100', '과', '100과'],
  ['6443', '으로', '6443으로'],
  ['0', '이', '0이'],
  ['"system:masters"', '을', '"system:masters"를'],
  ['(apiserver.crt)', '이', '(apiserver.crt)가'],
  ['sa.pub', '을', 'sa.pub을'],
  ['users/jane', '이', 'users/jane이'],
  ['Kim Minji', '은', 'Kim Minji는'],
  ['front-proxy-client', '을', 'front-proxy-client를'],
  ['system:kube-scheduler', '이', 'system:kube-scheduler가'],
  ['apiserver-etcd-client.crt', '와', 'apiserver-etcd-client.crt와'],
  ['node', '으로', 'node로'],
  ['token', '으로', 'token으로'],
  ['secret', '이', 'secret이'],
  ['manifest', '를', 'manifest를'],
  ['cat', '이', 'cat이'],
  ['cake', '이', 'cake가'],
  ['signal', '으로', 'signal로'],
];

for (const [word, particle, expected] of CASES) {
  test(`${word} + ${particle} -> ${expected}`, () => {
    assert.is(withParticle(word, particle), expected);
  });
}

test('either form of a pair may be asked for', () => {
  assert.is(particleFor('인증서', '를'), '를');
  assert.is(particleFor('서명', '를'), '을');
  assert.is(particleFor('파일', '로'), '로');
  assert.is(particleFor('서명', '로'), '으로');
});

test('the final ㄹ takes 로 but 은/이/을/과 like any final consonant', () => {
  assert.is(endingOf('파일'), 'rieul');
  assert.is(particleFor('파일', '은'), '은');
  assert.is(particleFor('파일', '으로'), '로');
});

test.run();
