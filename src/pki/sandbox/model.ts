import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { accessOf } from '../node/node-dir.js';
import { whileUnchanged } from './unchanged.js';
import { certificatePath, loadCertificateOnly, readClusterState, specsOfDir, type SandboxState } from './sandbox.js';
import type { CertificateSpec } from '../certificates/spec.js';
import type { ParsedCertificate } from '../certificates/x509.js';

/**
 * One picture of a sandbox (or of a directory kubeadm wrote) that `pki show` and the app's Sandbox
 * screen both draw: the CAs with what each signed, from the directory's own certificate table (its
 * profile, its nodes), each certificate's health, the users the CSR flow made, the service-account
 * key pair. The screens only draw it.
 */

export type HealthStatus = 'ok' | 'missing' | 'root-only' | 'broken' | 'expired' | 'not-yet-valid';

export interface ModelEntry {
  spec: CertificateSpec;
  certificate: ParsedCertificate | undefined;
  status: HealthStatus;
  /** The fault kubetls recorded (pki break, an exam repair), with what it did. */
  fault: { fault: string; detail: string } | undefined;
  /** Whole days left when the certificate is valid. */
  daysLeft: number | undefined;
}

export interface ModelGroup {
  /** The CA, or undefined for the kubelets' self-signed serving certificates, which no CA signed. */
  ca: ModelEntry | undefined;
  children: ModelEntry[];
}

export interface SandboxModel {
  dir: string;
  state: SandboxState;
  groups: ModelGroup[];
  /** Users the CSR flow made (users/<name>.kubeconfig), signed by the cluster CA. */
  users: string[];
  serviceAccountKey: boolean;
}

export function readSandboxModel(dir: string, now?: Date): SandboxModel {
  // at a time of the caller's choosing it is read anew; at "now" a look at the unchanged directory is reused
  return now ? modelOf(dir, now) : whileUnchanged('model', dir, () => modelOf(dir, new Date()));
}

function modelOf(dir: string, now: Date): SandboxModel {
  const state = readClusterState(dir);
  const specs = specsOfDir(dir);
  const entry = (spec: CertificateSpec): ModelEntry => entryOf(dir, spec, state, now);
  return {
    dir,
    state,
    groups: groupBySigner(specs, entry),
    users: sandboxUsers(dir),
    serviceAccountKey: specs.some((s) => s.kind === 'service-account-key'),
  };
}

/** Each CA with the certificates it signed, in the table's order; then the kubelets' self-signed ones. */
export function groupBySigner<T extends { spec: CertificateSpec }>(specs: readonly CertificateSpec[], entry: (spec: CertificateSpec) => T): { ca: T | undefined; children: T[] }[] {
  const groups: { ca: T | undefined; children: T[] }[] = specs
    .filter((s) => s.kind === 'ca')
    .map((ca) => ({ ca: entry(ca), children: specs.filter((s) => s.signer === ca.name && s.kind !== 'ca').map(entry) }));
  const selfSigned = specs.filter((s) => s.selfSignedByKubelet).map(entry);
  if (selfSigned.length > 0) groups.push({ ca: undefined, children: selfSigned });
  return groups;
}

function entryOf(dir: string, spec: CertificateSpec, state: SandboxState, now: Date): ModelEntry {
  const fault = state.faults?.[spec.name];
  let certificate: ParsedCertificate | undefined;
  try {
    certificate = loadCertificateOnly(dir, spec.name).certificate;
  } catch {
    const status: HealthStatus = accessOf(certificatePath(dir, spec)) === 'denied' ? 'root-only' : 'missing';
    return { spec, certificate: undefined, status, fault, daysLeft: undefined };
  }
  if (fault) return { spec, certificate, status: 'broken', fault, daysLeft: undefined };
  if (now > certificate.notAfter) return { spec, certificate, status: 'expired', fault, daysLeft: undefined };
  if (now < certificate.notBefore) return { spec, certificate, status: 'not-yet-valid', fault, daysLeft: undefined };
  return { spec, certificate, status: 'ok', fault, daysLeft: Math.floor((certificate.notAfter.getTime() - now.getTime()) / 86_400_000) };
}

/** The one reader of a sandbox's users/ folder: the users whose kubeconfig `csr approve` wrote. */
export function sandboxUsers(dir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(join(dir, 'users'));
  } catch {
    return [];
  }
  return files.filter((f) => f.endsWith('.kubeconfig')).map((f) => f.slice(0, -'.kubeconfig'.length)).sort();
}
