import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { FILE_LIMITS, readUserText } from '../../user-file.js';
import { assertYamlWithinLimits } from '../certificates/yaml-size.js';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { KubetlsError } from '../../errors.js';
import { csrCondition, signCertificateRequest } from './csr.js';
import { generateKeyPair, privateKeyToPem, type KeyPair } from '../certificates/keys.js';
import { buildCertificate, buildCertificateRequest, signerFromPrivateKey } from '../certificates/x509-build.js';
import { leafKeyUsage } from '../certificates/issue.js';
import { encodePem } from '../certificates/pem.js';
import { joinedNodeSpecs, kubeletPkiDir, nodeRoot, type KubeletServing, type NodeRecord } from '../certificates/profiles.js';
import { clusterOf, loadCertificateOnly, readState, validateNode, writeKubeletPair, writePrivateFile, writePublicFile, writeState } from './sandbox.js';
import { assertSandbox } from '../node/node-dir.js';
import { parseCertificateDer, parseCertificateRequestDer, type ParsedCertificate } from '../certificates/x509.js';
import type { CertificateSpec } from '../certificates/spec.js';

/**
 * `kubetls pki add-node`: a worker joins the sandbox the way a kubelet joins a kubeadm cluster.
 * Its client certificate comes through the TLS bootstrap (a CSR for kubernetes.io/kube-apiserver-client-kubelet,
 * auto-approved and signed by the cluster CA); its serving certificate is the kubelet's own self-signed
 * kubelet.crt, or, with serverTLSBootstrap, a kubernetes.io/kubelet-serving CSR the cluster CA signs.
 */

export const KUBELET_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
const HOUR_MS = 60 * 60 * 1000;
const YEAR_MS = 365 * 24 * HOUR_MS;

export interface AddNodeOptions {
  dir: string;
  name: string;
  ip: string;
  /** serverTLSBootstrap: true in the kubelet's configuration. */
  serverTlsBootstrap?: boolean;
  /** Replace a node of the same name (a re-join). */
  force?: boolean;
  now?: Date;
}

export interface AddedNode {
  node: NodeRecord;
  specs: CertificateSpec[];
  client: ParsedCertificate;
  serving: ParsedCertificate;
  /** The CertificateSigningRequest objects, as `kubectl get csr -o yaml` would show them. */
  csrFiles: string[];
  files: string[];
}

export async function addNode(options: AddNodeOptions): Promise<AddedNode> {
  assertSandbox(options.dir);
  const state = readState(options.dir);
  const cluster = clusterOf(state, options.now);
  validateNode(options.name, options.ip);
  const taken = [...(state.workers ?? []).map((w) => w.name), ...(state.nodes ?? []).map((n) => n.name)];
  if (taken.includes(options.name) && !(options.force && (state.nodes ?? []).some((n) => n.name === options.name))) {
    throw KubetlsError.said('pki.errors.node-exists', { name: options.name, dir: options.dir }, { key: 'pki.errors.node-exists-hint' });
  }
  const root = join(options.dir, nodeRoot(options.name));
  if (options.force) rmSync(root, { recursive: true, force: true });
  const node: NodeRecord = {
    name: options.name,
    ip: options.ip,
    serving: (options.serverTlsBootstrap ? 'tls-bootstrap' : 'self-signed') satisfies KubeletServing,
    joinedAt: cluster.now.toISOString(),
  };
  const pki = join(options.dir, kubeletPkiDir(node.name));
  const files: string[] = [];
  const csrFiles: string[] = [];

  // 1. the TLS bootstrap: the kubelet's ECDSA key, a CSR, auto-approved, signed by the cluster CA
  const clientKey = await generateKeyPair('ecdsa-p256');
  const clientRequest = await kubeletRequest(node, clientKey, false);
  const clientUsages = kubeletUsages(clientKey, 'client auth');
  const clientName = digestedName(clientKey, node, clientUsages);
  const clientDer = await signCertificateRequest({
    dir: options.dir, request: parseCertificateRequestDer(clientRequest), source: clientName, extKeyUsage: ['clientAuth'], now: cluster.now,
  });
  csrFiles.push(writeCsrObject(options.dir, node, clientName, clientRequest, KUBELET_CLIENT_SIGNER, clientUsages, clientDer,
    csrCondition('Approved', 'AutoApproved', 'Auto approving kubelet client certificate after SubjectAccessReview.', cluster.now)));
  const clientPath = join(pki, 'kubelet-client-current.pem');
  files.push(writeKubeletPair(clientPath, encodePem('CERTIFICATE', clientDer) + privateKeyToPem(clientKey.privateKey), cluster.now), clientPath);

  // 2. the serving certificate
  let servingDer: Buffer;
  if (node.serving === 'tls-bootstrap') {
    const servingKey = await generateKeyPair('ecdsa-p256');
    const servingRequest = await kubeletRequest(node, servingKey, true);
    const servingUsages = kubeletUsages(servingKey, 'server auth');
    // the built-in approver never approves kubelet-serving requests: an admin runs `kubectl certificate approve`
    const servingName = `csr-${createHash('sha256').update(servingRequest).digest('hex').slice(0, 5)}`;
    servingDer = await signCertificateRequest({
      dir: options.dir, request: parseCertificateRequestDer(servingRequest), source: servingName, extKeyUsage: ['serverAuth'], now: cluster.now,
    });
    csrFiles.push(writeCsrObject(options.dir, node, servingName, servingRequest, KUBELET_SERVING_SIGNER, servingUsages, servingDer,
      csrCondition('Approved', 'KubectlApprove', 'This CSR was approved by kubectl certificate approve.', cluster.now)));
    const servingPath = join(pki, 'kubelet-server-current.pem');
    files.push(writeKubeletPair(servingPath, encodePem('CERTIFICATE', servingDer) + privateKeyToPem(servingKey.privateKey), cluster.now), servingPath);
  } else {
    const selfSigned = await selfSignedKubeletCertificate(node.name, cluster.now);
    servingDer = selfSigned.leafDer;
    writePublicFile(join(pki, 'kubelet.crt'), encodePem('CERTIFICATE', selfSigned.leafDer) + encodePem('CERTIFICATE', selfSigned.caDer));
    writePrivateFile(join(pki, 'kubelet.key'), privateKeyToPem(selfSigned.key.privateKey));
    files.push(join(pki, 'kubelet.crt'), join(pki, 'kubelet.key'));
  }

  // 3. what kubeadm join and the kubelet leave on the node
  const caPem = loadCertificateOnly(options.dir, 'ca').certificatePem;
  const nodeFiles: [string, string, 'public' | 'private'][] = [
    ['etc/kubernetes/pki/ca.crt', caPem, 'public'],
    ['etc/kubernetes/kubelet.conf', kubeletKubeconfig(cluster.advertiseAddress, caPem), 'private'],
    ['var/lib/kubelet/config.yaml', kubeletConfiguration(node), 'public'],
  ];
  for (const [relative, content, mode] of nodeFiles) {
    const path = join(options.dir, nodeRoot(node.name), relative);
    (mode === 'private' ? writePrivateFile : writePublicFile)(path, content);
    files.push(path);
  }

  state.nodes = [...(state.nodes ?? []).filter((n) => n.name !== node.name), node];
  for (const name of Object.keys(state.faults)) if (name.startsWith(`node/${node.name}`)) delete state.faults[name];
  writeState(options.dir, state);
  return { node, specs: joinedNodeSpecs(node), client: parseCertificateDer(clientDer), serving: parseCertificateDer(servingDer), csrFiles, files };
}

/** The request the kubelet makes (bootstrap.go requestNodeCertificate; the serving certificate manager adds its addresses). */
async function kubeletRequest(node: NodeRecord, key: KeyPair, serving: boolean): Promise<Buffer> {
  return buildCertificateRequest(
    {
      subject: { commonName: `system:node:${node.name}`, organizations: ['system:nodes'] },
      dnsNames: serving ? [node.name] : [],
      ipAddresses: serving ? [node.ip] : [],
    },
    signerFromPrivateKey(key.privateKey, key.publicKey),
  );
}

/** The kubelet asks for key encipherment only with an RSA key (pkg/kubelet/certificate). */
function kubeletUsages(key: KeyPair, role: 'client auth' | 'server auth'): string[] {
  return key.publicKey.asymmetricKeyType === 'rsa' ? ['digital signature', 'key encipherment', role] : ['digital signature', role];
}

/**
 * The bootstrap CSR's name: `node-csr-` and a SHA-512/256 digest of the key, subject and usages
 * (bootstrap.go digestedName), so a kubelet that restarts asks again under the same name.
 */
export function digestedName(key: KeyPair, node: NodeRecord, usages: string[]): string {
  const hash = createHash('sha512-256');
  const write = (data: Buffer) => {
    hash.update(data.toString('base64url'));
    hash.update('|');
  };
  write(key.publicKey.export({ type: 'spki', format: 'der' }));
  write(Buffer.from(`system:node:${node.name}`));
  write(Buffer.from('system:nodes'));
  for (const usage of usages) write(Buffer.from(usage));
  return `node-csr-${hash.digest().toString('base64url')}`;
}

function writeCsrObject(
  dir: string, node: NodeRecord, name: string, requestDer: Buffer, signerName: string, usages: string[], certificateDer: Buffer,
  condition: ReturnType<typeof csrCondition>,
): string {
  const object = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: {
      request: Buffer.from(encodePem('CERTIFICATE REQUEST', requestDer)).toString('base64'),
      signerName,
      usages,
      // the apiserver records who asked: a bootstrap token's user for the first client cert, the node afterwards
      username: signerName === KUBELET_CLIENT_SIGNER ? 'system:bootstrap:<token-id>' : `system:node:${node.name}`,
    },
    status: { conditions: [condition], certificate: Buffer.from(encodePem('CERTIFICATE', certificateDer)).toString('base64') },
  };
  const path = join(dir, nodeRoot(node.name), 'csr', `${name}.yaml`);
  writePrivateFile(path, stringify(object, { lineWidth: 0 }));
  return path;
}

/** A parsed CSR object written by add-node (for tests and `kubectl get csr`-like listings). */
export function readNodeCsr(path: string): { spec: { signerName: string; usages: string[] }; status: { conditions: { reason: string }[] } } {
  const text = readUserText(path, { limit: FILE_LIMITS.pki });
  assertYamlWithinLimits(text, path);
  return parse(text, { logLevel: 'error' });
}

/**
 * client-go's GenerateSelfSignedCertKey(host, nil, nil), which the kubelet calls when it has no serving
 * certificate: a throwaway RSA-2048 CA `<host>-ca@<unix>` signs a leaf `<host>@<unix>` for the host name,
 * both valid from an hour ago for a year; kubelet.crt holds the leaf and then that CA.
 */
export async function selfSignedKubeletCertificate(host: string, now: Date): Promise<{ leafDer: Buffer; caDer: Buffer; key: KeyPair }> {
  const [caKey, key] = await Promise.all([generateKeyPair('rsa-2048'), generateKeyPair('rsa-2048')]);
  const unix = Math.floor(now.getTime() / 1000);
  const notBefore = new Date(now.getTime() - HOUR_MS);
  const notAfter = new Date(notBefore.getTime() + YEAR_MS);
  const caSigner = signerFromPrivateKey(caKey.privateKey, caKey.publicKey);
  const caDer = await buildCertificate(
    {
      subject: { commonName: `${host}-ca@${unix}` },
      publicKey: caKey.publicKey,
      notBefore,
      notAfter,
      isCA: true,
      keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'],
      serialNumber: Buffer.from([1]),
    },
    'self',
    caSigner,
  );
  const ca = parseCertificateDer(caDer);
  const isIpHost = /^[\d.]+$|:/.test(host);
  const leafDer = await buildCertificate(
    {
      subject: { commonName: `${host}@${unix}` },
      publicKey: key.publicKey,
      notBefore,
      notAfter,
      isCA: false,
      keyUsage: leafKeyUsage(key.publicKey),
      extKeyUsage: ['serverAuth'],
      dnsNames: isIpHost ? [] : [host],
      ipAddresses: isIpHost ? [host] : [],
      serialNumber: Buffer.from([2]),
    },
    { subjectDer: ca.subjectDer, subjectKeyId: ca.subjectKeyId, signer: caSigner },
  );
  return { leafDer, caDer, key };
}

/** kubelet.conf after the bootstrap (bootstrap.go writeKubeconfigFromBootstrapping): it points at the rotating pair. */
function kubeletKubeconfig(advertiseAddress: string, caPem: string): string {
  const host = advertiseAddress.includes(':') ? `[${advertiseAddress}]` : advertiseAddress;
  const current = '/var/lib/kubelet/pki/kubelet-client-current.pem';
  return stringify(
    {
      apiVersion: 'v1',
      clusters: [{ cluster: { 'certificate-authority-data': Buffer.from(caPem).toString('base64'), server: `https://${host}:6443` }, name: 'default-cluster' }],
      contexts: [{ context: { cluster: 'default-cluster', namespace: 'default', user: 'default-auth' }, name: 'default-context' }],
      'current-context': 'default-context',
      kind: 'Config',
      preferences: {},
      users: [{ name: 'default-auth', user: { 'client-certificate': current, 'client-key': current } }],
    },
    { lineWidth: 0, indentSeq: false },
  );
}

/** The part of /var/lib/kubelet/config.yaml that decides its certificates. */
function kubeletConfiguration(node: NodeRecord): string {
  return stringify(
    {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      authentication: { x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } },
      rotateCertificates: true,
      ...(node.serving === 'tls-bootstrap' ? { serverTLSBootstrap: true } : {}),
    },
    { lineWidth: 0 },
  );
}
