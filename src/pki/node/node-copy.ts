import { existsSync, lstatSync, readdirSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { KubetlsError } from '../../errors.js';
import { accessOf, deriveNodeState, fileInDir, hostFile, isSandbox, readNodeFile } from './node-dir.js';
import { kubeletPkiDir, nodeRoot } from '../certificates/profiles.js';
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
  if (existsSync(to) && (!statSync(to).isDirectory() || readdirSync(to).length > 0)) {
    throw KubetlsError.said('pki.errors.copy-target-exists', { dir: to }, { key: 'pki.errors.copy-target-exists-hint' });
  }
  if (to === from || to.startsWith(`${from}/`)) throw KubetlsError.said('pki.errors.copy-inside', { to, from }, { key: 'pki.errors.copy-inside-hint' });
  const now = options.now ?? new Date();
  const copied: string[] = [];
  const skipped: CopyNodeResult['skipped'] = [];
  ensurePrivateDirectory(to);

  const copyFile = (source: string, target: string, shown: string) => {
    const access = accessOf(source);
    if (access !== 'readable') {
      skipped.push({ path: shown, why: access === 'denied' ? 'root only' : 'not found' });
      return;
    }
    // certificates are public; keys, kubeconfigs and manifests stay the owner's
    (/\.crt$/.test(target) ? writePublicFile : writePrivateFile)(target, readNodeFile(source));
    copied.push(target);
  };

  // /etc/kubernetes: pki/ (with etcd/), the kubeconfigs, manifests/
  const walk = (relativeDir: string, keep: (name: string) => boolean) => {
    const source = join(from, relativeDir);
    if (accessOf(source) === 'denied') {
      skipped.push({ path: `${relativeDir}/`, why: 'root only' });
      return;
    }
    if (!existsSync(source)) return;
    for (const name of readdirSync(source).sort()) {
      const path = relativeDir ? `${relativeDir}/${name}` : name;
      const full = fileInDir(from, path);
      if (existsSync(full) && statSync(full).isDirectory()) {
        if (path === 'pki/etcd') walk(path, keep);
        continue;
      }
      if (keep(name)) copyFile(full, join(to, path), path);
    }
  };
  walk('pki', () => true);
  walk('', (name) => name.endsWith('.conf'));
  walk('manifests', (name) => name.endsWith('.yaml'));

  const nodeName = derived.cluster.nodeName;
  // an external etcd's client files may live outside /etc/kubernetes: they go where the copy's node root is
  for (const path of [derived.cluster.externalEtcd?.caFile, derived.cluster.externalEtcd?.certFile, derived.cluster.externalEtcd?.keyFile]) {
    if (!path || path.startsWith('/etc/kubernetes/')) continue;
    const source = hostFile(from, path, nodeName);
    if (source) copyFile(source, join(to, nodeRoot(nodeName), posix.normalize(path)), path);
  }

  // the kubelet of this node: its rotating pairs and their -current links, and its serving certificate
  const nodes = derived.nodes ?? [];
  const kubelet = nodes[0];
  if (kubelet?.pkiDir) {
    const source = join(from, kubelet.pkiDir);
    const target = join(to, kubeletPkiDir(kubelet.name));
    for (const name of readdirSync(source).sort()) {
      const full = join(source, name);
      if (lstatSync(full).isSymbolicLink()) continue;
      copyFile(full, join(target, name), `/var/lib/kubelet/pki/${name}`);
    }
    for (const name of readdirSync(source).sort()) {
      const full = join(source, name);
      if (!lstatSync(full).isSymbolicLink()) continue;
      // client-go links by absolute path; in the sandbox the link is relative, so the copy can move
      const pointsAt = basename(readlinkSync(full));
      if (existsSync(join(target, pointsAt))) {
        symlinkSync(pointsAt, join(target, name));
        copied.push(join(target, name));
      } else {
        skipped.push({ path: `/var/lib/kubelet/pki/${name}`, why: 'root only' });
      }
    }
    const config = join(dirname(source), 'config.yaml');
    if (existsSync(config)) copyFile(config, join(to, nodeRoot(kubelet.name), 'var/lib/kubelet/config.yaml'), '/var/lib/kubelet/config.yaml');
  }

  // the kubelet's directory itself, when only root may enter it
  for (const path of derived.node?.unreadable ?? []) if (path.startsWith('/var/lib/kubelet')) skipped.push({ path, why: 'root only' });

  const withoutKeys = skipped.some((item) => item.why === 'root only');
  const state: SandboxState = {
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
  writeState(to, state);
  return { dir: to, state, copied, skipped };
}
