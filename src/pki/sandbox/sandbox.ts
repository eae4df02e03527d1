import { createPublicKey } from 'node:crypto';
import { existsSync, lstatSync, renameSync, statSync, rmSync, symlinkSync, unlinkSync, readlinkSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isIP } from 'node:net';
import { KubetlsError, type Words } from '../../errors.js';
import type { Language } from '../../locale/catalogue.js';
import { buildKubeconfig, parseKubeconfig } from '../certificates/kubeconfig.js';
import { loadPrivateKey, privateKeyToPem, publicKeyToPem, type KeyPair } from '../certificates/keys.js';
import { encodePem, decodePemBlocks } from '../certificates/pem.js';
import { CERTIFICATE_SPECS, findSpec, type CaName, type CertificateSpec } from '../certificates/spec.js';
import { apiServerUrl, resolveClusterOptions, type ClusterOptions, type ClusterValues } from '../certificates/options.js';
import { generatePkiMaterial, type PkiMaterial, type ProgressListener } from '../certificates/generate.js';
import { parseCertificateDer, type ParsedCertificate } from '../certificates/x509.js';
import { caFromKeyPair, type IssuingCa } from '../certificates/issue.js';
import {
  HARD_WAY_DEFAULT_WORKERS, HARD_WAY_SERVICE_CIDR, sandboxSpecs, type PkiProfile, type SandboxLayout, type WorkerRecord,
} from '../certificates/profiles.js';
import { assertPkcs11Usable, createHsmCaKey, findPkcs11Module, hsmSigner, HSM_DIR, type HsmRecord } from '../hsm/hsm.js';
import { MANIFESTS_DIR, writeManifests } from '../manifests/static-pods.js';
import { assertSandbox, fileInDir, hostFile, isSandbox, looksLikeKubeadmDir, errnoOf, readNodeFile, type NodeFacts } from '../node/node-dir.js';
import { prepareInitTarget, type InitTargetPlan } from './init-target.js';
import { STATE_FILE, STATE_VERSION } from './state.js';

/** The sandbox on disk: kubeadm's layout (`pki/…`, `*.conf`) plus kubetls's own record of it. */

export { STATE_FILE };

export type FaultName = 'expired' | 'not-yet-valid' | 'wrong-ca' | 'missing-san' | 'wrong-usage' | 'key-mismatch' | 'wrong-path';

export interface FaultRecord {
  fault: FaultName;
  /** What it changed, in the base language (records written before `words` have only this). */
  detail: string;
  /** The same as catalogue words, to say it in the learner's language (`faultDetail`). */
  words?: Words;
  at: string;
}

export interface SandboxState extends SandboxLayout {
  kubetls: number;
  createdAt: string;
  cluster: Omit<ClusterOptions, 'now'>;
  faults: Record<string, FaultRecord>;
  /** Present when the cluster CA key lives in a PKCS#11 token instead of pki/ca.key. */
  hsm?: HsmRecord;
  /** A copy of a node whose cluster CA key was never on it (kubeadm's external CA): no pki/ca.key. */
  externalCa?: true;
  /** Only on the state read back from a directory kubeadm wrote (never written): what came from where. */
  node?: NodeFacts;
  /** A sandbox made by `pki copy` from a node's directory. */
  copiedFrom?: { dir: string; at: string; withoutKeys: boolean };
}

export interface InitOptions {
  dir: string;
  cluster?: Partial<ClusterOptions>;
  /** kubeadm (default) or hard-way ("Kubernetes the Hard Way"). */
  profile?: PkiProfile;
  /** hard-way only: the workers that get a kubelet certificate (default worker-0..2). */
  workers?: WorkerRecord[];
  /** Generate the cluster CA key inside SoftHSM 2; `module` overrides where libsofthsm2.so is. */
  caInHsm?: { module?: string };
  force?: boolean;
  onProgress?: ProgressListener;
  /** The language of the progress steps. */
  language?: Language;
}

export interface InitResult {
  dir: string;
  cluster: ClusterValues;
  material: PkiMaterial;
  files: string[];
  /** With force: the directory holding what init replaced, when it replaced anything. */
  backup: string | undefined;
  /** With force: older backups removed (a sandbox keeps the newest three). */
  removedBackups: string[];
}

/** `kubetls pki init`: refuse to clobber, make every key and cert, write the layout with kubeadm's modes. */
export async function initSandbox(options: InitOptions): Promise<InitResult> {
  const dir = resolve(options.dir);
  const profile = options.profile ?? 'kubeadm';
  const cluster = resolveClusterOptions({
    ...options.cluster,
    serviceCidr: options.cluster?.serviceCidr ?? (profile === 'hard-way' ? HARD_WAY_SERVICE_CIDR : undefined),
  });
  const workers = workersFor(profile, options.workers);
  const layout: SandboxLayout = { profile, workers, nodes: [] };
  const specs = sandboxSpecs(layout);
  const plan = {
    files: [...new Set([...specs.flatMap((spec) => filesOf('', spec)), STATE_FILE])],
    // a new cluster CA: the old token, the nodes and users it vouched for and the old manifests go with the old PKI
    staleDirectories: [HSM_DIR, 'nodes', 'users', MANIFESTS_DIR],
    ownedBefore: ownedFiles(dir),
  };
  // refused before anything is generated or written; --force replaces a sandbox's PKI, never a cluster's own
  if (!isSandbox(dir) && looksLikeKubeadmDir(dir)) assertSandbox(dir);
  if (!options.force) prepareInitTarget(dir, plan, { force: false });
  // check for SoftHSM and the binding before anything is written: without them nothing changes
  const hsmModule = options.caInHsm ? findPkcs11Module(options.caInHsm.module) : undefined;
  if (hsmModule) assertPkcs11Usable(hsmModule);
  const { backup, removedBackups } = options.force ? prepareInitTarget(dir, plan, { force: true }) : { backup: undefined, removedBackups: [] };
  const hsm = hsmModule ? (ensurePrivateDirectory(dir), createHsmCaKey(dir, cluster.keyType, hsmModule)) : undefined;
  const material = await generatePkiMaterial(cluster, options.onProgress, { specs, externalCaSigners: hsm ? { ca: hsm.signer } : {}, language: options.language });
  const files = writeSandbox(dir, cluster, material, { ...layout, hsm: hsm?.record });
  // kubeadm's control plane runs as static Pods; the hard way's runs under systemd
  if (profile === 'kubeadm') files.push(...writeManifests(dir, cluster, specs, { externalCa: hsm !== undefined }));
  return { dir, cluster, material, files, backup, removedBackups };
}

/** What kubetls wrote in `dir` before, by its record; undefined when there is no record it can read. */
function ownedFiles(dir: string): InitTargetPlan['ownedBefore'] {
  let state: SandboxState | undefined;
  try {
    state = readStateIfAny(dir);
  } catch {
    return undefined;
  }
  if (!state) return undefined;
  return {
    files: new Set([...sandboxSpecs(state).flatMap((spec) => filesOf('', spec)), STATE_FILE]),
    directories: [HSM_DIR, 'nodes', 'users', 'forged', MANIFESTS_DIR],
  };
}

const DNS_LABEL_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A node name is a DNS-1123 subdomain; its address an IP. */
export function validateNode(name: string, ip: string, what: 'node' | 'worker' = 'node'): void {
  if (!DNS_LABEL_NAME.test(name)) {
    throw KubetlsError.said(`pki.errors.${what}-name`, { name }, { key: 'pki.errors.dns-name-hint', params: { example: 'worker-0' } });
  }
  if (isIP(ip) === 0) throw KubetlsError.said(`pki.errors.${what}-ip`, { name, ip }, { key: 'pki.errors.eg', params: { example: '10.240.0.20' } });
}

function workersFor(profile: PkiProfile, requested: WorkerRecord[] | undefined): WorkerRecord[] {
  if (profile !== 'hard-way') {
    if (requested?.length) {
      throw KubetlsError.said('pki.errors.worker-hard-way', {}, { key: 'pki.errors.worker-hard-way-hint' });
    }
    return [];
  }
  const workers = requested?.length ? requested : [...HARD_WAY_DEFAULT_WORKERS];
  const seen = new Set<string>();
  for (const worker of workers) {
    validateNode(worker.name, worker.ip, 'worker');
    if (seen.has(worker.name)) throw KubetlsError.said('pki.errors.worker-twice', { name: worker.name });
    seen.add(worker.name);
  }
  return workers;
}

export function filesOf(dir: string, spec: CertificateSpec): string[] {
  const base = join(dir, spec.path);
  if (spec.kind === 'kubeconfig' || spec.pemBundle) return [base];
  if (spec.kind === 'service-account-key') return [`${base}.key`, `${base}.pub`];
  const files = [`${base}.crt`, `${base}.key`];
  if (spec.kubeconfig) files.push(join(dir, spec.kubeconfig.path));
  return files;
}

export function certificatePath(dir: string, spec: CertificateSpec): string {
  return spec.kind === 'kubeconfig' || spec.pemBundle ? join(dir, spec.path) : join(dir, `${spec.path}.crt`);
}

export function keyPath(dir: string, spec: CertificateSpec): string {
  return spec.kind === 'kubeconfig' || spec.pemBundle ? join(dir, spec.path) : join(dir, `${spec.path}.key`);
}

function writeSandbox(dir: string, cluster: ClusterValues, material: PkiMaterial, layout: SandboxLayout & { hsm?: HsmRecord }): string[] {
  const written: string[] = [];
  const caPem = encodePem('CERTIFICATE', material.get('ca')!.certificate!.der);
  for (const { spec, keyPair, certificate } of material.values()) {
    if (spec.kind === 'kubeconfig') continue;
    const base = join(dir, spec.path);
    if (keyPair) {
      writePrivateFile(`${base}.key`, privateKeyToPem(keyPair.privateKey));
      written.push(`${base}.key`);
    } else if (existsSync(`${base}.key`)) {
      // the key lives in the HSM now: a key file from an earlier PKI must not linger
      rmSync(`${base}.key`);
    }
    if (spec.kind === 'service-account-key' && keyPair) {
      writePrivateFile(`${base}.pub`, publicKeyToPem(keyPair.publicKey));
      written.push(`${base}.pub`);
    } else if (certificate) {
      writePublicFile(`${base}.crt`, encodePem('CERTIFICATE', certificate.der));
      written.push(`${base}.crt`);
      if (spec.kubeconfig && keyPair) {
        const path = join(dir, spec.kubeconfig.path);
        writePrivateFile(path, kubeconfigFor(spec, cluster, caPem, certificate, keyPair));
        written.push(path);
      }
    }
  }
  for (const { spec, keyPair, certificate } of material.values()) {
    if (spec.kind !== 'kubeconfig' || !certificate || !keyPair) continue;
    const path = join(dir, spec.path);
    writePrivateFile(path, kubeconfigFor(spec, cluster, caPem, certificate, keyPair));
    written.push(path);
  }
  const state: SandboxState = {
    kubetls: STATE_VERSION,
    createdAt: cluster.now.toISOString(),
    cluster: withoutClock(cluster),
    faults: {},
    profile: layout.profile ?? 'kubeadm',
    workers: layout.workers ?? [],
    nodes: layout.nodes ?? [],
    ...(layout.hsm ? { hsm: layout.hsm } : {}),
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
    server: spec.kubeconfig?.server === 'loopback' ? `https://${formatHostForUrl('127.0.0.1')}:6443` : apiServerUrl(cluster, spec.dials ?? 'local'),
    clusterName: spec.kubeconfig?.clusterName ?? cluster.clusterName,
    contextName: spec.kubeconfig?.contextName,
    caCertificatePem: caPem,
    userName: spec.commonName(cluster),
    clientCertificatePem: encodePem('CERTIFICATE', certificate.der),
    clientKeyPem: privateKeyToPem(keyPair.privateKey),
  });
}

function formatHostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

// ---- files and state: sandbox-files.ts and cluster-state.ts, below manifests.ts, which uses them too ----

import { ensurePrivateDirectory, writePrivateFile, writePublicFile } from './files.js';
import { clusterOf, readClusterState, readState, specsOfDir, writeState } from './cluster-state.js';
import { readStateIfAny } from './state.js';

export { clusterOf, ensurePrivateDirectory, readClusterState, readState, readStateIfAny, specsOfDir, writePrivateFile, writePublicFile, writeState };

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
  return userRow(user);
}

function userRow(user: string): CertificateSpec {
  return {
    name: `users/${user}`,
    kind: 'kubeconfig',
    path: `users/${user}.kubeconfig`,
    expirationName: `users/${user}.kubeconfig`,
    signer: 'ca',
    commonName: () => user,
    organizations: () => [],
    usages: ['clientAuth'],
    about: { key: 'pki.certificate.user', params: { user } },
    usedBy: [{ component: 'kubectl', flag: '--kubeconfig', file: 'conf' }],
    trustsServersSignedBy: 'ca',
  };
}

/** An identity minted with a stolen CA key (`kubetls pki forge`), addressed as `forged/NAME`. */
export function forgedSpec(user: string): CertificateSpec {
  return ({
    ...userRow(user),
    name: `forged/${user}`,
    path: `forged/${user}.kubeconfig`,
    expirationName: `forged/${user}.kubeconfig`,
    about: { key: 'pki.certificate.forged', params: { user } },
  });
}

const USER_PREFIX = /^users?[/:]/;
const FORGED_PREFIX = /^forged[/:]/;

export function resolveSpec(name: string, specs: readonly CertificateSpec[] = CERTIFICATE_SPECS): CertificateSpec {
  if (USER_PREFIX.test(name)) return userSpec(name.replace(USER_PREFIX, '').replace(/\.kubeconfig$/, ''));
  if (FORGED_PREFIX.test(name)) return forgedSpec(name.replace(FORGED_PREFIX, '').replace(/\.kubeconfig$/, ''));
  const spec = findSpec(name, specs);
  if (!spec || spec.kind === 'service-account-key') {
    const names = specs.filter((s) => s.kind !== 'service-account-key').map((s) => s.name);
    throw KubetlsError.said('pki.errors.unknown-certificate', { name }, { key: 'pki.errors.unknown-certificate-hint', params: { names: names.join(', ') } });
  }
  return spec;
}

/** A name of this sandbox's table (its profile and nodes). */
export function resolveSandboxSpec(dir: string, name: string): CertificateSpec {
  return resolveSpec(name, specsOfDir(dir));
}

export function loadIdentity(dir: string, name: string): Identity {
  const spec = resolveSandboxSpec(dir, name);
  if (spec.kind === 'kubeconfig') {
    assertUserIssued(dir, spec);
    return loadKubeconfigIdentity(dir, spec);
  }
  return spec.pemBundle ? loadBundleIdentity(dir, spec) : loadFileIdentity(dir, spec);
}

/** A user whose request is still pending has no kubeconfig yet: that is the next step, not a damaged sandbox. */
function assertUserIssued(dir: string, spec: CertificateSpec): void {
  if (!spec.name.startsWith('users/')) return;
  const user = spec.name.slice('users/'.length);
  if (existsSync(join(dir, 'users', `${user}.kubeconfig`))) return;
  throw KubetlsError.said('pki.errors.user-pending', { user }, { key: 'pki.errors.user-pending-hint', params: { dir, user } });
}

/** A certificate without its key: CAs whose key is in an HSM or elsewhere (kubeadm's external CA). */
export function loadCertificateOnly(dir: string, name: string): { spec: CertificateSpec; certificate: ParsedCertificate; certificatePem: string; file: string } {
  const spec = resolveSandboxSpec(dir, name);
  if (spec.kind === 'kubeconfig') {
    // the key is not read: a look at the sandbox parses ten certificates, and no key is needed for that
    const { certificatePem, file } = kubeconfigCredentials(dir, spec);
    return { spec, certificate: firstCertificate(certificatePem, `${file} (client-certificate)`), certificatePem, file };
  }
  const file = certificatePath(dir, spec);
  const text = readRequired(file, dir).toString('utf8');
  const certificatePem = spec.pemBundle ? certificateBlocksOf(text) : text;
  return { spec, certificate: firstCertificate(certificatePem, file), certificatePem, file };
}

function certificateBlocksOf(pem: string): string {
  return decodePemBlocks(pem).filter((b) => b.label === 'CERTIFICATE').map((b) => encodePem('CERTIFICATE', b.der)).join('');
}

/** The kubelet's store: one file (usually a symlink to a timestamped one) with the certificate, then the key. */
function loadBundleIdentity(dir: string, spec: CertificateSpec): Identity {
  const file = certificatePath(dir, spec);
  const text = readRequired(file, dir).toString('utf8');
  const keyBlock = decodePemBlocks(text).find((b) => b.label.endsWith('PRIVATE KEY'));
  if (!keyBlock) throw KubetlsError.said('pki.errors.bundle-no-key', { file }, { key: 'pki.errors.bundle-no-key-hint' });
  return identityFrom(spec, { pem: certificateBlocksOf(text), file }, { pem: encodePem(keyBlock.label, keyBlock.der), file });
}

/** An identity from a certificate's and a key's PEM, each named by the file it came from (for errors). */
function identityFrom(spec: CertificateSpec, certificate: { pem: string; file: string }, key: { pem: string; file: string }): Identity {
  return {
    spec,
    certificate: firstCertificate(certificate.pem, certificate.file),
    keyPair: loadPrivateKey(Buffer.from(key.pem), key.file),
    certificatePem: certificate.pem,
    privateKeyPem: key.pem,
    file: certificate.file,
  };
}

function readRequired(path: string, dir: string): Buffer {
  return readFound(fileInDir(dir, relative(dir, path)), path, dir);
}

function readFound(actual: string, shown: string, dir: string): Buffer {
  try {
    return readNodeFile(actual);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EACCES' || code === 'EPERM') throw KubetlsError.said('pki.errors.root-only', { path: shown }, { key: 'pki.errors.root-only-hint' });
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    const copy = isSandbox(dir) ? readState(dir).copiedFrom : undefined;
    const hint: Words = copy?.withoutKeys && /\.(key|conf)$/.test(shown)
      ? { key: 'pki.errors.copied-without-root', params: { from: copy.dir } }
      : isSandbox(dir) ? { key: 'pki.errors.recreate-sandbox', params: { dir } } : { key: 'pki.errors.not-on-node' };
    throw KubetlsError.said('pki.errors.missing', { path: shown }, hint);
  }
}

function loadFileIdentity(dir: string, spec: CertificateSpec): Identity {
  const certFile = certificatePath(dir, spec);
  const keyFile = keyPath(dir, spec);
  return identityFrom(spec, { pem: readRequired(certFile, dir).toString('utf8'), file: certFile }, { pem: readRequired(keyFile, dir).toString('utf8'), file: keyFile });
}

/** A kubeconfig's client certificate (its PEM) and key (still as read), embedded or named. */
function kubeconfigCredentials(dir: string, spec: CertificateSpec): { certificatePem: string; keyData: Buffer; file: string } {
  const file = join(dir, spec.path);
  const contents = parseKubeconfig(readRequired(file, dir).toString('utf8'), file);
  const user = contents.users[0];
  // after the TLS bootstrap kubelet.conf names the kubelet's rotating pair instead of embedding it
  const referenced = (path: string | undefined) => {
    if (path === undefined) return undefined;
    const actual = hostFile(dir, path, readClusterState(dir).cluster.nodeName);
    if (!actual) throw KubetlsError.said('pki.errors.names-outside', { file, path });
    return readFound(actual, path, dir);
  };
  const certificateData = user?.clientCertificate ?? referenced(user?.certFile);
  const keyData = user?.clientKey ?? referenced(user?.keyFile);
  if (!certificateData || !keyData) {
    throw KubetlsError.said('pki.errors.kubeconfig-no-client', { file });
  }
  return { certificatePem: certificateBlocksOf(certificateData.toString('utf8')), keyData, file };
}

function loadKubeconfigIdentity(dir: string, spec: CertificateSpec): Identity {
  const { certificatePem, keyData, file } = kubeconfigCredentials(dir, spec);
  const keyBlock = decodePemBlocks(keyData.toString('utf8')).find((b) => b.label.endsWith('PRIVATE KEY'));
  if (!keyBlock) throw KubetlsError.said('pki.errors.kubeconfig-no-key', { file });
  const privateKeyPem = encodePem(keyBlock.label, keyBlock.der);
  return {
    spec,
    certificate: firstCertificate(certificatePem, `${file} (client-certificate)`),
    keyPair: loadPrivateKey(Buffer.from(privateKeyPem), `${file} (client-key)`),
    certificatePem,
    privateKeyPem,
    file,
  };
}

function firstCertificate(pem: string, source: string): ParsedCertificate {
  const block = decodePemBlocks(pem).find((b) => b.label === 'CERTIFICATE');
  if (!block) throw KubetlsError.said('pki.errors.no-certificate', { source });
  try {
    return parseCertificateDer(block.der);
  } catch {
    throw KubetlsError.said('pki.errors.damaged-certificate', { source });
  }
}

/**
 * The CA that signs for a sandbox: its key file, or, when the cluster CA key lives in the HSM, a
 * signer that asks the token (so renew, fix, break, csr approve and add-node all sign through PKCS#11).
 */
export function loadIssuingCa(dir: string, ca: CaName): IssuingCa {
  const hsm = readClusterState(dir).hsm;
  if (hsm && ca === 'ca') {
    const { certificate } = loadCertificateOnly(dir, ca);
    const publicKey = createPublicKeyFromCertificate(certificate);
    return { certificate, signer: hsmSigner(dir, hsm, publicKey) };
  }
  const identity = loadIdentity(dir, ca);
  return caFromKeyPair(identity.certificate, identity.keyPair);
}

function createPublicKeyFromCertificate(certificate: ParsedCertificate) {
  return createPublicKey({ key: certificate.publicKey.spkiDer, format: 'der', type: 'spki' });
}

/** Replace one certificate (and optionally its key) in place, keeping kubeadm's file modes. */
export function writeIdentity(dir: string, cluster: ClusterValues, spec: CertificateSpec, certificate: ParsedCertificate, keyPair: KeyPair | undefined): void {
  const caPem = () => readRequired(join(dir, 'pki/ca.crt'), dir).toString('utf8');
  if (spec.kind === 'kubeconfig') {
    const current = keyPair ?? loadIdentity(dir, spec.name).keyPair;
    writePrivateFile(join(dir, spec.path), kubeconfigFor(spec, cluster, caPem(), certificate, current));
    return;
  }
  if (spec.pemBundle) {
    const current = keyPair ?? loadIdentity(dir, spec.name).keyPair;
    writeKubeletPair(join(dir, spec.path), encodePem('CERTIFICATE', certificate.der) + privateKeyToPem(current.privateKey), cluster.now);
    return;
  }
  writePublicFile(certificatePath(dir, spec), encodePem('CERTIFICATE', certificate.der));
  if (keyPair) writePrivateFile(keyPath(dir, spec), privateKeyToPem(keyPair.privateKey));
  if (spec.kubeconfig) {
    const current = keyPair ?? loadIdentity(dir, spec.name).keyPair;
    writePrivateFile(join(dir, spec.kubeconfig.path), kubeconfigFor(spec, cluster, caPem(), certificate, current));
  }
}

/**
 * What client-go's certificate store does: write `kubelet-client-<time>.pem` (certificate, then key,
 * mode 0600) and point `kubelet-client-current.pem` at it. The link is relative, so the sandbox can move.
 */
export function writeKubeletPair(currentPath: string, pem: string, now: Date): string {
  const prefix = basename(currentPath).replace(/-current\.pem$/, '');
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}-${pad(now.getUTCDate())}-${pad(now.getUTCHours())}-${pad(now.getUTCMinutes())}-${pad(now.getUTCSeconds())}`;
  let target = join(dirname(currentPath), `${prefix}-${stamp}.pem`);
  // the real store would overwrite a pair made in the same second; keep the previous one readable instead
  if (existsSync(currentPath) && lstatSync(currentPath).isSymbolicLink() && join(dirname(currentPath), readlinkSync(currentPath)) === target) {
    target = join(dirname(currentPath), `${prefix}-${stamp}-${process.hrtime.bigint() % 1000n}.pem`);
  }
  writePrivateFile(target, pem);
  const updated = join(dirname(currentPath), `${prefix}-updated.pem`);
  if (existsSync(updated) || isDanglingLink(updated)) unlinkSync(updated);
  symlinkSync(basename(target), updated);
  renameSync(updated, currentPath);
  return target;
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function fileMode(path: string): number {
  return statSync(path).mode & 0o777;
}
