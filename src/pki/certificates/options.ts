import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { KubetlsError } from '../../errors.js';
import { KEY_TYPES, isKeyType, type KeyType } from './keys.js';
import { formatIp } from './x509.js';
import { LATEST } from './time.js';

/** What kubeadm's InitConfiguration/ClusterConfiguration decide about the PKI, with kubeadm's defaults. */
export interface ClusterOptions {
  nodeName: string;
  advertiseAddress: string;
  serviceCidr: string;
  dnsDomain: string;
  /** apiServer.certSANs: extra names or IPs on the apiserver certificate. */
  apiServerCertSans: string[];
  keyType: KeyType;
  caValidityDays: number;
  certValidityDays: number;
  /** The clock, so scenarios can make expired or not-yet-valid certificates. */
  now: Date;
  /** ClusterConfiguration.clusterName: the cluster's name in every kubeconfig and --cluster-name (default kubernetes). */
  clusterName?: string;
  /**
   * ClusterConfiguration.controlPlaneEndpoint (`host[:port]`, an HA load balancer): a SAN of the
   * apiserver certificate, and the server of admin.conf, super-admin.conf and kubelet.conf.
   */
  controlPlaneEndpoint?: string;
  /** ClusterConfiguration.etcd.external: no etcd static Pod, no etcd certificates from kubeadm. */
  externalEtcd?: ExternalEtcd;
}

/** kubeadm's etcd.external: the endpoints and the client files the apiserver is given as they are. */
export interface ExternalEtcd {
  endpoints: string[];
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/** Derived values the certificate table needs. */
export interface ClusterValues extends ClusterOptions {
  /** The first address of the service CIDR: the ClusterIP of the `kubernetes` Service. */
  apiServerServiceIp: string;
  clusterName: string;
}

export const DEFAULT_CLUSTER_NAME = 'kubernetes';
/** kubeadm's default LocalAPIEndpoint.bindPort, the apiserver's --secure-port. */
export const DEFAULT_API_PORT = 6443;

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_DNS_DOMAIN = 'cluster.local';
export const DEFAULT_CA_VALIDITY_DAYS = 3650;
export const DEFAULT_CERT_VALIDITY_DAYS = 365;

export function defaultNodeName(): string {
  // kubeadm uses the host name, lower-cased, as the node name
  return hostname().toLowerCase();
}

/** kubeadm picks the address of the default-route interface; the first non-loopback IPv4 is our stand-in. */
export function defaultAdvertiseAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}

export function resolveClusterOptions(partial: Partial<ClusterOptions> = {}): ClusterValues {
  const options: ClusterOptions = {
    nodeName: partial.nodeName ?? defaultNodeName(),
    advertiseAddress: partial.advertiseAddress ?? defaultAdvertiseAddress(),
    serviceCidr: partial.serviceCidr ?? DEFAULT_SERVICE_CIDR,
    dnsDomain: partial.dnsDomain ?? DEFAULT_DNS_DOMAIN,
    apiServerCertSans: partial.apiServerCertSans ?? [],
    keyType: partial.keyType ?? 'rsa-2048',
    caValidityDays: partial.caValidityDays ?? DEFAULT_CA_VALIDITY_DAYS,
    certValidityDays: partial.certValidityDays ?? DEFAULT_CERT_VALIDITY_DAYS,
    now: partial.now ?? new Date(),
    ...(partial.clusterName !== undefined ? { clusterName: partial.clusterName } : {}),
    ...(partial.controlPlaneEndpoint !== undefined ? { controlPlaneEndpoint: partial.controlPlaneEndpoint } : {}),
    ...(partial.externalEtcd !== undefined ? { externalEtcd: partial.externalEtcd } : {}),
  };
  validate(options);
  return { ...options, clusterName: options.clusterName ?? DEFAULT_CLUSTER_NAME, apiServerServiceIp: firstAddressOfCidr(options.serviceCidr) };
}

/** `host[:port]` into its parts, as kubeadm's ParseHostPort reads controlPlaneEndpoint (`[::1]:6443` for IPv6). */
export function splitHostPort(endpoint: string): { host: string; port: number | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(endpoint);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] === undefined ? undefined : Number(bracketed[2]) };
  if (isIP(endpoint) === 6) return { host: endpoint, port: undefined };
  const match = /^([^:]+)(?::(\d+))?$/.exec(endpoint);
  if (!match) throw KubetlsError.said('pki.errors.endpoint', { endpoint }, { key: 'pki.errors.eg', params: { example: 'lb.example.com:6443' } });
  return { host: match[1]!, port: match[2] === undefined ? undefined : Number(match[2]) };
}

/** kubeadm's GetControlPlaneEndpoint: the endpoint with the bind port when it names none, else the advertise address. */
export function apiServerUrl(cluster: Pick<ClusterValues, 'advertiseAddress' | 'controlPlaneEndpoint'>, via: 'endpoint' | 'local'): string {
  const bracket = (host: string) => (isIP(host) === 6 ? `[${host}]` : host);
  if (via === 'endpoint' && cluster.controlPlaneEndpoint) {
    const { host, port } = splitHostPort(cluster.controlPlaneEndpoint);
    return `https://${bracket(host)}:${port ?? DEFAULT_API_PORT}`;
  }
  return `https://${bracket(cluster.advertiseAddress)}:${DEFAULT_API_PORT}`;
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const WILDCARD_DNS = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validate(options: ClusterOptions): void {
  if (!DNS_SUBDOMAIN.test(options.nodeName)) {
    throw KubetlsError.said('pki.errors.node-name', { name: options.nodeName }, { key: 'pki.errors.dns-name-hint', params: { example: 'controlplane' } });
  }
  if (isIP(options.advertiseAddress) === 0) {
    throw KubetlsError.said('pki.errors.advertise-address', { address: options.advertiseAddress }, { key: 'pki.errors.eg', params: { example: '--advertise-address 192.168.56.10' } });
  }
  if (!DNS_SUBDOMAIN.test(options.dnsDomain)) {
    throw KubetlsError.said('pki.errors.dns-domain', { domain: options.dnsDomain }, { key: 'pki.errors.default-is', params: { value: 'cluster.local' } });
  }
  firstAddressOfCidr(options.serviceCidr);
  for (const san of options.apiServerCertSans) {
    if (isIP(san) === 0 && !DNS_SUBDOMAIN.test(san) && !WILDCARD_DNS.test(san)) {
      throw KubetlsError.said('pki.errors.extra-san', { san });
    }
  }
  if (!isKeyType(options.keyType)) {
    throw KubetlsError.said('pki.errors.key-type', { type: String(options.keyType) }, { key: 'pki.errors.choose-one', params: { choices: KEY_TYPES.join(', ') } });
  }
  for (const [which, days] of [['ca', options.caValidityDays], ['cert', options.certValidityDays]] as const) {
    if (!Number.isFinite(days) || days <= 0) throw KubetlsError.said(`pki.errors.${which}-validity`, { days });
  }
  if (Number.isNaN(options.now.getTime())) throw KubetlsError.said('pki.errors.bad-clock');
  if (options.clusterName !== undefined && !DNS_SUBDOMAIN.test(options.clusterName)) {
    throw KubetlsError.said('pki.errors.cluster-name', { name: options.clusterName }, { key: 'pki.errors.default-is', params: { value: 'kubernetes' } });
  }
  if (options.controlPlaneEndpoint !== undefined) {
    const { host, port } = splitHostPort(options.controlPlaneEndpoint);
    if (isIP(host) === 0 && !DNS_SUBDOMAIN.test(host)) throw KubetlsError.said('pki.errors.endpoint-host', { host });
    if (port !== undefined && (port < 1 || port > 65535)) throw KubetlsError.said('pki.errors.endpoint-port', { port });
  }
  for (const [flag, days] of [['--ca-validity-days', options.caValidityDays], ['--cert-validity-days', options.certValidityDays]] as const) {
    if (options.now.getTime() + days * 86_400_000 > LATEST.getTime()) {
      throw KubetlsError.said('pki.errors.validity-too-long', { flag, days, from: options.now.toISOString().slice(0, 10), year: LATEST.getUTCFullYear() }, { key: 'pki.errors.validity-too-long-hint' });
    }
  }
}

/** 10.96.0.0/12 -> 10.96.0.1, as kubeadm's GetAPIServerVirtualIP does (IPv4 and IPv6). */
export function firstAddressOfCidr(cidr: string): string {
  const [address, prefixText] = cidr.split('/');
  const version = isIP(address ?? '');
  const prefix = Number(prefixText);
  const width = version === 4 ? 32 : 128;
  if (version === 0 || prefixText === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > width - 1) {
    throw KubetlsError.said('pki.errors.service-cidr', { cidr }, { key: 'pki.errors.eg', params: { example: '10.96.0.0/12' } });
  }
  const value = version === 4 ? ipv4ToBigInt(address!) : ipv6ToBigInt(address!);
  const hostBits = BigInt(width - prefix);
  const network = (value >> hostBits) << hostBits;
  return version === 4 ? bigIntToIpv4(network + 1n) : bigIntToIpv6(network + 1n);
}

function ipv4ToBigInt(address: string): bigint {
  return address.split('.').reduce((sum, part) => (sum << 8n) + BigInt(Number(part)), 0n);
}

function bigIntToIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
}

function ipv6ToBigInt(address: string): bigint {
  const [head = '', tail] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  return groups.reduce((sum, group) => (sum << 16n) + BigInt(parseInt(group, 16)), 0n);
}

function bigIntToIpv6(value: bigint): string {
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) bytes[15 - i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return formatIp(bytes);
}
