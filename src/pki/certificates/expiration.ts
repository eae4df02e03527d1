import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { accessOf, fileInDir, readNodeFile } from '../node/node-dir.js';
import { KubetlsError } from '../../errors.js';
import { renewableByKubeadm, type CertificateSpec } from './spec.js';
import { loadIdentity, specsOfDir } from '../sandbox/sandbox.js';
import { decodePemBlocks } from './pem.js';
import { parseCertificateDer, type ParsedCertificate } from './x509.js';

/** `kubeadm certs check-expiration`, for a sandbox or a copy of a real /etc/kubernetes. */

export interface ExpirationRow {
  name: string;
  notAfter: Date | undefined;
  residualSeconds: number | undefined;
  authority: string | undefined;
  externallyManaged: boolean;
  missing: boolean;
  /** There, but only root may read it (a node's kubeconfigs, run as a normal user). */
  unreadable?: boolean;
}

export interface ExpirationReport {
  certificates: ExpirationRow[];
  authorities: ExpirationRow[];
}

export function checkExpiration(dir: string, now: Date = new Date()): ExpirationReport {
  if (!existsSync(join(dir, 'pki'))) {
    throw KubetlsError.said('pki.errors.no-pki-dir', { dir }, { key: 'pki.errors.no-pki-dir-hint' });
  }
  const byName = (a: ExpirationRow, b: ExpirationRow) => a.name.localeCompare(b.name);
  const specs = specsOfDir(dir);
  const certificates = specs.filter(renewableByKubeadm).map((spec) => row(dir, spec, now, specs));
  const authorities = specs.filter((s) => s.kind === 'ca').map((spec) => row(dir, spec, now, specs));
  return { certificates: certificates.sort(byName), authorities: authorities.sort(byName) };
}

function row(dir: string, spec: CertificateSpec, now: Date, specs: readonly CertificateSpec[]): ExpirationRow {
  const authority = spec.kind === 'ca' ? undefined : spec.signer === 'etcd/ca' ? 'etcd-ca' : spec.signer;
  const certificate = readCertificate(dir, spec);
  // kubeadm's "external CA": the CA certificate is there but its key is not
  const caSpec = specs.find((s) => s.name === (spec.kind === 'ca' ? spec.name : spec.signer));
  const externallyManaged = caSpec ? accessOf(join(dir, `${caSpec.path}.key`)) === 'missing' && accessOf(join(dir, `${caSpec.path}.crt`)) !== 'missing' : false;
  if (!certificate) {
    const unreadable = accessOf(fileInDir(dir, spec.kind === 'kubeconfig' || spec.pemBundle ? spec.path : `${spec.path}.crt`)) === 'denied';
    return { name: spec.expirationName, notAfter: undefined, residualSeconds: undefined, authority, externallyManaged, missing: !unreadable, ...(unreadable ? { unreadable } : {}) };
  }
  return {
    name: spec.expirationName,
    notAfter: certificate.notAfter,
    residualSeconds: Math.floor((certificate.notAfter.getTime() - now.getTime()) / 1000),
    authority,
    externallyManaged,
    missing: false,
  };
}

function readCertificate(dir: string, spec: CertificateSpec): ParsedCertificate | undefined {
  const file = fileInDir(dir, spec.kind === 'kubeconfig' ? spec.path : `${spec.path}.crt`);
  if (!existsSync(file)) return undefined;
  if (spec.kind === 'ca' || spec.kind === 'leaf') {
    // the key may be absent (external CA), so read only the certificate
    try {
      return loadCertificateOnly(file);
    } catch {
      return undefined;
    }
  }
  try {
    return loadIdentity(dir, spec.name).certificate;
  } catch {
    return undefined;
  }
}

function loadCertificateOnly(file: string): ParsedCertificate | undefined {
  const block = decodePemBlocks(readNodeFile(file).toString('utf8')).find((b) => b.label === 'CERTIFICATE');
  return block ? parseCertificateDer(block.der) : undefined;
}

/** k8s.io/apimachinery duration.ShortHumanDuration, which kubeadm uses for RESIDUAL TIME. */
export function shortHumanDuration(seconds: number): string {
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.floor(hours / 24)}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's "Jan 02, 2006 15:04 MST" in UTC. */
export function kubeadmDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())}, ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/**
 * The two tables as kubeadm prints them (text/tabwriter: minwidth 10, tabwidth 4, padding 3). Where one
 * does not fit `maxWidth` columns (the app at 80x24), it is printed in two halves that share the name
 * column, so no column is cut off.
 */
export function formatExpirationReport(report: ExpirationReport, maxWidth = Number.POSITIVE_INFINITY): string {
  const yesNo = (value: boolean) => (value ? 'yes' : 'no').padEnd(8);
  const certificateLines = [
    ['CERTIFICATE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY', 'EXTERNALLY MANAGED'],
    ...report.certificates.map((r) =>
      r.unreadable ? [r.name, 'root only', '', r.authority ?? '', yesNo(r.externallyManaged)]
      : r.missing ? [`!MISSING! ${r.name}`, '', '', '', ''] : [r.name, kubeadmDate(r.notAfter!), shortHumanDuration(r.residualSeconds!), r.authority ?? '', yesNo(r.externallyManaged)],
    ),
  ];
  const authorityLines = [
    ['CERTIFICATE AUTHORITY', 'EXPIRES', 'RESIDUAL TIME', 'EXTERNALLY MANAGED'],
    ...report.authorities.map((r) =>
      r.unreadable ? [r.name, 'root only', '', yesNo(r.externallyManaged)]
      : r.missing ? [`!MISSING! ${r.name}`, '', '', ''] : [r.name, kubeadmDate(r.notAfter!), shortHumanDuration(r.residualSeconds!), yesNo(r.externallyManaged)],
    ),
  ];
  return `${fitted(certificateLines, maxWidth)}\n${fitted(authorityLines, maxWidth)}`;
}

/** The table, or when it is wider than `maxWidth`, its first three columns and then the name with the rest. */
function fitted(rows: string[][], maxWidth: number): string {
  const whole = tabulate(rows);
  if (Math.max(...whole.split('\n').map((line) => line.trimEnd().length)) <= maxWidth) return whole;
  return `${tabulate(rows.map((row) => row.slice(0, 3)))}\n${tabulate(rows.map((row) => [row[0]!, ...row.slice(3)]))}`;
}

/** Go's tabwriter for one block: every column but the last padded to max(width + 3, 10). */
function tabulate(rows: string[][]): string {
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns - 1 }, (_, i) => Math.max(10, ...rows.map((r) => (r[i] ?? '').length + 3)));
  return rows.map((r) => r.map((cell, i) => (i < columns - 1 ? cell.padEnd(widths[i]!) : cell)).join('') + '\n').join('');
}
