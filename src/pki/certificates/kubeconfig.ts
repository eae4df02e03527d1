import { remembered } from './remembered.js';
import { parse, stringify } from 'yaml';
import { KubetlsError } from '../../errors.js';
import { assertYamlWithinLimits } from './yaml-size.js';

/**
 * kubeconfig files as kubeadm writes them (one cluster `kubernetes`, one user, one context
 * `<user>@kubernetes`, certificates embedded as base64), and a reader for any kubeconfig.
 */

export interface KubeconfigInput {
  clusterName?: string;
  /** kubeadm names the context `<user>@<cluster>`; other tools choose their own (the hard way: `default`). */
  contextName?: string;
  server: string;
  caCertificatePem: string;
  userName: string;
  clientCertificatePem: string;
  clientKeyPem: string;
}

export function buildKubeconfig(input: KubeconfigInput): string {
  const clusterName = input.clusterName ?? 'kubernetes';
  const contextName = input.contextName ?? `${input.userName}@${clusterName}`;
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  // key order as kubeadm/client-go write it, so a diff against a real cluster's file is quiet
  return stringify(
    {
      apiVersion: 'v1',
      clusters: [{ cluster: { 'certificate-authority-data': base64(input.caCertificatePem), server: input.server }, name: clusterName }],
      contexts: [{ context: { cluster: clusterName, user: input.userName }, name: contextName }],
      'current-context': contextName,
      kind: 'Config',
      preferences: {},
      users: [
        {
          name: input.userName,
          user: { 'client-certificate-data': base64(input.clientCertificatePem), 'client-key-data': base64(input.clientKeyPem) },
        },
      ],
    },
    // client-go's YAML (go-yaml through sigs.k8s.io/yaml) does not indent a sequence under its key
    { lineWidth: 0, indentSeq: false },
  );
}

/** The pieces of a kubeconfig that hold certificates, with the names they appear under. */
export interface KubeconfigContents {
  clusters: { name: string; server: string | undefined; caCertificate: Buffer | undefined; caFile: string | undefined }[];
  users: { name: string; clientCertificate: Buffer | undefined; clientKey: Buffer | undefined; certFile: string | undefined; keyFile: string | undefined }[];
  currentContext: string | undefined;
  contexts: { name: string; cluster: string | undefined; user: string | undefined }[];
}

type Loose = Record<string, unknown>;

export function looksLikeKubeconfig(text: string): boolean {
  return /^kind:\s*Config\s*$/m.test(text) || (/^clusters:/m.test(text) && /^users:/m.test(text));
}

/** A kubeconfig's parse, kept by its text (the Sandbox screen and the manifest checks read each one several times). */
const parsedKubeconfigs = new Map<string, KubeconfigContents>();

export function parseKubeconfig(text: string, source: string): KubeconfigContents {
  // errors name the source, so only parses that succeeded are kept
  return remembered(parsedKubeconfigs, text, () => parseKubeconfigText(text, source));
}

function parseKubeconfigText(text: string, source: string): KubeconfigContents {
  assertYamlWithinLimits(text, source);
  let document: unknown;
  try {
    // warnings (an unknown tag) would reach stderr as a multi-line report; errors still throw
    document = parse(text, { logLevel: 'error' });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw KubetlsError.said('pki.errors.yaml-invalid', { source, detail: detail ?? '' });
  }
  if (!isObject(document)) throw KubetlsError.said('pki.errors.kubeconfig-not-mapping', { source });
  const list = (key: string): Loose[] => (Array.isArray(document[key]) ? (document[key] as unknown[]).filter(isObject) : []);
  const data = (value: unknown, field: string, owner: 'cluster' | 'user', name: string): Buffer | undefined => {
    if (typeof value !== 'string') return undefined;
    const decoded = Buffer.from(value, 'base64');
    if (decoded.length === 0) throw KubetlsError.said(`pki.errors.not-base64-${owner}`, { source, field, name });
    return decoded;
  };
  return {
    clusters: list('clusters').map((entry) => {
      const cluster = isObject(entry['cluster']) ? entry['cluster'] : {};
      const name = String(entry['name'] ?? '');
      return {
        name,
        server: typeof cluster['server'] === 'string' ? cluster['server'] : undefined,
        caCertificate: data(cluster['certificate-authority-data'], 'certificate-authority-data', 'cluster', name),
        caFile: typeof cluster['certificate-authority'] === 'string' ? cluster['certificate-authority'] : undefined,
      };
    }),
    users: list('users').map((entry) => {
      const user = isObject(entry['user']) ? entry['user'] : {};
      const name = String(entry['name'] ?? '');
      return {
        name,
        clientCertificate: data(user['client-certificate-data'], 'client-certificate-data', 'user', name),
        clientKey: data(user['client-key-data'], 'client-key-data', 'user', name),
        certFile: typeof user['client-certificate'] === 'string' ? user['client-certificate'] : undefined,
        keyFile: typeof user['client-key'] === 'string' ? user['client-key'] : undefined,
      };
    }),
    currentContext: typeof document['current-context'] === 'string' ? document['current-context'] : undefined,
    contexts: list('contexts').map((entry) => {
      const context = isObject(entry['context']) ? entry['context'] : {};
      return {
        name: String(entry['name'] ?? ''),
        cluster: typeof context['cluster'] === 'string' ? context['cluster'] : undefined,
        user: typeof context['user'] === 'string' ? context['user'] : undefined,
      };
    }),
  };
}

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
