import { KubetlsError } from '../../errors.js';
import { generateKeyPair } from '../certificates/keys.js';
import { misnamedManifestFlags } from './faults.js';
import { issueLeafCertificate } from '../certificates/issue.js';
import { clusterOf, loadIdentity, loadIssuingCa, readState, resolveSandboxSpec, specsOfDir, writeIdentity, writeState } from './sandbox.js';
import { assertSandbox } from '../node/node-dir.js';
import { renewableByKubeadm, type CaName, type CertificateSpec, type ExtendedUsage } from '../certificates/spec.js';

/**
 * `kubetls pki renew` does what `kubeadm certs renew` does (renewal/manager.go RenewUsingLocalCA):
 * the current certificate is the source of its CN, O, SANs and usages; a new key is made; the cluster's
 * CA signs for another year. So renewal cures expiry and a wrong signer, but it carries a missing SAN
 * or a wrong usage over to the new certificate. `kubetls pki fix` re-creates from the cluster's
 * settings instead, as deleting the files and running `kubeadm init phase certs` would.
 */

export interface RenewOptions {
  dir: string;
  /** A certificate name, or `all`. */
  certificate: string;
  now?: Date;
}

export interface RenewedCertificate {
  certificate: string;
  notAfter: Date;
  /** Faults this renewal did not cure (it copies the old certificate's attributes). */
  stillBroken: string | undefined;
  /** Manifest flags that should name this certificate but name another file: re-creating it does not cure them. */
  misnamedFlags: string[];
}

const CARRIED_OVER = new Set(['missing-san', 'wrong-usage']);

export function renewableSpecs(dir: string, name: string): CertificateSpec[] {
  if (name === 'all') return specsOfDir(dir).filter(renewableByKubeadm);
  const spec = resolveSandboxSpec(dir, name);
  if (spec.kind === 'ca') {
    throw KubetlsError.said('pki.errors.renew-ca', { cert: spec.name }, { key: 'pki.errors.renew-ca-hint' });
  }
  if (spec.rotatedByKubelet) {
    const how = spec.selfSignedByKubelet ? 'self-signed' : spec.server ? 'serving' : 'client';
    throw KubetlsError.said(`pki.errors.renew-kubelet-${how}`, { path: spec.path }, spec.selfSignedByKubelet ? { key: 'pki.errors.renew-kubelet-self-signed-hint' } : { key: 'pki.errors.fix-instead', params: { cert: spec.name } });
  }
  return [spec];
}

/** Users have no row in the table: their CSR decided CN and O, so a re-created certificate keeps them. */
function subjectOfUser(dir: string, spec: CertificateSpec): { commonName?: string; organizations?: string[] } {
  if (!spec.name.startsWith('users/')) return {};
  const { subject } = loadIdentity(dir, spec.name).certificate;
  return { commonName: subject.commonName, organizations: subject.organizations };
}

/** `fix` re-creates any leaf or kubeconfig of the control plane, the kubelet's included; `all` leaves joined nodes alone. */
function fixableSpecs(dir: string, name: string): CertificateSpec[] {
  if (name === 'all') return specsOfDir(dir).filter((s) => (s.kind === 'leaf' || s.kind === 'kubeconfig') && !(s.node && s.rotatedByKubelet));
  const spec = resolveSandboxSpec(dir, name);
  if (spec.kind === 'ca') throw KubetlsError.said('pki.errors.fix-ca', { cert: spec.name }, { key: 'pki.errors.eg', params: { example: '--cert apiserver' } });
  if (spec.selfSignedByKubelet) {
    const ip = readState(dir).nodes?.find((node) => node.name === spec.node)?.ip ?? 'IP';
    throw KubetlsError.said('pki.errors.fix-self-signed', { path: spec.path }, { key: 'pki.errors.fix-self-signed-hint', params: { node: spec.node ?? '', dir, ip } });
  }
  return [spec];
}

export async function renewCertificates(options: RenewOptions): Promise<RenewedCertificate[]> {
  assertSandbox(options.dir);
  const specs = renewableSpecs(options.dir, options.certificate);
  const state = readState(options.dir);
  const cluster = clusterOf(state, options.now);
  const renewed: RenewedCertificate[] = [];
  for (const spec of specs) {
    const current = loadIdentity(options.dir, spec.name).certificate;
    const ca = loadIssuingCa(options.dir, spec.signer as CaName);
    const keyPair = await generateKeyPair(cluster.keyType);
    const certificate = await issueLeafCertificate(spec, cluster, keyPair.publicKey, ca, {
      commonName: current.subject.commonName,
      organizations: current.subject.organizations,
      altNames: { dns: current.subjectAltNames.dns, ip: current.subjectAltNames.ip },
      usages: (current.extKeyUsage ?? []).filter((u): u is ExtendedUsage => u === 'serverAuth' || u === 'clientAuth'),
    });
    writeIdentity(options.dir, cluster, spec, certificate, keyPair);
    const fault = state.faults[spec.name];
    const stillBroken = fault && CARRIED_OVER.has(fault.fault) ? fault.fault : undefined;
    if (!stillBroken) delete state.faults[spec.name];
    renewed.push({ certificate: spec.name, notAfter: certificate.notAfter, stillBroken, misnamedFlags: misnamedManifestFlags(options.dir, spec) });
  }
  writeState(options.dir, state);
  return renewed;
}

/** Re-create certificates from the cluster's settings with new keys: cures every fault in a certificate (not a manifest's). */
export async function fixCertificates(options: RenewOptions): Promise<RenewedCertificate[]> {
  assertSandbox(options.dir);
  const specs = fixableSpecs(options.dir, options.certificate);
  const state = readState(options.dir);
  const cluster = clusterOf(state, options.now);
  const fixed: RenewedCertificate[] = [];
  for (const spec of specs) {
    const ca = loadIssuingCa(options.dir, spec.signer as CaName);
    const keyPair = await generateKeyPair(cluster.keyType);
    const certificate = await issueLeafCertificate(spec, cluster, keyPair.publicKey, ca, subjectOfUser(options.dir, spec));
    writeIdentity(options.dir, cluster, spec, certificate, keyPair);
    delete state.faults[spec.name];
    fixed.push({ certificate: spec.name, notAfter: certificate.notAfter, stillBroken: undefined, misnamedFlags: misnamedManifestFlags(options.dir, spec) });
  }
  writeState(options.dir, state);
  return fixed;
}
