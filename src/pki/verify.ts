import { createPublicKey, verify as nativeVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import { toBinary } from './der.js';
import type { KeyPair } from './keys.js';
import type { ParsedCertificate } from './x509.js';
import { ipBytes } from './x509-build.js';

/**
 * `kubetls verify`: chain, validity, purpose, host and key checks, worded as OpenSSL and Node word
 * them. Two independent implementations run on every call: one on forge's ASN.1 decoding with forge's
 * RSA/Ed25519 signature checks, one on node:crypto's X509Certificate (OpenSSL underneath). Any
 * disagreement is a kubetls bug and is raised as one.
 */

export type Purpose = 'server' | 'client';
export type CheckName = 'chain' | 'validity' | 'purpose' | 'host' | 'key';

export interface VerifyOptions {
  /** Trusted CA certificates (roots, and any intermediates). */
  cas: ParsedCertificate[];
  at?: Date;
  purpose?: Purpose;
  host?: string;
  keyPair?: KeyPair;
}

export interface CheckResult {
  check: CheckName;
  ok: boolean;
  /** OpenSSL / Node wording when it fails, a short statement when it passes. */
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  checks: CheckResult[];
  /** Subjects from the certificate up to the trusted root, when the chain was built. */
  chain: ParsedCertificate[];
  /** The first failure, as a TLS stack would report it. */
  reason: string | undefined;
}

export const REASONS = {
  issuerNotFound: 'unable to get local issuer certificate',
  selfSigned: 'self-signed certificate',
  signatureFailure: 'certificate signature failure',
  invalidCa: 'invalid CA certificate',
  expired: 'certificate has expired',
  notYetValid: 'certificate is not yet valid',
  invalidPurpose: 'unsuitable certificate purpose',
  keyMismatch: 'key values mismatch',
} as const;

/** The checks as both implementations must agree on them. */
interface Verdicts {
  chain: { ok: boolean; reason: string | undefined; chain: ParsedCertificate[] };
  validity: { ok: boolean; reason: string | undefined };
  /** Compared: the extended key usage. `ok` adds forge's key-usage bit check (X509Certificate does not expose the bits). */
  purpose: { ok: boolean; extendedUsageOk: boolean } | undefined;
  host: { ok: boolean } | undefined;
  key: { ok: boolean } | undefined;
}

export function verifyCertificate(certificate: ParsedCertificate, options: VerifyOptions): VerifyReport {
  const at = options.at ?? new Date();
  const viaForge = verifyWithForge(certificate, options, at);
  const viaNode = verifyWithNode(certificate, options, at);
  assertAgreement(viaForge, viaNode);
  return report(certificate, viaForge, options, at);
}

/** Checks in the order OpenSSL's X509_verify_cert runs them, so the first failure is the one it reports. */
function report(certificate: ParsedCertificate, verdicts: Verdicts, options: VerifyOptions, at: Date): VerifyReport {
  const checks: CheckResult[] = [];
  const chainNames = verdicts.chain.chain.map((c) => c.subject.commonName ?? '?').join(' -> ');
  checks.push({ check: 'chain', ok: verdicts.chain.ok, message: verdicts.chain.ok ? `chain: ${chainNames}` : verdicts.chain.reason! });
  if (verdicts.purpose && options.purpose) {
    const usage = options.purpose === 'server' ? 'serverAuth' : 'clientAuth';
    const have = certificate.extKeyUsage?.join(', ') ?? 'no extended key usage';
    checks.push({
      check: 'purpose',
      ok: verdicts.purpose.ok,
      message: verdicts.purpose.ok ? `usable as a TLS ${options.purpose} (${have})` : `${REASONS.invalidPurpose} (needs ${usage}, has ${have})`,
    });
  }
  if (verdicts.host && options.host) {
    checks.push({ check: 'host', ok: verdicts.host.ok, message: verdicts.host.ok ? `${options.host} is in the certificate's SANs` : hostMismatchMessage(certificate, options.host) });
  }
  // OpenSSL's message does not say which certificate is out of date: a CA can expire before its leaves
  const outOfDate = verdicts.chain.chain.find((c) => at < c.notBefore || at > c.notAfter) ?? certificate;
  const whose = outOfDate === certificate ? '' : `: the CA certificate ${outOfDate.subject.commonName ?? '?'} in its chain`;
  checks.push({
    check: 'validity',
    ok: verdicts.validity.ok,
    message: verdicts.validity.ok
      ? `valid at ${at.toISOString()} (${certificate.notBefore.toISOString()} to ${certificate.notAfter.toISOString()})`
      : `${verdicts.validity.reason!}${whose} (notBefore ${outOfDate.notBefore.toISOString()}, notAfter ${outOfDate.notAfter.toISOString()}, checked at ${at.toISOString()})`,
  });
  if (verdicts.key) {
    checks.push({ check: 'key', ok: verdicts.key.ok, message: verdicts.key.ok ? 'the private key matches the certificate' : REASONS.keyMismatch });
  }
  const failed = checks.find((c) => !c.ok);
  return { ok: !failed, checks, chain: verdicts.chain.chain, reason: failed?.message };
}

/** Node's wording (tls.checkServerIdentity), which is what kubectl-like Node clients print. */
export function hostMismatchMessage(certificate: ParsedCertificate, host: string): string {
  const prefix = "Hostname/IP does not match certificate's altnames: ";
  if (isIP(host)) return `${prefix}IP: ${host} is not in the cert's list: ${certificate.subjectAltNames.ip.join(', ')}`;
  const altNames = [
    ...certificate.subjectAltNames.dns.map((d) => `DNS:${d}`),
    ...certificate.subjectAltNames.ip.map((ip) => `IP Address:${ip}`),
  ].join(', ');
  return `${prefix}Host: ${host}. is not in the cert's altnames: ${altNames}`;
}

function assertAgreement(a: Verdicts, b: Verdicts): void {
  const pairs: [string, boolean | undefined, boolean | undefined][] = [
    ['chain', a.chain.ok, b.chain.ok],
    ['validity', a.validity.ok, b.validity.ok],
    ['purpose', a.purpose?.extendedUsageOk, b.purpose?.extendedUsageOk],
    ['host', a.host?.ok, b.host?.ok],
    ['key', a.key?.ok, b.key?.ok],
  ];
  for (const [check, forgeSays, nodeSays] of pairs) {
    if (forgeSays !== nodeSays) {
      throw new Error(`verification implementations disagree on ${check}: forge says ${String(forgeSays)}, node:crypto says ${String(nodeSays)}`);
    }
  }
  if (a.chain.reason !== b.chain.reason || a.validity.reason !== b.validity.reason) {
    throw new Error(`verification implementations disagree on the reason: forge "${a.chain.reason ?? a.validity.reason}", node:crypto "${b.chain.reason ?? b.validity.reason}"`);
  }
}

// ---- implementation 1: forge's ASN.1 and forge's signature code ---------------------------------

function verifyWithForge(certificate: ParsedCertificate, options: VerifyOptions, at: Date): Verdicts {
  const chain = buildChainForge(certificate, options.cas);
  return {
    chain,
    validity: validityOf(chain.ok ? chain.chain : [certificate], at),
    purpose: options.purpose && {
      ok: extendedUsageAllows(certificate, options.purpose) && keyUsageAllows(certificate, options.purpose),
      extendedUsageOk: extendedUsageAllows(certificate, options.purpose),
    },
    host: options.host !== undefined ? { ok: hostMatches(certificate, options.host) } : undefined,
    key: options.keyPair && { ok: Buffer.from(options.keyPair.publicKey.export({ type: 'spki', format: 'der' })).equals(certificate.publicKey.spkiDer) },
  };
}

function buildChainForge(certificate: ParsedCertificate, cas: ParsedCertificate[]): Verdicts['chain'] {
  const chain = [certificate];
  let current = certificate;
  for (let depth = 0; depth < 10; depth++) {
    if (cas.some((ca) => ca.der.equals(current.der)) && isSelfIssued(current)) return { ok: true, reason: undefined, chain };
    const issuer = cas.find((ca) => !ca.der.equals(current.der) && couldHaveIssued(ca, current));
    if (!issuer) {
      const selfSigned = isSelfIssued(current) && couldHaveIssued(current, current) && signedBy(current, current);
      const reason = selfSigned ? REASONS.selfSigned : REASONS.issuerNotFound;
      return { ok: false, reason, chain };
    }
    if (!signedBy(current, issuer)) return { ok: false, reason: REASONS.signatureFailure, chain };
    chain.push(issuer);
    if (isSelfIssued(issuer)) return { ok: true, reason: undefined, chain };
    current = issuer;
  }
  return { ok: false, reason: REASONS.issuerNotFound, chain };
}

function isSelfIssued(certificate: ParsedCertificate): boolean {
  return certificate.issuerDer.equals(certificate.subjectDer);
}

/** OpenSSL's X509_check_issued: names match, key ids agree, and the issuer may sign certificates. */
function couldHaveIssued(ca: ParsedCertificate, certificate: ParsedCertificate): boolean {
  if (!ca.subjectDer.equals(certificate.issuerDer)) return false;
  if (certificate.authorityKeyId && ca.subjectKeyId && !certificate.authorityKeyId.equals(ca.subjectKeyId)) return false;
  if (ca.keyUsage && !ca.keyUsage.includes('keyCertSign')) return false;
  return true;
}

function signedBy(certificate: ParsedCertificate, issuer: ParsedCertificate): boolean {
  const key = issuer.publicKey;
  try {
    if (key.type === 'rsa') {
      // forge's key reader wants the BIT STRING decoded, which is its default
      const publicKey = forge.pki.publicKeyFromAsn1(forge.asn1.fromDer(toBinary(key.spkiDer))) as forge.pki.rsa.PublicKey;
      const digest = forge.md.sha256.create();
      digest.update(toBinary(certificate.tbsDer));
      return publicKey.verify(digest.digest().getBytes(), toBinary(certificate.signature));
    }
    if (key.type === 'ed25519' && key.point) {
      return forge.pki.ed25519.verify({ message: certificate.tbsDer, encoding: 'binary', signature: certificate.signature, publicKey: key.point });
    }
    if (key.type === 'ec') {
      // forge has no ECDSA: the curve math is node:crypto's, the parsing that fed it is forge's
      return nativeVerify('sha256', certificate.tbsDer, createPublicKey({ key: key.spkiDer, format: 'der', type: 'spki' }), certificate.signature);
    }
  } catch {
    return false;
  }
  return false;
}

function validityOf(chain: ParsedCertificate[], at: Date): Verdicts['validity'] {
  for (const certificate of chain) {
    if (at < certificate.notBefore) return { ok: false, reason: REASONS.notYetValid };
    if (at > certificate.notAfter) return { ok: false, reason: REASONS.expired };
  }
  return { ok: true, reason: undefined };
}

/** OpenSSL's sslserver/sslclient purposes, part 1: the extended key usage. */
function extendedUsageAllows(certificate: ParsedCertificate, purpose: Purpose): boolean {
  const wanted = purpose === 'server' ? 'serverAuth' : 'clientAuth';
  const eku = certificate.extKeyUsage;
  return !eku || eku.includes(wanted) || eku.includes('anyExtendedKeyUsage');
}

/** Part 2: the key usage bits a handshake needs. */
function keyUsageAllows(certificate: ParsedCertificate, purpose: Purpose): boolean {
  const ku = certificate.keyUsage;
  if (!ku) return true;
  return purpose === 'server'
    ? ku.includes('digitalSignature') || ku.includes('keyEncipherment') || ku.includes('keyAgreement')
    : ku.includes('digitalSignature') || ku.includes('keyAgreement');
}

function hostMatches(certificate: ParsedCertificate, host: string): boolean {
  const names = certificate.subjectAltNames;
  if (isIP(host)) {
    const wanted = ipBytes(host);
    return names.ip.some((ip) => ipBytes(ip).equals(wanted));
  }
  const candidates = names.dns.length > 0 ? names.dns : certificate.subject.commonName ? [certificate.subject.commonName] : [];
  const hostLabels = host.toLowerCase().replace(/\.$/, '').split('.');
  return candidates.some((pattern) => {
    const labels = pattern.toLowerCase().replace(/\.$/, '').split('.');
    if (labels.length !== hostLabels.length) return false;
    return labels.every((label, i) => label === hostLabels[i] || (i === 0 && label === '*' && hostLabels[0] !== ''));
  });
}

// ---- implementation 2: node:crypto X509Certificate (OpenSSL) ----------------------------------------

function verifyWithNode(certificate: ParsedCertificate, options: VerifyOptions, at: Date): Verdicts {
  const x509 = new X509Certificate(certificate.der);
  const pool = options.cas.map((ca) => ({ parsed: ca, x509: new X509Certificate(ca.der) }));
  const chain = buildChainNode(certificate, x509, pool);
  const chainX509 = chain.ok ? chain.chain.map((c) => new X509Certificate(c.der)) : [x509];
  let validity: Verdicts['validity'] = { ok: true, reason: undefined };
  for (const member of chainX509) {
    if (at < new Date(member.validFrom)) { validity = { ok: false, reason: REASONS.notYetValid }; break; }
    if (at > new Date(member.validTo)) { validity = { ok: false, reason: REASONS.expired }; break; }
  }
  return {
    chain,
    validity,
    purpose: options.purpose && { ok: extendedUsageAllowsNode(x509, options.purpose), extendedUsageOk: extendedUsageAllowsNode(x509, options.purpose) },
    host: options.host !== undefined ? { ok: (isIP(options.host) ? x509.checkIP(options.host) : x509.checkHost(options.host)) !== undefined } : undefined,
    key: options.keyPair && { ok: x509.checkPrivateKey(options.keyPair.privateKey) },
  };
}

function buildChainNode(certificate: ParsedCertificate, x509: X509Certificate, pool: { parsed: ParsedCertificate; x509: X509Certificate }[]): Verdicts['chain'] {
  const chain = [certificate];
  let current = { parsed: certificate, x509 };
  for (let depth = 0; depth < 10; depth++) {
    const selfIssued = current.x509.issuer === current.x509.subject && current.x509.checkIssued(current.x509);
    if (pool.some((ca) => ca.x509.raw.equals(current.x509.raw)) && selfIssued) return { ok: true, reason: undefined, chain };
    const issuer = pool.find((ca) => !ca.x509.raw.equals(current.x509.raw) && current.x509.checkIssued(ca.x509));
    if (!issuer) {
      const reason = selfIssued && current.x509.verify(current.x509.publicKey) ? REASONS.selfSigned : REASONS.issuerNotFound;
      return { ok: false, reason, chain };
    }
    if (!current.x509.verify(issuer.x509.publicKey)) return { ok: false, reason: REASONS.signatureFailure, chain };
    chain.push(issuer.parsed);
    if (issuer.x509.checkIssued(issuer.x509)) return { ok: true, reason: undefined, chain };
    current = issuer;
  }
  return { ok: false, reason: REASONS.issuerNotFound, chain };
}

function extendedUsageAllowsNode(x509: X509Certificate, purpose: Purpose): boolean {
  const wanted = purpose === 'server' ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2';
  const eku = x509.keyUsage as string[] | undefined;
  return !eku || eku.includes(wanted) || eku.includes('2.5.29.37.0');
}

export function publicKeyOf(certificate: ParsedCertificate): KeyObject {
  return createPublicKey({ key: certificate.publicKey.spkiDer, format: 'der', type: 'spki' });
}
