import { isIP } from 'node:net';
import type { ClusterValues } from './options.js';
import type { SubjectLocation } from './name.js';
import { KUBEADM_SPECS, type AltNames, type CertificateSpec, type ExtendedUsage } from './spec.js';
import type { Words } from '../../errors.js';

/**
 * A sandbox's certificate table: the rows of its profile (kubeadm's list, or the identities of
 * "Kubernetes the Hard Way"), plus rows for its worker nodes. Everything that walks "the certificates
 * of this sandbox" asks `sandboxSpecs`; generation, renewal and handshakes stay one generic routine.
 */

export const PKI_PROFILES = ['kubeadm', 'hard-way'] as const;
export type PkiProfile = (typeof PKI_PROFILES)[number];

export function isPkiProfile(value: string): value is PkiProfile {
  return (PKI_PROFILES as readonly string[]).includes(value);
}

/** A hard-way worker: its kubelet certificate is made with the cluster, signed directly by the CA. */
export interface WorkerRecord {
  name: string;
  ip: string;
}

/** How a node added with `pki add-node` serves on :10250. */
export type KubeletServing = 'self-signed' | 'tls-bootstrap';

/** A node that joined through the kubelet's TLS bootstrap (`pki add-node`). */
export interface NodeRecord {
  name: string;
  ip: string;
  serving: KubeletServing;
  joinedAt: string;
  /**
   * Where its /var/lib/kubelet/pki is, relative to the directory that stands for /etc/kubernetes. Only
   * the node of a directory kubeadm wrote has one (`../../var/lib/kubelet/pki`); the others live in `nodes/NAME/`.
   */
  pkiDir?: string;
}

/** What of the sandbox record decides its table (SandboxState carries these fields). */
export interface SandboxLayout {
  profile?: PkiProfile;
  workers?: WorkerRecord[];
  nodes?: NodeRecord[];
  /** With an external etcd (ClusterConfiguration.etcd.external) kubeadm makes no etcd certificates. */
  cluster?: { externalEtcd?: unknown };
}

/** Kubernetes the Hard Way's defaults (the cfssl edition: 10.32.0.0/24 services, workers at 10.240.0.2x). */
export const HARD_WAY_SERVICE_CIDR = '10.32.0.0/24';
export const HARD_WAY_DEFAULT_WORKERS: readonly WorkerRecord[] = [
  { name: 'worker-0', ip: '10.240.0.20' },
  { name: 'worker-1', ip: '10.240.0.21' },
  { name: 'worker-2', ip: '10.240.0.22' },
];

/**
 * The tutorial's cfssl CSRs carry location fields. They are kept: OpenSSL compares names without regard
 * to case, so without its OU the CA (CN=Kubernetes, O=Kubernetes) and the API server (CN=kubernetes,
 * O=Kubernetes) would have the same name and the API server's certificate would look self-issued.
 */
const HARD_WAY_CA_LOCATION: SubjectLocation = { country: 'US', province: 'Oregon', locality: 'Portland', organizationalUnit: 'CA' };
const HARD_WAY_LOCATION: SubjectLocation = { country: 'US', province: 'Oregon', locality: 'Portland', organizationalUnit: 'Kubernetes The Hard Way' };

const KUBELET_PORT = 10250;
const HARD_WAY_CLUSTER = 'kubernetes-the-hard-way';
// the tutorial signs every certificate with one cfssl profile: "signing, key encipherment, server auth, client auth"
const HARD_WAY_USAGES: ExtendedUsage[] = ['serverAuth', 'clientAuth'];

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * kube-api-server SANs as the tutorial lists them: the service IP, the controller's address, 127.0.0.1
 * and the `kubernetes` Service names. The tutorial's fifth name reads `kubernetes.svc.cluster.local`, a
 * typo for `kubernetes.default.svc.cluster.local` (kelseyhightower/kubernetes-the-hard-way#547); the
 * sandbox uses the name clients actually resolve.
 */
function hardWayApiServerAltNames(cluster: ClusterValues): AltNames {
  const dns = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster', `kubernetes.default.svc.${cluster.dnsDomain}`];
  const ip = [cluster.apiServerServiceIp, cluster.advertiseAddress, '127.0.0.1'];
  for (const san of cluster.apiServerCertSans) (isIP(san) ? ip : dns).push(san);
  return { dns: unique(dns), ip: unique(ip) };
}

function hardWayClient(name: string, commonName: string, organization: string, server: 'loopback' | 'advertise', usedBy: CertificateSpec['usedBy']): CertificateSpec {
  return ({
    name,
    kind: 'leaf',
    path: `pki/${name}`,
    expirationName: name,
    signer: 'ca',
    commonName: () => commonName,
    organizations: () => [organization],
    subjectLocation: HARD_WAY_LOCATION,
    usages: HARD_WAY_USAGES,
    about: { key: `pki.certificate.hard-way.${name}` },
    usedBy,
    trustsServersSignedBy: 'ca',
    kubeconfig: { path: `${name}.kubeconfig`, clusterName: HARD_WAY_CLUSTER, contextName: 'default', server },
  });
}

/**
 * "Kubernetes the Hard Way" (kelseyhightower/kubernetes-the-hard-way, the cfssl edition:
 * docs/04-certificate-authority.md and 05-kubernetes-configuration-files.md), with its subjects: CN and
 * O, which Kubernetes reads as user and groups, and the C/ST/L/OU the tutorial writes.
 */
export const HARD_WAY_SPECS: readonly CertificateSpec[] = [
  ...([
  {
    name: 'ca',
    kind: 'ca',
    path: 'pki/ca',
    expirationName: 'ca',
    signer: 'self',
    commonName: () => 'Kubernetes',
    organizations: () => ['Kubernetes'],
    subjectLocation: HARD_WAY_CA_LOCATION,
    usages: [],
    about: { key: 'pki.certificate.hard-way.ca' },
    usedBy: [
      { component: 'kube-apiserver', flag: '--client-ca-file', file: 'crt' },
      { component: 'kube-apiserver', flag: '--kubelet-certificate-authority', file: 'crt' },
      { component: 'kube-controller-manager', flag: '--cluster-signing-cert-file', file: 'crt' },
      { component: 'kube-controller-manager', flag: '--cluster-signing-key-file', file: 'key' },
      { component: 'kube-controller-manager', flag: '--root-ca-file', file: 'crt' },
      { component: 'kubelet', flag: 'authentication.x509.clientCAFile', file: 'crt' },
    ],
  },
  {
    name: 'kube-api-server',
    kind: 'leaf',
    path: 'pki/kube-api-server',
    expirationName: 'kube-api-server',
    signer: 'ca',
    commonName: () => 'kubernetes',
    organizations: () => ['Kubernetes'],
    subjectLocation: HARD_WAY_LOCATION,
    usages: HARD_WAY_USAGES,
    altNames: hardWayApiServerAltNames,
    about: { key: 'pki.certificate.hard-way.kube-api-server' },
    usedBy: [
      { component: 'kube-apiserver', flag: '--tls-cert-file', file: 'crt' },
      { component: 'kube-apiserver', flag: '--tls-private-key-file', file: 'key' },
      { component: 'kube-apiserver', flag: '--kubelet-client-certificate', file: 'crt' },
      { component: 'kube-apiserver', flag: '--kubelet-client-key', file: 'key' },
      { component: 'kube-apiserver', flag: '--etcd-certfile', file: 'crt' },
      { component: 'kube-apiserver', flag: '--etcd-keyfile', file: 'key' },
    ],
    server: { component: 'kube-apiserver', port: 6443, clientCAs: ['ca'], dialedHost: (cluster) => cluster.advertiseAddress },
    // --kubelet-certificate-authority=ca.pem: the apiserver verifies kubelets against the cluster CA
    trustsServersSignedBy: 'ca',
  },
  {
    name: 'service-accounts',
    kind: 'leaf',
    path: 'pki/service-accounts',
    expirationName: 'service-accounts',
    signer: 'ca',
    commonName: () => 'service-accounts',
    organizations: () => ['Kubernetes'],
    subjectLocation: HARD_WAY_LOCATION,
    usages: HARD_WAY_USAGES,
    about: { key: 'pki.certificate.hard-way.service-accounts' },
    usedBy: [
      { component: 'kube-apiserver', flag: '--service-account-key-file', file: 'crt' },
      { component: 'kube-apiserver', flag: '--service-account-signing-key-file', file: 'key' },
      { component: 'kube-controller-manager', flag: '--service-account-private-key-file', file: 'key' },
    ],
  },
  ] satisfies CertificateSpec[]),
  hardWayClient('admin', 'admin', 'system:masters', 'loopback', [
    { component: 'kubectl', flag: '--kubeconfig', file: 'conf' },
  ]),
  hardWayClient('kube-controller-manager', 'system:kube-controller-manager', 'system:kube-controller-manager', 'loopback', [
    { component: 'kube-controller-manager', flag: '--kubeconfig', file: 'conf' },
  ]),
  hardWayClient('kube-scheduler', 'system:kube-scheduler', 'system:kube-scheduler', 'loopback', [
    { component: 'kube-scheduler', flag: 'clientConnection.kubeconfig', file: 'conf' },
  ]),
  hardWayClient('kube-proxy', 'system:kube-proxy', 'system:node-proxier', 'advertise', [
    { component: 'kube-proxy', flag: 'clientConnection.kubeconfig', file: 'conf' },
  ]),
];

/**
 * One hard-way worker certificate (docs/04: `cfssl gencert -hostname=${instance},${EXTERNAL_IP},${INTERNAL_IP}`):
 * the Node authorizer's identity as a client, and the kubelet's serving certificate on :10250.
 */
export function hardWayWorkerSpec(worker: WorkerRecord): CertificateSpec {
  return ({
    name: `node/${worker.name}`,
    kind: 'leaf',
    path: `pki/${worker.name}`,
    expirationName: worker.name,
    signer: 'ca',
    commonName: () => `system:node:${worker.name}`,
    organizations: () => ['system:nodes'],
    subjectLocation: HARD_WAY_LOCATION,
    usages: HARD_WAY_USAGES,
    altNames: () => ({ dns: [worker.name], ip: [worker.ip] }),
    about: { key: 'pki.certificate.node.hard-way', params: { node: worker.name, port: KUBELET_PORT } },
    usedBy: [
      { component: 'kubelet', flag: 'tlsCertFile', file: 'crt' },
      { component: 'kubelet', flag: 'tlsPrivateKeyFile', file: 'key' },
      { component: 'kubelet', flag: '--kubeconfig', file: 'conf' },
    ],
    server: kubeletServerRole(worker),
    trustsServersSignedBy: 'ca',
    kubeconfig: { path: `${worker.name}.kubeconfig`, clusterName: HARD_WAY_CLUSTER, contextName: 'default', server: 'advertise' },
    node: worker.name,
  });
}

function kubeletServerRole(node: { name: string; ip: string }): NonNullable<CertificateSpec['server']> {
  // the kubelet's authentication.x509.clientCAFile is the cluster CA; the apiserver dials the node's InternalIP
  return { component: 'kubelet', port: KUBELET_PORT, clientCAs: ['ca'], dialedHost: () => node.ip };
}

/** Where a joined node keeps its files, under the sandbox: `nodes/NAME/` stands for the node's `/`. */
export function nodeRoot(name: string): string {
  return `nodes/${name}`;
}

export function kubeletPkiDir(name: string): string {
  return `${nodeRoot(name)}/var/lib/kubelet/pki`;
}

/**
 * The rows of a node that joined with the kubelet's TLS bootstrap: its client certificate
 * (kubelet-client-current.pem, from a CSR the cluster CA signed) and its serving certificate (kubelet.crt
 * it made for itself, or kubelet-server-current.pem from a kubelet-serving CSR).
 */
export function joinedNodeSpecs(node: NodeRecord): CertificateSpec[] {
  const pki = node.pkiDir ?? kubeletPkiDir(node.name);
  const identity = { commonName: () => `system:node:${node.name}`, organizations: () => ['system:nodes'] };
  const serving: CertificateSpec =
    node.serving === 'self-signed'
      ? {
          name: `node/${node.name}`,
          kind: 'leaf',
          path: `${pki}/kubelet`,
          expirationName: `${node.name}/kubelet.crt`,
          signer: 'self',
          selfSignedByKubelet: true,
          // client-go names the certificate after the host and the moment it was made
          commonName: () => `${node.name}@<unix time>`,
          organizations: () => [],
          usages: ['serverAuth'],
          altNames: () => ({ dns: [node.name], ip: [] }),
          about: { key: 'pki.certificate.node.self-signed', params: { node: node.name, port: KUBELET_PORT } },
          usedBy: [
            { component: 'kubelet', flag: 'tlsCertFile (default /var/lib/kubelet/pki/kubelet.crt)', file: 'crt' },
            { component: 'kubelet', flag: 'tlsPrivateKeyFile (default /var/lib/kubelet/pki/kubelet.key)', file: 'key' },
          ],
          server: kubeletServerRole(node),
          rotatedByKubelet: true,
          node: node.name,
        }
      : {
          name: `node/${node.name}`,
          kind: 'leaf',
          path: `${pki}/kubelet-server-current.pem`,
          expirationName: `${node.name}/kubelet-server-current.pem`,
          signer: 'ca',
          pemBundle: true,
          ...identity,
          usages: ['serverAuth'],
          altNames: () => ({ dns: [node.name], ip: [node.ip] }),
          about: { key: 'pki.certificate.node.tls-bootstrap', params: { node: node.name, port: KUBELET_PORT } },
          usedBy: [{ component: 'kubelet', flag: 'serverTLSBootstrap', file: 'crt' }],
          server: kubeletServerRole(node),
          rotatedByKubelet: true,
          node: node.name,
        };
  const client: CertificateSpec = {
    name: `node/${node.name}/client`,
    kind: 'leaf',
    path: `${pki}/kubelet-client-current.pem`,
    expirationName: `${node.name}/kubelet-client-current.pem`,
    signer: 'ca',
    pemBundle: true,
    ...identity,
    usages: ['clientAuth'],
    about: { key: 'pki.certificate.node.client', params: { node: node.name } },
    usedBy: [{ component: 'kubelet', flag: '--kubeconfig (/etc/kubernetes/kubelet.conf)', file: 'crt' }],
    trustsServersSignedBy: 'ca',
    rotatedByKubelet: true,
    node: node.name,
  };
  return [serving, client];
}

/** The table for a sandbox: its profile's rows, then one or two rows per worker node. */
export function sandboxSpecs(layout: SandboxLayout = {}): CertificateSpec[] {
  const profileRows = (layout.profile ?? 'kubeadm') === 'hard-way' ? HARD_WAY_SPECS : KUBEADM_SPECS;
  // certlist.go GetCertsWithoutEtcd: no etcd CA, no etcd server, peer and healthcheck certificates, no apiserver-etcd-client
  const base = layout.cluster?.externalEtcd ? profileRows.filter((spec) => spec.name !== 'etcd/ca' && spec.signer !== 'etcd/ca') : profileRows;
  return [...base, ...(layout.workers ?? []).map(hardWayWorkerSpec), ...(layout.nodes ?? []).flatMap(joinedNodeSpecs)];
}

/** What a learner reads about a profile: catalogue words (`pki.profile.<name>`). */
export const PROFILE_SUMMARIES: Record<PkiProfile, Words> = {
  kubeadm: { key: 'pki.profile.kubeadm' },
  'hard-way': { key: 'pki.profile.hard-way' },
};
