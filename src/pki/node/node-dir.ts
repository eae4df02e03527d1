import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join, posix, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { FILE_LIMITS, readUserDirectory, readUserFile } from '../../user-file.js';
import { KubetlsError } from '../../errors.js';
import { BASE_LANGUAGE, translate, type Language } from '../../locale/catalogue.js';
import { looksLikeKubeconfig, parseKubeconfig } from '../certificates/kubeconfig.js';
import { decodePemBlocks } from '../certificates/pem.js';
import { parseCertificateDer, type ParsedCertificate } from '../certificates/x509.js';
import {
  DEFAULT_API_PORT, DEFAULT_CA_VALIDITY_DAYS, DEFAULT_CERT_VALIDITY_DAYS, DEFAULT_CLUSTER_NAME, DEFAULT_DNS_DOMAIN, DEFAULT_SERVICE_CIDR, firstAddressOfCidr, splitHostPort,
  type ClusterOptions, type ExternalEtcd,
} from '../certificates/options.js';
import type { KeyType } from '../certificates/keys.js';
import type { KubeletServing, NodeRecord } from '../certificates/profiles.js';
import type { SandboxState } from '../sandbox/sandbox.js';
import { isSandbox, STATE_FILE } from '../sandbox/state.js';

/**
 * A directory kubeadm wrote on a real node (`/etc/kubernetes`), read and never written. kubeadm leaves
 * no record of its settings on disk (ClusterConfiguration lives in the kubeadm-config ConfigMap), so the
 * cluster's settings are read back from what it wrote: certificates, static Pod manifests, kubeconfigs
 * and the kubelet's files in /var/lib/kubelet/pki. Files only root can read are named, not fatal.
 * The one guard every writing command calls, `assertSandbox`, lives here too.
 */

export { isSandbox, STATE_FILE } from '../sandbox/state.js';

/** Where "this machine's cluster" is: `$KUBETLS_NODE_ROOT/etc/kubernetes` (tests point it at a fake node), else /etc/kubernetes. */
export const NODE_ROOT_ENV = 'KUBETLS_NODE_ROOT';
const KUBERNETES_SUBDIR = 'etc/kubernetes';
const KUBELET_PKI = '/var/lib/kubelet/pki';
const KUBELET_PKI_RELATIVE = KUBELET_PKI.slice(1);

export function hostKubernetesDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env[NODE_ROOT_ENV] || '/', KUBERNETES_SUBDIR);
}

/** Whether kubeadm (or someone copying its files) made this directory: a cluster CA certificate is there. */
export function looksLikeKubeadmDir(dir: string): boolean {
  return accessOf(join(dir, 'pki', 'ca.crt')) !== 'missing';
}

/**
 * The guard of every command that writes into a directory (break, renew, fix, add-node, csr, forge,
 * fix-it tasks, pki init --force): it must be a kubetls sandbox. A cluster's own directory is refused
 * with the way out, a copy to practise on.
 */
export function assertSandbox(dir: string): void {
  if (isSandbox(dir)) return;
  if (looksLikeKubeadmDir(dir)) {
    throw KubetlsError.said('pki.errors.cluster-dir', { dir }, { key: 'pki.errors.practise-on-copy', params: { dir } });
  }
  throw KubetlsError.said('pki.errors.not-a-sandbox', { dir, file: STATE_FILE }, { key: 'pki.errors.create-one', params: { dir } });
}

// ---- reading files on a node ---------------------------------------------------------------------

/** A file of a node or a sandbox, through the one safe reader (src/user-file.ts), at the PKI files' limit. */
export function readNodeFile(path: string): Buffer {
  return readUserFile(path, { limit: FILE_LIMITS.pki });
}

/** The errno behind a refusal (ENOENT, EACCES), for the callers that explain a missing or root-only file. */
export function errnoOf(error: unknown): string | undefined {
  const direct = (error as NodeJS.ErrnoException)?.code;
  if (typeof direct === 'string') return direct;
  const cause = (error as { cause?: unknown })?.cause;
  return cause === undefined ? undefined : errnoOf(cause);
}

export type Access = 'readable' | 'missing' | 'denied';

/** Whether a file can be read: there and readable, not there, or there but only for root (EACCES). */
export function accessOf(path: string): Access {
  try {
    if (statSync(path).isDirectory()) readdirSync(path);
    else closeSync(openSync(path, 'r'));
    return 'readable';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? 'denied' : 'missing';
  }
}

/** The node's `/` for a path under `<root>/etc/kubernetes` or `<root>/var/lib/kubelet`; undefined elsewhere. */
export function nodeRootOf(path: string): string | undefined {
  const absolute = resolve(path);
  for (const marker of [`/${KUBERNETES_SUBDIR}`, '/var/lib/kubelet']) {
    const at = absolute.endsWith(marker) ? absolute.length - marker.length : absolute.indexOf(`${marker}/`);
    if (at >= 0) return at === 0 ? '/' : absolute.slice(0, at);
  }
  return undefined;
}

/**
 * A host path as the node itself sees it, under `root`: symbolic links are followed inside the root,
 * so the kubelet's `kubelet-client-current.pem` (an absolute link, client-go's certificate store)
 * resolves in a copy of a node as it does on the node.
 */
export function resolveInRoot(root: string, hostPath: string, hops = 0): string {
  const parts = posix.normalize(`/${hostPath}`).split('/').filter(Boolean);
  let current = resolve(root);
  for (let index = 0; index < parts.length; index++) {
    const next = join(current, parts[index]!);
    let link: string | undefined;
    try {
      if (lstatSync(next).isSymbolicLink()) link = readlinkSync(next);
    } catch {
      // missing or not ours to read: the caller's read says which
      return join(next, ...parts.slice(index + 1));
    }
    if (link === undefined) {
      current = next;
      continue;
    }
    if (hops >= 40) throw KubetlsError.said('pki.errors.too-many-links', { path: next });
    const here = `/${relative(resolve(root), current)}`;
    const target = link.startsWith('/') ? link : posix.join(here, link);
    return resolveInRoot(root, posix.join(target, ...parts.slice(index + 1)), hops + 1);
  }
  return current;
}

/** A file of the directory (`pki/ca.crt`, `../../var/lib/kubelet/pki/…`) as it is really found, links followed on the node. */
export function fileInDir(dir: string, relativePath: string): string {
  const joined = join(dir, relativePath);
  const root = isSandbox(dir) ? undefined : nodeRootOf(dir);
  if (!root) return joined;
  const inRoot = relative(resolve(root), resolve(joined));
  return inRoot.startsWith('..') ? joined : resolveInRoot(root, inRoot);
}

/**
 * A host path named inside the cluster's files (a kubeconfig's client-certificate, a manifest's flag):
 * /etc/kubernetes is the directory itself; the rest of the node is its root (a real node's `/`, or a
 * sandbox's `nodes/<node name>/`, where `pki copy` puts the kubelet's files).
 */
export function hostFile(dir: string, hostPath: string, nodeName: string | undefined): string | undefined {
  const normalized = posix.normalize(hostPath);
  if (normalized === `/${KUBERNETES_SUBDIR}` || normalized.startsWith(`/${KUBERNETES_SUBDIR}/`)) {
    return fileInDir(dir, normalized.slice(KUBERNETES_SUBDIR.length + 2));
  }
  if (isSandbox(dir)) return nodeName ? resolveInRoot(join(dir, 'nodes', nodeName), normalized) : undefined;
  const root = nodeRootOf(dir);
  return root ? resolveInRoot(root, normalized) : undefined;
}

// ---- the cluster's settings, read back from its files ------------------------------------------------

export type DerivedSetting = 'nodeName' | 'advertiseAddress' | 'serviceCidr' | 'dnsDomain' | 'clusterName' | 'controlPlaneEndpoint' | 'etcd' | 'keyType' | 'kubelet';

/** What kubetls learned about a directory kubeadm wrote, besides the settings themselves. */
export interface NodeFacts {
  /** The node's `/` (above etc/kubernetes), when the directory sits there; the kubelet's files are under it. */
  root: string | undefined;
  /** Files and directories that are there but only root may read, as shown to the learner. */
  unreadable: string[];
  /** Where each setting came from (a file and what in it), or that it is kubeadm's default. */
  sources: Partial<Record<DerivedSetting, string>>;
  /** Only kube-apiserver.yaml says the service CIDR; apiserver.crt gives only its first address. */
  serviceCidrKnown: boolean;
  /** kubeadm's external CA mode: ca.crt without ca.key on the node. */
  externalCa: boolean;
}

type Read = { data: Buffer } | { denied: true } | { missing: true };

interface Reader {
  read(relativePath: string): Read;
  certificate(relativePath: string): ParsedCertificate | undefined;
  args(component: string): Map<string, string> | undefined;
  kubeconfig(relativePath: string): ReturnType<typeof parseKubeconfig> | undefined;
  denied: Set<string>;
}

const cache = new Map<string, { signature: string; state: SandboxState }>();

/**
 * The state of a directory kubeadm wrote, in the shape of a sandbox's record: nothing is written, and
 * `node` says what came from where and what could not be read. Memoised while the files stay the same.
 */
export function deriveNodeState(dir: string): SandboxState {
  const absolute = resolve(dir);
  const signature = signatureOf(absolute);
  const cached = cache.get(absolute);
  if (cached && cached.signature === signature) return cached.state;
  const state = derive(absolute);
  cache.set(absolute, { signature, state });
  return state;
}

function signatureOf(dir: string): string {
  const root = nodeRootOf(dir);
  const watched = [dir, join(dir, 'pki'), join(dir, 'pki', 'ca.crt'), join(dir, 'pki', 'apiserver.crt'), join(dir, 'manifests'), join(dir, 'admin.conf'), join(dir, 'kubelet.conf')];
  if (root) watched.push(join(root, KUBELET_PKI_RELATIVE));
  return watched.map((path) => {
    try {
      const stats = statSync(path);
      return `${stats.mtimeMs}:${stats.size}`;
    } catch {
      return '-';
    }
  }).join('|');
}

function makeReader(dir: string): Reader {
  const denied = new Set<string>();
  const contents = new Map<string, Read>();
  const read = (relativePath: string): Read => {
    let found = contents.get(relativePath);
    if (!found) {
      try {
        found = { data: readNodeFile(fileInDir(dir, relativePath)) };
      } catch (error) {
        const code = errnoOf(error);
        found = code === 'EACCES' || code === 'EPERM' ? { denied: true } : { missing: true };
      }
      if ('denied' in found) denied.add(relativePath);
      contents.set(relativePath, found);
    }
    return found;
  };
  return {
    read,
    denied,
    certificate(relativePath) {
      const found = read(relativePath);
      if (!('data' in found)) return undefined;
      const block = decodePemBlocks(found.data.toString('utf8')).find((b) => b.label === 'CERTIFICATE');
      try {
        return block ? parseCertificateDer(block.der) : undefined;
      } catch {
        return undefined;
      }
    },
    args(component) {
      const found = read(`manifests/${component}.yaml`);
      return 'data' in found ? commandArgs(found.data.toString('utf8')) : undefined;
    },
    kubeconfig(relativePath) {
      const found = read(relativePath);
      if (!('data' in found)) return undefined;
      const text = found.data.toString('utf8');
      try {
        return looksLikeKubeconfig(text) ? parseKubeconfig(text, relativePath) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** `--flag=value` items of a static Pod's command (the last of a repeated flag wins, as with pflag). */
function commandArgs(text: string): Map<string, string> | undefined {
  let pod: unknown;
  try {
    pod = parse(text);
  } catch {
    return undefined;
  }
  const container = (pod as { spec?: { containers?: { command?: unknown; args?: unknown }[] } })?.spec?.containers?.[0];
  const items = [...(Array.isArray(container?.command) ? container.command : []), ...(Array.isArray(container?.args) ? container.args : [])];
  const args = new Map<string, string>();
  for (const item of items) {
    const match = typeof item === 'string' ? /^(--[^=\s]+)(?:=(.*))?$/s.exec(item) : null;
    if (match) args.set(match[1]!, match[2] ?? '');
  }
  return args;
}

const STANDARD_DNS = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc'];

type Kubeconfig = ReturnType<typeof parseKubeconfig>;

/** What `derive` reads of a node, read once and in this order (the reader keeps what root alone may read, in order). */
interface NodeFiles {
  dir: string;
  root: string | undefined;
  reader: Reader;
  ca: ParsedCertificate;
  apiserverArgs: Map<string, string> | undefined;
  etcdArgs: Map<string, string> | undefined;
  controllerArgs: Map<string, string> | undefined;
  apiserver: ParsedCertificate | undefined;
  etcdServer: ParsedCertificate | undefined;
  kubelet: ReturnType<typeof readKubelet>;
  /** The kubeconfigs that name the control plane, by file. */
  kubeconfigs: { file: string; config: Kubeconfig | undefined }[];
  kubeletConfig: Kubeconfig | undefined;
}

/** A setting and where it came from, as `node.sources` tells the learner. */
type Found<T> = [T, string];

function derive(dir: string): SandboxState {
  const files = readNodeFiles(dir);
  const { ca, apiserver, kubelet, root, reader } = files;
  const sources: NodeFacts['sources'] = {};
  const etcd = etcdOf(files);
  sources.etcd = etcd.source;
  const advertise = advertiseAddressOf(files);
  sources.advertiseAddress = advertise[1];
  const endpoint = controlPlaneEndpointOf(files, advertise[0]);
  if (endpoint) sources.controlPlaneEndpoint = endpoint[1];
  const controlPlaneEndpoint = endpoint?.[0];
  const endpointHost = controlPlaneEndpoint ? splitHostPort(controlPlaneEndpoint).host : undefined;
  const dnsDomain = dnsDomainOf(files);
  sources.dnsDomain = dnsDomain[1];

  const standardDns = new Set([...STANDARD_DNS, `kubernetes.default.svc.${dnsDomain[0]}`, ...(endpointHost ? [endpointHost] : [])]);
  const otherDns = apiserver?.subjectAltNames.dns.filter((name) => !standardDns.has(name)) ?? [];
  const nodeName = nodeNameOf(files, otherDns);
  sources.nodeName = nodeName[1];
  const service = serviceCidrOf(files);
  sources.serviceCidr = service.source;
  const clusterName = clusterNameOf(files);
  sources.clusterName = clusterName[1];

  const standardIps = new Set([service.ip, advertise[0], endpointHost].filter((ip): ip is string => ip !== undefined));
  const certSans = apiserver ? [...otherDns.filter((name) => name !== nodeName[0]), ...apiserver.subjectAltNames.ip.filter((ip) => !standardIps.has(ip))] : [];

  const keyType = keyTypeOf(ca);
  sources.keyType = keyType ? 'the public key of pki/ca.crt' : 'pki/ca.crt has a key kubeadm does not make; rsa-2048 stands in';
  const externalCa = accessOf(join(dir, 'pki/ca.key')) === 'missing';

  const cluster: Omit<ClusterOptions, 'now'> = {
    nodeName: nodeName[0],
    advertiseAddress: advertise[0],
    serviceCidr: service.cidr,
    dnsDomain: dnsDomain[0],
    apiServerCertSans: certSans,
    keyType: keyType ?? 'rsa-2048',
    caValidityDays: Math.round((ca.notAfter.getTime() - ca.notBefore.getTime()) / DAY_MS) || DEFAULT_CA_VALIDITY_DAYS,
    // kubeadm's certificateValidityPeriod is in the kubeadm-config ConfigMap, not on disk: its default
    certValidityDays: DEFAULT_CERT_VALIDITY_DAYS,
    ...(clusterName[0] !== DEFAULT_CLUSTER_NAME ? { clusterName: clusterName[0] } : {}),
    ...(controlPlaneEndpoint ? { controlPlaneEndpoint } : {}),
    ...(etcd.external ? { externalEtcd: etcd.external } : {}),
  };
  const nodes = kubeletNodes(files, { name: nodeName[0], ip: advertise[0] });
  if (nodes.length > 0) sources.kubelet = `${KUBELET_PKI} (${kubelet.serving === 'self-signed' ? 'kubelet.crt, self-signed' : 'kubelet-server-current.pem, from a kubelet-serving CSR'})`;
  return {
    kubetls: 1,
    createdAt: ca.notBefore.toISOString(),
    cluster,
    faults: {},
    profile: 'kubeadm',
    workers: [],
    nodes,
    node: { root, unreadable: unreadableIn(dir, root, reader, kubelet.denied), sources, serviceCidrKnown: service.known, externalCa },
  };
}

/** Everything `derive` looks at; a directory without a readable pki/ca.crt is no cluster's (or only root's). */
function readNodeFiles(dir: string): NodeFiles {
  const reader = makeReader(dir);
  const ca = reader.certificate('pki/ca.crt');
  if (!ca) {
    if ('denied' in reader.read('pki/ca.crt')) {
      throw KubetlsError.said('pki.errors.root-only', { path: join(dir, 'pki/ca.crt') }, { key: 'pki.errors.ca-modes-hint' });
    }
    throw KubetlsError.said('pki.errors.neither', { dir }, { key: 'pki.errors.create-sandbox', params: { dir } });
  }
  const root = nodeRootOf(dir);
  const apiserverArgs = reader.args('kube-apiserver');
  const etcdArgs = reader.args('etcd');
  const controllerArgs = reader.args('kube-controller-manager');
  const apiserver = reader.certificate('pki/apiserver.crt');
  const etcdServer = reader.certificate('pki/etcd/server.crt');
  const kubelet = readKubelet(dir, root, reader);
  // the control-plane endpoint: what admin.conf, super-admin.conf and kubelet.conf dial
  const kubeconfigs = ['admin.conf', 'super-admin.conf', 'controller-manager.conf', 'scheduler.conf'].map((file) => ({ file, config: reader.kubeconfig(file) }));
  const kubeletConfig = reader.kubeconfig('kubelet.conf');
  return { dir, root, reader, ca, apiserverArgs, etcdArgs, controllerArgs, apiserver, etcdServer, kubelet, kubeconfigs, kubeletConfig };
}

/** etcd: kubeadm writes etcd certificates and etcd.yaml only for a local (stacked) member; else the apiserver's flags name it. */
function etcdOf({ dir, apiserverArgs, etcdArgs, etcdServer }: NodeFiles): { external: ExternalEtcd | undefined; source: string } {
  const stacked = etcdServer !== undefined || etcdArgs !== undefined || accessOf(join(dir, 'pki/etcd/server.crt')) !== 'missing';
  if (stacked) return { external: undefined, source: etcdArgs ? 'stacked (manifests/etcd.yaml)' : 'stacked (pki/etcd/server.crt)' };
  const servers = apiserverArgs?.get('--etcd-servers');
  const external: ExternalEtcd = {
    endpoints: servers ? servers.split(',').filter(Boolean) : [],
    ...(apiserverArgs?.get('--etcd-cafile') ? { caFile: apiserverArgs.get('--etcd-cafile') } : {}),
    ...(apiserverArgs?.get('--etcd-certfile') ? { certFile: apiserverArgs.get('--etcd-certfile') } : {}),
    ...(apiserverArgs?.get('--etcd-keyfile') ? { keyFile: apiserverArgs.get('--etcd-keyfile') } : {}),
  };
  return { external, source: servers ? `external (--etcd-servers in kube-apiserver.yaml)` : 'external (no pki/etcd/server.crt, no etcd.yaml)' };
}

function advertiseAddressOf({ apiserverArgs, etcdArgs, apiserver, kubeconfigs }: NodeFiles): Found<string> {
  return firstOf<string>(
    [apiserverArgs?.get('--advertise-address'), 'kube-apiserver.yaml --advertise-address'],
    [hostOfUrl(etcdArgs?.get('--advertise-client-urls')), 'etcd.yaml --advertise-client-urls'],
    [apiserver?.subjectAltNames.ip[1], 'the second IP SAN of pki/apiserver.crt'],
    [hostOfUrl(kubeconfigs.find((k) => k.file === 'controller-manager.conf')?.config?.clusters[0]?.server), 'the server of controller-manager.conf'],
  ) ?? ['127.0.0.1', 'nowhere it could be read: 127.0.0.1 stands in'];
}

/** The address the kubeconfigs dial, when it is not the apiserver's own (kubeadm's controlPlaneEndpoint). */
function controlPlaneEndpointOf({ apiserverArgs, kubeconfigs, kubeletConfig }: NodeFiles, advertiseAddress: string): Found<string> | undefined {
  const endpointServer = firstOf<string>(
    ...['admin.conf', 'super-admin.conf'].map((file): [string | undefined, string] => [kubeconfigs.find((k) => k.file === file)?.config?.clusters[0]?.server, file]),
    [kubeletConfig?.clusters[0]?.server, 'kubelet.conf'],
  );
  const securePort = Number(apiserverArgs?.get('--secure-port') ?? DEFAULT_API_PORT);
  if (!endpointServer) return undefined;
  const url = parseUrl(endpointServer[0]);
  if (!url || (url.host === advertiseAddress && url.port === securePort)) return undefined;
  return [`${isIP(url.host) === 6 ? `[${url.host}]` : url.host}:${url.port}`, `the server of ${endpointServer[1]}`];
}

function dnsDomainOf({ apiserver, apiserverArgs }: NodeFiles): Found<string> {
  return firstOf<string>(
    [apiserver?.subjectAltNames.dns.map((name) => /^kubernetes\.default\.svc\.(.+)$/.exec(name)?.[1]).find(Boolean), 'a DNS SAN of pki/apiserver.crt'],
    [/^https:\/\/kubernetes\.default\.svc\.(.+)$/.exec(apiserverArgs?.get('--service-account-issuer') ?? '')?.[1], 'kube-apiserver.yaml --service-account-issuer'],
  ) ?? [DEFAULT_DNS_DOMAIN, "kubeadm's default"];
}

/** `otherDns`: the apiserver's DNS SANs beyond the standard ones, where kubeadm puts the node name. */
function nodeNameOf({ etcdServer, etcdArgs, kubelet, kubeletConfig }: NodeFiles, otherDns: string[]): Found<string> {
  return firstOf<string>(
    [etcdServer?.subject.commonName, 'the CN of pki/etcd/server.crt'],
    [etcdArgs?.get('--name'), 'etcd.yaml --name'],
    [kubelet.clientName, `the CN of ${KUBELET_PKI}/kubelet-client-current.pem`],
    [nodeOfKubeconfig(kubeletConfig), 'the client certificate of kubelet.conf'],
    [otherDns[0], 'a DNS SAN of pki/apiserver.crt'],
  ) ?? [hostname().toLowerCase(), "this host's name (kubeadm's default node name)"];
}

/** The service CIDR, known only from kube-apiserver.yaml; apiserver.crt gives its first address (`ip`). */
function serviceCidrOf({ apiserver, apiserverArgs }: NodeFiles): { cidr: string; ip: string | undefined; known: boolean; source: string } {
  const ip = apiserver?.subjectAltNames.ip[0];
  const cidrFlag = apiserverArgs?.get('--service-cluster-ip-range')?.split(',')[0];
  const cidr = cidrFlag ?? (ip ? cidrStartingAt(ip) : DEFAULT_SERVICE_CIDR);
  const source = cidrFlag ? 'kube-apiserver.yaml --service-cluster-ip-range' : ip ? `only its first address, ${ip} (the first IP SAN of pki/apiserver.crt)` : "kubeadm's default";
  return { cidr, ip, known: cidrFlag !== undefined, source };
}

function clusterNameOf({ kubeconfigs, controllerArgs }: NodeFiles): Found<string> {
  const clusterNameFrom = kubeconfigs.find((k) => k.config?.clusters[0]?.name);
  return firstOf<string>(
    [clusterNameFrom?.config?.clusters[0]?.name, `the cluster of ${clusterNameFrom?.file ?? ''}`],
    [controllerArgs?.get('--cluster-name'), 'kube-controller-manager.yaml --cluster-name'],
  ) ?? [DEFAULT_CLUSTER_NAME, "kubeadm's default"];
}

/** This node's kubelet, when its files were found under the node's root: the one node of the record. */
function kubeletNodes({ dir, root, ca, kubelet }: NodeFiles, { name, ip }: { name: string; ip: string }): NodeRecord[] {
  if (!kubelet.serving || !root) return [];
  return [{ name, ip, serving: kubelet.serving, joinedAt: (kubelet.joinedAt ?? ca.notBefore).toISOString(), pkiDir: relative(dir, join(root, KUBELET_PKI_RELATIVE)) }];
}

const DAY_MS = 24 * 60 * 60 * 1000;

function firstOf<T>(...candidates: [T | undefined | null | '', string][]): [T, string] | undefined {
  for (const [value, source] of candidates) if (value !== undefined && value !== null && value !== '') return [value, source];
  return undefined;
}

function parseUrl(url: string | undefined): { host: string; port: number } | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    return { host, port: parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80 };
  } catch {
    return undefined;
  }
}

function hostOfUrl(urls: string | undefined): string | undefined {
  return parseUrl(urls?.split(',')[0])?.host;
}

function nodeOfKubeconfig(config: ReturnType<typeof parseKubeconfig> | undefined): string | undefined {
  const data = config?.users[0]?.clientCertificate;
  if (!data) return undefined;
  const block = decodePemBlocks(data.toString('utf8')).find((b) => b.label === 'CERTIFICATE');
  try {
    const cn = block ? parseCertificateDer(block.der).subject.commonName : undefined;
    return cn?.startsWith('system:node:') ? cn.slice('system:node:'.length) : undefined;
  } catch {
    return undefined;
  }
}

function keyTypeOf(ca: ParsedCertificate): KeyType | undefined {
  const { type, bits } = ca.publicKey;
  if (type === 'rsa' && (bits === 2048 || bits === 3072 || bits === 4096)) return `rsa-${bits}`;
  if (type === 'ec' && bits === 256) return 'ecdsa-p256';
  return undefined;
}

/**
 * A CIDR whose first address is the one apiserver.crt names, for when kube-apiserver.yaml cannot be
 * read: only that address matters to the certificates (kubeadm's GetAPIServerVirtualIP). 10.96.0.1 gives
 * kubeadm's default 10.96.0.0/12; the learner is told the CIDR itself is unknown.
 */
function cidrStartingAt(ip: string): string {
  let candidate: string;
  if (isIP(ip) === 4) {
    const network = ip.split('.').reduce((sum, part) => sum * 256 + Number(part), 0) - 1;
    let prefix = 31;
    while (prefix > 12 && network % 2 ** (32 - prefix + 1) === 0) prefix -= 1;
    candidate = `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.')}/${prefix}`;
  } else {
    candidate = `${ip.replace(/1$/, '')}/112`;
  }
  try {
    return firstAddressOfCidr(candidate) === ip ? candidate : DEFAULT_SERVICE_CIDR;
  } catch {
    return DEFAULT_SERVICE_CIDR;
  }
}

/** The kubelet's own files: its rotated client certificate and how it serves :10250. */
function readKubelet(dir: string, root: string | undefined, reader: Reader): { serving?: KubeletServing; clientName?: string; joinedAt?: Date; denied: boolean } {
  if (!root) return { denied: false };
  const pki = join(root, KUBELET_PKI_RELATIVE);
  const access = accessOf(pki);
  if (access !== 'readable') return { denied: access === 'denied' };
  const pkiRelative = relative(dir, pki);
  const client = reader.certificate(join(pkiRelative, 'kubelet-client-current.pem'));
  const clientName = client?.subject.commonName?.startsWith('system:node:') ? client.subject.commonName.slice('system:node:'.length) : undefined;
  const present = (name: string) => accessOf(resolveInRoot(root, `${KUBELET_PKI}/${name}`)) !== 'missing';
  const serving: KubeletServing | undefined = present('kubelet-server-current.pem') ? 'tls-bootstrap' : present('kubelet.crt') ? 'self-signed' : undefined;
  return { serving, clientName, joinedAt: client?.notBefore, denied: false };
}

/** What only root can read, in a few words: every key counted, each kubeconfig and directory named. */
function unreadableIn(dir: string, root: string | undefined, reader: Reader, kubeletDenied: boolean): string[] {
  const found: string[] = [];
  const keys: string[] = [];
  for (const sub of ['pki', 'pki/etcd']) {
    let names: string[] = [];
    try {
      names = readUserDirectory(join(dir, sub)).map((entry) => entry.name);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = `${sub}/${name}`;
      if (!/\.(key|pub|crt)$/.test(name) || accessOf(join(dir, path)) !== 'denied') continue;
      if (name.endsWith('.key')) keys.push(path);
      else found.push(path);
    }
  }
  if (keys.length > 0) found.unshift(keys.length === 1 ? keys[0]! : `${keys.length} keys in pki/`);
  let top: string[] = [];
  try {
    top = readUserDirectory(dir).map((entry) => entry.name);
  } catch {
    // the directory itself was readable enough to find pki/ca.crt
  }
  for (const name of top) if (name.endsWith('.conf') && accessOf(join(dir, name)) === 'denied') found.push(name);
  if (accessOf(join(dir, 'manifests')) === 'denied') found.push('manifests/');
  for (const path of reader.denied) if (!found.includes(path) && !path.startsWith('manifests/') && !path.endsWith('.conf') && !path.endsWith('.key')) found.push(path);
  if (kubeletDenied && root) found.push(accessOf(join(root, 'var/lib/kubelet')) === 'denied' ? '/var/lib/kubelet' : KUBELET_PKI);
  return found;
}

/** One line for the learner, in `language`: what only root can read here, and that the rest works. */
export function unreadableNotice(state: SandboxState, language: Language = BASE_LANGUAGE): string | undefined {
  const unreadable = state.node?.unreadable ?? [];
  if (unreadable.length === 0) return undefined;
  return translate(language, 'pki.unreadable-notice', { paths: unreadable.map((path) => unreadableShown(path, language)).join(', ') });
}

/** The record lists "11 keys in pki/" in the base language (it is in `pki show --json` too); shown, it is said in `language`. */
function unreadableShown(path: string, language: Language): string {
  const keys = /^(\d+) keys in pki\/$/.exec(path);
  return keys ? translate(language, 'pki.keys-in-pki', { count: keys[1]! }) : path;
}
