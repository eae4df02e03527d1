import { createPublicKey, type KeyObject } from 'node:crypto';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { KubetlsError } from '../../errors.js';
import { FILE_LIMITS, readUserFile } from '../../user-file.js';
import { looksLikeKubeconfig, parseKubeconfig } from './kubeconfig.js';
import { loadPrivateKey, type KeyPair } from './keys.js';
import { decodePemBlocks, looksLikePem, type PemBlock } from './pem.js';
import { parseCertificateDer, parseCertificateRequestDer, type ParsedCertificate, type ParsedCertificateRequest } from './x509.js';
import { nodeRootOf, resolveInRoot } from '../node/node-dir.js';

/**
 * `kubetls inspect`: whatever a learner points it at — a PEM or DER certificate, a bundle, a
 * kubeconfig, a CSR, a key — becomes a list of items, each named by where it came from.
 */

export type InspectedItem =
  | { kind: 'certificate'; source: string; certificate: ParsedCertificate }
  | { kind: 'certificate-request'; source: string; request: ParsedCertificateRequest }
  | { kind: 'private-key'; source: string; keyPair: KeyPair; matches: string[] }
  | { kind: 'public-key'; source: string; publicKey: KeyObject; matches: string[] };

export function inspectFiles(paths: readonly string[]): InspectedItem[] {
  if (paths.length === 0) throw KubetlsError.said('pki.errors.no-file', {}, { key: 'pki.errors.eg', params: { example: '`kubetls inspect ~/kubetls-lab/pki/apiserver.crt`' } });
  const items = paths.flatMap((path) => inspectFile(path));
  matchKeysToCertificates(items);
  return items;
}

export function inspectFile(path: string): InspectedItem[] {
  const absolute = onItsNode(resolve(path));
  const data = readUserFile(absolute, { limit: FILE_LIMITS.pki, name: path });
  if (data.length === 0) throw KubetlsError.said('pki.errors.empty-file', { path });
  return inspectBytes(data, path, dirname(resolve(path)));
}

/**
 * A file of a node's /etc/kubernetes or /var/lib/kubelet as the node sees it: the kubelet's
 * `-current.pem` links are absolute, so in a copy of a node's root they are followed inside that root.
 */
function onItsNode(absolute: string): string {
  const root = nodeRootOf(absolute);
  return root && root !== '/' ? resolveInRoot(root, relative(root, absolute)) : absolute;
}

/**
 * Keys are the slow part (OpenSSL decodes one in ~0.5 ms): a file, with the files a kubeconfig names,
 * may hold this many, which bounds the time any file under the size limit takes (README, "Limits").
 */
export const MAX_KEYS_PER_FILE = 1000;

/** What one file named on the command line may still bring in, through the files a kubeconfig names. */
interface Allowance {
  bytes: number;
  keys: number;
  readonly source: string;
}

export function inspectBytes(data: Buffer, source: string, baseDir = process.cwd()): InspectedItem[] {
  return inspectData(data, source, baseDir, { bytes: FILE_LIMITS.pki - data.length, keys: MAX_KEYS_PER_FILE, source });
}

function inspectData(data: Buffer, source: string, baseDir: string, allowance: Allowance): InspectedItem[] {
  const text = data.toString('utf8');
  if (looksLikePem(data)) return inspectPem(text, source, allowance);
  if (looksLikeKubeconfig(text)) return inspectKubeconfig(text, source, baseDir, allowance);
  return inspectDer(data, source);
}

function inspectPem(text: string, source: string, allowance: Allowance): InspectedItem[] {
  const blocks = decodePemBlocks(text);
  if (blocks.length === 0) throw KubetlsError.said('pki.errors.pem-no-end', { source });
  allowance.keys -= blocks.filter((block) => block.label.endsWith('KEY')).length;
  if (allowance.keys < 0) {
    throw KubetlsError.said('pki.errors.too-many-keys', { source: allowance.source, limit: MAX_KEYS_PER_FILE }, { key: 'pki.errors.meant-this-file' });
  }
  const several = blocks.length > 1;
  return blocks.map((block, index) => {
    const where = several ? `${source} [${index + 1}/${blocks.length}, line ${block.line}]` : source;
    return inspectPemBlock(block, where);
  });
}

function inspectPemBlock({ label, der, text }: PemBlock, source: string): InspectedItem {
  switch (label) {
    case 'CERTIFICATE':
    case 'TRUSTED CERTIFICATE':
      return { kind: 'certificate', source, certificate: parseOrExplain(() => parseCertificateDer(der), source, 'certificate') };
    case 'CERTIFICATE REQUEST':
    case 'NEW CERTIFICATE REQUEST':
      return { kind: 'certificate-request', source, request: parseOrExplain(() => parseCertificateRequestDer(der), source, 'certificate-request') };
    case 'PRIVATE KEY':
    case 'RSA PRIVATE KEY':
    case 'EC PRIVATE KEY':
    case 'ENCRYPTED PRIVATE KEY':
      return { kind: 'private-key', source, keyPair: loadPrivateKey(Buffer.from(text), source), matches: [] };
    case 'PUBLIC KEY':
      return { kind: 'public-key', source, publicKey: parseOrExplain(() => createPublicKey({ key: der, format: 'der', type: 'spki' }), source, 'public-key'), matches: [] };
    default:
      throw KubetlsError.said('pki.errors.pem-unknown-type', { source, label }, { key: 'pki.errors.pem-unknown-type-hint' });
  }
}

function inspectDer(data: Buffer, source: string): InspectedItem[] {
  const attempts: (() => InspectedItem)[] = [
    () => ({ kind: 'certificate', source, certificate: parseCertificateDer(data) }),
    () => ({ kind: 'certificate-request', source, request: parseCertificateRequestDer(data) }),
    () => ({ kind: 'private-key', source, keyPair: loadPrivateKey(data, source), matches: [] }),
    () => ({ kind: 'public-key', source, publicKey: createPublicKey({ key: data, format: 'der', type: 'spki' }), matches: [] }),
  ];
  for (const attempt of attempts) {
    try {
      return [attempt()];
    } catch {
      // not this kind; try the next
    }
  }
  throw KubetlsError.said('pki.errors.not-pki', { source }, { key: 'pki.errors.not-pki-hint' });
}

function inspectKubeconfig(text: string, source: string, baseDir: string, allowance: Allowance): InspectedItem[] {
  const config = parseKubeconfig(text, source);
  const items: InspectedItem[] = [];
  for (const cluster of config.clusters) {
    const where = `${source}: cluster "${cluster.name}" certificate-authority`;
    if (cluster.caCertificate) items.push(...inspectPem(cluster.caCertificate.toString('utf8'), `${where}-data`, allowance));
    else if (cluster.caFile) items.push(...referencedFile(cluster.caFile, baseDir, where, allowance));
  }
  for (const user of config.users) {
    const where = `${source}: user "${user.name}"`;
    if (user.clientCertificate) items.push(...inspectPem(user.clientCertificate.toString('utf8'), `${where} client-certificate-data`, allowance));
    else if (user.certFile) items.push(...referencedFile(user.certFile, baseDir, `${where} client-certificate`, allowance));
    if (user.clientKey) items.push(...inspectPem(user.clientKey.toString('utf8'), `${where} client-key-data`, allowance));
    else if (user.keyFile) items.push(...referencedFile(user.keyFile, baseDir, `${where} client-key`, allowance));
  }
  if (items.length === 0) throw KubetlsError.said('pki.errors.kubeconfig-no-certificates', { source });
  return items;
}

/**
 * A file a kubeconfig names holds PEM or DER, never another kubeconfig (which could name the first
 * one); together with the kubeconfig the files it names hold at most FILE_LIMITS.pki bytes.
 */
function referencedFile(path: string, baseDir: string, where: string, allowance: Allowance): InspectedItem[] {
  // an absolute path in a node's kubeconfig (kubelet.conf) is a path on that node
  const root = nodeRootOf(baseDir);
  const absolute = isAbsolute(path) && root && root !== '/' ? resolveInRoot(root, path) : onItsNode(resolve(baseDir, path));
  const data = readUserFile(absolute, {
    limit: Math.max(0, allowance.bytes),
    name: `${where} ${path}`,
    sharedWith: { source: allowance.source, total: FILE_LIMITS.pki },
  });
  allowance.bytes -= data.length;
  const source = `${where} (${basename(absolute)})`;
  if (data.length === 0) throw KubetlsError.said('pki.errors.empty-file', { path: `${where} ${path}` });
  return looksLikePem(data) ? inspectPem(data.toString('utf8'), source, allowance) : inspectDer(data, source);
}

function parseOrExplain<T>(parse: () => T, source: string, what: 'certificate' | 'certificate-request' | 'public-key'): T {
  try {
    return parse();
  } catch {
    throw KubetlsError.said(`pki.errors.damaged-${what}`, { source });
  }
}

/** Tell, for each key, which of the certificates given alongside it it belongs to (one pass each way: a bundle can hold thousands). */
function matchKeysToCertificates(items: InspectedItem[]): void {
  const keys = items.filter((i): i is Extract<InspectedItem, { kind: 'private-key' | 'public-key' }> => i.kind === 'private-key' || i.kind === 'public-key');
  if (keys.length === 0) return;
  const sourcesByKey = new Map<string, string[]>();
  for (const item of items) {
    if (item.kind !== 'certificate') continue;
    const key = spkiKey(item.certificate.publicKey.spkiDer);
    if (key !== undefined) sourcesByKey.set(key, [...(sourcesByKey.get(key) ?? []), item.source]);
  }
  for (const item of keys) {
    const publicKey = item.kind === 'private-key' ? item.keyPair.publicKey : item.publicKey;
    item.matches = sourcesByKey.get(publicKey.export({ type: 'spki', format: 'der' }).toString('base64')) ?? [];
  }
}

/** The key as node:crypto re-encodes it, so two encodings of one key compare equal; undefined when it cannot read it. */
function spkiKey(spkiDer: Buffer): string | undefined {
  try {
    return createPublicKey({ key: spkiDer, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'der' }).toString('base64');
  } catch {
    return undefined;
  }
}
