import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  generatePkiMaterial, resolveClusterOptions, sandboxSpecs, selfSignedKubeletCertificate, joinedNodeSpecs, generateKeyPair,
  type ClusterValues, type ExternalEtcd, type KeyType, type PkiMaterial,
} from '../../src/pki/index.js';
import { kubeconfigFor } from '../../src/pki/sandbox/sandbox.js';
import { caFromKeyPair, issueLeafCertificate } from '../../src/pki/certificates/issue.js';
import { buildCertificate, signerFromPrivateKey } from '../../src/pki/certificates/x509-build.js';
import { parseCertificateDer } from '../../src/pki/certificates/x509.js';
import { encodePem } from '../../src/pki/certificates/pem.js';
import { privateKeyToPem, publicKeyToPem } from '../../src/pki/certificates/keys.js';

/**
 * A node's root as `kubeadm init` leaves it, for tests that must not touch a real one: /etc/kubernetes
 * with pki/ (certificates 0644 and keys 0600 in 0755 directories, as client-go's certutil.WriteCert and
 * keyutil.WriteKey write them; sa.pub through keyutil.WriteKey, so 0600), the kubeconfigs (0600,
 * clientcmd.WriteToFile), the static Pod manifests (0600 in a 0700 manifests/, staticpod.WriteStaticPodToDisk)
 * with every field kubeadm's GetStaticPodSpecs and GetEtcdPodSpec set, and /var/lib/kubelet (0700,
 * kubelet phase writeConfigBytesToDisk) with the kubelet's certificate store in pki/ (0755): each
 * rotation a `kubelet-client-<2006-01-02-15-04-05>.pem` (certificate then key, 0600) and
 * `kubelet-client-current.pem` an absolute symbolic link to the newest (client-go certificate_store.go
 * updateSymlink). kubelet.conf is as kubelet-finalize leaves it: client-certificate and client-key
 * point at that link. Sources: kubernetes/kubernetes cmd/kubeadm/app/phases/{certs,kubeconfig,
 * controlplane,etcd,kubelet}, cmd/kubeadm/app/util/staticpod/utils.go, staging client-go
 * util/certificate/certificate_store.go; the manifests follow kubeadm's current source (main).
 */

export interface FakeNodeOptions {
  root: string;
  nodeName?: string;
  advertiseAddress?: string;
  serviceCidr?: string;
  podSubnet?: string;
  dnsDomain?: string;
  clusterName?: string;
  /** An HA cluster's load balancer (ClusterConfiguration.controlPlaneEndpoint). */
  controlPlaneEndpoint?: string;
  /** Stacked (an etcd static Pod with kubeadm's etcd certificates) or external (files under /etc/etcd/pki). */
  etcd?: 'stacked' | 'external';
  /** kubeadm's external CA mode: ca.crt without ca.key; the controller-manager's signing flags empty. */
  externalCa?: boolean;
  /** The kubelet's serving certificate: its own self-signed kubelet.crt, or rotated through kubelet-serving CSRs. */
  kubeletServing?: 'self-signed' | 'rotated';
  /** How many client certificates the kubelet has had (each rotation leaves its file behind). */
  clientRotations?: number;
  keyType?: KeyType;
  now?: Date;
  kubernetesVersion?: string;
}

export interface FakeNode {
  root: string;
  /** `<root>/etc/kubernetes` */
  dir: string;
  cluster: ClusterValues;
  material: PkiMaterial;
  externalEtcd: ExternalEtcd | undefined;
}

const HOUR_MS = 60 * 60 * 1000;
const YEAR_MS = 365 * 24 * HOUR_MS;
const EXTERNAL_ETCD: ExternalEtcd = {
  endpoints: ['https://10.0.0.11:2379', 'https://10.0.0.12:2379', 'https://10.0.0.13:2379'],
  caFile: '/etc/etcd/pki/ca.crt',
  certFile: '/etc/etcd/pki/apiserver-etcd-client.crt',
  keyFile: '/etc/etcd/pki/apiserver-etcd-client.key',
};

export async function makeKubeadmNode(options: FakeNodeOptions): Promise<FakeNode> {
  const { root } = options;
  const now = options.now ?? new Date();
  const externalEtcd = options.etcd === 'external' ? EXTERNAL_ETCD : undefined;
  const cluster = resolveClusterOptions({
    nodeName: options.nodeName ?? 'cp-1',
    advertiseAddress: options.advertiseAddress ?? '192.168.56.10',
    serviceCidr: options.serviceCidr ?? '10.96.0.0/12',
    dnsDomain: options.dnsDomain ?? 'cluster.local',
    keyType: options.keyType ?? 'ecdsa-p256',
    now,
    ...(options.clusterName ? { clusterName: options.clusterName } : {}),
    ...(options.controlPlaneEndpoint ? { controlPlaneEndpoint: options.controlPlaneEndpoint } : {}),
    ...(externalEtcd ? { externalEtcd } : {}),
  });
  const specs = sandboxSpecs({ cluster: { externalEtcd } });
  const material = await generatePkiMaterial(cluster, undefined, { specs });
  const dir = join(root, 'etc/kubernetes');
  rmSync(root, { recursive: true, force: true });
  directory(root, 0o755);
  directory(join(root, 'etc'), 0o755);
  directory(dir, 0o755);
  directory(join(dir, 'pki'), 0o755);
  if (!externalEtcd) directory(join(dir, 'pki/etcd'), 0o755);

  // certs phase: WriteCertAndKey writes the key (0600), then the certificate (0644)
  for (const { spec, keyPair, certificate } of material.values()) {
    if (spec.kind === 'kubeconfig') continue;
    const base = join(dir, spec.path);
    if (spec.kind === 'service-account-key') {
      file(`${base}.key`, privateKeyToPem(keyPair!.privateKey), 0o600);
      file(`${base}.pub`, publicKeyToPem(keyPair!.publicKey), 0o600);
      continue;
    }
    if (!(spec.name === 'ca' && options.externalCa)) file(`${base}.key`, privateKeyToPem(keyPair!.privateKey), 0o600);
    file(`${base}.crt`, encodePem('CERTIFICATE', certificate!.der), 0o644);
  }

  // kubeconfig phase (kubelet.conf then rewritten by kubelet-finalize); super-admin.conf only on the first control plane
  const caPem = encodePem('CERTIFICATE', material.get('ca')!.certificate!.der);
  for (const { spec, keyPair, certificate } of material.values()) {
    if (spec.kind !== 'kubeconfig') continue;
    const text = kubeconfigFor(spec, cluster, caPem, certificate!, keyPair!);
    file(join(dir, spec.path), spec.name === 'kubelet' ? afterKubeletFinalize(text) : text, 0o600);
  }

  // the external etcd's files, made by whoever runs that etcd (here: its own CA and a client certificate for the apiserver)
  if (externalEtcd) {
    directory(join(root, 'etc/etcd'), 0o755);
    directory(join(root, 'etc/etcd/pki'), 0o755);
    const caKey = await generateKeyPair('ecdsa-p256');
    const caSigner = signerFromPrivateKey(caKey.privateKey, caKey.publicKey);
    const caDer = await buildCertificate({ subject: { commonName: 'etcd-ca' }, publicKey: caKey.publicKey, notBefore: new Date(now.getTime() - HOUR_MS), notAfter: new Date(now.getTime() + 10 * YEAR_MS), isCA: true, keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'] }, 'self', caSigner);
    const ca = parseCertificateDer(caDer);
    const clientKey = await generateKeyPair('ecdsa-p256');
    const clientDer = await buildCertificate(
      { subject: { commonName: 'kube-apiserver-etcd-client' }, publicKey: clientKey.publicKey, notBefore: ca.notBefore, notAfter: new Date(now.getTime() + YEAR_MS), isCA: false, keyUsage: ['digitalSignature'], extKeyUsage: ['clientAuth'] },
      { subjectDer: ca.subjectDer, subjectKeyId: ca.subjectKeyId, signer: caSigner },
    );
    file(join(root, EXTERNAL_ETCD.caFile!), encodePem('CERTIFICATE', caDer), 0o644);
    file(join(root, EXTERNAL_ETCD.certFile!), encodePem('CERTIFICATE', clientDer), 0o644);
    file(join(root, EXTERNAL_ETCD.keyFile!), privateKeyToPem(clientKey.privateKey), 0o600);
  }

  // control-plane and etcd phases
  directory(join(dir, 'manifests'), 0o700);
  const manifests = staticPods(cluster, { podSubnet: options.podSubnet ?? '10.244.0.0/16', externalCa: options.externalCa ?? false, version: options.kubernetesVersion ?? 'v1.34.1' });
  for (const [component, pod] of Object.entries(manifests)) file(join(dir, 'manifests', `${component}.yaml`), stringify(pod, { sortMapEntries: true, indentSeq: false, lineWidth: 0 }), 0o600);

  // kubelet-start phase, then the kubelet itself
  directory(join(root, 'var'), 0o755);
  directory(join(root, 'var/lib'), 0o755);
  directory(join(root, 'var/lib/kubelet'), 0o700);
  file(join(root, 'var/lib/kubelet/config.yaml'), kubeletConfiguration(cluster, options.kubeletServing === 'rotated'), 0o644);
  directory(join(root, 'var/lib/kubelet/pki'), 0o755);
  await writeKubeletPki(root, cluster, material, options, now);
  return { root, dir, cluster, material, externalEtcd };
}

function directory(path: string, mode: number): void {
  mkdirSync(path, { recursive: true });
  chmodSync(path, mode);
}

function file(path: string, content: string, mode: number): void {
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
}

/** kubelet-finalize (runKubeletFinalizeCertRotation): the node user's data cleared, both paths set to the rotating link. */
function afterKubeletFinalize(text: string): string {
  const current = '/var/lib/kubelet/pki/kubelet-client-current.pem';
  return text.replace(/ {4}client-certificate-data: .*\n {4}client-key-data: .*\n/, `    client-certificate: ${current}\n    client-key: ${current}\n`);
}

/** client-go's certificate store: `<prefix>-<time>.pem`, then the absolute `-current` link swapped to it. */
function rotate(pki: string, prefix: string, pem: string, at: Date): void {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}-${pad(at.getUTCHours())}-${pad(at.getUTCMinutes())}-${pad(at.getUTCSeconds())}`;
  const name = `${prefix}-${stamp}.pem`;
  file(join(pki, name), pem, 0o600);
  const current = join(pki, `${prefix}-current.pem`);
  rmSync(current, { force: true });
  // the target as the node sees it: absolute, from the node's /
  symlinkSync(`/var/lib/kubelet/pki/${name}`, current);
}

async function writeKubeletPki(root: string, cluster: ClusterValues, material: PkiMaterial, options: FakeNodeOptions, now: Date): Promise<void> {
  const pki = join(root, 'var/lib/kubelet/pki');
  const node = { name: cluster.nodeName, ip: cluster.advertiseAddress, serving: options.kubeletServing === 'rotated' ? 'tls-bootstrap' as const : 'self-signed' as const, joinedAt: now.toISOString() };
  const [servingSpec, clientSpec] = joinedNodeSpecs(node);
  const ca = material.get('ca')!;
  const issuer = caFromKeyPair(ca.certificate!, ca.keyPair!);
  const rotations = options.clientRotations ?? 2;
  // each certificate from a CSR the csrsigning controller signed: backdated five minutes, a year long
  for (let index = rotations - 1; index >= 0; index--) {
    const issuedAt = new Date(now.getTime() - index * 200 * 24 * HOUR_MS);
    const key = await generateKeyPair('ecdsa-p256');
    const certificate = await issueLeafCertificate(clientSpec!, cluster, key.publicKey, issuer, { notBefore: new Date(issuedAt.getTime() - 5 * 60 * 1000), notAfter: new Date(issuedAt.getTime() + YEAR_MS) });
    rotate(pki, 'kubelet-client', encodePem('CERTIFICATE', certificate.der) + privateKeyToPem(key.privateKey), issuedAt);
  }
  if (node.serving === 'tls-bootstrap') {
    const key = await generateKeyPair('ecdsa-p256');
    const certificate = await issueLeafCertificate(servingSpec!, cluster, key.publicKey, issuer, { notBefore: new Date(now.getTime() - 5 * 60 * 1000), notAfter: new Date(now.getTime() + YEAR_MS) });
    rotate(pki, 'kubelet-server', encodePem('CERTIFICATE', certificate.der) + privateKeyToPem(key.privateKey), now);
  } else {
    // the kubelet's own: cert.GenerateSelfSignedCertKey, written by certutil.WriteCert (0644) and keyutil.WriteKey (0600)
    const selfSigned = await selfSignedKubeletCertificate(cluster.nodeName, now);
    file(join(pki, 'kubelet.crt'), encodePem('CERTIFICATE', selfSigned.leafDer) + encodePem('CERTIFICATE', selfSigned.caDer), 0o644);
    file(join(pki, 'kubelet.key'), privateKeyToPem(selfSigned.key.privateKey), 0o600);
  }
}

interface PodOptions {
  podSubnet: string;
  externalCa: boolean;
  version: string;
}

/** kubeadm's GetStaticPodSpecs and GetEtcdPodSpec, on a Debian/Ubuntu host (/etc/ca-certificates and /usr/{,local/}share/ca-certificates exist). */
function staticPods(cluster: ClusterValues, options: PodOptions): Record<string, object> {
  const pki = '/etc/kubernetes/pki';
  const ip = cluster.advertiseAddress;
  const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
  const loopback = ip.includes(':') ? '::1' : '127.0.0.1';
  const etcd = cluster.externalEtcd;
  const apiserverArgs: Record<string, string> = {
    'advertise-address': ip,
    'allow-privileged': 'true',
    'authorization-mode': 'Node,RBAC',
    'client-ca-file': `${pki}/ca.crt`,
    'enable-admission-plugins': 'NodeRestriction',
    'enable-bootstrap-token-auth': 'true',
    'etcd-cafile': etcd?.caFile ?? `${pki}/etcd/ca.crt`,
    'etcd-certfile': etcd?.certFile ?? `${pki}/apiserver-etcd-client.crt`,
    'etcd-keyfile': etcd?.keyFile ?? `${pki}/apiserver-etcd-client.key`,
    'etcd-servers': etcd ? etcd.endpoints.join(',') : `https://${hostPort(loopback, 2379)}`,
    'kubelet-client-certificate': `${pki}/apiserver-kubelet-client.crt`,
    'kubelet-client-key': `${pki}/apiserver-kubelet-client.key`,
    'kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
    'proxy-client-cert-file': `${pki}/front-proxy-client.crt`,
    'proxy-client-key-file': `${pki}/front-proxy-client.key`,
    'requestheader-allowed-names': 'front-proxy-client',
    'requestheader-client-ca-file': `${pki}/front-proxy-ca.crt`,
    'requestheader-extra-headers-prefix': 'X-Remote-Extra-',
    'requestheader-group-headers': 'X-Remote-Group',
    'requestheader-username-headers': 'X-Remote-User',
    'secure-port': '6443',
    'service-account-issuer': `https://kubernetes.default.svc.${cluster.dnsDomain}`,
    'service-account-key-file': `${pki}/sa.pub`,
    'service-account-signing-key-file': `${pki}/sa.key`,
    'service-cluster-ip-range': cluster.serviceCidr,
    'tls-cert-file': `${pki}/apiserver.crt`,
    'tls-private-key-file': `${pki}/apiserver.key`,
  };
  const controllerKubeconfig = '/etc/kubernetes/controller-manager.conf';
  const controllerArgs: Record<string, string> = {
    'allocate-node-cidrs': 'true',
    'authentication-kubeconfig': controllerKubeconfig,
    'authorization-kubeconfig': controllerKubeconfig,
    'bind-address': '127.0.0.1',
    'client-ca-file': `${pki}/ca.crt`,
    'cluster-cidr': options.podSubnet,
    'cluster-name': cluster.clusterName,
    'cluster-signing-cert-file': options.externalCa ? '' : `${pki}/ca.crt`,
    'cluster-signing-key-file': options.externalCa ? '' : `${pki}/ca.key`,
    controllers: '*,bootstrapsigner,tokencleaner',
    kubeconfig: controllerKubeconfig,
    'leader-elect': 'true',
    'requestheader-client-ca-file': `${pki}/front-proxy-ca.crt`,
    'root-ca-file': `${pki}/ca.crt`,
    'service-account-private-key-file': `${pki}/sa.key`,
    'service-cluster-ip-range': cluster.serviceCidr,
    'use-service-account-credentials': 'true',
  };
  const schedulerKubeconfig = '/etc/kubernetes/scheduler.conf';
  const schedulerArgs: Record<string, string> = {
    'authentication-kubeconfig': schedulerKubeconfig,
    'authorization-kubeconfig': schedulerKubeconfig,
    'bind-address': '127.0.0.1',
    kubeconfig: schedulerKubeconfig,
    'leader-elect': 'true',
  };
  const clientUrl = `https://${hostPort(ip, 2379)}`;
  const peerUrl = `https://${hostPort(ip, 2380)}`;
  const etcdArgs: Record<string, string> = {
    'advertise-client-urls': clientUrl,
    'cert-file': `${pki}/etcd/server.crt`,
    'client-cert-auth': 'true',
    'data-dir': '/var/lib/etcd',
    'feature-gates': 'InitialCorruptCheck=true',
    'initial-advertise-peer-urls': peerUrl,
    'initial-cluster': `${cluster.nodeName}=${peerUrl}`,
    'key-file': `${pki}/etcd/server.key`,
    'listen-client-urls': `https://${hostPort(loopback, 2379)},${clientUrl}`,
    'listen-metrics-urls': `http://${hostPort(loopback, 2381)}`,
    'listen-peer-urls': peerUrl,
    name: cluster.nodeName,
    'peer-cert-file': `${pki}/etcd/peer.crt`,
    'peer-client-cert-auth': 'true',
    'peer-key-file': `${pki}/etcd/peer.key`,
    'peer-trusted-ca-file': `${pki}/etcd/ca.crt`,
    'snapshot-count': '10000',
    'trusted-ca-file': `${pki}/etcd/ca.crt`,
    'watch-progress-notify-interval': '5s',
  };
  // kubeadm's ArgumentsToCommand: `--name=value`, sorted by name
  const command = (name: string, args: Record<string, string>) => [name, ...Object.keys(args).sort().map((key) => `--${key}=${args[key]}`)];
  const caCertVolumes = [
    ['ca-certs', '/etc/ssl/certs'],
    ['etc-ca-certificates', '/etc/ca-certificates'],
    ['usr-local-share-ca-certificates', '/usr/local/share/ca-certificates'],
    ['usr-share-ca-certificates', '/usr/share/ca-certificates'],
  ] as const;
  type Volume = { name: string; path: string; type: string; readOnly: boolean };
  const apiserverVolumes: Volume[] = [
    ...caCertVolumes.map(([name, path]) => ({ name, path, type: 'DirectoryOrCreate', readOnly: true })),
    { name: 'k8s-certs', path: pki, type: 'DirectoryOrCreate', readOnly: true },
    ...(etcd ? [{ name: 'etcd-certs-0', path: '/etc/etcd/pki', type: 'DirectoryOrCreate', readOnly: true }] : []),
  ];
  const controllerVolumes: Volume[] = [
    ...caCertVolumes.map(([name, path]) => ({ name, path, type: 'DirectoryOrCreate', readOnly: true })),
    { name: 'flexvolume-dir', path: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', type: 'DirectoryOrCreate', readOnly: false },
    { name: 'k8s-certs', path: pki, type: 'DirectoryOrCreate', readOnly: true },
    { name: 'kubeconfig', path: controllerKubeconfig, type: 'FileOrCreate', readOnly: true },
  ];
  const schedulerVolumes: Volume[] = [{ name: 'kubeconfig', path: schedulerKubeconfig, type: 'FileOrCreate', readOnly: true }];
  const sorted = (volumes: Volume[]) => [...volumes].sort((a, b) => (a.name < b.name ? -1 : 1));
  const mounts = (volumes: Volume[]) => volumes.map((v) => ({ mountPath: v.path, name: v.name, ...(v.readOnly ? { readOnly: true } : {}) }));
  const hostVolumes = (volumes: Volume[]) => volumes.map((v) => ({ hostPath: { path: v.path, type: v.type }, name: v.name }));
  // LivenessProbe (10, 15, 8, 10), ReadinessProbe (0, 15, 3, 1), StartupProbe (10, 15, ceil(4m / 10s), 10)
  const probe = (host: string, path: string, port: number, scheme: string, kind: 'liveness' | 'readiness' | 'startup') => ({
    failureThreshold: kind === 'liveness' ? 8 : kind === 'readiness' ? 3 : 24,
    httpGet: { host, path, port, scheme },
    ...(kind === 'readiness' ? {} : { initialDelaySeconds: 10 }),
    periodSeconds: kind === 'readiness' ? 1 : 10,
    timeoutSeconds: 15,
  });
  const pod = (name: string, container: object, volumes: Volume[], annotations?: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...(annotations ? { annotations } : {}), labels: { component: name, tier: 'control-plane' }, name, namespace: 'kube-system' },
    spec: {
      containers: [{ name, ...container }],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes: hostVolumes(sorted(volumes)),
    },
    status: {},
  });
  const image = (name: string) => `registry.k8s.io/${name}:${options.version}`;
  const pods: Record<string, object> = {
    'kube-apiserver': pod('kube-apiserver', {
      command: command('kube-apiserver', apiserverArgs),
      image: image('kube-apiserver'),
      imagePullPolicy: 'IfNotPresent',
      livenessProbe: probe(ip, '/livez', 6443, 'HTTPS', 'liveness'),
      readinessProbe: probe(ip, '/readyz', 6443, 'HTTPS', 'readiness'),
      resources: { requests: { cpu: '250m' } },
      startupProbe: probe(ip, '/livez', 6443, 'HTTPS', 'startup'),
      volumeMounts: mounts(sorted(apiserverVolumes)),
    }, apiserverVolumes, { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': hostPort(ip, 6443) }),
    'kube-controller-manager': pod('kube-controller-manager', {
      command: command('kube-controller-manager', controllerArgs),
      image: image('kube-controller-manager'),
      imagePullPolicy: 'IfNotPresent',
      livenessProbe: probe('127.0.0.1', '/healthz', 10257, 'HTTPS', 'liveness'),
      resources: { requests: { cpu: '200m' } },
      startupProbe: probe('127.0.0.1', '/healthz', 10257, 'HTTPS', 'startup'),
      volumeMounts: mounts(sorted(controllerVolumes)),
    }, controllerVolumes),
    'kube-scheduler': pod('kube-scheduler', {
      command: command('kube-scheduler', schedulerArgs),
      image: image('kube-scheduler'),
      imagePullPolicy: 'IfNotPresent',
      livenessProbe: probe('127.0.0.1', '/healthz', 10259, 'HTTPS', 'liveness'),
      resources: { requests: { cpu: '100m' } },
      startupProbe: probe('127.0.0.1', '/healthz', 10259, 'HTTPS', 'startup'),
      volumeMounts: mounts(sorted(schedulerVolumes)),
    }, schedulerVolumes),
  };
  if (!etcd) {
    const etcdVolumes: Volume[] = [
      { name: 'etcd-data', path: '/var/lib/etcd', type: 'DirectoryOrCreate', readOnly: false },
      { name: 'etcd-certs', path: `${pki}/etcd`, type: 'DirectoryOrCreate', readOnly: false },
    ];
    pods['etcd'] = pod('etcd', {
      command: command('etcd', etcdArgs),
      image: 'registry.k8s.io/etcd:3.6.4-0',
      imagePullPolicy: 'IfNotPresent',
      livenessProbe: probe(loopback, '/livez', 2381, 'HTTP', 'liveness'),
      readinessProbe: probe(loopback, '/readyz', 2381, 'HTTP', 'readiness'),
      resources: { requests: { cpu: '100m', memory: '100Mi' } },
      startupProbe: probe(loopback, '/readyz', 2381, 'HTTP', 'startup'),
      // GetEtcdPodSpec lists the mounts in this order (data, then certificates); volumes come sorted
      volumeMounts: mounts(etcdVolumes),
    }, etcdVolumes, { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': clientUrl });
  }
  return pods;
}

/** /var/lib/kubelet/config.yaml as kubeadm writes it (the defaulted KubeletConfiguration kubeadm sends the kubelet). */
function kubeletConfiguration(cluster: ClusterValues, serverTlsBootstrap: boolean): string {
  const dnsIp = cluster.apiServerServiceIp.replace(/\.1$/, '.10');
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    authentication: { anonymous: { enabled: false }, webhook: { cacheTTL: '0s', enabled: true }, x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } },
    authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '0s', cacheUnauthorizedTTL: '0s' } },
    cgroupDriver: 'systemd',
    clusterDNS: [dnsIp],
    clusterDomain: cluster.dnsDomain,
    containerRuntimeEndpoint: '',
    cpuManagerReconcilePeriod: '0s',
    evictionPressureTransitionPeriod: '0s',
    fileCheckFrequency: '0s',
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    httpCheckFrequency: '0s',
    imageMaximumGCAge: '0s',
    imageMinimumGCAge: '0s',
    kind: 'KubeletConfiguration',
    logging: { flushFrequency: 0, options: { json: { infoBufferSize: '0' }, text: { infoBufferSize: '0' } }, verbosity: 0 },
    memorySwap: {},
    nodeStatusReportFrequency: '0s',
    nodeStatusUpdateFrequency: '0s',
    rotateCertificates: true,
    runtimeRequestTimeout: '0s',
    ...(serverTlsBootstrap ? { serverTLSBootstrap: true } : {}),
    shutdownGracePeriod: '0s',
    shutdownGracePeriodCriticalPods: '0s',
    staticPodPath: '/etc/kubernetes/manifests',
    streamingConnectionIdleTimeout: '0s',
    syncFrequency: '0s',
    volumeStatsAggPeriod: '0s',
  }, { indentSeq: false, lineWidth: 0 });
}
