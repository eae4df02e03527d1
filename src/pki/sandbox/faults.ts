import { KubetlsError, say, type Words } from '../../errors.js';
import { BASE_LANGUAGE, translate, type Language } from '../../locale/catalogue.js';
import { generateKeyPair } from '../certificates/keys.js';
import { issueLeafCertificate, type IssueOverrides } from '../certificates/issue.js';
import { clusterOf, loadIdentity, loadIssuingCa, readState, resolveSandboxSpec, specsOfDir, writeIdentity, writeState, type FaultName, type FaultRecord } from './sandbox.js';
import { assertSandbox } from '../node/node-dir.js';
import { KUBEADM_SPECS, isStaticPodComponent, type AltNames, type CaName, type CertificateSpec, type ExtendedUsage, type FileUse, type StaticPodComponent } from '../certificates/spec.js';
import { componentOf, hasManifests, kubernetesPath, KUBERNETES_DIR, readManifest, setManifestFlag } from '../manifests/static-pods.js';
import type { ClusterValues } from '../certificates/options.js';

/**
 * `kubetls pki break`: the troubleshooting labs. Each fault re-issues one certificate with exactly
 * one thing wrong, so verify and a handshake show the matching real error.
 */

export const FAULTS: readonly FaultName[] = ['expired', 'not-yet-valid', 'wrong-ca', 'missing-san', 'wrong-usage', 'key-mismatch', 'wrong-path'];

/** What a fault does, in one line of `language` (the app's fault menu). */
export function faultSummary(fault: FaultName, language: Language = BASE_LANGUAGE): string {
  return translate(language, `pki.fault.summary.${fault}`);
}

/** What a recorded fault changed, in `language`; a record written before kubetls kept its words has only the base language's. */
export function faultDetail(record: Pick<FaultRecord, 'detail' | 'words'>, language: Language = BASE_LANGUAGE): string {
  const { words } = record;
  if (!words?.key.startsWith('pki.fault.detail.')) return record.detail;
  try {
    return say(language, words);
  } catch {
    // a record edited by hand, or written by another version: its own words are still right
    return record.detail;
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function isFaultName(value: string): value is FaultName {
  return (FAULTS as readonly string[]).includes(value);
}

export interface BreakOptions {
  dir: string;
  certificate: string;
  fault: string;
  /** For missing-san: which SAN to remove (default: the one clients dial). */
  san?: string;
  /** For wrong-path: which flag naming the certificate (default: the first); `component:--flag` when two manifests share it. */
  flag?: string;
  /** For wrong-path: the path to put there (default: a file of the same kind that is the wrong one); `typo` misspells the right one. */
  to?: string;
  now?: Date;
}

/** What a manifest fault changed: the flag, its new value and the one kubeadm writes. */
export interface ManifestFaultDetail {
  component: StaticPodComponent;
  flag: string;
  value: string;
  expected: string;
  file: string;
}

export type BreakResult = FaultRecord & { certificate: string; manifest?: ManifestFaultDetail };

export async function breakCertificate(options: BreakOptions): Promise<BreakResult> {
  assertSandbox(options.dir);
  if (!isFaultName(options.fault)) {
    throw KubetlsError.said('pki.errors.unknown-fault', { fault: options.fault }, { key: 'pki.errors.choose-one', params: { choices: FAULTS.join(', ') } });
  }
  if (options.fault === 'wrong-path') return breakManifestFlag(options);
  const spec = resolveSandboxSpec(options.dir, options.certificate);
  if (spec.kind === 'ca') {
    throw KubetlsError.said('pki.errors.break-ca', { cert: spec.name }, { key: 'pki.errors.eg', params: { example: '--cert apiserver' } });
  }
  if (spec.selfSignedByKubelet) {
    throw KubetlsError.said('pki.errors.break-self-signed', { cert: spec.name }, { key: 'pki.errors.break-self-signed-hint' });
  }
  const state = readState(options.dir);
  const cluster = clusterOf(state, options.now);
  const current = loadIdentity(options.dir, spec.name);
  const sandboxCas = specsOfDir(options.dir).filter((s) => s.kind === 'ca').map((s) => s.name as CaName);
  const plan = planFault(options.fault, spec, cluster, options.san, sandboxCas);
  const ca = loadIssuingCa(options.dir, plan.signer);
  const newKey = options.fault === 'key-mismatch' ? await generateKeyPair(cluster.keyType) : undefined;
  // one thing wrong at a time: the subject stays what it is now
  const subject = { commonName: current.certificate.subject.commonName, organizations: current.certificate.subject.organizations };
  const certificate = await issueLeafCertificate(spec, cluster, (newKey ?? current.keyPair).publicKey, ca, { ...subject, ...plan.overrides });
  if (spec.kind === 'kubeconfig') {
    // the kubeconfig keeps its old key beside a certificate for the new one
    writeIdentity(options.dir, cluster, spec, certificate, current.keyPair);
  } else {
    writeIdentity(options.dir, cluster, spec, certificate, undefined);
  }
  const record: FaultRecord = { fault: options.fault, detail: say(BASE_LANGUAGE, plan.words), words: plan.words, at: cluster.now.toISOString() };
  state.faults[spec.name] = record;
  writeState(options.dir, state);
  return { ...record, certificate: spec.name };
}

interface FaultPlan {
  signer: CaName;
  overrides: IssueOverrides;
  words: Words;
}

function planFault(fault: FaultName, spec: CertificateSpec, cluster: ClusterValues, san: string | undefined, sandboxCas: CaName[]): FaultPlan {
  const signer = spec.signer as CaName;
  const now = cluster.now.getTime();
  switch (fault) {
    case 'expired':
      return {
        signer,
        overrides: { notBefore: new Date(now - 366 * DAY_MS), notAfter: new Date(now - DAY_MS) },
        words: { key: 'pki.fault.detail.expired', params: { at: new Date(now - DAY_MS).toISOString() } },
      };
    case 'not-yet-valid':
      return {
        signer,
        overrides: { notBefore: new Date(now + 30 * DAY_MS), notAfter: new Date(now + 395 * DAY_MS) },
        words: { key: 'pki.fault.detail.not-yet-valid', params: { at: new Date(now + 30 * DAY_MS).toISOString() } },
      };
    case 'wrong-ca': {
      // the classic mix-up: the cluster CA and the etcd CA. Not the cluster CA for front-proxy-client:
      // the apiserver trusts it for clients too (--client-ca-file), so nothing would fail
      const preferred: CaName = signer === 'etcd/ca' ? 'ca' : 'etcd/ca';
      const others = sandboxCas.filter((ca) => ca !== signer);
      const wrong = others.includes(preferred) ? preferred : others[0];
      if (!wrong) throw KubetlsError.said('pki.errors.single-ca', {}, { key: 'pki.errors.single-ca-hint' });
      return { signer: wrong, overrides: {}, words: { key: 'pki.fault.detail.wrong-ca', params: { wrong, signer } } };
    }
    case 'missing-san':
      return { signer, ...withoutSan(spec, cluster, san) };
    case 'wrong-usage': {
      const usages: ExtendedUsage[] = spec.usages.includes('serverAuth') ? ['clientAuth'] : ['serverAuth'];
      return { signer, overrides: { usages }, words: { key: 'pki.fault.detail.wrong-usage', params: { usages: usages.join(', '), expected: spec.usages.join(', ') } } };
    }
    case 'key-mismatch':
      return { signer, overrides: {}, words: { key: 'pki.fault.detail.key-mismatch', params: { key: spec.kind === 'kubeconfig' ? 'client-key-data' : `${spec.path}.key` } } };
    case 'wrong-path':
      throw new Error('wrong-path edits a manifest, it issues no certificate');
  }
}

function withoutSan(spec: CertificateSpec, cluster: ClusterValues, san: string | undefined): { overrides: IssueOverrides; words: Words } {
  const altNames = spec.altNames?.(cluster);
  if (!altNames || (altNames.dns.length === 0 && altNames.ip.length === 0)) {
    throw KubetlsError.said('pki.errors.no-sans', { cert: spec.name }, { key: 'pki.errors.no-sans-hint' });
  }
  const target = san ?? spec.server?.dialedHost(cluster) ?? altNames.dns[0]!;
  const remaining: AltNames = { dns: altNames.dns.filter((d) => d !== target), ip: altNames.ip.filter((ip) => ip !== target) };
  if (remaining.dns.length + remaining.ip.length === altNames.dns.length + altNames.ip.length) {
    throw KubetlsError.said('pki.errors.not-a-san', { san: target, cert: spec.name }, { key: 'pki.errors.its-sans', params: { sans: [...altNames.dns, ...altNames.ip].join(', ') } });
  }
  return { overrides: { altNames: remaining }, words: { key: 'pki.fault.detail.missing-san', params: { san: target } } };
}

// ---- wrong-path: a manifest flag that names the wrong file --------------------------------------------

/** The CA people take for another: a cluster CA where the front-proxy CA belongs, and pki/ where pki/etcd/ belongs. */
const CA_MIX_UPS: Partial<Record<string, CaName>> = { ca: 'front-proxy-ca', 'etcd/ca': 'ca', 'front-proxy-ca': 'ca' };

/** The flags of static Pod manifests that name a row's files. */
export function manifestUsesOf(spec: CertificateSpec): (FileUse & { component: StaticPodComponent })[] {
  return spec.usedBy.filter((use): use is FileUse & { component: StaticPodComponent } => isStaticPodComponent(use.component) && use.flag.startsWith('--'));
}

/** The manifest flag a wrong-path fault edits: the one asked for (`--flag` or `component:--flag`), else the first that names the certificate. */
export function chooseManifestUse(spec: CertificateSpec, wanted: string | undefined): FileUse & { component: StaticPodComponent } {
  const uses = manifestUsesOf(spec);
  if (uses.length === 0) {
    throw KubetlsError.said('pki.errors.no-manifest-names', { cert: spec.name }, { key: 'pki.errors.no-manifest-names-hint' });
  }
  if (wanted === undefined) return uses.find((use) => use.file === 'crt' || use.file === 'conf') ?? uses[0]!;
  const [component, flag] = wanted.includes(':') ? (wanted.split(':', 2) as [string, string]) : [undefined, wanted];
  const normalized = flag.startsWith('--') ? flag : `--${flag}`;
  const use = uses.find((u) => u.flag === normalized && (component === undefined || u.component === component));
  if (!use) {
    throw KubetlsError.said('pki.errors.no-manifest-flag', { flag: wanted, cert: spec.name }, { key: 'pki.errors.its-flags', params: { flags: uses.map((u) => `${u.component}:${u.flag}`).join(', ') } });
  }
  return use;
}

/** Swaps two neighbouring letters in the middle of the file name: the typo a tired admin makes. */
export function misspell(path: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  const stem = path.slice(slash + 1, dot > slash ? dot : undefined);
  const letters = [...stem];
  for (let offset = 0; offset < letters.length; offset++) {
    const i = (Math.floor(letters.length / 2) + offset) % Math.max(1, letters.length - 1);
    const [a, b] = [letters[i], letters[i + 1]];
    if (a && b && a !== b && /[a-z]/.test(a) && /[a-z]/.test(b)) {
      [letters[i], letters[i + 1]] = [b, a];
      return `${path.slice(0, slash + 1)}${letters.join('')}${dot > slash ? path.slice(dot) : ''}`;
    }
  }
  return `${path}x`;
}

function defaultWrongPath(spec: CertificateSpec, use: FileUse, specs: readonly CertificateSpec[]): string {
  if (spec.kind === 'ca') {
    const other = specs.find((s) => s.name === CA_MIX_UPS[spec.name]);
    if (other) return kubernetesPath(other, use.file);
  }
  if (spec.kind === 'leaf' || spec.kind === 'kubeconfig') {
    // another certificate of the same CA, preferably one a manifest names too: it looks right at a glance
    const siblings = specs.filter((s) => s !== spec && s.kind === spec.kind && s.signer === spec.signer && !s.node && !s.selfSignedByKubelet);
    const sibling = siblings.find((s) => componentOf(s) !== undefined) ?? siblings[0];
    if (sibling) return kubernetesPath(sibling, use.file);
  }
  return misspell(kubernetesPath(spec, use.file));
}

async function breakManifestFlag(options: BreakOptions): Promise<BreakResult> {
  const state = readState(options.dir);
  if ((state.profile ?? 'kubeadm') !== 'kubeadm' || !hasManifests(options.dir)) {
    throw KubetlsError.said('pki.errors.wrong-path-no-manifests', {}, state.profile === 'hard-way' ? { key: 'pki.errors.hard-way-systemd' } : { key: 'pki.errors.reinit-for-manifests', params: { dir: options.dir } });
  }
  const specs = specsOfDir(options.dir);
  const spec = resolveSandboxSpec(options.dir, options.certificate);
  const use = chooseManifestUse(spec, options.flag);
  const expected = kubernetesPath(spec, use.file);
  const wrong = options.to === undefined ? defaultWrongPath(spec, use, specs) : options.to === 'typo' ? misspell(expected) : options.to.startsWith('/') ? options.to : `${KUBERNETES_DIR}/${options.to}`;
  const manifest = readManifest(options.dir, use.component);
  if (manifest.args.get(use.flag)?.value === wrong) throw KubetlsError.said('pki.errors.already-has', { file: manifest.shownFile, flag: use.flag, value: wrong });
  setManifestFlag(options.dir, use.component, use.flag, wrong);
  const at = (options.now ?? new Date()).toISOString();
  const words = { key: 'pki.fault.detail.wrong-path', params: { file: manifest.shownFile, flag: use.flag, value: wrong, expected } };
  return {
    fault: 'wrong-path',
    detail: say(BASE_LANGUAGE, words),
    words,
    at,
    certificate: spec.name,
    manifest: { component: use.component, flag: use.flag, value: wrong, expected, file: manifest.file },
  };
}

/**
 * The manifest flags meant to name the certificate that name another file (a wrong-path fault, a slip
 * in an editor), as `file: --flag=path (kubeadm: path)`. Re-creating the certificate does not cure them.
 */
export function misnamedManifestFlags(dir: string, spec: CertificateSpec): string[] {
  if (!hasManifests(dir)) return [];
  const wrong: string[] = [];
  for (const use of manifestUsesOf(spec)) {
    const expected = kubernetesPath(spec, use.file);
    const manifest = readManifest(dir, use.component);
    const current = manifest.args.get(use.flag)?.value;
    if (current !== undefined && current !== expected) wrong.push(`${manifest.shownFile}: ${use.flag}=${current} (kubeadm: ${expected})`);
  }
  return wrong;
}

/**
 * The handshake that shows a fault in a row (or in the manifest flag `use`): the row as the server with
 * its usual client, or as the client of the server that checks it. Names come from the sandbox's table
 * (`kube-api-server` in the hard way). Undefined when no handshake involves it (sa, the
 * controller-manager's CA flags).
 */
export function handshakeShowing(spec: CertificateSpec, use?: FileUse, specs: readonly CertificateSpec[] = KUBEADM_SPECS): { server: string; client: string } | undefined {
  const apiserver = specs.find((s) => s.server?.component === 'kube-apiserver')?.name ?? 'apiserver';
  const etcd = specs.find((s) => s.server?.component === 'etcd')?.name ?? 'etcd/server';
  const named = (flag: string, fallback: string) => specs.find((s) => s.usedBy.some((u) => u.component === 'kube-apiserver' && u.flag === flag))?.name ?? fallback;
  const etcdClient = named('--etcd-certfile', 'apiserver-etcd-client');
  const user = specs.some((s) => s.name === 'admin') ? 'admin' : named('--kubeconfig', 'admin');
  if (use?.verifies && isStaticPodComponent(use.component)) {
    if (use.component === 'kube-apiserver') {
      if (use.verifies === 'servers') return { server: etcd, client: etcdClient };
      return spec.name === 'front-proxy-ca' ? { server: apiserver, client: named('--proxy-client-cert-file', 'front-proxy-client') } : { server: apiserver, client: user };
    }
    if (use.component === 'etcd') return use.verifies === 'peers' ? { server: 'etcd/peer', client: 'etcd/peer' } : { server: etcd, client: etcdClient };
    return undefined;
  }
  if (spec.kind === 'ca' || spec.kind === 'service-account-key') return undefined;
  if (spec.server) {
    if (spec.server.peers) return { server: spec.name, client: spec.name };
    if (spec.node) return { server: spec.name, client: named('--kubelet-client-certificate', user) };
    return { server: spec.name, client: spec.signer === 'etcd/ca' ? etcdClient : user };
  }
  if (spec.trustsServersSignedBy) return { server: spec.signer === 'etcd/ca' ? etcd : apiserver, client: spec.name };
  return undefined;
}
