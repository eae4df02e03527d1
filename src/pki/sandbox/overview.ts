import { relative, join } from 'node:path';
import type { CertificateSpec } from '../certificates/spec.js';
import { accessOf, nodeRootOf, unreadableNotice } from '../node/node-dir.js';
import { certificatePath, loadCertificateOnly, readClusterState, specsOfDir, type SandboxState } from './sandbox.js';
import type { ParsedCertificate } from '../certificates/x509.js';
import { BASE_LANGUAGE, type Language } from '../../locale/catalogue.js';

/**
 * A directory's certificates as rows to draw, for screens that only look (the app's view of this
 * machine's cluster): each with its file as the learner knows it, its certificate when it can be read,
 * and a status; grouped by the CA that signs it, kubelet-signed ones and the service-account key apart.
 */

export type OverviewStatus = 'ok' | 'expired' | 'not-yet-valid' | 'missing' | 'root-only';

export interface OverviewRow {
  spec: CertificateSpec;
  /** `pki/apiserver.crt`, `admin.conf`, `/var/lib/kubelet/pki/kubelet-client-current.pem` */
  file: string;
  certificate: ParsedCertificate | undefined;
  status: OverviewStatus;
  daysLeft: number | undefined;
  /** The CA it hangs under (`ca`, `etcd/ca`, …), `self-signed` (the kubelet's own), or its own name for a CA. */
  group: string;
}

export interface ClusterOverview {
  dir: string;
  state: SandboxState;
  rows: OverviewRow[];
  /** What only root can read here, in one line (undefined when everything was read). */
  notice: string | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function clusterOverview(dir: string, now: Date = new Date(), language: Language = BASE_LANGUAGE): ClusterOverview {
  const state = readClusterState(dir);
  const root = nodeRootOf(dir) ?? '/';
  const rows: OverviewRow[] = [];
  for (const spec of specsOfDir(dir)) {
    if (spec.kind === 'service-account-key') continue;
    const path = spec.kind === 'kubeconfig' || spec.pemBundle ? spec.path : `${spec.path}.crt`;
    const file = path.startsWith('../') && state.node ? `/${relative(root, join(dir, path))}` : path;
    let certificate: ParsedCertificate | undefined;
    let status: OverviewStatus;
    try {
      certificate = loadCertificateOnly(dir, spec.name).certificate;
      status = now > certificate.notAfter ? 'expired' : now < certificate.notBefore ? 'not-yet-valid' : 'ok';
    } catch {
      status = accessOf(certificatePath(dir, spec)) === 'denied' ? 'root-only' : 'missing';
    }
    const group = spec.kind === 'ca' ? spec.name : spec.selfSignedByKubelet ? 'self-signed' : spec.signer;
    rows.push({ spec, file, certificate, status, daysLeft: certificate ? Math.floor((certificate.notAfter.getTime() - now.getTime()) / DAY_MS) : undefined, group });
  }
  return { dir, state, rows, notice: unreadableNotice(state, language) };
}
