import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KubetlsError } from '../../errors.js';
import { FILE_LIMITS, readUserText } from '../../user-file.js';
import type { SandboxState } from './sandbox.js';

/**
 * kubetls's record of a sandbox (kubetls-sandbox.json), read without loading the certificate engine:
 * the app's key pool asks it for the sandbox's key type between key presses. A directory without the
 * record is a cluster's own (see node-dir.ts), and only read.
 */

export const STATE_FILE = 'kubetls-sandbox.json';
export const STATE_VERSION = 1;

export function isSandbox(dir: string): boolean {
  return existsSync(join(dir, STATE_FILE));
}

/** The record of a directory known to be a sandbox (sandbox.ts' readState refuses others first). */
export function readSandboxRecord(dir: string): SandboxState {
  const path = join(dir, STATE_FILE);
  const text = readUserText(path, { limit: FILE_LIMITS.pki });
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    throw KubetlsError.said('pki.errors.record-damaged', { path }, { key: 'pki.errors.recreate-sandbox', params: { dir } });
  }
  if (!isState(state)) {
    throw KubetlsError.said('pki.errors.record-unknown', { path }, { key: 'pki.errors.recreate-sandbox', params: { dir } });
  }
  return state;
}

/** The record, or undefined for a directory that is not a sandbox (a copy of a real /etc/kubernetes). */
export function readStateIfAny(dir: string): SandboxState | undefined {
  return isSandbox(dir) ? readSandboxRecord(dir) : undefined;
}

function isState(value: unknown): value is SandboxState {
  const state = value as SandboxState;
  return typeof state === 'object' && state !== null && state.kubetls === STATE_VERSION && typeof state.cluster === 'object' && typeof state.faults === 'object';
}
