import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { FILE_LIMITS, readUserFile, readUserText } from '../../user-file.js';
import { assertYamlWithinLimits } from '../certificates/yaml-size.js';
import { join, posix, relative } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, stringify } from 'yaml';
import { KubetlsError, describeError, say, type Words } from '../../errors.js';
import { BASE_LANGUAGE, translatorFor, type Language, type Params } from '../../locale/catalogue.js';
import { looksLikeKubeconfig, parseKubeconfig } from '../certificates/kubeconfig.js';
import { loadPrivateKey, samePublicKey, type KeyPair } from '../certificates/keys.js';
import { decodePemBlocks, encodePem } from '../certificates/pem.js';
import {
  STATIC_POD_ARGUMENTS, STATIC_POD_COMPONENTS, isStaticPodComponent, type CaName, type CertificateSpec, type FileUse, type StaticPodComponent,
} from '../certificates/spec.js';
import type { ClusterValues } from '../certificates/options.js';
import { timeWhenValid, verifyCertificate, type Purpose } from '../verify/report.js';
import { parseCertificateDer, type ParsedCertificate } from '../certificates/x509.js';
import { purposeOf } from '../certificates/spec.js';
import { clusterOf, readClusterState, specsOfDir } from '../sandbox/cluster-state.js';
import { writePrivateFile } from '../sandbox/files.js';
import type { Identity, SandboxState } from '../sandbox/sandbox.js';
import { accessOf, assertSandbox, errnoOf, hostFile } from '../node/node-dir.js';
import { whileUnchanged } from '../sandbox/unchanged.js';

/**
 * kubeadm's static Pod manifests in the sandbox (`DIR/manifests/*.yaml`, standing for
 * /etc/kubernetes/manifests): written from the certificate table at `pki init`, read back the way the
 * kubelet and the components read them. A flag's path is a path inside the container; the container
 * sees the host through its hostPath volumes; the host's /etc/kubernetes is the sandbox directory.
 * `checkManifests` says, flag by flag, whether each file is there and is the right kind of file;
 * `readWiring` says which components would start and which files they would really load, so a
 * handshake presents what the manifest names.
 */

export const KUBERNETES_DIR = '/etc/kubernetes';
export const MANIFESTS_DIR = 'manifests';

export function manifestFile(dir: string, component: StaticPodComponent): string {
  return join(dir, MANIFESTS_DIR, `${component}.yaml`);
}

/** The host path kubeadm writes for one half of a row: `/etc/kubernetes/pki/apiserver.crt`, `/etc/kubernetes/admin.conf`. */
export function kubernetesPath(spec: CertificateSpec, half: FileUse['file']): string {
  return half === 'conf' ? `${KUBERNETES_DIR}/${spec.path}` : `${KUBERNETES_DIR}/${spec.path}.${half}`;
}

/** A flag of a manifest as kubeadm writes it; `use` ties a file flag to its row of the table. */
export interface ExpectedFlag {
  component: StaticPodComponent;
  flag: string;
  value: string;
  use?: WiredUse;
  /** A file of an external etcd (etcd.external.caFile/certFile/keyFile): kubeadm passes the path it was given. */
  external?: 'ca' | 'cert' | 'key';
}

export interface WiredUse {
  spec: CertificateSpec;
  use: FileUse;
}

export interface ManifestOptions {
  /**
   * The cluster CA key is not on the node (kubetls: in an HSM). kubeadm then passes empty
   * --cluster-signing-* flags, so the controller-manager's csrsigning controller does not start.
   */
  externalCa?: boolean;
}

/** Every row of the table that a static Pod manifest names, in the table's order. */
export function staticPodUses(specs: readonly CertificateSpec[]): (WiredUse & { component: StaticPodComponent })[] {
  return specs.flatMap((spec) =>
    spec.usedBy.flatMap((use) => (isStaticPodComponent(use.component) && use.flag.startsWith('--') ? [{ spec, use, component: use.component }] : [])),
  );
}

const SIGNING_FLAGS = new Set(['--cluster-signing-cert-file', '--cluster-signing-key-file']);

/** One component's flags, sorted by name as kubeadm's ArgumentsToCommand sorts them. */
export function expectedFlags(component: StaticPodComponent, cluster: ClusterValues, specs: readonly CertificateSpec[], options: ManifestOptions = {}): ExpectedFlag[] {
  const files = staticPodUses(specs)
    .filter((wired) => wired.component === component)
    .map(({ spec, use }): ExpectedFlag => ({
      component,
      flag: use.flag,
      value: options.externalCa && component === 'kube-controller-manager' && SIGNING_FLAGS.has(use.flag) ? '' : kubernetesPath(spec, use.file),
      use: { spec, use },
    }));
  const values = STATIC_POD_ARGUMENTS.filter((argument) => argument.component === component && !(cluster.externalEtcd && argument.flag === '--etcd-servers'))
    .map((argument): ExpectedFlag => ({ component, flag: argument.flag, value: argument.value(cluster) }));
  return [...files, ...values, ...externalEtcdFlags(component, cluster)].sort((a, b) => (a.flag === b.flag ? (a.value < b.value ? -1 : 1) : a.flag < b.flag ? -1 : 1));
}

/** getAPIServerCommand with etcd.external: --etcd-servers are its endpoints, the three files whatever paths it was given. */
function externalEtcdFlags(component: StaticPodComponent, cluster: ClusterValues): ExpectedFlag[] {
  const external = cluster.externalEtcd;
  if (!external || component !== 'kube-apiserver') return [];
  const flags: ExpectedFlag[] = [{ component, flag: '--etcd-servers', value: external.endpoints.join(',') }];
  if (external.caFile) flags.push({ component, flag: '--etcd-cafile', value: external.caFile, external: 'ca' });
  if (external.certFile && external.keyFile) {
    flags.push({ component, flag: '--etcd-certfile', value: external.certFile, external: 'cert' }, { component, flag: '--etcd-keyfile', value: external.keyFile, external: 'key' });
  }
  return flags;
}

/** The static Pods of a cluster: with an external etcd kubeadm writes no etcd.yaml. */
export function staticPodComponentsOf(state: Pick<SandboxState, 'cluster'>): StaticPodComponent[] {
  return STATIC_POD_COMPONENTS.filter((component) => !(component === 'etcd' && state.cluster.externalEtcd));
}

interface HostPathVolume {
  name: string;
  hostPath: string;
  type: 'DirectoryOrCreate' | 'FileOrCreate';
  readOnly: boolean;
}

/**
 * The hostPath volumes kubeadm gives each component that matter here (controlplane/volumes.go,
 * etcd/local.go), each mounted at the same path inside the container. etcd sees only pki/etcd.
 */
const VOLUMES: Record<StaticPodComponent, HostPathVolume[]> = {
  'kube-apiserver': [
    { name: 'ca-certs', hostPath: '/etc/ssl/certs', type: 'DirectoryOrCreate', readOnly: true },
    { name: 'k8s-certs', hostPath: `${KUBERNETES_DIR}/pki`, type: 'DirectoryOrCreate', readOnly: true },
  ],
  'kube-controller-manager': [
    { name: 'ca-certs', hostPath: '/etc/ssl/certs', type: 'DirectoryOrCreate', readOnly: true },
    { name: 'k8s-certs', hostPath: `${KUBERNETES_DIR}/pki`, type: 'DirectoryOrCreate', readOnly: true },
    { name: 'kubeconfig', hostPath: `${KUBERNETES_DIR}/controller-manager.conf`, type: 'FileOrCreate', readOnly: true },
  ],
  'kube-scheduler': [{ name: 'kubeconfig', hostPath: `${KUBERNETES_DIR}/scheduler.conf`, type: 'FileOrCreate', readOnly: true }],
  etcd: [
    { name: 'etcd-certs', hostPath: `${KUBERNETES_DIR}/pki/etcd`, type: 'DirectoryOrCreate', readOnly: false },
    { name: 'etcd-data', hostPath: '/var/lib/etcd', type: 'DirectoryOrCreate', readOnly: false },
  ],
};

const MANIFEST_HEADER = [
  '# kubetls sandbox: the parts of the static Pod manifest kubeadm writes that wire in the PKI',
  '# (image, probes and resources are left out). Paths are host paths; /etc/kubernetes is the sandbox directory.',
];

/** The manifest's text: keys in the order kubeadm's YAML marshaller writes them (sorted), sequences not indented. */
export function buildManifest(component: StaticPodComponent, cluster: ClusterValues, specs: readonly CertificateSpec[], options: ManifestOptions = {}): string {
  const flags = expectedFlags(component, cluster, specs, options);
  const annotations: Record<string, string> = {};
  const valueOf = (flag: string) => flags.find((f) => f.flag === flag)?.value ?? '';
  if (component === 'kube-apiserver') {
    annotations['kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint'] = `${valueOf('--advertise-address').includes(':') ? `[${valueOf('--advertise-address')}]` : valueOf('--advertise-address')}:${valueOf('--secure-port')}`;
  }
  if (component === 'etcd') annotations['kubeadm.kubernetes.io/etcd.advertise-client-urls'] = valueOf('--advertise-client-urls');
  const volumes = [...VOLUMES[component]].sort((a, b) => a.name.localeCompare(b.name));
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(Object.keys(annotations).length ? { annotations } : {}),
      labels: { component, tier: 'control-plane' },
      name: component,
      namespace: 'kube-system',
    },
    spec: {
      containers: [
        {
          command: [component, ...flags.map((flag) => `${flag.flag}=${flag.value}`)],
          name: component,
          volumeMounts: volumes.map((volume) => ({ mountPath: volume.hostPath, name: volume.name, ...(volume.readOnly ? { readOnly: true } : {}) })),
        },
      ],
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      volumes: volumes.map((volume) => ({ hostPath: { path: volume.hostPath, type: volume.type }, name: volume.name })),
    },
  };
  return `${MANIFEST_HEADER.join('\n')}\n${stringify(pod, { indentSeq: false, lineWidth: 0 })}`;
}

/** `pki init`: the four manifests, mode 0600 as kubeadm writes them. */
export function writeManifests(dir: string, cluster: ClusterValues, specs: readonly CertificateSpec[], options: ManifestOptions = {}): string[] {
  assertSandbox(dir);
  return STATIC_POD_COMPONENTS.map((component) => {
    const file = manifestFile(dir, component);
    writePrivateFile(file, buildManifest(component, cluster, specs, options));
    return file;
  });
}

/** Whether the sandbox has manifests at all (sandboxes made before kubetls wrote them, and the hard way, do not). */
export function hasManifests(dir: string): boolean {
  return existsSync(join(dir, MANIFESTS_DIR));
}

/** The manifest options a sandbox was made with. */
export function manifestOptionsOf(dir: string): ManifestOptions {
  const state = readClusterState(dir);
  return { externalCa: state.hsm !== undefined || state.externalCa === true || state.node?.externalCa === true };
}

// ---- reading a manifest ------------------------------------------------------------------------

export interface ManifestArgument {
  flag: string;
  value: string;
  line: number;
  /** Offsets of the command item in the file's text, for an edit in place. */
  range: [number, number];
}

export interface ContainerMount {
  name: string;
  mountPath: string;
  /** The volume's hostPath, when the volume is one. */
  hostPath: string | undefined;
}

export interface ParsedManifest {
  component: StaticPodComponent;
  file: string;
  /** `manifests/kube-apiserver.yaml`, as a learner reads it. */
  shownFile: string;
  status: 'ok' | 'missing' | 'invalid';
  /** Why the kubelet would not run it (missing or invalid), in the language it was read in. */
  problem: string | undefined;
  /** The same as catalogue words, for an error in another language. */
  problemWords?: Words;
  text: string;
  /** The command's `--flag=value` items; a flag given twice counts with its last value, as the component's flag parser does. */
  args: Map<string, ManifestArgument>;
  mounts: ContainerMount[];
}

/** A manifest as the kubelet reads it; `language` is the language of its `problem`. */
export function readManifest(dir: string, component: StaticPodComponent, language: Language = BASE_LANGUAGE): ParsedManifest {
  const t = translatorFor(language);
  const file = manifestFile(dir, component);
  const base: ParsedManifest = { component, file, shownFile: `${MANIFESTS_DIR}/${component}.yaml`, status: 'ok', problem: undefined, text: '', args: new Map(), mounts: [] };
  if (!existsSync(file)) {
    const problemWords = { key: 'pki.manifests.missing', params: { file: base.shownFile } };
    return { ...base, status: 'missing', problem: say(language, problemWords), problemWords };
  }
  const text = readUserText(file, { limit: FILE_LIMITS.pki });
  assertYamlWithinLimits(text, file);
  const invalid = (why: string): ParsedManifest => {
    const problemWords = { key: 'pki.manifests.invalid', params: { file: base.shownFile, why } };
    return { ...base, text, status: 'invalid', problem: say(language, problemWords), problemWords };
  };
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const [error] = document.errors;
  if (error) return invalid(`yaml: line ${lineOf(error.pos[0])}: ${error.message.split('\n')[0] ?? ''}`);
  let json: unknown;
  try {
    json = document.toJS();
  } catch (error) {
    // yaml refuses to expand more than 100 aliases (a "billion laughs" file)
    return invalid(`yaml: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const pod = asRecord(json);
  if (pod?.['kind'] !== 'Pod') return invalid(t('pki.manifests.not-a-pod'));
  const spec = asRecord(pod['spec']);
  const container = asRecord(asList(spec?.['containers'])?.[0]);
  // the command's nodes, for line numbers and edits in place
  const containersNode = isMap(document.contents) ? document.contents.getIn(['spec', 'containers'], true) : undefined;
  const containerNode = isSeq(containersNode) ? containersNode.items[0] : undefined;
  const command = isMap(containerNode) ? containerNode.get('command', true) : undefined;
  if (!isSeq(command)) return invalid(t('pki.manifests.command-not-list'));
  const args = new Map<string, ManifestArgument>();
  for (const item of command.items) {
    if (!isScalar(item) || typeof item.value !== 'string' || !item.range) continue;
    const match = /^(--[^=\s]+)(?:=(.*))?$/s.exec(item.value);
    if (!match) continue;
    args.set(match[1]!, { flag: match[1]!, value: match[2] ?? '', line: lineOf(item.range[0]), range: [item.range[0], item.range[1]] });
  }
  const hostPaths = new Map<string, string>();
  for (const volume of asList(spec?.['volumes']) ?? []) {
    const entry = asRecord(volume);
    const path = asRecord(entry?.['hostPath'])?.['path'];
    if (typeof entry?.['name'] === 'string' && typeof path === 'string') hostPaths.set(entry['name'], path);
  }
  const mounts: ContainerMount[] = [];
  for (const mount of asList(container?.['volumeMounts']) ?? []) {
    const entry = asRecord(mount);
    const name = entry?.['name'];
    const mountPath = entry?.['mountPath'];
    if (typeof name === 'string' && typeof mountPath === 'string') mounts.push({ name, mountPath, hostPath: hostPaths.get(name) });
  }
  return { ...base, text, args, mounts };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asList(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export type PathResolution = { ok: true; file: string } | { ok: false; problem: string };

/**
 * Where a path in a flag leads: through the container's mounts to a host path, and from the host's
 * /etc/kubernetes into the sandbox. The problem is what the component would log.
 */
export function resolveContainerPath(dir: string, manifest: ParsedManifest, path: string, nodeName?: string, language: Language = BASE_LANGUAGE): PathResolution {
  const t = translatorFor(language);
  const noSuchFile = `open ${path}: no such file or directory`;
  if (!path.startsWith('/')) return { ok: false, problem: t('pki.manifests.relative-path', { path }) };
  const normalized = posix.normalize(path);
  const mount = manifest.mounts
    .filter((m) => m.hostPath !== undefined && (normalized === m.mountPath || normalized.startsWith(`${m.mountPath.replace(/\/$/, '')}/`)))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  if (!mount || mount.hostPath === undefined) {
    const seen = manifest.mounts.map((m) => m.mountPath).join(', ');
    return { ok: false, problem: seen ? t('pki.manifests.outside-volumes', { path, volumes: seen }) : t('pki.manifests.no-volumes', { path }) };
  }
  const hostPath = posix.normalize(`${mount.hostPath}${normalized.slice(mount.mountPath.replace(/\/$/, '').length)}`);
  // /etc/kubernetes is the directory; the rest of the node is its root (a real node, or a copy's nodes/NAME/)
  const file = hostFile(dir, hostPath, nodeName);
  if (!file || (hostPath !== KUBERNETES_DIR && !hostPath.startsWith(`${KUBERNETES_DIR}/`) && !existsSync(file))) {
    return { ok: false, problem: t('pki.manifests.outside-sandbox', { path, host: hostPath }) };
  }
  if (accessOf(file) === 'denied') return { ok: false, problem: t('pki.manifests.open-denied', { path }) };
  if (!existsSync(file) || statSync(file).isDirectory()) return { ok: false, problem: noSuchFile };
  return { ok: true, file };
}

// ---- what a file holds ---------------------------------------------------------------------------

type FileContent =
  | { kind: 'certificates'; certificates: ParsedCertificate[]; pem: string; keyPem: string | undefined; keyPair: KeyPair | undefined }
  | { kind: 'private-key'; keyPair: KeyPair; pem: string }
  | { kind: 'public-key'; publicKey: KeyObject }
  | { kind: 'kubeconfig'; user: string; certificates: ParsedCertificate[]; pem: string; keyPem: string | undefined; keyPair: KeyPair | undefined }
  | { kind: 'unreadable'; problem: string };

function readContent(file: string, shown: string, language: Language): FileContent {
  const t = translatorFor(language);
  try {
    const text = readUserFile(file, { limit: FILE_LIMITS.pki, name: shown }).toString('utf8');
    if (looksLikeKubeconfig(text)) {
      const user = parseKubeconfig(text, shown).users[0];
      if (!user?.clientCertificate) return { kind: 'unreadable', problem: t('pki.manifests.kubeconfig-no-data', { file: shown }) };
      const pem = user.clientCertificate.toString('utf8');
      const keyPem = user.clientKey?.toString('utf8');
      return { kind: 'kubeconfig', user: user.name, certificates: certificatesOf(pem), pem, keyPem, keyPair: keyPem ? loadPrivateKey(Buffer.from(keyPem), shown) : undefined };
    }
    const blocks = decodePemBlocks(text);
    const certificates = blocks.filter((b) => b.label === 'CERTIFICATE').map((b) => parseCertificateDer(b.der));
    const keyBlock = blocks.find((b) => b.label.endsWith('PRIVATE KEY'));
    if (certificates.length > 0) {
      const keyPem = keyBlock ? encodePem(keyBlock.label, keyBlock.der) : undefined;
      return {
        kind: 'certificates',
        certificates,
        pem: certificates.map((c) => encodePem('CERTIFICATE', c.der)).join(''),
        keyPem,
        keyPair: keyPem ? loadPrivateKey(Buffer.from(keyPem), shown) : undefined,
      };
    }
    if (keyBlock) {
      const pem = encodePem(keyBlock.label, keyBlock.der);
      return { kind: 'private-key', keyPair: loadPrivateKey(Buffer.from(pem), shown), pem };
    }
    const publicBlock = blocks.find((b) => b.label === 'PUBLIC KEY');
    if (publicBlock) return { kind: 'public-key', publicKey: createPublicKey({ key: publicBlock.der, format: 'der', type: 'spki' }) };
    return { kind: 'unreadable', problem: t('pki.manifests.no-pem', { file: shown }) };
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EACCES' || code === 'EPERM') return { kind: 'unreadable', problem: t('pki.manifests.file-denied', { file: shown }) };
    if (error instanceof KubetlsError) {
      const message = describeError(error, language);
      return { kind: 'unreadable', problem: message.startsWith(shown) ? message : `${shown}: ${message}` };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'unreadable', problem: t('pki.manifests.cannot-parse', { file: shown, message }) };
  }
}

function certificatesOf(pem: string): ParsedCertificate[] {
  return decodePemBlocks(pem).filter((b) => b.label === 'CERTIFICATE').map((b) => parseCertificateDer(b.der));
}

function describeContent(context: Context, content: FileContent): string {
  switch (content.kind) {
    case 'certificates':
      return context.t('pki.manifests.content.certificate', { subject: subjectOf(content.certificates[0]!) });
    case 'kubeconfig':
      return context.t('pki.manifests.content.kubeconfig', { who: content.certificates[0] ? subjectOf(content.certificates[0]) : content.user });
    case 'private-key':
      return context.t('pki.manifests.content.private-key');
    case 'public-key':
      return context.t('pki.manifests.content.public-key');
    case 'unreadable':
      return content.problem;
  }
}

function subjectOf(certificate: ParsedCertificate): string {
  const o = certificate.subject.organizations.map((org) => `, O=${org}`).join('');
  return `CN=${certificate.subject.commonName ?? ''}${o}`;
}

function publicKeyOfContent(content: FileContent): KeyObject | undefined {
  switch (content.kind) {
    case 'certificates':
    case 'kubeconfig':
      return content.certificates[0] ? createPublicKey({ key: content.certificates[0].publicKey.spkiDer, format: 'der', type: 'spki' }) : undefined;
    case 'private-key':
      return content.keyPair.publicKey;
    case 'public-key':
      return content.publicKey;
    case 'unreadable':
      return undefined;
  }
}

function sameCertificateIdentity(a: ParsedCertificate, b: ParsedCertificate): boolean {
  return a.subjectDer.equals(b.subjectDer) && a.publicKey.spkiDer.equals(b.publicKey.spkiDer);
}

// ---- the sandbox as the components see it --------------------------------------------------------

interface Context {
  dir: string;
  /** The language of every message; `t` says a catalogue key in it. */
  language: Language;
  t: (key: string, params?: Params) => string;
  specs: readonly CertificateSpec[];
  cluster: ClusterValues;
  components: StaticPodComponent[];
  now: Date;
  options: ManifestOptions;
  manifests: Map<StaticPodComponent, ParsedManifest>;
  contents: Map<string, FileContent>;
}

function contextOf(dir: string, now: Date, language: Language): Context {
  const state = readClusterState(dir);
  if ((state.profile ?? 'kubeadm') !== 'kubeadm') {
    throw KubetlsError.said('pki.errors.manifests-profile', { dir, profile: state.profile ?? '' }, { key: 'pki.errors.manifests-profile-hint' });
  }
  if (!hasManifests(dir)) {
    throw KubetlsError.said('pki.errors.no-manifests-dir', { dir }, { key: 'pki.errors.no-manifests-dir-hint', params: { dir } });
  }
  assertManifestsReadable(dir);
  const components = staticPodComponentsOf(state);
  const manifests = new Map(components.map((component) => [component, readManifest(dir, component, language)]));
  return {
    dir, language, t: translatorFor(language), specs: specsOfDir(dir), cluster: clusterOf(state, now), components, now, options: manifestOptionsOf(dir), manifests, contents: new Map(),
  };
}

/** kubeadm keeps static Pod manifests 0600 in a 0700 directory: without root there is nothing to check. */
function assertManifestsReadable(dir: string): void {
  const denied = [join(dir, MANIFESTS_DIR), ...STATIC_POD_COMPONENTS.map((component) => manifestFile(dir, component))].find((path) => accessOf(path) === 'denied');
  if (denied) {
    throw KubetlsError.said('pki.errors.manifests-root-only', { path: denied }, { key: 'pki.errors.manifests-root-only-hint', params: { dir } });
  }
}

/** Whether the manifests can be read here (they are root's on a real node). */
export function manifestsReadable(dir: string): boolean {
  return hasManifests(dir) && [join(dir, MANIFESTS_DIR), ...STATIC_POD_COMPONENTS.map((component) => manifestFile(dir, component))].every((path) => accessOf(path) !== 'denied');
}

function contentAt(context: Context, file: string): FileContent {
  let content = context.contents.get(file);
  if (!content) {
    content = readContent(file, relative(context.dir, file), context.language);
    context.contents.set(file, content);
  }
  return content;
}

/** The file a component would open for a flag, or why it cannot. */
function openFlag(context: Context, component: StaticPodComponent, flag: string): { ok: true; file: string; value: string; content: FileContent } | { ok: false; value: string | undefined; problem: string } {
  const manifest = context.manifests.get(component)!;
  const argument = manifest.args.get(flag);
  if (!argument) return { ok: false, value: undefined, problem: context.t('pki.manifests.flag-not-set', { flag }) };
  const resolved = resolveContainerPath(context.dir, manifest, argument.value, context.cluster.nodeName, context.language);
  if (!resolved.ok) return { ok: false, value: argument.value, problem: resolved.problem };
  return { ok: true, file: resolved.file, value: argument.value, content: contentAt(context, resolved.file) };
}

/** The certificate the table says belongs at a row's standard path (the reference to compare against). */
function standardCertificate(context: Context, spec: CertificateSpec): ParsedCertificate | undefined {
  const file = join(context.dir, spec.kind === 'kubeconfig' ? spec.path : `${spec.path}.crt`);
  if (!existsSync(file)) return undefined;
  const content = contentAt(context, file);
  return content.kind === 'certificates' || content.kind === 'kubeconfig' ? content.certificates[0] : undefined;
}

function standardPublicKey(context: Context, spec: CertificateSpec): KeyObject | undefined {
  if (spec.kind === 'service-account-key') {
    const file = join(context.dir, `${spec.path}.pub`);
    return existsSync(file) ? publicKeyOfContent(contentAt(context, file)) : undefined;
  }
  const certificate = standardCertificate(context, spec);
  return certificate ? createPublicKey({ key: certificate.publicKey.spkiDer, format: 'der', type: 'spki' }) : undefined;
}

function caSpecOf(context: Context, name: CaName | 'self'): CertificateSpec | undefined {
  return context.specs.find((spec) => spec.name === name && spec.kind === 'ca');
}

function shownPath(spec: CertificateSpec, half: FileUse['file']): string {
  return kubernetesPath(spec, half).slice(KUBERNETES_DIR.length + 1);
}

// ---- checking the manifests ----------------------------------------------------------------------

export interface FlagCheck {
  component: StaticPodComponent;
  flag: string;
  /** What the manifest says; undefined when the flag is missing. */
  value: string | undefined;
  /** What kubeadm writes. */
  expected: string;
  line: number | undefined;
  kind: 'file' | 'value';
  ok: boolean;
  /** One line: what the file is, or what is wrong with it. */
  message: string;
  use?: WiredUse;
}

export interface ManifestStatus {
  component: StaticPodComponent;
  file: string;
  shownFile: string;
  status: ParsedManifest['status'];
  problem: string | undefined;
}

export interface ManifestReport {
  dir: string;
  manifests: ManifestStatus[];
  flags: FlagCheck[];
  ok: boolean;
}

export interface CheckManifestOptions {
  now?: Date;
  /** Only these components. */
  components?: readonly StaticPodComponent[];
  /** The language of the messages (file paths, flags and the components' own log words stay as they are). */
  language?: Language;
}

/** `kubetls pki check-manifests`: every flag of every manifest, one verdict each. */
export function checkManifests(dir: string, options: CheckManifestOptions = {}): ManifestReport {
  if (options.now) return manifestReport(dir, options);
  // at "now", a look at the unchanged sandbox is reused (the Sandbox screen's home prefetch makes one)
  const what = `manifests\u0000${options.language ?? BASE_LANGUAGE}\u0000${(options.components ?? []).join()}`;
  return whileUnchanged(what, dir, () => manifestReport(dir, options));
}

function manifestReport(dir: string, options: CheckManifestOptions): ManifestReport {
  const context = contextOf(dir, options.now ?? new Date(), options.language ?? BASE_LANGUAGE);
  const components = (options.components ?? STATIC_POD_COMPONENTS).filter((component) => context.components.includes(component));
  const manifests: ManifestStatus[] = [];
  const flags: FlagCheck[] = [];
  for (const component of components) {
    const manifest = context.manifests.get(component)!;
    manifests.push({ component, file: manifest.file, shownFile: manifest.shownFile, status: manifest.status, problem: manifest.problem });
    if (manifest.status !== 'ok') continue;
    for (const expected of expectedFlags(component, context.cluster, context.specs, context.options)) flags.push(checkFlag(context, expected));
  }
  return { dir, manifests, flags, ok: manifests.every((m) => m.status === 'ok') && flags.every((f) => f.ok) };
}

function checkFlag(context: Context, expected: ExpectedFlag): FlagCheck {
  const argument = context.manifests.get(expected.component)!.args.get(expected.flag);
  const base = { component: expected.component, flag: expected.flag, value: argument?.value, expected: expected.value, line: argument?.line, use: expected.use };
  if (expected.external) return { ...base, kind: 'file', ...checkExternalEtcdFile(context, expected) };
  if (!expected.use) {
    const ok = argument?.value === expected.value;
    const message = ok
      ? context.t('pki.manifests.as-kubeadm-sets')
      : argument ? context.t('pki.manifests.kubeadm-sets', { value: expected.value }) : context.t('pki.manifests.not-set', { flag: expected.flag, value: expected.value });
    return { ...base, kind: 'value', ok, message };
  }
  const verdict = checkFileFlag(context, expected, expected.use);
  return { ...base, kind: 'file', ...verdict };
}

type Verdict = { ok: boolean; message: string };

function checkFileFlag(context: Context, expected: ExpectedFlag, { spec, use }: WiredUse): Verdict {
  const { component, t } = { component: expected.component, t: context.t };
  const manifest = context.manifests.get(component)!;
  const argument = manifest.args.get(use.flag);
  if (!argument) return { ok: false, message: t('pki.manifests.not-set', { flag: use.flag, value: expected.value }) };
  if (expected.value === '') {
    return argument.value === ''
      ? { ok: true, message: t('pki.manifests.empty-on-purpose') }
      : { ok: false, message: t('pki.manifests.should-be-empty') };
  }
  if (argument.value === '') return { ok: false, message: t('pki.manifests.empty', { value: expected.value }) };
  const opened = openFlag(context, component, use.flag);
  if (!opened.ok) return { ok: false, message: opened.problem };
  const verdict = checkContent(context, expected, { spec, use }, opened.content);
  if (verdict.ok && argument.value !== expected.value) return { ok: true, message: t('pki.manifests.other-path', { message: verdict.message, path: expected.value }) };
  return verdict;
}

function checkContent(context: Context, expected: ExpectedFlag, { spec, use }: WiredUse, content: FileContent): Verdict {
  if (content.kind === 'unreadable') return { ok: false, message: content.problem };
  switch (use.file) {
    case 'crt':
      return spec.kind === 'ca' ? checkCaFile(context, spec, use, content) : checkLeafFile(context, spec, use, content);
    case 'key':
      return checkKeyFile(context, expected.component, spec, use, content);
    case 'pub':
      return checkPublicKeyFile(context, expected.component, spec, content);
    case 'conf':
      return checkKubeconfigFile(context, spec, content);
  }
}

function caTitle(context: Context, spec: CertificateSpec): string {
  const known: Record<string, string> = { ca: 'pki.manifests.ca.cluster', 'etcd/ca': 'pki.manifests.ca.etcd', 'front-proxy-ca': 'pki.manifests.ca.front-proxy' };
  return context.t(known[spec.name] ?? 'pki.manifests.ca.named', { name: spec.name });
}

/** Which row of the table a certificate is (by subject and key), for messages. */
function whichCertificate(context: Context, certificate: ParsedCertificate): CertificateSpec | undefined {
  return context.specs.find((spec) => {
    if (spec.kind === 'service-account-key') return false;
    const standard = standardCertificate(context, spec);
    return standard !== undefined && sameCertificateIdentity(standard, certificate);
  });
}

/**
 * The apiserver's client files for an external etcd: kubeadm did not make them, so the check is what
 * the apiserver needs of them at start: a CA certificate, a client certificate that CA signed for
 * client auth, and the key of that certificate.
 */
function checkExternalEtcdFile(context: Context, expected: ExpectedFlag): Verdict {
  const { t } = context;
  const argument = context.manifests.get(expected.component)!.args.get(expected.flag);
  if (!argument) return { ok: false, message: t('pki.manifests.not-set-external', { flag: expected.flag, value: expected.value }) };
  const opened = openFlag(context, expected.component, expected.flag);
  if (!opened.ok) return { ok: false, message: opened.problem };
  const { content } = opened;
  if (content.kind === 'unreadable') return { ok: false, message: content.problem };
  const caOpened = openFlag(context, expected.component, '--etcd-cafile');
  const ca = caOpened.ok && caOpened.content.kind === 'certificates' ? caOpened.content.certificates[0] : undefined;
  const holds = describeContent(context, content);
  switch (expected.external) {
    case 'ca':
      if (content.kind !== 'certificates' || !content.certificates[0]?.basicConstraints?.isCA) return { ok: false, message: t('pki.manifests.external.not-ca', { holds }) };
      return { ok: true, message: t('pki.manifests.external.ca', { subject: subjectOf(content.certificates[0]) }) };
    case 'cert': {
      if (content.kind !== 'certificates') return { ok: false, message: t('pki.manifests.external.not-cert', { holds }) };
      const certificate = content.certificates[0]!;
      if (!ca) return { ok: false, message: t('pki.manifests.external.no-ca', { subject: subjectOf(certificate) }) };
      const report = verifyCertificate(certificate, { cas: [ca], purpose: 'client', at: timeWhenValid([certificate, ca], context.now), language: context.language });
      const failed = report.checks.find((check) => !check.ok);
      return failed
        ? { ok: false, message: t('pki.manifests.external.refused', { subject: subjectOf(certificate), message: failed.message }) }
        : { ok: true, message: t('pki.manifests.external.cert', { subject: subjectOf(certificate), usages: certificate.extKeyUsage?.join(', ') ?? t('pki.manifests.any-usage') }) };
    }
    case 'key': {
      if (content.kind !== 'private-key') return { ok: false, message: t('pki.manifests.external.not-key', { holds }) };
      const certificate = openFlag(context, expected.component, '--etcd-certfile');
      const publicKey = certificate.ok ? publicKeyOfContent(certificate.content) : undefined;
      if (!publicKey) return { ok: false, message: t('pki.manifests.external.certfile-unreadable') };
      return samePublicKey(publicKey, content.keyPair.publicKey) ? { ok: true, message: t('pki.manifests.external.key') } : { ok: false, message: t('pki.manifests.external.key-mismatch') };
    }
    default:
      return { ok: false, message: t('pki.manifests.external.unknown') };
  }
}

function checkCaFile(context: Context, spec: CertificateSpec, use: FileUse, content: FileContent): Verdict {
  const { t } = context;
  if (content.kind !== 'certificates') {
    return { ok: false, message: t('pki.manifests.ca-file.not-certificate', { holds: describeContent(context, content), flag: use.flag, ca: caTitle(context, spec), path: shownPath(spec, 'crt') }) };
  }
  const wanted = standardCertificate(context, spec);
  if (wanted && content.certificates.some((certificate) => sameCertificateIdentity(certificate, wanted))) {
    return { ok: true, message: t('pki.manifests.ca-file.ok', { ca: caTitle(context, spec), subject: subjectOf(wanted) }) };
  }
  const found = content.certificates[0]!;
  const other = whichCertificate(context, found);
  const need = t('pki.manifests.ca-file.need', { flag: use.flag, ca: caTitle(context, spec), subject: wanted ? subjectOf(wanted) : '?', path: shownPath(spec, 'crt') });
  if (!found.basicConstraints?.isCA) {
    return { ok: false, message: t('pki.manifests.ca-file.not-ca', { found: `${subjectOf(found)}${other ? `, ${other.path}.crt` : ''}`, need }) };
  }
  if (other?.kind === 'ca') return { ok: false, message: t('pki.manifests.ca-file.other-ca', { ca: caTitle(context, other), subject: subjectOf(found), need }) };
  return { ok: false, message: t('pki.manifests.ca-file.foreign-ca', { subject: subjectOf(found), need }) };
}

/** The roles a certificate plays: a serving certificate serves (etcd's peer certificate also dials its peers), the rest are clients. */
export function purposesOf(spec: CertificateSpec): Purpose[] {
  if (!spec.server) return ['client'];
  return spec.server.peers ? ['server', 'client'] : ['server'];
}

function checkLeafFile(context: Context, spec: CertificateSpec, use: FileUse, content: FileContent): Verdict {
  const { t } = context;
  if (content.kind !== 'certificates') {
    return { ok: false, message: t('pki.manifests.leaf.not-certificate', { holds: describeContent(context, content), flag: use.flag, path: `${spec.path}.crt` }) };
  }
  const certificate = content.certificates[0]!;
  const wantedName = spec.commonName(context.cluster);
  const need = t('pki.manifests.leaf.need', { flag: use.flag, path: shownPath(spec, 'crt'), cn: wantedName, what: purposeOf(spec, context.language).split(': ')[0]! });
  if (certificate.basicConstraints?.isCA) return { ok: false, message: t('pki.manifests.leaf.is-ca', { subject: subjectOf(certificate), need }) };
  if (certificate.subject.commonName !== wantedName) {
    const other = whichCertificate(context, certificate);
    return { ok: false, message: t('pki.manifests.leaf.other', { subject: `${subjectOf(certificate)}${other ? ` (${other.path}.crt)` : ''}`, need }) };
  }
  return checkChainAndPurpose(context, spec, certificate, use.flag);
}

function checkChainAndPurpose(context: Context, spec: CertificateSpec, certificate: ParsedCertificate, flag: string): Verdict {
  const { t } = context;
  const signer = caSpecOf(context, spec.signer);
  const caCertificate = signer ? standardCertificate(context, signer) : undefined;
  if (!signer || !caCertificate) return { ok: false, message: t('pki.manifests.signer-missing', { ca: spec.signer }) };
  for (const purpose of purposesOf(spec)) {
    // expiry is verify's business; here the question is whether this is the right file
    const report = verifyCertificate(certificate, { cas: [caCertificate], purpose, at: timeWhenValid([certificate, caCertificate], context.now), language: context.language });
    const failed = report.checks.find((check) => !check.ok);
    if (!failed) continue;
    const params = { subject: subjectOf(certificate), message: failed.message, ca: caTitle(context, signer), flag };
    if (report.failure === 'incompatible-usage') {
      return { ok: false, message: t('pki.manifests.refused-usage', { ...params, needs: purpose === 'server' ? 'serverAuth' : 'clientAuth', has: certificate.extKeyUsage?.join(', ') ?? t('pki.manifests.no-usage') }) };
    }
    return { ok: false, message: t('pki.manifests.refused', params) };
  }
  const usages = certificate.extKeyUsage?.join(', ') ?? t('pki.manifests.any-usage');
  return { ok: true, message: t('pki.manifests.signed-by', { subject: subjectOf(certificate), ca: signer.name, usages }) };
}

/**
 * The flag in the same manifest that names the other half of a pair (the certificate for a key, the key
 * for sa.pub). When several name it (ca.crt: --client-ca-file and --cluster-signing-cert-file), the one
 * that shares the most of the flag's name (--cluster-signing-key-file's partner is --cluster-signing-cert-file).
 */
function partnerFlag(component: StaticPodComponent, spec: CertificateSpec, halves: FileUse['file'][], flag = ''): string | undefined {
  const candidates = spec.usedBy.filter((use) => use.component === component && halves.includes(use.file)).map((use) => use.flag);
  const sharedPrefix = (other: string) => {
    const differs = [...other].findIndex((char, index) => flag[index] !== char);
    return differs < 0 ? other.length : differs;
  };
  return candidates.sort((a, b) => sharedPrefix(b) - sharedPrefix(a))[0];
}

function checkKeyFile(context: Context, component: StaticPodComponent, spec: CertificateSpec, use: FileUse, content: FileContent): Verdict {
  const { t } = context;
  if (content.kind !== 'private-key') {
    return { ok: false, message: t('pki.manifests.key.not-key', { holds: describeContent(context, content), flag: use.flag, path: shownPath(spec, 'key') }) };
  }
  const partner = partnerFlag(component, spec, ['crt', 'pub'], use.flag);
  let publicKey: KeyObject | undefined;
  let against: string;
  const opened = partner ? openFlag(context, component, partner) : undefined;
  if (partner && opened?.ok) {
    publicKey = publicKeyOfContent(opened.content);
    against = t(opened.content.kind === 'public-key' ? 'pki.manifests.key.public-key-of' : 'pki.manifests.key.certificate-of', { flag: partner });
  } else {
    publicKey = standardPublicKey(context, spec);
    against = spec.kind === 'service-account-key' ? shownPath(spec, 'pub') : shownPath(spec, 'crt');
  }
  if (!publicKey) return { ok: false, message: t('pki.manifests.unreadable', { what: against }) };
  if (!samePublicKey(publicKey, content.keyPair.publicKey)) return { ok: false, message: t('pki.manifests.key.mismatch', { what: against }) };
  return { ok: true, message: t('pki.manifests.key.ok', { what: against }) };
}

function checkPublicKeyFile(context: Context, component: StaticPodComponent, spec: CertificateSpec, content: FileContent): Verdict {
  const { t } = context;
  const publicKey = content.kind === 'public-key' || content.kind === 'certificates' ? publicKeyOfContent(content) : undefined;
  if (!publicKey) return { ok: false, message: t('pki.manifests.pub.not-public-key', { holds: describeContent(context, content), path: shownPath(spec, 'pub') }) };
  const partner = partnerFlag(component, spec, ['key']);
  const opened = partner ? openFlag(context, component, partner) : undefined;
  const privateKey = opened?.ok && opened.content.kind === 'private-key' ? opened.content.keyPair.publicKey : standardPublicKey(context, spec);
  const against = opened?.ok ? t('pki.manifests.pub.key-of', { flag: partner ?? '' }) : shownPath(spec, 'key');
  if (!privateKey) return { ok: false, message: t('pki.manifests.unreadable', { what: against }) };
  if (!samePublicKey(publicKey, privateKey)) return { ok: false, message: t('pki.manifests.pub.mismatch', { what: against }) };
  return { ok: true, message: t('pki.manifests.pub.ok', { what: against }) };
}

function checkKubeconfigFile(context: Context, spec: CertificateSpec, content: FileContent): Verdict {
  const { t } = context;
  if (content.kind !== 'kubeconfig') return { ok: false, message: t('pki.manifests.conf.not-kubeconfig', { holds: describeContent(context, content), path: spec.path }) };
  const certificate = content.certificates[0];
  if (!certificate) return { ok: false, message: t('pki.manifests.conf.no-certificate') };
  const wantedName = spec.commonName(context.cluster);
  if (certificate.subject.commonName !== wantedName) {
    return { ok: false, message: t('pki.manifests.conf.other', { subject: subjectOf(certificate), path: spec.path, cn: wantedName }) };
  }
  if (!content.keyPair || !samePublicKey(content.keyPair.publicKey, createPublicKey({ key: certificate.publicKey.spkiDer, format: 'der', type: 'spki' }))) {
    return { ok: false, message: t('pki.manifests.conf.key-mismatch', { path: spec.path }) };
  }
  return checkChainAndPurpose(context, spec, certificate, spec.path);
}

// ---- which components start, and what they load -----------------------------------------------

export interface ComponentRuntime {
  component: StaticPodComponent;
  manifest: ParsedManifest;
  /** Why it exits at start (the line its log ends with), or undefined when it runs. */
  failure: { code: 'NOT_RUNNING' | 'ENOENT' | 'KEY_MISMATCH' | 'UNREADABLE'; message: string } | undefined;
}

export interface Wiring {
  dir: string;
  components: Map<StaticPodComponent, ComponentRuntime>;
  context: Context;
}

/**
 * The control plane as the kubelet would run it: a component whose manifest is missing or broken does
 * not run; one whose flags name a file it cannot open or parse, or a certificate with another
 * certificate's key, exits at start. Undefined for a sandbox without manifests.
 */
export function readWiring(dir: string, now: Date = new Date(), language: Language = BASE_LANGUAGE): Wiring | undefined {
  const state = readClusterState(dir);
  if ((state.profile ?? 'kubeadm') !== 'kubeadm' || !manifestsReadable(dir)) return undefined;
  const context = contextOf(dir, now, language);
  const components = new Map<StaticPodComponent, ComponentRuntime>();
  for (const component of context.components) {
    const manifest = context.manifests.get(component)!;
    components.set(component, { component, manifest, failure: startupFailure(context, component) });
  }
  return { dir, components, context };
}

function startupFailure(context: Context, component: StaticPodComponent): ComponentRuntime['failure'] {
  const manifest = context.manifests.get(component)!;
  if (manifest.status !== 'ok') return { code: 'NOT_RUNNING', message: manifest.problem ?? manifest.status };
  const uses = staticPodUses(context.specs).filter((wired) => wired.component === component);
  for (const { use } of uses) {
    const argument = manifest.args.get(use.flag);
    // kubeadm leaves the signing flags empty for an external CA; the component starts without them
    if (argument?.value === '' && context.options.externalCa && SIGNING_FLAGS.has(use.flag)) continue;
    const opened = openFlag(context, component, use.flag);
    if (!opened.ok) return { code: 'ENOENT', message: opened.problem };
    const content = opened.content;
    const fits =
      content.kind !== 'unreadable' &&
      (use.file === 'crt' ? content.kind === 'certificates' : use.file === 'key' ? content.kind === 'private-key' : use.file === 'pub' ? content.kind === 'public-key' || content.kind === 'certificates' : content.kind === 'kubeconfig');
    if (!fits) {
      const problem = content.kind === 'unreadable' ? content.problem : context.t(`pki.manifests.expected.${use.file}`, { found: describeContent(context, content) });
      return { code: 'UNREADABLE', message: `${use.flag}=${opened.value}: ${problem}` };
    }
  }
  // a certificate flag and its key flag must hold one pair (Go's tls.X509KeyPair)
  for (const { spec, use } of uses.filter((wired) => wired.use.file === 'crt' && wired.spec.kind !== 'ca')) {
    const keyFlag = partnerFlag(component, spec, ['key']);
    if (!keyFlag) continue;
    const certificate = openFlag(context, component, use.flag);
    const key = openFlag(context, component, keyFlag);
    if (!certificate.ok || !key.ok || key.content.kind !== 'private-key') continue;
    const publicKey = publicKeyOfContent(certificate.content);
    if (publicKey && !samePublicKey(publicKey, key.content.keyPair.publicKey)) {
      return { code: 'KEY_MISMATCH', message: context.t('pki.manifests.pair-mismatch', { certificate: `${use.flag}=${certificate.value}`, key: `${keyFlag}=${key.value}` }) };
    }
  }
  for (const { use } of uses.filter((wired) => wired.use.file === 'conf')) {
    const opened = openFlag(context, component, use.flag);
    if (opened.ok && opened.content.kind === 'kubeconfig') {
      const { keyPair, certificates } = opened.content;
      const certificateKey = certificates[0] ? createPublicKey({ key: certificates[0].publicKey.spkiDer, format: 'der', type: 'spki' }) : undefined;
      if (!keyPair || !certificateKey || !samePublicKey(keyPair.publicKey, certificateKey)) {
        return { code: 'KEY_MISMATCH', message: `${use.flag}=${opened.value}: tls: private key does not match public key (key values mismatch)` };
      }
    }
  }
  return undefined;
}

/** The static Pod that presents a row's certificate, and the flags it uses for it. */
export function componentOf(spec: CertificateSpec): StaticPodComponent | undefined {
  const use = spec.usedBy.find((u) => isStaticPodComponent(u.component) && u.flag.startsWith('--') && (u.file === 'crt' || u.file === 'conf'));
  return use && isStaticPodComponent(use.component) ? use.component : undefined;
}

export type WiredIdentity =
  | { component: StaticPodComponent; identity: Identity; flags: string[] }
  | { component: StaticPodComponent; failure: NonNullable<ComponentRuntime['failure']> };

/**
 * The certificate and key a component really loads for a row (from the files its manifest names), or
 * why the component is down. Undefined for a row no manifest names (admin.conf, the kubelet).
 */
export function wiredIdentity(wiring: Wiring, spec: CertificateSpec): WiredIdentity | undefined {
  const component = componentOf(spec);
  if (!component) return undefined;
  const runtime = wiring.components.get(component)!;
  if (runtime.failure) return { component, failure: runtime.failure };
  const certificateFlag = partnerFlag(component, spec, ['crt', 'conf'])!;
  const certificate = openFlag(wiring.context, component, certificateFlag);
  if (!certificate.ok) return { component, failure: { code: 'ENOENT', message: certificate.problem } };
  const content = certificate.content;
  if (content.kind === 'kubeconfig') {
    if (!content.keyPair || !content.keyPem) return { component, failure: { code: 'UNREADABLE', message: wiring.context.t('pki.manifests.no-client-key-data', { flag: certificateFlag, value: certificate.value }) } };
    return {
      component,
      identity: { spec, certificate: content.certificates[0]!, keyPair: content.keyPair, certificatePem: content.pem, privateKeyPem: content.keyPem, file: certificate.file },
      flags: [certificateFlag],
    };
  }
  const keyFlag = partnerFlag(component, spec, ['key'])!;
  const key = openFlag(wiring.context, component, keyFlag);
  if (content.kind !== 'certificates' || !key.ok || key.content.kind !== 'private-key') {
    return { component, failure: { code: 'UNREADABLE', message: wiring.context.t('pki.manifests.no-pair', { certificate: certificateFlag, key: keyFlag }) } };
  }
  return {
    component,
    identity: { spec, certificate: content.certificates[0]!, keyPair: key.content.keyPair, certificatePem: content.pem, privateKeyPem: key.content.pem, file: certificate.file },
    flags: [certificateFlag, keyFlag],
  };
}

export interface WiredCa {
  /** The CA the flag is meant for (the request-header CA makes a client a front proxy, whatever the file holds). */
  role: CertificateSpec;
  flag: string;
  file: string;
  certificates: ParsedCertificate[];
  certificatePem: string;
}

/**
 * The CA files a component checks peers with, read from its manifest: `clients` on its serving port,
 * `peers` on etcd's peer port, `servers` when it dials out (only rows for `ca`, when given).
 * Undefined when the component has no such flag (the caller falls back to the table's CA).
 */
export function wiredCas(wiring: Wiring, component: StaticPodComponent, verifies: NonNullable<FileUse['verifies']>, ca?: CaName): WiredCa[] | undefined {
  const rows = staticPodUses(wiring.context.specs).filter((wired) => wired.component === component && wired.use.verifies === verifies && (ca === undefined || wired.spec.name === ca));
  if (rows.length === 0) return undefined;
  const cas: WiredCa[] = [];
  for (const { spec, use } of rows) {
    const opened = openFlag(wiring.context, component, use.flag);
    if (opened.ok && opened.content.kind === 'certificates') cas.push({ role: spec, flag: use.flag, file: opened.file, certificates: opened.content.certificates, certificatePem: opened.content.pem });
  }
  return cas;
}

/** Edits one flag's value in place, keeping the rest of the file as it is (a learner's edits included). */
export function setManifestFlag(dir: string, component: StaticPodComponent, flag: string, value: string): { previous: string; line: number } {
  assertSandbox(dir);
  const manifest = readManifest(dir, component);
  if (manifest.status !== 'ok') throw KubetlsError.said(manifest.problemWords?.key ?? 'pki.errors.manifest-unreadable', manifest.problemWords?.params ?? { file: manifest.shownFile });
  const argument = manifest.args.get(flag);
  if (!argument) throw KubetlsError.said('pki.errors.manifest-no-flag', { file: manifest.shownFile, flag }, { key: 'pki.errors.its-flags', params: { flags: [...manifest.args.keys()].join(', ') } });
  const item = `${flag}=${value}`;
  const scalar = /^[-\w./=,:+*@]+$/.test(item) ? item : JSON.stringify(item);
  const text = `${manifest.text.slice(0, argument.range[0])}${scalar}${manifest.text.slice(argument.range[1])}`;
  writePrivateFile(manifest.file, text);
  return { previous: argument.value, line: argument.line };
}
