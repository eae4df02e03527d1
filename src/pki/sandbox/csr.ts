import { existsSync, readdirSync, rmSync } from 'node:fs';
import { FILE_LIMITS, readUserFile, readUserText } from '../../user-file.js';
import { assertYamlWithinLimits } from '../certificates/yaml-size.js';
import { join, basename } from 'node:path';
import { verify as nativeVerify, createPublicKey } from 'node:crypto';
import { parse, stringify } from 'yaml';
import { KubetlsError } from '../../errors.js';
import { KEY_TYPES, generateKeyPair, isKeyType, loadPrivateKey, privateKeyToPem, type KeyType } from '../certificates/keys.js';
import { buildCertificateRequest, buildCertificate, signerFromPrivateKey } from '../certificates/x509-build.js';
import { leafKeyUsage, CERTIFICATE_BACKDATE_MS } from '../certificates/issue.js';
import { decodePemBlocks, encodePem } from '../certificates/pem.js';
import { parseCertificateDer, parseCertificateRequestDer, type ParsedCertificate, type ParsedCertificateRequest } from '../certificates/x509.js';
import { clusterOf, kubeconfigFor, loadIssuingCa, readState, userSpec, writePrivateFile, writePublicFile } from './sandbox.js';
import { assertSandbox } from '../node/node-dir.js';

/**
 * The Certificates API flow a CKA candidate performs with kubectl, done for real on the sandbox:
 * a user's key and CSR, the CertificateSigningRequest object, approval (the cluster CA signs, as
 * kube-controller-manager's csrsigning controller does with --cluster-signing-cert-file), and a
 * kubeconfig for the new user.
 */

export const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
export const MIN_EXPIRATION_SECONDS = 600;
/** kube-controller-manager's --cluster-signing-duration default. */
export const MAX_SIGNING_SECONDS = 365 * 24 * 60 * 60;
const ALLOWED_USAGES = new Set(['client auth', 'digital signature', 'key encipherment']);

export interface CsrPaths {
  key: string;
  request: string;
  manifest: string;
  certificate: string;
  kubeconfig: string;
}

export function csrPaths(dir: string, user: string): CsrPaths {
  const base = join(dir, 'users', user);
  return { key: `${base}.key`, request: `${base}.csr`, manifest: `${base}-csr.yaml`, certificate: `${base}.crt`, kubeconfig: `${base}.kubeconfig` };
}

const USER_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function validateUser(user: string): void {
  if (!USER_NAME.test(user) || user.length > 253) {
    throw KubetlsError.said('pki.errors.csr-name', { user }, { key: 'pki.errors.dns-name-hint', params: { example: 'jane' } });
  }
}

export interface CreateCsrOptions {
  dir: string;
  user: string;
  groups?: string[];
  expirationSeconds?: number;
  keyType?: KeyType | string;
  /** Start over when the user has a request already (`kubectl delete csr`, then create): new key; the old certificate and kubeconfig go. */
  replace?: boolean;
}

export interface CreatedCsr {
  paths: CsrPaths;
  manifest: string;
  request: ParsedCertificateRequest;
}

/** Step 1, on the user's side: `openssl genrsa` + `openssl req -new -subj "/CN=jane/O=dev"` + the YAML. */
export async function createCsr(options: CreateCsrOptions): Promise<CreatedCsr> {
  assertSandbox(options.dir);
  validateUser(options.user);
  const state = readState(options.dir);
  const keyType = options.keyType ?? state.cluster.keyType;
  if (!isKeyType(keyType)) throw KubetlsError.said('pki.errors.key-type', { type: keyType }, { key: 'pki.errors.choose-one', params: { choices: KEY_TYPES.join(', ') } });
  const expirationSeconds = options.expirationSeconds ?? 86_400;
  if (!Number.isInteger(expirationSeconds) || expirationSeconds < MIN_EXPIRATION_SECONDS) {
    throw KubetlsError.said('pki.errors.expiration-seconds', { min: MIN_EXPIRATION_SECONDS, value: expirationSeconds });
  }
  const groups = options.groups ?? [];
  for (const group of groups) if (group.trim() === '') throw KubetlsError.said('pki.errors.empty-group');
  const paths = csrPaths(options.dir, options.user);
  if (existsSync(paths.manifest) && !options.replace) {
    // like the API server: a second CertificateSigningRequest of the same name is refused
    throw KubetlsError.said('pki.errors.csr-exists', { user: options.user, path: paths.manifest }, {
      key: 'pki.errors.csr-exists-hint', params: { certificate: basename(paths.certificate), kubeconfig: basename(paths.kubeconfig) },
    });
  }
  const keyPair = await generateKeyPair(keyType);
  if (options.replace) for (const stale of [paths.certificate, paths.kubeconfig]) rmSync(stale, { force: true });
  const der = await buildCertificateRequest(
    { subject: { commonName: options.user, organizations: groups } },
    signerFromPrivateKey(keyPair.privateKey, keyPair.publicKey),
  );
  const requestPem = encodePem('CERTIFICATE REQUEST', der);
  const manifest = stringify({
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: options.user },
    spec: {
      request: Buffer.from(requestPem).toString('base64'),
      signerName: CLIENT_SIGNER,
      expirationSeconds,
      usages: ['client auth'],
    },
  }, { lineWidth: 0 });
  writePrivateFile(paths.key, privateKeyToPem(keyPair.privateKey));
  writePublicFile(paths.request, requestPem);
  writePrivateFile(paths.manifest, manifest);
  return { paths, manifest, request: parseCertificateRequestDer(der) };
}

interface CsrObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: { request?: string; signerName?: string; expirationSeconds?: number; usages?: string[] };
  status?: { conditions?: { type: string; status: string; reason: string; message: string; lastUpdateTime: string }[]; certificate?: string };
}

function readCsrObject(dir: string, user: string): { object: CsrObject; paths: CsrPaths } {
  validateUser(user);
  const paths = csrPaths(dir, user);
  if (!existsSync(paths.manifest)) {
    throw KubetlsError.said('pki.errors.no-csr', { user, path: paths.manifest }, { key: 'pki.errors.no-csr-hint', params: { dir, user } });
  }
  const text = readUserText(paths.manifest, { limit: FILE_LIMITS.pki });
  assertYamlWithinLimits(text, paths.manifest);
  let object: CsrObject;
  try {
    object = parse(text, { logLevel: 'error' }) as CsrObject;
  } catch {
    throw KubetlsError.said('pki.errors.csr-not-yaml', { path: paths.manifest });
  }
  if (object?.kind !== 'CertificateSigningRequest' || typeof object.spec?.request !== 'string') {
    throw KubetlsError.said('pki.errors.csr-not-csr', { path: paths.manifest });
  }
  return { object, paths };
}

function decision(object: CsrObject): string | undefined {
  return object.status?.conditions?.find((c) => c.type === 'Approved' || c.type === 'Denied')?.type;
}

export interface ApprovedCsr {
  certificate: ParsedCertificate;
  paths: CsrPaths;
}

/** Step 2, the admin's `kubectl certificate approve`, and the signer's work behind it. */
export async function approveCsr(options: { dir: string; user: string; now?: Date }): Promise<ApprovedCsr> {
  assertSandbox(options.dir);
  const { object, paths } = readCsrObject(options.dir, options.user);
  const previous = decision(object);
  if (previous) throw alreadyDecided(options.user, previous);
  const spec = object.spec!;
  if (spec.signerName !== CLIENT_SIGNER) {
    throw KubetlsError.said('pki.errors.csr-signer', { signer: spec.signerName ?? '', expected: CLIENT_SIGNER });
  }
  const usages = spec.usages ?? [];
  if (!usages.includes('client auth') || usages.some((u) => !ALLOWED_USAGES.has(u))) {
    throw KubetlsError.said('pki.errors.csr-usages', { usages: usages.join(', '), signer: CLIENT_SIGNER }, { key: 'pki.errors.csr-usages-hint' });
  }
  const request = decodeRequest(spec.request!, paths.manifest);
  const state = readState(options.dir);
  const cluster = clusterOf(state, options.now);
  const der = await signCertificateRequest({
    dir: options.dir, request, source: paths.manifest, extKeyUsage: ['clientAuth'], expirationSeconds: spec.expirationSeconds, now: cluster.now,
    fallbackCommonName: options.user,
  });
  const certificate = parseCertificateDer(der);
  const certificatePem = encodePem('CERTIFICATE', der);
  object.status = {
    conditions: [csrCondition('Approved', 'KubectlApprove', 'This CSR was approved by kubectl certificate approve.', cluster.now)],
    certificate: Buffer.from(certificatePem).toString('base64'),
  };
  writePrivateFile(paths.manifest, stringify(object, { lineWidth: 0 }));
  writePublicFile(paths.certificate, certificatePem);
  const userKey = readUserFile(paths.key, { limit: FILE_LIMITS.pki });
  const caPem = readUserText(join(options.dir, 'pki/ca.crt'), { limit: FILE_LIMITS.pki });
  writePrivateFile(paths.kubeconfig, kubeconfigFor(userSpec(options.user), cluster, caPem, certificate, loadPrivateKey(userKey, paths.key)));
  return { certificate, paths };
}

export interface RequestToSign {
  dir: string;
  request: ParsedCertificateRequest;
  /** Where the request came from, for error messages. */
  source: string;
  extKeyUsage: ('clientAuth' | 'serverAuth')[];
  expirationSeconds?: number;
  now: Date;
  fallbackCommonName?: string;
}

/**
 * What kube-controller-manager's csrsigning controller does for an approved request: check the
 * requester holds the key, then the cluster CA (its key file, or the HSM) signs the subject and SANs
 * of the request, backdated five minutes, for at most --cluster-signing-duration and never past the CA.
 */
export async function signCertificateRequest(input: RequestToSign): Promise<Buffer> {
  const { request } = input;
  assertProofOfPossession(request, input.source);
  const ca = loadIssuingCa(input.dir, 'ca');
  const seconds = Math.min(input.expirationSeconds ?? MAX_SIGNING_SECONDS, MAX_SIGNING_SECONDS);
  const publicKey = createPublicKey({ key: request.publicKey.spkiDer, format: 'der', type: 'spki' });
  return buildCertificate(
    {
      subject: { commonName: request.subject.commonName ?? input.fallbackCommonName ?? '', organizations: request.subject.organizations },
      publicKey,
      notBefore: new Date(input.now.getTime() - CERTIFICATE_BACKDATE_MS),
      notAfter: new Date(Math.min(input.now.getTime() + seconds * 1000, ca.certificate.notAfter.getTime())),
      isCA: false,
      keyUsage: leafKeyUsage(publicKey),
      extKeyUsage: input.extKeyUsage,
      dnsNames: request.subjectAltNames.dns,
      ipAddresses: request.subjectAltNames.ip,
    },
    { subjectDer: ca.certificate.subjectDer, subjectKeyId: ca.certificate.subjectKeyId, signer: ca.signer },
  );
}

/** `kubectl certificate deny`: the request stays, marked Denied, and no certificate is issued. */
export function denyCsr(options: { dir: string; user: string; now?: Date }): CsrPaths {
  assertSandbox(options.dir);
  const { object, paths } = readCsrObject(options.dir, options.user);
  const previous = decision(object);
  if (previous) throw alreadyDecided(options.user, previous);
  object.status = { conditions: [csrCondition('Denied', 'KubectlDeny', 'This CSR was denied by kubectl certificate deny.', options.now ?? new Date())] };
  writePrivateFile(paths.manifest, stringify(object, { lineWidth: 0 }));
  return paths;
}

function alreadyDecided(user: string, decided: string): KubetlsError {
  return decided === 'Denied' ? KubetlsError.said('pki.errors.csr-denied-already', { user }) : KubetlsError.said('pki.errors.csr-approved-already', { user });
}

export function csrCondition(type: string, reason: string, message: string, now: Date) {
  return { type, status: 'True', reason, message, lastUpdateTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

export function decodeRequest(base64: string, source: string): ParsedCertificateRequest {
  const pem = Buffer.from(base64, 'base64').toString('utf8');
  const block = decodePemBlocks(pem).find((b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST');
  if (!block) throw KubetlsError.said('pki.errors.csr-request-not-pem', { source }, { key: 'pki.errors.csr-request-not-pem-hint' });
  try {
    return parseCertificateRequestDer(block.der);
  } catch {
    throw KubetlsError.said('pki.errors.csr-request-damaged', { source });
  }
}

/** The requester must hold the private key: the CSR is signed with it. */
function assertProofOfPossession(request: ParsedCertificateRequest, source: string): void {
  const key = createPublicKey({ key: request.publicKey.spkiDer, format: 'der', type: 'spki' });
  const hash = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  if (!nativeVerify(hash, request.infoDer, key, request.signature)) {
    throw KubetlsError.said('pki.errors.csr-signature', { source });
  }
}

export interface CsrSummary {
  name: string;
  signerName: string;
  requestedDuration: string;
  condition: string;
  user: string;
  groups: string[];
}

/** `kubectl get csr`, for the sandbox's users/ directory. */
export function listCsrs(dir: string): CsrSummary[] {
  const usersDir = join(dir, 'users');
  if (!existsSync(usersDir)) return [];
  const names = readdirSafe(usersDir).filter((f) => f.endsWith('-csr.yaml')).map((f) => f.slice(0, -'-csr.yaml'.length)).sort();
  return names.map((name) => {
    const { object, paths } = readCsrObject(dir, name);
    const request = decodeRequest(object.spec!.request!, paths.manifest);
    const seconds = object.spec?.expirationSeconds;
    return {
      name,
      signerName: object.spec?.signerName ?? '',
      requestedDuration: seconds === undefined ? '<none>' : humanSeconds(seconds),
      condition: decision(object) === 'Approved' ? 'Approved,Issued' : (decision(object) ?? 'Pending'),
      user: request.subject.commonName ?? '',
      groups: request.subject.organizations,
    };
  });
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function humanSeconds(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
