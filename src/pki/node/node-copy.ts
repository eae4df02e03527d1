import { existsSync, lstatSync, readdirSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { KubetlsError } from '../../errors.js';
import { accessOf, deriveNodeState, fileInDir, hostFile, isSandbox, readNodeFile } from './node-dir.js';
import { kubeletPkiDir, nodeRoot, type NodeRecord } from '../certificates/profiles.js';
import { ensurePrivateDirectory, writePrivateFile, writePublicFile, writeState, type SandboxState } from '../sandbox/sandbox.js';

/**
 * `kubetls pki copy`: a node's PKI, kubeconfigs and static Pod manifests (and its kubelet's files)
 * copied into a new sandbox, where break, renew, fix and the CSR flow may change them. Only what this
 * user can read is copied (keys need root); the modes are the sandbox's own: certificates 0644,
 * everything else 0600, directories 0700. The node's directory is only read.
 */

export interface CopyNodeOptions {
  /** The node's directory (its /etc/kubernetes). */
  from: string;
  /** A new directory for the sandbox; it must not exist, or be empty. */
  to: string;
  now?: Date;
}

export interface CopyNodeResult {
  dir: string;
  state: SandboxState;
  /** Files written into the sandbox. */
  copied: string[];
  /** What could not come along: only root may read it, or it is outside what a sandbox holds. */
  skipped: { path: string; why: 'root only' | 'not found' }[];
}

export function copyNodeToSandbox(options: CopyNodeOptions): CopyNodeResult {
  const from = resolve(options.from);
  const to = resolve(options.to);
  if (isSandbox(from)) throw KubetlsError.said('pki.errors.copy-sandbox', { dir: from }, { key: 'pki.errors.copy-sandbox-hint' });
  const derived = deriveNodeState(from);
  assertCopyTarget(from, to);
  const now = options.now ?? new Date();
  const copy: NodeCopy = { from, to, copied: [], skipped: [] };
  ensurePrivateDirectory(to);

  // /etc/kubernetes: pki/ (with etcd/), the kubeconfigs, manifests/
  copyNodeFolder(copy, 'pki', () => true);
  copyNodeFolder(copy, '', (name) => name.endsWith('.conf'));
  copyNodeFolder(copy, 'manifests', (name) => name.endsWith('.yaml'));
  copyExternalEtcdFiles(copy, derived.cluster);

  // the kubelet of this node: its rotating pairs and their -current links, and its serving certificate
  const nodes = derived.nodes ?? [];
  const kubelet = nodes[0];
  if (kubelet?.pkiDir) copyKubeletFiles(copy, { ...kubelet, pkiDir: kubelet.pkiDir });

  // the kubelet's directory itself, when only root may enter it
  for (const path of derived.node?.unreadable ?? []) if (path.startsWith('/var/lib/kubelet')) copy.skipped.push({ path, why: 'root only' });

  const state = copiedState({ derived, nodes, from, now, withoutKeys: copy.skipped.some((item) => item.why === 'root only') });
  writeState(to, state);
  return { dir: to, state, copied: copy.copied, skipped: copy.skipped };
}

/** A copy under way: where from and to, and what it has written or had to leave behind so far. */
interface NodeCopy {
  from: string;
  to: string;
  copied: string[];
  skipped: CopyNodeResult['skipped'];
}

/** The sandbox goes to a new (or empty) directory outside the node's. */
function assertCopyTarget(from: string, to: string): void {
  if (existsSync(to) && (!statSync(to).isDirectory() || readdirSync(to).length > 0)) {
    throw KubetlsError.said('pki.errors.copy-target-exists', { dir: to }, { key: 'pki.errors.copy-target-exists-hint' });
  }
  if (to === from || to.startsWith(`${from}/`)) throw KubetlsError.said('pki.errors.copy-inside', { to, from }, { key: 'pki.errors.copy-inside-hint' });
}

function copyFile(copy: NodeCopy, source: string, target: string, shown: string): void {
  const access = accessOf(source);
  if (access !== 'readable') {
    copy.skipped.push({ path: shown, why: access === 'denied' ? 'root only' : 'not found' });
    return;
  }
  // certificates are public; keys, kubeconfigs and manifests stay the owner's
  (/\.crt$/.test(target) ? writePublicFile : writePrivateFile)(target, readNodeFile(source));
  copy.copied.push(target);
}

/** The files of one folder of the node's directory that `keep` names; of its folders only pki/etcd is entered. */
function copyNodeFolder(copy: NodeCopy, relativeDir: string, keep: (name: string) => boolean): void {
  const source = join(copy.from, relativeDir);
  if (accessOf(source) === 'denied') {
    copy.skipped.push({ path: `${relativeDir}/`, why: 'root only' });
    return;
  }
  if (!existsSync(source)) return;
  for (const name of readdirSync(source).sort()) {
    const path = relativeDir ? `${relativeDir}/${name}` : name;
    const full = fileInDir(copy.from, path);
    if (existsSync(full) && statSync(full).isDirectory()) {
      if (path === 'pki/etcd') copyNodeFolder(copy, path, keep);
      continue;
    }
    if (keep(name)) copyFile(copy, full, join(copy.to, path), path);
  }
}

/** An external etcd's client files may live outside /etc/kubernetes: they go where the copy's node root is. */
function copyExternalEtcdFiles(copy: NodeCopy, cluster: SandboxState['cluster']): void {
  const nodeName = cluster.nodeName;
  for (const path of [cluster.externalEtcd?.caFile, cluster.externalEtcd?.certFile, cluster.externalEtcd?.keyFile]) {
    if (!path || path.startsWith('/etc/kubernetes/')) continue;
    const source = hostFile(copy.from, path, nodeName);
    if (source) copyFile(copy, source, join(copy.to, nodeRoot(nodeName), posix.normalize(path)), path);
  }
}

/** The kubelet's pki/ (files first, then the links that point at them) and its config.yaml. */
function copyKubeletFiles(copy: NodeCopy, kubelet: NodeRecord & { pkiDir: string }): void {
  const source = join(copy.from, kubelet.pkiDir);
  const target = join(copy.to, kubeletPkiDir(kubelet.name));
  for (const name of readdirSync(source).sort()) {
    const full = join(source, name);
    if (lstatSync(full).isSymbolicLink()) continue;
    copyFile(copy, full, join(target, name), `/var/lib/kubelet/pki/${name}`);
  }
  for (const name of readdirSync(source).sort()) {
    const full = join(source, name);
    if (!lstatSync(full).isSymbolicLink()) continue;
    copyKubeletLink(copy, { link: full, targetDir: target, name });
  }
  const config = join(dirname(source), 'config.yaml');
  if (existsSync(config)) copyFile(copy, config, join(copy.to, nodeRoot(kubelet.name), 'var/lib/kubelet/config.yaml'), '/var/lib/kubelet/config.yaml');
}

/** A -current link, kept when what it points at came along. */
function copyKubeletLink(copy: NodeCopy, { link, targetDir, name }: { link: string; targetDir: string; name: string }): void {
  // client-go links by absolute path; in the sandbox the link is relative, so the copy can move
  const pointsAt = basename(readlinkSync(link));
  if (existsSync(join(targetDir, pointsAt))) {
    symlinkSync(pointsAt, join(targetDir, name));
    copy.copied.push(join(targetDir, name));
  } else {
    copy.skipped.push({ path: `/var/lib/kubelet/pki/${name}`, why: 'root only' });
  }
}

/** The copy's record: the node's settings, its kubelet, and where and when it came from. */
function copiedState({ derived, nodes, from, now, withoutKeys }: { derived: SandboxState; nodes: NodeRecord[]; from: string; now: Date; withoutKeys: boolean }): SandboxState {
  return {
    kubetls: 1,
    createdAt: now.toISOString(),
    cluster: derived.cluster,
    faults: {},
    profile: 'kubeadm',
    workers: [],
    nodes: nodes.map(({ pkiDir: _pkiDir, ...node }) => node),
    ...(derived.node?.externalCa ? { externalCa: true as const } : {}),
    copiedFrom: { dir: from, at: now.toISOString(), withoutKeys },
  };
}
