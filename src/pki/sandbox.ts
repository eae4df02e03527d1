import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KubetlsError } from '../errors.js';
import { buildKubeconfig, parseKubeconfig } from './kubeconfig.js';
import { loadPrivateKey, privateKeyToPem, publicKeyToPem, type KeyPair, type KeyType } from './keys.js';
import { encodePem, decodePemBlocks } from './pem.js';
import { CERTIFICATE_SPECS, findSpec, type CaName, type CertificateSpec } from './spec.js';
import { resolveClusterOptions, type ClusterOptions, type ClusterValues } from './options.js';
import { generatePkiMaterial, type PkiMaterial, type ProgressListener } from './generate.js';
import { parseCertificateDer, type ParsedCertificate } from './x509.js';
import { caFromKeyPair, type IssuingCa } from './issue.js';

/** The sandbox on disk: kubeadm's layout (`pki/…`, `*.conf`) plus kubetls's own record of it. */

export const STATE_FILE = 'kubetls-sandbox.json';
const STATE_VERSION = 1;

export type FaultName = 'expired' | 'not-yet-valid' | 'wrong-ca' | 'missing-san' | 'wrong-usage' | 'key-mismatch';

export interface FaultRecord {
  fault: FaultName;
  detail: string;
  at: string;
}

export interface SandboxState {
  kubetls: number;
  createdAt: string;
  cluster: Omit<ClusterOptions, 'now'>;
  faults: Record<string, FaultRecord>;
}

export interface InitOptions {
  dir: string;
  cluster?: Partial<ClusterOptions>;
  force?: boolean;
  onProgress?: ProgressListener;
}

export interface InitResult {
  dir: string;
  cluster: ClusterValues;
  material: PkiMaterial;
  files: string[];
}

/** `kubetls pki init`: refuse to clobber, make every key and cert, write the layout with kubeadm's modes. */
export async function initSandbox(options: InitOptions): Promise<InitResult> {
  const dir = resolve(options.dir);
  const cluster = resolveClusterOptions(options.cluster);
  assertWritableTarget(dir, options.force ?? false);
  const material = await generatePkiMaterial(cluster, options.onProgress);
  const files = writeSandbox(dir, cluster, material);
  return { dir, cluster, material, files };
}

function assertWritableTarget(dir: string, force: boolean): void {
  if (existsSync(dir) && !lstatSync(dir).isDirectory()) {
    throw new KubetlsError(`${dir} exists and is not a directory`, { hint: 'choose another --dir' });
  }
  if (force) return;
  const existing = CERTIFICATE_SPECS.flatMap((spec) => filesOf(dir, spec)).find((file) => existsSync(file));
  const state = join(dir, STATE_FILE);
  const found = existing ?? (existsSync(state) ? state : undefined);
  if (found) {
    throw new KubetlsError(`${dir} already holds a PKI (${found})`, { hint: 'add --force to replace it, or choose another --dir' });
  }
}

export function filesOf(dir: string, spec: CertificateSpec): string[] {
  const base = join(dir, spec.path);
  if (spec.kind === 'kubeconfig') return [base];
  if (spec.kind === 'service-account-key') return [`${base}.key`, `${base}.pub`];
  return [`${base}.crt`, `${base}.key`];
}

export function certificatePath(dir: string, spec: CertificateSpec): string {
  return spec.kind === 'kubeconfig' ? join(dir, spec.path) : join(dir, `${spec.path}.crt`);
}

export function keyPath(dir: string, spec: CertificateSpec): string {
  return spec.kind === 'kubeconfig' ? join(dir, spec.path) : join(dir, `${spec.path}.key`);
}

function writeSandbox(dir: string, cluster: ClusterValues, material: PkiMaterial): string[] {
  const written: string[] = [];
  for (const { spec, keyPair, certificate } of material.values()) {
    if (spec.kind === 'kubeconfig') continue;
    const base = join(dir, spec.path);
    writePrivateFile(`${base}.key`, privateKeyToPem(keyPair.privateKey));
    written.push(`${base}.key`);
    if (spec.kind === 'service-account-key') {
      writePrivateFile(`${base}.pub`, publicKeyToPem(keyPair.publicKey));
      written.push(`${base}.pub`);
    } else if (certificate) {
      writePublicFile(`${base}.crt`, encodePem('CERTIFICATE', certificate.der));
      written.push(`${base}.crt`);
    }
  }
  const caPem = encodePem('CERTIFICATE', material.get('ca')!.certificate!.der);
  for (const { spec, keyPair, certificate } of material.values()) {
    if (spec.kind !== 'kubeconfig' || !certificate) continue;
    const path = join(dir, spec.path);
    writePrivateFile(path, kubeconfigFor(spec, cluster, caPem, certificate, keyPair));
    written.push(path);
  }
  const state: SandboxState = {
    kubetls: STATE_VERSION,
    createdAt: cluster.now.toISOString(),
    cluster: withoutClock(cluster),
    faults: {},
  };
  writeState(dir, state);
  return written;
}

function withoutClock(cluster: ClusterValues): Omit<ClusterOptions, 'now'> {
  const { now: _now, apiServerServiceIp: _ip, ...rest } = cluster;
  return rest;
}

export function kubeconfigFor(spec: CertificateSpec, cluster: ClusterValues, caPem: string, certificate: ParsedCertificate, keyPair: KeyPair): string {
  return buildKubeconfig({
    server: `https://${formatHostForUrl(cluster.advertiseAddress)}:6443`,
    caCertificatePem: caPem,
    userName: spec.commonName(cluster),
    clientCertificatePem: encodePem('CERTIFICATE', certificate.der),
    clientKeyPem: privateKeyToPem(keyPair.privateKey),
  });
}

function formatHostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

// ---- files -------------------------------------------------------------------------------

function ensurePrivateDirectory(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
}

/** Write via a temporary file and rename, so a crash never leaves half a key behind. */
function writeAtomically(path: string, content: string, mode: number): void {
  ensurePrivateDirectory(dirname(path));
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, content, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}

export function writePrivateFile(path: string, content: string): void {
  writeAtomically(path, content, 0o600);
}

export function writePublicFile(path: string, content: string): void {
  writeAtomically(path, content, 0o644);
}

// ---- state -------------------------------------------------------------------------------

export function readState(dir: string): SandboxState {
  const path = join(dir, STATE_FILE);
  if (!existsSync(path)) {
    throw new KubetlsError(`${dir} is not a kubetls sandbox (no ${STATE_FILE})`, { hint: `create one with \`kubetls pki init --dir ${dir}\`` });
  }
  let state: unknown;
  try {
    state = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new KubetlsError(`${path} is damaged (not JSON)`, { hint: `recreate the sandbox with \`kubetls pki init --dir ${dir} --force\`` });
  }
  if (!isState(state)) {
    throw new KubetlsError(`${path} is not a sandbox record this kubetls understands`, { hint: `recreate it with \`kubetls pki init --dir ${dir} --force\`` });
  }
  return state;
}

function isState(value: unknown): value is SandboxState {
  const state = value as SandboxState;
  return typeof state === 'object' && state !== null && state.kubetls === STATE_VERSION && typeof state.cluster === 'object' && typeof state.faults === 'object';
}

export function writeState(dir: string, state: SandboxState): void {
  writePrivateFile(join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** The cluster a sandbox was made for, evaluated at `now`. */
export function clusterOf(state: SandboxState, now: Date = new Date()): ClusterValues {
  return resolveClusterOptions({ ...state.cluster, keyType: state.cluster.keyType as KeyType, now });
}

// ---- identities --------------------------------------------------------------------------

/** A certificate of the sandbox with its key, read back from disk (for handshakes, faults, renewals). */
export interface Identity {
  spec: CertificateSpec;
  certificate: ParsedCertificate;
  keyPair: KeyPair;
  certificatePem: string;
  privateKeyPem: string;
  file: string;
}

/** A user made through the Certificates API (`kubetls csr`), addressed as `users/NAME`. */
export function userSpec(user: string): CertificateSpec {
  return {
    name: `users/${user}`,
    kind: 'kubeconfig',
    path: `users/${user}.kubeconfig`,
    expirationName: `users/${user}.kubeconfig`,
    signer: 'ca',
    commonName: () => user,
    organizations: () => [],
    usages: ['clientAuth'],
    purpose: `the user "${user}", approved through a CertificateSigningRequest`,
    usedBy: [{ component: 'kubectl', flag: '--kubeconfig', file: 'conf' }],
    trustsServersSignedBy: 'ca',
  };
}

const USER_PREFIX = /^users?[/:]/;

export function resolveSpec(name: string): CertificateSpec {
  if (USER_PREFIX.test(name)) return userSpec(name.replace(USER_PREFIX, '').replace(/\.kubeconfig$/, ''));
  const spec = findSpec(name);
  if (!spec || spec.kind === 'service-account-key') {
    const names = CERTIFICATE_SPECS.filter((s) => s.kind !== 'service-account-key').map((s) => s.name);
    throw new KubetlsError(`unknown certificate "${name}"`, { hint: `choose one of ${names.join(', ')}, or users/NAME` });
  }
  return spec;
}

export function loadIdentity(dir: string, name: string): Identity {
  const spec = resolveSpec(name);
  return spec.kind === 'kubeconfig' ? loadKubeconfigIdentity(dir, spec) : loadFileIdentity(dir, spec);
}

function readRequired(path: string, dir: string): Buffer {
  if (!existsSync(path)) {
    throw new KubetlsError(`${path} is missing`, { hint: `recreate the sandbox with \`kubetls pki init --dir ${dir} --force\`` });
  }
  return readFileSync(path);
}

function loadFileIdentity(dir: string, spec: CertificateSpec): Identity {
  const certFile = certificatePath(dir, spec);
  const keyFile = keyPath(dir, spec);
  const certificatePem = readRequired(certFile, dir).toString('utf8');
  const privateKeyPem = readRequired(keyFile, dir).toString('utf8');
  return {
    spec,
    certificate: firstCertificate(certificatePem, certFile),
    keyPair: loadPrivateKey(Buffer.from(privateKeyPem), keyFile),
    certificatePem,
    privateKeyPem,
    file: certFile,
  };
}

function loadKubeconfigIdentity(dir: string, spec: CertificateSpec): Identity {
  const file = join(dir, spec.path);
  const contents = parseKubeconfig(readRequired(file, dir).toString('utf8'), file);
  const user = contents.users[0];
  if (!user?.clientCertificate || !user.clientKey) {
    throw new KubetlsError(`${file}: no embedded client-certificate-data/client-key-data`);
  }
  const certificatePem = user.clientCertificate.toString('utf8');
  const privateKeyPem = user.clientKey.toString('utf8');
  return {
    spec,
    certificate: firstCertificate(certificatePem, `${file} (client-certificate-data)`),
    keyPair: loadPrivateKey(user.clientKey, `${file} (client-key-data)`),
    certificatePem,
    privateKeyPem,
    file,
  };
}

function firstCertificate(pem: string, source: string): ParsedCertificate {
  const block = decodePemBlocks(pem).find((b) => b.label === 'CERTIFICATE');
  if (!block) throw new KubetlsError(`${source}: no certificate found`);
  try {
    return parseCertificateDer(block.der);
  } catch {
    throw new KubetlsError(`${source}: the certificate is damaged and cannot be parsed`);
  }
}

export function loadIssuingCa(dir: string, ca: CaName): IssuingCa {
  const identity = loadIdentity(dir, ca);
  return caFromKeyPair(identity.certificate, identity.keyPair);
}

/** Replace one certificate (and optionally its key) in place, keeping kubeadm's file modes. */
export function writeIdentity(dir: string, cluster: ClusterValues, spec: CertificateSpec, certificate: ParsedCertificate, keyPair: KeyPair | undefined): void {
  if (spec.kind === 'kubeconfig') {
    const current = keyPair ?? loadIdentity(dir, spec.name).keyPair;
    const caPem = readRequired(join(dir, 'pki/ca.crt'), dir).toString('utf8');
    writePrivateFile(join(dir, spec.path), kubeconfigFor(spec, cluster, caPem, certificate, current));
    return;
  }
  writePublicFile(certificatePath(dir, spec), encodePem('CERTIFICATE', certificate.der));
  if (keyPair) writePrivateFile(keyPath(dir, spec), privateKeyToPem(keyPair.privateKey));
}

export function fileMode(path: string): number {
  return statSync(path).mode & 0o777;
}
