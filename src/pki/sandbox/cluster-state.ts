import { join } from 'node:path';
import { assertSandbox, deriveNodeState, isSandbox } from '../node/node-dir.js';
import { resolveClusterOptions, type ClusterValues } from '../certificates/options.js';
import { sandboxSpecs } from '../certificates/profiles.js';
import { writePrivateFile } from './files.js';
import { readSandboxRecord, STATE_FILE } from './state.js';
import type { KeyType } from '../certificates/keys.js';
import type { SandboxState } from './sandbox.js';
import type { CertificateSpec } from '../certificates/spec.js';

/**
 * The settings of a directory: a sandbox's record, or what a directory kubeadm wrote says of itself.
 * Below sandbox.ts and manifests.ts, which both read it.
 */

/** A sandbox's own record, for the commands that change it: a directory that is no sandbox is refused (`assertSandbox`). */
export function readState(dir: string): SandboxState {
  assertSandbox(dir);
  return readSandboxRecord(dir);
}

/**
 * What every reading command works from: a sandbox's record, or the settings of a directory kubeadm
 * wrote read back from its files (`node` set, nothing written). Commands that write use `readState`.
 */
export function readClusterState(dir: string): SandboxState {
  return isSandbox(dir) ? readState(dir) : deriveNodeState(dir);
}

/** The certificate table of a directory: its sandbox's profile and nodes, or what kubeadm made on that node. */
export function specsOfDir(dir: string): CertificateSpec[] {
  return sandboxSpecs(readClusterState(dir));
}

export function writeState(dir: string, state: SandboxState): void {
  writePrivateFile(join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** The cluster a sandbox was made for, evaluated at `now`. */
export function clusterOf(state: SandboxState, now: Date = new Date()): ClusterValues {
  return resolveClusterOptions({ ...state.cluster, keyType: state.cluster.keyType as KeyType, now });
}

