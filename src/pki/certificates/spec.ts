import { isIP, isIPv6 } from 'node:net';
import { splitHostPort, type ClusterValues } from './options.js';
import type { SubjectLocation } from './name.js';
import { say, type Words } from '../../errors.js';
import { BASE_LANGUAGE, type Language } from '../../locale/catalogue.js';

/**
 * kubeadm's certificate list (cmd/kubeadm/app/phases/certs/certlist.go and the kubeconfig phase)
 * as one table. Generation, check-expiration, handshakes, faults, lessons and quiz questions all
 * read it: adding a certificate is adding a row.
 */

export type CaName = 'ca' | 'front-proxy-ca' | 'etcd/ca';

/** The control-plane components kubeadm runs as static Pods (one manifest each in /etc/kubernetes/manifests). */
export const STATIC_POD_COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
export type StaticPodComponent = (typeof STATIC_POD_COMPONENTS)[number];

export function isStaticPodComponent(value: string): value is StaticPodComponent {
  return (STATIC_POD_COMPONENTS as readonly string[]).includes(value);
}
export type ExtendedUsage = 'serverAuth' | 'clientAuth';
export type SpecKind = 'ca' | 'leaf' | 'kubeconfig' | 'service-account-key';

export interface AltNames {
  dns: string[];
  ip: string[];
}

/** Where a file is wired in: a component's flag (or config field) and which half of the pair it takes. */
export interface FileUse {
  component: StaticPodComponent | 'kubelet' | 'kube-proxy' | 'kubectl';
  flag: string;
  file: 'crt' | 'key' | 'pub' | 'conf';
  /**
   * For a CA file: whose certificates the component checks with it. `clients` on its serving port,
   * `peers` on etcd's peer port, `servers` when it dials out (the apiserver checking etcd).
   */
  verifies?: 'clients' | 'peers' | 'servers';
}

export interface ServerRole {
  /** The component that presents this certificate when it serves TLS. */
  component: string;
  port: number;
  /** CAs whose client certificates the server accepts. */
  clientCAs: CaName[];
  /** The address clients dial, as written in their configuration. */
  dialedHost(cluster: ClusterValues): string;
  /** etcd's peer listener: its clients are other members, checked with the peer CA flag. */
  peers?: true;
}

export interface CertificateSpec {
  /** The sandbox name learners type: `apiserver`, `etcd/server`, `admin`. */
  name: string;
  kind: SpecKind;
  /** Path under the sandbox directory without extension (`pki/apiserver`), or the kubeconfig file. */
  path: string;
  /** The name `kubeadm certs check-expiration` prints (`etcd-server`, `admin.conf`). */
  expirationName: string;
  signer: CaName | 'self';
  commonName(cluster: ClusterValues): string;
  organizations(cluster: ClusterValues): string[];
  /** C/ST/L/OU, for tools that write them (the hard way's cfssl CSRs); kubeadm writes none. */
  subjectLocation?: SubjectLocation;
  usages: ExtendedUsage[];
  altNames?(cluster: ClusterValues): AltNames;
  /** One line a learner reads: what this certificate is for, as catalogue words (`purposeOf` says it in a language). */
  about: Words;
  usedBy: FileUse[];
  server?: ServerRole;
  /** The CA this identity uses to verify the servers it talks to, when it acts as a client. */
  trustsServersSignedBy?: CaName;
  /**
   * Where the real client takes that trust from when no CA file of kubeadm's gives it. The sandbox
   * still checks the server with `trustsServersSignedBy` (the CA that signed the server it dials), and
   * a handshake says both.
   */
  serverTrustSource?: Words;
  /** The kubelet renews its own client certificate, so kubeadm's check-expiration and renew skip it. */
  rotatedByKubelet?: true;
  /** Certificate and key in one PEM file at `path` (extension included), as the kubelet's certificate store keeps them. */
  pemBundle?: true;
  /** Not signed by a cluster CA: the kubelet made it for itself (client-go GenerateSelfSignedCertKey). */
  selfSignedByKubelet?: true;
  /** A kubeconfig that embeds this leaf's certificate and key ("Kubernetes the Hard Way" keeps both). */
  kubeconfig?: KubeconfigFile;
  /** The worker node the row belongs to (a hard-way worker or a node added with `pki add-node`). */
  node?: string;
  /**
   * The apiserver a kubeadm kubeconfig names (kubeconfig phase, getKubeConfigSpecsBase): the
   * controlPlaneEndpoint for admin and super-admin, this node's own address for the controller-manager
   * and the scheduler, and for a control-plane node's kubelet.conf too since kubeadm v1.33 (the
   * ControlPlaneKubeletLocalMode feature gate, on by default; before, it named the endpoint).
   */
  dials?: 'endpoint' | 'local';
}

export interface KubeconfigFile {
  path: string;
  clusterName: string;
  contextName: string;
  /** Control-plane components on the controller dial the local apiserver; everything else the advertised address. */
  server: 'loopback' | 'advertise';
}

const noOrganizations = (): string[] => [];

/** What a certificate is for, in one line of `language`. */
export function purposeOf(spec: Pick<CertificateSpec, 'about'>, language: Language = BASE_LANGUAGE): string {
  return say(language, spec.about);
}

function apiServerAltNames(cluster: ClusterValues): AltNames {
  const dns = [
    cluster.nodeName,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${cluster.dnsDomain}`,
  ];
  const ip = [cluster.apiServerServiceIp, cluster.advertiseAddress];
  // GetAPIServerAltNames: the controlPlaneEndpoint's host (a name or an address) comes before apiServer.certSANs
  if (cluster.controlPlaneEndpoint) {
    const { host } = splitHostPort(cluster.controlPlaneEndpoint);
    (isIP(host) ? ip : dns).push(host);
  }
  for (const san of cluster.apiServerCertSans) (isIP(san) ? ip : dns).push(san);
  return { dns: unique(dns), ip: unique(ip) };
}

function etcdAltNames(cluster: ClusterValues): AltNames {
  return { dns: unique([cluster.nodeName, 'localhost']), ip: unique([cluster.advertiseAddress, '127.0.0.1', '::1']) };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** 127.0.0.1, or ::1 when the cluster advertises an IPv6 address (kubeadm's etcdLocalhostAddress). */
export function loopbackFor(address: string): string {
  return isIPv6(address) ? '::1' : '127.0.0.1';
}

/** kubeadm's list (the default profile). */
export const KUBEADM_SPECS: readonly CertificateSpec[] = ([
  {
    name: 'ca',
    kind: 'ca',
    path: 'pki/ca',
    expirationName: 'ca',
    signer: 'self',
    commonName: () => 'kubernetes',
    organizations: noOrganizations,
    usages: [],
    about: { key: 'pki.certificate.ca' },
    usedBy: [
      { component: 'kube-apiserver', flag: '--client-ca-file', file: 'crt', verifies: 'clients' },
      { component: 'kube-controller-manager', flag: '--client-ca-file', file: 'crt', verifies: 'clients' },
      { component: 'kube-controller-manager', flag: '--cluster-signing-cert-file', file: 'crt' },
      { component: 'kube-controller-manager', flag: '--cluster-signing-key-file', file: 'key' },
      { component: 'kube-controller-manager', flag: '--root-ca-file', file: 'crt' },
      { component: 'kubelet', flag: 'authentication.x509.clientCAFile', file: 'crt' },
    ],
  },
  {
    name: 'apiserver',
    kind: 'leaf',
    path: 'pki/apiserver',
    expirationName: 'apiserver',
    signer: 'ca',
    commonName: () => 'kube-apiserver',
    organizations: noOrganizations,
    usages: ['serverAuth'],
    altNames: apiServerAltNames,
    about: { key: 'pki.certificate.apiserver' },
    usedBy: [
      { component: 'kube-apiserver', flag: '--tls-cert-file', file: 'crt' },
      { component: 'kube-apiserver', flag: '--tls-private-key-file', file: 'key' },
    ],
    server: {
      component: 'kube-apiserver',
      port: 6443,
      clientCAs: ['ca', 'front-proxy-ca'],
      dialedHost: (cluster) => cluster.advertiseAddress,
    },
  },
  {
    name: 'apiserver-kubelet-client',
    kind: 'leaf',
    path: 'pki/apiserver-kubelet-client',
    expirationName: 'apiserver-kubelet-client',
    signer: 'ca',
    commonName: () => 'kube-apiserver-kubelet-client',
    organizations: () => ['kubeadm:cluster-admins'],
    usages: ['clientAuth'],
    about: { key: 'pki.certificate.apiserver-kubelet-client' },
    usedBy: [
      { component: 'kube-apiserver', flag: '--kubelet-client-certificate', file: 'crt' },
      { component: 'kube-apiserver', flag: '--kubelet-client-key', file: 'key' },
    ],
    trustsServersSignedBy: 'ca',
    // kubeadm sets no --kubelet-certificate-authority, so the apiserver does not verify kubelets at all
    serverTrustSource: { key: 'pki.trust-source.apiserver-kubelet-client' },
  },
  {
    name: 'front-proxy-ca',
    kind: 'ca',
    path: 'pki/front-proxy-ca',
    expirationName: 'front-proxy-ca',
    signer: 'self',
    commonName: () => 'front-proxy-ca',
    organizations: noOrganizations,
    usages: [],
    about: { key: 'pki.certificate.front-proxy-ca' },
    usedBy: [
      { component: 'kube-apiserver', flag: '--requestheader-client-ca-file', file: 'crt', verifies: 'clients' },
      { component: 'kube-controller-manager', flag: '--requestheader-client-ca-file', file: 'crt', verifies: 'clients' },
    ],
  },
  {
    name: 'front-proxy-client',
    kind: 'leaf',
    path: 'pki/front-proxy-client',
    expirationName: 'front-proxy-client',
    signer: 'front-proxy-ca',
    commonName: () => 'front-proxy-client',
    organizations: noOrganizations,
    usages: ['clientAuth'],
    about: { key: 'pki.certificate.front-proxy-client' },
    usedBy: [
      { component: 'kube-apiserver', flag: '--proxy-client-cert-file', file: 'crt' },
      { component: 'kube-apiserver', flag: '--proxy-client-key-file', file: 'key' },
    ],
    // the sandbox's stand-in for an extension API server is the apiserver itself, whose caBundle would be ca.crt
    trustsServersSignedBy: 'ca',
    serverTrustSource: { key: 'pki.trust-source.front-proxy-client' },
  },
  {
    name: 'etcd/ca',
    kind: 'ca',
    path: 'pki/etcd/ca',
    expirationName: 'etcd-ca',
    signer: 'self',
    commonName: () => 'etcd-ca',
    organizations: noOrganizations,
    usages: [],
    about: { key: 'pki.certificate.etcd-ca' },
    usedBy: [
      { component: 'kube-apiserver', flag: '--etcd-cafile', file: 'crt', verifies: 'servers' },
      { component: 'etcd', flag: '--trusted-ca-file', file: 'crt', verifies: 'clients' },
      { component: 'etcd', flag: '--peer-trusted-ca-file', file: 'crt', verifies: 'peers' },
    ],
  },
  {
    name: 'etcd/server',
    kind: 'leaf',
    path: 'pki/etcd/server',
    expirationName: 'etcd-server',
    signer: 'etcd/ca',
    commonName: (cluster) => cluster.nodeName,
    organizations: noOrganizations,
    usages: ['serverAuth', 'clientAuth'],
    altNames: etcdAltNames,
    about: { key: 'pki.certificate.etcd-server' },
    usedBy: [
      { component: 'etcd', flag: '--cert-file', file: 'crt' },
      { component: 'etcd', flag: '--key-file', file: 'key' },
    ],
    // the apiserver dials etcd on the loopback address of the advertise address's family (kubeadm's --etcd-servers)
    server: { component: 'etcd', port: 2379, clientCAs: ['etcd/ca'], dialedHost: (cluster) => loopbackFor(cluster.advertiseAddress) },
    trustsServersSignedBy: 'etcd/ca',
  },
  {
    name: 'etcd/peer',
    kind: 'leaf',
    path: 'pki/etcd/peer',
    expirationName: 'etcd-peer',
    signer: 'etcd/ca',
    commonName: (cluster) => cluster.nodeName,
    organizations: noOrganizations,
    usages: ['serverAuth', 'clientAuth'],
    altNames: etcdAltNames,
    about: { key: 'pki.certificate.etcd-peer' },
    usedBy: [
      { component: 'etcd', flag: '--peer-cert-file', file: 'crt' },
      { component: 'etcd', flag: '--peer-key-file', file: 'key' },
    ],
    server: { component: 'etcd (peer)', port: 2380, clientCAs: ['etcd/ca'], dialedHost: (cluster) => cluster.advertiseAddress, peers: true },
    trustsServersSignedBy: 'etcd/ca',
  },
  {
    name: 'etcd/healthcheck-client',
    kind: 'leaf',
    path: 'pki/etcd/healthcheck-client',
    expirationName: 'etcd-healthcheck-client',
    signer: 'etcd/ca',
    commonName: () => 'kube-etcd-healthcheck-client',
    organizations: noOrganizations,
    usages: ['clientAuth'],
    about: { key: 'pki.certificate.etcd-healthcheck-client' },
    usedBy: [],
    trustsServersSignedBy: 'etcd/ca',
  },
  {
    name: 'apiserver-etcd-client',
    kind: 'leaf',
    path: 'pki/apiserver-etcd-client',
    expirationName: 'apiserver-etcd-client',
    signer: 'etcd/ca',
    commonName: () => 'kube-apiserver-etcd-client',
    organizations: noOrganizations,
    usages: ['clientAuth'],
    about: { key: 'pki.certificate.apiserver-etcd-client' },
    usedBy: [
      { component: 'kube-apiserver', flag: '--etcd-certfile', file: 'crt' },
      { component: 'kube-apiserver', flag: '--etcd-keyfile', file: 'key' },
    ],
    trustsServersSignedBy: 'etcd/ca',
  },
  {
    name: 'sa',
    kind: 'service-account-key',
    path: 'pki/sa',
    expirationName: 'sa',
    signer: 'self',
    commonName: () => '',
    organizations: noOrganizations,
    usages: [],
    about: { key: 'pki.certificate.sa' },
    usedBy: [
      { component: 'kube-apiserver', flag: '--service-account-key-file', file: 'pub' },
      { component: 'kube-apiserver', flag: '--service-account-signing-key-file', file: 'key' },
      { component: 'kube-controller-manager', flag: '--service-account-private-key-file', file: 'key' },
    ],
  },
  {
    name: 'admin',
    kind: 'kubeconfig',
    dials: 'endpoint',
    path: 'admin.conf',
    expirationName: 'admin.conf',
    signer: 'ca',
    commonName: () => 'kubernetes-admin',
    organizations: () => ['kubeadm:cluster-admins'],
    usages: ['clientAuth'],
    about: { key: 'pki.certificate.admin' },
    usedBy: [{ component: 'kubectl', flag: '--kubeconfig', file: 'conf' }],
    trustsServersSignedBy: 'ca',
  },
  {
    name: 'super-admin',
    kind: 'kubeconfig',
    dials: 'endpoint',
    path: 'super-admin.conf',
    expirationName: 'super-admin.conf',
    signer: 'ca',
    commonName: () => 'kubernetes-super-admin',
    organizations: () => ['system:masters'],
    usages: ['clientAuth'],
    about: { key: 'pki.certificate.super-admin' },
    usedBy: [{ component: 'kubectl', flag: '--kubeconfig', file: 'conf' }],
    trustsServersSignedBy: 'ca',
  },
  {
    name: 'controller-manager',
    kind: 'kubeconfig',
    dials: 'local',
    path: 'controller-manager.conf',
    expirationName: 'controller-manager.conf',
    signer: 'ca',
    commonName: () => 'system:kube-controller-manager',
    organizations: noOrganizations,
    usages: ['clientAuth'],
    about: { key: 'pki.certificate.controller-manager' },
    usedBy: [
      { component: 'kube-controller-manager', flag: '--kubeconfig', file: 'conf' },
      { component: 'kube-controller-manager', flag: '--authentication-kubeconfig', file: 'conf' },
      { component: 'kube-controller-manager', flag: '--authorization-kubeconfig', file: 'conf' },
    ],
    trustsServersSignedBy: 'ca',
  },
  {
    name: 'scheduler',
    kind: 'kubeconfig',
    dials: 'local',
    path: 'scheduler.conf',
    expirationName: 'scheduler.conf',
    signer: 'ca',
    commonName: () => 'system:kube-scheduler',
    organizations: noOrganizations,
    usages: ['clientAuth'],
    about: { key: 'pki.certificate.scheduler' },
    usedBy: [
      { component: 'kube-scheduler', flag: '--kubeconfig', file: 'conf' },
      { component: 'kube-scheduler', flag: '--authentication-kubeconfig', file: 'conf' },
      { component: 'kube-scheduler', flag: '--authorization-kubeconfig', file: 'conf' },
    ],
    trustsServersSignedBy: 'ca',
  },
  {
    name: 'kubelet',
    kind: 'kubeconfig',
    // a control-plane node's kubelet talks to its own apiserver since kubeadm v1.33 (ControlPlaneKubeletLocalMode, on by default)
    dials: 'local',
    path: 'kubelet.conf',
    expirationName: 'kubelet.conf',
    signer: 'ca',
    commonName: (cluster) => `system:node:${cluster.nodeName}`,
    organizations: () => ['system:nodes'],
    usages: ['clientAuth'],
    about: { key: 'pki.certificate.kubelet' },
    usedBy: [{ component: 'kubelet', flag: '--kubeconfig', file: 'conf' }],
    trustsServersSignedBy: 'ca',
    rotatedByKubelet: true,
  },
] satisfies CertificateSpec[]);

/**
 * The flags of kubeadm's static Pod manifests that name no file (cmd/kubeadm/app/phases/controlplane/
 * manifests.go getAPIServerCommand, getControllerManagerCommand, getSchedulerCommand; phases/etcd/local.go
 * getEtcdCommand). The flags that name a file are the `usedBy` rows above; `manifests.ts` joins both.
 * Values that other rows decide (ports, the front proxy's CN) are read from those rows.
 */
export interface StaticPodArgument {
  component: StaticPodComponent;
  flag: string;
  value(cluster: ClusterValues): string;
}

function hostPort(host: string, port: number): string {
  return `${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

function servingPort(name: string): number {
  const port = KUBEADM_SPECS.find((spec) => spec.name === name)?.server?.port;
  if (port === undefined) throw new Error(`no serving port for ${name}`);
  return port;
}

/** etcd's port for metrics and the liveness probe, plain HTTP on loopback (kubeadm constants.EtcdMetricsPort). */
const ETCD_METRICS_PORT = 2381;

export const STATIC_POD_ARGUMENTS: readonly StaticPodArgument[] = [
  { component: 'kube-apiserver', flag: '--advertise-address', value: (c) => c.advertiseAddress },
  { component: 'kube-apiserver', flag: '--allow-privileged', value: () => 'true' },
  { component: 'kube-apiserver', flag: '--authorization-mode', value: () => 'Node,RBAC' },
  { component: 'kube-apiserver', flag: '--enable-admission-plugins', value: () => 'NodeRestriction' },
  { component: 'kube-apiserver', flag: '--enable-bootstrap-token-auth', value: () => 'true' },
  { component: 'kube-apiserver', flag: '--etcd-servers', value: (c) => `https://${hostPort(loopbackFor(c.advertiseAddress), servingPort('etcd/server'))}` },
  { component: 'kube-apiserver', flag: '--kubelet-preferred-address-types', value: () => 'InternalIP,ExternalIP,Hostname' },
  // the front proxy's certificate must carry this CN for the apiserver to trust its X-Remote-* headers
  { component: 'kube-apiserver', flag: '--requestheader-allowed-names', value: (c) => KUBEADM_SPECS.find((s) => s.name === 'front-proxy-client')!.commonName(c) },
  { component: 'kube-apiserver', flag: '--requestheader-extra-headers-prefix', value: () => 'X-Remote-Extra-' },
  { component: 'kube-apiserver', flag: '--requestheader-group-headers', value: () => 'X-Remote-Group' },
  { component: 'kube-apiserver', flag: '--requestheader-username-headers', value: () => 'X-Remote-User' },
  { component: 'kube-apiserver', flag: '--secure-port', value: () => String(servingPort('apiserver')) },
  { component: 'kube-apiserver', flag: '--service-account-issuer', value: (c) => `https://kubernetes.default.svc.${c.dnsDomain}` },
  { component: 'kube-apiserver', flag: '--service-cluster-ip-range', value: (c) => c.serviceCidr },
  { component: 'kube-controller-manager', flag: '--bind-address', value: () => '127.0.0.1' },
  { component: 'kube-controller-manager', flag: '--cluster-name', value: (c) => c.clusterName },
  { component: 'kube-controller-manager', flag: '--controllers', value: () => '*,bootstrapsigner,tokencleaner' },
  { component: 'kube-controller-manager', flag: '--leader-elect', value: () => 'true' },
  { component: 'kube-controller-manager', flag: '--use-service-account-credentials', value: () => 'true' },
  { component: 'kube-scheduler', flag: '--bind-address', value: () => '127.0.0.1' },
  { component: 'kube-scheduler', flag: '--leader-elect', value: () => 'true' },
  { component: 'etcd', flag: '--advertise-client-urls', value: (c) => `https://${hostPort(c.advertiseAddress, servingPort('etcd/server'))}` },
  { component: 'etcd', flag: '--client-cert-auth', value: () => 'true' },
  { component: 'etcd', flag: '--data-dir', value: () => '/var/lib/etcd' },
  { component: 'etcd', flag: '--initial-advertise-peer-urls', value: (c) => `https://${hostPort(c.advertiseAddress, servingPort('etcd/peer'))}` },
  { component: 'etcd', flag: '--initial-cluster', value: (c) => `${c.nodeName}=https://${hostPort(c.advertiseAddress, servingPort('etcd/peer'))}` },
  {
    component: 'etcd',
    flag: '--listen-client-urls',
    value: (c) => `https://${hostPort(loopbackFor(c.advertiseAddress), servingPort('etcd/server'))},https://${hostPort(c.advertiseAddress, servingPort('etcd/server'))}`,
  },
  { component: 'etcd', flag: '--listen-metrics-urls', value: (c) => `http://${hostPort(loopbackFor(c.advertiseAddress), ETCD_METRICS_PORT)}` },
  { component: 'etcd', flag: '--listen-peer-urls', value: (c) => `https://${hostPort(c.advertiseAddress, servingPort('etcd/peer'))}` },
  { component: 'etcd', flag: '--name', value: (c) => c.nodeName },
  { component: 'etcd', flag: '--peer-client-cert-auth', value: () => 'true' },
  { component: 'etcd', flag: '--snapshot-count', value: () => '10000' },
];

/** The default table; a sandbox's own table (profile + nodes) comes from `sandboxSpecs` in profiles.ts. */
export const CERTIFICATE_SPECS: readonly CertificateSpec[] = KUBEADM_SPECS;

export const CA_NAMES: readonly CaName[] = ['ca', 'front-proxy-ca', 'etcd/ca'];

/** Certificates that exist as X.509 (everything but the service-account key pair). */
export const CERTIFICATE_NAMES = CERTIFICATE_SPECS.filter((s) => s.kind !== 'service-account-key').map((s) => s.name);

export function findSpec(name: string, specs: readonly CertificateSpec[] = CERTIFICATE_SPECS): CertificateSpec | undefined {
  const normalized = normalizeCertificateName(name, specs);
  return specs.find((spec) => spec.name === normalized);
}

/**
 * Learners type names in several ways: `etcd-server`, `etcd/server.crt`, `admin.conf`,
 * `pki/apiserver.crt`, `/etc/kubernetes/pki/ca.crt`. All resolve to the table's name.
 */
export function normalizeCertificateName(name: string, specs: readonly CertificateSpec[] = CERTIFICATE_SPECS): string {
  let value = name.trim().replace(/^\/etc\/kubernetes\//, '').replace(/^pki\//, '').replace(/\.(crt|key|pub|conf|kubeconfig)$/, '');
  const byExpirationName = specs.find((spec) => spec.expirationName === value || spec.expirationName === `${value}.conf` || spec.expirationName === `${value}.kubeconfig`);
  if (byExpirationName && !specs.some((spec) => spec.name === value)) value = byExpirationName.name;
  return value;
}

/** What `kubeadm certs check-expiration` lists and `kubeadm certs renew all` renews. */
export function renewableByKubeadm(spec: CertificateSpec): boolean {
  return (spec.kind === 'leaf' || spec.kind === 'kubeconfig') && !spec.rotatedByKubelet;
}

export function specsSignedBy(ca: CaName, specs: readonly CertificateSpec[] = CERTIFICATE_SPECS): CertificateSpec[] {
  return specs.filter((spec) => spec.signer === ca && !spec.selfSignedByKubelet);
}

export function caSpec(ca: CaName, specs: readonly CertificateSpec[] = CERTIFICATE_SPECS): CertificateSpec {
  const spec = specs.find((s) => s.name === ca);
  if (!spec) throw new Error(`no spec for CA ${ca}`);
  return spec;
}
