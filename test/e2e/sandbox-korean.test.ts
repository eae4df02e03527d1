import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { removeTempDirs, runCli, tempDir } from '../helpers.js';
import { makeKubeadmNode } from '../support/kubeadm-node.js';
import { englishProse } from '../support/prose.js';
import { startApp, type Terminal } from './tmux.js';

/**
 * Issue #16 on the Sandbox screen, in Korean at 80x24: the tree, a certificate's description, the fault
 * menu, a verify result and a handshake trace, and the read-only view of this machine's cluster.
 */

let terminal: Terminal | undefined;
test.after.each(() => {
  terminal?.close();
  terminal = undefined;
});
test.after(removeTempDirs);

const sandboxOf = (home: string) => join(home, 'data', 'kubetls', 'default', 'sandbox');

/** The screen's lines that hold English prose (none should); the right pane shows certificates as openssl does. */
function proseOn(screen: string): string[] {
  return screen.split('\n').flatMap((line) => {
    const found = englishProse(line.replace(/[│┌┐└┘├┤─]/g, ' '), { opensslDump: true });
    return found ? [`${line}\n    English: "${found}"`] : [];
  });
}

test('the Sandbox screen in Korean: tree, description, fault menu, verify, handshake', async () => {
  terminal = startApp({
    args: ['--lang', 'ko'],
    prepare: (home) => {
      const made = runCli(['pki', 'init', '--dir', sandboxOf(home), '--key-type', 'ecdsa-p256']);
      assert.is(made.status, 0, made.stderr);
    },
  });
  await terminal.waitFor('TLS');
  terminal.keys('g', 'j', 'Enter');
  const tree = await terminal.waitFor(/클러스터 CA: apiserver, kubelet, 사용자/);
  assert.match(tree, /샌드박스/);
  assert.match(tree, /├─ ✓ apiserver-kubelet-client/);
  assert.match(tree, /└─ ✓ apiserver-etcd-client/);
  assert.equal(proseOn(tree), [], 'the tree and the selected CA');

  // a certificate's description
  terminal.keys('j');
  const apiserver = await terminal.waitFor(/kube-apiserver 서빙 인증서/);
  assert.match(apiserver, /apiserver +\(pki\/apiserver\.crt\)/);

  // the fault menu, then the fault
  terminal.keys('b');
  const menu = await terminal.waitFor('apiserver에서 무엇을 고장 낼까요?');
  assert.match(menu, /expired +notAfter가 과거/);
  assert.match(menu, /wrong-path +스태틱 Pod 매니페스트의 플래그가/);
  assert.equal(proseOn(menu), [], 'the fault menu');
  terminal.keys('Enter');
  await terminal.waitFor(/apiserver를 고장 냈습니다: notAfter를 .*로 설정/);
  await terminal.waitFor(/✗ apiserver expired/);

  // verify: Go's words, kubetls' explanation in Korean
  terminal.keys('v');
  const verified = await terminal.waitFor(/검증 실패: x509: certificate has expired/);
  assert.match(verified, /apiserver 검증/);
  assert.match(verified, /✗ 유효 기간 x509: certificate has expired/);
  assert.match(verified, /이유: 확인한 시각이 인증서의 notBefore\.\.notAfter 범위 밖입니다/);
  assert.match(verified, /✓ 키 +개인 키가 인증서와 짝이 맞습니다/);
  assert.equal(proseOn(verified), [], 'the verify dialog');
  terminal.keys('Escape');
  await terminal.waitFor((screen) => !screen.includes('검증 실패'));

  // a handshake, told step by step
  terminal.keys('h');
  await terminal.waitFor('서버(인증서를 제시하는 쪽):');
  terminal.keys('Enter');
  await terminal.waitFor('클라이언트(apiserver에 접속):');
  terminal.keys('Enter');
  const trace = await terminal.waitFor(/핸드셰이크: admin → apiserver[\s\S]*PgDn/, 15_000);
  assert.match(trace, /• \[서버\] +kube-apiserver가 pki\/apiserver\.crt/);
  assert.match(trace, /• \[클라이언트\] admin\(admin\.conf\): https:\/\//);
  assert.match(trace, /✗ \[클라이언트\] 서버 인증서를 거부합니다: certificate has expired/);
  assert.match(trace, /· \[양쪽\] +클라이언트가 자기 인증서를 보내기 전에 중단/);
  assert.equal(proseOn(trace), [], 'the handshake trace');
  terminal.keys('G');
  const outcome = await terminal.waitFor('클라이언트 쪽에서 핸드셰이크 실패: certificate has expired');
  assert.match(outcome, /인증서의 notAfter 날짜가 지났습니다\. 갱신하세요/);
  assert.equal(proseOn(outcome), [], 'the handshake outcome');
});

test("this machine's cluster in Korean: read-only, its header and a certificate's description", async () => {
  const node = await makeKubeadmNode({ root: join(tempDir('kubetls-node-'), 'root') });
  terminal = startApp({ args: ['--lang', 'ko'], env: { KUBETLS_NODE_ROOT: node.root } });
  await terminal.waitFor('TLS');
  terminal.keys('g', 'j', 'Enter');
  await terminal.waitFor('이 컴퓨터에 kubeadm 클러스터가 있습니다');
  terminal.keys('o');
  // the pane wraps the header at 80 columns
  const view = await terminal.waitFor(/노드 cp-1, 192\.168\.56\.10,/);
  assert.match(view, /서비스 CIDR 10\.96\.0\.0\/12/);
  assert.match(view, /kubeadm이 쓴 파일입니다/);
  assert.match(view, /클러스터 CA: apiserver/);
  assert.equal(proseOn(view), []);
  terminal.keys('j', 'v');
  const verified = await terminal.waitFor(/apiserver 검증/);
  assert.match(verified, /✓ 체인 +체인: kube-apiserver -> kubernetes \(신뢰함\)/);
  assert.equal(proseOn(verified), []);
});

test.run();
