import { join, relative } from 'node:path';
import { chooseLanguage } from '../../terminal/language.js';
import { translate } from '../../locale/catalogue.js';
import { KubetlsError } from '../../errors.js';
import { escapeControlCharacters } from '../../control-characters.js';
import { progressLine, styleFor, type Style } from '../output.js';
import {
  PROFILE_SUMMARIES,
  addNode,
  approveCsr,
  breakCertificate,
  certificateJson,
  checkManifests,
  handshakeShowing,
  checkExpiration as checkExpirationReport,
  createCsr,
  denyCsr,
  fixCertificates,
  forgeIdentity,
  formatExpirationReport,
  initSandbox,
  inspectFiles,
  isPkiProfile,
  isoSeconds,
  itemJson,
  itemText,
  listCsrs,
  parseTime,
  readClusterState,
  readSandboxModel,
  groupBySigner,
  type ModelEntry,
  renewCertificates,
  resolveSandboxSpec,
  runHandshake,
  stepLine,
  specsOfDir,
  verifyCertificate,
  copyNodeToSandbox,
  hostKubernetesDir,
  nodeRootOf,
  manifestsReadable,
  unreadableNotice,
  type CertificateSpec,
  type HandshakeStep,
  type InspectedItem,
  type ManifestReport,
  type KeyType,
  type PkiProfile,
  type WorkerRecord,
  type ParsedCertificate,
  type Purpose,
  type SandboxState,
} from '../../pki/index.js';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

function positiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number <= 0) throw new KubetlsError(`${flag} must be a positive whole number, not "${value}"`);
  return number;
}

function optionalTime(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : parseTime(value);
}

// ---- pki init / show -----------------------------------------------------------------------

interface InitFlags {
  dir: string;
  pkiProfile?: string;
  worker?: string[];
  caInHsm?: boolean;
  hsmModule?: string;
  nodeName?: string;
  advertiseAddress?: string;
  serviceCidr?: string;
  dnsDomain: string;
  apiserverCertExtraSans?: string;
  keyType: KeyType;
  caValidityDays: string;
  certValidityDays: string;
  now?: string;
  force?: boolean;
  json?: boolean;
}

function pkiProfileOf(value: string | undefined): PkiProfile {
  if (value === undefined) return 'kubeadm';
  if (!isPkiProfile(value)) throw new KubetlsError(`unknown PKI profile "${value}"`, { hint: 'choose kubeadm or hard-way' });
  return value;
}

/** `--worker worker-0=10.240.0.20`, repeated. */
function workersOf(values: string[] | undefined): WorkerRecord[] | undefined {
  return values?.map((value) => {
    const match = /^([^=]+)=(.+)$/.exec(value.trim());
    if (!match) throw new KubetlsError(`--worker "${value}" is not NAME=IP`, { hint: 'e.g. --worker worker-0=10.240.0.20' });
    return { name: match[1]!.trim(), ip: match[2]!.trim() };
  });
}

export async function pkiInit(flags: InitFlags): Promise<void> {
  const profile = pkiProfileOf(flags.pkiProfile);
  if (flags.hsmModule !== undefined && !flags.caInHsm) throw new KubetlsError('--hsm-module goes with --ca-in-hsm');
  const progress = flags.json ? { update() {}, end() {} } : progressLine();
  const started = performance.now();
  const result = await initSandbox({
    dir: flags.dir,
    force: flags.force ?? false,
    profile,
    workers: workersOf(flags.worker),
    caInHsm: flags.caInHsm ? { module: flags.hsmModule } : undefined,
    cluster: {
      nodeName: flags.nodeName,
      advertiseAddress: flags.advertiseAddress,
      serviceCidr: flags.serviceCidr,
      dnsDomain: flags.dnsDomain,
      apiServerCertSans: flags.apiserverCertExtraSans ? flags.apiserverCertExtraSans.split(',').map((s) => s.trim()).filter(Boolean) : [],
      keyType: flags.keyType,
      caValidityDays: positiveInteger(flags.caValidityDays, '--ca-validity-days'),
      certValidityDays: positiveInteger(flags.certValidityDays, '--cert-validity-days'),
      now: optionalTime(flags.now),
    },
    onProgress: (p) => progress.update(p.done, p.total, p.step),
  });
  progress.end();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const inHsm = [...result.material.values()].some((m) => m.spec.kind === 'ca' && !m.keyPair);
  if (flags.json) {
    const certificates = [...result.material.values()].filter((m) => m.certificate).map((m) => ({ name: m.spec.name, ...certificateJson(m.certificate!, m.spec.path) }));
    print(JSON.stringify({ dir: result.dir, profile, keyType: result.cluster.keyType, caInHsm: inHsm, files: result.files.map((f) => relative(result.dir, f)), backup: result.backup ?? null, certificates }, null, 2));
    return;
  }
  const style = styleFor();
  const keys = [...result.material.values()].filter((m) => m.keyPair).length;
  const shape = profile === 'hard-way' ? 'a "Kubernetes the Hard Way" PKI' : 'a kubeadm-shaped PKI';
  print(`${style.ok} Wrote ${shape} to ${result.dir} (${keys} ${result.cluster.keyType} keys on disk, ${seconds}s)`);
  print(`  ${PROFILE_SUMMARIES[profile]}`);
  if (result.backup) print(`  what it replaced is kept in ${result.backup}/`);
  print(`  node ${result.cluster.nodeName}, advertise address ${result.cluster.advertiseAddress}, service CIDR ${result.cluster.serviceCidr}`);
  if (inHsm) print(`  ${style.ok} the cluster CA key was generated inside a SoftHSM token (${relative(process.cwd(), result.dir) || '.'}/hsm/); there is no pki/ca.key`);
  if (result.cluster.certValidityDays > result.cluster.caValidityDays) {
    print(`  ${style.fail} the certificates (${result.cluster.certValidityDays} days) outlive their CAs (${result.cluster.caValidityDays} days): they stop verifying when the CAs expire`);
  }
  print('');
  const specs = [...result.material.values()].map((m) => m.spec);
  const entry = (spec: CertificateSpec) => ({ spec, certificate: result.material.get(spec.name)?.certificate });
  print(trustTree(style, { groups: groupBySigner(specs, entry), serviceAccountKey: specs.some((s) => s.kind === 'service-account-key') }, () => undefined));
  print('');
  const apiServer = profile === 'hard-way' ? 'kube-api-server' : 'apiserver';
  // a path that climbs out of the current directory reads worse than the absolute one
  const shown = relative(process.cwd(), result.dir);
  print(`Next: kubetls inspect ${shown === '' ? '.' : shown.startsWith('..') ? result.dir : shown}/pki/${apiServer}.crt`);
}

export async function pkiShow(flags: { dir: string; json?: boolean }): Promise<void> {
  const now = new Date();
  const model = readSandboxModel(flags.dir, now);
  const { state } = model;
  const entries = model.groups.flatMap((group) => (group.ca ? [group.ca, ...group.children] : group.children));
  const certificates = new Map(entries.map((entry) => [entry.spec.name, entry.certificate]));
  const manifests = manifestsReadable(flags.dir) && (state.profile ?? 'kubeadm') === 'kubeadm' ? checkManifests(flags.dir, { now }) : undefined;
  const node = state.node;
  if (flags.json) {
    print(JSON.stringify({
      dir: flags.dir,
      kind: node ? 'kubeadm' : 'sandbox',
      readOnly: node !== undefined,
      profile: state.profile ?? 'kubeadm',
      caInHsm: state.hsm !== undefined,
      externalCa: state.externalCa === true || node?.externalCa === true,
      nodes: [...(state.workers ?? []), ...(state.nodes ?? [])].map(({ name, ip }) => ({ name, ip })),
      cluster: state.cluster,
      ...(node ? { sources: node.sources, serviceCidrKnown: node.serviceCidrKnown, unreadable: node.unreadable } : { faults: state.faults }),
      ...(state.copiedFrom ? { copiedFrom: state.copiedFrom } : {}),
      certificates: entries.map(({ spec: { name }, certificate: c, status }) => (c ? { name, ...certificateJson(c, name) } : status === 'root-only' ? { name, unreadable: true } : { name, missing: true })),
      users: model.users,
      ...(manifests ? { manifests: manifestsJson(manifests) } : {}),
    }, null, 2));
    noticeUnreadable(state);
    return;
  }
  const style = styleFor();
  const cluster = state.cluster;
  if (node) {
    const cidr = node.serviceCidrKnown ? cluster.serviceCidr : `unknown (its first address: ${firstIp(certificates.get('apiserver'))})`;
    print(`Cluster ${flags.dir}: kubeadm wrote it, kubetls only reads it`);
    print(`  node ${cluster.nodeName}, advertise address ${cluster.advertiseAddress}, service CIDR ${cidr}, cluster "${cluster.clusterName ?? 'kubernetes'}", ${cluster.keyType}`);
    if (cluster.controlPlaneEndpoint) print(`  control-plane endpoint ${cluster.controlPlaneEndpoint} (HA: admin.conf and super-admin.conf dial it)`);
    if (cluster.externalEtcd) print(`  external etcd ${cluster.externalEtcd.endpoints.join(',') || '(endpoints in kube-apiserver.yaml)'}: kubeadm made no etcd certificates here`);
    if (node.externalCa) print('  external CA: pki/ca.crt without pki/ca.key, so nothing on this node can sign (kubeadm leaves --cluster-signing-* empty)');
    print(style.dim(`  Practise on a copy: kubetls pki copy --from ${flags.dir} --to ~/lab`));
  } else {
    print(`Sandbox ${flags.dir}: ${state.profile ?? 'kubeadm'} profile, node ${cluster.nodeName}, ${cluster.keyType}, made ${state.createdAt}`);
    if (state.copiedFrom) print(`  copied from ${state.copiedFrom.dir} at ${state.copiedFrom.at}${state.copiedFrom.withoutKeys ? ' (without the files only root can read)' : ''}`);
  }
  if (state.hsm) print(`  the cluster CA key is in the SoftHSM token "${state.hsm.tokenLabel}" (${state.hsm.tokenDir}); pki/ca.key does not exist`);
  print('');
  print(trustTree(style, model, (entry) => statusOf(style, entry), flags.dir));
  if (manifests) {
    print('');
    print(`${style.bold('static Pod manifests')}  manifests/ (${node ? '/etc/kubernetes/manifests' : 'stands for /etc/kubernetes/manifests'})`);
    for (const manifest of manifests.manifests) {
      const wrong = manifests.flags.filter((flag) => flag.component === manifest.component && !flag.ok);
      const fileFlags = manifests.flags.filter((flag) => flag.component === manifest.component && flag.kind === 'file').length;
      if (manifest.status !== 'ok') print(`  ${style.fail} ${manifest.shownFile}  ${style.red(manifest.problem ?? manifest.status)}`);
      else if (wrong.length === 0) print(`  ${style.ok} ${manifest.shownFile}  ${style.green(`${fileFlags} file flags name the right files`)}`);
      else for (const flag of wrong) print(`  ${style.fail} ${manifest.shownFile}  ${flag.flag}=${flag.value ?? ''}: ${style.red(flag.message)}`);
    }
    if (!manifests.ok) print(style.dim(`  Details: kubetls pki check-manifests --dir ${flags.dir}`));
  }
  noticeUnreadable(state);
}

function firstIp(certificate: ParsedCertificate | undefined): string {
  return certificate?.subjectAltNames.ip[0] ?? '?';
}

/** On a node, as a normal user: one line naming what only root can read (the rest was read). */
function noticeUnreadable(state: SandboxState): void {
  const notice = unreadableNotice(state);
  if (notice) process.stderr.write(`kubetls: notice: ${notice}\n`);
}

export async function pkiCopy(flags: { from?: string; to: string }): Promise<void> {
  const from = flags.from ?? hostKubernetesDir();
  const result = copyNodeToSandbox({ from, to: flags.to });
  const style = styleFor();
  const { cluster } = result.state;
  print(`${style.ok} Copied ${from} into ${result.dir}: a sandbox to practise on (${from} itself was only read)`);
  print(`  node ${cluster.nodeName}, advertise address ${cluster.advertiseAddress}, ${result.copied.length} files`);
  if (result.skipped.length > 0) {
    const rootOnly = result.skipped.filter((item) => item.why === 'root only').map((item) => item.path);
    const keys = rootOnly.filter((path) => path.endsWith('.key'));
    if (keys.length > 1) rootOnly.splice(rootOnly.indexOf(keys[0]!), 0, `${keys.length} keys in pki/`);
    if (keys.length > 1) for (const key of keys) rootOnly.splice(rootOnly.indexOf(key), 1);
    if (rootOnly.length > 0) print(`  ${style.fail} not copied, only root can read them: ${rootOnly.join(', ')} (copy again with sudo to bring keys and kubeconfigs)`);
  }
  print(`Next: kubetls pki show --dir ${flags.to}`);
}

function manifestsJson(report: ManifestReport): unknown {
  return {
    ok: report.ok,
    manifests: report.manifests.map(({ component, shownFile, status, problem }) => ({ component, file: shownFile, status, problem: problem ?? null })),
    flags: report.flags.map(({ component, flag, value, expected, line, kind, ok, message }) => ({ component, flag, value: value ?? null, expected, line: line ?? null, kind, ok, message })),
  };
}

export async function pkiCheckManifests(flags: { dir: string; all?: boolean; json?: boolean }): Promise<void> {
  const report = checkManifests(flags.dir);
  noticeUnreadable(readClusterState(flags.dir));
  process.exitCode = report.ok ? 0 : 1;
  if (flags.json) {
    print(JSON.stringify({ dir: flags.dir, ...(manifestsJson(report) as object) }, null, 2));
    return;
  }
  const style = styleFor();
  for (const manifest of report.manifests) {
    print(style.bold(manifest.shownFile));
    if (manifest.status !== 'ok') {
      print(`  ${style.fail} ${manifest.problem ?? manifest.status}`);
      continue;
    }
    for (const flag of report.flags.filter((f) => f.component === manifest.component && (f.kind === 'file' || !f.ok || flags.all))) {
      const where = flag.ok || flag.line === undefined ? '' : ` (line ${flag.line})`;
      const shown = flag.value === undefined ? flag.flag : `${flag.flag}=${flag.value}`;
      print(`  ${flag.ok ? style.ok : style.fail} ${shown}${where}  ${flag.ok ? style.dim(flag.message) : style.red(flag.message)}`);
    }
  }
  // a flag that names kubeadm's own file is right; then the fault is in the file, and a manifest edit cannot cure it
  const failing = report.flags.filter((flag) => !flag.ok);
  const misnamedFlags = failing.filter((flag) => flag.value !== flag.expected);
  const misnamed = misnamedFlags.length + report.manifests.filter((m) => m.status !== 'ok').length;
  // a key checked against a misnamed certificate fails too: that pair is the manifest's fault
  const misnamedSpecs = new Set(misnamedFlags.map((flag) => flag.use?.spec.name));
  const badFiles = [...new Set(failing.filter((flag) => flag.value === flag.expected && flag.use && !misnamedSpecs.has(flag.use.spec.name)).map((flag) => flag.use!.spec.name))];
  if (misnamed === 0 && badFiles.length === 0) {
    print(`${style.ok} every flag names the file kubeadm wires in, and every file is the right kind`);
    return;
  }
  if (misnamed > 0) print(`${style.fail} ${misnamed} problem${misnamed === 1 ? '' : 's'} in the manifests: edit them (the kubelet restarts the Pod when the file changes), then check again`);
  const readOnly = readClusterState(flags.dir).node !== undefined;
  for (const name of badFiles) {
    print(readOnly
      ? `${style.fail} the manifests name the right file for ${name}, but what it holds is wrong: on the node, move it away and let \`kubeadm init phase certs\` make it again; to practise, \`kubetls pki copy --from ${flags.dir} --to ~/lab\``
      : `${style.fail} the manifests name the right file for ${name}, but what it holds is wrong: \`kubetls pki fix --dir ${flags.dir} --cert ${name}\` re-creates it`);
  }
}

function statusOf(style: Style, entry: ModelEntry): string {
  switch (entry.status) {
    case 'missing': return style.red('missing');
    case 'root-only': return style.dim('root only');
    case 'broken': return style.red(`broken: ${entry.fault!.fault} (${entry.fault!.detail})`);
    case 'expired': return style.red('expired');
    case 'not-yet-valid': return style.red('not yet valid');
    case 'ok': return style.green(`ok, ${entry.daysLeft}d left`);
  }
}

interface TreeEntry {
  spec: CertificateSpec;
  certificate: ParsedCertificate | undefined;
}

/** The chain of trust as a tree: each CA with what it signed, certificates no CA signed, then the service-account key pair. */
function trustTree<T extends TreeEntry>(
  style: Style,
  tree: { groups: { ca: T | undefined; children: T[] }[]; users?: string[]; serviceAccountKey: boolean },
  statusOf: (entry: T) => string | undefined,
  dir?: string,
): string {
  // the kubelet's files of a node are outside /etc/kubernetes: shown by their own path
  const fileOf = (spec: CertificateSpec) => {
    const path = spec.kind === 'kubeconfig' || spec.pemBundle ? spec.path : `${spec.path}.crt`;
    return path.startsWith('../') && dir ? `/${relative(nodeRootOf(dir) ?? '/', join(dir, path))}` : path;
  };
  const subjectOf = (certificate: ParsedCertificate | undefined) => {
    if (!certificate) return '';
    const o = certificate.subject.organizations.map((org) => ` O=${org}`).join('');
    return `CN=${certificate.subject.commonName ?? ''}${o}`;
  };
  const lines: string[] = [];
  for (const { ca, children } of tree.groups) {
    const status = ca ? statusOf(ca) : undefined;
    lines.push(ca
      ? `${style.bold(ca.spec.name)}  ${fileOf(ca.spec)}  ${subjectOf(ca.certificate)}${status ? `  ${status}` : ''}`
      : `${style.bold('(no cluster CA)')}  ${style.dim('self-signed by their kubelet: the apiserver cannot verify them')}`);
    const rows = children.map((child) => ({ file: fileOf(child.spec), text: `${subjectOf(child.certificate)}${statusOf(child) ? `  ${statusOf(child)}` : ''}` }));
    if (ca?.spec.name === 'ca') rows.push(...(tree.users ?? []).map((user) => ({ file: `users/${user}.kubeconfig`, text: style.dim('(a user: csr approve)') })));
    const width = Math.max(0, ...rows.map((row) => row.file.length));
    rows.forEach((row, index) => lines.push(`${index === rows.length - 1 ? style.tree.last : style.tree.branch}${row.file.padEnd(width)}  ${row.text}`));
  }
  if (tree.serviceAccountKey) {
    lines.push(`${style.bold('sa')}  pki/sa.key + pki/sa.pub  ${style.dim('(signs ServiceAccount tokens; a key pair, no certificate)')}`);
  }
  return lines.join('\n');
}

// ---- add-node / forge ----------------------------------------------------------------------

export async function pkiAddNode(name: string, flags: { dir: string; ip: string; serverTlsBootstrap?: boolean; force?: boolean; now?: string }): Promise<void> {
  const added = await addNode({ dir: flags.dir, name, ip: flags.ip, serverTlsBootstrap: flags.serverTlsBootstrap ?? false, force: flags.force ?? false, now: optionalTime(flags.now) });
  const style = styleFor();
  const subject = (c: ParsedCertificate) => `CN=${c.subject.commonName ?? ''}${c.subject.organizations.map((o) => ` O=${o}`).join('')}`;
  const shown = (file: string) => relative(flags.dir, file);
  print(`${style.ok} ${name} joined ${flags.dir} (${flags.ip})`);
  print(`  client:  ${subject(added.client)}, issuer CN=${added.client.issuer.commonName ?? ''}  <- CSR ${shown(added.csrFiles[0]!)} (kube-apiserver-client-kubelet, auto-approved)`);
  if (added.node.serving === 'tls-bootstrap') {
    print(`  serving: ${subject(added.serving)}, issuer CN=${added.serving.issuer.commonName ?? ''}  <- CSR ${shown(added.csrFiles[1]!)} (kubelet-serving, approved by an admin)`);
  } else {
    print(`  serving: ${subject(added.serving)}, issuer CN=${added.serving.issuer.commonName ?? ''}  ${style.dim('(self-signed by the kubelet: kubelet.crt)')}`);
  }
  print(`  files under ${shown(`${flags.dir}/nodes/${name}`) || '.'}/: var/lib/kubelet/pki/, etc/kubernetes/kubelet.conf, var/lib/kubelet/config.yaml`);
  print(`Try it: kubetls handshake --dir ${flags.dir} --server node/${name} --client apiserver-kubelet-client`);
}

export async function pkiForge(flags: { dir: string; user: string; group?: string[]; now?: string }): Promise<void> {
  const result = await forgeIdentity({ dir: flags.dir, user: flags.user, groups: flags.group ?? [], now: optionalTime(flags.now) });
  const style = styleFor();
  if (!result.forged) {
    process.exitCode = 1;
    print(`${style.fail} nothing to forge with: ${result.reason}`);
    return;
  }
  const c = result.certificate;
  print(`${style.fail} read ${relative(process.cwd(), result.stolenKey)} and signed CN=${c.subject.commonName ?? ''}${c.subject.organizations.map((o) => ` O=${o}`).join('')} — no CSR, no approval, nothing recorded in the cluster`);
  print(`  ${result.kubeconfig} (valid until ${isoSeconds(c.notAfter)})`);
  const apiServer = specsOfDir(flags.dir).find((s) => s.server?.component === 'kube-apiserver')?.name ?? 'apiserver';
  print(`See the apiserver accept it: kubetls handshake --dir ${flags.dir} --server ${apiServer} --client ${result.clientName}`);
  print(style.dim('Only revoking trust in the whole CA undoes this: certificates cannot be recalled. Keep ca.key offline or in an HSM (kubetls pki init --ca-in-hsm).'));
}

// ---- break / renew / fix -------------------------------------------------------------------

export async function pkiBreak(flags: { dir: string; cert: string; fault: string; san?: string; flag?: string; to?: string; now?: string }): Promise<void> {
  if ((flags.flag !== undefined || flags.to !== undefined) && flags.fault !== 'wrong-path') throw new KubetlsError('--flag and --to go with --fault wrong-path');
  if (flags.san !== undefined && flags.fault !== 'missing-san') throw new KubetlsError('--san goes with --fault missing-san');
  const record = await breakCertificate({ dir: flags.dir, certificate: flags.cert, fault: flags.fault, san: flags.san, flag: flags.flag, to: flags.to, now: optionalTime(flags.now) });
  const style = styleFor();
  const spec = resolveSandboxSpec(flags.dir, record.certificate);
  if (record.manifest) {
    const { component, flag } = record.manifest;
    print(`${style.fail} Broke the wiring of ${record.certificate}: ${record.detail}`);
    const pair = handshakeShowing(spec, spec.usedBy.find((use) => use.component === component && use.flag === flag), specsOfDir(flags.dir));
    if (pair) print(`  See it fail: kubetls handshake --dir ${flags.dir} --server ${pair.server} --client ${pair.client}`);
    print(`  Find it:     kubetls pki check-manifests --dir ${flags.dir}`);
    print(`  Repair it:   edit ${relative(process.cwd(), record.manifest.file) || record.manifest.file} so that ${flag} names ${record.manifest.expected}`);
    return;
  }
  print(`${style.fail} Broke ${record.certificate}: ${record.fault} (${record.detail})`);
  const pair = handshakeShowing(spec, undefined, specsOfDir(flags.dir));
  if (pair) print(`  See it fail: kubetls handshake --dir ${flags.dir} --server ${pair.server} --client ${pair.client}`);
  const renewable = !spec.rotatedByKubelet;
  // renewal copies the old SANs and usages: for those faults only re-creating helps
  const renewCures = !['missing-san', 'wrong-usage'].includes(record.fault);
  print(renewable && renewCures
    ? `  Repair it:   kubetls pki renew --dir ${flags.dir} --cert ${record.certificate}   (or pki fix, if renewal is not enough)`
    : renewable
    ? `  Repair it:   kubetls pki fix --dir ${flags.dir} --cert ${record.certificate}   (pki renew would copy the ${record.fault === 'missing-san' ? 'SANs' : 'usages'} of the broken certificate)`
    : `  Repair it:   kubetls pki fix --dir ${flags.dir} --cert ${record.certificate}   (kubeadm does not renew it: the kubelet rotates its own client certificate)`);
}

export async function pkiRenew(flags: { dir: string; cert: string; now?: string }, mode: 'renew' | 'fix'): Promise<void> {
  const options = { dir: flags.dir, certificate: flags.cert, now: optionalTime(flags.now) };
  const results = mode === 'renew' ? await renewCertificates(options) : await fixCertificates(options);
  const style = styleFor();
  for (const result of results) {
    const verb = mode === 'renew' ? 'renewed' : 're-created';
    print(`${style.ok} ${result.certificate} ${verb}, valid until ${isoSeconds(result.notAfter)}`);
    if (result.stillBroken) {
      print(`  ${style.fail} still ${result.stillBroken}: renewal copies the old certificate's SANs and usages; use \`kubetls pki fix --dir ${flags.dir} --cert ${result.certificate}\``);
    }
    for (const flag of result.misnamedFlags) print(`  ${style.fail} still wrong in a manifest: ${flag}; edit the manifest (${mode} makes certificates, not manifests)`);
  }
  if (mode === 'renew') print(style.dim('Like kubeadm: restart the control-plane static pods so they load the new certificates.'));
}

// ---- inspect / verify ----------------------------------------------------------------------

export async function inspect(files: string[], flags: { json?: boolean }): Promise<void> {
  const items = inspectFiles(files);
  if (flags.json) {
    print(JSON.stringify(items.length === 1 ? itemJson(items[0]!) : items.map(itemJson), null, 2));
    return;
  }
  const several = items.length > 1;
  print(items.map((item) => itemText(item, several)).join(several ? '\n' : ''));
}

interface VerifyFlags {
  ca?: string[];
  untrusted?: string[];
  host?: string;
  purpose?: Purpose;
  at?: string;
  key?: string;
  json?: boolean;
}

/** An empty --host would skip the name check and report success. */
function assertHostGiven(host: string | undefined): void {
  if (host !== undefined && host.trim() === '') throw new KubetlsError('--host needs a name or an IP address', { hint: 'e.g. --host 192.168.56.10 or --host kubernetes.default' });
}

export async function verify(file: string, flags: VerifyFlags): Promise<void> {
  assertHostGiven(flags.host);
  const items = inspectFiles([file]);
  const subject = subjectChainOf(items, file);
  const embeddedKey = items.find((i): i is Extract<InspectedItem, { kind: 'private-key' }> => i.kind === 'private-key' && i.source.includes('client-key'));
  // a kubeconfig carries the CA its users trust; --ca checks against another one instead
  const embeddedCa = items.filter((i): i is Extract<InspectedItem, { kind: 'certificate' }> => i.kind === 'certificate' && i.source.includes('certificate-authority-data'));
  if (!flags.ca && embeddedCa.length === 0) {
    throw new KubetlsError('--ca <file> is needed: which CA should the certificate chain to?', { hint: 'e.g. --ca pki/ca.crt; a kubeconfig with certificate-authority-data needs none' });
  }
  const cas = flags.ca ? certificatesIn(flags.ca) : embeddedCa.map((i) => i.certificate);
  if (cas.length === 0) throw new KubetlsError(`no CA certificate found in ${(flags.ca ?? []).join(', ')}`);
  const untrusted = flags.untrusted ? certificatesIn(flags.untrusted) : [];
  const keyItem = flags.key ? firstOf(inspectFiles([flags.key]), 'private-key', flags.key) : embeddedKey;
  const language = chooseLanguage(undefined);
  const report = verifyCertificate(subject.leaf, {
    cas,
    intermediates: [...subject.intermediates, ...untrusted],
    at: optionalTime(flags.at),
    purpose: flags.purpose,
    host: flags.host,
    keyPair: keyItem?.keyPair,
    language,
  });
  process.exitCode = report.ok ? 0 : 1;
  if (flags.json) {
    print(JSON.stringify({
      file,
      ok: report.ok,
      reason: report.reason ?? null,
      explanation: report.explanation ?? null,
      checks: report.checks,
      chain: report.chain.map((c) => ({ subject: c.subject.commonName ?? null, issuer: c.issuer.commonName ?? null, sha256: c.sha256Fingerprint.toString('hex'), notAfter: c.notAfter.toISOString() })),
    }, null, 2));
    return;
  }
  const style = styleFor();
  for (const check of report.checks) print(`${check.ok ? style.ok : style.fail} ${check.check.padEnd(8)} ${escapeControlCharacters(check.message, { oneLine: true })}`);
  if (report.explanation) print(`  ${style.dim(translate(language, 'verify.why', { explanation: report.explanation }))}`);
  print(escapeControlCharacters(report.ok ? `${file}: OK` : `${file}: verification failed: ${report.reason}`, { oneLine: true }));
}

/** The certificate to check and, after it in the same file or kubeconfig entry, its intermediates (a fullchain). */
function subjectChainOf(items: InspectedItem[], file: string): { leaf: ParsedCertificate; intermediates: ParsedCertificate[] } {
  const certificates = items.filter(isCertificate);
  // in a kubeconfig the certificate to check is the user's, not the cluster's CA
  const userChain = certificates.filter((i) => i.source.includes('client-certificate'));
  const chain = (userChain.length > 0 ? userChain : certificates.filter((i) => !i.source.includes('certificate-authority'))).map((i) => i.certificate);
  const [leaf, ...intermediates] = chain.length > 0 ? chain : [firstOf(items, 'certificate', file).certificate];
  return { leaf: leaf!, intermediates };
}

function certificatesIn(files: string[]): ParsedCertificate[] {
  return files.flatMap((path) => inspectFiles([path]).filter(isCertificate).map((i) => i.certificate));
}

function isCertificate(item: InspectedItem): item is Extract<InspectedItem, { kind: 'certificate' }> {
  return item.kind === 'certificate';
}

function firstOf<K extends InspectedItem['kind']>(items: InspectedItem[], kind: K, file: string): Extract<InspectedItem, { kind: K }> {
  const found = items.find((i): i is Extract<InspectedItem, { kind: K }> => i.kind === kind);
  if (!found) throw new KubetlsError(`${file}: no ${kind.replace('-', ' ')} in it`);
  return found;
}

// ---- handshake -----------------------------------------------------------------------------

export async function handshake(flags: { dir: string; server: string; client: string; host?: string; now?: string; json?: boolean }): Promise<void> {
  assertHostGiven(flags.host);
  const style = styleFor();
  const symbol = (status: HandshakeStep['status']) => ({ ok: style.ok, failed: style.fail, info: style.info, skipped: style.skip })[status];
  const report = await runHandshake(
    { dir: flags.dir, server: flags.server, client: flags.client, host: flags.host, now: optionalTime(flags.now) },
    flags.json
      ? undefined
      : (step) => {
          const { side, text } = stepLine(step);
          print(`${symbol(step.status)} ${side} ${text}`);
        },
  );
  process.exitCode = report.ok ? 0 : 1;
  if (flags.json) {
    print(JSON.stringify(report, null, 2));
    return;
  }
  if (report.ok) {
    print(`${style.ok} handshake succeeded: ${report.client} -> ${report.server}`);
  } else {
    const failure = report.failure!;
    const http = failure.side === 'server' && report.server === 'apiserver' && failure.code !== 'KEY_MISMATCH' ? ' (HTTP 401 Unauthorized)' : '';
    print(`${style.fail} handshake failed on the ${failure.side} side: ${failure.message}${failure.code ? ` [${failure.code}]` : ''}${http}`);
    if (failure.goMessage) print(`  Go: ${failure.goMessage}`);
    if (failure.explanation) print(`  ${failure.explanation}`);
  }
}

// ---- check-expiration ----------------------------------------------------------------------

export async function checkExpiration(flags: { dir: string; now?: string; json?: boolean }): Promise<void> {
  const report = checkExpirationReport(flags.dir, optionalTime(flags.now));
  noticeUnreadable(readClusterState(flags.dir));
  if (flags.json) {
    print(JSON.stringify(report, null, 2));
    return;
  }
  process.stdout.write(formatExpirationReport(report));
}

// ---- csr -----------------------------------------------------------------------------------

export async function csrCreate(flags: { dir: string; user: string; group?: string[]; expirationSeconds: string; keyType?: string; force?: boolean }): Promise<void> {
  const created = await createCsr({
    dir: flags.dir,
    user: flags.user,
    groups: flags.group ?? [],
    expirationSeconds: positiveInteger(flags.expirationSeconds, '--expiration-seconds'),
    keyType: flags.keyType,
    replace: flags.force ?? false,
  });
  const style = styleFor();
  print(`${style.ok} ${created.paths.key} (private key, stays with the user)`);
  print(`${style.ok} ${created.paths.request} (CSR: CN=${flags.user}${(flags.group ?? []).map((g) => ` O=${g}`).join('')})`);
  print(`${style.ok} ${created.paths.manifest}:`);
  print('');
  print(created.manifest);
  if ((flags.group ?? []).includes('system:masters')) {
    print(style.red(`${style.fail} O=system:masters bypasses RBAC: approving this request makes a cluster-admin that no RoleBinding can limit. Review CSRs before you approve them.`));
  }
  print(`Next: kubetls csr approve --dir ${flags.dir} --user ${flags.user}   (on a cluster: kubectl apply -f ${flags.user}-csr.yaml; kubectl certificate approve ${flags.user})`);
}

export async function csrApprove(flags: { dir: string; user: string; now?: string }): Promise<void> {
  const approved = await approveCsr({ dir: flags.dir, user: flags.user, now: optionalTime(flags.now) });
  const style = styleFor();
  print(`${style.ok} approved: the cluster CA signed CN=${approved.certificate.subject.commonName}${approved.certificate.subject.organizations.map((o) => ` O=${o}`).join('')}, valid until ${isoSeconds(approved.certificate.notAfter)}`);
  print(`${style.ok} ${approved.paths.certificate}`);
  print(`${style.ok} ${approved.paths.kubeconfig}`);
  print(`Try it: kubetls handshake --dir ${flags.dir} --server apiserver --client users/${flags.user}`);
  print(style.dim(`On a cluster the user can authenticate now, but can do nothing until RBAC allows it, e.g.\n  kubectl create role developer --verb=get,list --resource=pods\n  kubectl create rolebinding developer-binding-${flags.user} --role=developer --user=${flags.user}`));
}

export async function csrDeny(flags: { dir: string; user: string }): Promise<void> {
  const paths = denyCsr({ dir: flags.dir, user: flags.user });
  print(`${styleFor().fail} denied: ${paths.manifest} is marked Denied; no certificate was issued`);
}

export async function csrList(flags: { dir: string }): Promise<void> {
  readClusterState(flags.dir);
  const rows = listCsrs(flags.dir);
  if (rows.length === 0) {
    print(`No CertificateSigningRequests in ${flags.dir}. Create one with \`kubetls csr create --dir ${flags.dir} --user jane\`.`);
    return;
  }
  const table = [['NAME', 'SIGNERNAME', 'SUBJECT', 'REQUESTEDDURATION', 'CONDITION'], ...rows.map((r) => [r.name, r.signerName, `CN=${r.user}${r.groups.map((g) => ` O=${g}`).join('')}`, r.requestedDuration, r.condition])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)) + 3);
  print(table.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('')).join('\n'));
}

