import { KubetlsError } from '../errors.js';
import { generateKeyPair } from './keys.js';
import { issueLeafCertificate, type IssueOverrides } from './issue.js';
import { clusterOf, loadIdentity, loadIssuingCa, readState, resolveSandboxSpec, specsOfDir, writeIdentity, writeState, type FaultName, type FaultRecord } from './sandbox.js';
import type { AltNames, CaName, CertificateSpec, ExtendedUsage } from './spec.js';
import type { ClusterValues } from './options.js';

/**
 * `kubetls pki break`: the troubleshooting labs. Each fault re-issues one certificate with exactly
 * one thing wrong, so verify and a handshake show the matching real error.
 */

export const FAULTS: readonly { name: FaultName; summary: string }[] = [
  { name: 'expired', summary: 'notAfter in the past (what happens when nobody renews for a year)' },
  { name: 'not-yet-valid', summary: 'notBefore in the future (a clock or issuing mistake)' },
  { name: 'wrong-ca', summary: 'signed by a different CA of the cluster than the one its peers trust' },
  { name: 'missing-san', summary: 'one subject alternative name removed (the address clients dial)' },
  { name: 'wrong-usage', summary: 'the extended key usage for the other role (serverAuth <-> clientAuth)' },
  { name: 'key-mismatch', summary: 'a certificate for a different key than the one in the key file' },
];

const DAY_MS = 24 * 60 * 60 * 1000;

export function isFaultName(value: string): value is FaultName {
  return FAULTS.some((f) => f.name === value);
}

export interface BreakOptions {
  dir: string;
  certificate: string;
  fault: string;
  /** For missing-san: which SAN to remove (default: the one clients dial). */
  san?: string;
  now?: Date;
}

export async function breakCertificate(options: BreakOptions): Promise<FaultRecord & { certificate: string }> {
  if (!isFaultName(options.fault)) {
    throw new KubetlsError(`unknown fault "${options.fault}"`, { hint: `choose one of ${FAULTS.map((f) => f.name).join(', ')}` });
  }
  const spec = resolveSandboxSpec(options.dir, options.certificate);
  if (spec.kind === 'ca') {
    throw new KubetlsError(`${spec.name} is a CA; faults apply to the certificates it signs`, { hint: 'e.g. --cert apiserver' });
  }
  if (spec.selfSignedByKubelet) {
    throw new KubetlsError(`${spec.name} is self-signed by its kubelet: no cluster CA to break it with`, { hint: 'it already fails verification; join the node with --server-tls-bootstrap to get a CA-issued one' });
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
  const record: FaultRecord = { fault: options.fault, detail: plan.detail, at: cluster.now.toISOString() };
  state.faults[spec.name] = record;
  writeState(options.dir, state);
  return { ...record, certificate: spec.name };
}

interface FaultPlan {
  signer: CaName;
  overrides: IssueOverrides;
  detail: string;
}

function planFault(fault: FaultName, spec: CertificateSpec, cluster: ClusterValues, san: string | undefined, sandboxCas: CaName[]): FaultPlan {
  const signer = spec.signer as CaName;
  const now = cluster.now.getTime();
  switch (fault) {
    case 'expired':
      return {
        signer,
        overrides: { notBefore: new Date(now - 366 * DAY_MS), notAfter: new Date(now - DAY_MS) },
        detail: `notAfter set to ${new Date(now - DAY_MS).toISOString()}`,
      };
    case 'not-yet-valid':
      return {
        signer,
        overrides: { notBefore: new Date(now + 30 * DAY_MS), notAfter: new Date(now + 395 * DAY_MS) },
        detail: `notBefore set to ${new Date(now + 30 * DAY_MS).toISOString()}`,
      };
    case 'wrong-ca': {
      // the classic mix-up: the cluster CA and the etcd CA
      const preferred: CaName = signer === 'ca' ? 'etcd/ca' : 'ca';
      const others = sandboxCas.filter((ca) => ca !== signer);
      const wrong = others.includes(preferred) ? preferred : others[0];
      if (!wrong) throw new KubetlsError('this sandbox has a single CA, so no other CA can sign by mistake', { hint: 'wrong-ca needs the kubeadm profile (ca, front-proxy-ca, etcd/ca)' });
      return { signer: wrong, overrides: {}, detail: `signed by ${wrong} instead of ${signer}` };
    }
    case 'missing-san':
      return { signer, ...withoutSan(spec, cluster, san) };
    case 'wrong-usage': {
      const usages: ExtendedUsage[] = spec.usages.includes('serverAuth') ? ['clientAuth'] : ['serverAuth'];
      return { signer, overrides: { usages }, detail: `extended key usage ${usages.join(', ')} instead of ${spec.usages.join(', ')}` };
    }
    case 'key-mismatch':
      return { signer, overrides: {}, detail: `certificate issued for a new key; ${spec.kind === 'kubeconfig' ? 'client-key-data' : `${spec.path}.key`} still holds the old one` };
  }
}

function withoutSan(spec: CertificateSpec, cluster: ClusterValues, san: string | undefined): { overrides: IssueOverrides; detail: string } {
  const altNames = spec.altNames?.(cluster);
  if (!altNames || (altNames.dns.length === 0 && altNames.ip.length === 0)) {
    throw new KubetlsError(`${spec.name} has no SANs to remove`, { hint: 'missing-san applies to serving certificates: apiserver, etcd/server, etcd/peer, node/NAME' });
  }
  const target = san ?? spec.server?.dialedHost(cluster) ?? altNames.dns[0]!;
  const remaining: AltNames = { dns: altNames.dns.filter((d) => d !== target), ip: altNames.ip.filter((ip) => ip !== target) };
  if (remaining.dns.length + remaining.ip.length === altNames.dns.length + altNames.ip.length) {
    throw new KubetlsError(`"${target}" is not a SAN of ${spec.name}`, { hint: `its SANs: ${[...altNames.dns, ...altNames.ip].join(', ')}` });
  }
  return { overrides: { altNames: remaining }, detail: `SAN ${target} removed` };
}
