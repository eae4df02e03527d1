import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { breakCertificate, initSandbox, renewCertificates, type KeyType } from '../../src/pki/index.js';
import { removeTempDirs, tempDir } from '../helpers.js';

/**
 * A real etcd (Debian's etcd-server) runs on loopback with the sandbox's etcd/server and etcd/peer
 * certificates and client-certificate auth, exactly as kubeadm's etcd static pod is configured.
 */

const NODE = { nodeName: 'controlplane', advertiseAddress: '127.0.0.1' };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface RunningEtcd {
  process: ChildProcess;
  endpoint: string;
  log: () => string;
}

async function startEtcd(dir: string): Promise<RunningEtcd> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const pki = (file: string) => join(dir, 'pki', file);
  const peerUrl = `https://127.0.0.1:${peerPort}`;
  const endpoint = `https://127.0.0.1:${clientPort}`;
  // the flags of kubeadm's etcd.yaml
  const etcd = spawn('etcd', [
    '--name', 'controlplane',
    '--data-dir', join(tempDir('kubetls-etcd-'), 'data'),
    '--listen-client-urls', endpoint, '--advertise-client-urls', endpoint,
    '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl,
    '--initial-cluster', `controlplane=${peerUrl}`,
    '--cert-file', pki('etcd/server.crt'), '--key-file', pki('etcd/server.key'),
    '--client-cert-auth=true', '--trusted-ca-file', pki('etcd/ca.crt'),
    '--peer-cert-file', pki('etcd/peer.crt'), '--peer-key-file', pki('etcd/peer.key'),
    '--peer-client-cert-auth=true', '--peer-trusted-ca-file', pki('etcd/ca.crt'),
    '--snapshot-count', '10000',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  etcd.stdout!.on('data', (chunk) => (output += chunk));
  etcd.stderr!.on('data', (chunk) => (output += chunk));
  const running = { process: etcd, endpoint, log: () => output };
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await etcdctl(dir, endpoint, 'apiserver-etcd-client', ['endpoint', 'health'])).status === 0) return running;
    if (etcd.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  etcd.kill();
  throw new Error(`etcd did not become healthy:\n${output.slice(-2000)}`);
}

/** Asynchronous, so etcd's own log keeps flowing into the test while etcdctl runs. */
function etcdctl(dir: string, endpoint: string, client: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const pki = (file: string) => join(dir, 'pki', file);
  const argv = ['--endpoints', endpoint, '--cacert', pki('etcd/ca.crt'), '--cert', pki(`${client}.crt`), '--key', pki(`${client}.key`), '--dial-timeout', '3s', '--command-timeout', '5s', ...args];
  return new Promise((resolve) => {
    const child = spawn('etcdctl', argv, { env: { ...process.env, ETCDCTL_API: '3' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

async function stop(etcd: RunningEtcd): Promise<void> {
  if (etcd.process.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    etcd.process.once('exit', () => resolve());
    etcd.process.kill('SIGTERM');
  });
}

test.after(removeTempDirs);

for (const keyType of ['ecdsa-p256', 'rsa-2048'] as KeyType[]) {
  test(`etcd serves with the ${keyType} etcd/server and etcd/peer certificates and requires client certificates`, async () => {
    const { dir } = await initSandbox({ dir: tempDir(), cluster: { ...NODE, keyType } });
    const etcd = await startEtcd(dir);
    try {
      const put = await etcdctl(dir, etcd.endpoint, 'apiserver-etcd-client', ['put', '/registry/kubetls', 'hello']);
      assert.is(put.status, 0, put.stderr);
      const get = await etcdctl(dir, etcd.endpoint, 'apiserver-etcd-client', ['get', '/registry/kubetls', '--print-value-only']);
      assert.is(get.stdout.trim(), 'hello');
      assert.is((await etcdctl(dir, etcd.endpoint, 'etcd/healthcheck-client', ['endpoint', 'health'])).status, 0, 'healthcheck-client is accepted');

      // a client certificate from the cluster CA, not the etcd CA, is refused
      const foreign = await etcdctl(dir, etcd.endpoint, 'apiserver-kubelet-client', ['get', '/registry/kubetls']);
      assert.is.not(foreign.status, 0, 'a certificate from another CA must be refused');
      assert.match(`${foreign.stderr}${etcd.log()}`, /bad certificate|unknown authority|certificate signed by unknown authority/);
    } finally {
      await stop(etcd);
    }
  });
}

test('etcd refuses a broken apiserver-etcd-client and accepts it again after renewal', async () => {
  const { dir } = await initSandbox({ dir: tempDir(), cluster: { ...NODE, keyType: 'ecdsa-p256' } });
  const etcd = await startEtcd(dir);
  try {
    await breakCertificate({ dir, certificate: 'apiserver-etcd-client', fault: 'wrong-ca' });
    assert.is.not((await etcdctl(dir, etcd.endpoint, 'apiserver-etcd-client', ['get', 'x'])).status, 0, 'signed by the wrong CA');
    await renewCertificates({ dir, certificate: 'apiserver-etcd-client' });
    assert.is((await etcdctl(dir, etcd.endpoint, 'apiserver-etcd-client', ['put', 'x', 'y'])).status, 0, 'renewed: signed by etcd-ca again');
    await breakCertificate({ dir, certificate: 'apiserver-etcd-client', fault: 'expired' });
    const expired = await etcdctl(dir, etcd.endpoint, 'apiserver-etcd-client', ['get', 'x']);
    assert.is.not(expired.status, 0, 'an expired client certificate is refused');
    assert.match(`${expired.stderr}${etcd.log()}`, /expired|bad certificate/);
  } finally {
    await stop(etcd);
  }
});

test.run();
