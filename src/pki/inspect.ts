import { createPublicKey, type KeyObject } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';
import { KubetlsError } from '../errors.js';
import { FILE_LIMITS, readUserFile } from '../user-file.js';
import { looksLikeKubeconfig, parseKubeconfig } from './kubeconfig.js';
import { loadPrivateKey, samePublicKey, type KeyPair } from './keys.js';
import { decodePemBlocks, looksLikePem } from './pem.js';
import { parseCertificateDer, parseCertificateRequestDer, type ParsedCertificate, type ParsedCertificateRequest } from './x509.js';

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
  if (paths.length === 0) throw new KubetlsError('no file given', { hint: 'e.g. `kubetls inspect ~/kubetls-lab/pki/apiserver.crt`' });
  const items = paths.flatMap((path) => inspectFile(path));
  matchKeysToCertificates(items);
  return items;
}

export function inspectFile(path: string): InspectedItem[] {
  const absolute = resolve(path);
  const data = readUserFile(absolute, { limit: FILE_LIMITS.pki, name: path });
  if (data.length === 0) throw new KubetlsError(`${path}: the file is empty`);
  return inspectBytes(data, path, dirname(absolute));
}

export function inspectBytes(data: Buffer, source: string, baseDir = process.cwd()): InspectedItem[] {
  const text = data.toString('utf8');
  if (looksLikePem(data)) return inspectPem(text, source);
  if (looksLikeKubeconfig(text)) return inspectKubeconfig(text, source, baseDir);
  return inspectDer(data, source);
}

function inspectPem(text: string, source: string): InspectedItem[] {
  const blocks = decodePemBlocks(text);
  if (blocks.length === 0) throw new KubetlsError(`${source}: a PEM header without a matching END line`);
  const several = blocks.length > 1;
  return blocks.map((block, index) => {
    const where = several ? `${source} [${index + 1}/${blocks.length}, line ${block.line}]` : source;
    return inspectPemBlock(block.label, block.der, where, text);
  });
}

function inspectPemBlock(label: string, der: Buffer, source: string, fullText: string): InspectedItem {
  switch (label) {
    case 'CERTIFICATE':
    case 'TRUSTED CERTIFICATE':
      return { kind: 'certificate', source, certificate: parseOrExplain(() => parseCertificateDer(der), source, 'certificate') };
    case 'CERTIFICATE REQUEST':
    case 'NEW CERTIFICATE REQUEST':
      return { kind: 'certificate-request', source, request: parseOrExplain(() => parseCertificateRequestDer(der), source, 'certificate request') };
    case 'PRIVATE KEY':
    case 'RSA PRIVATE KEY':
    case 'EC PRIVATE KEY':
    case 'ENCRYPTED PRIVATE KEY':
      return { kind: 'private-key', source, keyPair: loadPrivateKey(Buffer.from(pemSection(fullText, label)), source), matches: [] };
    case 'PUBLIC KEY':
      return { kind: 'public-key', source, publicKey: parseOrExplain(() => createPublicKey({ key: der, format: 'der', type: 'spki' }), source, 'public key'), matches: [] };
    default:
      throw new KubetlsError(`${source}: a PEM block of type "${label}", which kubetls does not read`, {
        hint: 'kubetls reads certificates, certificate requests, private and public keys',
      });
  }
}

/** The whole BEGIN…END section (with any Proc-Type headers) so encrypted legacy keys are recognised. */
function pemSection(text: string, label: string): string {
  const start = text.indexOf(`-----BEGIN ${label}-----`);
  const endMarker = `-----END ${label}-----`;
  return text.slice(start, text.indexOf(endMarker, start) + endMarker.length);
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
  throw new KubetlsError(`${source}: not a certificate, certificate request, key or kubeconfig`, {
    hint: 'kubetls reads PEM or DER files and kubeconfig YAML',
  });
}

function inspectKubeconfig(text: string, source: string, baseDir: string): InspectedItem[] {
  const config = parseKubeconfig(text, source);
  const items: InspectedItem[] = [];
  for (const cluster of config.clusters) {
    const where = `${source}: cluster "${cluster.name}" certificate-authority`;
    if (cluster.caCertificate) items.push(...inspectPem(cluster.caCertificate.toString('utf8'), `${where}-data`));
    else if (cluster.caFile) items.push(...referencedFile(cluster.caFile, baseDir, where));
  }
  for (const user of config.users) {
    const where = `${source}: user "${user.name}"`;
    if (user.clientCertificate) items.push(...inspectPem(user.clientCertificate.toString('utf8'), `${where} client-certificate-data`));
    else if (user.certFile) items.push(...referencedFile(user.certFile, baseDir, `${where} client-certificate`));
    if (user.clientKey) items.push(...inspectPem(user.clientKey.toString('utf8'), `${where} client-key-data`));
    else if (user.keyFile) items.push(...referencedFile(user.keyFile, baseDir, `${where} client-key`));
  }
  if (items.length === 0) throw new KubetlsError(`${source}: a kubeconfig without certificates (token or exec credentials?)`);
  return items;
}

/** A file a kubeconfig names holds PEM or DER, never another kubeconfig (which could name the first one). */
function referencedFile(path: string, baseDir: string, where: string): InspectedItem[] {
  const absolute = resolve(baseDir, path);
  const data = readUserFile(absolute, { limit: FILE_LIMITS.pki, name: `${where} ${path}` });
  const source = `${where} (${basename(absolute)})`;
  if (data.length === 0) throw new KubetlsError(`${where} ${path}: the file is empty`);
  return looksLikePem(data) ? inspectPem(data.toString('utf8'), source) : inspectDer(data, source);
}

function parseOrExplain<T>(parse: () => T, source: string, what: string): T {
  try {
    return parse();
  } catch {
    throw new KubetlsError(`${source}: the ${what} is damaged and cannot be parsed`);
  }
}

/** Tell, for each key, which of the certificates given alongside it it belongs to. */
function matchKeysToCertificates(items: InspectedItem[]): void {
  const certificates = items.filter((i): i is Extract<InspectedItem, { kind: 'certificate' }> => i.kind === 'certificate');
  for (const item of items) {
    if (item.kind !== 'private-key' && item.kind !== 'public-key') continue;
    const publicKey = item.kind === 'private-key' ? item.keyPair.publicKey : item.publicKey;
    item.matches = certificates
      .filter((c) => samePublicKey(publicKey, createPublicKey({ key: c.certificate.publicKey.spkiDer, format: 'der', type: 'spki' })))
      .map((c) => c.source);
  }
}
