import { join, relative } from 'node:path';
import { translatorFor, type Language } from '../../locale/catalogue.js';
import { KubetlsError, say } from '../../errors.js';
import { escapeControlCharacters } from '../../control-characters.js';
import { progressLine, styleFor, type Style } from '../output.js';
import { columns, padToColumns } from '../../lessons/text.js';
import {
  CHECK_NAMES,
  PROFILE_SUMMARIES,
  addNode,
  checkName,
  faultDetail,
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
  KEPT_BACKUPS,
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

type Translate = ReturnType<typeof translatorFor>;

function positiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number <= 0) throw KubetlsError.said('pki.errors.positive-integer', { flag, value });
  return number;
}

/** `CN=jane O=dev O=ops`, as the command lines show a subject. */
function subjectLine(commonName: string | undefined, organizations: readonly string[]): string {
  return `CN=${commonName ?? ''}${organizations.map((o) => ` O=${o}`).join('')}`;
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
  if (!isPkiProfile(value)) throw KubetlsError.said('pki.errors.unknown-profile', { profile: value }, { key: 'pki.errors.choose-one', params: { choices: 'kubeadm, hard-way' } });
  return value;
}

/** `--worker worker-0=10.240.0.20`, repeated. */
function workersOf(values: string[] | undefined): WorkerRecord[] | undefined {
  return values?.map((value) => {
    const match = /^([^=]+)=(.+)$/.exec(value.trim());
    if (!match) throw KubetlsError.said('pki.errors.worker-flag', { value }, { key: 'pki.errors.eg', params: { example: '--worker worker-0=10.240.0.20' } });
    return { name: match[1]!.trim(), ip: match[2]!.trim() };
  });
}

export async function pkiInit(flags: InitFlags, language: Language): Promise<void> {
  const t = translatorFor(language);
  const profile = pkiProfileOf(flags.pkiProfile);
  if (flags.hsmModule !== undefined && !flags.caInHsm) throw KubetlsError.said('pki.errors.goes-with', { flag: '--hsm-module', other: '--ca-in-hsm' });
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
    language,
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
  print(`${style.ok} ${t(`pki.init.wrote-${profile}`, { dir: result.dir, keys, keyType: result.cluster.keyType, seconds })}`);
  print(`  ${t(PROFILE_SUMMARIES[profile].key)}`);
  if (result.backup) print(`  ${t('pki.init.backup', { dir: `${result.backup}/` })}`);
  if (result.removedBackups.length > 0) print(`  ${t('pki.init.older-backups', { count: result.removedBackups.length, kept: KEPT_BACKUPS })}`);
  print(`  ${t('pki.cluster-line', { node: result.cluster.nodeName, address: result.cluster.advertiseAddress, cidr: result.cluster.serviceCidr })}`);
  if (inHsm) print(`  ${style.ok} ${t('pki.init.in-hsm', { dir: `${relative(process.cwd(), result.dir) || '.'}/hsm/` })}`);
  if (result.cluster.certValidityDays > result.cluster.caValidityDays) {
    print(`  ${style.fail} ${t('pki.init.outlive', { certDays: result.cluster.certValidityDays, caDays: result.cluster.caValidityDays })}`);
  }
  print('');
  const specs = [...result.material.values()].map((m) => m.spec);
  const entry = (spec: CertificateSpec) => ({ spec, certificate: result.material.get(spec.name)?.certificate });
  print(trustTree(style, t, { groups: groupBySigner(specs, entry), serviceAccountKey: specs.some((s) => s.kind === 'service-account-key') }, () => undefined));
  print('');
  const apiServer = profile === 'hard-way' ? 'kube-api-server' : 'apiserver';
  // a path that climbs out of the current directory reads worse than the absolute one
  const shown = relative(process.cwd(), result.dir);
  print(t('pki.next', { command: `kubetls inspect ${shown === '' ? '.' : shown.startsWith('..') ? result.dir : shown}/pki/${apiServer}.crt` }));
}

export async function pkiShow(flags: { dir: string; json?: boolean }, language: Language): Promise<void> {
  const t = translatorFor(language);
  const now = new Date();
  const model = readSandboxModel(flags.dir, now);
  const { state } = model;
  const entries = model.groups.flatMap((group) => (group.ca ? [group.ca, ...group.children] : group.children));
  const certificates = new Map(entries.map((entry) => [entry.spec.name, entry.certificate]));
  const manifests = manifestsReadable(flags.dir) && (state.profile ?? 'kubeadm') === 'kubeadm' ? checkManifests(flags.dir, { now, language }) : undefined;
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
    noticeUnreadable(state, language);
    return;
  }
  const style = styleFor();
  const cluster = state.cluster;
  if (node) {
    const cidr = node.serviceCidrKnown ? cluster.serviceCidr : t('pki.show.cidr-unknown', { ip: firstIp(certificates.get('apiserver')) });
    print(t('pki.show.cluster', { dir: flags.dir }));
    print(`  ${t('pki.show.cluster-line', { node: cluster.nodeName, address: cluster.advertiseAddress, cidr, cluster: cluster.clusterName ?? 'kubernetes', keyType: cluster.keyType })}`);
    if (cluster.controlPlaneEndpoint) print(`  ${t('pki.show.endpoint', { endpoint: cluster.controlPlaneEndpoint })}`);
    if (cluster.externalEtcd) {
      const endpoints = cluster.externalEtcd.endpoints.join(',');
      print(`  ${endpoints ? t('pki.show.external-etcd', { endpoints }) : t('pki.show.external-etcd-manifest')}`);
    }
    if (node.externalCa) print(`  ${t('pki.show.external-ca')}`);
    print(style.dim(`  ${t('pki.show.practise', { command: `kubetls pki copy --from ${flags.dir} --to ~/lab` })}`));
  } else {
    print(t('pki.show.sandbox', { dir: flags.dir, profile: state.profile ?? 'kubeadm', node: cluster.nodeName, keyType: cluster.keyType, made: state.createdAt }));
    if (state.copiedFrom) print(`  ${t(state.copiedFrom.withoutKeys ? 'pki.show.copied-without-keys' : 'pki.show.copied', { dir: state.copiedFrom.dir, at: state.copiedFrom.at })}`);
  }
  if (state.hsm) print(`  ${t('pki.show.in-hsm', { token: state.hsm.tokenLabel, dir: state.hsm.tokenDir })}`);
  print('');
  print(trustTree(style, t, model, (entry) => statusOf(style, t, language, entry), flags.dir));
  if (manifests) {
    print('');
    print(`${style.bold(t('pki.show.manifests'))}  manifests/ (${node ? '/etc/kubernetes/manifests' : t('pki.show.stands-for')})`);
    for (const manifest of manifests.manifests) {
      const wrong = manifests.flags.filter((flag) => flag.component === manifest.component && !flag.ok);
      const fileFlags = manifests.flags.filter((flag) => flag.component === manifest.component && flag.kind === 'file').length;
      if (manifest.status !== 'ok') print(`  ${style.fail} ${manifest.shownFile}  ${style.red(manifest.problem ?? manifest.status)}`);
      else if (wrong.length === 0) print(`  ${style.ok} ${manifest.shownFile}  ${style.green(t('pki.show.flags-right', { count: fileFlags }))}`);
      else for (const flag of wrong) print(`  ${style.fail} ${manifest.shownFile}  ${flag.flag}=${flag.value ?? ''}: ${style.red(flag.message)}`);
    }
    if (!manifests.ok) print(style.dim(`  ${t('pki.show.details', { command: `kubetls pki check-manifests --dir ${flags.dir}` })}`));
  }
  noticeUnreadable(state, language);
}

function firstIp(certificate: ParsedCertificate | undefined): string {
  return certificate?.subjectAltNames.ip[0] ?? '?';
}

/** On a node, as a normal user: one line naming what only root can read (the rest was read). */
function noticeUnreadable(state: SandboxState, language: Language): void {
  const notice = unreadableNotice(state, language);
  if (notice) process.stderr.write(`kubetls: ${translatorFor(language)('pki.notice', { notice })}\n`);
}

export async function pkiCopy(flags: { from?: string; to: string }, language: Language): Promise<void> {
  const t = translatorFor(language);
  const from = flags.from ?? hostKubernetesDir();
  const result = copyNodeToSandbox({ from, to: flags.to });
  const style = styleFor();
  const { cluster } = result.state;
  print(`${style.ok} ${t('pki.copy.copied', { from, dir: result.dir })}`);
  print(`  ${t('pki.copy.cluster-line', { node: cluster.nodeName, address: cluster.advertiseAddress, count: result.copied.length })}`);
  if (result.skipped.length > 0) {
    const rootOnly = result.skipped.filter((item) => item.why === 'root only').map((item) => item.path);
    const keys = rootOnly.filter((path) => path.endsWith('.key'));
    if (keys.length > 1) rootOnly.splice(rootOnly.indexOf(keys[0]!), 0, t('pki.keys-in-pki', { count: keys.length }));
    if (keys.length > 1) for (const key of keys) rootOnly.splice(rootOnly.indexOf(key), 1);
    if (rootOnly.length > 0) print(`  ${style.fail} ${t('pki.copy.root-only', { paths: rootOnly.join(', ') })}`);
  }
  print(t('pki.next', { command: `kubetls pki show --dir ${flags.to}` }));
}

function manifestsJson(report: ManifestReport): unknown {
  return {
    ok: report.ok,
    manifests: report.manifests.map(({ component, shownFile, status, problem }) => ({ component, file: shownFile, status, problem: problem ?? null })),
    flags: report.flags.map(({ component, flag, value, expected, line, kind, ok, message }) => ({ component, flag, value: value ?? null, expected, line: line ?? null, kind, ok, message })),
  };
}

export async function pkiCheckManifests(flags: { dir: string; all?: boolean; json?: boolean }, language: Language): Promise<void> {
  const t = translatorFor(language);
  const report = checkManifests(flags.dir, { language });
  noticeUnreadable(readClusterState(flags.dir), language);
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
      const where = flag.ok || flag.line === undefined ? '' : ` (${t('pki.manifests-cli.line', { line: flag.line })})`;
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
    print(`${style.ok} ${t('pki.manifests-cli.all-right')}`);
    return;
  }
  if (misnamed > 0) print(`${style.fail} ${t(misnamed === 1 ? 'pki.manifests-cli.problem' : 'pki.manifests-cli.problems', { count: misnamed })}`);
  const readOnly = readClusterState(flags.dir).node !== undefined;
  for (const name of badFiles) {
    print(`${style.fail} ${readOnly ? t('pki.manifests-cli.bad-file-node', { cert: name, dir: flags.dir }) : t('pki.manifests-cli.bad-file', { cert: name, dir: flags.dir })}`);
  }
}

function statusOf(style: Style, t: Translate, language: Language, entry: ModelEntry): string {
  switch (entry.status) {
    case 'missing': return style.red(t('pki.status.missing'));
    case 'root-only': return style.dim(t('pki.status.root-only'));
    case 'broken': return style.red(t('pki.status.broken', { fault: entry.fault!.fault, detail: faultDetail(entry.fault!, language) }));
    case 'expired': return style.red(t('pki.status.expired'));
    case 'not-yet-valid': return style.red(t('pki.status.not-yet-valid'));
    case 'ok': return style.green(t('pki.status.ok', { days: entry.daysLeft ?? 0 }));
  }
}

interface TreeEntry {
  spec: CertificateSpec;
  certificate: ParsedCertificate | undefined;
}

/** The chain of trust as a tree: each CA with what it signed, certificates no CA signed, then the service-account key pair. */
function trustTree<T extends TreeEntry>(
  style: Style,
  t: Translate,
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
      : `${style.bold(t('pki.tree.no-ca'))}  ${style.dim(t('pki.tree.self-signed'))}`);
    const rows = children.map((child) => ({ file: fileOf(child.spec), text: `${subjectOf(child.certificate)}${statusOf(child) ? `  ${statusOf(child)}` : ''}` }));
    if (ca?.spec.name === 'ca') rows.push(...(tree.users ?? []).map((user) => ({ file: `users/${user}.kubeconfig`, text: style.dim(t('pki.tree.user')) })));
    const width = Math.max(0, ...rows.map((row) => row.file.length));
    rows.forEach((row, index) => lines.push(`${index === rows.length - 1 ? style.tree.last : style.tree.branch}${row.file.padEnd(width)}  ${row.text}`));
  }
  if (tree.serviceAccountKey) {
    lines.push(`${style.bold('sa')}  pki/sa.key + pki/sa.pub  ${style.dim(t('pki.tree.sa'))}`);
  }
  return lines.join('\n');
}

// ---- add-node / forge ----------------------------------------------------------------------

export async function pkiAddNode(name: string, flags: { dir: string; ip: string; serverTlsBootstrap?: boolean; force?: boolean; now?: string }, language: Language): Promise<void> {
  const t = translatorFor(language);
  const added = await addNode({ dir: flags.dir, name, ip: flags.ip, serverTlsBootstrap: flags.serverTlsBootstrap ?? false, force: flags.force ?? false, now: optionalTime(flags.now) });
  const style = styleFor();
  const subject = (c: ParsedCertificate) => subjectLine(c.subject.commonName, c.subject.organizations);
  const issuer = (c: ParsedCertificate) => `CN=${c.issuer.commonName ?? ''}`;
  const shown = (file: string) => relative(flags.dir, file);
  print(`${style.ok} ${t('pki.add-node.joined', { name, dir: flags.dir, ip: flags.ip })}`);
  print(`  ${t('pki.add-node.client', { subject: subject(added.client), issuer: issuer(added.client), csr: shown(added.csrFiles[0]!) })}`);
  if (added.node.serving === 'tls-bootstrap') {
    print(`  ${t('pki.add-node.serving-csr', { subject: subject(added.serving), issuer: issuer(added.serving), csr: shown(added.csrFiles[1]!) })}`);
  } else {
    print(`  ${t('pki.add-node.serving', { subject: subject(added.serving), issuer: issuer(added.serving) })}  ${style.dim(t('pki.add-node.self-signed'))}`);
  }
  print(`  ${t('pki.add-node.files', { dir: `${shown(`${flags.dir}/nodes/${name}`) || '.'}/` })}`);
  print(t('pki.try-it', { command: `kubetls handshake --dir ${flags.dir} --server node/${name} --client apiserver-kubelet-client` }));
}

export async function pkiForge(flags: { dir: string; user: string; group?: string[]; now?: string }, language: Language): Promise<void> {
  const t = translatorFor(language);
  const result = await forgeIdentity({ dir: flags.dir, user: flags.user, groups: flags.group ?? [], now: optionalTime(flags.now) });
  const style = styleFor();
  if (!result.forged) {
    process.exitCode = 1;
    print(`${style.fail} ${t('pki.forge.nothing', { reason: say(language, result.reason) })}`);
    return;
  }
  const c = result.certificate;
  print(`${style.fail} ${t('pki.forge.signed', { key: relative(process.cwd(), result.stolenKey), subject: subjectLine(c.subject.commonName, c.subject.organizations) })}`);
  print(`  ${t('pki.forge.kubeconfig', { file: result.kubeconfig, until: isoSeconds(c.notAfter) })}`);
  const apiServer = specsOfDir(flags.dir).find((s) => s.server?.component === 'kube-apiserver')?.name ?? 'apiserver';
  print(t('pki.forge.see', { command: `kubetls handshake --dir ${flags.dir} --server ${apiServer} --client ${result.clientName}` }));
  print(style.dim(t('pki.forge.revoke')));
}

// ---- break / renew / fix -------------------------------------------------------------------

export async function pkiBreak(flags: { dir: string; cert: string; fault: string; san?: string; flag?: string; to?: string; now?: string }, language: Language): Promise<void> {
  const t = translatorFor(language);
  if ((flags.flag !== undefined || flags.to !== undefined) && flags.fault !== 'wrong-path') throw KubetlsError.said('pki.errors.go-with', { first: '--flag', second: '--to', other: '--fault wrong-path' });
  if (flags.san !== undefined && flags.fault !== 'missing-san') throw KubetlsError.said('pki.errors.goes-with', { flag: '--san', other: '--fault missing-san' });
  const record = await breakCertificate({ dir: flags.dir, certificate: flags.cert, fault: flags.fault, san: flags.san, flag: flags.flag, to: flags.to, now: optionalTime(flags.now) });
  const style = styleFor();
  const spec = resolveSandboxSpec(flags.dir, record.certificate);
  if (record.manifest) {
    const { component, flag } = record.manifest;
    print(`${style.fail} ${t('pki.break.wiring', { cert: record.certificate, detail: faultDetail(record, language) })}`);
    const pair = handshakeShowing(spec, spec.usedBy.find((use) => use.component === component && use.flag === flag), specsOfDir(flags.dir));
    if (pair) print(`  ${t('pki.break.see-it-fail', { command: `kubetls handshake --dir ${flags.dir} --server ${pair.server} --client ${pair.client}` })}`);
    print(`  ${t('pki.break.find-it', { command: `kubetls pki check-manifests --dir ${flags.dir}` })}`);
    print(`  ${t('pki.break.repair-edit', { file: relative(process.cwd(), record.manifest.file) || record.manifest.file, flag, expected: record.manifest.expected })}`);
    return;
  }
  print(`${style.fail} ${t('pki.break.broke', { cert: record.certificate, fault: record.fault, detail: faultDetail(record, language) })}`);
  const pair = handshakeShowing(spec, undefined, specsOfDir(flags.dir));
  if (pair) print(`  ${t('pki.break.see-it-fail', { command: `kubetls handshake --dir ${flags.dir} --server ${pair.server} --client ${pair.client}` })}`);
  const renewable = !spec.rotatedByKubelet;
  // renewal copies the old SANs and usages: for those faults only re-creating helps
  const renewCures = !['missing-san', 'wrong-usage'].includes(record.fault);
  const renew = `kubetls pki renew --dir ${flags.dir} --cert ${record.certificate}`;
  const fix = `kubetls pki fix --dir ${flags.dir} --cert ${record.certificate}`;
  print(`  ${renewable && renewCures
    ? t('pki.break.repair-renew', { command: renew })
    : renewable
    ? t(record.fault === 'missing-san' ? 'pki.break.repair-fix-sans' : 'pki.break.repair-fix-usages', { command: fix })
    : t('pki.break.repair-fix-kubelet', { command: fix })}`);
}

export async function pkiRenew(flags: { dir: string; cert: string; now?: string }, mode: 'renew' | 'fix', language: Language): Promise<void> {
  const t = translatorFor(language);
  const options = { dir: flags.dir, certificate: flags.cert, now: optionalTime(flags.now) };
  const results = mode === 'renew' ? await renewCertificates(options) : await fixCertificates(options);
  const style = styleFor();
  for (const result of results) {
    print(`${style.ok} ${t(`pki.renew.${mode}ed`, { cert: result.certificate, until: isoSeconds(result.notAfter) })}`);
    if (result.stillBroken) {
      print(`  ${style.fail} ${t('pki.renew.still-broken', { fault: result.stillBroken, command: `kubetls pki fix --dir ${flags.dir} --cert ${result.certificate}` })}`);
    }
    for (const flag of result.misnamedFlags) print(`  ${style.fail} ${t(`pki.renew.manifest-wrong-${mode}`, { flag })}`);
  }
  if (mode === 'renew') print(style.dim(t('pki.renew.restart')));
}

// ---- inspect / verify ----------------------------------------------------------------------

export async function inspect(files: string[], flags: { json?: boolean }, language: Language): Promise<void> {
  const items = inspectFiles(files);
  if (flags.json) {
    print(JSON.stringify(items.length === 1 ? itemJson(items[0]!) : items.map(itemJson), null, 2));
    return;
  }
  const several = items.length > 1;
  print(items.map((item) => itemText(item, several, language)).join(several ? '\n' : ''));
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
  if (host !== undefined && host.trim() === '') throw KubetlsError.said('pki.errors.empty-host', {}, { key: 'pki.errors.empty-host-hint' });
}

export async function verify(file: string, flags: VerifyFlags, language: Language): Promise<void> {
  const t = translatorFor(language);
  assertHostGiven(flags.host);
  const items = inspectFiles([file]);
  const subject = subjectChainOf(items, file);
  const embeddedKey = items.find((i): i is Extract<InspectedItem, { kind: 'private-key' }> => i.kind === 'private-key' && i.source.includes('client-key'));
  // a kubeconfig carries the CA its users trust; --ca checks against another one instead
  const embeddedCa = items.filter((i): i is Extract<InspectedItem, { kind: 'certificate' }> => i.kind === 'certificate' && i.source.includes('certificate-authority-data'));
  if (!flags.ca && embeddedCa.length === 0) {
    throw KubetlsError.said('pki.errors.ca-needed', {}, { key: 'pki.errors.ca-needed-hint' });
  }
  const cas = flags.ca ? certificatesIn(flags.ca) : embeddedCa.map((i) => i.certificate);
  if (cas.length === 0) throw KubetlsError.said('pki.errors.no-ca-in', { files: (flags.ca ?? []).join(', ') });
  const untrusted = flags.untrusted ? certificatesIn(flags.untrusted) : [];
  const keyItem = flags.key ? firstOf(inspectFiles([flags.key]), 'private-key', flags.key) : embeddedKey;
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
  const width = Math.max(...CHECK_NAMES.map((name) => columns(checkName(name, language))));
  for (const check of report.checks) print(`${check.ok ? style.ok : style.fail} ${padToColumns(checkName(check.check, language), width)} ${escapeControlCharacters(check.message, { oneLine: true })}`);
  if (report.explanation) print(`  ${style.dim(t('verify.why', { explanation: report.explanation }))}`);
  print(escapeControlCharacters(report.ok ? t('verify.ok', { file }) : t('verify.failed', { file, reason: report.reason ?? '' }), { oneLine: true }));
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
  if (!found) throw KubetlsError.said(`pki.errors.none-in-${kind}`, { file });
  return found;
}

// ---- handshake -----------------------------------------------------------------------------

export async function handshake(flags: { dir: string; server: string; client: string; host?: string; now?: string; json?: boolean }, language: Language): Promise<void> {
  const t = translatorFor(language);
  assertHostGiven(flags.host);
  const style = styleFor();
  const symbol = (status: HandshakeStep['status']) => ({ ok: style.ok, failed: style.fail, info: style.info, skipped: style.skip })[status];
  const report = await runHandshake(
    { dir: flags.dir, server: flags.server, client: flags.client, host: flags.host, now: optionalTime(flags.now), language },
    flags.json
      ? undefined
      : (step) => {
          const { side, text } = stepLine(step, language);
          print(`${symbol(step.status)} ${side} ${text}`);
        },
  );
  process.exitCode = report.ok ? 0 : 1;
  if (flags.json) {
    print(JSON.stringify(report, null, 2));
    return;
  }
  if (report.ok) {
    print(`${style.ok} ${t('handshake.succeeded', { client: report.client, server: report.server })}`);
  } else {
    const failure = report.failure!;
    const http = failure.side === 'server' && report.server === 'apiserver' && failure.code !== 'KEY_MISMATCH' ? ` ${t('handshake.http-401')}` : '';
    const message = `${failure.message}${failure.code ? ` [${failure.code}]` : ''}${http}`;
    print(`${style.fail} ${t('handshake.failed-on', { side: t(`handshake.side.${failure.side}`), message })}`);
    if (failure.goMessage) print(`  ${t('handshake.go', { message: failure.goMessage })}`);
    if (failure.explanation) print(`  ${failure.explanation}`);
  }
}

// ---- check-expiration ----------------------------------------------------------------------

export async function checkExpiration(flags: { dir: string; now?: string; json?: boolean }, language: Language): Promise<void> {
  const report = checkExpirationReport(flags.dir, optionalTime(flags.now));
  noticeUnreadable(readClusterState(flags.dir), language);
  if (flags.json) {
    print(JSON.stringify(report, null, 2));
    return;
  }
  process.stdout.write(formatExpirationReport(report));
}

// ---- csr -----------------------------------------------------------------------------------

export async function csrCreate(flags: { dir: string; user: string; group?: string[]; expirationSeconds: string; keyType?: string; force?: boolean }, language: Language): Promise<void> {
  const t = translatorFor(language);
  const created = await createCsr({
    dir: flags.dir,
    user: flags.user,
    groups: flags.group ?? [],
    expirationSeconds: positiveInteger(flags.expirationSeconds, '--expiration-seconds'),
    keyType: flags.keyType,
    replace: flags.force ?? false,
  });
  const style = styleFor();
  print(`${style.ok} ${t('pki.csr.key', { file: created.paths.key })}`);
  print(`${style.ok} ${t('pki.csr.request', { file: created.paths.request, subject: subjectLine(flags.user, flags.group ?? []) })}`);
  print(`${style.ok} ${created.paths.manifest}:`);
  print('');
  print(created.manifest);
  if ((flags.group ?? []).includes('system:masters')) {
    print(style.red(`${style.fail} ${t('pki.csr.masters')}`));
  }
  print(t('pki.csr.next', { command: `kubetls csr approve --dir ${flags.dir} --user ${flags.user}`, apply: `kubectl apply -f ${flags.user}-csr.yaml`, approve: `kubectl certificate approve ${flags.user}` }));
}

export async function csrApprove(flags: { dir: string; user: string; now?: string }, language: Language): Promise<void> {
  const t = translatorFor(language);
  const approved = await approveCsr({ dir: flags.dir, user: flags.user, now: optionalTime(flags.now) });
  const style = styleFor();
  const { subject } = approved.certificate;
  print(`${style.ok} ${t('pki.csr.approved', { subject: subjectLine(subject.commonName, subject.organizations), until: isoSeconds(approved.certificate.notAfter) })}`);
  print(`${style.ok} ${approved.paths.certificate}`);
  print(`${style.ok} ${approved.paths.kubeconfig}`);
  print(t('pki.try-it', { command: `kubetls handshake --dir ${flags.dir} --server apiserver --client users/${flags.user}` }));
  print(style.dim(`${t('pki.csr.rbac')}\n  kubectl create role developer --verb=get,list --resource=pods\n  kubectl create rolebinding developer-binding-${flags.user} --role=developer --user=${flags.user}`));
}

export async function csrDeny(flags: { dir: string; user: string }, language: Language): Promise<void> {
  const paths = denyCsr({ dir: flags.dir, user: flags.user });
  print(`${styleFor().fail} ${translatorFor(language)('pki.csr.denied', { file: paths.manifest })}`);
}

export async function csrList(flags: { dir: string }, language: Language): Promise<void> {
  readClusterState(flags.dir);
  const rows = listCsrs(flags.dir);
  if (rows.length === 0) {
    print(translatorFor(language)('pki.csr.none', { dir: flags.dir, command: `kubetls csr create --dir ${flags.dir} --user jane` }));
    return;
  }
  const table = [['NAME', 'SIGNERNAME', 'SUBJECT', 'REQUESTEDDURATION', 'CONDITION'], ...rows.map((r) => [r.name, r.signerName, `CN=${r.user}${r.groups.map((g) => ` O=${g}`).join('')}`, r.requestedDuration, r.condition])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)) + 3);
  print(table.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('')).join('\n'));
}

